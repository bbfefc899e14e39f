import CompressNIO
import NIOCore

/// COMPRESS=DEFLATE's layer (RFC 4978 §3): raw deflate (RFC 1951, no zlib header or
/// checksum) both ways, between TLS and the session once the COMPRESS OK is out.

/// Inflates what the client sends. Corrupt input closes the connection (the client's stream
/// cannot be resynchronized).
final class DeflateDecoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Output is handed on in pieces of at most this size; deflate expands at most ~1,032
    /// times, so one read of the socket (≤ 64 KiB) yields a bounded amount.
    static let chunk = 64 * 1024
    private let inflater: ZlibDecompressor
    private var failed = false

    init() throws {
        inflater = try ZlibDecompressor(algorithm: .deflate)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var input = unwrapInboundIn(data)
        while input.readableBytes > 0 {
            var output = context.channel.allocator.buffer(capacity: Self.chunk)
            var ended = false
            let before = input.readerIndex
            do {
                try inflater.inflate(from: &input, to: &output)
                // Neither output full nor input used up: the client ended its deflate stream
                // (a final block), and nothing more it sends can be read.
                ended = input.readableBytes > 0
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // Output full: hand it on and go round again (no progress at all: stuck).
                ended = input.readerIndex == before && output.readableBytes == 0
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                // The input ends inside a block: wait for more.
                if output.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(output)) }
                return
            } catch {
                fail(context, error)
                return
            }
            if output.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(output)) }
            if ended {
                fail(context, CompressNIOError.corruptData)
                return
            }
        }
    }

    /// A broken deflate stream: the session hears the connection ended, and it is closed.
    private func fail(_ context: ChannelHandlerContext, _ error: any Error) {
        failed = true
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }
}

/// Deflates what the server writes, with a sync flush at each write: every write of the
/// driver is a whole batch of responses, and the client must get them without waiting for
/// more (RFC 4978 §4: flush at the end of each response burst).
final class DeflateEncoder: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let deflater: ZlibCompressor

    init() throws {
        // A smaller window and memory level than zlib's defaults: a server holds one per
        // compressed connection (RFC 4978 §4 discusses the trade-off).
        deflater = try ZlibCompressor(algorithm: .deflate, configuration: .init(windowSize: 15, compressionLevel: 6, memoryLevel: 8))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var input = unwrapOutboundIn(data)
        guard input.readableBytes > 0 else {
            context.write(data, promise: promise)
            return
        }
        var output = context.channel.allocator.buffer(capacity: deflater.maxSize(from: input))
        do {
            try deflater.deflate(from: &input, to: &output, flush: .sync)
        } catch {
            promise?.fail(error)
            context.close(promise: nil)
            return
        }
        context.write(wrapOutboundOut(output), promise: promise)
    }
}
