#!/usr/bin/env python3
"""IMAP load generator for `make bench-imap` (scripts/bench-imap.sh).

    imap-load.py users --clients 20 --idle 1000
    imap-load.py fill-store --url URL --token TOKEN --password PW --clients 20 --messages 1000 \
        --size 4096 --big 100000 --idle 1000 [--threads 8]
    imap-load.py fill-maildir --home-root DIR --clients 20 --messages 1000 --size 4096 --big 100000 --idle 1000
    imap-load.py mix --port 2143 --password PW --clients 20 --messages 1000 --size 4096 --rounds 10 \
        --fetch 20 [--label NAME] [--json FILE] [--warmup]
    imap-load.py big --port 2143 --password PW --big 100000 [--label NAME] [--json FILE] [--warmup]
    imap-load.py notify --port 2143 --smtp-port 2525 --password PW --count 100 [--label NAME] [--json FILE]
    imap-load.py idle --port 2143 --password PW --idle 1000 (--pid NAME=PID | --tree NAME=PID)... \
        [--wait 0] [--settle 15] [--label NAME] [--json FILE]
    imap-load.py table --dir RESULTS buzon dovecot-default dovecot-tuned

The users (domain bench.test, one password): `bench01`… one per mix client, `big` (the large
mailbox), `watch` (the IDLE session of the delivery-delay test) and `idle0001`… (one per IDLE
connection of the memory test); `users` prints them one a line.

The messages: plain-text messages of exactly `--size` bytes with CRLF line ends (no line
starts with a dot), made here from their number alone, so that `fill-*` and the tests agree
without sharing a file. Message n's Subject is `imap bench message n`, with the word
`quarterly` added when n % 100 == 1; its body has the word `zanzibar` in one line when
n % 100 == 50 (both words appear nowhere else): the searches of `big` have 1 % hits each.

`fill-store`: creates the domain and every user over the store's internal API (8 threads),
then delivers (`POST /v1/deliveries?recipient=…`, `Content-Type: message/rfc822`, one delivery
a request, HTTP keep-alive) `--messages` messages into each mix mailbox, one thread per mailbox,
and `--big` messages into `big`'s INBOX from `--threads` threads at once. `watch` and the idle
users keep an empty INBOX.

`fill-maildir`: writes the same messages into `DIR/<local part>/Maildir/cur/`, in the form
Dovecot's own LMTP/LDA writes them (LF line ends) and named per the Maildir spec with Dovecot's
size fields, `<time>.M<n>P<pid>.bench,S=<bytes on disk>,W=<bytes with CRLF>:2,` (flags: none),
so Dovecot knows RFC822.SIZE from the name; `watch` and the idle users get empty Maildirs.

`mix`: one process per mix user (no GIL between them), all released together; each runs
`--rounds` sessions of: connect, LOGIN, then `--per-login` rounds (1: a client that reconnects
for everything; 20: one that stays logged in) of SELECT INBOX, FETCH 1:* (UID FLAGS
RFC822.SIZE), FETCH a:b BODY.PEEK[] (`--fetch` whole messages, the next window of the mailbox
each round), STORE a:b +FLAGS (\\Seen), SEARCH UNSEEN; then LOGOUT. Every answer is checked (message count,
sizes, the SEARCH result against the flags set so far; with `--warmup` every message's bytes).
The clock runs from the release to the last LOGOUT answered; reported: commands per second
(all seven kinds) and the p50/p99 of each kind (command sent to its tagged answer read).
After the pass, untimed, every mailbox gets `STORE 1:* -FLAGS.SILENT (\\Seen)` so the next
pass finds the state the first one did.

`big`: one session on `big`: LOGIN (untimed), then, timed one after the other: SELECT INBOX,
UID FETCH 1:* (FLAGS), SEARCH HEADER SUBJECT quarterly, SEARCH BODY zanzibar, each answer
checked (EXISTS, number of FETCH answers, number of hits).

`notify`: one IDLE session on `watch`'s INBOX and one plain SMTP connection (to the port given:
Buzón's smtp-gateway, or Postfix in front of Dovecot's LMTP); `--count` messages (after 5 untimed
ones) are sent one at a time, each after the previous one's EXISTS came and then a pause drawn
between 0.6 and 1 s (`--gap`, the same draws every run): long enough that nothing left over from
the previous message (Dovecot checks a mailbox 0.5 s after its first change) is still pending,
and not in step with any timer of the server. A thread reads the IDLE session and timestamps every `* n EXISTS`; the delay of a message is the
time its EXISTS line is read minus the time the `250` answering its DATA was read (negative if
the EXISTS came first). Reports p50/p99/max.

`idle`: memory of `--idle` sessions in IDLE, one per idle user: the resident memory (VmRSS of
/proc/PID/status, and the proportional PSS of /proc/PID/smaps_rollup, which shares a shared
page among the processes mapping it) of the processes named (`--pid NAME=PID`: that process;
`--tree NAME=PID`: it and all its descendants) is summed `--wait` seconds after the start,
then the sessions are opened (connect, LOGIN, SELECT INBOX, IDLE; `--concurrency` at a time),
then after `--settle` seconds it is summed again; per connection = (after − before) ÷ sessions.
The log line also says which processes grew (by /proc/PID/comm). Each session must then still
answer DONE with its tagged OK; then all log out.

`table`: the markdown tables of BENCHMARKS.md from `DIR/<system>-{mix,big,notify,idle}.json`;
the first system is Buzón, the others what it is compared with.
"""

