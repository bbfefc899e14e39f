import NIOCore
import NIOPosix
import Testing

@testable import DNSClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A dnsmasq of our own on a free loopback port, never the system service:
/// `--no-daemon`, no config file, no upstream, only the records a test gives.
///
/// Spawned with posix_spawn rather than Foundation's `Process`: the test runner's
/// threads block signals, a child inherits that mask (dnsmasq then never sees
/// SIGTERM), and `waitUntilExit()` spins a run loop on a cooperative thread. Here the
/// child gets an empty mask and default handlers, and is reaped with `waitpid`.
final class Dnsmasq: Sendable {
    static let path: String? = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"].first { access($0, X_OK) == 0 }
    static let skipMessage: Comment = "dnsmasq is not installed (apt-get install -y dnsmasq)"

    let server: DNSServerConfig
    private let pid: pid_t

    private init(server: DNSServerConfig, pid: pid_t) {
        self.server = server
        self.pid = pid
    }

    /// Starts dnsmasq with `options` on a free port and waits until it answers.
    static func start(_ options: [String]) async throws -> Dnsmasq {
        guard let path else { throw DNSError(.network, "dnsmasq is not installed") }
        for _ in 0..<5 {
            let port = try await freePort()
            let arguments =
                [
                    path, "--no-daemon", "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv",
                    "--no-hosts", "--conf-file=/dev/null", "--pid-file=", "--local=/test/",
                ] + options
            let dnsmasq = Dnsmasq(server: DNSServerConfig(host: "127.0.0.1", port: port), pid: try spawn(path, arguments))
            let probe = DNSResolver(server: dnsmasq.server, timeout: .milliseconds(200), attempts: 1)
            // Until it answers: a refused probe (not listening yet) fails at once, so pace them.
            let deadline = ContinuousClock.now + .seconds(5)
            while dnsmasq.isRunning, ContinuousClock.now < deadline {
                if (try? await probe.query(dns("probe.test"), type: .a)) != nil { return dnsmasq }
                try await Task.sleep(for: .milliseconds(20))
            }
            dnsmasq.stop()  // the port was taken after all, or dnsmasq refused an option: try again
        }
        throw DNSError(.network, "dnsmasq did not start")
    }

    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    }

    /// Runs `body` against a fresh dnsmasq and stops it afterwards, whatever happens.
    static func with<T>(_ options: [String], _ body: (DNSServerConfig) async throws -> T) async throws -> T {
        let dnsmasq = try await start(options)
        defer { dnsmasq.stop() }
        return try await body(dnsmasq.server)
    }

    /// A loopback port nobody holds right now (UDP; dnsmasq also needs TCP, and we retry on failure).
    static func freePort() async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// posix_spawn with stdout and stderr to /dev/null, an empty signal mask and default handlers.
    private static func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw DNSError(.network, "posix_spawn \(path): \(result)") }
        return pid
    }
}
