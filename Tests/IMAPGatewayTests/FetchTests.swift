import Foundation
import StoreTestSupport
import Testing

@testable import IMAPGateway

/// FETCH and UID FETCH: selected state only. RFC 9051 §6.4.5, §7.5.2, RFC 3501 §6.4.5
/// (RFC822.*), RFC 3516 (BINARY), RFC 7162 §3.1.4 (CHANGEDSINCE), §3.2.6 (VANISHED).
@Suite("FETCH")
struct FetchTests {
    /// INBOX: 1 the multipart fixture, 2 the base64 single part, 3 and 4 sample messages.
    static func setUp() async throws -> IMAPTranscript {
        let t = try await IMAPTranscript.start()
        try await t.deliver(Fixtures.multipart)
        try await t.deliver(Fixtures.base64Single)
        try await t.deliver(2, first: 3)
        await t.loginAndSelect()
        return t
    }

    static func crlf(_ lines: String...) -> String { lines.joined(separator: "\r\n") }

    static let multipartHeader = crlf(
        "From: =?UTF-8?Q?Ana_P=C3=A9rez?= <ana@remote.test>", "To: alice@example.test, Bob <bob@example.test>",
        "Cc: carol@remote.test", "Subject: =?UTF-8?Q?Caf=C3=A9_report?=", "Date: Fri, 02 Jan 2026 09:30:00 +0100",
        "Message-ID: <multi1@remote.test>", "In-Reply-To: <earlier@remote.test>", "X-Tracking: 42", "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"outer\"", "", "")

