import NIOCore
import NIOPosix
import Synchronization

@testable import DNSClient

/// A UDP server in the test process that answers each query with whatever datagrams
/// `reply` returns (none: a black hole), and records the queries it saw.
final class FakeDNSServer: Sendable {
    let server: DNSServerConfig
    private let channel: any Channel
    private let received = Received()

    /// The queries that arrived, in order.
    var queries: [DNSMessage] { received.messages.withLock { $0 } }

    private final class Received: Sendable {
        let messages = Mutex<[DNSMessage]>([])
    }

    init(reply: @escaping @Sendable (DNSMessage) -> [[UInt8]]) async throws {
        let received = received
        channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        Handler { query in
                            received.messages.withLock { $0.append(query) }
                            return reply(query)
                        })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server = DNSServerConfig(host: "127.0.0.1", port: channel.localAddress?.port ?? 0)
    }

    func stop() async { try? await channel.close() }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let reply: (DNSMessage) -> [[UInt8]]
        init(reply: @escaping (DNSMessage) -> [[UInt8]]) { self.reply = reply }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let query = try? DNSMessage(decoding: Array(buffer: envelope.data)) else { return }
            for bytes in reply(query) {
                let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: bytes))
                context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            }
        }
    }
}
