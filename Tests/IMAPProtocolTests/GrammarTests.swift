import IMAPProtocol
import TestSupport
import Testing

/// The grammar primitives of RFC 9051 §9: strings, mailbox names, flags, sequence sets, dates.
@Suite struct StringTests {
    /// (wire, value): astring forms. RFC 9051 §9
    static let astrings: [(String, String)] = [
        ("alice", "alice"), ("\"pass word\"", "pass word"), ("\"a\\\"b\"", "a\"b"), ("\"a\\\\b\"", "a\\b"),
        ("\"\"", ""), ("x]y", "x]y"), ("\"müller\"", "müller"), ("NIL", "NIL"),
    ]

    @Test(arguments: astrings) func parsesAstring(_ wire: String, _ value: String) throws {
        #expect(try IMAPString.parse(bytes(wire)) == bytes(value))
    }

    @Test(arguments: ["\"abc", "\"a\\b\"", "a b", "(x", "\"a\rb\"", "", "a%", "{3}"])
    func refusesBadAstring(_ wire: String) {
        #expect(throws: IMAPSyntaxError.self) { try IMAPString.parse(bytes(wire)) }
    }

    @Test func nstring() throws {
        #expect(try IMAPString.parse(bytes("NIL"), allowNil: true) == nil)
        #expect(try IMAPString.parse(bytes("nil"), allowNil: true) == nil)
        #expect(try IMAPString.parse(bytes("\"NIL\""), allowNil: true) == bytes("NIL"))
        #expect(IMAPString.nstring(bytes("NIL")) == bytes("\"NIL\""))
        #expect(IMAPString.nstring(nil) == bytes("NIL"))
    }

    @Test(arguments: ["alice", "pass word", "a\"b\\c", "", "müller", "x]y", "日本語", String(repeating: "z", count: 2000)])
    func astringRoundTrip(_ value: String) throws {
        let wire = IMAPString.astring(bytes(value))
        if value.count > IMAPString.maxQuotedLength {
            #expect(wire.starts(with: bytes("{2000}\r\n")))
        } else {
            #expect(try IMAPString.parse(wire) == bytes(value))
        }
    }

    @Test func controlsAndInvalidUTF8GoAsLiterals() {
        #expect(IMAPString.string(bytes("a\r\nb")) == bytes("{4}\r\na\r\nb"))
        #expect(IMAPString.string([0xFF]) == [0x7B, 0x31, 0x7D, 0x0D, 0x0A, 0xFF])
        #expect(IMAPString.literal(bytes("ab"), style: .nonSynchronizing) == bytes("{2+}\r\nab"))
        #expect(IMAPString.literal(bytes("ab"), binary: true) == bytes("~{2}\r\nab"))
    }
}

@Suite struct MailboxNameTests {
    /// (modified UTF-7, Unicode). RFC 3501 §5.1.3
    static let names: [(String, String)] = [
        ("INBOX", "INBOX"), ("Entw&APw-rfe", "Entwürfe"), ("~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/台北/日本語"),
        ("A&-B", "A&B"), ("&-", "&"), ("&2D3eAA-", "😀"), ("Sent Items", "Sent Items"), ("&AOkA6QDp-", "ééé"),
    ]

    @Test(arguments: names) func decodes(_ wire: String, _ name: String) throws {
        #expect(ModifiedUTF7.decode(bytes(wire)) == name)
        #expect(try MailboxName(wire: bytes(wire)).name == name)
    }

    @Test(arguments: names) func encodes(_ wire: String, _ name: String) {
        #expect(ModifiedUTF7.encode(name) == bytes(wire))
    }

    /// Not canonical: unterminated, 8-bit, encoded ASCII, bad pad bits, lone surrogate, split shifts.
    @Test(arguments: ["&Jjo", "caf\u{E9}\u{1}", "&AGE-", "&APx-", "&2D0-", "&AOk-&AOk-", "&*-", "a\tb"])
    func refusesNonCanonical(_ wire: String) {
        #expect(ModifiedUTF7.decode(bytes(wire)) == nil)
    }

    @Test func inboxIsCaseInsensitive() throws {
        #expect(try MailboxName(wire: bytes("iNbOx")) == .inbox)
        #expect(MailboxName("Inbox").isInbox)
        #expect(!MailboxName("INBOX/sub").isInbox)
    }

    @Test func utf8Accept() throws {
        // After ENABLE UTF8=ACCEPT names are UTF-8 and "&" is itself. RFC 6855 §3
        #expect(try MailboxName(wire: bytes("Entw&APw-rfe"), utf8Enabled: true).name == "Entw&APw-rfe")
        #expect(try MailboxName(wire: bytes("Entwürfe"), utf8Enabled: true).name == "Entwürfe")
        #expect(MailboxName("Entwürfe").wire(utf8Enabled: true) == bytes("Entwürfe"))
        #expect(throws: IMAPSyntaxError.self) { try MailboxName(wire: [0x61, 0xFF], utf8Enabled: true) }
        // 8-bit UTF-8 without UTF8=ACCEPT is taken as sent (IMAP4rev2 clients). RFC 9051 §5.1
        #expect(try MailboxName(wire: bytes("Entwürfe")).name == "Entwürfe")
    }

