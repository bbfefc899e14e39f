import Foundation
import IMAPProtocol
import Testing

@testable import IMAPGateway

/// MULTIAPPEND: several messages in one APPEND, all or none. RFC 3502, RFC 4315 (APPENDUID).
@Suite("MULTIAPPEND")
struct MultiAppendTests {
    static func message(_ n: Int) -> String {
        String(
            decoding: Fixtures.message(subject: "Batch \(n)", date: "Fri, 02 Jan 2026 09:00:00 +0100", body: "Message \(n)."),
            as: UTF8.self)
    }

    /// `{n}` and the message, as a client writes one append-message.
    static func literal(_ m: String) -> String { "{\(m.utf8.count)}\r\n\(m)" }

    @Test("Each message with its own flags and date; APPENDUID names the new UIDs as a set, in order")
    func batch() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let capability = await t.send("a0 CAPABILITY", last: "a0 OK")
        #expect(capability.contains(" MULTIAPPEND "))
        let (m1, m2, m3) = (Self.message(1), Self.message(2), Self.message(3))
        let out = await t.send(
            "a1 APPEND Drafts (\\Seen) \(Self.literal(m1)) \"02-Jan-2026 09:30:00 +0100\" \(Self.literal(m2)) ($Work) \(Self.literal(m3))",
            last: "a1 OK [APPENDUID ")
        let validity = try #require(number(after: "APPENDUID", in: out))
        #expect(out.hasPrefix("a1 OK [APPENDUID \(validity) 1:3]"), "\(out)")
        await t.send("a2 SELECT Drafts", expect: ["* 3 EXISTS"], last: "a2 OK")
        let fetch = await t.send("a3 FETCH 1:3 (FLAGS INTERNALDATE BODY.PEEK[TEXT])", last: "a3 OK")
        let lines = responseLines(fetch)
        #expect(lines[0].hasPrefix("* 1 FETCH (FLAGS (\\Seen \\Recent) "), "\(fetch)")
        #expect(lines.contains { $0.contains("INTERNALDATE \" 2-Jan-2026 08:30:00 +0000\"") }, "\(fetch)")
        #expect(fetch.contains("$Work"))
        #expect(fetch.contains("Message 1.") && fetch.contains("Message 3."))
        await t.close()
        await t.store.stop()
    }

    @Test("All or none: one message refused and none is kept; the mailbox is as before")
    func allOrNone() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let (m1, m2) = (Self.message(1), Self.message(2))
        // An empty message among good ones (RFC 3502 §6.3.11: NO, nothing appended).
        await t.send("a1 APPEND INBOX \(Self.literal(m1)) {0}\r\n \(Self.literal(m2))", last: "a1 NO")
        // A mailbox that does not exist: TRYCREATE, as a single APPEND.
        await t.send("a2 APPEND Nowhere \(Self.literal(m1)) \(Self.literal(m2))", last: "a2 NO [TRYCREATE]")
        // A syntax error in the second message (a bad date): BAD, nothing appended.
        await t.send("a3 APPEND INBOX \(Self.literal(m1)) \"31-Foo-2026 00:00:00 +0000\" \(Self.literal(m2))", last: "a3 BAD")
        await t.send("a4 STATUS INBOX (MESSAGES UIDNEXT)", expect: ["* STATUS INBOX (MESSAGES 0 UIDNEXT 1)"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Limits: too many messages is NO [LIMIT], too many octets together NO [TOOBIG]; nothing is kept")
    func limits() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let tiny = "Subject: x\r\n\r\nx\r\n"
        let many = Array(repeating: Self.literal(tiny), count: IMAPDefaults.multiAppendMessages + 1).joined(separator: " ")
        await t.send("a1 APPEND INBOX \(many)", last: "a1 NO [LIMIT]")
        let atLimit = Array(repeating: Self.literal(tiny), count: IMAPDefaults.multiAppendMessages).joined(separator: " ")
        let out = await t.send("a2 APPEND INBOX \(atLimit)", last: "a2 OK [APPENDUID ")
        #expect(out.contains(" 1:\(IMAPDefaults.multiAppendMessages)]"))
        await t.close()
        await t.store.stop()

        // Together over APPENDLIMIT, each under it.
        let small = try await IMAPTranscript.start(maxMessageSize: 100)
        await small.login()
        let sixty = "Subject: y\r\n\r\n" + String(repeating: "y", count: 44) + "\r\n"
        await small.send("b1 APPEND INBOX \(Self.literal(sixty)) \(Self.literal(sixty))", last: "b1 NO [TOOBIG]")
        await small.send("b2 STATUS INBOX (MESSAGES)", expect: ["* STATUS INBOX (MESSAGES 0)"], last: "b2 OK")
        await small.send("b3 APPEND INBOX \(Self.literal(sixty))", last: "b3 OK")
        await small.close()
        await small.store.stop()
    }
}
