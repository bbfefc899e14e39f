/// The login policy's counters, for the administrator (`mailctl login-failures`, `mailctl user
/// show|unlock`).
///
/// `GET /v1/login-failures[?account=…][&address=…]` lists the counters still in their window
/// or still locked; `DELETE /v1/login-failures?account=…` (or `?address=…`) clears them: for an
/// account, its own count and lock and those of every client address against it. Counters are
/// kept per name tried, whether or not an account has it, so these answer for any name.
public struct LoginFailureEntry: Codable, Sendable, Hashable {
    public enum Scope: String, Codable, Sendable {
        /// One account name, from every client address: the last-resort lock.
        case account
        /// One client address, against every account: the delay and its lock.
        case address
        /// One client address against one account name: the delay and its lock.
        case addressAccount = "address-account"
    }
    public var scope: Scope
    /// The account name tried (scopes `account` and `address-account`).
    public var account: String?
    /// The client's IP address (scopes `address` and `address-account`).
    public var address: String?
    /// Failures since `since`.
    public var failures: Int
    /// When the counting window began (seconds since 1970).
    public var since: Double
    /// Until when logins are refused without a check, while locked.
    public var lockedUntil: Double?

    public init(scope: Scope, account: String?, address: String?, failures: Int, since: Double, lockedUntil: Double?) {
        self.scope = scope
        self.account = account
        self.address = address
        self.failures = failures
        self.since = since
        self.lockedUntil = lockedUntil
    }
}

public struct LoginFailureList: Codable, Sendable {
    public var failures: [LoginFailureEntry]
    public init(failures: [LoginFailureEntry]) { self.failures = failures }
}

public struct LoginFailuresCleared: Codable, Sendable {
    /// How many counters were removed.
    public var cleared: Int
    public init(cleared: Int) { self.cleared = cleared }
}
