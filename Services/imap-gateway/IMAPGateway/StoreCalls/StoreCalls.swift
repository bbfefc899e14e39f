import IMAPProtocol
import Logging
import ServiceKit

/// One connection's calls: the command session (`IMAPSession`, which asks the store itself)
/// and the spool of a streamed literal.
struct IMAPCalls: SessionCalls {
    let session: IMAPSession
    private var spool: MessageSpool?
    private var spoolFailed = false

    init(session: IMAPSession) {
        self.session = session
    }

    mutating func perform(_ action: IMAPFraming.Action, output: any DriverOutput) async -> SessionDirective? {
        switch action {
        case .greet:
            return await session.greet()
        case .run(let input):
            var input = input
            if case .command(let framed, _) = input, !framed.streamedLiterals.isEmpty, let spool {
                input = .command(framed, spooled: SpooledLiteral(spool: spool, failed: spoolFailed))
            }
            spool = nil
            return await session.handle(input)
        case .beginSpool:
            spool = MessageSpool()
            spoolFailed = false
        case .spool(let bytes):
            do { try spool?.append(bytes) } catch { spoolFailed = true }
        case .tlsStarted:
            await session.tlsStarted()
        case .startCompression(let tag):
            // The OK goes out uncompressed in the turn that installs the layer (`addLayer`).
            guard let channelOutput = output as? ChannelOutput else { return .close }
            output.write(Array("\(tag) OK DEFLATE active\r\n".utf8))
            do {
                try await channelOutput.addLayer { [try DeflateDecoder(), try DeflateEncoder()] }
            } catch {
                return .close
            }
        case .write, .startTLS, .close:
            break
        }
        return nil
    }

    func finished() async {
        await session.disconnected()
    }
}

/// The command session's responses, written through the driver's output.
struct OutputSink: ResponseSink {
    let output: any DriverOutput
    func write(_ bytes: [UInt8]) async throws {
        output.write(bytes)
        try await output.flush()
    }
}
