"""Access control lists (RFC 4314), LIST-MYRIGHTS (RFC 8440) and the Other Users namespace
(RFC 2342) through the imap-gateway, with clients nobody here wrote: IMAPClient (getacl,
setacl, namespace), raw commands for MYRIGHTS and LISTRIGHTS, and mbsync reading a mailbox
another user shares. The store enforces every right: the negative tests check that nobody
reads or writes another user's mail without a grant, and that grants stay within a domain."""

import os
import re
import subprocess
from pathlib import Path

import imapclient

from imap_support import (ALICE, BOB, PASSWORD, deliver, listing, mailboxes, message, open_session, parse, status,
                          trusting_context)

CAROL = "carol@example.test"
MALLORY = "mallory@other.test"
SHARED = f"Other Users/{ALICE}/Projects"


def client(imap, user: str) -> imapclient.IMAPClient:
    c = imapclient.IMAPClient("127.0.0.1", port=imap.tls_port, ssl=True, ssl_context=trusting_context(imap), timeout=10)
    c.login(user, PASSWORD)
    return c


def projects(store, smtp, imap, messages: int = 2) -> None:
    """Alice's Projects with `messages` messages (the first \\Flagged), and Carol and Mallory."""
    store.add_user(CAROL)
    store.add_user(MALLORY)
    with client(imap, ALICE) as c:
        c.create_folder("Projects")
        for n in range(messages):
            c.append("Projects", message(f"Plan {n}", f"step {n}\r\n"), flags=(b"\\Flagged",) if n == 0 else ())


def name_of(listed: bytes) -> str:
    """The mailbox name of a LIST response, quoted or not."""
    last = parse(listed)[-1]
    return last.decode() if isinstance(last, bytes) else str(last)


def append(name: str, data: bytes, flags: str = "") -> bytes:
    """An APPEND command with a LITERAL+ literal (the tagged command's own CRLF ends it)."""
    return f'APPEND "{name}" {flags}{{{len(data)}+}}\r\n'.encode() + data


def code(tagged: bytes) -> str | None:
    m = re.match(rb"\S+ (?:OK|NO|BAD) \[([A-Z-]+)", tagged)
    return m.group(1).decode() if m else None


def test_capabilities_namespace_and_acl_commands(imap_system):
    store, smtp, imap = imap_system
    projects(store, smtp, imap)
    with client(imap, ALICE) as c:
        assert {b"ACL", b"RIGHTS=TEXK", b"LIST-MYRIGHTS"} <= {x.upper() for x in c.capabilities()}
        ns = c.namespace()
        assert ns.personal == (("", "/"),) and ns.other == (("Other Users/", "/"),) and not ns.shared
        assert c.getacl("Projects") == [(ALICE.encode(), b"lrswipkxtea")]
        c.setacl("Projects", BOB, "lr")
        c.setacl("Projects", "anyone", "l")
        assert sorted(c.getacl("Projects")) == sorted([(ALICE.encode(), b"lrswipkxtea"), (BOB.encode(), b"lr"),
                                                        (b"anyone", b"l")])
    with open_session(imap.port, login=ALICE) as s:
        s.ok('SETACL Projects anyone ""')  # RFC 4314 §3.1: empty rights remove the entry
        assert b"anyone" not in s.ok("GETACL Projects")[0]
        assert s.ok("MYRIGHTS Projects") == [b"* MYRIGHTS Projects lrswipkxtea"]
        # RFC 4314 §3.4: the owner's rights are fixed; anyone else's are granted one by one.
        assert s.ok(f"LISTRIGHTS Projects {ALICE}") == [f"* LISTRIGHTS Projects {ALICE} lrswipkxtea".encode()]
        assert s.ok(f"LISTRIGHTS Projects {BOB}") == [f'* LISTRIGHTS Projects {BOB} "" l r s w i p k x t e a'.encode()]
        s.ok(f"SETACL Projects {BOB} +s")
        assert s.ok("GETACL Projects")[0].endswith(f"{BOB} lrs".encode())
        s.ok(f"SETACL Projects {BOB} -s")
        assert s.ok("GETACL Projects")[0].endswith(f"{BOB} lr".encode())
        # RFC 4314 §2.1.1 (RIGHTS=texk): d is x, t and e.
        s.ok(f"SETACL Projects {CAROL} lrd")
        assert s.ok("GETACL Projects")[0].endswith(f"{CAROL} lrxte".encode())
        s.ok(f"DELETEACL Projects {CAROL}")
        assert CAROL.encode() not in s.ok("GETACL Projects")[0]
        # Errors: an unknown right is BAD; another domain, an unknown account and the owner NO.
        assert status(s.command(f"SETACL Projects {BOB} lrQ")[0]) == "BAD"
        for who in (MALLORY, "nobody@example.test", ALICE):
            assert status(s.command(f"SETACL Projects {who} lr")[0]) == "NO", who
        assert status(s.command("GETACL NoSuchBox")[0]) == "NO"
        assert status(s.command("SETACL INBOX")[0]) == "BAD"
        # RFC 8440: RETURN (MYRIGHTS) adds a MYRIGHTS after each LIST.
        untagged = s.ok('LIST "" "Projects" RETURN (MYRIGHTS)')
        assert untagged[1] == b"* MYRIGHTS Projects lrswipkxtea", untagged


