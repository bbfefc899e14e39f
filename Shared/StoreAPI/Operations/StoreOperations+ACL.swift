/// Access control lists of mailboxes (RFC 4314) and the mailboxes others share (RFC 2342's
/// "Other Users"). `{account}` is always the account acting; the store answers a mailbox of
/// another account only within the rights granted to it (without `l` or `r`: 404).
extension StoreOperations {
    /// GETACL: needs `a`.
    public static let getACL = StoreOperation<MailboxPath, NoBody, ACLList>(
        .get, "/v1/accounts/{account}/mailboxes/{id}/acl")
    /// SETACL: needs `a`; the identifier must be `anyone` or an account of the owner's domain.
    public static let setACL = StoreOperation<MailboxPath, SetACLRequest, ACLList>(
        .put, "/v1/accounts/{account}/mailboxes/{id}/acl")
    /// DELETEACL: needs `a`.
    public static let deleteACL = StoreOperation<(account: String, id: Int64, identifier: String), NoBody, NoContent>(
        .delete, "/v1/accounts/{account}/mailboxes/{id}/acl/{identifier}")
    /// MYRIGHTS: any right at all (else 404).
    public static let myRights = StoreOperation<MailboxPath, NoBody, MyRights>(
        .get, "/v1/accounts/{account}/mailboxes/{id}/myrights")
    /// Other accounts' mailboxes the account may look up (`l`).
    public static let listSharedMailboxes = StoreOperation<String, NoBody, SharedMailboxList>(
        .get, "/v1/accounts/{account}/shared-mailboxes")
}
