import Foundation
import SMTPProtocol
import Testing

/// RFC 4616 PLAIN and the LOGIN mechanism, as RFC 4954 AUTH carries them.
@Suite struct SASLTests {
    static func base64(_ string: String) -> String { Data(string.utf8).base64EncodedString() }

    @Test(arguments: [
        ("\0alice\0secret", SASLPlain.Credentials(authenticationIdentity: "alice", password: "secret")),
        (
            "admin\0alice\0secret",
            SASLPlain.Credentials(authorizationIdentity: "admin", authenticationIdentity: "alice", password: "secret")
        ),
        (
            "\0jürgen@example.test\0pässwörd with space",
            SASLPlain.Credentials(authenticationIdentity: "jürgen@example.test", password: "pässwörd with space")
        ),
    ])
    func decodesPlain(message: String, expected: SASLPlain.Credentials) {
        #expect(SASLPlain.decode(response: Self.base64(message)) == .success(expected))
        #expect(SASLPlain.decode(response: SASLPlain.encode(expected)) == .success(expected))
    }

    @Test(arguments: ["alice\0secret", "\0\0secret", "\0alice\0", "\0a\0b\0c", "", "\0alice\0" + String(repeating: "x", count: 2000)])
    func refusesBadPlain(message: String) {
        guard case .failure(.malformed) = SASLPlain.decode(response: Self.base64(message)) else {
            Issue.record("accepted \(message.debugDescription)")
            return
        }
    }

    @Test func plainEdges() {
        #expect(SASLPlain.decode(response: "*") == .failure(.cancelled))
        #expect(SASLPlain.decode(response: "not base64!") == .failure(.malformed("not base64")))
        #expect(SASLPlain.decode(message: [0, 0x61, 0, 0xFF]) == .failure(.malformed("not UTF-8")))
        #expect(SASLError.cancelled.reply == .authCancelled)
    }

    @Test func login() {
        var login = SASLLogin()
        #expect(login.start(initialResponse: nil) == .success(.challenge(SASLLogin.usernameChallenge)))
        #expect(login.receive(Self.base64("alice")) == .success(.challenge(SASLLogin.passwordChallenge)))
        #expect(login.receive(Self.base64("secret")) == .success(.credentials(username: "alice", password: "secret")))

        var initial = SASLLogin()
        #expect(initial.start(initialResponse: Self.base64("bob")) == .success(.challenge(SASLLogin.passwordChallenge)))
        #expect(initial.receive("*") == .failure(.cancelled))

        var bad = SASLLogin()
        #expect(bad.receive("=") == .failure(.malformed("empty user name")))
        #expect(SASLLogin.respond(to: SASLLogin.usernameChallenge, username: "u", password: "p") == Self.base64("u"))
        #expect(SASLLogin.respond(to: SASLLogin.passwordChallenge, username: "u", password: "p") == Self.base64("p"))
        #expect(SASLLogin.respond(to: Self.base64("Other:"), username: "u", password: "p") == nil)
    }
}
