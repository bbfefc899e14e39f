import IMAPProtocol
import InternetMessage
import Testing

/// FETCH data items: names, literals, dates. RFC 9051 §7.5.2, RFC 3516 §4.2, RFC 7162 §3.1.4.
@Suite struct FetchEncodingTests {
    typealias F = ResponseFixture

    @Test func simpleItems() {
        #expect(F.item(.uid(4827313)) == "UID 4827313")
        #expect(F.item(.flags(["\\Seen", "$Forwarded"])) == "FLAGS (\\Seen $Forwarded)")
        #expect(F.item(.flags([])) == "FLAGS ()")
        #expect(F.item(.rfc822Size(44827)) == "RFC822.SIZE 44827")
        #expect(F.item(.modSeq(624_140_003)) == "MODSEQ (624140003)")  // RFC 7162 §3.1.4.1
    }

    @Test(arguments: [UInt64(0), 7, 9, 10, 99, 100, 4_294_967_295, 9_999_999_999_999_999_999, UInt64.max])
    func numbersAreDecimal(value: UInt64) {
        #expect(F.item(.modSeq(value)) == "MODSEQ (\(value))")
        #expect(F.item(.rfc822Size(Int(clamping: value))) == "RFC822.SIZE \(Int(clamping: value))")
    }

    /// A batch writes each response as `IMAPResponse.fetch` encodes it.
    @Test func batchMatchesOneResponseAtATime() {
        let messages: [(Int, [FetchItem])] = [
            (1, [.uid(1), .flags(["\\Seen"])]),
            (2, [.flags([]), .uid(4_294_967_295), .rfc822Size(0), .internalDate(837_596_665)]),
            (100_000, [.uid(123_456)]),
        ]
        var batch = FetchResponseBatch(utf8Enabled: false)
        var expected: [UInt8] = []
        for (number, items) in messages {
            expected += IMAPResponse.fetch(number, items).encoded()
            batch.begin(number)
            for item in items {
                if case .flags = item { batch.encodedItem(item.encoded()) } else { batch.item(item) }
            }
            batch.end()
        }
        #expect(batch.count == expected.count)
        #expect(String(decoding: batch.take(), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(batch.count == 0)
        #expect(String(decoding: IMAPResponse.fetch(12, [.uid(7)]).encoded(), as: UTF8.self) == "* 12 FETCH (UID 7)\r\n")
    }

