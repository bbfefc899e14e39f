import LineFraming

/// A session that buffers its peer's bytes in a CRLF reader and handles them a piece at a
/// time (a command line, or a stretch of message content), stopping while it waits for a
/// call's answer or once it has closed: SMTP's and POP3's shared input loop.
public protocol BufferedSession: DrivenSession {
    /// Holds the peer's bytes until `handleNext` takes them.
    var reader: CRLFLineReader { get set }
    /// Handles the next piece of buffered input; nil when none is complete yet.
    mutating func handleNext() -> [Action]?
    var isWaitingForStore: Bool { get }
    var isClosed: Bool { get }
}

extension BufferedSession {
    public mutating func receive(_ bytes: [UInt8]) -> [Action] {
        guard !isClosed else { return [] }
        reader.append(bytes)
        return process()
    }

    /// Handles buffered input until it runs out, the session waits for a call, or closes.
    public mutating func process() -> [Action] {
        var actions: [Action] = []
        while !isWaitingForStore && !isClosed, let next = handleNext() {
            actions += next
        }
        return actions
    }
}
