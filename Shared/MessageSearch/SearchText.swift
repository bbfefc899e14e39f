import InternetMessage

/// Case-insensitive substring search for SEARCH strings (RFC 9051 §6.4.4).
///
/// Both sides are folded once — the needle when the search is prepared, the message's text
/// when a key first reads it — into lower-cased UTF-8 (Unicode lower-case mappings, final
/// sigma as sigma), then compared byte by byte. Text with combining marks or conjoining
/// Hangul jamo, where one `Character` may be spelt with different scalars (NFC vs NFD), is
/// compared by `Character` instead, which Swift defines by canonical equivalence; that path
/// also keeps "cafe" from matching the first four scalars of a decomposed "café".
public enum SearchText {
    /// Appends `text` folded to `output`; true if it needs comparing by `Character`.
    /// ASCII, most of any mail, takes a byte loop; other scalars their Unicode mapping.
    static func fold(_ text: String, into output: inout [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            var canonical = false
            output.reserveCapacity(output.count + utf8.count)
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                if byte < 0x80 {
                    // A run of ASCII: copied at once, then lower-cased in place.
                    var end = index + 1
                    while end < utf8.count, utf8[end] < 0x80 { end += 1 }
                    let start = output.count
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[index..<end]))
                    output.withUnsafeMutableBufferPointer { folded in
                        for position in start..<folded.count where folded[position] &- 0x41 < 26 {
                            folded[position] |= 0x20
                        }
                    }
                    index = end
                    continue
                }
                // A String holds valid UTF-8: a lead byte and its continuation bytes.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                guard index + length <= utf8.count else { break }
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length { value = value << 6 | UInt32(utf8[index + offset] & 0x3F) }
                let encoded = utf8[index..<index + length]
                index += length
                guard let scalar = Unicode.Scalar(value) else { continue }
                let properties = scalar.properties
                if value == 0x3C2 {  // ς final sigma: lower-case σ as the upper-case Σ maps to
                    output += [0xCF, 0x83]
                } else if properties.changesWhenLowercased {
                    for mapped in properties.lowercaseMapping.unicodeScalars {  // İ gives i + U+0307
                        canonical = canonical || needsCharacterComparison(mapped)
                        UTF8.encode(mapped) { output.append($0) }
                    }
                } else {
                    canonical = canonical || needsCharacterComparison(scalar)
                    output += encoded
                }
            }
            return canonical
        }
    }

    /// A scalar that may combine with its neighbours into a `Character` another spelling
    /// also gives: a combining mark (canonical combining class not 0) or a Hangul jamo.
    private static func needsCharacterComparison(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.canonicalCombiningClass != .notReordered || (0x1100...0x11FF).contains(scalar.value)
    }

    /// ASCII lower-case bytes of a flag or field name.
    public static func asciiLowercased(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// Whether `text` equals `lowercased` ignoring ASCII case.
    public static func asciiEqual(_ text: String, _ lowercased: [UInt8]) -> Bool {
        var index = 0
        for byte in text.utf8 {
            guard index < lowercased.count else { return false }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            guard lower == lowercased[index] else { return false }
            index += 1
        }
        return index == lowercased.count
    }

    /// Whether `needle` occurs in `text` from byte `start` on.
    static func contains(_ needle: Needle, in text: FoldedText, from start: Int = 0) -> Bool {
        if needle.bytes.isEmpty { return true }
        if (needle.needsCharacterComparison || text.needsCharacterComparison) && !text.isASCII {
            return find(needle.characters, in: text.characters(from: start)[...])
        }
        return text.bytes.withUnsafeBufferPointer { haystack in
            needle.bytes.withUnsafeBufferPointer { needle in
                find(needle, in: haystack, from: start)
            }
        }
    }

    /// Naive search keyed on the first byte: needles are short and most positions fail at once.
    private static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let count = needle.count
        guard count > 0 else { return true }
        let first = needle[0]
        var index = max(0, start)
        let last = haystack.count - count
        while index <= last {
            if haystack[index] == first {
                var matched = 1
                while matched < count, haystack[index + matched] == needle[matched] { matched += 1 }
                if matched == count { return true }
            }
            index += 1
        }
        return false
    }

    private static func find(_ needle: [Character], in haystack: ArraySlice<Character>) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var index = haystack.startIndex
        while index <= haystack.endIndex - needle.count {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

/// A SEARCH string folded once per search.
struct Needle: Sendable {
    let bytes: [UInt8]
    let needsCharacterComparison: Bool
    /// For the `Character` path (taken when the needle or the text has combining marks).
    let characters: [Character]

    init(_ text: String) {
        var bytes: [UInt8] = []
        needsCharacterComparison = SearchText.fold(text, into: &bytes)
        self.bytes = bytes
        characters = Array(String(decoding: bytes, as: UTF8.self))
    }

    var isEmpty: Bool { bytes.isEmpty }
}

/// A piece of message text folded once per message. A class so the `Character` form, made
/// only when some needle needs it, is made once however many keys read it.
final class FoldedText {
    private(set) var bytes: [UInt8] = []
    private(set) var needsCharacterComparison = false
    /// For a header line `name: value`, where the value starts.
    private(set) var valueStart = 0
    /// No multi-byte characters: bytes compare exactly whatever the needle.
    private(set) var isASCII = true
    private var characterForms: [Int: [Character]] = [:]

    /// The text from byte `start` (0 or `valueStart`) as `Character`s.
    func characters(from start: Int) -> [Character] {
        if let characters = characterForms[start] { return characters }
        let characters = Array(String(decoding: bytes[min(start, bytes.count)...], as: UTF8.self))
        characterForms[start] = characters
        return characters
    }

    init(_ text: String) {
        needsCharacterComparison = SearchText.fold(text, into: &bytes)
        isASCII = !bytes.contains { $0 >= 0x80 }
    }

    /// A MIME part's header block: lines unfolded (RFC 5322 §2.2.3), RFC 2047 words decoded,
    /// fields kept apart by line feeds so no needle spans two.
    convenience init(mimeHeader bytes: ArraySlice<UInt8>) {
        var lines: [String] = []
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let line = line.last == 0x0D ? line.dropLast() : line
            let text = String(decoding: line, as: UTF8.self)
            if let first = line.first, first == 0x20 || first == 0x09, !lines.isEmpty {
                lines[lines.count - 1] += text  // a continuation line
            } else {
                lines.append(text)
            }
        }
        self.init(EncodedWord.decode(lines.joined(separator: "\n")))
    }

    /// A header field as `name: value`, the value RFC 2047-decoded. RFC 5322 §2.2
    init(_ field: HeaderField) {
        let name = SearchText.fold(field.name, into: &bytes)
        bytes += [0x3A, 0x20]
        valueStart = bytes.count
        // rawValue is already unfolded (CRLF before WSP removed, RFC 5322 §2.2.3) and trimmed.
        needsCharacterComparison = SearchText.fold(field.decodedValue, into: &bytes) || name
        isASCII = !bytes.contains { $0 >= 0x80 }
    }
}

