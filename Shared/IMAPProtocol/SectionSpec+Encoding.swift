import LineFraming

/// Section names as a FETCH response repeats them. RFC 9051 §7.5.2, §9; RFC 3516 §4.2.
///
/// ```
/// section         = "[" [section-spec] "]"
/// section-spec    = section-msgtext / (section-part ["." section-text])
/// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
/// section-text    = section-msgtext / "MIME"
/// section-part    = nz-number *("." nz-number)
/// header-list     = "(" header-fld-name *(SP header-fld-name) ")"
/// header-fld-name = astring
/// section-binary  = "[" [section-part] "]"
/// ```
/// `S: * 1 FETCH (BODY[1.2.HEADER.FIELDS (SUBJECT FROM)]<0> {24}` — the names as the
/// parser kept them (upper-cased), so the client finds the item it asked for.
extension SectionSpec {
    /// `[1.2.HEADER.FIELDS (SUBJECT FROM)]`, `[]`, `[2.MIME]`.
    public var encoded: [UInt8] {
        var out: [UInt8] = [ByteClass.openBracket]
        out += Array(part.map(String.init).joined(separator: ".").utf8)
        if let text {
            if !part.isEmpty { out.append(0x2E) }
            switch text {
            case .header: out += Array("HEADER".utf8)
            case .text: out += Array("TEXT".utf8)
            case .mime: out += Array("MIME".utf8)
            case .headerFields(let names): out += Array("HEADER.FIELDS ".utf8) + Self.headerList(names)
            case .headerFieldsNot(let names): out += Array("HEADER.FIELDS.NOT ".utf8) + Self.headerList(names)
            }
        }
        out.append(ByteClass.closeBracket)
        return out
    }

    /// `[1.2]` or `[]`: a BINARY section. RFC 3516 §4.2
    public static func encodedBinary(part: [Int]) -> [UInt8] {
        Array("[\(part.map(String.init).joined(separator: "."))]".utf8)
    }

    static func headerList(_ names: [String]) -> [UInt8] {
        var out: [UInt8] = [ByteClass.openParen]
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(ByteClass.space) }
            out += IMAPString.astring(Array(name.utf8))
        }
        out.append(ByteClass.closeParen)
        return out
    }
}
