/// Untagged FETCH responses written one after another into one buffer, item by item: for each
/// message the bytes `IMAPResponse.fetch(n, items).encoded` gives, without a response value,
/// an item array and a buffer per message. What answering `FETCH 1:* (FLAGS)` of 100,000
/// messages from memory needs. RFC 9051 §7.5.2
///
/// ```
/// S: * 12 FETCH (UID 7 FLAGS (\Seen))
/// ```
public struct FetchResponseBatch: Sendable {
    private var w: ResponseWriter
    private var firstItem = true

    public init(utf8Enabled: Bool) {
        w = ResponseWriter(utf8Enabled: utf8Enabled)
    }

    /// Bytes written and not yet taken.
    public var count: Int { w.bytes.count }

    /// `* n FETCH (`
    public mutating func begin(_ number: Int) {
        w.atom("* ")
        w.number(number)
        w.atom(" FETCH (")
        firstItem = true
    }

    public mutating func item(_ item: FetchItem) {
        separate()
        item.write(to: &w)
    }

    /// An item already encoded (`FetchItem.encoded`): a flag list many messages share is
    /// encoded once.
    public mutating func encodedItem(_ bytes: [UInt8]) {
        separate()
        w.raw(bytes)
    }

    /// `)` CRLF
    public mutating func end() {
        w.close()
        w.crlf()
    }

    /// The bytes written so far; the batch starts empty again.
    public mutating func take() -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &w.bytes)
        return out
    }

    private mutating func separate() {
        if !firstItem { w.space() }
        firstItem = false
    }
}
