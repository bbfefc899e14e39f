import IMAPProtocol
import StoreAPI

/// CATENATE: an APPEND whose message is put together from literal text and IMAP URLs
/// (RFC 5092) of messages or parts in this user's mailboxes. RFC 4469.
///
/// ```
/// C: A003 APPEND Drafts (\Seen \Draft $MDNSent) CATENATE (URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER"
///    TEXT {42}
/// S: + Ready for literal data
/// C: …42 octets… URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME")
/// S: A003 OK [APPENDUID 385759045 45] APPEND completed
/// ```
/// The gateway reads each URL's octets from the store (the message, then its section and
/// partial) and hands the assembled messages to the store's batch append with the rest of a
/// MULTIAPPEND (RFC 4469 §5: CATENATE works with MULTIAPPEND, all or none). A URL that is not
/// an IMAP URL of one message, names another user or server, carries URLAUTH (not offered:
/// RFC 4467), or names nothing is `NO [BADURL url]` (RFC 4469 §3); a message over APPENDLIMIT
/// once assembled is `NO [TOOBIG]` (RFC 4469 §3, RFC 7889).
extension IMAPSession {
    /// How many parts one CATENATE may have: each URL is a store read.
    static let maxCatenateParts = 100

    /// The messages with their CATENATE parts assembled, or the completion that refuses them.
    func assembleCatenate(_ messages: [AppendMessage], into target: MailboxName, account: String) async throws -> Result<
        [AppendMessage], Completion
    > {
        var assembled: [AppendMessage] = []
        var total = 0
        for var message in messages {
            guard let parts = message.catenate else {
                total += message.message.count
                assembled.append(message)
                continue
            }
            guard parts.count <= Self.maxCatenateParts else {
                return .failure(.no("At most \(Self.maxCatenateParts) parts in one CATENATE", .limit))
            }
            var bytes: [UInt8] = []
            for part in parts {
                switch part {
                case .text(let data, _): bytes += data
                case .url(let url):
                    guard let data = try await catenateURL(url, target: target, account: account) else {
                        return .failure(.no("Bad URL", .badURL(url)))
                    }
                    bytes += data
                }
                // RFC 4469 §3: TOOBIG once the message outgrows the limit, before reading more.
                guard total + bytes.count <= settings.maxMessageSize else { return .failure(.no("Message too large", .tooBig)) }
            }
            total += bytes.count
            message.message = bytes
            message.catenate = nil
            message.binary = message.binary || bytes.contains(0)
            assembled.append(message)
        }
        return .success(assembled)
    }

    /// The octets a CATENATE URL names, nil when it names nothing this session may read.
    /// RFC 4469 §3, RFC 5092 §5–§7.
    private func catenateURL(_ text: String, target: MailboxName, account: String) async throws -> [UInt8]? {
        guard let url = IMAPURL(text), !url.hasURLAuth, let uid = url.uid else { return nil }
        if url.hasServer {
            // This user's mail on this server only: no URLAUTH, no other accounts.
            if let user = url.user, user.lowercased() != account.lowercased() { return nil }
            guard let host = url.host, Self.ownHosts(settings.hostname).contains(host) else { return nil }
        } else if url.user != nil {
            return nil
        }
        let name = url.mailbox.map { MailboxName($0) } ?? target
        guard let box = try await mailbox(named: name) else { return nil }
        if let validity = url.uidValidity, validity != box.uidValidity { return nil }
        var spec: SectionSpec?
        if let section = url.section {
            // The section grammar is FETCH's (RFC 5092 §5: enc-section is a section-text).
            guard case .success(let command) = IMAPCommandParser().parse("x FETCH 1 BODY.PEEK[\(section)]"),
                case .fetch(_, let attributes, _, _) = command.kind, case .section(let parsed, nil, true)? = attributes.first
            else { return nil }
            spec = parsed
        }
        let need = ReadNeed(parse: true, header: true, body: true)
        let request = MessageBatchRequest(uids: "\(uid)", content: .whole, parse: true, maxBytes: settings.maxMessageSize)
        let page = try await store.contentPage(account, mailbox: box.id, request, need: need)
        guard let (_, content) = page.messages.first(where: { $0.summary.uid == uid }) else { return nil }
        var data: [UInt8]
        if let spec {
            guard let section = FetchResponseBuilder.section(spec, content) else { return nil }
            data = section
        } else {
            data = content.bytes
        }
        if let offset = url.partialOffset {
            data = SectionLocator.partial(data, .init(offset: offset, length: url.partialLength ?? UInt32.max))
        }
        return data
    }

    /// The host names a URL may give for this server.
    static func ownHosts(_ hostname: String) -> Set<String> {
        [hostname.lowercased(), "localhost", "127.0.0.1", "[::1]"]
    }
}
