"""IMAP extensions driven by clients nobody here wrote: UNAUTHENTICATE (RFC 8437) with Python's
imaplib (which has no method for it, but sends any command it is told is legal in a state)."""

import imaplib

from imap_support import ALICE, BOB, PASSWORD, deliver, listing, message, stored_flags

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
