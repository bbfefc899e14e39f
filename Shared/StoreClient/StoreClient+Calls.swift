import AsyncHTTPClient
import NIOCore
import StoreAPI

/// One method per internal API operation, each a call of its declaration in `StoreOperations`
/// (documented there and in the store's openapi.yaml).
extension StoreClient {
    // MARK: Domains, users, aliases

    public func createDomain(_ name: String, postmaster: String? = nil) async throws -> DomainInfo {
        try await call(StoreOperations.createDomain, body: CreateDomainRequest(name: name, postmaster: postmaster))
    }
    public func listDomains() async throws -> [DomainInfo] {
        try await call(StoreOperations.listDomains).domains
    }
    public func deleteDomain(_ name: String) async throws {
        _ = try await call(StoreOperations.deleteDomain, path: name)
    }

    public func createUser(_ address: String, password: String) async throws -> UserInfo {
        try await call(StoreOperations.createUser, body: CreateUserRequest(address: address, password: password))
    }
    public func listUsers(domain: String? = nil) async throws -> [UserInfo] {
        try await call(StoreOperations.listUsers, query: domain.map { [("domain", $0)] } ?? []).users
    }
    public func user(_ address: String) async throws -> UserInfo {
        try await call(StoreOperations.getUser, path: address)
    }
    public func setPassword(_ address: String, password: String) async throws {
        _ = try await call(StoreOperations.setPassword, path: address, body: SetPasswordRequest(password: password))
    }
    public func deleteUser(_ address: String) async throws {
        _ = try await call(StoreOperations.deleteUser, path: address)
    }

    public func setAlias(_ address: String, targets: [String]) async throws -> AliasInfo {
        try await call(StoreOperations.setAlias, body: AliasInfo(address: address, targets: targets))
    }
    public func listAliases(domain: String? = nil) async throws -> [AliasInfo] {
        try await call(StoreOperations.listAliases, query: domain.map { [("domain", $0)] } ?? []).aliases
    }
    public func deleteAlias(_ address: String) async throws {
        _ = try await call(StoreOperations.deleteAlias, path: address)
    }

    // MARK: Gateways

    public func verifyLogin(_ request: LoginRequest) async throws -> LoginResult {
        try await call(StoreOperations.verifyLogin, body: request)
    }
    /// SCRAM-SHA-256: the user's salt and iteration count (a decoy for unknown names).
    public func scramStart(_ request: SCRAMStartRequest) async throws -> SCRAMStartResult {
        try await call(StoreOperations.scramStart, body: request)
    }
    /// SCRAM-SHA-256: check a client proof; `serverSignature` is set on success.
    public func scramFinish(_ request: SCRAMFinishRequest) async throws -> LoginResult {
        try await call(StoreOperations.scramFinish, body: request)
    }
    /// The login policy's counters in their window or locked, optionally for one account name
    /// or one client address.
    public func loginFailures(account: String? = nil, address: String? = nil) async throws -> [LoginFailureEntry] {
        let items = [account.map { ("account", $0) }, address.map { ("address", $0) }].compactMap { $0 }
        return try await call(StoreOperations.listLoginFailures, query: items).failures
    }
    /// Clears the counters and locks of an account name (with those of every address against
    /// it) or of a client address; answers how many were removed.
    public func clearLoginFailures(account: String? = nil, address: String? = nil) async throws -> Int {
        let items = [account.map { ("account", $0) }, address.map { ("address", $0) }].compactMap { $0 }
        return try await call(StoreOperations.clearLoginFailures, query: items).cleared
    }
    public func lookupRecipient(_ address: String) async throws -> RecipientInfo {
        try await call(StoreOperations.lookupRecipient, path: address)
    }

    // MARK: Deliveries

    /// Local delivery; with the same `idempotencyKey` a retry stores nothing new.
    public func deliver(_ raw: [UInt8], to recipients: [String], idempotencyKey: String?) async throws -> DeliveryResult {
        try await deliver(
            body: .bytes(ByteBuffer(bytes: raw)), query: recipients.map { ("recipient", $0) },
            headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [])
    }

