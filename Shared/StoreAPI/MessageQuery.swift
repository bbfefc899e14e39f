/// A search over a mailbox's messages, typed: what IMAP SEARCH (RFC 9051 §6.4.4), SORT and
/// THREAD (RFC 5256) and webmail ask the store, without IMAP's syntax. The gateway has already
/// turned what only a session knows (sequence numbers, `*`, `$`, `\Recent`) into UID sets.
///
/// JSON: one key per case, e.g. `{"header":{"name":"SUBJECT","value":"lunch"}}`,
/// `{"and":{"_0":[…]}}`; `"all"` alone is `{"all":{}}` (MessageQuery+Codable.swift).
public indirect enum MessageQuery: Codable, Sendable, Hashable {
    case all
    /// A flag set: a system flag (`\Seen`) or a keyword (`$Junk`), as IMAP spells it.
    case flag(name: String)
    /// A flag not set.
    case noFlag(name: String)
    /// The internal (arrival) date's day, in the store's zone (BEFORE, ON, SINCE).
    case arrival(DayComparison)
    /// The Date: header's day as written, time and zone ignored (SENTBEFORE, SENTON, SENTSINCE).
    case sent(DayComparison)
    /// RFC822.SIZE larger / smaller than.
    case larger(size: UInt64)
    case smaller(size: UInt64)
    /// A header field whose value contains `value` (case-insensitive substring); an empty value
    /// matches every message that has the field. FROM, TO, CC, BCC, SUBJECT are this with that
    /// name. `name` is upper-cased.
    case header(name: String, value: String)
    /// The body (after the header), decoded text, case-insensitive substring.
    case body(text: String)
    /// Header and body.
    case text(text: String)
    /// UIDs in a set (`1:5,9`; `*` is the mailbox's largest UID).
    case uids(set: String)
    /// MODSEQ at least this (RFC 7162 §3.1.5).
    case modSeq(atLeast: UInt64)
    case not(MessageQuery)
    case or(MessageQuery, MessageQuery)
    case and([MessageQuery])
}

/// A day compared with a message's date (RFC 9051 §6.4.4: BEFORE is earlier than the day,
/// ON the same day, SINCE the same day or later).
public struct DayComparison: Codable, Sendable, Hashable {
    public enum Relation: String, Codable, Sendable, Hashable {
        case before, on, since
    }
    public var relation: Relation
    /// `YYYY-MM-DD`.
    public var day: String
    public init(_ relation: Relation, day: String) {
        self.relation = relation
        self.day = day
    }
}
