"""A POP3 client that misbehaves, by mistake or on purpose: unknown commands, bad arguments,
commands in the wrong state, over-long lines, binary garbage and NULs each get `-ERR` and the
session goes on, and none of it deletes anything; wrong passwords get `-ERR [AUTH]` and three
of them, or twenty errors of any kind, end the connection; bytes smuggled behind STLS are
thrown away; an idle session is logged out without UPDATE. Also what a client relies on to
behave: CAPA, AUTH PLAIN (RFC 5034) and pipelining (RFC 2449 §6.6)."""

import base64
import concurrent.futures
import socket
import time
from pathlib import Path

import pytest

from conftest import POP3Gateway
from pop3_support import (ALICE, BOB, PASSWORD, RawPOP3, append_raw, inbox_count, open_session, pop3_encode, send_mail,
                          stored, trusting_context)
from support import non_loopback_address


def deliver(smtp, count: int = 2) -> list[bytes]:
    for n in range(1, count + 1):
        send_mail(smtp, b"From: sender@remote.test\r\nSubject: message %d\r\n\r\nbody %d\r\n.dot\r\n" % (n, n))
    raws = stored(smtp.store)
    assert len(raws) == count
    return raws


def plain(user: str, password: str, authzid: str = "") -> str:
    return base64.b64encode(f"{authzid}\0{user}\0{password}".encode()).decode()


def assert_refused_and_alive(s: RawPOP3, line: bytes | str, probe: str = "NOOP") -> bytes:
    """`line` is answered with one `-ERR` line and the session still works (`probe` gets +OK)."""
    if isinstance(line, str):
        line = line.encode()
    s.send(line + b"\r\n")
    r = s.line()
    assert r.startswith(b"-ERR"), (line[:60], r)
    status = s.cmd(probe)
    assert status.startswith(b"+OK"), (line[:60], "then", probe, status)
    if probe == "CAPA":
        s.multiline()
    return r


# --- refused, and the session goes on ---------------------------------------------------------------


UNKNOWN = ["FOO", "XYZZY", "HELO client.test", "EHLO client.test", "LOGIN alice secret", "SELECT INBOX",
           "RETRIEVE 1", "DEL 1", "", "   ", "1", "R"]


