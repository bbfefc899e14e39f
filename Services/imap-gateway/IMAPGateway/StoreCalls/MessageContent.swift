import Foundation
import InternetMessage
import StoreClient

/// The stored parse and bytes of one message, read from the store as a FETCH or SEARCH needs
/// them: the header alone when that is all it asks for, otherwise the whole message.
struct MessageContent: Sendable {
    var parse: ParsedMessage?
    /// The whole message, or only its header section when `headerOnly`.
    var bytes: [UInt8]
    var headerOnly: Bool
}

/// How much of a message a command needs.
struct ReadNeed: Sendable, Equatable {
    var parse = false
    var header = false
    var body = false

    var isNone: Bool { !parse && !header && !body }
}

extension StoreClient {
    private static func messagePath(_ account: String, _ mailbox: Int64, _ uid: UInt32) -> String {
        "/v1/accounts/\(segment(account))/mailboxes/\(mailbox)/messages/\(uid)"
    }

    /// The parse kept since delivery: MIME tree with byte ranges, envelope. No re-parsing.
    func parsedMessage(_ account: String, mailbox: Int64, uid: UInt32) async throws -> ParsedMessage {
        let body = try await send(.GET, Self.messagePath(account, mailbox, uid) + "/parse").body
        do {
            return try JSONDecoder().decode(ParsedMessage.self, from: Data(body))
        } catch {
            throw StoreClientError.invalidResponse("parse: \(error)")
        }
    }

    /// The header section, blank line included.
    func messageHeader(_ account: String, mailbox: Int64, uid: UInt32) async throws -> [UInt8] {
        try await send(.GET, Self.messagePath(account, mailbox, uid) + "/header").body
    }

    /// What `need` asks for, in as few requests as it takes; nil when the message is gone.
    func content(_ account: String, mailbox: Int64, uid: UInt32, need: ReadNeed) async throws -> MessageContent? {
        do {
            async let parse = need.parse ? parsedMessage(account, mailbox: mailbox, uid: uid) : nil
            let bytes: [UInt8]
            if need.body {
                bytes = try await rawMessage(account, mailbox: mailbox, uid: uid)
            } else if need.header {
                bytes = try await messageHeader(account, mailbox: mailbox, uid: uid)
            } else {
                bytes = []
            }
            return MessageContent(parse: try await parse, bytes: bytes, headerOnly: !need.body)
        } catch let error as StoreClientError where error.code == "message-not-found" {
            return nil
        }
    }
}
