import POP3Protocol
import TestSupport
import Testing

/// Status lines and response codes (RFC 1939 §3, RFC 2449 §8, RFC 3206, RFC 5034 §4):
/// exact bytes of the named responses, parsing, round trips.
@Suite struct POP3ResponseTests {
    @Test(arguments: [
        (POP3Response.ok(), "+OK\r\n"),
        (.ok("2 messages"), "+OK 2 messages\r\n"),
        (.greeting("pop.example.org"), "+OK pop.example.org POP3 ready\r\n"),
        (.authFailed, "-ERR [AUTH] Authentication failed\r\n"),
        (.tempFailure, "-ERR [SYS/TEMP] Temporary failure, try again later\r\n"),
        (.permFailure, "-ERR [SYS/PERM] Permanent failure, contact your administrator\r\n"),
        (.inUse, "-ERR [IN-USE] Mailbox in use by another session\r\n"),
        (.loginDelay, "-ERR [LOGIN-DELAY] Login attempted too soon\r\n"),
        (.noSuchMessage, "-ERR No such message\r\n"),
        (.messageDeleted, "-ERR Message already deleted\r\n"),
        (.unknownCommand, "-ERR Unknown command\r\n"),
        (.wrongState, "-ERR Command not valid in this state\r\n"),
        (.lineTooLong, "-ERR Line too long\r\n"),
        (.tlsRequired, "-ERR [AUTH] Plaintext authentication requires TLS (use STLS)\r\n"),
        (.beginTLS, "+OK Begin TLS negotiation\r\n"),
        (.dropListing(count: 2, octets: 320), "+OK 2 320\r\n"),
        (.scanListing(1, octets: 120), "+OK 1 120\r\n"),
        (.uniqueIDListing(1, "7.42"), "+OK 1 7.42\r\n"),
        (.continuation(), "+ \r\n"),
        (
            .continuation("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+"),
            "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+\r\n"
        ),
        (POP3Response(.err, nil, ""), "-ERR\r\n"),
        (POP3Response(.err, .systemTemporary, ""), "-ERR [SYS/TEMP]\r\n"),
    ])
    func encodes(response: POP3Response, wire: String) {
        #expect(text(response.encoded) == wire)
        #expect(response.description + "\r\n" == wire)
    }

    @Test(arguments: [
        ("+OK", POP3Response(.ok, nil, "")),
        ("+OK ", POP3Response(.ok, nil, "")),
        ("+OK 2 messages (320 octets)", POP3Response(.ok, nil, "2 messages (320 octets)")),
        ("+ok lower case", POP3Response(.ok, nil, "lower case")),
        ("-ERR", POP3Response(.err, nil, "")),
        ("-ERR no such message", POP3Response(.err, nil, "no such message")),
        ("-ERR [IN-USE] locked", POP3Response(.err, .inUse, "locked")),
        ("-ERR [SYS/TEMP] later", POP3Response(.err, .systemTemporary, "later")),
        ("-ERR [SYS/PERM]", POP3Response(.err, .systemPermanent, "")),
        ("-ERR [AUTH]no space", POP3Response(.err, .auth, "no space")),
        ("-ERR [X-VENDOR/A/B] odd", POP3Response(.err, POP3ResponseCode("X-VENDOR/A/B"), "odd")),
        ("-ERR [not a code] text", POP3Response(.err, nil, "[not a code] text")),
        ("-ERR [SYS//TEMP] x", POP3Response(.err, nil, "[SYS//TEMP] x")),
        ("-ERR [] x", POP3Response(.err, nil, "[] x")),
        ("-ERR [unclosed", POP3Response(.err, nil, "[unclosed")),
        ("+", POP3Response(.continuation, nil, "")),
        ("+ ", POP3Response(.continuation, nil, "")),
        ("+ dGVzdA==", POP3Response(.continuation, nil, "dGVzdA==")),
    ])
    func parses(line: String, response: POP3Response) {
        #expect(POP3Response(parsing: bytes(line)[...]) == response)
    }

