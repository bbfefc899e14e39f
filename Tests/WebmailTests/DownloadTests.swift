import Testing

@testable import Webmail

/// Attachments always download, and only inert types keep their type (issue 14).
@Suite struct DownloadTests {
    @Test func dispositionNamesTheFileSafely() {
        #expect(Download.disposition("report.pdf") == #"attachment; filename="report.pdf"; filename*=UTF-8''report.pdf"#)
        #expect(
            Download.disposition("naïve résumé.txt")
                == #"attachment; filename="na_ve r_sum_.txt"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt"#)
        let hostile = Download.disposition("a\"b\r\nSet-Cookie: x=1/../c\\d")
        #expect(!hostile.contains("\r") && !hostile.contains("\n"))
        #expect(hostile.hasPrefix(#"attachment; filename="a_b__Set-Cookie: x=1_.._c_d""#))
    }

    @Test(arguments: [
        ("text/html", "application/octet-stream"), ("image/svg+xml", "application/octet-stream"),
        ("text/xml", "application/octet-stream"), ("image/png", "image/png"), ("application/pdf", "application/pdf"),
    ])
    func keepsOnlyInertTypes(_ given: String, _ sent: String) {
        let response = Download.response(bytes: [1, 2, 3], type: given, name: "x")
        #expect(response.headers[.contentType] == sent)
        #expect(response.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
        #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
    }
}
