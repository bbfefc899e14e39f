"""UTF8=ACCEPT (RFC 6855) as clients see it: after `ENABLE UTF8=ACCEPT` mailbox names travel as
UTF-8 (not modified UTF-7), names are kept in NFC so a name sent decomposed (NFD) finds the
mailbox, APPEND takes the `UTF8 (~{n} …)` form (§4), and a client that never enabled it is
still served a message with UTF-8 header fields (§5), with modified UTF-7 names."""

import imaplib
import re
import unicodedata

from imap_support import ALICE, PASSWORD, deliver, mailboxes, message, raw_message

NFC = unicodedata.normalize("NFC", "Café Größe")
NFD = unicodedata.normalize("NFD", NFC)
assert NFC != NFD


def logged_in(imap, utf8: bool) -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    if utf8:
        typ, data = client.enable("UTF8=ACCEPT")
        assert typ == "OK", data
        assert client.untagged_responses.pop("ENABLED", [b""])[-1].upper() == b"UTF8=ACCEPT"
    return client


def quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def listed(client: imaplib.IMAP4) -> list[bytes]:
    typ, data = client.list()
    assert typ == "OK", data
    return data


def raw_command(client: imaplib.IMAP4, tag: str, line: bytes, literal: bytes | None = None, after: bytes = b"") -> list[bytes]:
    """Sends `line` (ending in a literal header when `literal` is given), then the literal and
    `after`, and reads up to the tagged answer; returns every line read."""
    client.send(line + b"\r\n")
    lines = []
    if literal is not None:
        answer = client.readline()
        assert answer.startswith(b"+"), answer
        client.send(literal + after + b"\r\n")
    while True:
        answer = client.readline()
        lines.append(answer)
        if answer.startswith(tag.encode() + b" "):
            return lines


def test_utf8_names_and_nfc(imap_system):
    store, _, imap = imap_system
    client = logged_in(imap, utf8=True)
    # CREATE with the decomposed form: stored composed (RFC 6855 §3, RFC 5198 §2: NFC).
    assert client.create(quoted(NFD))[0] == "OK"
    assert NFC in mailboxes(store) and NFD not in mailboxes(store)
    # The composed name already exists, whichever form names it.
    typ, data = client.create(quoted(NFC))
    assert typ == "NO" and b"ALREADYEXISTS" in data[0], data
    # LIST sends the name as UTF-8, not modified UTF-7.
    names = b"\n".join(listed(client))
    assert quoted(NFC).encode() in names and b"&" not in names, names
    # SELECT by the decomposed name finds the composed mailbox.
    assert client.select(quoted(NFD))[0] == "OK"
    client.close()
    # RENAME to a decomposed name stores it composed; the old one is gone.
    target = unicodedata.normalize("NFD", "Ärger/Übersicht")
    assert client.rename(quoted(NFD), quoted(target))[0] == "OK"
    assert "Ärger/Übersicht" in mailboxes(store) and NFC not in mailboxes(store)
    # A name that is not UTF-8 is refused after ENABLE (no modified UTF-7 decoding either).
    client.send(b"u1 CREATE \"Caf\xe9\"\r\n")
    assert client.readline().startswith(b"u1 BAD")
    assert client.create(quoted("Fish & Chips"))[0] == "OK"
    assert "Fish & Chips" in mailboxes(store)
    client.logout()

    # A client that did not enable UTF8=ACCEPT sees modified UTF-7 names (RFC 6855 §3).
    legacy = logged_in(imap, utf8=False)
    names = b"\n".join(listed(legacy))
    assert b"&AMQ-rger/&ANw-bersicht" in names and "Ärger".encode() not in names, names
    assert b"Fish &- Chips" in names
    # And its own modified UTF-7 names are stored composed too.
    assert legacy.create('"Entw&APw-rfe"')[0] == "OK"
    assert "Entwürfe" in mailboxes(store)
    legacy.logout()


def utf8_message(subject: str) -> bytes:
    return (f"From: Jösé <jose@example.test>\r\nTo: {ALICE}\r\nSubject: {subject}\r\n"
            "Message-ID: <utf8.append@example.test>\r\nDate: Mon, 6 May 2024 10:00:00 +0200\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln.\r\n").encode()


def test_append_utf8_form(imap_system):
    store, _, imap = imap_system
    raw = utf8_message("Grüße aus Köln")
    # Before ENABLE the UTF8 form is refused (RFC 6855 §4 needs UTF8=ACCEPT).
    legacy = logged_in(imap, utf8=False)
    legacy.send(b"a1 APPEND INBOX UTF8 (~{%d+}\r\n" % len(raw) + raw + b")\r\n")
    assert legacy.readline().startswith(b"a1 BAD")
    assert legacy.noop()[0] == "OK"
    legacy.logout()

    client = logged_in(imap, utf8=True)
    lines = raw_command(client, "a2", b"a2 APPEND INBOX (\\Seen) UTF8 (~{%d}" % len(raw), raw, after=b")")
    assert re.match(rb"a2 OK \[APPENDUID \d+ 1\]", lines[-1]), lines
    assert raw_message(store, ALICE, "INBOX", 1) == raw
    assert client.select("INBOX")[0] == "OK"
    typ, data = client.uid("FETCH", "1", "(BODY.PEEK[] ENVELOPE)")
    assert typ == "OK" and raw in [part for item in data if isinstance(item, tuple) for part in item], data
    # After ENABLE the envelope's UTF-8 subject may come quoted (RFC 6855 §3).
    assert '"Grüße aus Köln"'.encode() in data[0][0] or b"Gr\xc3\xbc\xc3\x9fe" in b"".join(
        p for item in data for p in (item if isinstance(item, tuple) else (item,)) if p), data
    client.logout()


def test_legacy_client_still_served_utf8_message(imap_system):
    """RFC 6855 §5: a client that has not enabled UTF8=ACCEPT still gets the message, its
    8-bit header text in literals (never in quoted strings, RFC 3501 §9)."""
    store, smtp, imap = imap_system
    raw = utf8_message("Ünïcödé")
    uid, copy = deliver(smtp, raw)
    client = logged_in(imap, utf8=False)
    assert client.select("INBOX")[0] == "OK"
    typ, data = client.uid("FETCH", str(uid), "(ENVELOPE BODY.PEEK[])")
    assert typ == "OK", data
    joined = b"".join(p for item in data for p in (item if isinstance(item, tuple) else (item,)) if p)
    assert copy in joined
    # No 8-bit octet inside a quoted string: each 8-bit subject/name came as a literal.
    for quoted_string in re.findall(rb'"(?:[^"\\]|\\.)*"', data[0][0] if isinstance(data[0], tuple) else data[0]):
        assert all(b < 0x80 for b in quoted_string), quoted_string
    assert "Ünïcödé".encode() in joined
    client.logout()
