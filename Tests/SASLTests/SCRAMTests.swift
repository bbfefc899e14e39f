import SASL
import Testing

/// SCRAM-SHA-256 on the server side, against RFC 7677 §3's example exchange.
@Suite struct SCRAMTests {
    // RFC 7677 §3: user "user", password "pencil".
    static let clientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    static let serverNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    static let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    static let clientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    static let serverFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
    static let salt = SASLBase64.decode("W22ZaJ0SNY7soEsUEjb6gQ==")!
    static let authMessage =
        "n=user,r=rOprNGfwEbeRWgbNEkqO," + serverFirst
        + ",c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"

    static func b64(_ text: String) -> String { SASLBase64.encode(text) }
    static func decoded(_ base64: String) -> String { String(decoding: SASLBase64.decode(base64)!, as: UTF8.self) }

    static func started(_ first: String = clientFirst) -> SASLExchange {
        var exchange = SASLExchange(mechanism: "SCRAM-SHA-256", serverNonce: serverNonce)!
        _ = exchange.start(initialResponse: b64(first))
        return exchange
    }

    @Test func rfc7677Exchange() {
        let keys = SCRAMSHA256.keys(password: "pencil", salt: Self.salt, iterations: 4096)
        var exchange = SASLExchange(mechanism: "SCRAM-SHA-256", serverNonce: Self.serverNonce)!
        #expect(exchange.start(initialResponse: nil) == .challenge(""))
        #expect(exchange.receive(Self.b64(Self.clientFirst)) == .scramStart(username: "user"))
        guard case .challenge(let first) = exchange.scramSalt(Self.salt, iterations: 4096) else {
            Issue.record("no server-first")
            return
        }
        #expect(Self.decoded(first) == Self.serverFirst)
        guard case .scramFinish(let finish) = exchange.receive(Self.b64(Self.clientFinal)) else {
            Issue.record("no proof to check")
            return
        }
        #expect(finish.username == "user")
        #expect(finish.authMessage == Self.authMessage)
        let signature = SCRAMSHA256.verify(proof: finish.clientProof, authMessage: finish.authMessage, keys: keys)
        #expect(signature != nil)
        guard case .challenge(let final) = exchange.scramVerified(serverSignature: signature ?? []) else {
            Issue.record("no server-final")
            return
        }
        #expect(Self.decoded(final) == Self.serverFinal)
        #expect(exchange.receive("") == .success)
        #expect(exchange.isFinished)
    }

