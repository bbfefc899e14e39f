import Foundation
import IMAPProtocol
import Metrics
import StoreAPI

/// STARTTLS, LOGIN and AUTHENTICATE PLAIN (with SASL-IR). RFC 9051 §6.2, RFC 4959, RFC 4616.
extension IMAPSession {
    /// The tagged OK is the connection's to send (see `SessionDirective.startTLS`).
    func startTLS(tag: String) async throws -> Completion {
        guard settings.tlsAvailable, !isTLS else { return .bad("TLS is not available here") }
        var done = Completion.deferred
        done.directive = .startTLS(tag: tag)
        return done
    }

    func login(_ user: String, _ password: String) async throws -> Completion {
        guard passwordsAllowed else { return .no("Use STARTTLS or port 993 first", .privacyRequired) }
        return try await verify(user, password)
    }

    func authenticate(tag: String, mechanism: String, initialResponse: String?) async throws -> Completion {
        guard mechanism == "PLAIN" else { return .no("Unsupported authentication mechanism", .cannot) }
        guard passwordsAllowed else { return .no("Use STARTTLS or port 993 first", .privacyRequired) }
        guard let initialResponse else {
            // RFC 9051 §6.2.2: an empty challenge, then the client's response on its own line.
            authenticating = tag
            try await send(.continuation(""))
            return .deferred
        }
        return try await plain(initialResponse == "=" ? "" : initialResponse)
    }

    /// The client's line after `+ ` in AUTHENTICATE: the SASL response, or `*` to cancel.
    func saslResponse(_ framed: IMAPFramedCommand, mechanism tag: String) async throws -> SessionDirective {
        authenticating = nil
        let line = String(decoding: framed.lines[0], as: UTF8.self)
        let completion: Completion
        if line == "*" || !framed.literals.isEmpty {
            completion = .bad("Authentication cancelled")
        } else {
            completion = try await plain(line)
        }
        try await send(.tagged(tag, completion.status ?? .bad, completion.code, completion.text))
        for response in completion.afterward { try await send(response) }
        return completion.directive
    }

    /// PLAIN: `authzid NUL authcid NUL password`, base64. RFC 4616 §2
    private func plain(_ base64: String) async throws -> Completion {
        guard let decoded = Data(base64Encoded: base64) else { return .bad("Invalid base64") }
        let parts = Array(decoded).split(separator: 0, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .bad("Invalid PLAIN response") }
        let authzid = String(decoding: parts[0], as: UTF8.self), user = String(decoding: parts[1], as: UTF8.self)
        guard authzid.isEmpty || authzid.lowercased() == user.lowercased() else {
            return .no("Cannot act as another user", .authorizationFailed)
        }
        return try await verify(user, String(decoding: parts[2], as: UTF8.self))
    }

    private func verify(_ user: String, _ password: String) async throws -> Completion {
        let result = try await store.verifyLogin(LoginRequest(username: user, password: password, clientAddress: settings.clientAddress,
                                                              service: "imap"))
        switch result.result {
        case .ok:
            let address = result.address ?? user
            guard users.acquire(address) else {
                return .no("Too many connections for this account", .limit)
            }
            account = address
            state = .authenticated
            watcher.register(address)
            logger[metadataKey: "user"] = "\(address)"
            limits.maxLiteralSize.store(settings.maxMessageSize, ordering: .relaxed)
            limits.timeoutSeconds.store(settings.timeoutSeconds, ordering: .relaxed)
            Counter(label: "buzon_imap_logins_total").increment()
            logger.info("login")
            return .ok("Logged in", .capability(capabilities))
        case .invalid, .locked:
            loginFailures += 1
            Counter(label: "buzon_imap_login_failures_total").increment()
            var done = result.result == .locked
                ? Completion.no("Too many failed logins; try again later", .unavailable)
                : Completion.no("Invalid credentials", .authenticationFailed)
            if loginFailures >= settings.maxLoginFailures {
                done.afterward = [.untagged(.bye, nil, "Too many failed logins")]
                done.directive = .close
            }
            return done
        }
    }
}
