import InternetMessage
import TestSupport
import Testing

/// RFC 5322 §2.2 header fields: unfolding, obsolete syntax, ranges, limits.
@Suite struct HeaderParserTests {
    func parse(_ text: String, limits: MessageLimits = .default) -> (ParsedMessage, [UInt8]) {
        let bytes = Array(text.utf8)
        return (MessageParser(limits: limits).parse(bytes), bytes)
    }

    @Test func unfoldsAndKeepsRanges() {
        let (m, bytes) = parse("Subject: one\r\n two\r\n\tthree\r\nTo: x@y\r\n\r\nbody")
        #expect(m.fields.map(\.name) == ["Subject", "To"])
        #expect(m.fields[0].rawValue == "one two\tthree")
        #expect(bytes.text(m.fields[0].range) == "Subject: one\r\n two\r\n\tthree\r\n")
        #expect(bytes.text(m.fields[1].range) == "To: x@y\r\n")
        #expect(bytes.text(m.body) == "body")
    }

    @Test(arguments: [
        ("A: 1\nB: 2\n\nbody", ["A", "B"], "body"),
        ("A: 1\r\nB: 2\n\r\nbody", ["A", "B"], "body"),
        ("Subject : obsolete\r\n\r\nbody", ["Subject"], "body"),
        ("From someone Tue Mar 4\r\nA: 1\r\n\r\nbody", ["A"], "body"),  // mbox line skipped
        ("  leading continuation\r\nA: 1\r\n\r\nbody", ["A"], "body"),
        ("junk line\r\nA:\r\n\r\nbody", ["A"], "body"),
        ("\r\nbody", [], "body"),
        ("", [], ""),
        ("A: 1", ["A"], ""),
        ("A: 1\r\nB: 2\r\n", ["A", "B"], ""),
        (": no name\r\nX-Y: z\r\n\r\n", ["X-Y"], ""),
    ])
    func headerShapes(input: String, names: [String], body: String) {
        let (m, bytes) = parse(input)
        #expect(m.fields.map(\.name) == names)
        #expect(bytes.text(m.body) == body)
        #expect(m.header.offset == 0 && m.header.end == m.body.offset && m.body.end == bytes.count)
    }

    @Test func emptyAndWhitespaceValues() {
        let (m, _) = parse("A:\r\nB:   \r\nC:  x  \r\n\r\n")
        #expect(m.fields.map(\.rawValue) == ["", "", "x"])
    }

    @Test func fieldCountLimit() {
        let text = (0..<50).map { "X-\($0): v\r\n" }.joined() + "\r\nbody"
        let (m, bytes) = parse(text, limits: MessageLimits(maxHeaderFields: 10))
        #expect(m.fields.count == 10)
        #expect(m.fields.last?.name == "X-9")
        #expect(bytes.text(m.body) == "body")
    }

    @Test func fieldLengthLimit() {
        let (m, bytes) = parse(
            "Subject: " + String(repeating: "a", count: 100) + "\r\n more\r\n\r\nb", limits: MessageLimits(maxHeaderFieldLength: 10))
        #expect(m.subject == "aaaaaaaaa")  // " aaaaaaaaa" trimmed
        #expect(m.fields[0].range.length == bytes.count - 3)
    }

    @Test func caseInsensitiveLookup() {
        let (m, _) = parse("SUBJECT: a\r\nsubject: b\r\n\r\n")
        #expect(m.fields(named: "Subject").map(\.rawValue) == ["a", "b"])
        #expect(m.envelope.subject == "a")
    }
}
