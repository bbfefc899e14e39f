/// The QUOTA extension's commands (RFC 9208 §4.1), one `IMAPCommand.Kind.quota` case.
///
/// ```
/// C: a1 GETQUOTAROOT INBOX
/// S: * QUOTAROOT INBOX ""
/// S: * QUOTA "" (STORAGE 10 512 MESSAGE 3 1000)
/// S: a1 OK GETQUOTAROOT completed
/// C: a2 SETQUOTA "" (STORAGE 512)
/// S: a2 NO [NOPERM] Quotas are set by the administrator
/// ```
public enum QuotaCommand: Sendable, Hashable {
    /// getquota = "GETQUOTA" SP quota-root-name. RFC 9208 §4.1.1
    case get(root: String)
    /// getquotaroot = "GETQUOTAROOT" SP mailbox. RFC 9208 §4.1.2
    case getRoot(MailboxName)
    /// setquota = "SETQUOTA" SP quota-root-name SP setquota-list. RFC 9208 §4.1.3
    case set(root: String, [QuotaLimit])

    /// The command's name.
    public var name: String {
        switch self {
        case .get: "GETQUOTA"
        case .getRoot: "GETQUOTAROOT"
        case .set: "SETQUOTA"
        }
    }
}

/// setquota-resource = resource-name SP resource-limit. RFC 9208 §4.1.3
public struct QuotaLimit: Sendable, Hashable {
    /// Upper-cased: `STORAGE`, `MESSAGE`, `MAILBOX`, `ANNOTATION-STORAGE` or an extension's.
    public var resource: String
    /// resource-limit = number64
    public var limit: UInt64
    public init(_ resource: String, _ limit: UInt64) {
        self.resource = resource
        self.limit = limit
    }
}

/// quota-resource = resource-name SP resource-usage SP resource-limit. RFC 9208 §4.2.1
/// STORAGE counts units of 1024 octets (§5.1), MESSAGE messages (§5.2).
public struct QuotaResource: Sendable, Hashable {
    public var name: String
    public var usage: UInt64
    public var limit: UInt64
    public init(_ name: String, usage: UInt64, limit: UInt64) {
        self.name = name
        self.usage = usage
        self.limit = limit
    }
}

/// The QUOTA extension's responses, one `IMAPResponse.quota` case.
public enum QuotaResponse: Sendable, Hashable {
    /// quota-response = "QUOTA" SP quota-root-name SP quota-list;
    /// quota-list = "(" quota-resource *(SP quota-resource) ")". RFC 9208 §4.2.1, §7
    ///
    ///     S: * QUOTA "" (STORAGE 10 512)
    case quota(root: String, [QuotaResource])
    /// quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name). RFC 9208 §4.2.2
    ///
    ///     S: * QUOTAROOT INBOX ""
    case quotaRoot(MailboxName, roots: [String])
}

extension QuotaResponse {
    func encode(_ w: inout ResponseWriter, utf8Enabled: Bool) {
        switch self {
        case .quota(let root, let resources):
            w.atom("* QUOTA ")
            w.raw(IMAPString.astring(Array(root.utf8)))
            w.space()
            w.list(resources) { w, r in w.atom("\(r.name) \(r.usage) \(r.limit)") }
        case .quotaRoot(let mailbox, let roots):
            w.atom("* QUOTAROOT ")
            w.raw(mailbox.encoded(utf8Enabled: utf8Enabled))
            for root in roots {
                w.space()
                w.raw(IMAPString.astring(Array(root.utf8)))
            }
        }
    }
}
