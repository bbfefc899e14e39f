import POP3Protocol

/// TRANSACTION state (RFC 1939 §5, RFC 2449 TOP/UIDL) and UPDATE (§6).
///
///     C: LIST
///     S: +OK 2 messages
///     S: 1 120
///     S: 2 200
///     S: .
extension POP3Session {
    /// The message with number `n`, or the response refusing it: out of range or marked
    /// deleted (RFC 1939 §5: "may not refer to a message marked as deleted").
    func message(_ n: Int) -> Refusable<MaildropEntry> {
        guard n >= 1, n <= messages.count else { return .refused(.noSuchMessage) }
        guard !deleted.contains(n) else { return .refused(.messageDeleted) }
        return .found(messages[n - 1])
    }

    var live: [(number: Int, entry: MaildropEntry)] {
        messages.enumerated().filter { !deleted.contains($0.offset + 1) }.map { ($0.offset + 1, $0.element) }
    }

    mutating func stat() -> [SessionAction] {
        let list = live
        return [.reply(.dropListing(count: list.count, octets: list.reduce(0) { $0 + $1.entry.size }))]
    }

    mutating func list(_ n: Int?) -> [SessionAction] {
        if let n {
            switch message(n) {
            case .refused(let error): return refuse(error)
            case .found(let entry): return [.reply(.scanListing(n, octets: entry.size))]
            }
        }
        let list = live
        let lines = list.map { "\($0.number) \($0.entry.size)" }
        return [.raw(POP3Response.ok("\(list.count) messages").encoded + MultilineEncoder.encode(lines: lines))]
    }

    mutating func uidl(_ n: Int?) -> [SessionAction] {
        if let n {
            switch message(n) {
            case .refused(let error): return refuse(error)
            case .found(let entry): return [.reply(.uniqueIDListing(n, UniqueID.make(uidValidity: uidValidity, uid: entry.uid)))]
            }
        }
        let lines = live.map { "\($0.number) \(UniqueID.make(uidValidity: uidValidity, uid: $0.entry.uid))" }
        return [.raw(POP3Response.ok().encoded + MultilineEncoder.encode(lines: lines))]
    }

    mutating func retrieve(_ n: Int, lines: Int?) -> [SessionAction] {
        switch message(n) {
        case .refused(let error):
            return refuse(error)
        case .found(let entry):
            pending = .message
            return [.sendMessage(uid: entry.uid, size: entry.size, lines: lines)]
        }
    }

    mutating func finishMessage(_ answer: StoreAnswer) -> [SessionAction] {
        switch answer {
        case .sent: return []
        case .notSent: return [.reply(.tempFailure)]
        default:
            // Part of the message went out and the rest cannot follow: the only honest
            // thing left is to hang up (deleting nothing).
            phase = .closed
            return [.close]
        }
    }

    mutating func dele(_ n: Int) -> [SessionAction] {
        switch message(n) {
        case .refused(let error): return refuse(error)
        case .found:
            deleted.insert(n)
            return [.reply(.ok("Message \(n) deleted"))]
        }
    }

    mutating func rset() -> [SessionAction] {
        deleted = []
        return [.reply(.ok("Maildrop has \(messages.count) messages"))]
    }

    /// QUIT from TRANSACTION enters UPDATE: the marked messages are removed, then goodbye.
    mutating func quitTransaction() -> [SessionAction] {
        let uids = deleted.sorted().map { messages[$0 - 1].uid }
        guard !uids.isEmpty else {
            phase = .closed
            return [.reply(.goodbye), .close]
        }
        pending = .update
        return [.expunge(uids: uids)]
    }

    mutating func finishUpdate(_ answer: StoreAnswer) -> [SessionAction] {
        phase = .closed
        if answer == .expunged { return [.reply(.goodbye), .close] }
        // RFC 1939 §6: "-ERR some deleted messages not removed".
        return [.reply(.updateFailed), .close]
    }
}

/// A message looked up by number, or the response that refuses the command.
enum Refusable<Value> {
    case found(Value)
    case refused(POP3Response)
}
