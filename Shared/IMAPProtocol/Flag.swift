import LineFraming

/// A message flag: a system flag (`\Seen`), a keyword (`$Forwarded`, `work`) or an
/// extension flag. Compared case-insensitively, as RFC 9051 §2.3.2 says flags are.
///
/// ```
/// flag           = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" /
///                  flag-keyword / flag-extension                       ; RFC 9051 §9
/// flag-extension = "\" atom
/// flag-keyword   = "$MDNSent" / "$Forwarded" / "$Junk" / "$NotJunk" / "$Phishing" / atom
/// flag-list      = "(" [flag *(SP flag)] ")"
/// ```
/// `C: a1 STORE 1 +FLAGS (\Seen $Forwarded)`
public struct Flag: Sendable, Hashable, CustomStringConvertible {
    /// The flag as sent, system flags in their canonical spelling.
    public let name: String

    public static let answered = Flag(unchecked: "\\Answered")
    public static let flagged = Flag(unchecked: "\\Flagged")
    public static let deleted = Flag(unchecked: "\\Deleted")
    public static let seen = Flag(unchecked: "\\Seen")
    public static let draft = Flag(unchecked: "\\Draft")
    static let system = [answered, flagged, deleted, seen, draft]

    private init(unchecked name: String) { self.name = name }

    /// A flag from its name, nil unless it is `\` atom or atom. RFC 9051 §9
    public init?(_ name: String) {
        let bytes = Array(name.utf8)
        let atom = bytes.first == ByteClass.backslash ? bytes.dropFirst() : bytes[...]
        guard !atom.isEmpty, atom.allSatisfy(ByteClass.isAtomChar) else { return nil }
        let lower = name.lowercased()
        self.name = Flag.system.first { $0.name.lowercased() == lower }?.name ?? name
    }

    public var isSystemFlag: Bool { name.hasPrefix("\\") }
    public var description: String { name }

    public static func == (a: Flag, b: Flag) -> Bool { a.name.lowercased() == b.name.lowercased() }
    public func hash(into hasher: inout Hasher) { hasher.combine(name.lowercased()) }

    /// The flag list as sent: `(\Seen $Forwarded)`.
    public static func encode(_ flags: [Flag]) -> [UInt8] {
        Array("(\(flags.map(\.name).joined(separator: " ")))".utf8)
    }
}

extension IMAPCursor {
    /// flag = "\" atom / atom. RFC 9051 §9
    mutating func flag() throws(IMAPSyntaxError) -> Flag {
        let system = take(ByteClass.backslash)
        let name = (system ? "\\" : "") + String(decoding: try atom(), as: UTF8.self)
        guard let flag = Flag(name) else { throw Self.fail("bad flag") }
        return flag
    }

    /// flag-list = "(" [flag *(SP flag)] ")". RFC 9051 §9
    mutating func flagList() throws(IMAPSyntaxError) -> [Flag] {
        try open()
        var flags: [Flag] = []
        if peek != ByteClass.closeParen {
            repeat { flags.append(try flag()) } while take(ByteClass.space)
        }
        try close()
        return flags
    }
}

extension Flag {
    /// Parses a whole flag list as sent: `(\Seen $Forwarded)`.
    public static func parseList(_ text: String) throws(IMAPSyntaxError) -> [Flag] {
        try IMAPCursor.whole(Array(text.utf8)) { c throws(IMAPSyntaxError) in try c.flagList() }
    }
}
