/// A mailbox's messages in columns — UIDs, MODSEQs, sizes, internal dates, and flags as an index
/// into a table of the distinct flag sets — rather than one object per message: what an IMAP
/// gateway keeps for an open mailbox, enough to answer `FETCH (UID FLAGS RFC822.SIZE
/// INTERNALDATE)` without asking the store. 100,000 messages take ~3 MB here instead of ~10 MB
/// of `MessageSummary` values with their arrays of strings, and copying the columns is one
/// reference until one side changes them (copy-on-write).
public struct MessageColumns: Sendable, Equatable {
    /// Ascending.
    public private(set) var uids: [UInt32] = []
    public private(set) var modSeqs: [UInt64] = []
    /// Index into `flagTable` of each message's flags.
    public private(set) var flagSets: [UInt32] = []
    /// RFC822.SIZE, or `unknownSize` for a message the change feed added (the feed carries
    /// UIDs and flags, not sizes).
    public private(set) var sizes: [UInt32] = []
    /// INTERNALDATE in seconds since 1970, or NaN where the size is unknown.
    public private(set) var internalDates: [Double] = []
    public static let unknownSize = UInt32.max
    /// The distinct flag sets seen, each kept once; only ever appended to, so an index stays valid.
    public private(set) var flagTable: [[String]] = [[]]
    private var flagIndex: [[String]: UInt32] = [[]: 0]

    public init() {}

    public var count: Int { uids.count }
    public var largestUID: UInt32 { uids.last ?? 0 }
    public var highestModSeq: UInt64 { modSeqs.max() ?? 0 }

    /// The position of `uid`, by binary search.
    public func index(of uid: UInt32) -> Int? {
        var low = 0, high = uids.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if uids[mid] == uid { return mid }
            if uids[mid] < uid { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    public func flags(at index: Int) -> [String] { flagTable[Int(flagSets[index])] }

    /// Size and internal date, when known (not for a message the change feed added).
    public func sizeAndDate(at index: Int) -> (size: Int, internalDate: Double)? {
        sizes[index] == Self.unknownSize ? nil : (Int(sizes[index]), internalDates[index])
    }

    /// The table index of a flag set, adding it when new.
    public mutating func intern(_ flags: [String]) -> UInt32 {
        if let known = flagIndex[flags] { return known }
        let id = UInt32(flagTable.count)
        flagTable.append(flags)
        flagIndex[flags] = id
        return id
    }

    /// Adds a message whose UID is above every one held (a listing, read in UID order).
    public mutating func append(uid: UInt32, modSeq: UInt64, flags: [String], size: Int? = nil, internalDate: Double = .nan) {
        precondition(uid > largestUID, "listing out of UID order")
        let id = intern(flags)
        uids.append(uid)
        modSeqs.append(modSeq)
        flagSets.append(id)
        sizes.append(Self.sizeColumn(size))
        internalDates.append(internalDate)
    }

    /// Inserts or updates one message (a size and date already held are kept).
    public mutating func upsert(uid: UInt32, modSeq: UInt64, flags: [String]) {
        let id = intern(flags)
        if let at = index(of: uid) {
            flagSets[at] = id
            modSeqs[at] = max(modSeqs[at], modSeq)
            return
        }
        let at = uids.last.map { $0 < uid } == true ? uids.count : (uids.firstIndex { $0 > uid } ?? uids.count)
        uids.insert(uid, at: at)
        modSeqs.insert(modSeq, at: at)
        flagSets.insert(id, at: at)
        sizes.insert(Self.unknownSize, at: at)
        internalDates.insert(.nan, at: at)
    }

    /// Sizes of 4 GiB and more (never stored: the store's limits are far below) count as unknown.
    private static func sizeColumn(_ size: Int?) -> UInt32 {
        guard let size, size >= 0, size < Int(unknownSize) else { return unknownSize }
        return UInt32(size)
    }

    /// Sets the flags of a message held; false when it is not.
    @discardableResult
    public mutating func setFlags(uid: UInt32, modSeq: UInt64, flags: [String]) -> Bool {
        guard let at = index(of: uid) else { return false }
        flagSets[at] = intern(flags)
        modSeqs[at] = max(modSeqs[at], modSeq)
        return true
    }

    public mutating func remove(uid: UInt32) {
        guard let at = index(of: uid) else { return }
        uids.remove(at: at)
        modSeqs.remove(at: at)
        flagSets.remove(at: at)
        sizes.remove(at: at)
        internalDates.remove(at: at)
    }

    /// Appends every message of `other`, whose UIDs are all above this one's (the next part
    /// of a listing read in parts); its flag sets are interned once each, not per message.
    public mutating func append(contentsOf other: MessageColumns) {
        precondition(other.uids.first.map { $0 > largestUID } ?? true, "listing parts out of UID order")
        let ids = other.flagTable.map { intern($0) }
        uids += other.uids
        modSeqs += other.modSeqs
        flagSets += other.flagSets.map { ids[Int($0)] }
        sizes += other.sizes
        internalDates += other.internalDates
    }

    public static func == (a: Self, b: Self) -> Bool {
        // Dates compared by their bits: NaN (unknown) equals NaN here.
        guard a.uids == b.uids, a.modSeqs == b.modSeqs, a.sizes == b.sizes,
            a.internalDates.map(\.bitPattern) == b.internalDates.map(\.bitPattern)
        else { return false }
        return a.uids.indices.allSatisfy { a.flags(at: $0) == b.flags(at: $0) }
    }
}

extension MessageListText {
    /// Appends a text listing's lines to `columns` without making a `MessageSummary` (or a
    /// `String` per field) for each: a first SELECT of 100,000 messages reads them this way.
    /// Returns false when a line is not in the format or out of UID order.
    public static func decode(_ bytes: [UInt8], into columns: inout MessageColumns) -> Bool {
        var flags: [String] = []
        return bytes.withUnsafeBufferPointer { buffer -> Bool in
            var start = 0
            let end = buffer.count
            while start < end {
                var lineEnd = start
                while lineEnd < end && buffer[lineEnd] != 0x0A { lineEnd += 1 }
                defer { start = lineEnd + 1 }
                guard lineEnd > start else { continue }
                // Fields: UID, size, internal date, MODSEQ, content id, flags…
                var field = 0
                var uid: UInt32 = 0
                var modSeq: UInt64 = 0
                var size = 0
                var date = 0.0
                var at = start
                flags.removeAll(keepingCapacity: true)
                while at < lineEnd {
                    var fieldEnd = at
                    while fieldEnd < lineEnd && buffer[fieldEnd] != 0x20 { fieldEnd += 1 }
                    let slice = UnsafeBufferPointer(rebasing: buffer[at..<fieldEnd])
                    switch field {
                    case 0:
                        guard let value = UInt32(decimalDigits: slice) else { return false }
                        uid = value
                    case 1:
                        guard let value = Int(decimalDigits: slice) else { return false }
                        size = value
                    case 2:
                        guard let value = Double(decimalText: slice) else { return false }
                        date = value
                    case 3:
                        guard let value = UInt64(decimalDigits: slice) else { return false }
                        modSeq = value
                    case 4:
                        guard !slice.isEmpty else { return false }
                    default:
                        if !slice.isEmpty { flags.append(String(decoding: slice, as: UTF8.self)) }
                    }
                    field += 1
                    at = fieldEnd + 1
                }
                guard field >= 5, uid > columns.largestUID else { return false }
                columns.append(uid: uid, modSeq: modSeq, flags: flags, size: size, internalDate: date)
            }
            return true
        }
    }
}
