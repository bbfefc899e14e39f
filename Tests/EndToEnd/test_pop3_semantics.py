"""What POP3 promises about the maildrop (RFC 1939): deletions are marks until QUIT, a dropped
connection deletes nothing, RSET unmarks, TOP sends the header and n body lines, unique ids
survive sessions and gateway instances, message numbers are fixed for a session, one session
at a time holds a maildrop (and a dead gateway's lock runs out), and the wire format of a
multi-line response (CRLF line ends, byte-stuffed dots, `.CRLF` at the end) is exact whatever
the stored bytes look like, including across the gateway's 256 KiB store reads."""

import base64
import poplib
import re
import time

from conftest import POP3Gateway
from pop3_support import (ALICE, BOB, PASSWORD, RawPOP3, append_raw, inbox_count, inbox_listing, open_session,
                          pop3_encode, send_mail, stored, trusting_context, wait_for_count)


def message(n: int, body_lines: int = 3) -> bytes:
    body = b"".join(b"body line %d of message %d\r\n" % (i, n) for i in range(1, body_lines + 1))
    return (b"From: Sender <sender@remote.test>\r\nTo: alice@example.test\r\nSubject: message %d\r\n"
            b"Message-ID: <m%d@remote.test>\r\n\r\n" % (n, n)) + body


def deliver(smtp, count: int, body_lines: int = 3) -> list[bytes]:
    for n in range(1, count + 1):
        send_mail(smtp, message(n, body_lines))
    raws = stored(smtp.store)
    assert len(raws) == count
    return raws


def login_when_free(port: int, timeout: float, user: str = ALICE) -> tuple[RawPOP3, float]:
    """Logs in as soon as the maildrop is free: the session and the seconds it took. Each try
    must be answered `+OK` or `-ERR [IN-USE]`."""
    start = time.monotonic()
    while True:
        s = open_session(port)
        assert s.cmd(f"USER {user}").startswith(b"+OK")
        r = s.cmd(f"PASS {PASSWORD}")
        if r.startswith(b"+OK"):
            return s, time.monotonic() - start
        assert r.startswith(b"-ERR [IN-USE]"), r
        s.cmd("QUIT")
        s.close()
        assert time.monotonic() - start < timeout, f"maildrop still in use after {timeout} s"
        time.sleep(0.2)


def top_reference(raw: bytes, n: int) -> bytes:
    """TOP's body by RFC 1939 §7: the header, the blank line, then n body lines, on the wire."""
    lines = raw.replace(b"\r\n", b"\n").split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    if b"" in lines:
        lines = lines[: lines.index(b"") + 1 + n]
    return pop3_encode(b"\n".join(lines) + b"\n")


# --- DELE, QUIT, RSET, dropped connections ----------------------------------------------------


def test_dele_then_quit_removes(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, 3)
    with open_session(pop3.port) as s:
        s.login()
        assert s.cmd("DELE 1").startswith(b"+OK")
        assert s.cmd("DELE 3").startswith(b"+OK")
        assert inbox_count(store) == 3  # only marks so far
        assert s.cmd("QUIT").startswith(b"+OK")
        assert s.is_closed(5)
    assert stored(store) == [raws[1]]


def test_dele_then_dropped_connection_keeps(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, 2)
    # A close without QUIT ...
    s = open_session(pop3.port)
    s.login()
    assert s.cmd("DELE 1").startswith(b"+OK")
    assert s.cmd("DELE 2").startswith(b"+OK")
    s.close()
    # ... frees the maildrop at once (no waiting for the lock to run out) and deletes nothing.
    s, _ = login_when_free(pop3.port, timeout=3)
    assert s.stat() == (2, sum(map(len, raws)))
    assert s.cmd("DELE 2").startswith(b"+OK")
    s.abort()  # and a reset (RST) instead of a FIN, in TRANSACTION with a mark pending
    s, _ = login_when_free(pop3.port, timeout=3)
    assert s.stat() == (2, sum(map(len, raws)))
    s.close()
    time.sleep(0.5)
    assert stored(store) == raws


