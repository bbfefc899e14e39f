import Foundation
import Logging
import Metrics
import NIOCore
import POP3Protocol
import SASL
import ServiceKit
import StoreAPI
import StoreClient
import Synchronization

/// One connection's calls: the store asked through `MaildropStore`, and the maildrop lock it
/// holds from TRANSACTION on, renewed while the session lives and given back when it ends.
struct POP3Calls: SessionCalls {
    let store: MaildropStore
    let clientAddress: String
    let owner: String
    let logger: Logger
    /// The maildrop this session holds (lock lease and INBOX id), once in TRANSACTION.
    var maildrop: (account: String, opened: MaildropStore.Opened)?
    /// When the lease was last renewed (or taken).
    private var renewed = ContinuousClock.now
    /// The next messages, read while the client reads this one.
    private var ahead: ReadAhead

    init(store: MaildropStore, clientAddress: String, sessionID: String, logger: Logger) {
        self.store = store
        self.clientAddress = clientAddress
        self.owner = "\(sessionID)@\(ProcessInfo.processInfo.hostName)"
        self.logger = logger
        self.ahead = ReadAhead(bytes: store.readAheadBytes)
    }

    mutating func perform(_ action: SessionAction, output: any DriverOutput) async -> StoreAnswer? {
        switch action {
        case .verifyLogin(let username, let password):
            return await store.verify(username, password, clientAddress: clientAddress, logger: logger)
        case .scram(let call):
            return await store.scram(call, clientAddress: clientAddress, logger: logger)
        case .openMaildrop(let account):
            let (answer, opened) = await store.open(account, owner: owner, logger: logger)
            if let opened {
                if case .maildrop(_, let messages) = answer { ahead.start(messages) }
                maildrop = (account, opened)
                renewed = .now
                store.releases.held()
                Counter(label: "buzon_pop3_logins_total").increment()
            }
            return answer
        case .sendMessage(let uid, let size, let lines):
            guard let held = maildrop else { return .notSent }
            let reader = ReadAhead.Reader(client: store.client, account: held.account, inbox: held.opened.inbox, maxBytes: ahead.bytes)
            let answer: StoreAnswer
            if let bytes = await ahead.take(uid, keep: lines != nil, reader: reader) {
                answer = await store.send(bytes, uid: uid, size: size, lines: lines, output: output, logger: logger)
                _ = await renewIfDue()
            } else {
                // A big message to a slow client can take longer than the lease: it is renewed
                // between the pieces too, not only between commands.
                answer = await store.send(
                    uid: uid, size: size, lines: lines, account: held.account, inbox: held.opened.inbox,
                    output: output, logger: logger, between: { _ = await renewIfDue() })
            }
            if answer == .sent {
                Counter(label: "buzon_pop3_messages_sent_total").increment()
                if lines == nil { ahead.readAhead(after: uid, reader: reader) }
            }
            return answer
        case .expunge(let uids):
            guard let held = maildrop else { return .unavailable }
            let answer = await store.expunge(held.account, inbox: held.opened.inbox, uids: uids, logger: logger)
            if answer == .expunged { Counter(label: "buzon_pop3_messages_deleted_total").increment(by: uids.count) }
            return answer
        default:
            return nil
        }
    }

    /// Once a second between commands; a lost lock ends the session.
    mutating func tick() async -> Bool {
        await renewIfDue()
    }

    /// Every lockTTL/3 seconds: renew the maildrop lease. False when it was lost (another
    /// session has the maildrop now); a store that cannot be reached is tried again later.
    mutating func renewIfDue() async -> Bool {
        guard let held = maildrop, ContinuousClock.now - renewed >= .seconds(max(1, store.lockTTL / 3)) else { return true }
        guard case .some(let lease) = await store.renew(held.account, held.opened.lease) else { return true }
        renewed = .now
        guard let lease else {
            logger.warning("maildrop lock lost")
            maildrop = nil
            store.releases.given()
            return false
        }
        maildrop?.opened.lease = lease
        return true
    }

