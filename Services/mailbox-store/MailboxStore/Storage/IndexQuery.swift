import GRDB
import MessageSearch
import StoreAPI

/// A `MessageQuery` as an SQL condition over one `mailbox_messages` row `mm` and its content's
/// read-model entry `mi` (Schema `v8-message-index`), with the meaning `SearchEvaluator` gives it.
///
/// Strings go through `message_text` (folded as the evaluator folds, so a byte substring is the
/// evaluator's match): FTS5 trigram MATCH for needles of 3 characters or more, instr() for
/// shorter ones (the trigram index cannot). What SQL cannot answer exactly — a header field the
/// index does not keep, a needle with a line feed or combining marks, a very long UID set — is
/// *unknown*: the condition is then an upper bound (unknown is true where it counts for a match,
/// false under an odd number of NOTs) and `exact` is false, so the caller evaluates the rows it
/// selects with the evaluator.
struct IndexQuery {
    private(set) var sql = ""
    private(set) var arguments: [(any DatabaseValueConvertible)?] = []
    /// No unknown leaf: the rows the condition selects are the answer.
    private(set) var exact = true
    /// Some leaf reads the texts: rows whose texts need `Character` comparison are scanned.
    private(set) var readsText = false
    /// The FTS5 query of a text key every match must satisfy (one the query ANDs at its top),
    /// when there is one: a search can then start from that key's matches instead of the
    /// mailbox's every row.
    private(set) var driver: String?
    /// Some leaf reads the content's entry (`mi`), not only the mailbox row and the texts.
    private(set) var readsEntry = false
    /// The query is its driving key alone: the driver's matches need no other test.
    var isDriverAlone: Bool { driver != nil && sql == Self.matchSQL && arguments.count == 1 }
    /// A text key as SQL: its content among the FTS matches (the argument: the FTS query).
    static let matchSQL = "mm.content_id IN (SELECT rowid FROM message_text WHERE message_text MATCH ?)"

    /// The header fields kept in `message_text`, by lower-cased name.
    static let headerColumns: [String: String] = [
        "from": "from_text", "to": "to_text", "cc": "cc_text", "bcc": "bcc_text", "reply-to": "reply_to_text",
        "sender": "sender_text", "subject": "subject_text",
    ]
    /// More ranges than this and a UID set is left to the evaluator.
    static let maxRanges = 64

    /// More keys than this and the whole query is left to the evaluator (only a driving text
    /// key, which every match satisfies, still narrows the rows): SQLite refuses an expression
    /// deeper than 1,000 (SQLITE_MAX_EXPR_DEPTH), and a flat AND of n keys is n deep.
    static let maxKeys = 256

    init(_ query: MessageQuery) throws(SearchEvaluator.InvalidQuery) {
        sql = try condition(query, positive: true, conjunct: true)
        if Self.keyCount(query) > Self.maxKeys {
            sql = "1"
            arguments = []
            exact = false
        }
    }

    /// The keys of a query, counted until past `maxKeys`.
    private static func keyCount(_ query: MessageQuery) -> Int {
        var count = 0
        var stack = [query]
        while let next = stack.popLast(), count <= maxKeys {
            count += 1
            switch next {
            case .not(let inner): stack.append(inner)
            case .or(let a, let b): stack += [a, b]
            case .and(let queries): stack += queries
            default: continue
            }
        }
        return count
    }

