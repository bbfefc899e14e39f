import CompressNIO
import NIOCore
import NIOEmbedded
import Testing

@testable import IMAPGateway

/// COMPRESS=DEFLATE's channel handlers on an embedded channel: raw deflate both ways, a sync
/// flush at every write, and a broken stream closing the connection. RFC 4978 §3–§4.
@Suite("DEFLATE layer")
struct DeflateLayerTests {
    func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([DeflateDecoder(), DeflateEncoder()])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1143)).wait()
        #expect(channel.isActive)
        return channel
    }

    /// What a client's compressor sends for `text`, sync-flushed.
    func deflated(_ text: [UInt8], with compressor: ZlibCompressor) throws -> ByteBuffer {
        var input = ByteBuffer(bytes: text)
        var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
        try compressor.deflate(from: &input, to: &output, flush: .sync)
        return output
    }

    func inflated(_ buffer: ByteBuffer, with decompressor: ZlibDecompressor) throws -> [UInt8] {
        var input = buffer
        var out: [UInt8] = []
        while input.readableBytes > 0 {
            var output = ByteBufferAllocator().buffer(capacity: 64 * 1024)
            do { try decompressor.inflate(from: &input, to: &output) } catch let error as CompressNIOError where error == .bufferOverflow {}
            out += output.readableBytesView
        }
        return out
    }

    @Test func inboundIsInflatedAcrossReads() throws {
        let channel = try channel()
        let client = try ZlibCompressor(algorithm: .deflate)
        let commands = Array("a1 NOOP\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 200_000) + Array("\r\n".utf8)
        var wire = try deflated(commands, with: client)
        // Fed in small pieces, as TCP may cut it.
        var received: [UInt8] = []
        while wire.readableBytes > 0 {
            let piece = wire.readSlice(length: min(7, wire.readableBytes))!
            try channel.writeInbound(piece)
            while let out = try channel.readInbound(as: ByteBuffer.self) { received += out.readableBytesView }
        }
        #expect(received == commands)
        #expect(channel.isActive)
    }

    @Test func everyWriteArrivesWhole() throws {
        let channel = try channel()
        let client = try ZlibDecompressor(algorithm: .deflate)
        for response in ["* OK still here\r\n", "a1 OK NOOP completed\r\n", String(repeating: "* 1 FETCH (FLAGS ())\r\n", count: 5000)] {
            try channel.writeOutbound(ByteBuffer(string: response))
            var wire = ByteBuffer()
            while var out = try channel.readOutbound(as: ByteBuffer.self) { wire.writeBuffer(&out) }
            // The sync flush: the client inflates all of it now, with nothing more to come.
            #expect(try inflated(wire, with: client) == Array(response.utf8))
        }
    }

    @Test func garbageClosesTheConnection() throws {
        let channel = try channel()
        #expect(throws: (any Error).self) { try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])) }
        #expect(!channel.isActive)
    }

    @Test func inputAfterTheFinalBlockClosesTheConnection() throws {
        let channel = try channel()
        let client = try ZlibCompressor(algorithm: .deflate)
        var input = ByteBuffer(string: "a1 NOOP\r\n")
        var wire = ByteBufferAllocator().buffer(capacity: client.maxSize(from: input) + 64)
        try client.deflate(from: &input, to: &wire, flush: .finish)
        wire.writeString("a2 NOOP\r\n")
        #expect(throws: (any Error).self) { try channel.writeInbound(wire) }
        #expect(try channel.readInbound(as: ByteBuffer.self).map { String(buffer: $0) } == "a1 NOOP\r\n")
        #expect(!channel.isActive)
    }
}
