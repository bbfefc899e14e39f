import InternetMessage

/// Decides which messages a SEARCH key selects (RFC 9051 §6.4.4, RFC 3501 §6.4.4), one
/// message at a time, with no I/O: the gateway hands it each message's attributes and, only
/// when the key needs them, its parsed content.
///
/// ```
/// C: a1 UID SEARCH OR FROM "josé" SUBJECT "=?utf-8?q?Caf=C3=A9?=" SINCE 1-Feb-2024
/// ```
/// ```swift
/// let evaluator = SearchEvaluator(largestSequence: 120, largestUID: 4711, savedResult: saved)
/// let search = evaluator.prepare(program.key)   // needles folded and sets resolved once
/// switch search.contentNeed { case .none: …  case .header: …  case .full: … }  // what to load
/// let hits = candidates.filter { search.matches($0, content: contentOf($0)) }
/// ```
///
/// Decisions, where the RFCs leave room:
/// - **Time zone.** BEFORE/ON/SINCE compare the day of the internal date *in UTC*: the
///   server's zone (RFC 9051 §6.4.4 leaves it to the server) is UTC on every host we deploy.
/// - **Sent dates.** SENTBEFORE/SENTON/SENTSINCE take the calendar day written in the first
///   Date: field, ignoring its time and zone (RFC 9051 §6.4.4 "disregarding time and
///   timezone"): `Mon, 1 Jan 2024 23:30 -0800` is 1-Jan-2024. A message whose Date: field is
///   missing or unparsable (`MessageDate.parse` gives nil) uses its internal date's UTC day
///   instead, as Dovecot does, so such mail is still found by a date range.
/// - **Flags and keywords** compare ignoring ASCII case, system flags and keywords alike:
///   RFC 9051 §9 says alphabetic characters are case-insensitive unless noted otherwise, and
///   `Flag`'s equality and Dovecot agree. `KEYWORD \Recent` (built by hand) means RECENT.
/// - **Strings** are substrings of the *decoded* text (RFC 2047 words, transfer encodings and
///   charsets removed), compared ignoring case with Unicode lower-casing on both sides (final
///   sigma as sigma; RFC 3501 §6.4.4: "The matching is case-insensitive"). Nothing more is
///   folded: "ß" does not match "ss", and accents count — "cafe" does not match "café", nor
///   "café" "cafe". Precomposed and decomposed accents (NFC/NFD) match each other (compared
///   by Swift `Character`, i.e. canonical equivalence). The empty string is a substring of
///   everything, so `HEADER X-Spam ""` selects the messages that have the field (RFC 9051
///   §6.4.4).
/// - **HEADER/FROM/TO/CC/BCC/SUBJECT** search the unfolded, decoded value (after the colon) of
///   every field with that name, display names and addresses included; fields past
///   `MessageLimits.maxHeaderFields` were not kept by the parser and are not searched.
/// - **BODY** searches the decoded text of every text/* leaf part (HTML as written, tags and
///   all) and, inside message/rfc822 parts, the encapsulated header fields and text parts.
///   Non-text leaves (a PDF, an image) and multiparts the parser could not split are not
///   searched: their encoded bytes would only give false hits.
/// - **TEXT** is BODY plus the message's header fields, each as `Name: decoded value`, and
///   the MIME headers of the parts inside (so an attachment's file name is found).
/// - **Missing content.** Header keys need only `SearchContent.parse` (its fields are kept
///   decoded-ready); BODY/TEXT also need `raw`. A content key evaluated without content is
///   false (so `NOT BODY x` is true): callers load what `contentNeed` asks for.
/// - **`*` and `$`.** `*` is `largestSequence` or `largestUID`, and a range runs either way,
///   so `5:*` with 3 messages is 3:5 (RFC 9051 §9). `$` is the UIDs saved by SEARCH … SAVE
///   for both sequence and UID sets (RFC 5182 §2.1); with nothing saved it is empty.
public struct SearchEvaluator: Sendable {
    /// What of a message a key reads, in increasing cost: `none` (flags, sizes, internal
    /// dates, sets, MODSEQ), `header` (HEADER, FROM…, SENTxxx: the parsed header fields),
    /// `full` (BODY, TEXT: the whole message).
    public enum ContentNeed: Int, Sendable, Hashable, Comparable, CaseIterable {
        case none, header, full
        public static func < (a: ContentNeed, b: ContentNeed) -> Bool { a.rawValue < b.rawValue }
    }

    /// The highest message sequence number in the mailbox (`*` in a sequence set).
    public let largestSequence: UInt32
    /// The highest UID in the mailbox (`*` in a UID set). RFC 9051 §9
    public let largestUID: UInt32
    /// The UIDs saved by the last SEARCH … SAVE (`$`), nil when nothing is saved. RFC 5182 §2.1
    public let savedResult: [UInt32]?
    let saved: IntervalSet

    public init(largestSequence: UInt32, largestUID: UInt32, savedResult: [UInt32]? = nil) {
        self.largestSequence = largestSequence
        self.largestUID = largestUID
        self.savedResult = savedResult
        // RFC 5182 §2.1: the variable starts empty, so `$` before any SAVE matches nothing.
        self.saved = IntervalSet(savedResult?.map { $0...$0 } ?? [])
    }

    /// What a key needs loaded, so the server reads no more than that.
    public static func contentNeeded(_ key: SearchKey) -> ContentNeed {
        var need = ContentNeed.none
        var stack = [key]
        while let key = stack.popLast(), need < .full {
            switch key {
            case .header, .sentBefore, .sentOn, .sentSince: need = max(need, .header)
            case .body, .text: need = .full
            case .not(let inner): stack.append(inner)
            case .or(let a, let b): stack += [a, b]
            case .and(let keys): stack += keys
            case .all, .flag, .noFlag, .new, .old, .recent, .before, .on, .since, .larger, .smaller,
                .sequence, .uid, .modSeq:
                break
            }
        }
        return need
    }

    /// The key compiled for this mailbox: needles folded, `*` and `$` resolved, cheap tests
    /// ordered first. Build it once per SEARCH and test every message with it.
    public func prepare(_ key: SearchKey) -> PreparedSearch {
        PreparedSearch(key, evaluator: self)
    }

    /// Whether one message matches `key`. For many messages, `prepare` once instead.
    public func matches(_ key: SearchKey, _ candidate: SearchCandidate, content: SearchContent?) -> Bool {
        prepare(key).matches(candidate, content: content)
    }
}

/// One message's attributes as the store keeps them: all a search needs besides content.
public struct SearchCandidate: Sendable, Hashable {
    public var sequenceNumber: UInt32
    public var uid: UInt32
    /// Flags and keywords as stored: `\Seen`, `$Junk`.
    public var flags: [String]
    /// The internal date, seconds since 1970-01-01T00:00:00Z. RFC 9051 §2.3.3
    public var internalDate: Double
    /// RFC 822 size in octets. RFC 9051 §2.3.4
    public var size: Int
    /// CONDSTORE mod-sequence. RFC 7162 §3.1.1
    public var modSeq: UInt64
    /// Whether this session sees the message as \Recent (RFC 3501 §2.3.2).
    public var recent: Bool

    public init(
        sequenceNumber: UInt32, uid: UInt32, flags: [String] = [], internalDate: Double = 0,
        size: Int = 0, modSeq: UInt64 = 0, recent: Bool = false
    ) {
        self.sequenceNumber = sequenceNumber
        self.uid = uid
        self.flags = flags
        self.internalDate = internalDate
        self.size = size
        self.modSeq = modSeq
        self.recent = recent
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
