import InternetMessage
import MessageSearch
import MessageThreading
import NIOCore
import StoreAPI

/// The store's persistence, one protocol with one implementation per database.
///
/// Everything above it (routes, long polling, the login policy) is the same whichever
/// database holds the data. Every write method returns only after the change is durable.
/// Errors are `StoreError`s that name what the caller got wrong, or anything else for a fault.
public protocol MailStorage: Sendable {
    // Domains, accounts, aliases
    /// A new domain and its postmaster alias (to `postmaster`, else the administrator).
    func createDomain(_ name: String, postmaster: String?) async throws -> DomainInfo
    func listDomains() async throws -> [DomainInfo]
    func deleteDomain(_ name: String) async throws

    /// `scramKeys`: SCRAM-SHA-256 keys in the RFC 5803 form, stored with the hash in one write.
    func createAccount(address: String, passwordHash: String, scramKeys: String?, mailboxes: [DefaultMailbox]) async throws -> UserInfo
    func listAccounts(domain: String?) async throws -> [UserInfo]
    func account(_ address: String) async throws -> UserInfo?
    /// The bcrypt hash and the credential version, in one read: what a password login checks
    /// and what the authentication cache (`AuthCache`) compares its entry against.
    func passwordCredential(of address: String) async throws -> PasswordCredential?
    /// A new password: its hash and keys, and the credential version bumped in the same write,
    /// so that every store replica's cached logins of the old password end at once.
    func setPasswordHash(of address: String, to hash: String, scramKeys: String?) async throws
    /// The SCRAM-SHA-256 keys (RFC 5803 form), nil for an unknown account or one without keys.
    func scramKeys(of address: String) async throws -> String?
    /// Adds keys to an account that has none, computed at a password login, but only while
    /// its hash is still `hash` (a password changed meanwhile brought its own keys).
    func addSCRAMKeys(of address: String, _ keys: String, ifPasswordHash hash: String) async throws
    /// Replaces the bcrypt hash by one of another cost for the same password, only while it
    /// is still `old` (a password changed meanwhile wins).
    func replacePasswordHash(of address: String, with hash: String, ifPasswordHash old: String) async throws
    /// A random secret of the store, made on first use and kept in the database.
    func secret(named name: String) async throws -> [UInt8]
    func deleteAccount(_ address: String) async throws

    func setAlias(_ alias: AliasInfo) async throws -> AliasInfo
    func listAliases(domain: String?) async throws -> [AliasInfo]
    func deleteAlias(_ address: String) async throws

    /// What `RCPT TO` needs: is the domain ours, does the address exist, whom does it reach.
    func lookupRecipient(_ address: String) async throws -> RecipientInfo
    /// The bare `<Postmaster>` (RFC 5321 §4.1.1.3): the primary domain's postmaster.
    func lookupPostmaster() async throws -> RecipientInfo
    /// At start-up: records the administrator (`BUZON_POSTMASTER`) and gives every domain
    /// without a postmaster an alias to it (RFC 5321 §4.5.1).
    func ensurePostmasters(administrator: String?) throws

    // Mailboxes
    /// `counts: false`: messages, unseen, recent and size left 0 (no message is read).
    func listMailboxes(account: String, counts: Bool) async throws -> [MailboxInfo]
    func mailbox(account: String, id: Int64) async throws -> MailboxInfo
    /// Also answers the other accounts whose feeds the new mailbox was logged in (RFC 5465 §5.4).
    func createMailbox(account: String, _ request: CreateMailboxRequest) async throws -> MailboxCreation
    func updateMailbox(account: String, id: Int64, _ request: UpdateMailboxRequest) async throws -> MailboxInfo
    func deleteMailbox(account: String, id: Int64) async throws
    /// Subscribed names, with or without a mailbox (RFC 9051 §6.3.7), sorted.
    func listSubscriptions(account: String) async throws -> [String]
    func updateSubscription(account: String, _ request: SubscriptionRequest) async throws
    /// METADATA entries (RFC 5464) of a mailbox, or the account's server entries (nil), sorted.
    func metadata(account: String, mailbox: Int64?) async throws -> [MetadataEntry]
    /// Sets and removes entries, all or none; `metadata-too-many` over the limit.
    func setMetadata(account: String, _ request: SetMetadataRequest) async throws

