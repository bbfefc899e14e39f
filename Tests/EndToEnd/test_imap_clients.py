"""Mail read through the imap-gateway with a client library nobody here wrote: Python's imaplib
(IMAPClient, mbsync, curl and mutt are in test_imap_clients_*.py). Mail always comes in through
the smtp-gateway; what a client fetches must be the store's copy byte for byte, and what it
changes (flags, copies, moves, expunges, appends, mailboxes) must be what the store holds
afterwards and what the next session sees."""

import datetime
import imaplib
import re

from imap_support import (ALICE, CAPABILITIES, HOSTNAME, PASSWORD, SPECIAL_USE, deliver, flagset, imaplib_fetch,
                          listing, mailboxes, message, multipart, parse, raw_message, response_code, send_mail,
                          stored_flags, trusting_context, uid_set)


def imaplib_session(imap, select: str | None = "INBOX") -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    if select:
        assert client.select(select)[0] == "OK"
    return client


CAPS = {c.upper() for c in CAPABILITIES}


def copyuid(client: imaplib.IMAP4) -> tuple[int, list[int], list[int]]:
    """The COPYUID response code of the last COPY/MOVE (imaplib files codes of tagged and untagged
    responses alike under their name)."""
    validity, source, target = client.untagged_responses.pop("COPYUID")[-1].decode().split()
    return int(validity), uid_set(source), uid_set(target)


def names(entries: list[bytes]) -> dict[str, set[str]]:
    """LIST/LSUB data as {mailbox name: {attributes, lower case}}."""
    out = {}
    for entry in entries:
        attributes, delimiter, name = parse(entry)[:3]
        assert delimiter == b"/", entry
        out[name.decode() if isinstance(name, bytes) else str(name)] = {str(a).lower() for a in attributes}
    return out


def test_imaplib_greeting_capabilities_list_and_select(imap_system):
    store, smtp, imap = imap_system
    deliver(smtp, message("Hello IMAP"))
    with imaplib.IMAP4("127.0.0.1", imap.port, timeout=10) as client:
        assert client.welcome.startswith(b"* OK [CAPABILITY IMAP4rev1 IMAP4rev2"), client.welcome
        # "Buzón" in UTF-8 (RFC 9051 text), or 7-bit for IMAP4rev1 clients (RFC 3501 TEXT-CHAR).
        assert re.search(rb"\] " + HOSTNAME.encode() + rb" Buz(\xc3\xb3|o|\?)n IMAP ready$", client.welcome), client.welcome
        assert CAPS | {"STARTTLS", "LITERAL-"} <= set(client.capabilities), client.capabilities
        assert "LITERAL+" not in client.capabilities
        assert "LOGINDISABLED" not in client.capabilities  # loopback may log in without TLS
        assert client.login(ALICE, PASSWORD)[0] == "OK"
        after = set(client.capability()[1][0].decode().upper().split())
        assert (CAPS - {"AUTH=PLAIN", "SASL-IR"}) | {"LITERAL+"} <= after, after
        assert "LITERAL-" not in after
        typ, entries = client.list('""', '"*"')
        assert typ == "OK" and set(names(entries)) == {"INBOX", *SPECIAL_USE}, entries
        # The special-use attributes: with RETURN (SPECIAL-USE), and as a selection (RFC 6154).
        for arguments in (('""', '"*"', "RETURN", "(SPECIAL-USE)"), ("(SPECIAL-USE)", '""', '"*"')):
            typ, _ = client._simple_command("LIST", *arguments)
            listed = names(client._untagged_response(typ, [None], "LIST")[1])
            for name, attribute in SPECIAL_USE.items():
                assert attribute.lower() in listed[name], (arguments, listed)
            assert ("INBOX" in listed) == (arguments[0] == '""'), listed
        typ, data = client.select("INBOX")
        info = mailboxes(store)["INBOX"]
        assert typ == "OK" and data == [b"1"]
        assert client.untagged_responses["UIDVALIDITY"] == [str(info["uidValidity"]).encode()]
        assert client.untagged_responses["UIDNEXT"] == [str(info["uidNext"]).encode()]
        assert client.untagged_responses["HIGHESTMODSEQ"] == [str(info["highestModSeq"]).encode()]  # RFC 7162 §3.1.2.1
        assert b"\\*" in client.untagged_responses["PERMANENTFLAGS"][0]
        assert "READ-WRITE" in client.untagged_responses
        assert client.logout()[0] == "BYE"


