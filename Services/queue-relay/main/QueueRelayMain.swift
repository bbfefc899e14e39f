import QueueRelay
import ServiceKit

/// queue-relay: delivers queued mail to other servers, retries, and has the store tell
/// senders what happened.
@main
struct QueueRelayMain {
    static func main() async {
        await ServiceMain.run("queue-relay") { (configuration: RelayConfiguration) in try buildQueueRelay(configuration: configuration) }
    }
}
