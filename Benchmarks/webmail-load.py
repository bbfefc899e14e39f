#!/usr/bin/env python3
"""The webmail under load: the first page of a big folder and the opening of a 1 MiB message,
p50/p99 with 20 users at once, and the bytes and requests a browser spends to reach a usable
inbox (cold cache and warm).

    webmail-load.py --bin .build/release [--messages 100000] [--users 20] [--rounds 20]

Starts a mailbox-store and a webmail from `--bin` (data in a temporary directory), fills one
INBOX with `--messages` messages of 4 KiB (`imap-load.py fill-store`, 8 threads) and one of
1 MiB, then runs `--users` processes, each logged in as that account with its own session:
each round fetches the INBOX's first page (`GET /mail/{inbox}`, the newest 50, sorted by the
store) and then opens the 1 MiB message (`GET /mail/{inbox}/{uid}`); every answer is checked
(status, 50 rows, the message's subject). Reported: requests per second and p50/p99 of each.
The page weights are read with `requests` as a browser would load them: HTML, style sheet,
script (the stream of `/events` is left out: it is a long poll, not page weight).
"""
import argparse
import gzip
import importlib.util
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from local_servers import LocalServers  # noqa: E402

TOKEN = "w" * 32


def load_module():
    spec = importlib.util.spec_from_file_location("load", os.path.join(HERE, "imap-load.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def login(url: str, user: str, password: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(url + "/login", timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    r = browser.post(url + "/login", data={"username": user, "password": password, "csrf": token}, allow_redirects=False, timeout=30)
    assert r.status_code == 303, r.status_code
    return browser


def user_process(url, user, password, inbox, big_uid, rounds, barrier, results):
    browser = login(url, user, password)
    page_times, open_times, errors = [], [], []
    barrier.wait()
    for _ in range(rounds):
        t = time.perf_counter()
        r = browser.get(f"{url}/mail/{inbox}", timeout=60)
        page_times.append(time.perf_counter() - t)
        if r.status_code != 200 or r.text.count('<td class="select">') != 50:
            errors.append(f"first page: {r.status_code}")
        t = time.perf_counter()
        r = browser.get(f"{url}/mail/{inbox}/{big_uid}?seen=keep", timeout=60)
        open_times.append(time.perf_counter() - t)
        if r.status_code != 200 or "One mebibyte" not in r.text:
            errors.append(f"open: {r.status_code}")
    results.put((page_times, open_times, errors))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def weights(url: str, user: str, password: str, inbox: int) -> dict:
    """Requests and bytes to a usable inbox: the bodies as sent (the webmail does not compress)
    and gzipped (what the published weights of other webmails count)."""
    counted = {"cold": [], "warm": []}
    browser = requests.Session()
    for path in ("/login", "/static/app.css", "/static/app.js"):
        counted["cold"].append(browser.get(url + path, timeout=30).content)
    token = re.search(r'name="csrf" value="([^"]+)"', counted["cold"][0].decode()).group(1)
    r = browser.post(url + "/login", data={"username": user, "password": password, "csrf": token}, allow_redirects=False, timeout=30)
    counted["cold"].append(r.content)
    for path in ("/mail", f"/mail/{inbox}"):
        counted["cold"].append(browser.get(url + path, allow_redirects=False, timeout=30).content)
    # Warm: style sheet and script are cached (max-age a day); a logged-in user opens /mail.
    for path in ("/mail", f"/mail/{inbox}"):
        counted["warm"].append(browser.get(url + path, allow_redirects=False, timeout=30).content)
    out = {}
    for kind, bodies in counted.items():
        out[f"{kind}_requests"] = len(bodies)
        out[f"{kind}_bytes"] = sum(len(b) for b in bodies)
        out[f"{kind}_gzip"] = sum(len(gzip.compress(b)) for b in bodies)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    load = load_module()
    with LocalServers(args.bin, TOKEN, store_env={"BUZON_BCRYPT_COST": "10"}, front="webmail") as servers:
        subprocess.run([sys.executable, os.path.join(HERE, "imap-load.py"), "fill-store", "--url", servers.store_url,
                        "--token", TOKEN, "--password", "bench", "--clients", "1", "--messages", "0", "--size", "4096",
                        "--big", str(args.messages), "--idle", "0", "--threads", "8"], check=True)
        user = load.BIG_USER
        headers = {"Authorization": f"Bearer {TOKEN}"}
        boxes = requests.get(f"{servers.store_url}/v1/accounts/{user}/mailboxes", headers=headers, timeout=30).json()
        inbox = next(b["id"] for b in boxes["mailboxes"] if b["name"] == "INBOX")
        line = "One mebibyte of text, line after line, to open in the browser." + " " * 13 + "\r\n"
        body = line * (1024 * 1024 // len(line))
        raw = (f"From: Big Sender <big@remote.test>\r\nTo: {user}\r\nSubject: One mebibyte\r\n"
               f"Date: Mon, 6 May 2024 10:00:00 +0200\r\nMessage-ID: <mebibyte@remote.test>\r\n\r\n{body}").encode()
        r = requests.post(f"{servers.store_url}/v1/deliveries", params={"recipient": user}, data=raw,
                          headers=dict(headers, **{"Content-Type": "message/rfc822"}), timeout=60)
        assert r.status_code == 200, r.text
        listed = requests.get(f"{servers.store_url}/v1/accounts/{user}/mailboxes/{inbox}/messages",
                              params={"after": args.messages}, headers=headers, timeout=60).json()["messages"]
        big_uid = listed[-1]["uid"]

        page_weights = weights(servers.webmail_url, user, "bench", inbox)
        barrier = multiprocessing.Barrier(args.users + 1)
        results = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=user_process, args=(servers.webmail_url, user, "bench", inbox, big_uid,
                                                                      args.rounds, barrier, results)) for _ in range(args.users)]
        for w in workers:
            w.start()
        barrier.wait()
        started = time.perf_counter()
        pages, opens, errors = [], [], []
        for _ in workers:
            p, o, e = results.get()
            pages, opens, errors = pages + p, opens + o, errors + e
        seconds = time.perf_counter() - started
        for w in workers:
            w.join()
        ms = lambda v: round(v * 1000, 1)  # noqa: E731
        print(f"{args.users} users × {args.rounds} rounds on {args.messages} messages: "
              f"{(len(pages) + len(opens)) / seconds:.0f} requests/s")
        print(f"first page of the INBOX: p50 {ms(statistics.median(pages))} ms, p99 {ms(percentile(pages, 99))} ms")
        print(f"open the 1 MiB message:  p50 {ms(statistics.median(opens))} ms, p99 {ms(percentile(opens, 99))} ms")
        for kind in ("cold", "warm"):
            print(f"to a usable inbox, {kind} cache: {page_weights[kind + '_requests']} requests, "
                  f"{page_weights[kind + '_bytes']} B as sent, {page_weights[kind + '_gzip']} B gzipped")
        if errors:
            print(f"{len(errors)} errors, e.g. {errors[:3]}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
