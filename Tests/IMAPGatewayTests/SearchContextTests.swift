import IMAPProtocol
import StoreAPI
import Testing

@testable import IMAPGateway

/// The result of an updating context and the ADDTO/REMOVEFROM items that keep a client's copy
/// equal to it (RFC 5267 §4.3.3, §4.3.4), and where new messages go in a sorted result.
@Suite("Search contexts")
struct SearchContextTests {
    /// A client's copy of the result after applying `updates` in order, as §4.3.3 and
    /// §4.3.4 say: position 0 means mailbox order (insert) or wherever it is (remove).
    static func apply(_ updates: [ContextUpdate], to list: [UInt32]) -> [UInt32] {
        var list = list
        for update in updates {
            switch (update.kind, update.position) {
            case (.addTo, 0): list = (list + update.numbers).sorted()
            case (.removeFrom, 0): list.removeAll { update.numbers.contains($0) }
            case (.addTo, let position): list.insert(contentsOf: update.numbers, at: Int(position) - 1)
            case (.removeFrom, let position):
                let at = Int(position) - 1
                #expect(Array(list[at..<at + update.numbers.count]) == update.numbers, "removed from where they are")
                list.removeSubrange(at..<at + update.numbers.count)
            }
        }
        return list
    }

    static let sortKeys = [SortKey(.date)]

    @Test("SEARCH: position 0, mailbox order")
    func search() {
        var context = SearchContext(tag: "a", uid: true, query: .noFlag(name: "\\Seen"), order: .mailbox, result: [9, 3, 5])
        #expect(context.result == [3, 5, 9])
        #expect(context.watchesFlags)
        #expect(context.remove([5, 7]) == [ContextUpdate(.removeFrom, position: 0, [5])])
        #expect(context.remove([7]).isEmpty)
        #expect(context.add([12, 4, 3]) == [ContextUpdate(.addTo, position: 0, [4, 12])])
        #expect(context.result == [3, 4, 9, 12])
        #expect(!SearchContext(tag: "b", uid: true, query: .header(name: "FROM", value: "x"), order: .mailbox, result: []).watchesFlags)
        #expect(SearchContext(tag: "c", uid: true, query: .not(.or(.all, .modSeq(atLeast: 4))), order: .mailbox, result: []).watchesFlags)
    }

    @Test("SORT: REMOVEFROM runs at their positions, counting earlier removals")
    func sortRemove() {
        let start: [UInt32] = [8, 2, 7, 1, 9, 4, 6]
        var context = SearchContext(tag: "s", uid: true, query: .all, order: .sorted(Self.sortKeys), result: start)
        let updates = context.remove([2, 7, 9, 6])
        #expect(
            updates == [
                ContextUpdate(.removeFrom, position: 2, [2, 7]), ContextUpdate(.removeFrom, position: 3, [9]),
                ContextUpdate(.removeFrom, position: 4, [6]),
            ])
        #expect(context.result == [8, 1, 4])
        #expect(Self.apply(updates, to: start) == context.result)
    }

    @Test("SORT: ADDTO at final positions, neighbours together")
    func sortInsert() {
        let start: [UInt32] = [8, 2, 7]
        var context = SearchContext(tag: "s", uid: true, query: .all, order: .sorted(Self.sortKeys), result: start)
        // 10 and 11 before everything, 12 between 2 and 7, 13 at the end.
        let updates = context.insert([10, 11, 12, 13], at: [0, 0, 2, 3])
        #expect(
            updates == [
                ContextUpdate(.addTo, position: 1, [10, 11]), ContextUpdate(.addTo, position: 5, [12]),
                ContextUpdate(.addTo, position: 7, [13]),
            ])
        #expect(context.result == [10, 11, 8, 2, 12, 7, 13])
        #expect(Self.apply(updates, to: start) == context.result)
    }

    @Test("Where new messages go: binary search by store sorts of small subsets", arguments: [0, 1, 2, 5, 17, 100])
    func insertionSearch(existing: Int) async throws {
        // A total order standing in for the store's: by a key, then by UID (RFC 5256 §3).
        let key: [UInt32: Int] = Dictionary(uniqueKeysWithValues: (1...200).map { (UInt32($0), ($0 * 37) % 23) })
        func sorted(_ uids: [UInt32]) -> [UInt32] { uids.sorted { (key[$0]!, $0) < (key[$1]!, $1) } }
        let old = sorted((0..<UInt32(existing)).map { $0 + 1 })
        let new = sorted([150, 151, 160, 199, 200].map { $0 })
        var rounds = 0
        var largest = 0
        let places = try await InsertionSearch.places(of: new, in: old) { subset in
            rounds += 1
            largest = max(largest, subset.count)
            return sorted(subset)
        }
        var context = SearchContext(tag: "s", uid: true, query: .all, order: .sorted(Self.sortKeys), result: old)
        let updates = context.insert(new, at: places)
        #expect(context.result == sorted(old + new))
        #expect(Self.apply(updates, to: old) == context.result)
        #expect(rounds <= Int.bitWidth - existing.leadingZeroBitCount)  // ⌈log2(existing + 1)⌉ rounds, never the whole result
        #expect(largest <= 2 * new.count)
    }

    @Test("Feed batches: only the mailbox's changes after the cursor")
    func touches() {
        let changes = [
            Change(modSeq: 4, kind: .added, mailboxID: 1, uid: 1, flags: []),
            Change(modSeq: 5, kind: .added, mailboxID: 1, uid: 2, flags: []),
            Change(modSeq: 6, kind: .added, mailboxID: 2, uid: 3, flags: []),
            Change(modSeq: 7, kind: .flags, mailboxID: 1, uid: 2, flags: ["\\Seen"]),
            Change(modSeq: 8, kind: .expunged, mailboxID: 1, uid: 1, flags: nil),
        ]
        let touched = FeedTouches(changes, mailbox: 1, after: 4)
        #expect(touched.added == [2])
        #expect(touched.flagsChanged == [2])
        #expect(touched.expunged == [1])
    }
}
