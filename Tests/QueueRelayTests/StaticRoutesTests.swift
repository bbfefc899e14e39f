import Testing

@testable import QueueRelay

@Suite("Static routes (BUZON_RELAY_ROUTES)")
struct StaticRoutesTests {
    @Test("domains, wildcards and ports")
    func parse() throws {
        let routes = try #require(StaticRoutes("other.test=127.0.0.1:2626, *.corp.test=mx.corp.test:25,*=[::1]:2500"))
        #expect(routes.route(for: "other.test") == .init(pattern: "other.test", host: "127.0.0.1", port: 2626))
        #expect(routes.route(for: "OTHER.TEST")?.port == 2626)
        #expect(routes.route(for: "a.corp.test")?.host == "mx.corp.test")
        #expect(routes.route(for: "corp.test")?.host == "::1", "*.corp.test is only the subdomains; * takes the rest")
        #expect(routes.route(for: "anything.example")?.port == 2500)
        #expect(StaticRoutes("plain.test=smarthost.test")?.route(for: "plain.test")?.port == 25)
    }

    @Test("bad routes are refused", arguments: ["nohost", "=1.2.3.4:25", "a.test=", "a.test=host:0", "a.test=host:99999", "a.test=host:x"])
    func invalid(_ text: String) {
        #expect(StaticRoutes(text) == nil)
    }

    @Test("a route that names an address needs no DNS; one that names a host is looked up later")
    func destination() async throws {
        let destination = Destination(
            routes: try #require(StaticRoutes("a.test=127.0.0.1:2626,b.test=mx.b.test:25")), resolver: nil, port: 25)
        let a = try await destination.hosts(for: "a.test")
        #expect(a.map(\.addresses) == [["127.0.0.1"]] && a.map(\.port) == [2626])
        let b = try await destination.hosts(for: "b.test")
        #expect(b.map(\.name) == ["mx.b.test"] && b[0].addresses.isEmpty)
        // Without a DNS server an unrouted domain is a temporary failure, never a bounce.
        do {
            _ = try await destination.hosts(for: "c.test")
            Issue.record("expected a failure")
        } catch {
            guard case .temporary = error else { Issue.record("expected temporary, got \(error)"); return }
        }
    }
}
