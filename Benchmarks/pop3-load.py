#!/usr/bin/env python3
"""POP3 load generator for `make bench-pop3` (scripts/bench-pop3.sh).

    pop3-load.py fill-store --url URL --token TOKEN --users U1,U2,... [--messages 1000] [--size 4096]
    pop3-load.py fill-maildir --home-root DIR --users U1,U2,... [--messages 1000] [--size 4096]
    pop3-load.py run --port 2110 --users U1,U2,... --password PW [--messages 1000] [--size 4096]
        [--label NAME] [--json FILE] [--warmup]
    pop3-load.py table BUZON.json DOVECOT-DEFAULT.json DOVECOT-TUNED.json

The messages: `--messages` plain-text messages of exactly `--size` bytes with CRLF line ends
(no line starts with a dot), the same for every mailbox and both servers, made here from their
number alone, so that `fill-*` and `run` agree without sharing a file.

`fill-store`: delivers them into the mailbox-store over its internal API
(`POST /v1/deliveries?recipient=…`, `Content-Type: message/rfc822`), one thread per mailbox
(20 concurrent requests for 20 mailboxes), each mailbox's messages in order and each delivery on
its own, so every mailbox holds its own copy of every message (as distinct mail would be).

`fill-maildir`: writes them into `DIR/<local part>/Maildir/cur/` of every user, in the form
Dovecot's own LMTP/LDA writes (LF line ends, `mail_save_crlf = no`) and names them per the
Maildir spec with Dovecot's size fields, `<time>.M<n>P<pid>.bench,S=<bytes on disk>,W=<bytes
with CRLF>:2,`, so Dovecot knows both sizes from the name and never has to stat or read a file
for LIST. What RETR sends is the same bytes from both servers (`run --warmup` checks it).

`run`: one process per user (no GIL between them), all started and then released together;
each connects (poplib), logs in with USER/PASS, LISTs, RETRs every message, and QUITs without
DELE, so the mailboxes are unchanged and runs repeatable. The clock runs from the release to
the last QUIT answered. Reports messages retrieved per second overall, the p50/p99 of one RETR
(command to the final `.` read), and the p50/p99 of a login (connect to PASS answered `+OK`: the
greeting, USER and PASS; for Buzón PASS includes the maildrop lock and listing, for Dovecot the
mailbox open). `--warmup` also compares every retrieved message with what was filled in.

`table`: the markdown tables of BENCHMARKS.md from the JSON files of `run --json`: the first is
Buzón, the others are what it is compared with (ratio = Buzón msgs/s ÷ theirs).
"""

import argparse
import hashlib
import http.client
import json
import math
import multiprocessing as mp
import os
import poplib
import socket
import statistics
import sys
import threading
import time
import urllib.parse

LINE = b"The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.\r\n"
DATE = "Mon, 02 Nov 2026 09:00:00 +0000"


