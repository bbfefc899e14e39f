import DNSClient
import Foundation
import Logging
import SMTPProtocol
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

    private func deliver(_ entry: QueueEntry, message: [UInt8], to domain: String, recipients: [QueueRecipient],
                         logger: Logger) async -> [RecipientOutcome] {
        let hosts: [Destination.Host]
        do {
            hosts = try await destination.hosts(for: domain)
        } catch {
            return recipients.map { Self.outcome(for: error, address: $0.address) }
        }
        var lastReason = "no destination host"
        var lastFailure: Destination.Failure?
        let settings = OutboundSession.Settings(hostname: configuration.hostname, timeout: configuration.timeout,
                                                requireVerifiedTLS: configuration.requiresVerifiedTLS(domain), caFile: configuration.caFile)
        for host in hosts {
            let addresses: [String]
            do {
                addresses = try await destination.addresses(of: host)
            } catch {
                lastFailure = error
                continue
            }
            for address in addresses {
                let key = ConnectionCache.key(address, host.port)
                // A session kept from an earlier message first; if it has gone stale, a
                // fresh connection to the same address.
                if let cached = await cache.take(key) {
                    let session = OutboundSession(settings: settings, host: host.name, connection: cached.connection)
                    let result = await session.deliver(entry: entry, recipients: recipients, message: message,
                                                       capabilities: cached.capabilities)
                    if case .outcomes(let outcomes) = result {
                        var kept = cached
                        kept.uses += 1
                        await cache.put(key, kept)
                        log(outcomes, entry: entry, host: host.name, logger: logger)
                        return outcomes
                    }
                    cached.connection.close()
                }
                let connection: SMTPClientConnection
                do {
                    connection = try await SMTPClientConnection.connect(host: address, port: host.port, timeout: min(configuration.timeout, .seconds(30)))
                } catch {
                    lastReason = "\(host.name) [\(address)]:\(host.port): \(error)"
                    logger.info("connect failed", metadata: ["queue": "\(entry.id)", "host": "\(host.name)", "error": "\(error)"])
                    continue
                }
                let session = OutboundSession(settings: settings, host: host.name, connection: connection)
                let result: OutboundSession.Result
                var capabilities: EHLOResponse?
                switch await session.open() {
                case .ready(let found):
                    capabilities = found
                    result = await session.deliver(entry: entry, recipients: recipients, message: message, capabilities: found)
                case .tryNextHost(let reason):
                    result = .tryNextHost(reason: reason)
                }
                switch result {
                case .outcomes(let outcomes):
                    await cache.put(key, ConnectionCache.Entry(connection: connection, capabilities: capabilities, idleSince: .now, uses: 1))
                    log(outcomes, entry: entry, host: host.name, logger: logger)
                    return outcomes
                case .tryNextHost(let reason):
                    connection.close()
                    lastReason = reason
                    logger.info("host failed, trying the next", metadata: ["queue": "\(entry.id)", "reason": "\(reason)"])
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
            logger.info("attempt", metadata: ["queue": "\(entry.id)", "rcpt": "\(o.address)", "outcome": "\(o.outcome.rawValue)",
                                              "status": "\(o.status)", "reply": "\(o.diagnostic ?? "")", "host": "\(host)"])
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
