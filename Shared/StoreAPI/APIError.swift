/// The error body every internal API error carries:
/// `{"error": {"code": "mailbox-not-found", "message": "no such mailbox"}}`.
///
/// `code` is stable and meant for programs (gateways map it to protocol replies);
/// `message` is for people and logs.
public struct APIErrorBody: Codable, Sendable, Hashable {
    public struct Detail: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }
    public var error: Detail
    public init(code: String, message: String) {
        self.error = Detail(code: code, message: message)
    }
}

/// The codes the store answers with, shared so that both sides spell them the same.
public enum APIErrorCode {
    public static let unauthorized = "unauthorized"
    public static let notFound = "not-found"
    /// A known path, a method it does not take (`405`, with `Allow`).
    public static let methodNotAllowed = "method-not-allowed"
    public static let badRequest = "bad-request"
    public static let invalidJSON = "invalid-json"
    public static let invalidAddress = "invalid-address"
    public static let invalidDomain = "invalid-domain"
    public static let invalidMailboxName = "invalid-mailbox-name"
    public static let invalidUIDSet = "invalid-uid-set"
    public static let invalidFlag = "invalid-flag"
    public static let invalidPassword = "invalid-password"
    public static let tooLarge = "too-large"
    public static let alreadyExists = "already-exists"
    public static let domainNotFound = "domain-not-found"
    public static let userNotFound = "user-not-found"
    public static let aliasNotFound = "alias-not-found"
    public static let mailboxNotFound = "mailbox-not-found"
    public static let messageNotFound = "message-not-found"
    public static let mailboxNotEmpty = "mailbox-has-children"
    public static let cannotDeleteInbox = "cannot-delete-inbox"
    public static let noRecipients = "no-recipients"
    public static let idempotencyConflict = "idempotency-conflict"
    public static let modified = "modified"
    public static let inUse = "in-use"
    public static let lockNotFound = "lock-not-found"
    public static let queueEntryNotFound = "queue-entry-not-found"
    /// The lease on a queue entry is gone (expired, and maybe another worker has it).
    public static let leaseLost = "lease-lost"
    public static let internalError = "internal-error"
    public static let unavailable = "unavailable"
}
