import IMAPProtocol
import ServiceKit
import Testing

@testable import IMAPGateway

/// The IMAP connection's framing on the shared driver, without sockets: what it hands the
/// command session and what it answers itself.
@Suite("Framing")
struct FramingTests {
    func framing(maxLiteral: Int = 64 * 1024) -> IMAPFraming {
        IMAPFraming(limits: ConnectionLimits(maxLiteralSize: maxLiteral, timeoutSeconds: 60), maxLineLength: IMAPDefaults.lineLength)
    }

    func runs(_ actions: [IMAPFraming.Action]) -> [String] {
        actions.compactMap {
            guard case .run(.command(let framed, _)) = $0 else { return nil }
            return String(decoding: framed.lines[0], as: UTF8.self)
        }
    }

    @Test("The greeting first, then one command at a time: the next is framed only after the answer")
    func oneAtATime() {
        var f = framing()
        guard case .greet = f.start().first else { Issue.record("no greeting"); return }
        let first = f.receive(Array("a1 NOOP\r\na2 NOOP\r\n".utf8))
        #expect(runs(first) == ["a1 NOOP"])
        #expect(runs(f.resume(.proceed)) == ["a2 NOOP"])
        #expect(f.resume(.proceed).isEmpty)
    }

    @Test("A synchronizing literal gets its `+` from the framing itself (RFC 9051 §7.5)")
    func continuation() {
        var f = framing()
        let actions = f.receive(Array("a1 LOGIN {5}\r\n".utf8))
        guard case .write(let bytes) = actions.first else { Issue.record("no continuation"); return }
        #expect(String(decoding: bytes, as: UTF8.self) == "+ Ready for literal data\r\n")
        #expect(runs(f.receive(Array("alice secret\r\n".utf8))).count == 1)
    }

    @Test("A big literal (APPEND) is spooled as it arrives, not held")
    func streamedLiteral() {
        var f = framing(maxLiteral: 8 * 1024 * 1024)
        f.limits.authenticated.store(true, ordering: .relaxed)  // APPEND is after login: LITERAL+
        let size = IMAPFraming.streamThreshold + 10
        var actions = f.receive(Array("a1 APPEND INBOX {\(size)+}\r\n".utf8))
        actions += f.receive([UInt8](repeating: 0x41, count: size))
        actions += f.receive(Array("\r\n".utf8))
        let spooled = actions.reduce(0) { total, action in
            if case .spool(let bytes) = action { return total + bytes.count }
            return total
        }
        #expect(actions.contains { if case .beginSpool = $0 { true } else { false } })
        #expect(spooled == size)
        #expect(runs(actions) == ["a1 APPEND INBOX {\(size)+}"])
    }

    @Test("STARTTLS: the OK, TLS, and whatever the client pipelined in the clear is dropped")
    func startTLS() {
        var f = framing()
        let actions = f.receive(Array("a1 STARTTLS\r\na2 LOGIN injected secret\r\n".utf8))
        #expect(runs(actions) == ["a1 STARTTLS"])
        let after = f.resume(.startTLS(tag: "a1"))
        guard after.count == 3, case .write(let ok) = after[0], case .startTLS = after[1], case .tlsStarted = after[2] else {
            Issue.record("unexpected \(after)")
            return
        }
        #expect(String(decoding: ok, as: UTF8.self) == "a1 OK Begin TLS negotiation now\r\n")
        // The injected LOGIN is gone; the next command is what comes over TLS.
        #expect(runs(f.receive(Array("a3 CAPABILITY\r\n".utf8))) == ["a3 CAPABILITY"])
    }

    @Test("A refused STARTTLS frames the pipelined commands as usual")
    func startTLSRefused() {
        var f = framing()
        _ = f.receive(Array("a1 STARTTLS\r\na2 NOOP\r\n".utf8))
        #expect(runs(f.resume(.proceed)) == ["a2 NOOP"])
    }

    @Test("Over-long lines and literals reach the command session as such, and framing goes on")
    func limits() {
        var f = framing(maxLiteral: 10)
        let actions = f.receive(Array("a1 APPEND INBOX {100}\r\n".utf8))
        guard case .run(.literalTooLarge(let tag, true)) = actions.last else { Issue.record("\(actions)"); return }
        #expect(tag == "a1")
        #expect(runs(f.receive(Array("a2 NOOP\r\n".utf8)) + f.resume(.proceed)) == ["a2 NOOP"])
    }

    @Test("LITERAL- before login: a {n+} literal over 4,096 octets is refused and skipped; after login LITERAL+")
    func literalMinusBeforeLogin() {
        var f = framing()
        // RFC 7888 §5 and §4: BAD (the session adds TOOBIG), and the literal's octets, which
        // look like a command here, are skipped rather than run.
        let literal = "a9 DELETE INBOX\r\n" + String(repeating: "x", count: 4097 - 17)
        let refused = f.receive(Array(("a1 LOGIN {4097+}\r\n" + literal + " secret\r\na2 NOOP\r\n").utf8))
        guard case .run(.literalTooLarge(let tag, false)) = refused.last else { Issue.record("\(refused)"); return }
        #expect(tag == "a1")
        #expect(runs(f.resume(.proceed)) == ["a2 NOOP"])
        _ = f.resume(.proceed)
        let atLimit = f.receive(Array(("a3 LOGIN {4096+}\r\n" + String(repeating: "y", count: 4096) + " x\r\n").utf8))
        #expect(runs(atLimit) == ["a3 LOGIN {4096+}"])
        _ = f.resume(.proceed)
        f.limits.authenticated.store(true, ordering: .relaxed)  // LOGIN succeeded
        let big = f.receive(Array(("a4 X {5000+}\r\n" + String(repeating: "z", count: 5000) + "\r\n").utf8))
        #expect(runs(big) == ["a4 X {5000+}"])
    }

    @Test("Time and shutdown go through the command session, which says BYE; after close, nothing")
    func byes() {
        var f = framing()
        guard case .run(.timedOut) = f.timedOut().first, case .run(.shutdown) = f.shutdown().first else {
            Issue.record("no BYE")
            return
        }
        #expect(f.resume(.close).count == 1)
        #expect(f.receive(Array("a1 NOOP\r\n".utf8)).isEmpty)
        #expect(f.timedOut().isEmpty && f.shutdown().isEmpty)
    }

    @Test("The driver's clocks: an unfinished line (and a literal before login) is partial; after login a literal is not")
    func partialCommands() {
        var f = framing(maxLiteral: 4 * 1024 * 1024)
        #expect(!f.isAuthenticated && !f.hasPartialCommand)
        _ = f.receive(Array("a1 LOG".utf8))
        #expect(f.hasPartialCommand)
        _ = f.receive(Array("IN {5}\r\nali".utf8))
        #expect(f.hasPartialCommand)  // before login a literal is part of the command
        #expect(runs(f.receive(Array("ce secret\r\n".utf8))).count == 1)
        #expect(!f.hasPartialCommand)
        f.limits.authenticated.store(true, ordering: .relaxed)  // LOGIN succeeded
        _ = f.resume(.proceed)
        #expect(f.isAuthenticated)
        _ = f.receive(Array("a2 APPEND INBOX {2000000+}\r\nFrom: x".utf8))
        #expect(!f.hasPartialCommand)  // a big APPEND's octets are content, not a line
    }

    @Test("Evicted at the connection limit: the command session says BYE [LIMIT]")
    func evicted() {
        var f = framing()
        guard case .run(.evicted) = f.evicted().first else {
            Issue.record("no BYE")
            return
        }
        _ = f.resume(.close)
        #expect(f.evicted().isEmpty)
    }
}
