import Foundation
import Testing

@testable import IMAPGateway

/// STORE and UID STORE: selected state only. RFC 9051 §6.4.6, RFC 7162 §3.1.3 (UNCHANGEDSINCE).
@Suite("STORE")
struct StoreTests {
    @Test("Outside the selected state STORE is BAD")
    func wrongState() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 STORE 1 +FLAGS (\\Seen)", last: "a1 BAD")
        await t.login()
        await t.send("a2 STORE 1 +FLAGS (\\Seen)", last: "a2 BAD")
        await t.send("a3 UID STORE 1 +FLAGS (\\Seen)", last: "a3 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("+FLAGS adds, -FLAGS removes, FLAGS replaces; each answers with the new flags")
    func operations() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.loginAndSelect()
        let add = await t.send("a1 STORE 1:2 +FLAGS (\\Seen \\Flagged)", last: "a1 OK")
        #expect(
            untagged(add) == ["* 1 FETCH (FLAGS (\\Seen \\Flagged))", "* 2 FETCH (FLAGS (\\Seen \\Flagged))"]
                || untagged(add) == ["* 1 FETCH (FLAGS (\\Flagged \\Seen))", "* 2 FETCH (FLAGS (\\Flagged \\Seen))"],
            "\(add)")
        let remove = await t.send("a2 STORE 2 -FLAGS (\\Seen)", last: "a2 OK")
        #expect(untagged(remove) == ["* 2 FETCH (FLAGS (\\Flagged))"])
        let replace = await t.send("a3 STORE 1 FLAGS (\\Answered)", last: "a3 OK")
        #expect(untagged(replace) == ["* 1 FETCH (FLAGS (\\Answered))"])
        let clear = await t.send("a4 STORE 1 FLAGS ()", last: "a4 OK")
        #expect(untagged(clear) == ["* 1 FETCH (FLAGS ())"])
        // Flags without parentheses are allowed too (RFC 9051 §9 store-att-flags).
        await t.send("a5 STORE 3 +FLAGS \\Draft \\Deleted", expect: ["* 3 FETCH (FLAGS ("], last: "a5 OK")
        await t.send("a6 FETCH 1:3 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS (\\Flagged))"], last: "a6 OK")
        // Removing what is not there changes nothing and is not an error.
        await t.send("a7 STORE 2 -FLAGS (\\Answered)", expect: ["* 2 FETCH (FLAGS (\\Flagged))"], last: "a7 OK")
        await t.close()
        await t.store.stop()
    }

    @Test(".SILENT: no FETCH answer; UID STORE answers carry the UID")
    func silentAndUID() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        let silent = await t.send("a1 STORE 1 +FLAGS.SILENT (\\Seen)", last: "a1 OK")
        #expect(untagged(silent).isEmpty)
        await t.send("a2 STORE 1 -FLAGS.SILENT (\\Seen)", last: "a2 OK")
        await t.send("a3 STORE 2 FLAGS.SILENT (\\Answered)", last: "a3 OK")
        await t.send("a4 FETCH 1:2 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS (\\Answered))"], last: "a4 OK")
        let uid = await t.send("a5 UID STORE 2 +FLAGS (\\Seen)", last: "a5 OK")
        let fetch = try #require(line(uid, startingWith: "* 2 FETCH"))
        #expect(fetch.contains("UID 2") && fetch.contains("\\Seen") && fetch.contains("\\Answered"))
        let nothing = await t.send("a6 UID STORE 50:60 +FLAGS (\\Seen)", last: "a6 OK")
        #expect(responseLines(nothing).count == 1)
        await t.close()
        await t.store.stop()
    }

    @Test("Keywords are stored, listed and removed; PERMANENTFLAGS allows them with \\*")
    func keywords() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        await t.send(
            "a0 SELECT INBOX", expect: ["* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)]"], last: "a0 OK")
        await t.send("a1 STORE 1 +FLAGS ($Work Project-X)", expect: ["* 1 FETCH (FLAGS ($Work Project-X))"], last: "a1 OK")
        await t.send("a2 STORE 2 +FLAGS ($Junk)", expect: ["* 2 FETCH (FLAGS ($Junk))"], last: "a2 OK")
        await t.send("a3 STORE 1 -FLAGS (Project-X)", expect: ["* 1 FETCH (FLAGS ($Work))"], last: "a3 OK")
        await t.send("a4 SEARCH KEYWORD $Work", expect: ["* SEARCH 1"], last: "a4 OK")
        // \Recent is the server's; a client cannot store it (RFC 3501 §2.3.2).
        await t.send("a5 STORE 2 +FLAGS (\\Recent)", expect: ["* 2 FETCH (FLAGS ($Junk))"], last: "a5 OK")
        await t.send("a6 STORE 2 +FLAGS (bad(flag)", last: "a6 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("UNCHANGEDSINCE: messages changed since are left alone and named in [MODIFIED] (RFC 7162 §3.1.3)")
    func unchangedSince() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.login()
        let selected = await t.send("a1 SELECT INBOX (CONDSTORE)", last: "a1 OK")
        let base = try #require(number(after: "HIGHESTMODSEQ", in: selected))
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", last: "b1 OK")
        await u.send("b2 STORE 2 +FLAGS.SILENT (\\Answered)", last: "b2 OK")

        let out = await t.send("a2 STORE 1:3 (UNCHANGEDSINCE \(base)) +FLAGS (\\Seen)", last: "a2 OK [MODIFIED 2]")
        let lines = responseLines(out)
        let one = try #require(lines.first { $0.hasPrefix("* 1 FETCH (") })
        #expect(one.contains("UID 1") && one.contains("FLAGS (\\Seen)") && one.contains("MODSEQ ("), "\(out)")
        #expect(lines.contains { $0.hasPrefix("* 3 FETCH (") && $0.contains("FLAGS (\\Seen)") })
        // Message 2 keeps its flags; the announcement of the other session's change is allowed.
        #expect(!lines.contains { $0.hasPrefix("* 2 FETCH") && $0.contains("\\Seen") }, "\(out)")
        await t.send("a3 FETCH 2 (FLAGS)", expect: ["* 2 FETCH (FLAGS (\\Answered)"], last: "a3 OK")

        // .SILENT with UNCHANGEDSINCE still reports the new MODSEQ (RFC 7162 §3.1.3 example).
        let fetched = await t.send("a4 FETCH 1 (MODSEQ)", last: "a4 OK")
        let current = try #require(number(after: "MODSEQ", in: fetched))
        let silent = await t.send("a5 UID STORE 1 (UNCHANGEDSINCE \(current)) +FLAGS.SILENT (\\Flagged)", last: "a5 OK")
        let reported = try #require(line(silent, startingWith: "* 1 FETCH"), "\(silent)")
        #expect(reported.contains("MODSEQ (") && !reported.contains("FLAGS"), "\(silent)")
        await t.send("a6 UID STORE 1 (UNCHANGEDSINCE \(current)) +FLAGS (\\Draft)", last: "a6 OK [MODIFIED 1]")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("STORE in a mailbox opened with EXAMINE is NO; out of range is BAD")
    func refusals() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 EXAMINE INBOX", last: "a1 OK [READ-ONLY]")
        await t.send("a2 STORE 1 +FLAGS (\\Seen)", last: "a2 NO")
        await t.send("a3 SELECT INBOX", last: "a3 OK")
        await t.send("a4 STORE 2 +FLAGS (\\Seen)", last: "a4 BAD")
        await t.send("a5 STORE 1 FROB (\\Seen)", last: "a5 BAD")
        await t.send("a6 STORE 1 +FLAGS", last: "a6 BAD")
        await t.close()
        await t.store.stop()
    }
}
