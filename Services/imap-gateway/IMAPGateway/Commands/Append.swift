import IMAPProtocol
import ServiceKit
import StoreAPI

/// APPEND with flags and internal date, answered with APPENDUID. RFC 9051 §6.3.12, RFC 4315.
extension IMAPSession {
    func append(_ name: MailboxName, flags: [Flag], date: IMAPDateTime?, message: [UInt8]) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        let box: MailboxInfo, stored: [String]
        switch try await appendTarget(name, flags: flags, size: appendSpool?.contents.size ?? message.count, account: account) {
        case .success(let target): (box, stored) = target
        case .failure(let refusal): return refusal
        }
        let result: AppendResult
        if let spooled = appendSpool {
            // A big message goes from the spool to the store in pieces, never whole in memory.
            let contents = spooled.contents
            result = try await store.append(
                stream: contents.chunks(), length: contents.size, account: account, mailbox: box.id,
                flags: stored, internalDate: date.map(\.secondsSince1970))
        } else {
            result = try await store.append(
                message, account: account, mailbox: box.id, flags: stored, internalDate: date.map(\.secondsSince1970))
        }
        return .ok("APPEND completed", .appendUID(uidValidity: result.uidValidity, uids: [result.copy.uid]))
    }

    /// APPEND's checks before the store is called (REPLACE's too, RFC 8508 §3.3): the size
    /// against APPENDLIMIT, the target mailbox (`NO [TRYCREATE]` when missing), the flags to
    /// store (`\Recent` dropped) and room for their keywords. The mailbox and flags, or the
    /// refusal.
    func appendTarget(_ name: MailboxName, flags: [Flag], size: Int, account: String) async throws -> Result<
        (MailboxInfo, [String]), Completion
    > {
        guard size <= settings.maxMessageSize else { return .failure(.no("Message too large", .tooBig)) }
        guard size > 0 else { return .failure(.no("The message is empty", .cannot)) }
        guard let box = try await mailbox(named: name) else {
            // RFC 9051 §6.3.12: TRYCREATE tells the client that CREATE would help.
            return .failure(.no("No such mailbox", .tryCreate))
        }
        let stored = flags.map(\.name).filter { $0.lowercased() != "\\recent" }
        // RFC 3501 §7.1: a new keyword only while the mailbox has room for one.
        if stored.contains(where: { !$0.hasPrefix("\\") }), try await !appendKeywordsFit(stored, account: account, box: box) {
            return .failure(Self.keywordLimitRefusal)
        }
        return .success((box, stored))
    }

    /// The keywords of the target mailbox: the selected view's, or the gateway's shared view
    /// of it (opened for the check and kept a while, as after a SELECT).
    func appendKeywordsFit(_ flags: [String], account: String, box: MailboxInfo) async throws -> Bool {
        if let view, view.mailbox.id == box.id { return keywordsFit(flags, in: view) }
        // Another account's mailbox (RFC 4314): `i` need not come with `r`, so no view of it is
        // opened here; the store keeps each message within its keyword limit.
        if SharedNamespace.contains(box.name, delimiter: Self.delimiter) { return true }
        let key = SharedMailboxes.Key(account: account, mailbox: box.id, uidValidity: box.uidValidity)
        let lease: SharedMailboxes.Lease, snapshot: SharedMailboxes.Snapshot
        do {
            (lease, snapshot) = try await shared.open(key)
        } catch SharedMailboxError.gone {
            return true  // deleted meanwhile: the store's answer to the APPEND says so
        }
        await shared.release(lease)
        return keywordsFit(flags, in: MailboxView(mailbox: box, readOnly: false, cursor: snapshot.cursor, base: snapshot.columns))
    }

}