    /// A dropped connection deletes nothing (RFC 1939 §6); it only frees the maildrop.
    mutating func finished() async {
        ahead.stop()
        guard let held = maildrop else { return }
        maildrop = nil
        store.releaseSoon(held.account, held.opened.lease)
    }
}

/// The pop3-gateway's use of the store: login, the maildrop lock and listing, expunge, and
/// messages streamed out in pieces. Store failures become `unavailable` (`-ERR [SYS/TEMP]`).
struct MaildropStore: Sendable {
    let client: StoreClient
    /// Seconds the maildrop lock lives unless renewed; it is renewed every third of that, so
    /// a gateway that dies frees its maildrops within this time.
    let lockTTL: Int
    /// Maildrop locks held or on their way back to the store; shutdown waits for them.
    let releases: PendingReleases
    static let lockName = "pop3"
    /// A message is read from the store in pieces of this size.
    static let chunkSize = 256 * 1024
    /// Octets of the next messages read ahead (`ReadAhead`); 0: none.
    var readAheadBytes = ReadAhead.windowBytes

    struct Opened: Sendable {
        var lease: LockLease
        var inbox: Int64
    }

    func verify(_ username: String, _ password: String, clientAddress: String, logger: Logger) async -> StoreAnswer {
        do {
            return .login(
                try await client.verifyLogin(
                    LoginRequest(username: username, password: password, clientAddress: clientAddress, service: "pop3")))
        } catch let error as StoreClientError where !error.isTemporary {
            return Self.refusedLogin(error, logger: logger)
        } catch {
            logger.error("login check failed", metadata: ["error": "\(error)"])
            return .unavailable
        }
    }

    /// The two SCRAM-SHA-256 calls; failures are `unavailable`, as for a password check.
    func scram(_ call: SCRAMStoreCall, clientAddress: String, logger: Logger) async -> StoreAnswer {
        do {
            switch call {
            case .start(let username):
                return .scramSalt(try await client.scramStart(SCRAMStartRequest(username: username)))
            case .finish(let finish):
                return .login(
                    try await client.scramFinish(
                        SCRAMFinishRequest(
                            username: finish.username, authMessage: finish.authMessage, clientProof: SASLBase64.encode(finish.clientProof),
                            clientAddress: clientAddress, service: "pop3")))
            }
        } catch let error as StoreClientError where !error.isTemporary {
            return Self.refusedLogin(error, logger: logger)
        } catch {
            logger.error("SCRAM check failed", metadata: ["error": "\(error)"])
            return .unavailable
        }
    }

    /// The store refused the request itself (a 4xx: a name longer than it takes): a failed
    /// login, as SMTP and IMAP answer it, not a temporary failure.
    static func refusedLogin(_ error: StoreClientError, logger: Logger) -> StoreAnswer {
        logger.info("store refused a login request", metadata: ["error": "\(error)"])
        return .login(LoginResult(result: .invalid))
    }

    /// Locks the maildrop, then lists the INBOX; the lock is given back if listing fails.
    func open(_ account: String, owner: String, logger: Logger) async -> (StoreAnswer, Opened?) {
        let lease: LockLease
        do {
            guard let taken = try await client.acquireLock(account, name: Self.lockName, owner: owner, ttl: lockTTL) else {
                return (.inUse, nil)
            }
            lease = taken
        } catch {
            logger.error("maildrop lock failed", metadata: ["error": "\(error)"])
            return (.unavailable, nil)
        }
        do {
            guard let inbox = try await client.listMailboxes(account, counts: false).first(where: { $0.name == "INBOX" }) else {
                throw StoreClientError.invalidResponse("no INBOX")
            }
            var entries: [MaildropEntry] = []
            var after: UInt32 = 0
            while true {
                let page = try await client.listMessages(account, mailbox: inbox.id, after: after, limit: 10_000)
                entries += page.messages.map { MaildropEntry(uid: $0.uid, size: $0.size) }
                guard let next = page.nextAfter else { break }
                after = next
            }
            return (.maildrop(uidValidity: inbox.uidValidity, messages: entries), Opened(lease: lease, inbox: inbox.id))
        } catch {
            logger.error("maildrop listing failed", metadata: ["error": "\(error)"])
            try? await client.releaseLock(account, lease: lease)
            return (.unavailable, nil)
        }
    }

