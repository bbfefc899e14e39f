"""METADATA and METADATA-SERVER (RFC 5464) as a client sees them: python's imaplib (which knows
nothing of METADATA, so the commands go through its generic command path and its own parser
of untagged responses and literals) and a raw socket for exact response codes.

imapclient has no getmetadata/setmetadata in the installed 4.x, so imaplib stands in for the
client nobody here wrote. The gateway runs with small limits (`BUZON_IMAP_METADATA_*`) so the
refusals are quick to reach."""

import imaplib

import pytest

from conftest import Gateway, IMAPGateway, Store
from imap_support import ALICE, PASSWORD, open_session, status

ADMIN = "mailto:postmaster@example.test"
LIMITS = {"BUZON_IMAP_METADATA_MAX_SIZE": "100", "BUZON_IMAP_METADATA_MAX_ENTRIES": "5", "BUZON_IMAP_METADATA_ADMIN": ADMIN}

for name in ("GETMETADATA", "SETMETADATA"):
    imaplib.Commands.setdefault(name, ("AUTH", "SELECTED"))


@pytest.fixture
def imap(tmp_path, cleanup):
    store = Store(tmp_path / "data").start()
    cleanup(store)
    store.add_user(ALICE)
    smtp = Gateway(store, tmp_path).start()
    cleanup(smtp)
    gateway = IMAPGateway(store, tmp_path, env=LIMITS).start()
    cleanup(gateway)
    return gateway


def client(imap) -> imaplib.IMAP4:
    c = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    c.login(ALICE, PASSWORD)
    return c


def call(c: imaplib.IMAP4, name: str, *args) -> tuple[str, list]:
    """One command through imaplib's generic path; (status, the tagged line's data)."""
    typ, data = c._simple_command(name, *args)
    return typ, data


def metadata(c: imaplib.IMAP4) -> list:
    """The METADATA responses imaplib collected since the last call, flattened."""
    _, data = c._untagged_response("OK", [None], "METADATA")
    return [d for d in data if d is not None]


def entries(raw: list) -> dict[str, bytes]:
    """{entry: value} from imaplib's METADATA data: a line with a literal comes as a tuple."""
    out: dict[str, bytes] = {}
    for item in raw:
        if isinstance(item, tuple):  # (b'INBOX (/private/a {4}', b'x\r\ny') then b' /shared/b "v")'
            head, literal = item
            out[head.rsplit(b" ", 2)[-2].lstrip(b"(").decode()] = literal
            continue
        body = item.split(b" (", 1)[1].rstrip(b")") if b" (" in item else item
        tokens = body.split(b" ")
        while len(tokens) >= 2:
            name, value = tokens[0], tokens[1]
            tokens = tokens[2:]
            if value.startswith(b'"'):
                while not value.endswith(b'"') or len(value) == 1:
                    value += b" " + tokens.pop(0)
                value = value[1:-1]
            out[name.decode()] = value
    return out


def test_capabilities_name_both_extensions(imap):
    c = client(imap)
    assert {"METADATA", "METADATA-SERVER"} <= set(c.capabilities)
    c.logout()


def test_mailbox_entries_set_read_and_removed(imap):
    c = client(imap)
    assert call(c, "SETMETADATA", "INBOX", '(/private/comment "My own comment" /shared/comment "For everyone")')[0] == "OK"
    typ, _ = call(c, "GETMETADATA", "INBOX", "(/private/comment /shared/comment /shared/missing)")
    assert typ == "OK"
    got = entries(metadata(c))
    # RFC 5464 §4.2: entries that do not exist are not returned.
    assert got == {"/private/comment": b"My own comment", "/shared/comment": b"For everyone"}
    # Entry names are case-insensitive (RFC 5464 §3.2).
    assert call(c, "GETMETADATA", "INBOX", "/PRIVATE/Comment")[0] == "OK"
    assert entries(metadata(c)) == {"/private/comment": b"My own comment"}
    # NIL removes (RFC 5464 §4.3).
    assert call(c, "SETMETADATA", "INBOX", "(/private/comment NIL)")[0] == "OK"
    assert call(c, "GETMETADATA", "INBOX", "(/private/comment /shared/comment)")[0] == "OK"
    assert entries(metadata(c)) == {"/shared/comment": b"For everyone"}
    c.logout()


def test_server_entries_and_the_configured_admin(imap):
    c = client(imap)
    assert call(c, "GETMETADATA", '""', "/shared/admin")[0] == "OK"
    assert entries(metadata(c)) == {"/shared/admin": ADMIN.encode()}
    assert call(c, "SETMETADATA", '""', '(/shared/comment "Server note")')[0] == "OK"
    assert call(c, "GETMETADATA", "(DEPTH 1)", '""', "/shared")[0] == "OK"
    assert entries(metadata(c)) == {"/shared/admin": ADMIN.encode(), "/shared/comment": b"Server note"}
    c.logout()
    with open_session(imap.port, login=ALICE) as s:
        tagged, _ = s.command('SETMETADATA "" (/shared/admin "mailto:me@example.test")')
        assert tagged.split()[1:3] == [b"NO", b"[NOPERM]"], tagged


