import Hummingbird

/// The request context of the internal API: JSON bodies are small, so a body to decode
/// is capped well below the message limit (deliveries collect their own body).
public struct StoreRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public init(source: Source) { coreContext = .init(source: source) }
    /// JSON requests are a few hundred bytes; 1 MiB leaves room for long alias lists.
    public var maxUploadSize: Int { 1024 * 1024 }
}
