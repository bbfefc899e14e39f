"""IDLE (RFC 2177, RFC 9051 §6.3.13) as a mail client uses it to show new mail at once: a
session idling on INBOX is told `* n EXISTS` soon after a message comes in through the
smtp-gateway, and is told about flag changes and expunges made by other sessions, also through
another imap-gateway on the same store. The delay from handing a message to SMTP to the EXISTS
is measured over 20 messages; its median and 99th percentile are printed and recorded."""

import poplib
import queue
import statistics
import threading
import time

from conftest import IMAPGateway, POP3Gateway
from imap_support import (ALICE, BOB, PASSWORD, RawIMAP, deliver, fetch_items, listing, message, open_session, parse,
                          send_mail)


class Idler:
    """A logged-in session idling on a mailbox; a thread reads what the server sends and
    timestamps each response."""

    def __init__(self, port: int, mailbox: str = "INBOX"):
        self.session = open_session(port, login=ALICE)
        self.exists = int(next(r.split()[1] for r in self.session.ok(f"SELECT {mailbox}") if r.endswith(b" EXISTS")))
        self.session.send(b"idle1 IDLE\r\n")
        first = self.session.response()
        assert first.startswith(b"+ "), first
        self.responses: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self.stop = threading.Event()
        self.session.sock.settimeout(0.2)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.stop.is_set():
            try:
                r = self.session.response()
            except (TimeoutError, OSError) as error:
                if isinstance(error, TimeoutError) or "timed out" in str(error):
                    continue
                self.responses.put((time.monotonic(), b"<closed: %s>" % str(error).encode()))
                return
            self.responses.put((time.monotonic(), r))
            if r.startswith(b"idle1 "):
                return

    def wait_for(self, predicate, timeout: float = 10.0) -> tuple[float, bytes] | None:
        """The first response (time, bytes) that satisfies `predicate`; None after `timeout`."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                at, r = self.responses.get(timeout=left)
            except queue.Empty:
                return None
            assert not r.startswith(b"<closed"), r
            if predicate(r):
                return at, r
        return None

    def done(self) -> bytes:
        """Ends IDLE; the tagged response."""
        self.session.send(b"DONE\r\n")
        found = self.wait_for(lambda r: r.startswith(b"idle1 "))
        assert found, "no tagged response to IDLE after DONE"
        self.stop.set()
        self.thread.join(5)
        self.session.sock.settimeout(10)
        return found[1]

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.session.close()


def test_idle_reports_new_mail_quickly(imap_system, record_property):
    store, smtp, imap = imap_system
    deliver(smtp, message("Already here"))
    idler = Idler(imap.port)
    try:
        assert idler.exists == 1
        send_mail(smtp, message("For bob"), recipient=BOB)
        assert idler.wait_for(lambda r: r.endswith(b" EXISTS"), timeout=1.0) is None, "bob's mail woke alice's IDLE"
        delays = []
        for n in range(2, 22):
            started = time.monotonic()
            send_mail(smtp, message(f"Idle {n}"))
            found = idler.wait_for(lambda r: r == b"* %d EXISTS" % n)
            assert found, f"no '* {n} EXISTS' within 10 s of sending message {n}"
            delays.append(found[0] - started)
        assert idler.done().startswith(b"idle1 OK")
        assert len(uids_of(idler.session)) == 21 == len(listing(store))
    finally:
        idler.close()
    median = statistics.median(delays)
    p99 = statistics.quantiles(delays, n=100, method="inclusive")[98]
    report = f"IDLE delay SMTP→EXISTS over {len(delays)} messages: median {median * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
    print(report)
    record_property("idle_exists_median_ms", round(median * 1000))
    record_property("idle_exists_p99_ms", round(p99 * 1000))
    assert median < 2.0, report


def uids_of(session: RawIMAP) -> list[int]:
    return [int(fetch_items(parse(r))["UID"]) for r in session.ok("UID FETCH 1:* (UID)") if b" FETCH " in r]


def test_idle_reports_flag_changes_and_expunges_made_through_another_gateway(imap_system, tmp_path):
    store, smtp, imap = imap_system
    uids = [deliver(smtp, message(f"Watched {n}"))[0] for n in range(3)]
    other = IMAPGateway(store, tmp_path / "second").start()
    idler = Idler(imap.port)
    try:
        with open_session(other.port, login=ALICE) as changer:
            changer.ok("SELECT INBOX")
            changer.ok(f"UID STORE {uids[0]} +FLAGS.SILENT (\\Flagged)")
            found = idler.wait_for(lambda r: b" FETCH " in r)
            assert found, "the flag change was not reported"
            tokens = parse(found[1])
            assert tokens[1] == "1" and "\\flagged" in {f.lower() for f in fetch_items(tokens)["FLAGS"]}, found
            changer.ok(f"UID STORE {uids[1]} +FLAGS.SILENT (\\Deleted)")
            changer.ok(f"UID EXPUNGE {uids[1]}")
            assert idler.wait_for(lambda r: r == b"* 2 EXPUNGE"), "the expunge was not reported"
            changer.ok(f'APPEND INBOX {{{len(b"Subject: x")}+}}\r\nSubject: x')
            assert idler.wait_for(lambda r: r == b"* 3 EXISTS"), "the APPEND was not reported"
        assert idler.done().startswith(b"idle1 OK")
        assert uids_of(idler.session) == [m["uid"] for m in listing(store)] and len(listing(store)) == 3
    finally:
        idler.close()
        other.stop()


def test_idle_ends_cleanly_without_news_and_the_session_goes_on(imap_system):
    store, smtp, imap = imap_system
    uid, raw = deliver(smtp, message("Quiet"))
    idler = Idler(imap.port)
    try:
        time.sleep(1.5)
        assert idler.done().startswith(b"idle1 OK")
        untagged = idler.session.ok(f"UID FETCH {uid} (BODY.PEEK[])")
        assert fetch_items(parse(untagged[-1]))["BODY[]"] == raw
        # IDLE again on the same session: the next message still shows up.
        idler.session.send(b"idle2 IDLE\r\n")
        assert idler.session.response().startswith(b"+ ")
        send_mail(smtp, message("Wakes the second IDLE"))
        r = idler.session.response()
        while not r.endswith(b" EXISTS"):
            r = idler.session.response()
        assert r == b"* 2 EXISTS"
        idler.session.send(b"DONE\r\n")
        assert idler.session.until_tagged("idle2")[0].startswith(b"idle2 OK")
    finally:
        idler.close()


def test_idle_reports_a_message_deleted_by_a_pop3_client(imap_system, tmp_path):
    """POP3 and IMAP share the mailbox: a message a POP3 client deletes (DELE, QUIT) is expunged
    in the IMAP session idling on INBOX at once."""
    store, smtp, imap = imap_system
    uids = [deliver(smtp, message(f"Shared {n}"))[0] for n in range(3)]
    pop3 = POP3Gateway(store, tmp_path / "pop3").start()
    idler = Idler(imap.port)
    try:
        client = poplib.POP3("127.0.0.1", pop3.port, timeout=10)
        client.user(ALICE)
        client.pass_(PASSWORD)
        client.dele(2)
        client.quit()
        assert idler.wait_for(lambda r: r == b"* 2 EXPUNGE"), "the POP3 deletion was not reported"
        assert idler.done().startswith(b"idle1 OK")
        assert uids_of(idler.session) == [uids[0], uids[2]] == [m["uid"] for m in listing(store)]
    finally:
        idler.close()
        pop3.stop()


def test_shutdown_says_bye_to_every_session(imap_system, tmp_path):
    """SIGTERM (a restart): every session, idling, selected or not yet logged in, is told
    `* BYE` (RFC 9051 §7.1.5) before the connection closes, and the gateway exits 0."""
    store, smtp, _ = imap_system
    imap = IMAPGateway(store, tmp_path / "stopping").start()
    idler = Idler(imap.port)
    selected = open_session(imap.port, login=ALICE)
    selected.ok("SELECT INBOX")
    fresh = open_session(imap.port)
    try:
        assert imap.stop() == 0
        assert idler.wait_for(lambda r: r.startswith(b"* BYE")), "the idling session got no BYE"
        for s in (selected, fresh):
            assert s.is_closed(5) and s.buffer.startswith(b"* BYE"), s.buffer
    finally:
        idler.close()
        selected.close()
        fresh.close()
