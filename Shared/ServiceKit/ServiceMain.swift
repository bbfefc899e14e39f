import Foundation
import Logging
import ServiceLifecycle

/// A service's configuration, read from the environment (each key documented on its type).
public protocol ServiceConfiguration: Sendable {
    init(reader: ConfigReader) throws
    var logLevel: String? { get }
}

/// What every process's `main` does: read the configuration, start logging, run the services
/// until SIGTERM or SIGINT (then shut down gracefully); on a bad configuration or a failure,
/// say why and exit 1.
public enum ServiceMain {
    public static func run<Configuration: ServiceConfiguration>(
        _ name: String, build: @Sendable (Configuration) throws -> [any Service]
    ) async {
        do {
            let configuration = try Configuration(reader: ConfigReader())
            Observability.bootstrapLogging(level: configuration.logLevel)
            let group = ServiceGroup(
                configuration: .init(
                    services: try build(configuration).map { .init(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: Logger(label: name)))
            try await group.run()
        } catch {
            print("\(name): \(error)")
            exit(1)
        }
    }
}
