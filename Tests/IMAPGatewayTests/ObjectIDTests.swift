import Foundation
import IMAPProtocol
import Testing

@testable import IMAPGateway

/// OBJECTID (RFC 8474), SAVEDATE (RFC 8514), CREATE-SPECIAL-USE (RFC 6154 §3), PREVIEW
/// (RFC 8970) and REPLACE (RFC 8508) in transcripts against an in-process store.
@Suite("OBJECTID, SAVEDATE, CREATE-SPECIAL-USE, PREVIEW, REPLACE")
struct ObjectIDTests {
    static func literal(_ m: String) -> String { "{\(m.utf8.count)}\r\n\(m)" }

    static func message(_ subject: String, body: String = "Some text.") -> String {
        String(decoding: Fixtures.message(subject: subject, date: "Fri, 02 Jan 2026 09:00:00 +0100", body: body), as: UTF8.self)
    }

    /// The text inside `ITEM (…)`.
    static func objectID(_ item: String, in output: String) -> String? {
        guard let range = output.range(of: item + " (") else { return nil }
        return String(output[range.upperBound...].prefix { $0 != ")" })
    }

    @Test("MAILBOXID in CREATE's OK, SELECT, STATUS; the same after RENAME")
    func mailboxID() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let created = await t.send("a1 CREATE Work", last: "a1 OK [MAILBOXID (")
        let id = try #require(Self.objectID("MAILBOXID", in: created))
        #expect(ObjectID.isValid(id))
        await t.send("a2 SELECT Work", expect: ["* OK [MAILBOXID (\(id))]"], last: "a2 OK")
        await t.send("a3 RENAME Work Play", last: "a3 OK")
        await t.send("a4 STATUS Play (MAILBOXID UIDNEXT)", expect: ["* STATUS Play (MAILBOXID (\(id)) UIDNEXT 1)"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("CREATE with USE: given and listed; a second \\Sent, \\All or an unknown use is NO [USEATTR]")
    func createSpecialUse() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Old (USE (\\Archive))", last: "a1 OK [MAILBOXID (")
        let listed = await t.send("a2 LIST \"\" Old", last: "a2 OK")
        #expect(listed.contains("\\Archive) \"/\" Old"), "\(listed)")
        await t.send("a3 CREATE Sent2 (USE (\\Sent))", last: "a3 NO [USEATTR]")
        await t.send("a4 CREATE All (USE (\\All))", last: "a4 NO [USEATTR]")
        await t.send("a5 CREATE X (USE (\\Whatever))", last: "a5 NO [USEATTR]")
        let list = await t.send("a6 LIST \"\" *", last: "a6 OK")
        #expect(!list.contains("Sent2") && !list.contains(" All") && !list.contains(" X"), "\(list)")
        await t.close()
        await t.store.stop()
    }

    @Test("EMAILID kept by COPY, THREADID, SAVEDATE, PREVIEW, and SEARCH by them")
    func fetchAndSearch() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        let out = await t.send("a2 FETCH 1 (EMAILID THREADID SAVEDATE PREVIEW)", last: "a2 OK")
        let email = try #require(Self.objectID("EMAILID", in: out))
        let thread = try #require(Self.objectID("THREADID", in: out))
        #expect(ObjectID.isValid(email) && ObjectID.isValid(thread))
        #expect(out.contains("SAVEDATE \"") && out.contains("PREVIEW \""), "\(out)")
        #expect(await t.send("a3 SEARCH EMAILID \(email)", last: "a3 OK").contains("* SEARCH 1\r\n"))
        await t.send("a4 SEARCH SAVEDATESUPPORTED", expect: ["* SEARCH 1 2"], last: "a4 OK")
        #expect(await t.send("a5 SEARCH SAVEDBEFORE 1-Jan-2000", last: "a5 OK").contains("* SEARCH\r\n"))
        await t.send("a6 COPY 1 Trash", last: "a6 OK")
        await t.send("a7 SELECT Trash", last: "a7 OK")
        await t.send("a8 FETCH 1 (EMAILID)", expect: ["* 1 FETCH (EMAILID (\(email)))"], last: "a8 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("REPLACE: APPENDUID untagged, the old message expunged; into a missing mailbox nothing is lost")
    func replace() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 APPEND Drafts \(Self.literal(Self.message("v1")))", last: "a1 OK [APPENDUID")
        await t.send("a2 SELECT Drafts", expect: ["* 1 EXISTS"], last: "a2 OK")
        await t.send(
            "a3 REPLACE 1 Drafts (\\Draft) \(Self.literal(Self.message("v2")))",
            expect: ["* OK [APPENDUID ", "* 1 EXPUNGE"], last: "a3 OK REPLACE completed")
        let fetched = await t.send("a4 FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])", last: "a4 OK")
        #expect(fetched.contains("Subject: v2") && !fetched.contains("Subject: v1"), "\(fetched)")
        await t.send("a5 REPLACE 1 Nowhere \(Self.literal(Self.message("v3")))", last: "a5 NO [TRYCREATE]")
        await t.send("a6 NOOP", last: "a6 OK")
        let still = await t.send("a7 FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])", last: "a7 OK")
        #expect(still.contains("Subject: v2"), "\(still)")
        await t.send("a8 REPLACE 2 Drafts \(Self.literal(Self.message("v4")))", last: "a8 BAD")
        await t.send("a9 EXAMINE Drafts", last: "a9 OK")
        await t.send("b1 REPLACE 1 Drafts \(Self.literal(Self.message("v5")))", last: "b1 NO [READ-ONLY]")
        await t.close()
        await t.store.stop()
    }
}
