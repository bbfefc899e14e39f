"""Hostile and broken clients against the smtp-gateway: garbage bytes, over-long lines, huge
SIZE declarations and messages, clients that trickle one byte a second, a thousand connections
from one address, and endless bad commands. Every one gets a clear error or refusal; the
gateway neither crashes nor grows without bound, and other clients are not affected.

Every socket has a timeout, so a hang fails a test instead of stalling the run."""

import random
import resource
import smtplib
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import Gateway, inbox_messages
from smtp_support import RawSMTP, gateway_alive, open_session, rss_kib

ALICE, BOB = "alice@example.test", "bob@example.test"


def normal_delivery(gateway: Gateway, store, account: str = BOB, source: str | None = None, subject: str = "normal") -> float:
    """A well-behaved client delivers one message; returns how long it took."""
    started = time.monotonic()
    before = len(inbox_messages(store, account))
    kwargs = {"source_address": (source, 0)} if source else {}
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10, **kwargs) as smtp:
        assert smtp.sendmail("sender@remote.test", [account], f"Subject: {subject}\r\n\r\nfine\r\n".encode()) == {}
    elapsed = time.monotonic() - started
    assert len(inbox_messages(store, account)) == before + 1
    return elapsed


def drain_replies(s: RawSMTP, limit: int = 1000) -> tuple[list[int], bool]:
    """Reads replies until the server goes quiet (1 s) or closes; (codes, closed)."""
    codes = []
    s.sock.settimeout(1.0)
    try:
        while len(codes) < limit:
            codes.append(s.reply()[0])
    except socket.timeout:
        return codes, False
    except (ConnectionError, OSError):
        return codes, True
    return codes, False


def started_gateway(store, tmp_path, name: str, env: dict) -> Gateway:
    directory = tmp_path / name
    directory.mkdir()
    return Gateway(store, directory, env=env).start()


# --- garbage ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("garbage", [
    pytest.param(random.Random(1).randbytes(64 * 1024), id="random-binary"),
    pytest.param(b"\0" * 5000 + b"\r\n" + b"\0\0\0\r\n" * 5, id="nul-bytes"),
    pytest.param(b"\xff\xfe\xfd\r\n\x80\x81\r\n\x1b[31mEHLO\r\n\r\n\r\n", id="high-and-control"),
    pytest.param(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64) + b"\r\n", id="tls-hello-in-clear"),
])
def test_garbage_gets_500_class_replies_and_no_crash(mail_system, garbage):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.send(garbage)
        codes, closed = drain_replies(s)
        assert codes, "no reply to garbage at all"
        assert all(500 <= c < 600 or c == 421 for c in codes), codes
        if 421 in codes:
            assert codes[-1] == 421, codes  # nothing after the goodbye
        if not closed:
            s.sock.settimeout(5)
            try:
                code, text = s.cmd("NOOP")
            except (ConnectionError, OSError):
                code, text = None, "closed"  # closed just after the last error: a clean close
            assert code in (250, None) or code == 421, (code, text)
    assert gateway_alive(gateway)
    normal_delivery(gateway, store)


def test_100kb_line_without_crlf_then_the_session_goes_on(mail_system):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        s.send(b"A" * 100 * 1024)
        time.sleep(0.3)
        s.send(b"\r\n")
        code, text, _ = s.reply()
        assert (code, text[:5]) == (500, "5.5.6"), (code, text)
        assert s.cmd("NOOP")[0] == 250
        assert s.cmd("MAIL FROM:<sender@remote.test>")[0] == 250
    # And a 100 KB line that never ends, then the client leaves: nothing breaks.
    with open_session(gateway.mx_port) as s:
        s.send(b"B" * 100 * 1024)
    assert gateway_alive(gateway)
    normal_delivery(gateway, store)


def test_garbage_instead_of_a_tls_handshake(mail_system):
    store, gateway = mail_system
    # On the implicit-TLS port.
    with socket.create_connection(("127.0.0.1", gateway.submissions_port), timeout=5) as raw:
        raw.sendall(random.Random(2).randbytes(4096))
        try:
            while raw.recv(4096):
                pass
        except (ConnectionError, socket.timeout):
            pass
    # After STARTTLS.
    with open_session(gateway.submission_port) as s:
        s.ehlo()
        assert s.cmd("STARTTLS")[0] == 220
        s.send(b"EHLO not-tls\r\n" + random.Random(3).randbytes(2048))
        s.sock.settimeout(5)
        try:
            while s.sock.recv(4096):
                pass
        except (ConnectionError, socket.timeout):
            pass
    assert gateway_alive(gateway)
    normal_delivery(gateway, store)
    # TLS clients still get in afterwards.
    ctx = ssl.create_default_context(cafile=str(gateway.cert))
    with smtplib.SMTP_SSL("127.0.0.1", gateway.submissions_port, context=ctx, timeout=10) as smtp:
        smtp.login(ALICE, "secret")


