#!/usr/bin/env python3
"""SMTP load generator for `make bench-smtp` (scripts/bench-smtp.sh).

    smtp-load.py run --port 2525 --to bench@bench.test --size 4096 --messages 5000 \
        --senders 20 (--count-store URL TOKEN | --count-maildir DIR) [--label NAME] [--json FILE]
    smtp-load.py table RESULT.json...

`run`: `--senders` processes (not threads: no GIL between them), each with one persistent,
plain SMTP connection (EHLO once, then MAIL/RCPT/DATA per message), send `--messages`
messages of `--size` bytes, each with its own Message-ID, to one recipient. The clock starts
when every sender is connected and released together, and stops when the recipient's INBOX
holds every message that was answered 250: the poller counts messages in the mailbox, through
the mailbox-store API (`--count-store`) or in a Maildir's new/ and cur/ (`--count-maildir`).
It only polls once the senders are done, so it takes no CPU from the servers during the run.
Reports msgs/s end to end and the p50/p99 of one SMTP transaction (MAIL to the 250 after DATA).

`table`: the markdown table of BENCHMARKS.md from the JSON files of `run --json`, one row per
message size, Buzón beside Postfix + Dovecot, with the ratio.
"""

import argparse
import json
import math
import multiprocessing as mp
import os
import smtplib
import socket
import statistics
import sys
import time
import urllib.request

SENDER = "load@sender.test"
LINE = b"The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.\r\n"


def make_message(run: str, sender: int, index: int, size: int, recipient: str) -> bytes:
    """A plain-text message of `size` bytes (give or take 2; CRLF, no line starting with a dot)."""
    head = (
        f"From: Load Generator <{SENDER}>\r\n"
        f"To: <{recipient}>\r\n"
        f"Subject: load {run} {sender}/{index}\r\n"
        f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\r\n"
        f"Message-ID: <{run}.{sender}.{index}@sender.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
    ).encode()
    room = max(size - len(head), len(LINE))
    full, rest = divmod(room, len(LINE))
    body = LINE * full + (b"x" * (rest - 2) + b"\r\n" if rest >= 3 else b"")
    return head + body


def sender_main(k: int, count: int, args, run: str, barrier, results) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    try:
        client = smtplib.SMTP(args.host, args.port, local_hostname="load.sender.test", timeout=120)
        client.ehlo()
    except Exception as e:  # noqa: BLE001 - reported, not raised
        barrier.wait()
        results.put((k, latencies, [f"connect: {e!r}"], None))
        return
    messages = [make_message(run, k, i, args.size, args.to) for i in range(count)]
    barrier.wait()
    for raw in messages:
        t = time.perf_counter()
        try:
            refused = client.sendmail(SENDER, [args.to], raw)
            if refused:
                errors.append(f"refused: {refused}")
                continue
            latencies.append(time.perf_counter() - t)
        except Exception as e:  # noqa: BLE001 - count it, reconnect, go on
            errors.append(repr(e))
            try:
                client.close()
                client = smtplib.SMTP(args.host, args.port, local_hostname="load.sender.test", timeout=120)
                client.ehlo()
            except Exception as e2:  # noqa: BLE001
                errors.append(f"reconnect: {e2!r}")
                break
    done = time.time()
    try:
        client.quit()
    except Exception:  # noqa: BLE001
        pass
    results.put((k, latencies, errors, done))


def store_counter(url: str, token: str, account: str):
    api = f"{url.rstrip('/')}/v1/accounts/{account}/mailboxes"

    def count() -> int:
        req = urllib.request.Request(api, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            boxes = json.load(r)["mailboxes"]
        return next((m["messages"] for m in boxes if m["name"].upper() == "INBOX"), 0)

    return count


def maildir_counter(path: str):
    def count() -> int:
        n = 0
        for sub in ("new", "cur"):
            try:
                n += sum(1 for e in os.scandir(os.path.join(path, sub)) if not e.name.startswith("."))
            except FileNotFoundError:
                pass
        return n

    return count


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]  # nearest rank


