import IMAPProtocol
import InternetMessage
import TestSupport

/// Helpers for the response-encoder tests, in a namespace so they cannot collide with the
/// parser tests' free functions in the same target.
enum ResponseFixture {
    /// A response as text (CRLFs included), for golden comparisons.
    static func wire(_ response: IMAPResponse, utf8Enabled: Bool = false) -> String {
        String(decoding: response.encoded(utf8Enabled: utf8Enabled), as: UTF8.self)
    }

    /// One FETCH item as text.
    static func item(_ item: FetchItem, utf8Enabled: Bool = false) -> String {
        String(decoding: item.encoded(utf8Enabled: utf8Enabled), as: UTF8.self)
    }

    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Lines joined with CRLF, the way messages are stored.
    static func message(_ lines: [String]) -> [UInt8] { crlfJoined(lines) }

    static func parsed(_ bytes: [UInt8]) -> ParsedMessage { MessageParser().parse(bytes) }

    /// multipart/mixed: a quoted-printable text part, a message/rfc822 attachment holding a
    /// multipart/alternative, and a base64 part with NUL bytes, id, MD5 and location. The
    /// same bytes were given to Dovecot 2.3.19 for the answers quoted in the tests.
    static let mixed = message([
        #"From: "Fred Foobar" <foobar@Blurdybloop.example>"#,
        #"To: mooch@owatagu.example, team: a@x.example, "B" <b@y.example>;"#,
        "Cc: undisclosed-recipients:;",
        "Subject: =?utf-8?q?Caf=C3=A9?= menu",
        "Date: Mon, 7 Feb 1994 21:52:25 -0800",
        "Message-ID: <B27397-0100000@Blurdybloop.example>",
        "MIME-Version: 1.0",
        #"Content-Type: multipart/mixed; boundary="outer""#,
        "",
        "preamble",
        "--outer",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Hello caf=C3=A9",
        "second line",
        "--outer",
        "Content-Type: message/rfc822",
        #"Content-Disposition: attachment; filename="fwd.eml""#,
        "Content-Description: forwarded",
        "",
        "From: Alice <alice@example.org>",
        "Subject: inner",
        "Content-Type: multipart/alternative; boundary=inner",
        "",
        "--inner",
        "Content-Type: text/plain",
        "",
        "plain",
        "--inner",
        #"Content-Type: text/html; charset="us-ascii""#,
        "Content-Language: en, de",
        "",
        "<p>html</p>",
        "--inner--",
        "--outer",
        #"Content-Type: application/octet-stream; name="a b.bin""#,
        "Content-Transfer-Encoding: base64",
        "Content-ID: <id1@example>",
        "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==",
        "Content-Location: http://example.org/a.bin",
        "",
        "AAECAwQ=",
        "--outer--",
        "epilogue",
        "",
    ])

    /// A plain, non-MIME message.
    static let plain = message(["From: nobody@example.org", "Subject: plain", "", "body line 1", "line 2", ""])
}

extension ResponseFixture {
    /// Whether `bytes` read as one IMAP response line: quoted strings closed (escapes only
    /// before `"` and `\`), every literal's `{n}` followed by CRLF and exactly n octets,
    /// parentheses balanced, and CR LF only after a literal header or at the very end.
    static func isWellFormed(_ bytes: [UInt8]) -> Bool {
        var index = 0
        var depth = 0
        let end = bytes.count - 2
        guard end >= 0, bytes[end...] == [0x0D, 0x0A] else { return false }
        while index < end {
            switch bytes[index] {
            case 0x22:  // quoted
                index += 1
                while index < end, bytes[index] != 0x22 {
                    if bytes[index] == 0x0D || bytes[index] == 0x0A || bytes[index] == 0 { return false }
                    if bytes[index] == 0x5C {
                        index += 1
                        guard index < end, bytes[index] == 0x22 || bytes[index] == 0x5C else { return false }
                    }
                    index += 1
                }
                guard index < end else { return false }
                index += 1
            case 0x7B:  // {n} CRLF n octets
                var size = 0
                index += 1
                while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    size = size * 10 + Int(bytes[index] - 0x30)
                    index += 1
                }
                guard index + 2 < bytes.count, bytes[index] == 0x7D, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A else {
                    return false
                }
                index += 3 + size
                guard index <= end else { return false }
            case 0x28: depth += 1; index += 1
            case 0x29:
                depth -= 1
                guard depth >= 0 else { return false }
                index += 1
            case 0x0D, 0x0A, 0: return false
            default: index += 1
            }
        }
        return depth == 0 && index == end
    }
}
