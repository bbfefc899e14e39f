import IMAPProtocol
import StoreAPI
import StoreClient

/// How a command ended: its tagged status and what the connection does next.
///
/// The error model (CONVENTIONS.md §6), three classes and nothing internal to the client:
/// the client's mistake is `BAD` (a generic "Syntax error"; the parser's detail is logged);
/// a refusal is `NO` with a response code (RFC 9051 §7.1: NONEXISTENT, ALREADYEXISTS, …);
/// our fault or the store's is `NO [UNAVAILABLE]`, logged at error with the cause.
struct Completion: Sendable {
    var status: IMAPStatus?
    var code: ResponseCode?
    var text: String
    var directive: SessionDirective = .proceed
    /// Whether pending mailbox changes are announced before the tagged answer.
    var announce = true
    /// Sent after the tagged answer (a BYE before closing).
    var afterward: [IMAPResponse] = []

    static func ok(_ text: String, _ code: ResponseCode? = nil) -> Completion { Completion(status: .ok, code: code, text: text) }
    static func no(_ text: String, _ code: ResponseCode? = nil) -> Completion { Completion(status: .no, code: code, text: text) }
    static func bad(_ text: String) -> Completion { Completion(status: .bad, code: nil, text: text) }
    /// The command answered itself (IDLE, AUTHENTICATE waiting for the client).
    static let deferred = Completion(status: nil, code: nil, text: "", announce: false)

    static func storeFailure(_ error: StoreClientError) -> Completion {
        if error.isTemporary { return .no("The mail store is unavailable; try again", .unavailable) }
        switch error.code {
        case .mailboxNotFound?: return .no("No such mailbox", .nonexistent)
        case .alreadyExists?: return .no("Mailbox already exists", .alreadyExists)
        case .invalidMailboxName?: return .no("Invalid mailbox name", .cannot)
        case .tooLarge?: return .no("Message too large", .tooBig)
        // RFC 9208 §4.3: APPEND, COPY (and a MOVE that would grow usage) refused whole.
        case .overQuota?, .largerThanQuota?: return .no("Over quota", .overQuota)
        case .invalidFlag?: return .bad("Invalid flag")
        // RFC 4314 §4: a right the mailbox's ACL does not grant.
        case .noPermission?: return .no("Permission denied", .noPerm)
        case .invalidIdentifier?: return .no("Rights can be granted to anyone or to accounts of the owner's domain only", .cannot)
        case .invalidRights?: return .bad("Unknown right")
        default:
            // The store's own words are for the log (logged by the caller), not the client.
            return .no("Refused", .cannot)
        }
    }
}
