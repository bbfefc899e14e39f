import IMAPProtocol
import StoreAPI

/// The flags a mailbox offers: the system flags and every keyword in use, told at SELECT and
/// again whenever a new keyword appears — by this session's STORE or APPEND, or another
/// session's on any gateway, heard from the change feed — as an untagged FLAGS followed by
/// PERMANENTFLAGS in an OK (as Dovecot does). RFC 3501 §7.2.6, §7.1; RFC 9051 §7.3.5, §7.1.
///
/// A mailbox holds at most `maxMailboxKeywords` distinct keywords: once full, `\*` leaves
/// PERMANENTFLAGS and a STORE or APPEND that would add another is refused (RFC 3501 §7.1:
/// `\*` says new keywords may be created).
extension IMAPSession {
    static let systemFlags = ["\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"]

    /// `* FLAGS (…)` and `* OK [PERMANENTFLAGS (…)]` for the selected mailbox.
    func sendFlagLists() async throws {
        guard let view else { return }
        let all = Self.systemFlags + view.keywords
        try await send(.flags(all))
        if view.readOnly {
            try await send(.untagged(.ok, .permanentFlags([]), "No permanent flags permitted"))
        } else {
            let full = view.keywords.count >= settings.maxMailboxKeywords
            var permanent = full ? all : all + ["\\*"]
            // RFC 4314 §4: in a shared mailbox, only what the rights let this user store.
            if let rights = sharedSelection?.rights {
                permanent = permanent.filter { flag in
                    switch flag.lowercased() {
                    case "\\seen": rights.contains(.seen)
                    case "\\deleted": rights.contains(.deleteMessage)
                    default: rights.contains(.write)
                    }
                }
            }
            try await send(.untagged(.ok, .permanentFlags(permanent), full ? "Keyword limit reached" : "Flags permitted"))
        }
    }

    /// Whether adding `flags` to messages of a mailbox whose keywords are `known` stays within
    /// the limit.
    func keywordsFit(_ flags: [String], in known: MailboxView) -> Bool {
        let new = known.newKeywords(flags)
        return new == 0 || known.keywords.count + new <= settings.maxMailboxKeywords
    }

    /// The refusal of a STORE or APPEND that would pass the limit. RFC 5530 §3 LIMIT
    static let keywordLimitRefusal = Completion.no("Too many keywords in this mailbox", .limit)

    /// The selected mailbox's view learns the keywords of flags the client is about to be
    /// told; when one is new, FLAGS and PERMANENTFLAGS go first (RFC 3501 §7.2.6: the client
    /// knows every flag it sees in a FETCH).
    func announceKeywords(in flags: [[String]]) async throws {
        guard view != nil else { return }
        var added = false
        for set in flags where self.view?.learnKeywords(set) == true { added = true }
        if added { try await sendFlagLists() }
    }
}
