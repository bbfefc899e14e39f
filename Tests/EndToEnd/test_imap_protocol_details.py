"""Protocol details a client library nobody here wrote relies on (issue 13): subscriptions
that belong to names (RFC 3501 §6.3.6, RFC 9051 §6.3.6–6.3.7, RFC 5258), BINARY[] of a whole
or multipart message (RFC 3516, RFC 9051 §6.4.5), the MODSEQ of an ESEARCH MIN/MAX (RFC 4731
§3.2) and the HIGHESTMODSEQ owed after the first CONDSTORE-enabling command (RFC 7162 §3.1),
an RFC 2971 ID command of ~32 KB on one line, and BODYSTRUCTURE fields (RFC 3501 §7.4.2)."""

import imaplib

from imap_support import (ALICE, PASSWORD, deliver, fetch_items, imaplib_fetch, message, multipart, open_session, parse,
                          raw_message)


def imaplib_session(imap) -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    return client


def listed(entries: list) -> dict[str, set[str]]:
    """LIST/LSUB data as {name: {attributes, lower case}}."""
    out = {}
    for entry in entries:
        if entry is None:
            continue
        attributes, _, name = parse(entry)[:3]
        out[name.decode() if isinstance(name, bytes) else str(name)] = {str(a).lower() for a in attributes}
    return out


def test_subscriptions_belong_to_names(imap_system):
    store, smtp, imap = imap_system
    with imaplib_session(imap) as client:
        # RFC 9051 §6.3.7: SUBSCRIBE of a name no mailbox has may succeed; it does here.
        assert client.subscribe("Later")[0] == "OK"
        assert client.create("Projects/2026")[0] == "OK"
        # RFC 3501 §6.3.6: DELETE does not take the subscription with it.
        assert client.delete("Projects/2026")[0] == "OK"
        typ, data = client.lsub('""', "*")
        subscribed = listed(data)
        assert typ == "OK" and {"Later", "Projects/2026"} <= set(subscribed), data
        assert "\\noselect" in subscribed["Later"] and "\\noselect" in subscribed["Projects/2026"], data
        # RFC 5258 §3.1: LIST (SUBSCRIBED) gives them as \NonExistent.
        typ, data = client._simple_command("LIST", "(SUBSCRIBED)", '""', '"*"')
        entries = listed(client._untagged_response(typ, [None], "LIST")[1])
        assert {"\\nonexistent", "\\subscribed"} <= entries["Later"], entries
        # RFC 3501 §6.3.9: LSUB with % gives an unsubscribed superior as \Noselect.
        assert client.unsubscribe("Projects")[0] == "OK"
        typ, data = client.lsub('""', "%")
        top = listed(data)
        assert top.get("Projects") == {"\\noselect"} and "Projects/2026" not in top, data
        # RFC 9051 §6.3.6: RENAME changes no subscription.
        assert client.create("Old")[0] == "OK"
        assert client.rename("Old", "New")[0] == "OK"
        subscribed = listed(client.lsub('""', "*")[1])
        assert "Old" in subscribed and "New" not in subscribed, subscribed


def test_binary_of_a_whole_and_a_multipart_message(imap_system):
    store, smtp, imap = imap_system
    uid, _ = deliver(smtp, multipart("Binary whole"))
    stored = raw_message(store, ALICE, "INBOX", uid)
    with imaplib_session(imap) as client:
        client.select("INBOX", readonly=True)
        typ, data = client.uid("FETCH", str(uid), "(BINARY.PEEK[] BINARY.SIZE[] BODY.PEEK[1] BINARY.PEEK[1])")
        assert typ == "OK", data
        (answer,) = imaplib_fetch(data).values()
        # A multipart has no encoding of its own to remove (RFC 2045 §6.4): the message as stored.
        assert answer["BINARY[]"] == stored and int(answer["BINARY.SIZE[]"]) == len(stored), answer
        assert answer["BINARY[1]"] == answer["BODY[1]"] == b"The text part.", answer
        # Part 2 is base64: decoded.
        typ, data = client.uid("FETCH", str(uid), "(BINARY.PEEK[2])")
        (answer,) = imaplib_fetch(data).values()
        assert answer["BINARY[2]"] == bytes(range(10)), answer


def test_esearch_min_max_modseq_and_highestmodseq_after_fetch(imap_system):
    store, smtp, imap = imap_system
    for n in range(3):
        deliver(smtp, message(f"modseq {n}"))
    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        # RFC 7162 §3.1: the first CONDSTORE-enabling command (here FETCH MODSEQ) is answered
        # with OK [HIGHESTMODSEQ] too; later ones are not.
        first = s.ok("FETCH 1 (MODSEQ)")
        assert any(r.startswith(b"* OK [HIGHESTMODSEQ ") for r in first), first
        assert not any(b"HIGHESTMODSEQ" in r for r in s.ok("FETCH 2 (MODSEQ)"))
        base = int(parse(s.ok("STATUS INBOX (HIGHESTMODSEQ)")[0])[3][1])
        s.ok("STORE 3 +FLAGS.SILENT (\\Seen)")
        s.ok("STORE 1 +FLAGS.SILENT (\\Seen)")
        modseqs = {int(parse(r)[1]): int(fetch_items(parse(r))["MODSEQ"][0]) for r in s.ok("FETCH 1:3 (MODSEQ)")}
        assert modseqs[3] < modseqs[1], modseqs
        # RFC 4731 §3.2: with MAX alone, the MODSEQ of the message returned, not the highest.
        answer = s.ok(f"SEARCH RETURN (MAX) MODSEQ {base + 1}")
        assert len(answer) == 1 and parse(answer[0])[3:] == ["MAX", "3", "MODSEQ", str(modseqs[3])], answer
        answer = s.ok(f"SEARCH RETURN (COUNT) MODSEQ {base + 1}")
        assert len(answer) == 1 and parse(answer[0])[3:] == ["COUNT", "2", "MODSEQ", str(modseqs[1])], answer


def test_id_command_of_thirty_long_fields(imap_system):
    """RFC 2971 §3.3: up to 30 fields of up to 1,024 octets — a ~32 KB line, far over 8,192."""
    store, smtp, imap = imap_system
    with imaplib_session(imap) as client:
        fields = " ".join(f'"k{n}" "{"v" * 1024}"' for n in range(30))
        typ, data = client.xatom("ID", f"({fields})")
        assert typ == "OK", data
        assert client.noop()[0] == "OK"


def test_bodystructure_location_lines_and_parameter_order(imap_system):
    store, smtp, imap = imap_system
    raw = (b"From: a@remote.test\r\nTo: " + ALICE.encode() + b"\r\nSubject: structure\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
           b"--b\r\nContent-Type: text/plain; format=flowed; charset=utf-8; delsp=no\r\n"
           b"Content-Location: (a comment) http://example.test/a.txt (another)\r\n\r\n"
           b"one\r\ntwo\r\n--b--\r\n")
    uid, _ = deliver(smtp, raw)
    with imaplib_session(imap) as client:
        client.select("INBOX", readonly=True)
        typ, data = client.uid("FETCH", str(uid), "(BODYSTRUCTURE)")
        (answer,) = imaplib_fetch(data).values()
        text = answer["BODYSTRUCTURE"][0]
        # The header's parameter order; lines counted with the unterminated last one; the
        # location without its comments (RFC 3501 §7.4.2 body-fld-param, body-fld-lines, body-fld-loc).
        assert text[2] == [b"FORMAT", b"flowed", b"CHARSET", b"utf-8", b"DELSP", b"no"], text
        assert text[7] == "2", text
        assert text[11] == b"http://example.test/a.txt", text