    // Messages
    /// Stores `raw` once for every local account the recipients reach, in one transaction,
    /// keyed by `idempotencyKey` so that a retry answers the first result and stores nothing.
    /// Remote recipients (when the envelope allows relay, or through an alias) go into the
    /// outbound queue in the same transaction.
    func deliver(_ message: IncomingMessage, envelope: DeliveryEnvelope, idempotencyKey: String?) async throws -> DeliveryResult
    func append(_ message: IncomingMessage, account: String, mailboxID: Int64, flags: [String], internalDate: Double?) async throws
        -> AppendResult
    /// IMAP MULTIAPPEND: every message into one mailbox in one transaction, all or none,
    /// with consecutive UIDs. RFC 3502 §6.3.11
    func append(_ messages: [AppendedMessage], account: String, mailboxID: Int64) async throws -> AppendBatchResult
    func listMessages(account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int) async throws -> MessageList
    /// The same page as `MessageListText` (`GET …/messages?format=text`).
    func listMessagesText(account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int) async throws
        -> MessageListTextPage
    /// RFC 8474 EMAILID/THREADID and RFC 8514 SAVEDATE of messages, paged as `listMessages`.
    func listMessageObjects(account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int) async throws
        -> MessageObjectList
    func content(account: String, mailboxID: Int64, uid: UInt32) async throws -> StoredContent
    func rawBytes(contentID: Int64, range: ByteRangeRequest?) async throws -> [UInt8]
    /// A message's bytes (or a range of them) in one read: the hot path of POP3 RETR and
    /// IMAP BODY[] fetches.
    func messageBytes(account: String, mailboxID: Int64, uid: UInt32, range: ByteRangeRequest?) async throws -> [UInt8]
    /// A batch read's messages: at most `limit` of `uids` above `after`, ascending, with what
    /// their content costs (the parse's length only when `parse`).
    func batchEntries(account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int, parse: Bool) async throws -> [BatchEntry]
    /// Their parses and bytes as `MessageBatchFrames`, written straight into the answer.
    func batchFrames(_ entries: [BatchEntry], content: MessageBatchContent, parse: Bool) async throws -> ByteBuffer
    func updateFlags(account: String, mailboxID: Int64, _ request: FlagUpdateRequest, uids: UIDSet) async throws -> FlagUpdateResult
    func expunge(account: String, mailboxID: Int64, uids: UIDSet?, onlyDeleted: Bool) async throws -> ExpungeResult
    /// IMAP REPLACE: `message` appended into `target` and message `uid` of `mailboxID`
    /// expunged, in one transaction, the quota checked on the net change. RFC 8508 §3.3
    func replace(_ message: AppendedMessage, account: String, mailboxID: Int64, uid: UInt32, target: Int64) async throws
        -> ReplaceResult
    /// IMAP4rev1 `\Recent`: the mailbox's recent mark before this call, moved up to `upTo`
    /// (at most UIDNEXT - 1) when `claim`, in one write. RFC 3501 §2.3.2
    func claimRecent(account: String, mailboxID: Int64, upTo: UInt32, claim: Bool) async throws -> RecentClaim
    func copy(account: String, mailboxID: Int64, uids: UIDSet, target: Int64, move: Bool) async throws -> CopyResult
    /// Contents without a read-model entry yet, ids above `after`, oldest first (MessageIndexer).
    func unindexedContents(after: Int64, limit: Int) async throws -> [(id: Int64, raw: [UInt8], parseJSON: String)]
    /// Writes read-model entries made outside the write lock.
    func writeIndexEntries(_ entries: [(id: Int64, size: Int, entry: MessageIndexEntry)]) async throws
    /// Numbers the message ids of up to `limit` entries written before ids were numbered,
    /// content ids above `after`; the last one numbered, nil when none was left (MessageIndexer).
    func numberMessageIDs(after: Int64, limit: Int) async throws -> Int64?
    /// SEARCH on the read model: sure matches, and the UIDs left to the evaluator.
    func searchIndexed(account: String, mailboxID: Int64, uids: UIDSet, query: MessageQuery) async throws -> IndexedSearch
    /// SORT on the read model: the messages in `uids` in RFC 5256 order, with their MODSEQ.
    func sortedMessages(account: String, mailboxID: Int64, uids: UIDSet, criteria: [SortKey]) async throws
        -> [(uid: UInt32, modSeq: UInt64)]
    /// SORT with its search criteria in one statement, `LIMIT`/`OFFSET` in SQL; nil when SQL
    /// cannot answer the criteria exactly.
    func sortedWindow(
        account: String, mailboxID: Int64, uids: UIDSet, criteria: [SortKey], query: MessageQuery, offset: Int, limit: Int?
    ) async throws -> SortedWindow?
    /// What THREAD reads of the messages in `uids` that match `query`, in UID order (without
    /// message ids when not `messageIDs`); nil when SQL cannot answer `query` exactly.
    func threadInput(account: String, mailboxID: Int64, uids: UIDSet, query: MessageQuery, messageIDs: Bool) async throws
        -> ThreadInput?
    /// The UIDs of a mailbox's messages in the conversation (thread id) of `uid`.
    func conversation(account: String, mailboxID: Int64, uid: UInt32) async throws -> [UInt32]
    /// The rows of exactly these UIDs (a page), for the evaluator.
    func searchRows(account: String, mailboxID: Int64, exactly uids: [UInt32], content: SearchContentRead) async throws -> [SearchRow]

