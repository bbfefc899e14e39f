"""Remote servers that misbehave: garbage instead of replies, a stall in the middle of a
transaction, reply lines far over RFC 5321 §4.5.3.1.5's 512 octets, a TLS handshake that fails
after STARTTLS (RFC 3207). Each is a temporary failure: the queue entry stays, its attempt
counted and the reason kept, no DSN goes to the sender, and the worker goes on to deliver the
next message to a healthy destination. BUZON_RELAY_TIMEOUT=2 bounds every wait."""

import re
import time

import pytest
import requests

from conftest import Relay, Store, inbox_messages
from relay_support import (CLOSE, SMTPPeer, is_dsn, make_message, parse_dsn, queue_entry, submit, wait_until)

ALICE = "alice@a.test"


def garbage(text: bytes):
    return lambda *args: text


def slow_garbage(text: bytes, delay: float = 0.3):
    """Garbage a moment after the connection opens (the immediate case, where the relay races
    the server, is test_a_server_that_speaks_first_and_hangs_up_… below)."""
    def hook(*args):
        time.sleep(delay)
        return text
    return hook


def stall(record: list):
    """Never answers; closes once the client has given up (and notes how long that took)."""
    def hook(conn, *args):
        started = time.monotonic()
        closed = conn.wait_for_close(30)
        record.append((closed, time.monotonic() - started))
        return CLOSE
    return hook


STALLS_BEFORE_354: list = []
STALLS_AFTER_DATA: list = []

