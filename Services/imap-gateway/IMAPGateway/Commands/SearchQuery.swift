import IMAPProtocol
import StoreAPI

/// SEARCH keys (RFC 9051 §6.4.4) as the store's typed `MessageQuery`. What only the session
/// knows is settled here: sequence numbers, `*` and `$` (RFC 5182 §2.1) become the UIDs they
/// mean in its view, and `\Recent` (RFC 3501 §2.3.2) the messages recent in this session
/// (Session/Recent.swift): RECENT and `KEYWORD \Recent` match them, NEW those of them without
/// \Seen, OLD the others (RFC 3501 §6.4.4). An IMAP4rev2 session has none recent.
extension IMAPSession {
    static func messageQuery(_ key: SearchKey, view: MailboxView, saved: [UInt32]?) -> MessageQuery {
        func set(_ uids: [UInt32]) -> MessageQuery {
            uids.isEmpty ? .not(.all) : .uids(set: UIDSetCompression.sorted(uids))
        }
        func day(_ date: IMAPDate) -> String {
            func pad(_ n: Int, _ width: Int) -> String {
                let digits = String(n)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
        }
        func isRecent(_ flag: Flag) -> Bool { flag.name.lowercased() == "\\recent" }
        // Only the keys that ask build the set: most searches do not.
        func recent() -> MessageQuery { set(view.recent.sorted()) }
        switch key {
        case .all: return .all
        case .recent: return recent()
        case .old: return .not(recent())
        case .new: return .and([recent(), .noFlag(name: MessageFlag.seen)])
        case .flag(let flag): return isRecent(flag) ? recent() : .flag(name: flag.name)
        case .noFlag(let flag): return isRecent(flag) ? .not(recent()) : .noFlag(name: flag.name)
        case .before(let date): return .arrival(DayComparison(.before, day: day(date)))
        case .on(let date): return .arrival(DayComparison(.on, day: day(date)))
        case .since(let date): return .arrival(DayComparison(.since, day: day(date)))
        case .sentBefore(let date): return .sent(DayComparison(.before, day: day(date)))
        case .sentOn(let date): return .sent(DayComparison(.on, day: day(date)))
        case .sentSince(let date): return .sent(DayComparison(.since, day: day(date)))
        case .larger(let size): return .larger(size: size)
        case .smaller(let size): return .smaller(size: size)
        case .header(let name, let value): return .header(name: name.uppercased(), value: value)
        case .body(let text): return .body(text: text)
        case .text(let text): return .text(text: text)
        case .modSeq(let modSeq): return .modSeq(atLeast: modSeq)
        case .sequence(.lastCommand), .uid(.lastCommand):
            return set((saved ?? []).filter { view.sequence(of: $0) != nil })
        case .sequence(let sequences):
            let count = UInt32(view.count)
            return set(view.uids.enumerated().filter { sequences.contains(UInt32($0.offset + 1), largest: count) }.map(\.element))
        case .uid(let uids):
            let largest = view.largestUID
            return set(view.uids.filter { uids.contains($0, largest: largest) })
        // RFC 8514 §5: every mailbox keeps save dates.
        case .saveDateSupported: return .all
        // Settled into UIDs before (SearchObjectKeys.swift); unsettled they match nothing.
        case .emailID, .threadID, .savedBefore, .savedOn, .savedSince: return .not(.all)
        case .not(let inner): return .not(messageQuery(inner, view: view, saved: saved))
        case .or(let a, let b): return .or(messageQuery(a, view: view, saved: saved), messageQuery(b, view: view, saved: saved))
        case .and(let keys): return .and(keys.map { messageQuery($0, view: view, saved: saved) })
        }
    }
}
