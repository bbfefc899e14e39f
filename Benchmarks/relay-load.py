#!/usr/bin/env python3
"""Queue filler and stopwatch for `make bench-relay` (scripts/bench-relay.sh).

    relay-load.py fill-store --url URL --token TOKEN --to ADDR [--messages 5000] [--size 4096] [--threads 20]
    relay-load.py fill-smtp --port PORT --to ADDR [--messages 5000] [--size 4096] [--senders 20]
    relay-load.py sink-count FILE
    relay-load.py wait --sink FILE --base N --start T0 --messages N (--store-queue URL TOKEN |
        --postfix-queue CONFIG_DIR) [--label NAME] [--json FILE] [--timeout 600]
    relay-load.py table BUZON.json POSTFIX.json

The messages: `--messages` plain-text messages of exactly `--size` bytes with CRLF line ends
(no line starts with a dot), from load@sender.test to `--to`, made here from their number alone,
so that both systems queue the same bytes.

`fill-store`: queues them in the mailbox-store for relay, as the smtp-gateway's submission
port would: `POST /v1/deliveries` with a `Buzon-Envelope` header (base64 of the envelope's JSON,
`relay: true`) and the raw message as the body, `--threads` requests at once, each answered
only after the store's commit; every recipient must come back `queued`.

`fill-smtp`: sends them over plain SMTP (one persistent connection per sender process) to a
server that queues them, here Postfix's smtpd with `defer_transports = smtp`.

`sink-count`: the number of messages Postfix's smtp-sink has received so far, from the running
counters it writes with `-c` (`sess=… quit=… mesg=N`, separated by carriage returns).

`wait`: the stopwatch. `--start` is the wall-clock time (seconds since the epoch) at which the
relay was let go (Buzón: just before the queue-relay process starts; Postfix: just before the
reload that lifts `defer_transports`). It watches the sink's counter until `--messages` more
than `--base` have arrived, then the sender's queue until it is empty (Buzón: `GET /v1/queue`
has no entry left, i.e. every outcome was reported to the store; Postfix: `postqueue -p` says
the queue is empty), looking at the queue only once the sink has everything so that it takes
nothing from the relay while it works. msgs/s = messages ÷ (queue empty − start).

`table`: the markdown table of BENCHMARKS.md from the JSON files of `wait --json`, Buzón first,
ratio = Buzón msgs/s ÷ Postfix msgs/s.
"""

import argparse
import base64
import http.client
import json
import multiprocessing as mp
import os
import re
import smtplib
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

SENDER = "load@sender.test"
LINE = b"The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.\r\n"
DATE = "Mon, 02 Nov 2026 09:00:00 +0000"


def make_message(index: int, size: int, recipient: str) -> bytes:
    """Message `index`, exactly `size` bytes (when size leaves room for the header)."""
    head = (
        f"From: Load Generator <{SENDER}>\r\n"
        f"To: <{recipient}>\r\n"
        f"Subject: relay load {index}\r\n"
        f"Date: {DATE}\r\n"
        f"Message-ID: <relay.{index}@sender.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
    ).encode()
    room = max(size - len(head), len(LINE))
    full, rest = divmod(room, len(LINE))
    if 0 < rest < 3:  # no room for a short last line: shorten one full line instead
        full -= 1
        rest += len(LINE)
    body = LINE * full + (b"x" * (rest - 2) + b"\r\n" if rest else b"")
    return head + body


