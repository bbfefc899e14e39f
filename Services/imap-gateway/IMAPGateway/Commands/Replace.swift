import IMAPProtocol
import StoreAPI

/// REPLACE and UID REPLACE: a new message appended in place of one in the selected mailbox.
/// State: selected. RFC 8508 §3.3, §3.4.
///
/// ```
/// C: A003 REPLACE 4 Drafts (\Seen \Draft) {312}
/// S: + Ready for literal data
/// C: …312 octets…
/// S: * OK [APPENDUID 1 2000] Replacement Message ID
/// S: * 4 EXPUNGE
/// S: A003 OK REPLACE completed
/// ```
/// Append first, expunge after: the new message goes in through APPEND's own path (its
/// checks, TRYCREATE, APPENDUID), and only once the store has committed it is the old one
/// expunged, by UID. An append that fails leaves the old message where it was (RFC 8508 §3.3:
/// the server MUST NOT expunge it then); a failure of the expunge after a successful append
/// leaves both — the message is never lost, at worst kept twice. EXISTS for a replacement in
/// the selected mailbox and the EXPUNGE come from the change feed before the tagged OK.
extension IMAPSession {
    func replace(_ number: UInt32, _ target: MailboxName, _ message: AppendMessage, uid: Bool) async throws -> Completion {
        guard account != nil, let view else { return .bad("No mailbox selected") }
        // RFC 8508 §3.3: REPLACE expunges, which a read-only mailbox does not allow.
        if view.readOnly { return .no("Mailbox is read-only", .readOnly) }
        // A shared mailbox without t and e: refused before the new message is stored, not after.
        if let rights = sharedSelection?.rights, !rights.contains([.deleteMessage, .expunge]) {
            return .no("Permission denied", .noPerm)
        }
        let old: UInt32
        switch view.resolve(.ranges([.init(number)]), uid: uid, saved: nil) {
        case .uids(let found) where found.count == 1 && !view.isExpunged(found[0]):
            old = found[0]
        case .outOfRange:
            return .bad("Invalid message number")  // RFC 9051 §6.4.1
        default:
            return .no("No such message", .nonexistent)
        }
        let appended = try await append(target, flags: message.flags, date: message.date, message: message.message)
        guard appended.status == .ok, case .appendUID? = appended.code else { return appended }
        // RFC 8508 §3.3: the APPENDUID goes in an untagged OK, the tagged OK is the command's.
        try await send(.untagged(.ok, appended.code, "Replacement Message ID"))
        guard let account = self.account, let current = self.view, current.mailbox.id == view.mailbox.id else {
            return .no("Mailbox closed before the message was replaced", .serverBug)
        }
        _ = try await store.expunge(account, mailbox: current.mailbox.id, ExpungeRequest(uids: String(old), onlyDeleted: false))
        return .ok(uid ? "UID REPLACE completed" : "REPLACE completed")
    }
}

extension IMAPCommand.Kind {
    /// A command whose one message may be spooled when too big to hold: APPEND, and REPLACE
    /// (RFC 8508 §3.3: its message is an APPEND's).
    var appendsOneMessage: Bool {
        switch self {
        case .append, .replace: return true
        default: return false
        }
    }
}
