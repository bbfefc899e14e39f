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
        let v1 = router.group("v1")
        v1.post("domains") { request, context -> Response in
            let body = try await RouteSupport.decode(CreateDomainRequest.self, from: request, context: context)
            let info = try await store.storage.createDomain(
                try RouteSupport.domain(body.name), postmaster: try body.postmaster.map(RouteSupport.address))
            return try RouteSupport.json(info, status: .created)
        }
        v1.get("domains") { _, _ -> Response in
            try RouteSupport.json(DomainList(domains: try await store.storage.listDomains()))
        }
        v1.delete("domains/:domain") { _, context -> Response in
            try await store.storage.deleteDomain(try RouteSupport.domain(RouteSupport.pathParameter(context, "domain")))
            return RouteSupport.noContent()
        }

        v1.post("users") { request, context -> Response in
            let body = try await RouteSupport.decode(CreateUserRequest.self, from: request, context: context)
            let address = try RouteSupport.address(body.address)
            let verifiers = try await store.login.verifiers(try RouteSupport.password(body.password))
            let user = try await store.storage.createAccount(
                address: address, passwordHash: verifiers.hash, scramKeys: verifiers.scramKeys,
                mailboxes: DefaultMailbox.standard)
            return try RouteSupport.json(user, status: .created)
        }
        v1.get("users") { request, _ -> Response in
            let domain = try request.uri.queryParameters.get("domain").map(RouteSupport.domain)
            return try RouteSupport.json(UserList(users: try await store.storage.listAccounts(domain: domain)))
        }
        v1.get("users/:account") { _, context -> Response in
            guard let user = try await store.storage.account(try RouteSupport.account(context)) else {
                throw StoreError.notFound(APIErrorCode.userNotFound, "no such account")
            }
            return try RouteSupport.json(user)
        }
        v1.put("users/:account/password") { request, context -> Response in
            let account = try RouteSupport.account(context)
            let body = try await RouteSupport.decode(SetPasswordRequest.self, from: request, context: context)
            let verifiers = try await store.login.verifiers(try RouteSupport.password(body.password))
            try await store.storage.setPasswordHash(of: account, to: verifiers.hash, scramKeys: verifiers.scramKeys)
            // Every replica's cache ends with the version bumped by that write; this one's at once.
            store.login.forgetCachedLogin(account)
            return RouteSupport.noContent()
        }
        v1.delete("users/:account") { _, context -> Response in
            let account = try RouteSupport.account(context)
            let id = try await store.storage.accountID(account)
            try await store.storage.deleteAccount(account)
            store.login.forgetCachedLogin(account)
            if let id { store.notifier.notify(account: id) }
            return RouteSupport.noContent()
        }

        v1.post("aliases") { request, context -> Response in
            let body = try await RouteSupport.decode(AliasInfo.self, from: request, context: context)
            guard !body.targets.isEmpty, body.targets.count <= StoreContext.maxAliasTargets else {
                throw StoreError.badRequest(APIErrorCode.invalidAddress, "an alias needs 1 to \(StoreContext.maxAliasTargets) targets")
            }
            let alias = AliasInfo(
                address: try RouteSupport.address(body.address),
                targets: try body.targets.map(RouteSupport.address))
            return try RouteSupport.json(try await store.storage.setAlias(alias), status: .created)
        }
        v1.get("aliases") { request, _ -> Response in
            let domain = try request.uri.queryParameters.get("domain").map(RouteSupport.domain)
            return try RouteSupport.json(AliasList(aliases: try await store.storage.listAliases(domain: domain)))
        }
        v1.delete("aliases/:alias") { _, context -> Response in
            try await store.storage.deleteAlias(try RouteSupport.address(RouteSupport.pathParameter(context, "alias")))
            return RouteSupport.noContent()
        }
    }
}
