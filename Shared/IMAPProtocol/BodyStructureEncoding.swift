import InternetMessage
import LineFraming

/// BODY and BODYSTRUCTURE: a message's MIME tree. RFC 9051 §7.5.2, RFC 3501 §7.4.2.
///
/// ```
/// body            = "(" (body-type-1part / body-type-mpart) ")"
/// body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
/// body-type-basic = media-basic SP body-fields
/// body-type-msg   = media-message SP body-fields SP envelope SP body SP body-fld-lines
/// body-type-text  = media-text SP body-fields SP body-fld-lines
/// body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
/// body-fld-param  = "(" string SP string *(SP string SP string) ")" / nil
/// body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
/// body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
/// body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
/// body-fld-dsp    = "(" string SP body-fld-param ")" / nil
/// body-fld-lang   = nstring / "(" string *(SP string) ")"
/// media-message   = DQUOTE "MESSAGE" DQUOTE SP DQUOTE ("RFC822" / "GLOBAL") DQUOTE   ; GLOBAL: 9051
/// ```
/// ```
/// S: * 1 FETCH (BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 5 1
///    NIL NIL NIL NIL)("IMAGE" "PNG" ("NAME" "a.png") NIL NIL "BASE64" 1024 NIL
///    ("ATTACHMENT" ("FILENAME" "a.png")) NIL NIL) "MIXED" ("BOUNDARY" "b") NIL NIL NIL))
/// ```
/// Choices, each checked against Dovecot 2.3 answering for the same messages:
/// - Type, subtype, encoding, disposition and parameter names in capitals as RFC 3501's
///   examples and UW/Cyrus send them (Dovecot sends them as written; clients compare without
///   case, RFC 2045 §5.1). Parameter values and all other strings are sent as written.
/// - A text part without a charset reports `("CHARSET" "us-ascii")`, the RFC 2046 §4.1.2
///   default (as Dovecot does). Languages always go as a list, as Dovecot sends them.
/// - Without UTF-8 enabled, a parameter value with non-ASCII characters (the parser has
///   decoded RFC 2231) is re-encoded as RFC 2231 `NAME*` `utf-8''%E2%82%AC.pdf`, the form
///   Dovecot passes through; with UTF-8 enabled it goes as UTF-8.
/// - A message/rfc822 part the parser could not open (encoded, or beyond a limit) still uses
///   body-type-msg, with an all-NIL envelope and an empty text/plain body, as Dovecot does, so
///   parsers that expect the envelope after "MESSAGE" "RFC822" keep their footing.
///   message/global uses body-type-msg only when UTF-8 is enabled (RFC 9051 grammar);
///   IMAP4rev1 clients know only RFC822 there, so they get body-type-basic.
/// - A multipart without parts (no boundary) is sent as a multipart with one text/plain part
///   describing its body — what `ParsedMessage.part(at: [1])` returns for it (Dovecot sends
///   one empty text/plain part).
/// Written with an explicit stack, not recursion: depth costs heap, not call frames (the
/// parser caps nesting at `MessageLimits.nestingCeiling` anyway).
public enum BodyStructureEncoding {
    /// The parenthesized `body`: BODYSTRUCTURE when `extended`, else BODY.
    public static func encode(_ part: MessagePart, extended: Bool, utf8Enabled: Bool = false) -> [UInt8] {
        var w = ResponseWriter(utf8Enabled: utf8Enabled)
        write(part, extended: extended, to: &w)
        return w.bytes
    }

    private enum Step {
        /// A whole `body`, from its opening parenthesis.
        case body(MessagePart)
        /// After a multipart's children: `SP media-subtype [SP body-ext-mpart] ")"`.
        case multipartEnd(MessagePart)
        /// After an encapsulated message's body: `SP body-fld-lines [SP body-ext-1part] ")"`.
        case messageEnd(MessagePart)
    }

