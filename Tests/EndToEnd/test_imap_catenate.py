"""CATENATE (RFC 4469) against the real gateway: APPEND puts a message together from TEXT
literals and IMAP URLs (RFC 5092) of messages and parts in the user's own mailboxes, absolute
(`imap://alice@host/…`, `/Drafts;…`) or relative to the APPEND's mailbox (`;UID=…`); a URL that
names nothing this user may read is `NO [BADURL url]` and nothing is stored; a message that
outgrows APPENDLIMIT is `NO [TOOBIG]`; and CATENATE goes inside a MULTIAPPEND, all or none.
What the store keeps is compared with what imaplib FETCHes of the parts."""

import imaplib
import re

import pytest

from conftest import IMAPGateway, Store
from imap_support import ALICE, BOB, HOSTNAME, PASSWORD, listing, message, multipart, raw_message

LIMIT = 8192


@pytest.fixture
def small_limit(tmp_path):
    store = Store(tmp_path / "data").start()
    store.add_user(ALICE)
    store.add_user(BOB)
    gateway = None
    try:
        gateway = IMAPGateway(store, tmp_path, env={"BUZON_IMAP_MAX_MESSAGE_SIZE": str(LIMIT)}).start()
        yield store, gateway
    finally:
        if gateway:
            gateway.stop()
        store.stop()


def command(client: imaplib.IMAP4, tag: str, *pieces: bytes | str) -> bytes:
    """Sends a command made of text pieces and LITERAL+ literals (bytes), reads to the tagged
    line and returns it."""
    wire = b""
    for piece in pieces:
        wire += piece.encode() if isinstance(piece, str) else b"{%d+}\r\n" % len(piece) + piece
    client.send(tag.encode() + b" " + wire + b"\r\n")
    while True:
        line = client.readline().rstrip(b"\r\n")
        if line.startswith(tag.encode() + b" "):
            return line


def fetch(client: imaplib.IMAP4, uid: int, item: str) -> bytes:
    typ, data = client.uid("FETCH", str(uid), f"({item})")
    assert typ == "OK", data
    return data[0][1]


def setup(client: imaplib.IMAP4) -> tuple[int, bytes]:
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    assert "CATENATE" in client.capabilities
    typ, data = client.append("Drafts", None, None, multipart("Original"))
    assert typ == "OK", data
    uid = int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))
    typ, data = client.status("Drafts", "(UIDVALIDITY)")
    validity = re.search(rb"UIDVALIDITY (\d+)", data[0]).group(1)
    assert client.select("Drafts")[0] == "OK"
    return uid, validity


def appended(line: bytes) -> list[int]:
    match = re.match(rb"\S+ OK \[APPENDUID \d+ ([\d:,]+)\]", line)
    assert match, line
    out = []
    for piece in match.group(1).split(b","):
        low, _, high = piece.partition(b":")
        out += range(int(low), int(high or low) + 1)
    return out


