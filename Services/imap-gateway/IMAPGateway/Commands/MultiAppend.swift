import IMAPProtocol
import StoreAPI

/// MULTIAPPEND: several messages in one APPEND, stored all or none. RFC 3502.
///
/// ```
/// C: a1 APPEND saved-messages (\Seen) {310}
/// S: + Ready for literal data
/// C: …310 octets… (\Seen) " 7-Feb-1994 22:43:04 -0800" {311}
/// S: + Ready for literal data
/// C: …311 octets…
/// S: a1 OK [APPENDUID 38505 3955:3956] APPEND completed
/// ```
/// RFC 3502 §6.3.11: if any message cannot be appended none is, and the mailbox looks as if
/// the command had not been sent: the checks below come before the store is called, and the
/// store takes the batch in one transaction (`appendMessages`). APPENDUID names the new UIDs as
/// a set, in the order of the messages (RFC 4315 §3). Limits: at most
/// `IMAPDefaults.multiAppendMessages` messages, together no bigger than APPENDLIMIT (one
/// message's limit, RFC 7889), each held in memory — a message over the spool threshold
/// (1 MiB) goes in an APPEND of its own (`NO [TOOBIG]` says so, IMAPSession.command).
extension IMAPSession {
    func multiAppend(_ name: MailboxName, _ messages: [AppendMessage]) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        guard messages.count <= IMAPDefaults.multiAppendMessages else {
            return .no("At most \(IMAPDefaults.multiAppendMessages) messages in one APPEND", .limit)
        }
        var messages = messages
        // RFC 4469: CATENATE's parts become each message's octets before anything is stored.
        if messages.contains(where: { $0.catenate != nil }) {
            switch try await assembleCatenate(messages, into: name, account: account) {
            case .success(let assembled): messages = assembled
            case .failure(let refusal): return refusal
            }
        }
        let total = messages.reduce(0) { $0 + $1.message.count }
        guard total <= settings.maxMessageSize else { return .no("Messages too large together; append fewer at once", .tooBig) }
        guard messages.allSatisfy({ !$0.message.isEmpty }) else { return .no("A message is empty", .cannot) }
        guard let box = try await mailbox(named: name) else {
            // RFC 3502 §6.3.11 as RFC 9051 §6.3.12: TRYCREATE tells the client that CREATE would help.
            return .no("No such mailbox", .tryCreate)
        }
        let batch = messages.map { m in
            AppendBatch.Message(
                raw: m.message, flags: m.flags.map(\.name).filter { $0.lowercased() != "\\recent" },
                internalDate: m.date.map(\.secondsSince1970))
        }
        // RFC 3501 §7.1: new keywords only while the mailbox has room for them, all of them.
        let keywords = Array(Set(batch.flatMap(\.flags)))
        if keywords.contains(where: { !$0.hasPrefix("\\") }), try await !appendKeywordsFit(keywords, account: account, box: box) {
            return Self.keywordLimitRefusal
        }
        let result = try await store.append(batch, account: account, mailbox: box.id)
        return .ok("APPEND completed", .appendUID(uidValidity: result.uidValidity, uids: result.copies.map(\.uid)))
    }
}
