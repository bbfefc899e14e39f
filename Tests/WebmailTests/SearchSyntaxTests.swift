import StoreAPI
import Testing

@testable import Webmail

/// The search box's syntax and the store query it makes.
@Suite struct SearchSyntaxTests {
    @Test func termsBecomeTypedKeys() {
        #expect(SearchSyntax.query("") == .all)
        #expect(SearchSyntax.query("lunch") == .text(text: "lunch"))
        #expect(
            SearchSyntax.query(#"from:alice subject:"lunch plans" is:unread"#)
                == .and([.header(name: "FROM", value: "alice"), .header(name: "SUBJECT", value: "lunch plans"), .noFlag(name: "\\Seen")]))
        #expect(
            SearchSyntax.query("before:2024-05-01 after:2024-01-31 larger:20k smaller:1M")
                == .and([
                    .sent(DayComparison(.before, day: "2024-05-01")), .sent(DayComparison(.since, day: "2024-01-31")),
                    .larger(size: 20_000), .smaller(size: 1_000_000),
                ]))
        #expect(SearchSyntax.query("-is:read is:flagged") == .and([.not(.flag(name: "\\Seen")), .flag(name: "\\Flagged")]))
    }

    @Test func whatIsNotAKeyIsText() {
        #expect(SearchSyntax.query("before:yesterday") == .text(text: "before:yesterday"))
        #expect(SearchSyntax.query("larger:lots") == .text(text: "larger:lots"))
        #expect(SearchSyntax.query("http://example.com") == .text(text: "http://example.com"))
        #expect(SearchSyntax.query("-") == .text(text: "-"))
        #expect(SearchSyntax.tokens(String(repeating: "a ", count: 100)).count == 16)
    }
}
