import StoreAPI
import StoreTestSupport
import Testing

@Suite("UID sets")
struct UIDSetTests {
    @Test(
        "parse and resolve",
        arguments: [
            ("1", 10, [1...1]), ("1:3,5", 10, [1...3, 5...5]), ("5:*", 3, [3...5]), ("*", 7, [7...7]),
            ("3:1", 10, [1...3]), ("1:2,2:4,6", 10, [1...4, 6...6]), ("1:*", 0, [0...1]),
        ] as [(String, UInt32, [ClosedRange<UInt32>])])
    func resolve(text: String, largest: UInt32, expected: [ClosedRange<UInt32>]) throws {
        let set = try #require(UIDSet(text))
        #expect(set.resolved(largest: largest) == expected)
        #expect(UIDSet(set.description) == set)
    }

    @Test("refuse what is not a UID set", arguments: ["", "0", "1,", ",1", "a", "1:2:3", "-1", "1 2", "4294967296", "1:0"])
    func invalid(text: String) {
        #expect(UIDSet(text) == nil)
    }
}
