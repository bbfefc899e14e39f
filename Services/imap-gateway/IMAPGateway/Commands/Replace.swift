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
/// One store call (`replaceMessage`): the store appends the new message and expunges the old
/// one in one transaction, so a refusal of either (rights, quota, a target gone) leaves the old
/// message where it was (RFC 8508 §3.3: not expunged when the append fails) and no failure in
/// between leaves both. The quota is checked on the net change (RFC 9208 §4.3): a draft saved
/// again at a full MESSAGE quota fits. The new message is APPEND's: the same checks
/// (`appendTarget`: APPENDLIMIT, `NO [TRYCREATE]`, keywords), a big one spooled and streamed,
/// and CATENATE (RFC 4469, part of RFC 8508 §6's append-message) assembled as for APPEND, its
/// relative URLs against the target mailbox. EXISTS for a replacement in the selected mailbox
/// and the EXPUNGE come from the change feed before the tagged OK.
extension IMAPSession {
    func replace(_ number: UInt32, _ target: MailboxName, _ message: AppendMessage, uid: Bool) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        // RFC 8508 §3.3: REPLACE expunges, which a read-only mailbox does not allow.
        if view.readOnly { return .no("Mailbox is read-only", .readOnly) }
        // A shared mailbox without t and e: refused before the new message is read or assembled
        // (the store checks the same, RFC 4314 §4).
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
        var message = message
        if message.catenate != nil {
            // CATENATE's parts are held, as in a MULTIAPPEND; a part too big to hold was spooled.
            guard appendSpool == nil else { return .no("A CATENATE part over 1 MiB is not taken; send the message whole", .tooBig) }
            // RFC 4469 §3: BADURL, TOOBIG, as for APPEND.
            switch try await assembleCatenate([message], into: target, account: account) {
            case .success(let assembled): message = assembled[0]
            case .failure(let refusal): return refusal
            }
        }
        let box: MailboxInfo, flags: [String]
        let size = appendSpool?.contents.size ?? message.message.count
        switch try await appendTarget(target, flags: message.flags, size: size, account: account) {
        case .success(let found): (box, flags) = found
        case .failure(let refusal): return refusal
        }
        let date = message.date.map(\.secondsSince1970)
        let result: ReplaceResult
        if let spooled = appendSpool {
            // A big message goes from the spool to the store in pieces, never whole in memory.
            let contents = spooled.contents
            result = try await store.replace(
                stream: contents.chunks(), length: contents.size, account: account, mailbox: view.mailbox.id, uid: old,
                target: box.id, flags: flags, internalDate: date)
        } else {
            result = try await store.replace(
                message.message, account: account, mailbox: view.mailbox.id, uid: old, target: box.id, flags: flags,
                internalDate: date)
        }
        // RFC 8508 §3.3: the APPENDUID goes in an untagged OK, the tagged OK is the command's.
        try await send(.untagged(.ok, .appendUID(uidValidity: result.uidValidity, uids: [result.copy.uid]), "Replacement Message ID"))
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
