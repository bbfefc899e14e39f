import Foundation
import SASL
import SMTPProtocol
import StoreAPI
import TestSupport
import Testing

@testable import SMTPGateway

/// Drives an `SMTPSession` like a connection would, with a fake store, and reads like a
/// transcript: `t.send("RCPT TO:<a@b>", expect: "250 2.1.5")` (CONVENTIONS.md §12).
struct Transcript {
    var session: SMTPSession
    var store = FakeStore()
    /// Every action the session took, in order.
    var log: [SessionAction] = []
    var closed = false
    var tlsStarted = false
    /// The body as the connection would spool it.
    var spooled: [UInt8] = []
    var delivered: [(message: [UInt8], envelope: DeliveryEnvelope)] = []

    init(_ listener: Listener, tls: Bool? = nil, settings: SessionSettings = SessionSettings(hostname: "mx.example.test")) {
        session = SMTPSession(
            listener: listener, settings: settings, id: "t1", clientAddress: "192.0.2.7",
            isTLS: tls ?? (listener == .submissions), now: { Date(timeIntervalSince1970: 1_795_700_000) })
        _ = perform(session.start())
    }

    /// Sends raw bytes; answers store actions at once; returns the replies.
    @discardableResult
    mutating func raw(_ bytes: [UInt8]) -> [SMTPReply] {
        perform(session.receive(bytes))
    }

    /// Sends one line and checks that the last reply starts with `expect`.
    @discardableResult
    mutating func send(_ line: String, expect: String, sourceLocation: SourceLocation = #_sourceLocation) -> [SMTPReply] {
        let replies = raw(wireLine(line))
        let last = replies.last.map { text($0.encoded) } ?? "(no reply)"
        let lastLine = last.split(separator: "\r\n").last.map(String.init) ?? last
        expectAnswer(lastLine, to: line, startsWith: expect, sourceLocation: sourceLocation)
        return replies
    }

    mutating func perform(_ actions: [SessionAction]) -> [SMTPReply] {
        var replies: [SMTPReply] = []
        performInOrder(actions) { action in
            log.append(action)
            switch action {
            case .reply(let r): replies.append(r)
            case .close: closed = true
            case .startTLS:
                tlsStarted = true
                session.tlsEstablished()
            case .beginContent:
                spooled = []
            case .content(let bytes):
                spooled += bytes
            case .verifyLogin, .scram, .lookup, .deliver:
                if case .deliver(let prefix, let envelope, _) = action { delivered.append((prefix + spooled, envelope)) }
                return session.resume(store.answer(action))
            }
            return []
        }
        return replies
    }

    var deliveries: [(message: [UInt8], envelope: DeliveryEnvelope)] { delivered }
}

/// The store as the session sees it: example.test with alice and bob (password `secret`),
/// alias team@ → alice, bob.
struct FakeStore {
    /// Every account's SCRAM-SHA-256 keys, for the password `secret`.
    static let keys = SCRAMSHA256.keys(password: "secret", salt: Array("fixed salt".utf8), iterations: 4096)
    var down = false
    var accounts = ["alice@example.test", "bob@example.test"]
    /// Accounts with no room for one more message (RFC 9208 quota): `overQuota` at RCPT.
    var full: Set<String> = []
    /// A store error code every delivery is refused with (`over-quota`, `larger-than-quota`).
    var refuseDeliveries: APIErrorCode?

    func answer(_ action: SessionAction) -> StoreAnswer {
        if down { return .unavailable }
        switch action {
        case .verifyLogin(let user, let password):
            let ok = accounts.contains(user.lowercased()) && password == "secret"
            return .login(LoginResult(result: ok ? .ok : .invalid, address: ok ? user.lowercased() : nil))
        case .scram(.start):
            return .scramSalt(SCRAMStartResult(salt: SASLBase64.encode(Self.keys.salt), iterations: Self.keys.iterations))
        case .scram(.finish(let finish)):
            guard accounts.contains(finish.username.lowercased()),
                let signature = SCRAMSHA256.verify(proof: finish.clientProof, authMessage: finish.authMessage, keys: Self.keys)
            else { return .login(LoginResult(result: .invalid)) }
            return .login(LoginResult(result: .ok, address: finish.username.lowercased(), serverSignature: SASLBase64.encode(signature)))
        case .lookup(let address):
            // As the store answers the bare `<Postmaster>`: the primary domain's postmaster.
            if address == "postmaster" {
                return .recipient(
                    RecipientInfo(address: "postmaster@example.test", local: true, exists: true, accounts: ["alice@example.test"]))
            }
            let domain = Validation.domainOf(address)
            guard domain == "example.test" else { return .recipient(RecipientInfo(address: address, local: false, exists: false)) }
            if address == "team@example.test" {
                return .recipient(RecipientInfo(address: address, local: true, exists: true, accounts: accounts))
            }
            let exists = accounts.contains(address)
            return .recipient(
                RecipientInfo(
                    address: address, local: true, exists: exists, accounts: exists ? [address] : [],
                    overQuota: full.contains(address) ? true : nil))
        case .deliver(_, let envelope, _):
            if let code = refuseDeliveries { return .rejected(code: code.rawValue) }
            return .delivered(
                DeliveryResult(
                    contentID: 1, size: 1,
                    recipients: envelope.recipients.map {
                        RecipientResult(
                            recipient: $0.address, status: Validation.domainOf($0.address) == "example.test" ? .delivered : .queued)
                    }))
        default:
            return .unavailable
        }
    }
}

func plainAuth(_ user: String, _ password: String) -> String {
    Data("\0\(user)\0\(password)".utf8).base64EncodedString()
}
