import IMAPProtocol
import TestSupport
import Testing

@Suite struct IMAPCommandParserTests {
    typealias K = IMAPCommand.Kind

    /// (line, kind): every command of the first cut, as clients send them.
    static let fixtures: [(String, K)] = [
        ("a1 CAPABILITY", .capability), ("a1 noop", .noop), ("a1 LOGOUT", .logout), ("a1 STARTTLS", .startTLS),
        ("a1 NAMESPACE", .namespace), ("a1 IDLE", .idle), ("a1 CHECK", .check), ("a1 CLOSE", .close),
        ("a1 UNSELECT", .unselect), ("a1 UNAUTHENTICATE", .unauthenticate), ("a1 EXPUNGE", .expunge),
        ("a1 ID NIL", .id(nil)), ("a1 ID ()", .id([])),
        ("a1 ID (\"name\" \"Thunderbird\" \"version\" NIL)", .id([.init("name", "Thunderbird"), .init("version", nil)])),
        ("a1 AUTHENTICATE PLAIN", .authenticate(mechanism: "PLAIN", initialResponse: nil)),
        ("a1 authenticate plain AGFsaWNlAHNlY3JldA==", .authenticate(mechanism: "PLAIN", initialResponse: "AGFsaWNlAHNlY3JldA==")),
        ("a1 AUTHENTICATE PLAIN =", .authenticate(mechanism: "PLAIN", initialResponse: "=")),
        ("a1 LOGIN alice secret", .login(user: "alice", password: "secret")),
        ("a1 LOGIN \"alice@example.org\" \"pa ss\\\"w\\\\d\"", .login(user: "alice@example.org", password: "pa ss\"w\\d")),
        ("a1 ENABLE CONDSTORE utf8=accept", .enable(["CONDSTORE", "UTF8=ACCEPT"])),
        ("a1 SELECT inbox", .select(.inbox, parameters: .init())),
        ("a1 SELECT INBOX (CONDSTORE)", .select(.inbox, parameters: .init(condstore: true))),
        (
            "a1 EXAMINE \"Entw&APw-rfe\" (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
            .examine(
                MailboxName("Entwürfe"),
                parameters: .init(
                    qresync: .init(
                        uidValidity: 67890007, modSeq: 20050715194045000,
                        knownUIDs: .ranges([.init(41), .init(43...211), .init(214...541)]))))
        ),
        ("a1 CREATE Archive/2024", .create(MailboxName("Archive/2024"))), ("a1 DELETE \"Old Stuff\"", .delete(MailboxName("Old Stuff"))),
        ("a1 RENAME a b", .rename(from: MailboxName("a"), to: MailboxName("b"))),
        ("a1 SUBSCRIBE Lists", .subscribe(MailboxName("Lists"))), ("a1 UNSUBSCRIBE Lists", .unsubscribe(MailboxName("Lists"))),
        ("a1 LIST \"\" *", .list(selectOptions: [], reference: "", patterns: ["*"], returnOptions: nil)),
        ("a1 LIST \"\" %/&APw-", .list(selectOptions: [], reference: "", patterns: ["%/ü"], returnOptions: nil)),
        (
            "a1 LIST (SUBSCRIBED) \"\" (INBOX \"Sent*\") RETURN (CHILDREN STATUS (MESSAGES))",
            .list(
                selectOptions: ["SUBSCRIBED"], reference: "", patterns: ["INBOX", "Sent*"],
                returnOptions: .init(children: true, status: ["MESSAGES"]))
        ),
        ("a1 LIST \"\" inbox", .list(selectOptions: [], reference: "", patterns: ["inbox"], returnOptions: nil)),
        ("a1 LSUB \"\" %", .lsub(reference: "", pattern: "%")),
        ("a1 STATUS INBOX (MESSAGES uidnext UNSEEN)", .status(.inbox, items: ["MESSAGES", "UIDNEXT", "UNSEEN"])),
        ("a1 UID EXPUNGE 3:5", .uidExpunge(.ranges([.init(3...5)]))),
        (
            "a1 FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])",
            .fetch(
                .ranges([.init(.number(1), .largest)]),
                attributes: [.flags, .section(.init(text: .headerFields(["SUBJECT"])), partial: nil, peek: true)],
                modifiers: .init(), uid: false)
        ),
        ("a1 UID FETCH $ FAST", .fetch(.lastCommand, attributes: [.flags, .internalDate, .rfc822Size], modifiers: .init(), uid: true)),
        (
            "a1 UID STORE 1,2 +FLAGS.SILENT (\\Seen)",
            .store(.ranges([.init(1), .init(2)]), .init(operation: .add, silent: true, flags: [.seen]), uid: true)
        ),
        ("a1 COPY 2:4 Trash", .copy(.ranges([.init(2...4)]), MailboxName("Trash"), uid: false)),
        ("a1 UID MOVE 7 \"Junk Mail\"", .move(.ranges([.init(7)]), MailboxName("Junk Mail"), uid: true)),
        ("a1 UID SEARCH RETURN (SAVE) UNSEEN", .search(.init(returnOptions: [.save], key: .noFlag(.seen)), uid: true)),
        ("a1 SEARCH SINCE 1-Feb-1994", .search(.init(key: .since(IMAPDate(year: 1994, month: 2, day: 1)!)), uid: false)),
    ]

