import IMAPProtocol
import NIOCore

/// Where a session's responses go. The connection writes them to the socket; transcript
/// tests collect them.
protocol ResponseSink: Sendable {
    func write(_ bytes: [UInt8]) async throws
}

/// The socket side of a `ResponseSink`.
struct ChannelSink: ResponseSink {
    let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    func write(_ bytes: [UInt8]) async throws {
        try await writer.write(ByteBuffer(bytes: bytes))
    }
}
