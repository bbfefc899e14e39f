"""SASL in the three gateways, from clients nobody here wrote: SCRAM-SHA-256 (RFC 5802, RFC 7677)
driven by Python's `scramp` over SMTP submission (smtplib), IMAP (imaplib) and POP3 (a raw
socket, RFC 5034), and the one SASL implementation's answers to the same bad PLAIN input in
all three protocols, each in its own words but of the same class.

- A good password logs in, and scramp checks the server-final `v=` (it raises when the server
  does not prove it holds the keys).
- A wrong password is each protocol's authentication failure, and the connection stays usable.
- A user made with mailctl has keys from the start; a user whose keys are missing (data from
  before the keys were kept, made here by clearing them in the store's database while it is
  stopped) gets them at the first password login.
- Bad PLAIN input (overlong field, bad base64, NUL in the wrong place, not UTF-8, authzid of
  someone else, `*`): SMTP 501 5.5.2 / 501 5.0.0 / 535 5.7.8, POP3 `-ERR` / `-ERR [AUTH]`,
  IMAP BAD / NO, the same class for the same fault, and the session goes on.

Every connection is over TLS (465, POP3S, IMAPS): SASL stays behind the same TLS rule as passwords.
"""

from __future__ import annotations

import base64
import imaplib
import smtplib
import sqlite3

import pytest
import scramp

from conftest import Gateway, IMAPGateway, POP3Gateway, Store, mailctl
from imap_support import RawIMAP, status
from pop3_support import RawPOP3
from smtp_support import RawSMTP, trusting_context

ALICE, PASSWORD = "alice@example.test", "secret"
MECH = "SCRAM-SHA-256"


@pytest.fixture
def sasl_system(tmp_path):
    """A store with alice and bob (password `secret`, made through the API) and the three
    gateways in front of it. Yields (store, smtp, pop3, imap)."""
    store = Store(tmp_path / "data").start()
    store.add_user(ALICE)
    store.add_user("bob@example.test")
    started = []
    try:
        for kind in (Gateway, POP3Gateway, IMAPGateway):
            started.append(kind(store, tmp_path).start())
    except Exception:
        for process in started + [store]:
            process.stop()
        raise
    yield (store, *started)
    for process in started + [store]:
        process.stop()


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def unb64(text: bytes | str) -> str:
    return base64.b64decode(text).decode()


# --- the three protocols, driven by one scramp client each ------------------------------------


def smtp_session(smtp: Gateway) -> RawSMTP:
    s = RawSMTP(smtp.submissions_port, tls_context=trusting_context(smtp))
    assert s.greeting()[0] == 220
    assert MECH in " ".join(s.ehlo())
    return s


def pop3_session(pop3: POP3Gateway) -> RawPOP3:
    s = RawPOP3(pop3.tls_port, tls_context=trusting_context(pop3))
    s.greeting()
    return s


def imap_session(imap: IMAPGateway) -> RawIMAP:
    s = RawIMAP(imap.tls_port, tls_context=trusting_context(imap))
    s.greeting()
    return s


def scram_smtp(s: RawSMTP, user: str, password: str) -> tuple[str, scramp.ScramClient]:
    """AUTH SCRAM-SHA-256 with an initial response; the last reply line and the client."""
    client = scramp.ScramClient([MECH], user, password)
    code, text = s.cmd(f"AUTH {MECH} {b64(client.get_client_first())}")
    assert code == 334, (code, text)
    client.set_server_first(unb64(text))
    code, text = s.cmd(b64(client.get_client_final()))
    if code != 334:
        return f"{code} {text}", client
    client.set_server_final(unb64(text))  # raises unless v= proves the server has the keys
    code, text = s.cmd("")
    return f"{code} {text}", client


def scram_pop3(s: RawPOP3, user: str, password: str) -> bytes:
    """AUTH SCRAM-SHA-256 without an initial response (RFC 5034 §4: `+ ` first)."""
    client = scramp.ScramClient([MECH], user, password)
    assert s.cmd(f"AUTH {MECH}") == b"+ "
    challenge = s.cmd(b64(client.get_client_first()))
    assert challenge.startswith(b"+ "), challenge
    client.set_server_first(unb64(challenge[2:]))
    answer = s.cmd(b64(client.get_client_final()))
    if not answer.startswith(b"+ "):
        return answer
    client.set_server_final(unb64(answer[2:]))
    return s.cmd("")


def scram_imap(s: RawIMAP, user: str, password: str) -> bytes:
    """AUTHENTICATE SCRAM-SHA-256 with SASL-IR (RFC 4959); the tagged answer."""
    client = scramp.ScramClient([MECH], user, password)
    s.send(f"s1 AUTHENTICATE {MECH} {b64(client.get_client_first())}\r\n")
    challenge = s.line()
    assert challenge.startswith(b"+ "), challenge
    client.set_server_first(unb64(challenge[2:]))
    s.send(b64(client.get_client_final()) + "\r\n")
    answer = s.line()
    if not answer.startswith(b"+ "):
        return answer
    client.set_server_final(unb64(answer[2:]))
    s.send("\r\n")
    return s.until_tagged("s1")[0]


