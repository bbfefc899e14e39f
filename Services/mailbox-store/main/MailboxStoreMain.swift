import Foundation
import MailboxStore
import ServiceKit

/// mailbox-store: the only stateful service of Buzón. Reads its settings and runs.
@main
struct MailboxStoreMain {
    static func main() async {
        do {
            let reader = ConfigReader()
            let configuration = try StoreConfiguration(reader: reader)
            Observability.bootstrapLogging(level: configuration.logLevel)
            let app = try buildMailboxStore(configuration: configuration)
            try await app.runService()
        } catch {
            print("mailbox-store: \(error)")
            exit(1)
        }
    }
}
