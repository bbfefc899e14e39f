import Foundation
import IMAPProtocol
import Testing

@testable import IMAPGateway

/// APPEND: authenticated and selected states. RFC 9051 §6.3.12, RFC 4315 (APPENDUID),
/// RFC 7888 (LITERAL+), RFC 7889 (APPENDLIMIT).
@Suite("APPEND")
struct AppendTests {
    static let message = String(
        decoding: Fixtures.message(subject: "Appended", date: "Fri, 02 Jan 2026 09:00:00 +0100", body: "Draft text."),
        as: UTF8.self)

    @Test("Before login APPEND is BAD")
    func notAuthenticated() async throws {
        let t = try await IMAPTranscript.start()
        let m = Self.message
        await t.send("a1 APPEND INBOX {\(m.utf8.count)}\r\n\(m)", last: "a1 BAD")
        await t.store.stop()
    }

    @Test("Flags and date are kept: FLAGS and INTERNALDATE; the answer has APPENDUID")
    func flagsAndDate() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let m = Self.message
        let first = await t.send(
            "a1 APPEND Drafts (\\Draft \\Seen $Work) \"02-Jan-2026 09:30:00 +0100\" {\(m.utf8.count)}\r\n\(m)",
            last: "a1 OK [APPENDUID ")
        let validity = try #require(number(after: "APPENDUID", in: first))
        #expect(first.hasPrefix("a1 OK [APPENDUID \(validity) 1]"))
        let second = await t.send("a2 APPEND Drafts {\(m.utf8.count)}\r\n\(m)", last: "a2 OK")
        #expect(second.hasPrefix("a2 OK [APPENDUID \(validity) 2]"))
        let selected = await t.send("a3 SELECT Drafts", expect: ["* 2 EXISTS"], last: "a3 OK")
        #expect(number(after: "UIDVALIDITY", in: selected) == validity)
        let fetch = await t.send("a4 FETCH 1:2 (FLAGS INTERNALDATE RFC822.SIZE)", last: "a4 OK")
        let lines = responseLines(fetch)
        // The date is given back in UTC: 09:30 at +0100 is 08:30 at +0000. This session is the
        // first to select Drafts since the APPENDs: both are \Recent here (RFC 3501 §2.3.2).
        #expect(
            lines[0]
                == "* 1 FETCH (FLAGS (\\Draft \\Seen $Work \\Recent) INTERNALDATE \" 2-Jan-2026 08:30:00 +0000\" RFC822.SIZE \(m.utf8.count))"
                || lines[0]
                    == "* 1 FETCH (FLAGS (\\Seen \\Draft $Work \\Recent) INTERNALDATE \" 2-Jan-2026 08:30:00 +0000\" RFC822.SIZE \(m.utf8.count))",
            "\(fetch)")
        #expect(lines[1].hasPrefix("* 2 FETCH (FLAGS (\\Recent) INTERNALDATE \""))
        await t.send("a5 FETCH 1 (BODY.PEEK[TEXT])", expect: ["* 1 FETCH (BODY[TEXT] {13}"], last: "a5 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("APPEND to a mailbox that does not exist is NO [TRYCREATE]")
    func tryCreate() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let m = Self.message
        await t.send("a1 APPEND Nowhere {\(m.utf8.count)}\r\n\(m)", last: "a1 NO [TRYCREATE]")
        await t.send("a2 CREATE Nowhere", last: "a2 OK")
        await t.send("a3 APPEND Nowhere {\(m.utf8.count)}\r\n\(m)", last: "a3 OK [APPENDUID")
        await t.close()
        await t.store.stop()
    }

    @Test("A non-synchronizing literal {n+} works the same (RFC 7888)")
    func literalPlus() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let m = Self.message
        await t.send("a1 APPEND INBOX (\\Flagged) {\(m.utf8.count)+}\r\n\(m)", last: "a1 OK [APPENDUID")
        await t.send("a2 STATUS INBOX (MESSAGES)", expect: ["* STATUS INBOX (MESSAGES 1)"], last: "a2 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Appending to the selected mailbox: EXISTS here before the OK, and in another session at NOOP")
    func visibleWhenSelected() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 SELECT INBOX", expect: ["* 1 EXISTS"], last: "a1 OK")
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", expect: ["* 1 EXISTS"], last: "b1 OK")
        let m = Self.message
        let own = await t.send("a2 APPEND INBOX {\(m.utf8.count)}\r\n\(m)", last: "a2 OK [APPENDUID")
        #expect(responseLines(own).first == "* 2 EXISTS")
        await u.send("b2 NOOP", expect: ["* 2 EXISTS"], last: "b2 OK")
        await u.send(
            "b3 FETCH 2 (UID ENVELOPE)", expect: ["* 2 FETCH (UID 2 ENVELOPE (\"Fri, 02 Jan 2026 09:00:00 +0100\" \"Appended\""],
            last: "b3 OK")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("Bad flags, dates and missing literals are BAD; an oversized literal NO [TOOBIG]")
    func errors() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let m = Self.message
        await t.send("a1 APPEND INBOX \"31-Feb-2026 09:30:00 +0100\" {\(m.utf8.count)}\r\n\(m)", last: "a1 BAD")
        await t.send("a2 APPEND INBOX (\\Bogus) {\(m.utf8.count)}\r\n\(m)", last: "a2 BAD")
        await t.send("a3 APPEND INBOX", last: "a3 BAD")
        await t.send("a4 APPEND INBOX \"hello\"", last: "a4 BAD")
        // Refused from the literal's header, before any octet is sent. RFC 9051 §7.1 TOOBIG
        let big = await t.send("a5 APPEND INBOX {\(IMAPDefaults.literalSize + 1)}", last: "a5 NO [TOOBIG]")
        #expect(responseLines(big).count == 1)
        await t.send("a6 STATUS INBOX (MESSAGES)", expect: ["* STATUS INBOX (MESSAGES 0)"], last: "a6 OK")
        await t.close()
        await t.store.stop()
    }
}
