"""Issue 11 item 3: connections that never log in cannot hold a gateway. Thousands of them, each
sending a byte of a login now and then (any byte used to reset the only clock), are closed at
the login deadline; meanwhile, with the connection limit set below their number, a real
client (imaplib, poplib, smtplib) connects, logs in and works — a full gateway evicts its
oldest unauthenticated connection for a newcomer, never a logged-in one (RFC 9051 §5.4;
Dovecot's "Connection queue full"). The deadlines are set short here through the gateways'
settings."""

import imaplib
import poplib
import smtplib
import socket
import threading
import time

import pytest

from conftest import Gateway, IMAPGateway, POP3Gateway, inbox_messages
from imap_support import ALICE, BOB, PASSWORD, deliver, message, open_session, trusting_context
from pop3_support import send_mail as pop3_send_mail
from smtp_support import open_session as smtp_open_session
from trickle_support import Trickler, open_file_limit, raise_file_limit

DEADLINE = 6


def sized(count: int, limit: int) -> int:
    """`count` if this machine's open-file limit allows it (test and gateway each hold one
    descriptor per connection), else as many as it does, or skip."""
    soft = raise_file_limit(count + 1024)
    count = min(count, soft - 512)
    if count < limit * 2:
        pytest.skip(f"open-file limit {soft} too low for a crowd over the connection limit {limit}")
    return count


def crowd_and_client(trickler: Trickler, first: int, second: int, client) -> dict:
    """Opens `first` trickling connections, runs `client` (a function taking the results dict
    and an event to wait on) in a thread once they are in, opens `second` more once it has
    logged in, sets the event, and trickles until every connection is closed or 20 s pass."""
    results: dict = {}
    logged_in, crowd_again = threading.Event(), threading.Event()

    def run():
        try:
            client(results, logged_in, crowd_again)
        except Exception as error:  # reported by the assertions below
            results["error"] = repr(error)
        finally:
            logged_in.set()

    trickler.open_more(first)
    worker = threading.Thread(target=run)
    worker.start()
    trickler.run_until(time.monotonic() + 10, done=logged_in.is_set)
    trickler.open_more(second)  # a second crowd while the client is logged in: it must not be evicted
    crowd_again.set()
    trickler.run_until(time.monotonic() + 20, done=lambda: False)
    worker.join(15)
    return results


def check_crowd(trickler: Trickler, limit: int, evicted_says: bytes, timed_out_says: bytes, deadline: float = DEADLINE) -> None:
    drips = trickler.drips
    still_open = trickler.open
    trickler.close_all()
    not_greeted = [d for d in drips if d.greeted_at is None]
    assert not not_greeted, (f"{len(not_greeted)} of {len(drips)} connections were refused or never greeted, e.g. "
                             f"{not_greeted[0].received[:80]!r} ({not_greeted[0].failed})")
    assert not still_open, (f"{len(still_open)} of {len(drips)} trickling connections still open "
                            f"{time.monotonic() - still_open[0].greeted_at:.0f} s after their greeting")
    evicted = [d for d in drips if evicted_says in d.received]
    timed_out = [d for d in drips if d not in evicted]
    # Evictions made room for the newcomers over the limit (some found room left by connections
    # that had reached their deadline).
    assert len(evicted) >= (len(drips) - limit) // 2, (len(evicted), len(drips), limit)
    for d in timed_out:
        lived = d.closed_at - d.greeted_at
        assert timed_out_says in d.received, d.received[-200:]
        assert deadline - 0.5 <= lived <= deadline + 4, f"closed {lived:.1f} s after its greeting (deadline {deadline} s)"
    assert all(d.closed_at - d.greeted_at <= deadline + 4 for d in evicted)