    @Test(arguments: fixtures) func parses(_ line: String, _ kind: K) {
        #expect(parse(line) == .success(IMAPCommand(tag: "a1", kind)))
    }

    /// (line, error kind, tag reported).
    static let failures: [(String, IMAPSyntaxError.Kind, String?)] = [
        ("", .noTag, nil), ("a1", .noTag, nil), ("+ NOOP", .noTag, nil), ("a\"1 NOOP", .noTag, nil),
        ("a1 FOO", .unknownCommand, "a1"), ("a1 UID FOO 1", .unknownCommand, "a1"), ("a1 ", .unknownCommand, "a1"),
        ("a1 NOOP x", .badArguments, "a1"), ("a1 NOOP ", .badArguments, "a1"), ("a1 LOGIN alice", .badArguments, "a1"),
        ("a1 LOGIN alice  secret", .badArguments, "a1"), ("a1 LOGIN \"alice secret", .badArguments, "a1"),
        ("a1 SELECT", .badArguments, "a1"), ("a1 SELECT &Jjo", .badMailboxName, "a1"),
        ("a1 STATUS INBOX ()", .badArguments, "a1"), ("a1 STATUS INBOX (MESSAGES", .badArguments, "a1"),
        ("a1 FETCH 0 FLAGS", .badArguments, "a1"), ("a1 FETCH 1", .badArguments, "a1"), ("a1 SEARCH", .badArguments, "a1"),
        ("a1 SEARCH ", .badArguments, "a1"), ("a1 COPY 1", .badArguments, "a1"), ("a1 ENABLE", .badArguments, "a1"),
        ("a1 AUTHENTICATE PLAIN abc", .badArguments, "a1"), ("a1 AUTHENTICATE PLAIN a=bc", .badArguments, "a1"),
        ("a1 ID (\"a\")", .badArguments, "a1"), ("a1 APPEND INBOX", .badArguments, "a1"),
        ("a1 LIST \"\" * RETURN", .badArguments, "a1"), ("a1 LIST \"\" * FOO (x)", .badArguments, "a1"),
        ("a1 SEARCH " + String(repeating: "(", count: 40), .tooDeep, "a1"),
        ("a1 FETCH 1 " + String(repeating: "(", count: 40), .badArguments, "a1"), ("a1 FETCH 1 (FLAGS", .badArguments, "a1"),
        ("a1 SEARCH SUBJECT \"x)\" )", .badArguments, "a1"), ("a1 SEARCH SUBJECT \"x", .badArguments, "a1"),
        ("a1 SELECT INBOX (QRESYNC (1 2)", .badArguments, "a1"),
    ]

    @Test(arguments: failures) func refuses(_ line: String, _ kind: IMAPSyntaxError.Kind, _ tag: String?) {
        guard case .failure(let error) = parse(line) else {
            Issue.record("parsed: \(line)")
            return
        }
        #expect(error.kind == kind)
        #expect(error.tag == tag)
    }

