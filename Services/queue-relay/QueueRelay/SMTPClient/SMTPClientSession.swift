import SMTPProtocol
import StoreAPI

/// The client side of one SMTP connection as a state machine (RFC 5321 §3, §4.1; CONVENTIONS.md
/// §4): the server's bytes, the TLS handshake's end, the content written and deadlines in;
/// actions out. It opens no sockets and keeps no time: the driver waits `currentTimeout` for
/// the next input and says `timedOut()` when it passes.
///
/// Opening: greeting, EHLO (HELO when refused, RFC 5321 §4.1.4), STARTTLS when offered or
/// required (RFC 3207), EHLO again. Then the message: MAIL, RCPT… (one write with PIPELINING,
/// RFC 2920), DATA, as many transactions as the server's 452 "too many recipients" needs
/// (RFC 5321 §4.5.3.1.10). Then the session is idle for the next message to the same host, or
/// says QUIT.
struct SMTPClientSession: Sendable {
    enum TLSPolicy: Sendable, Equatable {
        /// STARTTLS when the server offers it; plaintext when it does not or refuses
        /// (RFC 7435). The driver does not verify the certificate.
        case opportunistic
        /// STARTTLS or no delivery at this host; the driver verifies the certificate
        /// (`BUZON_RELAY_TLS_VERIFY`).
        case requireVerified
    }

    struct Settings: Sendable, Equatable {
        /// Our name, for EHLO and HELO.
        var hostname: String
        /// The server's name: the Remote-MTA of outcomes, and reasons.
        var host: String
        var tls: TLSPolicy = .opportunistic
        var timeouts = SMTPClientTimeouts.rfc5321
    }

    enum State: Sendable, Equatable {
        /// Connected, `start()` not called yet.
        case connecting
        case greeting
        case ehlo
        case helo
        case startTLS
        /// Waiting for `tlsEstablished()`; bytes meanwhile are discarded (RFC 3207 §4.2).
        case tlsHandshake
        /// Waiting for the reply to MAIL (and, pipelined, those to the RCPTs after it).
        case mail
        case rcpt
        /// Waiting for the 354 after DATA.
        case dataInitiation
        /// The driver is writing the content.
        case body
        /// Waiting for the reply after the final dot.
        case dataTermination
        /// Waiting for the reply to RSET, then `afterReset` is committed.
        case reset
        /// Ready for the next message.
        case idle
        case quit
        case closed
    }

    /// The message being delivered, across its transactions.
    struct Delivery: Sendable, Equatable {
        var message: OutboundMessage
        /// Outcomes of transactions that ended (and of the checks before MAIL).
        var decided: [RecipientOutcome] = []
        /// Recipients not decided yet: the current transaction's, or the next one's.
        var left: [QueueRecipient]
    }

    /// One mail transaction (RFC 5321 §3.3) from MAIL until it ends.
    struct Transaction: Sendable, Equatable {
        var recipients: [QueueRecipient]
        var rcpts: [SMTPCommand]
        var pipelined: Bool
        var dsn: Bool
        var mailReply: SMTPReply?
        var rcptReplies: [SMTPReply] = []
        /// After the RCPT replies: refused recipients' outcomes, those to send DATA for, and
        /// those a 452 4.5.3 left for another transaction.
        var outcomes: [RecipientOutcome] = []
        var accepted: [QueueRecipient] = []
        var overflow: [QueueRecipient] = []
    }

    let settings: Settings
    var state = State.connecting
    private(set) var capabilities: EHLOResponse?
    /// TLS is on (after STARTTLS and its handshake).
    private(set) var isTLS = false
    var parser = SMTPReplyParser()
    var delivery: Delivery?
    var transaction: Transaction?
    /// What RSET's reply lets go on: outcomes and recipients left of the transaction it ended.
    var afterReset: (outcomes: [RecipientOutcome], overflow: [QueueRecipient])?

    var host: String { settings.host }

    /// A session for a new connection, with the first message (nil: only open, then idle).
    init(settings: Settings, message: OutboundMessage?) {
        self.settings = settings
        self.delivery = message.map { Delivery(message: $0, left: $0.recipients) }
    }

    // MARK: - Inputs

    /// Connected: wait for the greeting (RFC 5321 §3.1; the client speaks second).
    mutating func start() -> [SMTPClientAction] {
        guard state == .connecting else { return [] }
        state = .greeting
        return []
    }

    /// Bytes from the server.
    mutating func receive(_ bytes: [UInt8]) -> [SMTPClientAction] {
        switch state {
        case .connecting, .closed, .tlsHandshake:
            // RFC 3207 §4.2: nothing sent before the handshake counts (an attacker's injection).
            return []
        default:
            parser.append(bytes)
            return readReplies()
        }
    }

