import Foundation
import IMAPProtocol
import Logging
import StoreAPI
import StoreClient
import StoreTestSupport
import Synchronization
import TestSupport
import Testing

@testable import IMAPGateway

/// Collects what a session writes.
final class CollectingSink: ResponseSink {
    private let bytes = Mutex<[UInt8]>([])
    func write(_ more: [UInt8]) async throws { bytes.withLock { $0 += more } }
    func take() -> String {
        bytes.withLock { b in
            defer { b = [] }; return String(decoding: b, as: UTF8.self)
        }
    }
}

/// Drives an `IMAPSession` against a real mailbox-store running in this process, and reads
/// like a transcript (CONVENTIONS.md §12):
///
/// ```
/// let t = try await IMAPTranscript.start()
/// try await t.send("a1 LOGIN alice@example.test secret", expect: "a1 OK")
/// ```
/// Commands are framed by the real `IMAPCommandReader`, literals included; the `+`
/// continuations the inbound handler would send are left out of the transcript.
final class IMAPTranscript: Sendable {
    let store: TestStore
    let session: IMAPSession
    let sink: CollectingSink
    let watcher: ChangeWatcher

    static func start(
        store existing: TestStore? = nil, tls: Bool = false, plaintext: Bool = true, users: UserConnections = UserConnections(limit: 50),
        maxLoginFailures: Int = 3, maxUpdateResult: Int? = nil, maxMailboxKeywords: Int? = nil, maxMessageSize: Int? = nil
    ) async throws -> IMAPTranscript {
        let store: TestStore
        if let existing {
            store = existing
        } else {
            store = try await TestStore.start()
            try await store.makeUser("alice@example.test")
            try await store.makeUser("bob@example.test")
        }
        let logger = quietLogger("imap-test")
        var settings = SessionSettings(hostname: "imap.example.test", tlsAvailable: !tls, plaintextAuthAllowed: plaintext)
        settings.maxLoginFailures = maxLoginFailures
        if let maxUpdateResult { settings.maxUpdateResult = maxUpdateResult }
        if let maxMailboxKeywords { settings.maxMailboxKeywords = maxMailboxKeywords }
        if let maxMessageSize { settings.maxMessageSize = maxMessageSize }
        let sink = CollectingSink()
        let watcher = ChangeWatcher(client: store.client, logger: logger)
        let session = IMAPSession(
            settings: settings, isTLS: tls, store: store.client, watcher: watcher, users: users,
            limits: ConnectionLimits(maxLiteralSize: IMAPDefaults.literalSize, timeoutSeconds: 60),
            logger: logger, sink: sink)
        _ = await session.greet()
        _ = sink.take()
        return IMAPTranscript(store: store, session: session, sink: sink, watcher: watcher)
    }

    private init(store: TestStore, session: IMAPSession, sink: CollectingSink, watcher: ChangeWatcher) {
        self.store = store
        self.session = session
        self.sink = sink
        self.watcher = watcher
    }

    /// A second session on the same store (another client, or another gateway).
    func another() async throws -> IMAPTranscript {
        try await IMAPTranscript.start(store: store)
    }

    /// Sends a command (CRLF added; `{n}` literals inside the text as a client writes them) and
    /// returns everything the session wrote for it.
    @discardableResult
    func send(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async -> (directive: SessionDirective, output: String) {
        var reader = IMAPCommandReader()
        reader.append(wireLine(text))
        var directive = SessionDirective.proceed
        while let event = reader.next() {
            switch event {
            case .continuationRequest, .literalStart, .literalData: continue
            case .command(let framed): directive = await session.handle(.command(framed))
            case .literalTooLarge(let tag, _, let synchronizing):
                directive = await session.handle(.literalTooLarge(tag: tag, synchronizing: synchronizing))
            case .lineTooLong(let tag): directive = await session.handle(.lineTooLong(tag: tag))
            }
        }
        return (directive, sink.take())
    }

    /// Sends a command and checks that the output contains every line in `expect` (each a
    /// prefix of some response line) and that the last line starts with `last`.
    @discardableResult
    func send(_ text: String, expect: [String] = [], last: String, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
        let output = await send(text, sourceLocation: sourceLocation).output
        let lines = output.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        for wanted in expect {
            #expect(lines.contains { $0.hasPrefix(wanted) }, "\(text) → missing \(wanted) in:\n\(output)", sourceLocation: sourceLocation)
        }
        #expect(
            lines.last?.hasPrefix(last) == true, "\(text) → last line should start with \(last):\n\(output)", sourceLocation: sourceLocation
        )
        return output
    }

    func login(_ user: String = "alice@example.test") async {
        await send("l1 LOGIN \(user) secret", last: "l1 OK")
    }

    /// Delivers `count` sample messages to INBOX. Unless `recent`, they are as if another
    /// client had already opened the mailbox since (their `\Recent` claimed, RFC 3501
    /// §2.3.2), so that tests of other things see the flags they set and nothing else;
    /// RecentTests deliver with `recent: true`.
    func deliver(_ count: Int, to account: String = "alice@example.test", first: Int = 1, recent: Bool = false) async throws {
        for n in first..<(first + count) {
            _ = try await store.client.deliver(sampleMessage(n), to: [account], idempotencyKey: nil)
        }
        if !recent { try await claimRecent(account) }
    }

    /// Takes `\Recent` from every message of the account's INBOX, as a session selecting it would.
    func claimRecent(_ account: String = "alice@example.test") async throws {
        guard let inbox = try await store.client.listMailboxes(account).first(where: { $0.name == "INBOX" }) else { return }
        _ = try await store.client.claimRecent(account, mailbox: inbox.id, RecentClaimRequest(upTo: .max))
    }

    func close() async {
        await session.disconnected()
    }
}
