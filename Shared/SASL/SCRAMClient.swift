/// The client side of SCRAM-SHA-256 (RFC 5802 §3, §7), without channel binding: what the
/// gateways' tests log in with, and what a client of ours would use.
///
/// ```
/// var client = SCRAMClient(username: "user", password: "pencil")
/// send(client.clientFirst)                                  // n,,n=user,r=…
/// send(client.clientFinal(serverFirst: received)!)         // c=biws,r=…,p=…
/// client.verifies(serverFinal: received)                    // v=… matches
/// ```
public struct SCRAMClient: Sendable {
    public let username: String
    let password: String
    let clientNonce: String
    private var expectedSignature: [UInt8]?

    public init(username: String, password: String, clientNonce: String? = nil) {
        self.username = username
        self.password = password
        self.clientNonce = clientNonce ?? SASLExchange.randomNonce()
    }

    var bare: String { "n=\(SASLName.encode(username)),r=\(clientNonce)" }

    /// `n,,n=<user>,r=<nonce>`.
    public var clientFirst: String { "n,," + bare }

    /// The client-final for the server-first, or nil when the server-first is not one
    /// (no `r=` that extends our nonce, no salt, fewer than 4096 iterations).
    public mutating func clientFinal(serverFirst: String) -> String? {
        var nonce: String?, salt: [UInt8]?, iterations: Int?
        for attribute in serverFirst.split(separator: ",") {
            let value = String(attribute.dropFirst(2))
            if attribute.hasPrefix("r=") { nonce = value }
            if attribute.hasPrefix("s=") { salt = SASLBase64.decode(value) }
            if attribute.hasPrefix("i=") { iterations = Int(value) }
        }
        guard let nonce, nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count, let salt, let iterations,
            iterations >= SASLDefaults.minimumSCRAMIterations
        else { return nil }
        let withoutProof = "c=biws,r=\(nonce)"  // biws = base64("n,,")
        let authMessage = bare + "," + serverFirst + "," + withoutProof
        let salted = SCRAMSHA256.saltedPassword(password, salt: salt, iterations: iterations)
        let clientKey = SCRAMSHA256.hmac(salted, "Client Key")
        let proof = zip(clientKey, SCRAMSHA256.hmac(SCRAMSHA256.hash(clientKey), authMessage)).map { $0 ^ $1 }
        expectedSignature = SCRAMSHA256.hmac(SCRAMSHA256.hmac(salted, "Server Key"), authMessage)
        return withoutProof + ",p=" + SASLBase64.encode(proof)
    }

    /// Whether the server-final `v=` proves the server holds the keys. RFC 5802 §3
    public func verifies(serverFinal: String) -> Bool {
        guard serverFinal.hasPrefix("v="), let expectedSignature,
            let signature = SASLBase64.decode(String(serverFinal.dropFirst(2)))
        else { return false }
        return signature == expectedSignature
    }
}