    /// The TLS handshake after STARTTLS finished: EHLO again, the capabilities before TLS are
    /// forgotten (RFC 3207 §4.2).
    mutating func tlsEstablished() -> [SMTPClientAction] {
        guard state == .tlsHandshake else { return [] }
        isTLS = true
        capabilities = nil
        parser = SMTPReplyParser()
        state = .ehlo
        return [.send(SMTPCommand.ehlo(settings.hostname).encoded)]
    }

    /// The driver wrote the whole content and its final dot.
    mutating func bodySent() -> [SMTPClientAction] {
        guard state == .body else { return [] }
        state = .dataTermination
        return readReplies()  // a reply that arrived during the content is the answer to it
    }

    /// `currentTimeout` passed without the input the state waits for.
    mutating func timedOut() -> [SMTPClientAction] {
        switch state {
        case .connecting, .closed: return []
        case .idle: return quit()
        case .quit:
            state = .closed
            return [.close]
        default:
            return fail("\(host): timeout waiting for \(awaited)", quit: false)
        }
    }

    /// The connection ended or broke under the session.
    mutating func connectionLost(_ loss: ConnectionLoss) -> [SMTPClientAction] {
        guard state != .closed else { return [] }
        let why: String
        switch loss {
        case .closedByPeer:
            why = state == .tlsHandshake ? "connection closed during the TLS handshake" : "connection closed by the remote server"
        case .tls: why = state == .tlsHandshake ? "TLS handshake failed" : "TLS failed"
        case .error(let description): why = description
        }
        return fail("\(host): \(why)", quit: false)
    }

    /// The next message on an idle session (a connection kept from an earlier message).
    mutating func deliver(_ message: OutboundMessage) -> [SMTPClientAction] {
        guard state == .idle, delivery == nil else {
            return [.finished(SMTPClientOutcome(result: .tryNextHost(reason: "\(host): session not ready"), reusable: false))]
        }
        delivery = Delivery(message: message, left: message.recipients)
        return beginMessage()
    }

    /// Politely end an idle session: QUIT, then close on its reply or its timeout
    /// (RFC 5321 §4.1.1.10). Anywhere else the connection is just closed.
    mutating func quit() -> [SMTPClientAction] {
        switch state {
        case .idle:
            state = .quit
            return [.send(SMTPCommand.quit.encoded)]
        case .quit, .closed:
            return []
        default:
            return fail("\(host): session abandoned", quit: false)
        }
    }

    /// How long the driver waits for the next input in this state (RFC 5321 §4.5.3.2).
    var currentTimeout: Duration {
        let t = settings.timeouts
        switch state {
        case .connecting, .greeting: return t.greeting
        case .ehlo, .helo, .startTLS, .tlsHandshake, .reset: return t.command
        case .mail: return t.mail
        case .rcpt: return t.rcpt
        case .dataInitiation: return t.dataInitiation
        case .body: return t.dataBlock
        case .dataTermination: return t.dataTermination
        case .idle: return t.idle
        case .quit: return t.quit
        case .closed: return .zero
        }
    }

    var isIdle: Bool { state == .idle }
    var isClosed: Bool { state == .closed }

    // MARK: - Replies

    /// Takes complete replies out of the parser while the state waits for one.
    mutating func readReplies() -> [SMTPClientAction] {
        var actions: [SMTPClientAction] = []
        while state != .body && state != .tlsHandshake && state != .closed && state != .connecting {
            let reply: SMTPReply?
            do {
                reply = try parser.next()
            } catch {
                return actions + fail("\(host): protocol violation: \(error)", quit: false)
            }
            guard let reply else { break }
            actions += handle(reply)
        }
        return actions
    }

    /// One reply, by what the session waits for.
    mutating func handle(_ reply: SMTPReply) -> [SMTPClientAction] {
        // 421: the server is closing the connection, whatever it was asked (RFC 5321 §3.8).
        if reply.code == 421, state != .quit, state != .greeting {
            return fail("\(host): \(OutboundEnvelope.diagnostic(reply))", quit: false)
        }
        switch state {
        case .greeting: return greeted(reply)
        case .ehlo: return ehloAnswered(reply)
        case .helo: return heloAnswered(reply)
        case .startTLS: return startTLSAnswered(reply)
        case .mail: return mailAnswered(reply)
        case .rcpt: return rcptAnswered(reply)
        case .dataInitiation: return dataAnswered(reply)
        case .dataTermination: return contentAnswered(reply)
        case .reset: return resetAnswered(reply)
        case .quit:
            state = .closed
            return [.close]
        case .idle:
            // Nothing was asked: the server is out of step (or says goodbye); not reusable.
            return fail("\(host): unexpected reply \(OutboundEnvelope.diagnostic(reply))", quit: false)
        case .connecting, .tlsHandshake, .body, .closed:
            return []
        }
    }

