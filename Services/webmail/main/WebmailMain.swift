import ServiceKit
import Webmail

/// webmail: reading, writing and organising mail in the browser, on the store's internal API.
@main
struct WebmailMain {
    static func main() async {
        await ServiceMain.run("webmail") { (configuration: WebmailConfiguration) in try buildWebmail(configuration: configuration) }
    }
}
