import Testing

@testable import Webmail

/// Links in plain text: http and https URLs only, the sentence's punctuation left out.
@Suite struct LinkifyTests {
    static func links(_ text: String) -> [String] { Linkify.segments(text).filter(\.isLink).map(\.url) }

    @Test func findsWebURLs() {
        #expect(Self.links("see https://example.com/a?b=c. Thanks") == ["https://example.com/a?b=c"])
        #expect(Self.links("(http://example.org/x), HTTPS://EXAMPLE.NET!") == ["http://example.org/x", "HTTPS://EXAMPLE.NET"])
        #expect(Self.links("<https://example.com/>") == ["https://example.com/"])
    }

    @Test(arguments: [
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)", "xhttp://example.com", "http://", "https:// example.com", "&#106;avascript:alert(1)",
        "http:\\\\example.com",
    ])
    func linksNothingElse(_ text: String) {
        #expect(Self.links(text).isEmpty, "\(text)")
    }

    @Test func aLinkEndsAtMarkupCharacters() {
        #expect(Self.links("https://example.com/\"onmouseover=alert(1)") == ["https://example.com/"])
        #expect(Self.links("https://example.com/<script>") == ["https://example.com/"])
    }

    @Test func textAroundLinksIsKept() {
        let text = "a https://x.example/ b https://y.example/c, d"
        #expect(Linkify.segments(text).map(\.text).joined() == text)
    }
}
