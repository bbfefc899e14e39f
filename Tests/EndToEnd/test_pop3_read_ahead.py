"""POP3 read-ahead: the pop3-gateway reads the next messages of the maildrop in one batch
call while the client reads this one. Every RETR must still hand out exactly the stored
bytes — in order, out of order, after DELE, with TOP in between, and for messages larger
than the read-ahead window (streamed from the store as before) — and a session that
retrieves every message must cost the store far fewer requests than one per message."""

import poplib

import pytest

from conftest import POP3Gateway, Store
from pop3_support import ALICE, PASSWORD, append_raw, open_session, pop3_decode, pop3_encode, stored
from support import calls_between, store_calls

WINDOW = 64 * 1024  # BUZON_POP3_READ_AHEAD_BYTES for these tests


def raw_message(n: int) -> bytes:
    """Message n: small ones of a few sizes, every sixth larger than the window, dotted
    lines, a bare LF, a body without a final line end."""
    head = f"From: sender@remote.test\r\nTo: {ALICE}\r\nSubject: read-ahead {n}\r\n\r\n".encode()
    if n % 6 == 0:
        return head + (b"%03d " % n + b"z" * 74 + b"\r\n") * (WINDOW // 78 + 40)
    body = b".dotted first\r\n" + (b"line %d\r\n" % n) * (n * 37 % 400) + b"bare LF\n..two dots\r\n"
    return head + body + (b"no final line end" if n % 5 == 0 else b"end\r\n")


@pytest.fixture
def system(tmp_path):
    store = Store(tmp_path / "data").start()
    store.add_user(ALICE)
    pop3 = POP3Gateway(store, tmp_path, env={"BUZON_POP3_READ_AHEAD_BYTES": str(WINDOW)})
    try:
        pop3.start()
        yield store, pop3
    finally:
        pop3.stop()
        store.stop()


def fill(store: Store, count: int) -> list[bytes]:
    raws = [raw_message(n) for n in range(1, count + 1)]
    for raw in raws:
        append_raw(store, raw)
    assert stored(store) == raws
    return raws


def test_retr_of_every_message_with_read_ahead(system):
    store, pop3 = system
    raws = fill(store, 25)
    assert any(len(r) > WINDOW for r in raws)
    with open_session(pop3.port) as s:
        s.login()
        s.cmd_multi("LIST")
        for n, raw in enumerate(raws, 1):
            status, got = s.cmd_multi(f"RETR {n}")
            assert status == b"+OK %d octets" % len(raw), (n, status)
            assert got == pop3_encode(raw), f"message {n}"
        # Again, backwards and skipping about: no stale or misplaced message.
        for n in (25, 3, 2, 1, 24, 12, 13, 7, 6, 8):
            assert s.cmd_multi(f"RETR {n}")[1] == pop3_encode(raws[n - 1]), f"message {n} again"
        assert s.cmd("QUIT").startswith(b"+OK")
    assert stored(store) == raws  # nothing deleted


def test_read_ahead_with_dele_and_top(system):
    store, pop3 = system
    raws = fill(store, 20)
    deleted = {2, 3, 6, 9, 10, 17}
    with open_session(pop3.port) as s:
        s.login()
        for n in range(1, 21):
            if n in deleted:
                assert s.cmd(f"DELE {n}").startswith(b"+OK")
                assert s.cmd(f"RETR {n}").startswith(b"-ERR"), f"deleted message {n} was retrieved"
                continue
            status, top = s.cmd_multi(f"TOP {n} 0")
            assert status.startswith(b"+OK") and top == pop3_encode(raws[n - 1].split(b"\r\n\r\n")[0] + b"\r\n\r\n")
            status, got = s.cmd_multi(f"RETR {n}")
            assert got == pop3_encode(raws[n - 1]), f"message {n}"
        assert s.cmd("QUIT").startswith(b"+OK")
    kept = [raw for n, raw in enumerate(raws, 1) if n not in deleted]
    assert stored(store) == kept
    # The next session numbers the rest afresh, and reads them right.
    client = poplib.POP3("127.0.0.1", pop3.port, timeout=10)
    try:
        client.user(ALICE)
        client.pass_(PASSWORD)
        assert client.stat()[0] == len(kept)
        for n, raw in enumerate(kept, 1):
            _, lines, _ = client.retr(n)
            assert b"".join(line + b"\r\n" for line in lines) == pop3_decode(pop3_encode(raw)), f"message {n} after expunge"
    finally:
        client.quit()


def test_retr_of_a_maildrop_costs_few_store_calls(system):
    store, pop3 = system
    raws = fill(store, 40)
    big = sum(1 for r in raws if len(r) > WINDOW)
    with open_session(pop3.port) as s:
        s.login()
        before = store_calls(store)
        for n, raw in enumerate(raws, 1):
            assert s.cmd_multi(f"RETR {n}")[1] == pop3_encode(raw), f"message {n}"
        after = store_calls(store)
        s.cmd("QUIT")
    # Small messages come four to a call (or fewer where the window's bytes run out); the big
    # ones one piece each (smaller than a store read), and never twice.
    made = calls_between(before, after)
    per_message = calls_between(before, after, "/raw")
    assert per_message == big, (per_message, big)
    assert made <= big + (len(raws) - big) // 2 + 2, (made, len(raws))
    assert made < len(raws) * 2 // 3
