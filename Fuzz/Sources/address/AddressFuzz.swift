import FuzzSupport
import IMAPProtocol
import InternetMessage

/// `AddressParser` (RFC 5322 §3.4 and the obsolete §4.4 forms): the list is well formed in
/// IMAP's terms (RFC 3501 §7.4.2) — groups are a start marker, mailboxes with a host, an end
/// marker, never nested — and a dot-atom `mailbox@host` re-parses to itself (§3.4.1); the ENVELOPE
/// address list is written without a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAddress(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let list = AddressParser.parseList(text)
        var inGroup = false
        for address in list {
            if address.isGroupStart {
                Fuzz.require(!inGroup, "nested group")
                inGroup = true
            } else if address.isGroupEnd {
                Fuzz.require(inGroup, "group end without a start")
                inGroup = false
            } else if let mailbox = address.mailbox, let host = address.host, isDotAtom(mailbox), isDotAtom(host) {
                let spec = "\(mailbox)@\(host)"
                let again = AddressParser.parseMailbox(spec)?.addressSpec
                Fuzz.require(again == spec, "\(spec.debugDescription) re-parses as \(again.debugDescription)")
            }
        }
        Fuzz.require(!inGroup, "group without an end")
        Fuzz.require(AddressParser.parseMailbox(text) == list.first { $0.host != nil }, "parseMailbox differs")
        _ = EnvelopeEncoding.encode(Envelope(from: list, to: list))
    }
}

/// `dot-atom-text` (RFC 5322 §3.2.3), UTF-8 allowed (RFC 6532 §3.2).
private func isDotAtom(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)
    return bytes.first != 0x2E && bytes.last != 0x2E && !bytes.isEmpty
        && bytes.allSatisfy {
            $0 >= 0x80 || $0 == 0x2E || atext.contains($0) || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0 & 0xDF)
        }
        && !text.contains("..")
}