def test_a_read_grant_reads_and_writes_nothing(imap_system):
    store, smtp, imap = imap_system
    projects(store, smtp, imap)
    before = listing(store, ALICE, "Projects")
    with client(imap, ALICE) as c:
        c.setacl("Projects", BOB, "lr")
    with open_session(imap.port, login=BOB) as s:
        names = [name_of(r) for r in s.ok('LIST "" "*"')]
        assert SHARED in names and f"Other Users/{ALICE}" in names and "Other Users" in names, names
        assert not any(n.startswith(f"Other Users/{ALICE}/INBOX") for n in names)
        level = next(r for r in s.ok('LIST "" "Other Users/%"'))
        assert b"\\Noselect" in level, level
        listed = s.ok(f'LIST "" "{SHARED}" RETURN (MYRIGHTS)')
        assert listed[1] == f'* MYRIGHTS "{SHARED}" lr'.encode(), listed
        assert s.ok(f'MYRIGHTS "{SHARED}"') == [f'* MYRIGHTS "{SHARED}" lr'.encode()]
        # RFC 4314 §4: r without s, w, t, e selects READ-ONLY.
        tagged, untagged = s.command(f'SELECT "{SHARED}"')
        assert status(tagged) == "OK" and code(tagged) == "READ-ONLY", tagged
        assert b"* 2 EXISTS" in untagged
        body = s.ok("UID FETCH 1 (BODY[])")
        assert b"step 0" in b"".join(body)
        for refused in ("UID STORE 1 +FLAGS (\\Seen)", "UID STORE 1 +FLAGS (\\Deleted)", "EXPUNGE"):
            assert status(s.command(refused)[0]) == "NO", refused
        assert status(s.command(append(SHARED, b"Subject: hi\r\n\r\nhi\r\n"))[0]) == "NO"
        assert status(s.command(f'SETACL "{SHARED}" {CAROL} lr')[0]) == "NO"
        assert status(s.command(f'GETACL "{SHARED}"')[0]) == "NO"
        assert status(s.command(f'DELETE "{SHARED}"')[0]) == "NO"
        assert status(s.command(f'CREATE "{SHARED}/Sub"')[0]) == "NO"
        # Reading it is allowed: a copy into Bob's own INBOX.
        s.ok("UID COPY 1:* INBOX")
    assert listing(store, ALICE, "Projects") == before, "Bob changed Alice's mailbox"
    assert len(listing(store, BOB, "INBOX")) == 2


def test_no_grant_no_mailbox_and_no_other_domain(imap_system):
    store, smtp, imap = imap_system
    projects(store, smtp, imap)
    with client(imap, ALICE) as c:
        c.setacl("Projects", BOB, "lrswite")
        try:
            c.setacl("Projects", MALLORY, "lr")
            raise AssertionError("a grant to another domain succeeded")
        except imapclient.exceptions.IMAPClientError:
            pass
    deliver(smtp, message("Private"))
    for user in (CAROL, MALLORY):
        with open_session(imap.port, login=user) as s:
            names = [name_of(r) for r in s.ok('LIST "" "*"')]
            assert not any(n.startswith("Other Users") for n in names), (user, names)
            for name in (SHARED, f"Other Users/{ALICE}/INBOX"):
                tagged, _ = s.command(f'SELECT "{name}"')
                assert status(tagged) == "NO" and code(tagged) == "NONEXISTENT", tagged
                assert status(s.command(f'MYRIGHTS "{name}"')[0]) == "NO"
                assert status(s.command(f'STATUS "{name}" (MESSAGES)')[0]) == "NO"
                assert status(s.command(append(name, b"Subject: hi\r\n\r\nhi\r\n"))[0]) == "NO"
    # Bob has Projects, not Alice's INBOX.
    with open_session(imap.port, login=BOB) as s:
        tagged, _ = s.command(f'SELECT "Other Users/{ALICE}/INBOX"')
        assert code(tagged) == "NONEXISTENT", tagged
        s.ok(f'SELECT "{SHARED}"')
        s.ok("UID STORE 1 +FLAGS (\\Seen)")
        s.ok(append(SHARED, b"Subject: from bob\r\n\r\nhi\r\n", "(\\Seen) "))
    assert len(listing(store, ALICE, "Projects")) == 3
    assert len(listing(store, ALICE, "INBOX")) == 1


