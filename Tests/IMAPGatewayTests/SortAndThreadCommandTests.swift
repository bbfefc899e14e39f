import Foundation
import Testing

@testable import IMAPGateway

/// SORT, UID SORT, THREAD and UID THREAD: selected state only. RFC 5256 §3, §4; RFC 5957
/// (DISPLAYFROM); RFC 5267 §3.2 (ESORT) and §4.4 (PARTIAL). The messages are SearchTests'.
@Suite("SORT and THREAD")
struct SortAndThreadCommandTests {
    /// The numbers of the untagged line that starts with `prefix`.
    static func numbers(
        _ t: IMAPTranscript, _ tag: String, _ command: String, _ prefix: String = "* SORT",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> [Int] {
        let out = await t.send("\(tag) \(command)", last: "\(tag) OK", sourceLocation: sourceLocation)
        guard let found = line(out, startingWith: prefix) else {
            Issue.record("no \(prefix) in \(out)", sourceLocation: sourceLocation)
            return []
        }
        return found.split(separator: " ").dropFirst(2).compactMap { Int($0) }
    }

    @Test("Outside the selected state SORT and THREAD are BAD")
    func wrongState() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 SORT (DATE) UTF-8 ALL", last: "a1 BAD")
        await t.send("a2 UID THREAD REFERENCES UTF-8 ALL", last: "a2 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("SORT by every criterion, REVERSE, a search, UID SORT")
    func sort() async throws {
        let t = try await SearchTests.setUp()
        #expect(await Self.numbers(t, "a1", "SORT (FROM) UTF-8 ALL") == [1, 4, 2, 3, 5])  // ana ana bob carol dave
        #expect(await Self.numbers(t, "a2", "SORT (SUBJECT) UTF-8 ALL") == [3, 5, 2, 1, 4])  // Café Hello Lunch Quarterly Report
        #expect(await Self.numbers(t, "a3", "SORT (DISPLAYFROM) UTF-8 ALL") == [1, 4, 2, 3, 5])  // Ana, ana@…, bob@…, Carol, dave@…
        #expect(await Self.numbers(t, "a4", "SORT (REVERSE ARRIVAL) UTF-8 ALL") == [5, 4, 3, 2, 1])
        #expect(await Self.numbers(t, "a5", "SORT (REVERSE DATE) UTF-8 SEEN") == [3, 1])
        #expect(await Self.numbers(t, "a6", "SORT (SIZE) US-ASCII DELETED") == [4])
        #expect(await Self.numbers(t, "a7", "UID SORT (FROM REVERSE SUBJECT) UTF-8 ALL") == [4, 1, 2, 3, 5])
        let empty = await t.send("a8 SORT (DATE) UTF-8 DRAFT", last: "a8 OK")
        #expect(untagged(empty) == ["* SORT"])
        await t.send("a9 SORT (DATE) KOI8-R ALL", expect: [], last: "a9 NO [BADCHARSET")
        await t.send("b1 SORT (NOPE) UTF-8 ALL", last: "b1 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("ESORT: MIN and MAX in sort order, ALL in sort order, PARTIAL")
    func esort() async throws {
        let t = try await SearchTests.setUp()
        await t.send(
            "a1 SORT RETURN (MIN MAX COUNT ALL) (SUBJECT) UTF-8 ALL",
            expect: ["* ESEARCH (TAG \"a1\") MIN 3 MAX 4 COUNT 5 ALL 3,5,2,1,4"], last: "a1 OK")
        await t.send(
            "a2 UID SORT RETURN (PARTIAL 2:3) (SUBJECT) UTF-8 ALL", expect: ["* ESEARCH (TAG \"a2\") UID PARTIAL (2:3 5,2)"],
            last: "a2 OK")
        await t.send("a3 SORT RETURN (PARTIAL 9:12) (DATE) UTF-8 ALL", expect: ["* ESEARCH (TAG \"a3\") PARTIAL (9:12 NIL)"], last: "a3 OK")
        await t.send("a4 SORT RETURN () (DATE) UTF-8 SEEN", expect: ["* ESEARCH (TAG \"a4\") ALL 1,3"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("THREAD ORDEREDSUBJECT and REFERENCES")
    func thread() async throws {
        let t = try await SearchTests.setUp()
        await t.send("a1 THREAD ORDEREDSUBJECT UTF-8 ALL", expect: ["* THREAD (1)(2)(3)(4)(5)"], last: "a1 OK")
        await t.send("a2 UID THREAD REFERENCES UTF-8 SEEN", expect: ["* THREAD (1)(3)"], last: "a2 OK")
        await t.send("a3 THREAD REFERENCES UTF-8 DRAFT", expect: ["* THREAD"], last: "a3 OK")
        await t.send("a4 THREAD NOSUCH UTF-8 ALL", last: "a4 BAD")
        await t.close()
        await t.store.stop()
    }
}
