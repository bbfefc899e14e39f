"""Helpers shared by the IMAP end-to-end tests: mail in through the smtp-gateway, a raw IMAP
socket (for what imaplib will not do: exact responses, literals that lie, garbage, IDLE by
hand), a small parser for IMAP response data, and store look-ups to compare against."""

import re
import time

from conftest import Gateway, IMAPGateway, Store
from support import (ALICE, BOB, PASSWORD, RawSession, non_loopback_address, smtp_send,  # noqa: F401
                     trusting_context)
HOSTNAME = "imap.example.test"
SPECIAL_USE = {"Sent": "\\Sent", "Drafts": "\\Drafts", "Trash": "\\Trash", "Junk": "\\Junk"}
# Listed in every state; LITERAL- before login, LITERAL+ after (RFC 7888 §5: never both at once).
CAPABILITIES = ("IMAP4rev1 IMAP4rev2 SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MULTIAPPEND MOVE CHILDREN "
                "LIST-EXTENDED LIST-STATUS SPECIAL-USE STATUS=SIZE CONDSTORE QRESYNC ESEARCH SEARCHRES BINARY "
                "UTF8=ACCEPT SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES ESORT CONTEXT=SEARCH CONTEXT=SORT AUTH=PLAIN "
                "OBJECTID SAVEDATE CREATE-SPECIAL-USE PREVIEW REPLACE "
                "COMPRESS=DEFLATE PARTIAL CATENATE").split()


# --- mail in ---------------------------------------------------------------------------------------


def message(subject: str, body: str = "Hello.\r\n", sender: str = "Sender <sender@remote.test>",
            to: str = ALICE, extra: str = "") -> bytes:
    """A small CRLF message; `Message-ID` derived from the subject."""
    mid = re.sub(r"[^A-Za-z0-9]+", ".", subject).strip(".") or "x"
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{mid}.{time.monotonic_ns()}@remote.test>\r\n"
            f"Date: Mon, 6 May 2024 10:00:00 +0200\r\n{extra}\r\n{body}").encode()