def test_a_second_user_sees_the_owners_changes(imap_system):
    store, smtp, imap = imap_system
    projects(store, smtp, imap, messages=1)
    with client(imap, ALICE) as c:
        c.setacl("Projects", BOB, "lrs")
    with open_session(imap.port, login=BOB) as bob, open_session(imap.port, login=ALICE) as alice:
        tagged, untagged = bob.command(f'SELECT "{SHARED}"')
        assert code(tagged) == "READ-WRITE" and b"* 1 EXISTS" in untagged, (tagged, untagged)
        alice.ok("SELECT Projects")
        alice.ok(append("Projects", b"Subject: second\r\n\r\nstep 1\r\n"))
        alice.ok("UID STORE 1 +FLAGS (\\Answered)")
        news = b"\n".join(bob.ok("NOOP"))
        assert b"* 2 EXISTS" in news and b"\\Answered" in news, news
        # Bob's \Seen reaches Alice; the \Deleted of the same STORE is not his to set.
        bob.ok("UID STORE 2 +FLAGS (\\Seen \\Deleted)")
        news = b"\n".join(alice.ok("NOOP"))
        assert b"\\Seen" in news and b"\\Deleted" not in news, news
        assert status(bob.command("EXPUNGE")[0]) == "NO"
        # IDLE on the shared mailbox hears of the owner's delivery (the owner's feed is watched).
        bob.send(b"i1 IDLE\r\n")
        assert bob.response().startswith(b"+")
        alice.ok(append("Projects", b"Subject: third\r\n\r\nstep 2\r\n"))
        assert bob.response() == b"* 3 EXISTS"
        bob.send(b"DONE\r\n")
        assert status(bob.until_tagged("i1")[0]) == "OK"


def test_object_ids_and_replace_on_a_shared_mailbox(imap_system):
    """RFC 8474 ids of a shared mailbox's messages are the owner's (the same EMAILID and
    THREADID Alice sees), and REPLACE without the rights to expunge is refused before it stores
    anything (RFC 8508 §3.3, RFC 4314 §4)."""
    store, smtp, imap = imap_system
    projects(store, smtp, imap, messages=1)
    with client(imap, ALICE) as c:
        c.setacl("Projects", BOB, "lrsi")
    ids = re.compile(rb"EMAILID \((M[0-9a-f]+)\) THREADID \((T[0-9a-f]+)\)")
    with open_session(imap.port, login=ALICE) as alice, open_session(imap.port, login=BOB) as bob:
        alice.ok("SELECT Projects")
        owners = ids.search(b"\n".join(alice.ok("FETCH 1 (EMAILID THREADID)")))
        bob.ok(f'SELECT "{SHARED}"')
        seen = ids.search(b"\n".join(bob.ok("FETCH 1 (EMAILID THREADID)")))
        assert owners and seen and seen.groups() == owners.groups(), (owners, seen)
        replacement = b"Subject: instead\r\n\r\nx\r\n"
        bob.send(b'r1 REPLACE 1 "' + SHARED.encode() + b'" {%d}\r\n' % len(replacement))
        assert bob.response().startswith(b"+")
        bob.send(replacement + b"\r\n")
        tagged, _ = bob.until_tagged("r1")
        assert status(tagged) == "NO" and code(tagged) == "NOPERM", tagged
    assert len(listing(store, ALICE, "Projects")) == 1


