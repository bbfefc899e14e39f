#!/usr/bin/env python3
"""CPU per IMAP command, in the store and in the IMAP gateway, one command kind at a time.

    command-cost.py --bin .build/release [--count 400] [--only "FETCH 1:*"]

Starts a mailbox-store (data in a temporary directory) and an imap-gateway from `--bin`, fills
one mailbox with 1,000 messages of 4 KiB (`imap-load.py fill-store`), logs in, selects it, and
sends each command of the benchmark's mix `--count` times in a row from one client. For each
kind it prints the wall time per command and the CPU time per command of each process (user +
system, from /proc/PID/stat, whose ticks are 10 ms: with 400 commands a figure is good to
~25 µs). One client and no concurrency: what a command costs, not how the servers behave
under load (`make bench-imap` measures that). NOOP is the floor: one feed read of the store.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from local_servers import LocalServers  # noqa: E402

TOKEN = "t" * 32
KINDS = [
    ("NOOP", "NOOP"),
    ("SELECT", "SELECT INBOX"),
    ("FETCH 1:*", "FETCH 1:* (UID FLAGS RFC822.SIZE)"),
    ("FETCH BODY[]", "FETCH {lo}:{hi} BODY.PEEK[]"),
    ("STORE", "STORE {lo}:{hi} +FLAGS (\\Seen)"),
    ("SEARCH UNSEEN", "SEARCH UNSEEN"),
    ("STORE -", "STORE {lo}:{hi} -FLAGS (\\Seen)"),
]


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the directory with mailbox-store and imap-gateway")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--only", help="one command kind (NOOP, SELECT, FETCH 1:*, …)")
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("load", os.path.join(HERE, "imap-load.py"))
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)

    with LocalServers(args.bin, TOKEN) as servers:
        store, gateway = servers.store, servers.gateway
        subprocess.run([sys.executable, os.path.join(HERE, "imap-load.py"), "fill-store", "--url", servers.store_url,
                        "--token", TOKEN, "--password", "bench", "--clients", "1", "--messages", "1000", "--size", "4096",
                        "--big", "0", "--idle", "0"], check=True)
        client = load.Client("127.0.0.1", servers.imap_port, 30)
        client.command(f'LOGIN "{load.mix_users(1)[0]}" "bench"')
        client.command("SELECT INBOX")
        for name, command in KINDS:
            if args.only and name != args.only:
                continue
            store0, gateway0, wall0 = cpu_seconds(store.pid), cpu_seconds(gateway.pid), time.perf_counter()
            for i in range(args.count):
                low = (i * 20) % 1000 + 1
                client.command(command.format(lo=low, hi=low + 19))
            store1, gateway1, wall1 = cpu_seconds(store.pid), cpu_seconds(gateway.pid), time.perf_counter()
            per = 1e6 / args.count
            print(f"{name:14s} wall {per * (wall1 - wall0):7.0f} µs   CPU: store {per * (store1 - store0):6.0f} µs, "
                  f"gateway {per * (gateway1 - gateway0):6.0f} µs", flush=True)
        client.command("LOGOUT")
    return 0


if __name__ == "__main__":
    sys.exit(main())