/// What the content keys read of one message, folded at most once per `matches` call.
struct SearchContentCache {
    private let content: SearchContent?
    /// Per header field, `name: value` once some key has read it.
    private var lines: [FoldedText?] = []
    /// Per address field, its parsed addresses once some key has read them.
    private var addressForms: [FoldedText??] = []
    /// The searchable body texts and MIME part headers, once BODY or TEXT has read them.
    private var body: (texts: [FoldedText], mimeHeaders: [FoldedText])?
    private var sent: Int??

    init(_ content: SearchContent?) {
        self.content = content
    }

    /// HEADER `name` (ASCII lower-case) contains `needle` in some field's value; with `name`
    /// nil, any whole `name: value` line does (TEXT).
    mutating func headerContains(_ name: [UInt8]?, _ needle: Needle) -> Bool {
        guard let fields = content?.parse.fields else { return false }
        if lines.count != fields.count { lines = Array(repeating: nil, count: fields.count) }
        guard let name else {
            if needle.isEmpty { return true }
            return fields.indices.contains { SearchText.contains(needle, in: line(fields, $0)) }
        }
        let isAddress = AddressText.isAddressField(name)
        for index in fields.indices where SearchText.asciiEqual(fields[index].name, name) {
            // RFC 9051 §6.4.4: an empty string matches every message that has the field.
            if needle.isEmpty { return true }
            let line = line(fields, index)
            if SearchText.contains(needle, in: line, from: line.valueStart) { return true }
            if isAddress, let parsed = addressForm(fields, index), SearchText.contains(needle, in: parsed) { return true }
        }
        return false
    }

    /// An address field's addresses as ENVELOPE reads them (`AddressText`), folded once.
    private mutating func addressForm(_ fields: [HeaderField], _ index: Int) -> FoldedText? {
        if addressForms.count != fields.count { addressForms = Array(repeating: nil, count: fields.count) }
        if let form = addressForms[index] { return form }
        let form = AddressText.parsedForm(fields[index].rawValue).map { FoldedText($0) }
        addressForms[index] = .some(form)
        return form
    }

    private mutating func line(_ fields: [HeaderField], _ index: Int) -> FoldedText {
        if let line = lines[index] { return line }
        let line = FoldedText(fields[index])
        lines[index] = line
        return line
    }

    /// Some body text contains `needle`; for TEXT, `mimeHeaders` adds the MIME headers of
    /// the parts inside the body (an attachment's file name, its description).
    mutating func bodyContains(_ needle: Needle, mimeHeaders: Bool = false) -> Bool {
        guard let content else { return false }
        if needle.isEmpty { return true }
        if body == nil { body = Self.walk(content) }
        return body!.texts.contains { SearchText.contains(needle, in: $0) }
            || (mimeHeaders && body!.mimeHeaders.contains { SearchText.contains(needle, in: $0) })
    }

    /// In message order: the decoded text of every text/* leaf and the header fields and
    /// texts of encapsulated messages; apart, the MIME headers of the parts below the root.
    static func walk(_ content: SearchContent) -> (texts: [FoldedText], mimeHeaders: [FoldedText]) {
        var texts: [FoldedText] = []
        var mimeHeaders: [FoldedText] = []
        var stack = [(part: content.parse.root, isChild: false)]
        while let (part, isChild) = stack.popLast() {
            if isChild { mimeHeaders.append(FoldedText(mimeHeader: part.header.slice(of: content.raw))) }
            if let message = part.message {
                texts += message.fields.map(FoldedText.init)
                stack.append((message.root, false))  // its header is the fields just added
            } else if part.isMultipart {
                stack += part.parts.reversed().map { ($0, true) }
            } else if let text = part.decodedText(in: content.raw) {
                // Transfer encoding and charset removed; nil for non-text leaves.
                texts.append(FoldedText(text))
                // HTML also as the text it shows (HTMLText).
                if part.contentType.subtype == "html" { texts.append(FoldedText(HTMLText.reduce(text))) }
            }
        }
        return (texts, mimeHeaders)
    }

    /// The calendar day written in the Date: field, nil when it is missing or unusable.
    mutating func sentDay() -> Int? {
        if let sent { return sent }
        let day = content?.parse.envelope.date.flatMap(SearchDates.writtenDay)
        sent = .some(day)
        return day
    }
}
