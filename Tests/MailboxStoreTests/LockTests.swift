import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

@Suite("Leases (the POP3 maildrop lock)")
struct LockTests {
    @Test("one holder at a time; renew, release, and take-over after expiry")
    func exclusive() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let a = try #require(try await store.client.acquireLock("alice@example.test", name: "pop3", owner: "gw1/s1", ttl: 1))
        #expect(try await store.client.acquireLock("alice@example.test", name: "pop3", owner: "gw2/s9", ttl: 60) == nil)
        let renewed = try #require(try await store.client.renewLock("alice@example.test", lease: a, ttl: 1))
        #expect(renewed.token == a.token && renewed.expiresAt >= a.expiresAt)
        try await Task.sleep(for: .milliseconds(1100))
        // Expired: another session takes it, and the first holder's token no longer works.
        let b = try #require(try await store.client.acquireLock("alice@example.test", name: "pop3", owner: "gw2/s9", ttl: 60))
        #expect(try await store.client.renewLock("alice@example.test", lease: a, ttl: 60) == nil)
        try await store.client.releaseLock("alice@example.test", lease: b)
        #expect(try await store.client.acquireLock("alice@example.test", name: "pop3", owner: "gw3", ttl: 60) != nil)
        // Another account's lock is another lock.
        try await store.makeUser("bob@example.test")
        #expect(try await store.client.acquireLock("bob@example.test", name: "pop3", owner: "gw3", ttl: 60) != nil)
    }
}
