import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

@Suite("Login verification")
struct LoginTests {
    @Test("right password ok, wrong password invalid, unknown user invalid")
    func outcomes() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "correct horse")
        #expect(try await store.client.verifyLogin(LoginRequest(username: "Alice@Example.TEST", password: "correct horse")).result == .ok)
        #expect(try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "wrong")).result == .invalid)
        #expect(try await store.client.verifyLogin(LoginRequest(username: "ghost@example.test", password: "x")).result == .invalid)
        try await store.client.setPassword("alice@example.test", password: "new one")
        #expect(
            try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "correct horse")).result == .invalid)
        #expect(try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "new one")).result == .ok)
    }

    @Test("repeated failures lock the account, even for the right password, and say for how long")
    func accountLock() async throws {
        let store = try await TestStore.start(
            login: .init(failureDelay: 0, maxFailuresPerAccount: 3, maxFailuresPerAddress: 100, lockout: 60))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        for _ in 1...3 {
            _ = try await store.client.verifyLogin(
                LoginRequest(username: "alice@example.test", password: "guess", clientAddress: "192.0.2.1"))
        }
        let locked = try await store.client.verifyLogin(
            LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "192.0.2.9"))
        #expect(locked.result == .locked)
        #expect((locked.retryAfter ?? 0) > 0 && (locked.retryAfter ?? 0) <= 60)
    }

    @Test("one client address guessing many accounts is locked out")
    func addressLock() async throws {
        let store = try await TestStore.start(
            login: .init(failureDelay: 0, maxFailuresPerAccount: 100, maxFailuresPerAddress: 4, lockout: 60))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        for n in 1...4 {
            _ = try await store.client.verifyLogin(
                LoginRequest(username: "user\(n)@example.test", password: "x", clientAddress: "198.51.100.7"))
        }
        #expect(
            try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "198.51.100.7"))
                .result == .locked)
        #expect(
            try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "198.51.100.8"))
                .result == .ok)
    }

    @Test("failed logins are slowed down")
    func delay() async throws {
        let store = try await TestStore.start(
            login: .init(failureDelay: 0.2, maxFailuresPerAccount: 100, maxFailuresPerAddress: 100, lockout: 60))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        let started = ContinuousClock.now
        _ = try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "bad"))
        _ = try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "bad"))
        // 0.2 s after the first failure, 0.4 s after the second.
        #expect(ContinuousClock.now - started >= .milliseconds(600))
    }
}
