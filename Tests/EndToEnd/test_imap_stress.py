"""A randomized, state-checking IMAP stress test (issue 13): sessions on two imap-gateways over
one store APPEND, STORE (±FLAGS/FLAGS, .SILENT, system flags and keywords), COPY, MOVE,
EXPUNGE, UID EXPUNGE, SELECT/EXAMINE, IDLE and NOOP at random, some with CONDSTORE. The model
(imap_stress_model.py) checks every untagged response as it is read:
- sequence numbers within what the client knows (EXPUNGE n, FETCH n), EXISTS never shrinking
  without EXPUNGE, no EXPUNGE during FETCH/STORE/SEARCH (RFC 9051 §7.5.1), no untagged NO/BAD/BYE;
- a UID never reused or reordered, never one the mailbox did not assign; UIDNEXT and
  HIGHESTMODSEQ never decreasing; a message told expunged is gone from the store;
- MODSEQ per message never decreasing and growing with each change of its flags; in CONDSTORE
  sessions every unsolicited FETCH of flags carries MODSEQ (RFC 7162 §3.2);
- keywords shown are in the last `* FLAGS` (RFC 3501 §7.2.6); a message \\Recent in one session
  only (RFC 3501 §2.3.2);
- after each NOOP or IDLE, the session's UIDs and flags equal the store's as the model tracks it
  from all sessions' commands; after a STORE, the flags it was told equal the store's;
and in the end every session's view, a fresh session's FETCH through each gateway, the store's
API and the model agree on UIDs, flags and message bodies (by X-Stress-Id), per mailbox.

Bounded (STRESS_STEPS, default 400) in `make test`; `make stress` runs it for STRESS_SECONDS.
A failure prints the seed: BUZON_STRESS_SEED=<seed> reproduces the command sequence (the
timing of IDLE, and so where pushed responses fall, may differ)."""

import os
import random
import time
from dataclasses import dataclass
from typing import Callable

from conftest import IMAPGateway
from imap_stress_model import (HEADER_ID, KEYWORDS, MAILBOXES, SYSTEM_FLAGS, Client, StressFailure, Transcript, Truth,
                               copyuid, find_code, lower, stress_message, uid_list)
from imap_support import ALICE, fetch_items, mailboxes, open_session, parse, response_code, status

SESSIONS = 6
MAX_MESSAGES = 40  # per mailbox: beyond it the driver prefers expunging to appending


@dataclass
class Planned:
    client: Client
    text: str
    touched: set  # (mailbox, UID) pairs it reads or changes: a burst keeps them disjoint
    truth: Callable[[bytes, list[bytes]], None] | None = None
    after: Callable[[], None] | None = None
    expect: tuple[str, ...] = ("OK",)


