import InternetMessage

/// The base subject of RFC 5256 §2.1: what SORT SUBJECT compares and THREAD groups by.
///
/// ```
/// "Re: [list] Fwd: Lunch (fwd)"   -> "Lunch", a reply or forward
/// "[fwd: Re: Lunch]"              -> "Lunch", a reply or forward
/// "[list] Lunch"                  -> "Lunch"
/// "[list]"                        -> "[list]" (removing the blob would leave nothing)
/// ```
/// The ABNF of RFC 5256 §5, its strings matched case-insensitively:
/// ```
/// subj-refwd   = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
/// subj-blob    = "[" *BLOBCHAR "]" *WSP
/// subj-fwd-hdr = "[fwd:"      subj-fwd-trl = "]"
/// subj-leader  = (*subj-blob subj-refwd) / WSP
/// subj-trailer = "(fwd)" / WSP
/// BLOBCHAR     = %x01-5a / %x5c / %x5e-ff   ; not "[" or "]"
/// ```
public struct BaseSubject: Sendable, Hashable {
    /// The base subject as written (decoded, whitespace normalised), case kept.
    public var text: String
    /// The subject was a reply or forward: extraction removed a subj-refwd or a "(fwd)"
    /// trailer (RFC 5256 §3, REFERENCES step 5.B's definition), also inside "[fwd: …]".
    public var isReplyOrForward: Bool

    /// The key SORT and THREAD compare (`i;unicode-casemap`, RFC 5256 §7).
    public var key: String { UnicodeCasemap.key(text) }

    public init(text: String, isReplyOrForward: Bool) {
        self.text = text
        self.isReplyOrForward = isReplyOrForward
    }

    /// Extracts the base subject of a Subject: field's raw value (nil or absent: empty).
    public init(_ subject: String?) {
        var chars = Self.normalise(EncodedWord.decode(subject ?? ""))[...]
        var isReplyOrForward = false
        while true {
            // (2) trailers, repeated.
            while true {
                if chars.last == " " {
                    chars.removeLast()
                } else if Self.hasSuffix(chars, "(fwd)") {
                    chars.removeLast(5)
                    isReplyOrForward = true
                } else {
                    break
                }
            }
            // (3) leaders, (4) one leading blob when something is left, (5) repeat both.
            while true {
                var changed = false
                while let end = Self.leaderEnd(chars) {
                    if chars[chars.startIndex] != " " { isReplyOrForward = true }
                    chars = chars[end...]
                    changed = true
                }
                if let end = Self.blobEnd(chars, from: chars.startIndex), end < chars.endIndex {
                    chars = chars[end...]
                    changed = true
                }
                if !changed { break }
            }
            // (6) "[fwd:" … "]": unwrap and start again from (2).
            if chars.count >= 6, Self.hasPrefix(chars, "[fwd:"), chars.last == "]" {
                chars = chars.dropFirst(5).dropLast()
                continue
            }
            break
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: chars)
        self.text = String(view)
        self.isReplyOrForward = isReplyOrForward
    }

    /// (1) Tabs and line breaks (continuations) become spaces; runs of spaces become one.
    private static func normalise(_ s: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.unicodeScalars.count)
        for scalar in s.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
                if out.last != " " { out.append(" ") }
            } else {
                out.append(scalar)
            }
        }
        return out
    }

    private typealias Chars = ArraySlice<Unicode.Scalar>

    /// The end of a subj-leader at the start, nil when none.
    private static func leaderEnd(_ chars: Chars) -> Int? {
        guard let first = chars.first else { return nil }
        if first == " " { return chars.startIndex + 1 }
        // *subj-blob: BLOBCHAR excludes "[" so greedy matching never has to back off.
        var index = chars.startIndex
        while let end = blobEnd(chars, from: index) { index = end }
        return refwdEnd(chars, from: index)
    }

    /// `subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"`
    private static func refwdEnd(_ chars: Chars, from start: Int) -> Int? {
        var candidates: [Int] = []
        if matches(chars, at: start, "re") { candidates.append(start + 2) }
        if matches(chars, at: start, "fwd") { candidates.append(start + 3) }
        if matches(chars, at: start, "fw") { candidates.append(start + 2) }
        for var index in candidates {
            while index < chars.endIndex, chars[index] == " " { index += 1 }
            if index < chars.endIndex, chars[index] == ":" { return index + 1 }
            if let end = blobEnd(chars, from: index), end < chars.endIndex, chars[end] == ":" { return end + 1 }
        }
        return nil
    }

    /// `subj-blob = "[" *BLOBCHAR "]" *WSP` starting at `start`: its end, nil when none.
    private static func blobEnd(_ chars: Chars, from start: Int) -> Int? {
        guard start < chars.endIndex, chars[start] == "[" else { return nil }
        var index = start + 1
        while index < chars.endIndex {
            let c = chars[index]
            if c == "]" {
                index += 1
                while index < chars.endIndex, chars[index] == " " { index += 1 }
                return index
            }
            if c == "[" || c == "\0" { return nil }
            index += 1
        }
        return nil
    }

    private static func matches(_ chars: Chars, at start: Int, _ word: String) -> Bool {
        var index = start
        for expected in word.unicodeScalars {
            guard index < chars.endIndex, lower(chars[index]) == expected else { return false }
            index += 1
        }
        return true
    }

    private static func hasPrefix(_ chars: Chars, _ word: String) -> Bool {
        matches(chars, at: chars.startIndex, word)
    }

    private static func hasSuffix(_ chars: Chars, _ word: String) -> Bool {
        let count = word.unicodeScalars.count
        return chars.count >= count && matches(chars, at: chars.endIndex - count, word)
    }

    /// The ABNF's strings are case-insensitive in ASCII only (RFC 5234 §2.3).
    private static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 0x20)! : c
    }
}
