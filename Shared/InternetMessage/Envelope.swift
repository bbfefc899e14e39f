/// The IMAP ENVELOPE of a message (RFC 3501 §7.4.2), computed once at delivery.
///
/// ```
/// S: * 1 FETCH (ENVELOPE ("Mon, 7 Feb 1994 21:52:25 -0800" "afternoon meeting"
///    (("Fred Foobar" NIL "foobar" "Blurdybloop.COM")) ... NIL "<B27397-0100000@Blurdybloop.COM>"))
/// ```
/// Strings are the raw unfolded field values (clients decode RFC 2047 themselves);
/// nil means the field is absent. Each member comes from the first field of its name.
public struct Envelope: Codable, Sendable, Hashable {
    public var date: String?
    public var subject: String?
    public var from: [Address]
    public var sender: [Address]
    public var replyTo: [Address]
    public var to: [Address]
    public var cc: [Address]
    public var bcc: [Address]
    public var inReplyTo: String?
    public var messageID: String?

    public init(
        date: String? = nil, subject: String? = nil, from: [Address] = [], sender: [Address] = [],
        replyTo: [Address] = [], to: [Address] = [], cc: [Address] = [], bcc: [Address] = [],
        inReplyTo: String? = nil, messageID: String? = nil
    ) {
        self.date = date
        self.subject = subject
        self.from = from
        self.sender = sender
        self.replyTo = replyTo
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.inReplyTo = inReplyTo
        self.messageID = messageID
    }

    /// The envelope of a header.
    public init(fields: [HeaderField]) {
        func value(_ name: String) -> String? { fields.first(named: name)?.rawValue }
        func addresses(_ name: String) -> [Address] { value(name).map(AddressParser.parseList) ?? [] }
        self.init(
            date: value("Date"), subject: value("Subject"), from: addresses("From"),
            sender: addresses("Sender"), replyTo: addresses("Reply-To"), to: addresses("To"),
            cc: addresses("Cc"), bcc: addresses("Bcc"), inReplyTo: value("In-Reply-To"),
            messageID: value("Message-ID"))
        // RFC 3501 §7.4.2: an absent or empty Sender or Reply-To takes the From value.
        if sender.isEmpty { sender = from }
        if replyTo.isEmpty { replyTo = from }
    }

    private enum CodingKeys: String, CodingKey {
        case date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageID
    }

    // Empty lists are left out of the stored JSON.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        date = try c.decodeIfPresent(String.self, forKey: .date)
        subject = try c.decodeIfPresent(String.self, forKey: .subject)
        from = try c.decodeIfPresent([Address].self, forKey: .from) ?? []
        sender = try c.decodeIfPresent([Address].self, forKey: .sender) ?? []
        replyTo = try c.decodeIfPresent([Address].self, forKey: .replyTo) ?? []
        to = try c.decodeIfPresent([Address].self, forKey: .to) ?? []
        cc = try c.decodeIfPresent([Address].self, forKey: .cc) ?? []
        bcc = try c.decodeIfPresent([Address].self, forKey: .bcc) ?? []
        inReplyTo = try c.decodeIfPresent(String.self, forKey: .inReplyTo)
        messageID = try c.decodeIfPresent(String.self, forKey: .messageID)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(date, forKey: .date)
        try c.encodeIfPresent(subject, forKey: .subject)
        for (list, key) in [(from, CodingKeys.from), (sender, .sender), (replyTo, .replyTo), (to, .to), (cc, .cc), (bcc, .bcc)]
        where !list.isEmpty {
            try c.encode(list, forKey: key)
        }
        try c.encodeIfPresent(inReplyTo, forKey: .inReplyTo)
        try c.encodeIfPresent(messageID, forKey: .messageID)
    }
}
