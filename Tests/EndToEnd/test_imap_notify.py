"""NOTIFY (RFC 5465) as a client sees it: a session that asked to hear of other mailboxes is
told, while it idles or when it next sends a command, of mail delivered over SMTP and of
APPENDs by other sessions (`* STATUS`), of mailboxes created, renamed and deleted (`* LIST`),
of subscriptions and of METADATA changes; NOTIFY NONE stops it; unsupported events are
`NO [BADEVENT]` and too many changes at once `[NOTIFICATIONOVERFLOW]`. What is checked is the
bytes a client reads from the socket."""

import queue
import re
import threading
import time

import pytest

from conftest import Gateway, IMAPGateway, Store
from imap_support import ALICE, BOB, message, open_session, send_mail, status, stored_flags

PERSONAL = "NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxName SubscriptionChange MailboxMetadataChange ServerMetadataChange))"


@pytest.fixture
def system(tmp_path, cleanup):
    store = Store(tmp_path / "data").start()
    cleanup(store)
    store.add_user(ALICE)
    store.add_user(BOB)
    smtp = Gateway(store, tmp_path).start()
    cleanup(smtp)
    imap = IMAPGateway(store, tmp_path, env={"BUZON_IMAP_NOTIFY_MAX_MAILBOXES": "4"}).start()
    cleanup(imap)
    return store, smtp, imap


class Idler:
    """A logged-in session in IDLE (after `setup` commands); a thread collects what it reads."""

    def __init__(self, port: int, setup: list[str]):
        self.session = open_session(port, login=ALICE)
        self.setup = [self.session.ok(line) for line in setup]
        self.session.send(b"idle1 IDLE\r\n")
        assert self.session.response().startswith(b"+ ")
        self.responses: queue.Queue[bytes] = queue.Queue()
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
                self.responses.put(b"<closed>")
                return
            self.responses.put(r)
            if r.startswith(b"idle1 "):
                return

    def wait_for(self, predicate, timeout: float = 10.0) -> bytes | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                r = self.responses.get(timeout=left)
            except queue.Empty:
                return None
            assert r != b"<closed>"
            if predicate(r):
                return r
        return None

    def done(self) -> bytes:
        self.session.send(b"DONE\r\n")
        r = self.wait_for(lambda r: r.startswith(b"idle1 "))
        assert r is not None and status(r) == "OK", r
        self.stop.set()
        self.thread.join(5)
        self.session.sock.settimeout(10)
        return r

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.session.close()


def status_items(line: bytes) -> dict[str, int]:
    m = re.match(rb"\* STATUS (\S+|\"[^\"]*\") \((.*)\)$", line)
    assert m, line
    words = m.group(2).split()
    return {words[i].decode(): int(words[i + 1]) for i in range(0, len(words), 2)}


def test_capability_lists_notify(system):
    _, _, imap = system
    with open_session(imap.port, login=ALICE) as s:
        caps = s.ok("CAPABILITY")[0].split()
        assert b"NOTIFY" in caps, caps


def append(session, mailbox: str, raw: bytes) -> None:
    """APPEND with a LITERAL+ literal (advertised once logged in)."""
    session.ok(b"APPEND %s {%d+}\r\n%s" % (mailbox.encode(), len(raw), raw))


def test_idle_hears_of_smtp_delivery_and_other_sessions_appends(system):
    store, smtp, imap = system
    with open_session(imap.port, login=ALICE) as other:
        other.ok("CREATE Archive")
    # Archive is selected; INBOX is another mailbox, told of by STATUS.
    idler = Idler(imap.port, ["NOTIFY SET (SELECTED (MessageNew MessageExpunge)) (PERSONAL (MessageNew MessageExpunge))",
                              "SELECT Archive"])
    try:
        send_mail(smtp, message("Over SMTP"))
        r = idler.wait_for(lambda r: r.startswith(b"* STATUS INBOX "))
        assert r is not None, "no STATUS for INBOX after an SMTP delivery"
        assert status_items(r)["MESSAGES"] == 1 and status_items(r)["UIDNEXT"] == 2, r
        # Bob's mail is not Alice's business.
        send_mail(smtp, message("For bob", to=BOB), recipient=BOB)
        assert idler.wait_for(lambda r: r.startswith(b"* STATUS"), timeout=1.0) is None
        with open_session(imap.port, login=ALICE) as other:
            append(other, "INBOX", message("Appended"))
        r = idler.wait_for(lambda r: r.startswith(b"* STATUS INBOX "))
        assert r is not None and status_items(r)["MESSAGES"] == 2, r
        # The selected mailbox is told of as without NOTIFY: EXISTS, no STATUS.
        with open_session(imap.port, login=ALICE) as other:
            append(other, "Archive", message("Into the selected one"))
        assert idler.wait_for(lambda r: r.startswith(b"* STATUS Archive") or r == b"* 1 EXISTS") == b"* 1 EXISTS"
        assert idler.done().startswith(b"idle1 OK")
    finally:
        idler.close()


