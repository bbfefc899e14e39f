"""The model behind test_imap_stress.py: what the store holds (`Truth`, kept from every
session's commands and the UIDs APPENDUID/COPYUID named) and what each client was told
(`Client`, kept only from the untagged responses it read). Every untagged response is checked
as it is read; `StressFailure` carries the seed and the last commands of every session.

Commands run one at a time (a session in IDLE waits while others work), so after each tagged
answer `Truth` is exactly what the store holds: the gateway brings a session up to date before
every tagged answer (Services/imap-gateway/README.md), so after NOOP or IDLE a client's view
must equal `Truth` exactly, on either gateway."""

import collections
import random
import re
import time

from imap_support import ALICE, RawIMAP, open_session, parse, response_code, status, uid_set

MAILBOXES = ("INBOX", "Archive", "Work")
SYSTEM_FLAGS = ("\\Seen", "\\Flagged", "\\Answered", "\\Draft")
# Keywords in mixed case: IMAP compares flags case-insensitively (RFC 3501 §2.3.2).
KEYWORDS = ("$Label1", "$Forwarded", "Work", "urgent", "URGENT")
STRESS_HEADER = "X-Stress-Id"


class StressFailure(AssertionError):
    pass


def lower(flags) -> frozenset:
    """Flags as IMAP compares them (case-insensitively), without the session-only \\Recent."""
    out = set()
    for f in flags:
        f = (f.decode() if isinstance(f, bytes) else str(f)).lower()
        if f != "\\recent":
            out.add(f)
    return frozenset(out)


class Transcript:
    """The last commands and responses of every session, for the failure message."""

    def __init__(self, size: int = 400):
        self.lines: collections.deque[str] = collections.deque(maxlen=size)

    def add(self, who: str, direction: str, data: bytes | str) -> None:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        if len(text) > 300:
            text = text[:300] + "…"
        self.lines.append(f"{who} {direction} {text}")

    def tail(self, n: int = 80) -> str:
        return "\n".join(list(self.lines)[-n:])


class Truth:
    """What the store holds: per mailbox {UID: (flags, stress id)}, every UID ever assigned, and
    the highest UIDNEXT, HIGHESTMODSEQ and MODSEQ any session was shown."""

    def __init__(self):
        self.boxes: dict[str, dict[int, tuple[frozenset, str]]] = {m: {} for m in MAILBOXES}
        self.ever: dict[str, set[int]] = {m: set() for m in MAILBOXES}
        self.uidvalidity: dict[str, int] = {}
        self.uidnext: dict[str, int] = {m: 0 for m in MAILBOXES}
        self.highestmodseq: dict[str, int] = {m: 0 for m in MAILBOXES}
        self.max_modseq: dict[str, int] = {m: 0 for m in MAILBOXES}
        self.recent_owner: dict[tuple[str, int], str] = {}
        self.before_burst: dict[str, int] | None = None

    def add(self, box: str, uid: int, flags: frozenset, ident: str, fail) -> None:
        if uid in self.ever[box]:
            fail(f"UID {uid} of {box} assigned a second time")
        # In a burst the answers are read in the order sent, not the order the store ran them:
        # a new UID is then above every UID assigned before the burst.
        highest = self.before_burst[box] if self.before_burst else max(self.ever[box], default=0)
        if uid <= highest:
            fail(f"UID {uid} of {box} not above the highest assigned before, {highest}")
        if uid < self.uidnext[box]:
            fail(f"UID {uid} of {box} below the UIDNEXT {self.uidnext[box]} announced earlier")
        self.ever[box].add(uid)
        self.boxes[box][uid] = (flags, ident)


