"""Login hardening (issue 11) end to end, with imaplib, poplib and smtplib:

- a wrong password costs the same time whether the account exists or not, over IMAP LOGIN,
  POP3 USER/PASS and SMTP AUTH PLAIN, with the bcrypt cost real accounts have (the store's
  decoy hash has that cost);
- a guesser at one client address slows and then locks only himself: the owner, from another
  address, logs in at once over IMAP and POP3;
- the account itself is locked only at a much higher count from all addresses, and that lock
  shows in `mailctl user show` / `mailctl login-failures` and is cleared by `mailctl user unlock`.
- the same wrong password retried from one address (a phone with an old saved password) is
  counted once and locks nothing; different ones from one address are each counted.

Every client binds its socket to an address of its own in 127.0.0.0/8 (all of it is loopback on
Linux), so that the gateways pass the store a client address per attempt, as distinct clients
on the Internet would be.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_login_throttle.py
"""

from __future__ import annotations

import imaplib
import itertools
import poplib
import smtplib
import socket
import statistics
import time

import pytest

from conftest import Gateway, IMAPGateway, POP3Gateway, Store, mailctl
from support import ALICE, PASSWORD, trusting_context

GHOST = "ghost@example.test"  # no such account
_addresses = (f"127.0.{n // 250}.{n % 250 + 2}" for n in itertools.count(1000))


def fresh_address() -> str:
    """A loopback source address no earlier attempt of this run used."""
    return next(_addresses)


class IMAPFrom(imaplib.IMAP4):
    """imaplib's client with its socket bound to `source`."""

    def __init__(self, port: int, source: str):
        self.source = source
        super().__init__("127.0.0.1", port, timeout=10)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.source, 0))


class POP3From(poplib.POP3):
    """poplib's client with its socket bound to `source`."""

    def __init__(self, port: int, source: str):
        self.source = source
        super().__init__("127.0.0.1", port, timeout=10)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.source, 0))


def imap_login(gateway: IMAPGateway, user: str, password: str, source: str) -> tuple[str, float]:
    """LOGIN from `source`: ("OK" or the NO text, seconds the command took)."""
    client = IMAPFrom(gateway.port, source)
    try:
        started = time.monotonic()
        try:
            client.login(user, password)
            answer = "OK"
        except imaplib.IMAP4.error as error:
            answer = str(error)
        return answer, time.monotonic() - started
    finally:
        try:
            client.shutdown()
        except OSError:
            pass


def pop3_login(gateway: POP3Gateway, user: str, password: str, source: str) -> tuple[str, float]:
    """USER/PASS from `source`: ("+OK…" or the -ERR line, seconds PASS took)."""
    client = POP3From(gateway.port, source)
    try:
        client.user(user)
        started = time.monotonic()
        try:
            answer = client.pass_(password).decode()
        except poplib.error_proto as error:
            answer = str(error.args[0].decode() if isinstance(error.args[0], bytes) else error.args[0])
        return answer, time.monotonic() - started
    finally:
        try:
            client.sock.close()
        except OSError:
            pass


def smtp_login(gateway: Gateway, user: str, password: str, source: str) -> tuple[str, float]:
    """AUTH PLAIN on the submissions port (implicit TLS) from `source`: (code, seconds AUTH took)."""
    with smtplib.SMTP_SSL("127.0.0.1", gateway.submissions_port, timeout=10, source_address=(source, 0),
                          context=trusting_context(gateway)) as client:
        client.ehlo()
        client.user, client.password = user, password
        started = time.monotonic()
        try:
            code, _ = client.auth("PLAIN", client.auth_plain, initial_response_ok=True)
        except smtplib.SMTPAuthenticationError as error:
            code = error.smtp_code
        return str(code), time.monotonic() - started


def table(output: str) -> list[dict]:
    """`mailctl login-failures` output as rows: columns start where their header starts."""
    lines = [line for line in output.splitlines() if line.strip()]
    names = lines[0].split()
    starts = [lines[0].index(name) for name in names] + [None]
    return [{name: line[starts[i]:starts[i + 1]].strip() for i, name in enumerate(names)} for line in lines[1:]]


# --- 1. timing does not tell which accounts exist ---------------------------------------------

BCRYPT_COST = "10"  # the store's default, which real accounts get; the decoy must cost the same
TRIES = 16