def test_mailbox_names_subscriptions_and_metadata(system):
    _, _, imap = system
    idler = Idler(imap.port, [PERSONAL])
    try:
        with open_session(imap.port, login=ALICE) as other:
            other.ok("CREATE Projects")
            assert idler.wait_for(lambda r: r.startswith(b"* LIST")) == b'* LIST () "/" Projects'
            other.ok("RENAME Projects Work")
            assert idler.wait_for(lambda r: r.startswith(b"* LIST")) == b'* LIST () "/" Work ("OLDNAME" (Projects))'
            # RENAME left the subscription with the old name (RFC 9051 §6.3.6).
            other.ok("SUBSCRIBE Work")
            # RFC 5465 §5.5: the attributes LIST computes.
            assert idler.wait_for(lambda r: r.startswith(b"* LIST")) == b'* LIST (\\HasNoChildren \\Subscribed) "/" Work'
            other.ok("UNSUBSCRIBE Work")
            assert idler.wait_for(lambda r: r.startswith(b"* LIST")) == b'* LIST (\\HasNoChildren) "/" Work'
            other.ok('SETMETADATA Work (/private/comment "Mine")')
            assert idler.wait_for(lambda r: r.startswith(b"* METADATA")) == b"* METADATA Work /private/comment"
            other.ok('SETMETADATA "" (/shared/comment "Server")')
            assert idler.wait_for(lambda r: r.startswith(b"* METADATA")) == b'* METADATA "" /shared/comment'
            other.ok("DELETE Work")
            assert idler.wait_for(lambda r: r.startswith(b"* LIST")) == b'* LIST (\\NonExistent) "/" Work'
        idler.done()
        # NOTIFY NONE: nothing more.
        session = idler.session
        session.ok("NOTIFY NONE")
        session.send(b"idle2 IDLE\r\n")
        assert session.response().startswith(b"+ ")
        with open_session(imap.port, login=ALICE) as other:
            other.ok("CREATE Quiet")
            append(other, "INBOX", message("Unannounced"))
        session.sock.settimeout(1.5)
        with pytest.raises((TimeoutError, OSError)):
            r = session.response()
            pytest.fail(f"after NOTIFY NONE: {r!r}")
        session.sock.settimeout(10)
        session.send(b"DONE\r\n")
        assert session.response().startswith(b"idle2 OK")
    finally:
        idler.close()


def test_between_commands_and_the_status_indicator(system):
    _, smtp, imap = system
    with open_session(imap.port, login=ALICE) as s, open_session(imap.port, login=ALICE) as other:
        other.ok("CREATE Lists")
        other.ok("CREATE Lists/Swift")
        append(other, "Lists/Swift", message("Swift"))
        # RFC 5465 §3.1: STATUS of every watched mailbox before the OK.
        untagged = s.ok("NOTIFY SET STATUS (SUBTREE Lists (MessageNew MessageExpunge)) (INBOXES (MessageNew MessageExpunge))")
        named = {line.split()[2]: status_items(line) for line in untagged}
        assert set(named) == {b"Lists", b"Lists/Swift", b"INBOX"}, untagged
        assert named[b"Lists/Swift"]["MESSAGES"] == 1 and "UIDVALIDITY" in named[b"Lists/Swift"]
        # No IDLE: the news comes before the tagged answer of the next command.
        append(other, "Lists/Swift", message("Swift 2"))
        other.ok("CREATE Elsewhere")
        append(other, "Elsewhere", message("Not watched"))
        untagged = s.ok("NOOP")
        assert [line.split()[2] for line in untagged if line.startswith(b"* STATUS")] == [b"Lists/Swift"], untagged
        assert status_items(untagged[0])["MESSAGES"] == 2
        assert not [line for line in untagged if line.startswith(b"* LIST")], "MailboxName was not asked for"


def test_bad_events_and_overflow(system):
    _, _, imap = system
    with open_session(imap.port, login=ALICE) as s, open_session(imap.port, login=ALICE) as other:
        tagged, _ = s.command("NOTIFY SET (PERSONAL (MessageNew MessageExpunge QuotaChange))")
        assert tagged.split()[1:3] == [b"NO", b"[BADEVENT"], tagged
        assert b"MailboxName" in tagged
        tagged, _ = s.command("NOTIFY SET (PERSONAL (MessageNew))")  # without MessageExpunge
        assert status(tagged) == "BAD", tagged
        tagged, _ = s.command("NOTIFY SET (PERSONAL (FlagChange))")
        assert status(tagged) == "BAD", tagged
        tagged, _ = s.command("NOTIFY SET (SELECTED NONE) (SELECTED-DELAYED NONE)")
        assert status(tagged) == "BAD", tagged
        tagged, _ = s.command("NOTIFY SET (SELECTED (MessageNew MessageExpunge MailboxName))")  # §6.1
        assert status(tagged) == "BAD", tagged
        tagged, _ = s.command("NOTIFY SET (PERSONAL (MessageNew (UID) MessageExpunge))")  # fetch-att: SELECTED only
        assert status(tagged) == "BAD", tagged
        # No ANNOTATE (RFC 5257): AnnotationChange is an unsupported event.
        tagged, _ = s.command("NOTIFY SET (PERSONAL (MessageNew MessageExpunge AnnotationChange))")
        assert tagged.split()[1:3] == [b"NO", b"[BADEVENT"], tagged
        # The gateway reports at most 4 mailboxes a batch (BUZON_IMAP_NOTIFY_MAX_MAILBOXES).
        s.ok("NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxName))")
        for n in range(5):
            other.ok(f"CREATE Many{n}")
        untagged = s.ok("NOOP")
        assert untagged == [b"* OK [NOTIFICATIONOVERFLOW] Too many changes; NOTIFY is off"], untagged
        # RFC 5465 §5.8: as after NOTIFY NONE.
        other.ok("CREATE AfterOverflow")
        assert s.ok("NOOP") == []


