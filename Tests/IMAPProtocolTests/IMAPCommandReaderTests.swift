import IMAPProtocol
import TestSupport
import Testing

@Suite struct IMAPCommandReaderTests {
    typealias Event = IMAPCommandReader.Event

    struct Fixture: Sendable, CustomTestStringConvertible {
        var wire: String
        var events: [Event]
        var testDescription: String { wire.debugDescription }
    }

    static let fixtures: [Fixture] = [
        .init(wire: "a1 NOOP\r\n", events: [.command(.init(lines: [bytes("a1 NOOP")]))]),
        .init(wire: "a1 NOOP\n", events: [.command(.init(lines: [bytes("a1 NOOP")]))]),  // bare LF tolerated
        .init(wire: "a1 NOOP", events: []),  // need more data
        .init(
            wire: "a1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n",
            events: [
                .continuationRequest, .continuationRequest,
                .command(.init(lines: [bytes("a1 LOGIN {5}"), bytes(" {6}"), []], literals: [bytes("alice"), bytes("secret")])),
            ]),
        .init(
            wire: "a1 LOGIN {5+}\r\nalice x\r\n",
            events: [  // LITERAL+: no continuation, RFC 7888
                .command(.init(lines: [bytes("a1 LOGIN {5+}"), bytes(" x")], literals: [bytes("alice")]))
            ]),
        .init(
            wire: "a1 APPEND INBOX ~{3}\r\na\0b\r\n",
            events: [  // literal8, RFC 3516
                .continuationRequest, .command(.init(lines: [bytes("a1 APPEND INBOX ~{3}"), []], literals: [[0x61, 0, 0x62]])),
            ]),
        .init(
            wire: "a1 LOGIN {0}\r\n {0}\r\n\r\n",
            events: [
                .continuationRequest, .continuationRequest,
                .command(.init(lines: [bytes("a1 LOGIN {0}"), bytes(" {0}"), []], literals: [[], []])),
            ]),
        .init(
            wire: "a1 X {2}\r\n\r\n\r\n",
            events: [  // a literal may hold CRLF
                .continuationRequest, .command(.init(lines: [bytes("a1 X {2}"), []], literals: [bytes("\r\n")])),
            ]),
        .init(
            wire: "a1 NOOP\r\na2 LOGOUT\r\n",
            events: [
                .command(.init(lines: [bytes("a1 NOOP")])), .command(.init(lines: [bytes("a2 LOGOUT")])),
            ]),
        .init(wire: "a1 SEARCH \"{5}\"\r\n", events: [.command(.init(lines: [bytes("a1 SEARCH \"{5}\"")]))]),
    ]

    @Test(arguments: fixtures) func frames(_ fixture: Fixture) {
        #expect(frame(bytes(fixture.wire)) == fixture.events)
    }

    @Test(arguments: fixtures) func framesInChunks(_ fixture: Fixture) {
        for size in chunkSizes { #expect(frame(bytes(fixture.wire), chunk: size) == fixture.events, "chunk \(size)") }
    }

    @Test func literalHeaders() {
        #expect(IMAPLiteralHeader.atEnd(of: bytes("a {12}")) == IMAPLiteralHeader(size: 12, start: 2))
        #expect(IMAPLiteralHeader.atEnd(of: bytes("a {12+}")) == IMAPLiteralHeader(size: 12, synchronizing: false, start: 2))
        #expect(IMAPLiteralHeader.atEnd(of: bytes("a ~{1}")) == IMAPLiteralHeader(size: 1, binary: true, start: 2))
        #expect(IMAPLiteralHeader.atEnd(of: bytes("a {99999999999999999999999}"))?.size == Int.max)
        for line in ["a {}", "a {+}", "a 12}", "a {1 }", "}", "{", "a {-1}"] {
            #expect(IMAPLiteralHeader.atEnd(of: bytes(line)) == nil, "\(line)")
        }
    }

    @Test func synchronizingLiteralOverLimitIsRefusedBeforeItsBytes() {
        let reader = IMAPCommandReader(maxLiteralSize: 10)
        // The client waits for "+" and gets the tagged answer instead; it sends the next command.
        let events = frame(bytes("a1 APPEND INBOX {11}\r\na2 NOOP\r\n"), reader: reader)
        #expect(events == [.literalTooLarge(tag: "a1", size: 11, synchronizing: true), .command(.init(lines: [bytes("a2 NOOP")]))])
        // Refused on the header alone: no literal byte needs to arrive.
        #expect(
            frame(bytes("a1 APPEND INBOX {99999999999}\r\n"), reader: reader) == [
                .literalTooLarge(tag: "a1", size: 99_999_999_999, synchronizing: true)
            ])
    }

