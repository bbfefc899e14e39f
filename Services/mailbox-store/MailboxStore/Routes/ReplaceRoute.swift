import Hummingbird
import StoreAPI

/// `POST …/mailboxes/{id}/messages/{uid}/replace?target=`: IMAP REPLACE (RFC 8508), the body
/// appended into `target` and message `uid` expunged from mailbox `id`, in one transaction
/// (`SQLiteStorage.replace`). Flags and internal date as APPEND's (`appendMessage`).
extension MessageRoutes {
    func addReplace(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.replaceMessage) { request, context, _ in
            let account = try RouteSupport.account(context)
            let mailboxID = try RouteSupport.int64(context, "id")
            let uid = try Self.uid(context)
            guard let target = RouteSupport.parseInteger(request.uri.queryParameters.get("target"), in: Int64.min...Int64.max) else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "target is the id of the mailbox the new message goes into")
            }
            let flags = Self.appendFlags(request)
            let date = try Self.internalDate(request)
            let message = try await store.incomingMessage(request, context: context)
            let result = try await store.storage.replace(
                AppendedMessage(message: message, flags: flags, internalDate: date), account: account, mailboxID: mailboxID,
                uid: uid, target: target)
            await store.changed(account, mailboxes: [mailboxID, target])
            return result
        }
    }

    /// APPEND's `flags`: each in its own `flags=`, or several in one separated by spaces.
    static func appendFlags(_ request: Request) -> [String] {
        request.uri.queryParameters.getAll("flags").flatMap { $0.split(separator: " ") }.map(String.init)
    }

    /// APPEND's `internalDate`, seconds since 1970; nil for the time of arrival.
    static func internalDate(_ request: Request) throws -> Double? {
        try request.uri.queryParameters.get("internalDate").map {
            guard let d = Double($0), d >= 0, d < 32_503_680_000 else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "internalDate is seconds since 1970")
            }
            return d
        }
    }
}
