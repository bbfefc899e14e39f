import InternetMessage
import Testing

@testable import Webmail

/// Which parts a message shows as its text, its HTML and its attachments.
@Suite struct MessageContentTests {
    static func content(_ text: String) -> MessageContent {
        let bytes = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        return MessageContent(parse: MessageParser().parse(bytes), bytes: bytes)
    }

    @Test func alternativeWithAttachment() {
        let content = Self.content(
            """
            Subject: x
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain; charset=utf-8

            plain text
            --inner
            Content-Type: text/html; charset=utf-8

            <p>html <img src="cid:logo@x"></p>
            --inner--
            --outer
            Content-Type: image/png
            Content-ID: <logo@x>
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --outer
            Content-Type: application/pdf; name="=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?="
            Content-Transfer-Encoding: base64

            JVBERi0=
            --outer--
            """)
        #expect(content.text?.hasPrefix("plain text") == true)
        #expect(content.html?.contains("src=\"data:image/png;base64,iVBORw0KGgo=\"") == true)
        #expect(content.attachments.map(\.number) == ["3"])
        #expect(MessageContent.fileName(content.attachments[0].part, number: "3") == "résumé.pdf")
        #expect(content.part("3")?.decodedBody(in: content.bytes) == Array("%PDF-".utf8))
        #expect(content.part("1.2")?.contentType.subtype == "html")
        #expect(content.part("0") == nil && content.part("9") == nil && content.part("x") == nil && content.part("") == nil)
    }

    @Test func plainMessageIsItsText() {
        let content = Self.content("Subject: x\n\nhello\n")
        #expect(content.text == "hello\r\n")
        #expect(content.htmlPart == nil && content.attachments.isEmpty)
    }

    @Test func attachedHTMLIsNotTheBody() {
        let content = Self.content(
            """
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            body
            --b
            Content-Type: text/html
            Content-Disposition: attachment; filename="page.html"

            <script>alert(1)</script>
            --b--
            """)
        #expect(content.htmlPart == nil)
        #expect(content.attachments.map(\.number) == ["2"])
    }
}

/// `cid:` references: whole ids only, and a bounded page however often an image is named.
@Suite struct InlineImageTests {
    static func message(html: String, image: String) -> MessageContent {
        let text = """
            MIME-Version: 1.0
            Content-Type: multipart/related; boundary=b

            --b
            Content-Type: text/html

            \(html)
            --b
            Content-Type: image/png
            Content-ID: <a>
            Content-Transfer-Encoding: base64

            \(image)
            --b--
            """
        let bytes = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        return MessageContent(parse: MessageParser().parse(bytes), bytes: bytes)
    }

    @Test func wholeIdsOnly() {
        let content = Self.message(html: #"<img src="cid:a"><img src="cid:ab"><i>cid:a</i>"#, image: "AAAA")
        #expect(content.html == #"<img src="data:image/png;base64,AAAA"><img src="cid:ab"><i>data:image/png;base64,AAAA</i>"#)
    }

    @Test func manyReferencesStayWithinTheBudget() {
        let image = String(repeating: "QUFB", count: 64 * 1024)  // 192 KiB of data as a data: URL
        let content = Self.message(html: String(repeating: "<img src=cid:a>", count: 10_000), image: image)
        let html = content.html ?? ""
        #expect(html.utf8.count < content.bytes.count + MessageContent.inlineBudget + 200_000)
        #expect(html.contains("data:image/png;base64,") && html.contains("cid:a"))
    }
}