def test_imaplib_fetch_gives_back_what_was_sent(imap_system):
    store, smtp, imap = imap_system
    uid1, raw1 = deliver(smtp, message("Plain one", "Just text.\r\n"))
    uid2, raw2 = deliver(smtp, multipart("Mixed two"))
    with imaplib_session(imap) as client:
        typ, data = client.fetch("1:2", "(FLAGS UID RFC822.SIZE BODY.PEEK[] ENVELOPE BODYSTRUCTURE "
                                        "BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[]<0.10>)")
        assert typ == "OK"
        got = imaplib_fetch(data)
        assert [int(got[n]["UID"]) for n in (1, 2)] == [uid1, uid2]
        for n, raw, subject in ((1, raw1, b"Plain one"), (2, raw2, b"Mixed two")):
            items = got[n]
            assert items["BODY[]"] == raw, f"message {n} differs from the store's copy"
            assert int(items["RFC822.SIZE"]) == len(raw)
            assert "\\seen" not in flagset(items["FLAGS"])  # PEEK
            assert items["BODY[HEADER.FIELDS (SUBJECT)]"] == b"Subject: " + subject + b"\r\n\r\n"
            assert items["BODY[]<0>"] == raw[:10]
            envelope = items["ENVELOPE"]
            assert envelope[1] == subject and envelope[2] == [[b"Sender", None, b"sender", b"remote.test"]]
        text_part, attachment = got[2]["BODYSTRUCTURE"][:2]
        assert [x.lower() for x in text_part[:2]] == [b"text", b"plain"]
        assert [x.lower() for x in attachment[:2]] == [b"application", b"octet-stream"]
        assert b"mixed" in [x.lower() for x in got[2]["BODYSTRUCTURE"] if isinstance(x, bytes)]
        # Parts by number, decoded by the server (BINARY, RFC 3516); BODY[1] without PEEK sets \Seen.
        parts = imaplib_fetch(client.fetch("2", "(BODY[1] BINARY.PEEK[2] BODY.PEEK[2])")[1])[2]
        assert parts["BODY[1]"] == b"The text part." and parts["BODY[2]"] == b"AAECAwQFBgcICQ=="
        assert parts["BINARY[2]"] == bytes(range(10))
    assert stored_flags(store) == {uid1: frozenset(), uid2: frozenset({"\\seen"})}


