/// Where a driver's writes go: the channel (`ChannelOutput`), or a recorder in tests.
public protocol DriverOutput: AnyObject, Sendable {
    /// Queues bytes for the peer.
    func write(_ bytes: [UInt8])
    /// Sends what was queued; waits while the connection's send buffer is full (backpressure:
    /// a peer that reads nothing stops us reading its commands too). Throws once the
    /// connection is closed.
    func flush() async throws
    /// Flushes, installs TLS in front of everything, and marks where the plaintext ends in the
    /// input (`DriverEvent.tlsBoundary`), all in one event-loop turn.
    func startTLS() async throws
    /// Flushes and closes; a peer that does not take the last bytes is cut off after a grace.
    func close() async
}
