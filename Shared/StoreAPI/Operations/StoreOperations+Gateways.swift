/// What the protocol gateways ask before a session goes on: may this user log in, and what is
/// this recipient; and the login policy's counters for the administrator.
extension StoreOperations {
    public static let verifyLogin = StoreOperation<Void, LoginRequest, LoginResult>(.post, "/v1/auth/verify")
    /// SCRAM-SHA-256 (RFC 5802, RFC 7677): the gateway runs the exchange, the store holds the keys.
    public static let scramStart = StoreOperation<Void, SCRAMStartRequest, SCRAMStartResult>(.post, "/v1/auth/scram/start")
    public static let scramFinish = StoreOperation<Void, SCRAMFinishRequest, LoginResult>(.post, "/v1/auth/scram/finish")

    public static let listLoginFailures = StoreOperation<Void, NoBody, LoginFailureList>(
        .get, "/v1/login-failures", query: ["account", "address"])
    public static let clearLoginFailures = StoreOperation<Void, NoBody, LoginFailuresCleared>(
        .delete, "/v1/login-failures", query: ["account", "address"])

    public static let lookupRecipient = StoreOperation<String, NoBody, RecipientInfo>(.get, "/v1/recipients/{address}")
}
