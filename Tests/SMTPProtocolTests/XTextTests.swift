import SMTPProtocol
import Testing

/// RFC 3461 §4 xtext, as ENVID, ORCPT and AUTH= carry it.
@Suite struct XTextTests {
    @Test(arguments: [
        ("abc", "abc"), ("a+2Bb", "a+b"), ("a+3Db", "a=b"), ("+20", " "), ("+2b", "+"), ("", ""),
        ("QQ314159", "QQ314159"), ("+C3+A9", "é"),
    ])
    func decodes(encoded: String, decoded: String) {
        #expect(XText.decode(encoded) == decoded)
    }

    @Test(arguments: ["a b", "a=b", "a+", "a+2", "a+2G", "é", "+FF", "\t"])
    func refuses(encoded: String) {
        #expect(XText.decode(encoded) == nil)
    }

    @Test(arguments: ["", "plain", "a+b=c d", "josé@exämple", "\u{1}\u{7F}", "++==", "~!"])
    func roundTrips(text: String) {
        let encoded = XText.encode(text)
        #expect(encoded.utf8.allSatisfy { (33...126).contains($0) && $0 != UInt8(ascii: "=") })
        #expect(XText.decode(encoded) == text)
    }

    @Test func roundTripsEveryByte() {
        let all = (0...255).map(UInt8.init)
        #expect(XText.decode(XText.encode(all)) == all)
    }

    @Test(arguments: [
        ("j\\x{E9}r\\x{F4}me@example.test", "jérôme@example.test"), ("jérôme@example.test", "jérôme@example.test"),
        ("a\\x{2B}b\\x{1F600}", "a+b😀"),
    ])
    func decodesUnitext(encoded: String, decoded: String) {
        #expect(XText.decodeUnitext(encoded) == decoded)
    }

    @Test(arguments: ["a+2Bb", "a=b", "a b", "\\x{}", "\\x{1234567}", "\\x{D800}", "\\x41", "\\"])
    func refusesBadUnitext(encoded: String) {
        #expect(XText.decodeUnitext(encoded) == nil)
    }

    @Test(arguments: ["jérôme@example.test", "a+b=c\\d e", "用户@例子.测试", "\u{1}"])
    func unitextRoundTrips(text: String) {
        #expect(XText.decodeUnitext(XText.encodeUnitext(text)) == text)
    }

    @Test func envelopeIDIsAtMost100Characters() {
        let ok = String(repeating: "x", count: 100)
        #expect(errorKind("MAIL FROM:<a@x.test> ENVID=\(ok)") == nil)
        #expect(errorKind("MAIL FROM:<a@x.test> ENVID=\(ok)x") == .parameterSyntax)
    }

    @Test func sizeBeyondIntIsHuge() throws {
        guard case .success(.mail(_, let parameters)) = parse("MAIL FROM:<a@x.test> SIZE=99999999999999999999") else {
            Issue.record("20 digits are allowed by RFC 1870")
            return
        }
        #expect(parameters.size == Int.max)
    }
}
