import MessageSearch
import StoreAPI

/// SEARCH of flags only (`SEARCH UNSEEN`, `DELETED`, `KEYWORD x`, with UID and sequence sets,
/// NOT, OR): answered from the flags the session's view holds once the feed is read, as FETCH
/// of flags is (Fetch.swift) — the store's answer would be no fresher, and asking it cost a
/// store search per command in the IMAP command mix. Anything else goes to the store.
extension MailboxView {
    /// The UIDs among `uids` that match, in their order; nil when the query asks about more
    /// than flags and UIDs. Flags compare without ASCII case, by the store's own comparison.
    func flagSearch(_ query: MessageQuery, among uids: [UInt32]) -> [UInt32]? {
        guard let test = Self.flagTest(query, largest: largestUID) else { return nil }
        return uids.filter { uid in test(uid, flags(of: uid) ?? []) }
    }

    /// Whether the query asks only about flags and UIDs.
    static func asksOnlyFlags(_ query: MessageQuery) -> Bool { flagTest(query, largest: 0) != nil }

    private typealias FlagTest = (UInt32, [String]) -> Bool

    private static func flagTest(_ query: MessageQuery, largest: UInt32) -> FlagTest? {
        switch query {
        case .all:
            return { _, _ in true }
        case .flag(let name):
            let name = SearchText.asciiLowercased(name)
            return { _, flags in flags.contains { SearchText.asciiEqual($0, name) } }
        case .noFlag(let name):
            let name = SearchText.asciiLowercased(name)
            return { _, flags in !flags.contains { SearchText.asciiEqual($0, name) } }
        case .uids(let text):
            guard let set = UIDSet(text) else { return nil }
            let ranges = set.resolved(largest: largest)
            return { uid, _ in ranges.contains { $0.contains(uid) } }
        case .not(let inner):
            guard let test = flagTest(inner, largest: largest) else { return nil }
            return { !test($0, $1) }
        case .or(let a, let b):
            guard let first = flagTest(a, largest: largest), let second = flagTest(b, largest: largest) else { return nil }
            return { first($0, $1) || second($0, $1) }
        case .and(let queries):
            var tests: [FlagTest] = []
            for query in queries {
                guard let test = flagTest(query, largest: largest) else { return nil }
                tests.append(test)
            }
            return { uid, flags in tests.allSatisfy { $0(uid, flags) } }
        default:
            return nil
        }
    }
}
