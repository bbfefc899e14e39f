import InternetMessage
import TestSupport
import Testing

/// RFC 3501 §6.4.5 part numbering, message/rfc822 rules included.
@Suite struct PartNumberingTests {
    let parser = MessageParser()

    @Test func nonMultipartHasOnlyPartOne() {
        let m = parser.parse(Array("Subject: x\r\n\r\nhello".utf8))
        #expect(m.part(at: []) == m.root)
        #expect(m.part(at: [1]) == m.root)
        #expect(m.part(at: [2]) == nil && m.part(at: [0]) == nil && m.part(at: [1, 1]) == nil)
        #expect(m.allParts().map(\.path) == [[1]])
    }

    @Test func topLevelMessageRFC822() throws {
        let text = "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner body"
        let bytes = Array(text.utf8)
        let m = parser.parse(bytes)
        #expect(m.part(at: [1]) == m.root)
        let inner = try #require(m.part(at: [1, 1]))
        #expect(bytes.text(inner.body) == "inner body")
        #expect(m.root.message?.envelope.subject == "inner")
        #expect(m.part(at: [1, 2]) == nil)
        #expect(m.allParts().map(\.path) == [[1], [1, 1]])
    }

    @Test func rfc822InsideMultipart() throws {
        let text = """
            Content-Type: multipart/mixed; boundary=x\r
            \r
            --x\r
            \r
            first\r
            --x\r
            Content-Type: message/rfc822\r
            \r
            Content-Type: multipart/alternative; boundary=y\r
            \r
            --y\r
            \r
            a\r
            --y\r
            \r
            b\r
            --y--\r
            --x--\r

            """
        let bytes = Array(text.utf8)
        let m = parser.parse(bytes)
        #expect(bytes.text(try #require(m.part(at: [1])).body) == "first")
        #expect(bytes.text(try #require(m.part(at: [2, 1])).body) == "a")
        #expect(bytes.text(try #require(m.part(at: [2, 2])).body) == "b")
        #expect(m.part(at: [2, 3]) == nil && m.part(at: [3]) == nil && m.part(at: [1, 1]) == nil)
        #expect(m.root.part(at: [2, 2]) == m.part(at: [2, 2]))
        #expect(m.allParts().map(\.path) == [[], [1], [2], [2, 1], [2, 2]])
    }

    @Test func encodedMessageRFC822StaysALeaf() {
        let m = parser.parse(Array("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogeA0KDQo=".utf8))
        #expect(m.root.message == nil)
    }

    @Test func multipartWithoutBoundaryIsALeaf() {
        let m = parser.parse(Array("Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\na\r\n--x--".utf8))
        #expect(m.root.contentType.mimeType == "multipart/mixed")
        #expect(m.root.parts.isEmpty && !m.root.isMultipart)
    }
}
