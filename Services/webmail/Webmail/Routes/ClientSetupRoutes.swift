import Foundation
import Hummingbird

/// Account setup for other mail clients, so that a user types only address and password:
/// Thunderbird's autoconfig (`GET /.well-known/autoconfig/mail/config-v1.1.xml` and
/// `/mail/config-v1.1.xml`, `?emailaddress=`), Outlook's autodiscover (`POST
/// /autodiscover/autodiscover.xml`) and, for a logged-in user, an Apple configuration profile
/// (`GET /settings/mobileconfig`). They name `BUZON_HOSTNAME` and the client ports of the
/// configuration; no password is ever in them.
struct ClientSetupRoutes {
    let webmail: Webmail

    func add(to router: Router<WebRequestContext>) {
        for path in ["/.well-known/autoconfig/mail/config-v1.1.xml", "/mail/config-v1.1.xml"] {
            router.get(RouterPath(stringLiteral: path)) { request, _ in
                let given = request.uri.queryParameters.get("emailaddress").flatMap(Self.address)
                return webmail.pages.document(
                    view(address: given), template: ClientSetupTemplates.thunderbird.name, contentType: "application/xml; charset=utf-8")
            }
        }
        for path in ["/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"] {
            router.post(RouterPath(stringLiteral: path)) { request, context in
                var request = request
                let body = String(buffer: try await request.collectBody(upTo: context.maxUploadSize))
                guard let address = Self.element("EMailAddress", in: body).flatMap(Self.address) else {
                    throw WebError.badRequest("The request names no e-mail address.")
                }
                return webmail.pages.document(
                    view(address: address), template: ClientSetupTemplates.outlook.name, contentType: "application/xml; charset=utf-8")
            }
        }
        router.get("/settings/mobileconfig") { request, _ in
            let session = try await webmail.session(request)
            var response = webmail.pages.document(
                view(address: Self.address(session.account)), template: ClientSetupTemplates.apple.name,
                contentType: "application/x-apple-aspen-config")
            response.headers[.contentDisposition] = #"attachment; filename="mail.mobileconfig""#
            return response
        }
    }

    func view(address: (address: String, domain: String)?) -> ClientSetupView {
        let hostname = webmail.configuration.hostname
        let ports = webmail.configuration.clientPorts
        // A profile's identifier is a reverse-DNS name (`test.example.mail`).
        let identifier = hostname.split(separator: ".").reversed().joined(separator: ".")
        return ClientSetupView(
            hostname: hostname, imapsPort: ports.imaps, pop3sPort: ports.pop3s, submissionsPort: ports.submissions,
            submissionPort: ports.submission, domain: address?.domain ?? hostname, address: address?.address ?? "",
            identifier: identifier, accountUUID: UUID().uuidString, profileUUID: UUID().uuidString)
    }

    /// `local@domain` with a domain of letters, digits, hyphens and dots, and a local part of
    /// printable ASCII without quotes, angle brackets or spaces; nil for anything else.
    static func address(_ text: String) -> (address: String, domain: String)? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count <= 254, !parts[0].isEmpty, parts[1].contains("."),
            parts[0].unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"\"<>()[]\\,;:".unicodeScalars.contains($0) }),
            parts[1].unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-.".unicodeScalars.contains($0))
            })
        else { return nil }
        return (text, parts[1].lowercased())
    }

    /// The text of the first `<name>…</name>` in `xml` (Outlook's request is a small fixed document).
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
