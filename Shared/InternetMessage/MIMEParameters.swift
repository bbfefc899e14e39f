/// Structured MIME header values: a leading value then `;`-separated parameters.
///
/// ```
/// Content-Type: text/plain; charset="iso-8859-1" (comment)
/// Content-Disposition: attachment; filename*0*=utf-8''%E2%82%AC; filename*1=".pdf"
/// ```
/// RFC 2045 §5.1 gives the syntax; RFC 2231 §3 joins `name*0`, `name*1`, …, and
/// §4 decodes `name*=charset'language'%XX` values. Tolerates unquoted values
/// with tspecials (`boundary=----=_Part_1`), whitespace around `=`, comments,
/// missing `;`, and unterminated quotes. The first occurrence of a name wins,
/// except that an RFC 2231 form beats a plain one of the same name.
enum MIMEParameters {
    /// The leading value (comments and whitespace removed, e.g. "text/plain") and
    /// the parameters that follow it.
    static func split(_ value: String) -> (lead: String, parameters: [Parameter]) {
        let bytes = Array(value.utf8)
        var index = 0
        var lead: [UInt8] = []
        while index < bytes.count, bytes[index] != 0x3B {
            if bytes[index] == 0x28 {
                index = skipComment(bytes, from: index)
                continue
            }
            if !ByteScan.isWhitespace(bytes[index]) { lead.append(bytes[index]) }
            index += 1
        }
        return (String(decoding: lead, as: UTF8.self), parse(bytes, from: index))
    }

    private struct RawParameter {
        var name: String
        var value: String
    }

    static func parse(_ bytes: [UInt8], from start: Int) -> [Parameter] {
        var raw: [RawParameter] = []
        var index = start
        while index < bytes.count {
            skipSeparators(bytes, &index)
            guard index < bytes.count else { break }
            let nameStart = index
            while index < bytes.count, !isNameEnd(bytes[index]) { index += 1 }
            let name = ByteScan.asciiLowercased(String(decoding: bytes[nameStart..<index], as: UTF8.self))
            skipCFWS(bytes, &index)
            guard !name.isEmpty, index < bytes.count, bytes[index] == 0x3D else {
                skipToSemicolon(bytes, &index)
                continue
            }
            index += 1
            skipCFWS(bytes, &index)
            var value: [UInt8] = []
            if index < bytes.count, bytes[index] == 0x22 {
                // RFC 2045 §5.1 quoted-string value, with quoted-pairs.
                index += 1
                while index < bytes.count, bytes[index] != 0x22 {
                    if bytes[index] == 0x5C, index + 1 < bytes.count { index += 1 }
                    value.append(bytes[index])
                    index += 1
                }
                index += 1
            } else {
                while index < bytes.count, bytes[index] != 0x3B, !ByteScan.isWhitespace(bytes[index]) {
                    value.append(bytes[index])
                    index += 1
                }
            }
            raw.append(RawParameter(name: name, value: String(decoding: value, as: UTF8.self)))
            skipToSemicolon(bytes, &index)
        }
        return assemble(raw)
    }

    /// One RFC 2231 section: `name*N` or `name*N*`, or `name*` (a single extended section).
    private struct Section {
        var number: Int
        var extended: Bool
        var value: String
    }

    /// RFC 2231 §3–4: groups sections by name, orders them, decodes and joins.
    private static func assemble(_ raw: [RawParameter]) -> [Parameter] {
        var order: [String] = []
        var plain: [String: String] = [:]
        var sections: [String: [Section]] = [:]
        var seenSections: Set<String> = []
        for parameter in raw {
            var base = parameter.name
            var section: Section?
            if let star = parameter.name.firstIndex(of: "*") {
                let candidate = String(parameter.name[..<star])
                let suffix = parameter.name[parameter.name.index(after: star)...]
                if suffix.isEmpty {
                    section = Section(number: 0, extended: true, value: parameter.value)
                } else {
                    let extended = suffix.hasSuffix("*")
                    let digits = extended ? suffix.dropLast() : suffix
                    if digits.count <= 4, let number = Int(digits), number >= 0, !candidate.isEmpty {
                        section = Section(number: number, extended: extended, value: parameter.value)
                    }
                }
                if section != nil { base = candidate }
            }
            if plain[base] == nil && sections[base] == nil { order.append(base) }
            if let section {
                // A repeated section number keeps its first value (a set keeps this linear).
                if seenSections.insert("\(base)*\(section.number)").inserted {
                    sections[base, default: []].append(section)
                }
            } else if plain[base] == nil {
                plain[base] = parameter.value
            }
        }
        return order.compactMap { name in
            if let parts = sections[name] {
                return Parameter(name: name, value: joinSections(parts.sorted { $0.number < $1.number }))
            }
            return plain[name].map { Parameter(name: name, value: $0) }
        }
    }

    private static func joinSections(_ sections: [Section]) -> String {
        var bytes: [UInt8] = []
        var charset = "utf-8"
        for (position, section) in sections.enumerated() {
            var text = Array(section.value.utf8)
            if section.extended {
                if position == 0 && section.number == 0 {
                    // RFC 2231 §4: charset'language'value in the first section only.
                    let quotes = text.indices.filter { text[$0] == 0x27 }
                    if quotes.count >= 2 {
                        let declared = String(decoding: text[..<quotes[0]], as: UTF8.self)
                        if !declared.isEmpty { charset = declared }
                        text = Array(text[(quotes[1] + 1)...])
                    }
                }
                bytes += percentDecoded(text)
            } else {
                bytes += text
            }
        }
        return Charset.decode(bytes, charset: charset) ?? Charset.decodeGuessing(bytes)
    }

    private static func percentDecoded(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < text.count {
            if text[index] == 0x25, index + 2 < text.count,
                let high = TransferEncoding.hexValue(text[index + 1]),
                let low = TransferEncoding.hexValue(text[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(text[index])
                index += 1
            }
        }
        return output
    }

    private static func isNameEnd(_ byte: UInt8) -> Bool {
        byte == 0x3D || byte == 0x3B || byte == 0x28 || byte == 0x22 || ByteScan.isWhitespace(byte)
    }

    private static func skipSeparators(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count {
            if bytes[index] == 0x3B || ByteScan.isWhitespace(bytes[index]) {
                index += 1
            } else if bytes[index] == 0x28 {
                index = skipComment(bytes, from: index)
            } else {
                return
            }
        }
    }

    private static func skipCFWS(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count {
            if ByteScan.isWhitespace(bytes[index]) {
                index += 1
            } else if bytes[index] == 0x28 {
                index = skipComment(bytes, from: index)
            } else {
                return
            }
        }
    }

    /// Moves to the next top-level ";" (quoted strings and comments skipped).
    private static func skipToSemicolon(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, bytes[index] != 0x3B {
            if bytes[index] == 0x28 {
                index = skipComment(bytes, from: index)
            } else if bytes[index] == 0x22 {
                index += 1
                while index < bytes.count, bytes[index] != 0x22 { index += bytes[index] == 0x5C ? 2 : 1 }
                index += 1
            } else {
                index += 1
            }
        }
    }

    /// RFC 5322 §3.2.2: comments nest and may contain quoted-pairs.
    static func skipComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x5C: index += 1
            case 0x28: depth += 1
            case 0x29:
                depth -= 1
                if depth == 0 { return index + 1 }
            default: break
            }
            index += 1
        }
        return bytes.count
    }
}
