import Foundation
import GRDB
import SASL
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// SCRAM-SHA-256 through the store's two calls: the keys kept beside the bcrypt hash, the decoy
/// salt, the same throttling as passwords, and keys computed at the first password login of
/// an account that had none. RFC 5802, RFC 7677.
@Suite("SCRAM-SHA-256 login")
struct SCRAMLoginTests {
    /// A whole exchange, as a gateway runs it: our client, the shared exchange, the store's calls.
    static func scramLogin(_ store: TestStore, _ user: String, _ password: String, client address: String = "192.0.2.5")
        async throws -> (LoginResult, serverVerified: Bool)
    {
        var client = SCRAMClient(username: user, password: password)
        var exchange = SASLExchange(mechanism: "SCRAM-SHA-256")!
        guard case .scramStart(let name) = exchange.start(initialResponse: SASLBase64.encode(client.clientFirst)) else {
            Issue.record("no start")
            return (LoginResult(result: .invalid), false)
        }
        let start = try await store.client.scramStart(SCRAMStartRequest(username: name))
        guard case .challenge(let first) = exchange.scramSalt(SASLBase64.decode(start.salt)!, iterations: start.iterations),
            let final = client.clientFinal(serverFirst: String(decoding: SASLBase64.decode(first)!, as: UTF8.self)),
            case .scramFinish(let finish) = exchange.receive(SASLBase64.encode(final))
        else {
            Issue.record("the exchange broke off")
            return (LoginResult(result: .invalid), false)
        }
        let result = try await store.client.scramFinish(
            SCRAMFinishRequest(
                username: finish.username, authMessage: finish.authMessage, clientProof: SASLBase64.encode(finish.clientProof),
                clientAddress: address, service: "imap"))
        let verified = result.serverSignature.map { client.verifies(serverFinal: "v=" + $0) } ?? false
        return (result, verified)
    }

    @Test("a user created through the API has keys: SCRAM works, the server-final verifies, a wrong password fails")
    func keysAtCreation() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "correct horse")
        let (ok, verified) = try await Self.scramLogin(store, "Alice@example.test", "correct horse")
        #expect(ok.result == .ok && ok.address == "alice@example.test" && verified)
        #expect(try await Self.scramLogin(store, "alice@example.test", "wrong").0 == LoginResult(result: .invalid))
        #expect(try await Self.scramLogin(store, "ghost@example.test", "x").0 == LoginResult(result: .invalid))

        // A new password brings new keys: the old one fails, the new one works.
        try await store.client.setPassword("alice@example.test", password: "new one")
        #expect(try await Self.scramLogin(store, "alice@example.test", "correct horse").0.result == .invalid)
        #expect(try await Self.scramLogin(store, "alice@example.test", "new one").0.result == .ok)
        #expect(try await store.client.scramStart(SCRAMStartRequest(username: "alice@example.test")).iterations == 4096)
    }

    @Test("an unknown name gets a decoy salt, stable per name")
    func decoySalt() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        let a = try await store.client.scramStart(SCRAMStartRequest(username: "ghost@example.test"))
        #expect(a == (try await store.client.scramStart(SCRAMStartRequest(username: "GHOST@example.test"))))
        #expect(a != (try await store.client.scramStart(SCRAMStartRequest(username: "other@example.test"))))
        #expect(SASLBase64.decode(a.salt)?.count == SASLDefaults.saltOctets && a.iterations == 4096)
    }

    @Test("SCRAM failures count with password failures: the account locks")
    func sharedLockout() async throws {
        let store = try await TestStore.start(
            login: .init(failureDelay: 0, maxFailuresPerAccount: 3, maxFailuresPerAddress: 100, lockout: 60))
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test", password: "pw")
        _ = try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "guess"))
        _ = try await Self.scramLogin(store, "alice@example.test", "guess")
        _ = try await Self.scramLogin(store, "alice@example.test", "guess")
        #expect(try await store.client.verifyLogin(LoginRequest(username: "alice@example.test", password: "pw")).result == .locked)
        #expect(try await Self.scramLogin(store, "alice@example.test", "pw").0.result == .locked)
    }

    @Test("an account without keys (older data) gets them at its first password login, with the salt already answered")
    func keysAtFirstLogin() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser("old@example.test", password: "legacy pw")
        // What an account created before SCRAM keys were kept looks like.
        let database = try DatabaseQueue(path: store.directory + "/store.sqlite")
        try await database.write { try $0.execute(sql: "UPDATE accounts SET scram_keys = NULL") }
        let before = try await store.client.scramStart(SCRAMStartRequest(username: "old@example.test"))
        #expect(try await Self.scramLogin(store, "old@example.test", "legacy pw").0.result == .invalid)

        #expect(try await store.client.verifyLogin(LoginRequest(username: "old@example.test", password: "legacy pw")).result == .ok)
        #expect(
            try await database.read { try String.fetchOne($0, sql: "SELECT scram_keys FROM accounts") }?.hasPrefix("SCRAM-SHA-256$4096:")
                == true)
        #expect(try await store.client.scramStart(SCRAMStartRequest(username: "old@example.test")) == before)
        let (ok, verified) = try await Self.scramLogin(store, "old@example.test", "legacy pw")
        #expect(ok.result == .ok && verified)
    }
}
