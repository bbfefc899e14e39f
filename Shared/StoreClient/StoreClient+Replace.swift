import AsyncHTTPClient
import NIOCore
import StoreAPI

/// IMAP REPLACE (RFC 8508): the new message into `target` and message `uid` of `mailbox`
/// expunged, in one store transaction (`replaceMessage`), with APPEND's flags and date.
extension StoreClient {
    public func replace(
        _ raw: [UInt8], account: String, mailbox: Int64, uid: UInt32, target: Int64, flags: [String] = [], internalDate: Double? = nil
    ) async throws -> ReplaceResult {
        try await replace(
            body: .bytes(ByteBuffer(bytes: raw)), account: account, mailbox: mailbox, uid: uid, target: target, flags: flags,
            internalDate: internalDate)
    }

    /// The same with the message streamed from `stream` (exactly `length` bytes), as a big
    /// APPEND's: never in memory whole.
    public func replace(
        stream: some AsyncSequence<ByteBuffer, any Error> & Sendable, length: Int, account: String, mailbox: Int64, uid: UInt32,
        target: Int64, flags: [String] = [], internalDate: Double? = nil
    ) async throws -> ReplaceResult {
        try await replace(
            body: .stream(stream, length: .known(Int64(length))), account: account, mailbox: mailbox, uid: uid, target: target,
            flags: flags, internalDate: internalDate)
    }

    private func replace(
        body: HTTPClientRequest.Body, account: String, mailbox: Int64, uid: UInt32, target: Int64, flags: [String],
        internalDate: Double?
    ) async throws -> ReplaceResult {
        var items = [("target", String(target)), ("flags", flags.joined(separator: " "))]
        if let internalDate { items.append(("internalDate", String(internalDate))) }
        let operation = StoreOperations.replaceMessage
        return try reply(operation, try await exchange(operation, path: (account, mailbox, uid), query: items, body: body).body)
    }
}
