"""A queue entry does not wait out a long lease when its worker fails (issue 11, item 8).

- A worker killed with SIGKILL in the middle of a delivery leaves a lease of the default
  length (30 s, renewed every 10 s while the worker lives), so another worker delivers the
  entry well within a minute, not after five.
- The store dies just as the worker reports an outcome: the report is retried and lands once
  the store is back; the entry is not leased again and the remote gets the message once."""

import threading
import time

from conftest import Relay, Store
from relay_support import CLOSE, SMTPPeer, make_message, queue_entry, submit, wait_queue_empty, wait_until

ALICE = "alice@a.test"


def stalled_delivery(tmp_path, cleanup, *, hold: float, retry_interval: str, worker: str, subject: str):
    """A store, a remote that holds the first delivery at the end of DATA for up to `hold`
    seconds (the test does something to the worker meanwhile), and a worker stalled there.
    Answers (peer, store, env, worker, raw, queue_id)."""
    stalled = threading.Event()

    def stall_first(conn, txn):
        if txn.number > 1:
            return None
        stalled.set()
        conn.wait_for_close(hold)
        return CLOSE

    peer = SMTPPeer(name="mx.far.test", on_data_end=stall_first).start()
    cleanup(peer)
    store = Store(tmp_path / "data").start()
    cleanup(store)
    store.add_user(ALICE)
    env = {"BUZON_RELAY_ROUTES": f"far.test={peer.address}", "BUZON_RETRY_INTERVAL": retry_interval,
           "BUZON_RELAY_TIMEOUT": "60"}
    relay = Relay(store, tmp_path, env=env, worker=worker).start()
    cleanup(relay)
    raw = make_message(ALICE, "dest@far.test", subject)
    queue_id = submit(store, raw, ALICE, ["dest@far.test"])["queueID"]
    assert stalled.wait(15), "the worker never reached the end of DATA"
    return peer, store, env, relay, raw, queue_id


def test_killed_worker_s_entry_is_delivered_by_another_within_the_default_lease(tmp_path, cleanup):
    # The lease settings are the defaults: they are what is under test. The worker is killed
    # while the remote holds its delivery.
    peer, store, env, doomed, raw, queue_id = stalled_delivery(
        tmp_path, cleanup, hold=60, retry_interval="1", worker="doomed", subject="survives a SIGKILL")
    entry = queue_entry(store, queue_id)
    assert entry["leaseOwner"] == "doomed" and entry["leaseExpires"] <= time.time() + 31, \
        f"a lease of {entry['leaseExpires'] - time.time():.0f} s: a dead worker's entry would wait that long"

    doomed.kill()
    killed_at = time.monotonic()
    survivor = Relay(store, tmp_path, env=env, worker="survivor").start()
    cleanup(survivor)
    delivered = wait_until(lambda: peer.delivered, 45, "another worker to deliver the entry", interval=0.2)
    took = time.monotonic() - killed_at
    assert took < 35, f"taken over after {took:.0f} s"
    assert len(delivered) == 1 and delivered[0].data == raw
    wait_queue_empty(store, 10)
    print(f"taken over {took:.1f} s after the kill")


def test_a_report_that_meets_a_store_restart_is_retried_and_the_message_delivered_once(tmp_path, cleanup):
    at_end_of_data = threading.Event()
    store_down = threading.Event()

    def answer_once_the_store_is_down(conn, txn):
        at_end_of_data.set()
        store_down.wait(15)  # the worker's report of this 250 goes to a dead store
        return None  # 250

    peer = SMTPPeer(name="mx.far.test", on_data_end=answer_once_the_store_is_down).start()
    cleanup(peer)
    store = Store(tmp_path / "data").start()
    cleanup(store)
    store.add_user(ALICE)
    # A short lease: were the report lost, the entry would be leased and delivered again soon.
    env = {"BUZON_RELAY_ROUTES": f"far.test={peer.address}", "BUZON_RELAY_LEASE_TTL": "5", "BUZON_RETRY_INTERVAL": "1"}
    relay = Relay(store, tmp_path, env=env).start()
    cleanup(relay)
    raw = make_message(ALICE, "dest@far.test", "reported once")
    submit(store, raw, ALICE, ["dest@far.test"])
    assert at_end_of_data.wait(15), "the worker never reached the end of DATA"
    store.kill()
    store_down.set()
    time.sleep(1.0)  # a supervisor's restart delay
    store.start()

    wait_queue_empty(store, 20)
    time.sleep(5 + 3)  # longer than a lease: an entry whose report was lost would be delivered again by now
    assert len(peer.delivered) == 1 and peer.delivered[0].data == raw
    assert len(peer.snapshot()) == 1, "one attempt only"
    assert "cannot report, retrying" in relay.log_path.read_text(), "the store was down when the report was sent"


def test_a_worker_stopped_cleanly_in_the_middle_of_a_delivery_gives_the_entry_back_at_once(tmp_path, cleanup):
    # The worker shuts down while the remote holds its delivery.
    peer, store, env, stopping, raw, queue_id = stalled_delivery(
        tmp_path, cleanup, hold=5, retry_interval="1800", worker="stopping", subject="given back")
    stopping.stop()  # SIGTERM, as an administrator or a supervisor would
    stopped_at = time.monotonic()
    entry = queue_entry(store, queue_id)
    assert entry is not None and "leaseOwner" not in entry and entry["attempts"] == 0, entry

    other = Relay(store, tmp_path, env=env, worker="other").start()
    cleanup(other)
    delivered = wait_until(lambda: peer.delivered, 10, "another worker to deliver the entry", interval=0.2)
    assert len(delivered) == 1 and delivered[0].data == raw
    print(f"delivered {time.monotonic() - stopped_at:.1f} s after the first worker stopped")
