import Foundation
import IMAPProtocol
import Testing

@testable import IMAPGateway

/// What the session does with input it cannot use: BAD with the tag when there is one,
/// `* BAD` when there is none, NO [TOOBIG] for refused literals — and the session goes on.
/// RFC 9051 §7.1.3, §7.1 (TOOBIG), RFC 7888 §4, RFC 3501 §5.1.3.
@Suite("Bad input")
struct BadInputTests {
    @Test("An unknown command is BAD, in every state")
    func unknownCommand() async throws {
        let t = try await IMAPTranscript.start()
        let out = await t.send("a1 FROBNICATE", last: "a1 BAD")
        #expect(responseLines(out).count == 1)
        await t.login()
        await t.send("a2 XYZZY INBOX", last: "a2 BAD")
        await t.send("a3 SELECT INBOX", last: "a3 OK")
        await t.send("a4 UID FROB 1", last: "a4 BAD")
        await t.send("a5 NOOP", last: "a5 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Without a tag the answer is untagged * BAD")
    func untaggedGarbage() async throws {
        let t = try await IMAPTranscript.start()
        let star = await t.send("* NOOP", last: "* BAD")
        #expect(responseLines(star).count == 1)
        await t.send("", last: "* BAD")
        await t.send("+ hello", last: "* BAD")
        await t.send("a1\u{1}b NOOP", last: "* BAD")
        await t.send(String(repeating: "t", count: IMAPDefaults.tagLength + 1) + " NOOP", last: "* BAD")
        await t.send("a2 NOOP", last: "a2 OK")
        await t.store.stop()
    }

    @Test("A line over the limit is BAD with its tag; the next command works")
    func lineTooLong() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let long = "a1 SEARCH " + String(repeating: "ALL ", count: IMAPDefaults.lineLength / 4) + "ALL"
        let (directive, out) = await t.send(long)
        #expect(responseLines(out).count == 1 && out.hasPrefix("a1 BAD "), "\(out)")
        #expect(directive == .proceed)
        await t.send("a2 NOOP", last: "a2 OK")
        // A line dropped before its tag was read is answered untagged.
        let directive2 = await t.session.handle(.lineTooLong(tag: nil))
        #expect(directive2 == .proceed)
        #expect(t.sink.take().hasPrefix("* BAD "))
        await t.close()
        await t.store.stop()
    }

    @Test("An RFC 2971 ID of 30 fields of 1,024 octets (a ~32 KB line) is answered, not refused as too long")
    func longestIDCommand() async throws {
        let t = try await IMAPTranscript.start()
        let fields = (1...30).map { "\"k\($0)\" \"\(String(repeating: "v", count: 1024))\"" }.joined(separator: " ")
        await t.send("a1 ID (\(fields))", expect: ["* ID ("], last: "a1 OK")
        await t.send("a2 NOOP", last: "a2 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("A literal over the limit: NO [TOOBIG] when synchronizing, BAD [TOOBIG] for {n+}")
    func literalTooLarge() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let size = IMAPDefaults.literalSize + 1
        let sync = await t.send("a1 APPEND INBOX {\(size)}", last: "a1 NO [TOOBIG]")
        #expect(responseLines(sync).count == 1)
        let (_, plus) = await t.send("a2 APPEND INBOX {\(size)+}")
        #expect(responseLines(plus).first?.hasPrefix("a2 BAD [TOOBIG]") == true, "\(plus)")
        await t.send("a3 STATUS INBOX (MESSAGES)", expect: ["* STATUS INBOX (MESSAGES 0)"], last: "a3 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("A mailbox name that is not valid modified UTF-7 is BAD (RFC 3501 §5.1.3)")
    func badMailboxName() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE \"Bad&Name\"", last: "a1 BAD")
        await t.send("a2 SELECT &Jjo", last: "a2 BAD")
        // "&" itself is "&-"; a valid name with it works.
        await t.send("a3 CREATE \"R&-D\"", last: "a3 OK")
        await t.send("a4 LIST \"\" R*", expect: ["* LIST (\\HasNoChildren) \"/\" R&-D"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Nesting beyond the limits is BAD: parentheses and NOT chains")
    func deepNesting() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.loginAndSelect()
        let depth = IMAPDefaults.nestingDepth + 1
        let parens = String(repeating: "(", count: depth) + "ALL" + String(repeating: ")", count: depth)
        await t.send("a1 SEARCH \(parens)", last: "a1 BAD")
        let nots = String(repeating: "NOT ", count: IMAPDefaults.searchKeyDepth + 1) + "ALL"
        await t.send("a2 SEARCH \(nots)", last: "a2 BAD")
        // Within the limits the same shapes work.
        let fine = String(repeating: "(", count: 5) + "ALL" + String(repeating: ")", count: 5)
        await t.send("a3 SEARCH \(fine)", expect: ["* SEARCH 1"], last: "a3 OK")
        await t.send("a4 SEARCH NOT NOT ALL", expect: ["* SEARCH 1"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Broken arguments are BAD and keep the session and its state")
    func brokenArguments() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.loginAndSelect()
        await t.send("a1 FETCH 1 (FLAGS", last: "a1 BAD")
        await t.send("a2 FETCH 1  (FLAGS)", last: "a2 BAD")
        await t.send("a3 STORE 1 +FLAGS (\\Seen", last: "a3 BAD")
        await t.send("a4 SELECT \"INBOX", last: "a4 BAD")
        await t.send("a5 FETCH 1:x (FLAGS)", last: "a5 BAD")
        await t.send("a6 FETCH 1 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())"], last: "a6 OK")
        await t.close()
        await t.store.stop()
    }
}