    /// Hands a message with its SMTP envelope to the store: local recipients are delivered,
    /// remote ones queued when `envelope.relay` allows, in one durable write.
    public func deliver(_ raw: [UInt8], envelope: DeliveryEnvelope, idempotencyKey: String?) async throws -> DeliveryResult {
        var headers = [(DeliveryEnvelope.headerName, try envelope.headerValue())]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        return try await deliver(body: .bytes(ByteBuffer(bytes: raw)), headers: headers)
    }

    /// The same, with the message streamed from `stream` (exactly `length` bytes), so that a
    /// big message never has to be in memory whole.
    public func deliver(
        stream: some AsyncSequence<ByteBuffer, any Error> & Sendable, length: Int, envelope: DeliveryEnvelope,
        idempotencyKey: String?
    ) async throws -> DeliveryResult {
        var headers = [(DeliveryEnvelope.headerName, try envelope.headerValue())]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        return try await deliver(body: .stream(stream, length: .known(Int64(length))), headers: headers)
    }

    private func deliver(body: HTTPClientRequest.Body, query: [(String, String)] = [], headers: [(String, String)]) async throws
        -> DeliveryResult
    {
        let operation = StoreOperations.deliverMessage
        return try reply(operation, try await exchange(operation, path: (), query: query, body: body, headers: headers).body)
    }

    // MARK: Queue

    public func listQueue() async throws -> [QueueEntry] {
        try await call(StoreOperations.listQueue).entries
    }
    public func queueEntry(_ id: Int64) async throws -> QueueEntry {
        try await call(StoreOperations.getQueueEntry, path: id)
    }
    /// Leases due entries for a relay worker; only pending recipients are listed.
    public func leaseQueue(worker: String, limit: Int, ttl: Int) async throws -> [QueueEntry] {
        try await call(StoreOperations.leaseQueue, body: LeaseRequest(worker: worker, limit: limit, ttl: ttl)).entries
    }
    public func renewQueueLease(_ id: Int64, worker: String, ttl: Int) async throws -> QueueEntry {
        try await call(StoreOperations.renewQueueLease, path: id, body: LeaseRequest(worker: worker, limit: 1, ttl: ttl))
    }
    /// Gives a leased entry back untried, so that it need not wait for the lease to expire.
    public func releaseQueueLease(_ id: Int64, worker: String) async throws {
        _ = try await call(StoreOperations.releaseQueueLease, path: id, query: [("worker", worker)])
    }
    public func queueMessage(_ id: Int64) async throws -> [UInt8] {
        Array(try await exchange(StoreOperations.getQueueMessage, path: id).body.readableBytesView)
    }
    public func reportQueue(_ id: Int64, _ report: DeliveryReport) async throws -> ReportResult {
        try await call(StoreOperations.reportQueueOutcome, path: id, body: report)
    }
    public func adminQueue(_ id: Int64, _ action: QueueAdminAction) async throws -> ReportResult {
        try await call(StoreOperations.actOnQueueEntry, path: (id: id, action: action))
    }
    public func deleteQueueEntry(_ id: Int64) async throws {
        _ = try await call(StoreOperations.deleteQueueEntry, path: id)
    }
    /// Makes every deferred entry due now; answers how many.
    public func retryAllQueued() async throws -> Int {
        try await call(StoreOperations.retryAllQueued).due
    }

    // MARK: Mailboxes

    /// `counts: false` leaves out what needs the mailbox's messages counted (messages,
    /// unseen, recent, size come back 0): what finding a mailbox by name needs, cheaply.
    public func listMailboxes(_ account: String, counts: Bool = true) async throws -> [MailboxInfo] {
        try await call(StoreOperations.listMailboxes, path: account, query: counts ? [] : [("counts", "false")]).mailboxes
    }
    public func createMailbox(_ account: String, _ request: CreateMailboxRequest) async throws -> MailboxInfo {
        try await call(StoreOperations.createMailbox, path: account, body: request)
    }
    public func updateMailbox(_ account: String, mailbox: Int64, _ request: UpdateMailboxRequest) async throws -> MailboxInfo {
        try await call(StoreOperations.updateMailbox, path: (account, mailbox), body: request)
    }
    public func deleteMailbox(_ account: String, mailbox: Int64) async throws {
        _ = try await call(StoreOperations.deleteMailbox, path: (account, mailbox))
    }
    /// Every subscribed name, with or without a mailbox.
    public func listSubscriptions(_ account: String) async throws -> [String] {
        try await call(StoreOperations.listSubscriptions, path: account).names
    }
    public func updateSubscription(_ account: String, _ request: SubscriptionRequest) async throws {
        _ = try await call(StoreOperations.updateSubscription, path: account, body: request)
    }