# --- over-long lines -----------------------------------------------------------------------------------


def test_over_long_command_line_gets_500_5_5_6_and_the_next_command_works(mail_system):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        # 512 octets with CRLF is the limit (RFC 5321 §4.5.3.1.4): accepted.
        assert s.cmd(b"NOOP " + b"x" * 505)[0] == 250
        code, text = s.cmd(b"NOOP " + b"x" * 506)
        assert (code, text[:5]) == (500, "5.5.6"), (code, text)
        code, text = s.cmd(b"MAIL FROM:<" + b"a" * 600 + b"@remote.test>")
        assert (code, text[:5]) == (500, "5.5.6"), (code, text)
        assert s.cmd("MAIL FROM:<sender@remote.test>")[0] == 250
        code, text = s.cmd(b"RCPT TO:<alice@example.test> " + b"X" * 1000)
        assert (code, text[:5]) == (500, "5.5.6"), (code, text)
        assert s.cmd("RCPT TO:<alice@example.test>")[0] == 250
        assert s.cmd("DATA")[0] == 354
        s.send(b"Subject: after long lines\r\n\r\nok\r\n.\r\n")
        assert s.reply()[0] == 250
    [stored] = inbox_messages(store, ALICE)
    assert stored.endswith(b"Subject: after long lines\r\n\r\nok\r\n")


# --- size limits ------------------------------------------------------------------------------------------


def test_huge_size_declaration_is_refused_with_552_5_3_4(mail_system):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        for size in ["99999999999", "26214401", "9223372036854775808", "99999999999999999999"]:
            code, text = s.cmd(f"MAIL FROM:<a@b.test> SIZE={size}")
            assert (code, text[:5]) == (552, "5.3.4"), (size, code, text)
        assert s.cmd("MAIL FROM:<a@b.test> SIZE=1000")[0] == 250
    assert gateway_alive(gateway)


def test_message_over_the_limit_is_refused_with_552_and_nothing_stored(mail_system, tmp_path):
    store, _ = mail_system
    small = started_gateway(store, tmp_path, "small", {"BUZON_SMTP_MAX_MESSAGE_SIZE": "100000"})
    try:
        big = b"Subject: big\r\n\r\n" + (b"y" * 998 + b"\r\n") * 200  # ~200 KB
        with smtplib.SMTP("127.0.0.1", small.mx_port, timeout=20) as smtp:
            smtp.ehlo()
            assert smtp.esmtp_features["size"] == "100000"
            # Declared: refused at MAIL.
            code, text = smtp.mail("sender@remote.test", ["SIZE=200000"])
            assert (code, text[:5]) == (552, b"5.3.4"), (code, text)
            # Undeclared: read to the end, then refused; the session stays in step.
            assert smtp.mail("sender@remote.test")[0] == 250
            assert smtp.rcpt(ALICE)[0] == 250
            code, text = smtp.data(big)
            assert (code, text[:5]) == (552, b"5.3.4"), (code, text)
            assert smtp.noop()[0] == 250
            # Just under the limit still goes through on the same connection.
            assert smtp.sendmail("sender@remote.test", [ALICE], b"Subject: fits\r\n\r\n" + b"z" * 90_000 + b"\r\n") == {}
        # The same with BDAT.
        with open_session(small.mx_port) as s:
            s.ehlo()
            s.cmd("MAIL FROM:<sender@remote.test>")
            assert s.cmd("RCPT TO:<alice@example.test>")[0] == 250
            chunk = b"w" * 60_000
            s.send(b"BDAT %d\r\n" % len(chunk) + chunk)
            first = s.reply()[0]
            s.send(b"BDAT %d\r\n" % len(chunk) + chunk)
            second = s.reply()[0]
            if second == 250:
                s.send(b"BDAT 0 LAST\r\n")
                second = s.reply()[0]
            assert first == 250 and second == 552, (first, second)
            assert s.cmd("NOOP")[0] == 250
        messages = inbox_messages(store, ALICE)
        assert len(messages) == 1 and b"Subject: fits" in messages[0]
        assert gateway_alive(small)
    finally:
        small.stop()


