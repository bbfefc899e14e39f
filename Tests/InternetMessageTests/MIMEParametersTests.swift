import InternetMessage
import Testing

/// RFC 2045 §5.1 Content-Type, RFC 2183 Content-Disposition, RFC 2231 parameters.
@Suite struct MIMEParametersTests {
    @Test(arguments: [
        ("text/plain", "text/plain", [] as [Parameter]),
        ("Text/HTML; Charset=\"UTF-8\"", "text/html", [Parameter(name: "charset", value: "UTF-8")]),
        ("text/plain; charset=us-ascii (Plain text)", "text/plain", [Parameter(name: "charset", value: "us-ascii")]),
        ("text / plain ; charset = utf-8", "text/plain", [Parameter(name: "charset", value: "utf-8")]),
        ("multipart/mixed; boundary=----=_Part_1_2.3", "multipart/mixed", [Parameter(name: "boundary", value: "----=_Part_1_2.3")]),
        ("multipart/mixed; boundary=\"a;b\\\"c\"", "multipart/mixed", [Parameter(name: "boundary", value: "a;b\"c")]),
        (
            "application/x; a=1; a=2; b=\"unterminated", "application/x",
            [Parameter(name: "a", value: "1"), Parameter(name: "b", value: "unterminated")]
        ),
        ("application/x;;; junk; c=3", "application/x", [Parameter(name: "c", value: "3")]),
        ("application/x; name*=utf-8''%E2%82%AC.txt", "application/x", [Parameter(name: "name", value: "€.txt")]),
        ("application/x; name*=iso-8859-1'en'caf%E9", "application/x", [Parameter(name: "name", value: "café")]),
        ("application/x; name*1=\"b\"; name*0=\"a\"; name*2=c", "application/x", [Parameter(name: "name", value: "abc")]),
        ("application/x; name*0*=utf-8''%E2%82; name*1*=%AC", "application/x", [Parameter(name: "name", value: "€")]),
        ("application/x; name=\"plain\"; name*=utf-8''better", "application/x", [Parameter(name: "name", value: "better")]),
        ("application/x; name*=''%ZZ%41", "application/x", [Parameter(name: "name", value: "%ZZA")]),
        ("application/x; name=\"=?utf-8?q?x?=\"", "application/x", [Parameter(name: "name", value: "=?utf-8?q?x?=")]),
    ])
    func contentType(input: String, mimeType: String, parameters: [Parameter]) throws {
        let type = try #require(ContentType(parsing: input))
        #expect(type.mimeType == mimeType)
        #expect(type.parameters == parameters)
    }

    @Test(arguments: ["", "text", "text/", "/plain", "te(x)t/plain/x", "text/plain=x"])
    func invalidContentType(input: String) {
        #expect(ContentType(parsing: input) == nil)
    }

    @Test func disposition() throws {
        let d = try #require(ContentDisposition(parsing: "Attachment; filename=\"a b.pdf\"; size=10"))
        #expect(d.type == "attachment" && d.filename == "a b.pdf" && d.parameter("SIZE") == "10")
        #expect(ContentDisposition(parsing: " ; filename=x") == nil)
    }
}