    // MARK: Messages

    public func listMessages(_ account: String, mailbox: Int64, uids: String? = nil, after: UInt32 = 0, limit: Int = 1000) async throws
        -> MessageList
    {
        var items = [("after", String(after)), ("limit", String(limit))]
        if let uids { items.append(("uids", uids)) }
        return try await call(StoreOperations.listMessages, path: (account, mailbox), query: items)
    }
    /// RFC 8474 object ids and RFC 8514 save dates of messages in a UID set, a page at a time.
    public func listMessageObjects(_ account: String, mailbox: Int64, uids: String? = nil, after: UInt32 = 0, limit: Int = 10_000)
        async throws -> MessageObjectList
    {
        var items = [("after", String(after)), ("limit", String(limit))]
        if let uids { items.append(("uids", uids)) }
        return try await call(StoreOperations.listMessageObjects, path: (account, mailbox), query: items)
    }
    /// The same listing as compact text (`MessageListText`): for whole mailboxes.
    public func listMessagesText(
        _ account: String, mailbox: Int64, uids: String? = nil, after: UInt32 = 0,
        limit: Int = 10_000
    ) async throws -> (messages: [MessageSummary], nextAfter: UInt32?) {
        let (body, next) = try await textListingPage(account, mailbox, uids: uids, after: after, limit: limit)
        guard let messages = MessageListText.decode(body) else { throw StoreClientError.invalidResponse("message list text") }
        return (messages, next)
    }
    public func rawMessage(_ account: String, mailbox: Int64, uid: UInt32) async throws -> [UInt8] {
        Array(try await exchange(StoreOperations.getMessageRaw, path: (account, mailbox, uid)).body.readableBytesView)
    }
    /// `length` bytes of a stored message from `offset` (fewer at its end): for streaming a big
    /// message out in pieces.
    public func rawMessage(_ account: String, mailbox: Int64, uid: UInt32, offset: Int, length: Int) async throws -> [UInt8] {
        let query = [("offset", String(offset)), ("length", String(length))]
        return Array(try await exchange(StoreOperations.getMessageRaw, path: (account, mailbox, uid), query: query).body.readableBytesView)
    }
    /// IMAP APPEND: one message into one mailbox, with flags and an internal date.
    public func append(_ raw: [UInt8], account: String, mailbox: Int64, flags: [String] = [], internalDate: Double? = nil) async throws
        -> AppendResult
    {
        try await append(body: .bytes(ByteBuffer(bytes: raw)), account: account, mailbox: mailbox, flags: flags, internalDate: internalDate)
    }
    /// The same with the message streamed from `stream` (exactly `length` bytes): a big APPEND
    /// is never in memory whole.
    public func append(
        stream: some AsyncSequence<ByteBuffer, any Error> & Sendable, length: Int, account: String, mailbox: Int64,
        flags: [String] = [], internalDate: Double? = nil
    ) async throws -> AppendResult {
        try await append(
            body: .stream(stream, length: .known(Int64(length))), account: account, mailbox: mailbox, flags: flags,
            internalDate: internalDate)
    }
    private func append(body: HTTPClientRequest.Body, account: String, mailbox: Int64, flags: [String], internalDate: Double?)
        async throws -> AppendResult
    {
        var items = [("flags", flags.joined(separator: " "))]
        if let internalDate { items.append(("internalDate", String(internalDate))) }
        let operation = StoreOperations.appendMessage
        return try reply(operation, try await exchange(operation, path: (account, mailbox), query: items, body: body).body)
    }
    /// IMAP MULTIAPPEND: the messages into one mailbox in one transaction, all or none.
    public func append(_ messages: [AppendBatch.Message], account: String, mailbox: Int64) async throws -> AppendBatchResult {
        var body = ByteBuffer()
        body.reserveCapacity(messages.reduce(0) { $0 + $1.raw.count })
        for message in messages { body.writeBytes(message.raw) }
        var items = [("sizes", messages.map { String($0.raw.count) }.joined(separator: ","))]
        items += messages.map { ("messageFlags", $0.flags.joined(separator: " ")) }
        items.append(("internalDates", messages.map { $0.internalDate.map { String($0) } ?? "" }.joined(separator: ",")))
        let operation = StoreOperations.appendMessages
        return try reply(operation, try await exchange(operation, path: (account, mailbox), query: items, body: .bytes(body)).body)
    }
    public func updateFlags(_ account: String, mailbox: Int64, _ request: FlagUpdateRequest) async throws -> FlagUpdateResult {
        try await call(StoreOperations.updateFlags, path: (account, mailbox), body: request)
    }
    /// Claims (or reads) the messages recent for the caller. RFC 3501 §2.3.2
    public func claimRecent(_ account: String, mailbox: Int64, _ request: RecentClaimRequest) async throws -> RecentClaim {
        try await call(StoreOperations.claimRecent, path: (account, mailbox), body: request)
    }
    public func expunge(_ account: String, mailbox: Int64, _ request: ExpungeRequest) async throws -> ExpungeResult {
        try await call(StoreOperations.expungeMessages, path: (account, mailbox), body: request)
    }
    public func copy(_ account: String, mailbox: Int64, _ request: CopyRequest) async throws -> CopyResult {
        try await call(StoreOperations.copyMessages, path: (account, mailbox), body: request)
    }

