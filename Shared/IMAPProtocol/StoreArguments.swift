/// STORE's modifiers and flag change. RFC 9051 §6.4.6, RFC 7162 §3.1.3 (UNCHANGEDSINCE).
///
/// ```
/// store = "STORE" SP sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"] SP store-att-flags
/// store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
/// ```
public struct StoreArguments: Sendable, Hashable {
    public enum Operation: Sendable, Hashable { case add, remove, replace }
    public var operation: Operation
    public var silent: Bool
    public var flags: [Flag]
    public var unchangedSince: UInt64?

    public init(operation: Operation, silent: Bool = false, flags: [Flag], unchangedSince: UInt64? = nil) {
        self.operation = operation
        self.silent = silent
        self.flags = flags
        self.unchangedSince = unchangedSince
    }
}

/// SELECT/EXAMINE parameters. RFC 7162 §3.1.8 (CONDSTORE), §3.2.5 (QRESYNC).
///
/// ```
/// select-params = SP "(" select-param *(SP select-param) ")"
/// select-param  = "CONDSTORE" / "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
///                 [SP known-uids] [SP seq-match-data] ")"
/// seq-match-data = "(" known-sequence-set SP known-uid-set ")"
/// ```
public struct SelectParameters: Sendable, Hashable {
    public var condstore: Bool
    public var qresync: QResync?

    public struct QResync: Sendable, Hashable {
        public var uidValidity: UInt32
        public var modSeq: UInt64
        public var knownUIDs: SequenceSet?
        /// (known sequence numbers, their UIDs)
        public var sequenceMatch: SequenceMatch?
        public init(uidValidity: UInt32, modSeq: UInt64, knownUIDs: SequenceSet? = nil, sequenceMatch: SequenceMatch? = nil) {
            self.uidValidity = uidValidity
            self.modSeq = modSeq
            self.knownUIDs = knownUIDs
            self.sequenceMatch = sequenceMatch
        }
    }
    public struct SequenceMatch: Sendable, Hashable {
        public var sequenceNumbers: SequenceSet
        public var uids: SequenceSet
        public init(sequenceNumbers: SequenceSet, uids: SequenceSet) {
            self.sequenceNumbers = sequenceNumbers
            self.uids = uids
        }
    }

    public init(condstore: Bool = false, qresync: QResync? = nil) {
        self.condstore = condstore
        self.qresync = qresync
    }
}

/// LIST RETURN options. RFC 5258 §3.2, RFC 6154 §5.1, RFC 5819 §2.
///
/// ```
/// list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"
/// return-option    = "SUBSCRIBED" / "CHILDREN" / "SPECIAL-USE" / "STATUS" SP "(" status-att *(SP status-att) ")"
/// ```
public struct ListReturnOptions: Sendable, Hashable {
    public var subscribed: Bool
    public var children: Bool
    public var specialUse: Bool
    /// STATUS items, upper-cased, when RETURN (STATUS (…)) was given.
    public var status: [String]?
    /// RETURN (MYRIGHTS): a MYRIGHTS response after each LIST one. RFC 8440 §3
    public var myRights: Bool

    public init(
        subscribed: Bool = false, children: Bool = false, specialUse: Bool = false, status: [String]? = nil, myRights: Bool = false
    ) {
        self.myRights = myRights
        self.subscribed = subscribed
        self.children = children
        self.specialUse = specialUse
        self.status = status
    }
}
