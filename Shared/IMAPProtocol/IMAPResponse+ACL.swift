import LineFraming

/// The data responses of RFC 4314 §3.6–3.8.
///
/// ```
/// S: * ACL INBOX Fred rwipsldexta anyone lr
/// S: * LISTRIGHTS ~/Mail/saved smith la r swicdkxte
/// S: * MYRIGHTS INBOX rwiptsldaex
/// ```
/// ```
/// acl-data        = "ACL" SP mailbox *(SP identifier SP rights)
/// listrights-data = "LISTRIGHTS" SP mailbox SP identifier SP rights *(SP rights)
/// myrights-data   = "MYRIGHTS" SP mailbox SP rights
/// rights          = astring
/// ```
public enum ACLResponse: Sendable, Hashable {
    case acl(MailboxName, [Entry])
    /// `required` is always granted; each of `optional` can be granted on its own.
    case listRights(MailboxName, identifier: String, required: String, optional: [String])
    case myRights(MailboxName, String)

    public struct Entry: Sendable, Hashable {
        public var identifier: String
        public var rights: String
        public init(identifier: String, rights: String) {
            self.identifier = identifier
            self.rights = rights
        }
    }

    func encode(_ w: inout ResponseWriter) {
        func astring(_ text: String) {
            w.space()
            let bytes = Array(text.utf8)
            if !bytes.isEmpty, bytes.allSatisfy(ByteClass.isAstringChar) { w.raw(bytes) } else { w.string(text) }
        }
        switch self {
        case .acl(let name, let entries):
            w.atom("* ACL ")
            w.raw(name.encoded(utf8Enabled: w.utf8Enabled))
            for entry in entries {
                astring(entry.identifier)
                astring(entry.rights)
            }
        case .listRights(let name, let identifier, let required, let optional):
            w.atom("* LISTRIGHTS ")
            w.raw(name.encoded(utf8Enabled: w.utf8Enabled))
            astring(identifier)
            astring(required)
            for rights in optional { astring(rights) }
        case .myRights(let name, let rights):
            w.atom("* MYRIGHTS ")
            w.raw(name.encoded(utf8Enabled: w.utf8Enabled))
            astring(rights)
        }
    }
}
