import StoreAPI
import TestSupport
import Testing

@testable import MailboxStore

/// The login policy's counters in SQLite: windows, locks, listing, clearing and pruning, with
/// the clock passed in.
@Suite("Login-failure counters")
struct LoginFailureStorageTests {
    let pair = LoginFailureKey.addressAccount("192.0.2.1", "alice@example.test")

    @Test("a counter grows within its window, starts again after it, and locks at its threshold")
    func window() async throws {
        let storage = try SQLiteStorage(directory: temporaryPath("buzon-failures"))
        for n in 1...2 {
            let state = try await storage.recordLoginFailures([(pair, 3)], now: 100 + Double(n), window: 60, lockout: 30)
            #expect(state[0].failures == n && state[0].lockedUntil == nil)
        }
        #expect(try await storage.recordLoginFailures([(pair, 3)], now: 110, window: 60, lockout: 30)[0].lockedUntil == 140)
        #expect(try await storage.recordLoginFailures([(pair, 3)], now: 200, window: 60, lockout: 30)[0].failures == 1)
        let listed = try await storage.listLoginFailures(account: "alice@example.test", address: nil, now: 200, window: 60)
        #expect(listed.map(\.scope) == [.addressAccount] && listed[0].since == 200 && listed[0].address == "192.0.2.1")
    }

    @Test("pruning drops counters whose window is over, unless still locked; clearing goes by account or address")
    func pruneAndClear() async throws {
        let storage = try SQLiteStorage(directory: temporaryPath("buzon-failures"))
        _ = try await storage.recordLoginFailures(
            [(pair, 1), (.address("192.0.2.1"), 10), (.account("alice@example.test"), 10)], now: 0, window: 60, lockout: 600)
        _ = try await storage.recordLoginFailures([(.address("192.0.2.2"), 10)], now: 0, window: 60, lockout: 600)
        try await storage.pruneLoginFailures(now: 100, window: 60)
        let left = try await storage.loginFailures([pair, .address("192.0.2.1"), .account("alice@example.test"), .address("192.0.2.2")])
        #expect(left.map { $0 != nil } == [true, false, false, false])  // only the locked pair outlives its window
        #expect(try await storage.clearLoginFailures(account: nil, address: "192.0.2.9") == 0)
        #expect(try await storage.clearLoginFailures(account: nil, address: "192.0.2.1") == 1)
        #expect(try await storage.listLoginFailures(account: nil, address: nil, now: 100, window: 60).isEmpty)
    }
}