def test_metadata_on_a_shared_mailbox(imap_system):
    """RFC 5464 §3.3 with RFC 4314: a reader with lr sees the owner's /shared entries and keeps
    its own /private ones; setting a /shared entry needs w; without a grant the mailbox is not
    there."""
    store, smtp, imap = imap_system
    projects(store, smtp, imap, messages=1)
    with open_session(imap.port, login=ALICE) as alice, open_session(imap.port, login=BOB) as bob:
        alice.ok('SETMETADATA Projects (/shared/comment "team plans" /private/comment "alice only")')
        assert code(bob.command(f'GETMETADATA "{SHARED}" /shared/comment')[0]) == "NONEXISTENT"
        alice.ok(f"SETACL Projects {BOB} lr")
        got = bob.ok(f'GETMETADATA "{SHARED}" (/shared/comment /private/comment)')
        assert got == [f'* METADATA "{SHARED}" (/shared/comment "team plans")'.encode()], got
        bob.ok(f'SETMETADATA "{SHARED}" (/private/comment "bob only")')
        tagged, _ = bob.command(f'SETMETADATA "{SHARED}" (/shared/comment "changed")')
        assert status(tagged) == "NO" and code(tagged) == "NOPERM", tagged
        got = bob.ok(f'GETMETADATA "{SHARED}" (/shared/comment /private/comment)')
        assert got == [f'* METADATA "{SHARED}" (/private/comment "bob only" /shared/comment "team plans")'.encode()], got
        alice.ok(f"SETACL Projects {BOB} lrw")
        bob.ok(f'SETMETADATA "{SHARED}" (/shared/comment "changed")')
        got = alice.ok("GETMETADATA Projects (/shared/comment /private/comment)")
        assert got == [b'* METADATA Projects (/private/comment "alice only" /shared/comment "changed")'], got


def test_quota_root_of_a_shared_mailbox(imap_system):
    """RFC 9208 §4.1.2 with RFC 4314: what is stored in a shared mailbox counts against its
    owner, so it is under no quota root of the reader's (and the owner's usage is not shown)."""
    store, smtp, imap = imap_system
    projects(store, smtp, imap, messages=1)
    for who in (ALICE, BOB):
        r = store.api("PUT", f"/v1/accounts/{who}/quota", json={"messageLimit": 100})
        assert r.status_code == 200, r.text
    with client(imap, ALICE) as c:
        c.setacl("Projects", BOB, "lri")
    with client(imap, BOB) as c:
        roots, quotas = c.get_quota_root(f'"{SHARED}"')  # IMAPClient sends the name as given
        assert roots.quota_roots == [] and quotas == [], (roots, quotas)
        roots, quotas = c.get_quota_root("INBOX")
        assert roots.quota_roots == [""] and [(q.resource, q.usage, q.limit) for q in quotas] == [("MESSAGE", 0, 100)]
        c.append(SHARED, message("From Bob", "hello\r\n"))
        assert [(q.resource, q.usage) for q in c.get_quota_root("INBOX")[1]] == [("MESSAGE", 0)]
    assert store.api("GET", f"/v1/accounts/{ALICE}/quota").json()["messagesUsed"] == 2


def test_a_subscribed_shared_mailbox_is_listed_as_one(imap_system):
    """A reader may subscribe to a shared mailbox: LSUB shows it selectable (not \\Noselect)
    and LIST RETURN (SUBSCRIBED) marks it; once the owner revokes the grant it is a name only."""
    store, smtp, imap = imap_system
    projects(store, smtp, imap, messages=1)
    with client(imap, ALICE) as c:
        c.setacl("Projects", BOB, "lr")
    with open_session(imap.port, login=BOB) as bob:
        bob.ok(f'SUBSCRIBE "{SHARED}"')
        assert bob.ok(f'LSUB "" "{SHARED}"') == [f'* LSUB () "/" "{SHARED}"'.encode()]
        listed = bob.ok(f'LIST "" "{SHARED}" RETURN (SUBSCRIBED)')
        assert listed == [f'* LIST (\\HasNoChildren \\Subscribed) "/" "{SHARED}"'.encode()], listed
        # LSUB's % brings the unsubscribed levels above as \Noselect (RFC 3501 §6.3.9).
        assert bob.ok('LSUB "" "Other Users/%"') == [f'* LSUB (\\Noselect) "/" "Other Users/{ALICE}"'.encode()]
        with open_session(imap.port, login=ALICE) as alice:
            alice.ok(f"DELETEACL Projects {BOB}")
        assert bob.ok(f'LSUB "" "{SHARED}"') == [f'* LSUB (\\Noselect) "/" "{SHARED}"'.encode()]
        listed = bob.ok(f'LIST (SUBSCRIBED) "" "{SHARED}"')
        assert listed == [f'* LIST (\\NonExistent \\Subscribed) "/" "{SHARED}"'.encode()], listed


