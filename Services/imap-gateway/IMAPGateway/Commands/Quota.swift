import IMAPProtocol
import StoreAPI

/// GETQUOTA, GETQUOTAROOT, SETQUOTA — authenticated and selected states. RFC 9208 §4.1
///
/// One quota root per account, named `""` (RFC 9208 §3.1 leaves the names to the server):
/// every mailbox of the account is under it and its usage counts every message of every
/// mailbox. The root exists while the account has a limit; an account without one has no
/// quota root (a `quota-list` holds at least one resource, §7), so GETQUOTAROOT answers its
/// mailbox with no root and GETQUOTA `""` is `NO [NONEXISTENT]`. Limits are the
/// administrator's (`mailctl quota set`): SETQUOTA is refused with NOPERM and QUOTASET is not
/// advertised (§4.1.3). A shared mailbox (`Other Users/…`) is under no root of the reader's:
/// what is stored there counts against its owner.
///
///     C: a1 GETQUOTAROOT INBOX
///     S: * QUOTAROOT INBOX ""
///     S: * QUOTA "" (STORAGE 10 512 MESSAGE 3 1000)
///     S: a1 OK GETQUOTAROOT completed
extension IMAPSession {
    /// The account's one quota root.
    static let quotaRoot = ""

    func quota(_ command: QuotaCommand) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        switch command {
        case .getRoot(let name):
            guard try await mailbox(named: name) != nil else { return .no("No such mailbox", .nonexistent) }
            // A mailbox another user shares counts against its owner's quota, which is the
            // owner's to see: it is under no root of this user's (an empty list, §4.1.2).
            if SharedNamespace.contains(name.name, delimiter: Self.delimiter) {
                try await send(.quota(.quotaRoot(name, roots: [])))
                return .ok("GETQUOTAROOT completed")
            }
            let resources = Self.quotaResources(try await store.quota(of: account))
            try await send(.quota(.quotaRoot(name, roots: resources.isEmpty ? [] : [Self.quotaRoot])))
            if !resources.isEmpty { try await send(.quota(.quota(root: Self.quotaRoot, resources))) }
            return .ok("GETQUOTAROOT completed")
        case .get(let root):
            let resources = Self.quotaResources(try await store.quota(of: account))
            guard root == Self.quotaRoot, !resources.isEmpty else { return .no("No such quota root", .nonexistent) }
            try await send(.quota(.quota(root: root, resources)))
            return .ok("GETQUOTA completed")
        case .set:
            return .no("Quotas are set by the administrator", .noPerm)
        }
    }

    /// The limited resources with their usage: STORAGE in KiB (rounded up), MESSAGE in
    /// messages. RFC 9208 §5.1, §5.2
    static func quotaResources(_ quota: QuotaInfo) -> [QuotaResource] {
        var resources: [QuotaResource] = []
        if let limit = quota.storageLimit {
            resources.append(QuotaResource("STORAGE", usage: UInt64(max(0, quota.storageUsedKiB)), limit: UInt64(max(0, limit))))
        }
        if let limit = quota.messageLimit {
            resources.append(QuotaResource("MESSAGE", usage: UInt64(max(0, quota.messagesUsed)), limit: UInt64(max(0, limit))))
        }
        return resources
    }
}
