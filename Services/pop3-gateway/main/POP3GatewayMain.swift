import Foundation
import Logging
import POP3Gateway
import ServiceKit
import ServiceLifecycle

/// pop3-gateway: POP3 access to each user's INBOX.
@main
struct POP3GatewayMain {
    static func main() async {
        do {
            let configuration = try POP3Configuration(reader: ConfigReader())
            Observability.bootstrapLogging(level: configuration.logLevel)
            let services = try buildPOP3Gateway(configuration: configuration)
            let group = ServiceGroup(configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "pop3-gateway")))
            try await group.run()
        } catch {
            print("pop3-gateway: \(error)")
            exit(1)
        }
    }
}
