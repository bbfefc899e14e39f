import SMTPProtocol
import Testing

/// RFC 5321 §4.1.2 paths: the domain the parser reports is the one delivery and
/// relay decisions use, whatever tricks the local part or a source route play.
@Suite struct SMTPPathTests {
    @Test(arguments: [
        // (line, local part, domain, source route?, non-ASCII?)
        ("MAIL FROM:<user%other.test@example.test>", "user%other.test", "example.test", false, false),
        ("RCPT TO:<\"user@other.test\"@example.test>", "user@other.test", "example.test", false, false),
        ("RCPT TO:<@example.test:user@other.test>", "user", "other.test", true, false),
        ("RCPT TO:<@a.test,@b.test:user@other.test>", "user", "other.test", true, false),
        ("RCPT TO:<User@EXAMPLE.Test>", "User", "EXAMPLE.Test", false, false),
        ("RCPT TO:<user@example.test.>", "user", "example.test", false, false),
        ("RCPT TO:<user@[192.0.2.1]>", "user", "[192.0.2.1]", false, false),
        ("RCPT TO:<user@[IPv6:2001:db8::1]>", "user", "[IPv6:2001:db8::1]", false, false),
        ("RCPT TO:<user@[IPv6:::ffff:192.0.2.1]>", "user", "[IPv6:::ffff:192.0.2.1]", false, false),
        ("RCPT TO:<user@[IPv6:2001:db8:0:0:0:0:0:1]>", "user", "[IPv6:2001:db8:0:0:0:0:0:1]", false, false),
        ("RCPT TO:<\"john doe\"@example.test>", "john doe", "example.test", false, false),
        ("RCPT TO:<\"a\\\"b\"@example.test>", "a\"b", "example.test", false, false),
        ("RCPT TO:<\"a>b\"@example.test> NOTIFY=NEVER", "a>b", "example.test", false, false),
        ("RCPT TO:<josé@exämple.test>", "josé", "exämple.test", false, true),
        ("RCPT TO:<用户@例子.测试>", "用户", "例子.测试", false, true),
        ("RCPT TO:<first.last+tag@sub.example.test>", "first.last+tag", "sub.example.test", false, false),
        ("RCPT TO:<!#$&'*+-/=?^_`{|}~@x.test>", "!#$&'*+-/=?^_`{|}~", "x.test", false, false),
        ("RCPT TO:<a@1.2.3.4>", "a", "1.2.3.4", false, false),
    ])
    func exposesTheTrueDomain(line: String, local: String, domain: String, routed: Bool, nonASCII: Bool) throws {
        let parsed = try #require(path(line))
        let mailbox = try #require(parsed.mailbox)
        #expect(mailbox.localPart == local)
        #expect(mailbox.domain == domain)
        #expect(parsed.hasSourceRoute == routed)
        #expect(parsed.requiresSMTPUTF8 == nonASCII)
    }

    @Test func domainComparison() throws {
        let mailbox = try #require(path("RCPT TO:<User@EXAMPLE.Test.>")?.mailbox)
        #expect(mailbox.normalizedDomain == "example.test")
        #expect(mailbox.hasDomain("example.test") && mailbox.hasDomain("Example.TEST."))
        #expect(!mailbox.hasDomain("other.test") && !mailbox.hasDomain("test"))
        #expect(Mailbox(localPart: "a", domain: "ÄÖ.test").normalizedDomain == "äö.test")
        #expect(try #require(path("RCPT TO:<a@[192.0.2.1]>")?.mailbox?.addressLiteral) == .ipv4("192.0.2.1"))
        #expect(try #require(path("RCPT TO:<a@[IPv6:::1]>")?.mailbox?.addressLiteral) == .ipv6("::1"))
        #expect(try #require(path("RCPT TO:<a@[x-tag:abc]>")?.mailbox?.addressLiteral) == .general(tag: "x-tag", content: "abc"))
        #expect(path("RCPT TO:<a@x.test>")?.mailbox?.addressLiteral == nil)
        #expect(path("RCPT TO:<Postmaster>")?.mailbox?.isBarePostmaster == true)
    }

    @Test(arguments: [
        "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.04444", "IPv6:1:2:3:4:5:6:7", "IPv6:1:2:3:4:5:6:7:8:9", "IPv6:12345::",
        "IPv6:1::2::3", "IPv6::1:2", "IPv6:1.2.3.4", "IPv6:g::1", "x:", ":abc", "-x:abc", "",
    ])
    func refusesBadAddressLiterals(inner: String) {
        #expect(AddressLiteral("[\(inner)]") == nil)
    }

    @Test(arguments: [
        "IPv6:1:2:3:4:5:6:7:8", "IPv6:::", "IPv6:1::", "IPv6:1:2:3:4:5:6::7", "IPv6:1:2:3:4:5:6:1.2.3.4", "ipv6:::1.2.3.4",
        "IPv6:fe80::1:2", "0.0.0.0", "255.255.255.255",
    ])
    func acceptsAddressLiterals(inner: String) {
        #expect(AddressLiteral("[\(inner)]") != nil)
    }

    @Test(arguments: [
        (Mailbox(localPart: "a", domain: "x.test"), "a@x.test"),
        (Mailbox(localPart: "a.b", domain: "x.test"), "a.b@x.test"),
        (Mailbox(localPart: "john doe", domain: "x.test"), "\"john doe\"@x.test"),
        (Mailbox(localPart: "a..b", domain: "x.test"), "\"a..b\"@x.test"),
        (Mailbox(localPart: ".a", domain: "x.test"), "\".a\"@x.test"),
        (Mailbox(localPart: "", domain: "x.test"), "\"\"@x.test"),
        (Mailbox(localPart: "a\"b\\c", domain: "x.test"), "\"a\\\"b\\\\c\"@x.test"),
        (Mailbox(localPart: "u@v", domain: "x.test"), "\"u@v\"@x.test"),
        (Mailbox(localPart: "ü", domain: "ö.test"), "ü@ö.test"),
        (Mailbox(localPart: "Postmaster", domain: ""), "Postmaster"),
    ])
    func describesAndRoundTrips(mailbox: Mailbox, expected: String) {
        #expect(mailbox.description == expected)
        let line = "RCPT TO:<\(expected)>"
        #expect(path(line) == SMTPPath(mailbox: mailbox))
    }

    @Test func nullPath() {
        #expect(SMTPPath.null.description == "<>" && SMTPPath.null.isNull)
        #expect(path("MAIL FROM:<>") == .null)
        #expect(path("RCPT TO:<@a.test:u@b.test>")?.description == "<u@b.test>")
    }
}