import argparse
import concurrent.futures
import hashlib
import http.client
import json
import math
import multiprocessing as mp
import os
import queue
import random
import re
import smtplib
import socket
import statistics
import sys
import threading
import time
import urllib.parse

DOMAIN = "bench.test"
SENDER = "load@sender.test"
LINE = b"The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.\r\n"
ZLINE = b"Meet me in Zanzibar at noon by the old harbour wall, and bring the charts along.".ljust(len(LINE) - 2, b".") + b"\r\n"
DATE = "Mon, 02 Nov 2026 09:00:00 +0000"
SUBJECT_WORD = "quarterly"
BODY_WORD = "zanzibar"
MIX_KINDS = ["LOGIN", "SELECT", "FETCH 1:*", "FETCH BODY[]", "STORE", "SEARCH UNSEEN", "LOGOUT"]
BIG_KINDS = ["SELECT", "UID FETCH 1:* (FLAGS)", "SEARCH HEADER SUBJECT", "SEARCH BODY"]
NOTIFY_WARMUP = 5

assert len(ZLINE) == len(LINE)


def make_message(index: int, size: int) -> bytes:
    """Message `index` (1-based): exactly `size` bytes, CRLF line ends, no line starting with a dot."""
    subject = f"imap bench message {index}" + (f" {SUBJECT_WORD} report" if index % 100 == 1 else "")
    head = (
        "From: Load Generator <load@sender.test>\r\n"
        "To: IMAP Bench <bench@bench.test>\r\n"
        f"Subject: {subject}\r\n"
        f"Date: {DATE}\r\n"
        f"Message-ID: <imap-bench.{index}@sender.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
    ).encode()
    room = size - len(head)
    if room < 2 * len(LINE):
        raise ValueError(f"--size {size} is too small (at least {len(head) + 2 * len(LINE)} bytes)")
    lines = room // len(LINE) + 1
    body = [LINE] * lines
    if index % 100 == 50:
        body[lines // 2] = ZLINE
    body = b"".join(body)[: room - 2]
    if body.endswith(b"\r"):
        body = body[:-1] + b"x"
    return head + body + b"\r\n"


def subject_hits(count: int) -> int:
    return sum(1 for i in range(1, count + 1) if i % 100 == 1)


def body_hits(count: int) -> int:
    return sum(1 for i in range(1, count + 1) if i % 100 == 50)


def mix_users(clients: int) -> list[str]:
    return [f"bench{i:02d}@{DOMAIN}" for i in range(1, clients + 1)]


def idle_users(count: int) -> list[str]:
    return [f"idle{i:04d}@{DOMAIN}" for i in range(1, count + 1)]


BIG_USER = f"big@{DOMAIN}"
WATCH_USER = f"watch@{DOMAIN}"


def all_users(clients: int, idle: int) -> list[str]:
    return mix_users(clients) + [BIG_USER, WATCH_USER] + idle_users(idle)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]  # nearest rank


def ms(v: float) -> float:
    return v * 1000


# --- a small IMAP client: commands timed from sending to the tagged answer read --------------

class IMAPError(Exception):
    pass


LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")
EXISTS = re.compile(rb"^\* (\d+) EXISTS")


class Client:
    def __init__(self, host: str, port: int, timeout: float):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb", buffering=1 << 16)
        self.tags = 0
        greeting = self.readline()
        if not greeting.startswith(b"* OK"):
            raise IMAPError(f"greeting {greeting[:200]!r}")

    def readline(self) -> bytes:
        line = self.file.readline(1 << 20)
        if not line:
            raise IMAPError("connection closed by the server")
        return line

    def response(self) -> tuple[bytes, list[bytes]]:
        """One response: its text (literals left out, CRLF removed) and its literals."""
        text = bytearray()
        literals: list[bytes] = []
        while True:
            line = self.readline()
            m = LITERAL.search(line)
            if m is None:
                text += line.rstrip(b"\r\n")
                return bytes(text), literals
            text += line[:-2]
            n = int(m.group(1))
            data = self.file.read(n)
            if len(data) != n:
                raise IMAPError("connection closed inside a literal")
            literals.append(data)

    def send(self, command: str) -> bytes:
        self.tags += 1
        tag = f"A{self.tags:04d}".encode()
        self.sock.sendall(tag + b" " + command.encode() + b"\r\n")
        return tag

    def finish(self, tag: bytes, command: str) -> list[tuple[bytes, list[bytes]]]:
        untagged = []
        while True:
            text, literals = self.response()
            if text.startswith(tag + b" "):
                if text[len(tag) + 1:len(tag) + 4] != b"OK ":
                    raise IMAPError(f"{command!r} -> {text[:300]!r}")
                return untagged
            if text.startswith(b"+"):
                raise IMAPError(f"{command!r} -> unexpected continuation {text[:200]!r}")
            untagged.append((text, literals))

    def command(self, command: str) -> list[tuple[bytes, list[bytes]]]:
        return self.finish(self.send(command), command)

    def login(self, user: str, password: str) -> None:
        self.command(f'LOGIN "{user}" "{password}"')

    def idle(self) -> bytes:
        """Sends IDLE and waits for the continuation; returns the tag (DONE ends it)."""
        tag = self.send("IDLE")
        while True:
            text, _ = self.response()
            if text.startswith(b"+"):
                return tag
            if text.startswith(tag + b" "):
                raise IMAPError(f"'IDLE' -> {text[:300]!r}")

    def close(self) -> None:
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


