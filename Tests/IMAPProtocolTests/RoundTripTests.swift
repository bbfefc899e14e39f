import IMAPProtocol
import TestSupport
import Testing

/// encode → frame → parse gives back the command, in every literal style and chunk size.
@Suite struct RoundTripTests {
    static let commands: [IMAPCommand] =
        IMAPCommandParserTests.fixtures.map { IMAPCommand(tag: "a1", $0.1) } + [
            IMAPCommand(tag: "A0001", .login(user: "ü user", password: "p\r\nw")),  // forces literals
            IMAPCommand(tag: "b", .id([.init("name", "x\"y\\z"), .init("os", nil), .init("nil", "NIL")])),
            IMAPCommand(tag: "c", .create(MailboxName("Entwürfe/台北 & co"))),
            IMAPCommand(tag: "d", .rename(from: .inbox, to: MailboxName("Old INBOX"))),
            IMAPCommand(
                tag: "e",
                .append(
                    MailboxName("Sent"), flags: [.seen, Flag("$MDNSent")!],
                    date: IMAPDateTime(date: IMAPDate(year: 2024, month: 12, day: 31)!, hour: 23, minute: 59, second: 60, zoneMinutes: 90),
                    message: bytes("From: a\r\n\r\nx\r\n"), binary: false)),
            IMAPCommand(tag: "f", .append(.inbox, flags: [], date: nil, message: [0, 1, 2, 0xFF], binary: true)),
            IMAPCommand(tag: "g", .list(selectOptions: [], reference: "Archiv/ü", patterns: ["", "a b", "%ü*"], returnOptions: nil)),
            IMAPCommand(tag: "h", .search(.init(key: .header("SUBJECT", "a\r\nb")), uid: true)),  // forces a literal
            IMAPCommand(tag: "i", .lsub(reference: "", pattern: "Lists/%")),
        ]

    @Test(arguments: commands) func roundTrips(_ command: IMAPCommand) {
        for style in [IMAPLiteralStyle.synchronizing, .nonSynchronizing] {
            let wire = command.encoded(style: style)
            for size in chunkSizes {
                let framed = IMAPProtocolTests.commands(frame(wire, chunk: size))
                #expect(framed.count == 1, "chunk \(size)")
                #expect(
                    framed.first.map { IMAPCommandParser().parse($0) } == .success(command), "\(text(wire).debugDescription) chunk \(size)")
            }
        }
    }

    @Test(arguments: commands) func roundTripsWithUTF8Accept(_ command: IMAPCommand) {
        let wire = command.encoded(utf8Enabled: true)
        let framed = IMAPProtocolTests.commands(frame(wire))
        #expect(framed.first.map { IMAPCommandParser(utf8Enabled: true).parse($0) } == .success(command), "\(text(wire).debugDescription)")
    }

    /// All commands in one stream, fed in every chunk size, give the same commands in order.
    @Test func oneStreamInChunks() {
        let wire = Self.commands.flatMap { $0.encoded() }
        for size in chunkSizes {
            let parsed = IMAPProtocolTests.commands(frame(wire, chunk: size)).map { IMAPCommandParser().parse($0) }
            #expect(parsed == Self.commands.map { .success($0) }, "chunk \(size)")
        }
    }
}
