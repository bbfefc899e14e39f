/// The bounds the parser keeps to, so a hostile message costs bounded time and memory.
///
/// Beyond a limit the parser degrades instead of failing: a multipart or
/// message/rfc822 part that would exceed the nesting or part budget is kept as an
/// opaque leaf, extra header fields are skipped, and over-long values are truncated.
public struct MessageLimits: Sendable, Hashable {
    /// Multipart and message/rfc822 levels below the top-level message.
    /// Real mail rarely nests beyond 5; 32 leaves room for forwarded-forwarded
    /// digests while keeping the parser's recursion and the stored JSON shallow.
    public var maxNestingDepth: Int

    /// Total MIME parts in one message, encapsulated messages included.
    /// IMAP BODYSTRUCTURE lists every part; 2,000 keeps that response and the
    /// stored parse small while exceeding any legitimate message.
    public var maxParts: Int

    /// Header fields kept per header block; further fields are skipped (their
    /// bytes stay in the header range). RFC 5322 §3.6 needs a dozen; mailing-list
    /// and anti-spam stamps push real headers to a few hundred.
    public var maxHeaderFields: Int

    /// Bytes of one unfolded field value kept; longer values are truncated.
    /// RFC 5322 §2.1.1 limits a line to 998 octets, but folding allows any
    /// length; 64 KiB covers huge To/Cc lists.
    public var maxHeaderFieldLength: Int

    public init(
        maxNestingDepth: Int = 32,
        maxParts: Int = 2_000,
        maxHeaderFields: Int = 2_000,
        maxHeaderFieldLength: Int = 64 * 1024
    ) {
        self.maxNestingDepth = maxNestingDepth
        self.maxParts = maxParts
        self.maxHeaderFields = maxHeaderFields
        self.maxHeaderFieldLength = maxHeaderFieldLength
    }

    public static let `default` = MessageLimits()

    /// Hard ceiling on `maxNestingDepth`, whatever the caller asks: the parser
    /// recurses once per level, and each level adds about three levels of JSON
    /// nesting, which Foundation's JSON decoder caps at 512.
    public static let nestingCeiling = 100

    /// The limits with every value forced into a safe range.
    var clamped: MessageLimits {
        MessageLimits(
            maxNestingDepth: min(max(0, maxNestingDepth), Self.nestingCeiling),
            maxParts: max(1, maxParts),
            maxHeaderFields: max(0, maxHeaderFields),
            maxHeaderFieldLength: max(0, maxHeaderFieldLength)
        )
    }
}
