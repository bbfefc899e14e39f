import LineFraming

/// GETMETADATA's options. RFC 5464 §4.2.1 (MAXSIZE), §4.2.2 (DEPTH).
///
/// `C: a1 GETMETADATA (MAXSIZE 1024 DEPTH 1) INBOX /private/comment`
public struct MetadataOptions: Sendable, Hashable {
    public enum Depth: String, Sendable, Hashable {
        case zero = "0", one = "1", infinity
    }
    /// Only values of at most this many octets are returned.
    public var maxSize: UInt32?
    public var depth: Depth
    public init(maxSize: UInt32? = nil, depth: Depth = .zero) {
        self.maxSize = maxSize
        self.depth = depth
    }
}

/// One entry and its value (nil: NIL, the entry is removed or does not exist). RFC 5464 §4.3
/// `entry-value = entry SP value`. Entry names are lower-cased by the parser: they are
/// case-insensitive (RFC 5464 §3.2).
public struct MetadataEntryValue: Sendable, Hashable {
    public var entry: String
    public var value: [UInt8]?
    public init(_ entry: String, _ value: [UInt8]?) {
        self.entry = entry
        self.value = value
    }
}

/// Problems SETMETADATA and GETMETADATA report in `[METADATA …]`. RFC 5464 §4.2.1, §4.3, §5
///
/// `resp-text-code =/ "METADATA" SP ("LONGENTRIES" SP number / "MAXSIZE" SP number / "TOOMANY" / "NOPRIVATE")`
public enum MetadataCode: Sendable, Hashable {
    case longEntries(UInt32)
    case maxSize(UInt32)
    case tooMany
    case noPrivate

    var text: String {
        switch self {
        case .longEntries(let size): return "METADATA LONGENTRIES \(size)"
        case .maxSize(let size): return "METADATA MAXSIZE \(size)"
        case .tooMany: return "METADATA TOOMANY"
        case .noPrivate: return "METADATA NOPRIVATE"
        }
    }
}

extension IMAPCommandParser {
    /// ```
    /// getmetadata         = "GETMETADATA" [SP getmetadata-options] SP mailbox SP entries
    /// getmetadata-options = "(" getmetadata-option *(SP getmetadata-option) ")"
    /// getmetadata-option  = maxsize-opt / scope-opt
    /// maxsize-opt         = "MAXSIZE" SP number
    /// scope-opt           = "DEPTH" SP ("0" / "1" / "infinity")
    /// entries             = entry / "(" entry *(SP entry) ")"
    /// entry               = astring
    /// ```
    /// RFC 5464 §5. `mailbox` `""` names the server's entries.
    func getMetadata(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        var options = MetadataOptions()
        if c.peek == ByteClass.openParen {
            try c.open()
            var seen: Set<String> = []
            repeat {
                let name = try c.keyword()
                guard seen.insert(name).inserted else { throw IMAPCursor.fail("option given twice") }
                try c.space()
                switch name {
                case "MAXSIZE": options.maxSize = try c.number()
                case "DEPTH":
                    guard let depth = MetadataOptions.Depth(rawValue: try c.keyword().lowercased()) else {
                        throw IMAPCursor.fail("DEPTH is 0, 1 or infinity")
                    }
                    options.depth = depth
                default: throw IMAPCursor.fail("unknown GETMETADATA option")
                }
            } while c.take(ByteClass.space)
            try c.close()
            try c.space()
        }
        let mailbox = try c.mailbox(utf8Enabled: utf8Enabled)
        try c.space()
        var entries: [String] = []
        if c.peek == ByteClass.openParen {
            try c.open()
            repeat { entries.append(try c.metadataEntry()) } while c.take(ByteClass.space)
            try c.close()
        } else {
            entries.append(try c.metadataEntry())
        }
        return .getMetadata(mailbox, entries: entries, options: options)
    }

    /// ```
    /// setmetadata  = "SETMETADATA" SP mailbox SP entry-values
    /// entry-values = "(" entry-value *(SP entry-value) ")"
    /// entry-value  = entry SP value
    /// value        = nstring / literal8
    /// ```
    /// RFC 5464 §5.
    func setMetadata(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        let mailbox = try mailboxArgument(&c)
        try c.space()
        try c.open()
        var values: [MetadataEntryValue] = []
        repeat {
            let entry = try c.metadataEntry()
            try c.space()
            let value: [UInt8]?
            if c.atLiteral {
                value = try c.literal(allowBinary: true).data
            } else {
                value = try c.nstring()
            }
            values.append(MetadataEntryValue(entry, value))
        } while c.take(ByteClass.space)
        try c.close()
        return .setMetadata(mailbox, values)
    }
}

extension IMAPCursor {
    /// entry = astring, lower-cased (RFC 5464 §3.2: entry names are case-insensitive). Whether
    /// it is a well-formed entry name is the session's check.
    mutating func metadataEntry() throws(IMAPSyntaxError) -> String {
        try utf8(astring()).lowercased()
    }
}

extension IMAPResponse {
    /// ```
    /// metadata-resp = "METADATA" SP mailbox SP (entry-values / entry-list)
    /// entry-list    = entry *(SP entry)
    /// ```
    /// RFC 5464 §4.4. Values go as nstring, or literal8 when they hold NUL.
    static func writeMetadata(_ w: inout ResponseWriter, _ name: MailboxName, _ values: [MetadataEntryValue]?, _ entries: [String]) {
        w.atom("* METADATA ")
        w.raw(name.encoded(utf8Enabled: w.utf8Enabled))
        w.space()
        guard let values else {
            for (index, entry) in entries.enumerated() {
                if index > 0 { w.space() }
                w.raw(IMAPString.astring(Array(entry.utf8)))
            }
            return
        }
        w.list(values) { w, item in
            w.raw(IMAPString.astring(Array(item.entry.utf8)))
            w.space()
            guard let value = item.value else { return w.nilAtom() }
            if value.contains(0) {
                w.raw(IMAPString.literal(value, binary: true))
            } else {
                w.raw(IMAPString.responseString(value, utf8Enabled: w.utf8Enabled))
            }
        }
    }
}
