/// Every operation of the internal API, one `static let` each, grouped by area in the
/// `StoreOperations+*.swift` files beside this one. A new operation is declared once there and
/// listed in `all`, named as openapi.yaml's operationId; the store registers its route from it (`router.on(StoreOperations.x) { … }`),
/// `StoreClient` calls it (`call(StoreOperations.x, path: …)`), and openapi.yaml describes it:
/// StoreOperationsTests checks that `all` and the document's paths and methods are the same.
public enum StoreOperations {
    /// Every declared operation. The variants made with `answering(_:as:)` are not listed:
    /// they share their operation's method and path.
    public static let all: [any StoreOperationDescription] = [
        // Accounts
        createDomain, listDomains, deleteDomain, createUser, listUsers, getUser, setPassword, deleteUser, setAlias, listAliases,
        deleteAlias,
        // Gateways
        verifyLogin, scramStart, scramFinish, listLoginFailures, clearLoginFailures, lookupRecipient,
        // Deliveries
        deliverMessage,
        // Queue
        listQueue, leaseQueue, retryAllQueued, getQueueEntry, deleteQueueEntry, getQueueMessage, renewQueueLease,
        releaseQueueLease, reportQueueOutcome, actOnQueueEntry,
        // Mailboxes
        listMailboxes, createMailbox, getMailbox, updateMailbox, deleteMailbox, listSubscriptions, updateSubscription,
        getMetadata, setMetadata,
        // Messages
        listMessages, listMessageObjects, appendMessage, appendMessages, readMessageBatch, getMessageRaw, getMessageHeader, getMessageParse,
        updateFlags,
        expungeMessages, claimRecent, copyMessages, searchMessages, sortMessages, threadMessages, replaceMessage,
        // Changes
        getChanges, watchAccounts,
        // Locks
        acquireLock, renewLock, releaseLock,
        // Quota
        getQuota, setQuota,
        // Access control (RFC 4314)
        getACL, setACL, deleteACL, myRights, listSharedMailboxes,
        // Webmail sessions
        createWebSession, getWebSession, deleteWebSession,
    ]
}