@pytest.fixture
def timed_system(tmp_path):
    # No lock in the way: every attempt comes from a new address, but all against two names.
    store = Store(tmp_path / "data", env={"BUZON_BCRYPT_COST": BCRYPT_COST, "BUZON_LOGIN_FAILURE_DELAY_MS": "20",
                                          "BUZON_LOGIN_MAX_FAILURES": "1000"}).start()
    started = [store]
    try:
        store.add_user(ALICE)
        for kind in (IMAPGateway, POP3Gateway, Gateway):
            started.append(kind(store, tmp_path).start())
        yield started
    finally:
        for process in reversed(started):
            process.stop()


def assert_same_timing(protocol: str, times: dict[str, list[float]]) -> None:
    known, unknown = times[ALICE], times[GHOST]
    k, u = statistics.median(known), statistics.median(unknown)
    summary = (f"{protocol}: wrong password for an existing account {min(known):.4f}–{max(known):.4f} s "
               f"(median {k:.4f}), for an unknown one {min(unknown):.4f}–{max(unknown):.4f} s (median {u:.4f})")
    assert max(min(known), min(unknown)) <= min(max(known), max(unknown)), "the ranges do not meet: " + summary
    assert abs(k - u) < max(0.010, 0.25 * min(k, u)), "the medians differ: " + summary


@pytest.mark.parametrize("protocol", ["imap", "pop3", "smtp"])
def test_a_wrong_password_takes_as_long_for_an_unknown_account(timed_system, protocol):
    _, imap, pop3, smtp = timed_system
    login, gateway, refused = {
        "imap": (imap_login, imap, "AUTHENTICATIONFAILED"),
        "pop3": (pop3_login, pop3, "-ERR"),
        "smtp": (smtp_login, smtp, "535"),
    }[protocol]
    for user in (ALICE, GHOST):  # warm-up, not measured: connection pools, the decoy hash made once
        login(gateway, user, "wrong", fresh_address())
    times: dict[str, list[float]] = {ALICE: [], GHOST: []}
    for n in range(TRIES):
        for user in ((ALICE, GHOST) if n % 2 == 0 else (GHOST, ALICE)):
            answer, took = login(gateway, user, f"wrong-{n}", fresh_address())
            assert refused in answer, answer
            times[user].append(took)
    assert_same_timing(protocol, times)


# --- 4. a guesser does not lock the owner out ---------------------------------------------------

QUICK_POLICY = {
    "BUZON_LOGIN_FAILURE_DELAY_MS": "40",
    "BUZON_LOGIN_MAX_DELAY_MS": "160",
    "BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS_ACCOUNT": "5",
    "BUZON_LOGIN_MAX_FAILURES": "25",
}


@pytest.fixture
def throttled_system(tmp_path):
    store = Store(tmp_path / "data", env=QUICK_POLICY).start()
    started = [store]
    try:
        store.add_user(ALICE)
        for kind in (IMAPGateway, POP3Gateway):
            started.append(kind(store, tmp_path).start())
        yield started
    finally:
        for process in reversed(started):
            process.stop()


def test_a_guesser_at_one_address_slows_and_locks_only_himself(throttled_system):
    store, imap, pop3 = throttled_system
    attacker, owner = fresh_address(), fresh_address()
    answers, took = [], []
    for n in range(12):
        answer, seconds = imap_login(imap, ALICE, f"guess-{n}", attacker)
        answers.append(answer)
        took.append(seconds)
    assert all("AUTHENTICATIONFAILED" in a for a in answers[:5]), answers
    assert all("UNAVAILABLE" in a for a in answers[5:]), answers  # locked out: answered without a check
    # The delay doubles: 40, 80, 160 ms, then stays at the cap.
    assert took[0] >= 0.04 and took[2] >= 0.16 and took[2] > took[0] + 0.08, took
    # Even the right password is refused at the guesser's address, over either protocol…
    assert "UNAVAILABLE" in imap_login(imap, ALICE, PASSWORD, attacker)[0]
    assert "LOGIN-DELAY" in pop3_login(pop3, ALICE, PASSWORD, attacker)[0]
    # …while the owner, elsewhere, logs in at once over IMAP and POP3.
    answer, seconds = imap_login(imap, ALICE, PASSWORD, owner)
    assert answer == "OK" and seconds < 0.5, (answer, seconds)
    answer, seconds = pop3_login(pop3, ALICE, PASSWORD, owner)
    assert answer.startswith("+OK") and seconds < 0.5, (answer, seconds)
    # The administrator sees the guesser's address locked out of the account, the account not locked.
    listed = mailctl(store, "login-failures", "--account", ALICE)
    assert listed.returncode == 0, listed.stderr
    rows = {(row["SCOPE"], row["ADDRESS"]): row for row in table(listed.stdout)}
    pair = rows[("address-account", attacker)]
    assert pair["ACCOUNT"] == ALICE and pair["FAILURES"] == "5" and pair["LOCKED-UNTIL"], listed.stdout
    assert rows[("account", "")]["FAILURES"] == "5" and not rows[("account", "")]["LOCKED-UNTIL"], listed.stdout


