import NIOCore
import NIOPosix

/// A stub resolver: asks one recursive server (RFC 1034 §5.3.1) for MX, A and AAAA
/// records on behalf of the queue-relay. UDP first, TCP when the answer is truncated
/// (RFC 1035 §4.2.1, RFC 7766 §5); a random ID and a fresh socket per try, and only a
/// response matching ID and question is accepted (RFC 5452 §9). No cache: the
/// recursive server keeps one.
///
/// Errors are `DNSError` (or `CancellationError` when the task is cancelled);
/// `isTemporary` says whether the relay defers or bounces.
public struct DNSResolver: Sendable {
    /// How queries travel. Both fall back to nothing: a TCP failure is a failure.
    public enum Transport: Sendable, Hashable {
        /// UDP, and TCP for an answer with TC set. RFC 1035 §4.2.1
        case udp
        /// TCP only, for networks that drop DNS over UDP. RFC 7766 §5
        case tcp
    }

    public var server: DNSServerConfig
    public var timeout: Duration
    public var attempts: Int
    public var transport: Transport
    public var shuffle: MXResult.Shuffle
    let eventLoopGroup: any EventLoopGroup

    /// - Parameters:
    ///   - timeout: how long each try waits; `attempts` tries are made.
    ///   - shuffle: orders MX hosts of equal preference; random unless a test fixes it.
    public init(
        server: DNSServerConfig, timeout: Duration = DNSDefaults.timeout, attempts: Int = DNSDefaults.attempts,
        transport: Transport = .udp, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        shuffle: @escaping MXResult.Shuffle = MXResult.randomShuffle
    ) {
        self.server = server
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.transport = transport
        self.eventLoopGroup = eventLoopGroup
        self.shuffle = shuffle
    }

    /// The mail exchangers of `domain`. RFC 5321 §5.1: `.hosts` in the order to try,
    /// `.noMX` to fall back to the domain's own addresses, `.nullMX` and `.noSuchDomain`
    /// to fail permanently. Throws for a name that cannot be asked (permanent) and for
    /// timeouts and server failures (temporary).
    public func mx(_ domain: String) async throws -> MXResult {
        let name = try DNSName(domain)
        let response = try await query(name, type: .mx)
        return try MXResult(response: response, domain: name, shuffle: shuffle)
    }

    /// The addresses of `host` as text: IPv4 (A) first, then IPv6 (AAAA), each in the
    /// server's order. `[]` when the host exists but has neither (NODATA).
    ///
    /// NXDOMAIN for A throws a permanent `.noSuchDomain` at once (RFC 8020: nothing
    /// exists at that name). When the two lookups disagree (one failed temporarily, or
    /// answered NXDOMAIN as dnsmasq does for AAAA of an A-only `--address` name), the
    /// addresses found are returned if there are any; the relay can deliver to them.
    public func addresses(_ host: String) async throws -> [String] {
        let name = try DNSName(host)
        var found: [String] = []
        var failure: DNSError?
        for type in [DNSRecordType.a, .aaaa] {
            do {
                let response = try await query(name, type: type)
                if response.header.responseCode == .nxDomain {  // RFC 1035 §4.1.1 Name Error
                    failure = failure ?? DNSError(.noSuchDomain, "\(host): no such domain")
                    if type == .a { break }
                    continue
                }
                found += try response.answerRecords(for: name, type: type).records.compactMap(\.data.addressText)
            } catch let error as DNSError where error.isTemporary {
                failure = failure ?? error
            }
        }
        if found.isEmpty, let failure { throw failure }
        return found
    }

    /// One question, answered: the response with NOERROR or NXDOMAIN. Other RCODEs
    /// throw (`.refused` for REFUSED, `.serverFailure` for the rest); timeouts and
    /// network failures are retried up to `attempts` times, then thrown.
    public func query(_ name: DNSName, type: DNSRecordType) async throws -> DNSMessage {
        let address = try await serverAddress()
        var lastError = DNSError(.timeout, "no answer from \(server)")
        for _ in 0..<attempts {
            // RFC 5452 §9.2: an unpredictable ID, and a new source port (new socket) per try.
            let query = DNSMessage.query(id: UInt16.random(in: .min ... .max), name: name, type: type)
            do {
                var response: DNSMessage
                switch transport {
                case .udp:
                    response = try await exchangeUDP(query, with: address)
                    if response.header.isTruncated {  // RFC 1035 §4.2.1; RFC 7766 §5
                        response = try await exchangeTCP(query, with: address)
                    }
                case .tcp:
                    response = try await exchangeTCP(query, with: address)
                }
                return try Self.checkResponseCode(response, question: query.questions[0])
            } catch let error as DNSError where error.kind == .timeout || error.kind == .network {
                lastError = error
            }
        }
        throw lastError
    }

    /// NOERROR and NXDOMAIN are answers; the rest are failures, all temporary.
    static func checkResponseCode(_ response: DNSMessage, question: DNSQuestion) throws(DNSError) -> DNSMessage {
        switch response.header.responseCode {
        case .noError, .nxDomain:
            return response
        case .refused:
            throw DNSError(.refused, "\(question): REFUSED")
        default:
            throw DNSError(.serverFailure, "\(question): \(response.header.responseCode)")
        }
    }

    /// The server's socket address. An IP literal is used as is; a host name (a compose
    /// service, say) is resolved by the system, off the event loops since it blocks.
    func serverAddress() async throws -> SocketAddress {
        if let address = try? SocketAddress(ipAddress: server.host, port: server.port) { return address }
        let server = server
        do {
            return try await NIOThreadPool.singleton.runIfActive {
                try SocketAddress.makeAddressResolvingHost(server.host, port: server.port)
            }
        } catch {
            throw DNSError(.network, "cannot resolve the DNS server \(server): \(error)")
        }
    }
}
