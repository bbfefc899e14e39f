import IMAPProtocol
import Metrics
import SASL
import StoreAPI
import StoreClient

/// STARTTLS, LOGIN and AUTHENTICATE PLAIN / SCRAM-SHA-256 (with SASL-IR). RFC 9051 §6.2,
/// RFC 4959, RFC 4616, RFC 5802, RFC 7677. The exchange is the shared `SASLExchange`.
///
///     C: a1 AUTHENTICATE SCRAM-SHA-256 biwsbj1hbGljZUBleGFtcGxlLnRlc3Qscj0…
///     S: + cj0…LHM9…LGk9NDA5Ng==               (server-first)
///     C: Yz1iaXdzLHI9…LHA9…                    (client-final)
///     S: + dj0…                                (server-final: IMAP has no success data)
///     C:
///     S: a1 OK [CAPABILITY …] Logged in
///
/// SCRAM stays behind the same rule as LOGIN and PLAIN (TLS, loopback or configuration):
/// the password never crosses, but the name does, and a session without TLS can be taken
/// over after login (RFC 9051 §11.1); one rule is also simpler to configure and to explain.
extension IMAPSession {
    /// An AUTHENTICATE waiting for the client's next line. RFC 9051 §6.2.2
    struct Authenticating: Sendable {
        var tag: String
        var sasl: SASLExchange
        /// The account the store accepted a SCRAM proof for, until the client acknowledges the server-final.
        var account: String?
    }

    /// The mechanisms CAPABILITY lists as `AUTH=` where passwords are allowed.
    static let saslMechanisms = ["PLAIN", SCRAMSHA256.mechanism]

    /// The tagged OK is the connection's to send (see `SessionDirective.startTLS`).
    func startTLS(tag: String) async throws -> Completion {
        guard settings.tlsAvailable, !isTLS else { return .bad("TLS is not available here") }
        var done = Completion.deferred
        done.directive = .startTLS(tag: tag)
        return done
    }

    func login(_ user: String, _ password: String) async throws -> Completion {
        guard passwordsAllowed else { return .no("Use STARTTLS or port 993 first", .privacyRequired) }
        return try await failingRefusals { try await self.verify(user, password) }
    }

    func authenticate(tag: String, mechanism: String, initialResponse: String?) async throws -> Completion {
        guard Self.saslMechanisms.contains(mechanism.uppercased()), var sasl = SASLExchange(mechanism: mechanism) else {
            return .no("Unsupported authentication mechanism", .cannot)
        }
        guard passwordsAllowed else { return .no("Use STARTTLS or port 993 first", .privacyRequired) }
        let step = sasl.start(initialResponse: initialResponse)  // RFC 4959 §3: "=" is an empty one
        return try await advance(Authenticating(tag: tag, sasl: sasl), step)
    }

    /// The client's line after `+ ` in AUTHENTICATE: a SASL response, or `*` to cancel.
    func saslResponse(_ framed: IMAPFramedCommand, _ pending: Authenticating) async throws -> SessionDirective {
        authenticating = nil
        var pending = pending
        var completion: Completion
        do {
            if !framed.literals.isEmpty {
                completion = saslFailed(.malformedMessage)  // a SASL response is one line, no literal
            } else {
                let step = pending.sasl.receive(String(decoding: framed.lines[0], as: UTF8.self))
                completion = try await advance(pending, step)
            }
        } catch let error as StoreClientError {
            completion = Completion.storeFailure(error)
            logger.warning("store call failed", metadata: ["error": "\(error)"])
        }
        if let status = completion.status {
            try await send(.tagged(pending.tag, status, completion.code, completion.text))
        }
        for response in completion.afterward { try await send(response) }
        return completion.directive
    }

    /// Performs the exchange's next step: a challenge defers the tagged answer.
    private func advance(_ pending: Authenticating, _ step: SASLExchange.Step) async throws -> Completion {
        try await failingRefusals { try await self.perform(pending, step) }
    }