def test_catenate_assembles_from_urls_and_text(small_limit):
    store, imap = small_limit
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    uid, validity = setup(client)
    v = validity.decode()
    header, mime, part1, text = (fetch(client, uid, f"BODY.PEEK[{s}]") for s in ("HEADER", "1.MIME", "1", "TEXT"))
    whole = raw_message(store, ALICE, "Drafts", uid)
    intro = b"--b1\r\nContent-Type: text/plain\r\n\r\nA new first part.\r\n"

    # RFC 4469 §3's own shape: the old header, new text, an old part with its MIME header.
    line = command(client, "c1", "APPEND Drafts (\\Seen) CATENATE (",
                   f'URL "/Drafts;UIDVALIDITY={v}/;UID={uid}/;section=HEADER" TEXT ', intro,
                   f' URL "/Drafts;UIDVALIDITY={v}/;UID={uid}/;SECTION=1.MIME" URL ";UID={uid}/;SECTION=1" TEXT ',
                   b"\r\n--b1--\r\n", ")")
    [new] = appended(line)
    assert raw_message(store, ALICE, "Drafts", new) == header + intro + mime + part1 + b"\r\n--b1--\r\n"

    # A whole message by an absolute URL naming this user and server, and a PARTIAL of it.
    line = command(client, "c2", f'APPEND INBOX CATENATE (URL "imap://{ALICE.replace("@", "%40")}@{HOSTNAME}/Drafts;UIDVALIDITY={v}/;UID={uid}")')
    [copy] = appended(line)
    assert raw_message(store, ALICE, "INBOX", copy) == whole
    line = command(client, "c3", f'APPEND Drafts CATENATE (TEXT ', b"Subject: x\r\n\r\n",
                   f' URL "/Drafts/;UID={uid}/;SECTION=TEXT/;PARTIAL=4.10")')
    [cut] = appended(line)
    assert raw_message(store, ALICE, "Drafts", cut) == b"Subject: x\r\n\r\n" + text[4:14]

    # CATENATE inside a MULTIAPPEND, beside a plain literal: one APPENDUID for both.
    plain = message("Plain one")
    line = command(client, "c4", "APPEND Drafts ", plain, f' (\\Draft) CATENATE (URL ";UID={uid}/;SECTION=HEADER" TEXT ', b"Body.\r\n", ")")
    first, second = appended(line)
    assert raw_message(store, ALICE, "Drafts", first) == plain
    assert raw_message(store, ALICE, "Drafts", second) == header + b"Body.\r\n"
    assert client.logout()[0] == "BYE"


def test_bad_urls_and_too_big(small_limit):
    store, imap = small_limit
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    uid, validity = setup(client)
    v = validity.decode()
    # Bob's mail exists, but is not Alice's to read.
    bob = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert bob.login(BOB, PASSWORD)[0] == "OK"
    assert bob.append("INBOX", None, None, message("Bob's"))[0] == "OK"
    bob.logout()
    before = len(listing(store, ALICE, "Drafts"))
    bad = [
        f"/Drafts;UIDVALIDITY={int(v) + 1}/;UID={uid}",          # stale UIDVALIDITY
        f"/Drafts;UIDVALIDITY={v}/;UID={uid + 100}",             # no such message
        f"/Nowhere/;UID={uid}",                                  # no such mailbox
        f"/Drafts/;UID={uid}/;SECTION=9",                        # no such part
        f"imap://{BOB.replace('@', '%40')}@{HOSTNAME}/INBOX/;UID=1",  # another user
        f"imap://mail.elsewhere.test/Drafts/;UID={uid}",         # another server
        f"/Drafts;UIDVALIDITY={v}/;UID={uid};URLAUTH=anonymous:internal:0123456789abcdef0123456789abcdef",
        "http://example.test/x",                                 # not an IMAP URL
    ]
    for n, url in enumerate(bad):
        line = command(client, f"b{n}", f'APPEND Drafts CATENATE (TEXT ', b"X: y\r\n\r\n", f' URL "{url}")')
        assert line.startswith(f"b{n} NO [BADURL ".encode()), (url, line)
    # In a MULTIAPPEND, one bad URL stores nothing at all.
    line = command(client, "m1", "APPEND Drafts ", message("Would be first"), f' CATENATE (URL "/Drafts/;UID={uid + 100}")')
    assert line.startswith(b"m1 NO [BADURL "), line
    assert len(listing(store, ALICE, "Drafts")) == before
    # The same message three times outgrows APPENDLIMIT (8 KiB here) once assembled.
    size = len(raw_message(store, ALICE, "Drafts", uid))
    count = LIMIT // size + 1
    urls = " ".join(f'URL "/Drafts/;UID={uid}"' for _ in range(count))
    line = command(client, "t1", f"APPEND Drafts CATENATE ({urls})")
    assert line.startswith(b"t1 NO [TOOBIG]"), line
    assert len(listing(store, ALICE, "Drafts")) == before
    # CATENATE syntax: a part that is neither TEXT nor URL.
    line = command(client, "s1", 'APPEND Drafts CATENATE (FOO "x")')
    assert line.startswith(b"s1 BAD"), line
    assert client.logout()[0] == "BYE"
