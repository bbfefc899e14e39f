import Foundation
import IMAPProtocol
import Logging
import Metrics
import ServiceKit
import StoreAPI
import StoreClient

/// One IMAP session: the state machine of RFC 9051 §3, its commands (Commands/, one file per
/// command or family) and the view of the selected mailbox. The connection feeds it framed
/// commands one at a time; IDLE is the one time it also acts on its own, when the store's
/// change feed says something happened.
actor IMAPSession {
    let settings: SessionSettings
    let store: StoreClient
    let watcher: ChangeWatcher
    /// The gateway's shared views of open mailboxes.
    let shared: SharedMailboxes
    let users: UserConnections
    let limits: ConnectionLimits
    var logger: Logger
    let sink: any ResponseSink

    var isTLS: Bool
    var state = SessionState.notAuthenticated
    /// The logged-in account (canonical address).
    var account: String?
    var view: MailboxView?
    /// This session's hold on the shared view of the selected mailbox.
    var lease: SharedMailboxes.Lease?
    /// The selected mailbox is another account's, shared with this one (RFC 4314). Its owner's
    /// feed is watched while it is selected, so that IDLE hears of the owner's changes.
    var sharedSelection: SharedSelection? {
        didSet {
            guard oldValue?.owner != sharedSelection?.owner else { return }
            if let old = oldValue?.owner { watcher.unregister(old) }
            if let new = sharedSelection?.owner { watcher.register(new) }
        }
    }
    /// Extensions the client turned on with ENABLE (CONDSTORE, QRESYNC, UTF8=ACCEPT, IMAP4REV2).
    var enabled: Set<String> = []
    /// A CONDSTORE-enabling command was used: MODSEQ goes into every FETCH. RFC 7162 §3.1
    var condstoreActive = false {
        didSet {
            // RFC 7162 §3.1: the first CONDSTORE-enabling command other than SELECT/EXAMINE,
            // when a mailbox is selected, is answered with `* OK [HIGHESTMODSEQ n]` too (SELECT
            // and EXAMINE clear `view` first and send it themselves).
            if condstoreActive, !oldValue, view != nil { highestModSeqOwed = true }
        }
    }
    /// `* OK [HIGHESTMODSEQ]` is to go out before this command's tagged answer.
    var highestModSeqOwed = false
    /// UIDs saved by SEARCH … RETURN (SAVE), for `$`. RFC 5182
    var savedSearch: [UInt32]?
    /// Searches kept up to date with ADDTO/REMOVEFROM, oldest first. RFC 5267 §4.3
    var contexts: [SearchContext] = []
    var loginFailures = 0
    /// An AUTHENTICATE waiting for the client's SASL response. RFC 9051 §6.2.2
    var authenticating: Authenticating?
    var idle: IdleState?
    /// What NOTIFY SET asked for (nil: NOTIFY NONE, the default). RFC 5465. The owners' feeds
    /// it reads for shared mailboxes are watched while it reads them.
    var notifyState: NotifyState? {
        didSet {
            let old = Set(oldValue?.ownerCursors.keys.map { $0 } ?? [])
            let new = Set(notifyState?.ownerCursors.keys.map { $0 } ?? [])
            guard old != new else { return }
            for owner in old.subtracting(new) { watcher.unregister(owner) }
            for owner in new.subtracting(old) { watcher.register(owner) }
        }
    }
    /// The spooled message of the APPEND being run, when it was too big to hold.
    var appendSpool: SpooledLiteral?
    /// The feed's changes this command's own write made, when it continued the view's
    /// position: the next announcement takes them instead of reading the feed (Announce.swift).
    var ownWrite: OwnWrite?
    /// COMPRESS=DEFLATE is on: a second COMPRESS is refused. RFC 4978 §3
    var compressionActive = false
    /// The command reporting INPROGRESS, its ticker and its count so far. RFC 9585
    var progressTag: String?
    var progressTicker: Task<Void, Never>?
    var progressCount: (done: Int, total: Int)?
    private var pending: [UInt8] = []

    struct IdleState {
        var tag: String
        var task: Task<Void, Never>
        var watch: IdleWatch
    }

    init(
        settings: SessionSettings, isTLS: Bool, store: StoreClient, watcher: ChangeWatcher, users: UserConnections,
        limits: ConnectionLimits, logger: Logger, sink: any ResponseSink, shared: SharedMailboxes? = nil
    ) {
        self.shared = shared ?? SharedMailboxes(store: store)
        self.settings = settings
        self.isTLS = isTLS
        self.store = store
        self.watcher = watcher
        self.users = users
        self.limits = limits
        self.logger = logger
        self.sink = sink
    }

    /// UTF-8 mailbox names and strings: UTF8=ACCEPT (RFC 6855) or IMAP4rev2 (RFC 9051 §5.1).
    var utf8Enabled: Bool { enabled.contains("UTF8=ACCEPT") || enabled.contains("IMAP4REV2") }
    var qresyncEnabled: Bool { enabled.contains("QRESYNC") }

    // MARK: Output

    func send(_ response: IMAPResponse) async throws {
        pending += response.encoded(utf8Enabled: utf8Enabled)
        if pending.count >= 64 * 1024 { try await flush() }
    }

    /// Responses already encoded (`FetchResponseBatch`).
    func sendEncoded(_ bytes: [UInt8]) async throws {
        pending += bytes
        if pending.count >= 64 * 1024 { try await flush() }
    }

    func flush() async throws {
        guard !pending.isEmpty else { return }
        let bytes = pending
        pending = []
        try await sink.write(bytes)
    }

    // MARK: Lifecycle

    func greet() async -> SessionDirective {
        do {
            try await send(.untagged(.ok, .capability(capabilities), "\(settings.hostname) Buzon IMAP ready"))
            try await flush()
            return .proceed
        } catch {
            return .close
        }
    }

    func tlsStarted() {
        isTLS = true
    }

    /// The connection is gone: free what the session held.
    func disconnected() {
        guard state != .logout || account != nil else { return }
        if let idle {
            idle.watch.stop()
            idle.task.cancel()
            self.idle = nil
        }
        releaseLogin()
        state = .logout
    }

    /// Lets go of what a login holds: the selected mailbox's shared view (nothing expunged),
    /// the account's connection slot and its change feed. At disconnection and UNAUTHENTICATE.
    func releaseLogin() {
        if let account, state != .notAuthenticated {
            users.release(account)
            watcher.unregister(account)
        }
        if let lease {
            self.lease = nil
            Task { [shared] in await shared.release(lease) }
        }
        view = nil
        sharedSelection = nil
        account = nil
        notifyState = nil
    }

    // MARK: Input

    func handle(_ input: IMAPInput) async -> SessionDirective {
        // Each input is handled in a child task, whose frames (SELECT's, FETCH's, the HTTP
        // client's) are given back when it ends: on the connection's own task they would stay
        // allocated as long as the connection, as Swift's task allocator keeps its slabs —
        // some 60 KiB for every idle session (issue 12, docs/BENCHMARKS.md).
        async let directive = handleInChild(input)
        return await directive
    }

    private func handleInChild(_ input: IMAPInput) async -> SessionDirective {
        do {
            let directive = try await dispatch(input)
            try await flush()
            return directive
        } catch {
            logger.debug("session ends", metadata: ["error": "\(error)"])
            return .close
        }
    }

    private func dispatch(_ input: IMAPInput) async throws -> SessionDirective {
        switch input {
        case .timedOut:
            try await send(.untagged(.bye, nil, "Autologout; idle for too long"))
            return .close
        case .shutdown:
            try await send(.untagged(.bye, .unavailable, "Server shutting down"))
            return .close
        case .evicted:
            try await send(.untagged(.bye, .limit, "Too many connections; try again later"))
            return .close
        case .lineTooLong(let tag):
            try await reply(tag, .bad, nil, "Line too long")
            return .proceed
        case .literalTooLarge(let tag, let synchronizing):
            if !synchronizing {
                // RFC 7888 §4: the octets of a refused {n+} literal are still coming; the
                // reader skips them, the command is answered BAD.
                try await reply(tag, .bad, .tooBig, "Literal too large")
            } else {
                try await reply(tag, .no, .tooBig, "Literal too large")
            }
            return .proceed
        case .command(let framed, let spooled):
            if idle != nil { return try await idleInput(framed) }
            if let pending = authenticating { return try await saslResponse(framed, pending) }
            return try await command(framed, spooled: spooled)
        }
    }

    /// Answers a tagged status, or an untagged one when there was no tag.
    func reply(_ tag: String?, _ status: IMAPStatus, _ code: ResponseCode?, _ text: String) async throws {
        if let tag {
            try await send(.tagged(tag, status, code, text))
        } else {
            try await send(.untagged(status == .no ? .bad : status, code, text))
        }
    }

    private func command(_ framed: IMAPFramedCommand, spooled: SpooledLiteral?) async throws -> SessionDirective {
        let parser = IMAPCommandParser(utf8Enabled: utf8Enabled)
        let command: IMAPCommand
        switch parser.parse(framed) {
        case .success(let parsed): command = parsed
        case .failure(let error):
            Counter(label: "buzon_imap_bad_commands_total").increment()
            try await syntaxError(error)
            return .proceed
        }
        guard CommandTable.allowed(command.kind, in: state) else {
            try await reply(command.tag, .bad, nil, CommandTable.refusal(command.kind, in: state))
            return .proceed
        }
        // A literal too big to hold was spooled: only APPEND's (and REPLACE's) message may be that big.
        if !framed.streamedLiterals.isEmpty {
            if case .multiAppend = command.kind {
                // The messages of a MULTIAPPEND are held, not spooled: a big one goes alone.
                try await reply(command.tag, .no, .tooBig, "A message over 1 MiB must be sent in an APPEND of its own")
                return .proceed
            }
            // REPLACE's message is an APPEND's (RFC 8508 §3.3), and as big.
            guard command.kind.appendsOneMessage, framed.streamedLiterals.count == 1, let spooled else {
                try await reply(command.tag, .bad, .tooBig, "Literal too large for this command")
                return .proceed
            }
            guard !spooled.failed else {
                try await reply(command.tag, .no, .serverBug, "Could not keep the message; try again")
                return .proceed
            }
        }
        appendSpool = spooled
        defer { appendSpool = nil }
        let started = ContinuousClock.now
        let completion: Completion
        if Self.reportsProgress(command.kind) { try await startProgress(tag: command.tag) }
        defer { stopProgress() }
        do {
            completion = try await run(command)
            stopProgress()
        } catch let error as StoreClientError {
            stopProgress()
            completion = Completion.storeFailure(error)
            // Ours or the store's fault: loud here, generic to the client (CONVENTIONS.md §6).
            if error.isTemporary {
                logger.error("store call failed", metadata: ["error": "\(error)"])
            } else {
                logger.info("store refused", metadata: ["error": "\(error)"])
            }
        }
        if state == .selected, completion.status != .bad, completion.announce {
            try await announceChanges(allowExpunge: CommandTable.mayExpunge(command.kind), force: CommandTable.mustSync(command.kind))
        }
        // RFC 5465 §5: other mailboxes' events, before the tagged response.
        if notifyState != nil, completion.status != .bad, completion.announce, state != .logout {
            try await announceNotifications(force: CommandTable.mustSync(command.kind))
        }
        if highestModSeqOwed {
            highestModSeqOwed = false
            if state == .selected, completion.status != .bad, let view {
                try await send(.untagged(.ok, .highestModSeq(view.mailbox.highestModSeq), "Highest"))
            }
        }
        if let status = completion.status {
            try await send(.tagged(command.tag, status, completion.code, completion.text))
        }
        for response in completion.afterward { try await send(response) }
        Timer(label: "buzon_imap_command_seconds", dimensions: [("command", CommandTable.name(command.kind))]).recordInterval(
            since: started)
        return completion.directive
    }

    private func syntaxError(_ error: IMAPSyntaxError) async throws {
        switch error.kind {
        case .noTag:
            try await send(.untagged(.bad, nil, "Command line not understood"))
        case .badCharset:
            try await reply(error.tag, .no, .badCharset(["UTF-8", "US-ASCII"]), "Unsupported charset")
        default:
            // The detail names our parser's internals: it goes to the log, not to the client.
            logger.debug("syntax error", metadata: ["detail": "\(error.detail)"])
            try await reply(error.tag, .bad, nil, "Syntax error")
        }
    }
}
