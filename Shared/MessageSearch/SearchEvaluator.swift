import InternetMessage
import StoreAPI

/// Decides which messages a `MessageQuery` selects (IMAP SEARCH semantics, RFC 9051 §6.4.4,
/// RFC 3501 §6.4.4), one message at a time, with no I/O: the store hands it each message's
/// attributes and, only when the query needs them, its parsed content. Used by the store for
/// messages its indexes do not cover yet, and as the reference the indexes are tested against.
///
/// ```swift
/// let search = try SearchEvaluator(largestUID: 4711).prepare(query)  // needles folded once
/// switch search.contentNeed { case .none: …  case .header: …  case .full: … }  // what to load
/// let hits = candidates.filter { search.matches($0, content: contentOf($0)) }
/// ```
///
/// Decisions, where the RFCs leave room:
/// - **Time zone.** Arrival days (BEFORE/ON/SINCE) are the day of the internal date *in UTC*:
///   the server's zone (RFC 9051 §6.4.4 leaves it to the server) is UTC on every host we deploy.
/// - **Sent dates.** SENTBEFORE/SENTON/SENTSINCE take the calendar day written in the first
///   Date: field, ignoring its time and zone (RFC 9051 §6.4.4 "disregarding time and
///   timezone"): `Mon, 1 Jan 2024 23:30 -0800` is 1-Jan-2024. A message whose Date: field is
///   missing or unparsable (`MessageDate.parse` gives nil) uses its internal date's UTC day
///   instead, as Dovecot does, so such mail is still found by a date range.
/// - **Flags and keywords** compare ignoring ASCII case, system flags and keywords alike:
///   RFC 9051 §9 says alphabetic characters are case-insensitive unless noted otherwise.
///   `\Recent` is a session's, never stored: the gateway turns it into UIDs before asking.
/// - **Strings** are substrings of the *decoded* text (RFC 2047 words, transfer encodings and
///   charsets removed), compared ignoring case with Unicode lower-casing on both sides (final
///   sigma as sigma; RFC 3501 §6.4.4: "The matching is case-insensitive"). Nothing more is
///   folded: "ß" does not match "ss", and accents count — "cafe" does not match "café", nor
///   "café" "cafe". Precomposed and decomposed accents (NFC/NFD) match each other (compared
///   by Swift `Character`, i.e. canonical equivalence). The empty string is a substring of
///   everything, so `HEADER X-Spam ""` selects the messages that have the field (RFC 9051
///   §6.4.4).
/// - **HEADER/FROM/TO/CC/BCC/SUBJECT** search the unfolded, decoded value (after the colon) of
///   every field with that name, display names and addresses included; an address field
///   (From, Sender, Reply-To, To, Cc, Bcc) also as ENVELOPE parses it (`AddressText`); fields past
///   `MessageLimits.maxHeaderFields` were not kept by the parser and are not searched.
/// - **BODY** searches the decoded text of every text/* leaf part (HTML both as written, tags
///   and all, and reduced to the text it shows: `HTMLText`) and, inside message/rfc822 parts, the encapsulated header fields and text parts.
///   Non-text leaves (a PDF, an image) and multiparts the parser could not split are not
///   searched: their encoded bytes would only give false hits.
/// - **TEXT** is BODY plus the message's header fields, each as `Name: decoded value`, and
///   the MIME headers of the parts inside (so an attachment's file name is found).
/// - **Missing content.** Header keys need only `SearchContent.parse` (its fields are kept
///   decoded-ready); BODY/TEXT also need `raw`. A content key evaluated without content is
///   false (so `NOT BODY x` is true): callers load what `contentNeed` asks for.
/// - **`*`** in a UID set is `largestUID`, and a range runs either way, so `5:*` with largest
///   UID 3 is 3:5 (RFC 9051 §9).
public struct SearchEvaluator: Sendable {
    /// What of a message a key reads, in increasing cost: `none` (flags, sizes, internal
    /// dates, sets, MODSEQ), `header` (HEADER, FROM…, SENTxxx: the parsed header fields),
    /// `full` (BODY, TEXT: the whole message).
    public enum ContentNeed: Int, Sendable, Hashable, Comparable, CaseIterable {
        case none, header, full
        public static func < (a: ContentNeed, b: ContentNeed) -> Bool { a.rawValue < b.rawValue }
    }

