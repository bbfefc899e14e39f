"""INPROGRESS (RFC 9585) with Python's imaplib: a SEARCH, SORT, COPY, MOVE or EXPUNGE that runs
past BUZON_IMAP_INPROGRESS_MS is accompanied by untagged `* OK [INPROGRESS ("tag" done total)]`
responses before its tagged answer. Here the threshold is 0 (report at once) and SEARCH asks
the store three messages at a time (BUZON_IMAP_PROGRESS_SLICE), so a small mailbox shows it;
with the default (1 s) a quick command says nothing more than before."""

import imaplib
import re

import pytest

from conftest import IMAPGateway, Store
from imap_support import ALICE, PASSWORD, message

PROGRESS = re.compile(rb'^\* OK \[INPROGRESS \("([^"]+)" (NIL|\d+) (NIL|\d+)\)\]')


@pytest.fixture
def quick_progress(tmp_path):
    store = Store(tmp_path / "data").start()
    store.add_user(ALICE)
    gateway = None
    try:
        gateway = IMAPGateway(store, tmp_path, env={"BUZON_IMAP_INPROGRESS_MS": "0", "BUZON_IMAP_PROGRESS_SLICE": "3"}).start()
        yield store, gateway
    finally:
        if gateway:
            gateway.stop()
        store.stop()


def run(client: imaplib.IMAP4, tag: str, command: str) -> list[bytes]:
    """Sends one command by hand and reads every line up to its tagged answer."""
    client.send(f"{tag} {command}\r\n".encode())
    lines = []
    while True:
        line = client.readline().rstrip(b"\r\n")
        lines.append(line)
        if line.startswith(tag.encode() + b" "):
            return lines


def progress(lines: list[bytes], tag: str) -> list[tuple[bytes, bytes]]:
    found = []
    for line in lines:
        match = PROGRESS.match(line)
        if match:
            assert match.group(1) == tag.encode(), line
            found.append((match.group(2), match.group(3)))
    return found


def test_inprogress_on_long_commands(quick_progress):
    _, imap = quick_progress
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    for n in range(8):
        assert client.append("INBOX", None, None, message(f"Progress {n}"))[0] == "OK"
    assert client.create("Archive")[0] == "OK"
    assert client.select("INBOX")[0] == "OK"

    # SEARCH in slices of 3: counted progress (done of 8), all before the result and the OK.
    # A key the store evaluates (a search of flags alone is answered from the gateway's view).
    lines = run(client, "s1", "UID SEARCH SUBJECT Progress")
    counted = [(int(done), int(total)) for done, total in progress(lines, "s1") if done != b"NIL"]
    # A report per slice (0, 3, 6 of 8 done), maybe more from the timer; never going back.
    assert {0, 3, 6} <= {done for done, _ in counted} and all(total == 8 for _, total in counted), lines
    assert [done for done, _ in counted] == sorted(done for done, _ in counted), lines
    assert lines[-2] == b"* SEARCH 1 2 3 4 5 6 7 8" and lines[-1].startswith(b"s1 OK"), lines
    assert all(PROGRESS.match(line) for line in lines[:-2]), lines

    for tag, command in [("o1", "UID SORT (REVERSE ARRIVAL) UTF-8 ALL"), ("c1", "UID COPY 1:4 Archive"),
                         ("m1", "UID MOVE 5:6 Archive")]:
        lines = run(client, tag, command)
        assert progress(lines, tag), lines
        assert lines[-1].startswith(f"{tag} OK".encode()), lines
        # Never after the tagged answer: the next command's lines start clean.
    assert client.store("1:2", "+FLAGS", "(\\Deleted)")[0] == "OK"
    lines = run(client, "e1", "EXPUNGE")
    assert progress(lines, "e1") and lines[-1].startswith(b"e1 OK"), lines
    # Commands that are not long ones say nothing of the kind.
    lines = run(client, "n1", "NOOP")
    assert not progress(lines, "n1"), lines
    # imaplib itself takes the untagged OKs in its stride.
    typ, data = client.uid("SEARCH", "ALL")
    assert typ == "OK" and data[0].split() == [b"3", b"4", b"7", b"8"], data
    assert client.logout()[0] == "BYE"


def test_no_inprogress_for_quick_commands_by_default(imap_system):
    _, _, imap = imap_system
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    assert client.append("INBOX", None, None, message("Quick"))[0] == "OK"
    assert client.select("INBOX")[0] == "OK"
    lines = run(client, "s1", "SEARCH ALL")
    assert lines == [b"* SEARCH 1", b"s1 OK SEARCH completed"], lines
    assert client.logout()[0] == "BYE"