def test_imap_login_trickle_is_closed_at_the_deadline_while_imaplib_works(imap_system, tmp_path):
    store, smtp, _ = imap_system
    _, raw = deliver(smtp, message("Through the crowd"))
    limit = 800
    count = sized(2800, limit)
    first, second = count * 5 // 7, count - count * 5 // 7
    imap = IMAPGateway(store, tmp_path / "crowded", env={"BUZON_IMAP_LOGIN_DEADLINE": str(DEADLINE),
                                                         "BUZON_IMAP_MAX_CONNECTIONS": str(limit)}).start()
    trickler = Trickler(imap.port, b"a LOGIN alice@example.test secret", every=1.0, greeting=b"* OK", sources=40)
    try:
        assert open_file_limit(imap.proc.pid) >= count + 100

        def client(results, logged_in, crowd_again):
            with imaplib.IMAP4("127.0.0.1", imap.port, timeout=15) as c:
                c.login(ALICE, PASSWORD)
                logged_in.set()
                assert c.select("INBOX")[0] == "OK"
                typ, data = c.fetch("1", "(BODY.PEEK[])")
                results["fetched"] = data[0][1]
                crowd_again.wait(15)
                time.sleep(1)
                results["noop"] = c.noop()[0]
                results["search"] = c.search(None, "ALL")[1]
                c.logout()

        started = time.monotonic()
        results = crowd_and_client(trickler, first, second, client)
        assert "error" not in results, results
        assert results["fetched"] == raw_copy(store, raw)
        assert results["noop"] == "OK" and results["search"] == [b"1"], results
        check_crowd(trickler, limit, b"* BYE [LIMIT]", b"* BYE")
        assert time.monotonic() - started < 40
    finally:
        trickler.close_all()
        imap.stop()


def raw_copy(store, raw: bytes) -> bytes:
    """The store's copy of the one message in alice's INBOX (the gateway added Received)."""
    (copy,) = inbox_messages(store, ALICE)
    assert copy.endswith(raw)
    return copy