def imaplib_scram(imap: IMAPGateway, user: str, password: str) -> str:
    """imaplib's AUTHENTICATE (no SASL-IR) with a scramp callback; the tagged status."""
    client = scramp.ScramClient([MECH], user, password)
    steps = iter(["first", "final", "verify"])

    def respond(challenge: bytes) -> bytes:
        step = next(steps)
        if step == "first":
            return client.get_client_first().encode()
        if step == "final":
            client.set_server_first(challenge.decode())
            return client.get_client_final().encode()
        client.set_server_final(challenge.decode())
        return b""

    with imaplib.IMAP4_SSL("127.0.0.1", imap.tls_port, ssl_context=trusting_context(imap), timeout=10) as conn:
        assert f"AUTH={MECH}" in conn.capabilities
        typ, _ = conn.authenticate(MECH, respond)
        assert next(steps, "done") == "done"  # the server-final was seen and verified
        assert conn.select("INBOX")[0] == "OK"
        return typ


def smtplib_scram(smtp: Gateway, user: str, password: str) -> int:
    """smtplib's AUTH with a scramp-driven authobject; the final code."""
    client = scramp.ScramClient([MECH], user, password)
    steps = iter(["first", "final", "verify"])

    def authobject(challenge: bytes | None = None) -> str:
        step = next(steps)
        if step == "first":
            return client.get_client_first()
        if step == "final":
            client.set_server_first(challenge.decode())
            return client.get_client_final()
        client.set_server_final(challenge.decode())
        return ""

    with smtplib.SMTP_SSL("127.0.0.1", smtp.submissions_port, context=trusting_context(smtp), timeout=10) as conn:
        conn.ehlo()
        assert MECH in conn.esmtp_features["auth"].upper().split()
        code, _ = conn.auth(MECH, authobject, initial_response_ok=False)
        assert next(steps, "done") == "done"
        return code


# --- success and wrong password ------------------------------------------------------------------


def test_scram_logs_in_on_all_three(sasl_system):
    store, smtp, pop3, imap = sasl_system
    assert smtplib_scram(smtp, ALICE, PASSWORD) == 235
    assert imaplib_scram(imap, ALICE, PASSWORD) == "OK"
    with smtp_session(smtp) as s:
        assert scram_smtp(s, ALICE, PASSWORD)[0].startswith("235 2.7.0")
        assert s.cmd("MAIL FROM:<alice@example.test>")[0] == 250
    with pop3_session(pop3) as s:
        caps = s.cmd_multi("CAPA")[1].decode()
        assert "\r\nSASL PLAIN SCRAM-SHA-256\r\n" in caps, caps
        assert scram_pop3(s, ALICE, PASSWORD).startswith(b"+OK")
        assert s.cmd("STAT").startswith(b"+OK")
        assert s.cmd("QUIT").startswith(b"+OK")
    with imap_session(imap) as s:
        tagged, untagged = s.command("CAPABILITY")
        assert b" AUTH=PLAIN AUTH=SCRAM-SHA-256" in untagged[0], untagged
        assert status(scram_imap(s, ALICE, PASSWORD)) == "OK"
        assert s.ok("SELECT INBOX") is not None


def test_scram_wrong_password_is_each_protocols_failure_and_the_session_goes_on(sasl_system):
    store, smtp, pop3, imap = sasl_system
    with smtp_session(smtp) as s:
        assert scram_smtp(s, ALICE, "wrong")[0].startswith("535 5.7.8")
        assert s.cmd("NOOP")[0] == 250
        assert scram_smtp(s, ALICE, PASSWORD)[0].startswith("235")
    with pop3_session(pop3) as s:
        assert scram_pop3(s, ALICE, "wrong").startswith(b"-ERR [AUTH]")
        assert scram_pop3(s, ALICE, PASSWORD).startswith(b"+OK")
    with imap_session(imap) as s:
        answer = scram_imap(s, ALICE, "wrong")
        assert status(answer) == "NO" and b"[AUTHENTICATIONFAILED]" in answer, answer
        assert status(scram_imap(s, ALICE, PASSWORD)) == "OK"
    # An unknown user fails the same way, at the proof (the salt answered was a decoy).
    with imap_session(imap) as s:
        assert b"[AUTHENTICATIONFAILED]" in scram_imap(s, "ghost@example.test", "x")


def test_scram_for_a_user_made_with_mailctl(sasl_system):
    store, smtp, pop3, imap = sasl_system
    done = mailctl(store, "user", "add", "--password-stdin", "carol@example.test", stdin="carol's pässword\n")
    assert done.returncode == 0, done.stderr
    assert imaplib_scram(imap, "carol@example.test", "carol's pässword") == "OK"
    with pop3_session(pop3) as s:
        assert scram_pop3(s, "carol@example.test", "carol's pässword").startswith(b"+OK")
    done = mailctl(store, "user", "passwd", "--password-stdin", "carol@example.test", stdin="new one\n")
    assert done.returncode == 0, done.stderr
    with smtp_session(smtp) as s:
        assert scram_smtp(s, "carol@example.test", "carol's pässword")[0].startswith("535")
        assert scram_smtp(s, "carol@example.test", "new one")[0].startswith("235")


