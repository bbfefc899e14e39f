import IMAPProtocol
import InternetMessage
import TestSupport
import Testing

/// Section look-ups and their bytes: RFC 9051 §6.4.5, RFC 3501 §6.4.5, RFC 3516. Expected
/// bytes are what Dovecot 2.3.19 answered for the same message (noted where it differs).
@Suite struct SectionLocatorTests {
    typealias F = ResponseFixture
    static let mixed = F.parsed(F.mixed)

    static func fetch(_ section: SectionSpec, in raw: [UInt8] = F.mixed) -> String? {
        SectionLocator.locate(section, in: F.parsed(raw)).map { F.string($0.bytes(in: raw)) }
    }

    static let innerMessage =
        "From: Alice <alice@example.org>\r\nSubject: inner\r\n"
        + "Content-Type: multipart/alternative; boundary=inner\r\n\r\n"
        + "--inner\r\nContent-Type: text/plain\r\n\r\nplain\r\n--inner\r\n"
        + #"Content-Type: text/html; charset="us-ascii"\#r\#nContent-Language: en, de\#r\#n\#r\#n<p>html</p>\#r\#n--inner--"#

    @Test func wholeMessageHeaderAndText() throws {
        #expect(Self.fetch(SectionSpec()) == F.string(F.mixed))
        let header = try #require(Self.fetch(SectionSpec(text: .header)))
        #expect(header.hasPrefix(#"From: "Fred Foobar""#))
        #expect(header.hasSuffix(#"boundary="outer"\#r\#n\#r\#n"#))
        #expect(Self.fetch(SectionSpec(text: .text))?.hasPrefix("preamble\r\n--outer\r\n") == true)
        #expect(Self.fetch(SectionSpec(text: .mime)) == nil)  // MIME needs a part number
    }