def test_big_messages_in_parallel_keep_memory_bounded(mail_system):
    """Four clients send 8 MB each at once: all are stored intact, and the gateway's resident
    memory stays bounded (bodies are spooled, not held whole per connection)."""
    store, gateway = mail_system
    pid = gateway.proc.pid
    baseline = rss_kib(pid)
    peak = [baseline]
    done = threading.Event()

    def sample():
        while not done.is_set():
            try:
                peak[0] = max(peak[0], rss_kib(pid))
            except (OSError, AssertionError):
                return
            time.sleep(0.02)

    def send(n):
        body = (f"{n:02d}".encode() + b"m" * 996 + b"\r\n") * 8000  # 8 MB
        message = f"Subject: big {n}\r\n\r\n".encode() + body
        with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=60) as smtp:
            assert smtp.sendmail("sender@remote.test", [ALICE], message) == {}
        return message

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            sent = list(pool.map(send, range(4)))
    finally:
        done.set()
        sampler.join()
    stored = inbox_messages(store, ALICE)
    assert len(stored) == 4
    assert sorted(m[-len(sent[0]):] for m in stored) == sorted(sent)  # all the same length
    assert peak[0] < 200 * 1024, f"gateway RSS peaked at {peak[0]} KiB while receiving 4 x 8 MB"
    # Holding the 32 MB in memory (let alone copies of it) would show; spooling keeps it flat.
    assert peak[0] - baseline < 64 * 1024, f"gateway RSS grew from {baseline} to {peak[0]} KiB for 4 x 8 MB"
    assert gateway_alive(gateway)


# --- slow clients ---------------------------------------------------------------------------------------


def trickle(port: int, prefix: bytes, payload: bytes, interval: float, limit: float) -> tuple[bytes, float, bool]:
    """Sends `prefix`, then `payload` one byte every `interval` s until the server answers or
    `limit` s pass. Returns (what the server said, when, whether it closed)."""
    s = open_session(port)
    try:
        s.send(prefix)
        for _ in range(prefix.count(b"\r\n")):
            s.reply()
        started = time.monotonic()
        s.sock.settimeout(interval)
        received = b""
        for byte in payload:
            if time.monotonic() - started > limit:
                return received, time.monotonic() - started, False
            try:
                s.sock.send(bytes([byte]))
            except OSError:
                return received, time.monotonic() - started, True
            try:
                data = s.sock.recv(1000)
            except socket.timeout:
                continue
            except OSError:
                return received, time.monotonic() - started, True
            received += data
            if not data or received.endswith(b"\r\n"):
                # An answer; does the server also close?
                s.sock.settimeout(2)
                try:
                    closed = s.sock.recv(1000) == b""
                except socket.timeout:
                    closed = False
                except OSError:
                    closed = True
                return received, time.monotonic() - started, closed or not data
        return received, time.monotonic() - started, False
    finally:
        s.close()


def test_client_sending_one_byte_a_second_is_closed_while_others_deliver(mail_system, tmp_path):
    store, _ = mail_system
    quick = started_gateway(store, tmp_path, "timeout", {"BUZON_SMTP_TIMEOUT": "3"})
    try:
        result = {}
        slow = threading.Thread(target=lambda: result.update(
            answer=trickle(quick.mx_port, b"", b"EHLO slow.client.test and then some more bytes", 1.0, 15)))
        slow.start()
        time.sleep(1.5)
        # Meanwhile a normal client is served at once.
        assert normal_delivery(quick, store, subject="during slowloris") < 3
        slow.join(timeout=20)
        received, elapsed, closed = result["answer"]
        assert received.startswith(b"421 4.4.2"), (received, elapsed)
        assert 2.5 <= elapsed <= 6.5, elapsed
        assert closed
        # A connection that says nothing at all is closed too.
        with open_session(quick.mx_port) as s:
            started = time.monotonic()
            s.sock.settimeout(10)
            code, text, _ = s.reply()
            assert (code, text[:5]) == (421, "4.4.2") and 2.5 <= time.monotonic() - started <= 6.5, (code, text)
        assert gateway_alive(quick)
    finally:
        quick.stop()


