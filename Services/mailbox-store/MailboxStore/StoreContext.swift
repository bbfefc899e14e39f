import Foundation
import Hummingbird
import InternetMessage
import MessageSearch
import NIOCore
import StoreAPI

/// What every route needs: the storage, the login policy, the change notifier and limits.
struct StoreContext: Sendable {
    let storage: any MailStorage
    let login: LoginPolicy
    let notifier: ChangeNotifier
    let maxMessageSize: Int
    let notices: NoticeWriter
    /// Seconds a stored message's resend is recognised (`ResendDigest`); 0: never.
    var resendWindow: Double = StoreConfiguration.defaultResendWindow
    let parser = MessageParser()

    static let maxAliasTargets = 1_000
    /// RFC 6154 §2 attributes (without the backslash) a mailbox may be created with.
    static let specialUses: Set<String> = ["All", "Archive", "Drafts", "Flagged", "Junk", "Sent", "Trash"]

    /// Wakes long-polling readers of the account's change feed.
    func changed(_ account: String) async {
        if let id = try? await storage.accountID(account) {
            notifier.notify(account: id)
        }
    }

    /// After a write to `mailboxes`: wakes the readers of the acting account's feed and of
    /// each mailbox owner's, who differ when the mailbox is shared (RFC 4314).
    func changed(_ account: String, mailboxes: [Int64]) async {
        guard let id = try? await storage.accountID(account) else { return }
        notifier.notify(account: id)
        for owner in Set((try? await storage.mailboxOwners(mailboxes)) ?? []) where owner != id {
            notifier.notify(account: owner)
        }
    }

    /// Reads a message body (up to the size limit, else 413) and parses it once, here, so
    /// that reading never has to (ARCHITECTURE.md, "The store").
    func incomingMessage(_ request: Request, context: StoreRequestContext) async throws -> IncomingMessage {
        let raw = try await messageBody(request)
        return try await Self.offTheLoop { try incomingMessage(raw) }
    }

    /// Runs CPU-heavy work (parsing a message of up to the size limit, evaluating a search
    /// message by message) on the global executor's threads, not on the connection's event
    /// loop (`LoopBoundHTTP1Channel`), where every other connection of that loop would wait.
    static func offTheLoop<T>(_ work: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(globalConcurrentExecutor) { try await work() }
    }

    /// A request's body, up to the size of one message (else 413).
    func messageBody(_ request: Request) async throws -> [UInt8] {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxMessageSize)
        } catch is NIOTooManyBytesError {
            throw StoreError(.contentTooLarge, APIErrorCode.tooLarge, "the message is larger than \(maxMessageSize) bytes")
        }
        return Array(buffer.readableBytesView)
    }

    /// A message's bytes, parsed once.
    func incomingMessage(_ raw: [UInt8]) throws -> IncomingMessage {
        guard !raw.isEmpty else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "the message is empty")
        }
        let parsed = parser.parse(raw)
        let json = String(decoding: try JSONEncoder().encode(parsed), as: UTF8.self)
        return IncomingMessage(
            raw: raw, parseJSON: json, headerSize: parsed.header.length,
            fingerprint: Self.fingerprint(raw), messageIDFields: parsed.fields.named("Message-ID"),
            index: MessageIndexEntry(raw: raw, parse: parsed))
    }

    /// FNV-1a over the bytes plus the length: enough to tell a reused idempotency key
    /// from a true retry, not a security measure.
    static func fingerprint(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16) + "-" + String(bytes.count)
    }
}
