import Crypto
import _CryptoExtras

/// SCRAM-SHA-256's arithmetic (RFC 5802 §3 with SHA-256, RFC 7677): the keys the store keeps
/// instead of the password, the server's check of a client proof and its own signature.
///
/// ```
/// SaltedPassword  := Hi(Normalize(password), salt, i)
/// ClientKey       := HMAC(SaltedPassword, "Client Key")
/// StoredKey       := H(ClientKey)
/// AuthMessage     := client-first-message-bare + "," + server-first-message + "," +
///                    client-final-message-without-proof
/// ClientSignature := HMAC(StoredKey, AuthMessage)
/// ClientProof     := ClientKey XOR ClientSignature
/// ServerKey       := HMAC(SaltedPassword, "Server Key")
/// ServerSignature := HMAC(ServerKey, AuthMessage)
/// ```
public enum SCRAMSHA256 {
    public static let mechanism = "SCRAM-SHA-256"
    /// Octets of SHA-256 output, and so of every key, proof and signature.
    public static let keyLength = 32

    /// What the store keeps for one account: enough to check a proof, not enough to log in.
    public struct Keys: Sendable, Hashable {
        public var salt: [UInt8]
        public var iterations: Int
        public var storedKey: [UInt8]
        public var serverKey: [UInt8]

        public init(salt: [UInt8], iterations: Int, storedKey: [UInt8], serverKey: [UInt8]) {
            self.salt = salt
            self.iterations = iterations
            self.storedKey = storedKey
            self.serverKey = serverKey
        }

        /// The RFC 5803 §3 form: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`.
        public var encoded: String {
            "\(SCRAMSHA256.mechanism)$\(iterations):\(SASLBase64.encode(salt))$\(SASLBase64.encode(storedKey)):\(SASLBase64.encode(serverKey))"
        }

        public init?(encoded: String) {
            let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == SCRAMSHA256.mechanism else { return nil }
            let first = parts[1].split(separator: ":"), second = parts[2].split(separator: ":")
            guard first.count == 2, second.count == 2, let iterations = Int(first[0]),
                let salt = SASLBase64.decode(String(first[1])),
                let storedKey = SASLBase64.decode(String(second[0])), let serverKey = SASLBase64.decode(String(second[1])),
                storedKey.count == SCRAMSHA256.keyLength, serverKey.count == SCRAMSHA256.keyLength
            else { return nil }
            self.init(salt: salt, iterations: iterations, storedKey: storedKey, serverKey: serverKey)
        }
    }

    /// `Hi(Normalize(password), salt, i)`: PBKDF2-HMAC-SHA-256 (RFC 5802 §2.2). RFC 7677 §4's
    /// 4096 iterations are below swift-crypto's checked minimum for password storage, hence
    /// the unchecked call; the count is the protocol's, not a choice made here.
    public static func saltedPassword(_ password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        let normalized = SASLprep.prepare(password) ?? password
        // Only a count below 1 (a damaged stored value) fails: then no proof can match.
        guard iterations >= 1,
            let key = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Array(normalized.utf8), salt: salt, using: .sha256, outputByteCount: keyLength, unsafeUncheckedRounds: iterations)
        else { return [UInt8](repeating: 0, count: keyLength) }
        return key.withUnsafeBytes { Array($0) }
    }

    /// The keys for a password with this salt and iteration count.
    public static func keys(password: String, salt: [UInt8], iterations: Int = SASLDefaults.scramIterations) -> Keys {
        let salted = saltedPassword(password, salt: salt, iterations: iterations)
        let clientKey = hmac(salted, "Client Key")
        return Keys(salt: salt, iterations: iterations, storedKey: hash(clientKey), serverKey: hmac(salted, "Server Key"))
    }

    /// New keys with a random salt.
    public static func keys(password: String, iterations: Int = SASLDefaults.scramIterations) -> Keys {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<SASLDefaults.saltOctets).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return keys(password: password, salt: salt, iterations: iterations)
    }

    /// The server's check (RFC 5802 §3): recover ClientKey from the proof, hash it, compare with
    /// StoredKey. On success the ServerSignature for the server-final message; nil otherwise.
    public static func verify(proof: [UInt8], authMessage: String, keys: Keys) -> [UInt8]? {
        guard proof.count == keyLength else { return nil }
        let signature = hmac(keys.storedKey, authMessage)
        let clientKey = zip(proof, signature).map { $0 ^ $1 }
        // Constant time: a mismatch must not say where it is.
        let difference = zip(hash(clientKey), keys.storedKey).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) }
        guard difference == 0 else { return nil }
        return serverSignature(authMessage: authMessage, serverKey: keys.serverKey)
    }

    public static func serverSignature(authMessage: String, serverKey: [UInt8]) -> [UInt8] {
        hmac(serverKey, authMessage)
    }

    /// The client side: the proof for an AuthMessage (tests, and any client we write).
    public static func clientProof(password: String, salt: [UInt8], iterations: Int, authMessage: String) -> [UInt8] {
        let salted = saltedPassword(password, salt: salt, iterations: iterations)
        let clientKey = hmac(salted, "Client Key")
        return zip(clientKey, hmac(hash(clientKey), authMessage)).map { $0 ^ $1 }
    }

    /// A salt that is the same for a name every time and says nothing about whether the
    /// account exists: what the store answers for names it has no keys for.
    public static func decoySalt(secret: [UInt8], username: String) -> [UInt8] {
        Array(hmac(secret, "scram decoy salt\0" + username.lowercased()).prefix(SASLDefaults.saltOctets))
    }

    static func hmac(_ key: [UInt8], _ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
    }

    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
