import StoreAPI

/// What can go wrong talking to the store, sorted the way a gateway must answer it:
/// the store said no (`api` with a 4xx: the client's fault, a permanent answer), or the store
/// failed or could not be reached (`isTemporary`: SMTP `451 4.3.0`, IMAP `NO [UNAVAILABLE]`).
public enum StoreClientError: Error, CustomStringConvertible, Sendable {
    case api(status: Int, code: APIErrorCode, message: String)
    case unavailable(String)
    case invalidResponse(String)

    public var isTemporary: Bool {
        switch self {
        case .api(let status, _, _): return status >= 500
        case .unavailable, .invalidResponse: return true
        }
    }

    public var code: APIErrorCode? {
        if case .api(_, let code, _) = self { return code }
        return nil
    }

    public var description: String {
        switch self {
        case .api(let status, let code, let message): return "\(message) (\(status) \(code))"
        case .unavailable(let why): return "the mailbox store is unavailable: \(why)"
        case .invalidResponse(let why): return "the mailbox store answered something unexpected: \(why)"
        }
    }
}
