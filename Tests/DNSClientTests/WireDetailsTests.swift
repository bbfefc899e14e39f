import Testing

@testable import DNSClient

/// The small pieces: address text (RFC 5952), errors' classes, type names.
@Suite struct WireDetailsTests {
    @Test(arguments: [
        ("7f000001", "127.0.0.1"),
        ("00000000000000000000000000000001", "::1"),
        ("00000000000000000000000000000000", "::"),
        ("20010db8000000000000000000000001", "2001:db8::1"),
        ("20010db8000000010000000000000001", "2001:db8:0:1::1"),  // the longest run, RFC 5952 §4.2.3
        ("20010db8000000000001000000000001", "2001:db8::1:0:0:1"),  // the first of equal runs
        ("20010db8000100010001000100010001", "2001:db8:1:1:1:1:1:1"),
        ("20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1"),  // one zero group stays, §4.2.2
        ("fe80000000000000abcd00ef00000000", "fe80::abcd:ef:0:0"),
    ])
    func formatsAddresses(octets: String, text: String) {
        #expect(IPAddressText.format(hex(octets)) == text)
    }

    @Test func otherLengthsHaveNoText() {
        #expect(IPAddressText.format([1, 2, 3]) == nil && DNSRecordData.mx(preference: 1, exchange: .root).addressText == nil)
    }

    @Test func errorClasses() {
        let temporary: [DNSError.Kind] = [.timeout, .serverFailure, .refused, .network, .malformedResponse]
        #expect(temporary.allSatisfy { DNSError($0, "x").isTemporary })
        #expect(DNSError(.noSuchDomain, "x").isPermanent && DNSError(.invalidName, "x").isPermanent)
        #expect(DNSError(.noSuchDomain, "a.test: no such domain").description.contains("permanent"))
    }

    @Test func responseCodesMapToErrors() throws {
        let question = DNSQuestion(name: dns("a.test"), type: .a)
        for (rcode, kind) in [
            (DNSResponseCode.serverFailure, DNSError.Kind.serverFailure), (.refused, .refused), (.formatError, .serverFailure),
            (.notImplemented, .serverFailure),
        ] {
            #expect(throws: DNSError(kind, "\(question): \(rcode)")) {
                try DNSResolver.checkResponseCode(response(question, rcode: rcode), question: question)
            }
        }
        #expect(
            try DNSResolver.checkResponseCode(response(question, rcode: .nxDomain), question: question).header.responseCode == .nxDomain)
    }

    @Test func matchesResponsesToQueries() {
        let query = DNSMessage.query(id: 7, name: dns("a.test"), type: .mx)
        let good = response(DNSQuestion(name: dns("A.TEST"), type: .mx))
        #expect(good.isResponse(to: query))
        var other = good
        other.header.id = 8
        #expect(!other.isResponse(to: query))
        #expect(!response(DNSQuestion(name: dns("a.test"), type: .a)).isResponse(to: query))
        #expect(!response(DNSQuestion(name: dns("b.test"), type: .mx)).isResponse(to: query))
        #expect(!query.isResponse(to: query), "QR must be set")
    }

    @Test func typeNames() {
        #expect(
            [DNSRecordType.a, .aaaa, .mx, .cname, .ns, .soa, .txt, .opt, DNSRecordType(rawValue: 99)].map(\.description) == [
                "A", "AAAA", "MX", "CNAME", "NS", "SOA", "TXT", "OPT", "TYPE99",
            ])
        #expect(DNSResponseCode.nxDomain.description == "NXDOMAIN" && DNSClass.internet.description == "IN")
    }
}
