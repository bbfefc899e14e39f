import StoreAPI

/// Threads as a flat depth-first walk: each node opened (by its UID, or `dummy` for a node
/// without a message, RFC 5256 §3 step 3) and later closed after its children. THREAD writes
/// its answer straight from this, without a `ThreadNode` (and its children's array) per
/// message; `nodes` gives the tree.
///
/// `(1 (2)(3))` is `1, 2, close, 3, close, close`.
public struct ThreadWalk: Sendable, Equatable {
    public static let dummy: Int64 = -1
    public static let close: Int64 = -2
    public var steps: [Int64] = []

    public init() {}

    mutating func open(_ uid: UInt32?) { steps.append(uid.map { Int64($0) } ?? Self.dummy) }
    mutating func close() { steps.append(Self.close) }

    /// The walk as trees.
    public var nodes: [ThreadNode] {
        var stack: [ThreadNode] = [ThreadNode(uid: nil)]
        for step in steps {
            if step == Self.close {
                let done = stack.removeLast()
                stack[stack.count - 1].children.append(done)
            } else {
                stack.append(ThreadNode(uid: step == Self.dummy ? nil : UInt32(step)))
            }
        }
        return stack[0].children
    }
}