    @Test func clientProofMatchesTheRFC() {
        let proof = SCRAMSHA256.clientProof(password: "pencil", salt: Self.salt, iterations: 4096, authMessage: Self.authMessage)
        #expect(SASLBase64.encode(proof) == "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        let keys = SCRAMSHA256.keys(password: "pencil", salt: Self.salt, iterations: 4096)
        #expect(
            SCRAMSHA256.verify(proof: proof, authMessage: Self.authMessage, keys: keys).map(SASLBase64.encode)
                == "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    }

    @Test func wrongPasswordFails() {
        let keys = SCRAMSHA256.keys(password: "pencil", salt: Self.salt, iterations: 4096)
        let proof = SCRAMSHA256.clientProof(password: "pen", salt: Self.salt, iterations: 4096, authMessage: Self.authMessage)
        #expect(SCRAMSHA256.verify(proof: proof, authMessage: Self.authMessage, keys: keys) == nil)
        #expect(SCRAMSHA256.verify(proof: [1, 2, 3], authMessage: Self.authMessage, keys: keys) == nil)
    }

    @Test func keysRoundTripInRFC5803Form() {
        let keys = SCRAMSHA256.keys(password: "pencil", salt: Self.salt, iterations: 4096)
        #expect(keys.encoded.hasPrefix("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"))
        #expect(SCRAMSHA256.Keys(encoded: keys.encoded) == keys)
        #expect(SCRAMSHA256.Keys(encoded: "$2b$10$abc") == nil)
        let random = SCRAMSHA256.keys(password: "pencil")
        #expect(random.salt.count == SASLDefaults.saltOctets && random.salt != Self.salt)
    }

    @Test func decoySaltIsStableAndPerName() {
        let secret = Array("server secret".utf8)
        #expect(SCRAMSHA256.decoySalt(secret: secret, username: "a@b.test") == SCRAMSHA256.decoySalt(secret: secret, username: "A@B.test"))
        #expect(SCRAMSHA256.decoySalt(secret: secret, username: "a@b.test") != SCRAMSHA256.decoySalt(secret: secret, username: "c@b.test"))
        #expect(SCRAMSHA256.decoySalt(secret: secret, username: "a@b.test").count == SASLDefaults.saltOctets)
    }

    @Test(arguments: [
        ("n,,n=user=2Cname=3D,r=abc", "user,name="),
        ("y,,n=user,r=abc", "user"),
        ("n,a=user,n=user,r=abc", "user"),
        ("n,a=USER,n=user,r=abc,x=ext", "user"),
    ])
    func clientFirstAccepted(first: String, user: String) {
        var exchange = SASLExchange(mechanism: "SCRAM-SHA-256")!
        #expect(exchange.start(initialResponse: Self.b64(first)) == .scramStart(username: user))
    }

    @Test(arguments: [
        ("p=tls-exporter,,n=user,r=abc", SASLError.channelBindingNotSupported),
        ("n,a=other,n=user,r=abc", .authorizationMismatch),
        ("n,,n=us=2Xer,r=abc", .malformedMessage),  // a bad saslname escape
        ("n,,m=ext,n=user,r=abc", .malformedMessage),  // a mandatory extension
        ("n,,r=abc,n=user", .malformedMessage),
        ("n,,n=,r=abc", .malformedMessage),
        ("n,,n=user,r=", .malformedMessage),
        ("n,,n=user", .malformedMessage),
        ("x,,n=user,r=abc", .malformedMessage),
        ("n,,n=user\0,r=abc", .malformedMessage),
        ("n,,n=" + String(repeating: "u", count: 1_100) + ",r=abc", .fieldTooLong),
    ])
    func clientFirstRefused(first: String, fault: SASLError) {
        var exchange = SASLExchange(mechanism: "SCRAM-SHA-256")!
        #expect(exchange.start(initialResponse: Self.b64(first)) == .failure(fault))
    }

    @Test func clientFirstNotUTF8() {
        var exchange = SASLExchange(mechanism: "SCRAM-SHA-256")!
        #expect(exchange.start(initialResponse: SASLBase64.encode(Array("n,,n=".utf8) + [0xFF] + Array(",r=a".utf8))) == .failure(.notUTF8))
    }

    @Test(arguments: [
        (
            "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            SASLError.channelBindingMismatch
        ),  // c= says "y,,", the client-first said "n,,"
        ("c=biws,r=rOprNGfwEbeRWgbNEkqOother,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .nonceMismatch),
        ("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA", .malformedMessage),  // proof too short
        ("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", .malformedMessage),  // no proof
        ("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .malformedMessage),
        ("c=bi!s,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", .malformedBase64),
    ])
    func clientFinalRefused(final: String, fault: SASLError) {
        var exchange = Self.started()
        _ = exchange.scramSalt(Self.salt, iterations: 4096)
        #expect(exchange.receive(Self.b64(final)) == .failure(fault))
    }

    @Test func serverFinalNeedsAnEmptyAnswer() {
        var exchange = Self.started()
        _ = exchange.scramSalt(Self.salt, iterations: 4096)
        _ = exchange.receive(Self.b64(Self.clientFinal))
        _ = exchange.scramVerified(serverSignature: Array(repeating: 1, count: 32))
        #expect(exchange.receive(Self.b64("x")) == .failure(.malformedMessage))
    }

    @Test func steppingOutOfOrderFails() {
        var exchange = SASLExchange(mechanism: "SCRAM-SHA-256")!
        #expect(exchange.scramSalt(Self.salt, iterations: 4096) == .failure(.malformedMessage))
        var early = Self.started()
        #expect(early.receive(Self.b64(Self.clientFinal)) == .failure(.malformedMessage))  // the store has not answered
    }

    @Test func serverNoncesAreFresh() {
        var a = SASLExchange(mechanism: "SCRAM-SHA-256")!, b = SASLExchange(mechanism: "SCRAM-SHA-256")!
        _ = a.start(initialResponse: Self.b64(Self.clientFirst))
        _ = b.start(initialResponse: Self.b64(Self.clientFirst))
        #expect(a.scramSalt(Self.salt, iterations: 4096) != b.scramSalt(Self.salt, iterations: 4096))
    }

    @Test func saslNameEscapes() {
        #expect(SASLName.encode("a,b=c") == "a=2Cb=3Dc")
        #expect(SASLName.decode("a=2Cb=3Dc") == .success("a,b=c"))
        #expect(SASLName.decode("a=2c") == .failure(.malformedMessage))
    }

    @Test func saslPrep() {
        #expect(SASLprep.prepare("pencil") == "pencil")
        #expect(SASLprep.prepare("I\u{00AD}X") == "IX")  // RFC 4013 §3 example 1
        #expect(SASLprep.prepare("\u{00AA}") == "a")  // example 3
        #expect(SASLprep.prepare("\u{2168}") == "IX")  // example 4
        #expect(SASLprep.prepare("a\u{00A0}b") == "a b")
        #expect(SASLprep.prepare("\u{0007}") == nil)  // example 5
    }
}

/// Our client against our server, with random nonces and salts, through the store's checks.
@Suite struct SCRAMRoundTripTests {
    @Test(arguments: ["alice@example.test", "we,ird=name", "jürgen@example.test"])
    func clientAndServerAgree(username: String) {
        let keys = SCRAMSHA256.keys(password: "pässword 1")
        var client = SCRAMClient(username: username, password: "pässword 1")
        var server = SASLExchange(mechanism: "SCRAM-SHA-256")!
        #expect(server.start(initialResponse: SASLBase64.encode(client.clientFirst)) == .scramStart(username: username))
        guard case .challenge(let first) = server.scramSalt(keys.salt, iterations: keys.iterations),
            let final = client.clientFinal(serverFirst: String(decoding: SASLBase64.decode(first)!, as: UTF8.self)),
            case .scramFinish(let finish) = server.receive(SASLBase64.encode(final)),
            let signature = SCRAMSHA256.verify(proof: finish.clientProof, authMessage: finish.authMessage, keys: keys),
            case .challenge(let serverFinal) = server.scramVerified(serverSignature: signature)
        else {
            Issue.record("the exchange broke off")
            return
        }
        #expect(client.verifies(serverFinal: String(decoding: SASLBase64.decode(serverFinal)!, as: UTF8.self)))
        #expect(!client.verifies(serverFinal: "v=" + SASLBase64.encode(Array(repeating: 0, count: 32))))
        #expect(server.receive("") == .success)
    }

    /// Random input never traps and always ends in a step.
    @Test func randomInputIsSafe() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in
                [UInt8(0), 0x2C, 0x3D, 0x6E, 0x72, 0x61, 0xFF, UInt8.random(in: 0...255, using: &generator)].randomElement(
                    using: &generator)!
            }
            for mechanism in SASLExchange.Mechanism.allCases {
                var exchange = SASLExchange(mechanism: mechanism.rawValue)!
                _ = exchange.start(initialResponse: SASLBase64.encode(bytes))
                _ = exchange.receive(SASLBase64.encode(bytes))
                _ = exchange.receive(String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}
