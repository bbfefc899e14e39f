import Foundation
import IMAPGateway
import Logging
import ServiceKit
import ServiceLifecycle

/// imap-gateway: IMAP4rev1/IMAP4rev2 access to every mailbox of every account.
@main
struct IMAPGatewayMain {
    static func main() async {
        do {
            let configuration = try IMAPConfiguration(reader: ConfigReader())
            Observability.bootstrapLogging(level: configuration.logLevel)
            let services = try buildIMAPGateway(configuration: configuration)
            let group = ServiceGroup(configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "imap-gateway")))
            try await group.run()
        } catch {
            print("imap-gateway: \(error)")
            exit(1)
        }
    }
}
