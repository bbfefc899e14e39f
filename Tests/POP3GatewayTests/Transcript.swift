import Foundation
import POP3Protocol
import SASL
import StoreAPI
import TestSupport
import Testing

@testable import POP3Gateway

/// Drives a `POP3Session` with a fake maildrop and reads like a transcript:
/// `t.send("STAT", expect: "+OK 2 320")` (CONVENTIONS.md §12).
struct Transcript {
    var session: POP3Session
    var maildrop: [MaildropEntry] = [MaildropEntry(uid: 3, size: 120), MaildropEntry(uid: 7, size: 200)]
    var lockHeld = false
    var storeDown = false
    var expunged: [UInt32] = []
    var sent: [(uid: UInt32, lines: Int?)] = []
    var closed = false
    var output: [UInt8] = []
    /// alice's SCRAM-SHA-256 keys, for the password `secret`.
    static let keys = SCRAMSHA256.keys(password: "secret", salt: Array("fixed salt".utf8), iterations: 4096)

    init(tls: Bool = false, plaintext: Bool = true) {
        session = POP3Session(
            settings: SessionSettings(hostname: "pop.example.test", plaintextAuthAllowed: plaintext), id: "s1", isTLS: tls)
        perform(session.start())
    }

    /// Sends a line; checks that the response starts with `expect`; returns all output text.
    @discardableResult
    mutating func send(_ line: String, expect: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        output = []
        perform(session.receive(wireLine(line)))
        let answer = text(output)
        expectAnswer(answer, to: line, startsWith: expect, sourceLocation: sourceLocation)
        return answer
    }

    mutating func login() {
        send("USER alice@example.test", expect: "+OK")
        send("PASS secret", expect: "+OK Logged in; 2 messages (320 octets)")
    }

    mutating func perform(_ actions: [SessionAction]) {
        performInOrder(actions) { action in
            switch action {
            case .reply(let r): output += r.encoded
            case .raw(let bytes): output += bytes
            case .startTLS: session.tlsEstablished()
            case .close: closed = true
            case .verifyLogin(let user, let password):
                let ok = user == "alice@example.test" && password == "secret"
                return session.resume(storeDown ? .unavailable : .login(LoginResult(result: ok ? .ok : .invalid, address: ok ? user : nil)))
            case .scram(.start):
                return session.resume(
                    storeDown ? .unavailable : .scramSalt(SCRAMStartResult(salt: SASLBase64.encode(Self.keys.salt), iterations: 4096)))
            case .scram(.finish(let finish)):
                let signature = SCRAMSHA256.verify(proof: finish.clientProof, authMessage: finish.authMessage, keys: Self.keys)
                let ok = finish.username == "alice@example.test" && signature != nil
                return session.resume(
                    .login(
                        LoginResult(
                            result: ok ? .ok : .invalid, address: ok ? finish.username : nil,
                            serverSignature: signature.map(SASLBase64.encode))))
            case .openMaildrop:
                return session.resume(lockHeld ? .inUse : .maildrop(uidValidity: 42, messages: maildrop))
            case .sendMessage(let uid, _, let lines):
                sent.append((uid, lines))
                if !storeDown {
                    output += POP3Response.ok().encoded + MultilineEncoder.encode(message: bytes("Subject: x\r\n\r\nbody\r\n"))
                }
                return session.resume(storeDown ? .notSent : .sent)
            case .expunge(let uids):
                expunged = uids
                return session.resume(storeDown ? .unavailable : .expunged)
            }
            return []
        }
    }
}
