import POP3Gateway
import ServiceKit

/// pop3-gateway: POP3 access to each user's INBOX.
@main
struct POP3GatewayMain {
    static func main() async {
        await ServiceMain.run("pop3-gateway") { (configuration: POP3Configuration) in try buildPOP3Gateway(configuration: configuration) }
    }
}
