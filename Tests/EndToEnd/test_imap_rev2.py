"""A client that speaks IMAP4rev2 (RFC 9051). The gateway advertises both IMAP4rev1 and
IMAP4rev2; a client opts in with `ENABLE IMAP4rev2` (RFC 9051 §6.3.1) and from then on the
session must follow RFC 9051 where it differs from RFC 3501: SELECT names the mailbox in a
LIST response and drops RECENT, SEARCH answers with ESEARCH, mailbox names are UTF-8. The
same session without ENABLE keeps the IMAP4rev1 forms (that is what every other test uses)."""

from imap_support import ALICE, deliver, mailboxes, message, open_session, parse, uid_set


def rev2_session(imap):
    s = open_session(imap.port, login=ALICE)
    assert [r.upper() for r in s.ok("ENABLE IMAP4rev2")] == [b"* ENABLED IMAP4REV2"]
    return s


def test_select_after_enable_imap4rev2_lists_the_mailbox(imap_system):
    """RFC 9051 §6.3.2: REQUIRED untagged responses FLAGS, EXISTS, LIST; RECENT is gone (§7.4)."""
    store, smtp, imap = imap_system
    deliver(smtp, message("rev2 select"))
    with rev2_session(imap) as s:
        untagged = s.ok("SELECT INBOX")
        assert b"* 1 EXISTS" in untagged and any(r.startswith(b"* FLAGS ") for r in untagged)
        assert not any(r.endswith(b" RECENT") for r in untagged), untagged
        listed = [parse(r) for r in untagged if r.startswith(b"* LIST ")]
        assert len(listed) == 1 and listed[0][3:5] == [b"/", "INBOX"], untagged


def test_search_after_enable_imap4rev2_answers_with_esearch(imap_system):
    """RFC 9051 §6.4.4 and §7.3.4: SEARCH and UID SEARCH are answered with ESEARCH; the
    IMAP4rev1 SEARCH response is not part of IMAP4rev2 (Appendix E)."""
    store, smtp, imap = imap_system
    uids = [deliver(smtp, message(f"rev2 search {n}"))[0] for n in range(3)]
    with open_session(imap.port, login=ALICE) as rev1:  # without ENABLE: IMAP4rev1's SEARCH
        rev1.ok("SELECT INBOX")
        assert rev1.ok("SEARCH ALL") == [b"* SEARCH 1 2 3"]
    with rev2_session(imap) as s:
        s.ok("SELECT INBOX")
        for command, expected in (("SEARCH ALL", ["ALL", [1, 2, 3]]), ("UID SEARCH ALL", ["UID", "ALL", uids]),
                                  ("SEARCH SUBJECT no-such-words", [])):
            untagged = s.ok(command)
            assert len(untagged) == 1 and untagged[0].startswith(b"* ESEARCH "), (command, untagged)
            tokens = [t for t in parse(untagged[0])[2:] if not isinstance(t, list)]  # without (TAG "…")
            got = [str(t).upper() for t in tokens[:-1]] + [uid_set(str(t)) for t in tokens[-1:]]
            assert got == expected, (command, untagged)


def test_mailbox_names_are_utf8_after_enable_imap4rev2(imap_system):
    """RFC 9051 §5.1: IMAP4rev2 mailbox names are UTF-8 (modified UTF-7 is IMAP4rev1's; RFC 9755
    does not extend IMAP4rev2 "since that protocol includes everything in this extension")."""
    store, smtp, imap = imap_system
    with rev2_session(imap) as s:
        s.ok('CREATE "Été"'.encode())
        listed = {parse(r)[4] for r in s.ok('LIST "" "*"')}
        assert "Été".encode() in listed or "Été" in listed, listed
        s.ok('SELECT "Été"'.encode())
    assert "Été" in mailboxes(store)
