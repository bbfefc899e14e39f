import Foundation
import Testing

@testable import IMAPGateway

/// IMAP4rev1 `\Recent`: recent in exactly one session, the first to SELECT the mailbox (or
/// to hear of the message while selected); counted by RECENT, shown in FETCH FLAGS, searched
/// with RECENT, NEW and OLD, counted by STATUS. RFC 3501 §2.3.2, §6.3.1, §6.3.2, §6.4.4,
/// §7.3.2. IMAP4rev2 sessions have none (RFC 9051 §2.3.2).
@Suite("\\Recent")
struct RecentTests {
    /// The numbers of a `* SEARCH` line.
    static func found(_ out: String) -> [Int] {
        (line(out, startingWith: "* SEARCH") ?? "").split(separator: " ").dropFirst(2).compactMap { Int($0) }
    }

    @Test("The first SELECT gets RECENT, \\Recent in FETCH and RECENT/NEW/OLD; the next session none")
    func firstSessionOnly() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3, recent: true)
        await t.login()
        await t.send("a0 STATUS INBOX (RECENT)", expect: ["* STATUS INBOX (RECENT 3)"], last: "a0 OK")
        await t.send("a1 SELECT INBOX", expect: ["* 3 EXISTS", "* 3 RECENT"], last: "a1 OK")
        await t.send("a2 STORE 2 +FLAGS.SILENT (\\Seen)", last: "a2 OK")
        await t.send(
            "a3 FETCH 1:3 (FLAGS)",
            expect: ["* 1 FETCH (FLAGS (\\Recent))", "* 2 FETCH (FLAGS (\\Seen \\Recent))", "* 3 FETCH (FLAGS (\\Recent))"], last: "a3 OK")
        #expect(Self.found(await t.send("a4 SEARCH RECENT", last: "a4 OK")) == [1, 2, 3])
        #expect(Self.found(await t.send("a5 SEARCH NEW", last: "a5 OK")) == [1, 3])
        #expect(Self.found(await t.send("a6 SEARCH OLD", last: "a6 OK")) == [])

        let other = try await t.another()
        await other.login()
        await other.send("b0 STATUS INBOX (RECENT)", expect: ["* STATUS INBOX (RECENT 0)"], last: "b0 OK")
        await other.send("b1 SELECT INBOX", expect: ["* 3 EXISTS", "* 0 RECENT"], last: "b1 OK")
        let fetched = await other.send("b2 FETCH 1:3 (FLAGS)", last: "b2 OK")
        #expect(!fetched.contains("\\Recent"), "\(fetched)")
        #expect(Self.found(await other.send("b3 SEARCH RECENT", last: "b3 OK")) == [])
        #expect(Self.found(await other.send("b4 SEARCH OLD", last: "b4 OK")) == [1, 2, 3])
        // Reselecting does not give them back to the first session either.
        await t.send("a8 SELECT INBOX", expect: ["* 0 RECENT"], last: "a8 OK")
        await other.close()
        await t.close()
        await t.store.stop()
    }

    @Test("A message arriving while two sessions have the mailbox selected is recent in the one told first")
    func arrivalWhileSelected() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1, recent: true)
        await t.loginAndSelect()
        let other = try await t.another()
        await other.loginAndSelect()
        try await t.deliver(1, first: 2, recent: true)
        // RECENT counts every message recent in the session: the first one and the new one.
        await t.send("a1 NOOP", expect: ["* 2 EXISTS", "* 2 RECENT"], last: "a1 OK")
        await t.send("a2 FETCH 2 (FLAGS)", expect: ["* 2 FETCH (FLAGS (\\Recent))"], last: "a2 OK")
        await other.send("b1 NOOP", expect: ["* 2 EXISTS", "* 0 RECENT"], last: "b1 OK")
        await other.send("b2 FETCH 2 (FLAGS)", expect: ["* 2 FETCH (FLAGS ())"], last: "b2 OK")
        try await t.deliver(1, first: 3, recent: true)
        await t.send("a3 NOOP", expect: ["* 3 EXISTS", "* 3 RECENT"], last: "a3 OK")
        await other.send("b3 NOOP", expect: ["* 3 EXISTS", "* 0 RECENT"], last: "b3 OK")
        await other.close()
        await t.close()
        await t.store.stop()
    }

    @Test("STORE cannot set or clear \\Recent; EXAMINE sees recent messages without taking them")
    func storeAndExamine() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2, recent: true)
        await t.login()
        await t.send("a1 EXAMINE INBOX", expect: ["* 2 RECENT"], last: "a1 OK [READ-ONLY]")
        await t.send("a2 SELECT INBOX", expect: ["* 2 RECENT"], last: "a2 OK")
        await t.send("a3 STORE 1 -FLAGS (\\Recent)", expect: ["* 1 FETCH (FLAGS (\\Recent))"], last: "a3 OK")
        await t.send("a4 STORE 2 FLAGS (\\Seen)", expect: ["* 2 FETCH (FLAGS (\\Seen \\Recent))"], last: "a4 OK")
        let other = try await t.another()
        await other.login()
        await other.send("b1 SELECT INBOX", expect: ["* 0 RECENT"], last: "b1 OK")
        await other.send("b2 STORE 1 +FLAGS (\\Recent)", expect: ["* 1 FETCH (FLAGS ())"], last: "b2 OK")
        await other.close()
        await t.close()
        await t.store.stop()
    }

    @Test("An IMAP4rev2 session has no \\Recent and takes none away")
    func rev2() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2, recent: true)
        await t.login()
        await t.send("e1 ENABLE IMAP4rev2", last: "e1 OK")
        let selected = await t.send("a1 SELECT INBOX", last: "a1 OK")
        #expect(!selected.contains("RECENT"), "\(selected)")
        let fetched = await t.send("a2 FETCH 1:2 (FLAGS)", last: "a2 OK")
        #expect(!fetched.contains("\\Recent"), "\(fetched)")
        let other = try await t.another()
        await other.login()
        await other.send("b1 SELECT INBOX", expect: ["* 2 RECENT"], last: "b1 OK")
        await other.close()
        await t.close()
        await t.store.stop()
    }

    @Test("Sessions on separate gateways selecting at once: each message is recent in exactly one")
    func concurrentSelects() async throws {
        let first = try await IMAPTranscript.start()
        try await first.deliver(12, recent: true)
        var sessions = [first]
        for _ in 1..<6 { sessions.append(try await first.another()) }
        for s in sessions { await s.login() }
        let outputs = await withTaskGroup(of: String.self) { group in
            for (n, s) in sessions.enumerated() {
                group.addTask {
                    let selected = await s.send("s\(n) SELECT INBOX", last: "s\(n) OK")
                    // A delivery while selected is claimed by one of them too.
                    try? await s.deliver(1, first: 100 + n, recent: true)
                    let noop = await s.send("n\(n) NOOP", last: "n\(n) OK")
                    return selected + noop
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs.count == 6)
        var owners: [Int: Int] = [:]
        for (n, s) in sessions.enumerated() {
            let out = await s.send("f\(n) UID SEARCH RECENT", last: "f\(n) OK")
            for uid in Self.found(out) { owners[uid, default: 0] += 1 }
        }
        // 12 before, 6 delivered while selected: every UID recent exactly once.
        #expect(owners.count == 18 && owners.values.allSatisfy { $0 == 1 }, "\(owners)")
        for s in sessions { await s.close() }
        await first.store.stop()
    }
}
