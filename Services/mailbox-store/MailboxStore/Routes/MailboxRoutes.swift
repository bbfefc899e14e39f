import Hummingbird
import StoreAPI

/// `GET/POST /v1/accounts/{account}/mailboxes`, `GET/PATCH/DELETE …/mailboxes/{id}`.
struct MailboxRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        let mailboxes = router.group("v1/accounts/:account/mailboxes")
        mailboxes.get { _, context -> Response in
            let account = try RouteSupport.account(context)
            return try RouteSupport.json(MailboxList(mailboxes: try await store.storage.listMailboxes(account: account)))
        }
        mailboxes.post { request, context -> Response in
            let account = try RouteSupport.account(context)
            var body = try await RouteSupport.decode(CreateMailboxRequest.self, from: request, context: context)
            body.name = try RouteSupport.mailboxName(body.name)
            if let use = body.specialUse, !StoreContext.specialUses.contains(use) {
                throw StoreError.badRequest(APIErrorCode.badRequest, "unknown special use (RFC 6154): \(use.prefix(40))")
            }
            let info = try await store.storage.createMailbox(account: account, body)
            await store.changed(account)
            return try RouteSupport.json(info, status: .created)
        }
        mailboxes.get(":id") { _, context -> Response in
            let account = try RouteSupport.account(context)
            return try RouteSupport.json(try await store.storage.mailbox(account: account, id: try RouteSupport.int64(context, "id")))
        }
        mailboxes.patch(":id") { request, context -> Response in
            let account = try RouteSupport.account(context)
            var body = try await RouteSupport.decode(UpdateMailboxRequest.self, from: request, context: context)
            body.name = try body.name.map(RouteSupport.mailboxName)
            let info = try await store.storage.updateMailbox(account: account, id: try RouteSupport.int64(context, "id"), body)
            await store.changed(account)
            return try RouteSupport.json(info)
        }
        mailboxes.delete(":id") { _, context -> Response in
            let account = try RouteSupport.account(context)
            try await store.storage.deleteMailbox(account: account, id: try RouteSupport.int64(context, "id"))
            await store.changed(account)
            return RouteSupport.noContent()
        }
    }
}