def test_scram_keys_are_computed_at_the_first_password_login(sasl_system):
    store, smtp, pop3, imap = sasl_system
    # Data from before the keys were kept: the store stopped, the keys cleared, started again.
    store.stop()
    with sqlite3.connect(store.data_dir / "store.sqlite") as db:
        db.execute("UPDATE accounts SET scram_keys = NULL WHERE address = ?", (ALICE,))
    store.start()
    salt = store.api("POST", "/v1/auth/scram/start", json={"username": ALICE}).json()
    with imap_session(imap) as s:
        assert status(scram_imap(s, ALICE, PASSWORD)) == "NO"
    with imap_session(imap) as s:  # a PLAIN login: the store has the password now
        tagged, _ = s.command(f"AUTHENTICATE PLAIN {GOOD_PLAIN}")
        assert status(tagged) == "OK", tagged
    assert store.api("POST", "/v1/auth/scram/start", json={"username": ALICE}).json() == salt  # nothing tells
    with imap_session(imap) as s:
        assert status(scram_imap(s, ALICE, PASSWORD)) == "OK"


# --- the same bad PLAIN input to all three ------------------------------------------------------

LONG = "x" * 1_100
# (name, the line sent after the empty challenge, the fault class)
BAD_PLAIN = [
    ("overlong field", b64(f"\0{ALICE}\0{LONG}"), "malformed"),
    ("overlong authzid", b64(f"{LONG}\0{ALICE}\0{PASSWORD}"), "malformed"),
    ("bad base64", "AGFsaWNl!!AHNlY3JldA==", "malformed"),
    ("missing padding", b64(f"\0{ALICE}\0{PASSWORD}").rstrip("="), "malformed"),
    ("one NUL", b64(f"{ALICE}\0{PASSWORD}"), "malformed"),
    ("three NULs", b64(f"\0{ALICE}\0{PASSWORD}\0more"), "malformed"),
    ("empty password", b64(f"\0{ALICE}\0"), "malformed"),
    ("not UTF-8", b64(b"\0" + ALICE.encode() + b"\0\xff\xfe"), "malformed"),
    ("authzid of another user", b64(f"bob@example.test\0{ALICE}\0{PASSWORD}"), "refused"),
    # Within the 1,024-octet field limit, over the store's 320 for a name: the store's 400 is a
    # failed login in all three gateways, not a temporary failure.
    ("name longer than the store takes", b64(f"\0{'n' * 500}@example.test\0{PASSWORD}"), "refused"),
    ("cancel", "*", "cancelled"),
]

GOOD_PLAIN = b64(f"\0{ALICE}\0{PASSWORD}")


@pytest.mark.parametrize("name,line,fault", BAD_PLAIN, ids=[c[0] for c in BAD_PLAIN])
def test_bad_plain_gets_the_same_class_of_answer_everywhere(sasl_system, name, line, fault):
    store, smtp, pop3, imap = sasl_system

    with smtp_session(smtp) as s:
        assert s.cmd("AUTH PLAIN")[0] == 334
        code, text = s.cmd(line)
        expected = {"malformed": (501, "5.5.2"), "cancelled": (501, "5.0.0"), "refused": (535, "5.7.8")}[fault]
        assert (code, text[:5]) == expected, (name, code, text)
        assert s.cmd("NOOP")[0] == 250
        assert s.cmd(f"AUTH PLAIN {GOOD_PLAIN}")[0] == 235

    with pop3_session(pop3) as s:
        assert s.cmd("AUTH PLAIN") == b"+ "
        answer = s.cmd(line)
        expected = {"malformed": b"-ERR Invalid SASL response", "cancelled": b"-ERR Authentication cancelled",
                    "refused": b"-ERR [AUTH]"}[fault]
        assert answer.startswith(expected), (name, answer)
        assert s.cmd(f"AUTH PLAIN {GOOD_PLAIN}").startswith(b"+OK")

    with imap_session(imap) as s:
        s.send("p1 AUTHENTICATE PLAIN\r\n")
        assert s.line().startswith(b"+")
        s.send(line + "\r\n")
        tagged, _ = s.until_tagged("p1")
        if fault == "refused":
            code = b"[AUTHORIZATIONFAILED]" if name.startswith("authzid") else b"[AUTHENTICATIONFAILED]"
            assert status(tagged) == "NO" and code in tagged, (name, tagged)
        else:
            assert status(tagged) == "BAD", (name, tagged)
        assert status(s.command("NOOP")[0]) == "OK"
        assert status(s.command(f"AUTHENTICATE PLAIN {GOOD_PLAIN}")[0]) == "OK"
