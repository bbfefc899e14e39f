import Foundation
import NIOCore
import StoreAPI

extension StoreClient {
    /// One page of a batch read (`POST …/messages/batch`): the messages of `request.uids`
    /// above `request.after` in UID order, with their parses and bytes as asked, and the UID
    /// to continue after when more follow. The frames are cut out of the buffer the answer
    /// arrived in, one copy per message.
    public func messageBatch(_ account: String, mailbox: Int64, _ request: MessageBatchRequest) async throws
        -> (items: [MessageBatchItem], nextAfter: UInt32?)
    {
        let body = ByteBuffer(bytes: try JSONEncoder().encode(request))
        let (headers, buffer) = try await exchange(StoreOperations.readMessageBatch, path: (account, mailbox), body: .bytes(body))
        guard let items = buffer.withUnsafeReadableBytes({ MessageBatchFrames.decode($0) }) else {
            throw StoreClientError.invalidResponse("message batch frames")
        }
        return (items, headers.first(name: MessageBatchFrames.nextAfterHeader).flatMap { UInt32($0) })
    }
}
