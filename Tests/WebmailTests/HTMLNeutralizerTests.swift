import Testing

@testable import Webmail

/// The elements that make a browser connect somewhere are renamed, in any spelling; the rest
/// of the HTML is left as it was.
@Suite struct HTMLNeutralizerTests {
    @Test(arguments: [
        (#"<link rel=preconnect href="http://x/">"#, #"<x-removed-link rel=preconnect href="http://x/">"#),
        (#"<LINK REL="dns-prefetch" href="//x">"#, #"<x-removed-LINK REL="dns-prefetch" href="//x">"#),
        (#"<iframe src="http://x/"></iframe>"#, #"<x-removed-iframe src="http://x/"></x-removed-iframe>"#),
        ("<IfRaMe\tsrc=x>", "<x-removed-IfRaMe\tsrc=x>"),
        ("<object data=x></object><embed src=x>", "<x-removed-object data=x></x-removed-object><x-removed-embed src=x>"),
        (#"<meta http-equiv="refresh" content="0;url=http://x">"#, #"<x-removed-meta http-equiv="refresh" content="0;url=http://x">"#),
        ("<base href=http://x/><frameset><frame src=x>", "<x-removed-base href=http://x/><x-removed-frameset><x-removed-frame src=x>"),
    ])
    func renamesConnectingElements(_ html: String, _ expected: String) {
        #expect(HTMLNeutralizer.neutralize(html) == expected)
    }

    @Test func leavesTheRestAlone() {
        let html =
            "<p class=\"a\">Größe < 3 &amp; links: <a href=\"https://example.com/\">x</a></p>"
            + "<img src=\"data:image/png;base64,AA==\"><"
        #expect(HTMLNeutralizer.neutralize(html) == html)
        #expect(HTMLNeutralizer.neutralize("") == "")
        #expect(HTMLNeutralizer.neutralize("<") == "<")
        #expect(HTMLNeutralizer.neutralize("</") == "</")
        #expect(HTMLNeutralizer.neutralize("<lin") == "<lin")
    }
}
