import DNSClient
import Foundation
import Logging
import SMTPProtocol
import ServiceKit
import StoreAPI

/// Delivers one leased queue entry: recipients grouped by domain, each group to its
/// destination's hosts in order until one decides; an outcome for every recipient.
struct MessageDelivery: Sendable {
    let destination: Destination
    let configuration: RelayConfiguration
    let cache = ConnectionCache()

    func deliver(_ entry: QueueEntry, message: [UInt8], logger: Logger) async -> [RecipientOutcome] {
        let groups = Dictionary(grouping: entry.recipients, by: \.domain)
        var outcomes: [RecipientOutcome] = []
        for domain in groups.keys.sorted() {
            let recipients = groups[domain] ?? []
            outcomes += await deliver(entry, message: message, to: domain, recipients: recipients, logger: logger)
        }
        return outcomes
    }

    private func deliver(
        _ entry: QueueEntry, message: [UInt8], to domain: String, recipients: [QueueRecipient],
        logger: Logger
    ) async -> [RecipientOutcome] {
        let hosts: [Destination.Host]
        do {
            hosts = try await destination.hosts(for: domain)
        } catch {
            return recipients.map { Self.outcome(for: error, address: $0.address) }
        }
        var lastReason = "no destination host"
        var lastFailure: Destination.Failure?
        let verified = configuration.requiresVerifiedTLS(domain)
        let outbound = OutboundMessage(entry: entry, recipients: recipients, content: message)
        for host in hosts {
            let addresses: [String]
            do {
                addresses = try await destination.addresses(of: host)
            } catch {
                lastFailure = error
                continue
            }
            let settings = SMTPClientSession.Settings(
                hostname: configuration.hostname, host: host.name,
                tls: verified ? .requireVerified : .opportunistic, timeouts: configuration.timeouts)
            let tls = SMTPClientTLS(serverName: host.name, verify: verified, caFile: configuration.caFile)
            for address in addresses {
                let key = ConnectionCache.key(address, host.port, verifiedTLS: verified)
                // A session kept from an earlier message first; if it has gone stale, a
                // fresh connection to the same address.
                if let cached = await cache.take(key) {
                    let result = await cached.link.deliver(outbound, content: message)
                    if let result, case .recipients(let outcomes) = result.result {
                        if result.reusable {
                            var kept = cached
                            kept.uses += 1
                            await cache.put(key, kept)
                        } else {
                            ConnectionCache.quit(cached.link)
                        }
                        log(outcomes, entry: entry, host: host.name, logger: logger)
                        return outcomes
                    }
                    ConnectionCache.quit(cached.link)
                }
                let connection: ClientConnection
                do {
                    connection = try await ClientConnection.connect(
                        host: address, port: host.port,
                        timeout: min(configuration.timeout ?? .seconds(30), .seconds(30)))
                } catch {
                    lastReason = "\(host.name) [\(address)]:\(host.port): \(error)"
                    logger.info("connect failed", metadata: ["queue": "\(entry.id)", "host": "\(host.name)", "error": "\(error)"])
                    continue
                }
                let session = SMTPClientSession(settings: settings, message: outbound)
                var sessionLogger = logger
                sessionLogger[metadataKey: "host"] = "\(host.name) [\(address)]:\(host.port)"
                let link = SMTPClientLink.start(session, on: connection, content: message, tls: tls, logger: sessionLogger)
                let result = await link.outcome()
                switch result?.result {
                case .recipients(let outcomes):
                    if result?.reusable == true {
                        await cache.put(key, ConnectionCache.Entry(link: link, idleSince: .now, uses: 1))
                    } else {
                        ConnectionCache.quit(link)
                    }
                    log(outcomes, entry: entry, host: host.name, logger: logger)
                    return outcomes
                case .tryNextHost(let reason):
                    ConnectionCache.quit(link)
                    lastReason = reason
                    logger.info("host failed, trying the next", metadata: ["queue": "\(entry.id)", "reason": "\(reason)"])
                case nil:
                    ConnectionCache.quit(link)
                }
            }
        }
        // Every host failed without deciding: a permanent DNS answer for all of them is
        // permanent; anything else is tried again later (unknown counts as temporary).
        if let lastFailure, case .permanent = lastFailure, lastReason == "no destination host" {
            return recipients.map { Self.outcome(for: lastFailure, address: $0.address) }
        }
        return recipients.map { RecipientOutcome(address: $0.address, outcome: .deferred, status: "4.4.1", diagnostic: lastReason) }
    }

    private func log(_ outcomes: [RecipientOutcome], entry: QueueEntry, host: String, logger: Logger) {
        for o in outcomes {
            logger.info(
                "attempt",
                metadata: [
                    "queue": "\(entry.id)", "rcpt": "\(o.address)", "outcome": "\(o.outcome.rawValue)",
                    "status": "\(o.status)", "reply": "\(o.diagnostic ?? "")", "host": "\(host)",
                ])
        }
    }

    static func outcome(for failure: Destination.Failure, address: String) -> RecipientOutcome {
        switch failure {
        case .temporary(let reason):
            return RecipientOutcome(address: address, outcome: .deferred, status: "4.4.3", diagnostic: reason)
        case .permanent(let status, let reason):
            return RecipientOutcome(address: address, outcome: .failed, status: status, diagnostic: reason)
        }
    }
}