class Driver:
    def __init__(self, seed: int, ports: list[int]):
        self.seed = seed
        self.rng = random.Random(seed)
        self.truth = Truth()
        self.transcript = Transcript()
        self.step = 0
        self.appended = 0
        self.counts: dict[str, int] = {}
        condstore = [i % 3 != 2 for i in range(SESSIONS)]
        self.rng.shuffle(condstore)
        self.clients = [Client(f"s{i}/gw{i % 2}{'+cs' if condstore[i] else ''}", ports[i % 2], condstore[i],
                               self.truth, self.transcript, self.fail) for i in range(SESSIONS)]

    def fail(self, text: str) -> None:
        raise StressFailure(f"{text}\n  seed {self.seed} (BUZON_STRESS_SEED={self.seed}), step {self.step}\n"
                            f"--- last commands ---\n{self.transcript.tail()}")

    # --- actions ---------------------------------------------------------------------------------
    def select(self, c: Client, box: str | None = None, examine: bool | None = None) -> None:
        box = box or self.rng.choice(MAILBOXES)
        examine = self.rng.random() < 0.2 if examine is None else examine
        verb = "EXAMINE" if examine else "SELECT"
        result, tagged, untagged = c.command(f"{verb} {box}")
        c.reset(box, read_only=examine)
        c.absorb(untagged, verb)
        if len(c.uids) != len(self.truth.boxes[box]):
            self.fail(f"{c.name}: {verb} {box} said EXISTS {len(c.uids)}, the store holds {len(self.truth.boxes[box])}")
        code = response_code(tagged) or [""]
        if code[0].upper() != ("READ-ONLY" if examine else "READ-WRITE"):
            self.fail(f"{c.name}: {verb} answered {tagged!r}")
        if c.condstore and not find_code(untagged, "HIGHESTMODSEQ"):
            self.fail(f"{c.name}: {verb} in a CONDSTORE session without HIGHESTMODSEQ")
        c.caught_up(verb)

    # Each mutating action is planned first (the command and the (mailbox, UID)s it touches),
    # then sent; `truth` updates the model from the tagged answer, then `check` reads the
    # untagged responses. Alone, one runs after the other; in a burst several sessions' commands
    # on disjoint messages are in flight at once: every answer is read and the model updated
    # before any untagged response is checked (what one session hears may come from another's).
    def plan_append(self, c: Client) -> Planned:
        box = self.rng.choice([b for b in MAILBOXES if len(self.truth.boxes[b]) < MAX_MESSAGES] or MAILBOXES)
        flags = self.rng.sample(SYSTEM_FLAGS + KEYWORDS, self.rng.randint(0, 3))
        self.appended += 1
        ident = f"{self.seed}-{self.appended}"
        body = stress_message(ident, self.rng)
        flag_text = f"({' '.join(flags)}) " if flags else ""

        def truth(tagged: bytes, untagged: list[bytes]) -> None:
            code = response_code(tagged)
            if not code or code[0].upper() != "APPENDUID":
                self.fail(f"{c.name}: APPEND answered {tagged!r} without APPENDUID (RFC 4315 §3)")
            self.truth.add(box, int(code[2]), lower(flags), ident, self.fail)

        return Planned(c, f"APPEND {box} {flag_text}{{{len(body)}+}}\r\n{body.decode()}", set(), truth)

    def plan_store(self, c: Client) -> Planned:
        uids = c.known_uids(self.rng)
        if not uids:
            return self.plan_append(c)
        op = self.rng.choice(["+FLAGS", "+FLAGS", "-FLAGS", "-FLAGS", "FLAGS"])
        silent = self.rng.random() < 0.3
        pool = SYSTEM_FLAGS + KEYWORDS + (("\\Deleted",) if self.rng.random() < 0.3 else ())
        flags = self.rng.sample(pool, self.rng.randint(0 if op == "FLAGS" else 1, 3))
        by_uid = self.rng.random() < 0.6
        target = f"UID STORE {uid_list(uids)}" if by_uid else f"STORE {uid_list(c.seqs_of(uids))}"
        text = f"{target} {op}{'.SILENT' if silent else ''} ({' '.join(flags)})"
        if c.read_only:
            return Planned(c, text, set(), expect=("NO",))
        change = lower(flags)

        def apply(old: frozenset) -> frozenset:
            return old | change if op == "+FLAGS" else old - change if op == "-FLAGS" else change

        def truth(tagged: bytes, untagged: list[bytes]) -> None:
            for uid in uids:
                old, ident = self.truth.boxes[c.box][uid]
                self.truth.boxes[c.box][uid] = (apply(old), ident)

        def after() -> None:
            view = c.view()
            for uid in uids:
                if silent:
                    if view.get(uid) is not None:  # what a client assumes after its own .SILENT change
                        c.flags[c.uids.index(uid)] = apply(view[uid])
                elif view.get(uid) != self.truth.boxes[c.box][uid][0]:
                    self.fail(f"{c.name}: after {text!r} UID {uid} was shown {sorted(view.get(uid) or [])}, "
                              f"the store has {sorted(self.truth.boxes[c.box][uid][0])}")

        return Planned(c, text, {(c.box, u) for u in uids}, truth, after)

    def plan_transfer(self, c: Client, move: bool) -> Planned:
        uids = c.known_uids(self.rng)
        if not uids:
            return self.plan_append(c)
        others = [m for m in MAILBOXES if m != c.box]
        dest = self.rng.choice([m for m in others if len(self.truth.boxes[m]) < MAX_MESSAGES] or others)
        by_uid = self.rng.random() < 0.6
        verb = "MOVE" if move else "COPY"
        text = f"UID {verb} {uid_list(uids)} {dest}" if by_uid else f"{verb} {uid_list(c.seqs_of(uids))} {dest}"
        if move and c.read_only:
            return Planned(c, text, set(), expect=("NO",))  # RFC 6851 §3.3: MOVE needs a read-write mailbox

        def truth(tagged: bytes, untagged: list[bytes]) -> None:
            pairs = copyuid(find_code(untagged + [tagged], "COPYUID"))
            if pairs is None:
                self.fail(f"{c.name}: {verb} without COPYUID (RFC 4315 §3, RFC 6851 §4.3)")
            if sorted(src for src, _ in pairs) != uids:
                self.fail(f"{c.name}: {text!r}: COPYUID names {pairs}, the command named {uids}")
            for src, dst in pairs:
                flags, ident = self.truth.boxes[c.box][src]
                self.truth.add(dest, dst, flags, ident, self.fail)
                if move:
                    del self.truth.boxes[c.box][src]

        def after() -> None:
            if move and set(uids) & set(c.uids):
                self.fail(f"{c.name}: after {text!r} moved UIDs {sorted(set(uids) & set(c.uids))} still in the view")

        return Planned(c, text, {(c.box, u) for u in uids}, truth, after)

    def plan_uid_expunge(self, c: Client, also: list[int]) -> Planned:
        target = sorted(set(c.known_uids(self.rng, most=4)) | set(also)) or [1]
        text = f"UID EXPUNGE {uid_list(target)}"
        gone: set[int] = set()

        def truth(tagged: bytes, untagged: list[bytes]) -> None:
            gone.update(u for u in target if "\\deleted" in self.truth.boxes[c.box].get(u, (frozenset(), ""))[0])
            for uid in gone:
                del self.truth.boxes[c.box][uid]

        def after() -> None:
            if gone & set(c.uids):
                self.fail(f"{c.name}: after {text} expunged UIDs {sorted(gone & set(c.uids))} still in the view")

        return Planned(c, text, {(c.box, u) for u in target}, truth, after)

    def run_planned(self, plans: list[Planned]) -> None:
        tags = [p.client.send_command(p.text) for p in plans]
        answers = []
        for p, tag in zip(plans, tags):
            tagged, untagged = p.client.read_until(tag)
            if status(tagged) not in p.expect:
                p.client.fail(f"{p.text[:80]!r} answered {tagged!r}, expected {p.expect}")
            answers.append((tagged, untagged))
        if len(plans) > 1:
            self.truth.before_burst = {b: max(self.truth.ever[b], default=0) for b in MAILBOXES}
        for p, (tagged, untagged) in zip(plans, answers):
            if p.truth and status(tagged) == "OK":
                p.truth(tagged, untagged)
        self.truth.before_burst = None
        for p, (tagged, untagged) in zip(plans, answers):
            p.client.absorb(untagged, p.text)
        for p in plans:
            if p.after:
                p.after()

    def append(self, c: Client) -> None:
        self.run_planned([self.plan_append(c)])

    def store(self, c: Client) -> None:
        self.run_planned([self.plan_store(c)])

    def transfer(self, c: Client, move: bool) -> None:
        self.run_planned([self.plan_transfer(c, move)])

    def expunge(self, c: Client) -> None:
        if c.read_only:
            return self.noop(c)
        uids = c.known_uids(self.rng, most=2)
        if uids and self.rng.random() < 0.8:
            c.run(f"UID STORE {uid_list(uids)} +FLAGS.SILENT (\\Deleted)")
            for uid in uids:
                flags, ident = self.truth.boxes[c.box][uid]
                self.truth.boxes[c.box][uid] = (flags | {"\\deleted"}, ident)
                c.flags[c.uids.index(uid)] |= {"\\deleted"}
        if self.rng.random() < 0.5:
            return self.run_planned([self.plan_uid_expunge(c, uids)])
        deleted = {u for u, (f, _) in self.truth.boxes[c.box].items() if "\\deleted" in f}
        result, tagged, untagged = c.command("EXPUNGE")
        for uid in deleted:
            del self.truth.boxes[c.box][uid]
        c.absorb(untagged, "EXPUNGE")
        if deleted & set(c.uids):
            self.fail(f"{c.name}: after EXPUNGE expunged UIDs {sorted(deleted & set(c.uids))} still in the view")

    def burst(self, free: list[Client]) -> None:
        """Commands of two to four sessions in flight at once, on disjoint messages."""
        plans: list[Planned] = []
        touched: set[tuple[str, int]] = set()
        for c in self.rng.sample(free, min(len(free), self.rng.randint(2, 4))):
            if c.box is None:
                continue
            kind = self.rng.choice(["append", "store", "store", "copy", "move", "expunge"])
            if kind in ("append", "copy") and len(self.truth.boxes[c.box]) > MAX_MESSAGES:
                kind = "move"
            if kind == "expunge" and c.read_only:
                kind = "store"
            plan = (self.plan_append(c) if kind == "append" else self.plan_store(c) if kind == "store"
                    else self.plan_uid_expunge(c, []) if kind == "expunge"
                    else self.plan_transfer(c, move=kind == "move"))
            if plan.touched & touched:
                continue
            touched |= plan.touched
            plans.append(plan)
        self.counts["burst"] = self.counts.get("burst", 0) + 1
        self.run_planned(plans)
        for p in plans:
            p.client.learn()

    def noop(self, c: Client) -> None:
        c.run("NOOP")
        c.caught_up("NOOP")

    def idle(self, c: Client) -> None:
        c.idle_tag = c.send_command("IDLE")
        while True:
            r = c.session.response()
            c.transcript.add(c.name, "S:", r)
            if r.startswith(b"+"):
                break
            if r.startswith(c.idle_tag.encode()):
                self.fail(f"{c.name}: IDLE refused: {r!r}")
            c.check(r, "IDLE")

    def done(self, c: Client) -> None:
        """DONE after the others' commands: what was pushed meanwhile is read and checked now."""
        time.sleep(self.rng.choice([0, 0.02, 0.1]))
        c.transcript.add(c.name, "C:", "DONE")
        c.session.send(b"DONE\r\n")
        tagged, untagged = c.read_until(c.idle_tag)
        c.idle_tag = None
        if not tagged.split()[1:2] == [b"OK"]:
            self.fail(f"{c.name}: IDLE ended with {tagged!r}")
        c.absorb(untagged, "IDLE")
        c.caught_up("IDLE")

    # --- the run ---------------------------------------------------------------------------------
    def one_step(self) -> None:
        self.step += 1
        idle = [c for c in self.clients if c.idle_tag]
        if idle and self.rng.random() < 0.3:
            return self.done(self.rng.choice(idle))
        free = [c for c in self.clients if not c.idle_tag]
        if self.rng.random() < 0.15 and len(free) >= 2:
            return self.burst(free)
        c = self.rng.choice(free)
        if c.box is None or self.rng.random() < 0.05:
            return self.select(c)
        full = len(self.truth.boxes[c.box]) > MAX_MESSAGES
        actions = {"append": 1 if full else 5, "store": 6, "copy": 1 if full else 2, "move": 2,
                   "expunge": 6 if full else 2, "noop": 3, "idle": 2 if len(idle) < 2 else 0}
        action = self.rng.choices(list(actions), weights=list(actions.values()))[0]
        self.counts[action] = self.counts.get(action, 0) + 1
        {"append": self.append, "store": self.store, "copy": lambda c: self.transfer(c, move=False),
         "move": lambda c: self.transfer(c, move=True), "expunge": self.expunge, "noop": self.noop,
         "idle": self.idle}[action](c)
        if not c.idle_tag:
            c.learn()

    def settle(self) -> None:
        for c in self.clients:
            if c.idle_tag:
                self.done(c)
            if c.box:
                self.noop(c)

    def final_check(self, store, ports: list[int]) -> None:
        """A fresh session through each gateway, the store's API and every session agree."""
        truth = {box: {uid: (flags, ident) for uid, (flags, ident) in msgs.items()} for box, msgs in self.truth.boxes.items()}
        info = mailboxes(store)
        for box in MAILBOXES:
            if info[box]["messages"] != len(truth[box]):
                self.fail(f"the store's API counts {info[box]['messages']} messages in {box}, the model {len(truth[box])}")
        for port in ports:
            with open_session(port, login=ALICE) as fresh:
                for box in MAILBOXES:
                    fresh.ok(f"EXAMINE {box}")
                    seen = {}
                    for r in fresh.ok(f"FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS ({'X-Stress-Id'})])"):
                        tokens = parse(r)
                        if len(tokens) < 4 or str(tokens[2]).upper() != "FETCH":
                            continue
                        items = fetch_items(tokens)
                        header = next(v for k, v in items.items() if k.startswith("BODY["))
                        m = HEADER_ID.search(header)
                        seen[int(items["UID"])] = (lower(items["FLAGS"]), m.group(1).decode() if m else None)
                    if seen != truth[box]:
                        diff = {u: (seen.get(u), truth[box].get(u)) for u in set(seen) | set(truth[box])
                                if seen.get(u) != truth[box].get(u)}
                        self.fail(f"a fresh session on port {port} sees {box} differ from the model "
                                  f"(UID: (seen, model)): {diff}")
        for c in self.clients:
            if c.box and c.view() != {uid: flags for uid, (flags, _) in truth[c.box].items()}:
                self.fail(f"{c.name}: its view of {c.box} differs from a fresh session's")

    def close(self) -> None:
        for c in self.clients:
            c.session.close()


