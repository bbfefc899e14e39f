import LineFraming

/// The parameters of MAIL FROM, typed. Unknown keywords stay in `other`: whether
/// they are acceptable depends on what the server announced, so the session
/// answers 555 5.5.4 for them (RFC 5321 §4.1.1.11), not the grammar.
///
/// ```
/// C: MAIL FROM:<a@example.org> SIZE=1024 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ314159 AUTH=<>
/// ```
public struct MailParameters: Sendable, Hashable {
    /// `BODY=`: RFC 6152 §2 (7BIT, 8BITMIME), RFC 3030 §3 (BINARYMIME).
    public enum Body: String, Sendable, Hashable, CaseIterable {
        case sevenBit = "7BIT"
        case eightBitMIME = "8BITMIME"
        case binaryMIME = "BINARYMIME"
    }

    /// `RET=`: what a DSN returns. RFC 3461 §4.3.
    public enum Return: String, Sendable, Hashable, CaseIterable {
        case full = "FULL"
        case headers = "HDRS"
    }

    /// The value of `AUTH=`. RFC 4954 §5.
    public enum AuthIdentity: Sendable, Hashable {
        /// `AUTH=<>`: the submitter is not known or not trusted.
        case unknown
        /// The xtext-decoded addr-spec of the submitter.
        case identity(String)
    }

    /// The declared size in octets (`SIZE=`, RFC 1870 §3; 20 digits allowed, so
    /// values beyond `Int.max` become `Int.max` — too big either way).
    public var size: Int?
    public var body: Body?
    /// `SMTPUTF8`, no value. RFC 6531 §3.4.
    public var smtpUTF8: Bool
    public var ret: Return?
    /// `ENVID=`, xtext-decoded, at most 100 characters. RFC 3461 §4.4.
    public var envelopeID: String?
    /// `AUTH=`: who submitted the message, as a relaying server vouches. RFC 4954 §5.
    public var auth: AuthIdentity?
    /// Parameters with other keywords, in order.
    public var other: [ESMTPParameter]

    public init(
        size: Int? = nil, body: Body? = nil, smtpUTF8: Bool = false, ret: Return? = nil,
        envelopeID: String? = nil, auth: AuthIdentity? = nil, other: [ESMTPParameter] = []
    ) {
        self.size = size
        self.body = body
        self.smtpUTF8 = smtpUTF8
        self.ret = ret
        self.envelopeID = envelopeID
        self.auth = auth
        self.other = other
    }

    /// Types the known parameters; a known keyword with a bad value is 501 5.5.4.
    public static func parse(_ parameters: [ESMTPParameter]) -> Result<MailParameters, SMTPSyntaxError> {
        var result = MailParameters()
        func bad(_ detail: String) -> Result<MailParameters, SMTPSyntaxError> {
            .failure(SMTPSyntaxError(.parameterSyntax, detail))
        }
        for parameter in parameters {
            let value = parameter.value
            switch parameter.keyword {
            case "SIZE":
                // size-value ::= 1*20DIGIT. RFC 1870 §3
                guard let digits = value?.utf8, !digits.isEmpty, digits.count <= 20, digits.allSatisfy(ByteClass.isDigit) else {
                    return bad("bad SIZE")
                }
                result.size = ByteClass.decimal(digits) ?? Int.max
            case "BODY":
                guard let value, let body = Body(rawValue: ByteClass.upperString(value.utf8)) else { return bad("bad BODY") }
                result.body = body
            case "SMTPUTF8":
                guard value == nil else { return bad("SMTPUTF8 takes no value") }  // RFC 6531 §3.4
                result.smtpUTF8 = true
            case "RET":
                guard let value, let ret = Return(rawValue: ByteClass.upperString(value.utf8)) else { return bad("bad RET") }
                result.ret = ret
            case "ENVID":
                // ENVID=xtext, at most 100 characters decoded. RFC 3461 §4.4
                guard let value, let id = XText.decode(value), id.utf8.count <= SMTPDefaults.envelopeIDLength else {
                    return bad("bad ENVID")
                }
                result.envelopeID = id
            case "AUTH":
                // auth-param = "AUTH=" ("<>" / xtext). RFC 4954 §5
                guard let value else { return bad("AUTH= needs a value") }
                if value == "<>" {
                    result.auth = .unknown
                } else {
                    guard let identity = XText.decode(value), !identity.isEmpty else { return bad("bad AUTH=") }
                    result.auth = .identity(identity)
                }
            default:
                result.other.append(parameter)
            }
        }
        return .success(result)
    }

    /// The parameters as written on the wire, known ones first.
    public var encoded: [ESMTPParameter] {
        var list: [ESMTPParameter] = []
        if let size { list.append(ESMTPParameter("SIZE", String(size))) }
        if let body { list.append(ESMTPParameter("BODY", body.rawValue)) }
        if smtpUTF8 { list.append(ESMTPParameter("SMTPUTF8")) }
        if let ret { list.append(ESMTPParameter("RET", ret.rawValue)) }
        if let envelopeID { list.append(ESMTPParameter("ENVID", XText.encode(envelopeID))) }
        switch auth {
        case .unknown: list.append(ESMTPParameter("AUTH", "<>"))
        case .identity(let identity): list.append(ESMTPParameter("AUTH", XText.encode(identity)))
        case nil: break
        }
        return list + other
    }
}