    // Outbound queue
    func listQueue() async throws -> [QueueEntry]
    func queueEntry(_ id: Int64) async throws -> QueueEntry
    /// Leases up to `limit` due entries to `worker` for `ttl` seconds, oldest due first.
    func leaseQueue(worker: String, limit: Int, ttl: Double) async throws -> [QueueEntry]
    func renewQueueLease(_ id: Int64, worker: String, ttl: Double) async throws -> QueueEntry
    /// The raw message of a queue entry.
    func queueMessage(_ id: Int64) async throws -> [UInt8]
    /// Records outcomes, sends the notices the sender asked for (written by `notices`), and
    /// removes the entry when nobody is left to try; one transaction.
    /// Ends `worker`'s lease without an outcome: the entry is free for any worker at once.
    func releaseQueueLease(_ id: Int64, worker: String) async throws
    func reportQueue(_ id: Int64, _ report: DeliveryReport, notices: NoticeWriter) async throws -> ReportResult
    func adminQueue(_ id: Int64, _ action: QueueAdminAction, notices: NoticeWriter) async throws -> ReportResult
    func deleteQueueEntry(_ id: Int64) async throws
    /// Makes every deferred entry due now; answers how many.
    func retryAllQueued() async throws -> Int
    /// Entries in the queue and when the oldest arrived, for the metrics.
    func queueStatistics() async throws -> (entries: Int, oldest: Double?)

    // Leases (the POP3 maildrop lock)
    /// Takes the lease if it is free or expired; `nil` when someone else holds it.
    func acquireLock(account: String, name: String, owner: String, ttl: Double) async throws -> LockLease?
    /// Extends a lease still held with `token`; `nil` when it was lost (expired and taken).
    func renewLock(account: String, name: String, token: String, ttl: Double) async throws -> LockLease?
    func releaseLock(account: String, name: String, token: String) async throws -> Bool

