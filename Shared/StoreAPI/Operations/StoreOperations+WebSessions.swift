/// Webmail logins kept by the store (WebSession.swift).
extension StoreOperations {
    public static let createWebSession = StoreOperation<String, WebSessionRequest, WebSession>(
        .post, "/v1/accounts/{account}/web-sessions", status: 201)
    public static let getWebSession = StoreOperation<String, NoBody, WebSession>(.get, "/v1/web-sessions/{id}")
    public static let deleteWebSession = StoreOperation<String, NoBody, NoContent>(.delete, "/v1/web-sessions/{id}")
}
