import LineFraming

/// A server response's status line: `+OK` or `-ERR`, an optional extended response
/// code (RFC 2449 §8) and text; or a SASL continuation `+ base64` (RFC 5034 §4).
/// A multi-line body, when the command has one, follows a `+OK` (`MultilineEncoder`).
///
/// ```
/// S: +OK 2 messages (320 octets)
/// S: -ERR [AUTH] Authentication failed
/// S: +
/// ```
/// ```
/// single-line = status [SP text] CRLF          ; RFC 2449 §3
/// status      = "+OK" / "-ERR"
/// text        = *schar / resp-code *CHAR
/// continue-req = "+" SP [base64] CRLF          ; RFC 5034 §4
/// ```
public struct POP3Response: Sendable, Hashable, CustomStringConvertible {
    public enum Status: Sendable, Hashable {
        /// `+OK`. RFC 1939 §3.
        case ok
        /// `-ERR`. RFC 1939 §3.
        case err
        /// `+ `: a SASL challenge, the text being base64 (maybe empty). RFC 5034 §4.
        case continuation
    }

    public var status: Status
    /// The extended response code; always nil for a continuation.
    public var code: POP3ResponseCode?
    /// The text after status and code (the base64 challenge for a continuation).
    public var text: String

    public init(_ status: Status, _ code: POP3ResponseCode? = nil, _ text: String) {
        self.status = status
        self.code = status == .continuation ? nil : code
        self.text = text
    }

    /// Whether the status is `+OK`.
    public var isOK: Bool { status == .ok }

    /// The line on the wire. CR, LF and NUL in the text become spaces; a `+OK`/`-ERR`
    /// text is shortened (at a character boundary) so the line fits
    /// `POP3Defaults.responseLineLength` (RFC 2449 §4). A continuation is not shortened:
    /// a challenge cut short is worse than a long line.
    public var encoded: [UInt8] {
        var out: [UInt8]
        switch status {
        case .ok: out = Array("+OK".utf8)
        case .err: out = Array("-ERR".utf8)
        case .continuation: return Array("+ ".utf8) + ByteClass.lineSafe(text) + ByteClass.crlf  // RFC 5034 §4: "+" SP
        }
        if let code { out += Array(" [\(code)]".utf8) }  // RFC 2449 §8: the code follows the status
        if !text.isEmpty {
            out.append(ByteClass.space)
            let room = POP3Defaults.responseLineLength - 2 - out.count  // RFC 2449 §4
            var kept = 0
            for scalar in text.unicodeScalars {
                let length = String(scalar).utf8.count
                guard kept + length <= room else { break }
                kept += length
            }
            out += ByteClass.lineSafe(text).prefix(kept)
        }
        return out + ByteClass.crlf
    }

    /// The line as sent, without CRLF: for logs.
    public var description: String { String(decoding: encoded.dropLast(2), as: UTF8.self) }

    /// Parses a status line without its line end (the client side); nil if it is
    /// neither `+OK`, `-ERR` nor `+ `. Status indicators are matched ignoring case
    /// (RFC 1939 §3 says upper case; old servers are sloppy). A bracketed word that is
    /// not a valid resp-code stays in the text.
    public init?(parsing line: ArraySlice<UInt8>) {
        func starts(_ prefix: String) -> Bool {
            let count = prefix.utf8.count
            return ByteClass.equalsIgnoringCase(line.prefix(count), prefix)
                && (line.count == count || line[line.startIndex + count] == ByteClass.space)
        }
        let rest: ArraySlice<UInt8>
        if starts("+OK") {
            status = .ok
            rest = line.dropFirst(4)
        } else if starts("-ERR") {
            status = .err
            rest = line.dropFirst(5)
        } else if starts("+") {
            status = .continuation
            code = nil
            text = String(decoding: line.dropFirst(2), as: UTF8.self)
            return
        } else {
            return nil
        }
        code = nil
        var textBytes = rest
        if rest.first == ByteClass.openBracket, let close = rest.firstIndex(of: ByteClass.closeBracket),
            let parsed = POP3ResponseCode(parsing: rest[(rest.startIndex + 1)..<close])
        {
            code = parsed
            textBytes = rest[(close + 1)...]
            if textBytes.first == ByteClass.space { textBytes = textBytes.dropFirst() }
        }
        text = String(decoding: textBytes, as: UTF8.self)
    }
}
