"""NOTIFY (RFC 5465) over mailboxes another user shares (RFC 4314, the Other Users namespace of
RFC 2342), and the RFC 5465 MUSTs about what its responses carry, as a client reads them from
the socket: Bob shares a mailbox with Alice, who NOTIFYs on it; Bob's APPEND and STORE reach her
as STATUS (with UIDVALIDITY and HIGHESTMODSEQ when she asked for FlagChange, §5.1); his
revocation is the mailbox's deletion for her (LIST \\NonExistent) and a new grant its creation
(LIST ()), §5.4 and §5.9; a shared mailbox Bob deletes is gone for her NOTIFY and for her session
that has it selected, as an own mailbox deleted by another session is. PERSONAL stays the
personal namespace (§6). SubscriptionChange's LIST carries the attributes LIST computes (§5.5)."""

import pytest

from imap_support import ALICE, BOB, message, open_session, status
from test_imap_notify import Idler, append, status_items

SHARED = f"Other Users/{BOB}"
PROJECTS = f"{SHARED}/Projects"
PLANS = f"{SHARED}/Plans"


@pytest.fixture
def system(imap_system):
    """conftest's store, smtp-gateway and imap-gateway, with Alice and Bob."""
    return imap_system


def is_list(name: str):
    return lambda r: r.startswith(b"* LIST") and r.endswith(f'"{name}"'.encode())


def is_status(name: str):
    return lambda r: r.startswith(f'* STATUS "{name}" '.encode())


def test_status_of_a_shared_mailbox_and_grants_as_creation_and_deletion(system):
    _, _, imap = system
    with open_session(imap.port, login=BOB) as bob:
        bob.ok("CREATE Projects")
        append(bob, "Projects", message("Before"))
        bob.ok(f"SETACL Projects {ALICE} lrs")
        bob.ok("CREATE Plans")
        idler = Idler(imap.port, [
            f'NOTIFY SET STATUS (MAILBOXES "{PROJECTS}" (MessageNew MessageExpunge FlagChange MailboxName))'
            f' (SUBTREE "Other Users" (MessageNew MessageExpunge MailboxName))'])
        try:
            # RFC 5465 §3.1: STATUS of the watched shared mailbox before the OK; with FlagChange,
            # UIDVALIDITY and HIGHESTMODSEQ (§5.1), CONDSTORE being advertised.
            first = [r for r in idler.setup[0] if is_status(PROJECTS)(r)]
            assert len(first) == 1, idler.setup[0]
            items = status_items(first[0])
            assert items["MESSAGES"] == 1 and {"UIDVALIDITY", "HIGHESTMODSEQ"} <= set(items), first
            append(bob, "Projects", message("Shared news"))
            r = idler.wait_for(is_status(PROJECTS))
            assert r is not None, "no STATUS for Bob's APPEND to the mailbox he shares"
            items = status_items(r)
            assert items["MESSAGES"] == 2 and items["UIDNEXT"] == 3, r
            assert items["UIDVALIDITY"] == status_items(first[0])["UIDVALIDITY"] and items["HIGHESTMODSEQ"] > 0, r
            bob.ok("SELECT Projects")
            bob.ok("STORE 1 +FLAGS (\\Flagged)")
            r = idler.wait_for(is_status(PROJECTS))
            assert r is not None and status_items(r)["HIGHESTMODSEQ"] > items["HIGHESTMODSEQ"], r
            # Revoking l is the mailbox's deletion for Alice (§5.4), and monitoring stops (§5.9).
            bob.ok(f"DELETEACL Projects {ALICE}")
            assert idler.wait_for(lambda r: r.startswith(b"* LIST")) == f'* LIST (\\NonExistent) "/" "{PROJECTS}"'.encode()
            append(bob, "Projects", message("Not for Alice any more"))
            assert idler.wait_for(lambda r: r.startswith(b"* STATUS"), timeout=1.0) is None
            # Granting l is its creation, and monitoring starts.
            bob.ok(f"SETACL Plans {ALICE} lr")
            assert idler.wait_for(lambda r: r.startswith(b"* LIST")) == f'* LIST () "/" "{PLANS}"'.encode()
            append(bob, "Plans", message("Plan"))
            r = idler.wait_for(is_status(PLANS))
            assert r is not None and status_items(r)["MESSAGES"] == 1, r
            assert idler.done().startswith(b"idle1 OK")
        finally:
            idler.close()
        # RFC 5465 §6: PERSONAL is the personal namespace; Bob's mailboxes are not in it.
        with open_session(imap.port, login=ALICE) as alice:
            alice.ok("NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxName))")
            append(bob, "Plans", message("Plan 2"))
            bob.ok(f"SETACL Projects {ALICE} lr")
            assert alice.ok("NOOP") == []


def test_a_deleted_shared_mailbox_is_gone_for_notify_and_the_session_that_has_it_selected(system):
    _, _, imap = system
    with open_session(imap.port, login=BOB) as bob, open_session(imap.port, login=ALICE) as selected:
        bob.ok("CREATE Projects")
        append(bob, "Projects", message("One"))
        append(bob, "Projects", message("Two"))
        bob.ok(f"SETACL Projects {ALICE} lr")
        assert b"* 2 EXISTS" in selected.ok(f'SELECT "{PROJECTS}"')
        idler = Idler(imap.port, ['NOTIFY SET (SUBTREE "Other Users" (MailboxName))'])
        try:
            bob.ok("DELETE Projects")
            assert idler.wait_for(lambda r: r.startswith(b"* LIST")) == f'* LIST (\\NonExistent) "/" "{PROJECTS}"'.encode()
        finally:
            idler.close()
        # As for an own mailbox another session deleted: every message is expunged (RFC 9051
        # §7.5.1), and the session goes on.
        untagged = selected.ok("NOOP")
        assert len(untagged) == 2 and all(line.endswith(b" EXPUNGE") for line in untagged), untagged
        assert selected.ok("NOOP") == []
        tagged, _ = selected.command(f'STATUS "{PROJECTS}" (MESSAGES)')
        assert status(tagged) == "NO", tagged
        assert selected.ok(f'LIST "" "{SHARED}/*"') == []


