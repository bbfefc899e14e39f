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
/// sender and removes what is done. Leases are short and renewed (30 s, every 10 s): a worker
/// that dies simply stops renewing, and within the lease another worker takes its entries
/// (delivered twice at worst, never lost). One that stops cleanly gives them back at once.
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

    /// One entry: read it, deliver it with the lease kept alive, report. An entry this worker
    /// gives up on before trying (shutting down, the message unreadable) is released at once
    /// rather than left to its lease.
    func work(on entry: QueueEntry) async {
        let started = ContinuousClock.now
        let renewal = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.leaseRenewal)
                if Task.isCancelled { break }
                _ = try? await store.renewQueueLease(entry.id, worker: configuration.workerID, ttl: configuration.leaseTTL)
            }
        }
        defer { renewal.cancel() }
        guard !Task.isCancelled else {
            await release(entry)
            return
        }
        let message: [UInt8]
        do {
            message = try await store.queueMessage(entry.id)
        } catch {
            logger.warning("cannot read a queued message", metadata: ["queue": "\(entry.id)", "error": "\(error)"])
            await release(entry)
            return
        }
        var outcomes = await delivery.deliver(entry, message: message, logger: logger)
        if Task.isCancelled && outcomes.allSatisfy({ $0.outcome == .deferred }) {
            // Cut short by a shutdown with nothing decided: another worker may try at once,
            // rather than the entry waiting out the retry interval.
            await release(entry)
            return
        }
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
        // The outcome of a real attempt must land even when the worker is shutting down: in a
        // task of its own, which the shutdown does not cancel.
        await Task { await self.send(report, for: entry) }.value
        Timer(label: "buzon_relay_attempt_seconds").recordInterval(since: started)
    }

    /// Reports, retrying what failed for a temporary reason (the store restarting) with
    /// backoff for up to `reportRetry`, while the lease is still being renewed. A report that
    /// never lands leaves the entry to its lease: tried again, delivered twice at worst.
    func send(_ report: DeliveryReport, for entry: QueueEntry) async {
        let deadline = ContinuousClock.now + configuration.reportRetry
        var pause = Self.firstBackoff
        var failedBefore = false
        while true {
            do {
                let result = try await store.reportQueue(entry.id, report)
                logger.info(
                    "reported", metadata: ["queue": "\(entry.id)", "removed": "\(result.removed)", "notices": "\(result.notifications)"])
                return
            } catch let error as StoreClientError where error.isTemporary && ContinuousClock.now + pause < deadline {
                logger.warning("cannot report, retrying", metadata: ["queue": "\(entry.id)", "error": "\(error)"])
                failedBefore = true
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, Self.maxBackoff)
            } catch let error as StoreClientError
                where failedBefore && (error.code == APIErrorCode.leaseLost || error.code == APIErrorCode.queueEntryNotFound)
            {
                // An earlier attempt most likely landed and only its answer was lost: the
                // lease ended with it (or the entry was done and removed).
                logger.info("reported (an earlier attempt landed)", metadata: ["queue": "\(entry.id)", "answer": "\(error)"])
                return
            } catch {
                logger.warning("cannot report", metadata: ["queue": "\(entry.id)", "error": "\(error)"])
                return
            }
        }
    }

    /// Gives the entry back untried (best effort, not cancelled by a shutdown).
    func release(_ entry: QueueEntry) async {
        let released = await Task { () -> Bool in
            do {
                try await store.releaseQueueLease(entry.id, worker: configuration.workerID)
                return true
            } catch {
                logger.info("cannot release a lease", metadata: ["queue": "\(entry.id)", "error": "\(error)"])
                return false
            }
        }.value
        if released { logger.info("released", metadata: ["queue": "\(entry.id)"]) }
    }

    /// The first pause between report attempts; it doubles up to `maxBackoff`.
    static let firstBackoff: Duration = .milliseconds(200)
    static let maxBackoff: Duration = .seconds(2)
}

/// How many entries this worker is delivering right now.
final class InFlightCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add(_ n: Int) { count.add(n, ordering: .relaxed) }
}
