"""An IMAP client that misbehaves, by mistake or on purpose: literals that lie about their size
or announce 4 GiB, unbalanced and absurdly nested parentheses, invalid UTF-8 and modified
UTF-7, commands in the wrong state, over-long lines, bytes smuggled behind STARTTLS, password
guessing and too many connections. Each is answered (BAD or NO, with the command's tag where
there is one), changes nothing in the store, and leaves the session usable unless the point is
to end it; afterwards the gateway still serves everyone, with its memory bounded."""

import base64
import socket
import threading
import time

import pytest

from conftest import IMAPGateway, Store
from imap_support import (ALICE, BOB, PASSWORD, RawIMAP, answers, deliver, listing, mailboxes, message,
                          non_loopback_address, open_session, refused, refused_in_turn, status, stored_flags,
                          trusting_context)
from smtp_support import rss_kib


def test_literal_that_lies_about_its_size_swallows_what_follows(imap_system):
    store, smtp, imap = imap_system
    deliver(smtp, message("Only one"))
    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        s.send(b"t1 APPEND INBOX {20}\r\n")
        assert s.line().startswith(b"+")
        # 5 bytes instead of 20, then what looks like commands: they are the rest of the literal
        # ("t2 NOOP\r\n" and "t3 NOO"), and "P" after the literal makes the APPEND a BAD one.
        s.send(b"abcde")
        s.send(b"t2 NOOP\r\n")
        s.send(b"t3 NOOP\r\n")
        tagged, untagged = s.until_tagged("t1")
        assert status(tagged) == "BAD", tagged
        assert not any(r.startswith((b"t2 ", b"t3 ")) for r in untagged), untagged
        assert status(s.command("NOOP")[0]) == "OK"
        assert s.buffer == b""
    assert len(listing(store)) == 1


def test_huge_literals_are_refused_before_they_are_sent(imap_system):
    store, smtp, imap = imap_system
    with open_session(imap.port) as s:
        s.send(b"t1 LOGIN {4294967295}\r\n")
        tagged = s.response()  # no "+": the client must not send it
        assert tagged.startswith((b"t1 NO", b"t1 BAD")), tagged
        s.login()
        for size in (b"4294967295", b"99999999999999999999"):
            s.send(b"t2 APPEND INBOX {" + size + b"}\r\n")
            tagged = s.response()
            assert tagged.startswith((b"t2 NO [TOOBIG]", b"t2 BAD")), tagged
            assert status(s.command("NOOP")[0]) == "OK"
    # Non-synchronizing: the bytes are coming anyway; the gateway may refuse and hang up (RFC 7888 §4).
    with open_session(imap.port, login=ALICE) as s:
        s.send(b"t3 APPEND INBOX {4294967295+}\r\n" + b"x" * 65536)
        answer = s.response()
        assert answer.startswith((b"t3 NO", b"t3 BAD", b"* BYE")), answer
    assert listing(store) == [] and answers(imap)


def test_literal_minus_before_login_refuses_big_non_synchronizing_literals(imap_system):
    """RFC 7888 §5: before login the gateway offers LITERAL-, so a {n+} literal over 4,096 octets
    is answered BAD [TOOBIG] and its octets skipped (§4) — the command hidden in it never runs —
    while {4096+} and a synchronizing literal of any small size are taken."""
    store, smtp, imap = imap_system
    deliver(smtp, message("Kept"))
    with open_session(imap.port) as s:
        caps = s.command("CAPABILITY")[1][0].split()
        assert b"LITERAL-" in caps and b"LITERAL+" not in caps, caps
        hidden = f't9 LOGIN "{ALICE}" "{PASSWORD}"\r\nt10 DELETE INBOX\r\n'.encode()
        s.send(b"t1 LOGIN {5000+}\r\n" + hidden + b"x" * (5000 - len(hidden)) + b" secret\r\n")
        tagged, untagged = s.until_tagged("t1")
        assert tagged.startswith(b"t1 BAD [TOOBIG]"), tagged
        assert status(s.command("NOOP")[0]) == "OK"
        assert s.buffer == b""
        # At the limit, and synchronizing above it: an ID field's value, read as one.
        s.send(b't2 ID ("name" {4096+}\r\n' + b"p" * 4096 + b")\r\n")
        assert status(s.until_tagged("t2")[0]) == "OK"
        s.send(b't3 ID ("name" {5000}\r\n')
        assert s.line().startswith(b"+")
        s.send(b"q" * 5000 + b")\r\n")
        assert status(s.until_tagged("t3")[0]) == "OK"
    assert [m["uid"] for m in listing(store)] == [1]
    # After login LITERAL+: non-synchronizing literals up to the APPEND limit.
    with open_session(imap.port) as s:
        s.send(f't1 LOGIN "{ALICE}" "{PASSWORD}"\r\n'.encode())
        tagged, _ = s.until_tagged("t1")
        assert b"LITERAL+" in tagged and b"LITERAL-" not in tagged, tagged
        raw = message("Big literal", body=("y" * 70 + "\r\n") * 90)
        s.send(b"t2 APPEND INBOX {" + str(len(raw)).encode() + b"+}\r\n" + raw + b"\r\n")
        assert status(s.until_tagged("t2")[0]) == "OK"
    assert len(listing(store)) == 2


