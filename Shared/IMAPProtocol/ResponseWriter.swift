import LineFraming

/// Accumulates the bytes of one server response: the small vocabulary every response
/// encoder shares (atoms, numbers, NIL, parentheses, strings, literals). RFC 9051 §9.
///
/// ```
/// var w = ResponseWriter(utf8Enabled: false)
/// w.atom("* 3 EXISTS"); w.crlf()          // "* 3 EXISTS\r\n"
/// ```
struct ResponseWriter {
    var bytes: [UInt8] = []
    /// Whether the session has UTF-8 enabled (IMAP4rev2 or ENABLE UTF8=ACCEPT, RFC 6855 §3):
    /// it decides whether 8-bit strings may be quoted and whether text may hold UTF-8.
    let utf8Enabled: Bool

    init(utf8Enabled: Bool) {
        self.utf8Enabled = utf8Enabled
        bytes.reserveCapacity(64)
    }

    /// ASCII written as is: keywords, atoms, numbers the caller has already validated.
    mutating func atom(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }
    /// Decimal digits without a `String` in between (`appendDecimal`).
    mutating func number(_ value: some BinaryInteger) {
        guard let n = UInt64(exactly: value) else { return atom(String(value)) }
        bytes.appendDecimal(n)
    }
    mutating func space() { bytes.append(ByteClass.space) }
    mutating func open() { bytes.append(ByteClass.openParen) }
    mutating func close() { bytes.append(ByteClass.closeParen) }
    mutating func crlf() { bytes.append(contentsOf: [ByteClass.cr, ByteClass.lf]) }
    /// `nil = "NIL"`. RFC 9051 §9
    mutating func nilAtom() { atom("NIL") }

    /// `string = quoted / literal`, as `IMAPString.responseString` chooses. RFC 9051 §4.3
    mutating func string(_ text: String) { raw(IMAPString.responseString(Array(text.utf8), utf8Enabled: utf8Enabled)) }
    /// `nstring = string / nil`. RFC 9051 §4.5
    mutating func nstring(_ text: String?) {
        guard let text else { return nilAtom() }
        string(text)
    }

    /// `"(" item *(SP item) ")"`, or NIL when `items` is empty and `nilWhenEmpty`.
    mutating func list<T>(_ items: [T], nilWhenEmpty: Bool = false, _ each: (inout ResponseWriter, T) -> Void) {
        if items.isEmpty, nilWhenEmpty { return nilAtom() }
        open()
        for (index, item) in items.enumerated() {
            if index > 0 { space() }
            each(&self, item)
        }
        close()
    }

    /// `"(" atom *(SP atom) ")"`: flag lists, capability-like lists written as given.
    mutating func atomList(_ items: [String]) {
        open()
        atom(items.joined(separator: " "))
        close()
    }

    /// The resp-text after a status or `+`: CR, LF and NUL become spaces (TEXT-CHAR excludes
    /// them, RFC 9051 §9, so a message can never end the line early or inject a response), and
    /// without UTF-8 every non-ASCII character becomes `?` (RFC 3501 §9: TEXT-CHAR is 7-bit).
    mutating func text(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00, 0x0A, 0x0D: bytes.append(ByteClass.space)
            case 0x01..<0x80: bytes.append(UInt8(scalar.value))
            default:
                if utf8Enabled { bytes.append(contentsOf: String(scalar).utf8) } else { bytes.append(0x3F) }
            }
        }
    }
}
