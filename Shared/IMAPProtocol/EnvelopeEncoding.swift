import InternetMessage

/// The ENVELOPE structure of a message. RFC 9051 §7.5.2, RFC 3501 §7.4.2.
///
/// ```
/// envelope        = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP
///                   env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
/// env-date        = nstring          env-subject     = nstring
/// env-from        = "(" 1*address ")" / nil            (likewise sender, reply-to, to, cc, bcc)
/// env-in-reply-to = nstring          env-message-id  = nstring
/// address         = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
/// ```
/// ```
/// S: * 12 FETCH (ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary"
///    (("Terry Gray" NIL "gray" "cac.washington.edu")) … NIL "<B27397-0100000@cac.washington.edu>"))
/// ```
/// Strings are the header's raw text: an encoded-word subject is sent encoded, for the
/// client to decode (RFC 3501 §7.4.2). Groups (RFC 5322 §3.4) are a start marker
/// `(NIL NIL "team" NIL)`, the members, and an end marker `(NIL NIL NIL NIL)` — `Address`
/// already holds them in that form.
public enum EnvelopeEncoding {
    /// The parenthesized envelope.
    public static func encode(_ envelope: Envelope, utf8Enabled: Bool = false) -> [UInt8] {
        var w = ResponseWriter(utf8Enabled: utf8Enabled)
        write(envelope, to: &w)
        return w.bytes
    }

    static func write(_ envelope: Envelope, to w: inout ResponseWriter) {
        // RFC 3501 §7.4.2: an absent or empty Sender or Reply-To takes the From value.
        // `Envelope(fields:)` already does this; doing it here too covers envelopes built
        // otherwise (older stored JSON, tests).
        let sender = envelope.sender.isEmpty ? envelope.from : envelope.sender
        let replyTo = envelope.replyTo.isEmpty ? envelope.from : envelope.replyTo
        w.open()
        w.nstring(envelope.date)
        w.space()
        w.nstring(envelope.subject)
        for list in [envelope.from, sender, replyTo, envelope.to, envelope.cc, envelope.bcc] {
            w.space()
            addresses(list, to: &w)
        }
        w.space()
        w.nstring(envelope.inReplyTo)
        w.space()
        w.nstring(envelope.messageID)
        w.close()
    }

    /// `"(" 1*address ")" / nil` — addresses follow each other with no space between.
    static func addresses(_ list: [Address], to w: inout ResponseWriter) {
        guard !list.isEmpty else { return w.nilAtom() }
        w.open()
        for address in list {
            w.open()
            w.nstring(address.name)
            w.space()
            w.nstring(address.adl)
            w.space()
            w.nstring(address.mailbox)
            w.space()
            w.nstring(address.host)
            w.close()
        }
        w.close()
    }
}
