#!/usr/bin/env python3
"""SELECT of a big mailbox, first open and open by a second session while the first holds it.

Starts a fresh mailbox-store and imap-gateway from BIN (default: the debug build), fills
INBOX with COUNT messages (one delivery, then COPY of the mailbox into itself: a handful of
store transactions), and times: SELECT in session A (the gateway's first open), SELECT in
session B while A has it selected, and SELECT + UID FETCH 1:* (FLAGS) in A. Quick numbers for
docs/BENCHMARKS.md, not the full `make bench-imap`.

    Benchmarks/select-open.py [--count 100000] [--bin .build/release] [--rounds 3]
"""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from importlib import import_module  # noqa: E402

from local_servers import LocalServers  # noqa: E402

load = import_module("imap-load")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--bin", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    bin_dir = args.bin or subprocess.check_output(["swift", "build", "--show-bin-path"], text=True).strip()
    token, password, user = "select-open", "select-open-pw", "big@select.test"
    with LocalServers(bin_dir, token, store_env={"BUZON_BCRYPT_COST": "4"}) as servers:
        url, imap_port = servers.store_url, servers.imap_port

        def api(method, path, body):
            r = urllib.request.Request(url + path, data=body, method=method,
                                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            return urllib.request.urlopen(r).read()

        api("POST", "/v1/domains", json.dumps({"name": "select.test"}).encode())
        api("POST", "/v1/users", json.dumps({"address": user, "password": password}).encode())
        r = urllib.request.Request(f"{url}/v1/deliveries?recipient={user}", data=load.make_message(1, 4096),
                                   method="POST", headers={"Authorization": f"Bearer {token}",
                                                           "Content-Type": "message/rfc822"})
        urllib.request.urlopen(r).read()

        def client():
            c = load.Client("127.0.0.1", imap_port, 600)
            c.login(user, password)
            return c

        t0 = time.time()
        filler = client()
        have = 1
        filler.command("SELECT INBOX")
        while have < args.count:
            step = min(have, args.count - have)
            filler.command(f"COPY 1:{step} INBOX")
            have += step
        filler.command("LOGOUT")
        filler.close()
        print(f"filled INBOX with {have} messages in {time.time() - t0:.1f} s", flush=True)

        def timed(c, command):
            t = time.perf_counter()
            c.command(command)
            return time.perf_counter() - t

        rows = []
        for n in range(args.rounds):
            a, b = client(), client()
            first = timed(a, "SELECT INBOX")
            second = timed(b, "SELECT INBOX")
            b.command("LOGOUT")
            fetch = timed(a, "UID FETCH 1:* (FLAGS)")
            a.command("LOGOUT")
            a.close()
            b.close()
            time.sleep(0.5)  # the view is let go when the last session leaves
            rows.append((first, second, fetch))
            print(f"round {n + 1}: first SELECT {first * 1000:.0f} ms, second session's SELECT "
                  f"{second * 1000:.1f} ms, UID FETCH 1:* (FLAGS) {fetch * 1000:.0f} ms", flush=True)
        best = [min(r[i] for r in rows) for i in range(3)]
        print(f"best of {args.rounds}: first SELECT {best[0] * 1000:.0f} ms; SELECT while open {best[1] * 1000:.1f} ms; "
              f"UID FETCH 1:* (FLAGS) {best[2] * 1000:.0f} ms")
        return 0


if __name__ == "__main__":
    sys.exit(main())
