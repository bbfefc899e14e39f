/// RFC 5322 §3.4 address lists, obsolete syntax (§4.4) included, into IMAP's form.
///
/// ```
/// address-list = (address *("," address))
/// address      = mailbox / group
/// mailbox      = name-addr / addr-spec
/// name-addr    = [display-name] angle-addr
/// angle-addr   = [CFWS] "<" [obs-route] addr-spec ">" [CFWS]
/// group        = display-name ":" [group-list] ";" [CFWS]
/// ```
/// Never fails: empty list members are skipped, an address without a domain gets
/// `Address.missingHost`, an unclosed `<` or group runs to the end.
public enum AddressParser {
    public static func parseList(_ s: String) -> [Address] {
        var parser = Parser(tokens: AddressTokenizer.tokenize(s))
        return parser.parseList()
    }

    /// The first mailbox in `s` (group markers skipped), e.g. for a Sender field.
    public static func parseMailbox(_ s: String) -> Address? {
        parseList(s).first { $0.host != nil }
    }

    private struct Parser {
        let tokens: [AddressToken]
        var index = 0
        var output: [Address] = []

        init(tokens: [AddressToken]) { self.tokens = tokens }

        private func isSpecial(_ byte: UInt8) -> Bool {
            index < tokens.count && tokens[index].kind == .special(byte)
        }

        mutating func parseList() -> [Address] {
            while index < tokens.count {
                if isSpecial(0x2C) || isSpecial(0x3B) || isSpecial(0x3E) || isSpecial(0x3A) {
                    index += 1  // obs-addr-list empty members, stray punctuation
                    continue
                }
                parseAddress(inGroup: false)
            }
            return output
        }

        /// Parses one address at `index`; stops before "," and ";".
        private mutating func parseAddress(inGroup: Bool) {
            var phrase: [AddressToken] = []
            var comments: [String] = []
            while index < tokens.count {
                let token = tokens[index]
                if case .special(let byte) = token.kind, byte != 0x2E { break }
                if token.kind == .comment {
                    comments.append(token.text)
                } else {
                    phrase.append(token)
                }
                index += 1
            }
            let next: UInt8? = {
                guard index < tokens.count, case .special(let byte) = tokens[index].kind else { return nil }
                return byte
            }()
            switch next {
            case .some(0x3A) where !inGroup:
                // RFC 5322 §3.4 group; RFC 3501 §7.4.2 start marker carries the name.
                index += 1
                output.append(Address(mailbox: Self.displayName(phrase) ?? "", host: nil))
                while index < tokens.count {
                    if isSpecial(0x3B) {
                        index += 1
                        break
                    }
                    if isSpecial(0x2C) || isSpecial(0x3A) || isSpecial(0x3E) {
                        index += 1
                        continue
                    }
                    parseAddress(inGroup: true)
                }
                output.append(Address(mailbox: nil, host: nil))
            case .some(0x3C):
                index += 1
                parseAngleAddress(name: Self.displayName(phrase), comments: comments)
            case .some(0x40):
                index += 1
                let domain = parseDomain(comments: &comments)
                output.append(
                    Address(
                        name: comments.last.flatMap(Self.nonEmpty), mailbox: Self.localPart(phrase),
                        host: domain ?? Address.missingHost))
            default:
                if next == 0x3A || next == 0x3E { index += 1 }  // stray ":" in a group, stray ">"
                guard !phrase.isEmpty else { return }
                output.append(
                    Address(
                        name: comments.last.flatMap(Self.nonEmpty), mailbox: Self.localPart(phrase),
                        host: Address.missingHost))
            }
        }

        /// After "<": `[obs-route] addr-spec ">"`, then trailing comments.
        private mutating func parseAngleAddress(name: String?, comments: [String]) {
            var comments = comments
            var adl: String?
            if isSpecial(0x40) {
                // RFC 5322 §4.4 obs-route = obs-domain-list ":"
                var route = ""
                while index < tokens.count, !isSpecial(0x3A), !isSpecial(0x3E) {
                    if tokens[index].kind != .comment { route += tokens[index].raw }
                    index += 1
                }
                if isSpecial(0x3A) {
                    index += 1
                    adl = route
                }
            }
            var local: [AddressToken] = []
            while index < tokens.count, !isSpecial(0x40), !isSpecial(0x3E) {
                if tokens[index].kind == .comment {
                    comments.append(tokens[index].text)
                } else {
                    local.append(tokens[index])
                }
                index += 1
            }
            var host: String?
            if isSpecial(0x40) {
                index += 1
                host = parseDomain(comments: &comments, stopAtAngle: true)
            }
            if isSpecial(0x3E) { index += 1 }
            // Skip what trails the angle-addr up to the next member.
            while index < tokens.count, !isSpecial(0x2C), !isSpecial(0x3B) {
                if tokens[index].kind == .comment { comments.append(tokens[index].text) }
                index += 1
            }
            let mailbox = Self.localPart(local)
            if mailbox.isEmpty && host == nil && adl == nil && name == nil { return }  // "<>"
            output.append(
                Address(
                    name: name ?? comments.last.flatMap(Self.nonEmpty), adl: adl,
                    mailbox: mailbox, host: host ?? Address.missingHost))
        }

        /// `domain = dot-atom / domain-literal / obs-domain`, joined without CFWS.
        private mutating func parseDomain(comments: inout [String], stopAtAngle: Bool = false) -> String? {
            var domain = ""
            while index < tokens.count {
                let token = tokens[index]
                if case .special(let byte) = token.kind {
                    if byte == 0x2C || byte == 0x3B || byte == 0x3E || byte == 0x3C { break }
                    if byte == 0x3A && !stopAtAngle { break }
                }
                if token.kind == .comment {
                    comments.append(token.text)
                } else {
                    domain += token.raw
                }
                index += 1
            }
            return domain.isEmpty ? nil : domain
        }

        /// The local part as written minus CFWS: quoted strings keep their quotes.
        private static func localPart(_ tokens: [AddressToken]) -> String {
            tokens.map(\.raw).joined()
        }

        /// Phrase words joined by single spaces where the message had whitespace.
        private static func displayName(_ tokens: [AddressToken]) -> String? {
            var name = ""
            for token in tokens {
                if token.spaced && !name.isEmpty { name += " " }
                name += token.text
            }
            return nonEmpty(name)
        }

        private static func nonEmpty(_ s: String) -> String? {
            let trimmed = ByteScan.trimmed(s)
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}
