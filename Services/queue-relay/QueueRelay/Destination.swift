import DNSClient
import Foundation

/// Where mail for a domain goes (RFC 5321 §5.1): a static route, else the MX hosts by
/// preference, else the domain's own addresses; each host with the IP addresses to dial.
struct Destination: Sendable {
    struct Host: Sendable {
        var name: String
        var port: Int
        /// Addresses to dial; empty means "look up `name` when its turn comes".
        var addresses: [String]
    }

    /// Why there is no destination, as a delivery outcome.
    enum Failure: Error {
        /// Retry later (DNS timeout, SERVFAIL…): RFC 3463 4.4.3.
        case temporary(String)
        /// Give up: no such domain (5.1.2), null MX (RFC 7505 §4.1: 5.1.10), no address.
        case permanent(status: String, String)
    }

    let routes: StaticRoutes
    let resolver: DNSResolver?
    let port: Int

    func hosts(for domain: String) async throws(Failure) -> [Host] {
        if let route = routes.route(for: domain) {
            return [Host(name: route.host, port: route.port, addresses: IPAddress.isLiteral(route.host) ? [route.host] : [])]
        }
        guard let resolver else { throw .temporary("no DNS server configured") }
        do {
            switch try await resolver.mx(domain) {
            case .hosts(let list) where list.isEmpty:
                throw Failure.permanent(status: "5.4.4", "\(domain): MX records present but none usable")
            case .hosts(let list):
                return list.map { Host(name: $0.host, port: port, addresses: []) }
            case .noMX:
                // RFC 5321 §5.1: the domain itself is the implicit MX.
                return [Host(name: domain, port: port, addresses: [])]
            case .nullMX:
                throw Failure.permanent(status: "5.1.10", "\(domain) accepts no mail (null MX, RFC 7505)")
            case .noSuchDomain:
                throw Failure.permanent(status: "5.1.2", "\(domain): no such domain")
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as DNSError {
            throw error.isTemporary ? .temporary("DNS: \(error.detail)") : .permanent(status: "5.1.2", "DNS: \(error.detail)")
        } catch {
            throw .temporary("DNS: \(error)")
        }
    }

    /// The addresses of one host, looked up when they were not known yet.
    func addresses(of host: Host) async throws(Failure) -> [String] {
        if !host.addresses.isEmpty { return host.addresses }
        if IPAddress.isLiteral(host.name) { return [host.name] }
        guard let resolver else { throw .temporary("no DNS server configured") }
        do {
            let found = try await resolver.addresses(host.name)
            if found.isEmpty { throw Failure.permanent(status: "5.4.4", "\(host.name) has no address") }
            return found
        } catch let failure as Failure {
            throw failure
        } catch let error as DNSError {
            throw error.isTemporary ? .temporary("DNS: \(error.detail)") : .permanent(status: "5.4.4", "DNS: \(error.detail)")
        } catch {
            throw .temporary("DNS: \(error)")
        }
    }
}

enum IPAddress {
    static func isLiteral(_ s: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, s, &v4) == 1 || inet_pton(AF_INET6, s, &v6) == 1
    }
}
