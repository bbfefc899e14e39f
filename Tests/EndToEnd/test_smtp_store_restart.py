"""The mailbox-store dies under the smtp-gateway (SIGKILL, restarted ~1 s later as a
supervisor would) while SMTP clients deliver; the clients (Python's smtplib) behave as MTAs
do: a message that got `451`, or whose connection dropped before the answer, is sent again
in a new transaction until it gets `250`. Afterwards every acknowledged message is in the
mailbox exactly once: the gateway retried the store with the same idempotency key long
enough to outlive the restart (BUZON_SMTP_STORE_RETRY_SECONDS), and a resend of a message
the store already held is recognised (the same envelope, Message-ID and content) and
acknowledged without a second copy for the recipients that have it (ResendDigest in the
store).

STRESS_SECONDS (default 20) sets how long the chaos lasts; `make stress` runs it longer."""

import collections
import os
import random
import re
import smtplib
import socket
import threading
import time

import pytest

from conftest import Gateway, Store, inbox_messages
from smtp_support import queue, trusting_context

ALICE, BOB = "alice@example.test", "bob@example.test"
CHAOS_SECONDS = float(os.environ.get("STRESS_SECONDS", "20"))


def message(n: int) -> bytes:
    size = random.Random(n).choice([500, 5_000, 60_000])
    body = "".join(f"message {n} line {i:05d}\r\n" for i in range(size // 24 + 1))
    return (f"From: sender@remote.test\r\nTo: alice@example.test\r\nSubject: crash test {n}\r\n"
            f"Message-ID: <restart-{n}@remote.test>\r\nDate: Tue, 01 Sep 2026 10:00:00 +0000\r\n\r\n{body}").encode()


def recipients(n: int) -> list[str]:
    return [ALICE, BOB] if n % 3 == 0 else [ALICE]


def message_ids(store: Store, account: str) -> collections.Counter:
    """The Message-IDs in the account's INBOX, every page of it, counted."""
    inbox = store.inbox(account)
    base = f"/v1/accounts/{account}/mailboxes/{inbox['id']}/messages"
    ids, after = collections.Counter(), 0
    while True:
        page = store.api("GET", base, params={"after": after, "limit": 500}).json()
        for m in page["messages"]:
            raw = store.api("GET", f"{base}/{m['uid']}/raw", params={"offset": 0, "length": 4096}).content
            ids[re.search(rb"Message-ID: <(restart-\d+)@", raw).group(1).decode()] += 1
        if page.get("nextAfter") is None:
            return ids
        after = page["nextAfter"]


@pytest.fixture
def system(tmp_path):
    store = Store(tmp_path / "data").start()
    store.add_user(ALICE)
    store.add_user(BOB)
    # The gateway's own default retry (30 s) is what is under test.
    gateway = Gateway(store, tmp_path, env={"BUZON_SMTP_STORE_RETRY_SECONDS": "30"}).start()
    yield store, gateway
    gateway.stop()
    store.stop()


def test_store_killed_and_restarted_under_resending_clients_stores_each_message_once(system):
    store, gateway = system
    acked: set[tuple[int, str]] = set()  # (message, recipient) that got 250
    attempts = collections.Counter()
    outcomes = collections.Counter()
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[str] = []

    def client(worker: int, impatient: bool):
        """Sends messages worker, worker+4, … one per transaction, each until every recipient
        has got 250 (a recipient refused with 451 at RCPT is sent the message again alone).
        An impatient client gives up on an answer after 2 s and drops the connection."""
        n = worker
        while not stop.is_set():
            deadline = time.monotonic() + 120
            pending = recipients(n)
            while pending:
                with lock:
                    attempts[n] += 1
                try:
                    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=2 if impatient else 60) as smtp:
                        refused = smtp.sendmail("sender@remote.test", pending, message(n))
                    assert all(code == 451 for code, _ in refused.values()), refused
                    with lock:
                        acked.update((n, r) for r in pending if r not in refused)
                        outcomes["250"] += 1
                    pending = [r for r in pending if r in refused]
                    if not pending:
                        break
                except smtplib.SMTPDataError as error:
                    assert error.smtp_code == 451, error  # only a temporary failure is expected
                    with lock:
                        outcomes["451"] += 1
                except (smtplib.SMTPServerDisconnected, socket.timeout, TimeoutError, ConnectionError) as error:
                    with lock:
                        outcomes[type(error).__name__] += 1
                except smtplib.SMTPRecipientsRefused:
                    with lock:
                        outcomes["rcpt 451"] += 1  # the store was down at RCPT: nothing sent yet
                except Exception as error:  # noqa: BLE001 - reported below
                    errors.append(f"message {n}: {error!r}")
                    return
                if time.monotonic() > deadline:
                    errors.append(f"message {n} never acknowledged")
                    return
                time.sleep(0.2)  # an MTA's retry, much shortened
            n += 4

    threads = [threading.Thread(target=client, args=(w, w % 2 == 1)) for w in range(4)]
    for t in threads:
        t.start()
    kills = 0
    rng = random.Random(11)
    started = time.monotonic()
    while time.monotonic() - started < CHAOS_SECONDS:
        time.sleep(rng.uniform(0.3, 1.2))
        store.kill()
        kills += 1
        time.sleep(rng.uniform(0.9, 1.2))  # a supervisor's restart delay
        store.start()
    stop.set()
    for t in threads:
        t.join(timeout=180)
    assert not errors, errors[:5]

    resent = sum(1 for n in attempts if attempts[n] > 1)
    print(f"{kills} kills, {len(acked)} deliveries acknowledged, {resent} sent more than once, outcomes {dict(outcomes)}")
    assert kills >= 5 and resent > 0, "the test did not interrupt any delivery"
    for account in (ALICE, BOB):
        stored = message_ids(store, account)
        wanted = {f"restart-{n}" for n, r in acked if r == account}
        duplicates = {m: c for m, c in stored.items() if c > 1}
        assert not duplicates, f"{account}: stored more than once: {duplicates}"
        missing = wanted - set(stored)
        assert not missing, f"{account}: acknowledged but not stored: {sorted(missing)}"
        unacknowledged = set(stored) - wanted
        # Every client sends its message until it is acknowledged, even after the chaos ends.
        assert not unacknowledged, f"{account}: stored though never acknowledged: {unacknowledged}"


# --- the resend rule, one case at a time ----------------------------------------------------------

SIMPLE = (b"From: sender@remote.test\r\nTo: alice@example.test\r\nSubject: once\r\n"
          b"Message-ID: <once-1@remote.test>\r\n\r\nthe body\r\n")


def send(gateway, raw: bytes, to: list[str], sender: str = "sender@remote.test") -> None:
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=30) as smtp:
        assert smtp.sendmail(sender, to, raw) == {}


