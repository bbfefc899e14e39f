import Foundation
import Hummingbird
import StoreAPI

/// `POST …/mailboxes/{id}/messages/append`: IMAP MULTIAPPEND (RFC 3502), several messages
/// stored in one transaction, all or none. The body is the messages one after another; the
/// query says where each ends and gives each its flags and internal date (`AppendBatch`).
extension StoreContext {
    /// The messages of a batch request, each checked and parsed. The whole body is held to the
    /// size of one message: a batch is as big as the biggest message the store takes.
    func appendBatch(_ request: Request, context: StoreRequestContext) async throws -> [AppendedMessage] {
        let parameters = request.uri.queryParameters
        // Each within the message limit, so their sum cannot overflow (a crash of the store).
        let sizes = try Self.list(parameters.get("sizes") ?? "", "sizes") {
            Int($0).flatMap { $0 > 0 && $0 <= maxMessageSize ? $0 : nil }
        }
        guard !sizes.isEmpty, sizes.count <= AppendBatch.maxMessages else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "sizes lists 1 to \(AppendBatch.maxMessages) positive sizes")
        }
        let flags = parameters.getAll("messageFlags")
        guard flags.isEmpty || flags.count == sizes.count else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "messageFlags is given once per message or not at all")
        }
        let dates: [Double?] =
            try parameters.get("internalDates").map { text in
                try text.split(separator: ",", omittingEmptySubsequences: false).map { item -> Double? in
                    guard !item.isEmpty else { return nil }
                    guard let d = Double(item), d >= 0, d < 32_503_680_000 else {
                        throw StoreError.badRequest(APIErrorCode.badRequest, "internalDates are seconds since 1970")
                    }
                    return d
                }
            } ?? Array(repeating: nil, count: sizes.count)
        guard dates.count == sizes.count else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "internalDates has one entry per message")
        }
        let total = sizes.reduce(0, +)
        guard total <= maxMessageSize else {
            throw StoreError(.contentTooLarge, APIErrorCode.tooLarge, "the batch is larger than \(maxMessageSize) bytes")
        }
        let body = try await messageBody(request)
        guard body.count == total else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "the body is not as long as sizes say")
        }
        return try await Self.offTheLoop {
            var messages: [AppendedMessage] = []
            var start = 0
            for (index, size) in sizes.enumerated() {
                let raw = Array(body[start..<(start + size)])
                start += size
                let messageFlags = flags.isEmpty ? [] : flags[index].split(separator: " ").map(String.init)
                messages.append(AppendedMessage(message: try incomingMessage(raw), flags: messageFlags, internalDate: dates[index]))
            }
            return messages
        }
    }

    private static func list<T>(_ text: String, _ name: String, _ item: (Substring) -> T?) throws -> [T] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map {
            guard let value = item($0) else { throw StoreError.badRequest(APIErrorCode.badRequest, "\(name) is not a list of numbers") }
            return value
        }
    }
}
