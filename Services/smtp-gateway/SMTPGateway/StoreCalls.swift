import Logging
import Metrics
import NIOCore
import SASL
import ServiceKit
import StoreAPI
import StoreClient

/// One connection's calls: the message content spooled as it arrives, and the store asked
/// through `StoreAnswers`.
struct SMTPCalls: SessionCalls {
    let store: StoreAnswers
    let clientAddress: String
    let logger: Logger
    let spool = MessageSpool()

    func perform(_ action: SessionAction, output: any DriverOutput) async -> StoreAnswer? {
        switch action {
        case .beginContent:
            spool.reset()
            return nil
        case .content(let bytes):
            do {
                try spool.append(bytes)
                return nil
            } catch {
                logger.error("cannot spool the message", metadata: ["error": "\(error)"])
                return .spoolFailed
            }
        case .deliver:
            Counter(label: "buzon_smtp_messages_total").increment()
            defer { spool.reset() }
            return await store.answer(action, body: spool.contents(), clientAddress: clientAddress, logger: logger)
        default:
            return await store.answer(action, body: nil, clientAddress: clientAddress, logger: logger)
        }
    }
}

/// Performs a session's store actions with the internal API client and turns the outcome
/// into a `StoreAnswer`: a 4xx is the client's problem (`rejected`), anything else is
/// temporary (`unavailable`, SMTP `451 4.3.0`), never a crash or a permanent refusal.
struct StoreAnswers: Sendable {
    let client: StoreClient
    /// How long a delivery whose answer was lost is retried with the same idempotency key
    /// (`BUZON_SMTP_STORE_RETRY_SECONDS`). The store may have committed it before it died: only
    /// a retry that lands, not the client's resend under a new key, keeps that one copy. Long
    /// enough for a supervised restart of the store; RFC 5321 §4.5.3.2.6 gives the client 10
    /// minutes for the reply to the end of DATA, so the client waits it out.
    var deliveryRetry: Duration = .seconds(30)
    /// The first pause between attempts; it doubles up to `maxBackoff`.
    static let firstBackoff: Duration = .milliseconds(100)
    static let maxBackoff: Duration = .seconds(2)

    func answer(_ action: SessionAction, body: SpoolContents?, clientAddress: String, logger: Logger) async -> StoreAnswer {
        do {
            switch action {
            case .verifyLogin(let username, let password):
                return .login(
                    try await client.verifyLogin(
                        LoginRequest(username: username, password: password, clientAddress: clientAddress, service: "smtp")))
            case .scram(.start(let username)):
                return .scramSalt(try await client.scramStart(SCRAMStartRequest(username: username)))
            case .scram(.finish(let finish)):
                return .login(
                    try await client.scramFinish(
                        SCRAMFinishRequest(
                            username: finish.username, authMessage: finish.authMessage, clientProof: SASLBase64.encode(finish.clientProof),
                            clientAddress: clientAddress, service: "smtp")))
            case .lookup(let address):
                return .recipient(try await client.lookupRecipient(address))
            case .deliver(let prefix, let envelope, let key):
                guard let body else { return .unavailable }
                return .delivered(try await deliver(prefix, body, envelope, key, logger: logger))
            default:
                return .unavailable
            }
        } catch let error as StoreClientError {
            if error.isTemporary {
                logger.error("store unavailable", metadata: ["error": "\(error)"])
                return .unavailable
            }
            logger.info("store refused", metadata: ["error": "\(error)"])
            return .rejected(code: error.code?.rawValue ?? "")
        } catch {
            logger.error("store call failed", metadata: ["error": "\(error)"])
            return .unavailable
        }
    }

    /// Streams `prefix` and the spooled body to the store; what failed for a temporary reason
    /// is sent again with the same key until `deliveryRetry` has passed, with backoff.
    private func deliver(
        _ prefix: [UInt8], _ body: SpoolContents, _ envelope: DeliveryEnvelope, _ key: String,
        logger: Logger
    ) async throws -> DeliveryResult {
        let started = ContinuousClock.now
        defer { Timer(label: "buzon_smtp_store_write_seconds").recordInterval(since: started) }
        let deadline = started + deliveryRetry
        var pause = Self.firstBackoff
        var attempt = 1
        while true {
            do {
                return try await client.deliver(
                    stream: body.chunks(after: prefix), length: prefix.count + body.size, envelope: envelope, idempotencyKey: key)
            } catch let error as StoreClientError where error.isTemporary && ContinuousClock.now + pause < deadline {
                logger.warning("store write failed, retrying", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                Counter(label: "buzon_smtp_store_retries_total").increment()
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, Self.maxBackoff)
                attempt += 1
            }
        }
    }
}