    // Webmail sessions (WebSession.swift), found by the SHA-256 of their id
    /// A new session of `account` bound to its current credential version; the account's
    /// expired sessions go with it. Returns the canonical address and when it expires.
    func createWebSession(account: String, idHash: [UInt8], csrf: String, ttl: Double) async throws -> (account: String, expiresAt: Double)
    /// The live session with this hash, its end moved `ttl` ahead when last moved over a
    /// minute ago; nil (and the row gone) once expired or once the password changed.
    func webSession(idHash: [UInt8]) async throws -> (account: String, csrf: String, expiresAt: Double)?
    /// Ends a session; false when there was none.
    func deleteWebSession(idHash: [UInt8]) async throws -> Bool

    // Access control (RFC 4314): `account` is who acts, and needs `a` to read or change an ACL.
    func acl(account: String, mailboxID: Int64) async throws -> ACLList
    /// SETACL and DELETEACL also log a `mailbox-rights` change in the feed of every account
    /// whose rights they change (RFC 5465 §5.4), named in the answer to wake its readers.
    func setACL(account: String, mailboxID: Int64, _ request: SetACLRequest) async throws -> ACLUpdate
    @discardableResult
    func deleteACL(account: String, mailboxID: Int64, identifier: String) async throws -> ACLUpdate
    func myRights(account: String, mailboxID: Int64) async throws -> MyRights
    /// The owning account ids of these mailboxes (whose change feeds a write to them moves).
    func mailboxOwners(_ ids: [Int64]) async throws -> [Int64]
    /// Other accounts' mailboxes `account` may look up (`l`).
    func sharedMailboxes(account: String) async throws -> [SharedMailbox]

    // Changes
    /// `reader`: another account, which sees only the changes of mailboxes it may read, the
    /// renames of those it may look up and the deletions of those it had a right on.
    func changes(account: String, since: UInt64, limit: Int, reader: String?) async throws -> ChangeFeed
    func accountID(_ address: String) async throws -> Int64?
    /// Id and newest MODSEQ of each existing account among `addresses`.
    func accountModSeqs(_ addresses: [String]) async throws -> [String: (id: Int64, modSeq: UInt64)]

    // Login throttling state (the login policy's counters)
    /// The counters of `keys`, in that order; nil where none is kept.
    func loginFailures(_ keys: [LoginFailureKey]) async throws -> [LoginFailureState?]
    /// Counts one failure against each key in one write: a counter whose window (from its
    /// first failure) is over starts again at 1; one that reaches its threshold is locked until
    /// `now + lockout`. `passwordMark` (a keyed hash of the password that failed, never the
    /// password) replaces the one kept on the keys' (address, name) row. Answers the counters
    /// after, in the order given.
    func recordLoginFailures(
        _ keys: [(key: LoginFailureKey, threshold: Int)], passwordMark: String?, now: Double, window: Double, lockout: Double
    ) async throws -> [LoginFailureState]
    func clearLoginFailures(_ keys: [LoginFailureKey]) async throws
    /// The counters still in their window or still locked, about `account` and/or `address` if given.
    func listLoginFailures(account: String?, address: String?, now: Double, window: Double) async throws -> [LoginFailureEntry]
    /// Removes every counter about `account` and/or `address` (at least one is given); answers how many.
    func clearLoginFailures(account: String?, address: String?) async throws -> Int
    /// Drops counters whose window is over and whose lock, if any, has ended.
    func pruneLoginFailures(now: Double, window: Double) async throws

    // Quotas (RFC 9208; SQLiteStorage+Quota)
    /// The account's limits and exact usage.
    func quota(account: String) async throws -> QuotaInfo
    /// Replaces both limits (nil: none) and answers the quota after.
    func setQuota(account: String, _ request: SetQuotaRequest) async throws -> QuotaInfo

    /// Drops idempotency records older than `cutoff` (seconds since 1970).
    func pruneIdempotency(olderThan cutoff: Double) async throws
    /// Drops resend digests older than `cutoff` (seconds since 1970).
    func pruneResendDigests(olderThan cutoff: Double) async throws
    /// True when the database answers a trivial query.
    func ping() async -> Bool
}

