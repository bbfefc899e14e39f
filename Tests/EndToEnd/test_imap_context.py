"""CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267 §4) against the real gateway, by raw commands:
SEARCH and SORT with RETURN (UPDATE) kept up to date with ADDTO/REMOVEFROM as mail arrives by
SMTP and APPEND, flags change and another session expunges; CANCELUPDATE; the limit answered
NO [NOUPDATE]; PARTIAL windows. And a model-based test (hypothesis's stateful testing): while
one session keeps an updating SEARCH and an updating SORT, another appends, changes flags and
expunges at random; after each step the first session's copies, built only from ADDTO and
REMOVEFROM, equal a fresh UID SEARCH and UID SORT."""

import itertools
import re

from context_support import all_of, apply, esearch, updates
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from imap_support import ALICE, deliver, message, open_session, status


def append(session, subject: str, flags: str = "") -> None:
    raw = message(subject)
    session.ok(f"APPEND INBOX ({flags}) {{{len(raw)}+}}\r\n".encode() + raw)


def uid_search(session, criteria: str) -> list[int]:
    untagged = session.ok(f"UID SEARCH RETURN (ALL) {criteria}")
    return next(esearch(r)[2][0][1] if esearch(r)[2] else [] for r in untagged if r.startswith(b"* ESEARCH"))


def uid_sort(session, program: str) -> list[int]:
    untagged = session.ok(f"UID SORT RETURN (ALL) {program}")
    return next(esearch(r)[2][0][1] if esearch(r)[2] else [] for r in untagged if r.startswith(b"* ESEARCH"))


def test_search_update_follows_arrivals_flags_and_expunges(imap_system):
    store, smtp, imap = imap_system
    with open_session(imap.port, login=ALICE) as watcher, open_session(imap.port, login=ALICE) as other:
        caps = b" ".join(watcher.ok("CAPABILITY"))
        assert b"CONTEXT=SEARCH" in caps and b"CONTEXT=SORT" in caps and b"ESEARCH" in caps and b"ESORT" in caps
        for i in range(3):
            append(other, f"old {i}", "\\Seen" if i == 1 else "")  # UIDs 1 2 3, 2 seen
        watcher.ok("SELECT INBOX")
        other.ok("SELECT INBOX")
        tagged, untagged = watcher.command("UID SEARCH RETURN (UPDATE) UNSEEN", tag="U1")
        assert status(tagged) == "OK"
        model = all_of(untagged, "U1")  # UPDATE alone answers ALL: the base the updates apply to
        assert model == [1, 3]

        # Mail by SMTP joins after its EXISTS (§4.3.3).
        uid, _ = deliver(smtp, message("by smtp"))
        news = watcher.ok("NOOP")
        assert updates(news, "U1") == [("ADDTO", 0, [uid])]
        assert news.index(b"* 4 EXISTS") < next(i for i, r in enumerate(news) if r.startswith(b"* ESEARCH"))
        model = apply(model, updates(news, "U1"))

        # APPEND: a seen one does not match, an unseen one does.
        append(other, "seen", "\\Seen")
        append(other, "unseen")
        news = watcher.ok("NOOP")
        assert updates(news, "U1") == [("ADDTO", 0, [6])]
        model = apply(model, updates(news, "U1"))

        # Another session's flags take messages out and back in.
        other.ok("UID STORE 3 +FLAGS (\\Seen)")
        news = watcher.ok("NOOP")
        assert updates(news, "U1") == [("REMOVEFROM", 0, [3])]
        model = apply(model, updates(news, "U1"))
        other.ok("UID STORE 2 -FLAGS (\\Seen)")
        model = apply(model, updates(watcher.ok("NOOP"), "U1"))
        # The session's own STORE too, answered with the STORE.
        news = watcher.ok("UID STORE 1 +FLAGS.SILENT (\\Seen)")
        assert updates(news, "U1") == [("REMOVEFROM", 0, [1])]
        model = apply(model, updates(news, "U1"))
        assert model == uid_search(watcher, "UNSEEN") == [2, uid, 6]

        # An expunge from another session: REMOVEFROM before the EXPUNGE (§4.3.4).
        other.ok(f"UID STORE {uid} +FLAGS (\\Deleted)")
        other.ok(f"UID EXPUNGE {uid}")
        news = watcher.ok("NOOP")
        assert updates(news, "U1") == [("REMOVEFROM", 0, [uid])]
        removal = next(i for i, r in enumerate(news) if b"REMOVEFROM" in r)
        assert removal < news.index(b"* 4 EXPUNGE"), news
        model = apply(model, updates(news, "U1"))
        assert model == uid_search(watcher, "UNSEEN") == [2, 6]

        # A criterion without flags ignores flag changes (no store call), sees arrivals.
        tagged, untagged = watcher.command("UID SEARCH RETURN (UPDATE COUNT) SUBJECT unseen", tag="U2")
        assert [i for i in esearch(untagged[0])[2]] == [("COUNT", 1)]
        other.ok("UID STORE 6 +FLAGS (\\Flagged)")
        append(other, "unseen again")
        news = watcher.ok("NOOP")
        assert updates(news, "U2") == [("ADDTO", 0, [7])]
        assert updates(news, "U1") == [("ADDTO", 0, [7])]

        # CANCELUPDATE stops U1 (§4.3.5); U2 goes on. An unknown tag is NO.
        assert status(watcher.command('CANCELUPDATE "U1"')[0]) == "OK"
        assert status(watcher.command('CANCELUPDATE "U1"')[0]) == "NO"
        append(other, "unseen three")
        news = watcher.ok("NOOP")
        assert updates(news, "U1") == [] and updates(news, "U2") == [("ADDTO", 0, [8])]


