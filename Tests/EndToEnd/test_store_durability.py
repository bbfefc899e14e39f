"""A delivery that got its 2xx is never lost: the store is killed with SIGKILL at random
moments while clients deliver, and restarted. Clients retry what got no answer with the
same idempotency key, as a gateway does. Afterwards every acknowledged message is there
exactly once, with the UID it was acknowledged with, byte for byte."""

import random
import threading
import time

import requests

from conftest import Store

ACCOUNT = "crash@example.test"


def message(n: int) -> bytes:
    # Sizes from 1 KiB to ~200 KiB so that kills land in the middle of big writes too.
    size = random.Random(n).choice([1_000, 4_000, 30_000, 200_000])
    body = (f"line {n} " * (size // 8 + 1))[:size]
    lines = "\r\n".join(body[i:i + 76] for i in range(0, len(body), 76))
    return (f"From: a@remote.test\r\nTo: {ACCOUNT}\r\nSubject: crash {n}\r\n"
            f"Message-ID: <crash-{n}@remote.test>\r\n\r\n{lines}\r\n").encode()


def test_acknowledged_deliveries_survive_sigkill(tmp_path):
    store = Store(tmp_path / "data").start()
    store.add_user(ACCOUNT)
    total, workers = 400, 4
    acked: dict[int, int] = {}
    lock = threading.Lock()
    done = threading.Event()
    errors: list[str] = []
    retries = [0]

    def deliver_all(ids):
        for n in ids:
            deadline = time.monotonic() + 120
            while True:
                try:
                    r = store.deliver(message(n), [ACCOUNT], key=f"crash-{n}", timeout=10)
                except requests.RequestException:
                    r = None  # no answer: the store may or may not have it; retry with the same key
                    with lock:
                        retries[0] += 1
                if r is not None and r.status_code == 200:
                    uid = r.json()["recipients"][0]["deliveries"][0]["uid"]
                    with lock:
                        if n in acked and acked[n] != uid:
                            errors.append(f"message {n} acknowledged twice with UIDs {acked[n]} and {uid}")
                        acked[n] = uid
                    break
                if r is not None and r.status_code < 500:
                    errors.append(f"message {n}: {r.status_code} {r.text}")
                    break
                if time.monotonic() > deadline:
                    errors.append(f"message {n} never acknowledged")
                    break
                time.sleep(0.05)

    threads = [threading.Thread(target=deliver_all, args=(range(w, total, workers),)) for w in range(workers)]
    for t in threads:
        t.start()

    kills = 0
    rng = random.Random(2026)

    def chaos():
        nonlocal kills
        while not done.is_set() and kills < 10:
            time.sleep(rng.uniform(0.1, 0.4))
            if done.is_set():
                break
            store.kill()
            kills += 1
            store.start()

    chaos_thread = threading.Thread(target=chaos)
    chaos_thread.start()
    for t in threads:
        t.join()
    done.set()
    chaos_thread.join()

    assert not errors, errors[:5]
    assert kills >= 5, f"only {kills} kills happened; the test did not test much"
    assert retries[0] > 0, "no delivery was interrupted by a kill"
    print(f"{kills} kills and {retries[0]} retried deliveries for {total} messages")
    assert len(acked) == total

    # A clean restart too, then read everything back.
    store.stop()
    store.start()
    inbox = store.inbox(ACCOUNT)
    listed, after = [], 0
    while True:
        r = store.api("GET", f"/v1/accounts/{ACCOUNT}/mailboxes/{inbox['id']}/messages", params={"after": after, "limit": 100})
        page = r.json()
        listed += page["messages"]
        if page.get("nextAfter") is None:
            break
        after = page["nextAfter"]
    uids = [m["uid"] for m in listed]
    assert uids == sorted(uids) and len(set(uids)) == len(uids)
    assert len(listed) == total, f"{len(listed)} stored for {total} acknowledged: duplicates or losses"
    by_uid = {m["uid"]: m for m in listed}
    for n, uid in acked.items():
        assert uid in by_uid, f"acknowledged message {n} (UID {uid}) is missing"
        raw = store.api("GET", f"/v1/accounts/{ACCOUNT}/mailboxes/{inbox['id']}/messages/{uid}/raw").content
        assert raw == message(n), f"UID {uid} does not hold message {n} byte for byte"
    store.stop()
