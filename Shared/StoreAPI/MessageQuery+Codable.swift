/// `MessageQuery` in JSON: one member per query object, named for the case, holding its
/// arguments as members (`{"header":{"name":"SUBJECT","value":"lunch"}}`) or, unlabelled, as
/// `_0`, `_1` (`{"not":{"_0":{"all":{}}}}`) — the shape Swift synthesizes, written out so that
/// an object with more than one member is refused rather than read by its first known member
/// (openapi.yaml says `maxProperties: 1`). Members inside a case's object that it does not
/// know are ignored, as everywhere in the API.
extension MessageQuery {
    private enum Case: String, CodingKey, CaseIterable {
        case all, flag, noFlag, arrival, sent, larger, smaller, header, body, text, uids, modSeq, not, or, and
    }

    private enum Member: String, CodingKey {
        case name, value, size, text, set, atLeast
        case first = "_0", second = "_1"
    }

    /// Any member name, to count them.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let members = try decoder.container(keyedBy: AnyKey.self).allKeys
        let container = try decoder.container(keyedBy: Case.self)
        guard members.count == 1, let name = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a query is an object with exactly one known member"))
        }
        let inner = try container.nestedContainer(keyedBy: Member.self, forKey: name)
        switch name {
        case .all: self = .all
        case .flag: self = .flag(name: try inner.decode(String.self, forKey: .name))
        case .noFlag: self = .noFlag(name: try inner.decode(String.self, forKey: .name))
        case .arrival: self = .arrival(try inner.decode(DayComparison.self, forKey: .first))
        case .sent: self = .sent(try inner.decode(DayComparison.self, forKey: .first))
        case .larger: self = .larger(size: try inner.decode(UInt64.self, forKey: .size))
        case .smaller: self = .smaller(size: try inner.decode(UInt64.self, forKey: .size))
        case .header:
            self = .header(name: try inner.decode(String.self, forKey: .name), value: try inner.decode(String.self, forKey: .value))
        case .body: self = .body(text: try inner.decode(String.self, forKey: .text))
        case .text: self = .text(text: try inner.decode(String.self, forKey: .text))
        case .uids: self = .uids(set: try inner.decode(String.self, forKey: .set))
        case .modSeq: self = .modSeq(atLeast: try inner.decode(UInt64.self, forKey: .atLeast))
        case .not: self = .not(try inner.decode(MessageQuery.self, forKey: .first))
        case .or:
            self = .or(try inner.decode(MessageQuery.self, forKey: .first), try inner.decode(MessageQuery.self, forKey: .second))
        case .and: self = .and(try inner.decode([MessageQuery].self, forKey: .first))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Case.self)
        func inner(_ name: Case) -> KeyedEncodingContainer<Member> {
            container.nestedContainer(keyedBy: Member.self, forKey: name)
        }
        switch self {
        case .all: _ = inner(.all)
        case .flag(let name):
            var c = inner(.flag)
            try c.encode(name, forKey: .name)
        case .noFlag(let name):
            var c = inner(.noFlag)
            try c.encode(name, forKey: .name)
        case .arrival(let day):
            var c = inner(.arrival)
            try c.encode(day, forKey: .first)
        case .sent(let day):
            var c = inner(.sent)
            try c.encode(day, forKey: .first)
        case .larger(let size):
            var c = inner(.larger)
            try c.encode(size, forKey: .size)
        case .smaller(let size):
            var c = inner(.smaller)
            try c.encode(size, forKey: .size)
        case .header(let name, let value):
            var c = inner(.header)
            try c.encode(name, forKey: .name)
            try c.encode(value, forKey: .value)
        case .body(let text):
            var c = inner(.body)
            try c.encode(text, forKey: .text)
        case .text(let text):
            var c = inner(.text)
            try c.encode(text, forKey: .text)
        case .uids(let set):
            var c = inner(.uids)
            try c.encode(set, forKey: .set)
        case .modSeq(let atLeast):
            var c = inner(.modSeq)
            try c.encode(atLeast, forKey: .atLeast)
        case .not(let query):
            var c = inner(.not)
            try c.encode(query, forKey: .first)
        case .or(let a, let b):
            var c = inner(.or)
            try c.encode(a, forKey: .first)
            try c.encode(b, forKey: .second)
        case .and(let queries):
            var c = inner(.and)
            try c.encode(queries, forKey: .first)
        }
    }
}
