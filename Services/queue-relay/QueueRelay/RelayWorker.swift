import Foundation
import Logging
import Metrics
import ServiceKit
import ServiceLifecycle
import StoreAPI
import StoreClient
import Synchronization

/// The queue-relay's loop: lease due entries, deliver them (up to `concurrency` at once),
/// renew their leases while working, and report each outcome; the store then notifies the
/// sender and removes what is done. A worker that dies simply stops renewing: its leases
/// expire and another worker takes the entries (delivered twice at worst, never lost).
public struct RelayWorker: Service, Sendable {
    let configuration: RelayConfiguration
    let store: StoreClient
    let delivery: MessageDelivery
    let logger: Logger

    public func run() async throws {
        logger.info("relay worker started", metadata: ["worker": "\(configuration.workerID)"])
        let inFlight = InFlightCount()
        // A finished delivery frees a slot; the loop waits for that, not for the next poll,
        // when all slots are busy.
        let (freed, slotFreed) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                var slots = freed.makeAsyncIterator()
                while !Task.isCancelled {
                    let room = configuration.concurrency - inFlight.value
                    guard room > 0 else {
                        _ = await slots.next()
                        continue
                    }
                    var leased: [QueueEntry] = []
                    do {
                        leased = try await store.leaseQueue(worker: configuration.workerID, limit: room, ttl: configuration.leaseTTL)
                    } catch {
                        if !Task.isCancelled { logger.warning("cannot lease from the store", metadata: ["error": "\(error)"]) }
                    }
                    for entry in leased {
                        inFlight.add(1)
                        group.addTask {
                            await self.work(on: entry)
                            inFlight.add(-1)
                            slotFreed.yield()
                        }
                    }
                    if leased.isEmpty { try? await Task.sleep(for: configuration.poll) }
                }
            }
        }
        slotFreed.finish()
    }

    /// One entry: read it, deliver it with the lease kept alive, report.
    func work(on entry: QueueEntry) async {
        let started = ContinuousClock.now
        let renewal = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(max(1, configuration.leaseTTL / 3)))
                if Task.isCancelled { break }
                _ = try? await store.renewQueueLease(entry.id, worker: configuration.workerID, ttl: configuration.leaseTTL)
            }
        }
        defer { renewal.cancel() }
        let message: [UInt8]
        do {
            message = try await store.queueMessage(entry.id)
        } catch {
            logger.warning("cannot read a queued message", metadata: ["queue": "\(entry.id)", "error": "\(error)"])
            return  // the lease expires and the entry is tried again
        }
        var outcomes = await delivery.deliver(entry, message: message, logger: logger)
        let now = Date().timeIntervalSince1970
        // Out of attempts: what is still deferred fails now (RFC 5321 §4.5.4.1), with its
        // last reason; RFC 3463 4.4.7 "delivery time expired" when there was none.
        if entry.attempts + 1 >= configuration.maxAttempts {
            outcomes = outcomes.map { o in
                guard o.outcome == .deferred else { return o }
                return RecipientOutcome(
                    address: o.address, outcome: .failed, status: o.status.hasPrefix("4.") ? o.status : "4.4.7",
                    diagnostic: "gave up after \(entry.attempts + 1) attempts; last: \(o.diagnostic ?? "unknown")",
                    remoteMTA: o.remoteMTA)
            }
        }
        let warn = configuration.delayWarning > 0 && entry.delayWarned != true && now - entry.createdAt >= configuration.delayWarning
        let report = DeliveryReport(
            worker: configuration.workerID, recipients: outcomes,
            retryAt: now + configuration.retryInterval, delayWarning: warn ? true : nil)
        for o in outcomes {
            Counter(label: "buzon_relay_outcomes_total", dimensions: [("outcome", o.outcome.rawValue)]).increment()
        }
        do {
            let result = try await store.reportQueue(entry.id, report)
            logger.info(
                "reported", metadata: ["queue": "\(entry.id)", "removed": "\(result.removed)", "notices": "\(result.notifications)"])
        } catch {
            logger.warning("cannot report", metadata: ["queue": "\(entry.id)", "error": "\(error)"])
        }
        Timer(label: "buzon_relay_attempt_seconds").recordInterval(since: started)
    }
}

/// How many entries this worker is delivering right now.
final class InFlightCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add(_ n: Int) { count.add(n, ordering: .relaxed) }
}
