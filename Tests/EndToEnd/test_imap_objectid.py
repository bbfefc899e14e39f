"""OBJECTID (RFC 8474), SAVEDATE (RFC 8514), CREATE-SPECIAL-USE (RFC 6154 §3), PREVIEW
(RFC 8970) and REPLACE (RFC 8508) as a client sees them on the real imap-gateway: raw
sessions for the exact responses, IMAPClient and imaplib for what a client library makes of
them."""

import datetime
import imaplib
import re
import time

import imapclient

from imap_support import (ALICE, PASSWORD, deliver, fetch_items, listing, mailboxes, message, open_session, parse,
                          raw_message, response_code, status)

OBJECTID = re.compile(r"^[A-Za-z0-9_-]{1,255}$")  # RFC 8474 §7
NEW_CAPABILITIES = {"OBJECTID", "SAVEDATE", "CREATE-SPECIAL-USE", "PREVIEW", "REPLACE"}


def fetched(untagged: list[bytes]) -> dict[int, dict]:
    """{sequence number: items} of the FETCH responses among `untagged`."""
    out = {}
    for r in untagged:
        tokens = parse(r)
        if len(tokens) >= 4 and str(tokens[2]).upper() == "FETCH":
            out[int(tokens[1])] = fetch_items(tokens)
    return out


def searched(untagged: list[bytes]) -> list[int]:
    for r in untagged:
        if r.upper().startswith(b"* SEARCH"):
            return [int(n) for n in r.split()[2:]]
    raise AssertionError(f"no SEARCH response in {untagged}")


def code_of(line: bytes) -> str:
    return " ".join(response_code(line) or [])


def mailbox_id(untagged: list[bytes]) -> str:
    for r in untagged:
        m = re.search(rb"\[MAILBOXID \(([^)]*)\)\]", r)
        if m:
            return m.group(1).decode()
    raise AssertionError(f"no MAILBOXID in {untagged}")


def append(s, mailbox: str, raw: bytes, flags: str = "", date: str = "") -> int:
    """APPEND by hand (a synchronizing literal); the new UID from APPENDUID."""
    head = f"APPEND {mailbox} " + (f"({flags}) " if flags else "") + (f'"{date}" ' if date else "") + f"{{{len(raw)}}}"
    tag = s.tag()
    s.send(f"{tag} {head}\r\n".encode())
    assert s.response().startswith(b"+"), "no continuation"
    s.send(raw + b"\r\n")
    tagged, _ = s.until_tagged(tag)
    assert status(tagged) == "OK", tagged
    return int(response_code(tagged)[2])


def test_capabilities_are_advertised(imap_system):
    _, _, imap = imap_system
    with open_session(imap.port) as s:
        before = set(s.ok("CAPABILITY")[0].decode().upper().split())
        s.login(ALICE)
        after = set(s.ok("CAPABILITY")[0].decode().upper().split())
    assert NEW_CAPABILITIES <= before and NEW_CAPABILITIES <= after


def test_mailboxid_in_create_select_status_and_survives_rename(imap_system):
    store, _, imap = imap_system
    with open_session(imap.port, login=ALICE) as s:
        tagged, _ = s.command("CREATE Projects")
        assert status(tagged) == "OK"
        created = re.search(rb"\[MAILBOXID \(([^)]*)\)\]", tagged)
        assert created, tagged  # RFC 8474 §4.1: in the tagged OK of CREATE
        pid = created.group(1).decode()
        assert OBJECTID.match(pid)
        # The same id in SELECT, EXAMINE and STATUS (RFC 8474 §4.1, §4.2); INBOX has its own.
        assert mailbox_id(s.ok("SELECT Projects")) == pid
        assert mailbox_id(s.ok("EXAMINE Projects")) == pid
        inbox = mailbox_id(s.ok("SELECT INBOX"))
        assert OBJECTID.match(inbox) and inbox != pid
        assert re.search(rb"MAILBOXID \(" + pid.encode() + rb"\)", s.ok("STATUS Projects (MESSAGES MAILBOXID)")[0])
        # RENAME keeps it; the name is new, the id is not (RFC 8474 §4).
        s.ok("RENAME Projects Archive/Projects")
        assert re.search(rb"MAILBOXID \(" + pid.encode() + rb"\)", s.ok("STATUS Archive/Projects (MAILBOXID)")[0])
        assert mailboxes(store)["Archive/Projects"]["objectID"] == pid
        # A mailbox deleted and made again under the same name is another mailbox.
        s.ok("DELETE Archive/Projects")
        tagged, _ = s.command("CREATE Archive/Projects")
        assert re.search(rb"\[MAILBOXID \(([^)]*)\)\]", tagged).group(1).decode() != pid
        # LIST RETURN (STATUS (MAILBOXID)) names it too (RFC 5819 with RFC 8474 §4.2).
        listed = s.ok('LIST "" "Archive/Projects" RETURN (STATUS (MAILBOXID))')
        assert any(r.startswith(b"* STATUS") and b"MAILBOXID (" in r for r in listed), listed


