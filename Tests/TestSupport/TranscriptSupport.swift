import Testing

// What the transcript harnesses (`SMTPGatewayTests/Transcript`, `POP3GatewayTests/Transcript`,
// `IMAPGatewayTests/IMAPTranscript`) share, so a test reads like a transcript:
// `try await t.send("RCPT TO:<a@b>", expect: "250 2.1.5")` (CONVENTIONS.md §12).

/// Checks that the answer to `line` starts with `expected`; a failure shows `line → answer`.
public func expectAnswer(
    _ answer: String, to line: String, startsWith expected: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(answer.hasPrefix(expected), "\(line) → \(answer)", sourceLocation: sourceLocation)
}

/// Performs `actions` in order, and the actions each one's answer yields after them, as
/// a connection drives a session state machine (CONVENTIONS.md §4).
public func performInOrder<Action>(_ actions: [Action], _ perform: (Action) -> [Action]) {
    var queue = actions[...]
    while let action = queue.popFirst() { queue += perform(action) }
}
