import HummingbirdBcrypt
import NIOCore
import NIOPosix
import StoreAPI

/// Password checks for the gateways, slowed and then locked after repeated failures.
///
/// Failures are counted per account and per client address in the store's database, so that
/// every gateway instance sees the same counts. A failed check answers only after a delay
/// that grows with the recent failures (capped), which makes guessing slow without a lock; a
/// lock comes after `maxFailures…` within `window`. An unknown user costs a bcrypt check too,
/// so timing does not tell which accounts exist.
public struct LoginPolicy: Sendable {
    public struct Settings: Sendable {
        public var failureDelay: Double
        public var maxFailuresPerAccount: Int
        public var maxFailuresPerAddress: Int
        public var lockout: Double
        public var window: Double
        /// The delay grows up to this many times `failureDelay`.
        public static let maxDelayFactor = 5

        public init(failureDelay: Double = 1, maxFailuresPerAccount: Int = 10, maxFailuresPerAddress: Int = 30,
                    lockout: Double = 900, window: Double = 900) {
            self.failureDelay = failureDelay
            self.maxFailuresPerAccount = maxFailuresPerAccount
            self.maxFailuresPerAddress = maxFailuresPerAddress
            self.lockout = lockout
            self.window = window
        }
    }

    let storage: any MailStorage
    let settings: Settings
    let bcryptCost: Int
    let now: @Sendable () -> Double

    /// A valid hash to verify against when the account does not exist.
    private static let decoyHash = Bcrypt.hash("decoy password for unknown users", cost: 4)

    /// Password hashing runs here, on one core fewer than the machine has (at least one): a
    /// burst of logins (every phone reconnecting at once) must not take the cores that serve
    /// mail to the sessions already logged in.
    static let bcryptPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount - 1))
        pool.start()
        return pool
    }()

    public func hash(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await Self.bcryptPool.runIfActive { Bcrypt.hash(password, cost: UInt8(cost)) }
    }

    public func verify(_ request: LoginRequest) async throws -> LoginResult {
        let address = Validation.address(request.username) ?? request.username.lowercased()
        let client = request.clientAddress ?? "unknown"
        let time = now()
        for (scope, key) in [("account", address), ("address", client)] {
            if let state = try await storage.loginFailures(scope: scope, key: key), let until = state.lockedUntil, until > time {
                return LoginResult(result: .locked, retryAfter: Int((until - time).rounded(.up)))
            }
        }
        let stored = try await storage.passwordHash(of: address)
        let password = request.password
        let matches = try await Self.bcryptPool.runIfActive {
            Bcrypt.verify(password, hash: stored ?? Self.decoyHash) && stored != nil
        }
        if matches {
            try await storage.clearLoginFailures(scope: "account", key: address)
            return LoginResult(result: .ok, address: address)
        }
        let perAccount = try await storage.recordLoginFailure(
            scope: "account", key: address, now: time, window: settings.window,
            threshold: settings.maxFailuresPerAccount, lockout: settings.lockout)
        let perAddress = try await storage.recordLoginFailure(
            scope: "address", key: client, now: time, window: settings.window,
            threshold: settings.maxFailuresPerAddress, lockout: settings.lockout)
        let factor = min(max(perAccount.failures, perAddress.failures), Settings.maxDelayFactor)
        if settings.failureDelay > 0 {
            try? await Task.sleep(for: .milliseconds(Int(settings.failureDelay * 1000) * factor))
        }
        return LoginResult(result: .invalid)
    }
}
