import Foundation
import SASL
import Testing

/// The one SASL implementation the three gateways share: PLAIN (RFC 4616), LOGIN, SCRAM-SHA-256
/// (RFC 5802, RFC 7677) and the framing (initial response, `=`, `*`, strict base64).
@Suite struct SASLExchangeTests {
    static func b64(_ text: String) -> String { SASLBase64.encode(text) }
    static func b64(_ bytes: [UInt8]) -> String { SASLBase64.encode(bytes) }

    static func exchange(_ mechanism: String) -> SASLExchange { SASLExchange(mechanism: mechanism)! }

    // MARK: PLAIN

    @Test(arguments: [
        ("\0alice\0secret", "alice", "secret"),
        ("alice\0alice\0secret", "alice", "secret"),
        ("ALICE@Example.test\0alice@example.test\0secret", "alice@example.test", "secret"),
        ("\0jürgen@example.test\0pässwörd with space", "jürgen@example.test", "pässwörd with space"),
    ])
    func plainAccepts(message: String, user: String, password: String) {
        var initial = Self.exchange("plain")
        #expect(initial.start(initialResponse: Self.b64(message)) == .verifyPassword(username: user, password: password))
        #expect(initial.isFinished)
        var challenged = Self.exchange("PLAIN")
        #expect(challenged.start(initialResponse: nil) == .challenge(""))
        #expect(challenged.receive(Self.b64(message)) == .verifyPassword(username: user, password: password))
    }

    static let long = String(repeating: "x", count: SASLDefaults.maxFieldLength + 1)

    /// The inputs the end-to-end test sends to all three protocols, and the fault each is.
    @Test(arguments: [
        (b64("alice\0secret"), SASLError.malformedMessage),  // one NUL
        (b64("\0a\0b\0c"), .malformedMessage),  // three NULs
        (b64("\0\0secret"), .malformedMessage),  // empty authcid
        (b64("\0alice\0"), .malformedMessage),  // empty password
        ("", .malformedBase64),  // an empty initial response is "=", never nothing
        ("=", .malformedMessage),  // "=": an empty initial response, not a PLAIN message
        (b64("\0alice\0" + long), .fieldTooLong),
        (b64(long + "\0alice\0secret"), .fieldTooLong),
        (b64([0, 0x61, 0, 0xFF, 0xFE]), .notUTF8),
        (b64([0xC3, 0x28, 0, 0x61, 0, 0x62]), .notUTF8),
        (b64("bob\0alice\0secret"), .authorizationMismatch),
        ("not base64!", .malformedBase64),
        ("AGFsaWNlAHNlY3JldA", .malformedBase64),  // padding missing
        ("AGFsaWNl AHNlY3JldA==", .malformedBase64),  // a space inside
        ("AGFsaWNlAHNlY3JldB==", .malformedBase64),  // non-zero pad bits
        ("=AGFsaWNlAHNlY3JldA=", .malformedBase64),
    ])
    func plainRefuses(response: String, fault: SASLError) {
        var exchange = Self.exchange("PLAIN")
        #expect(exchange.start(initialResponse: response) == .failure(fault))
        #expect(exchange.isFinished)
    }

    @Test func emptyLineIsAnEmptyResponse() {
        var exchange = Self.exchange("PLAIN")
        #expect(exchange.start(initialResponse: nil) == .challenge(""))
        #expect(exchange.receive("") == .failure(.malformedMessage))  // read as an empty PLAIN message
    }

    @Test func faultsHaveOneClassEach() {
        #expect(SASLError.malformedBase64.kind == .malformed)
        #expect(SASLError.fieldTooLong.kind == .malformed)
        #expect(SASLError.notUTF8.kind == .malformed)
        #expect(SASLError.malformedMessage.kind == .malformed)
        #expect(SASLError.cancelled.kind == .cancelled)
        #expect(SASLError.authorizationMismatch.kind == .refused)
        #expect(SASLError.channelBindingNotSupported.kind == .refused)
    }

    @Test func cancel() {
        for mechanism in SASLExchange.Mechanism.allCases {
            var exchange = SASLExchange(mechanism: mechanism.rawValue)!
            _ = exchange.start(initialResponse: nil)
            #expect(exchange.receive("*") == .failure(.cancelled))
            #expect(exchange.isFinished)
            #expect(exchange.receive(Self.b64("\0a\0b")) == .failure(.malformedMessage))  // nothing after the end
        }
    }

    @Test func unknownMechanism() {
        #expect(SASLExchange(mechanism: "CRAM-MD5") == nil)
        #expect(SASLExchange(mechanism: "SCRAM-SHA-256-PLUS") == nil)
    }

    @Test func plainEncodeRoundTrip() {
        let credentials = SASLPlain.Credentials(authenticationIdentity: "a@b.test", password: "p w")
        #expect(SASLPlain.decode(message: SASLBase64.decode(SASLPlain.encode(credentials))!) == .success(credentials))
    }

    // MARK: LOGIN

    @Test func login() {
        var login = Self.exchange("LOGIN")
        #expect(login.start(initialResponse: nil) == .challenge(SASLLogin.usernameChallenge))
        #expect(SASLBase64.decode(SASLLogin.usernameChallenge) == Array("Username:".utf8))
        #expect(login.receive(Self.b64("alice")) == .challenge(SASLLogin.passwordChallenge))
        #expect(SASLBase64.decode(SASLLogin.passwordChallenge) == Array("Password:".utf8))
        #expect(login.receive(Self.b64("secret")) == .verifyPassword(username: "alice", password: "secret"))

        var initial = Self.exchange("LOGIN")
        #expect(initial.start(initialResponse: Self.b64("bob")) == .challenge(SASLLogin.passwordChallenge))
        #expect(initial.receive("*") == .failure(.cancelled))

        var empty = Self.exchange("LOGIN")
        #expect(empty.start(initialResponse: "=") == .failure(.malformedMessage))
        var long = Self.exchange("LOGIN")
        #expect(long.start(initialResponse: Self.b64(Self.long)) == .failure(.fieldTooLong))
        var nul = Self.exchange("LOGIN")
        #expect(nul.start(initialResponse: Self.b64("a\0b")) == .failure(.malformedMessage))
        var binary = Self.exchange("LOGIN")
        #expect(binary.start(initialResponse: Self.b64([0xFF])) == .failure(.notUTF8))

        #expect(SASLLogin.respond(to: SASLLogin.usernameChallenge, username: "u", password: "p") == Self.b64("u"))
        #expect(SASLLogin.respond(to: SASLLogin.passwordChallenge, username: "u", password: "p") == Self.b64("p"))
        #expect(SASLLogin.respond(to: Self.b64("Other:"), username: "u", password: "p") == nil)
    }

    // MARK: base64

    @Test func base64RoundTrips() {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = SASLBase64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(SASLBase64.decode(encoded) == bytes)
        }
    }
}