def fill_store(args) -> int:
    url = urllib.parse.urlsplit(args.url)
    envelope = {"sender": SENDER, "recipients": [{"address": args.to}], "relay": True}
    header = base64.b64encode(json.dumps(envelope).encode()).decode()
    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "message/rfc822", "Buzon-Envelope": header}
    failures: list[str] = []
    lock = threading.Lock()
    next_index = iter(range(1, args.messages + 1))

    def worker() -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                break
            try:
                conn.request("POST", "/v1/deliveries", body=make_message(i, args.size, args.to), headers=headers)
                r = conn.getresponse()
                body = r.read()
                statuses = [x["status"] for x in json.loads(body)["recipients"]] if r.status == 200 else []
                if statuses != ["queued"]:
                    raise RuntimeError(f"{r.status} {body[:200]!r}")
            except Exception as e:  # noqa: BLE001 - reported below
                with lock:
                    failures.append(f"message {i}: {e!r}")
                return
        conn.close()

    t0 = time.time()
    threads = [threading.Thread(target=worker) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.time() - t0
    for f in failures[:5]:
        print(f"  fill-store: {f}", file=sys.stderr)
    print(f"queued {args.messages - len(failures)} messages of {args.size} B in the store in {seconds:.1f} s "
          f"({args.threads} threads)", flush=True)
    return 1 if failures else 0


def smtp_sender(k: int, indices: list[int], args, results) -> None:
    errors: list[str] = []
    try:
        client = smtplib.SMTP(args.host, args.port, local_hostname="load.sender.test", timeout=120)
        client.ehlo()
        for i in indices:
            refused = client.sendmail(SENDER, [args.to], make_message(i, args.size, args.to))
            if refused:
                errors.append(f"message {i} refused: {refused}")
        client.quit()
    except Exception as e:  # noqa: BLE001 - reported by the parent
        errors.append(repr(e))
    results.put((k, errors))


def fill_smtp(args) -> int:
    ctx = mp.get_context("fork")
    results = ctx.Queue()
    all_indices = list(range(1, args.messages + 1))
    procs = [ctx.Process(target=smtp_sender, args=(k, all_indices[k::args.senders], args, results))
             for k in range(args.senders)]
    t0 = time.time()
    for p in procs:
        p.start()
    errors: list[str] = []
    for _ in procs:
        errors += results.get()[1]
    for p in procs:
        p.join()
    for e in errors[:5]:
        print(f"  fill-smtp: {e}", file=sys.stderr)
    print(f"queued {args.messages} messages of {args.size} B over SMTP in {time.time() - t0:.1f} s "
          f"({args.senders} senders){'; errors: ' + str(len(errors)) if errors else ''}", flush=True)
    return 1 if errors else 0


COUNTER = re.compile(rb"mesg=(\d+)")


def sink_count(path: str) -> int:
    """The last `mesg=N` smtp-sink -c wrote (it appends one line per event, CR-separated)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 256))
            tail = f.read()
    except FileNotFoundError:
        return 0
    found = COUNTER.findall(tail)
    return int(found[-1]) if found else 0


def store_queue_length(url: str, token: str):
    def length() -> int:
        req = urllib.request.Request(f"{url.rstrip('/')}/v1/queue", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return len(json.load(r)["entries"])
    return length


def postfix_queue_length(config_dir: str):
    def length() -> int:
        out = subprocess.run(["postqueue", "-c", config_dir, "-j"], capture_output=True, text=True, check=True).stdout
        return sum(1 for line in out.splitlines() if line.strip())
    return length


def wait(args) -> int:
    queue_length = (store_queue_length(*args.store_queue) if args.store_queue
                    else postfix_queue_length(args.postfix_queue))
    deadline = args.start + args.timeout
    received = 0
    t_sink = None
    while time.time() < deadline:
        received = sink_count(args.sink) - args.base
        if received >= args.messages:
            t_sink = time.time()
            break
        time.sleep(0.02)
    left = None
    t_empty = None
    if t_sink is not None:
        while time.time() < deadline:
            left = queue_length()
            if left == 0:
                t_empty = time.time()
                break
            time.sleep(0.05)
    seconds = (t_empty or time.time()) - args.start
    result = {
        "label": args.label,
        "messages": args.messages,
        "size": args.size,
        "concurrency": args.concurrency,
        "received": received,
        "queue_left": left,
        "sink_seconds": (t_sink - args.start) if t_sink else None,
        "seconds": seconds,
        "msgs_per_s": args.messages / seconds if t_empty else 0.0,
    }
    if t_empty:
        print(f"{args.label}: {args.messages} messages relayed in {seconds:.2f} s "
              f"(last one at the sink at {result['sink_seconds']:.2f} s) = {result['msgs_per_s']:.0f} msgs/s", flush=True)
    else:
        print(f"{args.label}: gave up after {args.timeout:.0f} s: the sink has {received} of {args.messages}, "
              f"{'?' if left is None else left} left in the queue", file=sys.stderr, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
    return 0 if t_empty else 1


def size_name(size: int) -> str:
    return f"{size // 1024} KiB" if size % 1024 == 0 else f"{size} B"


def table(args) -> int:
    rows = []
    for path in args.results:
        with open(path) as f:
            rows.append(json.load(f))
    a = rows[0]
    b = rows[1] if len(rows) > 1 else None
    head = f"| size, concurrency {a['concurrency']} | messages | {a['label']} msgs/s |"
    rule = "|---|---|---|"
    line = f"| {size_name(a['size'])} | {a['messages']:,} | {a['msgs_per_s']:,.0f} |"
    if b:
        head += f" {b['label']} msgs/s | ratio |"
        rule += "---|---|"
        ratio = f"{a['msgs_per_s'] / b['msgs_per_s']:.2f}" if b["msgs_per_s"] else "–"
        line += f" {b['msgs_per_s']:,.0f} | {ratio} |"
    print(head)
    print(rule)
    print(line)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fs = sub.add_parser("fill-store", help="queue the messages in the mailbox-store for relay")
    fs.add_argument("--url", required=True)
    fs.add_argument("--token", required=True)
    fs.add_argument("--threads", type=int, default=20)
    fm = sub.add_parser("fill-smtp", help="queue the messages in an MTA over SMTP")
    fm.add_argument("--host", default="127.0.0.1")
    fm.add_argument("--port", type=int, required=True)
    fm.add_argument("--senders", type=int, default=20)
    for p in (fs, fm):
        p.add_argument("--to", required=True, help="the one remote recipient")
        p.add_argument("--messages", type=int, default=5000)
        p.add_argument("--size", type=int, default=4096)
    sc = sub.add_parser("sink-count", help="messages smtp-sink -c has counted so far")
    sc.add_argument("file")
    w = sub.add_parser("wait", help="time the relay: sink has them all, then the queue is empty")
    w.add_argument("--sink", required=True, help="the file smtp-sink -c writes its counters to")
    w.add_argument("--base", type=int, default=0, help="the sink's count before the relay started")
    w.add_argument("--start", type=float, required=True, help="when the relay was let go (epoch seconds)")
    w.add_argument("--messages", type=int, required=True)
    w.add_argument("--size", type=int, default=4096, help="for the table")
    w.add_argument("--concurrency", type=int, default=20, help="for the table")
    q = w.add_mutually_exclusive_group(required=True)
    q.add_argument("--store-queue", nargs=2, metavar=("URL", "TOKEN"))
    q.add_argument("--postfix-queue", metavar="CONFIG_DIR")
    w.add_argument("--timeout", type=float, default=600)
    w.add_argument("--label", default="relay")
    w.add_argument("--json")
    t = sub.add_parser("table", help="markdown table of wait --json results")
    t.add_argument("results", nargs="+")
    args = parser.parse_args()
    if args.command == "fill-store":
        return fill_store(args)
    if args.command == "fill-smtp":
        return fill_smtp(args)
    if args.command == "sink-count":
        print(sink_count(args.file))
        return 0
    if args.command == "wait":
        return wait(args)
    return table(args)


if __name__ == "__main__":
    sys.exit(main())