/// A mailbox every new account gets (INBOX, Sent, Drafts, Trash, Junk; RFC 6154).
public struct DefaultMailbox: Sendable {
    public var name: String
    public var specialUse: String?
    public static let standard: [DefaultMailbox] = [
        .init(name: "INBOX", specialUse: nil),
        .init(name: "Sent", specialUse: "Sent"),
        .init(name: "Drafts", specialUse: "Drafts"),
        .init(name: "Trash", specialUse: "Trash"),
        .init(name: "Junk", specialUse: "Junk"),
    ]
}

/// A message on its way in: its bytes and the parse made once, at delivery.
public struct IncomingMessage: Sendable {
    public var raw: [UInt8]
    /// The JSON of `InternetMessage.ParsedMessage`, kept beside the content.
    public var parseJSON: String
    public var headerSize: Int
    /// A cheap digest of the bytes, so that a retried delivery with a reused key but other
    /// content is told apart.
    public var fingerprint: String
    /// Its `Message-ID` fields with where they are (the gateway's trace comes first).
    public var messageIDFields: [HeaderField] = []
    /// Set when a resend of an already stored message is to be recognised (`ResendDigest`).
    var resend: ResendDigest?
    /// What the read model keeps of it, made beside the parse (outside the write lock); nil
    /// leaves it to the background indexer.
    public var index: MessageIndexEntry?
}

/// Where a message's content is and what was parsed out of it.
public struct StoredContent: Sendable {
    public var contentID: Int64
    public var size: Int
    public var headerSize: Int
    public var parseJSON: String
}

/// A slice of a stored message, `offset` from 0.
public struct ByteRangeRequest: Sendable {
    public var offset: Int
    public var length: Int
}

/// What a password login is checked against: the account's bcrypt hash, and the version of its
/// credentials (`v8-credential-version`), bumped by every change of who may log in.
public struct PasswordCredential: Sendable, Hashable {
    public var hash: String
    public var version: Int64
    public init(hash: String, version: Int64) {
        self.hash = hash
        self.version = version
    }
}

public struct LoginFailureState: Sendable {
    public var failures: Int
    public var lockedUntil: Double?
    /// When the counting window began (its first failure).
    public var windowStart: Double = 0
    /// On an (address, name) row: the keyed hash of the last password that failed there.
    public var passwordMark: String? = nil
}

extension MailStorage {
    /// Counts failures without remembering a password (SCRAM, whose proofs differ every time).
    public func recordLoginFailures(_ keys: [(key: LoginFailureKey, threshold: Int)], now: Double, window: Double, lockout: Double)
        async throws -> [LoginFailureState]
    {
        try await recordLoginFailures(keys, passwordMark: nil, now: now, window: window, lockout: lockout)
    }
}

/// What a login-failure counter counts: an account name, a client address, or the pair.
public struct LoginFailureKey: Sendable, Hashable {
    public var scope: LoginFailureEntry.Scope
    public var account: String?
    public var address: String?

    public static func account(_ name: String) -> Self { .init(scope: .account, account: name, address: nil) }
    public static func address(_ client: String) -> Self { .init(scope: .address, account: nil, address: client) }
    public static func addressAccount(_ client: String, _ name: String) -> Self {
        .init(scope: .addressAccount, account: name, address: client)
    }

    /// The row's key within its scope (an address holds no space; the name follows it).
    public var key: String {
        switch scope {
        case .account: account ?? ""
        case .address: address ?? ""
        case .addressAccount: (address ?? "") + " " + (account ?? "")
        }
    }
}

/// One message of a MULTIAPPEND batch, with its own flags and internal date.
public struct AppendedMessage: Sendable {
    public var message: IncomingMessage
    public var flags: [String]
    public var internalDate: Double?
    public init(message: IncomingMessage, flags: [String], internalDate: Double?) {
        self.message = message
        self.flags = flags
        self.internalDate = internalDate
    }
}

/// A page of the text listing: its lines, and the UID to list after when more follow.
public struct MessageListTextPage: Sendable {
    public var bytes: [UInt8] = []
    public var nextAfter: UInt32?
    public init() {}
}
