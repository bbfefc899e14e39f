/// A whole DNS message, query or response. RFC 1035 §4.1:
///
/// ```
/// Header | Question | Answer | Authority | Additional
/// ```
/// `encoded()` writes names uncompressed (RFC 1035 §4.1.4 makes compression optional);
/// `init(decoding:)` reads compressed names and checks every length, so hostile input
/// fails with a `DNSWireError` and never traps.
public struct DNSMessage: Sendable, Hashable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    public init(
        header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [],
        authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A standard query for one question, recursion desired, as a stub resolver sends it.
    /// RFC 1034 §5.3.1; one question per message, RFC 9619.
    public static func query(id: UInt16, name: DNSName, type: DNSRecordType) -> DNSMessage {
        DNSMessage(header: DNSHeader(id: id, recursionDesired: true), questions: [DNSQuestion(name: name, type: type)])
    }

    /// The message on the wire; sections over 65,535 entries are the caller's mistake
    /// and are cut to fit the 16-bit counts.
    public func encoded() -> [UInt8] {
        let sections = [answers, authorities, additionals].map { Array($0.prefix(Int(UInt16.max))) }
        let questions = questions.prefix(Int(UInt16.max))
        var bytes: [UInt8] = []
        bytes.appendUInt16(header.id)  // RFC 1035 §4.1.1
        bytes.appendUInt16(header.flags)
        bytes.appendUInt16(UInt16(questions.count))
        for section in sections { bytes.appendUInt16(UInt16(section.count)) }
        for question in questions { question.encode(into: &bytes) }
        for section in sections {
            for record in section { record.encode(into: &bytes) }
        }
        return bytes
    }

    /// Reads a message. Octets after the last counted record are ignored, as every
    /// resolver does (some servers pad); everything before must be well-formed.
    public init(decoding bytes: [UInt8]) throws(DNSWireError) {
        var reader = DNSWireReader(bytes)
        let id = try reader.readUInt16()  // RFC 1035 §4.1.1
        let flags = try reader.readUInt16()
        let questionCount = Int(try reader.readUInt16())
        let answerCount = Int(try reader.readUInt16())
        let authorityCount = Int(try reader.readUInt16())
        let additionalCount = Int(try reader.readUInt16())
        // Counts are not trusted for allocation: each entry takes at least 5 octets, so
        // the loops end on `.truncated` long before a hostile count could cost memory.
        var questions: [DNSQuestion] = []
        for _ in 0..<questionCount { questions.append(try DNSQuestion.decode(&reader)) }  // RFC 1035 §4.1.2
        func records(_ count: Int) throws(DNSWireError) -> [DNSResourceRecord] {
            var records: [DNSResourceRecord] = []
            for _ in 0..<count { records.append(try DNSResourceRecord.decode(&reader)) }  // RFC 1035 §4.1.3
            return records
        }
        let answers = try records(answerCount)
        let authorities = try records(authorityCount)
        let additionals = try records(additionalCount)
        self.init(
            header: DNSHeader(id: id, flags: flags), questions: questions, answers: answers, authorities: authorities,
            additionals: additionals)
    }
}
