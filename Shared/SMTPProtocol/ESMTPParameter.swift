import LineFraming

/// One ESMTP parameter of MAIL or RCPT, RFC 5321 §4.1.2.
///
/// ```
/// esmtp-param   = esmtp-keyword ["=" esmtp-value]
/// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
/// esmtp-value   = 1*(%d33-60 / %d62-126 / UTF8-non-ascii)   ; RFC 6531 §3.3
/// ```
/// `C: MAIL FROM:<a@x> SIZE=1024 BODY=8BITMIME` has `SIZE=1024` and `BODY=8BITMIME`.
public struct ESMTPParameter: Sendable, Hashable, CustomStringConvertible {
    /// The keyword upper-cased (keywords are case-insensitive, RFC 5321 §2.4).
    public var keyword: String
    public var value: String?

    public init(_ keyword: String, _ value: String? = nil) {
        self.keyword = ByteClass.upperString(keyword.utf8)
        self.value = value
    }

    public var description: String { value.map { "\(keyword)=\($0)" } ?? keyword }

    /// Parses `KEY[=VALUE]`; nil when it breaks the grammar above.
    static func parse(_ bytes: ArraySlice<UInt8>) -> ESMTPParameter? {
        let equals = bytes.firstIndex(of: ByteClass.equals)
        let keyword = bytes[..<(equals ?? bytes.endIndex)]
        guard let first = keyword.first, ByteClass.isLetDig(first),
            keyword.allSatisfy({ ByteClass.isLetDig($0) || $0 == ByteClass.hyphen })
        else { return nil }
        guard let equals else { return ESMTPParameter(ByteClass.upperString(keyword)) }
        let value = bytes[(equals + 1)...]
        guard !value.isEmpty,
            value.allSatisfy({ (33...126).contains($0) && $0 != ByteClass.equals || ByteClass.isNonASCII($0) }),
            let text = String(validating: value, as: UTF8.self)
        else { return nil }
        return ESMTPParameter(ByteClass.upperString(keyword), text)
    }

    /// Splits `SP`-separated parameters (runs of spaces tolerated) and rejects
    /// repeated keywords, which no extension allows.
    static func parseList(_ bytes: ArraySlice<UInt8>) -> Result<[ESMTPParameter], SMTPSyntaxError> {
        var list: [ESMTPParameter] = []
        for word in bytes.split(separator: ByteClass.space) {
            guard let parameter = parse(word) else {
                return .failure(SMTPSyntaxError(.parameterSyntax, "bad ESMTP parameter"))
            }
            guard !list.contains(where: { $0.keyword == parameter.keyword }) else {
                return .failure(SMTPSyntaxError(.parameterSyntax, "repeated parameter \(parameter.keyword)"))
            }
            list.append(parameter)
        }
        return .success(list)
    }
}
