import StoreAPI
import StoreTestSupport
import Testing

@testable import IMAPGateway

/// The gateway's shared views kept after their last session (issue 12): for `keep`, within a
/// budget of messages that also charges each view a fixed cost.
@Suite("Shared views kept")
struct SharedMailboxesTests {
    static let account = "alice@example.test"

    static func keys(_ store: TestStore, count: Int) async throws -> [SharedMailboxes.Key] {
        for n in 0..<count { _ = try await store.client.createMailbox(account, CreateMailboxRequest(name: "Box\(n)")) }
        return try await store.client.listMailboxes(account).filter { $0.name.hasPrefix("Box") }
            .map { SharedMailboxes.Key(account: account, mailbox: $0.id, uidValidity: $0.uidValidity) }
    }

    @Test("A released view is kept, and reopened without a listing; with no keep time it goes at once")
    func keptForItsTime() async throws {
        let store = try await TestStore.start()
        _ = try await store.makeUser(Self.account)
        let keys = try await Self.keys(store, count: 1)
        let kept = SharedMailboxes(store: store.client, keep: .seconds(300))
        let (lease, _) = try await kept.open(keys[0])
        await kept.release(lease)
        #expect(await kept.openCount == 1)
        let gone = SharedMailboxes(store: store.client, keep: .zero)
        let (other, _) = try await gone.open(keys[0])
        await gone.release(other)
        #expect(await gone.openCount == 0)
        await store.stop()
    }

    @Test("Kept views beyond the budget go, the longest unused first; each counts its fixed cost")
    func budget() async throws {
        let store = try await TestStore.start()
        _ = try await store.makeUser(Self.account)
        let keys = try await Self.keys(store, count: 3)
        // Empty mailboxes: only their fixed cost counts, two fit and three do not.
        let shared = SharedMailboxes(store: store.client, keep: .seconds(300), keepMessages: 2 * SharedMailboxes.viewCost)
        var leases: [SharedMailboxes.Lease] = []
        for key in keys { leases.append(try await shared.open(key).0) }
        for lease in leases { await shared.release(lease) }
        #expect(await shared.openCount == 2)
        // The first released went; held views never count against the budget.
        let (again, _) = try await shared.open(keys[0])
        #expect(await shared.openCount == 3)
        await shared.release(again)
        #expect(await shared.openCount == 2)
        await store.stop()
    }
}
