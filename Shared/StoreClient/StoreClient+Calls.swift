import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import StoreAPI

import struct Foundation.Data
import class Foundation.JSONDecoder

/// One method per internal API operation (the paths are documented in StoreAPI's types and
/// in the store's openapi.yaml).
extension StoreClient {
    // MARK: Domains, users, aliases

    public func createDomain(_ name: String, postmaster: String? = nil) async throws -> DomainInfo {
        try await json(DomainInfo.self, .POST, "/v1/domains", body: CreateDomainRequest(name: name, postmaster: postmaster))
    }
    public func listDomains() async throws -> [DomainInfo] {
        try await json(DomainList.self, .GET, "/v1/domains").domains
    }
    public func deleteDomain(_ name: String) async throws {
        try await call(.DELETE, "/v1/domains/\(Self.segment(name))")
    }

    public func createUser(_ address: String, password: String) async throws -> UserInfo {
        try await json(UserInfo.self, .POST, "/v1/users", body: CreateUserRequest(address: address, password: password))
    }
    public func listUsers(domain: String? = nil) async throws -> [UserInfo] {
        try await json(UserList.self, .GET, "/v1/users" + Self.query(domain.map { [("domain", $0)] } ?? [])).users
    }
    public func user(_ address: String) async throws -> UserInfo {
        try await json(UserInfo.self, .GET, "/v1/users/\(Self.segment(address))")
    }
    public func setPassword(_ address: String, password: String) async throws {
        try await call(.PUT, "/v1/users/\(Self.segment(address))/password", body: SetPasswordRequest(password: password))
    }
    public func deleteUser(_ address: String) async throws {
        try await call(.DELETE, "/v1/users/\(Self.segment(address))")
    }

    public func setAlias(_ address: String, targets: [String]) async throws -> AliasInfo {
        try await json(AliasInfo.self, .POST, "/v1/aliases", body: AliasInfo(address: address, targets: targets))
    }
    public func listAliases(domain: String? = nil) async throws -> [AliasInfo] {
        try await json(AliasList.self, .GET, "/v1/aliases" + Self.query(domain.map { [("domain", $0)] } ?? [])).aliases
    }
    public func deleteAlias(_ address: String) async throws {
        try await call(.DELETE, "/v1/aliases/\(Self.segment(address))")
    }

    // MARK: Gateways

    public func verifyLogin(_ request: LoginRequest) async throws -> LoginResult {
        try await json(LoginResult.self, .POST, "/v1/auth/verify", body: request)
    }
    /// SCRAM-SHA-256: the user's salt and iteration count (a decoy for unknown names).
    public func scramStart(_ request: SCRAMStartRequest) async throws -> SCRAMStartResult {
        try await json(SCRAMStartResult.self, .POST, "/v1/auth/scram/start", body: request)
    }
    /// SCRAM-SHA-256: check a client proof; `serverSignature` is set on success.
    public func scramFinish(_ request: SCRAMFinishRequest) async throws -> LoginResult {
        try await json(LoginResult.self, .POST, "/v1/auth/scram/finish", body: request)
    }
    /// The login policy's counters in their window or locked, optionally for one account name
    /// or one client address.
    public func loginFailures(account: String? = nil, address: String? = nil) async throws -> [LoginFailureEntry] {
        let items = [account.map { ("account", $0) }, address.map { ("address", $0) }].compactMap { $0 }
        return try await json(LoginFailureList.self, .GET, "/v1/login-failures" + Self.query(items)).failures
    }
    /// Clears the counters and locks of an account name (with those of every address against
    /// it) or of a client address; answers how many were removed.
    public func clearLoginFailures(account: String? = nil, address: String? = nil) async throws -> Int {
        let items = [account.map { ("account", $0) }, address.map { ("address", $0) }].compactMap { $0 }
        return try await json(LoginFailuresCleared.self, .DELETE, "/v1/login-failures" + Self.query(items)).cleared
    }
    public func lookupRecipient(_ address: String) async throws -> RecipientInfo {
        try await json(RecipientInfo.self, .GET, "/v1/recipients/\(Self.segment(address))")
    }

    /// Local delivery; with the same `idempotencyKey` a retry stores nothing new.
    public func deliver(_ raw: [UInt8], to recipients: [String], idempotencyKey: String?) async throws -> DeliveryResult {
        let path = "/v1/deliveries" + Self.query(recipients.map { ("recipient", $0) })
        let (_, data) = try await send(
            .POST, path, body: raw, contentType: "message/rfc822",
            headers: idempotencyKey.map { [("Idempotency-Key", $0)] } ?? [])
        return try decode(DeliveryResult.self, data)
    }

    /// Hands a message with its SMTP envelope to the store: local recipients are delivered,
    /// remote ones queued when `envelope.relay` allows, in one durable write.
    public func deliver(_ raw: [UInt8], envelope: DeliveryEnvelope, idempotencyKey: String?) async throws -> DeliveryResult {
        var headers = [(DeliveryEnvelope.headerName, try envelope.headerValue())]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        let (_, data) = try await send(.POST, "/v1/deliveries", body: raw, contentType: "message/rfc822", headers: headers)
        return try decode(DeliveryResult.self, data)
    }