    static func write(_ root: MessagePart, extended: Bool, to w: inout ResponseWriter) {
        var stack: [Step] = [.body(root)]
        while let step = stack.popLast() {
            switch step {
            case .body(let part):
                w.open()
                if part.isMultipart {
                    stack.append(.multipartEnd(part))
                    stack.append(contentsOf: part.parts.reversed().map { Step.body($0) })
                } else if part.contentType.isMultipart {
                    stack.append(.multipartEnd(part))
                    stack.append(.body(onlyChild(ofUnsplit: part)))
                } else if usesMessageForm(part, utf8Enabled: w.utf8Enabled) {
                    // body-type-msg: fields, envelope, then the body; the lines follow it.
                    mediaType(part, to: &w)
                    w.space()
                    bodyFields(part, to: &w)
                    w.space()
                    let message = part.message
                    EnvelopeEncoding.write(message?.envelope ?? Envelope(), to: &w)
                    w.space()
                    stack.append(.messageEnd(part))
                    stack.append(.body(message?.root ?? emptyBody(at: part.body.offset)))
                } else {
                    mediaType(part, to: &w)
                    w.space()
                    bodyFields(part, to: &w)
                    if part.contentType.type == "text" { w.atom(" \(part.bodyLineCount)") }
                    if extended { singlePartExtension(part, to: &w) }
                    w.close()
                }
            case .multipartEnd(let part):
                w.space()
                w.string(upper(part.contentType.subtype))
                if extended {
                    w.space()
                    parameters(part.contentType.parameters, to: &w)
                    commonExtension(part, to: &w)
                }
                w.close()
            case .messageEnd(let part):
                w.atom(" \(part.bodyLineCount)")
                if extended { singlePartExtension(part, to: &w) }
                w.close()
            }
        }
    }

    /// The text/plain part that stands for the body of a multipart that has no parts.
    private static func onlyChild(ofUnsplit part: MessagePart) -> MessagePart {
        MessagePart(
            header: part.header, body: part.body, contentType: .textPlain,
            contentTransferEncoding: part.contentTransferEncoding, bodyLineCount: part.bodyLineCount)
    }

    /// The empty text/plain body of an encapsulated message the parser could not open.
    private static func emptyBody(at offset: Int) -> MessagePart {
        MessagePart(header: ByteRange(offset: offset, length: 0), body: ByteRange(offset: offset, length: 0))
    }

    static func usesMessageForm(_ part: MessagePart, utf8Enabled: Bool) -> Bool {
        let type = part.contentType
        return type.type == "message" && (type.subtype == "rfc822" || (type.subtype == "global" && utf8Enabled))
    }

    /// `media-type SP media-subtype`, in capitals.
    private static func mediaType(_ part: MessagePart, to w: inout ResponseWriter) {
        w.string(upper(part.contentType.type))
        w.space()
        w.string(upper(part.contentType.subtype))
    }

    /// body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
    private static func bodyFields(_ part: MessagePart, to w: inout ResponseWriter) {
        var parameters = part.contentType.parameters
        if part.contentType.type == "text", part.contentType.charset == nil {
            parameters.append(Parameter(name: "charset", value: "us-ascii"))  // RFC 2046 §4.1.2
        }
        self.parameters(parameters, to: &w)
        w.space()
        w.nstring(part.contentID)
        w.space()
        w.nstring(part.contentDescription)
        w.space()
        w.string(upper(part.contentTransferEncoding))
        w.atom(" \(part.body.length)")
    }

    /// `SP body-fld-md5 SP body-fld-dsp SP body-fld-lang SP body-fld-loc`
    private static func singlePartExtension(_ part: MessagePart, to w: inout ResponseWriter) {
        w.space()
        w.nstring(part.contentMD5)
        commonExtension(part, to: &w)
    }

    /// `SP body-fld-dsp SP body-fld-lang SP body-fld-loc`, shared by both extension forms.
    private static func commonExtension(_ part: MessagePart, to w: inout ResponseWriter) {
        w.space()
        if let disposition = part.contentDisposition {
            w.open()
            w.string(upper(disposition.type))
            w.space()
            parameters(disposition.parameters, to: &w)
            w.close()
        } else {
            w.nilAtom()
        }
        w.space()
        w.list(part.contentLanguage ?? [], nilWhenEmpty: true) { w, tag in w.string(tag) }
        w.space()
        w.nstring(part.contentLocation)
    }

    /// body-fld-param: `("NAME" "value" …)` or NIL.
    private static func parameters(_ parameters: [Parameter], to w: inout ResponseWriter) {
        w.list(parameters, nilWhenEmpty: true) { w, parameter in
            if !w.utf8Enabled, parameter.value.utf8.contains(where: { $0 >= 0x80 }) {
                w.string(upper(parameter.name) + "*")
                w.space()
                w.string(rfc2231(parameter.value))
            } else {
                w.string(upper(parameter.name))
                w.space()
                w.string(parameter.value)
            }
        }
    }

    /// RFC 2231 §4 `extended-value = charset "'" [language] "'" extended-other-values`:
    /// every octet outside attribute-char as `%XX`.
    public static func rfc2231(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = Array("utf-8''".utf8)
        for byte in value.utf8 {
            // attribute-char: CHAR except SP, CTLs, "*", "'", "%" and tspecials.
            if byte > 0x20, byte < 0x7F, !Array("*'%()<>@,;:\\\"/[]?=".utf8).contains(byte) {
                out.append(byte)
            } else {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func upper(_ text: String) -> String { ByteClass.upperString(text.utf8) }
}