    @Test(arguments: ["", "OK", "+OKAY", "-ERROR x", "+OKx", "250 OK", "* OK", "+-", "-", "ERR"])
    func refusesMalformed(line: String) {
        #expect(POP3Response(parsing: bytes(line)[...]) == nil)
    }

    static let named: [POP3Response] = [
        .ok(), .goodbye, .loggedIn, .beginTLS, .capabilityListFollows, .unknownCommand, .syntaxError, .missingArgument,
        .tooManyArguments, .invalidMessageNumber, .argumentTooLong, .invalidArgument, .lineTooLong, .wrongState,
        .noSuchMessage, .messageDeleted, .apopNotSupported, .tlsAlreadyActive, .tlsNotAvailable, .authFailed, .tlsRequired,
        .inUse, .loginDelay, .unknownMechanism, .authCancelled, .invalidSASLResponse, .tempFailure, .permFailure,
        .updateFailed, .shuttingDown, .tooManyConnections, .tooManyErrors, .autologout, .greeting("h"),
    ]

    @Test func namedResponsesRoundTripAndFit() {
        for response in Self.named {
            let wire = response.encoded
            #expect(wire.count <= POP3Defaults.responseLineLength)
            #expect(POP3Response(parsing: wire.dropLast(2)) == response, "\(response)")
        }
    }

    @Test func errorsCarryTheRightCodes() {
        #expect(POP3Response.authFailed.code == .auth && POP3Response.authFailed.status == .err)
        #expect(POP3Response.tempFailure.code?.isWithin(.system) == true)
        #expect(POP3Response.permFailure.code?.isWithin(.system) == true)
        #expect(POP3Response.inUse.code == .inUse)
        #expect(POP3Response.loginDelay.code == .loginDelay)
        #expect(POP3Response.noSuchMessage.code == nil)
        #expect(POP3Response(.continuation, .auth, "x").code == nil)
    }

    @Test func longTextIsCutToFit() {
        let long = POP3Response(.err, .systemTemporary, String(repeating: "\u{E9}", count: 600))
        let wire = long.encoded
        #expect(wire.count <= POP3Defaults.responseLineLength && wire.count >= POP3Defaults.responseLineLength - 1)
        #expect(wire.suffix(2) == [0x0D, 0x0A])
        // Cut at a character boundary: still valid UTF-8.
        #expect(String(validating: wire, as: UTF8.self) != nil)
        let ascii = POP3Response.ok(String(repeating: "a", count: 1000)).encoded
        #expect(ascii.count == POP3Defaults.responseLineLength)
        // A SASL challenge is never cut.
        #expect(POP3Response.continuation(String(repeating: "A", count: 4000)).encoded.count == 4004)
    }

    @Test func textCannotEndTheLine() {
        let injected = POP3Response.ok("a\r\n-ERR b\0c")
        #expect(text(injected.encoded) == "+OK a  -ERR b c\r\n")
        #expect(text(POP3Response.continuation("a\nb").encoded) == "+ a b\r\n")
    }

    @Test func responseCodes() {
        #expect(POP3ResponseCode("SYS/TEMP") == .systemTemporary)
        #expect(POP3ResponseCode("SYS/TEMP")?.levels == ["SYS", "TEMP"])
        #expect(POP3ResponseCode("IN-USE")?.description == "IN-USE")
        #expect(POP3ResponseCode.systemTemporary.isWithin(.system))
        #expect(!POP3ResponseCode.system.isWithin(.systemTemporary))
        #expect(POP3ResponseCode("sys/temp")?.isWithin(.system) == true)
        #expect(!POP3ResponseCode.auth.isWithin(.system))
        for bad in ["", "/", "SYS/", "/TEMP", "A B", "A]B", "\u{E9}", "A\u{7F}"] {
            #expect(POP3ResponseCode(bad) == nil, "\(bad)")
        }
    }
}