    @Test func randomNamesRoundTrip() throws {
        var generator = SeededGenerator(seed: 3501)
        let pool: [Character] = ["a", "&", "-", "/", " ", "ü", "日", "😀", "+", ",", "~", "\u{7F}", "\u{1}"]
        for _ in 0..<500 {
            let name = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in pool.randomElement(using: &generator)! })
            #expect(ModifiedUTF7.decode(ModifiedUTF7.encode(name)) == name, "\(name.debugDescription)")
        }
    }
}

@Suite struct FlagTests {
    @Test func parsesFlagLists() throws {
        #expect(try Flag.parseList("()") == [])
        #expect(try Flag.parseList("(\\Seen)") == [.seen])
        #expect(try Flag.parseList("(\\seen \\ANSWERED $Forwarded work)") == [.seen, .answered, Flag("$Forwarded")!, Flag("work")!])
        #expect(try Flag.parseList("(\\seen)").first?.name == "\\Seen")  // canonical spelling
        #expect(Flag("$forwarded") == Flag("$Forwarded"))
    }

    @Test(arguments: ["(", "(\\Seen", "(\\)", "( \\Seen)", "(\\Seen )", "(a b) ", "\\Seen", "(a\"b)", "(%)"])
    func refusesBadFlagLists(_ wire: String) {
        #expect(throws: IMAPSyntaxError.self) { try Flag.parseList(wire) }
    }

    @Test func encodesFlagList() throws {
        let flags = [Flag.seen, .draft, Flag("$Junk")!]
        #expect(Flag.encode(flags) == bytes("(\\Seen \\Draft $Junk)"))
        #expect(try Flag.parseList(text(Flag.encode(flags))) == flags)
        #expect(Flag("a b") == nil && Flag("") == nil && Flag("\\") == nil)
    }
}

@Suite struct SequenceSetTests {
    typealias R = SequenceSet.SequenceRange

    static let sets: [(String, SequenceSet)] = [
        ("1", .ranges([R(1)])), ("1:3", .ranges([R(1...3)])), ("*", .ranges([R(.largest, .largest)])),
        ("1:*", .ranges([R(.number(1), .largest)])), ("3:1", .ranges([R(.number(3), .number(1))])),
        ("1,3:5,7:*", .ranges([R(1), R(3...5), R(.number(7), .largest)])), ("$", .lastCommand),
        ("4294967295", .ranges([R(UInt32.max)])),
    ]

    @Test(arguments: sets) func parsesAndEncodes(_ wire: String, _ set: SequenceSet) throws {
        #expect(try SequenceSet(parsing: wire) == set)
        #expect(text(set.encoded) == wire)
    }

    @Test(arguments: ["0", "1:0", "", ",", "1,", "1:", "4294967296", "$,1", "1,$", "a", "1 2", "-1"])
    func refuses(_ wire: String) {
        #expect(throws: IMAPSyntaxError.self) { try SequenceSet(parsing: wire) }
    }

    @Test func contains() throws {
        let set = try SequenceSet(parsing: "2,5:3,9:*")
        #expect((1...12).filter { set.contains($0, largest: 10) } == [2, 3, 4, 5, 9, 10])
        #expect(try SequenceSet(parsing: "*:4").contains(7, largest: 8))
    }
}

@Suite struct DateTests {
    @Test func dates() throws {
        #expect(try IMAPDate(parsing: "1-Feb-1994") == IMAPDate(year: 1994, month: 2, day: 1))
        #expect(try IMAPDate(parsing: "\"01-feb-1994\"") == IMAPDate(year: 1994, month: 2, day: 1))
        #expect(try IMAPDate(parsing: "29-Feb-2000") == IMAPDate(year: 2000, month: 2, day: 29))
        #expect(IMAPDate(year: 1994, month: 2, day: 1)!.description == "1-Feb-1994")
    }

    @Test(arguments: ["29-Feb-1900", "31-Apr-2024", "0-Jan-2024", "1-Foo-2024", "1-Jan-24", "123-Jan-2024", "\"1-Jan-2024", "1 Jan 2024"])
    func refusesDates(_ wire: String) {
        #expect(throws: IMAPSyntaxError.self) { try IMAPDate(parsing: wire) }
    }

    @Test func dateTimes() throws {
        let value = try IMAPDateTime(parsing: "\" 7-Feb-1994 21:52:25 -0800\"")
        #expect(value.date == IMAPDate(year: 1994, month: 2, day: 7) && value.hour == 21 && value.second == 25)
        #expect(value.zoneMinutes == -480)
        #expect(text(value.encoded) == "\" 7-Feb-1994 21:52:25 -0800\"")
        #expect(try IMAPDateTime(parsing: "\"17-Jul-1996 02:44:25 +0530\"").zoneMinutes == 330)
        #expect(try IMAPDateTime(parsing: text(value.encoded)) == value)
    }

    @Test(arguments: [
        "\"7-Feb-1994 21:52:25 -0800\"", "\" 7-Feb-1994 24:00:00 +0000\"", "\" 7-Feb-1994 21:52:25 0800\"",
        "\" 7-Feb-1994 21:52:25 +0860\"", "\" 7-Feb-1994 21:52 +0000\"", " 7-Feb-1994 21:52:25 +0000", "\"31-Feb-1994 01:00:00 +0000\"",
    ])
    func refusesDateTimes(_ wire: String) {
        #expect(throws: IMAPSyntaxError.self) { try IMAPDateTime(parsing: wire) }
    }
}
