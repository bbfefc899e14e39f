import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import SMTPGateway

/// smtp-gateway: receives mail for our domains (MX) and from our users (submission).
@main
struct SMTPGatewayMain {
    static func main() async {
        do {
            let configuration = try SMTPConfiguration(reader: ConfigReader())
            Observability.bootstrapLogging(level: configuration.logLevel)
            let services = try buildSMTPGateway(configuration: configuration)
            let group = ServiceGroup(configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "smtp-gateway")))
            try await group.run()
        } catch {
            print("smtp-gateway: \(error)")
            exit(1)
        }
    }
}
