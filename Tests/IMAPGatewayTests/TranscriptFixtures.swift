import Foundation
import TestSupport
import Testing

@testable import IMAPGateway

/// Messages richer than `sampleMessage(n)`, and small helpers the transcript tests share.
enum Fixtures {
    /// multipart/mixed with three parts: 1 text/plain, 2 multipart/alternative (2.1 text/plain,
    /// 2.2 text/html), 3 a base64 attachment ("Hello, binary world!", 20 octets decoded).
    /// The subject and the From name are RFC 2047 encoded-words.
    static let multipart = lines([
        "From: =?UTF-8?Q?Ana_P=C3=A9rez?= <ana@remote.test>",
        "To: alice@example.test, Bob <bob@example.test>",
        "Cc: carol@remote.test",
        "Subject: =?UTF-8?Q?Caf=C3=A9_report?=",
        "Date: Fri, 02 Jan 2026 09:30:00 +0100",
        "Message-ID: <multi1@remote.test>",
        "In-Reply-To: <earlier@remote.test>",
        "X-Tracking: 42",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"outer\"",
        "",
        "This is a preamble.",
        "--outer",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "See the attached report.",
        "--outer",
        "Content-Type: multipart/alternative; boundary=\"inner\"",
        "",
        "--inner",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Plain version.",
        "--inner",
        "Content-Type: text/html; charset=us-ascii",
        "",
        "<p>HTML version.</p>",
        "--inner--",
        "--outer",
        "Content-Type: application/octet-stream; name=\"report.bin\"",
        "Content-Transfer-Encoding: base64",
        "Content-Disposition: attachment; filename=\"report.bin\"",
        "",
        "SGVsbG8sIGJpbmFyeSB3b3JsZCE=",
        "--outer--",
        "",
    ])

    /// A single-part message whose body is base64: BINARY[1] is its decoded content.
    static let base64Single = lines([
        "From: sender@remote.test",
        "To: alice@example.test",
        "Subject: Encoded body",
        "Date: Sat, 03 Jan 2026 12:00:00 +0000",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: base64",
        "",
        "SGVsbG8sIGJpbmFyeSB3b3JsZCE=",
        "",
    ])

    /// multipart/mixed: 1 text/plain, 2 message/rfc822 (a forwarded message), 3 quoted-printable
    /// UTF-8 text ("café = ok" decoded), 4 an encoding BINARY cannot undo (x-uuencode).
    static let forwarded = lines([
        "From: x@remote.test", "Subject: Fwd", "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=b", "",
        "--b", "Content-Type: text/plain", "", "See below.",
        "--b", "Content-Type: message/rfc822", "",
        "From: inner@remote.test", "Subject: Inner", "Date: Sat, 03 Jan 2026 12:00:00 +0000", "", "Inner body.",
        "--b", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", "caf=C3=A9 =3D ok",
        "--b", "Content-Type: application/octet-stream", "Content-Transfer-Encoding: x-uuencode", "", "begin 644 x",
        "--b--", "",
    ])

    /// A message with a given subject, sender, date and body, for SEARCH.
    static func message(
        from: String = "sender@remote.test", to: String = "alice@example.test", subject: String,
        date: String = "Thu, 26 Nov 2026 10:00:00 +0000", extra: [String] = [], body: String = "Hello."
    ) -> [UInt8] {
        lines(["From: \(from)", "To: \(to)", "Subject: \(subject)", "Date: \(date)"] + extra + ["", body, ""])
    }

    static func lines(_ lines: [String]) -> [UInt8] { crlfJoined(lines) }
}

extension IMAPTranscript {
    /// Delivers `bytes` to `account`, returning nothing a test needs.
    /// As `deliver(_:)`: not recent unless `recent`.
    func deliver(_ bytes: [UInt8], to account: String = "alice@example.test", recent: Bool = false) async throws {
        _ = try await store.client.deliver(bytes, to: [account], idempotencyKey: nil)
        if !recent { try await claimRecent(account) }
    }

    /// Logs in as alice, selects INBOX, and forgets what that said.
    func loginAndSelect(_ mailbox: String = "INBOX") async {
        await login()
        await send("s0 SELECT \(mailbox)", last: "s0 OK")
    }

    /// Waits (at most five seconds) for unsolicited output containing `text`; returns all of it.
    func waitFor(_ text: String) async throws -> String {
        var seen = ""
        for _ in 0..<100 where !seen.contains(text) {
            try await Task.sleep(for: .milliseconds(50))
            seen += sink.take()
        }
        return seen
    }
}

/// The response lines of `output` (literal contents are not split out).
func responseLines(_ output: String) -> [String] {
    output.components(separatedBy: "\r\n").filter { !$0.isEmpty }
}

/// The line of `output` that starts with `prefix`, if any.
func line(_ output: String, startingWith prefix: String) -> String? {
    responseLines(output).first { $0.hasPrefix(prefix) }
}

/// The number after `name ` in a line like `* OK [HIGHESTMODSEQ 12] …` or `MODSEQ (12)`.
func number(after name: String, in text: String) -> UInt64? {
    guard let range = text.range(of: name) else { return nil }
    let digits = text[range.upperBound...].drop { !$0.isNumber }.prefix { $0.isNumber }
    return UInt64(digits)
}

/// The untagged lines of `output` (`* …`): what the RFCs fix; the tagged line's text is the
/// server's own, and `send(_:expect:last:)` checks its status.
func untagged(_ output: String) -> [String] {
    responseLines(output).filter { $0.hasPrefix("* ") }
}
