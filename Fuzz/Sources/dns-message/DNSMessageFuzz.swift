import DNSClient
import FuzzSupport

/// `DNSMessage(decoding:)` (RFC 1035 §4.1, compression §4.1.4): hostile input fails with a
/// `DNSWireError` and never traps; a decoded message encodes (names uncompressed) to bytes
/// that decode to the same message; what the relay does with an answer — the CNAME chain
/// (RFC 1034 §3.6.2), the MX result (RFC 5321 §5.1, RFC 7505) — runs without a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNSMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        guard let message = try? DNSMessage(decoding: bytes) else { return }
        let wire = message.encoded()
        let again = try? DNSMessage(decoding: wire)
        Fuzz.require(again == message, "\(message) encodes to bytes that decode to \(String(describing: again))")
        for question in message.questions {
            _ = (question.description, question.name.hostName)
            _ = try? message.answerRecords(for: question.name, type: question.type)
            _ = try? MXResult(response: message, domain: question.name, shuffle: { $0 })
            _ = message.isResponse(to: DNSMessage.query(id: message.header.id, name: question.name, type: question.type))
        }
        for record in message.answers + message.authorities + message.additionals {
            _ = (record.description, record.data.addressText)
        }
    }
}
