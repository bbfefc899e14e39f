import IMAPProtocol
import StoreAPI

/// STATUS, with SIZE (RFC 8438), HIGHESTMODSEQ (RFC 7162), DELETED (RFC 9051, RFC 9208 §4.1.4),
/// DELETED-STORAGE (RFC 9208 §4.1.4: required with QUOTA=RES-STORAGE) and MAILBOXID (RFC 8474 §4.2).
extension IMAPSession {
    /// The STATUS items answered, for STATUS and LIST … RETURN (STATUS (…)).
    static let statusItemNames = [
        "MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "SIZE", "HIGHESTMODSEQ", "DELETED", "APPENDLIMIT",
        "MAILBOXID",  // RFC 8474 §4.2
        "DELETED-STORAGE",
    ]

    func status(_ name: MailboxName, _ items: [String]) async throws -> Completion {
        guard let box = try await mailbox(named: name, counts: true) else { return .no("No such mailbox", .nonexistent) }
        // RFC 7162 §3.1: STATUS HIGHESTMODSEQ is a CONDSTORE-enabling command.
        if items.contains("HIGHESTMODSEQ") { condstoreActive = true }
        if let unknown = items.first(where: { !Self.statusItemNames.contains($0) }) { return .bad("Unknown STATUS item \(unknown)") }
        try await send(.status(name, try await statusItems(box, items)))
        return .ok("STATUS completed")
    }

    /// The values of `items` for one mailbox, in the order asked.
    func statusItems(_ box: MailboxInfo, _ items: [String]) async throws -> [StatusItem] {
        var deleted: Int?
        var deletedStorage: Int?
        if items.contains("DELETED") || items.contains("DELETED-STORAGE"), let account {
            let marked = try await store.summaries(account, box.id, uids: nil).filter { $0.flags.contains(MessageFlag.deleted) }
            deleted = marked.count
            // What EXPUNGE would free, exactly, in the STORAGE resource's units of 1024
            // octets, rounded up. RFC 9208 §4.1.4, §5.1
            deletedStorage = (marked.reduce(0) { $0 + $1.size } + 1023) / 1024
        }
        return items.compactMap { item -> StatusItem? in
            switch item {
            case "MESSAGES": return StatusItem(item, UInt64(box.messages))
            case "RECENT": return StatusItem(item, UInt64(box.recent))
            case "UIDNEXT": return StatusItem(item, UInt64(box.uidNext))
            case "UIDVALIDITY": return StatusItem(item, UInt64(box.uidValidity))
            case "UNSEEN": return StatusItem(item, UInt64(box.unseen))
            case "SIZE": return StatusItem(item, UInt64(box.size))
            case "HIGHESTMODSEQ": return StatusItem(item, box.highestModSeq)
            case "DELETED": return StatusItem(item, UInt64(deleted ?? 0))
            case "DELETED-STORAGE": return StatusItem(item, UInt64(deletedStorage ?? 0))
            case "APPENDLIMIT": return StatusItem(item, UInt64(settings.maxMessageSize))
            case "MAILBOXID": return box.objectID.map { StatusItem(mailboxID: $0) }
            default: return nil
            }
        }
    }
}
