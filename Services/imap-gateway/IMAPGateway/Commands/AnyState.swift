import IMAPProtocol

/// CAPABILITY, LOGOUT and ID: legal in every state. RFC 9051 §6.1, RFC 2971.
extension IMAPSession {
    /// What the server can do in the current state. RFC 9051 §6.1.1: STARTTLS and
    /// LOGINDISABLED only before login, AUTH= only where a password may be sent.
    var capabilities: [String] {
        var list = [
            "IMAP4rev1", "IMAP4rev2", literalCapability, "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE", "UNSELECT", "UIDPLUS",
            "MULTIAPPEND",
            "MOVE", "CHILDREN", "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "STATUS=SIZE", "CONDSTORE", "QRESYNC",
            "ESEARCH", "SEARCHRES", "BINARY", "UTF8=ACCEPT", "APPENDLIMIT=\(settings.maxMessageSize)",
            // RFC 5256, RFC 5957, RFC 5267 §3 (ESORT) and §4 (contexts: UPDATE, PARTIAL, CANCELUPDATE).
            "SORT", "SORT=DISPLAY", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "ESORT", "CONTEXT=SEARCH", "CONTEXT=SORT",
            "UNAUTHENTICATE",  // RFC 8437 §3
            "OBJECTID", "SAVEDATE", "CREATE-SPECIAL-USE", "PREVIEW", "REPLACE",  // RFC 8474, 8514, 6154 §3, 8970, 8508
            // RFC 9208 §3.1, §5: one root per account, STORAGE and MESSAGE limits. No QUOTASET:
            // SETQUOTA is for the administrator (`mailctl quota`), refused here with NOPERM.
            "QUOTA", "QUOTA=RES-STORAGE", "QUOTA=RES-MESSAGE",
            "ACL", "RIGHTS=texk", "LIST-MYRIGHTS",  // RFC 4314 §2.1.1, RFC 8440 §2
            "COMPRESS=DEFLATE",  // RFC 4978 §3
            "PARTIAL",  // RFC 9394 §3
            "CATENATE",  // RFC 4469 §2
            "METADATA", "METADATA-SERVER", "NOTIFY",  // RFC 5464 §1, RFC 5465 §1
        ]
        if state == .notAuthenticated {
            if settings.tlsAvailable && !isTLS { list.append("STARTTLS") }
            if passwordsAllowed { list += Self.saslMechanisms.map { "AUTH=" + $0 } } else { list.append("LOGINDISABLED") }
        }
        return list
    }

    /// RFC 7888 §5: a server MUST NOT advertise LITERAL+ and LITERAL- at the same time. Before
    /// login non-synchronizing literals are held to LITERAL-'s 4,096 octets (a LOGIN or
    /// AUTHENTICATE needs no more, and an unauthenticated client should not make us skip
    /// megabytes, §9); after login LITERAL+ takes them up to the APPEND limit. The LOGIN OK
    /// carries the new list (RFC 9051 §6.2.3), and UNAUTHENTICATE returns to LITERAL-.
    var literalCapability: String { state == .notAuthenticated ? "LITERAL-" : "LITERAL+" }

    /// Passwords only over TLS, or from loopback, or where configuration allows. RFC 9051 §11.1
    var passwordsAllowed: Bool { isTLS || settings.plaintextAuthAllowed }

    func capability() async throws -> Completion {
        try await send(.capability(capabilities))
        return .ok("CAPABILITY completed")
    }

    func logout() async throws -> Completion {
        try await send(.untagged(.bye, nil, "Logging out"))
        var done = Completion.ok("LOGOUT completed")
        done.directive = .close
        done.announce = false
        state = .logout
        return done
    }

    /// RFC 2971 §3.1: the server answers its own ID; the client's is only logged.
    func id(_ fields: [IMAPCommand.IDField]?) async throws -> Completion {
        if let fields, !fields.isEmpty {
            logger.info("client id", metadata: ["id": "\(fields.map { "\($0.key)=\($0.value ?? "NIL")" }.joined(separator: " "))"])
        }
        try await send(.id([.init("name", "Buzón"), .init("vendor", "Buzón"), .init("support-url", "https://\(settings.hostname)/")]))
        return .ok("ID completed")
    }
}
