import Foundation
import HummingbirdBcrypt
import ServiceKit
import StoreAPI
import Synchronization
import TestSupport
import Testing

@testable import MailboxStore

/// The authentication cache (`AuthCache`) on its own, and inside `LoginPolicy` over a real
/// SQLite database: what hits, what never does, and what ends a cached login.
@Suite("Authentication cache")
struct AuthCacheTests {
    let alice = "alice@example.test"
    let v1 = PasswordCredential(hash: "$2b$04$hash-one", version: 1)

    @Test("a remembered password hits; another password, account or hash misses")
    func hitAndMiss() {
        let cache = AuthCache(ttl: 60, capacity: 10)
        #expect(!cache.contains(alice, credential: v1, password: "pw", now: 0))
        cache.remember(alice, credential: v1, password: "pw", now: 0)
        #expect(cache.contains(alice, credential: v1, password: "pw", now: 1))
        #expect(!cache.contains(alice, credential: v1, password: "pW", now: 1))
        #expect(!cache.contains("bob@example.test", credential: v1, password: "pw", now: 1))
        #expect(!cache.contains(alice, credential: PasswordCredential(hash: "$2b$04$hash-two", version: 1), password: "pw", now: 1))
        // A wrong password leaves the entry for the owner.
        #expect(cache.contains(alice, credential: v1, password: "pw", now: 2))
        #expect(cache.statistics.hits == 2)
    }

    @Test("an entry ends at its expiry")
    func expiry() {
        let cache = AuthCache(ttl: 60, capacity: 10)
        cache.remember(alice, credential: v1, password: "pw", now: 100)
        #expect(cache.contains(alice, credential: v1, password: "pw", now: 159))
        #expect(!cache.contains(alice, credential: v1, password: "pw", now: 160))
        #expect(cache.count == 0)
    }

    @Test("a bumped credential version ends the entry, even with the same hash")
    func versionBump() {
        let cache = AuthCache(ttl: 60, capacity: 10)
        cache.remember(alice, credential: v1, password: "pw", now: 0)
        #expect(!cache.contains(alice, credential: PasswordCredential(hash: v1.hash, version: 2), password: "pw", now: 1))
        // Dropped, not just skipped: going back to the old version finds nothing.
        #expect(!cache.contains(alice, credential: v1, password: "pw", now: 1))
    }

    @Test("a TTL or a size of 0 turns it off; a full cache drops the least recently used")
    func boundsAndOff() {
        for cache in [AuthCache(ttl: 0, capacity: 10), AuthCache(ttl: 60, capacity: 0)] {
            cache.remember(alice, credential: v1, password: "pw", now: 0)
            #expect(!cache.contains(alice, credential: v1, password: "pw", now: 0))
        }
        let cache = AuthCache(ttl: 60, capacity: 8)
        for n in 0..<8 { cache.remember("u\(n)@example.test", credential: v1, password: "pw", now: 0) }
        #expect(cache.contains("u0@example.test", credential: v1, password: "pw", now: 1))  // used again: kept
        cache.remember("u8@example.test", credential: v1, password: "pw", now: 1)
        #expect(cache.count == 8)
        #expect(cache.contains("u0@example.test", credential: v1, password: "pw", now: 2))
        #expect(!cache.contains("u1@example.test", credential: v1, password: "pw", now: 2))
        #expect(cache.contains("u8@example.test", credential: v1, password: "pw", now: 2))
    }

