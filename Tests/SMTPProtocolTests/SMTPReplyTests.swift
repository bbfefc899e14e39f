import SMTPProtocol
import TestSupport
import Testing

/// RFC 5321 §4.2 replies: the encoder, the client side's incremental parser, the named constants.
@Suite struct SMTPReplyTests {
    @Test func encodes() {
        #expect(text(SMTPReply.ok.encoded) == "250 2.0.0 OK\r\n")
        #expect(text(SMTPReply.serviceReady("mx.test").encoded) == "220 mx.test ESMTP ready\r\n")
        #expect(
            text(SMTPReply(code: 250, lines: ["mx.test", "PIPELINING", "SIZE 10"]).encoded)
                == "250-mx.test\r\n250-PIPELINING\r\n250 SIZE 10\r\n")
        #expect(
            text(SMTPReply(code: 550, enhancedCode: EnhancedStatusCode(5, 1, 1), lines: ["a", "b"]).encoded)
                == "550-5.1.1 a\r\n550 5.1.1 b\r\n")
        #expect(text(SMTPReply.authChallenge("").encoded) == "334 \r\n")  // RFC 4954 §4: SP required
        #expect(text(SMTPReply(250, nil, "evil\r\n250 injected").encoded) == "250 evil  250 injected\r\n")
    }

    @Test(arguments: [
        (SMTPReply.ok, 250, "2.0.0" as String?), (.okSender, 250, "2.1.0"), (.okRecipient, 250, "2.1.5"), (.startMailInput, 354, nil),
        (.closing, 221, "2.0.0"), (.badSequence, 503, "5.5.1"), (.syntaxError, 500, "5.5.2"), (.parameterSyntax, 501, "5.5.4"),
        (.mailboxUnavailable, 550, "5.1.1"), (.relayDenied, 554, "5.7.1"), (.senderNotOwned, 553, "5.7.1"),
        (.tooManyRecipients, 452, "4.5.3"), (.messageTooBig, 552, "5.3.4"), (.temporaryFailure, 451, "4.3.0"),
        (.authRequired, 530, "5.7.0"), (.encryptionRequired, 530, "5.7.0"), (.authSucceeded, 235, "2.7.0"),
        (.authFailed, 535, "5.7.8"), (.authTooWeak, 534, "5.7.9"), (.cannotVRFY, 252, "2.1.5"), (.lineTooLong, 500, "5.5.6"),
        (.tooManyConnections, 421, "4.7.0"), (.parameterNotRecognized, 555, "5.5.4"), (.readyToStartTLS, 220, "2.0.0"),
    ])
    func constants(reply: SMTPReply, code: Int, enhanced: String?) {
        #expect(reply.code == code)
        #expect(reply.enhancedCode?.description == enhanced)
        if let enhanced { #expect(enhanced.first == String(code).first) }  // RFC 3463 §2: class matches
        #expect(reply.encoded.count <= SMTPDefaults.replyLineLength)
    }

    @Test func encryptionRequiredText() {
        #expect(SMTPReply.encryptionRequired.text == "Must issue a STARTTLS command first")
    }

    static let stream = bytes(
        "220 mx.test ESMTP\r\n250-mx.test\r\n250-PIPELINING\r\n250 SIZE 100\r\n250 2.1.0 OK\r\n"
            + "550-5.1.1 no such\r\n550 5.1.1 user\r\n354 go ahead\n250\r\n421-4.7.0 a\r\n421 b\r\n")
    static let expected = [
        SMTPReply(220, nil, "mx.test ESMTP"), SMTPReply(code: 250, lines: ["mx.test", "PIPELINING", "SIZE 100"]),
        SMTPReply(250, EnhancedStatusCode(2, 1, 0), "OK"),
        SMTPReply(code: 550, enhancedCode: EnhancedStatusCode(5, 1, 1), lines: ["no such", "user"]),
        SMTPReply(354, nil, "go ahead"), SMTPReply(250, nil, ""), SMTPReply(code: 421, lines: ["4.7.0 a", "b"]),
    ]

    @Test(arguments: chunkSizes)
    func parsesInChunks(size: Int) throws {
        var parser = SMTPReplyParser()
        var replies: [SMTPReply] = []
        for chunk in Self.stream.chunks(of: size) {
            parser.append(chunk)
            while let reply = try parser.next() { replies.append(reply) }
        }
        #expect(replies == Self.expected)
        #expect(!parser.hasPartialReply)
    }

    @Test(arguments: [
        ("hello\r\n", SMTPReplyParser.Error.malformedLine), ("25\r\n", .malformedLine), ("600 x\r\n", .malformedLine),
        ("199 x\r\n", .malformedLine), ("250x\r\n", .malformedLine), ("250-a\r\n251 b\r\n", .inconsistentCode),
        ("250 " + String(repeating: "x", count: 600) + "\r\n", .lineTooLong),
        ("250-" + String(repeating: "x", count: 600), .lineTooLong),
    ])
    func refusesGarbage(input: String, expected: SMTPReplyParser.Error) {
        var parser = SMTPReplyParser(maxLineLength: SMTPDefaults.replyLineLength)
        parser.append(bytes(input))
        #expect(throws: expected) { while try parser.next() != nil {} }
        parser.append(bytes("250 OK\r\n"))
        #expect(throws: expected) { try parser.next() }  // poisoned: the connection must close
    }

    @Test func boundsLineCount() {
        var parser = SMTPReplyParser(maxLines: 3)
        parser.append(bytes("250-a\r\n250-b\r\n250-c\r\n250 d\r\n"))
        #expect(throws: SMTPReplyParser.Error.tooManyLines) { try parser.next() }
    }

    @Test(arguments: [
        SMTPReply.ok, .startMailInput, .authChallenge(""), .authChallenge("VXNlcm5hbWU6"), .serviceReady("mx"),
        SMTPReply(code: 550, enhancedCode: EnhancedStatusCode(5, 7, 1), lines: ["a", "", "c"]),
        SMTPReply(code: 250, lines: ["x", "y z"]), SMTPReply(451, EnhancedStatusCode(4, 3, 0), ""),
        SMTPReply(450, nil, "5.1.1 is not an enhanced code for a 4xx reply"),
    ])
    func roundTrips(reply: SMTPReply) throws {
        var parser = SMTPReplyParser()
        parser.append(reply.encoded)
        #expect(try parser.next() == reply)
    }

    @Test(arguments: ["2.0.0", "4.7.1", "5.1.10", "5.999.999"])
    func enhancedCodes(string: String) {
        #expect(EnhancedStatusCode(string)?.description == string)
    }

    @Test(arguments: ["", "2.0", "3.0.0", "2.0.0.0", "2.1000.0", "2..0", "a.b.c", "22.0.0"])
    func badEnhancedCodes(string: String) {
        #expect(EnhancedStatusCode(string) == nil)
    }
}