def test_sequence_numbers_limit_tag_reuse_and_reselect(imap_system):
    store, smtp, imap = imap_system
    with open_session(imap.port, login=ALICE) as watcher, open_session(imap.port, login=ALICE) as other:
        for i in range(4):
            append(other, f"m{i}", "\\Flagged" if i % 2 else "")  # 2 and 4 flagged
        watcher.ok("SELECT INBOX")
        other.ok("SELECT INBOX")
        # Without UID the sets are sequence numbers, valid when sent: REMOVEFROM before EXPUNGE.
        tagged, untagged = watcher.command("SEARCH RETURN (UPDATE ALL) FLAGGED", tag="S1")
        assert all_of(untagged, "S1") == [2, 4]
        other.ok("UID STORE 2 +FLAGS (\\Deleted)")
        other.ok("UID EXPUNGE 2")
        append(other, "new flagged", "\\Flagged")
        news = watcher.ok("NOOP")
        # The arrival is announced before the expunge (so 5 EXISTS), and joins after it as 4.
        # RECENT follows the new size (RFC 3501 §7.3.2): 1, 3 and 4 are recent here (the watcher
        # selected first); the new one is the other session's, told of it first by its APPEND.
        assert news == [b'* ESEARCH (TAG "S1") REMOVEFROM (0 2)', b"* 5 EXISTS", b"* 2 EXPUNGE",
                        b"* 3 RECENT", b'* ESEARCH (TAG "S1") ADDTO (0 4)'], news

        # A tag that names an updating search cannot start another (§4.3: BAD).
        assert status(watcher.command("SEARCH RETURN (UPDATE) ALL", tag="S1")[0]) == "BAD"
        # ALL beside PARTIAL: §4.4's MUST NOT binds the client; both are answered.
        assert status(watcher.command("SEARCH RETURN (ALL PARTIAL 1:2) ALL")[0]) == "OK"

        # Five contexts a session; the sixth is refused with NOUPDATE and still answered (§4.3.1).
        for n in range(2, 6):
            assert status(watcher.command("UID SORT RETURN (UPDATE COUNT) (SUBJECT) UTF-8 ALL", tag=f"S{n}")[0]) == "OK"
        tagged, untagged = watcher.command("UID SEARCH RETURN (UPDATE COUNT) ALL", tag="S6")
        assert status(tagged) == "OK"
        assert untagged == [b'* NO [NOUPDATE "S6"] Too many updating searches; CANCELUPDATE one',
                            b'* ESEARCH (TAG "S6") UID COUNT 4'], untagged
        watcher.ok('CANCELUPDATE "S2" "S3"')
        assert status(watcher.command("UID SEARCH RETURN (UPDATE COUNT) ALL", tag="S7")[0]) == "OK"

        # Selecting again ends every context.
        watcher.ok("SELECT INBOX")
        append(other, "after reselect", "\\Flagged")
        news = watcher.ok("NOOP")
        assert not [r for r in news if r.startswith(b"* ESEARCH")], news
        assert status(watcher.command('CANCELUPDATE "S1"')[0]) == "NO"


