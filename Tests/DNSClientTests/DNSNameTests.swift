import Testing

@testable import DNSClient

/// RFC 1035 §3.1 names: text in, wire out; and what we refuse to ask.
@Suite struct DNSNameTests {
    @Test(arguments: [
        ("a.test", "01 61 04 74657374 00"),
        ("A.Test.", "01 41 04 54657374 00"),
        (".", "00"),
        ("mx-1.example_x.test", "04 6d782d31 09 6578616d706c655f78 04 74657374 00"),
    ])
    func encodes(text: String, wire: String) throws {
        var bytes: [UInt8] = []
        try DNSName(text).encode(into: &bytes)
        #expect(bytes == hex(wire))
        let (decoded, end) = try DNSName.decode(bytes, at: 0)
        #expect(decoded == (try DNSName(text)) && end == bytes.count)
    }

    @Test(arguments: [
        "", "..", "a..test", ".a.test", "a.test..", "bücher.test", "例子.测试", "a test", "a\ttest", "a\\.test", "a\u{7F}.test",
        String(repeating: "x", count: 64) + ".test",
        Array(repeating: String(repeating: "x", count: 63), count: 4).joined(separator: "."),  // 257 octets on the wire
    ])
    func refuses(text: String) {
        #expect(throws: DNSError.self) { try DNSName(text) }
        do {
            _ = try DNSName(text)
        } catch {
            #expect(error.kind == .invalidName && error.isPermanent)
        }
    }

    @Test func utf8IsRefusedWithAHint() {
        #expect {
            try DNSName("bücher.example")
        } throws: { error in
            (error as? DNSError)?.detail.contains("IDNA") == true
        }
    }

    @Test func longestNameFits() throws {
        // 3 × 63 + 61 octets of labels, 4 + 1 length octets: exactly 255. RFC 1035 §2.3.4
        let text =
            Array(repeating: String(repeating: "x", count: 63), count: 3).joined(separator: ".") + "."
            + String(repeating: "y", count: 61)
        #expect(try DNSName(text).wireLength == 255)
    }

    @Test func comparesWithoutCase() {
        #expect(dns("MX1.A.test") == dns("mx1.a.TEST"))
        #expect(Set([dns("MX1.A.test"), dns("mx1.a.test")]).count == 1)
        #expect(dns("a.test") != dns("a.test.x") && dns("a.test") != dns("b.test"))
    }

    @Test func escapesWhatIsNotPrintable() throws {
        // A label holding a dot and a byte over 0x7F: text with \DDD, and no host name. RFC 4343 §2.1
        let (decoded, _) = try DNSName.decode(hex("03 612e62 02 c3a9 00"), at: 0)
        #expect(decoded.description == "a\\046b.\\195\\169")
        #expect(decoded.hostName == nil && DNSName.root.hostName == nil && DNSName.root.description == ".")
        #expect(dns("mx.a.test").hostName == "mx.a.test")
    }

    @Test func followsBackwardPointers() throws {
        // 0: a.test   8: mx1 → 0   14: → 8
        let bytes = name("a.test") + labels("mx1") + hex("c000") + hex("c008")
        #expect(try DNSName.decode(bytes, at: 8) == (dns("mx1.a.test"), 14))
        #expect(try DNSName.decode(bytes, at: 14) == (dns("mx1.a.test"), 16))
    }

    @Test(arguments: [
        ("c000", DNSWireError.badPointer),  // points at itself
        ("c002 00", .badPointer),  // forward
        ("c0", .truncated),  // half a pointer
        ("03 6162", .truncated),  // label past the end
        ("01 61", .truncated),  // no root
        ("40 00", .badLabelType),  // 01 prefix. RFC 6891 §5
        ("80 00", .badLabelType),  // 10 prefix
        ("", .truncated),
    ])
    func refusesBadWire(wire: String, error: DNSWireError) {
        #expect(throws: error) { try DNSName.decode(hex(wire), at: 0) }
    }

    @Test func refusesLongNamesAndLongChains() throws {
        let label: [UInt8] = [63] + [UInt8](repeating: 0x78, count: 63)
        let long: [UInt8] = Array(repeating: label, count: 5).joined() + [0]
        #expect(throws: DNSWireError.nameTooLong) { try DNSName.decode(long, at: 0) }
        // A two-pointer loop: 0 → 2 is forward, refused before it can loop.
        #expect(throws: DNSWireError.badPointer) { try DNSName.decode(hex("c002 c000"), at: 0) }
        // A chain of backward pointers, each to the one before: bounded by the cap.
        func chain(_ count: Int) -> [UInt8] {
            var bytes: [UInt8] = [0] + hex("c000")  // the root at 0, then a pointer to it at 1
            for index in 1..<count { bytes += [0xC0, UInt8(1 + 2 * (index - 1))] }  // each to the previous pointer
            return bytes
        }
        let ok = chain(DNSDefaults.compressionPointers)
        #expect(try DNSName.decode(ok, at: ok.count - 2).name == .root)
        let tooMany = chain(DNSDefaults.compressionPointers + 1)
        #expect(throws: DNSWireError.badPointer) { try DNSName.decode(tooMany, at: tooMany.count - 2) }
    }
}
