import LineFraming

/// Walks a framed command for the parsers: the line pieces and, where a line piece ends in a
/// literal header, the literal that follows. Grammar rules shared by many commands live here
/// (RFC 9051 §9); each throws `IMAPSyntaxError` with what it expected.
struct IMAPCursor {
    let command: IMAPFramedCommand
    private(set) var lineIndex = 0
    private(set) var position = 0
    /// Open parentheses, capped at `maxDepth`.
    private(set) var depth = 0
    let maxDepth: Int

    init(_ command: IMAPFramedCommand, maxDepth: Int = IMAPDefaults.nestingDepth) {
        self.command = command
        self.maxDepth = maxDepth
    }

    private var line: [UInt8] { command.lines[lineIndex] }

    /// The next byte of the current line piece; nil at its end.
    var peek: UInt8? { position < line.count ? line[position] : nil }

    /// Whether the whole command has been read.
    var atEnd: Bool { lineIndex == command.lines.count - 1 && position == line.count }

    /// Parses all of `bytes` (one line, no literals) with `rule`.
    static func whole<T>(_ bytes: [UInt8], _ rule: (inout IMAPCursor) throws(IMAPSyntaxError) -> T) throws(IMAPSyntaxError) -> T {
        var cursor = IMAPCursor(IMAPFramedCommand(lines: [bytes]))
        let value = try rule(&cursor)
        try cursor.end()
        return value
    }

    static func fail(_ detail: String) -> IMAPSyntaxError { IMAPSyntaxError(.badArguments, detail) }

    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    mutating func expect(_ byte: UInt8) throws(IMAPSyntaxError) {
        guard take(byte) else { throw Self.fail("expected \"\(Character(Unicode.Scalar(byte)))\"") }
    }

    /// SP: exactly one space. RFC 9051 §9
    mutating func space() throws(IMAPSyntaxError) { try expect(ByteClass.space) }

    mutating func end() throws(IMAPSyntaxError) {
        guard atEnd else { throw Self.fail("unexpected text at the end of the command") }
    }

    /// "(" with the nesting cap. `IMAPDefaults.nestingDepth`
    mutating func open() throws(IMAPSyntaxError) {
        try expect(ByteClass.openParen)
        depth += 1
        guard depth <= maxDepth else { throw IMAPSyntaxError(.tooDeep, "parentheses nested too deep") }
    }

    mutating func close() throws(IMAPSyntaxError) {
        try expect(ByteClass.closeParen)
        depth -= 1
    }

    /// The longest run of bytes satisfying `predicate`, at least one.
    mutating func run(_ what: String, _ predicate: (UInt8) -> Bool) throws(IMAPSyntaxError) -> [UInt8] {
        let begin = position
        while let b = peek, predicate(b) { position += 1 }
        guard position > begin else { throw Self.fail("expected \(what)") }
        return Array(line[begin..<position])
    }

    /// atom = 1*ATOM-CHAR. RFC 9051 §9
    mutating func atom() throws(IMAPSyntaxError) -> [UInt8] { try run("an atom", ByteClass.isAtomChar) }

    /// An atom, upper-cased: command names and keywords are case-insensitive. RFC 9051 §9
    mutating func keyword() throws(IMAPSyntaxError) -> String { ByteClass.upperString(try atom()) }

    /// number = 1*DIGIT, 32 bits. RFC 9051 §9
    mutating func number() throws(IMAPSyntaxError) -> UInt32 {
        let digits = try run("a number", ByteClass.isDigit)
        guard digits.count <= 10, let value = UInt32(String(decoding: digits, as: UTF8.self)) else {
            throw Self.fail("number out of range")
        }
        return value
    }

    /// nz-number = digit-nz *DIGIT. RFC 9051 §9
    mutating func nzNumber() throws(IMAPSyntaxError) -> UInt32 {
        let value = try number()
        guard value > 0 else { throw Self.fail("zero where a non-zero number is required") }
        return value
    }

    /// number64 = 1*DIGIT, 0 … 2^63-1 ("Unsigned 63-bit integer"). RFC 9051 §9. Also
    /// mod-sequence-valzer and mod-sequence-value (RFC 7162 §7): their ABNF is the same
    /// digits; the "at least 1" of mod-sequence-value is a comment the parser does not
    /// enforce, as clients send `QRESYNC (v 0)` to ask for everything.
    mutating func number64() throws(IMAPSyntaxError) -> UInt64 {
        let digits = try run("a number", ByteClass.isDigit)
        guard digits.count <= 19, let value = Int64(String(decoding: digits, as: UTF8.self)) else {
            throw Self.fail("number out of range")
        }
        return UInt64(value)
    }

