import Foundation
import Testing

@testable import IMAPGateway

/// NAMESPACE: authenticated and selected states. RFC 9051 §6.3.10, RFC 2342.
@Suite("NAMESPACE")
struct NamespaceTests {
    @Test("One personal namespace with no prefix and \"/\", the Other Users one (RFC 4314 shares); no shared")
    func namespace() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 NAMESPACE", last: "a1 BAD")
        await t.login()
        let out = await t.send("a2 NAMESPACE", last: "a2 OK")
        #expect(untagged(out) == ["* NAMESPACE ((\"\" \"/\")) ((\"Other Users/\" \"/\")) NIL"])
        await t.send("a3 SELECT INBOX", last: "a3 OK")
        await t.send("a4 NAMESPACE", expect: ["* NAMESPACE ((\"\" \"/\")) ((\"Other Users/\" \"/\")) NIL"], last: "a4 OK")
        await t.send("a5 NAMESPACE personal", last: "a5 BAD")
        await t.close()
        await t.store.stop()
    }
}
