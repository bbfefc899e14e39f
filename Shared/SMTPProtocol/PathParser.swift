import LineFraming

/// Parses a reverse- or forward-path at a position in a command line and says
/// where it ends (a quoted local part may contain SP and ">", so the end cannot be
/// found by searching). RFC 5321 §4.1.2, with RFC 6531 §3.3's UTF-8 additions.
///
/// ```
/// Reverse-path   = Path / "<>"
/// Forward-path   = Path
/// Path           = "<" [ A-d-l ":" ] Mailbox ">"
/// A-d-l          = At-domain *( "," At-domain )
/// At-domain      = "@" Domain
/// Mailbox        = Local-part "@" ( Domain / address-literal )
/// Local-part     = Dot-string / Quoted-string
/// Dot-string     = Atom *("."  Atom)
/// Quoted-string  = DQUOTE *QcontentSMTP DQUOTE
/// qtextSMTP      = %d32-33 / %d35-91 / %d93-126 / UTF8-non-ascii
/// quoted-pairSMTP = %d92 %d32-126
/// Domain         = sub-domain *("." sub-domain)
/// sub-domain     = Let-dig [Ldh-str] / U-label
/// ```
struct PathParser {
    var localPartLength = SMTPDefaults.localPartLength
    var domainLength = SMTPDefaults.domainLength
    var pathLength = SMTPDefaults.pathLength

    /// What went wrong, for the log.
    struct Failure: Error, Equatable { var detail: String }

    /// Parses the path starting at `start` (which must be "<"); returns it and the
    /// index after the closing ">".
    func parse(
        _ line: ArraySlice<UInt8>, at start: Int, allowNull: Bool, allowBarePostmaster: Bool
    ) -> Result<(SMTPPath, Int), Failure> {
        var p = start
        func peek() -> UInt8? { p < line.endIndex ? line[p] : nil }
        guard peek() == ByteClass.lessThan else { return .failure(Failure(detail: "path must start with <")) }
        p += 1
        if peek() == ByteClass.greaterThan {
            // "<>" is only a reverse-path. RFC 5321 §4.1.1.2, §4.1.1.3
            return allowNull ? .success((.null, p + 1)) : .failure(Failure(detail: "null path not allowed"))
        }
        // A-d-l ":" — parsed and ignored. RFC 5321 §4.1.1.3, Appendix C
        var route: [String] = []
        if peek() == ByteClass.at {
            while peek() == ByteClass.at {
                p += 1
                let domainStart = p
                while let b = peek(), b != ByteClass.comma, b != ByteClass.colon, b != ByteClass.greaterThan { p += 1 }
                guard let domain = validDomain(line[domainStart..<p]) else {
                    return .failure(Failure(detail: "bad source route domain"))
                }
                route.append(domain)
                if peek() == ByteClass.comma {
                    p += 1
                    guard peek() == ByteClass.at else { return .failure(Failure(detail: "bad source route")) }
                    continue
                }
                guard peek() == ByteClass.colon else { return .failure(Failure(detail: "source route without ':'")) }
                p += 1
                break
            }
        }
        // Local-part. RFC 5321 §4.1.2
        let localStart = p
        var local: [UInt8] = []
        if peek() == ByteClass.quote {
            p += 1
            var closed = false
            while let b = peek() {
                p += 1
                if b == ByteClass.quote { closed = true; break }
                if b == ByteClass.backslash {
                    // quoted-pairSMTP = %d92 %d32-126. RFC 5321 §4.1.2
                    guard let escaped = peek(), (32...126).contains(escaped) else {
                        return .failure(Failure(detail: "bad quoted-pair"))
                    }
                    local.append(escaped)
                    p += 1
                } else if (32...126).contains(b) || ByteClass.isNonASCII(b) {
                    local.append(b)  // qtextSMTP (and SP, %d32). RFC 5321 §4.1.2, RFC 6531 §3.3
                } else {
                    return .failure(Failure(detail: "control character in quoted local part"))
                }
            }
            guard closed else { return .failure(Failure(detail: "unterminated quoted local part")) }
        } else {
            while let b = peek(), ByteClass.isAtext(b) || b == ByteClass.dot || ByteClass.isNonASCII(b) {
                local.append(b)
                p += 1
            }
            // Dot-string = Atom *("." Atom): no leading, trailing or double dot. RFC 5321 §4.1.2
            let atoms = local.split(separator: ByteClass.dot, omittingEmptySubsequences: false)
            guard !local.isEmpty, atoms.allSatisfy({ !$0.isEmpty }) else {
                return .failure(Failure(detail: "bad local part"))
            }
        }
        guard p - localStart <= localPartLength else { return .failure(Failure(detail: "local part too long")) }  // RFC 5321 §4.5.3.1.1
        guard let localPart = String(validating: local, as: UTF8.self) else {
            return .failure(Failure(detail: "local part is not UTF-8"))
        }
        var domain = ""
        if peek() == ByteClass.greaterThan {
            // "<Postmaster>" without a domain. RFC 5321 §4.1.1.3
            guard allowBarePostmaster, route.isEmpty, ByteClass.equalsIgnoringCase(local, "POSTMASTER") else {
                return .failure(Failure(detail: "mailbox without domain"))
            }
        } else {
            guard peek() == ByteClass.at else { return .failure(Failure(detail: "expected @ after local part")) }
            p += 1
            let domainStart = p
            if peek() == UInt8(ascii: "[") {
                // address-literal. RFC 5321 §4.1.3
                while let b = peek(), b != UInt8(ascii: "]") { p += 1 }
                guard peek() == UInt8(ascii: "]") else { return .failure(Failure(detail: "unterminated address literal")) }
                p += 1
                let literal = String(decoding: line[domainStart..<p], as: UTF8.self)
                guard AddressLiteral(literal) != nil else { return .failure(Failure(detail: "bad address literal")) }
                domain = literal
            } else {
                while let b = peek(), b != ByteClass.greaterThan { p += 1 }
                guard let valid = validDomain(line[domainStart..<p]) else { return .failure(Failure(detail: "bad domain")) }
                domain = valid
            }
        }
        guard peek() == ByteClass.greaterThan else { return .failure(Failure(detail: "path must end with >")) }
        p += 1
        guard p - start <= pathLength else { return .failure(Failure(detail: "path too long")) }  // RFC 5321 §4.5.3.1.3
        return .success((SMTPPath(mailbox: Mailbox(localPart: localPart, domain: domain), sourceRoute: route), p))
    }

    /// The domain if it is a valid name (one trailing dot allowed and removed, since
    /// resolvers treat `example.org.` as `example.org`); nil otherwise.
    /// `sub-domain = Let-dig [Ldh-str]` (RFC 5321 §4.1.2) or a U-label (RFC 6531 §3.3).
    func validDomain(_ bytes: ArraySlice<UInt8>) -> String? {
        var name = bytes
        if name.last == ByteClass.dot { name = name.dropLast() }
        guard !name.isEmpty, name.count <= domainLength else { return nil }  // RFC 5321 §4.5.3.1.2
        for label in name.split(separator: ByteClass.dot, omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= SMTPDefaults.domainLabelLength else { return nil }
            let ok = label.allSatisfy { ByteClass.isLetDig($0) || $0 == ByteClass.hyphen || ByteClass.isNonASCII($0) }
            guard ok, label.first != ByteClass.hyphen, label.last != ByteClass.hyphen else { return nil }
        }
        return String(validating: name, as: UTF8.self)
    }
}
