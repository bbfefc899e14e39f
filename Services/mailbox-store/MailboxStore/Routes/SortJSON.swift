import Hummingbird
import MessageThreading
import StoreAPI

/// SORT's and THREAD's answers written as JSON bytes directly: the same JSON `JSONEncoder`
/// writes for `SortResult` and `ThreadResult` (members named as Codable names them, a missing
/// optional left out), without its per-value boxing, which took more time than the sort itself
/// on a 100,000-message mailbox (docs/BENCHMARKS.md, read model).
enum SortJSON {
    static func response(_ result: SortResult) -> Response { response(bytes(result)) }

    static func response(_ result: ThreadResult) -> Response { response(bytes(result)) }

    static func response(_ walk: ThreadWalk) -> Response { response(bytes(walk)) }

    static func response(_ buffer: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }

    static func bytes(_ result: SortResult) -> ByteBuffer {
        var out = Writer(capacity: 48 + result.uids.count * 7)
        out.append("{\"uids\":[")
        for (index, uid) in result.uids.enumerated() {
            if index > 0 { out.append(",") }
            out.number(UInt64(uid))
        }
        out.append("],\"total\":")
        out.number(UInt64(result.total))
        if let modSeq = result.highestModSeq {
            out.append(",\"highestModSeq\":")
            out.number(modSeq)
        }
        out.append("}")
        return out.buffer
    }

    static func bytes(_ result: ThreadResult) -> ByteBuffer {
        var out = Writer(capacity: 16 + 32 * result.threads.count)
        out.append("{\"threads\":")
        out.nodes(result.threads)
        out.append("}")
        return out.buffer
    }

    /// THREAD's answer from the threader's walk: the same JSON as `ThreadResult(threads:
    /// walk.nodes)`, without the trees. Written through one pointer into room reserved for the
    /// longest answer the walk can give (a step writes at most 32 bytes), not a `ByteBuffer`
    /// call per piece (a tenth of ORDEREDSUBJECT's time went there).
    static func bytes(_ walk: ThreadWalk) -> ByteBuffer {
        let most = 16 + 32 * walk.steps.count
        var buffer = ByteBufferAllocator().buffer(capacity: most)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: most) { room in
            var at = 0
            func put(_ text: StaticString) {
                text.withUTF8Buffer { bytes in
                    for byte in bytes {
                        room[at] = byte
                        at += 1
                    }
                }
            }
            func number(_ value: UInt64) {
                var digits = 1
                var rest = value / 10
                while rest > 0 {
                    digits += 1
                    rest /= 10
                }
                rest = value
                for place in stride(from: at + digits - 1, through: at, by: -1) {
                    room[place] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
                    rest /= 10
                }
                at += digits
            }
            put("{\"threads\":[")
            var sibling = false
            for step in walk.steps {
                if step == ThreadWalk.close {
                    put("]}")
                    sibling = true
                    continue
                }
                if sibling { put(",") }
                if step == ThreadWalk.dummy {
                    put("{\"children\":[")
                } else {
                    put("{\"uid\":")
                    number(UInt64(step))
                    put(",\"children\":[")
                }
                sibling = false
            }
            put("]}")
            return at
        }
        return buffer
    }

    struct Writer {
        var buffer: ByteBuffer

        init(capacity: Int) {
            buffer = ByteBufferAllocator().buffer(capacity: capacity)
        }

        mutating func append(_ text: StaticString) {
            buffer.writeStaticString(text)
        }

        mutating func number(_ value: UInt64) {
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            if value >= 10_000_000_000 {
                buffer.writeString(String(value))
                return
            }
            var rest = value
            var count = 0
            withUnsafeMutableBytes(of: &digits) { bytes in
                repeat {
                    bytes[9 - count] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
                    rest /= 10
                    count += 1
                } while rest > 0
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[(10 - count)...]))
            }
        }

        /// Nodes as `[{"uid":1,"children":[…]},…]`, a dummy without `uid`; depth-first with an
        /// explicit stack, so a long reply chain cannot exhaust the thread's stack.
        mutating func nodes(_ roots: [ThreadNode]) {
            var stack: [(nodes: [ThreadNode], next: Int)] = [(roots, 0)]
            append("[")
            while let top = stack.last {
                let last = stack.count - 1
                guard top.next < top.nodes.count else {
                    stack.removeLast()
                    append("]")
                    if !stack.isEmpty { append("}") }
                    continue
                }
                let node = top.nodes[top.next]
                stack[last].next += 1
                if top.next > 0 { append(",") }
                if let uid = node.uid {
                    append("{\"uid\":")
                    number(UInt64(uid))
                    append(",\"children\":[")
                } else {
                    append("{\"children\":[")
                }
                stack.append((node.children, 0))
            }
        }
    }
}
