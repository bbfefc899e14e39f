import Foundation
import Hummingbird
import StoreAPI

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

    /// An address as the store accepts one (`Validation.address`, the domain lower-cased) and
    /// its domain; nil for anything else, which is then never echoed.
    static func address(_ text: String) -> (address: String, domain: String)? {
        Validation.address(text).map { ($0, Validation.domainOf($0)) }
    }

    /// The text of the first `<name>…</name>` in `xml` (Outlook's request is a small fixed document).
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
