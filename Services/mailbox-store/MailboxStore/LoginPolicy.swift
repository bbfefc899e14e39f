import Crypto
import HummingbirdBcrypt
import Metrics
import NIOCore
import NIOPosix
import SASL
import StoreAPI

/// Password and SCRAM-SHA-256 checks for the gateways (and webmail), slowed per client address
/// after failures, and locked only where that does not let a stranger lock the owner out.
///
/// Failures are counted in the store's database, so that every gateway instance sees the same
/// counts, in three scopes (`LoginFailureKey`):
///
/// - per client address and per (client address, account name): a failure is answered after a
///   delay that doubles with each failure of that address, from `failureDelay` up to
///   `maxDelay`, as Dovecot's auth penalty does (doc.dovecot.org, "Authentication Penalty");
///   `maxFailuresPerAddressAccount` failures lock that address out of that account, and
///   `maxFailuresPerAddress` lock it out of all, for `lockout`. A guesser slows only himself:
///   the owner, from another address, logs in at once. An IPv6 client counts by its /64
///   (`ClientAddressKey`), or a fresh address per attempt would escape all of it. The same
///   wrong password again from the same address for the same name is not counted again (a
///   phone retrying an old saved password), as in Dovecot; a guesser varies his.
/// - per account name, from every address: a last resort against guessing spread over many
///   addresses, at a much higher count (`maxFailuresPerAccount`), shown and cleared by
///   `mailctl user show|unlock`.
///
/// Nothing here depends on whether the account exists: an unknown name is counted, delayed
/// and locked like a real one, and its password is checked against a decoy hash of the same
/// bcrypt cost, so neither the answer nor its timing tells which accounts exist.
public struct LoginPolicy: Sendable {
    public struct Settings: Sendable {
        /// The delay before the first failed answer from an address; it doubles per failure.
        public var failureDelay: Double
        /// The delay does not grow beyond this.
        public var maxDelay: Double
        /// Failures of one address against one account name before that pair is locked.
        public var maxFailuresPerAddressAccount: Int
        /// Failures of one account name from all addresses before the account is locked.
        public var maxFailuresPerAccount: Int
        /// Failures of one address against any names before the address is locked.
        public var maxFailuresPerAddress: Int
        public var lockout: Double
        public var window: Double
        /// Seconds a good password login is remembered (`AuthCache`); 0 turns the cache off.
        /// Dovecot's `auth_cache_ttl` default.
        public var authCacheSeconds: Double = 3600
        /// Accounts the cache holds at most.
        public var authCacheSize: Int = 10_000
        /// Threads that run bcrypt (`PasswordHasher`): every core.
        public var hashThreads: Int = System.coreCount
        /// Password checks that may wait beyond those running before one is refused (503).
        public var hashQueue: Int = 256

        public init(
            failureDelay: Double = 1, maxDelay: Double = 15, maxFailuresPerAddressAccount: Int = 10,
            maxFailuresPerAccount: Int = 100, maxFailuresPerAddress: Int = 30, lockout: Double = 900, window: Double = 900
        ) {
            self.failureDelay = failureDelay
            self.maxDelay = maxDelay
            self.maxFailuresPerAddressAccount = maxFailuresPerAddressAccount
            self.maxFailuresPerAccount = maxFailuresPerAccount
            self.maxFailuresPerAddress = maxFailuresPerAddress
            self.lockout = lockout
            self.window = window
        }

        /// The delay after the `failures`th failure of an address: doubling, capped.
        public func delay(afterFailures failures: Int) -> Double {
            guard failureDelay > 0, failures > 0 else { return 0 }
            return min(failureDelay * Double(1 << min(failures - 1, 30)), max(maxDelay, failureDelay))
        }
    }

