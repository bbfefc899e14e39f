import Foundation
import IMAPProtocol
import StoreTestSupport
import Testing

@testable import IMAPGateway

/// GETQUOTAROOT, GETQUOTA, SETQUOTA, OVERQUOTA and STATUS DELETED-STORAGE. RFC 9208
@Suite("QUOTA")
struct QuotaCommandTests {
    static func literal(_ m: String) -> String { "{\(m.utf8.count)}\r\n\(m)" }
    static func message(_ n: Int, body: String = "Hello.") -> String {
        String(decoding: sampleMessage(n, body: body), as: UTF8.self)
    }

    @Test("No limit: no quota root; with limits: the root \"\" with STORAGE in KiB and MESSAGE; SETQUOTA is NOPERM")
    func rootsAndLimits() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let capability = await t.send("a0 CAPABILITY", last: "a0 OK")
        #expect(capability.contains(" QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE") && !capability.contains("QUOTASET"))
        #expect(await t.send("a1 GETQUOTAROOT INBOX", last: "a1 OK").contains("* QUOTAROOT INBOX\r\n"))
        await t.send("a2 GETQUOTA \"\"", last: "a2 NO [NONEXISTENT]")
        _ = try await t.store.client.setQuota(of: "alice@example.test", storageLimit: 10, messageLimit: 5)
        await t.send("a3 APPEND INBOX \(Self.literal(Self.message(1)))", last: "a3 OK [APPENDUID ")
        let root = await t.send("a4 GETQUOTAROOT Sent", last: "a4 OK")
        #expect(root.contains("* QUOTAROOT Sent \"\"\r\n* QUOTA \"\" (STORAGE 1 10 MESSAGE 1 5)\r\n"), "\(root)")
        await t.send("a5 GETQUOTA \"\"", expect: ["* QUOTA \"\" (STORAGE 1 10 MESSAGE 1 5)"], last: "a5 OK")
        await t.send("a6 GETQUOTA other", last: "a6 NO [NONEXISTENT]")
        await t.send("a7 GETQUOTAROOT Nowhere", last: "a7 NO [NONEXISTENT]")
        await t.send("a8 SETQUOTA \"\" (STORAGE 100000)", last: "a8 NO [NOPERM]")
        await t.send("a9 GETQUOTA \"\"", expect: ["* QUOTA \"\" (STORAGE 1 10 MESSAGE 1 5)"], last: "a9 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("APPEND, MULTIAPPEND and COPY over quota are NO [OVERQUOTA] and store nothing; MOVE and EXPUNGE still work")
    func overQuota() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        _ = try await t.store.client.setQuota(of: "alice@example.test", storageLimit: nil, messageLimit: 2)
        await t.send("a1 APPEND INBOX \(Self.literal(Self.message(1)))", last: "a1 OK")
        await t.send(
            "a2 APPEND INBOX \(Self.literal(Self.message(2))) \(Self.literal(Self.message(3)))", last: "a2 NO [OVERQUOTA]")
        await t.send("a3 APPEND INBOX \(Self.literal(Self.message(2)))", last: "a3 OK")
        await t.send("a4 APPEND INBOX \(Self.literal(Self.message(3)))", last: "a4 NO [OVERQUOTA]")
        await t.send("a5 SELECT INBOX", expect: ["* 2 EXISTS"], last: "a5 OK")
        await t.send("a6 COPY 1 Trash", last: "a6 NO [OVERQUOTA]")
        await t.send("a7 MOVE 1 Trash", last: "a7 OK")
        await t.send(
            "a8 STATUS Trash (MESSAGES DELETED DELETED-STORAGE)", expect: ["* STATUS Trash (MESSAGES 1 DELETED 0 DELETED-STORAGE 0)"],
            last: "a8 OK")
        await t.send("a9 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a9 OK")
        await t.send("b1 STATUS INBOX (DELETED DELETED-STORAGE)", expect: ["* STATUS INBOX (DELETED 1 DELETED-STORAGE 1)"], last: "b1 OK")
        await t.send("b2 EXPUNGE", last: "b2 OK")
        await t.send("b3 GETQUOTA \"\"", expect: ["* QUOTA \"\" (MESSAGE 1 2)"], last: "b3 OK")
        await t.close()
        await t.store.stop()
    }
}
