/// The SCRAM messages the server reads and writes. RFC 5802 §7.
///
/// ```
/// C: n,,n=user,r=rOprNGfwEbeRWgbNEkqO                     (client-first)
/// S: r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,
///    s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096                    (server-first)
/// C: c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,
///    p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=      (client-final)
/// S: v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=      (server-final)
/// ```
enum SCRAMMessages {
    /// The client-first message.
    struct ClientFirst: Sendable, Hashable {
        /// `gs2-header`, as sent: `c=` of the client-final must repeat it. RFC 5802 §7
        var gs2Header: String
        /// `client-first-message-bare`: part of the AuthMessage. RFC 5802 §3
        var bare: String
        var username: String
        var clientNonce: String
    }

    /// The client-final message.
    struct ClientFinal: Sendable, Hashable {
        /// `client-final-message-without-proof`: part of the AuthMessage.
        var withoutProof: String
        var channelBinding: [UInt8]
        var nonce: String
        var proof: [UInt8]
    }

    /// ```
    /// client-first-message = gs2-header client-first-message-bare
    /// gs2-header      = gs2-cbind-flag "," [ authzid ] ","
    /// gs2-cbind-flag  = ("p=" cb-name) / "n" / "y"
    /// authzid         = "a=" saslname
    /// client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
    /// username        = "n=" saslname
    /// nonce           = "r=" c-nonce [s-nonce]
    /// ```
    static func parseClientFirst(_ bytes: [UInt8]) -> Result<ClientFirst, SASLError> {
        guard bytes.count <= SASLDefaults.maxSCRAMMessageLength else { return .failure(.fieldTooLong) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        guard !bytes.contains(0) else { return .failure(.malformedMessage) }
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformedMessage) }
        switch parts[0] {
        case "n", "y": break  // "y": the client could bind, but thinks we cannot — true, we don't offer -PLUS
        case let flag where flag.hasPrefix("p="): return .failure(.channelBindingNotSupported)  // RFC 5802 §6
        default: return .failure(.malformedMessage)
        }
        var authzid = ""
        if !parts[1].isEmpty {
            guard parts[1].hasPrefix("a=") else { return .failure(.malformedMessage) }
            switch SASLName.decode(String(parts[1].dropFirst(2))) {
            case .failure(let error): return .failure(error)
            case .success(let name): authzid = name
            }
        }
        let bare = String(parts[2])
        let attributes = bare.split(separator: ",", omittingEmptySubsequences: false)
        // RFC 5802 §5.1: "m=" is a mandatory extension we do not know: the exchange fails.
        guard attributes.count >= 2, attributes[0].hasPrefix("n="), attributes[1].hasPrefix("r=") else {
            return .failure(.malformedMessage)
        }
        let username: String
        switch SASLName.decode(String(attributes[0].dropFirst(2))) {
        case .failure(let error): return .failure(error)
        case .success(let name): username = name
        }
        let nonce = String(attributes[1].dropFirst(2))
        guard isNonce(nonce) else { return .failure(.malformedMessage) }
        guard SASLIdentity.mayAct(as: authzid, user: username) else { return .failure(.authorizationMismatch) }
        return .success(ClientFirst(gs2Header: "\(parts[0]),\(parts[1]),", bare: bare, username: username, clientNonce: nonce))
    }

    /// ```
    /// client-final-message-without-proof = channel-binding "," nonce ["," extensions]
    /// client-final-message = client-final-message-without-proof "," proof
    /// channel-binding = "c=" base64
    /// proof           = "p=" base64
    /// ```
    static func parseClientFinal(_ bytes: [UInt8]) -> Result<ClientFinal, SASLError> {
        guard bytes.count <= SASLDefaults.maxSCRAMMessageLength else { return .failure(.fieldTooLong) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        let attributes = text.split(separator: ",", omittingEmptySubsequences: false)
        guard attributes.count >= 3, attributes[0].hasPrefix("c="), attributes[1].hasPrefix("r="),
            let last = attributes.last, last.hasPrefix("p=")
        else { return .failure(.malformedMessage) }
        guard let binding = SASLBase64.decode(String(attributes[0].dropFirst(2))),
            let proof = SASLBase64.decode(String(last.dropFirst(2)))
        else { return .failure(.malformedBase64) }
        guard proof.count == SCRAMSHA256.keyLength else { return .failure(.malformedMessage) }
        let withoutProof = attributes.dropLast().joined(separator: ",")
        return .success(
            ClientFinal(withoutProof: withoutProof, channelBinding: binding, nonce: String(attributes[1].dropFirst(2)), proof: proof))
    }

    /// `server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]`
    static func serverFirst(nonce: String, salt: [UInt8], iterations: Int) -> String {
        "r=\(nonce),s=\(SASLBase64.encode(salt)),i=\(iterations)"
    }

    /// `server-final-message = (server-error / verifier) ["," extensions]`; `verifier = "v=" base64`
    static func serverFinal(signature: [UInt8]) -> String {
        "v=\(SASLBase64.encode(signature))"
    }

    /// `printable = %x21-2B / %x2D-7E` ; printable ASCII except ","
    static func isNonce(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= SASLDefaults.maxFieldLength
            && text.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: ",") }
    }
}

/// `saslname`: a user name in SCRAM, with "," and "=" escaped as `=2C` and `=3D`. RFC 5802 §5.1
///
/// ```
/// saslname        = 1*(value-safe-char / "=2C" / "=3D")
/// value-safe-char = %x01-2B / %x2D-3C / %x3E-7F / UTF8-2 / UTF8-3 / UTF8-4
/// ```
public enum SASLName {
    public static func decode(_ text: String) -> Result<String, SASLError> {
        guard !text.isEmpty else { return .failure(.malformedMessage) }
        guard text.utf8.count <= SASLDefaults.maxFieldLength else { return .failure(.fieldTooLong) }
        var out = ""
        var rest = Substring(text)
        while let first = rest.first {
            if first == "=" {
                if rest.hasPrefix("=2C") {
                    out.append(",")
                } else if rest.hasPrefix("=3D") {
                    out.append("=")
                } else {
                    return .failure(.malformedMessage)  // RFC 5802 §5.1: any other "=" MUST fail
                }
                rest = rest.dropFirst(3)
            } else {
                out.append(first)
                rest = rest.dropFirst()
            }
        }
        return .success(out)
    }

    public static func encode(_ name: String) -> String {
        name.replacing("=", with: "=3D").replacing(",", with: "=2C")
    }
}
