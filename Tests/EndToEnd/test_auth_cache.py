"""The authentication cache and the bounded password-check queue (issue 12, item 6), end to
end with imaplib and poplib against the built store and gateways:

- a good login is remembered (a reconnect pays no bcrypt: the store's
  `buzon_store_auth_cache_total{result="hit"}` counts it), and a password changed with `mailctl`
  refuses the old password at once through another gateway and another store process on the
  same database (a second replica, which heard nothing of the change); the new one works. A
  deleted account is refused at once too. (mailctl has no "disable" yet: deletion is the only
  other way an account stops logging in, so that is what is checked.)
- the throttle still trips after repeated failures although the right password is cached;
- 200 simultaneous logins all succeed, and the second round of the same 200 (phones
  reconnecting) takes well under half the first's time.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_auth_cache.py
"""

from __future__ import annotations

import imaplib
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import IMAPGateway, POP3Gateway, Store, mailctl
from support import ALICE, PASSWORD
from test_login_throttle import IMAPFrom, fresh_address, imap_login, pop3_login


def cache_hits(store: Store) -> int:
    text = requests.get(store.url + "/metrics", timeout=5).text
    match = re.search(r'^buzon_store_auth_cache_total\{result="hit"\} (\d+)', text, re.M)
    return int(match.group(1)) if match else 0


@pytest.fixture
def two_replicas(tmp_path):
    """Store processes A and B on one database (two replicas), an imap-gateway on each and a
    pop3-gateway on A."""
    a = Store(tmp_path / "data").start()
    started = [a]
    try:
        b = Store(tmp_path / "data", token=a.token).start()
        started.append(b)
        a.add_user(ALICE)
        for gateway in (IMAPGateway(a, tmp_path / "ga"), IMAPGateway(b, tmp_path / "gb"), POP3Gateway(a, tmp_path / "gp")):
            started.append(gateway.start())
        yield started
    finally:
        for process in reversed(started):
            process.stop()


def test_a_changed_password_ends_cached_logins_at_once_on_every_gateway_and_replica(two_replicas):
    a, b, imap_a, imap_b, pop3_a = two_replicas
    client = fresh_address()
    # Cached on both replicas: the second login on each is a hit.
    for store, gateway in ((a, imap_a), (b, imap_b)):
        assert imap_login(gateway, ALICE, PASSWORD, client)[0] == "OK"
        before = cache_hits(store)
        assert imap_login(gateway, ALICE, PASSWORD, client)[0] == "OK"
        assert cache_hits(store) == before + 1, "a reconnect paid bcrypt again"

    # Changed through A: B, which heard nothing, refuses the old password at once.
    changed = mailctl(a, "user", "passwd", "--password", "second", ALICE)
    assert changed.returncode == 0, changed.stderr
    for login, gateway in ((imap_login, imap_b), (imap_login, imap_a), (pop3_login, pop3_a)):
        answer = login(gateway, ALICE, PASSWORD, fresh_address())[0]
        assert "AUTHENTICATIONFAILED" in answer or answer.startswith("-ERR [AUTH]"), answer
    assert imap_login(imap_b, ALICE, "second", client)[0] == "OK"
    assert imap_login(imap_a, ALICE, "second", client)[0] == "OK"
    assert pop3_login(pop3_a, ALICE, "second", client)[0].startswith("+OK")

    # And the other way round: changed through B, refused at once through A's gateways.
    changed = mailctl(b, "user", "passwd", "--password", "third", ALICE)
    assert changed.returncode == 0, changed.stderr
    assert "AUTHENTICATIONFAILED" in imap_login(imap_a, ALICE, "second", fresh_address())[0]
    assert pop3_login(pop3_a, ALICE, "second", fresh_address())[0].startswith("-ERR [AUTH]")
    assert imap_login(imap_a, ALICE, "third", client)[0] == "OK"
    assert imap_login(imap_b, ALICE, "third", client)[0] == "OK"
    assert imap_login(imap_a, ALICE, "third", client)[0] == "OK"  # cached again on A

    # A deleted account (mailctl has no "disable"): refused at once on both replicas.
    deleted = mailctl(b, "user", "del", ALICE)
    assert deleted.returncode == 0, deleted.stderr
    assert "AUTHENTICATIONFAILED" in imap_login(imap_a, ALICE, "third", fresh_address())[0]
    assert "AUTHENTICATIONFAILED" in imap_login(imap_b, ALICE, "third", fresh_address())[0]


