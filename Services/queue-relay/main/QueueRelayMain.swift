import Foundation
import Logging
import QueueRelay
import ServiceKit
import ServiceLifecycle

/// queue-relay: delivers queued mail to other servers, retries, and has the store tell
/// senders what happened.
@main
struct QueueRelayMain {
    static func main() async {
        do {
            let configuration = try RelayConfiguration(reader: ConfigReader())
            Observability.bootstrapLogging(level: configuration.logLevel)
            let services = try buildQueueRelay(configuration: configuration)
            let group = ServiceGroup(configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "queue-relay")))
            try await group.run()
        } catch {
            print("queue-relay: \(error)")
            exit(1)
        }
    }
}
