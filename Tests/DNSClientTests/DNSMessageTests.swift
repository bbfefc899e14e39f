import Testing

@testable import DNSClient

/// RFC 1035 §4.1 messages: hand-built responses, compressed as servers send them.
@Suite struct DNSMessageTests {
    /// a.test MX: 10 mx1.a.test, 20 mx2.a.test, names compressed against the question at 12.
    static let mxResponse =
        header(an: 2) + name("a.test") + hex("000f 0001")
        + hex("c00c 000f 0001 00000e10 0008 000a") + labels("mx1") + hex("c00c")
        + hex("c00c 000f 0001 00000e10 0008 0014") + labels("mx2") + hex("c00c")

    @Test func readsCompressedMX() throws {
        let message = try DNSMessage(decoding: Self.mxResponse)
        #expect(message.header.id == 0x1234 && message.header.isResponse && message.header.recursionAvailable)
        #expect(message.header.responseCode == .noError && !message.header.isTruncated)
        #expect(message.questions == [DNSQuestion(name: dns("a.test"), type: .mx)])
        #expect(message.answers == [mx("a.test", 10, "mx1.a.test").withTTL(3600), mx("a.test", 20, "mx2.a.test").withTTL(3600)])
        #expect(message.authorities.isEmpty && message.additionals.isEmpty)
    }

    @Test func readsAddressesAliasesAndOtherTypes() throws {
        // alias.test CNAME a.test (pointer to the question's "test"), a.test A and AAAA,
        // and an SOA in authority kept as raw RDATA.
        let bytes =
            header(an: 3, ns: 1) + name("alias.test") + hex("0001 0001")
            + hex("c00c 0005 0001 0000003c 0004") + labels("a") + hex("c012")
            + hex("c028 0001 0001 0000003c 0004 c0000201")
            + hex("c028 001c 0001 0000003c 0010 20010db8000000000000000000000001")
            + hex("c012 0006 0001 0000003c 0003 aabbcc")
        let message = try DNSMessage(decoding: bytes)
        #expect(
            message.answers.map(\.data) == [.cname(dns("a.test")), .a([192, 0, 2, 1]), .aaaa(hex("20010db8000000000000000000000001"))])
        #expect(message.answers.compactMap(\.data.addressText) == ["192.0.2.1", "2001:db8::1"])
        #expect(message.authorities.map(\.type) == [.soa] && message.authorities[0].data == .other(hex("aabbcc")))
        let (canonical, records) = try message.answerRecords(for: dns("ALIAS.test"), type: .a)
        #expect(canonical == dns("a.test") && records.count == 1)
    }

    @Test(arguments: [
        ("8183", DNSResponseCode.nxDomain, false), ("8182", .serverFailure, false), ("8385", .refused, true),
        ("8181", .formatError, false), ("8184", .notImplemented, false), ("818f", DNSResponseCode(rawValue: 15), false),
    ])
    func readsFlags(flags: String, rcode: DNSResponseCode, truncated: Bool) throws {
        let message = try DNSMessage(decoding: header(flags: flags) + name("a.test") + hex("000f 0001"))
        #expect(message.header.responseCode == rcode && message.header.isTruncated == truncated)
        #expect(message.encoded() == header(flags: flags) + name("a.test") + hex("000f 0001"))
    }

    @Test func encodesAQuery() {
        let query = DNSMessage.query(id: 0xBEEF, name: dns("a.test"), type: .mx)
        #expect(query.encoded() == hex("beef 0100 0001 0000 0000 0000") + name("a.test") + hex("000f 0001"))
    }

    @Test func roundTrips() throws {
        let message = DNSMessage(
            header: DNSHeader(id: 9, isResponse: true, isAuthoritative: true, isTruncated: true, responseCode: .nxDomain),
            questions: [DNSQuestion(name: dns("a.test"), type: .aaaa)],
            answers: [cname("a.test", "b.test"), a("b.test", [127, 0, 0, 1])],
            authorities: [DNSResourceRecord(name: dns("test"), type: .soa, ttl: 5, data: .other([1, 2, 3]))],
            additionals: [mx("a.test", 0, ".")])
        #expect(try DNSMessage(decoding: message.encoded()) == message)
    }

    @Test func ignoresTrailingOctets() throws {
        #expect(try DNSMessage(decoding: Self.mxResponse + [0, 0, 0]) == DNSMessage(decoding: Self.mxResponse))
    }

    static let question = name("a.test") + hex("0001 0001")

    @Test(
        arguments: [
            ("empty", [], DNSWireError.truncated),
            ("short header", hex("1234 8180 0001 0000 0000 00"), .truncated),
            ("question missing", header(), .truncated),
            ("question cut in its type", header() + name("a.test") + hex("00"), .truncated),
            ("answer missing", header(an: 1) + question, .truncated),
            ("second answer missing", header(an: 2) + question + hex("c00c 0001 0001 00000000 0004 7f000001"), .truncated),
            ("RDLENGTH past the end", header(an: 1) + question + hex("c00c 0001 0001 00000000 0004 7f00"), .truncated),
            ("A of 5 octets", header(an: 1) + question + hex("c00c 0001 0001 00000000 0005 7f00000100"), .badRecordLength),
            ("AAAA of 4 octets", header(an: 1) + question + hex("c00c 001c 0001 00000000 0004 7f000001"), .badRecordLength),
            ("MX of 2 octets", header(an: 1) + question + hex("c00c 000f 0001 00000000 0002 000a 00"), .badRecordLength),
            (
                "MX name shorter than RDLENGTH", header(an: 1) + question + hex("c00c 000f 0001 00000000 0006 000a c00c 0000"),
                .badRecordLength
            ),
            (
                "MX name longer than RDLENGTH", header(an: 1) + question + hex("c00c 000f 0001 00000000 0003 000a 01 61 00"),
                .badRecordLength
            ),
            (
                "CNAME past RDLENGTH into the next", header(an: 1) + question + hex("c00c 0005 0001 00000000 0001 01 61 00"),
                .badRecordLength
            ),
            ("pointer to itself", header() + hex("c00c 0001 0001"), .badPointer),
            ("pointer forward", header() + hex("c00e 00 0001 0001"), .badPointer),
            ("two pointers looping", header(an: 1) + question + hex("c01a 0001 0001 00000000 0000") + hex("c018"), .badPointer),
            ("pointer beyond the end", header(an: 1) + question + hex("ffff 0001 0001 00000000 0000"), .badPointer),
            ("reserved label type", header() + hex("41 61 00 0001 0001"), .badLabelType),
            ("half a pointer", header() + hex("c0"), .truncated),
        ] as [(String, [UInt8], DNSWireError)])
    func refuses(_ what: String, wire: [UInt8], error: DNSWireError) {
        #expect(throws: error, "\(what)") { try DNSMessage(decoding: wire) }
    }

    @Test func hostileCountsCostNothing() {
        // 65,535 of every section in a 12-octet message: fails at once without allocating.
        #expect(throws: DNSWireError.truncated) { try DNSMessage(decoding: hex("1234 8180 ffff ffff ffff ffff")) }
        #expect(throws: DNSWireError.truncated) {
            try DNSMessage(decoding: hex("1234 8180 0000 ffff 0000 0000") + Array(repeating: 0, count: 11 * 1000))
        }
    }
}

extension DNSResourceRecord {
    func withTTL(_ ttl: UInt32) -> DNSResourceRecord {
        var copy = self
        copy.ttl = ttl
        return copy
    }
}
