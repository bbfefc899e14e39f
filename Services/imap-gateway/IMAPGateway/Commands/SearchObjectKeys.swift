import IMAPProtocol
import InternetMessage
import MessageSearch
import StoreAPI

/// The SEARCH keys of OBJECTID (EMAILID, THREADID: RFC 8474 §6) and SAVEDATE (SAVEDBEFORE,
/// SAVEDON, SAVEDSINCE, SAVEDATESUPPORTED: RFC 8514 §5), settled in the session: they become
/// the UIDs they match, read from the store's object listing, before the query goes to the
/// store (whose `MessageQuery` knows messages by content, not by these ids). Save dates
/// compare by UTC day, as BEFORE/ON/SINCE compare internal dates (`SearchDates`); every
/// mailbox here keeps save dates, so SAVEDATESUPPORTED matches every message.
///
/// The keys are settled once, when the command runs: a SEARCH with CONTEXT UPDATE (RFC 5267)
/// keeps the UIDs they matched then.
extension IMAPSession {
    func resolvingObjectKeys(_ key: SearchKey) async throws -> SearchKey {
        guard Self.mentionsObjectKeys(key), let account, let view else { return key }
        let objects = try await messageObjects(account, view.mailbox.id, uids: "1:*")
        return Self.resolve(key, Array(objects.values))
    }

    static func mentionsObjectKeys(_ key: SearchKey) -> Bool {
        switch key {
        case .emailID, .threadID, .savedBefore, .savedOn, .savedSince: return true
        case .not(let inner): return mentionsObjectKeys(inner)
        case .or(let a, let b): return mentionsObjectKeys(a) || mentionsObjectKeys(b)
        case .and(let keys): return keys.contains(where: mentionsObjectKeys)
        default: return false
        }
    }

    static func resolve(_ key: SearchKey, _ objects: [MessageObjects]) -> SearchKey {
        func matching(_ predicate: (MessageObjects) -> Bool) -> SearchKey {
            let uids = objects.filter(predicate).map(\.uid).sorted()
            guard !uids.isEmpty else { return .not(.all) }
            var ranges: [SequenceSet.SequenceRange] = []
            var start = uids[0], last = uids[0]
            for uid in uids.dropFirst() {
                if uid == last + 1 {
                    last = uid
                    continue
                }
                ranges.append(.init(start...last))
                (start, last) = (uid, uid)
            }
            ranges.append(.init(start...last))
            return .uid(.ranges(ranges))
        }
        func day(_ date: IMAPDate) -> Int { MessageDate.daysSince1970(year: date.year, month: date.month, day: date.day) }
        switch key {
        case .emailID(let id): return matching { $0.emailID == id }
        case .threadID(let id): return matching { $0.threadID == id }
        case .savedBefore(let date): return matching { SearchDates.utcDay($0.saveDate) < day(date) }
        case .savedOn(let date): return matching { SearchDates.utcDay($0.saveDate) == day(date) }
        case .savedSince(let date): return matching { SearchDates.utcDay($0.saveDate) >= day(date) }
        case .saveDateSupported: return .all
        case .not(let inner): return .not(resolve(inner, objects))
        case .or(let a, let b): return .or(resolve(a, objects), resolve(b, objects))
        case .and(let keys): return .and(keys.map { resolve($0, objects) })
        default: return key
        }
    }
}
