import Hummingbird
import StoreAPI

/// Domains, users and aliases: what `mailctl` manages.
///
/// `POST/GET /v1/domains`, `DELETE /v1/domains/{domain}`;
/// `POST/GET /v1/users`, `GET/DELETE /v1/users/{account}`, `PUT /v1/users/{account}/password`;
/// `POST/GET /v1/aliases`, `DELETE /v1/aliases/{alias}`.
struct AccountRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.createDomain) { _, _, body in
            let body = try await body()
            return try await store.storage.createDomain(
                try RouteSupport.domain(body.name), postmaster: try body.postmaster.map(RouteSupport.address))
        }
        router.on(StoreOperations.listDomains) { _, _, _ in
            DomainList(domains: try await store.storage.listDomains())
        }
        router.on(StoreOperations.deleteDomain) { _, context, _ in
            try await store.storage.deleteDomain(try RouteSupport.domain(RouteSupport.pathParameter(context, "domain")))
            return NoContent()
        }

        router.on(StoreOperations.createUser) { _, _, body in
            let body = try await body()
            let address = try RouteSupport.address(body.address)
            let verifiers = try await store.login.verifiers(try RouteSupport.password(body.password))
            return try await store.storage.createAccount(
                address: address, passwordHash: verifiers.hash, scramKeys: verifiers.scramKeys,
                mailboxes: DefaultMailbox.standard)
        }
        router.on(StoreOperations.listUsers) { request, _, _ in
            let domain = try request.uri.queryParameters.get("domain").map(RouteSupport.domain)
            return UserList(users: try await store.storage.listAccounts(domain: domain))
        }
        router.on(StoreOperations.getUser) { _, context, _ in
            guard let user = try await store.storage.account(try RouteSupport.account(context)) else {
                throw StoreError.notFound(APIErrorCode.userNotFound, "no such account")
            }
            return user
        }
        router.on(StoreOperations.setPassword) { _, context, body in
            let account = try RouteSupport.account(context)
            let body = try await body()
            let verifiers = try await store.login.verifiers(try RouteSupport.password(body.password))
            try await store.storage.setPasswordHash(of: account, to: verifiers.hash, scramKeys: verifiers.scramKeys)
            // Every replica's cache ends with the version bumped by that write; this one's at once.
            store.login.forgetCachedLogin(account)
            return NoContent()
        }
        router.on(StoreOperations.deleteUser) { _, context, _ in
            let account = try RouteSupport.account(context)
            let id = try await store.storage.accountID(account)
            try await store.storage.deleteAccount(account)
            store.login.forgetCachedLogin(account)
            if let id { store.notifier.notify(account: id) }
            return NoContent()
        }

        router.on(StoreOperations.setAlias) { _, _, body in
            let body = try await body()
            guard !body.targets.isEmpty, body.targets.count <= StoreContext.maxAliasTargets else {
                throw StoreError.badRequest(APIErrorCode.invalidAddress, "an alias needs 1 to \(StoreContext.maxAliasTargets) targets")
            }
            let alias = AliasInfo(
                address: try RouteSupport.address(body.address),
                targets: try body.targets.map(RouteSupport.address))
            return try await store.storage.setAlias(alias)
        }
        router.on(StoreOperations.listAliases) { request, _, _ in
            let domain = try request.uri.queryParameters.get("domain").map(RouteSupport.domain)
            return AliasList(aliases: try await store.storage.listAliases(domain: domain))
        }
        router.on(StoreOperations.deleteAlias) { _, context, _ in
            try await store.storage.deleteAlias(try RouteSupport.address(RouteSupport.pathParameter(context, "alias")))
            return NoContent()
        }
    }
}
