import AsyncHTTPClient
import Foundation
import NIOCore
import StoreAPI
import StoreClient

/// store-bench: deliveries per second into a running mailbox-store over the internal API,
/// from N concurrent clients, with p50/p99 latency. Every delivery is durable (the store
/// answers after its fsync'd commit) and carries an idempotency key, as a gateway's would.
///
/// Usage: store-bench URL TOKEN RECIPIENT SIZE_BYTES COUNT CONCURRENCY
@main
struct StoreBench {
    static func main() async throws {
        let args = CommandLine.arguments
        guard args.count == 7, let size = Int(args[4]), let count = Int(args[5]), let concurrency = Int(args[6]) else {
            print("usage: store-bench URL TOKEN RECIPIENT SIZE_BYTES COUNT CONCURRENCY")
            exit(2)
        }
        let client = StoreClient(baseURL: args[1], token: args[2])
        let recipient = args[3]
        let run = UUID().uuidString.prefix(8)
        let body = message(size: size)
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var mine: [Duration] = []
                    var n = worker
                    while n < count {
                        let t0 = ContinuousClock.now
                        let result = try await client.deliver(body, to: [recipient], idempotencyKey: "bench-\(run)-\(n)")
                        guard result.recipients.first?.status == .delivered else { throw BenchError.notDelivered }
                        mine.append(ContinuousClock.now - t0)
                        n += concurrency
                    }
                    return mine
                }
            }
            var all: [Duration] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        print(
            String(
                format: "size=%d count=%d concurrency=%d seconds=%.2f rate=%.1f/s p50=%.2fms p99=%.2fms",
                size, count, concurrency, seconds, Double(count) / seconds, ms(p50), ms(p99)))
    }

    enum BenchError: Error { case notDelivered }

    static func message(size: Int) -> [UInt8] {
        var text = "From: bench@remote.test\r\nTo: bench@example.test\r\nSubject: benchmark\r\nMessage-ID: <bench@remote.test>\r\n\r\n"
        let line = String(repeating: "x", count: 76) + "\r\n"
        while text.utf8.count + line.utf8.count <= size { text += line }
        return Array(text.utf8)
    }
}
