import IMAPProtocol
import TestSupport
import Testing

/// Seeded random FETCH, SEARCH, STORE, SELECT and LIST commands: encode → frame (in random
/// chunks) → parse gives them back; mutated, they fail cleanly or still round-trip.
@Suite struct GeneratedCommandTests {
    /// Builds random commands in the shapes a parse can give (canonical values: no `.and` of
    /// fewer than two keys, upper-case names, no VANISHED without CHANGEDSINCE …).
    struct Generator {
        var random: SeededGenerator

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        mutating func bool() -> Bool { Bool.random(using: &random) }
        mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }
        mutating func maybe<T>(_ make: (inout Generator) -> T) -> T? { bool() ? make(&self) : nil }

        mutating func number() -> SequenceSet.Number { int(0...4) == 0 ? .largest : .number(UInt32(int(1...5000))) }
        mutating func set(star: Bool = true, dollar: Bool = true) -> SequenceSet {
            if dollar, int(0...9) == 0 { return .lastCommand }
            return .ranges(
                (0..<int(1...4)).map { _ in
                    let first: SequenceSet.Number = star ? number() : .number(UInt32(int(1...5000)))
                    let last: SequenceSet.Number = bool() ? first : (star ? number() : .number(UInt32(int(1...5000))))
                    return .init(first, last)
                })
        }
        mutating func modSeq() -> UInt64 { pick([0, 1, 12345, UInt64(Int64.max), UInt64(int(0...Int(Int32.max)))]) }
        mutating func string() -> String {
            let pool: [String] = [
                "a", "Z", " ", "\"", "\\", "ü", "日", "😀", "(", ")", "{", "}", "%", "*", "]", "[", "\r\n", "\u{1}", "\u{7F}", "NIL", "-",
            ]
            return (0..<int(0...8)).map { _ in pick(pool) }.joined()
        }
        mutating func fieldName() -> String {
            let pool: [String] = ["X", "-", "SUBJECT", "FROM", "MESSAGE-ID", " ", "Ü", "ü", "\"", "]", "1"]
            return (0..<int(0...4)).map { _ in pick(pool) }.joined()
        }
        mutating func date() -> IMAPDate { IMAPDate(year: int(1900...2100), month: int(1...12), day: int(1...28))! }
        mutating func keyword() -> Flag { pick([Flag("$Junk")!, Flag("$Forwarded")!, Flag("work")!, Flag("$MDNSent")!, Flag("seen")!]) }
        mutating func flag() -> Flag { pick([.seen, .answered, .flagged, .deleted, .draft, Flag("\\Custom")!, keyword()]) }

        mutating func section() -> SectionSpec {
            let part = (0..<int(0...3)).map { _ in int(1...40) }
            let texts: [SectionSpec.Text?] =
                [
                    nil, .header, .text, .headerFields((0..<int(1...3)).map { _ in fieldName() }),
                    .headerFieldsNot((0..<int(1...3)).map { _ in fieldName() }),
                ] + (part.isEmpty ? [] : [.mime])
            return SectionSpec(part: part, text: pick(texts))
        }
        mutating func partial() -> FetchAttribute.Partial? {
            maybe { g in .init(offset: UInt32(g.int(0...Int(UInt32.max))), length: UInt32(g.int(1...Int(UInt32.max)))) }
        }
        mutating func fetchAttribute() -> FetchAttribute {
            switch int(0...13) {
            case 0: return .envelope
            case 1: return .flags
            case 2: return .internalDate
            case 3: return .rfc822Size
            case 4: return .rfc822
            case 5: return .rfc822Header
            case 6: return .rfc822Text
            case 7: return .body
            case 8: return .bodyStructure
            case 9: return .uid
            case 10: return .modSeq
            case 11: return .binary(part: (0..<int(0...3)).map { _ in int(1...9) }, partial: partial(), peek: bool())
            case 12: return .binarySize(part: (0..<int(0...3)).map { _ in int(1...9) })
            default: return .section(section(), partial: partial(), peek: bool())
            }
        }

