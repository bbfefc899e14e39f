import IMAPProtocol
import InternetMessage
import Testing

/// BODY and BODYSTRUCTURE: RFC 9051 §7.5.2, RFC 3501 §7.4.2, compared with what Dovecot
/// 2.3.19 answers for the same messages.
@Suite struct BodyStructureEncodingTests {
    typealias F = ResponseFixture

    static func structure(_ raw: [UInt8], extended: Bool = true, utf8Enabled: Bool = false) -> String {
        F.string(BodyStructureEncoding.encode(F.parsed(raw).root, extended: extended, utf8Enabled: utf8Enabled))
    }

    static let mixedStructure =
        #"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 28 2 NIL NIL NIL NIL)"#
        + #"("MESSAGE" "RFC822" NIL NIL "forwarded" "7BIT" 252 "#
        + #"(NIL "inner" (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) NIL NIL NIL NIL NIL) "#
        + #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 5 1 NIL NIL NIL NIL)"#
        + #"("TEXT" "HTML" ("CHARSET" "us-ascii") NIL NIL "7BIT" 11 1 NIL NIL ("en" "de") NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL) "#
        + #"14 NIL ("ATTACHMENT" ("FILENAME" "fwd.eml")) NIL NIL)"#
        + #"("APPLICATION" "OCTET-STREAM" ("NAME" "a b.bin") "<id1@example>" NIL "BASE64" 8 "Q2hlY2sgSW50ZWdyaXR5IQ==" NIL NIL "http://example.org/a.bin") "#
        + #""MIXED" ("BOUNDARY" "outer") NIL NIL NIL)"#

    @Test func multipartWithAttachedMessage() {
        #expect(Self.structure(F.mixed) == Self.mixedStructure)
    }