def exists_of(untagged) -> int:
    for text, _ in untagged:
        m = EXISTS.match(text)
        if m:
            return int(m.group(1))
    raise IMAPError("no EXISTS in the SELECT answer")


def search_hits(untagged) -> list[int]:
    hits: list[int] = []
    for text, _ in untagged:
        if text.startswith(b"* SEARCH"):
            hits += [int(x) for x in text[8:].split()]
    return hits


def fetch_answers(untagged) -> list[tuple[bytes, list[bytes]]]:
    return [(t, lits) for t, lits in untagged if re.match(rb"^\* \d+ FETCH ", t)]


# --- filling ---------------------------------------------------------------------------------

def fill_store(args) -> int:
    url = urllib.parse.urlsplit(args.url)
    auth = {"Authorization": f"Bearer {args.token}"}
    failures: list[str] = []
    lock = threading.Lock()
    local = threading.local()

    def conn() -> http.client.HTTPConnection:
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=120)
        return local.conn

    def request(method: str, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        c = conn()
        try:
            c.request(method, path, body=body, headers={**auth, **headers})
            r = c.getresponse()
            return r.status, r.read()
        except (OSError, http.client.HTTPException):
            local.conn = None
            raise

    def fail(what: str) -> None:
        with lock:
            failures.append(what)

    t0 = time.time()
    status, body = request("POST", "/v1/domains", json.dumps({"name": DOMAIN}).encode(),
                           {"Content-Type": "application/json"})
    if status // 100 != 2 and status != 409:
        print(f"fill-store: creating {DOMAIN}: {status} {body[:200]!r}", file=sys.stderr)
        return 1
    users = all_users(args.clients, args.idle)

    def create(user: str) -> None:
        s, b = request("POST", "/v1/users", json.dumps({"address": user, "password": args.password}).encode(),
                       {"Content-Type": "application/json"})
        if s // 100 != 2:
            fail(f"creating {user}: {s} {b[:200]!r}")

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(create, users))
    print(f"created {len(users)} users in {time.time() - t0:.1f} s", file=sys.stderr)
    if failures:
        for f in failures[:5]:
            print(f"  error: {f}", file=sys.stderr)
        return 1

    def deliver(user: str, indexes) -> None:
        path = "/v1/deliveries?" + urllib.parse.urlencode({"recipient": user})
        for i in indexes:
            try:
                s, b = request("POST", path, make_message(i, args.size), {"Content-Type": "message/rfc822"})
                if s // 100 != 2 or b'"delivered"' not in b:
                    raise RuntimeError(f"{s} {b[:200]!r}")
            except Exception as e:  # noqa: BLE001 - reported below
                fail(f"{user} message {i}: {e!r}")
                return

    def run_threads(jobs) -> float:
        t = time.time()
        threads = [threading.Thread(target=deliver, args=job) for job in jobs]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return time.time() - t

    if args.messages:
        seconds = run_threads([(u, range(1, args.messages + 1)) for u in mix_users(args.clients)])
        n = args.clients * args.messages
        print(f"filled the store: {n} deliveries of {args.size} B into {args.clients} mailboxes "
              f"in {seconds:.1f} s ({n / seconds:.0f}/s)", file=sys.stderr)
    if args.big and not failures:
        seconds = run_threads([(BIG_USER, range(1 + t, args.big + 1, args.threads)) for t in range(args.threads)])
        print(f"filled the store: {args.big} deliveries of {args.size} B into {BIG_USER} from "
              f"{args.threads} threads in {seconds:.1f} s ({args.big / seconds:.0f}/s)", file=sys.stderr)
    for f in failures[:5]:
        print(f"  error: {f}", file=sys.stderr)
    return 1 if failures else 0


def fill_maildir(args) -> int:
    pid = os.getpid()
    t0 = time.time()
    base = int(time.time()) - 86400 - max(args.messages, args.big)  # in the past, one second apart

    def maildir(user: str) -> str:
        path = os.path.join(args.home_root, user.split("@", 1)[0], "Maildir")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        return path

    def fill(user: str, count: int) -> None:
        cur = os.path.join(maildir(user), "cur")
        for i in range(1, count + 1):
            wire = make_message(i, args.size)
            disk = wire.replace(b"\r\n", b"\n")
            path = os.path.join(cur, f"{base + i}.M{i}P{pid}.bench,S={len(disk)},W={len(wire)}:2,")
            with open(path, "wb") as f:
                f.write(disk)
            os.utime(path, (base + i, base + i))

    for user in mix_users(args.clients):
        fill(user, args.messages)
    fill(BIG_USER, args.big)
    for user in [WATCH_USER] + idle_users(args.idle):
        maildir(user)
    n = args.clients * args.messages + args.big
    print(f"filled the Maildirs: {n} files in {time.time() - t0:.1f} s", file=sys.stderr)
    return 0


