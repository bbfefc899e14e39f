import LineFraming

/// STORE's arguments: the UNCHANGEDSINCE modifier and the flag change. Parser and encoder.
///
/// ```
/// C: a1 STORE 2:4 +FLAGS (\Deleted)
/// C: a2 UID STORE 7 (UNCHANGEDSINCE 320162338) -FLAGS.SILENT \Seen $Junk
/// ```
extension IMAPCursor {
    /// ```
    /// store           = "STORE" SP sequence-set [store-modifiers] SP store-att-flags
    /// store-modifiers = SP "(" store-modifier *(SP store-modifier) ")"         ; RFC 4466 §2.5
    /// store-modifier  =/ "UNCHANGEDSINCE" SP mod-sequence-valzer                ; RFC 7162 §7
    /// store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
    /// ```
    /// RFC 9051 §9, §6.4.6. Read from after the sequence set. A modifier we do not know, or
    /// UNCHANGEDSINCE twice, is `BAD`.
    mutating func storeArguments() throws(IMAPSyntaxError) -> StoreArguments {
        try space()
        var unchangedSince: UInt64?
        if peek == ByteClass.openParen {
            try open()
            repeat {
                guard try keyword() == "UNCHANGEDSINCE", unchangedSince == nil else { throw Self.fail("bad STORE modifier") }
                try space()
                unchangedSince = try number64()  // RFC 7162 §3.1.3
            } while take(ByteClass.space)
            try close()
            try space()
        }
        let operation: StoreArguments.Operation
        let silent: Bool
        switch try keyword() {
        case "FLAGS": (operation, silent) = (.replace, false)
        case "FLAGS.SILENT": (operation, silent) = (.replace, true)
        case "+FLAGS": (operation, silent) = (.add, false)
        case "+FLAGS.SILENT": (operation, silent) = (.add, true)
        case "-FLAGS": (operation, silent) = (.remove, false)
        case "-FLAGS.SILENT": (operation, silent) = (.remove, true)
        default: throw Self.fail("expected [+-]FLAGS[.SILENT]")
        }
        try space()
        var flags: [Flag] = []
        if peek == ByteClass.openParen {
            flags = try flagList()
        } else {
            repeat { flags.append(try flag()) } while take(ByteClass.space)
        }
        return StoreArguments(operation: operation, silent: silent, flags: flags, unchangedSince: unchangedSince)
    }
}

extension StoreArguments {
    /// `(UNCHANGEDSINCE n) +FLAGS.SILENT (\Seen)`: the flags always as a flag list.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        if let unchangedSince { out += Array("(UNCHANGEDSINCE \(unchangedSince)) ".utf8) }
        let sign =
            switch operation {
            case .add: "+"
            case .remove: "-"
            case .replace: ""
            }
        out += Array("\(sign)FLAGS\(silent ? ".SILENT" : "") ".utf8)
        return out + Flag.encode(flags)
    }
}