def stress_run(imap_system, tmp_path, steps: int | None, seconds: float | None) -> None:
    store, smtp, first = imap_system
    second = IMAPGateway(store, tmp_path / "second").start()
    seed = int(os.environ.get("BUZON_STRESS_SEED") or random.SystemRandom().randrange(1, 10**9))
    print(f"\nIMAP stress: seed {seed} (BUZON_STRESS_SEED={seed} reproduces it)")
    driver = None
    try:
        with open_session(first.port, login=ALICE) as setup:
            for box in MAILBOXES[1:]:
                setup.ok(f"CREATE {box}")
        ports = [first.port, second.port]
        driver = Driver(seed, ports)
        start = time.monotonic()
        while (steps is None or driver.step < steps) and (seconds is None or time.monotonic() - start < seconds):
            driver.one_step()
        driver.settle()
        driver.final_check(store, ports)
        elapsed = time.monotonic() - start
        print(f"IMAP stress: {driver.step} steps in {elapsed:.1f} s, {driver.counts}, "
              f"messages {[len(driver.truth.boxes[b]) for b in MAILBOXES]}")
        assert first.proc.poll() is None and second.proc.poll() is None
    except StressFailure:
        if driver:
            (tmp_path / "stress-transcript.txt").write_text(driver.transcript.tail(400))
        raise
    finally:
        if driver:
            driver.close()
        second.stop()


def test_random_sessions_on_two_gateways_keep_a_true_view(imap_system, tmp_path):
    seconds = float(os.environ["STRESS_SECONDS"]) if os.environ.get("BUZON_IMAP_STRESS") else None
    steps = None if seconds else int(os.environ.get("STRESS_STEPS", "400"))
    stress_run(imap_system, tmp_path, steps, seconds)
