import Foundation
import InternetMessage
import Testing

/// RFC 2045 §6.7 quoted-printable and §6.8 base64, tolerant decoding.
@Suite struct TransferEncodingTests {
    @Test(arguments: [
        ("", ""),
        ("Zg==", "f"),
        ("Zm8=", "fo"),
        ("Zm9v", "foo"),
        ("Zm9vYmFy", "foobar"),
        ("Zm9v\r\nYmFy\r\n", "foobar"),
        ("Zm9v YmFy", "foobar"),
        ("Zm9vYg", "foob"),  // missing padding
        ("Zg==Zm8=", "ffo"),  // concatenated padded chunks
        ("Zm9v!!YmFy", "foobar"),  // junk skipped
        ("Z", ""),  // a lone sextet carries no byte
    ])
    func base64(input: String, expected: String) {
        let decoded = TransferEncoding.decodeBase64(ArraySlice(input.utf8))
        #expect(String(decoding: decoded, as: UTF8.self) == expected)
    }

    @Test func base64URLAlphabetAccepted() {
        #expect(TransferEncoding.decodeBase64(ArraySlice("-_-_".utf8)) == [0xFB, 0xFF, 0xBF])
    }

    @Test(arguments: [
        ("", ""),
        ("plain", "plain"),
        ("caf=C3=A9", "café"),
        ("caf=c3=a9", "café"),
        ("soft=\r\nbreak", "softbreak"),
        ("soft=\nbreak", "softbreak"),
        ("soft= \t\r\nbreak", "softbreak"),
        ("trailing   \r\nspace\t\r\n", "trailing\r\nspace\r\n"),
        ("inner  space", "inner  space"),
        ("bad=ZZ=", "bad=ZZ"),
        ("end=", "end"),
        ("=3D=3d", "=="),
        ("a=\r\n", "a"),
    ])
    func quotedPrintable(input: String, expected: String) {
        let decoded = TransferEncoding.decodeQuotedPrintable(ArraySlice(input.utf8))
        #expect(String(decoding: decoded, as: UTF8.self) == expected)
    }

    @Test func base64RoundTripOfAllBytes() {
        let bytes = (0..<256).map { UInt8($0) } + [1, 2]
        let encoded = Array(Data(bytes).base64EncodedString(options: .lineLength76Characters).utf8)
        #expect(TransferEncoding.decodeBase64(encoded[...]) == bytes)
    }

    @Test func unknownEncodingPassesThrough() {
        #expect(TransferEncoding.decode(ArraySlice("x=41".utf8), encoding: "8bit") == Array("x=41".utf8))
        #expect(TransferEncoding.decode(ArraySlice("x=41".utf8), encoding: " Quoted-Printable ") == Array("xA".utf8))
    }
}