    /// A login request the store refused itself (a 4xx: a name longer than it takes) is a
    /// failed login, as SMTP and POP3 answer it; only its being unreachable is temporary.
    private func failingRefusals(_ check: () async throws -> Completion) async throws -> Completion {
        do {
            return try await check()
        } catch let error as StoreClientError where !error.isTemporary {
            logger.info("store refused a login request", metadata: ["error": "\(error)"])
            return loginFailed(.invalid)
        }
    }

    private func perform(_ pending: Authenticating, _ step: SASLExchange.Step) async throws -> Completion {
        var pending = pending
        switch step {
        case .challenge(let challenge):
            authenticating = pending
            try await send(.continuation(challenge))
            return .deferred
        case .verifyPassword(let username, let password):
            return try await verify(username, password)
        case .scramStart(let username):
            let start = try await store.scramStart(SCRAMStartRequest(username: username))
            guard let salt = SASLBase64.decode(start.salt) else { return .no("The mail store is unavailable; try again", .unavailable) }
            let next = pending.sasl.scramSalt(salt, iterations: start.iterations)
            return try await advance(pending, next)
        case .scramFinish(let finish):
            let result = try await store.scramFinish(
                SCRAMFinishRequest(
                    username: finish.username, authMessage: finish.authMessage, clientProof: SASLBase64.encode(finish.clientProof),
                    clientAddress: settings.clientAddress, service: "imap"))
            guard result.result == .ok, let address = result.address, let signature = result.serverSignature.flatMap(SASLBase64.decode)
            else {
                return loginFailed(result.result == .locked ? .locked : .invalid)
            }
            pending.account = address
            let next = pending.sasl.scramVerified(serverSignature: signature)
            return try await advance(pending, next)
        case .success:
            guard let account = pending.account else { return loginFailed(.invalid) }
            return loggedIn(account)
        case .failure(let error):
            return saslFailed(error)
        }
    }

    /// One fault, one class of answer, as in SMTP and POP3 (`SASLError.Kind`).
    private func saslFailed(_ error: SASLError) -> Completion {
        switch error.kind {
        case .malformed: return .bad("Invalid SASL response")
        case .cancelled: return .bad("Authentication cancelled")  // RFC 9051 §6.2.2
        case .refused:
            if error == .authorizationMismatch {
                return counted(.no("Cannot act as another user", .authorizationFailed))  // RFC 5530 §3
            }
            return counted(.no("Authentication failed", .authenticationFailed))
        }
    }

    private func verify(_ user: String, _ password: String) async throws -> Completion {
        let result = try await store.verifyLogin(
            LoginRequest(
                username: user, password: password, clientAddress: settings.clientAddress,
                service: "imap"))
        switch result.result {
        case .ok: return loggedIn(result.address ?? user)
        case .invalid, .locked: return loginFailed(result.result)
        }
    }

    private func loggedIn(_ address: String) -> Completion {
        guard users.acquire(address) else {
            return .no("Too many connections for this account", .limit)
        }
        account = address
        state = .authenticated
        watcher.register(address)
        logger[metadataKey: "user"] = "\(address)"
        limits.maxLiteralSize.store(settings.maxMessageSize, ordering: .relaxed)
        limits.timeoutSeconds.store(settings.timeoutSeconds, ordering: .relaxed)
        limits.authenticated.store(true, ordering: .relaxed)
        Counter(label: "buzon_imap_logins_total").increment()
        logger.info("login")
        return .ok("Logged in", .capability(capabilities))
    }

    private func loginFailed(_ outcome: LoginResult.Outcome) -> Completion {
        counted(
            outcome == .locked
                ? Completion.no("Too many failed logins; try again later", .unavailable)
                : Completion.no("Invalid credentials", .authenticationFailed))
    }

    /// A failed login: counted, and the connection ends after too many.
    private func counted(_ completion: Completion) -> Completion {
        var done = completion
        loginFailures += 1
        Counter(label: "buzon_imap_login_failures_total").increment()
        if loginFailures >= settings.maxLoginFailures {
            done.afterward = [.untagged(.bye, nil, "Too many failed logins")]
            done.directive = .close
        }
        return done
    }
}
