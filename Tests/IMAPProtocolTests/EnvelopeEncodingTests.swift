import IMAPProtocol
import InternetMessage
import Testing

/// ENVELOPE: RFC 9051 §7.5.2, RFC 3501 §7.4.2, checked against RFC 3501 §8 and Dovecot 2.3.
@Suite struct EnvelopeEncodingTests {
    typealias F = ResponseFixture

    static func envelope(_ lines: [String], utf8Enabled: Bool = false) -> String {
        let message = F.parsed(F.message(lines + ["", "body", ""]))
        return F.string(EnvelopeEncoding.encode(message.envelope, utf8Enabled: utf8Enabled))
    }

    @Test func rfc3501Example() {
        let text = Self.envelope([
            "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)",
            "From: Terry Gray <gray@cac.washington.edu>",
            "Subject: IMAP4rev1 WG mtg summary and minutes",
            "To: imap@cac.washington.edu",
            "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>",
            "Message-Id: <B27397-0100000@cac.washington.edu>",
        ])
        // As RFC 3501 §8, except that addresses follow each other without a space: the
        // grammar is "(" 1*address ")" (the example's space is a known erratum; Dovecot,
        // Cyrus and UW send none).
        #expect(
            text == #"("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" "#
                + #"(("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) "#
                + #"(("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) "#
                + #"((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "#
                + #""<B27397-0100000@cac.washington.edu>")"#)
    }

    @Test func groupsAndEncodedWordsAsDovecotSendsThem() {
        let message = F.parsed(F.mixed)
        // Dovecot 2.3.19, FETCH 1 ENVELOPE, for the same bytes.
        let dovecot =
            #"("Mon, 7 Feb 1994 21:52:25 -0800" "=?utf-8?q?Caf=C3=A9?= menu" "#
            + #"(("Fred Foobar" NIL "foobar" "Blurdybloop.example")) (("Fred Foobar" NIL "foobar" "Blurdybloop.example")) "#
            + #"(("Fred Foobar" NIL "foobar" "Blurdybloop.example")) "#
            + #"((NIL NIL "mooch" "owatagu.example")(NIL NIL "team" NIL)(NIL NIL "a" "x.example")("B" NIL "b" "y.example")(NIL NIL NIL NIL)) "#
            + #"((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) NIL NIL "<B27397-0100000@Blurdybloop.example>")"#
        #expect(F.string(EnvelopeEncoding.encode(message.envelope)) == dovecot)
    }

    @Test func eightBitGoesAsLiteralUnlessUTF8() {
        let lines = [#"From: "Jo \"Q\" Blé" <jo@example.org>"#, "Subject: Café"]
        // Dovecot 2.3.19: (NIL {5}\r\nCafé (({11}\r\nJo "Q" Blé NIL "jo" "example.org")) …
        #expect(
            Self.envelope(lines) == #"(NIL {5}\#r\#nCafé (({11}\#r\#nJo "Q" Blé NIL "jo" "example.org")) "#
                + #"(({11}\#r\#nJo "Q" Blé NIL "jo" "example.org")) (({11}\#r\#nJo "Q" Blé NIL "jo" "example.org")) NIL NIL NIL NIL NIL)"#
        )
        #expect(
            Self.envelope(lines, utf8Enabled: true) == #"(NIL "Café" (("Jo \"Q\" Blé" NIL "jo" "example.org")) "#
                + #"(("Jo \"Q\" Blé" NIL "jo" "example.org")) (("Jo \"Q\" Blé" NIL "jo" "example.org")) NIL NIL NIL NIL NIL)"#
        )
    }

    @Test func senderAndReplyToDefaultToFrom() {
        // RFC 3501 §7.4.2; the parser's Envelope already does this, and so does the encoder
        // for envelopes made any other way.
        let from = [Address(name: "A", mailbox: "a", host: "example.org")]
        let made = Envelope(subject: "", from: from, inReplyTo: "<x@y>")
        #expect(
            F.string(EnvelopeEncoding.encode(made))
                == #"(NIL "" (("A" NIL "a" "example.org")) (("A" NIL "a" "example.org")) (("A" NIL "a" "example.org")) NIL NIL NIL "<x@y>" NIL)"#
        )
        let sender = [Address(mailbox: "s", host: "example.org")]
        let withSender = Envelope(from: from, sender: sender)
        #expect(
            F.string(EnvelopeEncoding.encode(withSender)).contains(
                #"(("A" NIL "a" "example.org")) ((NIL NIL "s" "example.org")) (("A""#))
        #expect(F.string(EnvelopeEncoding.encode(Envelope())) == "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)")
    }

    @Test func sourceRouteAndMissingHost() {
        let text = Self.envelope(["To: <@relay.example:joe@example.org>, bare"])
        #expect(text.contains(#"((NIL "@relay.example" "joe" "example.org")(NIL NIL "bare" ".MISSING-HOST-NAME."))"#))
    }

    @Test func longValuesGoAsLiterals() {
        let subject = String(repeating: "x", count: 1_200)
        let text = Self.envelope(["Subject: " + subject])
        #expect(text.hasPrefix("(NIL {1200}\r\n" + subject + " NIL NIL NIL NIL NIL NIL NIL NIL)"))
    }
}
