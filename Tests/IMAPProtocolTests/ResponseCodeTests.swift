import IMAPProtocol
import Testing

/// Every response code, and the UID sets inside them. RFC 9051 §7.1, RFC 4315, RFC 5530,
/// RFC 7162.
@Suite struct ResponseCodeTests {
    static let golden: [(ResponseCode, String)] = [
        (.alert, "ALERT"),
        (.alreadyExists, "ALREADYEXISTS"),
        (.appendUID(uidValidity: 38505, uids: [3955]), "APPENDUID 38505 3955"),
        (.appendUID(uidValidity: 38505, uids: [3957, 3955, 3956, 3960]), "APPENDUID 38505 3955:3957,3960"),
        (.authenticationFailed, "AUTHENTICATIONFAILED"),
        (.authorizationFailed, "AUTHORIZATIONFAILED"),
        (.badCharset(["UTF-8", "US-ASCII"]), "BADCHARSET (UTF-8 US-ASCII)"),
        (.badCharset([]), "BADCHARSET"),
        (.badCharset(["x y"]), #"BADCHARSET ("x y")"#),
        (.cannot, "CANNOT"),
        (.capability(["IMAP4rev1", "IMAP4rev2", "LITERAL+"]), "CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+"),
        (.clientBug, "CLIENTBUG"),
        (.closed, "CLOSED"),
        (.contactAdmin, "CONTACTADMIN"),
        (.copyUID(uidValidity: 38505, source: [304, 319, 320], destination: [3956, 3957, 3958]), "COPYUID 38505 304,319:320 3956:3958"),
        (.corruption, "CORRUPTION"),
        (.expired, "EXPIRED"),
        (.expungeIssued, "EXPUNGEISSUED"),
        (.hasChildren, "HASCHILDREN"),
        (.highestModSeq(715_194_045_007), "HIGHESTMODSEQ 715194045007"),
        (.inUse, "INUSE"),
        (.limit, "LIMIT"),
        (.modified([7, 9, 8, 12]), "MODIFIED 7:9,12"),
        (.noModSeq, "NOMODSEQ"),
        (.nonexistent, "NONEXISTENT"),
        (.noPerm, "NOPERM"),
        (.notSaved, "NOTSAVED"),
        (.overQuota, "OVERQUOTA"),
        (.parse, "PARSE"),
        (.permanentFlags(["\\Deleted", "\\Seen", "\\*"]), "PERMANENTFLAGS (\\Deleted \\Seen \\*)"),
        (.permanentFlags([]), "PERMANENTFLAGS ()"),
        (.privacyRequired, "PRIVACYREQUIRED"),
        (.readOnly, "READ-ONLY"),
        (.readWrite, "READ-WRITE"),
        (.serverBug, "SERVERBUG"),
        (.tooBig, "TOOBIG"),
        (.compressionActive, "COMPRESSIONACTIVE"),
        (.badURL("/INBOX;UIDVALIDITY=7/;UID=20"), "BADURL /INBOX;UIDVALIDITY=7/;UID=20"),
        (.badURL("/a]b\\c"), "BADURL /abc"),
        (.inProgress(tag: "A001", done: 120, total: 250), "INPROGRESS (\"A001\" 120 250)"),
        (.inProgress(tag: "a1", done: nil, total: nil), "INPROGRESS (\"a1\" NIL NIL)"),
        (.inProgress(tag: nil, done: 0, total: 0), "INPROGRESS (NIL 0 NIL)"),
        // RFC 5464 §4.2.1, §4.3; RFC 5465 §5, §5.8
        (.metadata(.longEntries(2199)), "METADATA LONGENTRIES 2199"),
        (.metadata(.maxSize(1024)), "METADATA MAXSIZE 1024"),
        (.metadata(.tooMany), "METADATA TOOMANY"),
        (.metadata(.noPrivate), "METADATA NOPRIVATE"),
        (.badEvent(["MessageNew", "MessageExpunge", "FlagChange"]), "BADEVENT (MessageNew MessageExpunge FlagChange)"),
        (.notificationOverflow, "NOTIFICATIONOVERFLOW"),
        (.tryCreate, "TRYCREATE"),
        (.uidNext(4392), "UIDNEXT 4392"),
        (.uidNotSticky, "UIDNOTSTICKY"),
        (.uidValidity(3_857_529_045), "UIDVALIDITY 3857529045"),
        (.unavailable, "UNAVAILABLE"),
        (.unknownCTE, "UNKNOWN-CTE"),
        (.unseen(12), "UNSEEN 12"),
        (.mailboxID("F2212ea87-6097-4256-9d51-71338625"), "MAILBOXID (F2212ea87-6097-4256-9d51-71338625)"),  // RFC 8474 §4.1
        (.useAttr, "USEATTR"),  // RFC 6154 §6
    ]

    @Test(arguments: golden.indices)
    func code(_ index: Int) {
        let (code, text) = Self.golden[index]
        #expect(String(decoding: code.encoded, as: UTF8.self) == text)
        #expect(ResponseFixture.wire(.tagged("a1", .ok, code, "done")) == "a1 OK [\(text)] done\r\n")
    }

    @Test func everyCaseHasAGoldenLine() {
        // One entry per case of the enum (some cases twice, with other arguments).
        var names = Set<String>()
        for (code, _) in Self.golden { names.insert(String(describing: code).prefix { $0 != "(" }.description) }
        #expect(names.count == 47)
    }

    @Test func rfcExamples() {
        // RFC 4315 §3 / RFC 9051 §7.1 examples.
        #expect(
            ResponseFixture.wire(.tagged("A003", .ok, .appendUID(uidValidity: 38505, uids: [3955]), "APPEND completed"))
                == "A003 OK [APPENDUID 38505 3955] APPEND completed\r\n")
        #expect(
            ResponseFixture.wire(
                .tagged("A004", .ok, .copyUID(uidValidity: 38505, source: [304, 319, 320], destination: [3956, 3957, 3958]), "Done"))
                == "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n")
        #expect(
            ResponseFixture.wire(.untagged(.ok, .permanentFlags(["\\Deleted", "\\Seen", "\\*"]), "Limited"))
                == "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n")
        #expect(
            ResponseFixture.wire(.tagged("a103", .ok, .modified([7, 9]), "Conditional STORE failed"))
                == "a103 OK [MODIFIED 7,9] Conditional STORE failed\r\n")
    }
}