def test_create_and_rename_in_the_other_users_namespace(imap_system):
    """RFC 4314 §4: CREATE below a shared mailbox with k lands in the owner's namespace with the
    parent's ACL, so its creator sees it; RENAME of it needs x, and stays in the owner's."""
    store, smtp, imap = imap_system
    projects(store, smtp, imap, messages=1)
    with client(imap, ALICE) as c:
        c.setacl("Projects", BOB, "lr")
    with open_session(imap.port, login=BOB) as bob, open_session(imap.port, login=ALICE) as alice:
        tagged, _ = bob.command(f'CREATE "{SHARED}/Plans"')
        assert status(tagged) == "NO" and code(tagged) == "NOPERM", tagged
        tagged, _ = bob.command(f'CREATE "Other Users/{ALICE}/Elsewhere"')
        assert status(tagged) == "NO" and code(tagged) == "NOPERM", tagged
        alice.ok(f"SETACL Projects {BOB} lrk")
        # RFC 6154 §3: a special use that cannot be given (it is the owner's) creates nothing.
        tagged, _ = bob.command(f'CREATE "{SHARED}/Plans" (USE (\\Drafts))')
        assert status(tagged) == "NO" and code(tagged) == "USEATTR", tagged
        tagged, _ = bob.command(f'CREATE "{SHARED}/Plans"')
        assert status(tagged) == "OK" and code(tagged) == "MAILBOXID", tagged
        assert [name_of(r) for r in alice.ok('LIST "" "Projects/*"')] == ["Projects/Plans"]
        assert alice.ok(f'MYRIGHTS "Projects/Plans"') == [b'* MYRIGHTS Projects/Plans lrswipkxtea']
        listed = bob.ok(f'LIST "" "{SHARED}/*" RETURN (SUBSCRIBED MYRIGHTS)')
        assert listed == [f'* LIST (\\HasNoChildren \\Subscribed) "/" "{SHARED}/Plans"'.encode(),
                          f'* MYRIGHTS "{SHARED}/Plans" lrk'.encode()], listed
        tagged, _ = bob.command(f'RENAME "{SHARED}/Plans" "{SHARED}/Ideas"')
        assert status(tagged) == "NO" and code(tagged) == "NOPERM", tagged
        alice.ok(f'SETACL "Projects/Plans" {BOB} lrkx')
        tagged, _ = bob.command(f'RENAME "{SHARED}/Plans" "Plans"')  # out of Alice's namespace
        assert status(tagged) == "NO" and code(tagged) == "NOPERM", tagged
        bob.ok(f'RENAME "{SHARED}/Plans" "{SHARED}/Ideas"')
        assert [name_of(r) for r in alice.ok('LIST "" "Projects/*"')] == ["Projects/Ideas"]
        bob.ok(f'DELETE "{SHARED}/Ideas"')
        assert alice.ok('LIST "" "Projects/*"') == []


def test_mbsync_reads_a_mailbox_another_user_shares(imap_system, tmp_path):
    store, smtp, imap = imap_system
    projects(store, smtp, imap, messages=3)
    with client(imap, ALICE) as c:
        c.setacl("Projects", BOB, "lr")
    maildir = tmp_path / "Mail"
    maildir.mkdir()
    (tmp_path / "mbsyncrc").write_text(
        f"IMAPAccount bob\nHost localhost\nPort {imap.tls_port}\nUser {BOB}\nPass {PASSWORD}\nSSLType IMAPS\n"
        f"CertificateFile {imap.cert}\nSystemCertificates no\nAuthMechs PLAIN LOGIN\n\n"
        "IMAPStore remote\nAccount bob\n\n"
        f"MaildirStore local\nPath {maildir}/\nInbox {maildir}/INBOX\nSubFolders Verbatim\n\n"
        f'Channel shared\nFar :remote:\nNear :local:\nPatterns "{SHARED}"\nCreate Near\nExpunge None\n'
        "SyncState *\nSync Pull\n")
    result = subprocess.run(["mbsync", "-c", str(tmp_path / "mbsyncrc"), "-a"], capture_output=True,
                            env=dict(os.environ, HOME=str(tmp_path)), timeout=60)
    assert result.returncode == 0, (result.stdout + result.stderr).decode(errors="replace")[-3000:]
    files = [p for p in (maildir / "Other Users" / ALICE / "Projects").rglob("*") if p.is_file() and p.parent.name in ("cur", "new")]
    bodies = sorted(re.search(rb"step \d", p.read_bytes()).group(0) for p in files)
    assert bodies == [b"step 0", b"step 1", b"step 2"], files
    # Flagged on the server shows in the Maildir name (F).
    flagged = [p for p in files if b"step 0" in p.read_bytes()]
    assert flagged and "F" in flagged[0].name.rsplit(":2,", 1)[-1], flagged
    # Bob's pull changed nothing of Alice's.
    assert all(not {"\\Seen"} & set(m["flags"]) for m in listing(store, ALICE, "Projects"))
    assert mailboxes(store, BOB).keys() == {"INBOX", "Sent", "Drafts", "Trash", "Junk"}