def make_message(index: int, size: int) -> bytes:
    """Message `index` (1-based): exactly `size` bytes, CRLF line ends, no line starting with a dot."""
    head = (
        "From: Load Generator <load@sender.test>\r\n"
        "To: POP3 Bench <bench@bench.test>\r\n"
        f"Subject: pop3 bench message {index}\r\n"
        f"Date: {DATE}\r\n"
        f"Message-ID: <pop3-bench.{index}@sender.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
    ).encode()
    room = size - len(head)
    if room < 2:
        raise ValueError(f"--size {size} is smaller than the header ({len(head) + 2} bytes)")
    body = (LINE * (room // len(LINE) + 1))[: room - 2]
    if body.endswith(b"\r"):
        body = body[:-1] + b"x"
    return head + body + b"\r\n"


def users_arg(text: str) -> list[str]:
    return [u for u in text.split(",") if u]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]  # nearest rank


# --- filling ---------------------------------------------------------------------------------

def fill_store(args) -> int:
    url = urllib.parse.urlsplit(args.url)
    messages = [make_message(i, args.size) for i in range(1, args.messages + 1)]
    failures: list[str] = []
    lock = threading.Lock()

    def one_mailbox(user: str) -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        path = "/v1/deliveries?" + urllib.parse.urlencode({"recipient": user})
        headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "message/rfc822"}
        for raw in messages:
            try:
                conn.request("POST", path, body=raw, headers=headers)
                r = conn.getresponse()
                body = r.read()
                if r.status // 100 != 2 or b'"delivered"' not in body:
                    raise RuntimeError(f"{r.status} {body[:200]!r}")
            except Exception as e:  # noqa: BLE001 - reported below
                with lock:
                    failures.append(f"{user}: {e!r}")
                return
        conn.close()

    t0 = time.time()
    threads = [threading.Thread(target=one_mailbox, args=(u,)) for u in args.users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.time() - t0
    n = len(args.users) * args.messages
    print(f"filled the store: {n} deliveries of {args.size} B into {len(args.users)} mailboxes "
          f"in {seconds:.1f} s ({n / seconds:.0f}/s)", file=sys.stderr)
    for f in failures[:5]:
        print(f"  error: {f}", file=sys.stderr)
    return 1 if failures else 0


def fill_maildir(args) -> int:
    base = int(time.time()) - 86400  # delivered "yesterday", one second apart: UIDs follow the numbers
    pid = os.getpid()
    t0 = time.time()
    for user in args.users:
        maildir = os.path.join(args.home_root, user.split("@", 1)[0], "Maildir")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)
        for i in range(1, args.messages + 1):
            wire = make_message(i, args.size)
            disk = wire.replace(b"\r\n", b"\n")
            name = f"{base + i}.M{i}P{pid}.bench,S={len(disk)},W={len(wire)}:2,"
            path = os.path.join(maildir, "cur", name)
            with open(path, "wb") as f:
                f.write(disk)
            os.utime(path, (base + i, base + i))
    n = len(args.users) * args.messages
    print(f"filled the Maildirs: {n} files in {time.time() - t0:.1f} s", file=sys.stderr)
    return 0


# --- the load --------------------------------------------------------------------------------

def client_main(k: int, user: str, args, barrier, results) -> None:
    retr: list[float] = []
    errors: list[str] = []
    login = listing = float("nan")
    retrieved = octets_total = 0
    expected = None
    if args.warmup:  # digest of every message as filled, to check what RETR gives back
        expected = {hashlib.sha256(make_message(i, args.size)).digest() for i in range(1, args.messages + 1)}
    barrier.wait()
    t = time.perf_counter()
    try:
        c = poplib.POP3(args.host, args.port, timeout=120)
        c.user(user)
        c.pass_(args.password)
        login = time.perf_counter() - t
        t = time.perf_counter()
        _, lines, _ = c.list()
        listing = time.perf_counter() - t
        numbers = [int(line.split()[0]) for line in lines]
        if len(numbers) != args.messages:
            errors.append(f"{user}: LIST shows {len(numbers)} messages, not {args.messages}")
        for n in numbers:
            t = time.perf_counter()
            _, body, octets = c.retr(n)
            retr.append(time.perf_counter() - t)
            retrieved += 1
            octets_total += octets
            if octets != args.size:
                errors.append(f"{user}: message {n} is {octets} bytes, not {args.size}")
            if expected is not None and hashlib.sha256(b"\r\n".join(body) + b"\r\n").digest() not in expected:
                errors.append(f"{user}: message {n} is not one of the messages filled in")
        c.quit()
    except Exception as e:  # noqa: BLE001 - reported, not raised
        errors.append(f"{user}: {e!r}")
    results.put((k, login, listing, retr, retrieved, octets_total, errors, time.time()))


