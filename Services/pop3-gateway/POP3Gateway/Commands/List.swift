import POP3Protocol

/// LIST (RFC 1939 §5) and UIDL (RFC 1939 §7), in TRANSACTION.
///
///     C: LIST
///     S: +OK 2 messages
///     S: 1 120
///     S: 2 200
///     S: .
extension POP3Session {
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
}