    /// `conjunct`: every match of the whole query must match `query` (it is the query or
    /// ANDed at its top), so `query`'s FTS matches may drive the search.
    private mutating func condition(_ query: MessageQuery, positive: Bool, conjunct: Bool = false)
        throws(SearchEvaluator.InvalidQuery) -> String
    {
        switch query {
        case .all: return "1"
        case .flag(let name): return flag(name)
        case .noFlag(let name): return "NOT \(flag(name))"
        case .arrival(let comparison): return arrival(comparison.relation, try day(comparison.day))
        case .sent(let comparison):
            let day = try day(comparison.day)
            readsEntry = true
            // RFC 9051 §6.4.4 as the evaluator reads it: the written day, else the arrival day.
            return
                "(CASE WHEN mi.sent_day IS NULL THEN \(arrival(comparison.relation, day)) ELSE mi.sent_day \(op(comparison.relation)) \(day) END)"
        case .larger(let size):
            readsEntry = true
            return size > UInt64(Int64.max) ? "0" : "mi.size > \(size)"
        case .smaller(let size):
            readsEntry = true
            return size > UInt64(Int64.max) ? "1" : "mi.size < \(size)"
        case .header(let name, let value):
            guard let column = Self.headerColumns[name.lowercased()] else { return unknown(positive) }
            if value.isEmpty {
                // RFC 9051 §6.4.4: the empty string matches every message that has the field.
                return "EXISTS (SELECT 1 FROM message_text t WHERE t.rowid = mm.content_id AND t.\(column) IS NOT NULL)"
            }
            return text(value, columns: [column], positive: positive, conjunct: conjunct)
        case .body(let value):
            return value.isEmpty ? "1" : text(value, columns: ["body"], positive: positive, conjunct: conjunct)
        case .text(let value):
            return value.isEmpty ? "1" : text(value, columns: ["headers", "body", "mime"], positive: positive, conjunct: conjunct)
        case .uids(let text):
            guard let set = UIDSet(text) else { throw .init(description: "not a UID set: \(text.prefix(64))") }
            let ranges = set.resolved(largest: UInt32.max)
            guard ranges.count <= Self.maxRanges else { return unknown(positive) }
            guard !ranges.isEmpty else { return "0" }
            return "(" + ranges.map { "mm.uid BETWEEN \($0.lowerBound) AND \($0.upperBound)" }.joined(separator: " OR ") + ")"
        case .modSeq(let value): return value > UInt64(Int64.max) ? "0" : "mm.modseq >= \(value)"
        case .not(let inner): return "NOT (\(try condition(inner, positive: !positive)))"
        case .or(let a, let b): return "((\(try condition(a, positive: positive))) OR (\(try condition(b, positive: positive))))"
        case .and(let queries):
            guard !queries.isEmpty else { return "1" }
            var parts: [String] = []
            for query in queries { parts.append("(\(try condition(query, positive: positive, conjunct: conjunct)))") }
            return "(" + parts.joined(separator: " AND ") + ")"
        }
    }

    /// Unknown to SQL: true for an upper bound of the matches, false under a NOT.
    private mutating func unknown(_ positive: Bool) -> String {
        exact = false
        return positive ? "1" : "0"
    }

    /// Flags compare ignoring ASCII case (RFC 9051 §9); keywords are stored space-separated.
    private mutating func flag(_ name: String) -> String {
        if let bit = MessageFlag.system.firstIndex(where: { $0.lowercased() == name.lowercased() && name.allSatisfy(\.isASCII) }) {
            return "(mm.system_flags & \(1 << bit)) != 0"
        }
        // A name with a space is no keyword; LIKE folds ASCII only, as the evaluator does.
        guard !name.isEmpty, !name.contains(" "), !name.hasPrefix("\\") else { return "0" }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        arguments.append("% \(escaped) %")
        return "(' ' || mm.keywords || ' ') LIKE ? ESCAPE '\\'"
    }

    /// The internal date's UTC day against `day`, as instants: floor(t / 86400) < D ⇔ t < D·86400.
    private func arrival(_ relation: DayComparison.Relation, _ day: Int) -> String {
        let start = Double(day) * 86_400, end = Double(day + 1) * 86_400
        switch relation {
        case .before: return "mm.internal_date < \(start)"
        case .on: return "(mm.internal_date >= \(start) AND mm.internal_date < \(end))"
        case .since: return "mm.internal_date >= \(start)"
        }
    }

    private func op(_ relation: DayComparison.Relation) -> String {
        switch relation {
        case .before: "<"
        case .on: "="
        case .since: ">="
        }
    }

    private func day(_ text: String) throws(SearchEvaluator.InvalidQuery) -> Int {
        guard let day = SearchDates.day(text) else { throw .init(description: "not a YYYY-MM-DD day: \(text.prefix(32))") }
        return day
    }

    /// A case-insensitive substring of some column of `message_text`.
    private mutating func text(_ value: String, columns: [String], positive: Bool, conjunct: Bool) -> String {
        let (folded, indexable) = SearchEvaluator.indexNeedle(value)
        guard indexable else { return unknown(positive) }
        readsText = true
        if folded.unicodeScalars.count >= 3 {
            // FTS5: a column filter and a string (quotes doubled); the trigram tokenizer
            // matches it as a substring.
            let filter = columns.count == 1 ? columns[0] : "{" + columns.joined(separator: " ") + "}"
            let match = "\(filter) : \"" + folded.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            arguments.append(match)
            if conjunct && driver == nil { driver = match }
            return Self.matchSQL
        }
        // Too short for trigrams: instr() over this row's stored (folded) texts — tied to the
        // row, or SQLite would read every text of every account once per search.
        let tests = columns.map { column -> String in
            arguments.append(folded)
            return "instr(t.\(column), ?) > 0"
        }
        return "EXISTS (SELECT 1 FROM message_text t WHERE t.rowid = mm.content_id AND (\(tests.joined(separator: " OR "))))"
    }
}