def test_client_trickling_message_data_one_byte_a_second_is_closed(mail_system, tmp_path):
    """The same trickle inside DATA: every byte resets an idle timer, so only a deadline on the
    data phase (or a minimum rate) frees the slot. Without one, 50 such connections per address
    hold the gateway's connection slots for as long as the attacker likes."""
    store, _ = mail_system
    quick = started_gateway(store, tmp_path, "timeout", {"BUZON_SMTP_TIMEOUT": "3"})
    try:
        prefix = b"EHLO slow.test\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n"
        received, elapsed, closed = trickle(quick.mx_port, prefix, b"Subject: slow\r\n\r\n" + b"x" * 100, 1.0, 12)
        assert received.startswith(b"421 4.4.2") and closed, \
            f"still open after {elapsed:.0f} s of one byte a second in DATA (timeout 3 s); got {received!r}"
        assert inbox_messages(store, ALICE) == []
    finally:
        quick.stop()


# --- many connections -----------------------------------------------------------------------------------


def test_a_thousand_connections_from_one_address(mail_system):
    store, gateway = mail_system
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    rss_before = rss_kib(gateway.proc.pid)

    def connect(_):
        s = socket.socket()
        s.settimeout(10)
        try:
            s.connect(("127.0.0.1", gateway.mx_port))
            first = b""
            while not first.endswith(b"\r\n"):
                data = s.recv(1000)
                if not data:
                    break
                first += data
            return s, first
        except OSError as e:
            s.close()
            return None, repr(e).encode()

    with ThreadPoolExecutor(max_workers=100) as pool:
        results = list(pool.map(connect, range(1000)))
    sockets = [s for s, _ in results if s is not None]
    try:
        firsts = [first for _, first in results]
        accepted = [f for f in firsts if f.startswith(b"220")]
        refused = [f for f in firsts if f.startswith(b"421 4.7.0")]
        other = [f for f in firsts if not f.startswith(b"220") and not f.startswith(b"421 4.7.0")]
        assert len(accepted) == 50, (len(accepted), len(refused), other[:5])
        assert len(refused) == 950 and other == [], (len(refused), other[:5])
        # The refused ones are closed by the server.
        for s, first in results:
            if s is not None and first.startswith(b"421"):
                s.settimeout(5)
                try:
                    assert s.recv(100) == b""
                except ConnectionResetError:
                    pass
        rss = rss_kib(gateway.proc.pid)
        assert rss < 200 * 1024, f"gateway RSS {rss} KiB (was {rss_before} KiB)"
        assert gateway_alive(gateway)
        # A client from another address is not affected (the limit is per address).
        assert normal_delivery(gateway, store, source="127.0.0.2", subject="other address") < 5
        # The 50 accepted ones still work.
        held = next(s for s, first in results if s is not None and first.startswith(b"220"))
        held.sendall(b"NOOP\r\n")
        assert held.recv(100).startswith(b"250")
    finally:
        for s in sockets:
            s.close()
    # Once they are gone, the address may connect again.
    deadline = time.monotonic() + 10
    while True:
        with socket.create_connection(("127.0.0.1", gateway.mx_port), timeout=5) as s:
            if s.recv(100).startswith(b"220"):
                break
        assert time.monotonic() < deadline, "slots not released after the clients closed"
        time.sleep(0.2)
    normal_delivery(gateway, store, subject="after the flood")
    assert rss_kib(gateway.proc.pid) < 200 * 1024


# --- too many errors ------------------------------------------------------------------------------------


def test_twenty_bad_commands_end_the_session_with_421(mail_system):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        codes = []
        for i in range(19):
            code, text = s.cmd(f"BOGUS{i}")
            codes.append(code)
        assert all(c == 500 for c in codes), codes
        s.send(b"BOGUS20\r\n")
        code, text, _ = s.reply()
        assert code == 500, (code, text)
        code, text, _ = s.reply()
        assert (code, text[:5]) == (421, "4.7.0"), (code, text)
        assert s.is_closed(wait=3)
    # Pipelined: the rest of the flood after the 421 is not answered.
    with open_session(gateway.mx_port) as s:
        s.send(b"".join(b"NOT A COMMAND %d\r\n" % i for i in range(100)))
        codes, closed = drain_replies(s)
        assert codes == [500] * 20 + [421], codes
        assert closed or s.is_closed(wait=3)
    assert gateway_alive(gateway)
    normal_delivery(gateway, store)
