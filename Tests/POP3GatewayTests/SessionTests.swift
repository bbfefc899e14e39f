import POP3Protocol
import SASL
import Testing

@testable import POP3Gateway

@Suite("POP3 AUTHORIZATION")
struct AuthorizationTests {
    @Test("USER/PASS opens the maildrop; wrong password is -ERR [AUTH]; three failures hang up")
    func userPass() {
        var t = Transcript()
        #expect(String(decoding: t.output, as: UTF8.self).hasPrefix("+OK pop.example.test POP3 ready"))
        t.send("PASS secret", expect: "-ERR")
        t.send("USER alice@example.test", expect: "+OK")
        t.send("PASS wrong", expect: "-ERR [AUTH]")
        t.send("USER alice@example.test", expect: "+OK")
        t.send("PASS wrong", expect: "-ERR [AUTH]")
        t.send("USER alice@example.test", expect: "+OK")
        t.send("PASS wrong", expect: "-ERR [AUTH]")
        #expect(t.closed)
    }

    @Test("The driver hears of the login (no deadline, never evicted after it); evicted before it: -ERR [SYS/TEMP]")
    func authenticatedForTheDriver() {
        var t = Transcript()
        t.send("USER alice@example.test", expect: "+OK")
        #expect(!t.session.isAuthenticated)
        t.send("PASS wrong", expect: "-ERR [AUTH]")
        #expect(!t.session.isAuthenticated)
        t.login()
        #expect(t.session.isAuthenticated)
        var e = Transcript()
        e.output = []
        let actions = e.session.evicted()
        e.perform(actions)
        #expect(String(decoding: e.output, as: UTF8.self).hasPrefix("-ERR [SYS/TEMP] Too many connections"))
        #expect(e.closed && e.session.evicted().isEmpty)
    }

    @Test("AUTH PLAIN with an initial response and as a continuation")
    func authPlain() {
        var a = Transcript()
        a.send("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=", expect: "+OK Logged in")
        var b = Transcript()
        b.send("AUTH PLAIN", expect: "+ ")
        b.send("AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=", expect: "+OK Logged in")
        var c = Transcript()
        c.send("AUTH PLAIN", expect: "+ ")
        c.send("*", expect: "-ERR")
        c.send("AUTH CRAM-MD5", expect: "-ERR")
    }

    @Test("AUTH SCRAM-SHA-256: server-first, proof, server-final as a last +, then the maildrop")
    func authSCRAM() {
        var t = Transcript()
        #expect(t.send("CAPA", expect: "+OK").contains("\r\nSASL PLAIN SCRAM-SHA-256\r\n"))
        var client = SCRAMClient(username: "alice@example.test", password: "secret")
        let first = t.send("AUTH SCRAM-SHA-256 \(SASLBase64.encode(client.clientFirst))", expect: "+ ")
        let final = client.clientFinal(serverFirst: Self.challenge(first))!
        let verifier = t.send(SASLBase64.encode(final), expect: "+ ")
        #expect(client.verifies(serverFinal: Self.challenge(verifier)))
        t.send("", expect: "+OK Logged in")

        var wrong = Transcript()
        var bad = SCRAMClient(username: "alice@example.test", password: "wrong")
        wrong.send("AUTH SCRAM-SHA-256", expect: "+ ")
        let challenge = wrong.send(SASLBase64.encode(bad.clientFirst), expect: "+ ")
        wrong.send(SASLBase64.encode(bad.clientFinal(serverFirst: Self.challenge(challenge))!), expect: "-ERR [AUTH]")
        wrong.send("NOOP", expect: "-ERR")  // still AUTHORIZATION
        wrong.login()
    }

    @Test("one class of answer per fault: malformed and cancelled -ERR, authzid -ERR [AUTH]")
    func faultClasses() {
        var t = Transcript()
        t.send("AUTH PLAIN \(SASLBase64.encode("alice\0secret"))", expect: "-ERR Invalid SASL response")
        t.send("AUTH PLAIN", expect: "+ ")  // the AUTH line itself is 255 octets at most (RFC 2449 §4)
        t.send(SASLBase64.encode("\0alice\0" + String(repeating: "x", count: 1_100)), expect: "-ERR Invalid SASL response")
        t.send("AUTH PLAIN \(SASLBase64.encode([0, 0x61, 0, 0xFF]))", expect: "-ERR Invalid SASL response")
        t.send("AUTH PLAIN !!!", expect: "-ERR")  // the command grammar already refuses it (RFC 5034 §4)
        t.send("AUTH PLAIN", expect: "+ ")
        t.send("!!!", expect: "-ERR Invalid SASL response")
        t.send("AUTH PLAIN", expect: "+ ")
        t.send("*", expect: "-ERR Authentication cancelled")
        t.send("AUTH PLAIN \(SASLBase64.encode("bob@example.test\0alice@example.test\0secret"))", expect: "-ERR [AUTH]")
        t.login()
    }