def test_unbalanced_and_deeply_nested_parentheses_get_bad(imap_system):
    store, smtp, imap = imap_system
    uid, _ = deliver(smtp, message("Parens"))
    unbalanced = ["FETCH 1 (FLAGS UID", "FETCH 1 FLAGS UID)", "FETCH 1 ((FLAGS)", "STORE 1 +FLAGS (\\Seen",
                  "UID STORE 1:* +FLAGS \\Seen)", "SEARCH (FROM sender", "SEARCH FROM sender)", "SEARCH )(",
                  "APPEND INBOX (\\Seen {3+}\r\nabc"]
    nested = [f"SEARCH {'(' * depth}ALL{')' * depth}" for depth in (1000, 2000)] + \
             [f"SEARCH {'(' * 1000}ALL", "FETCH 1 " + "(" * 1000 + "FLAGS" + ")" * 1000]
    refused_in_turn(imap.port, unbalanced + nested, allowed=("BAD",), login=ALICE, select="INBOX")
    assert stored_flags(store) == {uid: frozenset()} and len(listing(store)) == 1 and answers(imap)


def test_invalid_utf8_and_modified_utf7_are_refused(imap_system):
    store, smtp, imap = imap_system
    before = set(mailboxes(store))
    names = [b"&Jjo", b"&AGE-", b"foo&bar", b"&", b"a&Jjo-&", b"\xc3\x28", b"\xff\xfe"]
    refused_in_turn(imap.port, [b'CREATE "' + n + b'"' for n in names] + [b'SELECT "' + n + b'"' for n in names],
                    login=ALICE)
    refused_in_turn(imap.port, [b'SEARCH CHARSET UTF-8 SUBJECT "\xc3\x28"', b"SEARCH SUBJECT \xff"],
                    login=ALICE, select="INBOX")
    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        refused(s, b'SEARCH CHARSET X-NO-SUCH-CHARSET SUBJECT "x"', allowed=("NO",))  # RFC 9051 §6.4.4
        s.ok("UNSELECT")
        s.ok("ENABLE UTF8=ACCEPT")  # RFC 6855: from now on names are UTF-8, and must be valid
        for name in [b"\xc3\x28", b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\xaf"]:
            refused(s, b'CREATE "' + name + b'"')
    assert set(mailboxes(store)) == before and answers(imap)


def test_commands_in_the_wrong_state(imap_system):
    store, smtp, imap = imap_system
    uid, _ = deliver(smtp, message("State"))
    refused_in_turn(imap.port, ["SELECT INBOX", "EXAMINE INBOX", "LIST \"\" \"*\"", "STATUS INBOX (MESSAGES)",
                                "CREATE X", "FETCH 1 (FLAGS)", "STORE 1 +FLAGS (\\Deleted)", "EXPUNGE", "CLOSE", "IDLE",
                                "ENABLE CONDSTORE", "UID FETCH 1 (FLAGS)", "UNSELECT", "NAMESPACE"])
    # Selected-state commands with no mailbox selected (the contract: FETCH gets BAD).
    refused_in_turn(imap.port, ["FETCH 1 (FLAGS)", "UID FETCH 1:* (FLAGS)"], allowed=("BAD",), login=ALICE)
    refused_in_turn(imap.port, ["STORE 1 +FLAGS (\\Deleted)", "UID STORE 1 +FLAGS (\\Deleted)", "SEARCH ALL",
                                "EXPUNGE", "UID EXPUNGE 1", "CLOSE", "UNSELECT", "COPY 1 Trash", "MOVE 1 Trash"],
                    login=ALICE)
    # Not-authenticated commands once logged in: still alice afterwards.
    with open_session(imap.port, login=ALICE) as s:
        for line in [f"LOGIN {BOB} {PASSWORD}", "AUTHENTICATE PLAIN", "STARTTLS"]:
            refused(s, line)
        s.ok("SELECT INBOX")
        assert len(s.ok("UID FETCH 1:* (UID)")) == 1
    assert stored_flags(store) == {uid: frozenset()} and "X" not in mailboxes(store)


def test_over_long_lines_get_bad_and_the_session_goes_on(imap_system):
    store, smtp, imap = imap_system
    deliver(smtp, message("Long lines"))
    with open_session(imap.port) as s:
        for line in [b"t1 LOGIN " + b"a" * 70000 + b" b", b"t2 " + b"X" * 66000, b"\x00" * 70000]:
            s.send(line + b"\r\n")
            s.send(b"p1 CAPABILITY\r\n")
            tagged, untagged = s.until_tagged("p1")
            assert status(tagged) == "OK"
            bad = [r for r in untagged if not r.startswith(b"* CAPABILITY")]
            assert len(bad) == 1 and bad[0].split(b" ", 2)[1] == b"BAD", bad
        s.login()
        s.ok("SELECT INBOX")
        for _ in range(3):  # in pieces, like a slow client
            s.send(b"t9 SEARCH SUBJECT ")
            for _ in range(70):
                s.send(b"y" * 1024)
            s.send(b"\r\np2 NOOP\r\n")
            tagged, untagged = s.until_tagged("p2")
            assert status(tagged) == "OK", tagged
            assert [r[:6] for r in untagged if r.startswith((b"t9 ", b"* BAD"))] in ([b"t9 BAD"], [b"* BAD "]), untagged
        assert s.ok("SEARCH ALL") == [b"* SEARCH 1"]


def test_commands_smuggled_behind_starttls_are_discarded(imap_system):
    store, smtp, imap = imap_system
    deliver(smtp, message("Smuggled"))
    with open_session(imap.port) as s:
        s.send(f"t1 STARTTLS\r\nt2 LOGIN {ALICE} {PASSWORD}\r\nt3 SELECT INBOX\r\n".encode())
        assert s.line().startswith(b"t1 OK")
        assert s.buffer == b""
        s.sock = trusting_context(imap).wrap_socket(s.sock, server_hostname="localhost")
        tagged, untagged = s.command("CAPABILITY")
        assert b"STARTTLS" not in b" ".join(untagged) and status(tagged) == "OK", untagged
        refused(s, "SELECT INBOX")  # nothing sent in the clear was carried out: not logged in
        s.login()
        s.ok("SELECT INBOX")


def test_failed_logins_are_slowed_then_refused(tmp_path):
    # Issue 11: the lock after 5 failures is of this client address for this account
    # (BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS_ACCOUNT); the account itself is not locked.
    store = Store(tmp_path / "data", env={"BUZON_LOGIN_FAILURE_DELAY_MS": "200", "BUZON_LOGIN_MAX_DELAY_MS": "800",
                                          "BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS_ACCOUNT": "5"}).start()
    imap = None
    try:
        store.add_user(ALICE)
        store.add_user(BOB)
        imap = IMAPGateway(store, tmp_path).start()
        took, closed_after = [], None
        for attempt in range(1, 7):
            with open_session(imap.port) as s:
                for n in range(1, 11):
                    started = time.monotonic()
                    try:
                        tagged, _ = s.command(f'LOGIN {ALICE} "wrong{attempt}-{n}"')
                    except (ConnectionError, OSError):
                        closed_after = n - 1 if closed_after is None else closed_after
                        break
                    took.append(time.monotonic() - started)
                    assert status(tagged) == "NO", tagged
                if len(took) >= 6:
                    break
        assert closed_after is not None and closed_after <= 5, "a connection may guess passwords for ever"
        assert took[3] >= 0.3 and took[3] > took[0], f"failed logins are not slowed: {took}"
        with open_session(imap.port) as s:
            tagged, _ = s.command(f"LOGIN {ALICE} {PASSWORD}")
            assert status(tagged) == "NO", tagged  # locked now, even with the right password
        with open_session(imap.port, login=BOB) as s:  # only alice is locked from here
            s.ok("SELECT INBOX")
        with open_session(imap.port, source="127.0.0.2") as s:  # and only from here: her own client elsewhere logs in
            tagged, _ = s.command(f"LOGIN {ALICE} {PASSWORD}")
            assert status(tagged) == "OK", tagged
    finally:
        if imap:
            imap.stop()
        store.stop()


def test_connection_limits_per_address_and_per_user(imap_system, tmp_path):
    store, smtp, _ = imap_system
    imap = IMAPGateway(store, tmp_path / "limited", env={"BUZON_IMAP_MAX_CONNECTIONS_PER_ADDRESS": "5",
                                                         "BUZON_IMAP_MAX_CONNECTIONS_PER_USER": "2"}).start()
    sessions = []
    try:
        sessions = [open_session(imap.port) for _ in range(5)]
        with RawIMAP(imap.port) as sixth:
            greeting = b""
            try:
                greeting = sixth.line()
            except (ConnectionError, OSError):
                pass
            assert not greeting.startswith(b"* OK"), greeting
            assert greeting == b"" or greeting.startswith(b"* BYE"), greeting
            assert sixth.is_closed(3)
        sessions.pop().close()
        deadline = time.monotonic() + 5
        while True:  # the freed slot is given back
            try:
                with RawIMAP(imap.port) as again:
                    if again.line().startswith(b"* OK"):
                        break
            except (ConnectionError, OSError):
                pass
            assert time.monotonic() < deadline, "the freed connection slot was not given back"
            time.sleep(0.2)
        sessions[0].login(ALICE)
        sessions[1].login(ALICE)
        tagged, _ = sessions[2].command(f"LOGIN {ALICE} {PASSWORD}")
        assert status(tagged) == "NO", tagged  # a third session for alice
        sessions[3].login(BOB)
        sessions[3].ok("SELECT INBOX")
    finally:
        for s in sessions:
            s.close()
        imap.stop()


def test_gateway_survives_abuse_with_bounded_memory(imap_system):
    store, smtp, imap = imap_system
    uid, raw = deliver(smtp, message("Still here"))
    assert answers(imap)
    before = rss_kib(imap.proc.pid)

    def abuse(n: int) -> None:
        try:
            with open_session(imap.port) as s:
                s.send((b"a LOGIN " + b"x" * 70000 + b"\r\n") * 5)
                s.send(b"b SEARCH " + b"(" * 5000 + b"\r\n")
                s.send(b"c APPEND INBOX {4294967295}\r\n\x00\xff\xfe garbage \x1b[31m\r\n")
                s.login()
                s.send(b"d SELECT INBOX\r\ne APPEND INBOX {67108864}\r\n" + b"f FETCH 1:* (" * 2000 + b"\r\n")
                s.send(b"g SEARCH " + b"OR ALL " * 5000 + b"ALL\r\n")
                time.sleep(0.2)
        except OSError:
            pass  # the gateway may hang up on such a client
        with socket.create_connection(("127.0.0.1", imap.port), timeout=5):
            pass  # and one that connects and goes at once

    threads = [threading.Thread(target=abuse, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    time.sleep(1)
    after = rss_kib(imap.proc.pid)
    assert after - before < 100 * 1024, f"RSS grew from {before} KiB to {after} KiB"
    assert answers(imap)
    with open_session(imap.tls_port, login=ALICE, tls_context=trusting_context(imap)) as s:
        s.ok("EXAMINE INBOX")
        assert raw in s.ok(f"UID FETCH {uid} (BODY.PEEK[])")[-1]
    assert [m["uid"] for m in listing(store)] == [uid]


def test_plaintext_login_refused_off_loopback(imap_system, tmp_path):
    """RFC 9051 §6.2.3 / RFC 8314: no password in the clear over the network. A client on another
    address sees LOGINDISABLED and no AUTH= until STARTTLS; loopback is exempt."""
    store, smtp, _ = imap_system
    address = non_loopback_address()
    if address is None:
        pytest.skip("no non-loopback IPv4 address to connect from")
    imap = IMAPGateway(store, tmp_path / "public", env={"BUZON_IMAP_HOST": "0.0.0.0"}).start()
    try:
        with open_session(imap.port, host=address) as s:
            caps = b" ".join(s.ok("CAPABILITY")).split()
            assert b"LOGINDISABLED" in caps and b"STARTTLS" in caps and not any(c.startswith(b"AUTH=") for c in caps)
            refused(s, f"LOGIN {ALICE} {PASSWORD}")
            refused(s, "AUTHENTICATE PLAIN " + base64.b64encode(f"\0{ALICE}\0{PASSWORD}".encode()).decode())
            refused(s, "SELECT INBOX")  # not logged in
            s.ok("STARTTLS")
            s.sock = trusting_context(imap).wrap_socket(s.sock, server_hostname="localhost")
            caps = b" ".join(s.ok("CAPABILITY")).split()
            assert b"LOGINDISABLED" not in caps and b"AUTH=PLAIN" in caps
            s.login()
            s.ok("SELECT INBOX")
    finally:
        imap.stop()
    allowed = IMAPGateway(store, tmp_path / "allowed", env={"BUZON_IMAP_HOST": "0.0.0.0",
                                                            "BUZON_IMAP_ALLOW_PLAINTEXT_AUTH": "true"}).start()
    try:
        with open_session(allowed.port, host=address, login=ALICE) as s:
            s.ok("SELECT INBOX")
    finally:
        allowed.stop()


def test_silent_sessions_are_logged_out(imap_system, tmp_path):
    store, smtp, _ = imap_system
    imap = IMAPGateway(store, tmp_path / "impatient", env={"BUZON_IMAP_TIMEOUT": "3"}).start()
    try:
        with open_session(imap.port, login=ALICE) as s:
            s.ok("SELECT INBOX")
            started = time.monotonic()
            assert s.is_closed(10), "a silent session was not logged out within 10 s"
            assert 2.5 <= time.monotonic() - started <= 8
            assert s.buffer.startswith(b"* BYE"), s.buffer  # RFC 9051 §7.1.5
        assert answers(imap)
    finally:
        imap.stop()
