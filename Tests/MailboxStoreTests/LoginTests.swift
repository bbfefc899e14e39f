import Crypto
import Foundation
import GRDB
import HummingbirdBcrypt
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

    @Test("the account itself locks, for everyone, only at its own count of failures from all addresses, and says for how long")
    func accountLock() async throws {
        // Updated for issue 11: this lock is the last resort (default 100), reached here from
        // three addresses, none of which reached its own limits.
        let store = try await TestStore.start(
            login: .init(failureDelay: 0, maxFailuresPerAccount: 3, maxFailuresPerAddress: 100, lockout: 60))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        for n in 1...3 {
            _ = try await store.client.verifyLogin(
                LoginRequest(username: "alice@example.test", password: "guess", clientAddress: "192.0.2.\(n)"))
        }
        let locked = try await store.client.verifyLogin(
            LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "192.0.2.9"))
        #expect(locked.result == .locked)
        #expect((locked.retryAfter ?? 0) > 0 && (locked.retryAfter ?? 0) <= 60)
        // Shown to the administrator, and cleared there.
        let shown = try await store.client.loginFailures(account: "Alice@Example.TEST")
        #expect(shown.first?.scope == .account && shown.first?.failures == 3 && shown.first?.lockedUntil != nil)
        #expect(shown.filter { $0.scope == .addressAccount }.count == 3)
        #expect(try await store.client.clearLoginFailures(account: "alice@example.test") == 4)
        #expect(
            try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "192.0.2.9"))
                .result == .ok)
    }

    @Test("a guesser at one address locks himself out of the account, not its owner elsewhere")
    func guesserDoesNotLockOwner() async throws {
        let store = try await TestStore.start()  // the default thresholds: 10 per address and account, 100 per account
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        var answers: [LoginResult.Outcome] = []
        for n in 1...15 {
            answers.append(
                try await store.client.verifyLogin(
                    LoginRequest(username: "alice@example.test", password: "guess\(n)", clientAddress: "192.0.2.66")
                ).result)
        }
        #expect(answers == Array(repeating: .invalid, count: 10) + Array(repeating: .locked, count: 5))
        // Even the right password from the guesser's address is refused now…
        #expect(
            try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "192.0.2.66"))
                .result == .locked)
        // …while the owner, elsewhere, logs in.
        #expect(
            try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "198.51.100.1"))
                .result == .ok)
        let pair = try await store.client.loginFailures(address: "192.0.2.66").first { $0.scope == .addressAccount }
        #expect(pair?.account == "alice@example.test" && pair?.failures == 10 && pair?.lockedUntil != nil)
        #expect(try await store.client.loginFailures(account: "alice@example.test").first { $0.scope == .account }?.lockedUntil == nil)
    }

    @Test("an unknown name is counted and locked like an existing one")
    func unknownNamesAlike() async throws {
        let store = try await TestStore.start(
            login: .init(failureDelay: 0, maxFailuresPerAddressAccount: 2, maxFailuresPerAccount: 100, maxFailuresPerAddress: 100))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        for name in ["alice@example.test", "ghost@example.test"] {
            var answers: [LoginResult] = []
            for n in 1...3 {  // a guesser's passwords differ (the same one again is not counted again)
                answers.append(
                    try await store.client.verifyLogin(LoginRequest(username: name, password: "guess\(n)", clientAddress: "192.0.2.7")))
            }
            #expect(answers.map(\.result) == [.invalid, .invalid, .locked], "\(name)")
            #expect(answers.allSatisfy { $0.address == nil })
        }
        let listed = try await store.client.loginFailures(address: "192.0.2.7")
        #expect(listed.first { $0.scope == .address }?.failures == 4)
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

    @Test("failed logins from one address are slowed, the delay doubling up to its cap; the owner elsewhere is not")
    func delay() async throws {
        // Steps of a second or more: a loaded machine (the whole suite at once on 2 cores has
        // added over 0.6 s to a call) must not blur one step into the next.
        let store = try await TestStore.start(
            login: .init(failureDelay: 1, maxDelay: 2, maxFailuresPerAccount: 100, maxFailuresPerAddress: 100, lockout: 60))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        var took: [Duration] = []
        for n in 1...3 {
            let started = ContinuousClock.now
            _ = try await store.client.verifyLogin(
                LoginRequest(username: "alice@example.test", password: "bad\(n)", clientAddress: "192.0.2.1"))
            took.append(ContinuousClock.now - started)
        }
        // 1 s after the first failure, 2 s after the second, 2 s (the cap, not 4) after the third;
        // the margins are wide because the tests run in parallel on a loaded machine.
        #expect(took[0] >= .milliseconds(1000) && took[1] >= .milliseconds(2000) && took[2] >= .milliseconds(2000))
        #expect(took[2] < .milliseconds(3500))
        // Another address: a first failure's delay, whatever the account's count.
        let started = ContinuousClock.now
        _ = try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "bad", clientAddress: "192.0.2.2"))
        #expect(ContinuousClock.now - started < .milliseconds(1900))
        let ok = ContinuousClock.now
        #expect(
            try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "192.0.2.3"))
                .result == .ok)
        // Under the first failure's 1 s: a success is never delayed.
        #expect(ContinuousClock.now - ok < .milliseconds(900))
    }

    @Test("the delay doubles per failure and stops at its cap")
    func delaySchedule() {
        let settings = LoginPolicy.Settings(failureDelay: 1, maxDelay: 15)
        #expect((0...6).map(settings.delay(afterFailures:)) == [0, 1, 2, 4, 8, 15, 15])
        #expect(LoginPolicy.Settings(failureDelay: 0).delay(afterFailures: 5) == 0)
        #expect(settings.delay(afterFailures: 1_000) == 15)
    }

    @Test("an unknown name's password is checked against a hash of the cost new hashes get")
    func decoyCost() async throws {
        #expect(try await DecoyHash(cost: 6, hasher: PasswordHasher(threads: 1, queueDepth: 4)).hash().hasPrefix("$2b$06$"))
        #expect(DecoyHash.cost(of: "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234") == 12)
        #expect(DecoyHash.cost(of: "SCRAM-SHA-256$4096:x$y:z") == nil)
    }

    @Test("a hash of another cost than configured is made again at a good login")
    func rehash() async throws {
        let store = try await TestStore.start()  // cost 4
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        let database = try DatabaseQueue(path: store.directory + "/store.sqlite")
        let older = Bcrypt.hash("pw", cost: 5)
        try await database.write { try $0.execute(sql: "UPDATE accounts SET password_hash = ?", arguments: [older]) }
        #expect(try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw")).result == .ok)
        let now = try await database.read { try String.fetchOne($0, sql: "SELECT password_hash FROM accounts") }
        #expect(now?.hasPrefix("$2b$04$") == true)
        #expect(try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw")).result == .ok)
    }

    @Test("two IPv6 addresses in one /64 share a penalty; ones in different /64s do not")
    func ipv6Prefix() async throws {
        let store = try await TestStore.start(
            login: .init(failureDelay: 0, maxFailuresPerAddressAccount: 3, maxFailuresPerAccount: 100, maxFailuresPerAddress: 100))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        // A fresh address of one /64 per attempt, as anyone with a home line can take.
        for n in 1...3 {
            let answer = try await store.client.verifyLogin(
                LoginRequest(username: "alice@example.test", password: "guess\(n)", clientAddress: "2001:db8:1:1::\(n)"))
            #expect(answer.result == .invalid)
        }
        #expect(
            try await store.client.verifyLogin(
                LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "2001:db8:1:1:ffff::9")
            ).result == .locked)
        #expect(
            try await store.client.verifyLogin(
                LoginRequest(username: "alice@example.test", password: "pw", clientAddress: "2001:db8:1:2::1")
            )
            .result == .ok)
        // The administrator finds the /64 by any of its addresses.
        let listed = try await store.client.loginFailures(address: "2001:db8:1:1::77")
        #expect(listed.first { $0.scope == .address }?.address == "2001:db8:1:1::/64")
        #expect(listed.first { $0.scope == .address }?.failures == 3)
        // An IPv4 client seen through a dual-stack socket is the same client as over IPv4.
        _ = try await store.client.verifyLogin(
            LoginRequest(username: "alice@example.test", password: "bad", clientAddress: "::ffff:192.0.2.5"))
        #expect(try await store.client.loginFailures(address: "192.0.2.5").first { $0.scope == .address }?.failures == 1)
    }

    @Test("the same wrong password again from one address for one name counts once; different ones each count")
    func repeatedPassword() async throws {
        let store = try await TestStore.start(
            login: .init(failureDelay: 0, maxFailuresPerAddressAccount: 3, maxFailuresPerAccount: 100, maxFailuresPerAddress: 100))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        func login(_ password: String, from client: String, as name: String = "alice@example.test") async throws -> LoginResult.Outcome {
            try await store.client.verifyLogin(LoginRequest(username: name, password: password, clientAddress: client)).result
        }
        // A phone with an old saved password, retrying in a loop: answered as failures, never locked.
        for _ in 1...10 { #expect(try await login("old password", from: "192.0.2.10") == .invalid) }
        let pair = try await store.client.loginFailures(address: "192.0.2.10").first { $0.scope == .addressAccount }
        #expect(pair?.failures == 1)
        #expect(try await login("pw", from: "192.0.2.10") == .ok)
        // A guesser varies his passwords: each counts, alternating between two too.
        var answers: [LoginResult.Outcome] = []
        for n in 1...4 { answers.append(try await login(n % 2 == 0 ? "a" : "b", from: "192.0.2.11")) }
        #expect(answers == [.invalid, .invalid, .invalid, .locked])
        // An unknown name alike.
        for _ in 1...5 { #expect(try await login("x", from: "192.0.2.12", as: "ghost@example.test") == .invalid) }
        // The mark is a keyed hash, not the password nor its plain hash.
        let database = try DatabaseQueue(path: store.directory + "/store.sqlite")
        let marks = try await database.read {
            try String.fetchAll($0, sql: "SELECT password_mark FROM login_failures WHERE password_mark IS NOT NULL")
        }
        #expect(marks.count == 2 && Set(marks).count == 2 && marks.allSatisfy { $0.count == 44 })
        #expect(!marks.contains(Data(SHA256.hash(data: Data("x".utf8))).base64EncodedString()))
    }

    @Test("a repeat is still answered after the delay already earned, and a changed password is checked again")
    func repeatDelayAndChange() async throws {
        let store = try await TestStore.start(
            login: .init(failureDelay: 0.25, maxDelay: 10, maxFailuresPerAccount: 100, maxFailuresPerAddress: 100, lockout: 60))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        let request = LoginRequest(username: "alice@example.test", password: "old", clientAddress: "192.0.2.20")
        var took: [Duration] = []
        for _ in 1...4 {
            let started = ContinuousClock.now
            #expect(try await store.client.verifyLogin(request).result == .invalid)
            took.append(ContinuousClock.now - started)
        }
        // The first failure's delay each time; counted, the fourth would have waited 2 s.
        #expect(took.allSatisfy { $0 >= .milliseconds(250) } && took[3] < .milliseconds(1500), "\(took)")
        #expect(try await store.client.loginFailures(address: "192.0.2.20").allSatisfy { $0.failures == 1 })
        // The administrator sets the password the phone still has: it is checked, not refused as a repeat.
        try await store.client.setPassword("alice@example.test", password: "old")
        #expect(try await store.client.verifyLogin(request).result == .ok)
    }
}
