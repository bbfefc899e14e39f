/// Domains, users and aliases: what `mailctl` manages.
extension StoreOperations {
    public static let createDomain = StoreOperation<Void, CreateDomainRequest, DomainInfo>(.post, "/v1/domains", status: 201)
    public static let listDomains = StoreOperation<Void, NoBody, DomainList>(.get, "/v1/domains")
    public static let deleteDomain = StoreOperation<String, NoBody, NoContent>(.delete, "/v1/domains/{domain}")

    public static let createUser = StoreOperation<Void, CreateUserRequest, UserInfo>(.post, "/v1/users", status: 201)
    public static let listUsers = StoreOperation<Void, NoBody, UserList>(.get, "/v1/users", query: ["domain"])
    public static let getUser = StoreOperation<String, NoBody, UserInfo>(.get, "/v1/users/{account}")
    public static let setPassword = StoreOperation<String, SetPasswordRequest, NoContent>(.put, "/v1/users/{account}/password")
    public static let deleteUser = StoreOperation<String, NoBody, NoContent>(.delete, "/v1/users/{account}")

    public static let setAlias = StoreOperation<Void, AliasInfo, AliasInfo>(.post, "/v1/aliases", status: 201)
    public static let listAliases = StoreOperation<Void, NoBody, AliasList>(.get, "/v1/aliases", query: ["domain"])
    public static let deleteAlias = StoreOperation<String, NoBody, NoContent>(.delete, "/v1/aliases/{alias}")
}
