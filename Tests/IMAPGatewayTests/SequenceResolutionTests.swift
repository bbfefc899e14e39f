import IMAPProtocol
import StoreAPI
import TestSupport
import Testing

@testable import IMAPGateway

/// A message sequence set resolved against the view (RFC 9051 §6.4.1 / §9 `sequence-set`):
/// ranges in any order and direction, overlapping, `*`, beyond the mailbox. Checked against
/// the plain reading — every number of every range, once, ascending.
@Suite("Sequence sets resolved against the view")
struct SequenceResolutionTests {
    static func view(uids: [UInt32]) -> MailboxView {
        var columns = MessageColumns()
        for (n, uid) in uids.enumerated() { columns.upsert(uid: uid, modSeq: UInt64(n + 1), flags: []) }
        let box = MailboxInfo(
            id: 1, name: "INBOX", specialUse: nil, subscribed: true, uidValidity: 1, uidNext: (uids.last ?? 0) + 1,
            highestModSeq: UInt64(uids.count), messages: uids.count, unseen: 0, recent: 0, size: 0)
        return MailboxView(mailbox: box, readOnly: false, cursor: UInt64(uids.count), base: columns)
    }

    @Test("random sets give what reading every range number by number gives")
    func randomSets() throws {
        var rng = SeededGenerator(seed: 41)
        for _ in 0..<300 {
            let count = Int(rng.next() % 40)
            var uid: UInt32 = 0
            let uids = (0..<count).map { _ in
                uid += 1 + UInt32(rng.next() % 3)
                return uid
            }
            let view = Self.view(uids: uids)
            let numbers = (0..<(1 + rng.next() % 4)).map { _ -> String in
                func number() -> String { rng.next() % 6 == 0 ? "*" : String(1 + rng.next() % UInt64(count + 3)) }
                return rng.next() % 2 == 0 ? number() : "\(number()):\(number())"
            }
            let text = numbers.joined(separator: ",")
            let set = try SequenceSet(parsing: text)
            var want = Set<Int>()
            var outside = false
            for part in numbers {
                let ends = part.split(separator: ":").map { $0 == "*" ? count : Int($0)! }
                let low = ends.min()!, high = ends.max()!
                if high > count || low == 0 { outside = true }
                if !outside { want.formUnion(low...high) }
            }
            let got = view.resolve(set, uid: false, saved: nil)
            if outside {
                let star = count == 0 && numbers.contains { $0.split(separator: ":").contains("*") }
                // An empty mailbox answers `*` with nothing; any other number beyond it is BAD.
                if !star { #expect(got == .outOfRange, "\(text) of \(count)") }
            } else {
                #expect(got == .uids(want.sorted().map { uids[$0 - 1] }), "\(text) of \(count)")
            }
        }
    }
}
