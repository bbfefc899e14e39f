import Foundation
import IMAPProtocol
import StoreAPI
import StoreClient

/// GETMETADATA and SETMETADATA: authenticated and selected states. RFC 5464 §4.2, §4.3
/// (METADATA and METADATA-SERVER).
///
/// ```
/// C: a1 SETMETADATA INBOX (/private/comment "My own comment")
/// S: a1 OK SETMETADATA completed
/// C: a2 GETMETADATA (DEPTH infinity) "" /shared
/// S: * METADATA "" (/shared/admin "mailto:postmaster@example.org" /shared/comment "Hello")
/// S: a2 OK GETMETADATA completed
/// ```
/// Mailbox `""` is the server (§3.2.1); its entries are kept per account, as Dovecot keeps
/// them, so a user's server comment is theirs and its changes come through the account's
/// change feed (NOTIFY ServerMetadataChange). `/shared/admin` comes from configuration
/// (`BUZON_IMAP_METADATA_ADMIN`) and cannot be set. Private and shared entries are both kept,
/// so `[METADATA NOPRIVATE]` never applies; on a mailbox another user shares (RFC 4314), the
/// store gives the owner's `/shared` entries and the reader's own `/private` ones, reading with
/// `r` and setting `/shared` with `w` (RFC 5464 §3.3; refused `NO [NOPERM]`).
extension IMAPSession {
    static let serverAdminEntry = "/shared/admin"

    func getMetadata(_ name: MailboxName, _ entries: [String], _ options: MetadataOptions) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        // `/private` and `/shared` alone are roots to read below with DEPTH (RFC 5464 §4.2.2).
        guard entries.allSatisfy({ ["/private", "/shared"].contains($0) || MetadataLimits.isValidEntryName($0) }) else {
            return .bad("Invalid entry name")
        }
        var stored: [MetadataEntry]
        if name.name.isEmpty {
            stored = try await store.metadata(account, mailbox: nil)
            if let admin = settings.metadataAdmin { stored.append(MetadataEntry(name: Self.serverAdminEntry, value: Data(admin.utf8))) }
        } else {
            guard let box = try await mailbox(named: name) else { return .no("No such mailbox", .nonexistent) }
            stored = try await store.metadata(account, mailbox: box.id)
        }
        var found: [MetadataEntryValue] = []
        var seen: Set<String> = []
        var longest: UInt32?
        for entry in stored where entries.contains(where: { Self.metadata(entry.name, matches: $0, depth: options.depth) }) {
            guard seen.insert(entry.name).inserted, let value = entry.value else { continue }
            // RFC 5464 §4.2.1: values over MAXSIZE are left out, the longest one named.
            if let maxSize = options.maxSize, value.count > Int(maxSize) {
                longest = max(longest ?? 0, UInt32(clamping: value.count))
                continue
            }
            found.append(MetadataEntryValue(entry.name, Array(value)))
        }
        // RFC 5464 §4.2: entries that do not exist are not returned.
        if !found.isEmpty { try await send(.metadata(name, found.sorted { $0.entry < $1.entry })) }
        if let longest { return .ok("GETMETADATA completed", .metadata(.longEntries(longest))) }
        return .ok("GETMETADATA completed")
    }

    /// DEPTH 0: the entry itself; 1: and its children; infinity: and every descendant. RFC 5464 §4.2.2
    static func metadata(_ entry: String, matches asked: String, depth: MetadataOptions.Depth) -> Bool {
        if entry == asked { return true }
        guard depth != .zero, entry.hasPrefix(asked + "/") else { return false }
        return depth == .infinity || !entry.dropFirst(asked.count + 1).contains("/")
    }

    func setMetadata(_ name: MailboxName, _ values: [MetadataEntryValue]) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        guard values.allSatisfy({ MetadataLimits.isValidEntryName($0.entry) }) else { return .bad("Invalid entry name") }
        var mailboxID: Int64?
        if name.name.isEmpty {
            if values.contains(where: { $0.entry == Self.serverAdminEntry }) {
                return .no("/shared/admin is set by the administrator", .noPerm)
            }
        } else {
            guard let box = try await mailbox(named: name) else { return .no("No such mailbox", .nonexistent) }
            mailboxID = box.id
        }
        // RFC 5464 §4.3: a value too large refuses the command, naming the limit.
        if values.contains(where: { ($0.value?.count ?? 0) > settings.metadataMaxSize }) {
            return .no("Value too large", .metadata(.maxSize(UInt32(clamping: settings.metadataMaxSize))))
        }
        // The last value given for an entry is the one kept.
        var last: [String: Int] = [:]
        for (index, value) in values.enumerated() { last[value.entry] = index }
        let entries = values.enumerated().filter { last[$0.element.entry] == $0.offset }.map {
            MetadataEntry(name: $0.element.entry, value: $0.element.value.map { Data($0) })
        }
        do {
            try await store.setMetadata(
                account, SetMetadataRequest(mailboxID: mailboxID, entries: entries, maxEntries: settings.metadataMaxEntries))
        } catch let error as StoreClientError where error.code == APIErrorCode.metadataTooMany {
            return .no("Too many entries", .metadata(.tooMany))  // RFC 5464 §4.3
        } catch let error as StoreClientError where error.code == APIErrorCode.mailboxNotFound {
            return .no("No such mailbox", .nonexistent)
        }
        return .ok("SETMETADATA completed")
    }
}
