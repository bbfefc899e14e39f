/// What THREAD knows of a mailbox's messages (RFC 5256 §3), as numbers: message ids and base
/// subjects interned (`ByteInterner`), one array per value, message `i` at index `i`. The store
/// fills it straight from its index columns, without a `String` per message;
/// `ThreadableMessage`s convert to it.
public struct ThreadInput: Sendable {
    public var uids: [UInt32] = []
    /// The sent date, the internal date when there is no usable Date: (RFC 5256 §2.2).
    public var sent: [Int64] = []
    public var isReplyOrForward: [Bool] = []
    /// The base subject (RFC 5256 §2.1) as a number of `subjects`: its text or its key (the
    /// threaders compare `UnicodeCasemap.key` of it).
    public var subject: [Int32] = []
    /// The Message-ID's first valid id as a number of `ids`, -1 when there is none.
    public var messageID: [Int32] = []
    /// The In-Reply-To field's first valid id, -1 when there is none; it counts only when
    /// there are no References (step 1), and the store leaves it -1 when there are.
    public var inReplyTo: [Int32] = []
    /// The References field's ids, message `i`'s from `referenceEnds[i - 1]` (0 for the first)
    /// to `referenceEnds[i]`.
    public var references: [Int32] = []
    public var referenceEnds: [Int] = []
    public var ids: ByteInterner
    public var subjects: ByteInterner
    /// Ids numbered at delivery (`appendNumbered`), beside `ids`' own numbers; a mailbox is
    /// read one way or the other, never both.
    var numbered: NumberedIDs

    /// How many id numbers there are (`ids`' or the numbered ones).
    public var idCount: Int { max(ids.count, numbered.count) }

    public init(capacity: Int = 0) {
        ids = ByteInterner(capacity: capacity * 2)
        numbered = NumberedIDs(capacity: capacity)
        subjects = ByteInterner(capacity: capacity)
        uids.reserveCapacity(capacity)
        sent.reserveCapacity(capacity)
        isReplyOrForward.reserveCapacity(capacity)
        subject.reserveCapacity(capacity)
        messageID.reserveCapacity(capacity)
        inReplyTo.reserveCapacity(capacity)
        referenceEnds.reserveCapacity(capacity)
    }

    public init(_ messages: [ThreadableMessage]) {
        self.init(capacity: messages.count)
        for message in messages {
            let references = message.references.map { ids.number($0) }
            append(
                uid: message.uid, sent: message.sent, isReplyOrForward: message.isReplyOrForward,
                subject: subjects.number(message.baseSubject), messageID: message.messageID.map { ids.number($0) } ?? -1,
                inReplyTo: message.inReplyTo.map { ids.number($0) } ?? -1, references: references)
        }
    }

    public var count: Int { uids.count }

    public mutating func append(
        uid: UInt32, sent: Int64, isReplyOrForward: Bool, subject: Int32, messageID: Int32, inReplyTo: Int32,
        references: some Sequence<Int32>
    ) {
        uids.append(uid)
        self.sent.append(sent)
        self.isReplyOrForward.append(isReplyOrForward)
        self.subject.append(subject)
        self.messageID.append(messageID)
        self.inReplyTo.append(inReplyTo)
        self.references.append(contentsOf: references)
        referenceEnds.append(self.references.count)
    }

    /// `append` for an array of references: the store's call, not generic, so it runs
    /// specialized across the module boundary (the generic one instantiated metadata per row).
    public mutating func append(
        uid: UInt32, sent: Int64, isReplyOrForward: Bool, subject: Int32, messageID: Int32, inReplyTo: Int32,
        references: [Int32]
    ) {
        uids.append(uid)
        self.sent.append(sent)
        self.isReplyOrForward.append(isReplyOrForward)
        self.subject.append(subject)
        self.messageID.append(messageID)
        self.inReplyTo.append(inReplyTo)
        if !references.isEmpty { self.references.append(contentsOf: references) }
        referenceEnds.append(self.references.count)
    }

    /// A message whose ids come as numbered at delivery (`MessageIDNumbers`' blob). In-Reply-To
    /// counts only without References (RFC 5256 §3 step 1): left -1 when there are some, as
    /// the string path does. False, and nothing appended, when the blob is malformed.
    public mutating func appendNumbered(
        uid: UInt32, sent: Int64, isReplyOrForward: Bool, subject: Int32, numbers: UnsafeRawBufferPointer
    ) -> Bool {
        var reader = MessageIDNumbers.Reader(numbers)
        guard let own = reader.next(), let inReplyTo = reader.next() else { return false }
        let start = references.count
        while !reader.atEnd {
            guard let number = reader.next(), number > 0 else {
                references.removeSubrange(start...)
                return false
            }
            references.append(numbered.number(number))
        }
        uids.append(uid)
        self.sent.append(sent)
        self.isReplyOrForward.append(isReplyOrForward)
        self.subject.append(subject)
        messageID.append(own > 0 ? numbered.number(own) : -1)
        self.inReplyTo.append(inReplyTo > 0 && references.count == start ? numbered.number(inReplyTo) : -1)
        referenceEnds.append(references.count)
        return true
    }

    /// Message `i`'s References ids.
    public func references(of i: Int) -> ArraySlice<Int32> {
        references[(i == 0 ? 0 : referenceEnds[i - 1])..<referenceEnds[i]]
    }

    /// The messages whose index `keep` says, in the same order.
    public func filtered(_ keep: (Int) -> Bool) -> ThreadInput {
        var out = ThreadInput(capacity: 0)
        out.ids = ids
        out.subjects = subjects
        out.numbered = numbered
        for i in 0..<count where keep(i) {
            out.append(
                uid: uids[i], sent: sent[i], isReplyOrForward: isReplyOrForward[i], subject: subject[i],
                messageID: messageID[i], inReplyTo: inReplyTo[i], references: references(of: i))
        }
        return out
    }

    /// Each subject's `UnicodeCasemap` key as a number of `keys` (equal keys, equal numbers).
    /// ASCII without lower case is its own key (`UnicodeCasemap.key`'s fast path), taken as
    /// bytes.
    func subjectKeys() -> (keyOf: [Int32], keys: ByteInterner) {
        var keys = ByteInterner(capacity: subjects.count)
        var keyOf: [Int32] = []
        keyOf.reserveCapacity(subjects.count)
        for number in 0..<Int32(subjects.count) {
            let own = subjects.withBytes(number) { bytes -> Int32? in
                bytes.allSatisfy({ $0 < 0x80 && $0 &- 0x61 >= 26 }) ? keys.number(bytes) : nil
            }
            keyOf.append(own ?? keys.number(UnicodeCasemap.key(subjects.string(number))))
        }
        return (keyOf, keys)
    }
}
