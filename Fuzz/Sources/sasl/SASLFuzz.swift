import FuzzSupport
import SASL

/// `SASLExchange` as the three gateways drive it (RFC 4422 §3; PLAIN RFC 4616, LOGIN,
/// SCRAM-SHA-256 RFC 5802/7677): the first byte picks the mechanism, the first line is the
/// initial response (or none), the rest are client lines; the store's SCRAM answers are made
/// up. Whatever the client sends, credentials handed to the store are UTF-8 within the field
/// cap with no NUL, and an ended exchange stays ended. PLAIN's decoder agrees with its encoder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSASL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        guard let first = bytes.first else { return }
        let mechanisms = ["PLAIN", "LOGIN", "SCRAM-SHA-256"]
        guard var exchange = SASLExchange(mechanism: mechanisms[Int(first) % 3], serverNonce: "fuzznonce") else {
            Fuzz.require(false, "a known mechanism was refused")
            return
        }
        var lines = Fuzz.lines(Array(bytes.dropFirst())).map { String(decoding: $0, as: UTF8.self) }[...]
        let initial = first & 0x80 == 0 ? lines.popFirst() : nil
        var step = exchange.start(initialResponse: initial)
        var ended = false
        for _ in 0..<16 {
            switch step {
            case .verifyPassword(let username, let password):
                for field in [username, password] {
                    Fuzz.require(!field.isEmpty && field.utf8.count <= SASLDefaults.maxFieldLength, "field \(field.utf8.count) octets")
                    Fuzz.require(!field.utf8.contains(0), "NUL in a credential")
                }
                ended = true
            case .scramStart:
                step = exchange.scramSalt(Array("fuzzsalt".utf8), iterations: 4096)
                continue
            case .scramFinish(let finish):
                Fuzz.require(!finish.username.isEmpty, "SCRAM finish without a user name")
                step = exchange.scramVerified(serverSignature: [UInt8](repeating: 7, count: 32))
                continue
            case .success, .failure:
                ended = true
            case .challenge:
                break
            }
            if ended {
                // Nothing after the end of an exchange may start it again.
                if let line = lines.popFirst() {
                    let after = exchange.receive(line)
                    Fuzz.require(after != .success, "success after the exchange ended")
                    if case .verifyPassword = after { Fuzz.require(false, "credentials after the exchange ended") }
                }
                return
            }
            guard let line = lines.popFirst() else { return }
            step = exchange.receive(line)
        }
        // PLAIN's decoder, straight on the bytes: what it accepts encodes back to the same.
        if case .success(let credentials) = SASLPlain.decode(message: Array(bytes.dropFirst())) {
            let again = SASLPlain.decode(message: Array(SASLBase64.decode(SASLPlain.encode(credentials)) ?? []))
            Fuzz.require(again == .success(credentials), "PLAIN does not round-trip")
        }
    }
}
