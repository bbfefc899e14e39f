import POP3Protocol
import TestSupport
import Testing

/// RFC 1939 §7 unique-ids made from UIDVALIDITY and UID: valid, stable, reversible.
@Suite struct UniqueIDTests {
    @Test(arguments: [
        (UInt32(1), UInt32(1), "1.1"),
        (0, 0, "0.0"),
        (1_700_000_000, 42, "1700000000.42"),
        (UInt32.max, UInt32.max, "4294967295.4294967295"),
    ])
    func makesAndParses(uidValidity: UInt32, uid: UInt32, id: String) {
        #expect(UniqueID.make(uidValidity: uidValidity, uid: uid) == id)
        #expect(UniqueID.parse(id) == UniqueID(uidValidity: uidValidity, uid: uid))
        #expect(UniqueID(uidValidity: uidValidity, uid: uid).description == id)
        #expect(UniqueID.isValid(id))
    }

    @Test(arguments: ["", "1", "1.", ".1", "1.2.3", "01.2", "1.02", "+1.2", "-1.2", "1.2 ", "4294967296.1", "1.4294967296", "a.b", "1,2"])
    func refusesOthers(id: String) {
        #expect(UniqueID.parse(id) == nil)
    }

    @Test func validity() {
        #expect(UniqueID.isValid(String(repeating: "~", count: 70)))
        #expect(!UniqueID.isValid(String(repeating: "a", count: 71)))
        #expect(!UniqueID.isValid(""))
        #expect(!UniqueID.isValid("a b"))
        #expect(!UniqueID.isValid("\u{E9}"))
        #expect(!UniqueID.isValid("a\u{7F}"))
    }

    @Test func randomPairsRoundTrip() {
        var generator = SeededGenerator(seed: 70)
        var seen = Set<String>()
        for _ in 0..<5_000 {
            let pair = UniqueID(uidValidity: .random(in: 0...UInt32.max, using: &generator), uid: .random(in: 0...20, using: &generator))
            let id = UniqueID.make(uidValidity: pair.uidValidity, uid: pair.uid)
            #expect(UniqueID.isValid(id) && UniqueID.parse(id) == pair)
            seen.insert(id)
        }
        #expect(seen.count > 4_000)
    }
}