def test_pop3_login_trickle_is_closed_at_the_deadline_while_poplib_works(pop3_system, tmp_path):
    store, smtp, _ = pop3_system
    pop3_send_mail(smtp, b"Subject: through the crowd\r\n\r\nhello\r\n")
    limit = 200
    count = sized(700, limit)
    pop3 = POP3Gateway(store, tmp_path / "crowded", env={"BUZON_POP3_LOGIN_DEADLINE": str(DEADLINE),
                                                         "BUZON_POP3_MAX_CONNECTIONS": str(limit)}).start()
    trickler = Trickler(pop3.port, b"USER alice@example.test\r\nPASS wrong", every=0.7, greeting=b"+OK", sources=25)
    try:
        def client(results, logged_in, crowd_again):
            c = poplib.POP3("127.0.0.1", pop3.port, timeout=15)
            c.user(ALICE)
            c.pass_(PASSWORD)
            logged_in.set()
            results["stat"] = c.stat()
            crowd_again.wait(15)
            time.sleep(1)
            results["retr"] = b"\r\n".join(c.retr(1)[1])
            c.quit()

        results = crowd_and_client(trickler, count * 5 // 7, count - count * 5 // 7, client)
        assert "error" not in results, results
        assert results["stat"][0] == 1 and results["retr"].endswith(b"hello"), results
        check_crowd(trickler, limit, b"-ERR [SYS/TEMP] Too many connections", b"-ERR")
    finally:
        trickler.close_all()
        pop3.stop()


def test_submission_trickle_is_closed_at_the_deadline_while_smtplib_submits(mail_system, tmp_path):
    store, _ = mail_system
    limit = 200
    count = sized(700, limit)
    gateway = Gateway(store, tmp_path / "crowded", env={"BUZON_SMTP_LOGIN_DEADLINE": str(DEADLINE),
                                                        "BUZON_SMTP_MAX_CONNECTIONS": str(limit)}).start()
    # Whole commands, each answered: every clock but the deadline is reset all the time.
    trickler = Trickler(gateway.submission_port, b"EHLO crowd.test\r\nNOOP\r\nNOOP\r\n", every=0.2, greeting=b"220",
                        sources=25)
    body = b"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: through the crowd\r\n\r\nhello\r\n"
    try:
        def client(results, logged_in, crowd_again):
            with smtplib.SMTP("127.0.0.1", gateway.submission_port, timeout=15) as s:
                s.starttls(context=trusting_context(gateway))
                s.login(ALICE, PASSWORD)
                logged_in.set()
                crowd_again.wait(15)
                time.sleep(1)
                results["refused"] = s.sendmail(ALICE, [BOB], body)

        results = crowd_and_client(trickler, count * 5 // 7, count - count * 5 // 7, client)
        assert results == {"refused": {}}, results
        assert inbox_messages(store, BOB)[-1].endswith(body)
        check_crowd(trickler, limit, b"421 4.7.0", b"421 4.4.2")
    finally:
        trickler.close_all()
        gateway.stop()


def test_mx_sessions_sending_commands_for_ever_end_at_the_mx_deadline(mail_system, tmp_path):
    """Port 25 has no login: its whole session has a (generous, here short) deadline."""
    store, _ = mail_system
    gateway = Gateway(store, tmp_path / "mx", env={"BUZON_SMTP_MX_DEADLINE": "4"}).start()
    trickler = Trickler(gateway.mx_port, b"EHLO crowd.test\r\nNOOP\r\n", every=0.1, greeting=b"220", sources=5)
    try:
        trickler.open_more(150)
        trickler.run_until(time.monotonic() + 2)
        with smtp_open_session(gateway.mx_port) as s:  # a sender that gets on with it is served
            s.ehlo("quick.test")
            assert s.cmd("QUIT")[0] == 221
        trickler.run_until(time.monotonic() + 12)
        check_crowd(trickler, 1000, b"421 4.7.0", b"421 4.4.2", deadline=4)
    finally:
        trickler.close_all()
        gateway.stop()


def test_an_mx_sender_that_keeps_delivering_is_not_cut_by_the_mx_deadline(mail_system, tmp_path):
    """The MX deadline counts again from each message: a sender pushing a batch over one
    connection (a list server) is served past it; idle after its last message, it is cut."""
    store, _ = mail_system
    gateway = Gateway(store, tmp_path / "mx", env={"BUZON_SMTP_MX_DEADLINE": "3"}).start()
    try:
        with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as client:
            client.ehlo("lists.test")
            for n in range(6):  # 6 × 1.2 s: well past one deadline
                body = f"From: list@lists.test\r\nTo: bob@example.test\r\nSubject: batch {n}\r\nMessage-ID: <batch-{n}@lists.test>\r\n\r\nitem {n}\r\n"
                assert client.sendmail("list@lists.test", ["bob@example.test"], body) == {}
                time.sleep(1.2)
            assert client.noop()[0] == 250
            time.sleep(4.5)  # idle past the deadline after the last message
            with pytest.raises((smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError)):
                client.noop()
                client.noop()
        assert sorted(m.split(b"Subject: ")[1].split(b"\r\n")[0] for m in inbox_messages(store, "bob@example.test")) == [
            f"batch {n}".encode() for n in range(6)
        ]
    finally:
        gateway.stop()


def test_imap_command_dripping_after_login_is_cut_by_the_line_rate_floor(imap_system):
    """After login the deadline no longer applies, and the session's clock is 30 minutes; a
    command line dripped a byte a second is still cut once it has been unfinished for 10 s
    (the floor, 32 octets/s), while a session sending whole commands as slowly is kept."""
    store, smtp, imap = imap_system
    with open_session(imap.port, login=ALICE) as drip, open_session(imap.port, login=ALICE) as steady:
        drip.ok("SELECT INBOX")
        started = time.monotonic()
        closed_after = None
        for byte in b"a1 UID FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE)":
            drip.send(bytes([byte]))
            steady.ok("NOOP")
            if drip.is_closed(1.0):
                closed_after = time.monotonic() - started
                break
            if time.monotonic() - started > 20:
                break
        assert closed_after is not None, "a command dripped a byte a second was not cut"
        assert 10 <= closed_after <= 15, closed_after
        assert drip.buffer.startswith(b"* BYE"), drip.buffer
        steady.ok("NOOP")  # the same account, whole commands: kept


def test_pop3_client_that_reads_nothing_before_login_is_closed_at_the_deadline(pop3_system, tmp_path):
    """A connection that asks for many answers and reads none blocks the gateway's writes, and
    with them every clock the driver checks: before login, the write itself may not outlast
    the login deadline (the POP3 silence timeout is 10 minutes)."""
    store, _, _ = pop3_system
    pop3 = POP3Gateway(store, tmp_path / "deaf", env={"BUZON_POP3_LOGIN_DEADLINE": "3"}).start()
    sock = socket.socket()
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", pop3.port))
        sock.settimeout(0.5)
        started = time.monotonic()
        sent, closed_after = 0, None
        while time.monotonic() - started < 15:
            try:
                sent += sock.send(b"CAPA\r\n" * 1000)  # ~100 octets of answer each, never read
            except (socket.timeout, BlockingIOError):
                pass
            except OSError:
                closed_after = time.monotonic() - started
                break
            if sent > 600_000:
                time.sleep(0.2)
        assert closed_after is not None, f"still open after {time.monotonic() - started:.0f} s ({sent} octets of CAPA sent)"
        assert closed_after <= 8, closed_after
        c = poplib.POP3("127.0.0.1", pop3.port, timeout=10)  # the gateway is fine
        c.user(ALICE)
        assert c.pass_(PASSWORD).startswith(b"+OK")
        c.quit()
    finally:
        sock.close()
        pop3.stop()