def test_the_account_locks_only_at_its_high_count_and_mailctl_shows_and_clears_it(throttled_system):
    store, imap, pop3 = throttled_system
    owner = fresh_address()
    # 25 failures (BUZON_LOGIN_MAX_FAILURES) spread over addresses, none reaching its own limits.
    for n in range(25):
        login = imap_login if n % 2 == 0 else pop3_login
        gateway = imap if n % 2 == 0 else pop3
        answer, _ = login(gateway, ALICE, f"spread-{n}", fresh_address())
        assert "AUTHENTICATIONFAILED" in answer or answer.startswith("-ERR [AUTH]"), (n, answer)
    assert "UNAVAILABLE" in imap_login(imap, ALICE, PASSWORD, owner)[0]
    assert "LOGIN-DELAY" in pop3_login(pop3, ALICE, PASSWORD, owner)[0]

    shown = mailctl(store, "user", "show", ALICE)
    assert shown.returncode == 0, shown.stderr
    assert "failed logins: 25" in shown.stdout and "LOCKED until" in shown.stdout, shown.stdout
    listed = mailctl(store, "login-failures")
    assert listed.returncode == 0, listed.stderr
    account = [row for row in table(listed.stdout) if row["SCOPE"] == "account"]
    assert [(row["ACCOUNT"], row["FAILURES"], bool(row["LOCKED-UNTIL"])) for row in account] == [(ALICE, "25", True)], listed.stdout

    unlocked = mailctl(store, "user", "unlock", ALICE)
    assert unlocked.returncode == 0 and "unlocked" in unlocked.stdout, (unlocked.stdout, unlocked.stderr)
    assert imap_login(imap, ALICE, PASSWORD, owner)[0] == "OK"
    assert pop3_login(pop3, ALICE, PASSWORD, owner)[0].startswith("+OK")
    assert "LOCKED" not in mailctl(store, "user", "show", ALICE).stdout


# --- 5. the same wrong password again is not counted again -------------------------------------

def test_a_saved_wrong_password_retried_does_not_lock_its_address_out_but_guesses_do(throttled_system):
    """A phone with an old saved password retrying in a loop is not a guesser: it learns nothing
    new, and must not push its owner's own address into a lock (as in Dovecot's auth penalty)."""
    store, imap, _ = throttled_system
    phone, guesser = fresh_address(), fresh_address()
    answers = [imap_login(imap, ALICE, "the old password", phone)[0] for _ in range(15)]
    assert all("AUTHENTICATIONFAILED" in a for a in answers), answers
    # Counted once, so the owner at that address logs in with the right password.
    listed = mailctl(store, "login-failures", "--account", ALICE)
    assert listed.returncode == 0, listed.stderr
    rows = {(row["SCOPE"], row["ADDRESS"]): row for row in table(listed.stdout)}
    assert rows[("address-account", phone)]["FAILURES"] == "1", listed.stdout
    assert imap_login(imap, ALICE, PASSWORD, phone)[0] == "OK"
    # Fifteen different passwords from another address: locked out after five.
    answers = [imap_login(imap, ALICE, f"guess-{n}", guesser)[0] for n in range(15)]
    assert all("AUTHENTICATIONFAILED" in a for a in answers[:5]), answers
    assert all("UNAVAILABLE" in a for a in answers[5:]), answers
    assert "UNAVAILABLE" in imap_login(imap, ALICE, PASSWORD, guesser)[0]