# --- 1. the command mix ----------------------------------------------------------------------

def mix_client(k: int, user: str, args, barrier, results) -> None:
    lat: dict[str, list[float]] = {kind: [] for kind in MIX_KINDS}
    errors: list[str] = []
    commands = 0
    expected = None
    if args.warmup:
        expected = {hashlib.sha256(make_message(i, args.size)).digest() for i in range(1, args.messages + 1)}
    seen: set[int] = set()
    barrier.wait()
    for r in range(args.rounds):
        c = None
        try:
            c = Client(args.host, args.port, args.timeout)

            def timed(kind: str, command: str):
                nonlocal commands
                t = time.perf_counter()
                answer = c.command(command)
                lat[kind].append(time.perf_counter() - t)
                commands += 1
                return answer

            timed("LOGIN", f'LOGIN "{user}" "{args.password}"')
            for p in range(args.per_login):
                exists = exists_of(timed("SELECT", "SELECT INBOX"))
                if exists != args.messages:
                    errors.append(f"{user}: SELECT shows {exists} messages, not {args.messages}")
                answers = fetch_answers(timed("FETCH 1:*", "FETCH 1:* (UID FLAGS RFC822.SIZE)"))
                if len(answers) != exists:
                    errors.append(f"{user}: FETCH 1:* answered {len(answers)} messages, not {exists}")
                sizes = {int(m.group(1)) for t, _ in answers if (m := re.search(rb"RFC822\.SIZE (\d+)", t))}
                if sizes != {args.size}:
                    errors.append(f"{user}: RFC822.SIZE {sorted(sizes)[:5]}, not {args.size}")
                lo = ((r * args.per_login + p) * args.fetch) % exists + 1
                hi = min(lo + args.fetch - 1, exists)
                fetched = fetch_answers(timed("FETCH BODY[]", f"FETCH {lo}:{hi} BODY.PEEK[]"))
                bodies = [lits[0] for _, lits in fetched if lits]
                if len(bodies) != hi - lo + 1:
                    errors.append(f"{user}: FETCH {lo}:{hi} BODY.PEEK[] gave {len(bodies)} bodies")
                for b in bodies:
                    if len(b) != args.size:
                        errors.append(f"{user}: a body of {len(b)} bytes, not {args.size}")
                    elif expected is not None and hashlib.sha256(b).digest() not in expected:
                        errors.append(f"{user}: a body that is not one of the messages filled in")
                timed("STORE", f"STORE {lo}:{hi} +FLAGS (\\Seen)")
                seen.update(range(lo, hi + 1))
                hits = search_hits(timed("SEARCH UNSEEN", "SEARCH UNSEEN"))
                want = [n for n in range(1, exists + 1) if n not in seen]
                if sorted(hits) != want:
                    errors.append(f"{user}: SEARCH UNSEEN found {len(hits)} messages, not {len(want)}")
            timed("LOGOUT", "LOGOUT")
        except Exception as e:  # noqa: BLE001 - reported, not raised
            errors.append(f"{user} round {r + 1}: {e!r}")
        finally:
            if c is not None:
                c.close()
    results.put((k, lat, commands, errors, time.time()))


def reset_seen(args, users: list[str]) -> list[str]:
    errors: list[str] = []

    def one(user: str) -> None:
        try:
            c = Client(args.host, args.port, args.timeout)
            c.login(user, args.password)
            c.command("SELECT INBOX")
            c.command("STORE 1:* -FLAGS.SILENT (\\Seen)")
            c.command("LOGOUT")
            c.close()
        except Exception as e:  # noqa: BLE001
            errors.append(f"{user} (reset): {e!r}")

    with concurrent.futures.ThreadPoolExecutor(len(users)) as pool:
        list(pool.map(one, users))
    return errors