# RFC 5465 §5.2: MessageNew's fetch attributes, for the selected mailbox only.
HEADERS_OF_NEW = "NOTIFY SET (SELECTED (MessageNew (UID BODY.PEEK[HEADER.FIELDS (Subject)]) MessageExpunge))"
SUBJECT_FETCH = re.compile(rb"\* (\d+) FETCH \(UID (\d+) BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{(\d+)\}\r\n(.*)\)$", re.S | re.I)


def subject_fetch(line: bytes) -> tuple[int, int, bytes]:
    m = SUBJECT_FETCH.match(line)
    assert m, line
    data = m.group(4)
    assert len(data) == int(m.group(3)), line
    return int(m.group(1)), int(m.group(2)), data


def test_message_new_fetch_attributes_while_idle(system):
    store, smtp, imap = system
    idler = Idler(imap.port, [HEADERS_OF_NEW, "SELECT INBOX"])
    try:
        send_mail(smtp, message("Over SMTP"))
        assert idler.wait_for(lambda r: b"EXISTS" in r) == b"* 1 EXISTS"
        # The FETCH follows the EXISTS that introduced the message (RFC 9051 §7.5.1).
        r = idler.wait_for(lambda r: b"FETCH" in r)
        assert r is not None, "no FETCH after EXISTS"
        assert subject_fetch(r) == (1, 1, b"Subject: Over SMTP\r\n\r\n"), r
        with open_session(imap.port, login=ALICE) as other:
            append(other, "INBOX", message("Appended elsewhere"))
        assert idler.wait_for(lambda r: b"EXISTS" in r) == b"* 2 EXISTS"
        r = idler.wait_for(lambda r: b"FETCH" in r)
        assert r is not None and subject_fetch(r) == (2, 2, b"Subject: Appended elsewhere\r\n\r\n"), r
        assert idler.done().startswith(b"idle1 OK")
    finally:
        idler.close()
    # The notification is not the user reading: both stay unseen.
    assert stored_flags(store) == {1: frozenset(), 2: frozenset()}


def test_message_new_fetch_attributes_before_tagged_answer(system):
    store, smtp, imap = system
    with open_session(imap.port, login=ALICE) as s, open_session(imap.port, login=ALICE) as other:
        s.ok("SELECT INBOX")
        s.ok(HEADERS_OF_NEW)
        append(other, "INBOX", message("First"))
        send_mail(smtp, message("Second"))
        deadline = time.monotonic() + 10
        while len(stored_flags(store)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        untagged = s.ok("NOOP")
        exists = [i for i, line in enumerate(untagged) if line.endswith(b" EXISTS")]
        fetches = [i for i, line in enumerate(untagged) if b" FETCH " in line]
        assert exists and len(fetches) == 2, untagged
        assert untagged[exists[-1]] == b"* 2 EXISTS" and exists[-1] < fetches[0], untagged
        assert [subject_fetch(untagged[i]) for i in fetches] == [
            (1, 1, b"Subject: First\r\n\r\n"), (2, 2, b"Subject: Second\r\n\r\n")], untagged
        # Fetch attributes that would set \Seen in a FETCH do not here (RFC 5465 §5.2: the
        # client should not ask for them; the server serves them as their .PEEK forms).
        s.ok("NOTIFY SET (SELECTED (MessageNew (FLAGS BODY[TEXT]) MessageExpunge))")
        append(other, "INBOX", message("Third", body="Body three.\r\n"))
        untagged = s.ok("NOOP")
        assert b"* 3 EXISTS" in untagged, untagged
        fetch = [line for line in untagged if line.startswith(b"* 3 FETCH ")]
        assert len(fetch) == 1 and b"BODY[TEXT] {13}\r\nBody three.\r\n" in fetch[0], untagged
        assert b"\\Seen" not in fetch[0], fetch
    assert stored_flags(store) == {1: frozenset(), 2: frozenset(), 3: frozenset()}


def test_message_new_without_fetch_attributes_sends_no_fetch(system):
    _, _, imap = system
    with open_session(imap.port, login=ALICE) as s, open_session(imap.port, login=ALICE) as other:
        s.ok("NOTIFY SET (SELECTED (MessageNew MessageExpunge))")
        s.ok("SELECT INBOX")
        append(other, "INBOX", message("Plain"))
        untagged = s.ok("NOOP")
        assert b"* 1 EXISTS" in untagged, untagged
        assert not [line for line in untagged if b"FETCH" in line], untagged
