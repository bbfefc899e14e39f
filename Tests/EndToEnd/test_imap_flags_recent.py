"""Keywords in FLAGS and PERMANENTFLAGS, IMAP4rev1's \\Recent, and SEARCHRES with COUNT or ALL
(issue 13, items 2–4), through clients nobody here wrote (imaplib, IMAPClient) on two
imap-gateways sharing one store.

- RFC 3501 §7.2.6, §6.3.1, §7.1; RFC 9051 §7.3.5: a keyword new to the mailbox is announced
  with `* FLAGS` and `* OK [PERMANENTFLAGS …]` to every session that has it selected, on either
  gateway, and listed at the next SELECT; beyond BUZON_IMAP_MAX_MAILBOX_KEYWORDS a new one is
  refused and `\\*` leaves PERMANENTFLAGS.
- RFC 3501 §2.3.2: a message is recent in exactly one session, the first to select the mailbox
  (or to be told of it while selected), whichever gateway it is on.
- RFC 5182 §2.4: SAVE with MIN and MAX alone saves those two; with COUNT or ALL beside them,
  the whole result."""

import imaplib
import threading

import imapclient
import pytest

from conftest import IMAPGateway
from imap_support import ALICE, PASSWORD, deliver, message, open_session, parse


def imaplib_session(port: int, select: str | None = "INBOX") -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", port, timeout=10)
    client.login(ALICE, PASSWORD)
    if select:
        client.select(select)
    return client


def untagged(client: imaplib.IMAP4, name: str) -> list[bytes]:
    """The untagged responses (or response codes) `name` imaplib collected, and forgets them."""
    return [d for d in client.untagged_responses.pop(name, []) if d is not None]


@pytest.fixture
def two_gateways(imap_system, tmp_path):
    """The system's imap-gateway and a second one on the same store, allowing three keywords
    per mailbox."""
    store, smtp, first = imap_system
    second = IMAPGateway(store, tmp_path / "second", env={"BUZON_IMAP_MAX_MAILBOX_KEYWORDS": "3"}).start()
    try:
        yield store, smtp, first, second
    finally:
        second.stop()


def test_a_new_keyword_is_announced_on_both_gateways_and_listed_at_select(two_gateways):
    store, smtp, first, second = two_gateways
    for n in range(2):
        deliver(smtp, message(f"Keyword {n}"))
    a = imaplib_session(first.port)
    b = imaplib_session(second.port)
    try:
        untagged(a, "FLAGS"), untagged(b, "FLAGS")
        typ, _ = a.store("1", "+FLAGS", "(userflag)")
        assert typ == "OK"
        flags = untagged(a, "FLAGS")
        assert flags and b"userflag" in flags[-1], flags
        permanent = untagged(a, "PERMANENTFLAGS")
        assert permanent and b"userflag" in permanent[-1] and b"\\*" in permanent[-1], permanent
        # The other gateway's session hears of it at its next command.
        b.noop()
        flags = untagged(b, "FLAGS")
        assert flags and b"userflag" in flags[-1], flags
        # A new SELECT lists it (IMAPClient parses FLAGS and PERMANENTFLAGS).
        with imapclient.IMAPClient("127.0.0.1", port=second.port, ssl=False, timeout=10) as c:
            c.login(ALICE, PASSWORD)
            selected = c.select_folder("INBOX")
            assert b"userflag" in selected[b"FLAGS"], selected
            assert b"userflag" in selected[b"PERMANENTFLAGS"] and b"\\*" in selected[b"PERMANENTFLAGS"], selected
            assert b"userflag" in c.get_flags([1])[1]

        # The second gateway allows three keywords: two more fill it, a fourth is refused.
        assert b.store("2", "+FLAGS", "(k2 k3)")[0] == "OK"
        permanent = untagged(b, "PERMANENTFLAGS")
        assert permanent and b"k3" in permanent[-1] and b"\\*" not in permanent[-1], permanent
        typ, data = b.store("1", "+FLAGS", "(k4)")
        assert typ == "NO" and b"[LIMIT]" in data[0], data
        assert b.store("1", "+FLAGS", "(k2)")[0] == "OK"
        typ, data = b.append("INBOX", "(k5)", None, message("Over the limit"))
        assert typ == "NO" and b"[LIMIT]" in data[0], data
    finally:
        a.logout()
        b.logout()


def recent_uids(client: imaplib.IMAP4) -> set[int]:
    typ, data = client.uid("SEARCH", "RECENT")
    assert typ == "OK", data
    return {int(n) for n in data[0].split()}


