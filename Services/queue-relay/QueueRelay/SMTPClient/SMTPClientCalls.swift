import SMTPProtocol
import ServiceKit

/// The relay's calls for one client connection on the shared driver: it holds the content
/// of the message in flight and writes it when the session says `.sendBody`, and hands each
/// message's result to `SMTPClientLink` (then, if the session may be kept, waits there for
/// the next message or the end).
struct SMTPClientCalls: SessionCalls {
    /// Content is written in blocks of this size, each within the data-block timeout.
    static let blockSize = 64 * 1024

    let link: SMTPClientLink
    var content: [UInt8]
    /// RFC 5321 §4.5.3.2.5; `ChannelOutput`'s write timeout is set to the same.
    let blockTimeout: Duration
    let idleLimit: Duration

    mutating func perform(_ action: SMTPClientAction, output: any DriverOutput) async -> SMTPClientAnswer? {
        switch action {
        case .sendBody:
            return await writeContent(output)
        case .finished(let outcome):
            content = []
            guard outcome.reusable else {
                await link.report(outcome)
                return nil
            }
            switch await link.reportThenWait(outcome, idleLimit: idleLimit) {
            case .message(let message, let next):
                content = next
                return .next(message)
            case .quit:
                return .quit
            }
        case .send, .startTLS, .close:
            return nil  // the driver's own
        }
    }

    mutating func finished() async {
        await link.ended()
    }

    /// The content dot-stuffed and ended by `.CRLF` (RFC 5321 §4.5.2), block by block, each
    /// flushed: a peer that takes none within the timeout gets the timeout's failure.
    private mutating func writeContent(_ output: any DriverOutput) async -> SMTPClientAnswer {
        var encoder = DataStuffingEncoder()
        var offset = 0
        var last = false
        while !last {
            let end = min(offset + Self.blockSize, content.count)
            var block = encoder.encode(content[offset..<end])
            offset = end
            if offset == content.count {
                block += encoder.finish()
                last = true
            }
            output.write(block)
            let started = ContinuousClock.now
            do {
                try await output.flush()
            } catch {
                // The output closes a flush that outlasts its write timeout (the block timeout).
                return ContinuousClock.now - started >= blockTimeout ? .bodyTimedOut : .bodyFailed("\(error)")
            }
        }
        content = []
        return .bodySent
    }
}
