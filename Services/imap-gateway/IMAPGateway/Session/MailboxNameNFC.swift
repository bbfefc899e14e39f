import Foundation
import IMAPProtocol

extension MailboxName {
    /// The name in Unicode Normalization Form C. RFC 6855 §3: mailbox names are Net-Unicode
    /// (RFC 5198 §2, which is NFC), so a name is stored composed whichever form the client sent
    /// (`e` + U+0301 is kept as `é`). Looking a name up needs no normalizing: Swift compares
    /// strings by canonical equivalence, so an NFD name finds the NFC mailbox.
    var nfc: MailboxName { MailboxName(name.precomposedStringWithCanonicalMapping) }
}