def test_emailid_and_threadid_follow_the_message_and_its_conversation(imap_system):
    store, smtp, imap = imap_system
    first = message("Lunch plans")
    mid = re.search(rb"Message-ID: (<[^>]+>)", first).group(1).decode()
    deliver(smtp, first)
    deliver(smtp, message("Re: Lunch plans", extra=f"In-Reply-To: {mid}\r\nReferences: {mid}\r\n"))
    deliver(smtp, message("Something else"))
    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        items = fetched(s.ok("FETCH 1:3 (EMAILID THREADID)"))
        emails = {n: items[n]["EMAILID"][0] for n in items}
        threads = {n: items[n]["THREADID"][0] for n in items}
        assert all(OBJECTID.match(v) for v in list(emails.values()) + list(threads.values())), items
        assert len(set(emails.values())) == 3, "one EMAILID per message"
        assert threads[1] == threads[2] != threads[3], "a reply is in its original's thread"
        # RFC 8474 §6: SEARCH by either id.
        assert searched(s.ok(f"SEARCH EMAILID {emails[2]}")) == [2]
        assert searched(s.ok(f"SEARCH THREADID {threads[1]}")) == [1, 2]
        assert searched(s.ok(f"SEARCH NOT THREADID {threads[1]}")) == [3]
        assert searched(s.ok("SEARCH EMAILID Mnothere")) == []
        # COPY and MOVE keep the EMAILID and the THREADID (RFC 8474 §5.1 recommends it: the
        # same message, stored once); the new UIDs are another mailbox's.
        s.ok("COPY 1 Trash")
        s.ok("MOVE 2 Drafts")
        s.ok("SELECT Trash")
        trash = fetched(s.ok("FETCH 1 (EMAILID THREADID)"))[1]
        assert (trash["EMAILID"][0], trash["THREADID"][0]) == (emails[1], threads[1])
        s.ok("SELECT Drafts")
        assert fetched(s.ok("UID FETCH 1:* (EMAILID)"))[1]["EMAILID"][0] == emails[2]
        assert searched(s.ok(f"SEARCH EMAILID {emails[2]}")) == [1]
    # The store holds the same ids for JMAP.
    box = mailboxes(store)["Drafts"]["id"]
    objects = store.api("GET", f"/v1/accounts/{ALICE}/mailboxes/{box}/messages/objects").json()["messages"]
    assert [(o["emailID"], o["threadID"]) for o in objects] == [(emails[2], threads[2])]


def test_appended_copy_of_the_same_bytes_is_another_email(imap_system):
    _, _, imap = imap_system
    raw = message("Twice")
    with open_session(imap.port, login=ALICE) as s:
        append(s, "Drafts", raw)
        append(s, "Drafts", raw)
        s.ok("SELECT Drafts")
        items = fetched(s.ok("FETCH 1:2 (EMAILID)"))
        assert items[1]["EMAILID"] != items[2]["EMAILID"]


