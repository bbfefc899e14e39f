import InternetMessage
import MessageSearch
import Testing

/// RFC 8970 PREVIEW text (`MessagePreview`): which part, decoded how, cut where.
@Suite struct MessagePreviewTests {
    static func preview(_ text: String) -> String {
        let raw = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        return MessagePreview.text(raw: raw, parse: MessageParser().parse(raw))
    }

    @Test("plain text: white space made one space, quoted lines and the signature left out")
    func plain() {
        #expect(Self.preview("Subject: x\n\nHi,\n\n  the\tminutes\n> old text\nfollow.\n-- \nBob\n") == "Hi, the minutes follow.")
    }

    @Test("transfer encoding and charset removed")
    func decoded() {
        let qp = "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9 =\nnoir\n"
        #expect(Self.preview(qp) == "Café noir")
        let b64 = "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nw6ljb2xl\n"
        #expect(Self.preview(b64) == "école")
    }

    @Test("HTML reduced to the text it shows")
    func html() {
        let html = "Content-Type: text/html\n\n<style>p{}</style><p>One&amp;<b>two</b></p><div>three</div>\n"
        #expect(Self.preview(html) == "One&two three")
    }

    @Test("the plain alternative, the first text that is not an attachment, no forwarded message")
    func parts() {
        let alternative = """
            Content-Type: multipart/alternative; boundary=b

            --b
            Content-Type: text/html

            <p>rich</p>
            --b
            Content-Type: text/plain

            plain
            --b--

            """
        #expect(Self.preview(alternative) == "plain")
        let mixed = """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain
            Content-Disposition: attachment; filename=notes.txt

            attached notes
            --b
            Content-Type: message/rfc822

            Subject: fwd

            forwarded
            --b
            Content-Type: text/plain

            the body
            --b--

            """
        #expect(Self.preview(mixed) == "the body")
        #expect(Self.preview("Content-Type: image/png\n\niVBORw0KGgo=\n") == "")
    }

    @Test("at most 256 characters, counted as characters, not octets (RFC 8970 §3.1)")
    func length() {
        let long = String(repeating: "é", count: 300)
        let text = Self.preview("Content-Type: text/plain; charset=utf-8\n\n\(long)\n")
        #expect(text.count == 256 && text.utf8.count == 512)
        let words = Self.preview("\n" + String(repeating: "ab ", count: 200))
        #expect(words.count <= 256 && !words.hasSuffix(" "))
    }
}
