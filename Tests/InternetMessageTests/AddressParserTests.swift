import InternetMessage
import TestSupport
import Testing

/// RFC 5322 §3.4 addresses (and §4.4 obsolete forms) as RFC 3501 ENVELOPE lists them.
@Suite struct AddressParserTests {
    static let missing = Address.missingHost

    @Test(arguments: [
        ("alice@example.org", [Address(mailbox: "alice", host: "example.org")]),
        ("Alice <alice@example.org>", [Address(name: "Alice", mailbox: "alice", host: "example.org")]),
        ("\"Doe, John\" <j@x.org>", [Address(name: "Doe, John", mailbox: "j", host: "x.org")]),
        ("\"A \\\"B\\\" C\" <a@x>", [Address(name: "A \"B\" C", mailbox: "a", host: "x")]),
        ("John Q. Public <jqp@x.org>", [Address(name: "John Q. Public", mailbox: "jqp", host: "x.org")]),
        ("j@x.org (John Doe)", [Address(name: "John Doe", mailbox: "j", host: "x.org")]),
        ("j (comment) @ x . org", [Address(name: "comment", mailbox: "j", host: "x.org")]),
        ("\"quoted local\"@x.org", [Address(mailbox: "\"quoted local\"", host: "x.org")]),
        ("first . last @ x.org", [Address(mailbox: "first.last", host: "x.org")]),
        ("<j@[192.0.2.1]>", [Address(mailbox: "j", host: "[192.0.2.1]")]),
        ("<@a.org,@b.org:j@c.org>", [Address(adl: "@a.org,@b.org", mailbox: "j", host: "c.org")]),
        ("Name <@a.org:j@c.org>", [Address(name: "Name", adl: "@a.org", mailbox: "j", host: "c.org")]),
        ("a@x, b@y", [Address(mailbox: "a", host: "x"), Address(mailbox: "b", host: "y")]),
        (",, a@x ,,", [Address(mailbox: "a", host: "x")]),
        ("localonly", [Address(mailbox: "localonly", host: missing)]),
        ("=?utf-8?q?J=C3=BCrgen?= <j@x.de>", [Address(name: "=?utf-8?q?J=C3=BCrgen?=", mailbox: "j", host: "x.de")]),
        ("Müller <m@x.de>", [Address(name: "Müller", mailbox: "m", host: "x.de")]),
        ("Unclosed <a@x", [Address(name: "Unclosed", mailbox: "a", host: "x")]),
        ("", []),
        ("<>", []),
        (
            "team: a@x, B <b@y>;",
            [
                Address(mailbox: "team", host: nil), Address(mailbox: "a", host: "x"),
                Address(name: "B", mailbox: "b", host: "y"), Address(mailbox: nil, host: nil),
            ]
        ),
        ("undisclosed-recipients:;", [Address(mailbox: "undisclosed-recipients", host: nil), Address(mailbox: nil, host: nil)]),
        (
            "open group: a@x",
            [Address(mailbox: "open group", host: nil), Address(mailbox: "a", host: "x"), Address(mailbox: nil, host: nil)]
        ),
        (
            "g: a@x;, c@z",
            [
                Address(mailbox: "g", host: nil), Address(mailbox: "a", host: "x"), Address(mailbox: nil, host: nil),
                Address(mailbox: "c", host: "z"),
            ]
        ),
    ])
    func parsesList(input: String, expected: [Address]) {
        #expect(AddressParser.parseList(input) == expected)
    }

    @Test func helpers() {
        let list = AddressParser.parseList("g: a@x;, Local")
        #expect(list[0].isGroupStart && list[2].isGroupEnd)
        #expect(list[1].addressSpec == "a@x" && list[3].addressSpec == "Local")
        #expect(AddressParser.parseMailbox("g: B <b@y>;")?.addressSpec == "b@y")
    }

    @Test func neverHangsOnPunctuation() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("<>@,;:.\"()[]\\ a".utf8)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<24, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            let list = AddressParser.parseList(String(decoding: bytes, as: UTF8.self))
            let starts = list.filter(\.isGroupStart).count
            #expect(starts == list.filter(\.isGroupEnd).count)
        }
    }
}
