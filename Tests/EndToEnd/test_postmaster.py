"""Every domain has a postmaster (RFC 5321 §4.5.1; issue 11, item 5).

RFC 5321 §4.5.1: a server MUST accept `postmaster@<domain>` for every domain it takes mail
for, and the bare `<Postmaster>` (§4.1.1.3); "Postmaster" is case-insensitive. Before this,
`RCPT TO:<Postmaster>` got 554 and `RCPT TO:<postmaster@example.test>` 550.

The postmaster is an ordinary alias made with the domain: to `mailctl domain add --postmaster`
if given, else to the store's administrator (`BUZON_POSTMASTER`). Domains from before (or with
no administrator configured) get one at start-up when an administrator is configured; without
any, postmaster@ goes to the domain's first-created account. `<Postmaster>` goes to the primary
(first-created) domain's postmaster. Mail goes in with smtplib on the MX port (25's role).

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_postmaster.py
"""

import email
import smtplib

import pytest

from conftest import Gateway, Store, inbox_messages, mailctl

ALICE, BOB, ADMIN = "alice@example.test", "bob@example.test", "admin@example.test"


def send(gateway: Gateway, recipient: str, subject: str, sender: str = "someone@remote.test") -> None:
    """One message to `recipient` on the MX port, written exactly as given in RCPT TO."""
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, local_hostname="client.test", timeout=10) as s:
        s.ehlo()
        assert s.mail(sender)[0] == 250
        code, text = s.docmd(f"RCPT TO:<{recipient}>")  # docmd: no quoting of our spelling
        assert code == 250, (recipient, code, text)
        code, text = s.data(f"Subject: {subject}\r\n\r\nfor the postmaster\r\n".encode())
        assert code == 250, (code, text)


def subjects(store: Store, account: str) -> list[str]:
    return [f"Subject: {email.message_from_bytes(raw)['Subject']}" for raw in inbox_messages(store, account)]


def aliases(store: Store) -> dict:
    r = store.api("GET", "/v1/aliases")
    assert r.status_code == 200, r.text
    return {a["address"]: a["targets"] for a in r.json()["aliases"]}


@pytest.fixture
def system(tmp_path, request):
    """A store (with the environment the test names), example.test with alice and bob, and an
    smtp-gateway. Yields (store, gateway)."""
    env = getattr(request, "param", None) or {}
    store = Store(tmp_path / "data", env=env).start()
    store.add_user(ALICE)
    store.add_user(BOB)
    gateway = Gateway(store, tmp_path).start()
    yield store, gateway
    gateway.stop()
    store.stop()


def test_postmaster_at_a_domain_is_accepted_in_any_case(system):
    """No administrator configured: postmaster@ goes to the domain's first-created account."""
    store, gateway = system
    for spelling in ("postmaster@example.test", "Postmaster@example.test", "POSTMASTER@EXAMPLE.TEST",
                     "PostMaster@Example.Test"):
        send(gateway, spelling, spelling)
    assert subjects(store, ALICE) == [f"Subject: {s}" for s in (
        "postmaster@example.test", "Postmaster@example.test", "POSTMASTER@EXAMPLE.TEST", "PostMaster@Example.Test")]
    assert subjects(store, BOB) == []


def test_bare_postmaster_is_accepted_and_goes_to_the_primary_domain(system):
    store, gateway = system
    store.add_user("carol@second.test")  # a later domain: not the primary one
    for spelling in ("Postmaster", "postmaster", "POSTMASTER"):
        send(gateway, spelling, spelling, sender="")
    assert subjects(store, ALICE) == ["Subject: Postmaster", "Subject: postmaster", "Subject: POSTMASTER"]
    assert subjects(store, "carol@second.test") == []
    # Every domain has its own: the second one's goes to its own first account.
    send(gateway, "postmaster@second.test", "second")
    assert subjects(store, "carol@second.test") == ["Subject: second"]


@pytest.mark.parametrize("system", [{"BUZON_POSTMASTER": BOB}], indirect=True)
def test_administrator_gets_postmaster_of_every_domain(system):
    store, gateway = system
    # Made with the domain, as an ordinary alias that mailctl lists.
    assert aliases(store) == {"postmaster@example.test": [BOB]}
    assert mailctl(store, "alias", "list").stdout.count("postmaster@example.test") == 1
    send(gateway, "Postmaster", "bare")
    send(gateway, "postmaster@example.test", "named")
    assert subjects(store, BOB) == ["Subject: bare", "Subject: named"]
    assert subjects(store, ALICE) == []


def test_mailctl_domain_add_with_postmaster(system):
    store, gateway = system
    r = mailctl(store, "domain", "add", "--postmaster", BOB, "third.test")
    assert r.returncode == 0, r.stderr
    assert "postmaster@third.test" in r.stdout
    assert aliases(store) == {"postmaster@third.test": [BOB]}
    send(gateway, "POSTMASTER@third.test", "third")
    assert subjects(store, BOB) == ["Subject: third"]
    # A bad address is refused, and no domain is made.
    r = mailctl(store, "domain", "add", "--postmaster", "not an address", "fourth.test")
    assert r.returncode == 1 and "address" in r.stderr.lower()
    assert "fourth.test" not in [d["name"] for d in store.api("GET", "/v1/domains").json()["domains"]]
    # The domain is deleted with its postmaster alias.
    assert mailctl(store, "domain", "del", "third.test").returncode == 0
    assert aliases(store) == {}


def test_existing_domains_get_the_administrator_at_start_up(tmp_path):
    store = Store(tmp_path / "data").start()
    store.add_user(ALICE)
    assert aliases(store) == {}  # no administrator yet: the first account answers
    store.stop()
    store.extra_env = {"BUZON_POSTMASTER": "Boss@Remote.Test"}
    store.start()
    try:
        assert aliases(store) == {"postmaster@example.test": ["boss@remote.test"]}
        r = store.api("GET", "/v1/recipients/postmaster@example.test")
        assert r.json()["remote"] == ["boss@remote.test"]
    finally:
        store.stop()


def test_an_invalid_administrator_stops_the_store(tmp_path):
    store = Store(tmp_path / "data", env={"BUZON_POSTMASTER": "not an address"})
    try:
        with pytest.raises(RuntimeError, match="BUZON_POSTMASTER"):
            store.start(timeout=10)
    finally:
        store.stop()  # when it did start


def test_postmaster_can_be_pointed_elsewhere_and_keeps_working_when_removed(system):
    store, gateway = system
    assert mailctl(store, "alias", "add", "postmaster@example.test", BOB).returncode == 0
    send(gateway, "postmaster@example.test", "to bob")
    assert subjects(store, BOB) == ["Subject: to bob"]
    # Its target deleted: postmaster still takes mail (the first account left).
    assert mailctl(store, "user", "del", BOB).returncode == 0
    send(gateway, "postmaster@example.test", "target gone")
    # The alias deleted: still there, as RFC 5321 §4.5.1 requires.
    assert mailctl(store, "alias", "del", "postmaster@example.test").returncode == 0
    send(gateway, "Postmaster", "alias gone")
    assert subjects(store, ALICE) == ["Subject: target gone", "Subject: alias gone"]
    # An account named postmaster may replace the alias.
    store.add_user("postmaster@example.test")
    send(gateway, "PostMaster@example.test", "own account")
    assert subjects(store, "postmaster@example.test") == ["Subject: own account"]


def test_postmaster_of_a_domain_that_is_not_ours_is_still_refused(system):
    _, gateway = system
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as s:
        s.ehlo()
        s.mail("someone@remote.test")
        assert s.docmd("RCPT TO:<postmaster@other.test>")[0] == 554
