import Foundation
import StoreTestSupport
import Testing

@testable import IMAPGateway

/// STATUS: authenticated and selected states. RFC 9051 §6.3.11, RFC 8438 (SIZE), RFC 7162
/// §3.1.6 (HIGHESTMODSEQ), RFC 7889 (APPENDLIMIT).
@Suite("STATUS")
struct StatusTests {
    @Test("Before login STATUS is BAD")
    func notAuthenticated() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 STATUS INBOX (MESSAGES)", last: "a1 BAD")
        await t.store.stop()
    }

    @Test("Every item, in the order asked")
    func items() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.login()
        let selected = await t.send("a1 SELECT INBOX", last: "a1 OK")
        let validity = try #require(number(after: "UIDVALIDITY", in: selected))
        await t.send("a2 STORE 1 +FLAGS.SILENT (\\Seen)", last: "a2 OK")
        await t.send("a3 STORE 2:3 +FLAGS.SILENT (\\Deleted)", last: "a3 OK")
        let modseq = await t.send("a4 FETCH 3 (MODSEQ)", last: "a4 OK")
        let highest = try #require(number(after: "MODSEQ", in: modseq))
        let size = (1...3).map { sampleMessage($0).count }.reduce(0, +)
        await t.send("a5 UNSELECT", last: "a5 OK")
        let out = await t.send("a6 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT SIZE HIGHESTMODSEQ DELETED)", last: "a6 OK")
        #expect(
            untagged(out) == [
                "* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY \(validity) UNSEEN 2 RECENT 0 SIZE \(size) HIGHESTMODSEQ \(highest) DELETED 2)"
            ])
        // The order follows the request.
        await t.send("a7 status inbox (deleted messages)", expect: ["* STATUS INBOX (DELETED 2 MESSAGES 3)"], last: "a7 OK")
        await t.send("a8 STATUS Trash (MESSAGES SIZE UIDNEXT)", expect: ["* STATUS Trash (MESSAGES 0 SIZE 0 UIDNEXT 1)"], last: "a8 OK")
        await t.send("a9 STATUS INBOX (APPENDLIMIT)", expect: ["* STATUS INBOX (APPENDLIMIT "], last: "a9 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("STATUS follows deliveries and works on the selected mailbox")
    func selectedMailbox() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        try await t.deliver(2)
        await t.send("a2 STATUS INBOX (MESSAGES UNSEEN)", expect: ["* STATUS INBOX (MESSAGES 2 UNSEEN 2)"], last: "a2 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("An unknown item is BAD; an unknown mailbox NO [NONEXISTENT]; an empty list BAD")
    func errors() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let bad = await t.send("a1 STATUS INBOX (MESSAGES FROBS)", last: "a1 BAD")
        #expect(!bad.contains("* STATUS"))
        await t.send("a2 STATUS Nowhere (MESSAGES)", last: "a2 NO [NONEXISTENT]")
        await t.send("a3 STATUS INBOX ()", last: "a3 BAD")
        await t.send("a4 STATUS INBOX", last: "a4 BAD")
        await t.close()
        await t.store.stop()
    }
}
