import TestSupport
import Testing

@testable import DNSClient

/// Seeded random and mutated messages: the decoder never traps, and what it reads
/// encodes to bytes that read back the same.
@Suite struct RobustnessTests {
    static let seeds: [[UInt8]] = [
        DNSMessageTests.mxResponse,
        header(an: 3, ns: 1) + name("alias.test") + hex("0001 0001")
            + hex("c00c 0005 0001 0000003c 0004") + labels("a") + hex("c012")
            + hex("c028 0001 0001 0000003c 0004 c0000201")
            + hex("c028 001c 0001 0000003c 0010 20010db8000000000000000000000001")
            + hex("c012 0006 0001 0000003c 0003 aabbcc"),
        DNSMessage.query(id: 1, name: dns("example.test"), type: .aaaa).encoded(),
        response(DNSQuestion(name: dns("a.test"), type: .mx), answers: [cname("a.test", "b.test"), mx("b.test", 0, ".")]).encoded(),
    ]
    static let interesting: [UInt8] = [0x00, 0x01, 0x3F, 0x40, 0x80, 0xC0, 0xC0, 0xFF, 0x0C, 0x0F, 0x1C, 0x05]

    static func check(_ bytes: [UInt8]) {
        guard let message = try? DNSMessage(decoding: bytes) else { return }
        // `.other` RDATA may hold pointers into the old message; it is kept verbatim,
        // so the round trip still holds for the values.
        #expect((try? DNSMessage(decoding: message.encoded())) == message)
        for question in message.questions {
            _ = try? message.answerRecords(for: question.name, type: question.type)
            _ = try? MXResult(response: message, domain: question.name)
        }
        _ = message.answers.map { ($0.description, $0.data.addressText, $0.name.hostName) }
    }

    @Test func mutatedMessagesNeverTrap() {
        var generator = SeededGenerator(seed: 1035)
        var decoded = 0
        for seed in Self.seeds {
            for _ in 0..<3_000 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let index = Int.random(in: 0...bytes.count, using: &generator)
                    let byte =
                        Bool.random(using: &generator)
                        ? Self.interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
                    switch Int.random(in: 0..<4, using: &generator) {
                    case 0 where index < bytes.count: bytes[index] = byte
                    case 1 where index < bytes.count: bytes.remove(at: index)
                    case 2: bytes = Array(bytes.prefix(index))
                    default: bytes.insert(byte, at: index)
                    }
                }
                if (try? DNSMessage(decoding: bytes)) != nil { decoded += 1 }
                Self.check(bytes)
            }
        }
        #expect(decoded > 100, "mutations also produce readable messages")
    }

    @Test func randomBytesNeverTrap() {
        var generator = SeededGenerator(seed: 4035)
        for _ in 0..<5_000 {
            let count = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count > 12, Bool.random(using: &generator) {
                bytes.replaceSubrange(4..<12, with: [0, 1, 0, 2, 0, 1, 0, 1])  // plausible counts
            }
            Self.check(bytes)
            _ = try? DNSName.decode(bytes, at: Int.random(in: 0...max(0, bytes.count), using: &generator))
        }
    }
}