def test_sort_update_positions_and_partial_windows(imap_system):
    store, smtp, imap = imap_system
    with open_session(imap.port, login=ALICE) as watcher, open_session(imap.port, login=ALICE) as other:
        for subject in ["b", "d", "f"]:
            append(other, subject)  # UIDs 1 2 3
        watcher.ok("SELECT INBOX")
        other.ok("SELECT INBOX")
        tagged, untagged = watcher.command("UID SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 UNDELETED", tag="O1")
        model = all_of(untagged, "O1")
        assert model == [1, 2, 3]
        # Arrivals go where they sort (§4.3.3): c between b and d, a first, g last.
        append(other, "c")  # 4
        news = watcher.ok("NOOP")
        assert updates(news, "O1") == [("ADDTO", 2, [4])]
        model = apply(model, updates(news, "O1"))
        for subject in ["a", "g", "e", "e"]:
            append(other, subject)  # 5 6 7 8
        news = watcher.ok("NOOP")
        assert updates(news, "O1") == [("ADDTO", 1, [5]), ("ADDTO", 5, [7, 8]), ("ADDTO", 8, [6])], news
        model = apply(model, updates(news, "O1"))
        assert model == uid_sort(watcher, "(SUBJECT) UTF-8 UNDELETED") == [5, 1, 4, 2, 7, 8, 3, 6]
        # Leaving by flags and by expunge: REMOVEFROM at the position (§4.3.4).
        other.ok("UID STORE 4,7,8 +FLAGS (\\Deleted)")
        news = watcher.ok("NOOP")
        assert updates(news, "O1") == [("REMOVEFROM", 3, [4]), ("REMOVEFROM", 4, [7, 8])], news
        model = apply(model, updates(news, "O1"))
        other.ok("UID STORE 5 +FLAGS (\\Deleted)")
        other.ok("EXPUNGE")
        news = watcher.ok("NOOP")
        model = apply(model, updates(news, "O1"))
        assert model == uid_sort(watcher, "(SUBJECT) UTF-8 UNDELETED") == [1, 2, 3, 6]

        # PARTIAL windows (§4.4): positions in the sort order, or mailbox order for SEARCH;
        # past the end what there is, NIL when nothing; 4:2 is 2:4.
        def answer(command: str) -> list[bytes]:
            return [line.split(b") ", 1)[1] for line in watcher.ok(command)]
        assert answer("UID SORT RETURN (PARTIAL 2:3) (REVERSE SUBJECT) UTF-8 ALL") == [b"UID PARTIAL (2:3 3,2)"]
        assert answer("SEARCH RETURN (PARTIAL 4:2 COUNT) ALL") == [b"COUNT 4 PARTIAL (2:4 2:4)"]
        assert answer("UID SEARCH RETURN (PARTIAL 3:10) ALL") == [b"UID PARTIAL (3:10 3,6)"]
        assert answer("UID SEARCH RETURN (PARTIAL 5:9) ALL") == [b"UID PARTIAL (5:9 NIL)"]
        # PARTIAL with UPDATE: the window answers, the updates cover every result (§4.4).
        tagged, untagged = watcher.command("UID SEARCH RETURN (UPDATE PARTIAL 1:1) UNDELETED", tag="P1")
        assert untagged == [b'* ESEARCH (TAG "P1") UID PARTIAL (1:1 1)']
        append(other, "z")
        assert updates(watcher.ok("NOOP"), "P1") == [("ADDTO", 0, [9])]

        # During IDLE too (§4.3.2: "MAY be sent at any time").
        watcher.send(b"I1 IDLE\r\n")
        assert watcher.response().startswith(b"+ ")
        append(other, "zz")  # 10
        heard = [watcher.response()]
        while b'(TAG "P1")' not in heard[-1]:
            heard.append(watcher.response())
        watcher.send(b"DONE\r\n")
        assert status(watcher.until_tagged("I1")[0]) == "OK"
        # RFC 3501 §7.3.2: RECENT after EXISTS (how many is whichever session was told first).
        assert heard[0] == b"* 6 EXISTS" and re.fullmatch(rb"\* \d+ RECENT", heard[1]), heard
        assert heard[2:] == [b'* ESEARCH (TAG "O1") UID ADDTO (6 10)', b'* ESEARCH (TAG "P1") UID ADDTO (0 10)'], heard