class Client:
    """One IMAP session and the view its client keeps: UIDs and flags by sequence number, built
    from EXISTS, EXPUNGE and FETCH only (RFC 3501 §7.4, RFC 9051 §7.5)."""

    def __init__(self, name: str, port: int, condstore: bool, truth: Truth, transcript: Transcript, fail):
        self.name, self.truth, self.transcript, self.fail_ = name, truth, transcript, fail
        self.condstore = condstore
        self.session: RawIMAP = open_session(port, login=ALICE)
        self.box: str | None = None
        self.read_only = False
        self.uids: list[int | None] = []
        self.flags: list[frozenset | None] = []
        self.keywords: frozenset | None = None  # the last `* FLAGS`, lowercased
        self.modseq: dict[int, tuple[int, frozenset | None]] = {}
        self.gone: set[int] = set()  # UIDs this session was told are expunged
        self.idle_tag: str | None = None
        self.recent_count: int | None = None
        if condstore:
            self.command("ENABLE CONDSTORE")

    # --- talking --------------------------------------------------------------------------------
    def fail(self, text: str) -> None:
        self.fail_(f"{self.name} ({self.box}): {text}")

    def send_command(self, text: str) -> str:
        tag = self.session.tag()
        self.transcript.add(self.name, "C:", f"{tag} {text}")
        self.session.send(f"{tag} {text}\r\n".encode())
        return tag

    def read_until(self, tag: str) -> tuple[bytes, list[bytes]]:
        untagged = []
        while True:
            r = self.session.response()
            self.transcript.add(self.name, "S:", r)
            if r.startswith(tag.encode() + b" "):
                return r, untagged
            untagged.append(r)

    def command(self, text: str, expect: tuple[str, ...] = ("OK",)) -> tuple[str, bytes, list[bytes]]:
        """Sends `text`, reads to its tagged answer; the caller updates `Truth` and then calls
        `absorb`. A result outside `expect` fails the run."""
        tag = self.send_command(text)
        tagged, untagged = self.read_until(tag)
        result = status(tagged)
        if result not in expect:
            self.fail(f"{text[:80]!r} answered {tagged!r}, expected {expect}")
        return result, tagged, untagged

    def run(self, text: str, expect: tuple[str, ...] = ("OK",)) -> tuple[str, bytes, list[bytes]]:
        """A command whose effect on `Truth` needs nothing from its answer."""
        result, tagged, untagged = self.command(text, expect)
        self.absorb(untagged, text)
        return result, tagged, untagged

    # --- checking every untagged response ------------------------------------------------------
    def absorb(self, untagged: list[bytes], text: str) -> None:
        words = text.split()
        verb = words[0].upper()
        if verb == "UID":
            verb = "UID " + words[1].upper()
        for r in untagged:
            self.check(r, verb)

    def check(self, r: bytes, verb: str) -> None:
        tokens = parse(r)
        if not tokens or tokens[0] != "*":
            self.fail(f"not an untagged response: {r[:120]!r}")
            return
        if len(tokens) >= 3 and str(tokens[1]).isdigit():
            n, kind = int(tokens[1]), str(tokens[2]).upper()
            if kind == "EXISTS":
                self.on_exists(n)
            elif kind == "EXPUNGE":
                self.on_expunge(n, verb)
            elif kind == "FETCH":
                self.on_fetch(n, tokens, verb)
            elif kind == "RECENT":
                self.recent_count = n
                if n > len(self.uids):
                    self.fail(f"RECENT {n} above EXISTS {len(self.uids)}")
            else:
                self.fail(f"unknown numbered response {r[:120]!r}")
            return
        kind = str(tokens[1]).upper()
        if kind in ("BAD", "BYE", "NO"):
            self.fail(f"untagged {kind} during {verb}: {r[:160]!r}")
        elif kind == "VANISHED":
            self.fail(f"VANISHED without QRESYNC: {r[:120]!r}")
        elif kind == "FLAGS":
            self.keywords = lower(tokens[2])
        elif kind == "OK":
            self.on_code(response_code(r) or [], r)

    def on_code(self, code: list[str], r: bytes) -> None:
        if not code or self.box is None:
            return
        name, box = code[0].upper(), self.box
        if name == "UIDVALIDITY":
            value = int(code[1])
            if self.truth.uidvalidity.setdefault(box, value) != value:
                self.fail(f"UIDVALIDITY of {box} changed from {self.truth.uidvalidity[box]} to {value}")
        elif name == "UIDNEXT":
            value = int(code[1])
            if value < self.truth.uidnext[box]:
                self.fail(f"UIDNEXT {value} of {box} below the {self.truth.uidnext[box]} announced before")
            if self.truth.ever[box] and value <= max(self.truth.ever[box]):
                self.fail(f"UIDNEXT {value} of {box} not above UID {max(self.truth.ever[box])} already assigned")
            self.truth.uidnext[box] = value
        elif name == "HIGHESTMODSEQ":
            value = int(code[1])
            if value < self.truth.highestmodseq[box]:
                self.fail(f"HIGHESTMODSEQ {value} of {box} below the {self.truth.highestmodseq[box]} announced before")
            if value < self.truth.max_modseq[box]:
                self.fail(f"HIGHESTMODSEQ {value} of {box} below MODSEQ {self.truth.max_modseq[box]} of a message")
            self.truth.highestmodseq[box] = value

    def on_exists(self, n: int) -> None:
        if n < len(self.uids):
            self.fail(f"EXISTS {n} below the {len(self.uids)} messages the client knows, without EXPUNGE")
        grow = n - len(self.uids)
        self.uids += [None] * grow
        self.flags += [None] * grow

    def on_expunge(self, n: int, verb: str) -> None:
        if verb in ("FETCH", "STORE", "SEARCH"):
            self.fail(f"EXPUNGE {n} during {verb} (RFC 9051 §7.5.1)")
        if not 1 <= n <= len(self.uids):
            self.fail(f"EXPUNGE {n} of {len(self.uids)} messages")
            return
        uid = self.uids.pop(n - 1)
        self.flags.pop(n - 1)
        if uid is not None:
            if uid in self.truth.boxes[self.box]:
                self.fail(f"told UID {uid} (message {n}) is expunged, but it is still in {self.box}")
            self.gone.add(uid)

    def on_fetch(self, n: int, tokens: list, verb: str) -> None:
        if not 1 <= n <= len(self.uids):
            self.fail(f"FETCH for message {n} of {len(self.uids)}")
            return
        items = {str(tokens[3][i]).upper(): tokens[3][i + 1] for i in range(0, len(tokens[3]), 2)}
        i = n - 1
        if "UID" in items:
            uid = int(items["UID"])
            if self.uids[i] not in (None, uid):
                self.fail(f"message {n} is UID {self.uids[i]}, FETCH says {uid}")
            if uid not in self.truth.ever[self.box]:
                self.fail(f"FETCH names UID {uid}, which {self.box} never assigned")
            if uid in self.gone:
                self.fail(f"FETCH names UID {uid}, which the session was told is expunged")
            before = [u for u in self.uids[:i] if u is not None]
            after = [u for u in self.uids[i + 1:] if u is not None]
            if (before and before[-1] >= uid) or (after and after[0] <= uid):
                self.fail(f"UID {uid} at message {n} out of order: {before[-1:]} … {after[:1]}")
            self.uids[i] = uid
        uid = self.uids[i]
        flags = None
        if "FLAGS" in items:
            raw = [str(f) for f in items["FLAGS"]]
            flags = lower(raw)
            self.flags[i] = flags
            # EXAMINE shows \Recent without taking it (RFC 3501 §6.3.2): only read-write
            # sessions claim a message, and only one of them may.
            if any(f.lower() == "\\recent" for f in raw) and uid is not None and not self.read_only:
                owner = self.truth.recent_owner.setdefault((self.box, uid), self.name)
                if owner != self.name:
                    self.fail(f"UID {uid} is \\Recent here and was \\Recent in {owner} (RFC 3501 §2.3.2)")
            keywords = {f for f in flags if not f.startswith("\\")}
            if self.keywords is not None and not keywords <= self.keywords:
                self.fail(f"keywords {sorted(keywords - self.keywords)} of UID {uid} not in the last FLAGS "
                          f"{sorted(self.keywords)} (RFC 3501 §7.2.6)")
            if self.condstore and verb != "FETCH" and verb != "UID FETCH" and "MODSEQ" not in items:
                self.fail(f"FETCH FLAGS without MODSEQ in a CONDSTORE session (RFC 7162 §3.2): {items}")
        if "MODSEQ" in items:
            if not self.condstore:
                self.fail("MODSEQ in a session that did not enable CONDSTORE")
            modseq = int(items["MODSEQ"][0])
            self.truth.max_modseq[self.box] = max(self.truth.max_modseq[self.box], modseq)
            if uid is not None:
                last, last_flags = self.modseq.get(uid, (0, None))
                if modseq < last:
                    self.fail(f"MODSEQ of UID {uid} went from {last} down to {modseq}")
                if flags is not None and last_flags is not None and flags != last_flags and modseq <= last:
                    self.fail(f"flags of UID {uid} changed ({sorted(last_flags)} → {sorted(flags)}) but MODSEQ stayed {modseq}")
                self.modseq[uid] = (modseq, flags if flags is not None else last_flags)

    # --- views -----------------------------------------------------------------------------------
    def reset(self, box: str | None, read_only: bool = False) -> None:
        self.box, self.read_only = box, read_only
        self.uids, self.flags, self.modseq, self.gone = [], [], {}, set()
        self.keywords = None

    def learn(self) -> None:
        """What a client does after EXISTS: fetch UID and FLAGS of the messages it does not know."""
        unknown = [str(i + 1) for i, u in enumerate(self.uids) if u is None or self.flags[i] is None]
        if unknown:
            items = "(UID FLAGS MODSEQ)" if self.condstore else "(UID FLAGS)"
            self.run(f"FETCH {','.join(unknown)} {items}")
            # A message added and expunged elsewhere between two announcements is announced
            # (EXISTS) while its EXPUNGE is held back (FETCH, STORE, SEARCH); FETCH answers OK
            # without data for it (RFC 2180 §4.1). The next NOOP must expunge it: `caught_up`.

    def view(self) -> dict[int, frozenset]:
        return dict(zip(self.uids, self.flags))

    def caught_up(self, why: str) -> None:
        """After NOOP or IDLE: the session's view is the store's, UID for UID, flag for flag."""
        self.learn()
        truth = {uid: flags for uid, (flags, _) in self.truth.boxes[self.box].items()}
        if self.uids != sorted(truth):
            missing, extra = sorted(set(truth) - set(self.uids)), sorted(set(self.uids) - set(truth))
            self.fail(f"after {why} the view's UIDs differ from the store's: missing {missing}, extra {extra}")
        for uid, flags in self.view().items():
            if flags != truth[uid]:
                self.fail(f"after {why} UID {uid} shows {sorted(flags)}, the store has {sorted(truth[uid])}")

    def known_uids(self, rng: random.Random, most: int = 3) -> list[int]:
        """A few UIDs that the client knows and the store still holds."""
        live = [u for u in self.uids if u is not None and u in self.truth.boxes[self.box]]
        return sorted(rng.sample(live, min(len(live), rng.randint(1, most)))) if live else []

    def seqs_of(self, uids: list[int]) -> list[int]:
        return [self.uids.index(u) + 1 for u in uids]


def uid_list(uids: list[int]) -> str:
    return ",".join(str(u) for u in uids)


def copyuid(code: list[str] | None) -> list[tuple[int, int]] | None:
    """`COPYUID v 3,5 7:8` → [(3, 7), (5, 8)]."""
    if not code or code[0].upper() != "COPYUID":
        return None
    return list(zip(uid_set(code[2]), uid_set(code[3])))


def find_code(lines: list[bytes], name: str) -> list[str] | None:
    for line in lines:
        code = response_code(line)
        if code and code[0].upper() == name:
            return code
    return None


def stress_message(ident: str, rng: random.Random) -> bytes:
    body = "".join(f"line {i} of {ident}\r\n" for i in range(rng.randint(1, 5)))
    return (f"From: Stress <stress@remote.test>\r\nTo: {ALICE}\r\nSubject: stress {ident}\r\n"
            f"{STRESS_HEADER}: {ident}\r\nMessage-ID: <{ident}.{time.monotonic_ns()}@remote.test>\r\n"
            f"Date: Mon, 6 May 2024 10:00:00 +0200\r\n\r\n{body}").encode()


HEADER_ID = re.compile(rb"X-Stress-Id: (\S+)", re.IGNORECASE)
