import Foundation
import POP3Protocol
import SASL
import StoreAPI
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
        session = POP3Session(settings: SessionSettings(hostname: "pop.example.test", plaintextAuthAllowed: plaintext), id: "s1", isTLS: tls)
        perform(session.start())
    }

    /// Sends a line; checks that the response starts with `expect`; returns all output text.
    @discardableResult
    mutating func send(_ line: String, expect: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        output = []
        perform(session.receive(Array((line + "\r\n").utf8)))
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix(expect), "\(line) → \(text)", sourceLocation: sourceLocation)
        return text
    }

    mutating func login() {
        send("USER alice@example.test", expect: "+OK")
        send("PASS secret", expect: "+OK Logged in; 2 messages (320 octets)")
    }

    mutating func perform(_ actions: [SessionAction]) {
        var queue = actions
        while !queue.isEmpty {
            let action = queue.removeFirst()
            switch action {
            case .reply(let r): output += r.encoded
            case .raw(let bytes): output += bytes
            case .startTLS: session.tlsEstablished()
            case .close: closed = true
            case .verifyLogin(let user, let password):
                let ok = user == "alice@example.test" && password == "secret"
                queue += session.resume(storeDown ? .unavailable : .login(LoginResult(result: ok ? .ok : .invalid, address: ok ? user : nil)))
            case .scram(.start):
                queue += session.resume(storeDown ? .unavailable : .scramSalt(SCRAMStartResult(salt: SASLBase64.encode(Self.keys.salt), iterations: 4096)))
            case .scram(.finish(let finish)):
                let signature = SCRAMSHA256.verify(proof: finish.clientProof, authMessage: finish.authMessage, keys: Self.keys)
                let ok = finish.username == "alice@example.test" && signature != nil
                queue += session.resume(.login(LoginResult(result: ok ? .ok : .invalid, address: ok ? finish.username : nil,
                                                           serverSignature: signature.map(SASLBase64.encode))))
            case .openMaildrop:
                queue += session.resume(lockHeld ? .inUse : .maildrop(uidValidity: 42, messages: maildrop))
            case .sendMessage(let uid, _, let lines):
                sent.append((uid, lines))
                if !storeDown { output += POP3Response.ok().encoded + MultilineEncoder.encode(message: Array("Subject: x\r\n\r\nbody\r\n".utf8)) }
                queue += session.resume(storeDown ? .notSent : .sent)
            case .expunge(let uids):
                expunged = uids
                queue += session.resume(storeDown ? .unavailable : .expunged)
            }
        }
    }
}
