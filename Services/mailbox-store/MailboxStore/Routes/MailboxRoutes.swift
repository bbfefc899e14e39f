import Hummingbird
import StoreAPI

/// `GET/POST /v1/accounts/{account}/mailboxes`, `GET/PATCH/DELETE …/mailboxes/{id}`,
/// `GET/PUT /v1/accounts/{account}/subscriptions`.
struct MailboxRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.listMailboxes) { request, context, _ in
            let account = try RouteSupport.account(context)
            let counts: Bool
            switch request.uri.queryParameters.get("counts") {
            case nil, "true": counts = true
            case "false": counts = false
            default: throw StoreError.badRequest(APIErrorCode.badRequest, "counts is true or false")
            }
            return MailboxList(mailboxes: try await store.storage.listMailboxes(account: account, counts: counts))
        }
        router.on(StoreOperations.createMailbox) { _, context, body in
            let account = try RouteSupport.account(context)
            var body = try await body()
            body.name = try RouteSupport.mailboxName(body.name)
            if let use = body.specialUse, !StoreContext.specialUses.contains(use) {
                throw StoreError.badRequest(APIErrorCode.badRequest, "unknown special use (RFC 6154): \(use.prefix(40))")
            }
            let created = try await store.storage.createMailbox(account: account, body)
            await store.changed(account, mailboxes: [created.info.id])
            // A mailbox that took its parent's ACL is new to each grantee (their feeds say so).
            for grantee in created.grantees { store.notifier.notify(account: grantee) }
            return created.info
        }
        router.on(StoreOperations.getMailbox) { _, context, _ in
            let account = try RouteSupport.account(context)
            return try await store.storage.mailbox(account: account, id: try RouteSupport.int64(context, "id"))
        }
        router.on(StoreOperations.updateMailbox) { _, context, body in
            let account = try RouteSupport.account(context)
            var body = try await body()
            body.name = try body.name.map(RouteSupport.mailboxName)
            let info = try await store.storage.updateMailbox(account: account, id: try RouteSupport.int64(context, "id"), body)
            await store.changed(account, mailboxes: [info.id])
            return info
        }
        router.on(StoreOperations.deleteMailbox) { _, context, _ in
            let account = try RouteSupport.account(context)
            let id = try RouteSupport.int64(context, "id")
            let owner = try await store.storage.myRights(account: account, mailboxID: id).owner
            try await store.storage.deleteMailbox(account: account, id: id)
            await store.changed(owner)
            return NoContent()
        }
        router.on(StoreOperations.listSubscriptions) { _, context, _ in
            let account = try RouteSupport.account(context)
            return SubscriptionList(names: try await store.storage.listSubscriptions(account: account))
        }
        router.on(StoreOperations.updateSubscription) { _, context, body in
            let account = try RouteSupport.account(context)
            var body = try await body()
            body.name = try RouteSupport.mailboxName(body.name)
            try await store.storage.updateSubscription(account: account, body)
            await store.changed(account)
            return NoContent()
        }
    }
}
