import Foundation
import Hummingbird
import Logging
import MailboxStore
import ServiceLifecycle
import StoreAPI
import StoreClient
import TestSupport

/// Test support shared by the store's and the gateways' tests.
///
/// A mailbox-store running in this process on a loopback port with SQLite in a temporary
/// directory: the real routes and storage, reached over a real socket by the real client.
public final class TestStore: Sendable {
    public static let token = "test-token-\(UInt64.random(in: 0...UInt64.max))"
    public let directory: String
    public let port: Int
    public let client: StoreClient
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// `indexBatch` is `BUZON_STORE_INDEX_BATCH` (0: no background indexing).
    public static func start(
        directory: String? = nil, login: LoginPolicy.Settings = .init(failureDelay: 0), indexBatch: Int = 200
    ) async throws -> TestStore {
        let dir = directory ?? temporaryPath("buzon-store")
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let configuration = StoreConfiguration(
            dataDirectory: dir, host: "127.0.0.1", port: 0, internalToken: token,
            bcryptCost: 4, login: login, logLevel: "error")
        var configured = configuration
        configured.indexBatch = indexBatch
        let app = try buildMailboxStore(configuration: configured) { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: quietLogger("test")))
        let task = Task { try await group.run() }
        var port = 0
        for await p in stream { port = p; break }
        return TestStore(directory: dir, port: port, group: group, task: task)
    }

    private init(directory: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.directory = directory
        self.port = port
        self.group = group
        self.task = task
        self.client = StoreClient(baseURL: "http://127.0.0.1:\(port)", token: Self.token)
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// A domain and a user in it, ready to receive mail.
    @discardableResult
    public func makeUser(_ address: String = "alice@example.test", password: String = "secret") async throws -> String {
        let domain = Validation.domainOf(address)
        if try await !client.listDomains().contains(where: { $0.name == domain }) {
            _ = try await client.createDomain(domain)
        }
        _ = try await client.createUser(address, password: password)
        return address
    }

    public func inbox(_ account: String) async throws -> MailboxInfo {
        try await client.listMailboxes(account).first { $0.name == "INBOX" }!
    }
}

/// A small valid message; `n` makes each one distinct.
public func sampleMessage(_ n: Int = 1, body: String = "Hello.") -> [UInt8] {
    Array(
        """
        From: Sender <sender@remote.test>\r
        To: alice@example.test\r
        Subject: Test \(n)\r
        Message-ID: <m\(n)@remote.test>\r
        Date: Thu, 26 Nov 2026 10:00:00 +0000\r
        \r
        \(body)\r

        """.utf8)
}
