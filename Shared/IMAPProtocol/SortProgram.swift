/// SORT's and THREAD's arguments (RFC 5256 §3), with ESORT's RETURN options and the PARTIAL
/// range (RFC 5267 §3.2, §4.4).
///
/// ```
/// C: a1 UID SORT (REVERSE DATE SUBJECT) UTF-8 UNSEEN
/// S: * SORT 9 4 7
/// C: a2 SORT RETURN (MIN COUNT PARTIAL 1:10) (DISPLAYFROM) UTF-8 ALL
/// S: * ESEARCH (TAG "a2") MIN 3 COUNT 40 PARTIAL (1:10 3,1,2,9:12,5,4,8)
/// C: a3 THREAD REFERENCES UTF-8 SINCE 1-Feb-2024
/// S: * THREAD (2)(3 6 (4 23)(44 7 96))
/// ```
public struct SortProgram: Sendable, Hashable {
    public var criteria: [SortCriterion]
    /// The charset (required by SORT and THREAD), upper-cased; UTF-8 or US-ASCII.
    public var charset: String
    /// nil: a plain SORT (answer `* SORT …`); otherwise ESORT with these options, answered
    /// with ESEARCH (`RETURN ()` means ALL, RFC 5267 §3.2, RFC 4731 §3.1).
    public var returnOptions: [SortReturnOption]?
    public var key: SearchKey

    public init(criteria: [SortCriterion], charset: String = "UTF-8", returnOptions: [SortReturnOption]? = nil, key: SearchKey) {
        self.criteria = criteria
        self.charset = charset
        self.returnOptions = returnOptions
        self.key = key
    }
}

/// ```
/// sort-criterion = ["REVERSE" SP] sort-key
/// sort-key       = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO"   ; RFC 5256 §5
/// sort-key       =/ "DISPLAYFROM" / "DISPLAYTO"                                       ; RFC 5957 §5
/// ```
public struct SortCriterion: Sendable, Hashable {
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case arrival = "ARRIVAL", cc = "CC", date = "DATE", from = "FROM", size = "SIZE", subject = "SUBJECT", to = "TO"
        case displayFrom = "DISPLAYFROM", displayTo = "DISPLAYTO"
    }
    public var key: Key
    public var reverse: Bool
    public init(_ key: Key, reverse: Bool = false) {
        self.key = key
        self.reverse = reverse
    }
}

/// ESORT's return options: RFC 4731's MIN, MAX, ALL, COUNT (RFC 5267 §3.2: in sort order),
/// `PARTIAL x:y` (RFC 5267 §4.4: the x-th to y-th of the result, 1-based), and CONTEXT=SORT's
/// CONTEXT (§4.2) and UPDATE (§4.3).
public enum SortReturnOption: Sendable, Hashable {
    case min, max, all, count
    case context, update
    case partial(ClosedRange<UInt32>)
    /// `PARTIAL -x:-y`: counted from the last result (-1). RFC 9394 §3.1
    case partialLast(ClosedRange<UInt32>)
}

extension SortReturnOption: PartialReturnOption {
    /// The PARTIAL range of either form, nil for the other options.
    public var partialRange: PartialRange? {
        switch self {
        case .partial(let r): return PartialRange(r)
        case .partialLast(let r): return PartialRange(r, fromEnd: true)
        default: return nil
        }
    }
}

/// `thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / thread-alg-ext`. RFC 5256 §5
public enum ThreadAlgorithm: String, Sendable, Hashable, CaseIterable {
    case orderedSubject = "ORDEREDSUBJECT", references = "REFERENCES"
}

/// THREAD's arguments: `THREAD REFERENCES UTF-8 ALL`.
public struct ThreadProgram: Sendable, Hashable {
    public var algorithm: ThreadAlgorithm
    public var charset: String
    public var key: SearchKey
    public init(algorithm: ThreadAlgorithm, charset: String = "UTF-8", key: SearchKey) {
        self.algorithm = algorithm
        self.charset = charset
        self.key = key
    }
}

/// One thread of a `* THREAD` answer: a message (nil: a dummy, a missing parent kept at the
/// top level) and its replies. RFC 5256 §4.
public struct ThreadTree: Sendable, Hashable {
    public var number: UInt32?
    public var children: [ThreadTree]
    public init(_ number: UInt32?, _ children: [ThreadTree] = []) {
        self.number = number
        self.children = children
    }
}
