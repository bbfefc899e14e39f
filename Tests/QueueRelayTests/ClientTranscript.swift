import SMTPProtocol
import StoreAPI
import Testing

@testable import QueueRelay

/// Drives an `SMTPClientSession` as its driver would, without sockets, and reads like a
/// transcript (CONVENTIONS.md §12): the server's lines go in with `server(…)`, and `expect`
/// checks exactly what the client wrote since the last check (one string per write, its
/// lines separated by `\n`, CRLF added) and the other actions it took.
struct ClientTranscript {
    var session: SMTPClientSession
    /// Writes not checked yet, as sent (CRLF included).
    var written: [String] = []
    /// Actions other than `.send` not checked yet.
    var actions: [SMTPClientAction] = []
    /// The last `.finished`.
    var outcome: SMTPClientOutcome?
    var closed = false

    static let ourName = "relay.example.test"
    static let serverName = "mx.b.test"

    init(
        _ message: OutboundMessage? = .simple, tls: SMTPClientSession.TLSPolicy = .opportunistic,
        timeouts: SMTPClientTimeouts = .rfc5321
    ) {
        session = SMTPClientSession(
            settings: .init(hostname: Self.ourName, host: Self.serverName, tls: tls, timeouts: timeouts),
            message: message)
        record(session.start())
    }

    /// A session past greeting and EHLO with these capabilities (no STARTTLS offered), the
    /// first MAIL (or whatever the message led to) not checked yet.
    static func opened(
        _ capabilities: [String], message: OutboundMessage? = .simple,
        timeouts: SMTPClientTimeouts = .rfc5321
    ) -> ClientTranscript {
        var t = ClientTranscript(message, timeouts: timeouts)
        t.server("220 mx.b.test ESMTP")
        t.expect(sends: "EHLO relay.example.test")
        t.server(ehlo: capabilities)
        return t
    }

    /// The server's lines, CRLF after each, in one read.
    mutating func server(_ lines: String...) {
        raw(Array(lines.map { $0 + "\r\n" }.joined().utf8))
    }

    /// A 250 EHLO reply listing `capabilities`.
    mutating func server(ehlo capabilities: [String]) {
        let lines = ["mx.b.test greets relay.example.test"] + capabilities
        raw(Array(lines.enumerated().map { "250\($0.offset == lines.count - 1 ? " " : "-")\($0.element)\r\n" }.joined().utf8))
    }

    mutating func raw(_ bytes: [UInt8]) {
        record(session.receive(bytes))
    }

    mutating func tlsEstablished() { record(session.tlsEstablished()) }
    mutating func bodySent() { record(session.bodySent()) }
    mutating func timedOut() { record(session.timedOut()) }
    mutating func connectionLost(_ loss: ConnectionLoss) { record(session.connectionLost(loss)) }
    mutating func deliver(_ message: OutboundMessage) { record(session.deliver(message)) }
    mutating func quit() { record(session.quit()) }

    mutating func record(_ list: [SMTPClientAction]) {
        for action in list {
            switch action {
            case .send(let bytes):
                #expect(!closed, "a write after close")
                written.append(String(decoding: bytes, as: UTF8.self))
            case .finished(let result):
                outcome = result
                actions.append(action)
            case .close:
                closed = true
                actions.append(action)
            default:
                actions.append(action)
            }
        }
    }

    /// Checks the writes and the other actions since the last check, then forgets them.
    /// `finished` stands for any `.finished` (its content is checked through `outcome`).
    mutating func expect(sends: String..., then expected: [Expected] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        let wanted = sends.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\r\n" }.joined() }
        #expect(written == wanted, sourceLocation: sourceLocation)
        #expect(actions.map(Expected.init) == expected, sourceLocation: sourceLocation)
        written = []
        actions = []
    }

    enum Expected: Equatable {
        case startTLS, sendBody, finished, close
        init(_ action: SMTPClientAction) {
            switch action {
            case .startTLS: self = .startTLS
            case .sendBody: self = .sendBody
            case .finished: self = .finished
            case .close: self = .close
            case .send: preconditionFailure("writes are kept in `written`")
            }
        }
    }

    /// The outcomes of the last `.finished`, by address.
    var outcomes: [String: RecipientOutcome] {
        guard case .recipients(let list)? = outcome?.result else { return [:] }
        return Dictionary(list.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The reason of a last `.finished` that moves on to the next host.
    var nextHostReason: String? {
        guard case .tryNextHost(let reason)? = outcome?.result else { return nil }
        return reason
    }
}

// MARK: - Messages

extension QueueEntry {
    static func make(
        sender: String = "alice@a.test", recipients: [String], size: Int = 0, body: String? = nil,
        smtputf8: Bool? = nil, ret: String? = nil, envid: String? = nil,
        notify: [String: [String]] = [:], orcpt: [String: String] = [:]
    ) -> QueueEntry {
        QueueEntry(
            id: 1, sender: sender, createdAt: 0, state: .active, nextAttempt: 0, attempts: 0, lastError: nil, size: size,
            ret: ret, envid: envid, smtputf8: smtputf8, body: body,
            recipients: recipients.map {
                QueueRecipient(
                    address: $0, domain: String($0.split(separator: "@").last ?? ""), state: .pending,
                    notify: notify[$0], orcpt: orcpt[$0], lastError: nil)
            })
    }
}

extension OutboundMessage {
    static let content = Array("Subject: hi\r\n\r\nHello.\r\n".utf8)

    /// alice@a.test to bob@b.test, 25 octets.
    static let simple = make(["bob@b.test"])

    static func make(_ recipients: [String], entry: QueueEntry? = nil, content: [UInt8] = OutboundMessage.content) -> OutboundMessage {
        let entry = entry ?? QueueEntry.make(recipients: recipients)
        return OutboundMessage(entry: entry, recipients: entry.recipients, content: content)
    }
}
