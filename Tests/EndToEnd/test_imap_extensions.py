"""IMAP extensions driven by clients nobody here wrote: UNAUTHENTICATE (RFC 8437) with Python's
imaplib (which has no method for it, but sends any command it is told is legal in a state), and
MULTIAPPEND (RFC 3502) with IMAPClient's `multiappend`."""

import datetime
import imaplib

import imapclient

from imap_support import ALICE, BOB, PASSWORD, deliver, listing, mailboxes, message, raw_message, stored_flags, uid_set

# imaplib refuses commands it does not know; RFC 8437 §3: legal when authenticated or selected.
imaplib.Commands.setdefault("UNAUTHENTICATE", ("AUTH", "SELECTED"))


def capability_set(client: imaplib.IMAP4) -> set[str]:
    typ, data = client.capability()
    assert typ == "OK", data
    return set(data[0].decode().upper().split())


def test_unauthenticate_returns_to_the_greeting_state(imap_system):
    store, smtp, imap = imap_system
    deliver(smtp, message("Stays"))
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    try:
        greeting = capability_set(client)
        assert client.login(ALICE, PASSWORD)[0] == "OK"
        assert "UNAUTHENTICATE" in capability_set(client)
        assert client.select("INBOX") == ("OK", [b"1"])
        assert client.store("1", "+FLAGS", "(\\Deleted)")[0] == "OK"
        typ, data = client._simple_command("UNAUTHENTICATE")
        assert typ == "OK", data
        client.state = "NONAUTH"
        # The selected mailbox was closed without expunge (RFC 8437 §3, as UNSELECT).
        assert len(listing(store)) == 1
        assert stored_flags(store) == {1: frozenset({"\\deleted"})}
        # The capabilities are the greeting's again (LITERAL-, AUTH=PLAIN, no UNAUTHENTICATE use).
        assert capability_set(client) == greeting
        # Not logged in: the gateway refuses SELECT (imaplib would not send it, so by hand).
        client.send(b"x1 SELECT INBOX\r\n")
        assert client.readline().startswith(b"x1 BAD"), "SELECT after UNAUTHENTICATE"
        # Another account logs in on the same connection and sees its own mail.
        assert client.login(BOB, PASSWORD)[0] == "OK"
        assert client.select("INBOX") == ("OK", [b"0"])
    finally:
        client.logout()


def test_multiappend_with_imapclient_all_or_none(imap_system):
    store, smtp, imap = imap_system
    client = imapclient.IMAPClient("127.0.0.1", port=imap.port, ssl=False, timeout=10)
    try:
        client.login(ALICE, PASSWORD)
        assert b"MULTIAPPEND" in client.capabilities()
        messages = [message(f"Batch {n}") for n in range(3)]
        when = datetime.datetime(2026, 1, 2, 9, 30, tzinfo=datetime.timezone.utc)
        answer = client.multiappend("Drafts", [
            {"msg": messages[0], "flags": [b"\\Seen"]},
            {"msg": messages[1], "date": when},
            messages[2],
        ])
        # RFC 4315 §3: APPENDUID with the new UIDs as a set, in order.
        typ, data = answer  # imaplib's (type, data) of the tagged response
        assert typ == "OK", answer
        code = data[0].decode()
        assert code.startswith("[APPENDUID "), code
        validity, uids = code[len("[APPENDUID "):].split("]")[0].split()
        assert int(validity) == mailboxes(store)["Drafts"]["uidValidity"] and uid_set(uids) == [1, 2, 3]
        stored = listing(store, name="Drafts")
        assert [raw_message(store, ALICE, "Drafts", m["uid"]) for m in stored] == messages
        assert stored_flags(store, name="Drafts")[1] == frozenset({"\\seen"})
        assert stored[1]["internalDate"] == when.timestamp()
        # All or none: a mailbox that does not exist takes none of them (IMAPClient hands NO back).
        typ, data = client.multiappend("Nowhere", messages)
        assert typ == "NO" and b"[TRYCREATE]" in data[0], data
        # An empty second message: NO, and the first is not kept either.
        before = len(listing(store, name="Drafts"))
        typ, data = client.multiappend("Drafts", [messages[0], b""])
        assert typ == "NO", data
        assert len(listing(store, name="Drafts")) == before
    finally:
        client.logout()
