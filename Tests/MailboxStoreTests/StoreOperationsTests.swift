import Foundation
import StoreAPI
import Testing

@testable import MailboxStore
@testable import StoreClient

/// The operation declarations (`StoreOperations`) against the OpenAPI document the store
/// ships, and the typed codes and states against their wire spelling.
@Suite struct StoreOperationsTests {
    /// Paths in the document that are not operations of the internal API: every service's
    /// admin routes (ServiceKit's AdminRoutes) and the document itself (OpenAPIRoute).
    static let notOperations: Set<String> = ["GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.yaml"]

    @Test func declaredOperationsAreThoseOfTheDocument() throws {
        let document = AllowedMethods.shipped
        #expect(!document.routes.isEmpty, "openapi.yaml is shipped with the store")
        let documented = Set(
            document.routes.flatMap { route in route.methods.map { "\($0) /" + route.segments.joined(separator: "/") } }
        ).subtracting(Self.notOperations)
        let declared = StoreOperations.all.map { "\($0.method.rawValue) \($0.template)" }
        #expect(declared.count == Set(declared).count, "an operation is declared twice")
        #expect(Set(declared).subtracting(documented).sorted() == [], "declared but not in openapi.yaml")
        #expect(documented.subtracting(declared).sorted() == [], "in openapi.yaml but not declared")
    }

    @Test func pathsFillTheTemplate() {
        let encode = StoreClient.segment
        #expect(StoreOperations.listDomains.path((), encodingSegment: encode) == "/v1/domains")
        #expect(StoreOperations.getUser.path("a+b@example.test", encodingSegment: encode) == "/v1/users/a+b@example.test")
        #expect(StoreOperations.deleteAlias.path("a/b@example.test", encodingSegment: encode) == "/v1/aliases/a%2Fb@example.test")
        #expect(
            StoreOperations.getMessageRaw.path(("a@x.test", 7, 42), encodingSegment: encode)
                == "/v1/accounts/a@x.test/mailboxes/7/messages/42/raw")
        #expect(StoreOperations.actOnQueueEntry.path((id: 3, action: .bounce), encodingSegment: encode) == "/v1/queue/3/bounce")
        #expect(StoreOperations.getMessageRaw.pathParameters == ["account", "id", "uid"])
    }

    /// The client encodes ASCII itself; it must give what Foundation gives with the same set
    /// (RFC 3986 unreserved, `@` and `+`), for every character and for names that are not ASCII.
    @Test func segmentsEncodeAsFoundationDoes() {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@+"))
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        // A query value allows the same but `+` (which a query would read as a space).
        let inQuery = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@"))
        for text in ascii + [ascii.joined(), "Entwürfe/Ärger", "a b@c.test", "€ 100%", "日本語", ""] {
            #expect(StoreClient.segment(text) == text.addingPercentEncoding(withAllowedCharacters: allowed), "\(text.debugDescription)")
            #expect(StoreClient.query([("q", text)]) == "?q=" + (text.addingPercentEncoding(withAllowedCharacters: inQuery) ?? ""))
        }
    }

    @Test func bodyKindsAndStatusesFollowTheTypes() {
        #expect(StoreOperations.createMailbox.requestBody == .json && StoreOperations.createMailbox.status == 201)
        #expect(StoreOperations.deleteUser.requestBody == .none && StoreOperations.deleteUser.responseBody == .none)
        #expect(StoreOperations.deleteUser.status == 204)
        #expect(StoreOperations.deliverMessage.requestBody == .message && StoreOperations.deliverMessage.responseBody == .json)
        #expect(StoreOperations.readMessageBatch.responseBody == .messageBatch && StoreOperations.getMessageRaw.responseBody == .message)
        #expect(StoreOperations.listMessagesText.responseBody == .messageListText)
        #expect(StoreOperations.listMessagesText.template == StoreOperations.listMessages.template)
        #expect(StoreOperations.getChanges.longPoll && StoreOperations.watchAccounts.longPoll)
    }

    @Test func errorCodesKeepTheirWireSpelling() throws {
        for code in APIErrorCode.known {
            #expect(APIErrorCode(rawValue: code.rawValue) == code)
        }
        #expect(Set(APIErrorCode.known.map(\.rawValue)).count == APIErrorCode.known.count)
        #expect(APIErrorCode.mailboxNotEmpty.rawValue == "mailbox-has-children")
        let body = try JSONEncoder().encode(APIErrorBody(code: .invalidUIDSet, message: "m"))
        #expect(String(decoding: body, as: UTF8.self).contains(#""code":"invalid-uid-set""#))
        // A code from a newer store is kept, not a decoding failure.
        let newer = try JSONDecoder().decode(APIErrorBody.self, from: Data(#"{"error":{"code":"mailbox-frozen","message":"m"}}"#.utf8))
        #expect(newer.error.code == .unknown("mailbox-frozen") && newer.error.code.rawValue == "mailbox-frozen")
        #expect(APIErrorCode(rawValue: "over-quota") == .overQuota)
    }

    @Test func queueStatesAreStrict() throws {
        #expect(try JSONDecoder().decode(QueueState.self, from: Data(#""hold""#.utf8)) == .hold)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(QueueState.self, from: Data(#""frozen""#.utf8)) }
        #expect(QueueRecipientState.allCases.map(\.rawValue) == ["pending", "delivered", "failed"])
    }
}