def test_rset_restores(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, 3)
    with open_session(pop3.port) as s:
        s.login()
        for n in (1, 2, 3):
            assert s.cmd(f"DELE {n}").startswith(b"+OK")
        assert s.stat() == (0, 0)
        assert s.cmd("RSET").startswith(b"+OK")
        assert s.stat() == (3, sum(map(len, raws)))
        status, listing = s.cmd_multi("LIST")
        assert status.startswith(b"+OK")
        assert listing == b"".join(b"%d %d\r\n" % (i, len(r)) for i, r in enumerate(raws, 1)) + b".\r\n"
        assert s.cmd("QUIT").startswith(b"+OK")
    assert stored(store) == raws


def test_quit_without_dele_deletes_nothing(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, 2)
    with open_session(pop3.port) as s:
        s.login()
        for n in (1, 2):
            status, _ = s.cmd_multi(f"RETR {n}")
            assert status.startswith(b"+OK")
        assert s.cmd("QUIT") == b"+OK Bye"
    assert stored(store) == raws


# --- TOP -----------------------------------------------------------------------------------------


def test_top_gives_header_and_n_body_lines(pop3_system):
    store, smtp, pop3 = pop3_system
    body = b"".join(b"line %d\r\n" % i for i in range(1, 4)) + b".dotted line 4\r\nline 5\r\nline 6\r\nline 7\r\n"
    send_mail(smtp, b"From: sender@remote.test\r\nSubject: top\r\n\r\n" + body)
    [raw] = stored(store)
    header, _ = raw.split(b"\r\n\r\n", 1)
    with open_session(pop3.port) as s:
        s.login()
        status, got = s.cmd_multi("TOP 1 0")
        assert status.startswith(b"+OK"), status
        assert got == header + b"\r\n\r\n.\r\n"  # the header and the blank line only
        status, got = s.cmd_multi("TOP 1 5")
        assert status.startswith(b"+OK"), status
        assert got == header + b"\r\n\r\nline 1\r\nline 2\r\nline 3\r\n..dotted line 4\r\nline 5\r\n.\r\n"
        status, got = s.cmd_multi("TOP 1 1000")  # more lines than the body has: the whole message
        assert got == pop3_encode(raw)
        status, got = s.cmd_multi("RETR 1")
        assert got == pop3_encode(raw)
        assert s.cmd("QUIT").startswith(b"+OK")
    # The same through poplib.
    client = poplib.POP3("127.0.0.1", pop3.port, timeout=10)
    try:
        client.user(ALICE)
        client.pass_(PASSWORD)
        _, lines, _ = client.top(1, 5)
        assert lines == header.split(b"\r\n") + [b"", b"line 1", b"line 2", b"line 3", b".dotted line 4", b"line 5"]
        client.quit()
    finally:
        client.close()
    assert stored(store) == [raw]


# --- UIDL ----------------------------------------------------------------------------------------

UIDL_LINE = re.compile(rb"^(\d+) ([\x21-\x7e]{1,70})$")  # RFC 1939 §7


def uidl_map(s: RawPOP3) -> dict[int, bytes]:
    status, body = s.cmd_multi("UIDL")
    assert status.startswith(b"+OK"), status
    result = {}
    for line in body[:-3].split(b"\r\n")[:-1]:
        m = UIDL_LINE.match(line)
        assert m, line
        result[int(m.group(1))] = m.group(2)
    return result


def test_uidl_stable_across_sessions_and_gateways(pop3_system, tmp_path):
    store, smtp, pop3 = pop3_system
    deliver(smtp, 3)
    with open_session(pop3.port) as s:
        s.login()
        first = uidl_map(s)
        assert sorted(first) == [1, 2, 3]
        assert len(set(first.values())) == 3
        for n, uid in first.items():
            assert s.cmd(f"UIDL {n}") == b"+OK %d %s" % (n, uid)
        s.cmd("QUIT")
    with open_session(pop3.port) as s:
        s.login()
        assert uidl_map(s) == first
        s.cmd("QUIT")
    other = POP3Gateway(store, tmp_path).start()
    try:
        with open_session(other.port) as s:
            s.login()
            assert uidl_map(s) == first
            assert s.cmd("DELE 1").startswith(b"+OK")
            assert s.cmd("QUIT").startswith(b"+OK")
        # Message numbers move up after a deletion; the unique ids stay with the messages.
        with open_session(other.port) as s:
            s.login()
            assert uidl_map(s) == {1: first[2], 2: first[3]}
            s.cmd("QUIT")
    finally:
        other.stop()
    with open_session(pop3.port) as s:
        s.login()
        assert uidl_map(s) == {1: first[2], 2: first[3]}
        s.cmd("QUIT")