def test_imaplib_search(imap_system):
    store, smtp, imap = imap_system
    deliver(smtp, message("Quarterly report", "numbers inside\r\n", sender="Carol <carol@remote.test>"))
    deliver(smtp, message("Lunch on Friday", "pizza or sushi?\r\n", sender="Dave <dave@remote.test>"))
    deliver(smtp, message("Re: Lunch on Friday", "sushi please\r\n", sender="Carol <carol@remote.test>"))
    deliver(smtp, message("=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=", "Bis bald\r\n"))
    with imaplib_session(imap) as client:
        client.store("1", "+FLAGS", "(\\Seen)")

        def search(*criteria) -> list[int]:
            typ, data = client.search(None, *criteria)
            assert typ == "OK", (criteria, data)
            return sorted(int(n) for n in data[0].split())

        assert search("UNSEEN") == [2, 3, 4]
        assert search("FROM", "carol") == [1, 3]
        assert search("SUBJECT", "lunch") == [2, 3]  # substring, case-insensitive
        assert search("BODY", "sushi") == [2, 3]
        assert search("BODY", "pizza") == [2]
        assert search("OR", "FROM", "dave", "SUBJECT", "quarterly") == [1, 2]
        assert search("NOT", "FROM", "carol") == [2, 4]
        assert search("SEEN", "FROM", "carol") == [1]
        client.literal = "Grüße aus Köln".encode()  # RFC 2047 words are decoded before comparing (RFC 3501 §6.4.4)
        assert client.search("UTF-8", "SUBJECT")[1][0].split() == [b"4"]
        # ESEARCH (RFC 4731) and SEARCHRES (RFC 5182)
        typ, _ = client._simple_command("SEARCH", "RETURN", "(MIN MAX COUNT)", "UNSEEN")
        esearch = [str(x).upper() for x in parse(client._untagged_response(typ, [None], "ESEARCH")[1][-1])
                   if not isinstance(x, list)]
        assert dict(zip(esearch[::2], esearch[1::2])) == {"MIN": "2", "MAX": "4", "COUNT": "3"}, esearch
        assert client._simple_command("SEARCH", "RETURN", "(SAVE)", "FROM", "carol")[0] == "OK"
        assert sorted(imaplib_fetch(client.fetch("$", "(UID)")[1])) == [1, 3]
        uids = [m["uid"] for m in listing(store)]
        assert client.uid("SEARCH", "FROM", "dave")[1][0].split() == [str(uids[1]).encode()]


def test_imaplib_flags_persist_across_connections(imap_system):
    store, smtp, imap = imap_system
    uid, _ = deliver(smtp, message("Flag me"))
    with imaplib_session(imap) as client:
        typ, data = client.uid("STORE", str(uid), "+FLAGS", "(\\Flagged \\Answered $Work)")
        assert typ == "OK"
        assert flagset(imaplib_fetch(data)[1]["FLAGS"]) >= {"\\flagged", "\\answered", "$work"}
        assert client.uid("STORE", str(uid), "-FLAGS.SILENT", "(\\Answered)") == ("OK", [None])
    assert stored_flags(store) == {uid: frozenset({"\\flagged", "$work"})}
    with imaplib_session(imap) as client:
        flags = imaplib_fetch(client.uid("FETCH", str(uid), "(FLAGS)")[1])[1]["FLAGS"]
        assert flagset(flags) == {"\\flagged", "$work"}


def test_imaplib_copy_move_and_expunge(imap_system):
    store, smtp, imap = imap_system
    sent = [deliver(smtp, message(f"Message {n}")) for n in range(4)]
    uids = [uid for uid, _ in sent]
    boxes = mailboxes(store)
    with imaplib_session(imap) as client:
        assert client.uid("COPY", str(uids[0]), "Trash")[0] == "OK"
        validity, source, target = copyuid(client)  # RFC 4315
        assert validity == boxes["Trash"]["uidValidity"] and source == [uids[0]]
        assert raw_message(store, ALICE, "Trash", target[0]) == sent[0][1]
        assert client.uid("MOVE", str(uids[1]), "Junk")[0] == "OK"  # RFC 6851
        validity, source, target = copyuid(client)
        assert validity == boxes["Junk"]["uidValidity"] and source == [uids[1]]
        assert raw_message(store, ALICE, "Junk", target[0]) == sent[1][1]
        assert client.untagged_responses.pop("EXPUNGE") == [b"2"]
        # UID EXPUNGE removes only the UIDs named; EXPUNGE the rest of what is \Deleted.
        client.uid("STORE", f"{uids[2]},{uids[3]}", "+FLAGS.SILENT", "(\\Deleted)")
        assert client.uid("EXPUNGE", str(uids[2]))[0] == "OK"
        assert client.untagged_responses.pop("EXPUNGE") == [b"2"]
        assert [m["uid"] for m in listing(store)] == [uids[0], uids[3]]
        assert client.expunge() == ("OK", [b"2"])
    assert [m["uid"] for m in listing(store)] == [uids[0]]
    assert len(listing(store, ALICE, "Trash")) == 1 and len(listing(store, ALICE, "Junk")) == 1


