import SMTPProtocol
import TestSupport
import Testing

/// RFC 5321 §4.1.1.1 EHLO: what our server announces, and what the client reads from others.
@Suite struct EHLOResponseTests {
    @Test func serverAnnouncement() {
        let response = EHLOResponse.server(domain: "mx.test", greeting: "hello", offerStartTLS: true, authMechanisms: [])
        #expect(
            text(response.reply.encoded) == """
                250-mx.test hello\r
                250-PIPELINING\r
                250-SIZE 26214400\r
                250-8BITMIME\r
                250-ENHANCEDSTATUSCODES\r
                250-SMTPUTF8\r
                250-CHUNKING\r
                250-DSN\r
                250 STARTTLS\r

                """)
        let afterTLS = EHLOResponse.server(domain: "mx.test", offerStartTLS: false, authMechanisms: ["PLAIN", "LOGIN"])
        #expect(afterTLS.reply.lines.last == "AUTH PLAIN LOGIN")
        #expect(!afterTLS.supports(.startTLS) && afterTLS.supports("auth"))
    }

    @Test func roundTrips() throws {
        let response = EHLOResponse.server(domain: "mx.test", maxMessageSize: 1000, offerStartTLS: true, authMechanisms: ["PLAIN"])
        var parser = SMTPReplyParser()
        parser.append(response.reply.encoded)
        let reply = try #require(try parser.next())
        let parsed = try #require(EHLOResponse(reply: reply))
        #expect(parsed == response)
        #expect(parsed.sizeLimit == 1000 && parsed.authMechanisms == ["PLAIN"])
    }

    @Test func readsRealServers() throws {
        let reply = SMTPReply(
            code: 250,
            lines: [
                "smtp.example.com at your service, [192.0.2.7]", "SIZE 35882577", "8BITMIME", "AUTH LOGIN PLAIN XOAUTH2",
                "AUTH=LOGIN", "ENHANCEDSTATUSCODES", "pipelining", "CHUNKING", "SMTPUTF8", "X-EXPS GSSAPI NTLM", "-bad",
            ])
        let parsed = try #require(EHLOResponse(reply: reply))
        #expect(parsed.domain == "smtp.example.com" && parsed.greeting == "at your service, [192.0.2.7]")
        #expect(parsed.sizeLimit == 35_882_577)
        #expect(parsed.authMechanisms == ["LOGIN", "PLAIN", "XOAUTH2"])
        #expect(parsed.supports(.pipelining) && parsed.supports(.chunking) && parsed.supports("x-exps"))
        #expect(!parsed.supports(.startTLS) && !parsed.supports(.dsn))
        #expect(parsed.capabilities.count == 9)
        #expect(EHLOResponse(reply: SMTPReply(code: 250, lines: ["a", "SIZE"]))?.sizeLimit == nil)
        #expect(EHLOResponse(reply: SMTPReply(code: 250, lines: ["a", "SIZE 0"]))?.sizeLimit == nil)
        #expect(EHLOResponse(reply: SMTPReply(502, nil, "no")) == nil)
        #expect(EHLOResponse(reply: SMTPReply(250, nil, "only.name"))?.capabilities == [])
    }
}
