import LineFraming

/// The command as a client sends it, CRLF included: what the Interop and transcript tests
/// send, and what `IMAPCommandReader` + `IMAPCommandParser` read back to the same value.
///
/// ```
/// C: a1 APPEND Drafts (\Draft) " 7-Feb-1994 21:52:25 -0800" {310}
/// ```
/// Strings go as atoms, quoted strings or literals, whichever fits (`IMAPString`); literals
/// are announced in `style`. Mailbox names are modified UTF-7 unless `utf8Enabled`. The typed
/// arguments encode themselves (`FetchAttribute`, `SearchProgram`, `StoreArguments`,
/// `SelectParameters`, `ListReturnOptions`, each beside its parser). Values no parse can
/// give (an empty FETCH list, VANISHED without CHANGEDSINCE) encode to what the parser refuses.
extension IMAPCommand {
    public func encoded(utf8Enabled: Bool = false, style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        var out = Array(tag.utf8) + [ByteClass.space]
        func add(_ text: String) { out += Array(text.utf8) }
        func space() { out.append(ByteClass.space) }
        func astring(_ text: String) { out += IMAPString.astring(Array(text.utf8), style: style) }
        func mailbox(_ name: MailboxName) { out += name.encoded(utf8Enabled: utf8Enabled, style: style) }
        func pattern(_ text: String) {
            let wire = utf8Enabled ? Array(text.utf8) : ModifiedUTF7.encode(text)
            if !wire.isEmpty, wire.allSatisfy(ByteClass.isListChar) { out += wire } else { out += IMAPString.string(wire, style: style) }
        }
        func uidPrefix(_ uid: Bool) { if uid { add("UID ") } }
        switch kind {
        case .capability: add("CAPABILITY")
        case .noop: add("NOOP")
        case .logout: add("LOGOUT")
        case .startTLS: add("STARTTLS")
        case .namespace: add("NAMESPACE")
        case .acl(let command): out += command.encoded(utf8Enabled: utf8Enabled, style: style)
        case .idle: add("IDLE")
        case .unauthenticate: add("UNAUTHENTICATE")
        case .quota(let command): out += command.encoded(utf8Enabled: utf8Enabled, style: style)
        case .compress(let mechanism): add("COMPRESS " + mechanism)
        case .check: add("CHECK")
        case .close: add("CLOSE")
        case .unselect: add("UNSELECT")
        case .expunge: add("EXPUNGE")
        case .id(let fields):
            add("ID ")
            guard let fields else { add("NIL"); break }
            out.append(ByteClass.openParen)
            for (index, field) in fields.enumerated() {
                if index > 0 { space() }
                out += IMAPString.string(Array(field.key.utf8), style: style)
                space()
                out += IMAPString.nstring(field.value.map { Array($0.utf8) }, style: style)
            }
            out.append(ByteClass.closeParen)
        case .authenticate(let mechanism, let response):
            add("AUTHENTICATE \(mechanism)")
            if let response { add(" \(response)") }
        case .login(let user, let password):
            add("LOGIN ")
            astring(user)
            space()
            astring(password)
        case .enable(let names): add("ENABLE " + names.joined(separator: " "))
        case .select(let name, let parameters), .examine(let name, let parameters):
            if case .select = kind { add("SELECT ") } else { add("EXAMINE ") }
            mailbox(name)
            if !parameters.isEmpty { space(); out += parameters.encoded }  // RFC 7162 §3.1.8, §3.2.5
        case .create(let name): add("CREATE "); mailbox(name)
        case .createSpecialUse(let name, let uses):
            add("CREATE ")
            mailbox(name)
            add(" (USE (\(uses.joined(separator: " "))))")  // RFC 6154 §3
        case .delete(let name): add("DELETE "); mailbox(name)
        case .subscribe(let name): add("SUBSCRIBE "); mailbox(name)
        case .unsubscribe(let name): add("UNSUBSCRIBE "); mailbox(name)
        case .rename(let from, let to):
            add("RENAME ")
            mailbox(from)
            space()
            mailbox(to)
        case .list(let selectOptions, let reference, let patterns, let returnOptions):
            add("LIST ")
            if !selectOptions.isEmpty { add("(\(selectOptions.joined(separator: " "))) ") }
            out += IMAPString.astring(utf8Enabled ? Array(reference.utf8) : ModifiedUTF7.encode(reference), style: style)
            space()
            if patterns.count == 1 {
                pattern(patterns[0])
            } else {
                out.append(ByteClass.openParen)
                for (index, p) in patterns.enumerated() {
                    if index > 0 { space() }
                    pattern(p)
                }
                out.append(ByteClass.closeParen)
            }
            if let returnOptions { space(); out += returnOptions.encoded }  // RFC 5258 §3.2
        case .lsub(let reference, let p):
            add("LSUB ")
            out += IMAPString.astring(utf8Enabled ? Array(reference.utf8) : ModifiedUTF7.encode(reference), style: style)
            space()
            pattern(p)
        case .status(let name, let items):
            add("STATUS ")
            mailbox(name)
            add(" (\(items.joined(separator: " ")))")
        case .append(let name, let flags, let date, let message, let binary):
            add("APPEND ")
            mailbox(name)
            space()
            if !flags.isEmpty { out += Flag.encode(flags); space() }
            if let date { out += date.encoded; space() }
            out += IMAPString.literal(message, style: style, binary: binary)
        case .multiAppend(let name, let messages):
            add("APPEND ")
            mailbox(name)
            for m in messages {
                space()
                if !m.flags.isEmpty { out += Flag.encode(m.flags); space() }
                if let date = m.date { out += date.encoded; space() }
                if let parts = m.catenate {
                    add("CATENATE (")
                    for (index, part) in parts.enumerated() {
                        if index > 0 { space() }
                        out += part.encoded(style: style)
                    }
                    add(")")
                } else {
                    out += IMAPString.literal(m.message, style: style, binary: m.binary)
                }
            }
        case .uidExpunge(let set): add("UID EXPUNGE "); out += set.encoded
        case .replace(let number, let name, let m, let uid):
            // RFC 8508 §6
            uidPrefix(uid)
            add("REPLACE \(number) ")
            mailbox(name)
            space()
            if !m.flags.isEmpty { out += Flag.encode(m.flags); space() }
            if let date = m.date { out += date.encoded; space() }
            out += IMAPString.literal(m.message, style: style, binary: m.binary)
        case .fetch(let set, let attributes, let modifiers, let uid):
            uidPrefix(uid)
            add("FETCH ")
            out += set.encoded
            space()
            // One item alone, several in a list; macros were expanded when parsed. RFC 9051 §6.4.5
            if attributes.count == 1 {
                out += attributes[0].encoded(style: style)
            } else {
                out.append(ByteClass.openParen)
                for (index, attribute) in attributes.enumerated() {
                    if index > 0 { space() }
                    out += attribute.encoded(style: style)
                }
                out.append(ByteClass.closeParen)
            }
            if !modifiers.isEmpty { space(); out += modifiers.encoded }  // RFC 7162 §3.1.4.1, §3.2.6
        case .store(let set, let arguments, let uid):
            uidPrefix(uid)
            add("STORE ")
            out += set.encoded
            space()
            out += arguments.encoded
        case .copy(let set, let name, let uid), .move(let set, let name, let uid):
            uidPrefix(uid)
            if case .copy = kind { add("COPY ") } else { add("MOVE ") }
            out += set.encoded
            space()
            mailbox(name)
        case .search(let program, let uid):
            uidPrefix(uid)
            add("SEARCH ")
            out += program.encoded(style: style)
        case .sort(let program, let uid):
            uidPrefix(uid)
            add("SORT ")
            out += program.encoded(style: style)
        case .thread(let program, let uid):
            uidPrefix(uid)
            add("THREAD ")
            out += program.encoded(style: style)
        case .getMetadata(let name, let entries, let options):
            add("GETMETADATA ")
            var parts: [String] = []
            if let size = options.maxSize { parts.append("MAXSIZE \(size)") }
            if options.depth != .zero { parts.append("DEPTH \(options.depth.rawValue)") }
            if !parts.isEmpty { add("(" + parts.joined(separator: " ") + ") ") }
            mailbox(name)
            space()
            if entries.count == 1 {
                astring(entries[0])
            } else {
                add("(")
                for (index, entry) in entries.enumerated() {
                    if index > 0 { space() }
                    astring(entry)
                }
                add(")")
            }
        case .setMetadata(let name, let values):
            add("SETMETADATA ")
            mailbox(name)
            add(" (")
            for (index, item) in values.enumerated() {
                if index > 0 { space() }
                astring(item.entry)
                space()
                if let value = item.value, value.contains(0) {
                    out += IMAPString.literal(value, style: style, binary: true)
                } else {
                    out += IMAPString.nstring(item.value, style: style)
                }
            }
            add(")")
        case .notify(let spec):
            add("NOTIFY ")
            if let spec { out += spec.encoded(utf8Enabled: utf8Enabled) } else { add("NONE") }
        case .cancelUpdate(let tags):
            add("CANCELUPDATE")
            for tag in tags {
                space()
                out += IMAPString.quoted(Array(tag.utf8))
            }
        }
        out += [ByteClass.cr, ByteClass.lf]
        return out
    }
}