# --- deleted messages and fixed numbering ----------------------------------------------------------


def test_marked_messages_are_hidden_and_refused(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, 3)
    with open_session(pop3.port) as s:
        s.login()
        assert s.cmd("DELE 2").startswith(b"+OK")
        assert s.stat() == (2, len(raws[0]) + len(raws[2]))
        status, listing = s.cmd_multi("LIST")
        assert status.startswith(b"+OK")
        assert listing == b"1 %d\r\n3 %d\r\n.\r\n" % (len(raws[0]), len(raws[2]))
        assert sorted(uidl_map(s)) == [1, 3]
        for command in ("RETR 2", "TOP 2 0", "LIST 2", "UIDL 2", "DELE 2"):
            r = s.cmd(command)
            assert r.startswith(b"-ERR"), (command, r)
        assert s.cmd("NOOP") == b"+OK"  # the session goes on
        status, got = s.cmd_multi("RETR 3")
        assert got == pop3_encode(raws[2])
        assert s.cmd("QUIT").startswith(b"+OK")
    assert stored(store) == [raws[0], raws[2]]


def test_message_numbers_fixed_at_session_start(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, 1)
    with open_session(pop3.port) as s:
        s.login()
        assert s.stat() == (1, len(raws[0]))
        send_mail(smtp, message(2))
        assert wait_for_count(store, 2) == 2
        assert s.stat() == (1, len(raws[0]))
        status, listing = s.cmd_multi("LIST")
        assert listing == b"1 %d\r\n.\r\n" % len(raws[0])
        assert sorted(uidl_map(s)) == [1]
        assert s.cmd("RETR 2").startswith(b"-ERR")
        assert s.cmd("LIST 2").startswith(b"-ERR")
        assert s.cmd("DELE 2").startswith(b"-ERR")
        assert s.cmd("DELE 1").startswith(b"+OK")
        assert s.cmd("QUIT").startswith(b"+OK")
    # QUIT removed the one marked message, not the one that came in meanwhile.
    [newcomer] = stored(store)
    assert b"Subject: message 2\r\n" in newcomer
    with open_session(pop3.port) as s:
        s.login()
        assert s.stat() == (1, len(newcomer))
        s.cmd("QUIT")


def test_message_removed_behind_the_session(pop3_system):
    """Another client (IMAP, an admin) expunges a message while a POP3 session has it listed:
    RETR of it fails with -ERR, the session goes on, and QUIT still removes the others."""
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, 3)
    inbox = store.inbox(ALICE)
    uid2 = [m["uid"] for m in inbox_listing(store)][1]
    with open_session(pop3.port) as s:
        s.login()
        r = store.api("POST", f"/v1/accounts/{ALICE}/mailboxes/{inbox['id']}/expunge",
                      json={"uids": str(uid2), "onlyDeleted": False})
        assert r.status_code == 200, r.text
        assert s.cmd("RETR 2").startswith(b"-ERR")
        assert s.cmd("TOP 2 0").startswith(b"-ERR")
        assert s.cmd("NOOP") == b"+OK"
        status, got = s.cmd_multi("RETR 3")
        assert got == pop3_encode(raws[2])
        for n in (1, 2, 3):
            assert s.cmd(f"DELE {n}").startswith(b"+OK")
        assert s.cmd("QUIT").startswith(b"+OK")
    assert stored(store) == []


# --- the maildrop lock ------------------------------------------------------------------------------


