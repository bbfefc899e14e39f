import LineFraming

/// RFC 5267 §4 (CONTEXT=SEARCH, CONTEXT=SORT): CANCELUPDATE. (The PARTIAL range both SEARCH
/// and SORT take is `PartialRange`, RFC 9394.)
///
/// ```
/// C: a1 UID SEARCH RETURN (UPDATE PARTIAL 1:50) UNSEEN
/// C: a2 CANCELUPDATE "a1"
/// ```
extension IMAPCommandParser {
    /// ```
    /// command-select =/ "CANCELUPDATE" 1*(SP quoted)                             ; RFC 5267 §5
    /// ```
    /// Read from after "CANCELUPDATE". Each string is a tag (§4.3.5), so it must be one.
    func cancelUpdate(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        var tags: [String] = []
        repeat {
            try c.space()
            let tag = try c.quoted()
            guard !tag.isEmpty, tag.count <= IMAPDefaults.tagLength, tag.allSatisfy(ByteClass.isTagChar) else {
                throw IMAPCursor.fail("not a tag")
            }
            tags.append(String(decoding: tag, as: UTF8.self))
        } while !c.atEnd
        return .cancelUpdate(tags)
    }
}