def test_unknown_commands_get_err_in_both_states(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    with open_session(pop3.port) as s:
        for line in UNKNOWN:
            assert_refused_and_alive(s, line, probe="CAPA")
        s.login()
    with open_session(pop3.port) as s:
        s.login()
        for line in UNKNOWN:
            assert_refused_and_alive(s, line)
        assert s.stat() == (2, sum(map(len, raws)))
        assert s.cmd("QUIT").startswith(b"+OK")
    assert stored(store) == raws


def test_arguments_out_of_range_get_err(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    batches = [
        ["RETR 0", "RETR 99", "RETR 3", "LIST -1", "LIST 0", "LIST 3", "TOP 1 -1", "TOP 0 1", "TOP 3 0",
         "RETR 1 2", "RETR", "RETR x", "RETR 1x", "RETR +1", "RETR 0x1"],
        ["DELE 0", "DELE -1", "DELE 3", "DELE 99999999999999999999", "DELE 1 1", "DELE", "UIDL 0", "UIDL 3",
         "UIDL 1 2", "TOP 1", "TOP 1 x", "TOP 1 2 3", "LIST 1 2", "RETR 4294967297"],
        ["STAT 1", "NOOP x", "RSET 1", "QUIT now", "CAPA x", "STLS x", "RETR " + "1" * 41],
    ]
    for batch in batches:
        with open_session(pop3.port) as s:
            s.login()
            for line in batch:
                assert_refused_and_alive(s, line, probe="STAT")
            assert s.stat() == (2, sum(map(len, raws)))
            # and the real thing still works
            status, body = s.cmd_multi("RETR 1")
            assert status.startswith(b"+OK") and body == pop3_encode(raws[0])
            assert s.cmd("QUIT").startswith(b"+OK")
    assert stored(store) == raws


def test_commands_in_the_wrong_state_get_err(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    with open_session(pop3.port) as s:
        # Before login: nothing of TRANSACTION, and PASS only after USER.
        for line in ["STAT", "LIST", "LIST 1", "RETR 1", "DELE 1", "TOP 1 0", "UIDL", "RSET", "NOOP", f"PASS {PASSWORD}"]:
            assert_refused_and_alive(s, line, probe="CAPA")
        s.login()
        # After login: nothing of AUTHORIZATION.
        for line in [f"USER {ALICE}", f"PASS {PASSWORD}", f"USER {BOB}", f"AUTH PLAIN {plain(ALICE, PASSWORD)}", "STLS",
                     "APOP alice 0123456789abcdef0123456789abcdef"]:
            assert_refused_and_alive(s, line, probe="STAT")
        assert s.stat() == (2, sum(map(len, raws)))  # still alice's maildrop, not bob's
        assert s.cmd("QUIT").startswith(b"+OK")
    assert stored(store) == raws


def test_over_long_lines_get_err(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    with open_session(pop3.port) as s:
        assert_refused_and_alive(s, b"X" * 300, probe="CAPA")
        assert_refused_and_alive(s, b"USER " + b"a" * 295, probe="CAPA")
        # A 255-octet line (CRLF included) is still a command (RFC 2449 §4): here a wrong PASS.
        assert s.cmd(f"USER {ALICE}").startswith(b"+OK")
        line = b"PASS " + b"p" * 248
        assert len(line) + 2 == 255
        assert s.cmd(line).startswith(b"-ERR [AUTH]")
        s.login()
        assert_refused_and_alive(s, b"RETR " + b"1" * 295)
        assert_refused_and_alive(s, b"DELE 1" + b" " * 300)
        # 100 KiB without a line end, in pieces, then CRLF: one -ERR, not one per piece.
        for _ in range(100):
            s.send(b"D" * 1024)
        s.send(b"\r\nNOOP\r\n")
        assert s.line().startswith(b"-ERR")
        assert s.line() == b"+OK"
        assert s.stat() == (2, sum(map(len, raws)))
        assert s.cmd("QUIT").startswith(b"+OK")
    assert stored(store) == raws


GARBAGE = [
    b"\x00",
    b"\x00\x00\x00\x00",
    b"\xff\xfe\xfd\xfc",
    b"\x1b[31mred\x1b[0m",
    b"STAT\x00",
    b"NOOP\x00garbage",
    b"DELE 1\x00",
    b"DELE\x001",
    b"DELE 1\x1b",
    b"DELE \xef\xbc\x91",  # a full-width digit one
    b"\x80\x81\x82 DELE 1",
    bytes(range(1, 10)) + bytes(range(11, 13)) + bytes(range(14, 32)),
    bytes(range(0x80, 0x100)),
    b"USER \xff\xfe",
    b"\xc3\x28",  # invalid UTF-8
]


def test_binary_garbage_and_nuls_get_err_and_delete_nothing(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    with open_session(pop3.port) as s:
        for line in GARBAGE:
            assert_refused_and_alive(s, line, probe="CAPA")
    with open_session(pop3.port) as s:
        s.login()
        for line in GARBAGE:
            assert_refused_and_alive(s, line, probe="STAT")
        assert s.stat() == (2, sum(map(len, raws)))  # no DELE 1 slipped through
        assert s.cmd("QUIT").startswith(b"+OK")  # UPDATE with nothing marked
    assert stored(store) == raws


# --- authentication failures --------------------------------------------------------------------------


def test_wrong_password_gets_auth_code(pop3_system):
    store, smtp, pop3 = pop3_system
    deliver(smtp)
    with open_session(pop3.port) as s:
        assert s.cmd(f"USER {ALICE}").startswith(b"+OK")
        wrong_password = s.cmd("PASS wrong")
        assert wrong_password.startswith(b"-ERR [AUTH]"), wrong_password
        assert s.cmd("USER nobody@example.test").startswith(b"+OK")
        unknown_user = s.cmd(f"PASS {PASSWORD}")
        # One answer for both: the reply does not tell which accounts exist.
        assert unknown_user == wrong_password
        s.login()  # the third try is right: in
        assert s.stat()[0] == 2
        s.cmd("QUIT")
    with open_session(pop3.tls_port, tls_context=trusting_context(pop3)) as s:
        r = s.cmd(f"AUTH PLAIN {plain(ALICE, 'wrong')}")
        assert r.startswith(b"-ERR [AUTH]"), r
        assert s.cmd("CAPA").startswith(b"+OK")
        s.multiline()


def test_three_wrong_passwords_close_the_connection(pop3_system):
    store, smtp, pop3 = pop3_system
    deliver(smtp)
    with open_session(pop3.port) as s:
        for attempt in (1, 2):
            assert s.cmd(f"USER {ALICE}").startswith(b"+OK")
            assert s.cmd(f"PASS wrong{attempt}").startswith(b"-ERR [AUTH]")
        assert s.cmd("CAPA").startswith(b"+OK")  # two are forgiven
        s.multiline()
        assert s.cmd(f"USER {ALICE}").startswith(b"+OK")
        assert s.cmd("PASS wrong3").startswith(b"-ERR [AUTH]")
        assert s.is_closed(3), "still open after three wrong passwords"
        assert all(l.startswith(b"-ERR") for l in s.buffer.split(b"\r\n") if l), s.buffer
    # AUTH PLAIN failures count the same way, also mixed with USER/PASS.
    with open_session(pop3.tls_port, tls_context=trusting_context(pop3)) as s:
        assert s.cmd(f"AUTH PLAIN {plain(ALICE, 'wrong1')}").startswith(b"-ERR [AUTH]")
        assert s.cmd(f"USER {ALICE}").startswith(b"+OK")
        assert s.cmd("PASS wrong2").startswith(b"-ERR [AUTH]")
        assert s.cmd("AUTH PLAIN").startswith(b"+ ")
        assert s.cmd(plain(ALICE, "wrong3")).startswith(b"-ERR [AUTH]")
        assert s.is_closed(3), "still open after three failed logins"
    assert inbox_count(store) == 2


def test_twenty_errors_close_the_connection_without_update(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    with open_session(pop3.port) as s:
        s.login()
        assert s.cmd("DELE 1").startswith(b"+OK")
        for _ in range(19):
            assert s.cmd("FOO").startswith(b"-ERR")
        assert s.cmd("NOOP") == b"+OK"  # 19 errors: still here
        assert s.cmd("RETR 99").startswith(b"-ERR")  # the 20th
        assert s.is_closed(3), "still open after 20 errors"
    # Hung up, not QUIT: the marked message stays.
    time.sleep(0.3)
    assert stored(store) == raws
    # A pipelined flood: the connection ends, and nothing after the limit is answered.
    with open_session(pop3.port) as s:
        s.send(b"BAD\r\n" * 25 + b"CAPA\r\n")
        assert s.is_closed(3)
        lines = [l for l in s.buffer.split(b"\r\n") if l]
        assert 20 <= len(lines) <= 21, lines
        assert all(l.startswith(b"-ERR") for l in lines), lines


# --- STLS injection -------------------------------------------------------------------------------------


def test_stls_discards_commands_sent_in_the_clear_behind_it(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    s = open_session(pop3.port)
    try:
        s.send(b"STLS\r\nUSER x\r\n")
        assert s.line() == b"+OK Begin TLS negotiation"
        assert s.buffer == b""
        s.sock = trusting_context(pop3).wrap_socket(s.sock, server_hostname="localhost")
        # The first answer over TLS belongs to CAPA: the injected USER got none.
        assert s.cmd("CAPA") == b"+OK Capability list follows"
        capabilities = s.multiline()
        assert b"STLS" not in capabilities and b"USER" in capabilities
        assert s.cmd(f"PASS {PASSWORD}").startswith(b"-ERR")  # no USER was accepted
    finally:
        s.close()
    # The same with a whole login smuggled in: after the handshake, not logged in.
    s = open_session(pop3.port)
    try:
        s.send(f"STLS\r\nUSER {ALICE}\r\nPASS {PASSWORD}\r\nDELE 1\r\nQUIT\r\n".encode())
        assert s.line() == b"+OK Begin TLS negotiation"
        s.sock = trusting_context(pop3).wrap_socket(s.sock, server_hostname="localhost")
        assert s.cmd("STAT").startswith(b"-ERR"), "commands sent in the clear were carried out"
        s.login()
        assert s.stat()[0] == 2
        s.cmd("QUIT")
    finally:
        s.close()
    assert stored(store) == raws


def test_stls_twice_and_on_pop3s_is_refused(pop3_system):
    store, smtp, pop3 = pop3_system
    with open_session(pop3.port) as s:
        s.stls(trusting_context(pop3))
        assert s.cmd("STLS").startswith(b"-ERR")
        assert s.cmd("CAPA").startswith(b"+OK")
        s.multiline()
    with open_session(pop3.tls_port, tls_context=trusting_context(pop3)) as s:
        assert s.cmd("STLS").startswith(b"-ERR")
        s.login()
        assert s.cmd("NOOP") == b"+OK"


# --- autologout --------------------------------------------------------------------------------------------


def watch(s: RawPOP3, drip: bool = False, limit: float = 10) -> tuple[float, bytes]:
    """Seconds until the server hangs up (inf if not within `limit`), and what it said before.
    With `drip`, sends one byte of a command line that never ends every half second."""
    start = time.monotonic()
    s.sock.settimeout(0.5)
    while time.monotonic() - start < limit:
        if drip:
            try:
                s.send(b"N")
            except OSError:
                return time.monotonic() - start, s.buffer
        try:
            chunk = s.sock.recv(4096)
        except (TimeoutError, OSError) as e:
            if isinstance(e, TimeoutError) or "timed out" in str(e):
                continue
            return time.monotonic() - start, s.buffer
        if not chunk:
            return time.monotonic() - start, s.buffer
        s.buffer += chunk
    return float("inf"), s.buffer


def watch_all(sessions: dict[str, tuple[RawPOP3, bool]]) -> dict[str, tuple[float, bytes]]:
    with concurrent.futures.ThreadPoolExecutor(len(sessions)) as pool:
        futures = {name: pool.submit(watch, s, drip) for name, (s, drip) in sessions.items()}
        return {name: f.result(timeout=15) for name, f in futures.items()}


def test_idle_sessions_are_logged_out_without_update(pop3_system, tmp_path):
    store, smtp, _ = pop3_system
    raws = deliver(smtp)
    pop3 = POP3Gateway(store, tmp_path, env={"BUZON_POP3_TIMEOUT": "3"}).start()
    try:
        in_transaction = open_session(pop3.port)
        in_transaction.login()
        assert in_transaction.cmd("DELE 1").startswith(b"+OK")
        sessions = {"transaction": (in_transaction, False),
                    "authorization": (open_session(pop3.port), False),
                    "partial line": (open_session(pop3.tls_port, tls_context=trusting_context(pop3)), True)}
        results = watch_all(sessions)
        for s, _ in sessions.values():
            s.close()
        for name, (elapsed, said) in results.items():
            assert elapsed != float("inf"), f"{name}: not logged out within 10 s"
            assert 2.5 <= elapsed <= 6, f"{name}: logged out after {elapsed:.1f} s"
            assert said.startswith(b"-ERR"), (name, said)
        # No UPDATE: the message marked for deletion is still there, and the maildrop is free.
        assert stored(store) == raws
        with open_session(pop3.port) as s:
            s.login()
            assert s.stat()[0] == 2
            s.cmd("QUIT")
    finally:
        pop3.stop()


def test_stalled_tls_handshakes_are_closed(pop3_system, tmp_path):
    """A connection that never finishes its TLS handshake is as idle as any other: without a
    limit, anyone can hold the gateway's connection slots (50 per address) for ever."""
    store, _, _ = pop3_system
    pop3 = POP3Gateway(store, tmp_path, env={"BUZON_POP3_TIMEOUT": "3"}).start()
    try:
        stls_then_nothing = open_session(pop3.port)
        assert stls_then_nothing.cmd("STLS").startswith(b"+OK")
        partial_hello = RawPOP3(pop3.tls_port)
        partial_hello.send(b"\x16\x03\x01\x02\x00\x01")  # the start of a ClientHello record
        sessions = {"no ClientHello on POP3S": (RawPOP3(pop3.tls_port), False),
                    "no ClientHello after STLS": (stls_then_nothing, False),
                    "half a ClientHello": (partial_hello, False)}
        results = watch_all(sessions)
        for s, _ in sessions.values():
            s.close()
        # 3 s of silence, then up to ConnectionClosing.grace (2 s) for a last reply a stalled
        # handshake holds back, and a timer's slack under the whole suite's load.
        late = {name: elapsed for name, (elapsed, _) in results.items() if not 2.5 <= elapsed <= 7}
        assert not late, f"not closed 3-7 s after the last byte (inf: still open after 10 s): {late}"
    finally:
        pop3.stop()


def test_client_that_stops_reading_is_logged_out(pop3_system, tmp_path):
    """A client that asks for a big message and then reads nothing (a zero TCP window) is as
    idle as one that sends nothing: after the timeout it is logged out without UPDATE, and the
    maildrop lock it held is given back instead of being renewed for as long as it stays."""
    store, smtp, _ = pop3_system
    send_mail(smtp, b"Subject: small\r\n\r\nsmall\r\n")
    append_raw(store, b"Subject: big\r\n\r\n" + (b"y" * 998 + b"\r\n") * 16_000)  # 16 MB
    raws = stored(store)
    pop3 = POP3Gateway(store, tmp_path, env={"BUZON_POP3_TIMEOUT": "3", "BUZON_POP3_LOCK_TTL": "3"}).start()
    sock = socket.socket()
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(10)
        sock.connect(("127.0.0.1", pop3.port))
        s = RawPOP3.__new__(RawPOP3)
        s.sock, s.buffer = sock, b""
        s.greeting()
        s.login()
        assert s.cmd("DELE 1").startswith(b"+OK")
        s.send(b"RETR 2\r\n")  # and read nothing more
        started = time.monotonic()
        while True:
            with open_session(pop3.port) as other:
                assert other.cmd(f"USER {ALICE}").startswith(b"+OK")
                r = other.cmd(f"PASS {PASSWORD}")
                if r.startswith(b"+OK"):
                    other.cmd("QUIT")
                    break
                assert r.startswith(b"-ERR [IN-USE]"), r
            waited = time.monotonic() - started
            assert waited < 10, f"the stalled session still holds the maildrop {waited:.1f} s after it stopped reading"
            time.sleep(0.5)
        assert time.monotonic() - started >= 2.5, "logged out before the timeout"
    finally:
        sock.close()
        pop3.stop()
    assert stored(store) == raws


# --- passwords in the clear ---------------------------------------------------------------------------------


def test_plaintext_passwords_refused_off_loopback(pop3_system, tmp_path):
    """RFC 2595 §2.2: no password in the clear over the network. Loopback is exempt (that is
    how every other test logs in); a client on another address must use TLS first."""
    store, smtp, _ = pop3_system
    deliver(smtp)
    readme = (Path(__file__).resolve().parents[2] / "Services" / "pop3-gateway" / "README.md").read_text()
    assert "BUZON_POP3_ALLOW_PLAINTEXT_AUTH" in readme
    address = non_loopback_address()
    if address is None:
        pytest.skip("no non-loopback IPv4 address to connect from")
    # Bound to all interfaces so that a connection can come from a non-loopback address.
    pop3 = POP3Gateway(store, tmp_path, env={"BUZON_POP3_HOST": "0.0.0.0"}).start()
    try:
        with open_session(pop3.port, host=address) as s:
            caps = capabilities(s)
            assert b"STLS" in caps
            assert b"USER" not in caps, caps  # not offered where it would be refused
            assert s.cmd(f"USER {ALICE}").startswith(b"-ERR [AUTH]")
            assert s.cmd(f"PASS {PASSWORD}").startswith(b"-ERR")
            assert s.cmd(f"AUTH PLAIN {plain(ALICE, PASSWORD)}").startswith(b"-ERR [AUTH]")
            assert s.cmd("STAT").startswith(b"-ERR")  # not logged in
            s.stls(trusting_context(pop3))
            assert b"USER" in capabilities(s)
            s.login()
            assert s.stat()[0] == 2
            s.cmd("QUIT")
        with open_session(pop3.tls_port, host=address, tls_context=trusting_context(pop3)) as s:
            assert s.cmd(f"AUTH PLAIN {plain(ALICE, PASSWORD)}").startswith(b"+OK")
            s.cmd("QUIT")
    finally:
        pop3.stop()
    allowed = POP3Gateway(store, tmp_path, env={"BUZON_POP3_HOST": "0.0.0.0", "BUZON_POP3_ALLOW_PLAINTEXT_AUTH": "true"}).start()
    try:
        with open_session(allowed.port, host=address) as s:
            s.login()
            assert s.stat()[0] == 2
            s.cmd("QUIT")
    finally:
        allowed.stop()


# --- CAPA, AUTH PLAIN, pipelining ------------------------------------------------------------------------


def capabilities(s: RawPOP3) -> list[bytes]:
    status, body = s.cmd_multi("CAPA")
    assert status.startswith(b"+OK"), status
    return body[:-3].split(b"\r\n")[:-1]


def test_capa_lists_the_capabilities(pop3_system):
    store, smtp, pop3 = pop3_system
    with open_session(pop3.port) as s:
        caps = capabilities(s)
        names = [c.split()[0] for c in caps]
        for name in (b"TOP", b"UIDL", b"USER", b"SASL", b"RESP-CODES", b"AUTH-RESP-CODE", b"PIPELINING", b"STLS",
                     b"IMPLEMENTATION"):
            assert name in names, (name, caps)
        assert b"PLAIN" in next(c for c in caps if c.startswith(b"SASL ")).split()[1:]
        assert len(names) == len(set(names)), caps
        s.stls(trusting_context(pop3))
        after = capabilities(s)
        assert b"STLS" not in [c.split()[0] for c in after], after  # RFC 2595 §4
        assert set(after) == set(caps) - {b"STLS"}
    with open_session(pop3.tls_port, tls_context=trusting_context(pop3)) as s:
        caps = capabilities(s)
        assert b"STLS" not in [c.split()[0] for c in caps]
        assert b"USER" in caps and any(c.startswith(b"SASL ") and b"PLAIN" in c.split() for c in caps)
        s.login()
        assert b"TOP" in capabilities(s)  # CAPA works in TRANSACTION too (RFC 2449 §5)


def test_auth_plain(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    # With the initial response (RFC 5034 §4).
    with open_session(pop3.port) as s:
        r = s.cmd(f"AUTH PLAIN {plain(ALICE, PASSWORD)}")
        assert r.startswith(b"+OK"), r
        assert s.stat() == (2, sum(map(len, raws)))
        s.cmd("QUIT")
    # Without: an empty challenge, then the response.
    with open_session(pop3.tls_port, tls_context=trusting_context(pop3)) as s:
        assert s.cmd("AUTH PLAIN") == b"+ "
        r = s.cmd(plain(ALICE, PASSWORD, authzid=ALICE))  # authzid = authcid is fine
        assert r.startswith(b"+OK"), r
        assert s.stat()[0] == 2
        s.cmd("QUIT")
    with open_session(pop3.port) as s:
        assert s.cmd("AUTH PLAIN").startswith(b"+ ")
        assert s.cmd("*").startswith(b"-ERR")  # cancelled
        assert s.cmd("AUTH PLAIN !!!notbase64").startswith(b"-ERR")
        assert s.cmd("AUTH PLAIN").startswith(b"+ ")
        assert s.cmd("%%%").startswith(b"-ERR")
        assert s.cmd(f"AUTH PLAIN {base64.b64encode(b'no-nuls-here').decode()}").startswith(b"-ERR")
        assert s.cmd("AUTH CRAM-MD5").startswith(b"-ERR")
        assert s.cmd("AUTH LOGIN").startswith(b"-ERR")
        r = s.cmd(f"AUTH PLAIN {plain(ALICE, PASSWORD, authzid=BOB)}")  # acting as someone else
        assert r.startswith(b"-ERR"), r
        r = s.cmd(f"auth plain {plain(ALICE, PASSWORD)}")  # keywords are case-insensitive
        assert r.startswith(b"+OK"), r
        assert s.stat()[0] == 2
        s.cmd("QUIT")
    assert stored(store) == raws


def test_pipelined_commands_are_answered_in_order(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp)
    for port, context in ((pop3.port, None), (pop3.tls_port, trusting_context(pop3))):
        with open_session(port, tls_context=context) as s:
            s.send((f"USER {ALICE}\r\nPASS {PASSWORD}\r\nSTAT\r\nLIST\r\nUIDL 1\r\nRETR 1\r\nTOP 2 0\r\nFOO\r\n"
                    "DELE 1\r\nLIST 1\r\nRSET\r\nLIST 1\r\nRETR 2\r\nNOOP\r\nQUIT\r\n").encode())
            assert s.line() == b"+OK"
            assert s.line().startswith(b"+OK")
            assert s.line() == b"+OK 2 %d" % sum(map(len, raws))
            assert s.line().startswith(b"+OK")
            assert s.multiline() == b"1 %d\r\n2 %d\r\n.\r\n" % (len(raws[0]), len(raws[1]))
            assert s.line().startswith(b"+OK 1 ")
            assert s.line().startswith(b"+OK")
            assert s.multiline() == pop3_encode(raws[0])
            assert s.line().startswith(b"+OK")
            assert s.multiline() == raws[1][: raws[1].index(b"\r\n\r\n") + 4] + b".\r\n"
            assert s.line().startswith(b"-ERR")
            assert s.line().startswith(b"+OK")  # DELE 1
            assert s.line().startswith(b"-ERR")  # LIST 1: marked
            assert s.line().startswith(b"+OK")  # RSET
            assert s.line() == b"+OK 1 %d" % len(raws[0])
            assert s.line().startswith(b"+OK")
            assert s.multiline() == pop3_encode(raws[1])
            assert s.line() == b"+OK"
            assert s.line() == b"+OK Bye"
            assert s.is_closed(3)
            assert s.buffer == b""
    assert stored(store) == raws
