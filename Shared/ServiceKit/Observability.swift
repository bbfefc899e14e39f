import Logging
import Metrics
import Prometheus
import Synchronization

/// Logging and metrics start-up that every process shares.
public enum Observability {
    private static let registryOnce = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Logs go to standard error, one line an event, at `BUZON_LOG_LEVEL` (default `info`).
    public static func bootstrapLogging(level: String?) {
        let logLevel = level.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
    }

    /// The process's Prometheus registry, made and installed as the swift-metrics backend on
    /// first use. Tests that build several services in one process share it.
    public static var registry: PrometheusCollectorRegistry {
        registryOnce.withLock { current in
            if let current { return current }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            current = registry
            return registry
        }
    }

    /// The Prometheus text exposition of every metric recorded so far.
    public static func prometheusText() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

extension Timer {
    /// Records the time elapsed since `start` (a `ContinuousClock` instant, as every service
    /// measures durations).
    public func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
