/// An account's quota (RFC 9208): read by the gateways (IMAP GETQUOTA), set by `mailctl quota`.
extension StoreOperations {
    public static let getQuota = StoreOperation<String, NoBody, QuotaInfo>(.get, "/v1/accounts/{account}/quota")
    public static let setQuota = StoreOperation<String, SetQuotaRequest, QuotaInfo>(.put, "/v1/accounts/{account}/quota")
}