    /// Whether the next byte is a digit.
    var atDigit: Bool { peek.map(ByteClass.isDigit) ?? false }

    /// The byte `offset` places after the next one, nil past the end of the line piece.
    func peek(ahead offset: Int) -> UInt8? { position + offset < line.count ? line[position + offset] : nil }

    /// Takes the keyword `word` (upper-case) if the next atom is it, in any case; otherwise
    /// leaves the cursor where it was.
    mutating func take(keyword word: String) -> Bool {
        var probe = self
        guard let next = try? probe.keyword(), next == word else { return false }
        self = probe
        return true
    }

    /// Keyword-like names that stop at `[`, `<` or any other non-name byte: FETCH items
    /// (`BODY.PEEK[`, `RFC822.SIZE`) and section texts (`HEADER.FIELDS.NOT`), upper-cased.
    mutating func itemName() throws(IMAPSyntaxError) -> String {
        ByteClass.upperString(try run("a name") { ByteClass.isAlpha($0) || ByteClass.isDigit($0) || $0 == 0x2E })
    }

    /// quoted = DQUOTE *QUOTED-CHAR DQUOTE; QUOTED-CHAR = <any TEXT-CHAR except
    /// quoted-specials> / "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4. RFC 9051 §9
    mutating func quoted() throws(IMAPSyntaxError) -> [UInt8] {
        try expect(ByteClass.quote)
        var out: [UInt8] = []
        while let b = peek {
            position += 1
            switch b {
            case ByteClass.quote: return out
            case ByteClass.backslash:
                // "\" quoted-specials: only \" and \\ are escapes. RFC 9051 §9
                guard let escaped = peek, escaped == ByteClass.quote || escaped == ByteClass.backslash else {
                    throw Self.fail("bad escape in quoted string")
                }
                position += 1
                out.append(escaped)
            default:
                guard ByteClass.isQuotable(b) else { throw Self.fail("control character in quoted string") }
                out.append(b)
            }
        }
        throw Self.fail("unterminated quoted string")
    }

    /// literal / literal8 at the end of this line piece: the octets that follow it.
    /// RFC 9051 §9, RFC 3516 §4.2. `binary` reports which was sent.
    mutating func literal(allowBinary: Bool = false) throws(IMAPSyntaxError) -> (data: [UInt8], binary: Bool) {
        guard atLiteral, let header = IMAPLiteralHeader.atEnd(of: line), header.start == position,
            lineIndex < command.literals.count
        else { throw Self.fail("expected a literal") }
        guard allowBinary || !header.binary else { throw Self.fail("literal8 not allowed here") }  // RFC 3516 §4.2
        let data = command.literals[lineIndex]
        // A literal holds CHAR8, no NUL; literal8 any octet. RFC 9051 §4.3, RFC 3516 §4.2
        guard header.binary || !data.contains(0) else { throw Self.fail("NUL in a literal") }
        lineIndex += 1
        position = 0
        return (data, header.binary)
    }

    /// At `{` or `~{`: a literal starts here (`~` alone is an atom character).
    var atLiteral: Bool {
        peek == ByteClass.openBrace
            || (peek == ByteClass.tilde && position + 1 < line.count && line[position + 1] == ByteClass.openBrace)
    }

    /// string = quoted / literal. RFC 9051 §9
    mutating func string() throws(IMAPSyntaxError) -> [UInt8] {
        if peek == ByteClass.quote { return try quoted() }
        return try literal().data
    }

    /// astring = 1*ASTRING-CHAR / string. RFC 9051 §9
    mutating func astring() throws(IMAPSyntaxError) -> [UInt8] {
        if peek == ByteClass.quote || atLiteral { return try string() }
        return try run("an astring", ByteClass.isAstringChar)
    }

    /// nstring = string / nil; nil = "NIL". RFC 9051 §9
    mutating func nstring() throws(IMAPSyntaxError) -> [UInt8]? {
        if peek == ByteClass.quote || atLiteral { return try string() }
        guard try keyword() == "NIL" else { throw Self.fail("expected a string or NIL") }
        return nil
    }

    /// list-mailbox = 1*list-char / string. RFC 9051 §9
    mutating func listMailbox() throws(IMAPSyntaxError) -> [UInt8] {
        if peek == ByteClass.quote || atLiteral { return try string() }
        return try run("a mailbox pattern", ByteClass.isListChar)
    }

    /// A string that must be UTF-8 (RFC 9051 §4.3 for IMAP4rev2 strings).
    mutating func utf8(_ bytes: [UInt8]) throws(IMAPSyntaxError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Self.fail("string is not UTF-8") }
        return text
    }
}