class ContextModel(RuleBasedStateMachine):
    """Session `watcher` keeps an updating UID SEARCH (UNSEEN) and an updating UID SORT
    (REVERSE SUBJECT, FLAGGED only); `other` appends, changes flags and expunges. After every
    step the copies built from ADDTO/REMOVEFROM equal a fresh search and sort."""

    port = 0
    boxes = itertools.count(1)

    @initialize()
    def start(self):
        self.box = f"model{next(self.boxes)}"
        self.watcher = open_session(self.port, login=ALICE)
        self.other = open_session(self.port, login=ALICE)
        self.other.ok(f"CREATE {self.box}")
        self.other.ok(f"SELECT {self.box}")
        self.watcher.ok(f"SELECT {self.box}")
        self.uids: list[int] = []
        self.search = all_of(self.watcher.ok("UID SEARCH RETURN (UPDATE) UNSEEN"), f"t{self.watcher.counter}")
        self.sort = all_of(self.watcher.ok("UID SORT RETURN (UPDATE) (REVERSE SUBJECT) UTF-8 FLAGGED"), f"t{self.watcher.counter}")
        self.tags = (f"t{self.watcher.counter - 1}", f"t{self.watcher.counter}")
        self.next_uid = 1

    def teardown(self):
        for session in (getattr(self, "watcher", None), getattr(self, "other", None)):
            if session:
                session.close()

    @rule(subject=st.sampled_from("abcde"), seen=st.booleans(), flagged=st.booleans())
    def append(self, subject, seen, flagged):
        flags = " ".join(f for f, on in (("\\Seen", seen), ("\\Flagged", flagged)) if on)
        raw = message(subject)
        self.other.ok(f"APPEND {self.box} ({flags}) {{{len(raw)}+}}\r\n".encode() + raw)
        self.uids.append(self.next_uid)
        self.next_uid += 1

    @precondition(lambda self: self.uids)
    @rule(data=st.data(), flag=st.sampled_from(["\\Seen", "\\Flagged"]), add=st.booleans(), by_watcher=st.booleans())
    def store(self, data, flag, add, by_watcher):
        chosen = data.draw(st.lists(st.sampled_from(self.uids), min_size=1, max_size=3, unique=True))
        session = self.watcher if by_watcher else self.other
        news = session.ok(f"UID STORE {','.join(map(str, chosen))} {'+' if add else '-'}FLAGS.SILENT ({flag})")
        if by_watcher:
            self.absorb(news)  # the watcher hears of its own change at once

    @precondition(lambda self: self.uids)
    @rule(data=st.data())
    def expunge(self, data):
        chosen = data.draw(st.lists(st.sampled_from(self.uids), min_size=1, max_size=2, unique=True))
        listed = ",".join(map(str, chosen))
        self.other.ok(f"UID STORE {listed} +FLAGS.SILENT (\\Deleted)")
        self.other.ok(f"UID EXPUNGE {listed}")
        self.uids = [u for u in self.uids if u not in chosen]

    def absorb(self, news: list[bytes]) -> None:
        self.search = apply(self.search, updates(news, self.tags[0]))
        self.sort = apply(self.sort, updates(news, self.tags[1]))

    @invariant()
    def copies_match(self):
        if not hasattr(self, "watcher"):
            return
        self.absorb(self.watcher.ok("NOOP"))
        assert self.search == uid_search(self.watcher, "UNSEEN")
        assert self.sort == uid_sort(self.watcher, "(REVERSE SUBJECT) UTF-8 FLAGGED")


def test_model_updates_equal_fresh_search_and_sort(imap_system):
    store, smtp, imap = imap_system
    ContextModel.port = imap.port
    run_state_machine_as_test(ContextModel, settings=settings(
        max_examples=12, stateful_step_count=12, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))
