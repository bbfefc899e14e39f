"""Ids that leave the mailbox-store are never handed out twice (issue 11, item 6).

Queue ids appear in logs, delivery notices, idempotent answers and `mailctl queue`; mailbox ids
and content ids in gateways' caches and listings. SQLite's `INTEGER PRIMARY KEY` without
AUTOINCREMENT takes max(id)+1, so once the newest row is gone (an emptied queue, a deleted
mailbox) its id came back. Each case empties the table's top, makes a new row, and expects a
larger id, also after a store restart (the sequence is in the database, not the process).

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_store_ids.py
"""

import base64
import json

import pytest

from conftest import Store

ALICE = "alice@example.test"
MESSAGE = b"From: alice@example.test\r\nTo: far@away.test\r\nSubject: ids\r\n\r\nbody\r\n"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data").start()
    s.add_user(ALICE)
    yield s
    s.stop()


def restart(store: Store) -> None:
    store.stop()
    store.start()


def queue_message(store: Store) -> int:
    envelope = {"sender": ALICE, "recipients": [{"address": "far@away.test"}], "relay": True}
    r = store.api("POST", "/v1/deliveries", data=MESSAGE,
                  headers={"Content-Type": "message/rfc822",
                           "Buzon-Envelope": base64.b64encode(json.dumps(envelope).encode()).decode()})
    assert r.status_code == 200, r.text
    return r.json()["queueID"]


def queue_is_empty(store: Store) -> bool:
    r = store.api("GET", "/v1/queue")
    assert r.status_code == 200, r.text
    return r.json()["entries"] == []


def deliver_by_relay(store: Store, queue_id: int) -> None:
    """What the queue-relay does: lease the entry, report it delivered (it leaves the queue)."""
    r = store.api("POST", "/v1/queue/lease", json={"worker": "w1", "limit": 10, "ttl": 60})
    assert r.status_code == 200 and [e["id"] for e in r.json()["entries"]] == [queue_id], r.text
    r = store.api("POST", f"/v1/queue/{queue_id}/report", json={
        "worker": "w1", "recipients": [{"address": "far@away.test", "outcome": "delivered", "status": "2.0.0"}]})
    assert r.status_code == 200, r.text


def test_queue_ids_are_not_reused_after_the_queue_empties(store: Store):
    first = queue_message(store)
    deliver_by_relay(store, first)
    assert queue_is_empty(store)
    second = queue_message(store)
    assert second > first

    # Removed by the administrator this time.
    assert store.api("DELETE", f"/v1/queue/{second}").status_code == 204
    assert queue_is_empty(store)
    third = queue_message(store)
    assert third > second

    # And across a restart of the store.
    assert store.api("DELETE", f"/v1/queue/{third}").status_code == 204
    restart(store)
    assert queue_is_empty(store)
    fourth = queue_message(store)
    assert fourth > third


def create_mailbox(store: Store, name: str) -> int:
    r = store.api("POST", f"/v1/accounts/{ALICE}/mailboxes", json={"name": name})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_mailbox_ids_are_not_reused(store: Store):
    first = create_mailbox(store, "Projects")
    assert store.api("DELETE", f"/v1/accounts/{ALICE}/mailboxes/{first}").status_code == 204
    second = create_mailbox(store, "Projects")
    assert second > first
    # The old id names nothing now, rather than the new mailbox.
    assert store.api("GET", f"/v1/accounts/{ALICE}/mailboxes/{first}").status_code == 404

    assert store.api("DELETE", f"/v1/accounts/{ALICE}/mailboxes/{second}").status_code == 204
    restart(store)
    third = create_mailbox(store, "Projects")
    assert third > second


def test_mailbox_ids_of_a_deleted_account_are_not_reused(store: Store):
    store.add_user("bob@example.test")
    bob_inbox = store.inbox("bob@example.test")["id"]
    assert store.api("DELETE", "/v1/users/bob@example.test").status_code == 204
    store.add_user("bob@example.test")
    assert store.inbox("bob@example.test")["id"] > bob_inbox


def test_content_ids_are_not_reused(store: Store):
    def deliver() -> int:
        r = store.deliver(b"Subject: x\r\n\r\nx\r\n", [ALICE])
        assert r.status_code == 200, r.text
        return r.json()["contentID"]

    inbox = store.inbox(ALICE)["id"]

    def expunge_all() -> None:
        r = store.api("POST", f"/v1/accounts/{ALICE}/mailboxes/{inbox}/expunge", json={"onlyDeleted": False})
        assert r.status_code == 200, r.text

    first = deliver()
    expunge_all()  # the content is collected with its last reference
    second = deliver()
    assert second > first
    expunge_all()
    restart(store)
    assert deliver() > second
