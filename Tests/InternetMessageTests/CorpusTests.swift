import Foundation
import InternetMessage
import TestSupport
import Testing

/// Real-world-shaped messages: tree shape, content fields, and the exact bytes
/// every header and body range selects.
@Suite struct CorpusTests {
    let parser = MessageParser()

    @Test func multipartAlternative() throws {
        let bytes = try corpus("alternative.eml")
        let m = parser.parse(bytes)
        #expect(m.size == bytes.count)
        #expect(bytes.text(m.header).hasPrefix("Return-Path: <alice@example.org>\r\n"))
        #expect(bytes.text(m.header).hasSuffix("boundary=\"=_alt_42\"\r\n\r\n"))
        #expect(bytes.text(m.body).hasPrefix("This is a multi-part message"))
        #expect(m.root.header == m.header && m.root.body == m.body)
        #expect(m.root.contentType.mimeType == "multipart/alternative")
        #expect(m.root.parts.count == 2)
        let plain = m.root.parts[0]
        #expect(plain.contentType == ContentType(type: "text", subtype: "plain", parameters: [Parameter(name: "charset", value: "utf-8")]))
        #expect(bytes.text(plain.header) == "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n")
        #expect(bytes.text(plain.body) == "Shall we have lunch on Friday?\r\nAlice\r\n")
        #expect(plain.bodyLineCount == 2)
        let html = m.root.parts[1]
        #expect(html.contentType.mimeType == "text/html")
        #expect(html.contentTransferEncoding == "quoted-printable")
        #expect(bytes.text(html.body) == "<p>Shall we have lunch on <b>Friday</b>?=\r\n</p>")
        #expect(html.decodedText(in: bytes) == "<p>Shall we have lunch on <b>Friday</b>?</p>")
        #expect(m.envelope.from == [Address(name: "Alice Example", mailbox: "alice", host: "example.org")])
        #expect(m.envelope.sender == m.envelope.from && m.envelope.replyTo == m.envelope.from)
        #expect(m.envelope.subject == "Lunch on Friday?")
        #expect(m.envelope.messageID == "<alt-1@example.org>")
        #expect(m.fields(named: "received").count == 1)
        #expect(m.fields(named: "RECEIVED").first?.rawValue.hasSuffix("Tue, 4 Mar 2025 10:15:00 +0000") == true)
        #expect(m.date == Date(timeIntervalSince1970: 1_741_083_298))
    }