    @Test func literalsAnywhereAStringGoes() {
        #expect(
            parseWire("a1 LOGIN {5}\r\nalice {6+}\r\nsec\"et\r\n")
                == .success(IMAPCommand(tag: "a1", .login(user: "alice", password: "sec\"et"))))
        #expect(parseWire("a1 SELECT {5}\r\ninbox\r\n") == .success(IMAPCommand(tag: "a1", .select(.inbox, parameters: .init()))))
        #expect(parseWire("a1 LOGIN {5}\r\nal\0ce x\r\n").map { try? $0.get() } == .some(nil))  // NUL only in literal8
        #expect(parseWire("a1 LOGIN ~{5}\r\nalice x\r\n").map { try? $0.get() } == .some(nil))
        // A search string may be a literal, decoded as UTF-8.
        #expect(
            parseWire("a1 SEARCH CHARSET UTF-8 SUBJECT {5+}\r\ncafé\r\n")
                == .success(
                    IMAPCommand(
                        tag: "a1",
                        .search(.init(charset: "UTF-8", key: .header("SUBJECT", "café")), uid: false))))
    }

    @Test func append() throws {
        let message = bytes("Subject: hi\r\n\r\nbody\r\n")
        let wire = "a1 APPEND Drafts (\\Draft \\Seen) \" 7-Feb-1994 21:52:25 -0800\" {\(message.count)}\r\n\(text(message))\r\n"
        let date = try IMAPDateTime(parsing: "\" 7-Feb-1994 21:52:25 -0800\"")
        #expect(
            parseWire(wire)
                == .success(
                    IMAPCommand(
                        tag: "a1", .append(MailboxName("Drafts"), flags: [.draft, .seen], date: date, message: message, binary: false))))
        #expect(
            parseWire("a1 APPEND INBOX ~{3+}\r\na\0b\r\n")
                == .success(IMAPCommand(tag: "a1", .append(.inbox, flags: [], date: nil, message: [0x61, 0, 0x62], binary: true))))
        #expect(
            parseWire("a1 APPEND INBOX () {1}\r\nx\r\n")
                == .success(IMAPCommand(tag: "a1", .append(.inbox, flags: [], date: nil, message: bytes("x"), binary: false))))
        #expect(parseWire("a1 APPEND INBOX {1}\r\nx extra\r\n").map { try? $0.get() } == .some(nil))  // not a message
        // MULTIAPPEND: each message with its own flags and date. RFC 3502 §6.3.11
        let multi = parseWire("a1 APPEND INBOX (\\Seen) {1}\r\nx \"07-Feb-1994 22:43:04 -0800\" {1+}\r\ny ~{1}\r\nz\r\n")
        guard case .multiAppend(let name, let messages)? = (try? multi?.get())?.kind else {
            Issue.record("\(String(describing: multi))")
            return
        }
        #expect(name == MailboxName("INBOX") && messages.count == 3)
        #expect(messages.map(\.message) == [[0x78], [0x79], [0x7A]])
        #expect(messages.map(\.flags) == [[.seen], [], []] && messages.map(\.binary) == [false, false, true])
        #expect(messages.map { $0.date != nil } == [false, true, false])
        #expect(parseWire("a1 APPEND INBOX {1}\r\nx \r\n").map { try? $0.get() } == .some(nil))  // a space, no message
        // Two spaces between literals in a row, as IMAPClient's multiappend sends them.
        let doubled = parseWire("a1 APPEND INBOX {1+}\r\nx  {1+}\r\ny\r\n").map { try? $0.get() }
        guard case .multiAppend(_, let pair)?? = doubled?.map(\.kind) else {
            Issue.record("\(String(describing: doubled))")
            return
        }
        #expect(pair.map(\.message) == [[0x78], [0x79]])
    }

    @Test func utf8AcceptChangesMailboxDecoding() {
        #expect(
            parse("a1 SELECT \"Entw&APw-rfe\"", utf8Enabled: true)
                == .success(IMAPCommand(tag: "a1", .select(MailboxName("Entw&APw-rfe"), parameters: .init()))))
        #expect(
            parse("a1 SELECT \"Entwürfe\"", utf8Enabled: true)
                == .success(IMAPCommand(tag: "a1", .select(MailboxName("Entwürfe"), parameters: .init()))))
    }
}
