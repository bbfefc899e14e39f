import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import DNSClient

/// A dnsmasq of our own on a free loopback port, never the system service:
/// `--no-daemon`, no config file, no upstream, only the records a test gives.
final class Dnsmasq: @unchecked Sendable {
    static let path: String? = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let skipMessage: Comment = "dnsmasq is not installed (apt-get install -y dnsmasq)"

    let server: DNSServerConfig
    private let process: Process

    private init(server: DNSServerConfig, process: Process) {
        self.server = server
        self.process = process
    }

    /// Starts dnsmasq with `options` on a free port and waits until it answers.
    static func start(_ options: [String]) async throws -> Dnsmasq {
        guard let path else { throw DNSError(.network, "dnsmasq is not installed") }
        for _ in 0..<5 {
            let port = try await freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments =
                [
                    "--no-daemon", "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--conf-file=/dev/null", "--pid-file=", "--local=/test/",
                ] + options
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let dnsmasq = Dnsmasq(server: DNSServerConfig(host: "127.0.0.1", port: port), process: process)
            let probe = DNSResolver(server: dnsmasq.server, timeout: .milliseconds(200), attempts: 1)
            for _ in 0..<25 where process.isRunning {
                if (try? await probe.query(dns("probe.test"), type: .a)) != nil { return dnsmasq }
            }
            dnsmasq.stop()  // the port was taken after all, or dnsmasq refused an option: try again
        }
        throw DNSError(.network, "dnsmasq did not start")
    }

    /// SIGKILL, not `terminate()`: the child inherits the test runner's blocked signal
    /// mask, so dnsmasq never sees SIGTERM and `waitUntilExit()` would hang.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Runs `body` against a fresh dnsmasq and stops it afterwards, whatever happens.
    static func with<T>(_ options: [String], _ body: (DNSServerConfig) async throws -> T) async throws -> T {
        let dnsmasq = try await start(options)
        defer { dnsmasq.stop() }
        return try await body(dnsmasq.server)
    }

    /// A loopback port nobody holds right now (UDP; dnsmasq also needs TCP, and retries on failure).
    static func freePort() async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
