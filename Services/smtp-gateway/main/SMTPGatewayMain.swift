import SMTPGateway
import ServiceKit

/// smtp-gateway: receives mail for our domains (MX) and from our users (submission).
@main
struct SMTPGatewayMain {
    static func main() async {
        await ServiceMain.run("smtp-gateway") { (configuration: SMTPConfiguration) in try buildSMTPGateway(configuration: configuration) }
    }
}
