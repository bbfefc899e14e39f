import Foundation
import InternetMessage
import MessageThreading
import StoreAPI
import Testing

/// The generated corpus of the end-to-end oracle test (Tests/EndToEnd/test_imap_sort_thread_oracle.py:
/// encoded-word addresses and subjects, prefixes and trailers, zones, broken dates, reference
/// chains with missing parents, loops and duplicate ids) with the answers its Python oracle
/// (rfc5256_oracle.py, written from the RFC text) gives: the same answers from this target.
/// Regenerate oracle-corpus.json with that file's `corpus()` when the generator changes.
@Suite struct OracleCorpusTests {
    struct Fixture: Decodable {
        struct Message: Decodable {
            var uid: UInt32
            var `internal`: Int64
            var raw: String
        }
        struct Sort: Decodable {
            var criteria: [[Criterion]]
            var uids: [UInt32]
        }
        enum Criterion: Decodable {
            case name(String), reverse(Bool)
            init(from decoder: any Decoder) throws {
                let value = try decoder.singleValueContainer()
                if let flag = try? value.decode(Bool.self) {
                    self = .reverse(flag)
                } else {
                    self = .name(try value.decode(String.self))
                }
            }
        }
        var messages: [Message]
        var sorts: [Sort]
        var threads: [String: String]
    }

    static let fixture: Fixture? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("oracle-corpus.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Fixture.self, from: data)
    }()

    static func parsed() throws -> [(uid: UInt32, internal: Int64, message: ParsedMessage)] {
        let fixture = try #require(Self.fixture)
        return try fixture.messages.map { entry in
            let raw = try #require(Data(base64Encoded: entry.raw))
            return (entry.uid, entry.`internal`, MessageParser().parse(Array(raw)))
        }
    }

    static func field(_ message: ParsedMessage, _ name: String) -> String? {
        message.field(named: name)?.rawValue
    }

    @Test func sortsAsTheOracle() throws {
        let fixture = try #require(Self.fixture)
        let messages = try Self.parsed().map { entry in
            SortableMessage(
                uid: entry.uid, arrival: entry.internal, size: UInt64(entry.message.size),
                date: Self.field(entry.message, "Date"), from: Self.field(entry.message, "From"),
                to: Self.field(entry.message, "To"), cc: Self.field(entry.message, "Cc"),
                subject: Self.field(entry.message, "Subject"))
        }
        for sort in fixture.sorts {
            let criteria = sort.criteria.compactMap { pair -> SortKey? in
                guard case .name(let name) = pair.first, case .reverse(let reverse) = pair.last else { return nil }
                let criterion: SortKey.Criterion? =
                    switch name {
                    case "ARRIVAL": .arrival
                    case "CC": .cc
                    case "DATE": .date
                    case "FROM": .from
                    case "SIZE": .size
                    case "SUBJECT": .subject
                    case "TO": .to
                    case "DISPLAYFROM": .displayFrom
                    case "DISPLAYTO": .displayTo
                    default: nil
                    }
                return criterion.map { SortKey($0, reverse: reverse) }
            }
            #expect(MessageSorter.sort(messages, by: criteria) == sort.uids, "\(criteria)")
        }
    }

    @Test func threadsAsTheOracle() throws {
        let fixture = try #require(Self.fixture)
        let messages = try Self.parsed().map { entry in
            ThreadableMessage(
                uid: entry.uid, internalDate: entry.internal, messageID: Self.field(entry.message, "Message-ID"),
                inReplyTo: Self.field(entry.message, "In-Reply-To"), references: Self.field(entry.message, "References"),
                subject: Self.field(entry.message, "Subject"), date: Self.field(entry.message, "Date"))
        }
        #expect(notation(OrderedSubjectThreader.thread(messages)) == fixture.threads["orderedsubject"])
        #expect(notation(ReferencesThreader.thread(messages)) == fixture.threads["references"])
    }
}