def test_recent_is_handed_to_exactly_one_session_across_two_gateways(two_gateways):
    store, smtp, first, second = two_gateways
    uids = [deliver(smtp, message(f"Recent {n}"))[0] for n in range(6)]
    with imapclient.IMAPClient("127.0.0.1", port=first.port, ssl=False, timeout=10) as c:
        c.login(ALICE, PASSWORD)
        assert c.folder_status("INBOX", ["RECENT"])[b"RECENT"] == 6

    # Eight sessions, four per gateway, SELECT at the same moment.
    ports = [first.port, second.port] * 4
    sessions = [imaplib_session(port, select=None) for port in ports]
    counts: list[int] = [0] * len(sessions)
    barrier = threading.Barrier(len(sessions))

    def select(i: int) -> None:
        barrier.wait()
        typ, _ = sessions[i].select("INBOX")
        assert typ == "OK"
        counts[i] = int(untagged(sessions[i], "RECENT")[-1])

    threads = [threading.Thread(target=select, args=(i,)) for i in range(len(sessions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    try:
        assert sum(counts) == 6, counts
        owned = [recent_uids(s) for s in sessions]
        assert [len(o) for o in owned] == counts
        assert sorted(uid for o in owned for uid in o) == sorted(uids), owned

        # One arrival while all are selected: recent in one session only.
        new_uid, _ = deliver(smtp, message("Arrived while selected"))
        for s in sessions:
            s.noop()
        holders = [s for s in sessions if new_uid in recent_uids(s)]
        assert len(holders) == 1
        typ, data = holders[0].uid("FETCH", str(new_uid), "(FLAGS)")
        assert b"\\Recent" in data[0], data
        others = [s for s in sessions if s is not holders[0]]
        typ, data = others[0].uid("FETCH", str(new_uid), "(FLAGS)")
        assert b"\\Recent" not in data[0], data
        # OLD is the complement of RECENT in each session.
        typ, data = holders[0].uid("SEARCH", "OLD")
        assert new_uid not in {int(n) for n in data[0].split()}

        # Nobody's left: a later SELECT sees none recent, STATUS counts none.
        with imapclient.IMAPClient("127.0.0.1", port=second.port, ssl=False, timeout=10) as c:
            c.login(ALICE, PASSWORD)
            assert c.folder_status("INBOX", ["RECENT"])[b"RECENT"] == 0
            assert c.select_folder("INBOX")[b"RECENT"] == 0
            assert c.search(["RECENT"]) == [] and len(c.search(["OLD"])) == 7
    finally:
        for s in sessions:
            s.logout()


def test_examine_and_imap4rev2_sessions_take_no_recent(imap_system):
    store, smtp, imap = imap_system
    uid, _ = deliver(smtp, message("Kept recent"))
    raw = open_session(imap.port, login=ALICE)
    try:
        raw.ok("ENABLE IMAP4rev2")
        selected = raw.ok("SELECT INBOX")
        assert not any(r.endswith(b" RECENT") for r in selected), selected
        fetched = raw.ok("UID FETCH 1:* (FLAGS)")
        assert not any(b"\\Recent" in r for r in fetched), fetched
    finally:
        raw.close()
    with imapclient.IMAPClient("127.0.0.1", port=imap.port, ssl=False, timeout=10) as c:
        c.login(ALICE, PASSWORD)
        assert c.select_folder("INBOX", readonly=True)[b"RECENT"] == 1  # EXAMINE sees it …
        assert c.select_folder("INBOX")[b"RECENT"] == 1  # … and leaves it to SELECT
        assert b"\\Recent" in c.get_flags([uid])[uid]
        # STORE can neither clear nor set it.
        c.remove_flags([uid], [b"\\Recent"])
        assert b"\\Recent" in c.get_flags([uid])[uid]


def test_searchres_save_with_count_saves_the_whole_result(imap_system):
    store, smtp, imap = imap_system
    for n in range(4):
        deliver(smtp, message(f"Saved {n}"))
    client = imaplib_session(imap.port)
    try:
        typ, _ = client._simple_command("SEARCH", "RETURN", "(MIN MAX COUNT SAVE)", "ALL")
        assert typ == "OK"
        esearch = untagged(client, "ESEARCH")
        assert esearch and b"MIN 1 MAX 4 COUNT 4" in esearch[-1], esearch
        typ, data = client.fetch("$", "(UID)")
        assert typ == "OK" and len([d for d in data if d]) == 4, data

        typ, _ = client._simple_command("SEARCH", "RETURN", "(MIN MAX SAVE)", "ALL")
        assert typ == "OK"
        typ, data = client.fetch("$", "(UID)")
        numbers = sorted(int(parse(d)[0]) for d in data if d)
        assert numbers == [1, 4], data

        typ, _ = client._simple_command("SEARCH", "RETURN", "(SAVE ALL MIN)", "ALL")
        assert typ == "OK"
        typ, data = client.fetch("$", "(UID)")
        assert len([d for d in data if d]) == 4, data
    finally:
        client.logout()