    func renew(_ account: String, _ lease: LockLease) async -> LockLease?? {
        do {
            return .some(try await client.renewLock(account, lease: lease, ttl: lockTTL))
        } catch {
            return .none  // the store is unreachable: keep going, try again next time
        }
    }

    func release(_ account: String, _ lease: LockLease) async {
        try? await client.releaseLock(account, lease: lease)
    }

    /// Gives the maildrop back without making the caller wait; `releases` counts it until
    /// the store has it.
    func releaseSoon(_ account: String, _ lease: LockLease) {
        Task {
            await release(account, lease)
            releases.given()
        }
    }

    func expunge(_ account: String, inbox: Int64, uids: [UInt32], logger: Logger) async -> StoreAnswer {
        do {
            _ = try await client.expunge(account, mailbox: inbox, ExpungeRequest(uids: UIDSet(uids: uids).description, onlyDeleted: false))
            return .expunged
        } catch {
            logger.error("expunge failed", metadata: ["error": "\(error)"])
            return .unavailable
        }
    }

    /// Sends `+OK`, the dot-stuffed message (or TOP's part of it) and `.` from memory (read
    /// ahead), in one write.
    func send(_ bytes: [UInt8], uid: UInt32, size: Int, lines: Int?, output: any DriverOutput, logger: Logger) async -> StoreAnswer {
        var out = POP3Response.ok(lines == nil ? "\(size) octets" : "").encoded
        if let lines {
            var top = TopEncoder(bodyLines: lines)
            out += top.encode(bytes)
            out += top.finish()
        } else {
            var whole = MultilineEncoder()
            out += whole.encode(bytes)
            out += whole.finish()
        }
        output.write(out)
        do {
            try await output.flush()
            return .sent
        } catch {
            logger.error("sending a message failed", metadata: ["uid": "\(uid)", "error": "\(error)"])
            return .unavailable
        }
    }

    /// Sends `+OK`, the dot-stuffed message (or TOP's part of it) and `.`, piece by piece,
    /// waiting for each flush so that a slow client holds back the reading (a client that
    /// stops reading is cut off by the output's write timeout).
    func send(
        uid: UInt32, size: Int, lines: Int?, account: String, inbox: Int64, output: any DriverOutput, logger: Logger,
        between: () async -> Void
    ) async -> StoreAnswer {
        var whole = MultilineEncoder()
        var top = lines.map { TopEncoder(bodyLines: $0) }
        var offset = 0
        var started = false
        do {
            repeat {
                let chunk = try await client.rawMessage(account, mailbox: inbox, uid: uid, offset: offset, length: Self.chunkSize)
                var out: [UInt8] = []
                if !started {
                    out = POP3Response.ok(lines == nil ? "\(size) octets" : "").encoded
                    started = true
                }
                if top != nil { out += top!.encode(chunk) } else { out += whole.encode(chunk) }
                output.write(out)
                try await output.flush()
                await between()
                offset += chunk.count
                if chunk.count < Self.chunkSize || top?.isComplete == true { break }
            } while true
            let end = top != nil ? top!.finish() : whole.finish()
            output.write(end)
            try await output.flush()
            return .sent
        } catch {
            logger.error("sending a message failed", metadata: ["uid": "\(uid)", "error": "\(error)"])
            return started ? .unavailable : .notSent
        }
    }
}

/// Maildrops this gateway holds or is giving back: shutdown waits until the store has them
/// all back (a session cut off at the end of the drain gives its lock back after the
/// connection closed), or a user would find the maildrop "in use" until the lease ran out.
final class PendingReleases: Sendable {
    private let count = Atomic<Int>(0)
    var pending: Int { count.load(ordering: .relaxed) }
    /// A session took a maildrop lock.
    func held() { count.add(1, ordering: .relaxed) }
    /// The store has it back (or it was lost).
    func given() { count.add(-1, ordering: .relaxed) }
}
