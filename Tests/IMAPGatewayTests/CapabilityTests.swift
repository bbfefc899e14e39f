import Foundation
import Testing

@testable import IMAPGateway

/// CAPABILITY, NOOP, LOGOUT and ID — legal in every state. RFC 9051 §6.1, RFC 2971.
@Suite("CAPABILITY, NOOP, LOGOUT and ID")
struct CapabilityTests {
    @Test("CAPABILITY: one untagged line, then OK; what it lists follows the state")
    func capabilityByState() async throws {
        let t = try await IMAPTranscript.start()
        // Not authenticated, TLS available, passwords allowed here.
        let before = await t.send("a1 CAPABILITY", last: "a1 OK")
        let lines = responseLines(before)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("* CAPABILITY IMAP4rev1 IMAP4rev2 "))
        let words = Set(lines[0].split(separator: " ").map(String.init))
        for name in [
            "LITERAL-", "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE", "UNSELECT", "UIDPLUS", "MOVE", "CHILDREN",
            "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "STATUS=SIZE", "CONDSTORE", "QRESYNC", "ESEARCH",
            "SEARCHRES", "BINARY", "UTF8=ACCEPT", "STARTTLS", "AUTH=PLAIN", "SORT", "SORT=DISPLAY", "THREAD=ORDEREDSUBJECT",
            "THREAD=REFERENCES", "ESORT", "CONTEXT=SEARCH", "CONTEXT=SORT",
        ] {
            #expect(words.contains(name), "missing \(name)")
        }
        #expect(words.contains { $0.hasPrefix("APPENDLIMIT=") })
        #expect(!words.contains("LOGINDISABLED"))
        // RFC 7888 §5: never LITERAL+ and LITERAL- together; before login LITERAL-.
        #expect(!words.contains("LITERAL+"))

        // Authenticated: STARTTLS and AUTH= are gone (RFC 9051 §6.1.1, §6.2.1).
        await t.login()
        let after = await t.send("a2 CAPABILITY", last: "a2 OK")
        #expect(after.contains("* CAPABILITY IMAP4rev1 IMAP4rev2"))
        #expect(!after.contains("STARTTLS") && !after.contains("AUTH=") && !after.contains("LOGINDISABLED"))
        // After login non-synchronizing literals of any size up to APPENDLIMIT: LITERAL+ alone.
        #expect(after.contains(" LITERAL+ ") && !after.contains("LITERAL-"))

        // Selected: the same list.
        await t.send("a3 SELECT INBOX", last: "a3 OK")
        let selected = await t.send("a4 CAPABILITY", last: "a4 OK")
        #expect(line(selected, startingWith: "* CAPABILITY") == line(after, startingWith: "* CAPABILITY"))
        await t.close()
        await t.store.stop()
    }

    @Test("Over TLS there is no STARTTLS to offer")
    func capabilityOverTLS() async throws {
        let t = try await IMAPTranscript.start(tls: true)
        let out = await t.send("a1 CAPABILITY", expect: ["* CAPABILITY IMAP4rev1"], last: "a1 OK")
        #expect(!out.contains("STARTTLS"))
        #expect(out.contains("AUTH=PLAIN"))
        await t.store.stop()
    }

    @Test("CAPABILITY and NOOP take no arguments: BAD")
    func extraArguments() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 CAPABILITY IMAP4rev2", last: "a1 BAD")
        await t.send("a2 NOOP now", last: "a2 BAD")
        await t.send("a3 LOGOUT please", last: "a3 BAD")
        await t.send("a4 NOOP", last: "a4 OK")
        await t.store.stop()
    }

    @Test("NOOP in every state; in the selected state it reports new mail")
    func noop() async throws {
        let t = try await IMAPTranscript.start()
        let unauthenticated = await t.send("a1 NOOP", last: "a1 OK")
        #expect(untagged(unauthenticated).isEmpty)
        await t.login()
        await t.send("a2 NOOP", last: "a2 OK")
        await t.send("a3 SELECT INBOX", expect: ["* 0 EXISTS"], last: "a3 OK")
        let quiet = await t.send("a4 NOOP", last: "a4 OK")
        #expect(responseLines(quiet).count == 1)
        try await t.deliver(2, recent: true)
        let news = await t.send("a5 NOOP", last: "a5 OK")
        // RFC 3501 §7.3.2: RECENT follows a new size; this session is the first told of them.
        #expect(untagged(news) == ["* 2 EXISTS", "* 2 RECENT"])
        await t.close()
        await t.store.stop()
    }

    @Test("LOGOUT in every state: BYE, then the tagged OK, then the connection closes")
    func logout() async throws {
        let store = try await IMAPTranscript.start()
        for setup in 0..<3 {
            let t = try await IMAPTranscript.start(store: store.store)
            if setup >= 1 { await t.login() }
            if setup == 2 { await t.send("s1 SELECT INBOX", last: "s1 OK") }
            let (directive, out) = await t.send("z1 LOGOUT")
            let lines = responseLines(out)
            #expect(lines.count == 2, "state \(setup): \(out)")
            #expect(lines.first?.hasPrefix("* BYE") == true)
            #expect(lines.last?.hasPrefix("z1 OK") == true)
            #expect(directive == .close)
            await t.close()
        }
        await store.store.stop()
    }

    @Test("ID: the server's ID whatever the client sends, in every state")
    func id() async throws {
        let t = try await IMAPTranscript.start()
        let asNil = await t.send("a1 ID NIL", last: "a1 OK")
        #expect(asNil.hasPrefix("* ID (\"name\" "))
        #expect(asNil.contains("\"support-url\" \"https://imap.example.test/\")"))
        await t.send("a2 ID (\"name\" \"Thunderbird\" \"version\" \"128.0\")", expect: ["* ID ("], last: "a2 OK")
        await t.login()
        await t.send("a3 ID (\"name\" \"Thunderbird\")", expect: ["* ID ("], last: "a3 OK")
        await t.send("a4 SELECT INBOX", last: "a4 OK")
        await t.send("a5 ID NIL", expect: ["* ID ("], last: "a5 OK")
        // RFC 2971 §4: the argument is a list or NIL, never absent.
        await t.send("a6 ID", last: "a6 BAD")
        await t.send("a7 ID (\"name\")", last: "a7 BAD")
        await t.close()
        await t.store.stop()
    }
}
