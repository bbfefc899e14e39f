import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceKit

/// Hummingbird's HTTP/1.1 channel with each connection's requests answered on the connection's
/// own event loop (`EventLoopExecutor`) instead of the global executor's threads: a request
/// then costs no thread switch between reading it, answering it and writing the answer.
/// SQLite work still runs on GRDB's queues and bcrypt on its own threads; parsing a message
/// and evaluating a search message by message go to the global executor
/// (`StoreContext.offTheLoop`, `SearchRoutes.evaluate`), so that they hold no loop.
struct LoopBoundHTTP1Channel: ServerChildChannel {
    let inner: HTTP1Channel

    static func builder(_ configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in LoopBoundHTTP1Channel(inner: HTTP1Channel(responder: responder, configuration: configuration)) }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        inner.setup(channel: channel, logger: logger)
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopExecutor(value.channel.eventLoop)) {
            await inner.handle(value: value, logger: logger)
        }
    }
}