    @Test(arguments: [
        (837_596_665.0, #""17-Jul-1996 09:44:25 +0000""#),  // RFC 3501 §8's 02:44:25 -0700, in UTC
        (760_686_745.0, #"" 8-Feb-1994 05:52:25 +0000""#),  // date-day-fixed: space-padded day
        (0.0, #"" 1-Jan-1970 00:00:00 +0000""#),
        (951_868_799.9, #""29-Feb-2000 23:59:59 +0000""#),  // leap day; fractions dropped
        (-1.0, #""31-Dec-1969 23:59:59 +0000""#),
        (-2_203_891_200.0, #"" 1-Mar-1900 00:00:00 +0000""#),
        (1e15, #""31-Dec-9999 23:59:59 +0000""#),  // clamped to a 4-digit year
        (Double.nan, #"" 1-Jan-1970 00:00:00 +0000""#),
    ])
    func internalDate(seconds: Double, expected: String) {
        #expect(F.item(.internalDate(seconds)) == "INTERNALDATE \(expected)")
    }

    @Test func sectionNames() {
        let subjectFrom = SectionSpec(part: [1, 2], text: .headerFields(["SUBJECT", "FROM"]))
        #expect(
            F.item(.section(subjectFrom, offset: 0, data: Array("Subject: x\r\n\r\n".utf8)))
                == "BODY[1.2.HEADER.FIELDS (SUBJECT FROM)]<0> {14}\r\nSubject: x\r\n\r\n")
        #expect(F.item(.section(SectionSpec(), offset: nil, data: [])) == "BODY[] {0}\r\n")
        #expect(F.item(.section(SectionSpec(text: .header), offset: nil, data: nil)) == "BODY[HEADER] NIL")
        #expect(F.item(.section(SectionSpec(text: .text), offset: 100, data: Array("ab".utf8))) == "BODY[TEXT]<100> {2}\r\nab")
        #expect(F.item(.section(SectionSpec(part: [3], text: .mime), offset: nil, data: [])) == "BODY[3.MIME] {0}\r\n")
        #expect(F.item(.section(SectionSpec(part: [2], text: .header), offset: nil, data: [])) == "BODY[2.HEADER] {0}\r\n")
        #expect(F.item(.section(SectionSpec(part: [4, 1]), offset: nil, data: [])) == "BODY[4.1] {0}\r\n")
        let not = SectionSpec(text: .headerFieldsNot(["TO", "X-ODD NAME"]))
        #expect(F.item(.section(not, offset: nil, data: [])) == #"BODY[HEADER.FIELDS.NOT (TO "X-ODD NAME")] {0}\#r\#n"#)
    }

    @Test func dataIsAlwaysALiteral() {
        // Even short ASCII data goes as a literal: its bytes arrive exactly.
        #expect(F.item(.section(SectionSpec(part: [1]), offset: nil, data: Array("hi".utf8))) == "BODY[1] {2}\r\nhi")
        #expect(F.item(.rfc822(Array("a\r\n".utf8))) == "RFC822 {3}\r\na\r\n")
        #expect(F.item(.rfc822Header(Array("H: v\r\n\r\n".utf8))) == "RFC822.HEADER {8}\r\nH: v\r\n\r\n")
        #expect(F.item(.rfc822Text(Array("body".utf8))) == "RFC822.TEXT {4}\r\nbody")
        #expect(F.item(.section(SectionSpec(), offset: nil, data: Array("Grüße".utf8))) == "BODY[] {7}\r\nGrüße")
    }

    @Test func nulInBodyDataBecomes0x80() {
        // A literal cannot carry NUL (RFC 9051 §4.3 CHAR8); like Dovecot, send 0x80 instead,
        // so the size and any partial offsets stay exact.
        let item = FetchItem.section(SectionSpec(part: [1]), offset: nil, data: [0x61, 0x00, 0x62])
        #expect(item.encoded() == Array("BODY[1] {3}\r\n".utf8) + [0x61, 0x80, 0x62])
    }

    @Test func binary() {
        #expect(F.item(.binary(part: [1], offset: nil, data: Array("plain".utf8))) == "BINARY[1] {5}\r\nplain")
        #expect(F.item(.binary(part: [], offset: nil, data: [])) == "BINARY[] {0}\r\n")
        #expect(F.item(.binary(part: [2, 1], offset: 10, data: nil)) == "BINARY[2.1]<10> NIL")
        // NUL: a literal8. RFC 3516 §4.2
        let withNUL = FetchItem.binary(part: [3], offset: nil, data: [0, 1, 2, 3, 4])
        #expect(withNUL.encoded() == Array("BINARY[3] ~{5}\r\n".utf8) + [0, 1, 2, 3, 4])
        #expect(F.item(.binarySize(part: [1], 42)) == "BINARY.SIZE[1] 42")
        #expect(F.item(.binarySize(part: [1, 2, 3], 0)) == "BINARY.SIZE[1.2.3] 0")
    }

    @Test func fetchResponseWithLiteralsInside() {
        let response = IMAPResponse.fetch(
            2,
            [
                .uid(7),
                .section(SectionSpec(text: .headerFields(["SUBJECT"])), offset: nil, data: Array("Subject: Hello\r\n\r\n".utf8)),
                .flags(["\\Seen"]),
            ])
        #expect(
            F.wire(response)
                == "* 2 FETCH (UID 7 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Hello\r\n\r\n FLAGS (\\Seen))\r\n")
    }

    @Test func bodyAndEnvelopeItems() {
        let message = F.parsed(F.plain)
        #expect(
            F.item(.bodyStructure(message.root, extended: false))
                == #"BODY ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 21 2)"#)
        #expect(
            F.item(.bodyStructure(message.root, extended: true))
                == #"BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 21 2 NIL NIL NIL NIL)"#)
        #expect(F.item(.envelope(message.envelope)).hasPrefix(#"ENVELOPE (NIL "plain" ((NIL NIL "nobody" "example.org"))"#))
    }
}
