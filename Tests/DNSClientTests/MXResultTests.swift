import Testing

@testable import DNSClient

/// RFC 5321 §5.1 and RFC 7505: what an MX answer means for delivery.
@Suite struct MXResultTests {
    static let question = DNSQuestion(name: dns("a.test"), type: .mx)
    static let keep: MXResult.Shuffle = { $0 }
    static let reverse: MXResult.Shuffle = { $0.reversed() }

    func result(_ answers: [DNSResourceRecord], rcode: DNSResponseCode = .noError, shuffle: MXResult.Shuffle = keep) throws
        -> MXResult
    {
        try MXResult(response: response(Self.question, rcode: rcode, answers: answers), domain: dns("a.test"), shuffle: shuffle)
    }

    @Test func sortsByPreferenceAndShufflesOnlyEquals() throws {
        let answers = [mx("a.test", 20, "c.test"), mx("a.test", 10, "a1.test"), mx("a.test", 30, "d.test"), mx("a.test", 10, "a2.test")]
        #expect(
            try result(answers)
                == .hosts([
                    MXHost(preference: 10, host: "a1.test"), MXHost(preference: 10, host: "a2.test"),
                    MXHost(preference: 20, host: "c.test"), MXHost(preference: 30, host: "d.test"),
                ]))
        guard case .hosts(let reversed) = try result(answers, shuffle: Self.reverse) else { Issue.record("no hosts"); return }
        #expect(reversed.map(\.host) == ["a2.test", "a1.test", "c.test", "d.test"])
    }

    @Test func randomShuffleKeepsPreferenceOrder() {
        let hosts = (0..<20).map { MXHost(preference: UInt16($0 % 3), host: "h\($0).test") }
        var orders: Set<[String]> = []
        for _ in 0..<20 {
            let ordered = MXResult.order(hosts)
            #expect(ordered.map(\.preference) == ordered.map(\.preference).sorted())
            #expect(Set(ordered) == Set(hosts))
            orders.insert(ordered.map(\.host))
        }
        #expect(orders.count > 1, "equal preferences are shuffled")
    }

    @Test func noRecordsIsTheImplicitMX() throws {
        #expect(try result([]) == .noMX)
        // A records only, or MX records for another name: still NODATA for a.test.
        #expect(try result([a("a.test", [127, 0, 0, 1]), mx("b.test", 10, "mx.b.test")]) == .noMX)
    }

    @Test func nullMX() throws {
        #expect(try result([mx("a.test", 0, ".")]) == .nullMX)
        // A "." beside real exchangers names no host: dropped, the others used.
        #expect(try result([mx("a.test", 0, "."), mx("a.test", 10, "mx.a.test")]) == .hosts([MXHost(preference: 10, host: "mx.a.test")]))
    }

    @Test func nxDomain() throws {
        #expect(try result([], rcode: .nxDomain) == .noSuchDomain)
    }

    @Test func followsCNAMEs() throws {
        let answers = [cname("a.test", "b.test"), cname("b.test", "c.test"), mx("c.test", 5, "mx.c.test")]
        #expect(try result(answers) == .hosts([MXHost(preference: 5, host: "mx.c.test")]))
        #expect(try result([cname("a.test", "b.test")]) == .noMX)
    }

    @Test func refusesLoopsAndLongChains() {
        for answers in [
            [cname("a.test", "b.test"), cname("b.test", "a.test")],
            [cname("a.test", "a.test")],
            [cname("a.test", "b.test"), cname("a.test", "c.test"), mx("b.test", 1, "x.test")],
            (0...DNSDefaults.cnameChainLength).map { cname("\($0 == 0 ? "a" : "c\($0)").test", "c\($0 + 1).test") },
        ] {
            #expect {
                try result(answers)
            } throws: { error in
                (error as? DNSError)?.kind == .malformedResponse && (error as? DNSError)?.isTemporary == true
            }
        }
        let longest = (0..<DNSDefaults.cnameChainLength).map { cname("\($0 == 0 ? "a" : "c\($0)").test", "c\($0 + 1).test") }
        #expect(throws: Never.self) { try result(longest + [mx("c\(DNSDefaults.cnameChainLength).test", 1, "x.test")]) }
    }

    @Test func skipsExchangesThatAreNoHostNames() throws {
        let odd = DNSResourceRecord(
            name: dns("a.test"), ttl: 1, data: .mx(preference: 1, exchange: DNSName(checkedLabels: [Array("a.b".utf8)])))
        #expect(try result([odd, mx("a.test", 2, "ok.test")]) == .hosts([MXHost(preference: 2, host: "ok.test")]))
        #expect(try result([odd]) == .hosts([]))
    }
}
