import Foundation
import StoreAPI
import Testing

@testable import IMAPGateway

/// SETACL, GETACL, DELETEACL, LISTRIGHTS, MYRIGHTS (RFC 4314 §3), LIST RETURN (MYRIGHTS)
/// (RFC 8440) and a shared mailbox in the Other Users namespace (RFC 2342), two sessions.
@Suite("ACL")
struct ACLCommandTests {
    static let shared = "\"Other Users/alice@example.test/Projects\""

    /// Alice with Projects holding two messages, logged in; Bob's session, logged in.
    func setUp() async throws -> (alice: IMAPTranscript, bob: IMAPTranscript) {
        let alice = try await IMAPTranscript.start()
        await alice.login()
        await alice.send("c1 CREATE Projects", last: "c1 OK")
        await alice.send("c2 APPEND Projects {17}\r\nSubject: one\r\n\r\nx", last: "c2 OK")
        await alice.send("c3 APPEND Projects (\\Flagged) {17}\r\nSubject: two\r\n\r\ny", last: "c3 OK")
        let bob = try await alice.another()
        await bob.login("bob@example.test")
        return (alice, bob)
    }

    @Test("The ACL commands as the owner, with RFC 4314's errors")
    func commands() async throws {
        let (alice, bob) = try await setUp()
        await alice.send("a1 GETACL Projects", expect: ["* ACL Projects alice@example.test lrswipkxtea"], last: "a1 OK")
        await alice.send("a2 SETACL Projects bob@example.test lr", last: "a2 OK")
        await alice.send("a3 SETACL Projects bob@example.test +s", last: "a3 OK")
        await alice.send(
            "a4 GETACL Projects", expect: ["* ACL Projects alice@example.test lrswipkxtea bob@example.test lrs"], last: "a4 OK")
        await alice.send("a5 MYRIGHTS Projects", expect: ["* MYRIGHTS Projects lrswipkxtea"], last: "a5 OK")
        await alice.send(
            "a6 LISTRIGHTS Projects bob@example.test", expect: ["* LISTRIGHTS Projects bob@example.test \"\" l r s w i p k x t e a"],
            last: "a6 OK")
        await alice.send("a7 SETACL Projects bob@example.test lrX", last: "a7 BAD")
        await alice.send("a8 SETACL Projects someone@else.test lr", last: "a8 NO")
        await alice.send("a9 SETACL Projects alice@example.test l", last: "a9 NO")
        await alice.send("b1 GETACL Nothing", last: "b1 NO [NONEXISTENT]")
        await alice.send("b2 DELETEACL Projects bob@example.test", last: "b2 OK")
        let listed = await alice.send("b3 GETACL Projects", last: "b3 OK")
        #expect(listed.contains("* ACL Projects alice@example.test lrswipkxtea\r\n"))
        await alice.send("b4 LIST \"\" Projects RETURN (MYRIGHTS)", expect: ["* MYRIGHTS Projects lrswipkxtea"], last: "b4 OK")
        await alice.close()
        await bob.close()
        await alice.store.stop()
    }

    @Test("Without a grant Bob sees nothing; with lr he reads READ-ONLY and changes nothing")
    func readGrant() async throws {
        let (alice, bob) = try await setUp()
        let hidden = await bob.send("a1 LIST \"\" *", last: "a1 OK")
        #expect(!hidden.contains("Other Users"))
        await bob.send("a2 SELECT \(Self.shared)", last: "a2 NO [NONEXISTENT]")
        await bob.send("a3 MYRIGHTS \(Self.shared)", last: "a3 NO [NONEXISTENT]")
        await alice.send("s1 SETACL Projects bob@example.test lr", last: "s1 OK")
        await bob.send(
            "b1 LIST \"\" * RETURN (MYRIGHTS)",
            expect: [
                "* LIST (\\Noselect \\HasChildren) \"/\" \"Other Users\"",
                "* LIST (\\Noselect \\HasChildren) \"/\" \"Other Users/alice@example.test\"",
                "* LIST (\\HasNoChildren) \"/\" \(Self.shared)", "* MYRIGHTS \(Self.shared) lr",
            ], last: "b1 OK")
        await bob.send("b2 SELECT \(Self.shared)", expect: ["* 2 EXISTS"], last: "b2 OK [READ-ONLY]")
        await bob.send("b3 FETCH 1 (BODY[])", expect: ["* 1 FETCH (BODY[] {17}"], last: "b3 OK")
        await bob.send("b4 FETCH 1 (FLAGS)", expect: ["* 1 FETCH (FLAGS ("], last: "b4 OK")
        await bob.send("b5 STORE 1 +FLAGS (\\Seen)", last: "b5 NO")
        await bob.send("b6 EXPUNGE", last: "b6 NO")
        await bob.send("b7 APPEND \(Self.shared) {17}\r\nSubject: bob\r\n\r\nz", last: "b7 NO [NOPERM]")
        await bob.send("b8 GETACL \(Self.shared)", last: "b8 NO [NOPERM]")
        await bob.send("b9 CREATE \"Other Users/alice@example.test/Projects/Sub\"", last: "b9 NO [NOPERM]")
        await bob.send("c1 DELETE \(Self.shared)", last: "c1 NO [NOPERM]")
        await bob.send("c2 COPY 1:* INBOX", last: "c2 OK")
        let flags = try await alice.store.client.listMailboxes("alice@example.test").first { $0.name == "Projects" }
        #expect(flags?.unseen == 2 && flags?.messages == 2)
        await alice.close()
        await bob.close()
        await alice.store.stop()
    }

    @Test("With lrs Bob's session hears of Alice's changes, and his \\Seen reaches her")
    func changesReachTheOtherUser() async throws {
        let (alice, bob) = try await setUp()
        await alice.send("s1 SETACL Projects bob@example.test lrs", last: "s1 OK")
        await bob.send(
            "b1 SELECT \(Self.shared)", expect: ["* 2 EXISTS", "* OK [PERMANENTFLAGS (\\Seen)]"], last: "b1 OK [READ-WRITE]")
        await alice.send("s2 SELECT Projects", last: "s2 OK")
        await alice.send("s3 APPEND Projects {19}\r\nSubject: three\r\n\r\nz", last: "s3 OK")
        await alice.send("s4 STORE 1 +FLAGS (\\Answered)", last: "s4 OK")
        await bob.send("b2 NOOP", expect: ["* 3 EXISTS", "* 1 FETCH (UID 1 FLAGS (\\Answered"], last: "b2 OK")
        await bob.send("b3 STORE 2 +FLAGS (\\Seen \\Deleted)", expect: ["* 2 FETCH (FLAGS (\\Seen \\Flagged \\Recent)"], last: "b3 OK")
        await alice.send("s5 NOOP", expect: ["* 2 FETCH (UID 2 FLAGS (\\Seen \\Flagged"], last: "s5 OK")
        await alice.close()
        await bob.close()
        await alice.store.stop()
    }
}