        mutating func searchKey(depth: Int = 0) -> SearchKey {
            if depth < 4, int(0...3) == 0 {
                switch int(0...2) {
                case 0: return .not(searchKey(depth: depth + 1))
                case 1: return .or(searchKey(depth: depth + 1), searchKey(depth: depth + 1))
                default: return .and((0..<int(2...4)).map { _ in searchKey(depth: depth + 1) })
                }
            }
            switch int(0...18) {
            case 0: return .all
            // no `\Custom`: SEARCH has no key for it
            case 1: return .flag(bool() ? pick([Flag.seen, .answered, .flagged, .deleted, .draft]) : keyword())
            case 2: return .noFlag(bool() ? pick([Flag.seen, .answered, .flagged, .deleted, .draft]) : keyword())
            case 3: return pick([.new, .old, .recent])
            case 4: return .before(date())
            case 5: return .on(date())
            case 6: return .since(date())
            case 7: return .sentBefore(date())
            case 8: return .sentOn(date())
            case 9: return .sentSince(date())
            case 10: return .larger(modSeq())
            case 11: return .smaller(modSeq())
            case 12: return .header(pick(["FROM", "TO", "CC", "BCC", "SUBJECT", fieldName()]), string())
            case 13: return .body(string())
            case 14: return .text(string())
            case 15: return .sequence(set())
            case 16: return .uid(set())
            default: return .modSeq(modSeq())
            }
        }

