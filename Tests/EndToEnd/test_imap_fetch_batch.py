"""FETCH of many messages reads them from the store in batches (`POST …/messages/batch`): the
answer must be byte for byte what one FETCH per message answers, for bodies, headers, the
MIME structure and flags, across the store's page boundaries, and one FETCH of 50 messages
must cost the store a handful of requests, not one or two per message (the store's
per-route request counter on /metrics)."""

import pytest

from conftest import IMAPGateway, Store
from imap_support import ALICE, RawIMAP, mailboxes, message, multipart, open_session, parse, raw_message, status
from support import calls_between, store_calls

COUNT = 50


def stored_message(n: int) -> bytes:
    """Message n of the test mailbox: plain, multipart, dotted lines, 8-bit, some bigger."""
    if n % 5 == 0:
        return multipart(f"Multipart {n}", text=f"Part text {n}.\r\n" * (n % 7 + 1))
    body = f"Line one of {n}.\r\n.A dotted line\r\n" + "x" * 70 * (n % 9) + "\r\n"
    if n % 7 == 0:
        body += "Caf\u00e9 8-bit \u00fc\r\n"
    return message(f"Message {n}", body=body, extra="X-Number: %d\r\n" % n)


def append(store: Store, raw: bytes, mailbox: str = "INBOX", flags: str | None = None) -> int:
    box = mailboxes(store)[mailbox]
    params = [("flags", flag) for flag in flags.split()] if flags else None
    r = store.api("POST", f"/v1/accounts/{ALICE}/mailboxes/{box['id']}/messages", data=raw, params=params,
                  headers={"Content-Type": "message/rfc822"})
    assert r.status_code == 201, r.text
    return r.json()["copy"]["uid"]


@pytest.fixture
def system(tmp_path):
    store = Store(tmp_path / "data").start()
    store.add_user(ALICE)
    imap = IMAPGateway(store, tmp_path)
    try:
        imap.start()
        for n in range(1, COUNT + 1):
            flags = "\\Flagged" if n % 3 == 0 else ("\\Answered $Label" if n % 4 == 0 else None)
            append(store, stored_message(n), flags=flags)
        yield store, imap
    finally:
        imap.stop()
        store.stop()


def each_alone(s: RawIMAP, command: str, items: str, count: int) -> list[bytes]:
    out = []
    for n in range(1, count + 1):
        out += s.ok(f"{command} {n} {items}")
    return out


ITEMS = [
    "BODY.PEEK[]",
    "BODY.PEEK[HEADER]",
    "BODYSTRUCTURE",
    "(FLAGS BODY.PEEK[HEADER] BODYSTRUCTURE)",
    "(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODY.PEEK[TEXT])",
    "(BODY.PEEK[1] BINARY.PEEK[1] BINARY.SIZE[1] BODY.PEEK[HEADER.FIELDS (Subject X-Number)])",
    "(RFC822.HEADER BODY.PEEK[]<10.200>)",
]


@pytest.mark.parametrize("items", ITEMS)
def test_fetch_of_a_range_equals_one_fetch_per_message(system, items):
    store, imap = system
    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        together = s.ok(f"FETCH 1:{COUNT} {items}")
        alone = each_alone(s, "FETCH", items, COUNT)
        assert len(together) == COUNT
        assert together == alone
        # UID FETCH of a sparse set: the same answers for the same messages.
        sparse = "2,5:9,13,40:*"
        uids = [2, 5, 6, 7, 8, 9, 13] + list(range(40, COUNT + 1))
        assert s.ok(f"UID FETCH {sparse} {items}") == [r for n in uids for r in s.ok(f"UID FETCH {n} {items}")]


def test_fetch_that_sets_seen_equals_one_fetch_per_message(system):
    """BODY[] sets \\Seen (RFC 9051 §6.4.5): flags reported with the body are the new ones.
    A copy of the mailbox is fetched one message at a time for the reference."""
    store, imap = system
    with open_session(imap.port, login=ALICE) as s:
        s.ok("CREATE Copy")
        s.ok("SELECT INBOX")
        s.ok(f"COPY 1:{COUNT} Copy")
        together = s.ok(f"FETCH 1:{COUNT} (FLAGS BODY[])")
        s.ok("SELECT Copy")
        alone = each_alone(s, "FETCH", "(FLAGS BODY[])", COUNT)
        assert together == alone
        assert all(b"\\Seen" in r.split(b"BODY[]")[0] for r in together)


def test_fetch_bodies_across_store_pages(system):
    """Big messages: the batch comes in pages of about 2 MiB; every body still equals the
    store's bytes."""
    store, imap = system
    big = [message(f"Big {i}", body=("%d" % i) * 60 + "\r\n" + ("y" * 998 + "\r\n") * 900) for i in range(3)]
    uids = [append(store, raw) for raw in big]
    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        responses = s.ok(f"UID FETCH {uids[0]}:* (UID BODY.PEEK[])")
        assert len(responses) == len(big)
        for response, uid in zip(responses, uids):
            items = parse(response)[-1]
            got = dict(zip([str(x).upper() for x in items[::2]], items[1::2]))
            assert int(got["UID"]) == uid
            assert got["BODY[]"] == raw_message(store, ALICE, "INBOX", uid)


def test_one_fetch_of_fifty_messages_is_a_handful_of_store_calls(system):
    store, imap = system
    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        for items in ("BODY.PEEK[]", "(FLAGS BODY.PEEK[HEADER] BODYSTRUCTURE)", "BODY[]"):
            before = store_calls(store)
            tagged, untagged = s.command(f"FETCH 1:{COUNT} {items}")
            after = store_calls(store)
            assert status(tagged) == "OK" and len(untagged) >= COUNT
            # BODY[] also lists the flags and sets \Seen (two more calls); the change feed
            # the gateway watches may add one or two.
            made = calls_between(before, after)
            assert made <= 6, (items, made, {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)})
            assert calls_between(before, after, "/batch") >= 1
            for per_message in ("/raw", "/header", "/parse"):
                assert calls_between(before, after, per_message) == 0, (items, per_message)