def status_items(data: list) -> dict[str, int]:
    items = parse(data[0])[-1]
    return {str(k).upper(): int(v) for k, v in zip(items[::2], items[1::2])}


def test_imaplib_append_and_status(imap_system):
    store, smtp, imap = imap_system
    _, raw_in = deliver(smtp, message("Counted"))
    draft = message("My draft", "Ünïcode draft body\r\n", sender=ALICE, to="bob@example.test")
    when = datetime.datetime(2024, 3, 1, 12, 30, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    with imaplib_session(imap, select=None) as client:
        typ, data = client.append("Drafts", "(\\Draft \\Seen)", imaplib.Time2Internaldate(when), draft)
        code = response_code(data[0])
        drafts = mailboxes(store)["Drafts"]
        assert typ == "OK" and code[0] == "APPENDUID" and int(code[1]) == drafts["uidValidity"], data
        uid = int(code[2])
        assert raw_message(store, ALICE, "Drafts", uid) == draft
        assert stored_flags(store, ALICE, "Drafts") == {uid: frozenset({"\\draft", "\\seen"})}
        typ, data = client.append("No/Such/Box", None, None, draft)
        assert typ == "NO" and response_code(data[0]) == ["TRYCREATE"], data
        assert status_items(client.status("Drafts", "(MESSAGES UIDNEXT UNSEEN SIZE)")[1]) == \
            {"MESSAGES": 1, "UIDNEXT": uid + 1, "UNSEEN": 0, "SIZE": len(draft)}
        assert status_items(client.status("INBOX", "(MESSAGES UNSEEN SIZE)")[1]) == \
            {"MESSAGES": 1, "UNSEEN": 1, "SIZE": len(raw_in)}
        client.select("Drafts", readonly=True)
        got = imaplib_fetch(client.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")[1])[1]
        assert datetime.datetime.strptime(got["INTERNALDATE"].decode().strip(), "%d-%b-%Y %H:%M:%S %z") == when
        assert got["BODY[]"] == draft


def test_imaplib_mailbox_management(imap_system):
    store, smtp, imap = imap_system
    with imaplib_session(imap, select=None) as client:
        for name in ("Projects", "Projects/2024", "&AMk-t&AOk-"):  # the last: "Été" in modified UTF-7
            assert client.create(name)[0] == "OK", name
        assert client.create("Projects")[0] == "NO"  # exists already
        listed = names(client.list('""', '"*"')[1])
        assert "\\haschildren" in listed["Projects"] and "\\hasnochildren" in listed["Projects/2024"]
        assert "&AMk-t&AOk-" in listed and "Été" in mailboxes(store)
        assert client.rename("Projects", "Work")[0] == "OK"  # inferiors move along
        listed = names(client.list('""', '"*"')[1])
        assert {"Work", "Work/2024"} <= set(listed) and not {"Projects", "Projects/2024"} & set(listed)
        assert client.subscribe("Work/2024")[0] == "OK"
        assert "Work/2024" in names(client.lsub('""', '"*"')[1])
        assert client.unsubscribe("Work/2024")[0] == "OK"
        assert "Work/2024" not in names(client.lsub('""', '"*"')[1])
        assert client.namespace() == ("OK", [b'(("" "/")) (("Other Users/" "/")) NIL'])
        for name in ("Work/2024", "Work", "&AMk-t&AOk-"):
            assert client.delete(name)[0] == "OK", name
        assert client.delete("INBOX")[0] == "NO"
        assert set(names(client.list('""', '"*"')[1])) == {"INBOX", *SPECIAL_USE}
    assert set(mailboxes(store)) == {"INBOX", *SPECIAL_USE}


def test_imaplib_rename_inbox_moves_its_messages(imap_system):
    """RFC 9051 §6.3.6 (RFC 3501 §6.3.5): renaming INBOX is permitted; it moves all messages
    to a new mailbox of that name and leaves INBOX, empty, where it was."""
    store, smtp, imap = imap_system
    sent = [deliver(smtp, message(f"Last year {n}")) for n in range(2)]
    with imaplib_session(imap, select=None) as client:
        typ, data = client.rename("INBOX", "Archive-2024")
        assert typ == "OK", data
        assert client.select("INBOX") == ("OK", [b"0"])
        assert client.select("Archive-2024")[1] == [b"2"]
    moved = listing(store, ALICE, "Archive-2024")
    assert [raw_message(store, ALICE, "Archive-2024", m["uid"]) for m in moved] == [raw for _, raw in sent]
    assert listing(store) == []
    deliver(smtp, message("This year"))  # new mail still arrives in INBOX


def test_imaplib_starttls_and_imaps(imap_system):
    store, smtp, imap = imap_system
    uid, raw = deliver(smtp, message("Over TLS"))
    with imaplib.IMAP4("127.0.0.1", imap.port, timeout=10) as client:
        assert client.starttls(ssl_context=trusting_context(imap))[0] == "OK"
        assert "STARTTLS" not in client.capabilities and "AUTH=PLAIN" in client.capabilities
        client.login(ALICE, PASSWORD)
        client.select("INBOX")
        assert imaplib_fetch(client.fetch("1", "(BODY.PEEK[])")[1])[1]["BODY[]"] == raw
    with imaplib.IMAP4_SSL("127.0.0.1", imap.tls_port, ssl_context=trusting_context(imap), timeout=10) as client:
        assert "STARTTLS" not in client.capabilities
        client.login(ALICE, PASSWORD)
        client.select("INBOX", readonly=True)
        assert imaplib_fetch(client.fetch("1", "(BODY[])")[1])[1]["BODY[]"] == raw
    assert stored_flags(store) == {uid: frozenset()}  # EXAMINE: BODY[] sets no \Seen


def test_imaplib_close_unselect_and_logout_expunge_only_on_close(imap_system):
    store, smtp, imap = imap_system
    uids = [deliver(smtp, message(f"Close {n}"))[0] for n in range(3)]
    with imaplib_session(imap) as client:
        client.store("1", "+FLAGS.SILENT", "(\\Deleted)")
        assert client.unselect()[0] == "OK"  # RFC 3691: no expunge
        client.select("INBOX")
        client.select("INBOX", readonly=True)  # SELECT and EXAMINE close without expunging
        assert client.close()[0] == "OK"  # read-only: nothing removed
        assert [m["uid"] for m in listing(store)] == uids
        client.select("INBOX")
        assert client.close()[0] == "OK"
        assert "EXPUNGE" not in client.untagged_responses  # CLOSE expunges silently
        assert [m["uid"] for m in listing(store)] == uids[1:]
        client.select("INBOX")
        client.store("1", "+FLAGS.SILENT", "(\\Deleted)")
        assert client.logout()[0] == "BYE"
    assert [m["uid"] for m in listing(store)] == uids[1:]  # LOGOUT expunges nothing
    assert "\\deleted" in stored_flags(store)[uids[1]]


def test_imaplib_idle_by_hand_sees_new_mail(imap_system):
    store, smtp, imap = imap_system
    deliver(smtp, message("Before idle"))
    with imaplib_session(imap) as client:
        client.send(b"i1 IDLE\r\n")
        assert client.readline().startswith(b"+")
        send_mail(smtp, message("During idle"))
        line = client.readline()
        while not line.endswith(b"EXISTS\r\n"):
            line = client.readline()
        assert line == b"* 2 EXISTS\r\n"
        client.send(b"DONE\r\n")
        while not line.startswith(b"i1 "):
            line = client.readline()
        assert line.startswith(b"i1 OK"), line