def test_savedate_is_when_the_message_came_into_the_mailbox(imap_system):
    store, smtp, imap = imap_system
    today = datetime.datetime.now(datetime.timezone.utc).date()
    day = f"{today.day}-{today.strftime('%b')}-{today.year}"
    with open_session(imap.port, login=ALICE) as s:
        # An APPEND with an old internal date: INTERNALDATE says 2001, SAVEDATE today.
        append(s, "Drafts", message("Old draft"), date="01-Jan-2001 10:00:00 +0000")
        s.ok("SELECT Drafts")
        items = fetched(s.ok("FETCH 1 (INTERNALDATE SAVEDATE)"))[1]
        assert items["INTERNALDATE"].strip() == b"1-Jan-2001 10:00:00 +0000"
        saved = datetime.datetime.strptime(items["SAVEDATE"].decode().strip(), "%d-%b-%Y %H:%M:%S %z")
        assert abs((saved - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 120, items
        # RFC 8514 §5: the SAVED* keys read the save date, BEFORE/SINCE the internal date.
        assert searched(s.ok(f"SEARCH SAVEDSINCE {day}")) == [1]
        assert searched(s.ok(f"SEARCH SAVEDON {day}")) == [1]
        assert searched(s.ok(f"SEARCH SAVEDBEFORE {day}")) == []
        assert searched(s.ok(f"SEARCH SINCE {day}")) == []
        assert searched(s.ok("SEARCH SAVEDBEFORE 1-Jan-2100 BEFORE 1-Jan-2002")) == [1]
        assert searched(s.ok("SEARCH SAVEDATESUPPORTED")) == [1]
        # A COPY is saved anew into its mailbox (the internal date stays, RFC 3501 §6.4.7):
        # a second later, so that a copy keeping the first save date would show.
        time.sleep(1.1)
        s.ok("COPY 1 Trash")
        s.ok("SELECT Trash")
        copied = fetched(s.ok("FETCH 1 (INTERNALDATE SAVEDATE)"))[1]
        assert copied["INTERNALDATE"].strip() == b"1-Jan-2001 10:00:00 +0000"
        assert datetime.datetime.strptime(copied["SAVEDATE"].decode().strip(), "%d-%b-%Y %H:%M:%S %z") > saved
    # Delivered mail has one too; IMAPClient reads the item.
    deliver(smtp, message("Delivered"))
    client = imapclient.IMAPClient("127.0.0.1", port=imap.port, ssl=False, timeout=10)
    try:
        client.login(ALICE, PASSWORD)
        client.select_folder("INBOX")
        data = client.fetch([1], ["SAVEDATE", "EMAILID", "THREADID"])[1]
        assert data[b"SAVEDATE"] and data[b"EMAILID"] and data[b"THREADID"], data
        assert client.search(["SAVEDSINCE", today]) == [1]
    finally:
        client.logout()


def test_create_special_use(imap_system):
    store, _, imap = imap_system
    with open_session(imap.port, login=ALICE) as s:
        tagged, _ = s.command("CREATE Archive (USE (\\Archive))")
        assert status(tagged) == "OK" and "MAILBOXID" in code_of(tagged), tagged
        listed = s.ok('LIST "" Archive')
        assert any(b"\\Archive" in r for r in listed), listed
        assert any(b"Archive" in r for r in s.ok('LIST (SPECIAL-USE) "" *')), "LIST (SPECIAL-USE)"
        # A use another mailbox has, a use not supported (\All and \Flagged are virtual
        # mailboxes here not made), a use RFC 6154 does not define: NO [USEATTR], nothing made.
        for line in ("CREATE Sent2 (USE (\\Sent))", "CREATE Everything (USE (\\All))", "CREATE Odd (USE (\\Bogus))",
                     "CREATE Two (USE (\\Archive \\Trash))"):
            tagged, _ = s.command(line)
            assert status(tagged) == "NO" and code_of(tagged) == "USEATTR", (line, tagged)
        assert not {"Sent2", "Everything", "Odd", "Two"} & set(mailboxes(store))
        assert status(s.command("CREATE Junk2 (USE ())")[0]) == "OK"  # an empty list: a plain CREATE
        assert mailboxes(store)["Junk2"].get("specialUse") is None
    # IMAPClient sees the attribute in LIST.
    client = imapclient.IMAPClient("127.0.0.1", port=imap.port, ssl=False, timeout=10)
    try:
        client.login(ALICE, PASSWORD)
        assert client.find_special_folder(imapclient.imapclient.ARCHIVE) == "Archive"
    finally:
        client.logout()


def test_preview(imap_system):
    _, smtp, imap = imap_system
    long_text = ("word " * 200).strip()
    deliver(smtp, message("Plain", body="Hi Alice,\r\n\r\nthe  minutes\r\n> quoted line\r\nare attached.\r\n-- \r\nBob\r\n"))
    deliver(smtp, message("QP", body="Caf=C3=A9 au lait =\r\nfor two\r\n",
                          extra="MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                "Content-Transfer-Encoding: quoted-printable\r\n"))
    deliver(smtp, message("HTML", body="<html><body><p>Hello&nbsp;<b>there</b></p><script>x()</script></body></html>\r\n",
                          extra="MIME-Version: 1.0\r\nContent-Type: text/html; charset=us-ascii\r\n"))
    deliver(smtp, message("Long", body=long_text + "\r\n"))
    deliver(smtp, message("Alternative", body=(
        "--a\r\nContent-Type: text/html\r\n\r\n<p>HTML version</p>\r\n"
        "--a\r\nContent-Type: text/plain\r\n\r\nPlain version\r\n--a--\r\n"),
        extra="MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n"))
    with open_session(imap.port, login=ALICE) as s:
        s.ok("ENABLE UTF8=ACCEPT")
        s.ok("SELECT INBOX")
        items = fetched(s.ok("FETCH 1:5 (PREVIEW)"))
        previews = {n: items[n]["PREVIEW"].decode() for n in items}
        assert previews[1] == "Hi Alice, the minutes are attached."
        assert previews[2] == "Café au lait for two"
        assert previews[3] == "Hello there"
        assert previews[4] == long_text[:256].rstrip() and len(previews[4]) <= 256
        assert previews[5] == "Plain version"
        # PREVIEW (LAZY) answers the same here (RFC 8970 §3.2 allows NIL, never needed); the
        # preview does not set \Seen.
        lazy = fetched(s.ok("FETCH 1 (PREVIEW (LAZY) FLAGS)"))[1]
        assert lazy["PREVIEW"].decode() == previews[1] and "\\seen" not in [str(f).lower() for f in lazy["FLAGS"]]
    # imaplib, an IMAP4rev1 client without UTF8=ACCEPT: the UTF-8 preview comes as a literal.
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    try:
        client.login(ALICE, PASSWORD)
        client.select("INBOX")
        typ, data = client.fetch("2", "(PREVIEW)")
        assert typ == "OK" and data[0][1].decode() == "Café au lait for two", data
    finally:
        client.logout()


def test_replace_appends_then_expunges(imap_system):
    store, _, imap = imap_system
    with open_session(imap.port, login=ALICE) as s:
        append(s, "Drafts", message("Draft v1"), flags="\\Draft")
        append(s, "Drafts", message("Other draft"), flags="\\Draft")
        s.ok("SELECT Drafts")
        new = message("Draft v2")
        tag = s.tag()
        s.send(f"{tag} REPLACE 1 Drafts (\\Seen \\Draft) {{{len(new)}}}\r\n".encode())
        assert s.response().startswith(b"+")
        s.send(new + b"\r\n")
        tagged, untagged = s.until_tagged(tag)
        assert status(tagged) == "OK", tagged
        # RFC 8508 §3.3: APPENDUID in an untagged OK, then the new message's EXISTS and the
        # old one's EXPUNGE.
        appenduid = [r for r in untagged if b"[APPENDUID" in r]
        assert appenduid and appenduid[0].startswith(b"* OK"), untagged
        new_uid = int(response_code(appenduid[0])[2])
        assert b"* 1 EXPUNGE" in untagged and any(r.endswith(b" EXISTS") for r in untagged), untagged
        subjects = [raw_message(store, ALICE, "Drafts", m["uid"]).split(b"Subject: ")[1].split(b"\r\n")[0]
                    for m in listing(store, ALICE, "Drafts")]
        assert subjects == [b"Other draft", b"Draft v2"]
        assert [m["uid"] for m in listing(store, ALICE, "Drafts")][-1] == new_uid
        # UID REPLACE into another mailbox: the old one leaves Drafts, the new is in Trash.
        line = f"UID REPLACE {new_uid} Trash {{{len(new)}}}"
        tag = s.tag()
        s.send(f"{tag} {line}\r\n".encode())
        assert s.response().startswith(b"+")
        s.send(new + b"\r\n")
        tagged, untagged = s.until_tagged(tag)
        assert status(tagged) == "OK" and b"* 2 EXPUNGE" in untagged, (tagged, untagged)
        assert len(listing(store, ALICE, "Drafts")) == 1 and len(listing(store, ALICE, "Trash")) == 1
        # A target that does not exist: NO [TRYCREATE], and the message stays (never lost).
        tag = s.tag()
        s.send(f"{tag} REPLACE 1 Nowhere {{{len(new)}}}\r\n".encode())
        reply = s.response()
        if reply.startswith(b"+"):
            s.send(new + b"\r\n")
            reply, _ = s.until_tagged(tag)
        assert status(reply) == "NO" and code_of(reply) == "TRYCREATE", reply
        assert len(listing(store, ALICE, "Drafts")) == 1
        # A message number the mailbox does not have: BAD; read-only: NO.
        assert status(s.command("REPLACE 9 Drafts {1+}\r\nx")[0]) == "BAD"
        s.ok("EXAMINE Drafts")
        tagged, _ = s.command("REPLACE 1 Drafts {1+}\r\nx")
        assert status(tagged) == "NO" and len(listing(store, ALICE, "Drafts")) == 1, tagged


def test_replace_with_catenate(imap_system):
    """RFC 8508 §6: REPLACE's message is APPEND's, CATENATE (RFC 4469) included: put together
    from a URL relative to the target mailbox and TEXT, stored, and the old one expunged; a URL
    that names nothing is NO [BADURL] and the old message stays."""
    store, _, imap = imap_system
    with open_session(imap.port, login=ALICE) as s:
        append(s, "Drafts", message("Draft v1"), flags="\\Draft")
        quoted = append(s, "Drafts", message("Quoted"))
        header = raw_message(store, ALICE, "Drafts", quoted).split(b"\r\n\r\n")[0] + b"\r\n\r\n"
        s.ok("SELECT Drafts")
        text = b"A new body.\r\n"
        tagged, untagged = s.command(
            f'REPLACE 1 Drafts (\\Draft) CATENATE (URL ";UID={quoted}/;SECTION=HEADER" TEXT {{{len(text)}+}}\r\n'.encode()
            + text + b")")
        assert status(tagged) == "OK", (tagged, untagged)
        appenduid = [r for r in untagged if b"[APPENDUID" in r]
        assert appenduid and appenduid[0].startswith(b"* OK"), untagged
        new_uid = int(response_code(appenduid[0])[2])
        assert b"* 1 EXPUNGE" in untagged, untagged
        assert raw_message(store, ALICE, "Drafts", new_uid) == header + text
        assert [m["uid"] for m in listing(store, ALICE, "Drafts")] == [quoted, new_uid]
        # The brief's shape: a whole message by a relative URL, then TEXT.
        tagged, untagged = s.command(f'UID REPLACE {new_uid} Drafts CATENATE (URL ";UID={quoted}" TEXT {{2+}}\r\nxx)')
        assert status(tagged) == "OK" and b"* 2 EXPUNGE" in untagged, (tagged, untagged)
        [last] = [m["uid"] for m in listing(store, ALICE, "Drafts") if m["uid"] != quoted]
        assert raw_message(store, ALICE, "Drafts", last) == raw_message(store, ALICE, "Drafts", quoted) + b"xx"
        # A URL naming no message: BADURL, and nothing moves.
        before = listing(store, ALICE, "Drafts")
        tagged, _ = s.command(f'UID REPLACE {last} Drafts CATENATE (URL ";UID={last + 100}" TEXT {{2+}}\r\nxx)')
        assert status(tagged) == "NO" and code_of(tagged).startswith("BADURL"), tagged
        assert listing(store, ALICE, "Drafts") == before


def test_replace_with_imaplib(imap_system):
    store, _, imap = imap_system
    imaplib.Commands.setdefault("REPLACE", ("SELECTED",))
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    try:
        client.login(ALICE, PASSWORD)
        assert client.append("Drafts", "(\\Draft)", None, message("First"))[0] == "OK"
        client.select("Drafts")
        client.literal = message("Second")
        typ, data = client._simple_command("REPLACE", "1", "Drafts", "(\\Draft)")
        assert typ == "OK", data
    finally:
        client.logout()
    drafts = listing(store, ALICE, "Drafts")
    assert len(drafts) == 1 and b"Subject: Second" in raw_message(store, ALICE, "Drafts", drafts[0]["uid"])


def test_replace_with_a_message_too_big_to_hold(imap_system):
    """A REPLACE literal over 1 MiB is spooled like an APPEND's (RFC 8508 §3.3: the same
    message), and arrives whole."""
    store, _, imap = imap_system
    body = b"0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxy\r\n" * 30_000
    big = message("Big draft", body=body.decode())
    assert len(big) > 2 * 1024 * 1024
    imaplib.Commands.setdefault("REPLACE", ("SELECTED",))
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=30)
    try:
        client.login(ALICE, PASSWORD)
        assert client.append("Drafts", "(\\Draft)", None, message("Small draft"))[0] == "OK"
        client.select("Drafts")
        client.literal = big
        typ, data = client._simple_command("REPLACE", "1", "Drafts", "(\\Draft)")
        assert typ == "OK", data
    finally:
        client.logout()
    drafts = listing(store, ALICE, "Drafts")
    assert len(drafts) == 1 and raw_message(store, ALICE, "Drafts", drafts[0]["uid"]) == big