def run(args) -> int:
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(args.users) + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=client_main, args=(k, u, args, barrier, results)) for k, u in enumerate(args.users)]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)
    t0 = time.time()
    logins: list[float] = []
    lists: list[float] = []
    retr: list[float] = []
    errors: list[str] = []
    retrieved = octets = 0
    t_end = t0
    for _ in procs:
        _, login, listing, lat, n, o, err, done = results.get(timeout=1800)
        logins.append(login)
        lists.append(listing)
        retr += lat
        retrieved += n
        octets += o
        errors += err
        t_end = max(t_end, done)
    for p in procs:
        p.join()
    seconds = t_end - t0
    ms = lambda v: v * 1000  # noqa: E731
    result = {
        "label": args.label,
        "clients": len(args.users),
        "messages": len(args.users) * args.messages,
        "size": args.size,
        "retrieved": retrieved,
        "octets": octets,
        "errors": len(errors),
        "seconds": seconds,
        "msgs_per_s": retrieved / seconds if seconds > 0 else 0.0,
        "retr_p50_ms": ms(percentile(retr, 50)),
        "retr_p99_ms": ms(percentile(retr, 99)),
        "retr_mean_ms": ms(statistics.fmean(retr)) if retr else float("nan"),
        "login_p50_ms": ms(percentile(logins, 50)),
        "login_p99_ms": ms(percentile(logins, 99)),
        "list_p50_ms": ms(percentile(lists, 50)),
    }
    what = "warm-up" if args.warmup else "run"
    print(f"{args.label} ({what}): {retrieved} of {result['messages']} messages of {args.size} B by "
          f"{len(args.users)} clients in {seconds:.2f} s = {result['msgs_per_s']:.0f} msgs/s; "
          f"RETR p50 {result['retr_p50_ms']:.2f} ms, p99 {result['retr_p99_ms']:.2f} ms; "
          f"login p50 {result['login_p50_ms']:.0f} ms, p99 {result['login_p99_ms']:.0f} ms; "
          f"LIST p50 {result['list_p50_ms']:.1f} ms; errors {len(errors)}", flush=True)
    for e in sorted(set(errors))[:5]:
        print(f"  error: {e}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
    return 0 if not errors and retrieved == result["messages"] else 1


# --- the table -------------------------------------------------------------------------------

def table(args) -> int:
    results = []
    for path in args.results:
        with open(path) as f:
            results.append(json.load(f))
    first = results[0]
    load = f"LIST + RETR, {first['messages']:,} × {first['size'] // 1024} KiB, {first['clients']} mailboxes"
    head = f"| load | {' | '.join(r['label'] + ' msgs/s' for r in results)} |"
    rule = "|---|" + "---|" * len(results)
    rates = " | ".join(f"{r['msgs_per_s']:,.0f}" for r in results)
    line = f"| {load} | {rates} |"
    for other in results[1:]:
        head += f" {first['label']} ÷ {other['label']} |"
        rule += "---|"
        ratio = first["msgs_per_s"] / other["msgs_per_s"] if other["msgs_per_s"] else float("nan")
        line += f" {ratio:.2f} |"
    print(head)
    print(rule)
    print(line)
    print()
    print("| system | seconds | RETR p50 / p99 | login p50 / p99 | LIST p50 |")
    print("|---|---|---|---|---|")
    for r in results:
        print(f"| {r['label']} | {r['seconds']:.2f} | {r['retr_p50_ms']:.2f} ms / {r['retr_p99_ms']:.2f} ms "
              f"| {r['login_p50_ms']:.0f} ms / {r['login_p99_ms']:.0f} ms | {r['list_p50_ms']:.1f} ms |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--users", type=users_arg, required=True, help="comma-separated, one mailbox each")
        p.add_argument("--messages", type=int, default=1000, help="messages per mailbox")
        p.add_argument("--size", type=int, default=4096, help="bytes per message (with CRLF)")

    f = sub.add_parser("fill-store", help="deliver the messages through the mailbox-store API")
    common(f)
    f.add_argument("--url", required=True)
    f.add_argument("--token", required=True)
    m = sub.add_parser("fill-maildir", help="write the messages into Maildirs")
    common(m)
    m.add_argument("--home-root", required=True, help="DIR/<local part>/Maildir")
    r = sub.add_parser("run", help="retrieve every message of every mailbox and time it")
    common(r)
    r.add_argument("--host", default="127.0.0.1")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--password", required=True)
    r.add_argument("--label", default="pop3")
    r.add_argument("--json", help="write the result here")
    r.add_argument("--warmup", action="store_true", help="also check every message's bytes")
    t = sub.add_parser("table", help="markdown tables of run --json results, Buzón first")
    t.add_argument("results", nargs="+")
    args = parser.parse_args()
    socket.setdefaulttimeout(120)
    return {"fill-store": fill_store, "fill-maildir": fill_maildir, "run": run, "table": table}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
