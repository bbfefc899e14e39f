import StoreAPI
import Synchronization
import TestSupport
import Testing

@testable import MailboxStore

/// Webmail sessions in SQLite (issue 14): found by the hash of their id, kept alive by use,
/// ended by logout, by expiry, by a password change and with their account; the clock passed in.
@Suite("Webmail sessions")
struct WebSessionStorageTests {
    final class Clock: Sendable {
        let time = Mutex<Double>(1_000_000)
        var now: @Sendable () -> Double { { [self] in time.withLock { $0 } } }
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
    }

    static let alice = "alice@example.test"
    static let key: [UInt8] = Array(repeating: 7, count: 32)

    func storage(_ clock: Clock) async throws -> SQLiteStorage {
        let storage = try SQLiteStorage(directory: temporaryPath("buzon-websessions"), now: clock.now)
        _ = try await storage.createDomain("example.test", postmaster: nil)
        _ = try await storage.createAccount(address: Self.alice, passwordHash: "x", scramKeys: nil, mailboxes: DefaultMailbox.standard)
        return storage
    }

    @Test("a session lives while used within its ttl, and dies after it")
    func slidingExpiry() async throws {
        let clock = Clock()
        let storage = try await storage(clock)
        let made = try await storage.createWebSession(account: "Alice@Example.TEST".lowercased(), idHash: Self.key, csrf: "c", ttl: 300)
        #expect(made.account == Self.alice && made.expiresAt == 1_000_300)
        clock.advance(30)
        #expect(try await storage.webSession(idHash: Self.key)?.expiresAt == 1_000_300)  // used within a minute: not moved
        clock.advance(240)
        #expect(try await storage.webSession(idHash: Self.key)?.expiresAt == 1_000_570)  // moved ahead by use
        clock.advance(299)
        #expect(try await storage.webSession(idHash: Self.key)?.csrf == "c")
        clock.advance(301)
        #expect(try await storage.webSession(idHash: Self.key) == nil)
        #expect(try await storage.deleteWebSession(idHash: Self.key) == false)  // removed when found expired
    }

    @Test("a password change, a logout and the account's deletion end it")
    func endings() async throws {
        let clock = Clock()
        let storage = try await storage(clock)
        _ = try await storage.createWebSession(account: Self.alice, idHash: Self.key, csrf: "c", ttl: 300)
        try await storage.setPasswordHash(of: Self.alice, to: "y", scramKeys: nil)
        #expect(try await storage.webSession(idHash: Self.key) == nil)

        let second = Array(repeating: UInt8(8), count: 32)
        _ = try await storage.createWebSession(account: Self.alice, idHash: second, csrf: "d", ttl: 300)
        #expect(try await storage.webSession(idHash: second)?.account == Self.alice)
        #expect(try await storage.deleteWebSession(idHash: second))
        #expect(try await storage.webSession(idHash: second) == nil)

        _ = try await storage.createWebSession(account: Self.alice, idHash: second, csrf: "e", ttl: 300)
        try await storage.deleteAccount(Self.alice)
        #expect(try await storage.webSession(idHash: second) == nil)
    }

    @Test("another account's session is another row; an unknown account has none")
    func unknownAccount() async throws {
        let storage = try await storage(Clock())
        await #expect(throws: StoreError.self) {
            _ = try await storage.createWebSession(account: "nobody@example.test", idHash: Self.key, csrf: "c", ttl: 300)
        }
        #expect(try await storage.webSession(idHash: Self.key) == nil)
    }
}