    /// A query the evaluator cannot read: a day not `YYYY-MM-DD`, a UID set not RFC 9051's.
    public struct InvalidQuery: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The highest UID in the mailbox (`*` in a UID set). RFC 9051 §9
    public let largestUID: UInt32

    public init(largestUID: UInt32) {
        self.largestUID = largestUID
    }

    /// What a query needs loaded, so the server reads no more than that.
    public static func contentNeeded(_ query: MessageQuery) -> ContentNeed {
        var need = ContentNeed.none
        var stack = [query]
        while let query = stack.popLast(), need < .full {
            switch query {
            case .header, .sent: need = max(need, .header)
            case .body, .text: need = .full
            case .not(let inner): stack.append(inner)
            case .or(let a, let b): stack += [a, b]
            case .and(let queries): stack += queries
            case .all, .flag, .noFlag, .arrival, .larger, .smaller, .uids, .modSeq:
                break
            }
        }
        return need
    }

    /// The query compiled for this mailbox: needles folded, `*` resolved, cheap tests
    /// ordered first. Build it once per search and test every message with it.
    public func prepare(_ query: MessageQuery) throws(InvalidQuery) -> PreparedSearch {
        try PreparedSearch(query, evaluator: self)
    }

    /// Whether one message matches `query`. For many messages, `prepare` once instead.
    public func matches(_ query: MessageQuery, _ candidate: SearchCandidate, content: SearchContent?) throws(InvalidQuery) -> Bool {
        try prepare(query).matches(candidate, content: content)
    }
}

/// One message's attributes as the store keeps them: all a search needs besides content.
public struct SearchCandidate: Sendable, Hashable {
    public var uid: UInt32
    /// Flags and keywords as stored: `\Seen`, `$Junk`.
    public var flags: [String]
    /// The internal date, seconds since 1970-01-01T00:00:00Z. RFC 9051 §2.3.3
    public var internalDate: Double
    /// RFC 822 size in octets. RFC 9051 §2.3.4
    public var size: Int
    /// CONDSTORE mod-sequence. RFC 7162 §3.1.1
    public var modSeq: UInt64

    public init(uid: UInt32, flags: [String] = [], internalDate: Double = 0, size: Int = 0, modSeq: UInt64 = 0) {
        self.uid = uid
        self.flags = flags
        self.internalDate = internalDate
        self.size = size
        self.modSeq = modSeq
    }
}

/// A message's content for header and text keys.
public struct SearchContent: Sendable {
    /// The whole message; for header-only keys it may be the header section or empty, since
    /// those read only `parse.fields`.
    public var raw: [UInt8]
    /// The stored parse of the whole message (its ranges index the whole message).
    public var parse: ParsedMessage

    public init(raw: [UInt8], parse: ParsedMessage) {
        self.raw = raw
        self.parse = parse
    }

    /// Parses `raw` (the whole message) with the default limits.
    public init(raw: [UInt8]) {
        self.init(raw: raw, parse: MessageParser().parse(raw))
    }
}

extension SearchEvaluator {
    /// A search string as the index holds text (`MessageIndexEntry`): folded as the evaluator
    /// folds it. `indexable` is false when the index cannot answer for it exactly — it has a
    /// line feed (pieces are joined by them) or combining marks (compared by `Character`).
    public static func indexNeedle(_ text: String) -> (folded: String, indexable: Bool) {
        let needle = Needle(text)
        return (String(decoding: needle.bytes, as: UTF8.self), !needle.needsCharacterComparison && !needle.bytes.contains(0x0A))
    }
}
