import IMAPProtocol

/// UNAUTHENTICATE — authenticated and selected states. RFC 8437 §3 (syntax §4).
///
/// ```
/// C: a1 UNAUTHENTICATE
/// S: a1 OK [CAPABILITY IMAP4rev1 … LITERAL- … AUTH=PLAIN] Not authenticated
/// ```
/// The session becomes what it was right after the greeting, on the same connection (and the
/// same TLS): the selected mailbox is closed without expunging, as UNSELECT does, and
/// everything the login brought is let go — ENABLEd extensions (RFC 5161 state is
/// per authenticated session), the saved search (RFC 5182), updating contexts (RFC 5267), the
/// CONDSTORE switch, the `\Recent` claims held through the view, the account's connection
/// slot and change feed, and the connection's after-login limits (literal size, timeout). The
/// count of failed logins stays: UNAUTHENTICATE must not reset password guessing.
extension IMAPSession {
    func unauthenticate() async throws -> Completion {
        // RFC 8437 §3: a selected mailbox is closed without expunge, as UNSELECT.
        releaseLogin()
        contexts = []
        enabled = []
        condstoreActive = false
        highestModSeqOwed = false
        savedSearch = nil
        authenticating = nil
        state = .notAuthenticated
        logger[metadataKey: "user"] = nil
        // Back to the limits of a connection that has not logged in (IMAPServer.swift).
        limits.maxLiteralSize.store(IMAPDefaults.smallLiteralSize, ordering: .relaxed)
        limits.timeoutSeconds.store(settings.loginTimeoutSeconds, ordering: .relaxed)
        limits.authenticated.store(false, ordering: .relaxed)
        logger.info("unauthenticated")
        // The capabilities change back (LITERAL-, AUTH=, STARTTLS): say so. RFC 9051 §7.1
        var done = Completion.ok("Not authenticated", .capability(capabilities))
        done.announce = false
        return done
    }
}
