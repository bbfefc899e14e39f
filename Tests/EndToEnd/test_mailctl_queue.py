"""`mailctl queue` against a running store: list, show, hold, release, retry, bounce, delete."""

import base64
import json
import re
import time

import requests

from conftest import mailctl


def queue_message(store, sender="alice@example.test", to="far@away.test", subject="queued"):
    envelope = {"sender": sender, "recipients": [{"address": to}], "relay": True}
    r = store.api("POST", "/v1/deliveries", data=f"Subject: {subject}\r\n\r\nbody\r\n".encode(),
                  headers={"Content-Type": "message/rfc822",
                           "Buzon-Envelope": base64.b64encode(json.dumps(envelope).encode()).decode()})
    assert r.status_code == 200, r.text
    return r.json()["queueID"]


def ok(result):
    assert result.returncode == 0, f"exit {result.returncode}: {result.stdout}{result.stderr}"
    return result.stdout


def test_queue_commands(store):
    store.add_user("alice@example.test")
    first = queue_message(store)
    second = queue_message(store, subject="second")

    # The queue's length and age reach /metrics within a few seconds.
    deadline, gauge = time.monotonic() + 15, None
    while time.monotonic() < deadline:
        text = requests.get(store.url + "/metrics", timeout=5).text
        found = re.search(r"^buzon_store_queue_entries (\S+)$", text, re.M)
        gauge = float(found.group(1)) if found else None
        if gauge == 2:
            break
        time.sleep(0.5)
    assert gauge == 2, f"buzon_store_queue_entries is {gauge}"
    assert re.search(r"^buzon_store_queue_oldest_age_seconds \S+$", text, re.M)

    listing = ok(mailctl(store, "queue", "list"))
    assert "far@away.test (pending)" in listing and "alice@example.test" in listing
    assert str(first) in listing and str(second) in listing

    shown = ok(mailctl(store, "queue", "show", str(first)))
    assert "state:        deferred" in shown and "recipient:    far@away.test pending" in shown

    ok(mailctl(store, "queue", "hold", str(first)))
    assert store.api("GET", f"/v1/queue/{first}").json()["state"] == "hold"
    ok(mailctl(store, "queue", "release", str(first)))
    assert store.api("GET", f"/v1/queue/{first}").json()["state"] == "deferred"
    assert "due now" in ok(mailctl(store, "queue", "retry", str(first)))
    assert "messages due now" in ok(mailctl(store, "queue", "retry", "--all"))

    # Bounce: the entry leaves the queue and the sender gets a failure notice.
    assert "1 notice(s) sent" in ok(mailctl(store, "queue", "bounce", str(first)))
    inbox = store.inbox("alice@example.test")
    assert inbox["messages"] == 1
    uid = store.api("GET", f"/v1/accounts/alice@example.test/mailboxes/{inbox['id']}/messages").json()["messages"][0]["uid"]
    notice = store.api("GET", f"/v1/accounts/alice@example.test/mailboxes/{inbox['id']}/messages/{uid}/raw").content
    assert b"Action: failed" in notice and b"Status: 5.0.0" in notice and b"bounced by the administrator" in notice

    # Delete: gone without a notice.
    ok(mailctl(store, "queue", "delete", str(second)))
    assert store.api("GET", "/v1/queue").json()["entries"] == []
    assert store.inbox("alice@example.test")["messages"] == 1

    # Errors a person can act on.
    missing = mailctl(store, "queue", "show", "999")
    assert missing.returncode == 1 and "no such queue entry" in missing.stderr
    usage = mailctl(store, "queue", "retry")
    assert usage.returncode == 64 and "--all" in usage.stderr
