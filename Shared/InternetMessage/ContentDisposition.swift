/// A Content-Disposition value (RFC 2183 §2).
///
/// ```
/// Content-Disposition: attachment; filename="report.pdf"; size=1024
/// ```
public struct ContentDisposition: Codable, Sendable, Hashable {
    /// Lower-cased, e.g. "inline" or "attachment".
    public var type: String
    public var parameters: [Parameter]

    public init(type: String, parameters: [Parameter] = []) {
        self.type = type
        self.parameters = parameters
    }

    /// Parses a header value; nil when there is no disposition type.
    public init?(parsing value: String) {
        let (lead, parameters) = MIMEParameters.split(value)
        guard !lead.isEmpty else { return nil }
        self.type = ByteScan.asciiLowercased(lead)
        self.parameters = parameters
    }

    public func parameter(_ name: String) -> String? { parameters.value(of: name) }

    /// RFC 2183 §2.3 filename parameter.
    public var filename: String? { parameter("filename") }
}
