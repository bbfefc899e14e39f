import HummingbirdBcrypt
import NIOCore
import NIOPosix
import SASL
import StoreAPI

/// Password and SCRAM-SHA-256 checks for the gateways, slowed and then locked after repeated failures.
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

        public init(
            failureDelay: Double = 1, maxFailuresPerAccount: Int = 10, maxFailuresPerAddress: Int = 30,
            lockout: Double = 900, window: Double = 900
        ) {
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

    /// The bcrypt hash and the SCRAM-SHA-256 keys (RFC 5803 form) for a new password, both
    /// computed on the hashing pool: what account creation and a password change store.
    public func verifiers(_ password: String) async throws -> (hash: String, scramKeys: String) {
        let cost = bcryptCost
        return try await Self.bcryptPool.runIfActive {
            (Bcrypt.hash(password, cost: UInt8(cost)), SCRAMSHA256.keys(password: password, iterations: Self.scramIterations).encoded)
        }
    }

    /// RFC 7677 §4: at least 4096; more costs every client each login, and gains little
    /// against a stolen database that bcrypt guards anyway.
    public static let scramIterations = SASLDefaults.scramIterations

    public func verify(_ request: LoginRequest) async throws -> LoginResult {
        let address = Self.canonical(request.username)
        return try await throttled(address: address, client: request.clientAddress) {
            let stored = try await storage.passwordHash(of: address)
            let password = request.password
            let matches = try await Self.bcryptPool.runIfActive {
                Bcrypt.verify(password, hash: stored ?? Self.decoyHash) && stored != nil
            }
            guard matches, let stored else { return nil }
            // Best effort: a login does not fail because the keys could not be added now.
            try? await addSCRAMKeysIfMissing(address, password: password, hash: stored)
            return LoginResult(result: .ok, address: address)
        }
    }

    /// An account from before SCRAM keys were kept gets them at its first good password login,
    /// the one moment the store has the password. The salt is the decoy one SCRAM start
    /// already answered for the name, so the answer does not change when keys appear.
    private func addSCRAMKeysIfMissing(_ address: String, password: String, hash: String) async throws {
        // bcrypt reads 72 bytes: a longer string can match without being the password.
        guard password.utf8.count <= 72, try await storage.scramKeys(of: address) == nil else { return }
        let salt = SCRAMSHA256.decoySalt(secret: try await storage.secret(named: Self.decoySecret), username: address)
        let keys = try await Self.bcryptPool.runIfActive {
            SCRAMSHA256.keys(password: password, salt: salt, iterations: Self.scramIterations).encoded
        }
        try await storage.addSCRAMKeys(of: address, keys, ifPasswordHash: hash)
    }

    /// SCRAM-SHA-256 start: the salt and iteration count; for a name without keys a decoy
    /// salt derived from a store secret and the name, stable, so nothing tells them apart.
    public func scramStart(_ request: SCRAMStartRequest) async throws -> SCRAMStartResult {
        let address = Self.canonical(request.username)
        if let keys = try await storage.scramKeys(of: address).flatMap(SCRAMSHA256.Keys.init(encoded:)) {
            return SCRAMStartResult(salt: SASLBase64.encode(keys.salt), iterations: keys.iterations)
        }
        let salt = SCRAMSHA256.decoySalt(secret: try await storage.secret(named: Self.decoySecret), username: address)
        return SCRAMStartResult(salt: SASLBase64.encode(salt), iterations: Self.scramIterations)
    }

    /// SCRAM-SHA-256 finish: checks the client proof (RFC 5802 §3) under the same throttling
    /// and lockout as a password; on success the answer carries the ServerSignature.
    public func scramFinish(_ request: SCRAMFinishRequest, proof: [UInt8]) async throws -> LoginResult {
        let address = Self.canonical(request.username)
        return try await throttled(address: address, client: request.clientAddress) {
            let keys = try await storage.scramKeys(of: address).flatMap(SCRAMSHA256.Keys.init(encoded:))
            // An unknown name is checked against decoy keys: the same work either way.
            let signature = SCRAMSHA256.verify(proof: proof, authMessage: request.authMessage, keys: keys ?? Self.decoyKeys)
            guard keys != nil, let signature else { return nil }
            return LoginResult(result: .ok, address: address, serverSignature: SASLBase64.encode(signature))
        }
    }

    static let decoySecret = "scram-decoy-salt"
    private static let decoyKeys = SCRAMSHA256.Keys(
        salt: [], iterations: 0, storedKey: (0..<32).map { _ in UInt8.random(in: 0...255) }, serverKey: Array(repeating: 0, count: 32))

    static func canonical(_ username: String) -> String {
        Validation.address(username) ?? username.lowercased()
    }

    /// The accounting every login check shares, password or SCRAM: a lock per account and per
    /// client address is answered before any check; a failure is recorded in both and
    /// answered after a delay that grows with the recent failures; a success clears the
    /// account's count. `check` answers the success, or nil for a failure.
    private func throttled(address: String, client: String?, _ check: () async throws -> LoginResult?) async throws -> LoginResult {
        let client = client ?? "unknown"
        let time = now()
        for (scope, key) in [("account", address), ("address", client)] {
            if let state = try await storage.loginFailures(scope: scope, key: key), let until = state.lockedUntil, until > time {
                return LoginResult(result: .locked, retryAfter: Int((until - time).rounded(.up)))
            }
        }
        if let success = try await check() {
            try await storage.clearLoginFailures(scope: "account", key: address)
            return success
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