    /// A non-2xx greeting (554, RFC 5321 §3.1) skips the host, 5xx too (Postfix's
    /// smtp_skip_5xx_greeting): a refusal at the door is about the host, not the message.
    mutating func greeted(_ reply: SMTPReply) -> [SMTPClientAction] {
        guard reply.isPositiveCompletion else {
            // RFC 5321 §3.1: after 554 the server waits for QUIT; after 421 it is gone.
            return fail("\(host) greeted with \(reply.code) \(reply.text)", quit: reply.code != 421)
        }
        state = .ehlo
        return [.send(SMTPCommand.ehlo(settings.hostname).encoded)]
    }

    /// EHLO refused: HELO, and no extensions (RFC 5321 §4.1.4, §3.2).
    mutating func ehloAnswered(_ reply: SMTPReply) -> [SMTPClientAction] {
        guard reply.isPositiveCompletion else {
            state = .helo
            return [.send(SMTPCommand.helo(settings.hostname).encoded)]
        }
        capabilities = EHLOResponse(reply: reply)
        return greetedBack()
    }

    mutating func heloAnswered(_ reply: SMTPReply) -> [SMTPClientAction] {
        guard reply.isPositiveCompletion else {
            return fail("\(host): protocol violation: HELO refused: \(reply.text)", quit: true)
        }
        capabilities = nil
        return greetedBack()
    }

    /// After EHLO/HELO: STARTTLS when offered and not on yet, or when policy requires it.
    mutating func greetedBack() -> [SMTPClientAction] {
        if !isTLS {
            if capabilities?.supports("STARTTLS") == true {
                state = .startTLS
                return [.send(SMTPCommand.startTLS.encoded)]
            }
            if settings.tls == .requireVerified {
                return fail("\(host) does not offer STARTTLS, which policy requires", quit: true)
            }
        }
        state = .idle
        return beginMessage()
    }

    /// RFC 3207 §4.2: after 220 the handshake starts at once, and whatever the server sent
    /// after its 220 is discarded (it could be an injection by someone on the path).
    mutating func startTLSAnswered(_ reply: SMTPReply) -> [SMTPClientAction] {
        if reply.isPositiveCompletion {
            parser = SMTPReplyParser()
            state = .tlsHandshake
            return [.startTLS]
        }
        if settings.tls == .requireVerified {
            return fail("\(host) refused STARTTLS: \(reply.text)", quit: true)
        }
        state = .idle  // opportunistic: on in plaintext
        return beginMessage()
    }

    // MARK: - Endings

    /// What the session waits for, for a timeout's reason.
    var awaited: String {
        switch state {
        case .greeting: return "greeting"
        case .ehlo: return "reply to EHLO"
        case .helo: return "reply to HELO"
        case .startTLS: return "reply to STARTTLS"
        case .tlsHandshake: return "TLS handshake"
        case .mail: return "reply to MAIL"
        case .rcpt: return "reply to RCPT"
        case .dataInitiation: return "reply to DATA"
        case .body: return "the content to be written"
        case .dataTermination: return "reply to the end of DATA"
        case .reset: return "reply to RSET"
        case .idle, .quit, .connecting, .closed: return "the server"
        }
    }

    /// The session cannot go on. The message gets its result: the next host when no
    /// transaction has ended yet, else the ended ones' outcomes and the rest deferred (they
    /// must not be sent again to recipients who have it). Then QUIT when the server is still
    /// listening (`quit`), or close.
    mutating func fail(_ reason: String, quit: Bool) -> [SMTPClientAction] {
        var actions: [SMTPClientAction] = []
        if state == .reset, let pending = afterReset {
            // RSET only followed a transaction that had ended: its outcomes stand.
            delivery?.decided += pending.outcomes
            delivery?.left = pending.overflow
        }
        if let delivery {
            let result: SMTPClientOutcome.Result
            if delivery.decided.isEmpty {
                result = .tryNextHost(reason: reason)
            } else {
                // RFC 3463 4.4.2: bad connection.
                result = .recipients(
                    delivery.decided
                        + delivery.left.map {
                            OutboundEnvelope.deferred($0.address, status: "4.4.2", reason: reason, host: host)
                        })
            }
            actions.append(.finished(SMTPClientOutcome(result: result, reusable: false)))
        }
        delivery = nil
        transaction = nil
        afterReset = nil
        if quit {
            state = .quit
            actions.append(.send(SMTPCommand.quit.encoded))
        } else {
            state = .closed
            actions.append(.close)
        }
        return actions
    }
}
