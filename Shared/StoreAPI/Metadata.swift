import struct Foundation.Data

/// One METADATA entry (RFC 5464 §3.2): its name with its `/private` or `/shared` prefix,
/// lower-cased (entry names are case-insensitive), and its value, base64 in JSON.
///
/// `{"name": "/shared/comment", "value": "SGVsbG8="}`; in a `SetMetadataRequest` an entry
/// without a value removes it (SETMETADATA … NIL, RFC 5464 §4.3).
public struct MetadataEntry: Codable, Sendable, Hashable {
    public var name: String
    public var value: Data?
    public init(name: String, value: Data?) {
        self.name = name
        self.value = value
    }
}

/// `GET /v1/accounts/{account}/metadata?mailbox=ID`: a mailbox's entries (the account's
/// server entries without `mailbox`), sorted by name.
public struct MetadataList: Codable, Sendable, Hashable {
    public var entries: [MetadataEntry]
    public init(entries: [MetadataEntry]) { self.entries = entries }
}

/// `POST /v1/accounts/{account}/metadata`: sets and removes entries of one mailbox (or of
/// the server when `mailboxID` is nil), all or none. An entry that would make the mailbox
/// hold more than `maxEntries` refuses the whole request (`metadata-too-many`, RFC 5464 §4.3
/// `[METADATA TOOMANY]`); the store caps `maxEntries` at `MetadataLimits.entries`.
public struct SetMetadataRequest: Codable, Sendable, Hashable {
    public var mailboxID: Int64?
    public var entries: [MetadataEntry]
    public var maxEntries: Int
    public init(mailboxID: Int64?, entries: [MetadataEntry], maxEntries: Int) {
        self.mailboxID = mailboxID
        self.entries = entries
        self.maxEntries = maxEntries
    }
}

/// The store's own bounds on METADATA, whatever a gateway asks: a gateway sets lower ones.
public enum MetadataLimits {
    /// Entries one mailbox (or the server) may hold.
    public static let entries = 10_000
    /// Octets of one value.
    public static let valueSize = 1024 * 1024
    /// Octets of one entry name.
    public static let nameLength = 1024

    /// RFC 5464 §3.2: `/private/…` or `/shared/…`, no `*` or `%` (list wildcards), no empty
    /// component (`//`, a trailing `/`), only printable ASCII; checked lower-cased.
    public static func isValidEntryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count <= nameLength, name.hasPrefix("/private/") || name.hasPrefix("/shared/") else { return false }
        guard !name.hasSuffix("/"), !name.contains("//") else { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x2A && $0 != 0x25 && !(0x41...0x5A).contains($0) }
    }
}
