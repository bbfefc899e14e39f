import Foundation
import Testing
@testable import IMAPGateway

@Suite("Scratch")
struct ScratchTests {
    @Test func dump() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(Fixtures.multipart)
        try await t.deliver(Fixtures.base64Single)
        try await t.deliver(2, first: 3)
        var log = ""
        func s(_ c: String) async { let o = await t.send(c).output; log += "C: \(c)\n" + o + "\n" }
        await s("a0 CAPABILITY")
        await s("a0 ID NIL")
        await s("a0 ID (\"name\" \"x\")")
        await s("a1 LOGIN alice@example.test secret")
        await s("a1 ENABLE CONDSTORE X-FOO")
        await s("a1 ENABLE CONDSTORE")
        await s("a2 SELECT INBOX (CONDSTORE)")
        await s("a3 FETCH 1 (ENVELOPE)")
        await s("a3 FETCH 1 (BODYSTRUCTURE)")
        await s("a3 FETCH 1 (BODY)")
        await s("a3 FETCH 1 (BODY.PEEK[1] BODY.PEEK[2] BODY.PEEK[2.1] BODY.PEEK[2.MIME] BODY.PEEK[3.MIME] BODY.PEEK[HEADER.FIELDS.NOT (Received Content-Type X-Tracking MIME-Version)])")
        await s("a4 FETCH 1 (BINARY.PEEK[3] BINARY.SIZE[3] BINARY.PEEK[2.1])")
        await s("a4 FETCH 2 (BINARY.PEEK[1] BINARY.SIZE[1] BODYSTRUCTURE)")
        await s("a5 FETCH 1 (RFC822.HEADER)")
        await s("a5 FETCH 3 (RFC822.TEXT)")
        await s("a5 FETCH 3 ALL")
        await s("a5 FETCH 3 FAST")
        await s("a5 FETCH 3 FULL")
        await s("a6 FETCH 3 (RFC822)")
        await s("a6 FETCH 4 (BODY[])")
        await s("a6 FETCH 1:* (FLAGS MODSEQ)")
        await s("a7 STORE 1 +FLAGS (\\Answered)")
        await s("a7 STORE 1 +FLAGS.SILENT ($Label1)")
        await s("a8 SEARCH RETURN (MIN MAX COUNT ALL) ALL")
        await s("a8 STATUS INBOX (MESSAGES UNSEEN SIZE HIGHESTMODSEQ DELETED UIDNEXT UIDVALIDITY RECENT)")
        await s("a9 LIST \"\" *")
        await s("a9 LIST \"\" \"\"")
        await s("a9 NAMESPACE")
        await s("b1 SELECT Trash")
        await s("b1 LSUB \"\" *")
        try "\(log)".write(toFile: "/tmp/scratch/dump.txt", atomically: true, encoding: .utf8)
        await t.close()
        await t.store.stop()
    }
}
