#!/usr/bin/env python3
"""IMAP login load for `make bench-logins` (scripts/bench-logins.sh): phones reconnecting.

    login-load.py users --users 200
    login-load.py fill-store --url URL --token TOKEN --password PW --users 200
    login-load.py run --port 2143 --password PW --users 200 --rounds 5 [--label NAME] [--json FILE]
    login-load.py table --dir RESULTS buzon dovecot-default dovecot-tuned

`run`: `--rounds` rounds; in each, `--users` clients (one per user `phone001@bench.test`…, one
thread each) wait at a barrier, then each connects, reads the greeting, sends LOGIN and LOGOUT
and closes. A round's figures: its wall time (barrier to last close), logins per second, and the
p50/p99 of LOGIN alone (command sent to tagged OK). The first round meets an empty
authentication cache on both sides (servers freshly started); the later ones are the same users
again, what an authentication cache is for. Every LOGIN must succeed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

DOMAIN = "bench.test"


def users(count: int) -> list[str]:
    return [f"phone{n:03d}@{DOMAIN}" for n in range(1, count + 1)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def fill_store(args) -> int:
    url = urllib.parse.urlsplit(args.url)
    auth = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    local = threading.local()

    def post(path: str, body: dict) -> int:
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=120)
        local.conn.request("POST", path, body=json.dumps(body).encode(), headers=auth)
        response = local.conn.getresponse()
        response.read()
        return response.status

    t0 = time.time()
    if post("/v1/domains", {"name": DOMAIN}) not in (201, 409):
        print("fill-store: cannot create the domain", file=sys.stderr)
        return 1
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda u: post("/v1/users", {"address": u, "password": args.password}), users(args.users)))
    if any(s != 201 for s in statuses):
        print(f"fill-store: creating users answered {sorted(set(statuses))}", file=sys.stderr)
        return 1
    print(f"created {len(statuses)} users in {time.time() - t0:.1f} s", file=sys.stderr)
    return 0


def one_login(port: int, user: str, password: str, barrier: threading.Barrier) -> tuple[float, float]:
    """(seconds of LOGIN, time the session closed)."""
    barrier.wait()
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
        f = s.makefile("rb")
        greeting = f.readline()
        if not greeting.startswith(b"* OK"):
            raise RuntimeError(f"greeting {greeting!r}")
        started = time.monotonic()
        s.sendall(f'a LOGIN "{user}" "{password}"\r\n'.encode())
        while True:
            line = f.readline()
            if not line:
                raise RuntimeError("closed during LOGIN")
            if line.startswith(b"a "):
                break
        took = time.monotonic() - started
        if not line.startswith(b"a OK"):
            raise RuntimeError(f"{user}: {line!r}")
        s.sendall(b"b LOGOUT\r\n")
        while (line := f.readline()) and not line.startswith(b"b "):
            pass
    return took, time.monotonic()


def run(args) -> int:
    everyone = users(args.users)
    rounds = []
    for r in range(1, args.rounds + 1):
        barrier = threading.Barrier(len(everyone) + 1)
        with concurrent.futures.ThreadPoolExecutor(len(everyone)) as pool:
            futures = [pool.submit(one_login, args.port, u, args.password, barrier) for u in everyone]
            barrier.wait()
            started = time.monotonic()
            results = [f.result() for f in futures]
        wall = max(end for _, end in results) - started
        logins = [took for took, _ in results]
        rounds.append({"round": r, "seconds": wall, "per_second": len(logins) / wall,
                       "p50_ms": percentile(logins, 50) * 1000, "p99_ms": percentile(logins, 99) * 1000})
        print(f"{args.label}: round {r}: {len(logins)} logins in {wall:.2f} s = {len(logins) / wall:.0f}/s, "
              f"LOGIN p50 {rounds[-1]['p50_ms']:.1f} ms p99 {rounds[-1]['p99_ms']:.1f} ms", flush=True)
        time.sleep(args.pause)
    if args.json:
        Path(args.json).write_text(json.dumps({"label": args.label, "users": args.users, "rounds": rounds}))
    return 0


def table(args) -> int:
    results = {stem: json.loads((Path(args.dir) / f"{stem}-logins.json").read_text()) for stem in args.stems}
    first = results[args.stems[0]]

    def warm(result) -> dict:
        later = result["rounds"][1:] or result["rounds"]
        return {"per_second": sum(r["per_second"] for r in later) / len(later),
                "p50_ms": sum(r["p50_ms"] for r in later) / len(later),
                "p99_ms": max(r["p99_ms"] for r in later)}

    print(f"| {first['users']} logins, same users repeated | " + " | ".join(r["label"] for r in results.values()) + " |")
    print("|---|" + "---|" * len(results))
    rows = [
        ("first round, logins/s", lambda r: f"{r['rounds'][0]['per_second']:.0f}"),
        ("first round, LOGIN p50 / p99 ms", lambda r: f"{r['rounds'][0]['p50_ms']:.0f} / {r['rounds'][0]['p99_ms']:.0f}"),
        ("later rounds, logins/s", lambda r: f"{warm(r)['per_second']:.0f}"),
        ("later rounds, LOGIN p50 / worst p99 ms", lambda r: f"{warm(r)['p50_ms']:.1f} / {warm(r)['p99_ms']:.1f}"),
    ]
    for name, cell in rows:
        print(f"| {name} | " + " | ".join(cell(r) for r in results.values()) + " |")
    ours = warm(first)["per_second"]
    for stem in args.stems[1:]:
        theirs = warm(results[stem])["per_second"]
        print(f"ratio, later rounds: {first['label']} / {results[stem]['label']} = {ours / theirs:.2f}×")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    u = sub.add_parser("users", help="print the user addresses")
    u.add_argument("--users", type=int, default=200)
    f = sub.add_parser("fill-store", help="create the domain and the users through the store API")
    f.add_argument("--url", required=True)
    f.add_argument("--token", required=True)
    f.add_argument("--password", required=True)
    f.add_argument("--users", type=int, default=200)
    r = sub.add_parser("run", help="rounds of simultaneous logins")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--password", required=True)
    r.add_argument("--users", type=int, default=200)
    r.add_argument("--rounds", type=int, default=5)
    r.add_argument("--pause", type=float, default=1.0, help="seconds between rounds")
    r.add_argument("--label", default="server")
    r.add_argument("--json")
    t = sub.add_parser("table", help="the results side by side, the first against the others")
    t.add_argument("--dir", required=True)
    t.add_argument("stems", nargs="+")
    args = parser.parse_args()
    if args.command == "users":
        print("\n".join(users(args.users)))
        return 0
    return {"fill-store": fill_store, "run": run, "table": table}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
