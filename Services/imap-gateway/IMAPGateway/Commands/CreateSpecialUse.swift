import IMAPProtocol

/// CREATE with `(USE (…))`: a mailbox made with a special use. State: authenticated or
/// selected. RFC 6154 §3 (CREATE-SPECIAL-USE), RFC 4466 §2.2 (create-params).
///
/// ```
/// C: t1 CREATE MySpecial (USE (\Sent))
/// S: t1 OK [MAILBOXID (F5b2ea2ab6a3f16e2f8c3cf2c)] CREATE completed
/// C: t2 CREATE Other (USE (\Sent))
/// S: t2 NO [USEATTR] Another mailbox already has this special use
/// ```
extension IMAPSession {
    /// The uses a CREATE may give. `\All` and `\Flagged` name virtual mailboxes (RFC 6154 §2)
    /// that this store does not make, so asking for them is `NO [USEATTR]`, as is any
    /// attribute RFC 6154 does not define.
    static let creatableSpecialUses = ["Archive", "Drafts", "Junk", "Sent", "Trash"]

    func create(_ name: MailboxName, uses: [String]) async throws -> Completion {
        // An empty USE list is a plain CREATE.
        guard !uses.isEmpty else { return try await create(name) }
        // RFC 6154 §3: one use per mailbox here (the store keeps one); more is USEATTR, and so
        // is an attribute not supported. Attribute names are case-insensitive (RFC 9051 §9 flag).
        guard uses.count == 1, let asked = uses.first,
            let use = Self.creatableSpecialUses.first(where: { "\\" + $0.lowercased() == asked.lowercased() })
        else {
            return .no("Special use not supported", .useAttr)
        }
        return try await create(name, specialUse: use)
    }
}
