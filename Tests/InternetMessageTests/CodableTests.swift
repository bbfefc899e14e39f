import Foundation
import InternetMessage
import TestSupport
import Testing

/// The stored JSON: round trips and stays compact.
@Suite struct CodableTests {
    @Test func compactForms() throws {
        let json = String(decoding: try JSONEncoder().encode(ByteRange(offset: 3, length: 4)), as: UTF8.self)
        #expect(json == "[3,4]")
        let part = MessagePart(header: ByteRange(offset: 0, length: 2), body: ByteRange(offset: 2, length: 0))
        let partJSON = String(decoding: try JSONEncoder().encode(part), as: UTF8.self)
        #expect(!partJSON.contains("type") && !partJSON.contains("parts") && !partJSON.contains("encoding"))
        #expect(try JSONDecoder().decode(MessagePart.self, from: Data(partJSON.utf8)) == part)
    }

    @Test func randomMessagesRoundTrip() throws {
        var generator = SeededGenerator(seed: 42)
        for name in corpusNames() {
            let bytes = try corpus(name)
            var mutated = bytes
            for _ in 0..<10 {
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            let parsed = MessageParser().parse(mutated)
            #expect(try JSONDecoder().decode(ParsedMessage.self, from: JSONEncoder().encode(parsed)) == parsed)
        }
    }

    @Test func envelopeOmitsEmptyLists() throws {
        let json = String(decoding: try JSONEncoder().encode(Envelope(subject: "x")), as: UTF8.self)
        #expect(json == "{\"subject\":\"x\"}")
        #expect(try JSONDecoder().decode(Envelope.self, from: Data(json.utf8)) == Envelope(subject: "x"))
    }
}
