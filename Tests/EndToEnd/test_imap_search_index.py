"""SEARCH answers the same for mail the store has indexed (the read model written at delivery,
issue 12) and for mail not indexed yet (stored before the read model existed: the index emptied
here), and again once the background indexer has caught up after a restart; imaplib, a client
we did not write, asks. Also issue 13 item 8: SEARCH FROM finds an address written with
comments the way FETCH ENVELOPE reads it.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_imap_search_index.py
"""

import imaplib
import sqlite3
import time

from conftest import IMAPGateway, Store
from support import ALICE, PASSWORD

MESSAGES = [
    ("Ana Pérez <ana@example.org>", "=?utf-8?q?Caf=C3=A9?= menu", "text/plain; charset=utf-8", "8bit",
     "Lunch at noon, the quick brown fox.\r\n".encode()),
    ("<user-from (comment)@ (comment) domain.org>", "comments in the address", "text/plain", "7bit",
     b"Nothing special.\r\n"),
    ("=?utf-8?q?Jos=C3=A9?= <jose@example.com>", "Budget Q3", "text/plain; charset=ISO-8859-1",
     "quoted-printable", b"Cr=E8me br=FBl=E9e for the budget.\r\n"),
    ("Chef <chef@kitchen.test>", "Re: menu", "text/html; charset=utf-8", "7bit",
     b"<p>Totals are <b>green</b> &amp; fine</p>\r\n"),
    ("bob@example.net (Bob Smith)", "=?utf-8?b?zqPOn86mzp/Oow==?=", "text/plain; charset=utf-8", "base64",
     b"VW4gY2FmZcyBIG5vaXIu\r\n"),
]

# Criteria; a non-ASCII string goes last, as a literal (imaplib's `literal`).
SEARCHES = [
    "ALL", "FROM ana", "FROM user-from@domain.org", "FROM \"bob smith\"", "FROM jos", "SUBJECT menu", "SUBJECT caf",
    "SUBJECT CAFÉ", "SUBJECT σοφος", "BODY brown", "BODY crème", "BODY \"totals are green\"", "BODY \"<b>\"",
    "BODY ab", "BODY café", "TEXT budget", "TEXT \"subject: re\"", "NOT BODY lunch", "OR FROM chef BODY fox",
    "HEADER Message-ID example", "HEADER X-Missing \"\"", "LARGER 200", "SENTON 6-May-2024", "SEEN", "UNSEEN SUBJECT e",
]


def raw_message(index: int, sender: str, subject: str, content_type: str, encoding: str, body: bytes) -> bytes:
    header = (f"From: {sender}\r\nTo: {ALICE}\r\nSubject: {subject}\r\nMessage-ID: <m{index}@example.test>\r\n"
              f"Date: Mon, 6 May 2024 10:00:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: {content_type}\r\n"
              f"Content-Transfer-Encoding: {encoding}\r\n\r\n")
    return header.encode() + body


def searches(gateway: IMAPGateway) -> dict[str, bytes]:
    client = imaplib.IMAP4("127.0.0.1", gateway.port)
    try:
        client.login(ALICE, PASSWORD)
        client.select("INBOX")
        client.store("1,3", "+FLAGS", "(\\Seen)")
        answers = {}
        for criteria in SEARCHES:
            if criteria.isascii():
                typ, data = client.uid("SEARCH", "CHARSET", "UTF-8", criteria)
            else:
                key, value = criteria.rsplit(" ", 1)
                client.literal = value.encode()
                typ, data = client.uid("SEARCH", "CHARSET", "UTF-8", key)
            assert typ == "OK", (criteria, data)
            answers[criteria] = data[0]
        typ, data = client.fetch("2", "(ENVELOPE)")
        answers["ENVELOPE"] = b"".join(part if isinstance(part, bytes) else b"".join(part) for part in data)
        return answers
    finally:
        client.logout()


def empty_index(store: Store) -> None:
    with sqlite3.connect(store.data_dir / "store.sqlite") as db:
        db.execute("DELETE FROM message_index")
        db.execute("DELETE FROM message_text")


def unindexed(store: Store) -> int:
    with sqlite3.connect(store.data_dir / "store.sqlite") as db:
        return db.execute("SELECT count(*) FROM contents c WHERE NOT EXISTS "
                          "(SELECT 1 FROM message_index mi WHERE mi.content_id = c.id)").fetchone()[0]


def test_search_is_the_same_indexed_and_not(tmp_path):
    store = Store(tmp_path / "data", env={"BUZON_STORE_INDEX_BATCH": "0"}).start()
    gateway = None
    try:
        store.add_user(ALICE)
        for index, spec in enumerate(MESSAGES):
            assert store.deliver(raw_message(index, *spec), [ALICE]).status_code == 200
        gateway = IMAPGateway(store, tmp_path).start()
        indexed = searches(gateway)
        # The answers mean something: the fixes and the index's paths are all exercised.
        assert indexed["FROM user-from@domain.org"] == b"2"  # as ENVELOPE reads it (issue 13 item 8)
        assert b'"user-from" "domain.org"' in indexed["ENVELOPE"]
        assert indexed["BODY \"totals are green\""] == b"4" and indexed["BODY \"<b>\""] == b"4"
        assert indexed["BODY café"] == b"5" and indexed["SUBJECT σοφος"] == b"5"
        assert indexed["BODY crème"] == b"3" and indexed["FROM \"bob smith\""] == b"5"

        empty_index(store)
        assert unindexed(store) == len(MESSAGES)
        assert searches(gateway) == indexed  # scanned: not indexed yet

        # Restarted with the background indexer on: it catches up, the answers stay.
        gateway.stop()
        store.stop()
        store.extra_env["BUZON_STORE_INDEX_BATCH"] = "2"
        store.start()
        deadline = time.monotonic() + 10
        while unindexed(store) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert unindexed(store) == 0
        gateway = IMAPGateway(store, tmp_path).start()
        assert searches(gateway) == indexed
    finally:
        if gateway:
            gateway.stop()
        store.stop()