def test_a_resend_of_a_stored_message_is_acknowledged_and_not_stored_again_even_after_a_restart(mail_system):
    store, gateway = mail_system
    send(gateway, SIMPLE, [ALICE, BOB])
    send(gateway, SIMPLE, [BOB, ALICE])  # the recipients' order does not matter
    store.stop()
    store.start()  # the digest is in the database
    send(gateway, SIMPLE, [ALICE, BOB])
    assert len(inbox_messages(store, ALICE)) == 1 and len(inbox_messages(store, BOB)) == 1


@pytest.mark.parametrize("change", ["no Message-ID", "other content", "other sender"])
def test_what_is_not_the_same_message_to_the_same_people_is_stored_again(mail_system, change):
    store, gateway = mail_system
    first, raw, sender = SIMPLE, SIMPLE, "sender@remote.test"
    if change == "no Message-ID":
        first = raw = SIMPLE.replace(b"Message-ID: <once-1@remote.test>\r\n", b"")
    elif change == "other content":
        raw = SIMPLE.replace(b"the body", b"the body, corrected")
    else:
        sender = "other@remote.test"
    send(gateway, first, [ALICE])
    send(gateway, raw, [ALICE], sender)
    assert len(inbox_messages(store, ALICE)) == 2


def test_a_resend_to_more_recipients_reaches_only_those_that_lack_it(mail_system):
    """A client that lost the answer cannot know which recipients were accepted: it sends to
    all of them again. Those that have the message already are not given a second copy."""
    store, gateway = mail_system
    send(gateway, SIMPLE, [ALICE])
    send(gateway, SIMPLE, [ALICE, BOB])
    assert len(inbox_messages(store, ALICE)) == 1 and len(inbox_messages(store, BOB)) == 1


def test_a_resent_submission_is_queued_once_unless_the_gateway_gave_it_its_message_id(mail_system):
    """Submission → queue goes the same way; a Message-ID the gateway filled in (RFC 6409 §8.3)
    is new each time, so a message without its own is not taken for a resend."""
    store, gateway = mail_system
    own = (b"From: alice@example.test\r\nTo: carol@other.test\r\nSubject: out\r\n"
           b"Message-ID: <sub-1@example.test>\r\nDate: Tue, 01 Sep 2026 10:00:00 +0000\r\n\r\nhi\r\n")
    without = own.replace(b"Message-ID: <sub-1@example.test>\r\n", b"")
    for raw in (own, own, without, without):
        with smtplib.SMTP_SSL("127.0.0.1", gateway.submissions_port, context=trusting_context(gateway), timeout=30) as smtp:
            smtp.login(ALICE, "secret")
            assert smtp.sendmail(ALICE, ["carol@other.test"], raw) == {}
    assert len(queue(store)) == 3