def test_depth_and_maxsize(imap):
    with open_session(imap.port, login=ALICE) as s:
        s.ok('SETMETADATA INBOX (/private/a "1" /private/a/b "22" /private/a/b/c "3333333333")')
        assert s.ok("GETMETADATA INBOX /private/a") == [b'* METADATA INBOX (/private/a "1")']
        assert s.ok("GETMETADATA (DEPTH 1) INBOX /private/a") == [b'* METADATA INBOX (/private/a "1" /private/a/b "22")']
        untagged = s.ok("GETMETADATA (DEPTH infinity) INBOX /private")
        assert untagged == [b'* METADATA INBOX (/private/a "1" /private/a/b "22" /private/a/b/c "3333333333")']
        # RFC 5464 §4.2.1: longer values are left out and the longest is named.
        tagged, untagged = s.command("GETMETADATA (MAXSIZE 2 DEPTH infinity) INBOX /private/a")
        assert b"OK [METADATA LONGENTRIES 10]" in tagged, tagged
        assert untagged == [b'* METADATA INBOX (/private/a "1" /private/a/b "22")']


def test_binary_values_and_literals(imap):
    with open_session(imap.port, login=ALICE) as s:
        s.send(b"b1 SETMETADATA INBOX (/shared/bin ~{4}\r\n")
        assert s.response().startswith(b"+")
        s.send(b"a\x00b\xff /private/text {5}\r\n")
        assert s.response().startswith(b"+")
        s.send(b"x\r\ny\"" + b")\r\n")
        tagged, _ = s.until_tagged("b1")
        assert status(tagged) == "OK", tagged
        untagged = s.ok("GETMETADATA INBOX (/shared/bin /private/text)")
        assert untagged == [b"* METADATA INBOX (/private/text {5}\r\nx\r\ny\" /shared/bin ~{4}\r\na\x00b\xff)"], untagged


def test_limits_refuse_the_whole_command(imap):
    with open_session(imap.port, login=ALICE) as s:
        tagged, _ = s.command('SETMETADATA INBOX (/shared/ok "x" /shared/big "%s")' % ("v" * 101))
        assert b"NO [METADATA MAXSIZE 100]" in tagged, tagged
        s.ok('SETMETADATA INBOX (/shared/e1 "1" /shared/e2 "2" /shared/e3 "3" /shared/e4 "4" /shared/e5 "5")')
        tagged, _ = s.command('SETMETADATA INBOX (/shared/e5 NIL /shared/e6 "6" /shared/e7 "7")')
        assert b"NO [METADATA TOOMANY]" in tagged, tagged
        # Nothing of a refused command was kept (RFC 5464 §4.3).
        untagged = s.ok("GETMETADATA (DEPTH 1) INBOX /shared")
        assert untagged == [b'* METADATA INBOX (/shared/e1 "1" /shared/e2 "2" /shared/e3 "3" /shared/e4 "4" /shared/e5 "5")'], untagged
        # Replacing a value and removing one for a new one stays within the limit.
        s.ok('SETMETADATA INBOX (/shared/e5 NIL /shared/e6 "6" /shared/e1 "one")')
        # The limit is per mailbox: another mailbox has its own five.
        s.ok("CREATE Other")
        s.ok('SETMETADATA Other (/shared/e1 "1" /shared/e2 "2" /shared/e3 "3" /shared/e4 "4" /shared/e5 "5")')


def test_entries_follow_rename_and_go_with_delete(imap):
    with open_session(imap.port, login=ALICE) as s:
        s.ok("CREATE Projects")
        s.ok("CREATE Projects/Old")
        s.ok('SETMETADATA Projects (/shared/comment "Work")')
        s.ok('SETMETADATA Projects/Old (/private/comment "Child")')
        s.ok("RENAME Projects Work")
        assert s.ok("GETMETADATA Work /shared/comment") == [b'* METADATA Work (/shared/comment "Work")']
        assert s.ok("GETMETADATA Work/Old /private/comment") == [b'* METADATA Work/Old (/private/comment "Child")']
        s.ok("DELETE Work/Old")
        s.ok("CREATE Work/Old")
        assert s.ok("GETMETADATA Work/Old /private/comment") == []
        tagged, _ = s.command("GETMETADATA Projects /shared/comment")
        assert b"NO [NONEXISTENT]" in tagged, tagged
        tagged, _ = s.command('SETMETADATA Nowhere (/shared/comment "x")')
        assert b"NO [NONEXISTENT]" in tagged, tagged


@pytest.mark.parametrize("line", [
    "GETMETADATA INBOX /vendor/x", "GETMETADATA INBOX /private/*", "GETMETADATA INBOX /shared/a//b",
    "GETMETADATA INBOX /shared/", 'SETMETADATA INBOX (/comment "x")', "GETMETADATA (DEPTH 2) INBOX /shared",
])
def test_bad_entry_names_and_options(imap, line):
    with open_session(imap.port, login=ALICE) as s:
        tagged, _ = s.command(line)
        assert status(tagged) == "BAD", (line, tagged)
        assert status(s.command("NOOP")[0]) == "OK"
