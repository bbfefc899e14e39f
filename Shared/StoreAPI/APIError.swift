/// The error body every internal API error carries:
/// `{"error": {"code": "mailbox-not-found", "message": "no such mailbox"}}`.
///
/// `code` is stable and meant for programs (gateways map it to protocol replies);
/// `message` is for people and logs.
public struct APIErrorBody: Codable, Sendable, Hashable {
    public struct Detail: Codable, Sendable, Hashable {
        public var code: APIErrorCode
        public var message: String
        public init(code: APIErrorCode, message: String) {
            self.code = code
            self.message = message
        }
    }
    public var error: Detail
    public init(code: APIErrorCode, message: String) {
        self.error = Detail(code: code, message: message)
    }
}

/// The codes the store answers with, shared so that both sides spell them the same. On the
/// wire each is its string (`"mailbox-not-found"`).
///
/// A code this build does not know decodes as `unknown(String)` rather than failing: an error
/// body must reach the caller with its status and message even from a newer store, and a
/// program cannot act on a code it does not know anyway (it falls back on the status, as
/// `StoreClientError.isTemporary` does). Queue states and outcomes, by contrast, refuse an
/// unknown value (Queue.swift), because acting on a state one does not understand is worse
/// than failing.
public enum APIErrorCode: Hashable, Sendable {
    case unauthorized
    case notFound
    /// A known path, a method it does not take (`405`, with `Allow`).
    case methodNotAllowed
    case badRequest
    case invalidJSON
    case invalidAddress
    case invalidDomain
    case invalidMailboxName
    case invalidUIDSet
    case invalidFlag
    case invalidPassword
    case tooLarge
    case alreadyExists
    case domainNotFound
    /// A domain still has users or aliases.
    case domainNotEmpty
    case userNotFound
    case aliasNotFound
    case mailboxNotFound
    case messageNotFound
    /// A mailbox has handed out every UID (RFC 9051 §2.3.1.1: UIDs are never reused).
    case uidExhausted
    case mailboxNotEmpty
    case cannotDeleteInbox
    case noRecipients
    case idempotencyConflict
    case modified
    case inUse
    /// Another mailbox of the account already has this special use (RFC 6154 §3: CREATE is
    /// refused with `NO [USEATTR]`).
    case specialUseInUse
    case lockNotFound
    /// A webmail session that expired, was ended, or outlived a password change.
    case sessionNotFound
    case queueEntryNotFound
    /// The lease on a queue entry is gone (expired, and maybe another worker has it).
    case leaseLost
    /// SETMETADATA would leave more entries than allowed. RFC 5464 §4.3 `[METADATA TOOMANY]`
    case metadataTooMany
    case internalError
    case unavailable
    /// Storing would take an account over its quota; it would fit once messages are deleted
    /// (SMTP `452 4.2.2`, IMAP `NO [OVERQUOTA]`). RFC 9208 §4.3, RFC 3463 X.2.2
    case overQuota
    /// The message alone is larger than the account's whole storage limit: it can never be
    /// stored there (SMTP `552 5.2.2`).
    case largerThanQuota
    /// The mailbox's ACL does not grant the account acting a right the operation needs
    /// (RFC 4314; IMAP `NO [NOPERM]`).
    case noPermission
    /// A SETACL/DELETEACL identifier that is neither `anyone` nor an account of the owner's domain.
    case invalidIdentifier
    /// Rights that are not letters of RFC 4314 §2.1.
    case invalidRights
    /// A code this build does not know, as sent.
    case unknown(String)

    /// Every code the store answers with (all but `unknown`).
    public static let known: [APIErrorCode] = [
        .unauthorized, .notFound, .methodNotAllowed, .badRequest, .invalidJSON, .invalidAddress, .invalidDomain,
        .invalidMailboxName, .invalidUIDSet, .invalidFlag, .invalidPassword, .tooLarge, .alreadyExists, .domainNotFound,
        .domainNotEmpty, .uidExhausted,
        .userNotFound, .aliasNotFound, .mailboxNotFound, .messageNotFound, .mailboxNotEmpty, .cannotDeleteInbox, .noRecipients,
        .idempotencyConflict, .modified, .inUse, .specialUseInUse, .lockNotFound, .sessionNotFound, .queueEntryNotFound, .leaseLost,
        .internalError,
        .unavailable, .overQuota, .largerThanQuota, .noPermission, .invalidIdentifier, .invalidRights,
        .metadataTooMany,
    ]

    /// The code as it is written on the wire.
    public var rawValue: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .notFound: "not-found"
        case .methodNotAllowed: "method-not-allowed"
        case .badRequest: "bad-request"
        case .invalidJSON: "invalid-json"
        case .invalidAddress: "invalid-address"
        case .invalidDomain: "invalid-domain"
        case .invalidMailboxName: "invalid-mailbox-name"
        case .invalidUIDSet: "invalid-uid-set"
        case .invalidFlag: "invalid-flag"
        case .invalidPassword: "invalid-password"
        case .tooLarge: "too-large"
        case .alreadyExists: "already-exists"
        case .domainNotFound: "domain-not-found"
        case .domainNotEmpty: "domain-not-empty"
        case .uidExhausted: "uid-exhausted"
        case .userNotFound: "user-not-found"
        case .aliasNotFound: "alias-not-found"
        case .mailboxNotFound: "mailbox-not-found"
        case .messageNotFound: "message-not-found"
        case .mailboxNotEmpty: "mailbox-has-children"
        case .cannotDeleteInbox: "cannot-delete-inbox"
        case .noRecipients: "no-recipients"
        case .idempotencyConflict: "idempotency-conflict"
        case .modified: "modified"
        case .inUse: "in-use"
        case .specialUseInUse: "special-use-in-use"
        case .lockNotFound: "lock-not-found"
        case .sessionNotFound: "session-not-found"
        case .queueEntryNotFound: "queue-entry-not-found"
        case .leaseLost: "lease-lost"
        case .metadataTooMany: "metadata-too-many"
        case .internalError: "internal-error"
        case .unavailable: "unavailable"
        case .overQuota: "over-quota"
        case .largerThanQuota: "larger-than-quota"
        case .noPermission: "no-permission"
        case .invalidIdentifier: "invalid-identifier"
        case .invalidRights: "invalid-rights"
        case .unknown(let code): code
        }
    }

    public init(rawValue: String) {
        self = Self.byRawValue[rawValue] ?? .unknown(rawValue)
    }

    private static let byRawValue: [String: APIErrorCode] = Dictionary(uniqueKeysWithValues: known.map { ($0.rawValue, $0) })
}

extension APIErrorCode: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension APIErrorCode: CustomStringConvertible {
    public var description: String { rawValue }
}
