import Testing

@testable import MailboxStore

/// The client key login failures are counted under: an IPv6 client by its /64.
@Suite("Client address key")
struct ClientAddressKeyTests {
    @Test(
        "normalised: IPv4 as itself, IPv6 by its /64, mapped IPv4 as IPv4, ::1 as itself, garbage as given",
        arguments: [
            ("192.0.2.1", "192.0.2.1"),
            ("127.0.4.2", "127.0.4.2"),
            // Full, compressed and upper-case forms of one /64 give one key.
            ("2001:0db8:0001:0002:0003:0004:0005:0006", "2001:db8:1:2::/64"),
            ("2001:db8:1:2::6", "2001:db8:1:2::/64"),
            ("2001:DB8:1:2:FFFF:FFFF:FFFF:FFFF", "2001:db8:1:2::/64"),
            ("2001:db8:1:3::6", "2001:db8:1:3::/64"),
            ("2001:db8::", "2001:db8::/64"),
            // RFC 4291 §2.5.5.2: an IPv4 client on a dual-stack socket.
            ("::ffff:192.0.2.1", "192.0.2.1"),
            ("::FFFF:c000:0201", "192.0.2.1"),
            ("::1", "::1"),
            ("0:0:0:0:0:0:0:1", "::1"),
            // RFC 4007 §11: the zone names our interface, not the client.
            ("fe80::1%eth0", "fe80::/64"),
            ("2001:db8:1:2::6%1", "2001:db8:1:2::/64"),
            // Not an address: counted as given.
            ("unknown", "unknown"),
            ("", ""),
            ("2001:db8::1::2", "2001:db8::1::2"),
            ("192.0.2.256", "192.0.2.256"),
            ("2001:db8:1:2::/64", "2001:db8:1:2::/64"),
            ("mail.example.test", "mail.example.test"),
        ])
    func normalised(input: String, key: String) {
        #expect(ClientAddressKey.key(input) == key)
    }
}