def test_second_session_gets_in_use(pop3_system):
    store, smtp, pop3 = pop3_system
    deliver(smtp, 1)
    first = open_session(pop3.port)
    first.login()
    second = open_session(pop3.port)
    assert second.cmd(f"USER {ALICE}").startswith(b"+OK")
    assert second.cmd(f"PASS {PASSWORD}").startswith(b"-ERR [IN-USE]")
    # ... also through the other door (POP3S) and with AUTH PLAIN.
    with open_session(pop3.tls_port, tls_context=trusting_context(pop3)) as s:
        plain = base64.b64encode(f"\0{ALICE}\0{PASSWORD}".encode()).decode()
        assert s.cmd(f"AUTH PLAIN {plain}").startswith(b"-ERR [IN-USE]")
    # Another account is not affected.
    third = open_session(pop3.port)
    third.login(BOB)
    assert third.stat() == (0, 0)
    third.cmd("QUIT")
    third.close()
    # The refused session is still in AUTHORIZATION; once the first session quits, it gets in.
    assert second.cmd("CAPA").startswith(b"+OK")
    second.multiline()
    assert first.stat() == (1, len(stored(store)[0]))
    assert first.cmd("QUIT").startswith(b"+OK")
    first.close()
    deadline = time.monotonic() + 3
    while True:
        assert second.cmd(f"USER {ALICE}").startswith(b"+OK")
        r = second.cmd(f"PASS {PASSWORD}")
        if r.startswith(b"+OK") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert r.startswith(b"+OK"), r
    assert second.stat()[0] == 1
    second.cmd("QUIT")
    second.close()


def test_lock_of_a_killed_gateway_expires(pop3_system, tmp_path):
    store, smtp, pop3 = pop3_system
    deliver(smtp, 1)
    dying = POP3Gateway(store, tmp_path, env={"BUZON_POP3_LOCK_TTL": "3"}).start()
    try:
        holder = open_session(dying.port)
        holder.login()
        assert holder.cmd("DELE 1").startswith(b"+OK")
        # The lease is renewed while the session lives: past its 3 s TTL it is still held.
        time.sleep(4.5)
        with open_session(pop3.port) as s:
            assert s.cmd(f"USER {ALICE}").startswith(b"+OK")
            assert s.cmd(f"PASS {PASSWORD}").startswith(b"-ERR [IN-USE]")
        assert holder.cmd("NOOP") == b"+OK"
        dying.kill()
        killed = time.monotonic()
        # Right after the kill the lock is still there ...
        with open_session(pop3.port) as s:
            assert s.cmd(f"USER {ALICE}").startswith(b"+OK")
            assert s.cmd(f"PASS {PASSWORD}").startswith(b"-ERR [IN-USE]")
        # ... and within the TTL (plus a little) another gateway instance gets the maildrop.
        s, _ = login_when_free(pop3.port, timeout=8)
        elapsed = time.monotonic() - killed
        assert elapsed <= 6, f"lock freed only after {elapsed:.1f} s"
        assert s.stat()[0] == 1  # the dead session's DELE was never carried out
        s.cmd("QUIT")
        s.close()
        holder.close()
    finally:
        dying.kill()
    assert inbox_count(store) == 1


def test_graceful_shutdown_deletes_nothing_and_frees_the_lock(pop3_system, tmp_path):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, 2)
    leaving = POP3Gateway(store, tmp_path).start()
    try:
        s = open_session(leaving.port)
        s.login()
        assert s.cmd("DELE 1").startswith(b"+OK")
        started = time.monotonic()
        assert leaving.stop() == 0
        assert time.monotonic() - started < 20
        assert s.is_closed(2), "the session outlived its gateway"
        s.close()
        # The gateway released the maildrop on its way out: no waiting for the lease to expire.
        other, waited = login_when_free(pop3.port, timeout=2)
        assert other.stat() == (2, sum(map(len, raws)))  # and the DELE was not carried out
        other.cmd("QUIT")
        other.close()
    finally:
        leaving.kill()
    assert stored(store) == raws


# --- exact wire format ---------------------------------------------------------------------------------


