import LineFraming

/// The parameters of RCPT TO, typed: the DSN requests of RFC 3461 §4.1–4.2.
/// Unknown keywords stay in `other` (see `MailParameters`).
///
/// ```
/// C: RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.org
/// ```
public struct RcptParameters: Sendable, Hashable {
    /// One NOTIFY condition. RFC 3461 §4.1.
    public enum Notify: String, Sendable, Hashable, CaseIterable {
        case success = "SUCCESS"
        case failure = "FAILURE"
        case delay = "DELAY"
    }

    /// `ORCPT=addr-type;xtext`: the recipient as the sender first wrote it. RFC 3461 §4.2.
    public struct OriginalRecipient: Sendable, Hashable {
        /// `rfc822` or `utf-8` (RFC 6533 §3), as written.
        public var addressType: String
        /// The address, decoded (xtext; unitext for `utf-8`, RFC 6533 §3).
        public var address: String

        public init(addressType: String, address: String) {
            self.addressType = addressType
            self.address = address
        }
    }

    /// `NOTIFY=`: nil when absent; the empty set is `NOTIFY=NEVER`. RFC 3461 §4.1.
    public var notify: Set<Notify>?
    public var originalRecipient: OriginalRecipient?
    public var other: [ESMTPParameter]

    public init(notify: Set<Notify>? = nil, originalRecipient: OriginalRecipient? = nil, other: [ESMTPParameter] = []) {
        self.notify = notify
        self.originalRecipient = originalRecipient
        self.other = other
    }

    /// Types the known parameters; a known keyword with a bad value is 501 5.5.4.
    public static func parse(_ parameters: [ESMTPParameter]) -> Result<RcptParameters, SMTPSyntaxError> {
        var result = RcptParameters()
        func bad(_ detail: String) -> Result<RcptParameters, SMTPSyntaxError> {
            .failure(SMTPSyntaxError(.parameterSyntax, detail))
        }
        for parameter in parameters {
            switch parameter.keyword {
            case "NOTIFY":
                // notify-esmtp-value = "NEVER" / 1#notify-list-element. RFC 3461 §4.1
                guard let value = parameter.value.map({ ByteClass.upperString($0.utf8) }) else { return bad("NOTIFY needs a value") }
                if value == "NEVER" {
                    result.notify = []
                    continue
                }
                var set = Set<Notify>()
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let notify = Notify(rawValue: String(item)), set.insert(notify).inserted else { return bad("bad NOTIFY") }
                }
                result.notify = set
            case "ORCPT":
                // orcpt-parameter = "ORCPT=" original-recipient-address
                // original-recipient-address = addr-type ";" xtext. RFC 3461 §4.2
                guard let value = parameter.value, let semicolon = value.firstIndex(of: ";") else { return bad("bad ORCPT") }
                let type = value[..<semicolon]
                let encoded = String(value[value.index(after: semicolon)...])
                // The utf-8 type uses RFC 6533 §3 unitext ("\x{HEX}"), every other type xtext.
                let decoded = ByteClass.equalsIgnoringCase(type.utf8, "UTF-8") ? XText.decodeUnitext(encoded) : XText.decode(encoded)
                guard let first = type.utf8.first, ByteClass.isLetDig(first),
                    type.utf8.allSatisfy({ ByteClass.isLetDig($0) || $0 == ByteClass.hyphen }),
                    let address = decoded, !address.isEmpty
                else { return bad("bad ORCPT") }
                result.originalRecipient = OriginalRecipient(addressType: String(type), address: address)
            default:
                result.other.append(parameter)
            }
        }
        return .success(result)
    }

    /// The parameters as written on the wire, known ones first.
    public var encoded: [ESMTPParameter] {
        var list: [ESMTPParameter] = []
        if let notify {
            let order = Notify.allCases.filter(notify.contains).map(\.rawValue)
            list.append(ESMTPParameter("NOTIFY", order.isEmpty ? "NEVER" : order.joined(separator: ",")))
        }
        if let originalRecipient {
            let type = originalRecipient.addressType
            let address =
                ByteClass.equalsIgnoringCase(type.utf8, "UTF-8")
                ? XText.encodeUnitext(originalRecipient.address) : XText.encode(originalRecipient.address)
            list.append(ESMTPParameter("ORCPT", "\(type);\(address)"))
        }
        return list + other
    }
}
