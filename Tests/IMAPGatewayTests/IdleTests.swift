import Foundation
import Testing
@testable import IMAPGateway

@Suite("IDLE")
struct IdleTests {
    @Test("A delivery shows up as EXISTS in IDLE; DONE ends it")
    func idleSeesDelivery() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        await t.send("a2 IDLE", last: "+ idling")
        try await t.deliver(1, first: 2)
        var seen = ""
        for _ in 0..<100 where !seen.contains("* 2 EXISTS") {
            try await Task.sleep(for: .milliseconds(50))
            seen += t.sink.take()
        }
        #expect(seen.contains("* 2 EXISTS"))
        await t.send("DONE", last: "a2 OK")
        await t.send("a3 IDLE", last: "+ idling")
        await t.send("NOPE", last: "a3 BAD")
        await t.send("a4 NOOP", last: "a4 OK")
        await t.close()
        await t.store.stop()
    }
}
