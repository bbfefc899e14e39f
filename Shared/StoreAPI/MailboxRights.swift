/// The rights one identifier has on a mailbox (RFC 4314 §2.1), a set of the eleven letters
/// `lrswipkxtea`, written in that order.
///
/// ```
/// l lookup (LIST shows it)          r read (SELECT, FETCH, SEARCH, COPY from)
/// s keep \Seen                      w write other flags and keywords
/// i insert (APPEND, COPY into)      p post (no SMTP submission to mailboxes here)
/// k create mailboxes below it       x delete the mailbox
/// t set or clear \Deleted           e expunge
/// a administer (SETACL, GETACL, DELETEACL, LISTRIGHTS)
/// ```
///
/// The obsolete `c` and `d` of RFC 2086 are read as RFC 4314 §2.1.1 says: `c` is `k`, `d` is
/// `x`, `t` and `e` together (RIGHTS=texk).
public struct MailboxRights: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The letters in RFC 4314 order; each one's bit is its index.
    public static let letters: [Character] = ["l", "r", "s", "w", "i", "p", "k", "x", "t", "e", "a"]

    public static let lookup = Self(rawValue: 1 << 0)
    public static let read = Self(rawValue: 1 << 1)
    public static let seen = Self(rawValue: 1 << 2)
    public static let write = Self(rawValue: 1 << 3)
    public static let insert = Self(rawValue: 1 << 4)
    public static let post = Self(rawValue: 1 << 5)
    public static let createMailbox = Self(rawValue: 1 << 6)
    public static let deleteMailbox = Self(rawValue: 1 << 7)
    public static let deleteMessage = Self(rawValue: 1 << 8)
    public static let expunge = Self(rawValue: 1 << 9)
    public static let administer = Self(rawValue: 1 << 10)

    /// Every right: what the owner of a mailbox has (RFC 4314 §2.1, implicitly here).
    public static let all = Self(rawValue: (1 << 11) - 1)

    /// Parses a rights string (RFC 4314 §3.1 `rights = astring`, after any `+`/`-`): each known
    /// letter once or more, `c` and `d` as §2.1.1 maps them; nil for any other character
    /// (RFC 4314 §3.1: an unknown right is an error, `BAD`).
    public init?(_ text: some StringProtocol) {
        var rights = Self()
        for character in text {
            switch character {
            case "c": rights.insert(.createMailbox)
            case "d": rights.formUnion([.deleteMailbox, .deleteMessage, .expunge])
            default:
                guard let index = Self.letters.firstIndex(of: character) else { return nil }
                rights.insert(Self(rawValue: 1 << index))
            }
        }
        self = rights
    }

    /// The letters held, in RFC 4314 order: `lrswipkxtea`.
    public var description: String {
        String(Self.letters.enumerated().filter { contains(Self(rawValue: 1 << $0.offset)) }.map(\.element))
    }
}

/// What a SETACL asks for (RFC 4314 §3.1): rights given with a leading `+` are added, with `-`
/// removed, otherwise they replace what the identifier had.
public enum RightsModification: String, Codable, Sendable {
    case replace
    case add
    case remove
}

/// `PUT /v1/accounts/{account}/mailboxes/{id}/acl`: one identifier's rights.
///
/// `identifier` is an account address of the owner's domain or `anyone` (every account of that
/// domain); `rights` the letters, without a `+`/`-`, which `modification` says instead.
public struct SetACLRequest: Codable, Sendable {
    public var identifier: String
    public var rights: String
    public var modification: RightsModification?
    public init(identifier: String, rights: String, modification: RightsModification? = nil) {
        self.identifier = identifier
        self.rights = rights
        self.modification = modification
    }
}

/// One entry of a mailbox's access control list.
public struct ACLEntry: Codable, Sendable, Hashable {
    public var identifier: String
    public var rights: String
    public init(identifier: String, rights: String) {
        self.identifier = identifier
        self.rights = rights
    }
}

/// `GET …/mailboxes/{id}/acl`: the owner first (all rights, implicitly), then every grant by
/// identifier.
public struct ACLList: Codable, Sendable {
    public var owner: String
    public var entries: [ACLEntry]
    public init(owner: String, entries: [ACLEntry]) {
        self.owner = owner
        self.entries = entries
    }
}

/// `GET …/mailboxes/{id}/myrights`: what the account asking may do, and whose the mailbox is.
public struct MyRights: Codable, Sendable {
    public var owner: String
    public var rights: String
    public init(owner: String, rights: String) {
        self.owner = owner
        self.rights = rights
    }
}

/// A mailbox of another account that the account asking may see (`l`): its owner, the
/// rights held, and the mailbox as its owner names it.
public struct SharedMailbox: Codable, Sendable {
    public var owner: String
    public var rights: String
    public var mailbox: MailboxInfo
    public init(owner: String, rights: String, mailbox: MailboxInfo) {
        self.owner = owner
        self.rights = rights
        self.mailbox = mailbox
    }
}

/// `GET /v1/accounts/{account}/shared-mailboxes`.
public struct SharedMailboxList: Codable, Sendable {
    public var mailboxes: [SharedMailbox]
    public init(mailboxes: [SharedMailbox]) { self.mailboxes = mailboxes }
}