    /// The same, with the message streamed from `stream` (exactly `length` bytes), so that a
    /// big message never has to be in memory whole.
    public func deliver(
        stream: some AsyncSequence<ByteBuffer, any Error> & Sendable, length: Int, envelope: DeliveryEnvelope,
        idempotencyKey: String?
    ) async throws -> DeliveryResult {
        var headers = [(DeliveryEnvelope.headerName, try envelope.headerValue())]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        let (_, data) = try await send(
            .POST, "/v1/deliveries", requestBody: .stream(stream, length: .known(Int64(length))),
            contentType: "message/rfc822", headers: headers)
        return try decode(DeliveryResult.self, data)
    }

    public func listQueue() async throws -> [QueueEntry] {
        try await json(QueueList.self, .GET, "/v1/queue").entries
    }
    public func queueEntry(_ id: Int64) async throws -> QueueEntry {
        try await json(QueueEntry.self, .GET, "/v1/queue/\(id)")
    }
    /// Leases due entries for a relay worker; only pending recipients are listed.
    public func leaseQueue(worker: String, limit: Int, ttl: Int) async throws -> [QueueEntry] {
        try await json(QueueList.self, .POST, "/v1/queue/lease", body: LeaseRequest(worker: worker, limit: limit, ttl: ttl)).entries
    }
    public func renewQueueLease(_ id: Int64, worker: String, ttl: Int) async throws -> QueueEntry {
        try await json(QueueEntry.self, .PUT, "/v1/queue/\(id)/lease", body: LeaseRequest(worker: worker, limit: 1, ttl: ttl))
    }
    /// Gives a leased entry back untried, so that it need not wait for the lease to expire.
    public func releaseQueueLease(_ id: Int64, worker: String) async throws {
        try await call(.DELETE, "/v1/queue/\(id)/lease" + Self.query([("worker", worker)]))
    }
    public func queueMessage(_ id: Int64) async throws -> [UInt8] {
        try await send(.GET, "/v1/queue/\(id)/message").body
    }
    public func reportQueue(_ id: Int64, _ report: DeliveryReport) async throws -> ReportResult {
        try await json(ReportResult.self, .POST, "/v1/queue/\(id)/report", body: report)
    }
    public func adminQueue(_ id: Int64, _ action: QueueAdminAction) async throws -> ReportResult {
        try await json(ReportResult.self, .POST, "/v1/queue/\(id)/\(action.rawValue)")
    }
    public func deleteQueueEntry(_ id: Int64) async throws {
        try await call(.DELETE, "/v1/queue/\(id)")
    }
    /// Makes every deferred entry due now; answers how many.
    public func retryAllQueued() async throws -> Int {
        try await json([String: Int].self, .POST, "/v1/queue/retry")["due"] ?? 0
    }

    // MARK: Mailboxes and messages