    @Test func nonSynchronizingLiteralOverLimitIsSkipped() {
        let reader = IMAPCommandReader(maxLiteralSize: 10)
        let wire = bytes("a1 APPEND INBOX {12+}\r\n0123456789AB {3+}\r\nxyz\r\na2 NOOP\r\n")
        for size in chunkSizes {
            #expect(
                frame(wire, chunk: size, reader: reader) == [
                    .literalTooLarge(tag: "a1", size: 12, synchronizing: false), .command(.init(lines: [bytes("a2 NOOP")])),
                ])
        }
    }

    @Test func literalMinusCapsOnlyNonSynchronizingLiterals() {
        // RFC 7888 §5: under LITERAL- a {n+} literal over 4,096 octets is refused (BAD) and
        // its octets skipped, even if they look like commands (§4: never read as commands);
        // a synchronizing literal of the same size, and {4096+}, are accepted.
        var reader = IMAPCommandReader()
        reader.maxNonSynchronizingLiteralSize = IMAPDefaults.literalMinusSize
        let smuggled = "a9 DELETE INBOX\r\n" + String(repeating: "x", count: 4097 - 17)
        let wire = bytes("a1 LOGIN {4097+}\r\n" + smuggled + " secret\r\na2 NOOP\r\n")
        for size in chunkSizes {
            #expect(
                frame(wire, chunk: size, reader: reader) == [
                    .literalTooLarge(tag: "a1", size: 4097, synchronizing: false), .command(.init(lines: [bytes("a2 NOOP")])),
                ], "chunk \(size)")
        }
        let atLimit = String(repeating: "y", count: 4096)
        #expect(
            frame(bytes("a1 LOGIN {4096+}\r\n" + atLimit + " x\r\n"), reader: reader) == [
                .command(.init(lines: [bytes("a1 LOGIN {4096+}"), bytes(" x")], literals: [bytes(atLimit)]))
            ])
        let synchronizing = String(repeating: "z", count: 5000)
        #expect(
            frame(bytes("a1 LOGIN {5000}\r\n" + synchronizing + " x\r\n"), reader: reader) == [
                .continuationRequest, .command(.init(lines: [bytes("a1 LOGIN {5000}"), bytes(" x")], literals: [bytes(synchronizing)])),
            ])
    }

    @Test func commandSizeAndLiteralCountAreCapped() {
        let bySize = IMAPCommandReader(maxLiteralSize: 100, maxCommandSize: 30)
        #expect(
            frame(bytes("a1 X {5}\r\nhello {20}\r\na2 NOOP\r\n"), reader: bySize) == [
                .continuationRequest, .literalTooLarge(tag: "a1", size: 20, synchronizing: true),
                .command(.init(lines: [bytes("a2 NOOP")])),
            ])
        let byCount = IMAPCommandReader(maxLiterals: 1)
        #expect(
            frame(bytes("a1 X {1+}\r\na {1+}\r\nb\r\na2 NOOP\r\n"), reader: byCount) == [
                .literalTooLarge(tag: "a1", size: 1, synchronizing: false), .command(.init(lines: [bytes("a2 NOOP")])),
            ])
    }

    @Test func overlongLineIsDroppedAndReaderStaysUsable() {
        let reader = IMAPCommandReader(maxLineLength: 32)
        let long = "a1 SEARCH " + String(repeating: "x", count: 100)
        for size in chunkSizes {
            #expect(
                frame(bytes(long + "\r\na2 NOOP\r\n"), chunk: size, reader: reader) == [
                    .lineTooLong(tag: "a1"), .command(.init(lines: [bytes("a2 NOOP")])),
                ], "chunk \(size)")
            // A {n+} literal after the long line is skipped too, not read as commands.
            #expect(
                frame(bytes(long + " {9+}\r\na3 NOOP\r\n rest of a1\r\na2 NOOP\r\n"), chunk: size, reader: reader) == [
                    .lineTooLong(tag: "a1"), .command(.init(lines: [bytes("a2 NOOP")])),
                ], "chunk \(size)")
        }
        // Exactly at the limit (CRLF included) is accepted.
        let exact = "a1 " + String(repeating: "x", count: 27)
        #expect(frame(bytes(exact + "\r\n"), reader: reader) == [.command(.init(lines: [bytes(exact)]))])
        #expect(frame(bytes(exact + "y\r\n"), reader: reader) == [.lineTooLong(tag: "a1")])
    }

    @Test func defaultLineLimitTakesAnRFC2971IDCommand() {
        // RFC 2971 §3.3: 30 fields of up to 1,024 octets is a ~32 KB line; RFC 7162 §4's
        // 8,192 octets is a floor.
        let fields = (1...30).map { "\"k\($0)\" \"\(String(repeating: "v", count: 1024))\"" }.joined(separator: " ")
        let id = "a1 ID (" + fields + ")"
        #expect(id.utf8.count > 30_000)
        #expect(frame(bytes(id + "\r\n")) == [.command(.init(lines: [bytes(id)]))])
        #expect(IMAPDefaults.lineLength >= 64 * 1024)
    }

    @Test func linesOfOneCommandAreCappedTogether() {
        // Lines joined by small literals: each under the line limit, together over the cap.
        let reader = IMAPCommandReader(maxLineLength: 64, maxCommandLineOctets: 100)
        let piece = "a1 X " + String(repeating: "y", count: 40) + " {1+}"
        for size in chunkSizes {
            #expect(
                frame(
                    bytes(piece + "\r\nz" + String(repeating: "y", count: 40) + " {1+}\r\nz" + "tail {2+}\r\nzz\r\na2 NOOP\r\n"),
                    chunk: size, reader: reader)
                    == [.lineTooLong(tag: "a1"), .command(.init(lines: [bytes("a2 NOOP")]))], "chunk \(size)")
        }
        // Under the cap the same shape frames.
        let small = IMAPCommandReader(maxLineLength: 64, maxCommandLineOctets: 200)
        #expect(
            frame(bytes(piece + "\r\nz end\r\n"), reader: small) == [
                .command(.init(lines: [bytes(piece), bytes(" end")], literals: [bytes("z")]))
            ])
    }

    @Test func takeBufferedReturnsUnframedBytes() {
        var reader = IMAPCommandReader()
        reader.append(bytes("a1 STARTTLS\r\na2 LOGIN x y\r\n"))
        #expect(reader.next() == .command(.init(lines: [bytes("a1 STARTTLS")])))
        #expect(reader.hasBufferedBytes)
        #expect(reader.takeBuffered() == bytes("a2 LOGIN x y\r\n"))  // injected before TLS: discard
        #expect(!reader.hasBufferedBytes)
        #expect(reader.next() == nil)
    }

    @Test func wireReproducesTheInput() {
        let wire = bytes("a1 LOGIN {5}\r\nalice {6+}\r\nsecret\r\n")
        #expect(commands(frame(wire)).first?.wire == wire)
        #expect(commands(frame(wire)).first?.tag == "a1")
    }
}
