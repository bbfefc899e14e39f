import IMAPGateway
import ServiceKit

/// imap-gateway: IMAP4rev1/IMAP4rev2 access to every mailbox of every account.
@main
struct IMAPGatewayMain {
    static func main() async {
        await ServiceMain.run("imap-gateway") { (configuration: IMAPConfiguration) in try buildIMAPGateway(configuration: configuration) }
    }
}
