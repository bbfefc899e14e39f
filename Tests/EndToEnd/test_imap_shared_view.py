"""The imap-gateway's shared view of an open mailbox (issue 12, item 4): one view per open
mailbox for all of a gateway's sessions, loaded once; a SELECT of a mailbox another session of
the gateway has open reads the change feed, never the full listing (checked on the store's
request counter, `hb_requests` by route, on its /metrics). And a big mailbox (15,000
messages in `make test`, 50,000 in `make stress`; BUZON_TEST_BIG_MAILBOX sets the count) stays consistent for two sessions on two
gateways while a POP3 client deletes messages and the sessions change flags, copy, move and
expunge (the checks of test_imap_concurrency)."""

import os
import poplib
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from conftest import IMAPGateway, POP3Gateway
from imap_support import ALICE, PASSWORD, deliver, listing, mailboxes, message, open_session
from test_imap_concurrency import TrackedSession, fetch_all, store_view

# 50,000 takes ~75 s in a debug build on 2 cores: `make stress` runs that; `make test` 15,000.
BIG = int(os.environ.get("BUZON_TEST_BIG_MAILBOX", "15000"))
def listing_requests(store) -> int:
    """How many message listings (`GET …/mailboxes/{id}/messages`) the store has answered."""
    text = requests.get(f"{store.url}/metrics", timeout=10).text
    return sum(int(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("hb_requests{") and 'http_request_method="GET"' in line
               and re.search(r'http_route="[^"]*/mailboxes/\{id\}/messages"', line))


def listings_after(store, at_least: int) -> int:
    """The listing count once it reached `at_least` (the store counts a request after writing
    its answer, so a moment may pass), or what it is after two seconds."""
    deadline = time.monotonic() + 2
    while (n := listing_requests(store)) < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
    return n


def fill(port: int, count: int) -> None:
    """INBOX grows to `count` messages by copying it into itself (one store transaction a
    step): a 50,000-message mailbox in 16 commands instead of 50,000 deliveries."""
    with open_session(port, login=ALICE, timeout=120) as s:
        have = next(int(r.split()[1]) for r in s.ok("SELECT INBOX") if r.endswith(b" EXISTS"))
        while have < count:
            step = min(have, count - have)
            s.ok(f"COPY 1:{step} INBOX")
            have += step
            s.ok("NOOP")


def ranges(numbers: list[int]) -> str:
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}:{n}")
            start = None
    return ",".join(out)


class BigTrackedSession(TrackedSession):
    """TrackedSession for a big mailbox: asks for unknown messages by ranges, not one by one."""

    def learn_uids(self) -> None:
        unknown = [i + 1 for i, u in enumerate(self.uids) if u is None]
        if unknown:
            self.command(f"FETCH {ranges(unknown)} (UID FLAGS)")


def test_a_select_of_a_mailbox_open_on_the_gateway_reads_no_listing(imap_system):
    store, smtp, imap = imap_system
    for n in range(5):
        deliver(smtp, message(f"Shared {n}"))
    with open_session(imap.port, login=ALICE) as first, open_session(imap.port, login=ALICE) as second:
        before = listing_requests(store)
        first.ok("SELECT INBOX")
        loaded = listings_after(store, before + 1)
        assert loaded > before, "the first SELECT lists the mailbox"
        deliver(smtp, message("While open"))  # (it waits for the message by listing the mailbox)
        loaded = listings_after(store, loaded)
        untagged = second.ok("SELECT INBOX")
        assert b"* 6 EXISTS" in untagged, untagged
        second.ok("EXAMINE INBOX")  # again, in the same session
        assert listing_requests(store) == loaded, "a SELECT of an open mailbox read the whole listing"
        # Both sessions see the same mailbox as the store, and each other's changes.
        second.ok("SELECT INBOX")
        second.ok("STORE 2 +FLAGS (\\Flagged)")
        assert any(b"\\Flagged" in r for r in first.ok("NOOP") if b" FETCH " in r)
        assert [uid for _, uid, _, _ in fetch_all(first)] == [uid for uid, _, _ in store_view(store, "INBOX")]
    # The last session gone, the view is kept (BUZON_IMAP_VIEW_KEEP_SECONDS): a client that
    # reconnects lists nothing, and still sees what changed meanwhile.
    deliver(smtp, message("While nobody had it open"))
    loaded = listings_after(store, loaded + 1)  # (deliver lists the mailbox to wait for it)
    with open_session(imap.port, login=ALICE) as third:
        assert b"* 7 EXISTS" in third.ok("SELECT INBOX")
        assert listings_after(store, loaded + 1) == loaded, "a reconnecting client's SELECT listed the mailbox"
        assert [uid for _, uid, _, _ in fetch_all(third)] == [uid for uid, _, _ in store_view(store, "INBOX")]


