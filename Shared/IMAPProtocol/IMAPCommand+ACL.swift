import LineFraming

/// The access control commands of RFC 4314 §3: their values, parser and encoder.
///
/// ```
/// C: a1 SETACL INBOX/Drafts bob@example.org +lrs
/// C: a2 DELETEACL INBOX/Drafts anyone
/// C: a3 GETACL INBOX
/// C: a4 LISTRIGHTS ~/Mail/saved smith
/// C: a5 MYRIGHTS INBOX
/// ```
/// ```
/// setacl     = "SETACL" SP mailbox SP identifier SP mod-rights
/// deleteacl  = "DELETEACL" SP mailbox SP identifier
/// getacl     = "GETACL" SP mailbox
/// listrights = "LISTRIGHTS" SP mailbox SP identifier
/// myrights   = "MYRIGHTS" SP mailbox
/// identifier = astring
/// mod-rights = astring    ; +rights to add, -rights to remove, rights to replace
/// ```
/// The rights are kept as sent (after the sign): which letters are known is the session's
/// check (RFC 4314 §3.1: an unknown right is `BAD`), as the grammar takes any astring.
public enum ACLCommand: Sendable, Hashable {
    case setACL(MailboxName, identifier: String, rights: String, modification: RightsSign)
    case deleteACL(MailboxName, identifier: String)
    case getACL(MailboxName)
    case listRights(MailboxName, identifier: String)
    case myRights(MailboxName)

    /// What the sign before SETACL's rights says. RFC 4314 §3.1
    public enum RightsSign: Sendable, Hashable {
        case replace, add, remove
    }

    public var name: String {
        switch self {
        case .setACL: "SETACL"
        case .deleteACL: "DELETEACL"
        case .getACL: "GETACL"
        case .listRights: "LISTRIGHTS"
        case .myRights: "MYRIGHTS"
        }
    }

    public var mailbox: MailboxName {
        switch self {
        case .setACL(let name, _, _, _), .deleteACL(let name, _), .getACL(let name), .listRights(let name, _), .myRights(let name): name
        }
    }

    func encoded(utf8Enabled: Bool, style: IMAPLiteralStyle) -> [UInt8] {
        var out = Array(name.utf8) + [ByteClass.space] + mailbox.encoded(utf8Enabled: utf8Enabled, style: style)
        func astring(_ text: String) { out += [ByteClass.space] + IMAPString.astring(Array(text.utf8), style: style) }
        switch self {
        case .setACL(_, let identifier, let rights, let sign):
            astring(identifier)
            astring((sign == .add ? "+" : sign == .remove ? "-" : "") + rights)
        case .deleteACL(_, let identifier), .listRights(_, let identifier):
            astring(identifier)
        case .getACL, .myRights:
            break
        }
        return out
    }
}

extension IMAPCommandParser {
    func aclCommand(_ name: String, _ c: inout IMAPCursor) throws(IMAPSyntaxError) -> ACLCommand {
        let mailbox = try mailboxArgument(&c)
        switch name {
        case "GETACL": return .getACL(mailbox)
        case "MYRIGHTS": return .myRights(mailbox)
        default: break
        }
        try c.space()
        let identifier = try c.utf8(c.astring())
        switch name {
        case "DELETEACL": return .deleteACL(mailbox, identifier: identifier)
        case "LISTRIGHTS": return .listRights(mailbox, identifier: identifier)
        default: break
        }
        try c.space()
        var rights = Substring(try c.utf8(c.astring()))
        var sign = ACLCommand.RightsSign.replace
        if rights.first == "+" {
            sign = .add
            rights.removeFirst()
        } else if rights.first == "-" {
            sign = .remove
            rights.removeFirst()
        }
        return .setACL(mailbox, identifier: identifier, rights: String(rights), modification: sign)
    }
}
