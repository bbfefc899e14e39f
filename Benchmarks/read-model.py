#!/usr/bin/env python3
"""The store's read model on a 100,000-message mailbox (issue 12): SEARCH HEADER SUBJECT and
SEARCH BODY answered from the indexes and, for comparison, by scanning (the index entries
hidden, as for mail not indexed yet), and SORT and THREAD when the store serves them.

    BUZON_BIN=.build/release python3 Benchmarks/read-model.py [--big 100000] [--seed 1000] [--keep DIR]

A store is started on a fresh data directory with the background indexer off. The first
`--seed` messages (imap-load.py's, 4 KiB, 1 % subject and body hits) are delivered over the
API, so they are parsed and indexed as any delivery is; the rest of the mailbox is made by
copying those rows in SQL (contents, index entries, mailbox rows), which keeps imap-load.py's
hit pattern when `--seed` is a multiple of 100. The threaded corpus rewrites the message ids
in SQL, so their numbers (Schema v9-message-id-numbers) are dropped and made again by the store's
background numbering before the timings (a store started once with the indexer on). Times are
the store's HTTP answers (median of `--runs`), measured from this process.
"""

import argparse
import importlib.util
import os
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("imap_load", HERE / "imap-load.py")
imap_load = importlib.util.module_from_spec(spec)
spec.loader.exec_module(imap_load)