    @Test func matchesDovecotUpToCaseAndCounting() {
        // Dovecot 2.3.19's answer to FETCH 1 BODYSTRUCTURE for the same bytes, verbatim.
        var dovecot =
            #"(("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 28 1 NIL NIL NIL NIL)"#
            + #"("message" "rfc822" NIL NIL "forwarded" "7bit" 254 "#
            + #"(NIL "inner" (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) NIL NIL NIL NIL NIL) "#
            + #"(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 5 0 NIL NIL NIL NIL)"#
            + #"("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 11 0 NIL NIL ("en" "de") NIL) "alternative" ("boundary" "inner") NIL NIL NIL) "#
            + #"14 NIL ("attachment" ("filename" "fwd.eml")) NIL NIL)"#
            + #"("application" "octet-stream" ("name" "a b.bin") "<id1@example>" NIL "base64" 8 "Q2hlY2sgSW50ZWdyaXR5IQ==" NIL NIL "http://example.org/a.bin") "#
            + #""mixed" ("boundary" "outer") NIL NIL NIL)"#
        // The known differences come from InternetMessage's parser, not from the encoder:
        // - body-fld-lines: the parser counts a last line without a line break (a part's
        //   final CRLF belongs to the boundary, RFC 2046 §5.1.1); Dovecot counts only LFs.
        // - the message/rfc822 part: Dovecot counts the CRLF before "--outer" in the part
        //   (254); by RFC 2046 §5.1.1 it belongs to the delimiter (252).
        for (theirs, ours) in [
            (#""quoted-printable" 28 1"#, #""quoted-printable" 28 2"#), (#""7bit" 5 0"#, #""7bit" 5 1"#),
            (#""7bit" 11 0"#, #""7bit" 11 1"#), (#""7bit" 254"#, #""7bit" 252"#),
        ] {
            dovecot = dovecot.replacing(theirs, with: ours)
        }
        #expect(Self.structure(F.mixed).uppercased() == dovecot.uppercased())
    }

    @Test func bodyLeavesOutExtensionData() {
        #expect(
            Self.structure(F.mixed, extended: false)
                == #"(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 28 2)"#
                + #"("MESSAGE" "RFC822" NIL NIL "forwarded" "7BIT" 252 "#
                + #"(NIL "inner" (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) NIL NIL NIL NIL NIL) "#
                + #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 5 1)("TEXT" "HTML" ("CHARSET" "us-ascii") NIL NIL "7BIT" 11 1) "ALTERNATIVE") 14)"#
                + #"("APPLICATION" "OCTET-STREAM" ("NAME" "a b.bin") "<id1@example>" NIL "BASE64" 8) "MIXED")"#)
    }

    @Test func nonMIMEMessage() {
        // Dovecot: ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 21 2 NIL NIL NIL NIL)
        #expect(Self.structure(F.plain) == #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 21 2 NIL NIL NIL NIL)"#)
    }

    @Test func rfc3501SinglePartShape() {
        // RFC 3501 §7.4.2: ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)
        let body = String(repeating: "0123456789012345678901234567890\r\n", count: 92)
        let raw = F.message(["Content-Type: TEXT/PLAIN; CHARSET=US-ASCII", "", body])
        let part = F.parsed(raw).root
        #expect(
            Self.structure(raw, extended: false)
                == #"("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" \#(part.body.length) 92)"#)
    }

    @Test func textWithoutCharsetGetsTheDefault() {
        // Dovecot: ("text" "html" ("format" "flowed" "charset" "us-ascii") NIL NIL "7bit" 5 1 NIL NIL NIL NIL)
        let raw = F.message(["From: x@example.org", "Content-Type: text/html; format=flowed", "", "<p>", ""])
        #expect(
            Self.structure(raw)
                == #"("TEXT" "HTML" ("FORMAT" "flowed" "CHARSET" "us-ascii") NIL NIL "7BIT" 5 1 NIL NIL NIL NIL)"#)
        // Not for other types.
        let image = F.message(["Content-Type: image/png", "Content-Transfer-Encoding: base64", "", "iVBO", ""])
        #expect(Self.structure(image, extended: false) == #"("IMAGE" "PNG" NIL NIL NIL "BASE64" 6)"#)
    }

    @Test func singleLanguageIsAList() {
        // Dovecot: ("text" "plain" ("charset" "utf-8" "format" "flowed") NIL NIL "8bit" 6 1 NIL NIL ("en") NIL)
        let raw = F.message([
            "Content-Type: text/plain; charset=utf-8; format=flowed", "Content-Language: en",
            "Content-Transfer-Encoding: 8bit", "", "line", "",
        ])
        #expect(
            Self.structure(raw)
                == #"("TEXT" "PLAIN" ("CHARSET" "utf-8" "FORMAT" "flowed") NIL NIL "8BIT" 6 1 NIL NIL ("en") NIL)"#)
    }

    @Test func encodedMessageRFC822KeepsTheMessageShape() {
        // Dovecot: ("message" "rfc822" NIL NIL NIL "base64" 26 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)
        //   ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) 1 NIL NIL NIL NIL)
        let raw = F.message([
            "From: x@example.org", "Content-Type: message/rfc822", "Content-Transfer-Encoding: base64", "",
            "RnJvbTogYUBiLmMNCg0KaGk=", "",
        ])
        #expect(
            Self.structure(raw) == #"("MESSAGE" "RFC822" NIL NIL NIL "BASE64" 26 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) "#
                + #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) 1 NIL NIL NIL NIL)"#)
    }

    @Test func multipartWithoutBoundary() {
        // Dovecot: (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" NIL NIL NIL NIL)
        // We describe the body that BODY[1] returns instead of an empty part.
        let raw = F.message(["From: x@example.org", "Content-Type: multipart/mixed", "", "no boundary", ""])
        #expect(
            Self.structure(raw)
                == #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 13 1 NIL NIL NIL NIL) "MIXED" NIL NIL NIL NIL)"#)
        #expect(F.parsed(raw).part(at: [1])?.body.length == 13)
    }

    @Test func rfc2231ParameterValues() {
        // Dovecot: ("application" "pdf" ("name*" "utf-8''%E2%82%AC.pdf") NIL NIL "7bit" 3 NIL ("inline" NIL) NIL NIL)
        let raw = F.message([
            "From: x@example.org", "Content-Type: application/pdf; name*=utf-8''%E2%82%AC.pdf",
            "Content-Disposition: inline", "", "x", "",
        ])
        #expect(
            Self.structure(raw)
                == #"("APPLICATION" "PDF" ("NAME*" "utf-8''%E2%82%AC.pdf") NIL NIL "7BIT" 3 NIL ("INLINE" NIL) NIL NIL)"#)
        #expect(
            Self.structure(raw, utf8Enabled: true)
                == #"("APPLICATION" "PDF" ("NAME" "€.pdf") NIL NIL "7BIT" 3 NIL ("INLINE" NIL) NIL NIL)"#)
        #expect(BodyStructureEncoding.rfc2231(#"a b*'%"é"#) == "utf-8''a%20b%2A%27%25%22%C3%A9")
    }

    @Test func contentLocationWithoutItsComments() {
        // RFC 2557 §4.1 `[CFWS] URI [CFWS]`, §4.4 a folded URI: body-fld-loc is the URI alone.
        // A URI's own parentheses are not a comment.
        let cases = [
            ("(the report) http://example.test/a.txt (v2)", "http://example.test/a.txt"),
            ("http://example.test/long/\r\n path.txt", "http://example.test/long/path.txt"),
            ("(a (nested) one) http://example.test/x", "http://example.test/x"),
            ("http://example.test/a(b).txt", "http://example.test/a(b).txt"),
        ]
        for (value, uri) in cases {
            let raw = F.message(["Content-Type: text/plain; charset=us-ascii", "Content-Location: \(value)", "", "x"])
            #expect(F.parsed(raw).root.contentLocation == uri, "\(value)")
            #expect(Self.structure(raw).hasSuffix(#" "\#(uri)")"#), "\(value)")
        }
    }

    @Test func parametersInTheHeadersOrderAndLastLinesCounted() {
        // body-fld-param in the order the header gives them (RFC 2231 sections joined where the
        // name first appears; the default charset after them), and body-fld-lines counting a
        // last line without a line break (RFC 3501 §7.4.2: the body's size in text lines).
        let raw = F.message([
            "Content-Type: multipart/mixed; z=1; boundary=b; a=2", "",
            "--b", "Content-Type: text/plain; format=flowed; title*1=\"d\"; charset=utf-8; title*0=\"c\"; delsp=no", "", "one", "two",
            "--b", "Content-Type: text/plain; b=1; a=2", "", "x",
            "--b--", "",
        ])
        #expect(
            Self.structure(raw)
                == #"(("TEXT" "PLAIN" ("FORMAT" "flowed" "TITLE" "cd" "CHARSET" "utf-8" "DELSP" "no") NIL NIL "7BIT" 8 2 NIL NIL NIL NIL)"#
                + #"("TEXT" "PLAIN" ("B" "1" "A" "2" "CHARSET" "us-ascii") NIL NIL "7BIT" 1 1 NIL NIL NIL NIL) "#
                + #""MIXED" ("Z" "1" "BOUNDARY" "b" "A" "2") NIL NIL NIL)"#)
        let unterminated = F.parsed(Array("Subject: x\r\n\r\none\r\ntwo".utf8)).root
        #expect(unterminated.bodyLineCount == 2)
    }

    @Test func quotedAndLiteralStrings() {
        // A description with 8-bit text goes as a literal, one with quotes as an escaped quoted string.
        let raw = F.message([
            "Content-Type: text/plain; charset=utf-8", #"Content-Description: Bj\#u{f6}rk "live""#,
            "Content-ID: <a\\b@x>", "", "x",
        ])
        let text = Self.structure(raw, extended: false)
        #expect(text == #"("TEXT" "PLAIN" ("CHARSET" "utf-8") "<a\\b@x>" {13}\#r\#nBj\#u{f6}rk "live" "7BIT" 1 1)"#)
        #expect(
            Self.structure(raw, extended: false, utf8Enabled: true)
                == #"("TEXT" "PLAIN" ("CHARSET" "utf-8") "<a\\b@x>" "Bj\#u{f6}rk \"live\"" "7BIT" 1 1)"#)
    }

    @Test func messageGlobalNeedsUTF8() {
        let raw = F.message(["Content-Type: message/global", "", "Subject: x", "", "hi"])
        // IMAP4rev1 grammar knows only MESSAGE/RFC822 with an envelope: send body-type-basic.
        #expect(Self.structure(raw, extended: false) == #"("MESSAGE" "GLOBAL" NIL NIL NIL "7BIT" 16)"#)
        // RFC 9051 media-message includes GLOBAL.
        #expect(
            Self.structure(raw, extended: false, utf8Enabled: true)
                == #"("MESSAGE" "GLOBAL" NIL NIL NIL "7BIT" 16 (NIL "x" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 2 1) 3)"#
        )
    }

    @Test func deepNestingNeedsNoRecursion() {
        // Far deeper than the parser ever produces (MessageLimits.nestingCeiling = 100).
        let depth = 5_000
        var part = MessagePart(header: ByteRange(offset: 0, length: 0), body: ByteRange(offset: 0, length: 1))
        for _ in 0..<depth {
            part = MessagePart(
                header: ByteRange(offset: 0, length: 0), body: ByteRange(offset: 0, length: 1),
                contentType: ContentType(type: "multipart", subtype: "mixed"), parts: [part])
        }
        let bytes = BodyStructureEncoding.encode(part, extended: true)
        var level = 0
        var deepest = 0
        for byte in bytes {
            if byte == 0x28 { level += 1; deepest = max(deepest, level) }
            if byte == 0x29 { level -= 1 }
            #expect(level >= 0)
        }
        #expect(level == 0)
        #expect(deepest == depth + 2)  // the multiparts, the leaf, and its ("CHARSET" …) list
    }

    @Test(arguments: 1...40)
    func generatedTreesAreWellFormed(seed: Int) {
        // Random MIME trees (multiparts, attached messages, 8-bit and quoted header values),
        // parsed, then encoded both ways: every answer must tokenize as one response line.
        var state = UInt64(seed)
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let values = ["plain", "Bj\u{f6}rk", "a \"quoted\" one", "back\\slash", "=?utf-8?q?x?=", String(repeating: "long ", count: 250)]
        func entity(depth: Int) -> [String] {
            let description = "Content-Description: " + values[next(values.count)]
            switch depth > 3 ? 0 : next(4) {
            case 0:
                return ["Content-Type: text/plain; name=\"" + values[next(values.count)] + "\"", description, "", "body \(next(100))"]
            case 1:
                return ["Content-Type: message/rfc822", description, "", "Subject: " + values[next(values.count)]]
                    + ["From: " + values[next(values.count)] + " <a@b.example>"] + entity(depth: depth + 1)
            default:
                let boundary = "b\(depth)x\(next(1000))"
                var lines = ["Content-Type: multipart/mixed; boundary=" + boundary, description, "", "preamble"]
                for _ in 0...next(3) { lines += ["--" + boundary] + entity(depth: depth + 1) }
                return lines + ["--" + boundary + "--", ""]
            }
        }
        let message = F.parsed(F.message(["Subject: t"] + entity(depth: 0) + [""]))
        for extended in [false, true] {
            for utf8Enabled in [false, true] {
                let response = IMAPResponse.fetch(1, [.bodyStructure(message.root, extended: extended), .envelope(message.envelope)])
                #expect(F.isWellFormed(response.encoded(utf8Enabled: utf8Enabled)))
            }
        }
    }
}