def test_bare_lf_dots_8bit_and_no_final_newline(pop3_system):
    store, smtp, pop3 = pop3_system
    raw = (b"From: sender@remote.test\n"
           b"Subject: bare LF\n"
           b"\n"
           b".dot first\n"
           b"plain\r\n"
           b"..two dots\n"
           b"\xc3\xa9t\xc3\xa9 and \xff\xfe raw 8-bit\n"
           b".\n"
           b"\n"
           b"last line without a line end")
    append_raw(store, raw)
    [kept] = stored(store)
    assert kept == raw, "the store did not keep the bytes as given; this test needs them raw"
    expected = (b"From: sender@remote.test\r\n"
                b"Subject: bare LF\r\n"
                b"\r\n"
                b"..dot first\r\n"
                b"plain\r\n"
                b"...two dots\r\n"
                b"\xc3\xa9t\xc3\xa9 and \xff\xfe raw 8-bit\r\n"
                b"..\r\n"
                b"\r\n"
                b"last line without a line end\r\n"
                b".\r\n")
    assert pop3_encode(raw) == expected  # the reference agrees with the hand-written bytes
    with open_session(pop3.port) as s:
        s.login()
        status, got = s.cmd_multi("RETR 1")
        assert status.startswith(b"+OK"), status
        assert got == expected
        assert s.buffer == b"", s.buffer  # nothing after the terminator
        status, got = s.cmd_multi("TOP 1 1")
        assert got == b"From: sender@remote.test\r\nSubject: bare LF\r\n\r\n..dot first\r\n.\r\n"
        status, got = s.cmd_multi("TOP 1 0")
        assert got == b"From: sender@remote.test\r\nSubject: bare LF\r\n\r\n.\r\n"
        assert s.cmd("NOOP") == b"+OK"
        s.cmd("QUIT")
    client = poplib.POP3("127.0.0.1", pop3.port, timeout=10)
    try:
        client.user(ALICE)
        client.pass_(PASSWORD)
        _, lines, _ = client.retr(1)
        assert lines == [b"From: sender@remote.test", b"Subject: bare LF", b"", b".dot first", b"plain", b"..two dots",
                         b"\xc3\xa9t\xc3\xa9 and \xff\xfe raw 8-bit", b".", b"", b"last line without a line end"]
        client.quit()
    finally:
        client.close()
    assert stored(store) == [raw]


CHUNK = 256 * 1024  # MaildropStore.chunkSize: the gateway reads a message in pieces this big


def message_with(at: int, tail: bytes, eol: bytes = b"\r\n") -> bytes:
    """A message whose bytes from offset `at` on are `tail` (then more lines), so that what
    `tail` starts with lands right at a store-read boundary."""
    head = b"From: sender@remote.test\r\nSubject: chunk boundary\r\n\r\n"
    filler = b"a" * 78 + b"\r\n"
    while len(head) + len(filler) < at - 100:
        head += filler
    head += b"b" * (at - len(head) - len(eol)) + eol
    assert len(head) == at
    return head + tail + b"after\r\n" + b"c" * 70 + b"\r\n"


def test_stuffing_and_line_ends_across_store_reads(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = [
        # A dotted line starting exactly at a read boundary.
        message_with(CHUNK, b".dot at the boundary\r\n"),
        # CR as the last byte of one read, LF as the first of the next, then a dotted line.
        message_with(CHUNK, b"\n.dot after a split CRLF\r\n", eol=b"\r"),
        # A bare LF just before the boundary, a dotted line after it.
        message_with(CHUNK, b"..two dots at the boundary\n", eol=b"\n"),
        # Two boundaries, the second one also on a dotted line.
        message_with(2 * CHUNK, b".second boundary\r\n"),
        # A message of exactly one read (the last read comes back empty).
        message_with(CHUNK - len(b"tail\r\n") - len(b"after\r\n") - 72, b"tail\r\n"),
    ]
    assert len(raws[4]) == CHUNK
    for raw in raws:
        append_raw(store, raw)
    assert stored(store) == raws
    with open_session(pop3.port) as s:
        s.login()
        for n, raw in enumerate(raws, 1):
            status, got = s.cmd_multi(f"RETR {n}")
            assert status.startswith(b"+OK"), status
            assert got == pop3_encode(raw), f"message {n}: RETR differs from the reference encoding"
            # TOP with a line count that ends beyond the first read.
            lines = raw[:CHUNK + 200].count(b"\n") - 2
            status, got = s.cmd_multi(f"TOP {n} {lines}")
            assert got == top_reference(raw, lines), f"message {n}: TOP differs"
        assert s.cmd("NOOP") == b"+OK"
        s.cmd("QUIT")
