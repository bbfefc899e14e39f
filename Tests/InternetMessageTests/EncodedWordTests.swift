import InternetMessage
import Testing

/// RFC 2047 encoded-words.
@Suite struct EncodedWordTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("=?ISO-8859-1?Q?a?=", "a"),
        ("=?ISO-8859-1?Q?a?= b", "a b"),
        ("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=", "ab"),  // RFC 2047 §8 examples
        ("=?ISO-8859-1?Q?a?=  \r\n  =?ISO-8859-1?Q?b?=", "ab"),
        ("=?ISO-8859-1?Q?a_b?=", "a b"),
        ("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=", "a b"),
        ("(=?ISO-8859-1?Q?a?=)", "(a)"),
        ("=?utf-8?B?w6k=?=", "é"),
        ("=?UTF-8?b?w6k=?=", "é"),
        ("=?utf-8?q?caf=C3=A9?=", "café"),
        ("=?utf-8?q?=c3=a9?=", "é"),
        ("=?utf-8?B?ww==?= =?utf-8?B?qQ==?=", "é"),  // a character split across two words
        ("=?utf-8?q?=C3?= =?utf-8?q?=A9?=", "é"),
        ("=?utf-8*en?q?hi?=", "hi"),  // RFC 2231 §5 language
        ("=?iso-8859-15?q?=A4?=", "€"),
        ("=?windows-1252?q?=93q=94?=", "\u{201C}q\u{201D}"),
        ("=?iso-8859-2?q?=B1?=", "ą"),
        ("=?koi8-unknown?q?x?=", "=?koi8-unknown?q?x?="),  // unknown charset left alone
        ("=?utf-8?x?abc?=", "=?utf-8?x?abc?="),  // unknown encoding
        ("=?utf-8?q?unterminated", "=?utf-8?q?unterminated"),
        ("=?utf-8?q?has space?=", "=?utf-8?q?has space?="),
        ("=??q?x?=", "=??q?x?="),
        ("Re: =?utf-8?q?x?=!", "Re: x!"),
        ("prefix=?utf-8?q?x?=", "prefixx"),
    ])
    func decodes(input: String, expected: String) {
        #expect(EncodedWord.decode(input) == expected)
    }
}
