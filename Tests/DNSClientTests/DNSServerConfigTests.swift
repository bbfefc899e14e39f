import Testing

@testable import DNSClient

/// BUZON_DNS_SERVER and the /etc/resolv.conf fallback.
@Suite struct DNSServerConfigTests {
    @Test(arguments: [
        ("127.0.0.1:5353", "127.0.0.1", 5353),
        ("127.0.0.1", "127.0.0.1", 53),
        ("dns.internal:53", "dns.internal", 53),
        ("dns", "dns", 53),
        ("[::1]:5353", "::1", 5353),
        ("[::1]", "::1", 53),
        ("2001:db8::53", "2001:db8::53", 53),
        ("  10.0.0.1:54 ", "10.0.0.1", 54),
    ])
    func parses(value: String, host: String, port: Int) throws {
        #expect(try DNSServerConfig.fromEnvironment(value, resolvConf: "") == DNSServerConfig(host: host, port: port))
    }

    @Test(arguments: [":53", "host:", "host:0", "host:65536", "host:x", "[::1", "[::1]x", "[::1]:", "[]:53", "[a]:53", "a b", "h:1:2x]"])
    func refuses(value: String) {
        #expect(throws: DNSServerConfig.ParseError.invalid(value.trimmingCharacters(" "))) {
            try DNSServerConfig.fromEnvironment(value, resolvConf: "")
        }
    }

    @Test func fallsBackToResolvConf() throws {
        let conf = """
            # nameserver 9.9.9.9
            ; nameserver 8.8.8.8
            search example.test
            options ndots:1
            nameserver\t10.255.255.53
            nameserver 10.0.0.2
            """
        #expect(try DNSServerConfig.fromEnvironment(nil, resolvConf: conf) == DNSServerConfig(host: "10.255.255.53"))
        #expect(try DNSServerConfig.fromEnvironment("", resolvConf: "nameserver fe80::1%eth0\n").host == "fe80::1%eth0")
        #expect(try DNSServerConfig.fromEnvironment(nil, resolvConf: "search x\n") == DNSServerConfig(host: "127.0.0.1"))
        // The real file is read when none is given; this machine's has a nameserver or not, either is fine.
        #expect(try DNSServerConfig.fromEnvironment(nil).port == 53)
    }

    @Test func describesItself() {
        #expect(DNSServerConfig(host: "::1", port: 53).description == "[::1]:53")
        #expect(DNSServerConfig(host: "10.0.0.1").description == "10.0.0.1:53")
    }
}

extension String {
    fileprivate func trimmingCharacters(_ character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
