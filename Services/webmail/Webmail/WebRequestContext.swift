import Hummingbird
import NIOCore

/// A request's context: the address of the client, which the store's login throttle counts
/// failures under (as the IMAP and POP3 gateways pass theirs).
public struct WebRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Forms: a login, a flag change. (Compose with attachments takes its own limit.)
    public var maxUploadSize: Int { 64 * 1024 }
}