@pytest.fixture
def throttled(tmp_path):
    store = Store(tmp_path / "data", env={"BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS_ACCOUNT": "5"}).start()
    started = [store]
    try:
        store.add_user(ALICE)
        started.append(IMAPGateway(store, tmp_path).start())
        yield started
    finally:
        for process in reversed(started):
            process.stop()


def test_the_throttle_trips_although_the_right_password_is_cached(throttled):
    store, imap = throttled
    guesser, owner = fresh_address(), fresh_address()
    assert imap_login(imap, ALICE, PASSWORD, guesser)[0] == "OK"
    assert imap_login(imap, ALICE, PASSWORD, owner)[0] == "OK"
    hits = cache_hits(store)
    assert hits >= 1, "the second good login was not a cache hit"
    answers = [imap_login(imap, ALICE, f"guess-{n}", guesser)[0] for n in range(5)]
    assert all("AUTHENTICATIONFAILED" in a for a in answers), answers  # a failure is never a hit
    # Locked: the cached right password is refused at the guesser's address, before any check…
    assert "UNAVAILABLE" in imap_login(imap, ALICE, PASSWORD, guesser)[0]
    assert cache_hits(store) == hits
    # …and the owner, elsewhere, still logs in from the cache.
    assert imap_login(imap, ALICE, PASSWORD, owner)[0] == "OK"
    assert cache_hits(store) == hits + 1


# --- 200 simultaneous logins -------------------------------------------------------------------

USERS = 200
COST = "8"  # enough for bcrypt to dominate an uncached login, cheap enough for the test


@pytest.fixture
def crowd(tmp_path):
    store = Store(tmp_path / "data", env={"BUZON_BCRYPT_COST": COST}).start()
    started = [store]
    try:
        store.api("POST", "/v1/domains", json={"name": "crowd.test"})
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda n: store.api("POST", "/v1/users", json={
                "address": f"u{n}@crowd.test", "password": f"pw-{n}"}).status_code, range(USERS)))
        assert statuses == [201] * USERS, statuses
        started.append(IMAPGateway(store, tmp_path).start())
        yield started
    finally:
        for process in reversed(started):
            process.stop()


def login_round(gateway: IMAPGateway, sources: list[str]) -> tuple[list[str], float]:
    def one(n: int) -> str:
        client = IMAPFrom(gateway.port, sources[n])
        try:
            client.login(f"u{n}@crowd.test", f"pw-{n}")
            client.logout()
            return "OK"
        except imaplib.IMAP4.error as error:
            return str(error)
    started = time.monotonic()
    with ThreadPoolExecutor(USERS) as pool:
        answers = list(pool.map(one, range(USERS)))
    return answers, time.monotonic() - started


def test_200_simultaneous_logins_succeed_and_reconnecting_pays_no_bcrypt(crowd):
    store, imap = crowd
    sources = [fresh_address() for _ in range(USERS)]
    first, first_took = login_round(imap, sources)
    assert first == ["OK"] * USERS, [a for a in first if a != "OK"][:5]
    hits = cache_hits(store)
    second, second_took = login_round(imap, sources)
    assert second == ["OK"] * USERS, [a for a in second if a != "OK"][:5]
    assert cache_hits(store) - hits == USERS
    assert second_took < 0.5 * first_took, f"first round {first_took:.2f} s, second {second_took:.2f} s"