def mix(args) -> int:
    users = mix_users(args.clients)
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(users) + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=mix_client, args=(k, u, args, barrier, results)) for k, u in enumerate(users)]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)
    t0 = time.time()
    lat: dict[str, list[float]] = {kind: [] for kind in MIX_KINDS}
    errors: list[str] = []
    commands = 0
    t_end = t0
    for _ in procs:
        _, l, n, err, done = results.get(timeout=3600)
        for kind in MIX_KINDS:
            lat[kind] += l[kind]
        commands += n
        errors += err
        t_end = max(t_end, done)
    for p in procs:
        p.join()
    seconds = t_end - t0
    errors += reset_seen(args, users)
    # LOGIN and LOGOUT once a session, the five others once a round
    expected = len(users) * args.rounds * (2 + (len(MIX_KINDS) - 2) * args.per_login)
    result = {
        "label": args.label, "clients": len(users), "rounds": args.rounds, "per_login": args.per_login,
        "messages": args.messages,
        "size": args.size, "fetch": args.fetch, "commands": commands, "expected": expected,
        "errors": len(errors), "seconds": seconds,
        "cmds_per_s": commands / seconds if seconds > 0 else 0.0,
        "latency_ms": {kind: {"p50": ms(percentile(v, 50)), "p99": ms(percentile(v, 99)), "n": len(v)}
                       for kind, v in lat.items()},
    }
    what = "warm-up" if args.warmup else "run"
    per = "; ".join(f"{kind} {result['latency_ms'][kind]['p50']:.1f}/{result['latency_ms'][kind]['p99']:.1f}"
                    for kind in MIX_KINDS)
    print(f"{args.label} mix ({what}): {commands} of {expected} commands by {len(users)} clients × "
          f"{args.rounds} sessions × {args.per_login} rounds in {seconds:.2f} s = {result['cmds_per_s']:.0f} commands/s; "
          f"p50/p99 ms: {per}; errors {len(errors)}", flush=True)
    for e in sorted(set(errors))[:8]:
        print(f"  error: {e}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
    return 0 if not errors and commands == expected else 1


# --- 2. the large mailbox --------------------------------------------------------------------

def big(args) -> int:
    times: dict[str, float] = {}
    errors: list[str] = []
    c = None
    try:
        c = Client(args.host, args.port, args.timeout)
        c.login(BIG_USER, args.password)

        def timed(kind: str, command: str):
            t = time.perf_counter()
            answer = c.command(command)
            times[kind] = time.perf_counter() - t
            return answer

        exists = exists_of(timed("SELECT", "SELECT INBOX"))
        if exists != args.big:
            errors.append(f"SELECT shows {exists} messages, not {args.big}")
        n = len(fetch_answers(timed("UID FETCH 1:* (FLAGS)", "UID FETCH 1:* (FLAGS)")))
        if n != exists:
            errors.append(f"UID FETCH 1:* (FLAGS) answered {n} messages, not {exists}")
        hits = search_hits(timed("SEARCH HEADER SUBJECT", f"SEARCH HEADER SUBJECT {SUBJECT_WORD}"))
        if len(hits) != subject_hits(args.big):
            errors.append(f"SEARCH HEADER SUBJECT {SUBJECT_WORD} found {len(hits)}, not {subject_hits(args.big)}")
        hits = search_hits(timed("SEARCH BODY", f"SEARCH BODY {BODY_WORD}"))
        if len(hits) != body_hits(args.big):
            errors.append(f"SEARCH BODY {BODY_WORD} found {len(hits)}, not {body_hits(args.big)}")
        c.command("LOGOUT")
    except Exception as e:  # noqa: BLE001
        errors.append(repr(e))
    finally:
        if c is not None:
            c.close()
    result = {"label": args.label, "messages": args.big, "errors": len(errors),
              "seconds": {k: times.get(k, float("nan")) for k in BIG_KINDS}}
    what = "warm-up" if args.warmup else "run"
    print(f"{args.label} big mailbox ({what}, {args.big} messages): "
          + "; ".join(f"{k} {times.get(k, float('nan')) * 1000:.1f} ms" for k in BIG_KINDS)
          + f"; errors {len(errors)}", flush=True)
    for e in errors[:8]:
        print(f"  error: {e}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
    return 1 if errors else 0


# --- 3. memory of sessions in IDLE -----------------------------------------------------------

def children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def memory(groups: list[tuple[str, str, int]]) -> dict[str, dict]:
    """{name: {rss_kb, pss_kb, processes, by_command}} of each group: ('pid'|'tree', name, pid);
    by_command: {command name (/proc/PID/comm): [rss_kb, processes]}."""
    kids = children_map() if any(kind == "tree" for kind, _, _ in groups) else {}
    out: dict[str, dict] = {}
    for kind, name, root in groups:
        pids = [root]
        if kind == "tree":
            i = 0
            while i < len(pids):
                pids += kids.get(pids[i], [])
                i += 1
        g = out.setdefault(name, {"rss_kb": 0, "pss_kb": 0, "processes": 0, "by_command": {}})
        for pid in pids:
            try:
                rss = pss = 0
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            rss = int(line.split()[1])
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    for line in f:
                        if line.startswith("Pss:"):
                            pss = int(line.split()[1])
                with open(f"/proc/{pid}/comm") as f:
                    comm = f.read().strip()
            except (OSError, ValueError):
                continue  # gone in between
            g["rss_kb"] += rss
            g["pss_kb"] += pss
            g["processes"] += 1
            c = g["by_command"].setdefault(comm, [0, 0])
            c[0] += rss
            c[1] += 1
    return out


def total(mem: dict[str, dict], key: str) -> int:
    return sum(g[key] for g in mem.values())


def idle(args) -> int:
    groups = [("pid", *spec) for spec in args.pid] + [("tree", *spec) for spec in args.tree]
    users = idle_users(args.idle)
    errors: list[str] = []
    lock = threading.Lock()
    time.sleep(args.wait)
    before = memory(groups)

    def open_one(user: str):
        try:
            c = Client(args.host, args.port, args.timeout)
            c.login(user, args.password)
            c.command("SELECT INBOX")
            tag = c.idle()
            return c, tag
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(f"{user}: {e!r}")
            return None

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
        sessions = [s for s in pool.map(open_one, users) if s is not None]
    opened = time.time() - t0
    time.sleep(args.settle)
    after = memory(groups)

    def done(session) -> bool:
        c, tag = session
        try:
            c.sock.sendall(b"DONE\r\n")
            c.finish(tag, "IDLE")
            c.command("LOGOUT")
            return True
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(f"ending IDLE: {e!r}")
            return False
        finally:
            c.close()

    with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
        alive = sum(pool.map(done, sessions))
    time.sleep(2)
    closed = memory(groups)
    n = len(sessions)
    per = lambda key: (total(after, key) - total(before, key)) / n if n else float("nan")  # noqa: E731
    result = {
        "label": args.label, "sessions": args.idle, "opened": n, "alive": alive, "errors": len(errors),
        "open_seconds": opened, "wait": args.wait, "settle": args.settle,
        "before": before, "after": after, "closed": closed,
        "rss_per_conn_kb": per("rss_kb"), "pss_per_conn_kb": per("pss_kb"),
    }
    mib = lambda kb: kb / 1024  # noqa: E731
    parts = "; ".join(f"{name} {mib(before[name]['rss_kb']):.1f} → {mib(after[name]['rss_kb']):.1f} MiB "
                      f"({before[name]['processes']} → {after[name]['processes']} processes)" for name in before)
    print(f"{args.label} IDLE memory: {n} of {args.idle} sessions opened in {opened:.1f} s, {alive} alive "
          f"after {args.settle:.0f} s; RSS {parts}; per connection RSS {result['rss_per_conn_kb']:.1f} KiB, "
          f"PSS {result['pss_per_conn_kb']:.1f} KiB; after LOGOUT RSS {mib(total(closed, 'rss_kb')):.1f} MiB; "
          f"errors {len(errors)}", flush=True)
    for name in before:  # where it went, by command name (what changed by 1 MiB or more)
        b, a = before[name]["by_command"], after[name]["by_command"]
        moved = [f"{comm} {mib(b.get(comm, [0, 0])[0]):.1f} → {mib(a.get(comm, [0, 0])[0]):.1f} MiB "
                 f"({b.get(comm, [0, 0])[1]} → {a.get(comm, [0, 0])[1]})"
                 for comm in sorted(set(b) | set(a)) if abs(a.get(comm, [0, 0])[0] - b.get(comm, [0, 0])[0]) >= 1024]
        if moved and (len(b) > 1 or len(a) > 1):
            print(f"  {name} by process: " + "; ".join(moved), flush=True)
    for e in sorted(set(errors))[:8]:
        print(f"  error: {e}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
    return 0 if not errors and alive == args.idle else 1


# --- 4. delivery to EXISTS -------------------------------------------------------------------

def notify(args) -> int:
    errors: list[str] = []
    delays: list[float] = []
    events: queue.Queue = queue.Queue()
    c = Client(args.host, args.port, args.timeout)
    c.login(WATCH_USER, args.password)
    exists0 = exists_of(c.command("SELECT INBOX"))
    tag = c.idle()

    def reader() -> None:
        try:
            while True:
                text, _ = c.response()
                now = time.perf_counter()
                m = EXISTS.match(text)
                if m:
                    events.put(("exists", int(m.group(1)), now))
                elif text.startswith(tag + b" "):
                    events.put(("tagged", text, now))
                    return
        except Exception as e:  # noqa: BLE001
            events.put(("error", repr(e), time.perf_counter()))

    threading.Thread(target=reader, daemon=True).start()
    smtp = smtplib.SMTP(args.host, args.smtp_port, local_hostname="load.sender.test", timeout=args.timeout)
    smtp.ehlo()
    seen = exists0
    total_msgs = NOTIFY_WARMUP + args.count
    pauses = random.Random(1)
    for i in range(total_msgs):
        msg = make_message(i + 1, args.size).replace(b"<imap-bench.", f"<notify.{time.time_ns()}.".encode(), 1)
        try:
            smtp.sendmail(SENDER, [WATCH_USER], msg)
        except smtplib.SMTPException as e:
            errors.append(f"message {i + 1}: {e!r}")
            break
        t250 = time.perf_counter()
        target = exists0 + i + 1
        deadline = time.time() + args.timeout
        while seen < target:
            try:
                kind, value, when = events.get(timeout=max(0.0, deadline - time.time()))
            except queue.Empty:
                errors.append(f"message {i + 1}: no EXISTS {target} within {args.timeout:.0f} s")
                break
            if kind != "exists":
                errors.append(f"IDLE session: {value!r}")
                break
            seen = max(seen, value)
            if seen >= target and i >= NOTIFY_WARMUP:
                delays.append(when - t250)
        if errors:
            break
        time.sleep(pauses.uniform(*args.gap))
    try:
        c.sock.sendall(b"DONE\r\n")
        kind, value, _ = events.get(timeout=args.timeout)
        while kind == "exists":
            kind, value, _ = events.get(timeout=args.timeout)
        if kind != "tagged" or not value.startswith(tag + b" OK"):
            errors.append(f"DONE -> {value!r}")
        c.command("LOGOUT")
        smtp.quit()
    except Exception as e:  # noqa: BLE001
        errors.append(f"ending: {e!r}")
    c.close()
    result = {
        "label": args.label, "messages": args.count, "measured": len(delays), "errors": len(errors),
        "p50_ms": ms(percentile(delays, 50)), "p99_ms": ms(percentile(delays, 99)),
        "max_ms": ms(max(delays)) if delays else float("nan"),
        "mean_ms": ms(statistics.fmean(delays)) if delays else float("nan"),
        "negative": sum(1 for d in delays if d < 0),
    }
    print(f"{args.label} 250 → EXISTS: {len(delays)} of {args.count} messages; p50 {result['p50_ms']:.1f} ms, "
          f"p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.1f} ms, mean {result['mean_ms']:.1f} ms; "
          f"EXISTS before 250: {result['negative']}; errors {len(errors)}", flush=True)
    for e in errors[:8]:
        print(f"  error: {e}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)
    return 0 if not errors and len(delays) == args.count else 1


# --- the tables ------------------------------------------------------------------------------

def table(args) -> int:
    def load(stem: str, test: str):
        path = os.path.join(args.dir, f"{stem}-{test}.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)

    def ratio(ours: float, theirs: float, higher_is_better: bool) -> str:
        if not ours or not theirs or math.isnan(ours) or math.isnan(theirs):
            return "–"
        return f"**{(ours / theirs if higher_is_better else theirs / ours):.2f}**"

    def ratio_heads(results, higher_is_better: bool = False) -> tuple[str, str]:
        first = results[0]
        if higher_is_better:  # a rate: ours ÷ theirs
            heads = "".join(f" {first['label']} ÷ {r['label']} |" for r in results[1:])
        else:  # a time or a size: theirs ÷ ours
            heads = "".join(f" {r['label']} ÷ {first['label']} |" for r in results[1:])
        return heads, "---|" * (len(results) - 1)

    out = []
    for test in ("mix", "stay"):
        mixes = [r for s in args.systems if (r := load(s, test))]
        if not mixes:
            continue
        first = mixes[0]
        per_login = first.get("per_login", 1)
        heads, rules = ratio_heads(mixes, True)
        out.append(f"Command mix: {first['clients']} clients × {first['rounds']} sessions × {per_login} rounds per "
                   f"login, mailboxes of {first['messages']:,} × {first['size'] // 1024} KiB, BODY.PEEK[] of "
                   f"{first['fetch']} messages a round")
        out.append("")
        out.append(f"| load | {' | '.join(r['label'] + ' commands/s' for r in mixes)} |{heads}")
        out.append("|---|" + "---|" * len(mixes) + rules)
        line = f"| {first['clients'] * first['rounds']} sessions × {first['expected'] // (first['clients'] * first['rounds'])} " \
            "commands | " + " | ".join(f"{r['cmds_per_s']:,.0f}" for r in mixes) + " |"
        line += "".join(f" {ratio(first['cmds_per_s'], r['cmds_per_s'], True)} |" for r in mixes[1:])
        out.append(line)
        out.append("")
        out.append("| system | " + " | ".join(f"{k} p50 / p99" for k in MIX_KINDS) + " |")
        out.append("|---|" + "---|" * len(MIX_KINDS))
        for r in mixes:
            cells = [f"{r['latency_ms'][k]['p50']:.1f} / {r['latency_ms'][k]['p99']:.1f} ms" for k in MIX_KINDS]
            out.append(f"| {r['label']} | " + " | ".join(cells) + " |")
        out.append("")
    bigs = [r for s in args.systems if (r := load(s, "big"))]
    if bigs:
        first = bigs[0]
        heads, rules = ratio_heads(bigs)
        out.append(f"One mailbox of {first['messages']:,} messages, seconds (ratio above 1: {first['label']} is faster)")
        out.append("")
        out.append(f"| command | {' | '.join(r['label'] for r in bigs)} |{heads}")
        out.append("|---|" + "---|" * len(bigs) + rules)
        for k in BIG_KINDS:
            line = f"| {k} | " + " | ".join(f"{r['seconds'][k]:.3f}" for r in bigs) + " |"
            line += "".join(f" {ratio(first['seconds'][k], r['seconds'][k], False)} |" for r in bigs[1:])
            out.append(line)
        out.append("")
    idles = [r for s in args.systems if (r := load(s, "idle"))]
    if idles:
        first = idles[0]
        heads, rules = ratio_heads(idles)
        out.append(f"{first['sessions']:,} sessions in IDLE (ratio above 1: {first['label']} needs less)")
        out.append("")
        out.append("| system | RSS before | RSS with the sessions | per connection RSS | per connection PSS "
                   "| processes | measured |")
        out.append("|---|---|---|---|---|---|---|")
        for r in idles:
            out.append(f"| {r['label']} | {total(r['before'], 'rss_kb') / 1024:,.1f} MiB | "
                       f"{total(r['after'], 'rss_kb') / 1024:,.1f} MiB | {r['rss_per_conn_kb']:,.1f} KiB | "
                       f"{r['pss_per_conn_kb']:,.1f} KiB | {total(r['before'], 'processes')} → "
                       f"{total(r['after'], 'processes')} | {r['settle']:.0f} s after the last IDLE |")
        if len(idles) > 1:
            out.append("")
            out.append(f"| per connection |{heads}")
            out.append("|---|" + rules)
            out.append("| RSS |" + "".join(f" {ratio(first['rss_per_conn_kb'], r['rss_per_conn_kb'], False)} |"
                                            for r in idles[1:]))
        out.append("")
    notes = [r for s in args.systems if (r := load(s, "notify"))]
    if notes:
        first = notes[0]
        heads, rules = ratio_heads(notes)
        out.append(f"`250` after DATA → `* n EXISTS` in IDLE, {first['messages']} messages one at a time "
                   f"(ratio above 1: {first['label']} is faster)")
        out.append("")
        out.append("| system | p50 | p99 | max | mean |")
        out.append("|---|---|---|---|---|")
        for r in notes:
            out.append(f"| {r['label']} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['max_ms']:.1f} ms | "
                       f"{r['mean_ms']:.1f} ms |")
        if len(notes) > 1:
            out.append("")
            out.append(f"| delay |{heads}")
            out.append("|---|" + rules)
            out.append("| p50 |" + "".join(f" {ratio(first['p50_ms'], r['p50_ms'], False)} |" for r in notes[1:]))
    print("\n".join(out))
    return 0


# --- command line ----------------------------------------------------------------------------

def name_pid(text: str) -> tuple[str, int]:
    name, _, pid = text.partition("=")
    return name, int(pid)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def sizes(p, clients=True):
        if clients:
            p.add_argument("--clients", type=int, default=20, help="mix users, one client each")
        p.add_argument("--messages", type=int, default=1000, help="messages per mix mailbox")
        p.add_argument("--size", type=int, default=4096, help="bytes per message (with CRLF)")

    def server(p):
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--password", required=True)
        p.add_argument("--label", default="imap")
        p.add_argument("--json", help="write the result here")
        p.add_argument("--timeout", type=float, default=1800, help="seconds to wait for one answer")

    u = sub.add_parser("users", help="print the user addresses")
    u.add_argument("--clients", type=int, default=20)
    u.add_argument("--idle", type=int, default=1000)
    f = sub.add_parser("fill-store", help="create the users and deliver the messages through the store API")
    sizes(f)
    f.add_argument("--url", required=True)
    f.add_argument("--token", required=True)
    f.add_argument("--password", required=True)
    f.add_argument("--big", type=int, default=100000)
    f.add_argument("--idle", type=int, default=1000)
    f.add_argument("--threads", type=int, default=8, help="threads delivering into the big mailbox")
    m = sub.add_parser("fill-maildir", help="write the messages into Maildirs")
    sizes(m)
    m.add_argument("--home-root", required=True, help="DIR/<local part>/Maildir")
    m.add_argument("--big", type=int, default=100000)
    m.add_argument("--idle", type=int, default=1000)
    x = sub.add_parser("mix", help="the command mix of concurrent clients")
    sizes(x)
    server(x)
    x.add_argument("--rounds", type=int, default=10, help="sessions per client")
    x.add_argument("--fetch", type=int, default=20, help="whole messages fetched per round")
    x.add_argument("--per-login", type=int, default=1,
                   help="rounds of SELECT … SEARCH UNSEEN per session (a client that stays logged in)")
    x.add_argument("--warmup", action="store_true", help="also check every fetched message's bytes")
    b = sub.add_parser("big", help="SELECT, UID FETCH and SEARCH on the big mailbox")
    server(b)
    b.add_argument("--big", type=int, default=100000)
    b.add_argument("--warmup", action="store_true")
    n = sub.add_parser("notify", help="250 after DATA to EXISTS in IDLE")
    server(n)
    n.add_argument("--smtp-port", type=int, required=True)
    n.add_argument("--count", type=int, default=100)
    n.add_argument("--size", type=int, default=4096)
    n.add_argument("--gap", type=float, nargs=2, default=[0.6, 1.0], metavar=("MIN", "MAX"),
                   help="seconds between one EXISTS and the next message, drawn between MIN and MAX")
    i = sub.add_parser("idle", help="memory of sessions in IDLE")
    server(i)
    i.add_argument("--idle", type=int, default=1000)
    i.add_argument("--pid", type=name_pid, action="append", default=[], help="NAME=PID: that process")
    i.add_argument("--tree", type=name_pid, action="append", default=[], help="NAME=PID: it and its descendants")
    i.add_argument("--wait", type=float, default=0, help="seconds to wait before the first measure")
    i.add_argument("--settle", type=float, default=15, help="seconds between the last IDLE and the measure")
    i.add_argument("--concurrency", type=int, default=8, help="sessions being opened at once")
    t = sub.add_parser("table", help="markdown tables of the JSON results, Buzón first")
    t.add_argument("--dir", required=True)
    t.add_argument("systems", nargs="+", help="file stems: buzon dovecot-default dovecot-tuned")
    args = parser.parse_args()
    if args.command == "users":
        print("\n".join(all_users(args.clients, args.idle)))
        return 0
    return {"fill-store": fill_store, "fill-maildir": fill_maildir, "mix": mix, "big": big,
            "notify": notify, "idle": idle, "table": table}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