        mutating func command() -> IMAPCommand {
            let tag = "g\(int(0...999))"
            let uid = bool()
            switch int(0...4) {
            case 0:
                let changedSince = maybe { $0.modSeq() }
                let modifiers = FetchModifiers(changedSince: changedSince, vanished: uid && changedSince != nil && bool())
                return IMAPCommand(
                    tag: tag, .fetch(set(), attributes: (0..<int(1...5)).map { _ in fetchAttribute() }, modifiers: modifiers, uid: uid))
            case 1:
                let charset = pick([nil, "UTF-8", "US-ASCII"])
                // RFC 5267 §4.4: at most one of ALL and PARTIAL.
                let returning = maybe { g in
                    (0..<g.int(0...3)).map { _ in g.pick([SearchReturnOption.min, .max, .count, .save, .context, .update]) }
                        + g.pick([[], [.all], [.partial(1...UInt32(g.int(1...99)))]])
                }
                let keys = (0..<int(1...3)).map { _ in searchKey() }
                return IMAPCommand(
                    tag: tag,
                    .search(
                        SearchProgram(charset: charset, returnOptions: returning, key: keys.count == 1 ? keys[0] : .and(keys)), uid: uid))
            case 2:
                let arguments = StoreArguments(
                    operation: pick([.add, .remove, .replace]), silent: bool(), flags: (0..<int(0...4)).map { _ in flag() },
                    unchangedSince: maybe { $0.modSeq() })
                return IMAPCommand(tag: tag, .store(set(), arguments, uid: uid))
            case 3:
                let qresync = maybe { g in
                    SelectParameters.QResync(
                        uidValidity: UInt32(g.int(1...Int(UInt32.max))), modSeq: g.modSeq(),
                        knownUIDs: g.maybe { $0.set(star: false, dollar: false) },
                        sequenceMatch: g.maybe {
                            .init(sequenceNumbers: $0.set(star: false, dollar: false), uids: $0.set(star: false, dollar: false))
                        })
                }
                let parameters = SelectParameters(condstore: bool(), qresync: qresync)
                return IMAPCommand(
                    tag: tag, bool() ? .select(MailboxName(string()), parameters: parameters) : .examine(.inbox, parameters: parameters))
            default:
                let options = maybe { g in
                    ListReturnOptions(
                        subscribed: g.bool(), children: g.bool(), specialUse: g.bool(),
                        status: g.maybe { g in (0..<g.int(1...3)).map { _ in g.pick(["MESSAGES", "UNSEEN", "SIZE", "HIGHESTMODSEQ"]) } })
                }
                return IMAPCommand(
                    tag: tag, .list(selectOptions: bool() ? [] : ["SUBSCRIBED"], reference: "", patterns: ["*"], returnOptions: options))
            }
        }
    }

    static func generated(_ count: Int, seed: UInt64) -> [IMAPCommand] {
        var generator = Generator(random: SeededGenerator(seed: seed))
        return (0..<count).map { _ in generator.command() }
    }

    @Test func generatedCommandsRoundTrip() {
        var random = SeededGenerator(seed: 7162)
        for command in Self.generated(600, seed: 4731) {
            for style in [IMAPLiteralStyle.synchronizing, .nonSynchronizing] {
                let wire = command.encoded(style: style)
                let chunk = [1, 2, 5, 64, Int.max].randomElement(using: &random)!
                #expect(parseStream(wire, chunk: chunk) == [.success(command)], "\(text(wire).debugDescription) chunk \(chunk)")
            }
            let wire = command.encoded(utf8Enabled: true)
            #expect(parseStream(wire, utf8Enabled: true) == [.success(command)], "\(text(wire).debugDescription) UTF8=ACCEPT")
        }
    }

    /// Every client transcript in one stream, fed one byte at a time, then in every chunk size.
    static let transcripts: [Transcript] =
        FetchAttributeParserTests.transcripts + SearchParserTests.transcripts
        + StoreParserTests.transcripts + SelectParserTests.transcripts + ListParserTests.transcripts

    @Test func transcriptsAsOneStream() {
        let wire = Self.transcripts.flatMap { bytes($0.line + "\r\n") }
        let expected = Self.transcripts.map { Result<IMAPCommand, IMAPSyntaxError>.success($0.command) }
        for size in chunkSizes { #expect(parseStream(wire, chunk: size) == expected, "chunk \(size)") }
        let generated = Self.generated(100, seed: 5182)
        let encoded = generated.flatMap { $0.encoded(style: .nonSynchronizing) }
        for size in chunkSizes { #expect(parseStream(encoded, chunk: size) == generated.map { .success($0) }, "chunk \(size)") }
    }

    /// Seeded mutations of valid commands: the parser refuses them (or, where the mutation
    /// left a valid command, that command round-trips); it never crashes or hangs.
    @Test func mutatedCommandsFailCleanly() {
        var random = SeededGenerator(seed: 3501)
        let seeds =
            Self.transcripts.map { bytes($0.line + "\r\n") } + Self.generated(150, seed: 9051).map { $0.encoded(style: .nonSynchronizing) }
            + [bytes("a1 UID SEARCH CHARSET UTF-8 SUBJECT {4+}\r\ncafé NOT (OR SEEN (1:3 $)) MODSEQ \"/flags/\\\\seen\" all 5\r\n")]
        let alphabet = Array("()[]<>{}\"\\ +-.~*%$:,0123456789AaZz&\r\n\0".utf8) + [0x80, 0xC3, 0xFF]
        var refused = 0
        var accepted = 0
        for seed in seeds {
            for _ in 0..<60 {
                let wire = random.mutated(seed, alphabet: alphabet, edits: 1...4, repeats: true)
                for result in parseStream(wire, chunk: Int.random(in: 1...32, using: &random)) {
                    switch result {
                    case .failure(let error):
                        refused += 1
                        #expect(error.detail.isEmpty == false)
                    case .success(let command):
                        accepted += 1
                        #expect(parseStream(command.encoded()) == [.success(command)], "\(text(wire).debugDescription)")
                    }
                }
            }
        }
        #expect(refused > accepted)  // the mutations mostly break the grammar, and are caught
    }
}
