import LineFraming

/// GETQUOTA, GETQUOTAROOT and SETQUOTA (RFC 9208 §4.1, grammar §7).
///
/// ```
/// getquota          = "GETQUOTA" SP quota-root-name
/// getquotaroot      = "GETQUOTAROOT" SP mailbox
/// setquota          = "SETQUOTA" SP quota-root-name SP setquota-list
/// setquota-list     = "(" [setquota-resource *(SP setquota-resource)] ")"
/// setquota-resource = resource-name SP resource-limit
/// quota-root-name   = astring
/// resource-name     = "STORAGE" / "MESSAGE" / "MAILBOX" / "ANNOTATION-STORAGE" / resource-name-ext
/// resource-limit    = number64
/// ```
extension IMAPCommandParser {
    func quota(_ name: String, _ c: inout IMAPCursor) throws(IMAPSyntaxError) -> QuotaCommand {
        switch name {
        case "GETQUOTAROOT":
            return .getRoot(try mailboxArgument(&c))
        case "GETQUOTA":
            try c.space()
            return .get(root: try c.utf8(c.astring()))
        default:
            try c.space()
            let root = try c.utf8(c.astring())
            try c.space()
            try c.open()
            var limits: [QuotaLimit] = []
            if c.peek != ByteClass.closeParen {
                repeat {
                    let resource = try c.keyword()
                    try c.space()
                    limits.append(QuotaLimit(resource, try Self.number64(&c)))
                } while c.take(ByteClass.space)
            }
            try c.close()
            return .set(root: root, limits)
        }
    }

    /// number64 = 1*DIGIT, at most 2^63 - 1. RFC 9051 §9
    static func number64(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> UInt64 {
        let digits = try c.run("a number", ByteClass.isDigit)
        guard digits.count <= 19, let value = Int64(String(decoding: digits, as: UTF8.self)) else {
            throw IMAPCursor.fail("number out of range")
        }
        return UInt64(value)
    }
}

extension QuotaCommand {
    /// The command's arguments as a client sends them, after the tag (IMAPCommand+Encoding).
    func encoded(utf8Enabled: Bool, style: IMAPLiteralStyle) -> [UInt8] {
        var out = Array(name.utf8) + [ByteClass.space]
        switch self {
        case .get(let root):
            out += IMAPString.astring(Array(root.utf8), style: style)
        case .getRoot(let mailbox):
            out += mailbox.encoded(utf8Enabled: utf8Enabled, style: style)
        case .set(let root, let limits):
            out += IMAPString.astring(Array(root.utf8), style: style)
            out += Array(" (\(limits.map { "\($0.resource) \($0.limit)" }.joined(separator: " ")))".utf8)
        }
        return out
    }
}
