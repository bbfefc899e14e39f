import Testing

@testable import MessageThreading

/// RFC 5051 `i;unicode-casemap` keys: the ASCII fast path gives what the Unicode mapping gives.
@Suite struct UnicodeCasemapTests {
    @Test func asciiFastPathEqualsTheMapping() {
        let every = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        #expect(UnicodeCasemap.key(every) == UnicodeCasemap.mappedKey(every))
        for text in ["", "lunch plans", "LUNCH PLANS", "Re: [list] Budget 2024!", "a~z{|}`@[", "ALREADY KEY"] {
            #expect(UnicodeCasemap.key(text) == UnicodeCasemap.mappedKey(text))
        }
    }

    @Test func nonASCIIGoesThroughTheMapping() {
        #expect(UnicodeCasemap.key("café") == UnicodeCasemap.key("CAFE\u{301}"))
        #expect(UnicodeCasemap.key("Straße") == "STRAßE")
        #expect(UnicodeCasemap.key("ǆ") == UnicodeCasemap.mappedKey("ǆ"))
    }
}
