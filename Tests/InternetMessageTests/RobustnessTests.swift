import Foundation
import InternetMessage
import TestSupport
import Testing

/// Property tests: any input parses, quickly, within limits, with every range in bounds.
@Suite struct RobustnessTests {
    let parser = MessageParser()

    func check(_ bytes: [UInt8], limits: MessageLimits = .default) -> ParsedMessage {
        let parsed = MessageParser(limits: limits).parse(bytes)
        ParseInvariants.check(parsed, size: bytes.count, limits: limits)
        return parsed
    }

    @Test func randomBytes() {
        var generator = SeededGenerator(seed: 0xB0_2011)
        let pieces = [
            "\r\n", "\n", "\r", "--", "--b", "--b--", ":", ";", "=", "\"", " ", "\t", "=?", "?=",
            "Content-Type: multipart/mixed; boundary=b\r\n", "Content-Type: message/rfc822\r\n",
            "Content-Type: multipart/digest; boundary=b\r\n", "From: a@b\r\n", "\r\n\r\n", "x", "\u{FF}",
        ]
        for _ in 0..<400 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<80, using: &generator) {
                if Bool.random(using: &generator) {
                    bytes += Array(pieces[Int.random(in: 0..<pieces.count, using: &generator)].utf8)
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &generator))
                }
            }
            _ = check(bytes)
        }
    }

    @Test(arguments: corpusNames())
    func truncatedCorpus(name: String) throws {
        let bytes = try corpus(name)
        for length in stride(from: 0, through: bytes.count, by: 3) {
            _ = check(Array(bytes[..<length]))
        }
    }

    @Test(arguments: corpusNames())
    func mutatedCorpus(name: String) throws {
        let bytes = try corpus(name)
        var generator = SeededGenerator(seed: UInt64(bytes.count))
        for _ in 0..<60 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...8, using: &generator) where !mutated.isEmpty {
                let index = Int.random(in: 0..<mutated.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: mutated[index] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
                case 1: mutated[index] = [0x0A, 0x0D, 0x2D, 0x3A, 0x22, 0x3B][Int.random(in: 0..<6, using: &generator)]
                case 2: mutated.remove(at: index)
                default:
                    // Duplicate the line at index (boundary lines included).
                    let start = mutated[..<index].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                    let end = mutated[index...].firstIndex(of: 0x0A).map { $0 + 1 } ?? mutated.count
                    mutated.insert(contentsOf: mutated[start..<end], at: start)
                }
            }
            _ = check(mutated)
        }
    }

    @Test func duplicatedBoundaryLines() throws {
        let bytes = try corpus("mixed-base64.eml")
        let text = String(decoding: bytes, as: UTF8.self)
        let doubled = text.replacingOccurrences(
            of: "------=_Part_0_1234.5678\r\n", with: "------=_Part_0_1234.5678\r\n------=_Part_0_1234.5678\r\n")
        let m = check(Array(doubled.utf8))
        #expect(m.root.parts.count == 6)  // an empty part between each doubled pair
    }

    @Test func deepMultipartNesting() throws {
        var text = "Subject: deep\r\n"
        for level in 0..<10_000 { text += "Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n" }
        text += "\r\nleaf\r\n"
        let bytes = Array(text.utf8)
        let m = check(bytes)
        var depth = 0
        var part = m.root
        while let child = part.parts.first {
            depth += 1
            part = child
        }
        #expect(depth == MessageLimits.default.maxNestingDepth)
        #expect(try JSONDecoder().decode(ParsedMessage.self, from: JSONEncoder().encode(m)) == m)
    }

    @Test func deepMessageNesting() {
        let text = String(repeating: "Content-Type: message/rfc822\r\n\r\n", count: 10_000) + "Subject: bottom\r\n\r\nx"
        let m = check(Array(text.utf8))
        var depth = 0
        var message = m
        while let inner = message.root.message {
            depth += 1
            message = inner
        }
        #expect(depth == MessageLimits.default.maxNestingDepth)
    }

    @Test func customLimits() {
        let limits = MessageLimits(maxNestingDepth: 2, maxParts: 5)
        let text = "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + String(repeating: "--b\r\n\r\npart\r\n", count: 100) + "--b--\r\n"
        let m = check(Array(text.utf8), limits: limits)
        #expect(m.root.parts.count == 4)
        #expect(m.root.parts.last.map { $0.body.end } == text.utf8.count)  // the rest, opaque
    }

    @Test func thousandsOfBoundaryLikeLines() {
        var text = "Content-Type: multipart/mixed; boundary=abc\r\n\r\n"
        for index in 0..<20_000 {
            text += ["--abc\r\n", "--abcd\r\n", "--ab\r\n", "--abc-- x\r\n", "--abc \r\n"][index % 5]
        }
        let m = check(Array(text.utf8))
        #expect(m.root.parts.count == MessageLimits.default.maxParts - 1)
    }

    @Test func hugeLinesAndHeaders() {
        let line = [UInt8](repeating: 0x61, count: 1 << 20)
        _ = check(Array("Subject: ".utf8) + line + Array("\r\n\r\n".utf8) + line)
        let m = check(Array("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n".utf8) + line)
        #expect(m.root.parts.first?.body.length == line.count)
        let headerLines = String(repeating: "X-Spam: yes\r\n continued\r\n", count: 50_000) + "\r\nbody"
        let many = check(Array(headerLines.utf8))
        #expect(many.fields.count == MessageLimits.default.maxHeaderFields)
        #expect(many.body.length == 4)
    }
}

/// Field values built to trip quadratic scans in the value parsers.
@Suite struct PathologicalValueTests {
    @Test func longStructuredValues() {
        let limits = MessageLimits.default
        let sections = (0..<4_000).map { "; n*\($0)*=%41" }.joined()
        let words = String(repeating: "=?utf-8?q?", count: 6_000) + String(repeating: "=?", count: 20_000)
        let addresses = String(repeating: "a@b, \"q\" <c@d>, g: e@f;, (c) <", count: 1_500)
        let text = "Content-Type: text/plain" + sections + "\r\nSubject: " + words + "\r\nTo: " + addresses + "\r\n\r\n"
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let m = MessageParser(limits: limits).parse(Array(text.utf8))
            #expect(m.root.contentType.parameter("n")?.count == 4_000)  // 52 KB, under the field limit
            #expect(m.subject?.isEmpty == false)
            #expect(m.envelope.to.count > 1_500)
            #expect(MessageDate.parse(String(repeating: "1 ", count: 50_000)) == nil)
        }
        #expect(elapsed < .seconds(5))
    }
}
