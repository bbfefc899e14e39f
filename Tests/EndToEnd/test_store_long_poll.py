"""A long poll of the change feed (`POST /v1/watch`, `GET …/changes?wait=`) ends in the store
when its client hangs up, instead of holding the connection and the request until its time
is up. An imap-gateway cancels its watch each time an account logs in (to name it in the next
one): 1,000 logins left up to 1,000 abandoned waits of ~150 KiB each in the store — the
147 KiB per IDLE session of docs/BENCHMARKS.md (issue 12, item 7)."""

import json
import socket
import time

ALICE = "alice@example.test"


def half_closed(port: int) -> int:
    """The store's sockets on `port` that the client closed and the store has not (CLOSE_WAIT)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "08":
                count += 1
    return count


def abandon(store, method: str, path: str, body: bytes = b"") -> None:
    """Sends a long poll, waits until the store holds it, and hangs up."""
    s = socket.create_connection(("127.0.0.1", store.port), timeout=5)
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {store.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    s.sendall(head.encode() + body)
    time.sleep(0.5)
    s.close()


def gone(store, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while half_closed(store.port) and time.monotonic() < deadline:
        time.sleep(0.1)
    return half_closed(store.port) == 0


def test_a_watch_whose_client_hung_up_ends(store):
    store.add_user(ALICE)
    head = store.api("GET", f"/v1/accounts/{ALICE}/changes", params={"since": 2**62}).json()["highestModSeq"]
    for _ in range(3):
        abandon(store, "POST", "/v1/watch", json.dumps({"accounts": {ALICE: head}, "wait": 60}).encode())
    assert gone(store), "the store still waits for clients that hung up"
    # A watch that is not abandoned still waits, and wakes on a change.
    started = time.monotonic()
    r = store.api("POST", "/v1/watch", json={"accounts": {ALICE: head}, "wait": 1})
    assert r.status_code == 200 and r.json() == {"accounts": {}}
    assert time.monotonic() - started >= 0.9


def test_a_feed_long_poll_whose_client_hung_up_ends(store):
    store.add_user(ALICE)
    head = store.api("GET", f"/v1/accounts/{ALICE}/changes", params={"since": 2**62}).json()["highestModSeq"]
    for _ in range(3):
        abandon(store, "GET", f"/v1/accounts/{ALICE}/changes?since={head}&wait=60")
    assert gone(store), "the store still waits for clients that hung up"