    @Test func partsAndTheirMIMEHeaders() {
        #expect(Self.fetch(SectionSpec(part: [1])) == "Hello caf=C3=A9\r\nsecond line")
        #expect(
            Self.fetch(SectionSpec(part: [1], text: .mime))
                == "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
        #expect(
            Self.fetch(SectionSpec(part: [2], text: .mime))
                == #"Content-Type: message/rfc822\#r\#nContent-Disposition: attachment; filename="fwd.eml"\#r\#nContent-Description: forwarded\#r\#n\#r\#n"#
        )
        #expect(Self.fetch(SectionSpec(part: [3])) == "AAECAwQ=")
        // Dovecot's BODY[2] also holds the CRLF before "--outer" (see BodyStructureEncodingTests).
        #expect(Self.fetch(SectionSpec(part: [2])) == Self.innerMessage)
    }

    @Test func insideTheAttachedMessage() {
        #expect(
            Self.fetch(SectionSpec(part: [2], text: .header))
                == "From: Alice <alice@example.org>\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n")
        #expect(Self.fetch(SectionSpec(part: [2], text: .text))?.hasPrefix("--inner\r\nContent-Type: text/plain") == true)
        #expect(Self.fetch(SectionSpec(part: [2, 1])) == "plain")
        #expect(Self.fetch(SectionSpec(part: [2, 1], text: .mime)) == "Content-Type: text/plain\r\n\r\n")
        #expect(Self.fetch(SectionSpec(part: [2, 2])) == "<p>html</p>")
        // Dovecot: BODY[2.HEADER.FIELDS (SUBJECT FROM)] {51}
        #expect(
            Self.fetch(SectionSpec(part: [2], text: .headerFields(["SUBJECT", "FROM"])))
                == "From: Alice <alice@example.org>\r\nSubject: inner\r\n\r\n")
    }

    @Test func headerAndTextOfANonMessagePartAreEmpty() {
        // RFC 3501 §6.4.5: only a MESSAGE/RFC822 part has HEADER/TEXT; Dovecot answers {0}.
        #expect(SectionLocator.locate(SectionSpec(part: [1], text: .header), in: Self.mixed) == .empty)
        #expect(SectionLocator.locate(SectionSpec(part: [1], text: .text), in: Self.mixed) == .empty)
        #expect(SectionLocator.locate(SectionSpec(part: [3], text: .headerFields(["TO"])), in: Self.mixed) == .empty)
    }

    @Test func missingPartsAreNil() {
        for path in [[9], [4], [2, 3], [1, 1], [0], [3, 1, 1]] {
            #expect(SectionLocator.locate(SectionSpec(part: path), in: Self.mixed) == nil)
        }
    }

    @Test func nonMultipartMessageHasOnlyPartOne() {
        // Dovecot: BODY[1] {21}, BODY[1.MIME] = the message header, BODY[1.1] {0}.
        #expect(Self.fetch(SectionSpec(part: [1]), in: F.plain) == "body line 1\r\nline 2\r\n")
        #expect(Self.fetch(SectionSpec(part: [1], text: .mime), in: F.plain) == "From: nobody@example.org\r\nSubject: plain\r\n\r\n")
        #expect(Self.fetch(SectionSpec(part: [1, 1]), in: F.plain) == nil)
        #expect(Self.fetch(SectionSpec(part: [2]), in: F.plain) == nil)
    }

    @Test func headerFieldsNot() {
        // Dovecot: BODY[HEADER.FIELDS.NOT (TO CC FROM SUBJECT MESSAGE-ID DATE)] {70}
        let not = SectionSpec(text: .headerFieldsNot(["TO", "CC", "FROM", "SUBJECT", "MESSAGE-ID", "DATE"]))
        #expect(Self.fetch(not) == #"MIME-Version: 1.0\#r\#nContent-Type: multipart/mixed; boundary="outer"\#r\#n\#r\#n"#)
        #expect(
            SectionLocator.locate(not, in: Self.mixed)
                == .headerFields(Self.mixed.header, names: ["TO", "CC", "FROM", "SUBJECT", "MESSAGE-ID", "DATE"], exclude: true))
        // Dovecot: BODY[HEADER.FIELDS (X-NONE)] {2} — the blank line alone.
        #expect(Self.fetch(SectionSpec(text: .headerFields(["X-NONE"])), in: F.plain) == "\r\n")
    }

    @Test func filterHeaderKeepsWholeFieldsInOrder() {
        let header = Array(
            ("Received: from a\r\n\tby b\r\nSubject: one\r\n  two\r\nX-Y: 1\r\nsubject : again\r\n"
                + "garbage line\r\n continuation of garbage\r\nFrom: z\r\n\r\nBody: not a header\r\n").utf8)
        #expect(
            F.string(SectionLocator.filterHeader(header, names: ["subject", "RECEIVED"], exclude: false))
                == "Received: from a\r\n\tby b\r\nSubject: one\r\n  two\r\nsubject : again\r\n\r\n")
        #expect(
            F.string(SectionLocator.filterHeader(header, names: ["SUBJECT", "RECEIVED"], exclude: true))
                == "X-Y: 1\r\nFrom: z\r\n\r\n")
        #expect(F.string(SectionLocator.filterHeader(header[...], names: [], exclude: false)) == "\r\n")
        // A header without its blank line, its last field without a line break.
        #expect(F.string(SectionLocator.filterHeader(Array("A: 1\r\nB: 2".utf8), names: ["B"], exclude: false)) == "B: 2\r\n\r\n")
        // Bare LF line ends are kept as they are.
        #expect(F.string(SectionLocator.filterHeader(Array("A: 1\nB: 2\n\nA: body\n".utf8), names: ["A"], exclude: false)) == "A: 1\n\r\n")
    }

    @Test func partial() {
        let range = ByteRange(offset: 100, length: 10)
        #expect(SectionLocator.partial(range, .init(offset: 0, length: 4)) == ByteRange(offset: 100, length: 4))
        #expect(SectionLocator.partial(range, .init(offset: 8, length: 4)) == ByteRange(offset: 108, length: 2))
        #expect(SectionLocator.partial(range, .init(offset: 10, length: 4)) == ByteRange(offset: 110, length: 0))
        #expect(SectionLocator.partial(range, .init(offset: .max, length: .max)) == ByteRange(offset: 110, length: 0))
        #expect(SectionLocator.partial(Array("abcdef".utf8), .init(offset: 2, length: 3)) == Array("cde".utf8))
        #expect(SectionLocator.partial(Array("abc".utf8), .init(offset: 7, length: 3)) == [])
        // Dovecot: BODY[3]<2.5> → "ECAwQ".
        guard case .range(let part3)? = SectionLocator.locate(SectionSpec(part: [3]), in: Self.mixed) else {
            Issue.record("part 3 not found")
            return
        }
        #expect(F.string(Array(SectionLocator.partial(part3, .init(offset: 2, length: 5)).slice(of: F.mixed))) == "ECAwQ")
    }

    @Test func binaryParts() throws {
        // Dovecot: BINARY[3] ~{5} 00 01 02 03 04, BINARY.SIZE[3] 5, BINARY[1] "Hello café\r\nsecond line".
        let part3 = try #require(SectionLocator.binaryPart([3], in: Self.mixed))
        #expect(try SectionLocator.decodedContent(of: part3, in: F.mixed) == [0, 1, 2, 3, 4])
        let part1 = try #require(SectionLocator.binaryPart([1], in: Self.mixed))
        #expect(F.string(try SectionLocator.decodedContent(of: part1, in: F.mixed)) == "Hello café\r\nsecond line")
        // A message/rfc822 part is never encoded: its bytes as they are (Dovecot agrees).
        let part2 = try #require(SectionLocator.binaryPart([2], in: Self.mixed))
        #expect(F.string(try SectionLocator.decodedContent(of: part2, in: F.mixed)) == Self.innerMessage)
        #expect(SectionLocator.binaryPart([2, 2], in: Self.mixed) != nil)
        // Multiparts and missing parts have no BINARY content.
        #expect(SectionLocator.binaryPart([], in: Self.mixed) == nil)
        #expect(SectionLocator.binaryPart([7], in: Self.mixed) == nil)
        // BINARY[] of a non-multipart message: its decoded body.
        let root = try #require(SectionLocator.binaryPart([], in: F.parsed(F.plain)))
        #expect(F.string(try SectionLocator.decodedContent(of: root, in: F.plain)) == "body line 1\r\nline 2\r\n")
    }

    @Test func unknownTransferEncoding() throws {
        #expect(throws: UnknownTransferEncoding(encoding: "x-uuencode")) {
            try SectionLocator.decode(Array("begin 644 a".utf8), encoding: "x-uuencode")
        }
        #expect(try SectionLocator.decode(Array("SGk=".utf8), encoding: " BASE64 ") == Array("Hi".utf8))
        #expect(try SectionLocator.decode(Array("a=3Db".utf8), encoding: "Quoted-Printable") == Array("a=b".utf8))
        #expect(try SectionLocator.decode(Array("=3D".utf8), encoding: "8bit") == Array("=3D".utf8))
        let raw = F.message(["Content-Type: application/x-thing", "Content-Transfer-Encoding: x-uuencode", "", "begin", ""])
        let message = F.parsed(raw)
        #expect(throws: UnknownTransferEncoding.self) {
            try SectionLocator.decodedContent(of: #require(SectionLocator.binaryPart([1], in: message)), in: raw)
        }
    }
}
