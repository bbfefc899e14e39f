import LineFraming

/// An enhanced mail system status code, RFC 3463 §2: `class "." subject "." detail`.
///
/// ```
/// S: 250 2.1.5 Recipient OK
/// ```
/// carries `EnhancedStatusCode(2, 1, 5)`. The class repeats the first digit of the
/// reply code (RFC 2034 §3); subject and detail are 1–3 digits each.
public struct EnhancedStatusCode: Sendable, Hashable, CustomStringConvertible {
    /// 2 success, 4 persistent transient failure, 5 permanent failure. RFC 3463 §3.1.
    public var statusClass: Int
    /// Which part of the system: 1 addressing, 3 mail system, 5 protocol, 7 security… RFC 3463 §3.2.
    public var subject: Int
    public var detail: Int

    public init(_ statusClass: Int, _ subject: Int, _ detail: Int) {
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parses `2.1.5`; nil unless it matches RFC 3463 §2 exactly.
    ///
    /// ```
    /// status-code = class "." subject "." detail
    /// class = "2" / "4" / "5"
    /// subject = 1*3digit
    /// detail = 1*3digit
    /// ```
    public init?<C: Collection>(parsing bytes: C) where C.Element == UInt8 {
        let parts = bytes.split(separator: ByteClass.dot, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 1,
            let statusClass = ByteClass.decimal(parts[0]), [2, 4, 5].contains(statusClass),  // RFC 3463 §2
            let subject = ByteClass.decimal(parts[1], maxDigits: 3),
            let detail = ByteClass.decimal(parts[2], maxDigits: 3)
        else { return nil }
        self.init(statusClass, subject, detail)
    }

    public init?(_ string: String) { self.init(parsing: Array(string.utf8)) }

    public var description: String { "\(statusClass).\(subject).\(detail)" }
}