def test_status_carries_uidvalidity_and_highestmodseq_with_flagchange(system):
    _, _, imap = system
    with open_session(imap.port, login=ALICE) as other:
        append(other, "INBOX", message("Hello"))
        with open_session(imap.port, login=ALICE) as s:
            untagged = s.ok("NOTIFY SET STATUS (INBOXES (MessageNew MessageExpunge FlagChange))")
            assert len(untagged) == 1 and {"UIDVALIDITY", "HIGHESTMODSEQ"} <= set(status_items(untagged[0])), untagged
            other.ok("SELECT INBOX")
            other.ok("STORE 1 +FLAGS (\\Seen)")
            untagged = s.ok("NOOP")
            assert len(untagged) == 1, untagged
            items = status_items(untagged[0])
            assert items["UNSEEN"] == 0 and {"UIDVALIDITY", "HIGHESTMODSEQ"} <= set(items), untagged
            # Without FlagChange (and without CONDSTORE), no MODSEQ.
            s.ok("NOTIFY SET (INBOXES (MessageNew MessageExpunge))")
            append(other, "INBOX", message("Again"))
            untagged = s.ok("NOOP")
            assert len(untagged) == 1 and "HIGHESTMODSEQ" not in status_items(untagged[0]), untagged


def test_subscription_change_lists_the_attributes_list_computes(system):
    _, _, imap = system
    with open_session(imap.port, login=ALICE) as other, open_session(imap.port, login=ALICE) as s:
        other.ok("CREATE Lists/Swift")
        other.ok("CREATE Old (USE (\\Archive))")
        other.ok("CREATE Gone")
        for name in ("Lists", "Old", "Gone"):  # CREATE subscribed them
            other.ok(f"UNSUBSCRIBE {name}")
        s.ok("NOTIFY SET (PERSONAL (SubscriptionChange))")
        other.ok("SUBSCRIBE Lists")
        other.ok("SUBSCRIBE Old")
        other.ok("SUBSCRIBE Gone")
        other.ok("DELETE Gone")  # the subscription stays (RFC 9051 §6.3.4)
        other.ok("UNSUBSCRIBE Lists/Swift")
        assert s.ok("NOOP") == [
            b'* LIST (\\HasChildren \\Subscribed) "/" Lists',
            b'* LIST (\\HasNoChildren \\Archive \\Subscribed) "/" Old',
            b'* LIST (\\NonExistent \\Subscribed) "/" Gone',
            b'* LIST (\\HasNoChildren) "/" Lists/Swift',
        ]


def test_a_revoked_shared_mailbox_behaves_as_deleted_for_the_session_that_has_it_selected(system):
    _, _, imap = system
    with open_session(imap.port, login=BOB) as bob, open_session(imap.port, login=ALICE) as selected:
        bob.ok("CREATE Projects")
        append(bob, "Projects", message("One"))
        bob.ok(f"SETACL Projects {ALICE} lr")
        assert b"* 1 EXISTS" in selected.ok(f'SELECT "{PROJECTS}"')
        bob.ok(f"DELETEACL Projects {ALICE}")
        # No right left on any of Bob's mailboxes: as if it did not exist (RFC 4314 §4), the
        # session carries on with the mailbox gone rather than being cut off.
        assert selected.ok("NOOP") == [b"* 1 EXPUNGE"]
        assert selected.ok("NOOP") == []


def test_a_revoked_read_right_ends_the_selection_while_another_mailbox_stays_shared(system):
    """RFC 4314 §4: without r the selected mailbox is gone for the session, also when the
    owner's feed stays open to it through another grant (the revocation is in the session's
    own feed); an IDLE hears of it at once."""
    _, _, imap = system
    with open_session(imap.port, login=BOB) as bob, open_session(imap.port, login=ALICE) as selected:
        for box in ("Projects", "Other"):
            bob.ok(f"CREATE {box}")
            append(bob, box, message(f"In {box}"))
            bob.ok(f"SETACL {box} {ALICE} lr")
        assert b"* 1 EXISTS" in selected.ok(f'SELECT "{PROJECTS}"')
        bob.ok(f"SETACL Projects {ALICE} l")  # l stays, r goes; Other stays readable
        assert selected.ok("NOOP") == [b"* 1 EXPUNGE"]
        assert selected.ok("NOOP") == []
        # The same in IDLE: the grant moves the session's own feed, which IDLE now watches.
        bob.ok(f"SETACL Projects {ALICE} lr")
        assert b"* 1 EXISTS" in selected.ok(f'SELECT "{PROJECTS}"')
        selected.send(b"i1 IDLE\r\n")
        assert selected.response().startswith(b"+")
        bob.ok(f"SETACL Projects {ALICE} l")
        assert selected.response() == b"* 1 EXPUNGE"
        selected.send(b"DONE\r\n")
        assert status(selected.until_tagged("i1")[0]) == "OK"