    @Test func multipartMixedWithBase64() throws {
        let bytes = try corpus("mixed-base64.eml")
        let m = parser.parse(bytes)
        #expect(m.root.contentType.boundary == "----=_Part_0_1234.5678")
        #expect(m.root.parts.map(\.contentType.mimeType) == ["text/plain", "application/pdf", "image/png"])
        #expect(bytes.text(m.root.parts[0].body) == "Please find the report attached.")
        let pdf = m.root.parts[1]
        #expect(pdf.contentTransferEncoding == "base64")
        #expect(
            pdf.contentDisposition == ContentDisposition(type: "attachment", parameters: [Parameter(name: "filename", value: "report.pdf")])
        )
        #expect(pdf.contentDescription == "Quarterly report")
        #expect(pdf.filename == "report.pdf")
        #expect(
            bytes.text(pdf.body)
                == "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\r\nZW5kc3RyZWFtCmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK")
        #expect(pdf.decodedBody(in: bytes).starts(with: Array("%PDF-1.4\n".utf8)))
        let png = m.root.parts[2]
        #expect(png.contentID == "<logo@example.com>")
        #expect(png.contentDisposition?.type == "inline")
        #expect(png.decodedBody(in: bytes) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(m.envelope.from.first?.name == "Carol Sender")
        #expect(m.envelope.to == [Address(mailbox: "dave", host: "example.net")])
    }

    @Test func nestedMessageRFC822() throws {
        let bytes = try corpus("nested-rfc822.eml")
        let m = parser.parse(bytes)
        #expect(m.root.parts.map(\.contentType.mimeType) == ["text/plain", "message/rfc822"])
        #expect(bytes.text(m.root.parts[0].body) == "See below.")
        let forwarded = m.root.parts[1]
        #expect(bytes.text(forwarded.header) == "Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n")
        #expect(bytes.text(forwarded.body).hasPrefix("From: Alice Example"))
        #expect(bytes.text(forwarded.body).hasSuffix("--inner--\r\n"))
        let inner = try #require(forwarded.message)
        #expect(inner.envelope.subject == "Lunch on Friday?")
        #expect(inner.size == forwarded.body.length)
        #expect(bytes.text(inner.header).hasSuffix("boundary=\"inner\"\r\n\r\n"))
        #expect(bytes.text(inner.body).hasPrefix("--inner\r\n"))
        #expect(inner.root.parts.count == 2)
        #expect(bytes.text(try #require(m.part(at: [2, 1])).body) == "Shall we?")
        #expect(bytes.text(try #require(m.part(at: [2, 2])).body) == "<p>Shall we?</p>")
        #expect(bytes.text(try #require(m.part(at: [2, 2])).header) == "Content-Type: text/html; charset=utf-8\r\n\r\n")
        #expect(m.part(at: [2, 3]) == nil)
        #expect(forwarded.bodyLineCount == 16)
    }

    @Test func multipartInsideMultipart() throws {
        let bytes = try corpus("nested-multipart.eml")
        let m = parser.parse(bytes)
        #expect(m.root.parts.map(\.contentType.mimeType) == ["multipart/related", "text/plain"])
        let related = m.root.parts[0]
        #expect(bytes.text(related.header) == "Content-Type: multipart/related; boundary=\"b1-related\"\r\n\r\n")
        #expect(bytes.text(related.body).hasPrefix("--b1-related\r\n"))
        #expect(bytes.text(related.body).hasSuffix("R0lGODlhAQABAAAAACw=\r\n--b1-related--"))
        #expect(related.parts.map(\.contentType.mimeType) == ["multipart/alternative", "image/gif"])
        #expect(bytes.text(try #require(m.part(at: [1, 1, 1])).body) == "plain")
        #expect(bytes.text(try #require(m.part(at: [1, 1, 2])).body) == "<img src=\"cid:pic\">")
        #expect(try #require(m.part(at: [1, 2])).contentID == "<pic>")
        #expect(bytes.text(try #require(m.part(at: [2])).body) == "--b1 is not a boundary when followed by text")
        #expect(m.allParts().map(\.path) == [[], [1], [1, 1], [1, 1, 1], [1, 1, 2], [1, 2], [2]])
    }

    @Test func missingFinalBoundary() throws {
        let bytes = try corpus("missing-final-boundary.eml")
        let m = parser.parse(bytes)
        #expect(m.root.parts.count == 2)
        #expect(bytes.text(m.root.parts[0].body) == "first part")
        #expect(bytes.text(m.root.parts[1].body) == "second part runs to the end\r\n")
        #expect(m.root.parts[1].body.end == bytes.count)
    }

    @Test func encodedWordsInHeaders() throws {
        let bytes = try corpus("encoded-words.eml")
        let m = parser.parse(bytes)
        #expect(m.subject == "Übersicht und Café crème")
        #expect(m.envelope.subject == "=?utf-8?B?w5xiZXJzaWNodA==?= und =?ISO-8859-1?Q?Caf=E9?= =?ISO-8859-1?Q?_cr=E8me?=")
        let from = try #require(m.envelope.from.first)
        #expect(from.name == "=?ISO-8859-1?Q?Andr=E9?= Pirard")
        #expect(from.name.map(EncodedWord.decode) == "André Pirard")
        #expect(m.envelope.to.first?.name.map(EncodedWord.decode) == "Jürgen Müller")
        #expect(m.envelope.cc.first?.name.map(EncodedWord.decode) == "Zürich")
        #expect(m.field(named: "from")?.decodedValue == "André Pirard <PIRARD@vm1.ulg.ac.be>")
        #expect(m.root.contentType.charset == "ISO-8859-1")
        #expect(m.root.decodedText(in: bytes) == "Café crème\r\n")
    }

    @Test func rfc2231Parameters() throws {
        let bytes = try corpus("rfc2231.eml")
        let m = parser.parse(bytes)
        #expect(m.root.contentType.boundary == "simple")
        let attachment = m.root.parts[0]
        #expect(attachment.contentType.parameter("name") == "€ rates for 2025.txt")
        #expect(attachment.filename == "€ rates for 2025.txt")
        #expect(attachment.decodedBody(in: bytes) == [0, 1, 2, 3])
        #expect(m.root.parts[1].contentType.parameter("title") == "Café")
        #expect(bytes.text(m.root.parts[1].body) == "body")
    }

    @Test func raw8BitHeaders() throws {
        let bytes = try corpus("raw-8bit-headers.eml")
        let m = parser.parse(bytes)
        #expect(m.envelope.subject == "Grüße and Latin-1 \u{FFFD}t\u{FFFD}")
        #expect(m.envelope.from.first?.name == "Müller")
        #expect(bytes.text(m.body) == "8-bit body: äöü\r\n")
        #expect(m.root.contentType == .textPlain)
        #expect(m.root.bodyLineCount == 1)
    }

    @Test func bareLineFeeds() throws {
        let bytes = try corpus("bare-lf.eml")
        let m = parser.parse(bytes)
        #expect(bytes.text(m.header).hasSuffix("boundary=\"lf\"\n\n"))
        #expect(m.root.parts.count == 2)
        #expect(bytes.text(m.root.parts[0].header) == "Content-Type: text/plain\n\n")
        #expect(bytes.text(m.root.parts[0].body) == "one")
        #expect(bytes.text(m.root.parts[1].body) == "two")
    }

    @Test func headersOnly() throws {
        let bytes = try corpus("no-body.eml")
        let m = parser.parse(bytes)
        #expect(m.header == ByteRange(offset: 0, length: bytes.count))
        #expect(m.body == ByteRange(offset: bytes.count, length: 0))
        #expect(m.fields.map(\.name) == ["From", "To", "Subject"])
        #expect(m.subject == "headers only")
        #expect(m.root.bodyLineCount == 0)
        #expect(m.part(at: [1]) == m.root)
    }

    @Test func groupsRoutesAndObsoleteDate() throws {
        let bytes = try corpus("groups.eml")
        let e = parser.parse(bytes).envelope
        #expect(e.from == [Address(name: "Doe, John", mailbox: "john.doe", host: "example.com")])
        #expect(e.sender == e.from)
        #expect(
            e.to == [
                Address(mailbox: "Friends", host: nil),
                Address(mailbox: "alice", host: "example.org"),
                Address(name: "Bob B.", mailbox: "bob", host: "example.net"),
                Address(mailbox: nil, host: nil),
                Address(mailbox: "carol", host: "example.com"),
            ])
        #expect(e.cc == [Address(mailbox: "undisclosed-recipients", host: nil), Address(mailbox: nil, host: nil)])
        #expect(e.bcc == [Address(adl: "@relay1.example,@relay2.example", mailbox: "victor", host: "example.org")])
        #expect(e.replyTo == [Address(mailbox: "\"quoted local\"", host: "example.com")])
        #expect(e.inReplyTo == "<parent@example.com>")
        #expect(e.date.flatMap(MessageDate.parse) == Date(timeIntervalSince1970: 920_832_300))
    }

    @Test func digestDefaultsToMessageRFC822() throws {
        let bytes = try corpus("digest.eml")
        let m = parser.parse(bytes)
        #expect(m.root.parts.count == 2)
        for (index, part) in m.root.parts.enumerated() {
            #expect(part.contentType == .messageRFC822)
            #expect(bytes.text(part.header) == "\r\n")
            let inner = try #require(part.message)
            #expect(inner.envelope.subject == ["first", "second"][index])
            #expect(bytes.text(inner.body) == ["first body", "second body"][index])
        }
        #expect(bytes.text(try #require(m.part(at: [2, 1])).body) == "second body")
    }

    @Test(arguments: corpusNames())
    func everyCorpusMessageRoundTripsThroughJSON(name: String) throws {
        let bytes = try corpus(name)
        let parsed = parser.parse(bytes)
        ParseInvariants.check(parsed, size: bytes.count)
        let json = try JSONEncoder().encode(parsed)
        #expect(try JSONDecoder().decode(ParsedMessage.self, from: json) == parsed)
    }
}