def multipart(subject: str, text: str = "The text part.\r\n") -> bytes:
    return message(subject, (
        "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + text +
        "--b1\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n"
        "Content-Disposition: attachment; filename=\"data.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "AAECAwQFBgcICQ==\r\n--b1--\r\n"),
        extra="MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n")


def send_mail(smtp: Gateway, raw: bytes, recipient: str = ALICE, sender: str = "sender@remote.test") -> None:
    """One message in through the smtp-gateway's MX port."""
    smtp_send(smtp, raw, recipient, sender, eight_bit=any(b > 0x7F for b in raw))


def deliver(smtp: Gateway, raw: bytes, recipient: str = ALICE, timeout: float = 10.0) -> tuple[int, bytes]:
    """Sends `raw` through the smtp-gateway and waits until it is in the recipient's INBOX;
    returns its UID and the store's copy (`raw` behind the gateway's `Received:` field)."""
    before = {m["uid"] for m in listing(smtp.store, recipient)}
    send_mail(smtp, raw, recipient)
    deadline = time.monotonic() + timeout
    while True:
        for m in listing(smtp.store, recipient):
            if m["uid"] not in before:
                copy = raw_message(smtp.store, recipient, "INBOX", m["uid"])
                if copy.endswith(raw):
                    return m["uid"], copy
        assert time.monotonic() < deadline, "the message did not reach the store"
        time.sleep(0.05)


# --- the store's view ------------------------------------------------------------------------------


def mailboxes(store: Store, account: str = ALICE) -> dict[str, dict]:
    r = store.api("GET", f"/v1/accounts/{account}/mailboxes")
    assert r.status_code == 200, r.text
    return {m["name"]: m for m in r.json()["mailboxes"]}


def listing(store: Store, account: str = ALICE, name: str = "INBOX") -> list[dict]:
    """Every message summary of a mailbox, in UID order (all pages)."""
    box = mailboxes(store, account)[name]
    out, after = [], 0
    while True:
        r = store.api("GET", f"/v1/accounts/{account}/mailboxes/{box['id']}/messages", params={"after": after})
        assert r.status_code == 200, r.text
        body = r.json()
        out += body["messages"]
        if "nextAfter" not in body:
            return out
        after = body["nextAfter"]


def raw_message(store: Store, account: str, name: str, uid: int) -> bytes:
    box = mailboxes(store, account)[name]
    r = store.api("GET", f"/v1/accounts/{account}/mailboxes/{box['id']}/messages/{uid}/raw")
    assert r.status_code == 200, r.text
    return r.content


def stored_flags(store: Store, account: str = ALICE, name: str = "INBOX") -> dict[int, frozenset]:
    return {m["uid"]: flagset(m["flags"]) for m in listing(store, account, name)}


def flagset(flags) -> frozenset:
    """Flags compared as IMAP does (case-insensitively), without the session-only \\Recent."""
    out = set()
    for f in flags:
        f = f.decode() if isinstance(f, bytes) else str(f)
        if f.lower() != "\\recent":
            out.add(f.lower())
    return frozenset(out)


# --- IMAP response data ----------------------------------------------------------------------------


class Atom(str):
    """An atom or number of a response (strings and literals are bytes, NIL is None)."""


def parse(data: bytes) -> list:
    """The tokens of an IMAP response line: parenthesized lists become lists, quoted strings
    and literals bytes, NIL None, everything else an Atom (`BODY[HEADER.FIELDS (X)]<0>` is one)."""
    tokens, pos = _parse_list(data, 0, top=True)
    return tokens


def _parse_list(data: bytes, pos: int, top: bool = False) -> tuple[list, int]:
    out: list = []
    n = len(data)
    while pos < n:
        c = data[pos:pos + 1]
        if c in (b" ", b"\r", b"\n"):
            pos += 1
        elif c == b"(":
            item, pos = _parse_list(data, pos + 1)
            out.append(item)
        elif c == b")":
            if top:
                raise ValueError(f"unbalanced ) at {pos} in {data[:200]!r}")
            return out, pos + 1
        elif c == b'"':
            pos += 1
            value = bytearray()
            while data[pos:pos + 1] != b'"':
                if pos >= n:
                    raise ValueError(f"unterminated string in {data[:200]!r}")
                if data[pos:pos + 1] == b"\\":
                    pos += 1
                value += data[pos:pos + 1]
                pos += 1
            out.append(bytes(value))
            pos += 1
        elif c == b"{" or data[pos:pos + 2] == b"~{":
            m = re.compile(rb"~?\{(\d+)\+?\}\r?\n?").match(data, pos)
            if not m:
                raise ValueError(f"bad literal at {pos} in {data[:200]!r}")
            size = int(m.group(1))
            out.append(data[m.end():m.end() + size])
            pos = m.end() + size
        else:
            start = pos
            while pos < n and data[pos:pos + 1] not in (b" ", b"(", b")", b"\r", b"\n"):
                if data[pos:pos + 1] == b"[":
                    close = data.index(b"]", pos)
                    pos = close
                pos += 1
            atom = data[start:pos].decode("utf-8", "surrogateescape")
            out.append(None if atom.upper() == "NIL" else Atom(atom))
    if not top:
        raise ValueError(f"unbalanced ( in {data[:200]!r}")
    return out, pos


def fetch_items(tokens: list) -> dict:
    """`[seq, FETCH, [name value ...]]` (or `[seq, [...]]` from imaplib) as {NAME: value}."""
    items = tokens[-1]
    return {str(items[i]).upper(): items[i + 1] for i in range(0, len(items), 2)}


def imaplib_responses(data: list) -> list[bytes]:
    """imaplib's data list for a command with literals, put back into whole response lines
    (a tuple is `(line-up-to-literal, literal)`; the line goes on in the next element)."""
    out: list[bytes] = []
    continuing = False
    for element in data:
        if element is None:
            continue
        piece = element[0] + b"\r\n" + element[1] if isinstance(element, tuple) else element
        if continuing:
            out[-1] += piece
        else:
            out.append(piece)
        continuing = isinstance(element, tuple)
    return out


def imaplib_fetch(data: list) -> dict[int, dict]:
    """imaplib's FETCH result as {sequence number: {ITEM: value}}."""
    result: dict[int, dict] = {}
    for line in imaplib_responses(data):
        tokens = parse(line)
        result.setdefault(int(tokens[0]), {}).update(fetch_items(tokens))
    return result


def response_code(line: bytes) -> list[str] | None:
    """The response code of a status response (`[COPYUID 7 1:2 5:6]` → ['COPYUID', '7', ...])."""
    m = re.search(rb"\[([^\]]*)\]", line)
    return m.group(1).decode("utf-8", "replace").split() if m else None


def uid_set(text: str) -> list[int]:
    """`1:3,7` → [1, 2, 3, 7] (in the order given, as COPYUID pairs them)."""
    out: list[int] = []
    for part in text.split(","):
        a, _, b = part.partition(":")
        lo, hi = int(a), int(b or a)
        out += list(range(lo, hi + 1)) if lo <= hi else list(range(lo, hi - 1, -1))
    return out


# --- a raw IMAP socket -----------------------------------------------------------------------------


class RawIMAP(RawSession):
    """A plain (or TLS) socket speaking IMAP. `send` writes bytes as given; `response` reads
    one whole response (literals included, final CRLF stripped); `command` sends one tagged
    command and returns (tagged response, untagged responses)."""

    LITERAL_AT_END = re.compile(rb"~?\{(\d+)\+?\}$")

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.counter = 0

    def response(self) -> bytes:
        out = self.line()
        while (m := self.LITERAL_AT_END.search(out)) and not out.startswith(b"+"):
            size = int(m.group(1))
            while len(self.buffer) < size:
                self._fill()
            out += b"\r\n" + self.buffer[:size]
            self.buffer = self.buffer[size:]
            out += self.line()
        return out

    def tag(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def command(self, text: bytes | str, tag: str | None = None) -> tuple[bytes, list[bytes]]:
        tag = tag or self.tag()
        text = text.encode() if isinstance(text, str) else text
        self.send(tag.encode() + b" " + text + b"\r\n")
        return self.until_tagged(tag)

    def until_tagged(self, tag: str) -> tuple[bytes, list[bytes]]:
        untagged = []
        while True:
            r = self.response()
            if r.startswith(tag.encode() + b" "):
                return r, untagged
            untagged.append(r)

    def ok(self, text: bytes | str) -> list[bytes]:
        tagged, untagged = self.command(text)
        assert status(tagged) == "OK", (text[:200], tagged)
        return untagged

    def greeting(self) -> bytes:
        g = self.line()
        assert g.startswith(b"* OK"), g
        return g

    def login(self, user: str = ALICE, password: str = PASSWORD) -> None:
        self.ok(f'LOGIN "{user}" "{password}"')


def status(tagged: bytes) -> str:
    """OK, NO or BAD of a tagged response line."""
    parts = tagged.split(b" ", 2)
    return parts[1].decode("ascii", "replace").upper() if len(parts) > 1 else ""


def open_session(port: int, login: str | None = None, **kw) -> RawIMAP:
    s = RawIMAP(port, **kw)
    s.greeting()
    if login:
        s.login(login)
    return s


def uid_flags(session: RawIMAP, mailbox: str | None = None) -> dict[int, frozenset]:
    """{UID: flags} of the selected mailbox (or of `mailbox`, selected first), by UID FETCH."""
    if mailbox:
        session.ok(f'SELECT "{mailbox}"')
    out = {}
    for r in session.ok("UID FETCH 1:* (FLAGS)"):
        tokens = parse(r)
        if len(tokens) >= 4 and str(tokens[2]).upper() == "FETCH":
            items = fetch_items(tokens)
            out[int(items["UID"])] = flagset(items["FLAGS"])
    return out


def answers(gateway: IMAPGateway, mailbox: str = "INBOX") -> bool:
    """The gateway is alive and a fresh session can log in and select `mailbox`."""
    if gateway.proc is None or gateway.proc.poll() is not None:
        return False
    with open_session(gateway.port, login=ALICE) as s:
        s.ok(f'SELECT "{mailbox}"')
        s.ok("LOGOUT")
    return True


# --- misbehaving clients ----------------------------------------------------------------------------


def refused(s: RawIMAP, line: bytes | str, allowed=("BAD", "NO")) -> bytes:
    """Sends `line` as one tagged command: answered with its tag and one of `allowed`, and the
    session still answers NOOP."""
    tag = s.tag()
    tagged, _ = s.command(line, tag=tag)
    assert status(tagged) in allowed, (line[:80], tagged)
    assert status(s.command("NOOP")[0]) == "OK", ("dead after", line[:80])
    return tagged


def refused_in_turn(port: int, lines: list, allowed=("BAD", "NO"), login: str | None = None,
                    select: str | None = None, per_session: int = 5) -> None:
    """Each of `lines` refused (see `refused`), at most `per_session` on one connection: a
    server may end a session after many errors."""
    for i in range(0, len(lines), per_session):
        with open_session(port, login=login) as s:
            if select:
                s.ok(f"SELECT {select}")
            for line in lines[i:i + per_session]:
                refused(s, line, allowed)

