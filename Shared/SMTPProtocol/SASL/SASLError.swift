import Foundation

/// Why a SASL exchange failed before any credential check. RFC 4954 §4.
public enum SASLError: Error, Sendable, Hashable {
    /// The client sent `*`: 501 5.0.0. RFC 4954 §4.
    case cancelled
    /// Not base64, or not what the mechanism expects: 501 5.5.2. RFC 4954 §4.
    case malformed(String)

    /// The reply to send.
    public var reply: SMTPReply {
        switch self {
        case .cancelled: .authCancelled
        case .malformed: .authResponseInvalid
        }
    }
}

/// Base64 as SASL uses it in SMTP: RFC 4648 §4 with padding, no line breaks. RFC 4954 §4.
enum SASLBase64 {
    /// Decodes a client response line; "*" is a cancellation, "=" an empty response.
    static func decodeResponse(_ line: String) -> Result<[UInt8], SASLError> {
        let trimmed = line.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if trimmed == "*" { return .failure(.cancelled) }  // RFC 4954 §4
        if trimmed == "=" || trimmed.isEmpty { return .success([]) }  // RFC 4954 §4: "=" is an empty initial response
        guard let data = Data(base64Encoded: trimmed) else { return .failure(.malformed("not base64")) }
        return .success(Array(data))
    }

    static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        Data(bytes).base64EncodedString()
    }
}
