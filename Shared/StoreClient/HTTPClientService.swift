import AsyncHTTPClient
import ServiceLifecycle

/// Keeps a process's store connection pool for the life of its `ServiceGroup` and shuts it
/// down last: put it first in the group's services (they stop in reverse order), so that
/// sessions still finishing can reach the store while the listeners drain.
public struct HTTPClientService: Service {
    public let client: HTTPClient

    public init(client: HTTPClient) { self.client = client }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
