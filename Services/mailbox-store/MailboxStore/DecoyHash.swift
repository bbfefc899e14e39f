import HummingbirdBcrypt
import Synchronization

/// The bcrypt hash an unknown name's password is checked against, so that a wrong password
/// costs the same whether the account exists or not.
///
/// Its cost is the one new hashes get (`BUZON_BCRYPT_COST`), and a login with a hash of
/// another cost brings that hash to it (`LoginPolicy.rehashIfNeeded`), so the decoy costs
/// what the accounts' own hashes cost. Made once, at first need, on the hashing pool.
final class DecoyHash: Sendable {
    let cost: Int
    let hasher: PasswordHasher
    private let made = Mutex<String?>(nil)

    init(cost: Int, hasher: PasswordHasher) {
        self.cost = cost
        self.hasher = hasher
    }

    func hash() async throws -> String {
        if let hash = made.withLock({ $0 }) { return hash }
        let cost = self.cost
        let fresh = try await hasher.run {
            // A random password: no one can log in as an unknown name by guessing it.
            Bcrypt.hash(String((0..<32).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! }), cost: UInt8(cost))
        }
        return made.withLock { stored in
            if stored == nil { stored = fresh }
            return stored ?? fresh
        }
    }

    /// The cost a bcrypt hash was made with (`$2b$10$…`), nil if it is not one.
    static func cost(of hash: String) -> Int? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0].hasPrefix("2") else { return nil }
        return Int(parts[1])
    }
}
