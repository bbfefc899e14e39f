import MessageThreading
import StoreAPI
import Testing

/// RFC 5256 §3 and RFC 5957 §3: the values SORT compares.
@Suite struct SortValueTests {
    @Test(arguments: [
        ("\"Ann B\" <Ann.B@x.org>, c@y", "ANN.B"),
        ("c@y", "C"),
        ("team: Zed <z@x>;, a@b", "Z"),  // a group's member is an address
        ("undisclosed-recipients:;", ""),
        ("", ""),
    ])
    func addressMailbox(_ field: String, _ expected: String) {
        #expect(SortValue.addressMailbox(field) == UnicodeCasemap.key(expected))
    }

    @Test(arguments: [
        ("\"Ann B\" <ann@x.org>", "Ann B"),
        ("<ann@x.org>", "ann@x.org"),
        ("ann@x.org", "ann@x.org"),
        ("\"\" <ann@x.org>", "ann@x.org"),  // an empty display name
        ("=?utf-8?q?J=C3=BCrgen?= <j@x.de>", "Jürgen"),
        ("=?iso-8859-1?q?=C9mile?= <e@x.fr>, b@y", "Émile"),
        ("localonly", "localonly"),
        ("", ""),
    ])
    func display(_ field: String, _ expected: String) {
        #expect(SortValue.display(field) == UnicodeCasemap.key(expected))
    }

    @Test func missingFieldsAreEmpty() {
        #expect(SortValue.addressMailbox(nil) == "")
        #expect(SortValue.display(nil) == "")
        #expect(SortValue.subject(nil) == "")
    }

    /// RFC 5256 §2.2: the Date: field in UTC; the internal date when it is missing or broken.
    @Test func sentDate() {
        #expect(SortValue.sentDate("Thu, 01 Jan 1970 01:00:00 +0100", internalDate: 99) == 0)
        #expect(SortValue.sentDate("Wed, 31 Dec 1969 19:00:00 -0500", internalDate: 99) == 0)
        #expect(SortValue.sentDate(nil, internalDate: 99) == 99)
        #expect(SortValue.sentDate("not a date", internalDate: 99) == 99)
    }
}

/// RFC 5256 §3: SORT's order, REVERSE, and ties in mailbox order.
@Suite struct MessageSorterTests {
    static let messages = [
        SortableMessage(
            uid: 1, arrival: 300, size: 30, date: "Mon, 2 Jan 2023 10:00:00 +0000", from: "bob@x", to: "Zed <z@x>", cc: nil,
            subject: "Re: beta"),
        SortableMessage(
            uid: 2, arrival: 100, size: 10, date: "Mon, 2 Jan 2023 09:00:00 -0200", from: "Alice <alice@x>", to: "y@x",
            cc: "c@x", subject: "alpha"),
        SortableMessage(
            uid: 3, arrival: 200, size: 20, date: nil, from: "CAROL@x", to: "Amy <x@x>", cc: "b@x", subject: "[list] Beta"),
        SortableMessage(uid: 4, arrival: 200, size: 20, date: "garbage", from: nil, to: nil, cc: nil, subject: nil),
    ]

    @Test(arguments: [
        ([SortKey(.arrival)], [UInt32]([2, 3, 4, 1])),
        ([SortKey(.arrival, reverse: true)], [1, 3, 4, 2]),  // ties stay in mailbox order
        ([SortKey(.size)], [2, 3, 4, 1]),
        ([SortKey(.date)], [3, 4, 1, 2]),  // 3 and 4 fall back to arrival (200 s); 2 is 11:00 UTC
        ([SortKey(.from)], [4, 2, 1, 3]),  // missing first; local parts, case folded
        ([SortKey(.to)], [4, 3, 2, 1]),
        ([SortKey(.cc)], [1, 4, 3, 2]),
        ([SortKey(.displayFrom)], [4, 2, 1, 3]),
        ([SortKey(.displayTo)], [4, 3, 2, 1]),  // Amy, y@x, Zed
        ([SortKey(.subject)], [4, 2, 1, 3]),  // "", alpha, beta (1 and 3 tie, UID order)
        ([SortKey(.subject, reverse: true)], [1, 3, 2, 4]),
        ([SortKey(.subject), SortKey(.arrival, reverse: true)], [4, 2, 1, 3]),
        ([SortKey(.subject), SortKey(.size, reverse: true)], [4, 2, 1, 3]),
        ([SortKey(.subject), SortKey(.size)], [4, 2, 3, 1]),
    ])
    func order(_ criteria: [SortKey], _ expected: [UInt32]) {
        #expect(MessageSorter.sort(Self.messages, by: criteria) == expected)
    }
}

/// RFC 5322 §3.6.4 msg-ids as THREAD=REFERENCES reads them.
@Suite struct MessageIDsTests {
    @Test(arguments: [
        ("<a@x> (comment) <b@y>", ["a@x", "b@y"]),
        ("<a @ x>", ["a@x"]),
        ("<a@x>\r\n <b@y>", ["a@x", "b@y"]),
        ("<no-at> <@x> <a@> <c@z>", ["c@z"]),
        ("no brackets a@x", []),
        ("<A@X> <a@x>", ["A@X", "a@x"]),  // case kept: ids compare case-sensitively
    ])
    func parse(_ field: String, _ expected: [String]) {
        #expect(MessageIDs.parse(field) == expected)
    }
}