/// `1:3,5`: sorted sets, and COPYUID's order-keeping sets. RFC 4315 §3–4.
@Suite struct UIDSetCompressionTests {
    @Test func sorted() {
        #expect(UIDSetCompression.sorted([]) == "")
        #expect(UIDSetCompression.sorted([5]) == "5")
        #expect(UIDSetCompression.sorted([5, 1, 2, 3, 3]) == "1:3,5")
        #expect(UIDSetCompression.sorted([1, 2]) == "1:2")
        #expect(UIDSetCompression.sorted([10, 8, 6]) == "6,8,10")
        #expect(UIDSetCompression.sorted([UInt32.max, UInt32.max - 1, 1]) == "1,4294967294:4294967295")
    }

    @Test func orderedKeepsTheMapping() {
        #expect(UIDSetCompression.ordered([3, 4, 5, 1, 9, 8]) == "3:5,1,9,8")
        // A descending run stays element by element: "9:7" would mean the set 7,8,9, and a
        // client could pair it in ascending order.
        #expect(UIDSetCompression.ordered([9, 8, 7]) == "9,8,7")
        #expect(UIDSetCompression.ordered([2, 2, 3]) == "2,2:3")
    }

    @Test func copyUIDPairsSurviveExpansion() {
        // Source in the client's order, destinations assigned in that order.
        let source: [UInt32] = [20, 21, 22, 5, 6, 40]
        let destination: [UInt32] = [100, 101, 102, 103, 104, 105]
        let code = ResponseCode.copyUID(uidValidity: 1, source: source, destination: destination)
        #expect(String(decoding: code.encoded, as: UTF8.self) == "COPYUID 1 20:22,5:6,40 100:105")
        #expect(Self.expand("20:22,5:6,40") == source)
        #expect(Self.expand("100:105") == destination)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func roundTrip(seed: UInt64) {
        var state = seed
        func next() -> UInt32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32(truncatingIfNeeded: state >> 33) % 60 + 1
        }
        let values = (0..<40).map { _ in next() }
        #expect(Self.expand(UIDSetCompression.ordered(values)) == values)
        #expect(Self.expand(UIDSetCompression.sorted(values)) == Array(Set(values)).sorted())
    }

    /// Expands a set written by the encoder (ranges ascending) in its written order.
    static func expand(_ set: String) -> [UInt32] {
        set.split(separator: ",").flatMap { piece -> [UInt32] in
            let ends = piece.split(separator: ":").compactMap { UInt32($0) }
            return ends.count == 2 ? Array(ends[0]...ends[1]) : ends
        }
    }
}