    @Test("constant-time comparison agrees with ==")
    func compare() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equal([1, 2], [1, 2, 3]) && !ConstantTime.equal([], [1]))
    }

    // MARK: - inside the login policy

    /// A store's storage and policy over one database file, with a clock the test moves.
    struct Replica {
        let storage: SQLiteStorage
        let policy: LoginPolicy
    }

    final class Gate: Sendable {
        let open = Atomic<Bool>(false)
    }

    final class TestClock: Sendable {
        let time = Mutex<Double>(1_000_000)
        var now: @Sendable () -> Double { { [self] in time.withLock { $0 } } }
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
    }

    func replica(_ directory: String, clock: TestClock, settings: LoginPolicy.Settings = .init(failureDelay: 0)) throws -> Replica {
        let storage = try SQLiteStorage(directory: directory)
        return Replica(storage: storage, policy: LoginPolicy(storage: storage, settings: settings, bcryptCost: 4, now: clock.now))
    }

    func makeAlice(_ storage: SQLiteStorage, password: String) async throws {
        _ = try await storage.createDomain("example.test", postmaster: nil)
        _ = try await storage.createAccount(
            address: alice, passwordHash: Bcrypt.hash(password, cost: 4), scramKeys: nil, mailboxes: DefaultMailbox.standard)
    }

    func login(_ policy: LoginPolicy, _ password: String, from client: String = "192.0.2.1") async throws -> LoginResult.Outcome {
        try await policy.verify(LoginRequest(username: "Alice@Example.TEST", password: password, clientAddress: client)).result
    }

    @Test("a good login is remembered and the next one hits; a failure never enters")
    func policyHitsOnlyAfterSuccess() async throws {
        let clock = TestClock()
        let store = try replica(temporaryPath("buzon-authcache"), clock: clock)
        try await makeAlice(store.storage, password: "pw")
        #expect(try await login(store.policy, "wrong") == .invalid)
        #expect(try await login(store.policy, "wrong again") == .invalid)
        #expect(store.policy.cache.count == 0)
        #expect(store.policy.cache.statistics.hits == 0)
        #expect(try await login(store.policy, "pw") == .ok)
        #expect(store.policy.cache.count == 1)
        #expect(try await login(store.policy, "pw") == .ok)
        #expect(store.policy.cache.statistics.hits == 1)
        // A wrong password after the cached right one: still refused, still no hit.
        #expect(try await login(store.policy, "wrong 3") == .invalid)
        #expect(store.policy.cache.statistics.hits == 1)
        // Past the TTL the password is checked again (and remembered again).
        clock.advance(3601)
        #expect(try await login(store.policy, "pw") == .ok)
        #expect(store.policy.cache.statistics.hits == 1)
        #expect(try await login(store.policy, "pw") == .ok)
        #expect(store.policy.cache.statistics.hits == 2)
    }

    @Test("a password changed through another replica ends the cached login at once; a deleted account too")
    func otherReplica() async throws {
        let clock = TestClock()
        let directory = temporaryPath("buzon-authcache")
        let a = try replica(directory, clock: clock)
        try await makeAlice(a.storage, password: "old")
        let b = try replica(directory, clock: clock)
        #expect(try await login(a.policy, "old") == .ok)
        #expect(try await login(a.policy, "old") == .ok)
        #expect(a.policy.cache.statistics.hits == 1)
        // B changes the password; A hears nothing but reads the version at the next login.
        try await b.storage.setPasswordHash(of: alice, to: Bcrypt.hash("new", cost: 4), scramKeys: nil)
        #expect(try await login(a.policy, "old") == .invalid)
        #expect(try await login(a.policy, "new") == .ok)
        // The version alone ends it too (a change that keeps the hash, as disabling would).
        let current = try #require(try await a.storage.passwordCredential(of: alice))
        try await b.storage.setPasswordHash(of: alice, to: current.hash, scramKeys: nil)
        let hits = a.policy.cache.statistics.hits
        #expect(try await login(a.policy, "new") == .ok)
        #expect(a.policy.cache.statistics.hits == hits)
        #expect(try await login(a.policy, "new") == .ok)
        #expect(a.policy.cache.statistics.hits == hits + 1)
        try await b.storage.deleteAccount(alice)
        #expect(try await login(a.policy, "new") == .invalid)
    }

    @Test("a locked client or account is refused even with a cached password")
    func throttleStays() async throws {
        let clock = TestClock()
        let store = try replica(
            temporaryPath("buzon-authcache"), clock: clock,
            settings: .init(failureDelay: 0, maxFailuresPerAddressAccount: 3, maxFailuresPerAccount: 100, maxFailuresPerAddress: 100))
        try await makeAlice(store.storage, password: "pw")
        #expect(try await login(store.policy, "pw", from: "192.0.2.7") == .ok)
        for n in 1...3 { #expect(try await login(store.policy, "guess \(n)", from: "192.0.2.7") == .invalid) }
        #expect(try await login(store.policy, "pw", from: "192.0.2.7") == .locked)
        // The owner elsewhere: a hit, which clears nothing of the guesser's.
        #expect(try await login(store.policy, "pw", from: "198.51.100.1") == .ok)
        #expect(store.policy.cache.statistics.hits == 1)
        #expect(try await login(store.policy, "pw", from: "192.0.2.7") == .locked)
    }

    @Test("the settings: defaults (an hour, every core, 256 waiting), the environment, and refused values")
    func settings() throws {
        let base = ["BUZON_INTERNAL_TOKEN": "t"]
        let defaults = try StoreConfiguration(reader: ConfigReader(environment: base, arguments: [])).login
        #expect(defaults.authCacheSeconds == 3600 && defaults.authCacheSize == 10_000)
        #expect(defaults.hashThreads == LoginPolicy.Settings().hashThreads && defaults.hashThreads >= 1 && defaults.hashQueue == 256)
        let set = try StoreConfiguration(
            reader: ConfigReader(
                environment: base.merging([
                    "BUZON_AUTH_CACHE_SECONDS": "0", "BUZON_AUTH_CACHE_SIZE": "5", "BUZON_BCRYPT_THREADS": "3", "BUZON_BCRYPT_QUEUE": "7",
                ]) { $1 }, arguments: [])
        ).login
        #expect(set.authCacheSeconds == 0 && set.authCacheSize == 5 && set.hashThreads == 3 && set.hashQueue == 7)
        #expect(throws: ConfigReader.ConfigError.self) {
            try StoreConfiguration(reader: ConfigReader(environment: base.merging(["BUZON_BCRYPT_THREADS": "0"]) { $1 }, arguments: []))
        }
    }

    @Test("password checks beyond the threads and the queue are refused at once with 503")
    func boundedQueue() async throws {
        let hasher = PasswordHasher(threads: 1, queueDepth: 1)
        let gate = Gate()
        // One running, one waiting: the third is refused.
        async let first: Void = hasher.run { while !gate.open.load(ordering: .relaxed) { usleep(1000) } }
        async let second: Void = hasher.run { while !gate.open.load(ordering: .relaxed) { usleep(1000) } }
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: StoreError.self) { try await hasher.run { 1 } }
        gate.open.store(true, ordering: .relaxed)
        _ = try await (first, second)
        #expect(try await hasher.run { 2 } == 2)
    }
}
