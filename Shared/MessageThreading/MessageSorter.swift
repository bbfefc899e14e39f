import StoreAPI

/// What SORT knows of one message: its UID and the values of RFC 5256 §3's criteria, strings
/// already `UnicodeCasemap` keys (`SortValue` makes them from header fields).
public struct SortableMessage: Sendable, Hashable {
    public var uid: UInt32
    /// INTERNALDATE, seconds since 1970 (ARRIVAL).
    public var arrival: Int64
    /// The sent date with the internal date as fallback (DATE; `SortValue.sentDate`).
    public var sent: Int64
    /// RFC822.SIZE (SIZE).
    public var size: UInt64
    public var from: String
    public var to: String
    public var cc: String
    public var displayFrom: String
    public var displayTo: String
    /// The base subject's key (SUBJECT).
    public var subject: String

    public init(
        uid: UInt32, arrival: Int64, sent: Int64, size: UInt64, from: String = "", to: String = "", cc: String = "",
        displayFrom: String = "", displayTo: String = "", subject: String = ""
    ) {
        self.uid = uid
        self.arrival = arrival
        self.sent = sent
        self.size = size
        self.from = from
        self.to = to
        self.cc = cc
        self.displayFrom = displayFrom
        self.displayTo = displayTo
        self.subject = subject
    }

    /// The values taken from raw header fields (`nil` for a missing field).
    public init(
        uid: UInt32, arrival: Int64, size: UInt64, date: String?, from: String?, to: String?, cc: String?,
        subject: String?
    ) {
        self.init(
            uid: uid, arrival: arrival, sent: SortValue.sentDate(date, internalDate: arrival), size: size,
            from: SortValue.addressMailbox(from), to: SortValue.addressMailbox(to), cc: SortValue.addressMailbox(cc),
            displayFrom: SortValue.display(from), displayTo: SortValue.display(to), subject: SortValue.subject(subject))
    }
}

/// SORT's order (RFC 5256 §3): criteria in turn, each possibly REVERSE; messages equal in every
/// criterion in mailbox order, that is by UID (RFC 5256 §3: "sequence number").
public enum MessageSorter {
    public static func sort(_ messages: [SortableMessage], by criteria: [SortKey]) -> [UInt32] {
        messages.sorted { precedes($0, $1, by: criteria) }.map(\.uid)
    }

    public static func precedes(_ a: SortableMessage, _ b: SortableMessage, by criteria: [SortKey]) -> Bool {
        for key in criteria {
            var order = compare(a, b, key.criterion)
            if key.reverse { order = -order }
            if order != 0 { return order < 0 }
        }
        return a.uid < b.uid
    }

    static func compare(_ a: SortableMessage, _ b: SortableMessage, _ criterion: SortKey.Criterion) -> Int {
        switch criterion {
        case .arrival: return compareValues(a.arrival, b.arrival)
        case .date: return compareValues(a.sent, b.sent)
        case .size: return compareValues(a.size, b.size)
        case .from: return UnicodeCasemap.compare(a.from, b.from)
        case .to: return UnicodeCasemap.compare(a.to, b.to)
        case .cc: return UnicodeCasemap.compare(a.cc, b.cc)
        case .displayFrom: return UnicodeCasemap.compare(a.displayFrom, b.displayFrom)
        case .displayTo: return UnicodeCasemap.compare(a.displayTo, b.displayTo)
        case .subject: return UnicodeCasemap.compare(a.subject, b.subject)
        }
    }

    private static func compareValues<T: Comparable>(_ a: T, _ b: T) -> Int {
        a < b ? -1 : (a > b ? 1 : 0)
    }
}