    /// A typed search over a mailbox (IMAP SEARCH semantics), answered by the store (see `SearchRequest`).
    public func search(_ account: String, mailbox: Int64, _ request: SearchRequest) async throws -> SearchResult {
        try await call(StoreOperations.searchMessages, path: (account, mailbox), body: request)
    }
    /// RFC 5256 SORT over a mailbox, answered from the store's indexes (see `SortRequest`).
    public func sort(_ account: String, mailbox: Int64, _ request: SortRequest) async throws -> SortResult {
        try await call(StoreOperations.sortMessages, path: (account, mailbox), body: request)
    }
    /// RFC 5256 THREAD over a mailbox, answered from the store's indexes (see `ThreadRequest`).
    public func thread(_ account: String, mailbox: Int64, _ request: ThreadRequest) async throws -> ThreadResult {
        try await call(StoreOperations.threadMessages, path: (account, mailbox), body: request)
    }

    // MARK: Locks

    /// Takes a lease (the POP3 maildrop lock); `nil` when another session holds it.
    public func acquireLock(_ account: String, name: String, owner: String, ttl: Int) async throws -> LockLease? {
        do {
            return try await call(StoreOperations.acquireLock, path: (account, name), body: LockRequest(owner: owner, ttl: ttl))
        } catch let error as StoreClientError where error.code == APIErrorCode.inUse {
            return nil
        }
    }
    /// Renews a lease; `nil` when it was lost.
    public func renewLock(_ account: String, lease: LockLease, ttl: Int) async throws -> LockLease? {
        do {
            return try await call(
                StoreOperations.renewLock, path: (account, lease.name, lease.token), body: LockRequest(owner: lease.owner, ttl: ttl))
        } catch let error as StoreClientError where error.code == APIErrorCode.lockNotFound {
            return nil
        }
    }
    public func releaseLock(_ account: String, lease: LockLease) async throws {
        _ = try await call(StoreOperations.releaseLock, path: (account, lease.name, lease.token))
    }

    // MARK: Changes

    /// `reader`: another account reading `account`'s feed for the mailboxes shared with it.
    public func changes(_ account: String, since: UInt64, wait: Int = 0, limit: Int = 1000, reader: String? = nil) async throws
        -> ChangeFeed
    {
        var query = [("since", String(since)), ("wait", String(wait)), ("limit", String(limit))]
        if let reader { query.append(("reader", reader)) }
        return try await call(StoreOperations.getChanges, path: account, query: query)
    }
    /// Waits up to `wait` seconds for any of `accounts` to move past the MODSEQ given for it.
    public func watch(_ accounts: [String: UInt64], wait: Int) async throws -> [String: UInt64] {
        try await call(StoreOperations.watchAccounts, body: WatchRequest(accounts: accounts, wait: wait)).accounts
    }
}