    @Test("Outside the selected state FETCH is BAD")
    func wrongState() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 FETCH 1 (FLAGS)", last: "a1 BAD")
        await t.login()
        await t.send("a2 FETCH 1 (FLAGS)", last: "a2 BAD")
        await t.send("a3 UID FETCH 1 (FLAGS)", last: "a3 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("FLAGS, UID, RFC822.SIZE, INTERNALDATE")
    func simpleItems() async throws {
        let t = try await Self.setUp()
        let size = sampleMessage(3).count
        let out = await t.send("a1 FETCH 3 (FLAGS UID RFC822.SIZE INTERNALDATE)", last: "a1 OK")
        let lines = responseLines(out)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("* 3 FETCH (FLAGS () UID 3 RFC822.SIZE \(size) INTERNALDATE \""))
        // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
        let date = lines[0].components(separatedBy: "INTERNALDATE ").last ?? ""
        #expect(date.wholeMatch(of: /"[ 0-9][0-9]-[A-Z][a-z]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}"\)/) != nil, "\(date)")
        // UID FETCH always carries UID, first when not asked (RFC 9051 §6.4.9).
        await t.send("a2 UID FETCH 2 (FLAGS)", expect: ["* 2 FETCH (UID 2 FLAGS ())"], last: "a2 OK")
        await t.send("a3 FETCH 1 UID", expect: ["* 1 FETCH (UID 1)"], last: "a3 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("ENVELOPE: raw header strings, encoded-words left encoded, Sender and Reply-To defaulted to From")
    func envelope() async throws {
        let t = try await Self.setUp()
        let out = await t.send("a1 FETCH 1 (ENVELOPE)", last: "a1 OK")
        let ana = "((\"=?UTF-8?Q?Ana_P=C3=A9rez?=\" NIL \"ana\" \"remote.test\"))"
        #expect(
            responseLines(out).first == "* 1 FETCH (ENVELOPE (\"Fri, 02 Jan 2026 09:30:00 +0100\" \"=?UTF-8?Q?Caf=C3=A9_report?=\" "
                + "\(ana) \(ana) \(ana) ((NIL NIL \"alice\" \"example.test\")(\"Bob\" NIL \"bob\" \"example.test\")) "
                + "((NIL NIL \"carol\" \"remote.test\")) NIL \"<earlier@remote.test>\" \"<multi1@remote.test>\"))")
        await t.close()
        await t.store.stop()
    }

    @Test("BODYSTRUCTURE and BODY of a multipart message with an attachment")
    func bodyStructure() async throws {
        let t = try await Self.setUp()
        let structure = await t.send("a1 FETCH 1 (BODYSTRUCTURE)", last: "a1 OK")
        let text: String = #"("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 24 1 NIL NIL NIL NIL)"#
        let alternative: String =
            #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 14 1 NIL NIL NIL NIL)"#
            + #"("TEXT" "HTML" ("CHARSET" "us-ascii") NIL NIL "7BIT" 20 1 NIL NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL)"#
        let attachment: String =
            #"("APPLICATION" "OCTET-STREAM" ("NAME" "report.bin") NIL NIL "BASE64" 28 NIL ("ATTACHMENT" ("FILENAME" "report.bin")) NIL NIL)"#
        let expected: String =
            "* 1 FETCH (BODYSTRUCTURE (" + text + alternative + attachment + #" "MIXED" ("BOUNDARY" "outer") NIL NIL NIL))"#
        #expect(responseLines(structure).first == expected)
        let body = await t.send("a2 FETCH 1 (BODY)", last: "a2 OK")
        let basicText: String = #"("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 24 1)"#
        let basicAlternative: String =
            #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 14 1)("TEXT" "HTML" ("CHARSET" "us-ascii") NIL NIL "7BIT" 20 1) "ALTERNATIVE")"#
        let basicAttachment: String = #"("APPLICATION" "OCTET-STREAM" ("NAME" "report.bin") NIL NIL "BASE64" 28)"#
        let basic: String = "* 1 FETCH (BODY (" + basicText + basicAlternative + basicAttachment + #" "MIXED"))"#
        #expect(responseLines(body).first == basic)
        let single = await t.send("a3 FETCH 2 (BODYSTRUCTURE)", last: "a3 OK")
        #expect(
            responseLines(single).first
                == "* 2 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"BASE64\" 30 1 NIL NIL NIL NIL))")
        // BODY and BODYSTRUCTURE do not set \Seen.
        await t.send("a4 FETCH 1:2 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS ())"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("BODY[section]: HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME and parts 1, 2, 2.1, 2.2, 3")
    func sections() async throws {
        let t = try await Self.setUp()
        let header = await t.send("a1 FETCH 1 (BODY.PEEK[HEADER])", last: "a1 OK")
        #expect(
            header
                == "* 1 FETCH (BODY[HEADER] {\(Self.multipartHeader.utf8.count)}\r\n\(Self.multipartHeader))\r\na1 OK FETCH completed\r\n")
        let fields = await t.send("a2 FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject from)])", last: "a2 OK")
        let picked = Self.crlf("From: =?UTF-8?Q?Ana_P=C3=A9rez?= <ana@remote.test>", "Subject: =?UTF-8?Q?Caf=C3=A9_report?=", "", "")
        #expect(fields.hasPrefix("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] {\(picked.utf8.count)}\r\n\(picked))"), "\(fields)")
        let not = await t.send("a3 FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (Content-Type X-Tracking MIME-Version To Cc Date)])", last: "a3 OK")
        let rest = Self.crlf(
            "From: =?UTF-8?Q?Ana_P=C3=A9rez?= <ana@remote.test>", "Subject: =?UTF-8?Q?Caf=C3=A9_report?=",
            "Message-ID: <multi1@remote.test>", "In-Reply-To: <earlier@remote.test>", "", "")
        #expect(
            not.hasPrefix(
                "* 1 FETCH (BODY[HEADER.FIELDS.NOT (CONTENT-TYPE X-TRACKING MIME-VERSION TO CC DATE)] {\(rest.utf8.count)}\r\n\(rest))"),
            "\(not)")
        let missing = await t.send("a4 FETCH 3 (BODY.PEEK[HEADER.FIELDS (X-None)])", last: "a4 OK")
        #expect(missing.hasPrefix("* 3 FETCH (BODY[HEADER.FIELDS (X-NONE)] {2}\r\n\r\n)"), "\(missing)")

        let parts = await t.send("a5 FETCH 1 (BODY.PEEK[1] BODY.PEEK[2.1] BODY.PEEK[2.2] BODY.PEEK[3])", last: "a5 OK")
        #expect(
            parts.hasPrefix(
                "* 1 FETCH (BODY[1] {24}\r\nSee the attached report. BODY[2.1] {14}\r\nPlain version. "
                    + "BODY[2.2] {20}\r\n<p>HTML version.</p> BODY[3] {28}\r\nSGVsbG8sIGJpbmFyeSB3b3JsZCE=)"), "\(parts)")
        // A multipart part's content is its body: the inner parts with their boundaries.
        let two = await t.send("a6 FETCH 1 (BODY.PEEK[2])", last: "a6 OK")
        let alternative = Self.crlf(
            "--inner", "Content-Type: text/plain; charset=us-ascii", "", "Plain version.", "--inner",
            "Content-Type: text/html; charset=us-ascii", "", "<p>HTML version.</p>", "--inner--")
        #expect(two.hasPrefix("* 1 FETCH (BODY[2] {\(alternative.utf8.count)}\r\n\(alternative))"), "\(two)")
        let mime = await t.send("a7 FETCH 1 (BODY.PEEK[2.MIME] BODY.PEEK[3.MIME] BODY.PEEK[2.1.MIME])", last: "a7 OK")
        let twoMIME = Self.crlf("Content-Type: multipart/alternative; boundary=\"inner\"", "", "")
        let threeMIME = Self.crlf(
            "Content-Type: application/octet-stream; name=\"report.bin\"", "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"report.bin\"", "", "")
        let innerMIME = Self.crlf("Content-Type: text/plain; charset=us-ascii", "", "")
        #expect(
            mime.hasPrefix(
                "* 1 FETCH (BODY[2.MIME] {\(twoMIME.utf8.count)}\r\n\(twoMIME) BODY[3.MIME] {\(threeMIME.utf8.count)}\r\n\(threeMIME)"
                    + " BODY[2.1.MIME] {\(innerMIME.utf8.count)}\r\n\(innerMIME))"), "\(mime)")
        let text = await t.send("a8 FETCH 1 (BODY.PEEK[TEXT])", last: "a8 OK")
        let body = String(decoding: Fixtures.multipart.dropFirst(Self.multipartHeader.utf8.count), as: UTF8.self)
        #expect(text.hasPrefix("* 1 FETCH (BODY[TEXT] {\(body.utf8.count)}\r\n\(body))"), "\(text)")
        let single = await t.send("a9 FETCH 2 (BODY.PEEK[1])", last: "a9 OK")
        #expect(single.hasPrefix("* 2 FETCH (BODY[1] {30}\r\nSGVsbG8sIGJpbmFyeSB3b3JsZCE=\r\n)"), "\(single)")
        await t.send("b1 FETCH 1 (BODY.PEEK[MIME])", last: "b1 BAD")
        await t.send("b2 FETCH 1:4 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS ())"], last: "b2 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("An encapsulated message/rfc822 part: its envelope and body in BODYSTRUCTURE, and 2.HEADER, 2.TEXT, 2.1")
    func encapsulated() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(Fixtures.forwarded)
        await t.loginAndSelect()
        let structure = await t.send("a1 FETCH 1 (BODYSTRUCTURE)", last: "a1 OK")
        let inner: String =
            #"("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 93 ("Sat, 03 Jan 2026 12:00:00 +0000" "Inner" "#
            + #"((NIL NIL "inner" "remote.test")) ((NIL NIL "inner" "remote.test")) ((NIL NIL "inner" "remote.test")) NIL NIL NIL NIL NIL) "#
            + #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 11 1 NIL NIL NIL NIL) 5 NIL NIL NIL NIL)"#
        #expect(structure.contains(inner), "\(structure)")
        let header = Self.crlf("From: inner@remote.test", "Subject: Inner", "Date: Sat, 03 Jan 2026 12:00:00 +0000", "", "")
        let out = await t.send(
            "a2 FETCH 1 (BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[2.1] BODY.PEEK[2.HEADER.FIELDS (Subject)])", last: "a2 OK")
        #expect(
            out.hasPrefix(
                "* 1 FETCH (BODY[2.HEADER] {\(header.utf8.count)}\r\n\(header) BODY[2.TEXT] {11}\r\nInner body. "
                    + "BODY[2.1] {11}\r\nInner body. BODY[2.HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Inner\r\n\r\n)"), "\(out)")
        let whole = await t.send("a3 FETCH 1 (BODY.PEEK[2])", last: "a3 OK")
        #expect(whole.hasPrefix("* 1 FETCH (BODY[2] {93}\r\n\(header)Inner body.)"), "\(whole)")
        await t.close()
        await t.store.stop()
    }

    @Test("BINARY decodes quoted-printable; an encoding it cannot undo is NO [UNKNOWN-CTE] (RFC 3516 §4.3)")
    func binaryEncodings() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(Fixtures.forwarded)
        await t.loginAndSelect()
        let qp = await t.send("a1 FETCH 1 (BINARY.PEEK[3] BINARY.SIZE[3])", last: "a1 OK")
        #expect(qp.hasPrefix("* 1 FETCH (BINARY[3] {10}\r\ncafé = ok BINARY.SIZE[3] 10)"), "\(qp)")
        await t.send("a2 FETCH 1 (BINARY.PEEK[4])", last: "a2 NO [UNKNOWN-CTE]")
        await t.send("a3 FETCH 1 (BINARY.SIZE[4])", last: "a3 NO [UNKNOWN-CTE]")
        // The raw part is still there for BODY[].
        await t.send("a4 FETCH 1 (BODY.PEEK[4])", expect: ["* 1 FETCH (BODY[4] {11}"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("ENVELOPE of a message with only From: the missing fields are NIL, Sender and Reply-To are From")
    func sparseEnvelope() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(Fixtures.lines(["From: a@b.test", "", "bare", ""]))
        await t.loginAndSelect()
        let a = #"((NIL NIL "a" "b.test"))"#
        await t.send("a1 FETCH 1 (ENVELOPE)", expect: ["* 1 FETCH (ENVELOPE (NIL NIL \(a) \(a) \(a) NIL NIL NIL NIL NIL))"], last: "a1 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Partial fetches: <origin.length>, the answer names the origin; past the end is empty")
    func partials() async throws {
        let t = try await Self.setUp()
        await t.send("a1 FETCH 3 (BODY.PEEK[]<0.4>)", expect: ["* 3 FETCH (BODY[]<0> {4}"], last: "a1 OK")
        let header = await t.send("a2 FETCH 3 (BODY.PEEK[HEADER]<6.6>)", last: "a2 OK")
        #expect(header.hasPrefix("* 3 FETCH (BODY[HEADER]<6> {6}\r\nSender)"), "\(header)")
        let part = await t.send("a3 FETCH 1 (BODY.PEEK[1]<4.8>)", last: "a3 OK")
        #expect(part.hasPrefix("* 1 FETCH (BODY[1]<4> {8}\r\nthe atta)"), "\(part)")
        let clipped = await t.send("a4 FETCH 1 (BODY.PEEK[1]<20.100>)", last: "a4 OK")
        #expect(clipped.hasPrefix("* 1 FETCH (BODY[1]<20> {4}\r\nort.)"), "\(clipped)")
        let beyond = await t.send("a5 FETCH 3 (BODY.PEEK[]<1000.10>)", last: "a5 OK")
        #expect(beyond.hasPrefix("* 3 FETCH (BODY[]<1000> {0}\r\n)") || beyond.hasPrefix("* 3 FETCH (BODY[]<1000> \"\")"), "\(beyond)")
        await t.send("a6 FETCH 3 (BODY.PEEK[]<0.0>)", last: "a6 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("RFC822, RFC822.HEADER and RFC822.TEXT")
    func rfc822() async throws {
        let t = try await Self.setUp()
        let m = String(decoding: sampleMessage(3), as: UTF8.self)
        let full = await t.send("a1 FETCH 3 (RFC822)", last: "a1 OK")
        #expect(full.hasPrefix("* 3 FETCH (RFC822 {\(m.utf8.count)}\r\n\(m) FLAGS (\\Seen))"), "\(full)")
        let header = await t.send("a2 FETCH 4 (RFC822.HEADER)", last: "a2 OK")
        let h = Self.crlf(
            "From: Sender <sender@remote.test>", "To: alice@example.test", "Subject: Test 4", "Message-ID: <m4@remote.test>",
            "Date: Thu, 26 Nov 2026 10:00:00 +0000", "", "")
        #expect(header.hasPrefix("* 4 FETCH (RFC822.HEADER {\(h.utf8.count)}\r\n\(h))"), "\(header)")
        // RFC822.HEADER is BODY.PEEK[HEADER]: message 4 stays unseen.
        await t.send("a3 FETCH 4 (FLAGS)", expect: ["* 4 FETCH (FLAGS ())"], last: "a3 OK")
        let text = await t.send("a4 FETCH 4 (RFC822.TEXT)", last: "a4 OK")
        #expect(text.hasPrefix("* 4 FETCH (RFC822.TEXT {8}\r\nHello.\r\n FLAGS (\\Seen))"), "\(text)")
        await t.close()
        await t.store.stop()
    }

    @Test("BINARY[part] decodes base64; BINARY.SIZE is the decoded size (RFC 3516)")
    func binary() async throws {
        let t = try await Self.setUp()
        let attachment = await t.send("a1 FETCH 1 (BINARY.PEEK[3] BINARY.SIZE[3])", last: "a1 OK")
        #expect(attachment.hasPrefix("* 1 FETCH (BINARY[3] {20}\r\nHello, binary world! BINARY.SIZE[3] 20)"), "\(attachment)")
        let single = await t.send("a2 FETCH 2 (BINARY.PEEK[1] BINARY.SIZE[1])", last: "a2 OK")
        #expect(single.hasPrefix("* 2 FETCH (BINARY[1] {20}\r\nHello, binary world! BINARY.SIZE[1] 20)"), "\(single)")
        let partial = await t.send("a3 FETCH 2 (BINARY.PEEK[1]<7.6>)", last: "a3 OK")
        #expect(partial.hasPrefix("* 2 FETCH (BINARY[1]<7> {6}\r\nbinary)"), "\(partial)")
        await t.send("a4 FETCH 1:2 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS ())"], last: "a4 OK")
        // BINARY without .PEEK sets \Seen like BODY.
        let seen = await t.send("a5 FETCH 2 (BINARY[1])", last: "a5 OK")
        #expect(seen.hasPrefix("* 2 FETCH (BINARY[1] {20}\r\nHello, binary world! FLAGS (\\Seen))"), "\(seen)")
        await t.close()
        await t.store.stop()
    }

    /// The `{n}\r\n<data>` of the one literal item in a FETCH answer of one item, after `name `.
    static func literalItem(_ out: String, _ name: String) -> (size: Int, literal: String)? {
        guard let start = out.range(of: name + " {"), let close = out[start.upperBound...].firstIndex(of: "}") else { return nil }
        guard let size = Int(out[start.upperBound..<close]) else { return nil }
        let dataStart = out.utf8.index(close, offsetBy: 3)  // "}\r\n"
        let dataEnd = out.utf8.index(dataStart, offsetBy: size)
        return (size, String(out[out.index(before: start.upperBound)..<dataEnd]))
    }

    @Test("BINARY[] is the whole message; BINARY[n] of a multipart part is its content as stored (RFC 3516 §4.1, RFC 9051 §6.4.5)")
    func binaryWholeAndMultipart() async throws {
        let t = try await Self.setUp()
        // A multipart message has no encoding of its own to remove (RFC 2045 §6.4): BINARY[] is BODY[].
        let body = try #require(Self.literalItem(await t.send("a1 FETCH 1 (BODY.PEEK[])", last: "a1 OK"), "BODY[]"))
        let whole = await t.send("a2 FETCH 1 (BINARY.PEEK[] BINARY.SIZE[])", last: "a2 OK")
        #expect(whole.hasPrefix("* 1 FETCH (BINARY[] \(body.literal) BINARY.SIZE[] \(body.size))"), "\(whole)")
        // Part 2 is multipart/alternative: its content, undecoded, as BODY[2] gives it.
        let part = try #require(Self.literalItem(await t.send("a3 FETCH 1 (BODY.PEEK[2])", last: "a3 OK"), "BODY[2]"))
        let binaryPart = await t.send("a4 FETCH 1 (BINARY.PEEK[2] BINARY.SIZE[2])", last: "a4 OK")
        #expect(binaryPart.hasPrefix("* 1 FETCH (BINARY[2] \(part.literal) BINARY.SIZE[2] \(part.size))"), "\(binaryPart)")
        // A base64 single-part message: its header, then its body decoded.
        let header = try #require(Self.literalItem(await t.send("a5 FETCH 2 (BODY.PEEK[HEADER])", last: "a5 OK"), "BODY[HEADER]"))
        let decoded = header.literal.dropFirst("{\(header.size)}\r\n".count) + "Hello, binary world!"
        let single = await t.send("a6 FETCH 2 (BINARY.PEEK[] BINARY.SIZE[])", last: "a6 OK")
        let size = header.size + 20
        #expect(single.hasPrefix("* 2 FETCH (BINARY[] {\(size)}\r\n\(decoded) BINARY.SIZE[] \(size))"), "\(single)")
        await t.send("a7 FETCH 1 (BINARY.PEEK[9])", last: "a7 NO [NONEXISTENT]")
        await t.close()
        await t.store.stop()
    }

    @Test("BINARY[] of a message in an encoding the server cannot remove is NO [UNKNOWN-CTE] (RFC 3516 §4.3)")
    func binaryWholeUnknownEncoding() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(
            Fixtures.lines([
                "From: a@b.test", "Content-Type: application/octet-stream", "Content-Transfer-Encoding: x-uuencode", "", "begin 644 x", "",
            ]))
        await t.loginAndSelect()
        await t.send("a1 FETCH 1 (BINARY.PEEK[])", last: "a1 NO [UNKNOWN-CTE]")
        await t.send("a2 FETCH 1 (BINARY.SIZE[])", last: "a2 NO [UNKNOWN-CTE]")
        await t.close()
        await t.store.stop()
    }

    @Test("BODY[] and RFC822 set \\Seen and report FLAGS; BODY.PEEK does not; FLAGS asked shows the new value")
    func implicitSeen() async throws {
        let t = try await Self.setUp()
        let peek = await t.send("a1 FETCH 3 (BODY.PEEK[])", last: "a1 OK")
        #expect(!peek.contains("FLAGS"))
        await t.send("a2 FETCH 3 (FLAGS)", expect: ["* 3 FETCH (FLAGS ())"], last: "a2 OK")
        let body = await t.send("a3 FETCH 3 (BODY[])", last: "a3 OK")
        #expect(body.contains(" FLAGS (\\Seen))\r\n"), "\(body)")
        // Already seen: no flag change to report.
        let again = await t.send("a4 FETCH 3 (BODY[])", last: "a4 OK")
        #expect(!again.contains("FLAGS"))
        let asked = await t.send("a5 FETCH 4 (FLAGS BODY[TEXT])", last: "a5 OK")
        #expect(asked.hasPrefix("* 4 FETCH (FLAGS (\\Seen) BODY[TEXT] {8}\r\nHello.\r\n)"), "\(asked)")
        await t.close()
        await t.store.stop()
    }

    @Test("With CONDSTORE on, an implicit \\Seen is reported with UID and MODSEQ (RFC 7162 §3.1)")
    func implicitSeenCondstore() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 SELECT INBOX (CONDSTORE)", last: "a1 OK")
        let out = await t.send("a2 FETCH 1 (BODY[TEXT])", last: "a2 OK")
        let fetch = try #require(line(out, startingWith: "* 1 FETCH"))
        #expect(fetch.contains("UID 1"), "\(out)")
        #expect(out.contains("FLAGS (\\Seen)") && out.contains("MODSEQ ("), "\(out)")
        await t.close()
        await t.store.stop()
    }

    @Test("The macros: ALL, FAST, FULL")
    func macros() async throws {
        let t = try await Self.setUp()
        let size = sampleMessage(3).count
        let envelope =
            "ENVELOPE (\"Thu, 26 Nov 2026 10:00:00 +0000\" \"Test 3\" ((\"Sender\" NIL \"sender\" \"remote.test\")) "
            + "((\"Sender\" NIL \"sender\" \"remote.test\")) ((\"Sender\" NIL \"sender\" \"remote.test\")) ((NIL NIL \"alice\" \"example.test\")) "
            + "NIL NIL NIL \"<m3@remote.test>\")"
        let all = await t.send("a1 FETCH 3 ALL", last: "a1 OK")
        let allLine = try #require(line(all, startingWith: "* 3 FETCH"))
        #expect(
            allLine.hasPrefix("* 3 FETCH (FLAGS () INTERNALDATE \"") && allLine.hasSuffix("\" RFC822.SIZE \(size) \(envelope))"), "\(all)")
        let fast = await t.send("a2 FETCH 3 FAST", last: "a2 OK")
        let fastLine = try #require(line(fast, startingWith: "* 3 FETCH"))
        #expect(fastLine.hasPrefix("* 3 FETCH (FLAGS () INTERNALDATE \"") && fastLine.hasSuffix("\" RFC822.SIZE \(size))"), "\(fast)")
        let full = await t.send("a3 FETCH 3 FULL", last: "a3 OK")
        let fullLine = try #require(line(full, startingWith: "* 3 FETCH"))
        #expect(
            fullLine.hasSuffix(
                "\" RFC822.SIZE \(size) \(envelope) BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 8 1))"),
            "\(full)")
        // The macros stand alone (RFC 9051 §6.4.5).
        await t.send("a4 FETCH 3 (ALL)", last: "a4 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("Sequence sets: *, ranges either way round, out of range BAD; UID sets may name nothing")
    func sequenceSets() async throws {
        let t = try await Self.setUp()
        await t.send("a1 FETCH * (UID)", expect: ["* 4 FETCH (UID 4)"], last: "a1 OK")
        let reversed = await t.send("a2 FETCH 4:3 (UID)", last: "a2 OK")
        #expect(untagged(reversed) == ["* 3 FETCH (UID 3)", "* 4 FETCH (UID 4)"])
        let list = await t.send("a3 FETCH 1,3:* (UID)", last: "a3 OK")
        #expect(responseLines(list).count == 4)
        await t.send("a4 FETCH 5 (UID)", last: "a4 BAD")
        await t.send("a5 FETCH 3:9 (UID)", last: "a5 BAD")
        await t.send("a6 FETCH 0 (UID)", last: "a6 BAD")
        let none = await t.send("a7 UID FETCH 9:20 (FLAGS)", last: "a7 OK")
        #expect(untagged(none).isEmpty)
        await t.send("a8 UID FETCH * (FLAGS)", expect: ["* 4 FETCH (UID 4 FLAGS ())"], last: "a8 OK")
        await t.send("a9 FETCH 1 (FROB)", last: "a9 BAD")
        await t.send("b1 FETCH 1", last: "b1 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("CHANGEDSINCE: only messages changed after the MODSEQ, with MODSEQ (RFC 7162 §3.1.4.1)")
    func changedSince() async throws {
        let t = try await Self.setUp()
        let status = await t.send("a1 STATUS INBOX (HIGHESTMODSEQ)", last: "a1 OK")
        let before = try #require(number(after: "HIGHESTMODSEQ", in: status))
        await t.send("a2 STORE 2 +FLAGS.SILENT (\\Flagged)", last: "a2 OK")
        let out = await t.send("a3 FETCH 1:* (FLAGS) (CHANGEDSINCE \(before))", last: "a3 OK")
        let lines = responseLines(out)
        #expect(lines.count == 2, "\(out)")
        #expect(lines[0].hasPrefix("* 2 FETCH (FLAGS (\\Flagged) MODSEQ ("))
        #expect(number(after: "MODSEQ", in: lines[0])! > before)
        let uid = await t.send("a4 UID FETCH 1:* (FLAGS) (CHANGEDSINCE \(before))", last: "a4 OK")
        #expect(responseLines(uid).first?.hasPrefix("* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (") == true, "\(uid)")
        await t.send("a5 FETCH 1:* (FLAGS) (CHANGEDSINCE)", last: "a5 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("UID FETCH … (CHANGEDSINCE n VANISHED): VANISHED (EARLIER) first, only with QRESYNC (RFC 7162 §3.2.6)")
    func vanished() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(4)
        await t.login()
        await t.send("a0 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)", last: "a0 BAD")
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        // Without ENABLE QRESYNC, and in a FETCH that is not UID FETCH: BAD.
        await t.send("a2 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)", last: "a2 BAD")
        await t.send("a3 ENABLE QRESYNC", last: "a3 OK")
        let selected = await t.send("a4 SELECT INBOX", last: "a4 OK")
        let since = try #require(number(after: "HIGHESTMODSEQ", in: selected))
        await t.send("a5 FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)", last: "a5 BAD")
        await t.send("a6 STORE 1,3 +FLAGS.SILENT (\\Deleted)", last: "a6 OK")
        await t.send("a7 EXPUNGE", expect: ["* VANISHED 1,3"], last: "a7 OK")
        await t.send("a8 UID STORE 4 +FLAGS.SILENT (\\Flagged)", last: "a8 OK")
        let out = await t.send("a9 UID FETCH 1:* (FLAGS) (CHANGEDSINCE \(since) VANISHED)", last: "a9 OK")
        let lines = responseLines(out)
        #expect(lines.first == "* VANISHED (EARLIER) 1,3", "\(out)")
        #expect(lines.contains { $0.hasPrefix("* 2 FETCH (UID 4 FLAGS (\\Flagged) MODSEQ (") }, "\(out)")
        #expect(!lines.contains { $0.contains("UID 2 ") })
        // Only UIDs within the set asked about are reported.
        let some = await t.send("b1 UID FETCH 2:4 (FLAGS) (CHANGEDSINCE \(since) VANISHED)", last: "b1 OK")
        #expect(responseLines(some).first == "* VANISHED (EARLIER) 3", "\(some)")
        await t.close()
        await t.store.stop()
    }
}
