import Hummingbird
import StoreAPI

/// `GET/PUT …/mailboxes/{id}/acl`, `DELETE …/acl/{identifier}`, `GET …/mailboxes/{id}/myrights`
/// and `GET /v1/accounts/{account}/shared-mailboxes`: access control lists (RFC 4314), the
/// storage checking every right (SQLiteStorage+ACL).
struct ACLRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.getACL) { _, context, _ in
            let account = try RouteSupport.account(context)
            return try await store.storage.acl(account: account, mailboxID: try RouteSupport.int64(context, "id"))
        }
        router.on(StoreOperations.setACL) { _, context, body in
            let account = try RouteSupport.account(context)
            let id = try RouteSupport.int64(context, "id")
            let update = try await store.storage.setACL(account: account, mailboxID: id, try await body())
            for grantee in update.grantees { store.notifier.notify(account: grantee) }
            return update.list
        }
        router.on(StoreOperations.deleteACL) { _, context, _ in
            let account = try RouteSupport.account(context)
            let id = try RouteSupport.int64(context, "id")
            let update = try await store.storage.deleteACL(
                account: account, mailboxID: id, identifier: RouteSupport.pathParameter(context, "identifier"))
            for grantee in update.grantees { store.notifier.notify(account: grantee) }
            return NoContent()
        }
        router.on(StoreOperations.myRights) { _, context, _ in
            let account = try RouteSupport.account(context)
            return try await store.storage.myRights(account: account, mailboxID: try RouteSupport.int64(context, "id"))
        }
        router.on(StoreOperations.listSharedMailboxes) { _, context, _ in
            let account = try RouteSupport.account(context)
            return SharedMailboxList(mailboxes: try await store.storage.sharedMailboxes(account: account))
        }
    }
}