    let storage: any MailStorage
    let settings: Settings
    let bcryptCost: Int
    let now: @Sendable () -> Double
    /// What an unknown name's password is checked against.
    let decoy: DecoyHash
    /// Where every bcrypt and SCRAM key derivation runs.
    let hasher: PasswordHasher
    /// Good password logins remembered (`AuthCache`).
    let cache: AuthCache
    /// The key of the failed-password marks: in this process's memory only, so that a copy of
    /// the database cannot be searched offline for a recent wrong password (often an old real
    /// one). After a restart a repeated password counts once more: a small price.
    let markKey: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }

    public init(storage: any MailStorage, settings: Settings, bcryptCost: Int, now: @escaping @Sendable () -> Double) {
        self.storage = storage
        self.settings = settings
        self.bcryptCost = bcryptCost
        self.now = now
        self.hasher = PasswordHasher(threads: settings.hashThreads, queueDepth: settings.hashQueue)
        self.decoy = DecoyHash(cost: bcryptCost, hasher: hasher)
        self.cache = AuthCache(ttl: settings.authCacheSeconds, capacity: settings.authCacheSize)
    }

    /// Ends an account's cached logins in this process at once (its password changed or it was
    /// deleted here); other replicas see the credential version or the missing row.
    public func forgetCachedLogin(_ account: String) {
        cache.forget(Self.canonical(account))
    }

    /// The bcrypt hash and the SCRAM-SHA-256 keys (RFC 5803 form) for a new password, both
    /// computed on the hashing pool: what account creation and a password change store.
    public func verifiers(_ password: String) async throws -> (hash: String, scramKeys: String) {
        let cost = bcryptCost
        return try await hasher.run {
            (Bcrypt.hash(password, cost: UInt8(cost)), SCRAMSHA256.keys(password: password, iterations: Self.scramIterations).encoded)
        }
    }

    /// RFC 7677 §4: at least 4096; more costs every client each login, and gains little
    /// against a stolen database that bcrypt guards anyway.
    public static let scramIterations = SASLDefaults.scramIterations

    public func verify(_ request: LoginRequest) async throws -> LoginResult {
        let address = Self.canonical(request.username)
        return try await throttled(address: address, client: request.clientAddress) { client, pair in
            let credential = try await storage.passwordCredential(of: address)
            let stored = credential?.hash
            let password = request.password
            // The hash is in the mark: once the password is changed, no mark matches and every
            // password is checked again.
            let mark = passwordMark(password, client: client, account: address, hash: stored)
            // Known to fail here already: not checked again, so a loop of them costs no bcrypt.
            if pair?.passwordMark == mark { return .repeated }
            // Checked good before, at this very credential version and hash: no bcrypt. Only
            // the right password can hit, so a wrong one costs the same whether the name
            // exists or not.
            if let credential, cache.contains(address, credential: credential, password: password, now: now()) {
                Counter(label: "buzon_store_auth_cache_total", dimensions: [("result", "hit")]).increment()
                return .success(LoginResult(result: .ok, address: address))
            }
            if cache.isEnabled {
                Counter(label: "buzon_store_auth_cache_total", dimensions: [("result", "miss")]).increment()
            }
            // The same bcrypt work either way: the decoy has the cost new hashes get.
            let against: String
            if let stored { against = stored } else { against = try await decoy.hash() }
            let matches = try await hasher.run {
                Bcrypt.verify(password, hash: against) && stored != nil
            }
            guard matches, let stored, let credential else { return .failure(passwordMark: mark) }
            cache.remember(address, credential: credential, password: password, now: now())
            // Best effort: a login does not fail because these could not be done now.
            try? await addSCRAMKeysIfMissing(address, password: password, hash: stored)
            try? await rehashIfNeeded(address, password: password, hash: stored)
            return .success(LoginResult(result: .ok, address: address))
        }
    }

    /// What stands for a failed password on its (client, name) row: HMAC-SHA-256 under
    /// `markKey` of the client, the name, the account's hash and the password. Never the password
    /// nor a plain hash of it, which a precomputed dictionary would read; the same password at
    /// two rows leaves two unrelated marks, and a mark goes with its row (a good login, the
    /// hourly pruning once the window is over).
    func passwordMark(_ password: String, client: String, account: String, hash: String?) -> String {
        let message = ["login failure", client, account, hash ?? "", password].joined(separator: "\0")
        return SASLBase64.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: markKey))))
    }

    /// An account from before SCRAM keys were kept gets them at its first good password login,
    /// the one moment the store has the password. The salt is the decoy one SCRAM start
    /// already answered for the name, so the answer does not change when keys appear.
    private func addSCRAMKeysIfMissing(_ address: String, password: String, hash: String) async throws {
        // bcrypt reads 72 bytes: a longer string can match without being the password.
        guard password.utf8.count <= 72, try await storage.scramKeys(of: address) == nil else { return }
        let salt = SCRAMSHA256.decoySalt(secret: try await storage.secret(named: Self.decoySecret), username: address)
        let keys = try await hasher.run {
            SCRAMSHA256.keys(password: password, salt: salt, iterations: Self.scramIterations).encoded
        }
        try await storage.addSCRAMKeys(of: address, keys, ifPasswordHash: hash)
    }

    /// A hash made with another cost than new hashes get (the setting changed since) is made
    /// again at a good login, so that every hash, and the decoy, costs the same to check.
    private func rehashIfNeeded(_ address: String, password: String, hash: String) async throws {
        guard let cost = DecoyHash.cost(of: hash), cost != bcryptCost, password.utf8.count <= 72 else { return }
        let wanted = bcryptCost
        let fresh = try await hasher.run { Bcrypt.hash(password, cost: UInt8(wanted)) }
        try await storage.replacePasswordHash(of: address, with: fresh, ifPasswordHash: hash)
    }

    /// SCRAM-SHA-256 start: the salt and iteration count; for a name without keys a decoy
    /// salt derived from a store secret and the name, stable, so nothing tells them apart.
    public func scramStart(_ request: SCRAMStartRequest) async throws -> SCRAMStartResult {
        let address = Self.canonical(request.username)
        // Both looked up every time: the same queries whether the name exists or not.
        let keys = try await storage.scramKeys(of: address).flatMap(SCRAMSHA256.Keys.init(encoded:))
        let salt = SCRAMSHA256.decoySalt(secret: try await storage.secret(named: Self.decoySecret), username: address)
        if let keys {
            return SCRAMStartResult(salt: SASLBase64.encode(keys.salt), iterations: keys.iterations)
        }
        return SCRAMStartResult(salt: SASLBase64.encode(salt), iterations: Self.scramIterations)
    }

    /// SCRAM-SHA-256 finish: checks the client proof (RFC 5802 §3) under the same throttling
    /// and lockout as a password; on success the answer carries the ServerSignature.
    public func scramFinish(_ request: SCRAMFinishRequest, proof: [UInt8]) async throws -> LoginResult {
        let address = Self.canonical(request.username)
        return try await throttled(address: address, client: request.clientAddress) { _, _ in
            let keys = try await storage.scramKeys(of: address).flatMap(SCRAMSHA256.Keys.init(encoded:))
            // An unknown name is checked against decoy keys: the same work either way.
            let signature = SCRAMSHA256.verify(proof: proof, authMessage: request.authMessage, keys: keys ?? Self.decoyKeys)
            // No mark: a proof differs at every attempt (the nonces), so a repeat cannot be told.
            guard keys != nil, let signature else { return .failure(passwordMark: nil) }
            return .success(LoginResult(result: .ok, address: address, serverSignature: SASLBase64.encode(signature)))
        }
    }

    static let decoySecret = "scram-decoy-salt"
    private static let decoyKeys = SCRAMSHA256.Keys(
        salt: [], iterations: 0, storedKey: (0..<32).map { _ in UInt8.random(in: 0...255) }, serverKey: Array(repeating: 0, count: 32))

    static func canonical(_ username: String) -> String {
        Validation.address(username) ?? username.lowercased()
    }

    /// What a login check found.
    enum CheckOutcome {
        case success(LoginResult)
        /// The password is wrong; `passwordMark` is remembered for a repeat to be told.
        case failure(passwordMark: String?)
        /// The wrong password this (client, name) pair failed with last, within the window.
        case repeated
    }

    /// The accounting every login check shares, password or SCRAM, the same for every name:
    ///
    /// 1. a lock of the (address, name) pair, of the address or of the name is answered at
    ///    once, before any check;
    /// 2. a success clears the pair's count (the owner's own typing errors from there) and is
    ///    answered at once: neither the address's nor the name's count is cleared, or one good
    ///    login of his own would let a guesser start again;
    /// 3. a failure counts in all three, and is answered after the delay the address earned
    ///    (its count, or the pair's if higher), never the name's count: a guesser elsewhere
    ///    must not slow the owner;
    /// 4. a repeat of the pair's last failed password is answered as a failure after the delay
    ///    already earned, and counts nowhere: it tells the client nothing new, and a guesser
    ///    who varies his passwords is counted at each.
    ///
    /// The address is the client's key (`ClientAddressKey`: an IPv6 client by its /64). `check`
    /// gets it and the pair's counter if it is within its window.
    private func throttled(
        address: String, client: String?, _ check: (_ client: String, _ pair: LoginFailureState?) async throws -> CheckOutcome
    ) async throws -> LoginResult {
        let client = ClientAddressKey.key(client ?? "unknown")
        let time = now()
        let keys: [LoginFailureKey] = [.addressAccount(client, address), .address(client), .account(address)]
        let states = try await storage.loginFailures(keys)
        let lockedUntil = states.compactMap { $0?.lockedUntil }.filter { $0 > time }.max()
        if let lockedUntil {
            return LoginResult(result: .locked, retryAfter: Int((lockedUntil - time).rounded(.up)))
        }
        let current = states.map { state in state.flatMap { time - $0.windowStart < settings.window ? $0 : nil } }
        let failures: [Int]
        switch try await check(client, current[0]) {
        case .success(let result):
            if states[0] != nil { try await storage.clearLoginFailures([keys[0]]) }
            return result
        case .repeated:
            failures = current.map { $0?.failures ?? 0 }
        case .failure(let mark):
            failures = try await storage.recordLoginFailures(
                [
                    (keys[0], settings.maxFailuresPerAddressAccount), (keys[1], settings.maxFailuresPerAddress),
                    (keys[2], settings.maxFailuresPerAccount),
                ], passwordMark: mark, now: time, window: settings.window, lockout: settings.lockout
            ).map(\.failures)
        }
        let delay = settings.delay(afterFailures: max(failures[0], failures[1]))
        if delay > 0 {
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
        return LoginResult(result: .invalid)
    }

    /// The counters for the administrator (`GET /v1/login-failures`). An address is taken as
    /// its client's key: an IPv6 address finds its /64's counters.
    public func failures(account: String?, address: String?) async throws -> [LoginFailureEntry] {
        try await storage.listLoginFailures(
            account: account.map(Self.canonical), address: address.map(ClientAddressKey.key), now: now(), window: settings.window)
    }

    /// Clears an account name's counters and locks (its own and every address's against it),
    /// or an address's (`DELETE /v1/login-failures`).
    public func clearFailures(account: String?, address: String?) async throws -> Int {
        try await storage.clearLoginFailures(account: account.map(Self.canonical), address: address.map(ClientAddressKey.key))
    }
}
