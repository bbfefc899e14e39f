import IMAPProtocol

/// Where a session's responses go. The connection writes them to the socket; transcript
/// tests collect them.
protocol ResponseSink: Sendable {
    func write(_ bytes: [UInt8]) async throws
}
