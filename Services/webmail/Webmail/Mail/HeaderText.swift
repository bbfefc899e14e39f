import Foundation
import InternetMessage

/// Header values as a reader sees them: encoded words decoded (RFC 2047), addresses as a
/// name or, without one, the address.
enum HeaderText {
    static func subject(_ envelope: Envelope) -> String {
        let subject = envelope.subject.map(EncodedWord.decode)?.trimmingCharacters(in: .whitespaces) ?? ""
        return subject.isEmpty ? "(no subject)" : subject
    }

    /// The first sender's name, or its address: what a message list shows.
    static func sender(_ addresses: [Address]) -> String {
        guard let first = addresses.first(where: { $0.addressSpec != nil }) else { return "(unknown sender)" }
        return name(first) ?? first.addressSpec ?? ""
    }

    /// Every address as `Name <address>` (or the address alone), comma separated.
    static func list(_ addresses: [Address]) -> String {
        addresses.compactMap { address in
            guard let spec = address.addressSpec else { return nil }
            return name(address).map { "\($0) <\(spec)>" } ?? spec
        }.joined(separator: ", ")
    }

    /// When the message was written (its Date field, RFC 5322 §3.6.1), else when it arrived:
    /// the date other mail readers show, and the one the list sorts by (RFC 5256 §2.2).
    static func sent(_ envelope: Envelope, arrived: Double) -> Double {
        envelope.date.flatMap(MessageDate.parse).map(\.timeIntervalSince1970) ?? arrived
    }

    static func name(_ address: Address) -> String? {
        guard let raw = address.name else { return nil }
        let decoded = EncodedWord.decode(raw).trimmingCharacters(in: .whitespaces)
        return decoded.isEmpty ? nil : decoded
    }
}

/// Dates and sizes in a list.
enum DisplayFormat {
    /// `2026-12-07T14:03:00Z` for `<time datetime>`.
    static func isoDate(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }

    /// `2026-12-07 14:03` (UTC; the page's script shows it in the reader's zone).
    static func shortDate(_ seconds: Double) -> String {
        String(isoDate(seconds).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    static func size(_ bytes: Int) -> String {
        switch bytes {
        case ..<1000: return "\(bytes) B"
        case ..<1_000_000: return String(format: "%.1f kB", Double(bytes) / 1000)
        default: return String(format: "%.1f MB", Double(bytes) / 1_000_000)
        }
    }
}
