import StoreAPI
import StoreClient

/// POP3 read-ahead: the next messages of the maildrop read from the store in one batch call
/// while the client reads this one, so that the next RETR is answered from memory.
///
/// Safe because a maildrop's content is fixed while the session holds its lock (RFC 1939 §8:
/// messages keep their numbers and content; deletions happen only at QUIT, in UPDATE) and a
/// stored message's bytes never change. A message expunged meanwhile by an IMAP session may
/// still be sent from memory, as it would have been had the RETR come a moment earlier.
///
/// Bounded: a window holds at most `windowMessages` messages and `windowBytes` octets, a
/// message larger than the window is never read ahead (RETR streams it from the store in
/// pieces), and messages the client has passed are dropped: at most two windows are held.
struct ReadAhead: Sendable {
    static let windowMessages = 64
    static let windowBytes = 1024 * 1024

    let messages: Int
    let bytes: Int
    /// The maildrop in UID order, as LIST numbers it.
    private var entries: [MaildropEntry] = []
    private var index: [UInt32: Int] = [:]
    /// Messages read ahead, by UID.
    private var held: [UInt32: [UInt8]] = [:]
    /// The batch call in flight.
    private var pending: Task<[UInt32: [UInt8]], Never>?

    init(messages: Int = Self.windowMessages, bytes: Int = Self.windowBytes) {
        self.messages = messages
        self.bytes = bytes
    }

    var isEnabled: Bool { messages > 0 && bytes > 0 }

    /// The maildrop as TRANSACTION began.
    mutating func start(_ maildrop: [MaildropEntry]) {
        entries = maildrop
        index = Dictionary(maildrop.enumerated().map { ($0.element.uid, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    /// The bytes of `uid` when read ahead, or read now with the messages after it (one call);
    /// nil for a message larger than the window or when the store could not answer (the
    /// caller then streams it, and reports the store's failure as before). `keep` leaves it
    /// held (TOP, often followed by RETR of the same message).
    mutating func take(_ uid: UInt32, keep: Bool, reader: Reader) async -> [UInt8]? {
        guard isEnabled, let position = index[uid] else { return nil }
        if held[uid] == nil, let pending {
            held.merge(await pending.value) { current, _ in current }
            self.pending = nil
        }
        // Drop what the client has passed.
        held = held.filter { (index[$0.key] ?? 0) >= position }
        if held[uid] == nil, !keep, entries[position].size <= bytes {
            held.merge(await reader.read(window(from: position))) { current, _ in current }
        }
        return keep ? held[uid] : held.removeValue(forKey: uid)
    }

    /// After sending `uid`: unless a window after it is already held, read the next one in
    /// the background, so that it is there before the client asks (at most two windows held).
    mutating func readAhead(after uid: UInt32, reader: Reader) {
        guard isEnabled, pending == nil, let position = index[uid] else { return }
        var next = position + 1
        while next < entries.count, held[entries[next].uid] != nil { next += 1 }
        guard next < entries.count, next - position <= messages else { return }
        let uids = window(from: next)
        guard !uids.isEmpty else { return }
        pending = Task { await reader.read(uids) }
    }

    /// The UIDs of the window starting at `position`: messages not held, each and all
    /// together within the byte bound; stops at the first too large for the window.
    private func window(from position: Int) -> [UInt32] {
        var uids: [UInt32] = []
        var total = 0
        var at = position
        while at < entries.count, uids.count < messages {
            let entry = entries[at]
            if entry.size > bytes || total + entry.size > bytes { break }
            if held[entry.uid] == nil {
                uids.append(entry.uid)
                total += entry.size
            }
            at += 1
        }
        return uids
    }

    /// Ends the read in flight (the session is over).
    mutating func stop() {
        pending?.cancel()
        pending = nil
        held = [:]
    }

    /// Reads messages of the INBOX in one batch call; what it cannot read is left out.
    struct Reader: Sendable {
        let client: StoreClient
        let account: String
        let inbox: Int64
        let maxBytes: Int

        func read(_ uids: [UInt32]) async -> [UInt32: [UInt8]] {
            guard !uids.isEmpty else { return [:] }
            let request = MessageBatchRequest(
                uids: UIDSet(uids: uids).description, content: .whole, maxBytes: maxBytes)
            guard let page = try? await client.messageBatch(account, mailbox: inbox, request) else { return [:] }
            var out: [UInt32: [UInt8]] = [:]
            for item in page.items where uids.contains(item.summary.uid) { out[item.summary.uid] = item.bytes }
            return out
        }
    }
}