USER = "big@bench.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Store:
    def __init__(self, data: Path):
        self.data, self.port, self.token = data, free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, index_batch: int = 0):
        env = dict(os.environ, BUZON_DATA_DIR=str(self.data), BUZON_STORE_PORT=str(self.port),
                   BUZON_INTERNAL_TOKEN=self.token, BUZON_BCRYPT_COST="4", BUZON_STORE_INDEX_BATCH=str(index_batch),
                   BUZON_LOG_LEVEL="warning", BUZON_MAX_MESSAGE_SIZE="1000000")
        binary = Path(os.environ.get("BUZON_BIN", ".build/release")) / "mailbox-store"
        self.proc = subprocess.Popen([str(binary)], env=env)
        for _ in range(400):
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("the store did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def api(self, method, path, **kw):
        r = requests.request(method, self.url + path, headers={"Authorization": f"Bearer {self.token}"}, timeout=600, **kw)
        r.raise_for_status()
        return r


def fill(store: Store, seed: int, size: int) -> int:
    store.api("POST", "/v1/domains", json={"name": "bench.test"})
    store.api("POST", "/v1/users", json={"address": USER, "password": "secret"})
    session = requests.Session()
    for i in range(1, seed + 1):
        r = session.post(store.url + "/v1/deliveries", params={"recipient": USER}, data=imap_load.make_message(i, size),
                         headers={"Authorization": f"Bearer {store.token}", "Content-Type": "message/rfc822"})
        r.raise_for_status()
    inbox = next(m for m in store.api("GET", f"/v1/accounts/{USER}/mailboxes").json()["mailboxes"] if m["name"] == "INBOX")
    return inbox["id"]


def has_id_numbers(db) -> bool:
    """The store numbers message ids (Schema v9-message-id-numbers; older stores do not)."""
    return any(row[1] == "id_numbers" for row in db.execute("PRAGMA table_info(message_index)"))


def replicate(db_path: Path, mailbox: int, seed: int, big: int) -> None:
    """Copies the seed rows until the mailbox holds `big` messages: content ids and UIDs shifted
    by `seed` per copy, index entries and texts with them."""
    db = sqlite3.connect(db_path)
    numbers = ", id_numbers" if has_id_numbers(db) else ""
    base = db.execute("SELECT min(content_id) FROM mailbox_messages WHERE mailbox_id = ?", (mailbox,)).fetchone()[0]
    top = db.execute("SELECT max(id) FROM contents").fetchone()[0]
    columns = {row[1] for row in db.execute("PRAGMA table_info(mailbox_messages)")}
    kept = [c for c in ("save_date", "size", "needs_scan") if c in columns]
    for copy in range(1, big // seed):
        shift = top - base + 1 + (copy - 1) * seed
        db.execute("INSERT INTO contents (id, size, header_size, created_at, parse, raw) "
                   "SELECT id + ?, size, header_size, created_at, parse, raw FROM contents WHERE id BETWEEN ? AND ?",
                   (shift, base, base + seed - 1))
        db.execute("INSERT INTO message_index SELECT content_id + ?, subject, base_subject, subject_is_reply, sent_at, sent_day, "
                   "size, message_id, in_reply_to, refs, list_id, has_attachment, sort_from, sort_to, sort_cc, display_from, "
                   f"display_to, needs_characters{numbers} FROM message_index WHERE content_id BETWEEN ? AND ?",
                   (shift, base, base + seed - 1))
        db.execute("INSERT INTO message_text (rowid, from_text, to_text, cc_text, bcc_text, reply_to_text, sender_text, "
                   "subject_text, headers, body, mime) SELECT rowid + ?, from_text, to_text, cc_text, bcc_text, reply_to_text, "
                   "sender_text, subject_text, headers, body, mime FROM message_text WHERE rowid BETWEEN ? AND ?",
                   (shift, base, base + seed - 1))
        # The columns later schemas added (size, save date, the search scan mark) come along.
        extra = "".join(f", {c}" for c in kept)
        db.execute("INSERT INTO mailbox_messages (mailbox_id, uid, content_id, system_flags, keywords, modseq, internal_date"
                   f"{extra}) SELECT mailbox_id, uid + ?, content_id + ?, system_flags, keywords, modseq, internal_date + ?{extra} "
                   "FROM mailbox_messages WHERE mailbox_id = ? AND uid BETWEEN 1 AND ?",
                   (copy * seed, shift, copy * seed, mailbox, seed))
        db.commit()
    db.execute("UPDATE mailboxes SET uid_next = ? WHERE id = ?", (big + 1, mailbox))
    db.commit()
    db.close()


# Threads of ten by UID: u % 10 == 1 starts one; 2-4 reply each to the one before (depth 4);
# 5-6 reply to the start (siblings); 7-8 reply to a message nobody has (a missing parent, the
# chain before it known); 9 carries the whole chain in References; 0 has no references but the
# thread's subject with "Re:" (step 5 gathers it). Subjects repeat every 3,000 threads (a thread
# meets two or three others of its subject), 500 senders, dates a minute apart with an hour of
# jitter, every 50th without a Date (the internal date counts).
THREADED = """
WITH m AS (SELECT content_id, uid AS u, ((uid - 1) / 10) * 10 + 1 AS root, uid % 10 AS k
           FROM mailbox_messages WHERE mailbox_id = :mailbox)
UPDATE message_index SET
  message_id = 'bench.' || m.u || '@sender.test',
  in_reply_to = CASE WHEN m.k IN (2, 3, 4, 9) THEN 'bench.' || (m.u - 1) || '@sender.test'
                     WHEN m.k IN (5, 6) THEN 'bench.' || m.root || '@sender.test'
                     WHEN m.k IN (7, 8) THEN 'gone.' || m.u || '@sender.test' END,
  refs = CASE WHEN m.k IN (2, 3, 4) THEN 'bench.' || m.root || '@sender.test' ||
                   CASE WHEN m.k > 2 THEN ' bench.' || (m.u - 1) || '@sender.test' ELSE '' END
              WHEN m.k IN (5, 6) THEN 'bench.' || m.root || '@sender.test'
              WHEN m.k IN (7, 8) THEN 'bench.' || m.root || '@sender.test gone.' || m.u || '@sender.test'
              WHEN m.k = 9 THEN 'bench.' || m.root || '@sender.test bench.' || (m.root + 1) || '@sender.test bench.' ||
                   (m.root + 2) || '@sender.test bench.' || (m.u - 1) || '@sender.test' END,
  base_subject = 'BENCH TOPIC ' || (((m.u - 1) / 10) % 3000),
  subject_is_reply = (m.k != 1),
  sort_from = 'SENDER' || ((m.u * 7919) % 500),
  display_from = 'SENDER NUMBER ' || ((m.u * 7919) % 500),
  sent_at = CASE WHEN m.u % 50 = 0 THEN NULL ELSE 1780000000 + m.u * 60 + (m.u * 7919) % 3600 END
FROM m WHERE message_index.content_id = m.content_id
"""


def thread_corpus(db_path: Path, mailbox: int) -> None:
    """Gives every message of the mailbox its own Message-ID, threads of several depths with
    missing parents, repeated subjects, senders and dates (`THREADED`): the index columns SORT
    and THREAD read, and the thread ids kept at delivery to match."""
    db = sqlite3.connect(db_path)
    db.execute(THREADED, {"mailbox": mailbox})
    account = db.execute("SELECT account_id FROM mailboxes WHERE id = ?", (mailbox,)).fetchone()[0]
    db.execute("DELETE FROM content_threads WHERE account_id = ?", (account,))
    db.execute("DELETE FROM thread_ids WHERE account_id = ?", (account,))
    # A conversation per thread of ten, named by its first message's content (as delivery names it).
    db.execute("CREATE TEMP TABLE conv AS SELECT content_id, ((uid - 1) / 10) AS t FROM mailbox_messages WHERE mailbox_id = ?",
               (mailbox,))
    db.execute("CREATE TEMP TABLE firsts AS SELECT t, min(content_id) AS first FROM conv GROUP BY t")
    db.execute("INSERT INTO content_threads (account_id, content_id, thread_id) "
               "SELECT ?, conv.content_id, firsts.first FROM conv JOIN firsts USING (t)", (account,))
    db.execute("INSERT OR IGNORE INTO thread_ids (account_id, message_id, thread_id) "
               "SELECT ?, id, ct.thread_id FROM content_threads ct JOIN (SELECT content_id, message_id AS id FROM message_index "
               "UNION ALL SELECT content_id, in_reply_to FROM message_index) USING (content_id) "
               "WHERE ct.account_id = ? AND id IS NOT NULL", (account, account))
    if has_id_numbers(db):
        # The ids were rewritten in SQL: their numbers are made again by the store's background
        # numbering (`number_ids`), as for entries written before the numbering.
        db.execute("UPDATE message_index SET id_numbers = NULL")
        db.execute("DELETE FROM message_id_numbers")
    db.commit()
    db.close()


def number_ids(store: Store) -> None:
    """Lets the store's background indexer number the message ids of entries without numbers
    (Schema v9-message-id-numbers), then restarts it with the indexer off for the timings."""
    db = sqlite3.connect(store.data / "store.sqlite")
    if not has_id_numbers(db):
        db.close()
        return
    left = lambda: db.execute("SELECT count(*) FROM message_index WHERE id_numbers IS NULL").fetchone()[0]
    if left() == 0:
        db.close()
        return
    t0 = time.time()
    store.stop()
    store.start(index_batch=1000)
    while left() > 0:
        time.sleep(0.2)
    store.stop()
    db.close()
    print(f"numbered the message ids in {time.time() - t0:.1f} s", file=sys.stderr)
    store.start()


def timed(runs: int, call) -> tuple[float, object]:
    times, answer = [], None
    for _ in range(runs):
        t = time.perf_counter()
        answer = call()
        times.append(time.perf_counter() - t)
    return statistics.median(times), answer


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--big", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1000)
    p.add_argument("--size", type=int, default=4096)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--keep", help="data directory to keep (reused when it exists)")
    p.add_argument("--degenerate", dest="threads", action="store_false",
                   help="keep the copies' index rows as copied (the same 1,000 Message-IDs, subjects and dates "
                        "100 times over) instead of the threaded corpus")
    args = p.parse_args()
    data = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="read-model-"))
    fresh = not (data / "store.sqlite").exists()
    store = Store(data).start()
    try:
        t0 = time.time()
        if fresh:
            mailbox = fill(store, args.seed, args.size)
            store.stop()
            replicate(data / "store.sqlite", mailbox, args.seed, args.big)
            if args.threads:
                thread_corpus(data / "store.sqlite", mailbox)
            store.start()
            print(f"filled {args.big} messages in {time.time() - t0:.0f} s", file=sys.stderr)
        number_ids(store)
        mailbox = next(m for m in store.api("GET", f"/v1/accounts/{USER}/mailboxes").json()["mailboxes"]
                       if m["name"] == "INBOX")["id"]
        base = f"/v1/accounts/{USER}/mailboxes/{mailbox}"
        subject = {"query": {"header": {"name": "SUBJECT", "value": imap_load.SUBJECT_WORD}}}
        body = {"query": {"body": {"text": imap_load.BODY_WORD}}}
        results = {}

        def search(name, request, expected):
            seconds, answer = timed(args.runs, lambda: store.api("POST", base + "/search", json=request).json())
            assert len(answer["uids"]) == expected, (name, len(answer["uids"]), expected)
            results[name] = seconds

        search("SEARCH HEADER SUBJECT (indexed)", subject, imap_load.subject_hits(args.big))
        search("SEARCH BODY (indexed)", body, imap_load.body_hits(args.big))
        for name, request in [("SORT (DATE FROM SUBJECT)", {"query": {"all": {}}, "criteria": [
                {"criterion": "date", "reverse": False}, {"criterion": "from", "reverse": False},
                {"criterion": "subject", "reverse": False}]}),
                ("SORT REVERSE DATE, a page of 50", {"query": {"all": {}}, "offset": 0, "limit": 50,
                                                     "criteria": [{"criterion": "date", "reverse": True}]}),
                ("THREAD=REFERENCES", {"algorithm": "references", "query": {"all": {}}}),
                ("THREAD=ORDEREDSUBJECT", {"algorithm": "orderedsubject", "query": {"all": {}}})]:
            path = "/sort" if "criteria" in request else "/thread"
            try:
                # The store's answer, up to its last byte; the JSON is parsed once after, as a check
                # (Python's json takes ~100 ms more for THREAD's 2.8 MB of nested objects).
                results[name], answer = timed(args.runs, lambda: store.api("POST", base + path, json=request))
                parsed = answer.json()
                assert parsed.get("uids") is not None or parsed.get("threads") is not None, name
            except requests.HTTPError as e:
                print(f"{name}: {e}", file=sys.stderr)
        # Not indexed: the entries hidden, every message scanned.
        db = sqlite3.connect(data / "store.sqlite")
        db.execute("ALTER TABLE message_index RENAME TO message_index_hidden")
        db.execute("CREATE TABLE message_index AS SELECT * FROM message_index_hidden WHERE 0")
        db.commit()
        try:
            search("SEARCH HEADER SUBJECT (scanned)", subject, imap_load.subject_hits(args.big))
            search("SEARCH BODY (scanned)", body, imap_load.body_hits(args.big))
        finally:
            db.execute("DROP TABLE message_index")
            db.execute("ALTER TABLE message_index_hidden RENAME TO message_index")
            db.commit()
            db.close()
        for name, seconds in results.items():
            print(f"{name}: {seconds * 1000:.1f} ms")
    finally:
        store.stop()
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
