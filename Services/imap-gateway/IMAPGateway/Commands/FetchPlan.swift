import IMAPProtocol
import InternetMessage
import StoreAPI

/// What a FETCH must read for each message, decided once from its attributes.
struct FetchPlan: Sendable {
    var attributes: [FetchAttribute]
    var need = ReadNeed()
    var setsSeen = false
    /// EMAILID, THREADID or SAVEDATE asked: the store's object listing is read (RFC 8474, RFC 8514).
    var needsObjects = false
    /// Those of the messages fetched, by UID, once read.
    var objects: [UInt32: MessageObjects] = [:]

    init(_ requested: [FetchAttribute], uid: Bool, modSeq: Bool) {
        var attributes = requested
        // RFC 9051 §6.4.9: UID FETCH answers always carry the UID.
        if uid && !attributes.contains(.uid) { attributes.insert(.uid, at: 0) }
        if modSeq && !attributes.contains(.modSeq) { attributes.append(.modSeq) }
        self.attributes = attributes
        for attribute in attributes {
            setsSeen = setsSeen || attribute.setsSeen
            switch attribute {
            case .envelope, .body, .bodyStructure:
                need.parse = true
            case .rfc822, .rfc822Text:
                need.body = true
            case .rfc822Header:
                need.header = true
            case .section(let spec, _, _):
                if spec.part.isEmpty, let text = spec.text, text != .text {
                    need.header = true
                } else {
                    need.body = true
                    if !spec.part.isEmpty || spec.text == .text { need.parse = true }
                }
            case .binary, .binarySize:
                need.body = true
                need.parse = true
            case .emailID, .threadID, .saveDate:
                needsObjects = true
            case .preview:
                // RFC 8970: computed from the text parts, so the message and its parse are read.
                need.body = true
                need.parse = true
            case .flags, .internalDate, .rfc822Size, .uid, .modSeq:
                continue
            }
        }
    }
}