def run(args) -> int:
    if args.count_store:
        count = store_counter(args.count_store[0], args.count_store[1], args.to)
    elif args.count_maildir:
        count = maildir_counter(args.count_maildir)
    else:
        count = None
    before = count() if count else 0
    tag = f"{os.getpid()}x{int(time.time() * 1000) % 10**9}"
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(args.senders + 1)
    results = ctx.Queue()
    share, extra = divmod(args.messages, args.senders)
    procs = [ctx.Process(target=sender_main, args=(k, share + (k < extra), args, tag, barrier, results))
             for k in range(args.senders)]
    for p in procs:
        p.start()
    barrier.wait(timeout=120)
    t0 = time.time()
    latencies: list[float] = []
    errors: list[str] = []
    last_250 = t0
    for _ in procs:
        _, lat, err, done = results.get()
        latencies += lat
        errors += err
        last_250 = max(last_250, done or t0)
    for p in procs:
        p.join()
    smtp_done = time.time()
    accepted = len(latencies)
    in_mailbox = None
    t_end = smtp_done
    if count:
        deadline = smtp_done + args.wait_timeout
        while True:
            now = count() - before
            t_end = time.time()
            if now >= accepted or t_end > deadline:
                in_mailbox = now
                break
            time.sleep(0.01)
    seconds = t_end - t0
    result = {
        "label": args.label,
        "size": args.size,
        "senders": args.senders,
        "messages": args.messages,
        "accepted": accepted,
        "in_mailbox": in_mailbox,
        "errors": len(errors),
        "seconds": seconds,
        "smtp_seconds": last_250 - t0,
        "msgs_per_s": (in_mailbox if in_mailbox is not None else accepted) / seconds if seconds > 0 else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }
    print(f"{args.label}: {args.size} B x {args.messages} from {args.senders} senders: "
          f"{accepted} accepted, {in_mailbox if in_mailbox is not None else '?'} in the mailbox "
          f"in {seconds:.2f} s (last 250 at {result['smtp_seconds']:.2f} s) = {result['msgs_per_s']:.0f} msgs/s; "
          f"SMTP transaction p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms; errors {len(errors)}",
          flush=True)
    for e in sorted(set(errors))[:5]:
        print(f"  error: {e}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
    complete = not errors and (in_mailbox is None or in_mailbox >= args.messages)
    return 0 if complete else 1


def size_name(size: int) -> str:
    return f"{size // 1024} KiB" if size % 1024 == 0 else f"{size} B"


def table(args) -> int:
    rows: dict[int, dict[str, dict]] = {}
    labels: list[str] = []
    for path in args.results:
        with open(path) as f:
            r = json.load(f)
        rows.setdefault(r["size"], {})[r["label"]] = r
        if r["label"] not in labels:
            labels.append(r["label"])
    if len(labels) > 2:
        print(f"table: more than two systems: {labels}", file=sys.stderr)
        return 2
    a = labels[0]
    b = labels[1] if len(labels) > 1 else None
    head = f"| size, {next(iter(next(iter(rows.values())).values()))['senders']} senders | messages | {a} msgs/s |"
    rule = "|---|---|---|"
    if b:
        head += f" {b} msgs/s | ratio |"
        rule += "---|---|"
    head += f" {a} p50 / p99 |"
    rule += "---|"
    if b:
        head += f" {b} p50 / p99 |"
        rule += "---|"
    print(head)
    print(rule)
    for size in sorted(rows):
        ra, rb = rows[size].get(a), rows[size].get(b) if b else None

        def rate(r):
            return f"{r['msgs_per_s']:,.0f}" if r else "–"

        def lat(r):
            return f"{r['p50_ms']:.1f} ms / {r['p99_ms']:.1f} ms" if r else "–"

        n = (ra or rb)["messages"]
        line = f"| {size_name(size)} | {n:,} | {rate(ra)} |"
        if b:
            ratio = f"{ra['msgs_per_s'] / rb['msgs_per_s']:.2f}" if ra and rb and rb["msgs_per_s"] else "–"
            line += f" {rate(rb)} | {ratio} |"
        line += f" {lat(ra)} |"
        if b:
            line += f" {lat(rb)} |"
        print(line)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="send the load and time it into the mailbox")
    r.add_argument("--host", default="127.0.0.1")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--to", required=True, help="the one local recipient")
    r.add_argument("--size", type=int, default=4096, help="bytes per message")
    r.add_argument("--messages", type=int, default=5000)
    r.add_argument("--senders", type=int, default=20)
    r.add_argument("--count-store", nargs=2, metavar=("URL", "TOKEN"),
                   help="count the INBOX of --to through the mailbox-store API")
    r.add_argument("--count-maildir", metavar="DIR", help="count the files in DIR/new and DIR/cur")
    r.add_argument("--wait-timeout", type=float, default=120, help="seconds to wait for the mailbox after the last 250")
    r.add_argument("--label", default="smtp")
    r.add_argument("--json", help="write the result here")
    t = sub.add_parser("table", help="markdown table of run --json results")
    t.add_argument("results", nargs="+")
    args = parser.parse_args()
    socket.setdefaulttimeout(120)
    return run(args) if args.command == "run" else table(args)


if __name__ == "__main__":
    sys.exit(main())
