import Hummingbird
import StoreAPI

/// `GET/POST /v1/accounts/{account}/metadata`: METADATA entries (RFC 5464) of a mailbox
/// (`mailbox`), or the account's server entries without it.
struct MetadataRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.getMetadata) { request, context, _ in
            let account = try RouteSupport.account(context)
            var mailbox: Int64?
            if let text = request.uri.queryParameters.get("mailbox") {
                guard let id = Int64(text) else { throw StoreError.badRequest(APIErrorCode.badRequest, "mailbox is a number") }
                mailbox = id
            }
            return MetadataList(entries: try await store.storage.metadata(account: account, mailbox: mailbox))
        }
        router.on(StoreOperations.setMetadata) { _, context, body in
            let account = try RouteSupport.account(context)
            try await store.storage.setMetadata(account: account, try await body())
            await store.changed(account)
            return NoContent()
        }
    }
}
