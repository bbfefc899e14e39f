import NIOCore
import NIOPosix

/// One query and its response over UDP (RFC 1035 §4.2.1) or TCP (§4.2.2).
extension DNSResolver {
    /// Sends on a fresh connected UDP socket (the kernel drops datagrams from other
    /// sources, and an ICMP port-unreachable fails the read at once) and waits up to
    /// `timeout` for a datagram that is the response to `query`; others are dropped.
    func exchangeUDP(_ query: DNSMessage, with address: SocketAddress) async throws -> DNSMessage {
        let wire = query.encoded()
        let channel = try await mapNetworkErrors("UDP to \(server)") {
            try await DatagramBootstrap(group: eventLoopGroup).connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        }
        return try await mapNetworkErrors("UDP to \(server)") {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: wire)))
                return try await Self.withTimeout(timeout, "no answer from \(server) within \(timeout)") {
                    for try await envelope in inbound {
                        // RFC 5452 §9.1: ignore what does not match ID and question; keep waiting.
                        guard let response = try? DNSMessage(decoding: Array(buffer: envelope.data)),
                            response.isResponse(to: query)
                        else { continue }
                        return response
                    }
                    throw DNSError(.network, "UDP socket to \(server) closed")
                }
            }
        }
    }

    /// Connects over TCP and exchanges one length-prefixed message. RFC 1035 §4.2.2:
    /// "The message is prefixed with a two byte length field which gives the message
    /// length, excluding the two byte length field."
    func exchangeTCP(_ query: DNSMessage, with address: SocketAddress) async throws -> DNSMessage {
        let wire = query.encoded()
        let server = server
        return try await Self.withTimeout(timeout, "no answer from \(server) over TCP within \(timeout)") { [eventLoopGroup] in
            let channel = try await mapNetworkErrors("TCP to \(server)") {
                try await ClientBootstrap(group: eventLoopGroup).connect(to: address) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            }
            return try await mapNetworkErrors("TCP to \(server)") {
                try await channel.executeThenClose { inbound, outbound in
                    var framed = ByteBuffer()
                    framed.writeInteger(UInt16(wire.count))  // RFC 1035 §4.2.2
                    framed.writeBytes(wire)
                    try await outbound.write(framed)
                    var received = ByteBuffer()
                    for try await chunk in inbound {
                        received.writeImmutableBuffer(chunk)
                        guard let length = received.getInteger(at: received.readerIndex, as: UInt16.self),
                            let body = received.getBytes(at: received.readerIndex + 2, length: Int(length))
                        else { continue }
                        let response: DNSMessage
                        do {
                            response = try DNSMessage(decoding: body)
                        } catch {
                            throw DNSError(.malformedResponse, "unreadable TCP answer from \(server): \(error)")
                        }
                        // On TCP nobody else can inject; a mismatch is a broken server.
                        guard response.isResponse(to: query) else {
                            throw DNSError(.malformedResponse, "TCP answer from \(server) does not match the query")
                        }
                        return response
                    }
                    throw DNSError(.network, "\(server) closed the TCP connection without an answer")
                }
            }
        }
    }

    /// Runs `body`, failing with `.timeout` after `timeout`; the loser is cancelled.
    static func withTimeout<T: Sendable>(
        _ timeout: Duration, _ detail: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask(operation: body)
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DNSError(.timeout, detail)
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() else { throw CancellationError() }
            return result
        }
    }
}

/// Socket errors become temporary `.network` failures; our own errors and
/// cancellation pass through.
func mapNetworkErrors<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as DNSError {
        throw error
    } catch let error as CancellationError {
        throw error
    } catch {
        throw DNSError(.network, "\(what): \(error)")
    }
}
