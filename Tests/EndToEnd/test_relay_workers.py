"""Two queue-relay workers on one store (ARCHITECTURE.md: leases with a TTL, renewed while a
delivery runs). A worker killed with SIGKILL in the middle of a delivery stops renewing: the
other takes the message over once the lease expires and delivers it. Without a kill, 500
messages spread over both workers arrive exactly once each."""

import collections
import re
import threading
import time

from conftest import Relay, Store
from relay_support import (CLOSE, SMTPPeer, log_lines, make_message, queue_entries, queue_entry, submit, wait_queue_empty,
                           wait_until)

ALICE = "alice@a.test"


def test_killed_worker_s_delivery_is_taken_over_after_the_lease_expires(tmp_path, cleanup):
    stalled = threading.Event()
    first_closed = []

    def stall_first(conn, txn):
        if txn.number > 1:
            return None
        stalled.set()
        first_closed.append(conn.wait_for_close(25))  # the worker is killed meanwhile: its socket closes
        return CLOSE if first_closed[-1] else "451 4.3.0 the test did not kill the worker"

    peer = SMTPPeer(name="mx.far.test", on_data_end=stall_first).start()
    cleanup(peer)
    store = Store(tmp_path / "data").start()
    cleanup(store)
    store.add_user(ALICE)
    env = {"BUZON_RELAY_ROUTES": f"far.test={peer.address}", "BUZON_RELAY_LEASE_TTL": "5", "BUZON_RETRY_INTERVAL": "1",
           "BUZON_RELAY_TIMEOUT": "30"}
    doomed = Relay(store, tmp_path, env=env, worker="doomed").start()
    cleanup(doomed)
    raw = make_message(ALICE, "dest@far.test", "survives a SIGKILL")
    queue_id = submit(store, raw, ALICE, ["dest@far.test"])["queueID"]
    assert stalled.wait(15), "the first worker never reached the end of DATA"

    survivor = Relay(store, tmp_path, env=env, worker="survivor").start()
    cleanup(survivor)
    # While the first worker lives it renews its lease: the survivor must leave the message alone.
    time.sleep(2.5)
    entry = queue_entry(store, queue_id)
    assert entry["state"] == "active" and entry["leaseOwner"] == "doomed", entry
    assert len(peer.snapshot()) == 1
    lease_expires = entry["leaseExpires"]

    killed_at = time.time()
    doomed.kill()
    delivered = wait_until(lambda: peer.delivered, 20, "the survivor to deliver the message")
    wait_queue_empty(store, 10)
    assert first_closed == [True], "the killed worker's connection should have closed without an answer"
    transactions = peer.snapshot()
    assert len(transactions) == 2, transactions
    assert not transactions[0].delivered
    assert len(delivered) == 1 and delivered[0].data == raw
    # Taken over only once the lease had run out (renewed at most a second before the kill).
    assert delivered[0].started >= lease_expires - 0.3, (delivered[0].started, lease_expires)
    assert delivered[0].started - killed_at <= 5 + 3, delivered[0].started - killed_at
    assert any("outcome=delivered" in l for l in log_lines(survivor.log_path, "attempt")), survivor.log_path.read_text()[-2000:]
    assert not any("outcome=delivered" in l for l in log_lines(doomed.log_path, "attempt"))
    time.sleep(2)
    assert len(peer.snapshot()) == 2, "delivered once, no more attempts"


def test_five_hundred_messages_over_two_workers_arrive_exactly_once(tmp_path, cleanup):
    peer = SMTPPeer(name="mx.far.test").start()
    cleanup(peer)
    store = Store(tmp_path / "data").start()
    cleanup(store)
    store.add_user(ALICE)
    env = {"BUZON_RELAY_ROUTES": f"far.test={peer.address}", "BUZON_RELAY_LEASE_TTL": "30", "BUZON_RETRY_INTERVAL": "1"}
    workers = [Relay(store, tmp_path, env=env, worker=name).start() for name in ("w1", "w2")]
    for w in workers:
        cleanup(w)

    count = 500
    sent = {}
    for i in range(count):
        mid = f"<bulk-{i}@a.test>"
        sent[mid] = make_message(ALICE, f"r{i % 7}@far.test", f"bulk {i}", body=f"message number {i}\r\n", message_id=mid)
        submit(store, sent[mid], ALICE, [f"r{i % 7}@far.test"])
    wait_until(lambda: not queue_entries(store), 75, "the queue to empty", interval=0.5)
    time.sleep(1)

    delivered = peer.delivered
    ids = collections.Counter()
    for txn in delivered:
        m = re.search(rb"^Message-ID: (<[^>]+>)\r$", txn.data, re.M)
        assert m, txn.data[:300]
        ids[m.group(1).decode()] += 1
        assert txn.data == sent[m.group(1).decode()], "byte for byte"
    duplicates = {k: v for k, v in ids.items() if v > 1}
    assert not duplicates, f"delivered more than once: {duplicates}"
    assert set(ids) == set(sent), f"missing: {sorted(set(sent) - set(ids))[:10]}"
    assert len(peer.snapshot()) == count, "one transaction per message, no failed ones"
    per_worker = [len([l for l in log_lines(w.log_path, "attempt") if "outcome=delivered" in l]) for w in workers]
    assert all(n > 0 for n in per_worker), f"both workers should have delivered: {per_worker}"
    assert sum(per_worker) == count, per_worker