    public func listMailboxes(_ account: String) async throws -> [MailboxInfo] {
        try await json(MailboxList.self, .GET, "/v1/accounts/\(Self.segment(account))/mailboxes").mailboxes
    }
    public func createMailbox(_ account: String, _ request: CreateMailboxRequest) async throws -> MailboxInfo {
        try await json(MailboxInfo.self, .POST, "/v1/accounts/\(Self.segment(account))/mailboxes", body: request)
    }
    public func listMessages(_ account: String, mailbox: Int64, uids: String? = nil, after: UInt32 = 0, limit: Int = 1000) async throws
        -> MessageList
    {
        var items = [("after", String(after)), ("limit", String(limit))]
        if let uids { items.append(("uids", uids)) }
        return try await json(
            MessageList.self, .GET, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/messages" + Self.query(items))
    }
    /// The same listing as compact text (`MessageListText`): for whole mailboxes.
    public func listMessagesText(
        _ account: String, mailbox: Int64, uids: String? = nil, after: UInt32 = 0,
        limit: Int = 10_000
    ) async throws -> (messages: [MessageSummary], nextAfter: UInt32?) {
        var items = [("after", String(after)), ("limit", String(limit)), ("format", "text")]
        if let uids { items.append(("uids", uids)) }
        let (headers, body) = try await sendWithHeaders(
            .GET, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/messages" + Self.query(items))
        guard let messages = MessageListText.decode(body) else { throw StoreClientError.invalidResponse("message list text") }
        return (messages, headers.first(name: MessageListText.nextAfterHeader).flatMap { UInt32($0) })
    }
    public func rawMessage(_ account: String, mailbox: Int64, uid: UInt32) async throws -> [UInt8] {
        try await send(.GET, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/messages/\(uid)/raw").body
    }
    public func updateMailbox(_ account: String, mailbox: Int64, _ request: UpdateMailboxRequest) async throws -> MailboxInfo {
        try await json(MailboxInfo.self, .PATCH, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)", body: request)
    }
    public func deleteMailbox(_ account: String, mailbox: Int64) async throws {
        try await call(.DELETE, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)")
    }
    /// IMAP APPEND: one message into one mailbox, with flags and an internal date.
    public func append(_ raw: [UInt8], account: String, mailbox: Int64, flags: [String] = [], internalDate: Double? = nil) async throws
        -> AppendResult
    {
        var items = [("flags", flags.joined(separator: " "))]
        if let internalDate { items.append(("internalDate", String(internalDate))) }
        let (_, data) = try await send(
            .POST, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/messages" + Self.query(items),
            body: raw, contentType: "message/rfc822")
        return try decode(AppendResult.self, data)
    }
    /// The same with the message streamed from `stream` (exactly `length` bytes): a big APPEND
    /// is never in memory whole.
    public func append(
        stream: some AsyncSequence<ByteBuffer, any Error> & Sendable, length: Int, account: String, mailbox: Int64,
        flags: [String] = [], internalDate: Double? = nil
    ) async throws -> AppendResult {
        var items = [("flags", flags.joined(separator: " "))]
        if let internalDate { items.append(("internalDate", String(internalDate))) }
        let (_, data) = try await send(
            .POST, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/messages" + Self.query(items),
            requestBody: .stream(stream, length: .known(Int64(length))), contentType: "message/rfc822")
        return try decode(AppendResult.self, data)
    }
    public func updateFlags(_ account: String, mailbox: Int64, _ request: FlagUpdateRequest) async throws -> FlagUpdateResult {
        try await json(FlagUpdateResult.self, .POST, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/flags", body: request)
    }
    public func expunge(_ account: String, mailbox: Int64, _ request: ExpungeRequest) async throws -> ExpungeResult {
        try await json(ExpungeResult.self, .POST, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/expunge", body: request)
    }
    public func copy(_ account: String, mailbox: Int64, _ request: CopyRequest) async throws -> CopyResult {
        try await json(CopyResult.self, .POST, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/copy", body: request)
    }
    /// Takes a lease (the POP3 maildrop lock); `nil` when another session holds it.
    public func acquireLock(_ account: String, name: String, owner: String, ttl: Int) async throws -> LockLease? {
        do {
            return try await json(
                LockLease.self, .POST, "/v1/accounts/\(Self.segment(account))/locks/\(name)",
                body: LockRequest(owner: owner, ttl: ttl))
        } catch let error as StoreClientError where error.code == APIErrorCode.inUse {
            return nil
        }
    }
    /// Renews a lease; `nil` when it was lost.
    public func renewLock(_ account: String, lease: LockLease, ttl: Int) async throws -> LockLease? {
        do {
            return try await json(
                LockLease.self, .PUT, "/v1/accounts/\(Self.segment(account))/locks/\(lease.name)/\(lease.token)",
                body: LockRequest(owner: lease.owner, ttl: ttl))
        } catch let error as StoreClientError where error.code == APIErrorCode.lockNotFound {
            return nil
        }
    }
    public func releaseLock(_ account: String, lease: LockLease) async throws {
        try await call(.DELETE, "/v1/accounts/\(Self.segment(account))/locks/\(lease.name)/\(lease.token)")
    }

    /// `length` bytes of a stored message from `offset` (fewer at its end): for streaming a big
    /// message out in pieces.
    public func rawMessage(_ account: String, mailbox: Int64, uid: UInt32, offset: Int, length: Int) async throws -> [UInt8] {
        try await send(
            .GET,
            "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/messages/\(uid)/raw"
                + Self.query([("offset", String(offset)), ("length", String(length))])
        ).body
    }

    public func changes(_ account: String, since: UInt64, wait: Int = 0, limit: Int = 1000) async throws -> ChangeFeed {
        try await json(
            ChangeFeed.self, .GET,
            "/v1/accounts/\(Self.segment(account))/changes"
                + Self.query([("since", String(since)), ("wait", String(wait)), ("limit", String(limit))]))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: [UInt8]) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(data))
        } catch {
            throw StoreClientError.invalidResponse("\(T.self): \(error)")
        }
    }
}

extension StoreClient {
    /// A typed search over a mailbox (IMAP SEARCH semantics), answered by the store (see `SearchRequest`).
    public func search(_ account: String, mailbox: Int64, _ request: SearchRequest) async throws -> SearchResult {
        try await json(SearchResult.self, .POST, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/search", body: request)
    }

    /// RFC 5256 SORT over a mailbox, answered from the store's indexes (see `SortRequest`).
    public func sort(_ account: String, mailbox: Int64, _ request: SortRequest) async throws -> SortResult {
        try await json(SortResult.self, .POST, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/sort", body: request)
    }

    /// RFC 5256 THREAD over a mailbox, answered from the store's indexes (see `ThreadRequest`).
    public func thread(_ account: String, mailbox: Int64, _ request: ThreadRequest) async throws -> ThreadResult {
        try await json(ThreadResult.self, .POST, "/v1/accounts/\(Self.segment(account))/mailboxes/\(mailbox)/thread", body: request)
    }
}

extension StoreClient {
    /// Waits up to `wait` seconds for any of `accounts` to move past the MODSEQ given for it.
    public func watch(_ accounts: [String: UInt64], wait: Int) async throws -> [String: UInt64] {
        try await json(WatchResult.self, .POST, "/v1/watch", body: WatchRequest(accounts: accounts, wait: wait)).accounts
    }
}
