import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Holds the body of the message a connection is receiving (an SMTP DATA, an IMAP APPEND
/// literal): in memory up to `memoryLimit`, then in an unlinked temporary file, so a
/// connection never holds more than that much of a big message in memory (the file vanishes
/// with the process, nothing to clean up).
public final class MessageSpool {
    /// Small messages, most of them, never touch the disk.
    public static let memoryLimit = 256 * 1024
    public static let readChunk = 64 * 1024

    private var memory: [UInt8] = []
    private var fd: Int32 = -1
    public private(set) var size = 0
    private let directory: String

    public init(directory: String = NSTemporaryDirectory()) {
        self.directory = directory
    }

    deinit { closeFile() }

    public func reset() {
        memory = []
        closeFile()
        size = 0
    }

    public func append(_ bytes: some Collection<UInt8>) throws {
        if fd < 0 && memory.count + bytes.count <= Self.memoryLimit {
            memory.append(contentsOf: bytes)
        } else {
            if fd < 0 {
                try openFile()
                try write(memory)
                memory = []
            }
            try write(Array(bytes))
        }
        size += bytes.count
    }

    /// What has been received, readable from another task while the spool is left alone
    /// (the connection does not touch it until the delivery's answer is back).
    public func contents() -> SpoolContents {
        SpoolContents(memory: memory, fd: fd, size: size)
    }

    private func openFile() throws {
        var template =
            Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast()) + Array("buzon-spool-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw SpoolError.cannotCreate(errno) }
        // Unlinked at once: the data lives as long as the descriptor.
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        fd = descriptor
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw SpoolError.cannotWrite(errno) }
            offset += n
        }
    }

    private func closeFile() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    public enum SpoolError: Error {
        case cannotCreate(Int32)
        case cannotWrite(Int32)
        case cannotRead(Int32)
    }
}

/// A read-only view of a spool: memory, or a file read with `pread` (safe from any thread).
public struct SpoolContents: Sendable {
    let memory: [UInt8]
    let fd: Int32
    public let size: Int

    /// `prefix`, then the body as buffers of at most `MessageSpool.readChunk` bytes, read on
    /// demand; each iteration starts from the beginning, so a retried request re-reads it.
    public func chunks(after prefix: [UInt8] = []) -> SpoolChunks {
        SpoolChunks(prefix: prefix, contents: self)
    }
}

public struct SpoolChunks: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let prefix: [UInt8]
    let contents: SpoolContents

    public struct AsyncIterator: AsyncIteratorProtocol {
        let prefix: [UInt8]
        let contents: SpoolContents
        var sentPrefix = false
        var offset = 0

        public mutating func next() async throws -> ByteBuffer? {
            if !sentPrefix {
                sentPrefix = true
                if !prefix.isEmpty { return ByteBuffer(bytes: prefix) }
            }
            guard offset < contents.size else { return nil }
            let want = Swift.min(MessageSpool.readChunk, contents.size - offset)
            if contents.fd < 0 {
                defer { offset += want }
                return ByteBuffer(bytes: contents.memory[offset..<(offset + want)])
            }
            var buffer = ByteBuffer()
            let start = offset
            let fd = contents.fd
            let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { pointer in
                Swift.max(0, pread(fd, pointer.baseAddress, want, off_t(start)))
            }
            guard n > 0 else { throw MessageSpool.SpoolError.cannotRead(errno) }
            offset += n
            return buffer
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(prefix: prefix, contents: contents) }
}
