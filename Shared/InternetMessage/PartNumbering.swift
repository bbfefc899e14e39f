/// IMAP part specifiers (RFC 3501 §6.4.5).
///
/// ```
/// C: a FETCH 1 (BODY[1.2.HEADER] BODY[2.TEXT] BODY[3.1])
/// ```
/// Rules: the parts of a multipart are numbered from 1; a message whose body is
/// not multipart has only part 1, its body; inside a message/rfc822 part the
/// numbering continues with the encapsulated message's body (so `3.1` is the
/// first part of the message in part 3, or its whole body when that is not
/// multipart). `HEADER`/`TEXT` of a message/rfc822 part are its `message`'s
/// `header`/`body`; `MIME` is the part's own `header`.
extension ParsedMessage {
    /// The part a numeric path names, or nil if there is none. An empty path
    /// gives the root.
    public func part(at path: [Int]) -> MessagePart? {
        guard let first = path.first else { return root }
        guard var current = Self.child(ofMessage: self, number: first) else { return nil }
        for number in path.dropFirst() {
            guard let next = current.child(number: number) else { return nil }
            current = next
        }
        return current
    }

    /// Every part with its IMAP path, depth-first in document order. The root of
    /// a multipart message has the empty path; a non-multipart root is [1].
    public func allParts() -> [(path: [Int], part: MessagePart)] {
        var result: [(path: [Int], part: MessagePart)] = []
        // Explicit stack: no recursion however deep the tree.
        var stack: [([Int], MessagePart)] = [(root.isMultipart ? [] : [1], root)]
        while let (path, part) = stack.popLast() {
            result.append((path, part))
            var children: [([Int], MessagePart)] = []
            if part.isMultipart {
                children = part.parts.enumerated().map { (path + [$0.offset + 1], $0.element) }
            } else if let message = part.message {
                if message.root.isMultipart {
                    children = message.root.parts.enumerated().map { (path + [$0.offset + 1], $0.element) }
                } else {
                    children = [(path + [1], message.root)]
                }
            }
            stack += children.reversed()
        }
        return result
    }

    static func child(ofMessage message: ParsedMessage, number: Int) -> MessagePart? {
        if message.root.isMultipart {
            guard number >= 1, number <= message.root.parts.count else { return nil }
            return message.root.parts[number - 1]
        }
        return number == 1 ? message.root : nil
    }
}

extension MessagePart {
    /// The part a numeric path names relative to this part (RFC 3501 §6.4.5).
    public func part(at path: [Int]) -> MessagePart? {
        var current = self
        for number in path {
            guard let next = current.child(number: number) else { return nil }
            current = next
        }
        return current
    }

    func child(number: Int) -> MessagePart? {
        if isMultipart {
            guard number >= 1, number <= parts.count else { return nil }
            return parts[number - 1]
        }
        if let message { return ParsedMessage.child(ofMessage: message, number: number) }
        return nil
    }
}
