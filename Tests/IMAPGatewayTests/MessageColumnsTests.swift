import StoreAPI
import Testing

@testable import IMAPGateway

/// The columns a gateway keeps for an open mailbox, and the text listing read into them
/// without a `MessageSummary` per message (issue 12, item 4).
@Suite("Message columns")
struct MessageColumnsTests {
    static let summaries = [
        MessageSummary(uid: 3, size: 10, flags: ["\\Seen", "$Forwarded"], internalDate: 1795717913.25, modSeq: 9, contentID: 1),
        MessageSummary(uid: 7, size: 4096, flags: [], internalDate: 1795717914, modSeq: 12, contentID: 2),
        MessageSummary(uid: 8, size: 1, flags: ["\\Seen", "$Forwarded"], internalDate: 1795717915, modSeq: 4, contentID: 3),
    ]

    @Test("The text listing read into columns holds what the per-message decoder gives")
    func decodeIntoColumns() throws {
        var columns = MessageColumns()
        let decoded = MessageListText.decode(MessageListText.encode(Self.summaries), into: &columns)
        #expect(decoded)
        #expect(columns.uids == [3, 7, 8])
        #expect(columns.modSeqs == [9, 12, 4])
        #expect((0..<3).map { columns.flags(at: $0) } == Self.summaries.map(\.flags))
        // Equal flag sets are kept once.
        #expect(columns.flagTable.count == 2)
        #expect(columns.highestModSeq == 12)
        #expect(columns.sizes == [10, 4096, 1])
        // Whole seconds on the wire: INTERNALDATE's resolution.
        #expect(columns.internalDates == [1795717913, 1795717914, 1795717915])
    }

    @Test("A date before 1970 or beyond the year 9999 keeps its whole seconds")
    func farDates() {
        var columns = MessageColumns()
        let far = [(1, -86_400.5, -86_401.0), (2, 4e14, 4e14), (3, 2e15, 1e15)].map { uid, date, whole in
            (MessageSummary(uid: UInt32(uid), size: 1, flags: [], internalDate: date, modSeq: 1, contentID: 1), whole)
        }
        #expect(MessageListText.decode(MessageListText.encode(far.map(\.0)), into: &columns))
        #expect(columns.internalDates == far.map(\.1))
    }

    @Test(
        "Internal dates are read as the store writes them, and as it wrote them before (with fractions)",
        arguments: ["1795717913.25", "1795717914.0", "1795717914", "1.5e3", "0.125", "1e-05", "0.00001"])
    func dates(text: String) {
        var columns = MessageColumns()
        #expect(MessageListText.decode(Array("1 10 \(text) 1 1\n".utf8), into: &columns))
        #expect(columns.internalDates == [Double(text)])
    }

    @Test("The view answers size and date for what the listing held, not for what the feed added")
    func summariesFromTheView() {
        var columns = MessageColumns()
        #expect(MessageListText.decode(MessageListText.encode(Self.summaries), into: &columns))
        columns.upsert(uid: 9, modSeq: 13, flags: ["\\Seen"])
        let box = MailboxInfo(
            id: 1, name: "INBOX", specialUse: nil, subscribed: true, uidValidity: 1, uidNext: 10, highestModSeq: 13, messages: 4,
            unseen: 1, recent: 0, size: 0)
        var view = MailboxView(mailbox: box, readOnly: false, cursor: 13, base: columns)
        #expect(view.summary(of: 7)?.size == 4096)
        #expect(view.summary(of: 3)?.internalDate == 1795717913)
        #expect(view.summary(of: 9) == nil)
        #expect(view.summary(of: 9, withSizeAndDate: false)?.flags == ["\\Seen"])
        #expect(view.summary(of: 4) == nil)
        view.noteFlags(7, ["\\Flagged"], modSeq: 14)
        #expect(view.summary(of: 7)?.flags == ["\\Flagged"])
    }

    @Test("A malformed or out-of-order listing is refused")
    func refused() {
        for text in ["7 1 2 3\n", "7 1 2 3 4\n5 1 2 3 4\n", "x 1 2 3 4\n"] {
            var columns = MessageColumns()
            let decoded = MessageListText.decode(Array(text.utf8), into: &columns)
            #expect(!decoded, "\(text)")
        }
    }

    @Test("Upsert, flags and removal keep UID order")
    func changes() {
        var columns = MessageColumns()
        columns.append(uid: 2, modSeq: 1, flags: [])
        columns.append(uid: 9, modSeq: 2, flags: [])
        columns.upsert(uid: 5, modSeq: 3, flags: ["\\Flagged"])
        columns.upsert(uid: 11, modSeq: 4, flags: [])
        #expect(columns.uids == [2, 5, 9, 11])
        let held = columns.setFlags(uid: 9, modSeq: 6, flags: ["\\Seen"])
        let absent = columns.setFlags(uid: 10, modSeq: 7, flags: ["\\Seen"])
        #expect(held && !absent)
        columns.remove(uid: 2)
        #expect(columns.uids == [5, 9, 11])
        #expect(columns.sizes == [MessageColumns.unknownSize, MessageColumns.unknownSize, MessageColumns.unknownSize])
        #expect(columns.flags(at: 1) == ["\\Seen"])
        #expect(columns.modSeqs == [3, 6, 4])
    }

    @Test("A session's view shares the snapshot and keeps only what it was told")
    func viewOverSnapshot() {
        var columns = MessageColumns()
        for uid in UInt32(1)...4 { columns.append(uid: uid, modSeq: UInt64(uid), flags: uid == 1 ? ["\\Seen"] : []) }
        let box = MailboxInfo(
            id: 1, name: "INBOX", specialUse: nil, subscribed: true, uidValidity: 1, uidNext: 5, highestModSeq: 4, messages: 4,
            unseen: 3, recent: 0, size: 0)
        var view = MailboxView(mailbox: box, readOnly: false, cursor: 4, base: columns)
        #expect(view.firstUnseen() == 2)
        view.noteFlags(2, ["\\Seen"], modSeq: 5)
        #expect(view.firstUnseen() == 3)
        #expect(view.flags(of: 2) == ["\\Seen"])
        #expect(view.base.flags(at: 1) == [])  // the shared snapshot is untouched
        let updates = view.apply(
            [
                Change(modSeq: 6, kind: .expunged, mailboxID: 1, uid: 3),
                Change(modSeq: 7, kind: .added, mailboxID: 1, uid: 9, flags: ["\\Seen"]),
            ],
            through: 7, allowExpunge: true)
        #expect(updates.expunged.map(\.uid) == [3])
        #expect(view.uids == [1, 2, 4, 9])
        #expect(view.firstUnseen() == 3)
        #expect(view.changedSinceSelect(3).map(\.uid) == [4])
    }
}

extension MessageListText {
    /// Summaries as the store writes them (the store writes from its rows, `appendLine`).
    static func encode(_ messages: [MessageSummary]) -> [UInt8] {
        var out: [UInt8] = []
        for message in messages {
            appendLine(
                to: &out, uid: message.uid, size: message.size, internalDate: message.internalDate, modSeq: message.modSeq,
                contentID: message.contentID, flags: encodedFlags(message.flags))
        }
        return out
    }
}