def test_a_view_nobody_holds_is_let_go_after_its_time(imap_system, tmp_path):
    """BUZON_IMAP_VIEW_KEEP_SECONDS=0: the view goes with the last session, the next SELECT lists."""
    store, smtp, _ = imap_system
    imap = IMAPGateway(store, tmp_path / "nokeep", env={"BUZON_IMAP_VIEW_KEEP_SECONDS": "0"}).start()
    try:
        deliver(smtp, message("Kept or not"))
        with open_session(imap.port, login=ALICE) as first:
            first.ok("SELECT INBOX")
        loaded = listings_after(store, listing_requests(store))
        with open_session(imap.port, login=ALICE) as second:
            second.ok("SELECT INBOX")
            assert listings_after(store, loaded + 1) > loaded
    finally:
        imap.stop()


def test_two_gateways_and_pop3_deletions_on_a_big_mailbox_stay_consistent(imap_system, tmp_path):
    store, smtp, first = imap_system
    deliver(smtp, message("The first"))
    fill(first.port, BIG)
    assert mailboxes(store)["INBOX"]["messages"] == BIG
    second = IMAPGateway(store, tmp_path / "second").start()
    pop3 = POP3Gateway(store, tmp_path / "pop3").start()
    gateways = [first, second]
    sessions: list[BigTrackedSession] = []
    try:
        with open_session(first.port, login=ALICE) as setup:
            setup.ok("CREATE Archive")
        sessions = [BigTrackedSession(gateways[i].port, "INBOX", f"s{i}-gw{i}") for i in range(2)]
        assert all(len(s.uids) == BIG for s in sessions)
        errors: list[BaseException] = []

        def pop3_deletes() -> None:
            client = poplib.POP3("127.0.0.1", pop3.port, timeout=60)
            client.user(ALICE)
            client.pass_(PASSWORD)
            for n in (1, 2, BIG // 2, BIG - 1, BIG):
                client.dele(n)
            client.quit()

        def run(i: int) -> None:
            try:
                sessions[i].storm(seed=2000 + i) if i < 2 else pop3_deletes()
            except BaseException as error:  # reported below
                errors.append(error)
                raise

        barrier = threading.Barrier(3)
        with ThreadPoolExecutor(3) as pool:
            futures = [pool.submit(lambda i=i: (barrier.wait(), run(i))) for i in range(3)]
            for future in futures:
                future.exception(timeout=300)
        assert not errors, errors

        for s in sessions:
            s.settle(store, timeout=20)
        violations = [v for s in sessions for v in s.violations]
        assert violations == [], violations[:20]
        expected = store_view(store, "INBOX")
        for s in sessions:
            assert s.uids == [uid for uid, _, _ in expected], f"{s.name}: the sequence→UID map differs"
            fetched = fetch_all(s.session)
            assert [(uid, flags, modseq) for _, uid, flags, modseq in fetched] == expected, s.name
            assert s.flags == [flags for _, flags, _ in expected], s.name
        for gateway in gateways:
            with open_session(gateway.port, login=ALICE) as fresh:
                fresh.ok("ENABLE CONDSTORE")
                info = mailboxes(store)["INBOX"]
                before = listing_requests(store)
                untagged = fresh.ok("SELECT INBOX")
                assert listing_requests(store) == before, "a SELECT of an open mailbox read the whole listing"
                assert f"* {info['messages']} EXISTS".encode() in untagged
                assert any(f"[HIGHESTMODSEQ {info['highestModSeq']}]".encode() in r for r in untagged), untagged[-4:]
                fetched = fetch_all(fresh)
                assert [(uid, flags, modseq) for _, uid, flags, modseq in fetched] == expected
    finally:
        for s in sessions:
            s.session.close()
        pop3.stop()
        second.stop()


def test_fetch_of_flags_sizes_and_dates_is_answered_from_the_view(imap_system):
    """`FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)`, what a client asks on every open, is
    answered from the gateway's view without listing the mailbox again, and says what the store
    holds: another session's flag change, and a message delivered since SELECT (whose size the
    change feed does not carry, so the store is asked for that one)."""
    import imapclient
    store, smtp, imap = imap_system
    for n in range(8):
        deliver(smtp, message(f"From the view {n}", body="x" * (100 * n) + "\r\n"))

    def expected() -> dict[int, tuple[int, frozenset, int]]:
        return {m["uid"]: (m["size"], frozenset(m["flags"]), int(m["internalDate"])) for m in listing(store)}

    def fetched(client) -> dict[int, tuple[int, frozenset, int]]:
        # imapclient asks `UID FETCH <every UID> (…)`, the UIDs from a SEARCH.
        answer = client.fetch(client.search("ALL"), ["UID", "FLAGS", "RFC822.SIZE", "INTERNALDATE"])
        # \Recent is this session's, not the store's (RFC 3501 §2.3.2): it selected first.
        return {uid: (d[b"RFC822.SIZE"], frozenset(f.decode() for f in d[b"FLAGS"] if f.lower() != b"\\recent"),
                      int(d[b"INTERNALDATE"].timestamp())) for uid, d in answer.items()}

    client = imapclient.IMAPClient("127.0.0.1", port=imap.port, ssl=False, timeout=10)
    client.login(ALICE, PASSWORD)
    try:
        client.select_folder("INBOX")
        want = expected()  # (a listing request of its own)
        time.sleep(0.2)
        before = listing_requests(store)
        assert fetched(client) == want
        assert listings_after(store, before + 1) == before, "FETCH of what the view holds asked the store"
        with open_session(imap.port, login=ALICE) as other:
            other.ok("SELECT INBOX")
            other.ok("STORE 3 +FLAGS (\\Flagged)")
        # The next FETCH already shows it: the view reads the feed before it answers (no NOOP).
        assert fetched(client) == expected()
        deliver(smtp, message("Since SELECT", body="y" * 777 + "\r\n"))
        # A new message is in SEARCH ALL once the client has been told of it (EXISTS).
        want = expected()
        deadline = time.monotonic() + 5
        while (got := fetched(client)) != want and time.monotonic() < deadline:
            client.noop()
        assert got == want
        assert any("\\Flagged" in flags for _, flags, _ in got.values())
    finally:
        client.logout()


def route_requests(store, method: str, route_tail: str) -> int:
    """How many requests the store answered on the route ending in `route_tail`."""
    text = requests.get(f"{store.url}/metrics", timeout=10).text
    return sum(int(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("hb_requests{") and f'http_request_method="{method}"' in line
               and re.search(r'http_route="[^"]*' + re.escape(route_tail) + '"', line))


def test_a_reselect_and_a_store_cost_no_feed_read_yet_see_every_change(imap_system):
    """Issue 12 (the staying command mix): reselecting a mailbox nothing changed in reads no
    change feed and claims no \\Recent again, a STORE whose write continued the session's feed
    position takes its own changes instead of reading them back, and a SEARCH of flags is
    answered from the view — while a change by another session still shows at the next
    command."""
    store, smtp, imap = imap_system
    for n in range(3):
        deliver(smtp, message(f"Reselected {n}"))

    def counts() -> tuple[int, int]:
        time.sleep(0.3)  # the store counts a request after it answers
        return (route_requests(store, "GET", "/changes"), route_requests(store, "POST", "/recent"))

    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        s.ok("NOOP")
        before = counts()
        s.ok("SELECT INBOX")
        s.ok("EXAMINE INBOX")
        s.ok("SELECT INBOX")
        assert counts() == before, "a reselect of an unchanged mailbox read the feed or claimed \\Recent"
        answer = s.ok("STORE 1:2 +FLAGS (\\Seen)")
        assert sum(b" FETCH " in r and b"\\Seen" in r for r in answer) == 2, answer
        assert counts()[0] == before[0], "a STORE read back its own changes from the feed"
        # A search of flags is answered from the view after one (empty) read of the feed.
        searches = route_requests(store, "POST", "/search")
        assert b"* SEARCH 3" in s.ok("SEARCH UNSEEN")
        assert b"* SEARCH 1 2" in s.ok("UID SEARCH SEEN NOT DELETED")
        assert counts()[0] == before[0] + 2 and route_requests(store, "POST", "/search") == searches
        with open_session(imap.port, login=ALICE) as other:
            other.ok("SELECT INBOX")
            other.ok("STORE 3 +FLAGS (\\Flagged)")
        # Another session's change moved the mailbox: the reselect reads it, and shows it.
        untagged = s.ok("SELECT INBOX")
        assert b"* 3 EXISTS" in untagged, untagged
        flags = {int(m.group(1)): m.group(2) for r in s.ok("FETCH 1:* (FLAGS)")
                 if (m := re.match(rb"\* (\d+) FETCH \(FLAGS \(([^)]*)\)\)", r))}
        assert b"\\Seen" in flags[1] and b"\\Seen" in flags[2] and b"\\Flagged" in flags[3], flags
    assert {uid: set(f) for uid, f, _ in store_view(store, "INBOX")} == {1: {"\\seen"}, 2: {"\\seen"}, 3: {"\\flagged"}}
