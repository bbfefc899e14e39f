"""Two imap-gateways on one store and several clients at once, each in its own session on one
of them, appending, changing flags, copying, moving and expunging in the same two mailboxes.
Each session keeps the view a client keeps: a sequence-number → UID map (and flags) built only
from the untagged EXISTS, EXPUNGE and FETCH responses it received (RFC 9051 §7.4, §7.5). When
the storm is over, every still-open session's view, a fresh `UID FETCH 1:*` in that session,
the store's API and a fresh SELECT on a new connection through each gateway must agree on the
UIDs, their order, the flags, the message count and (for new sessions) HIGHESTMODSEQ."""

import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import IMAPGateway
from imap_support import (ALICE, deliver, fetch_items, flagset, listing, mailboxes, message, open_session, parse,
                          status)

MAILBOXES = ("INBOX", "Archive")
SESSIONS = 6
ROUNDS = 30
SIZE_UPDATE = re.compile(rb"^\* (\d+) (EXISTS|EXPUNGE|FETCH)\b")


class TrackedSession:
    """A session on `mailbox` with CONDSTORE on, whose view is kept from untagged responses."""

    def __init__(self, port: int, mailbox: str, name: str):
        self.name, self.mailbox = name, mailbox
        self.session = open_session(port, login=ALICE)
        self.uids: list[int | None] = []
        self.flags: list[frozenset | None] = []
        self.violations: list[str] = []
        self.counts = {"OK": 0, "NO": 0, "BAD": 0}
        self.command("ENABLE CONDSTORE")
        assert self.command(f"SELECT {mailbox}") == "OK"
        self.learn_uids()

    def command(self, text: str) -> str:
        tagged, untagged = self.session.command(text)
        verb = text.split()[0].upper()
        for r in untagged:
            m = SIZE_UPDATE.match(r)
            if m:
                self.apply(int(m.group(1)), m.group(2).decode(), r, verb)
        result = status(tagged)
        self.counts[result] = self.counts.get(result, 0) + 1
        if result == "BAD":
            self.violations.append(f"{self.name}: {text[:80]!r} → {tagged!r}")
        return result

    def apply(self, n: int, kind: str, response: bytes, verb: str) -> None:
        if kind == "EXISTS":
            if n < len(self.uids):
                self.violations.append(f"{self.name}: EXISTS {n} below {len(self.uids)} without EXPUNGE")
            grow = n - len(self.uids)
            self.uids += [None] * grow
            self.flags += [None] * grow
        elif kind == "EXPUNGE":
            if verb in ("FETCH", "STORE", "SEARCH"):  # RFC 9051 §7.5.1
                self.violations.append(f"{self.name}: EXPUNGE sent during {verb}")
            if not 1 <= n <= len(self.uids):
                self.violations.append(f"{self.name}: EXPUNGE {n} of {len(self.uids)} messages")
                return
            del self.uids[n - 1], self.flags[n - 1]
        else:
            if not 1 <= n <= len(self.uids):
                self.violations.append(f"{self.name}: FETCH for message {n} of {len(self.uids)}")
                return
            items = fetch_items(parse(response))
            if "UID" in items:
                uid = int(items["UID"])
                if self.uids[n - 1] not in (None, uid):
                    self.violations.append(f"{self.name}: message {n} is UID {self.uids[n - 1]}, FETCH says {uid}")
                self.uids[n - 1] = uid
            if "FLAGS" in items:
                self.flags[n - 1] = flagset(items["FLAGS"])

    def learn_uids(self) -> None:
        """What a client does after EXISTS: fetch UID and FLAGS of the messages it does not know."""
        unknown = [str(i + 1) for i, u in enumerate(self.uids) if u is None]
        if unknown:
            self.command(f"FETCH {','.join(unknown)} (UID FLAGS)")

    def learned_silently(self, uid: int, flag: str) -> None:
        if uid in self.uids and self.flags[self.uids.index(uid)] is not None:
            i = self.uids.index(uid)
            self.flags[i] = self.flags[i] | {flag.lower()}

    def known(self, rng: random.Random) -> int | None:
        uids = [u for u in self.uids if u is not None]
        return rng.choice(uids) if uids else None

    def storm(self, seed: int) -> None:
        rng = random.Random(seed)
        other = MAILBOXES[1 - MAILBOXES.index(self.mailbox)]
        for n in range(ROUNDS):
            action = rng.choice(["append", "append", "append", "flag", "flag", "flag", "copy", "move", "expunge"])
            uid = self.known(rng)
            if action == "append" or uid is None:
                body = message(f"{self.name} round {n}", f"appended by {self.name}\r\n")
                target = rng.choice(MAILBOXES)
                flags = rng.choice(["", "(\\Seen) ", "($Label1 \\Flagged) "])
                self.command(f"APPEND {target} {flags}{{{len(body)}+}}\r\n{body.decode()}")
            elif action == "flag":
                change = rng.choice(["+FLAGS", "-FLAGS", "+FLAGS.SILENT"])
                flag = rng.choice(["\\Seen", "\\Flagged", "$Label1", "\\Answered"])
                if self.command(f"UID STORE {uid} {change} ({flag})") == "OK" and change.endswith("SILENT"):
                    self.learned_silently(uid, flag)  # no FETCH comes back for our own .SILENT change
            elif action == "copy":
                self.command(f"UID COPY {uid} {other}")
            elif action == "move":
                self.command(f"UID MOVE {uid} {other}")
            else:
                self.command(f"UID STORE {uid} +FLAGS.SILENT (\\Deleted)")
                self.command(f"UID EXPUNGE {uid}")
            self.learn_uids()

    def settle(self, store, timeout: float = 5.0) -> None:
        """NOOP until the view holds what the store holds (the other gateway's changes may take
        a moment to reach this one), at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            self.command("NOOP")
            self.learn_uids()
            if self.uids == [m["uid"] for m in listing(store, ALICE, self.mailbox)] or time.monotonic() > deadline:
                return
            time.sleep(0.2)


def fetch_all(session) -> list[tuple[int, int, frozenset, int]]:
    """(sequence number, UID, flags, MODSEQ) of every message, by `UID FETCH 1:* (FLAGS MODSEQ)`."""
    out = []
    for r in session.ok("UID FETCH 1:* (FLAGS MODSEQ)"):
        m = SIZE_UPDATE.match(r)
        if m and m.group(2) == b"FETCH":
            items = fetch_items(parse(r))
            out.append((int(m.group(1)), int(items["UID"]), flagset(items["FLAGS"]), int(items["MODSEQ"][0])))
    return out


def store_view(store, mailbox: str) -> list[tuple[int, frozenset, int]]:
    return [(m["uid"], flagset(m["flags"]), m["modSeq"]) for m in listing(store, ALICE, mailbox)]


def test_concurrent_sessions_on_two_gateways_agree_with_the_store(imap_system, tmp_path):
    store, smtp, first = imap_system
    for n in range(6):
        deliver(smtp, message(f"Seed {n}"))
    second = IMAPGateway(store, tmp_path / "second").start()
    gateways = [first, second]
    sessions: list[TrackedSession] = []
    try:
        with open_session(first.port, login=ALICE) as setup:
            setup.ok("CREATE Archive")
        sessions = [TrackedSession(gateways[i % 2].port, MAILBOXES[0] if i < 4 else MAILBOXES[1], f"s{i}-gw{i % 2}")
                    for i in range(SESSIONS)]
        errors: list[BaseException] = []
        barrier = threading.Barrier(SESSIONS)

        def run(i: int) -> None:
            barrier.wait()
            try:
                sessions[i].storm(seed=1000 + i)
            except BaseException as error:  # reported below with the session's name
                errors.append(error)
                raise

        with ThreadPoolExecutor(SESSIONS) as pool:
            for future in [pool.submit(run, i) for i in range(SESSIONS)]:
                future.exception(timeout=300)
        assert not errors, errors
        assert all(gateway.proc.poll() is None for gateway in gateways)

        for s in sessions:
            s.settle(store)
        violations = [v for s in sessions for v in s.violations]
        assert violations == [], violations[:20]
        counts = {k: sum(s.counts.get(k, 0) for s in sessions) for k in ("OK", "NO", "BAD")}
        print(f"commands: {counts}")

        for s in sessions:
            expected = store_view(store, s.mailbox)
            assert s.uids == [uid for uid, _, _ in expected], f"{s.name}: the session's sequence→UID map differs"
            fetched = fetch_all(s.session)
            assert [seq for seq, _, _, _ in fetched] == list(range(1, len(expected) + 1)), s.name
            assert [(uid, flags, modseq) for _, uid, flags, modseq in fetched] == expected, \
                f"{s.name}: UID FETCH 1:* in the session differs from the store"
            assert s.flags == [flags for _, flags, _ in expected], \
                f"{s.name}: flags told to the session (RFC 9051 §5.2: SHOULD) differ from the store"

        for gateway in gateways:
            with open_session(gateway.port, login=ALICE) as fresh:
                fresh.ok("ENABLE CONDSTORE")
                for mailbox in MAILBOXES:
                    info = mailboxes(store)[mailbox]
                    untagged = fresh.ok(f"SELECT {mailbox}")
                    assert f"* {info['messages']} EXISTS".encode() in untagged, (mailbox, untagged)
                    assert any(f"[HIGHESTMODSEQ {info['highestModSeq']}]".encode() in r for r in untagged), \
                        (mailbox, info["highestModSeq"], untagged)
                    fetched = fetch_all(fresh)
                    assert [(uid, flags, modseq) for _, uid, flags, modseq in fetched] == store_view(store, mailbox)
    finally:
        for s in sessions:
            s.session.close()
        second.stop()


def test_a_mailbox_deleted_and_recreated_under_a_session_is_not_passed_off_as_the_old_one(imap_system):
    """RFC 9051 §2.3.1.1: within a session, UIDVALIDITY and a UID name one message for good. When
    another session deletes the selected mailbox and creates a new one of the same name (a new
    UIDVALIDITY, UIDs from 1 again), the first session must not be shown the new mailbox's
    messages under the old UIDVALIDITY: it is told its messages are gone (EXPUNGE) or it is
    disconnected (BYE, RFC 2180 §3)."""
    store, smtp, imap = imap_system
    old = message("In the old Work")
    with open_session(imap.port, login=ALICE) as other, open_session(imap.port, login=ALICE) as watcher:
        other.ok("CREATE Work")
        other.ok(f"APPEND Work {{{len(old)}+}}\r\n{old.decode()}")
        watcher.ok("SELECT Work")
        other.ok("DELETE Work")
        other.ok("CREATE Work")
        for n in range(2):
            new = message(f"In the new Work {n}")
            other.ok(f"APPEND Work {{{len(new)}+}}\r\n{new.decode()}")
        watcher.send(b"n1 NOOP\r\n")
        said = []
        try:
            while not (said and said[-1].startswith(b"n1 ")):
                said.append(watcher.response())
        except ConnectionError:
            assert any(r.startswith(b"* BYE") for r in said), said  # disconnected: fine
            return
        assert b"* 1 EXPUNGE" in said, f"the session was not told its message is gone: {said}"
        shown = {int(fetch_items(parse(r))["UID"]): fetch_items(parse(r))["BODY[]"]
                 for r in watcher.ok("UID FETCH 1:* (BODY.PEEK[])") if b" FETCH " in r}
        assert shown.get(1, old) == old, f"UID 1 of the old UIDVALIDITY now names another message: {shown}"
        assert shown == {}, shown