# domain → (peer settings, what the last error must say)
BAD_SERVERS = {
    "garbage-greeting.test": (dict(on_connect=slow_garbage(b"Welcome to my server, friend!\r\n")), r"protocol|malformed"),
    "garbage-mail.test": (dict(on_mail=garbage(b"OK SURE\r\n")), r"protocol|malformed"),
    "garbage-binary.test": (dict(on_rcpt=garbage(b"\x00\xff\xfe\x01 \x80\x81\r\n")), r"protocol|malformed"),
    "inconsistent-codes.test": (dict(on_mail=garbage(b"250-fine\r\n550 not fine\r\n")), r"protocol|inconsistent"),
    "stall-before-354.test": (dict(on_data=stall(STALLS_BEFORE_354)), r"timeout|timed out"),
    "stall-after-data.test": (dict(on_data_end=stall(STALLS_AFTER_DATA)), r"timeout|timed out"),
    "long-ehlo-line.test": (dict(on_ehlo=garbage(b"250-peer.test\r\n250-" + b"X" * 20000 + b"\r\n250 SIZE 1000000\r\n")),
                            r"protocol|too long|lineTooLong"),
    "endless-reply.test": (dict(on_mail=garbage(b"250 " + b"y" * 200000)), r"protocol|too long|lineTooLong"),
    "tls-alert.test": (dict(tls="alert"), r"TLS|SSL|handshake"),
    "tls-garbage.test": (dict(tls="garbage"), r"TLS|SSL|handshake"),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad-servers")
    started = []
    try:
        healthy = SMTPPeer(name="mx.healthy.test").start()
        started.append(healthy)
        bad = {}
        for domain, (settings, _) in BAD_SERVERS.items():
            bad[domain] = SMTPPeer(name=f"mx.{domain}", **settings).start()
            started.append(bad[domain])
        routes = ",".join([f"healthy.test={healthy.address}"] + [f"{d}={p.address}" for d, p in bad.items()])
        store = Store(tmp / "data").start()
        started.append(store)
        store.add_user(ALICE)
        relay = Relay(store, tmp, env={"BUZON_RELAY_ROUTES": routes, "BUZON_RELAY_TIMEOUT": "2",
                                       "BUZON_RETRY_INTERVAL": "3600", "BUZON_MAX_ATTEMPTS": "5"}).start()
        started.append(relay)
        yield store, relay, healthy, bad
    finally:
        for thing in reversed(started):
            thing.stop()


@pytest.mark.parametrize("domain", list(BAD_SERVERS))
def test_bad_server_is_a_temporary_failure_and_the_worker_goes_on(world, domain):
    store, relay, healthy, bad = world
    peer = bad[domain]
    _, reason = BAD_SERVERS[domain]
    raw = make_message(ALICE, f"someone@{domain}", f"to {domain}")
    queue_id = submit(store, raw, ALICE, [f"someone@{domain}"])["queueID"]

    entry = wait_until(lambda: (e := queue_entry(store, queue_id)) and e["attempts"] >= 1 and e["state"] != "active" and e,
                       20, f"the first attempt at {domain} to be reported")
    assert peer.connections >= 1, "the relay never reached the server"
    assert entry["attempts"] == 1, entry
    assert entry["state"] == "deferred", entry
    assert entry["recipients"][0]["state"] == "pending", entry
    assert entry["nextAttempt"] > time.time() + 1000, "retried after BUZON_RETRY_INTERVAL, not at once"
    assert entry["lastError"], entry
    assert re.search(reason, entry["lastError"], re.I), entry["lastError"]
    assert re.search(reason, entry["recipients"][0].get("lastError") or "", re.I), entry["recipients"][0]
    assert not peer.delivered or domain == "stall-after-data.test", "nothing may count as delivered"
    assert not any(is_dsn(m) for m in inbox_messages(store, ALICE)), "a temporary failure sends no DSN"

    # The worker goes on: the next message, to a healthy destination, is delivered.
    before = len(healthy.delivered)
    healthy_raw = make_message(ALICE, "carol@healthy.test", f"after {domain}")
    submit(store, healthy_raw, ALICE, ["carol@healthy.test"])
    wait_until(lambda: len(healthy.delivered) > before, 15, "the healthy destination to get the next message")
    assert healthy.delivered[-1].data == healthy_raw
    assert relay.proc.poll() is None, "the relay died"
    assert requests.get(f"http://127.0.0.1:{relay.admin_port}/healthz", timeout=5).status_code == 200
    # Still exactly one attempt at the bad server, still queued.
    entry = queue_entry(store, queue_id)
    assert entry is not None and entry["attempts"] == 1, entry


@pytest.mark.parametrize("domain,record,limit", [
    ("stall-before-354.test", STALLS_BEFORE_354, 2), ("stall-after-data.test", STALLS_AFTER_DATA, 4)])
def test_stalled_server_is_given_up_on_after_the_timeout(world, domain, record, limit):
    """The relay closes a stalled connection after BUZON_RELAY_TIMEOUT (2 s; the end of DATA
    may take twice as long, RFC 5321 §4.5.3.2) instead of waiting on the server."""
    store, _, _, bad = world
    record.clear()
    queue_id = submit(store, make_message(ALICE, f"again@{domain}", "stall again"), ALICE, [f"again@{domain}"])["queueID"]
    wait_until(lambda: record, 20, f"the relay to give up on {domain}")
    [(closed, waited)] = record
    assert closed, "the relay never closed the stalled connection"
    assert limit - 0.5 <= waited <= limit + 3, (waited, limit)
    entry = wait_until(lambda: (e := queue_entry(store, queue_id)) and e["attempts"] == 1 and e, 10, "the deferral")
    assert entry["state"] == "deferred" and re.search(r"timeout|timed out", entry["lastError"] or "", re.I), entry


def speak_and_hang_up(text: bytes):
    def hook(conn):
        conn.send(text)
        return CLOSE
    return hook


@pytest.mark.parametrize("greeting,reason", [
    (b"Welcome to my server, friend!\r\n", r"protocol|malformed"),
    (b"554 5.7.1 no SMTP service here\r\n", r"554"),
], ids=["garbage-then-close", "554-then-close"])
def test_a_server_that_speaks_first_and_hangs_up_is_judged_by_what_it_said_every_time(tmp_path, greeting, reason):
    """A server that greets (badly, or with 554, RFC 5321 §3.1) and closes at once: the relay
    must read what it said each time, not sometimes lose it to the close (which would make the
    same server's outcome depend on timing)."""
    peer = SMTPPeer(on_connect=speak_and_hang_up(greeting)).start()
    store = Store(tmp_path / "data").start()
    relay = None
    try:
        store.add_user(ALICE)
        relay = Relay(store, tmp_path, env={"BUZON_RELAY_ROUTES": f"rude.test={peer.address}", "BUZON_RELAY_TIMEOUT": "2",
                                            "BUZON_RETRY_INTERVAL": "3600"}).start()
        ids = [submit(store, make_message(ALICE, f"x{i}@rude.test", f"try {i}"), ALICE, [f"x{i}@rude.test"])["queueID"]
               for i in range(50)]

        def settled():
            entries = {i: queue_entry(store, i) for i in ids}
            return entries if all(e is None or (e["attempts"] >= 1 and e["state"] == "deferred") for e in entries.values()) else None
        entries = wait_until(settled, 30, "every message to be tried once")
        dsn_diagnostics = [r.get("diagnostic-code", "") for m in inbox_messages(store, ALICE) if is_dsn(m)
                           for r in parse_dsn(m).recipients]
        outcomes = {("bounced" if e is None else "deferred") for e in entries.values()}
        reasons = [e["lastError"] for e in entries.values() if e is not None] + dsn_diagnostics
        assert len(outcomes) == 1, f"the same server got different outcomes: {outcomes}; reasons {reasons}"
        assert all(re.search(reason, r or "", re.I) for r in reasons), reasons
    finally:
        if relay:
            relay.stop()
        store.stop()
        peer.stop()
