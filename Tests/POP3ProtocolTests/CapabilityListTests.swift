import POP3Protocol
import TestSupport
import Testing

/// RFC 2449 §5 CAPA: what is offered depends on TLS and policy.
@Suite struct CapabilityListTests {
    @Test func beforeTLSWithoutPlaintextAuth() {
        let list = CapabilityList(tlsActive: false)
        #expect(list.lines == ["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "STLS", "IMPLEMENTATION Buzon"])
        #expect(!list.authenticationOffered)
        #expect(text(list.mechanismListEncoded) == "+OK\r\n.\r\n")
    }

    @Test func underTLS() {
        let list = CapabilityList(tlsActive: true)
        #expect(
            text(list.encoded)
                == "+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nSASL PLAIN\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
                + "PIPELINING\r\nIMPLEMENTATION Buzon\r\n.\r\n")
        #expect(text(list.mechanismListEncoded) == "+OK\r\nPLAIN\r\n.\r\n")
    }

    @Test func plaintextAllowedWithoutTLS() {
        let list = CapabilityList(tlsActive: false, tlsAvailable: false, plaintextAuthAllowed: true, implementation: nil)
        #expect(list.lines == ["TOP", "UIDL", "USER", "SASL PLAIN", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"])
    }

    @Test func policies() {
        let list = CapabilityList(
            tlsActive: true, saslMechanisms: ["PLAIN", "LOGIN"], implementation: "Buzon 1.0", expire: .days(30), loginDelay: 60)
        #expect(
            list.lines == [
                "TOP", "UIDL", "USER", "SASL PLAIN LOGIN", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "LOGIN-DELAY 60",
                "EXPIRE 30", "IMPLEMENTATION Buzon 1.0",
            ])
        #expect(CapabilityList(tlsActive: true, saslMechanisms: [], expire: .never).lines.contains("EXPIRE NEVER"))
        #expect(!CapabilityList(tlsActive: true, saslMechanisms: []).lines.contains { $0.hasPrefix("SASL") })
    }

    @Test func parsesAsAMultilineResponse() throws {
        var parser = POP3ResponseParser()
        parser.append(CapabilityList(tlsActive: false).encoded)
        #expect(try parser.next(expecting: .multiline) == .status(.capabilityListFollows))
        guard case .body(let body) = try parser.next(expecting: .multiline) else {
            Issue.record("no body")
            return
        }
        #expect(text(body).split(separator: "\r\n").map(String.init) == CapabilityList(tlsActive: false).lines)
        #expect(try parser.next(expecting: .multiline) == .end)
    }
}