    static func challenge(_ line: String) -> String {
        String(decoding: SASLBase64.decode(String(line.dropFirst(2).prefix { $0 != "\r\n" }))!, as: UTF8.self)
    }

    @Test("passwords are refused without TLS where plaintext is not allowed; STLS then allows them")
    func tlsRequired() {
        var t = Transcript(tls: false, plaintext: false)
        let capa = t.send("CAPA", expect: "+OK")
        #expect(capa.contains("STLS") && !capa.contains("\r\nUSER\r\n"))
        t.send("USER alice@example.test", expect: "-ERR [AUTH]")
        t.send("STLS", expect: "+OK Begin TLS")
        t.login()
    }

    @Test("a maildrop in use answers -ERR [IN-USE] and the client may try again")
    func inUse() {
        var t = Transcript()
        t.lockHeld = true
        t.send("USER alice@example.test", expect: "+OK")
        t.send("PASS secret", expect: "-ERR [IN-USE]")
        t.lockHeld = false
        t.login()
    }

    @Test("STLS discards what was pipelined behind it")
    func stlsInjection() {
        var t = Transcript()
        t.output = []
        t.perform(t.session.receive(Array("STLS\r\nUSER alice@example.test\r\n".utf8)))
        #expect(String(decoding: t.output, as: UTF8.self) == "+OK Begin TLS negotiation\r\n")
    }

    @Test("TRANSACTION commands before login are refused, the session goes on")
    func wrongState() {
        var t = Transcript()
        for command in ["STAT", "LIST", "RETR 1", "DELE 1", "RSET", "TOP 1 1", "UIDL", "NOOP"] {
            t.send(command, expect: "-ERR")
        }
        t.login()
        t.send("USER bob@example.test", expect: "-ERR")
        t.send("STLS", expect: "-ERR")
    }
}

@Suite("POP3 TRANSACTION and UPDATE")
struct TransactionTests {
    @Test("STAT, LIST, UIDL, and deleted messages are left out")
    func listing() {
        var t = Transcript()
        t.login()
        t.send("STAT", expect: "+OK 2 320")
        #expect(t.send("LIST", expect: "+OK 2 messages") == "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n")
        #expect(t.send("UIDL", expect: "+OK") == "+OK\r\n1 42.3\r\n2 42.7\r\n.\r\n")
        t.send("UIDL 2", expect: "+OK 2 42.7")
        t.send("DELE 1", expect: "+OK")
        t.send("STAT", expect: "+OK 1 200")
        #expect(t.send("LIST", expect: "+OK 1 messages") == "+OK 1 messages\r\n2 200\r\n.\r\n")
        t.send("LIST 1", expect: "-ERR")
        t.send("RETR 1", expect: "-ERR")
        t.send("DELE 1", expect: "-ERR")
        t.send("RETR 3", expect: "-ERR")
        t.send("RSET", expect: "+OK")
        t.send("STAT", expect: "+OK 2 320")
    }

    @Test("RETR and TOP ask for the right message; a failed read before sending is -ERR [SYS/TEMP]")
    func retrieve() {
        var t = Transcript()
        t.login()
        t.send("RETR 2", expect: "+OK")
        t.send("TOP 1 5", expect: "+OK")
        #expect(t.sent.map(\.uid) == [7, 3] && t.sent.map(\.lines) == [nil, 5])
        t.storeDown = true
        t.send("RETR 1", expect: "-ERR [SYS/TEMP]")
        t.send("NOOP", expect: "+OK")
    }

    @Test("QUIT from TRANSACTION expunges exactly the marked UIDs; without DELE nothing")
    func update() {
        var t = Transcript()
        t.login()
        t.send("DELE 2", expect: "+OK")
        t.send("QUIT", expect: "+OK")
        #expect(t.expunged == [7] && t.closed)
        var u = Transcript()
        u.login()
        u.send("QUIT", expect: "+OK")
        #expect(u.expunged.isEmpty)
    }

    @Test("a failed UPDATE says that some deleted messages were not removed")
    func updateFails() {
        var t = Transcript()
        t.login()
        t.send("DELE 1", expect: "+OK")
        t.storeDown = true
        t.send("QUIT", expect: "-ERR [SYS/TEMP] Some deleted messages not removed")
    }

    @Test("over-long lines and garbage get -ERR and the session goes on")
    func badInput() {
        var t = Transcript()
        t.login()
        t.send(String(repeating: "X", count: 300), expect: "-ERR")
        t.send("\u{1}\u{2}garbage", expect: "-ERR")
        t.send("RETR 0", expect: "-ERR")
        t.send("RETR 99999999999999", expect: "-ERR")
        t.send("TOP 1", expect: "-ERR")
        t.send("STAT", expect: "+OK 2 320")
    }
}
