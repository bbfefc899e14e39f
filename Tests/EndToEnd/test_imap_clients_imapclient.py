"""Mail read through the imap-gateway with IMAPClient (PyPI `imapclient`), the higher-level
library many Python tools use: folders and special-use, STATUS, fetch/search/flags, copy, move,
UID EXPUNGE, APPEND, IDLE and CONDSTORE. Mail comes in through the smtp-gateway, and what the
client sees or changes is compared with the store."""

import datetime
import time

import imapclient
from imapclient.imapclient import DRAFTS, JUNK, SENT, TRASH

from imap_support import (ALICE, PASSWORD, SPECIAL_USE, deliver, flagset, listing, mailboxes, message, raw_message,
                          send_mail, stored_flags, trusting_context)


def imapclient_session(imap, tls: str = "imaps") -> imapclient.IMAPClient:
    if tls == "imaps":
        client = imapclient.IMAPClient("127.0.0.1", port=imap.tls_port, ssl=True,
                                       ssl_context=trusting_context(imap), timeout=10)
    else:
        client = imapclient.IMAPClient("127.0.0.1", port=imap.port, ssl=False, timeout=10)
        client.starttls(trusting_context(imap))
    client.login(ALICE, PASSWORD)
    return client


def test_imapclient_folders_special_use_and_status(imap_system):
    store, smtp, imap = imap_system
    _, raw = deliver(smtp, message("Status check"))
    with imapclient_session(imap) as client:
        assert {b"IDLE", b"MOVE", b"CONDSTORE", b"UIDPLUS"} <= set(client.capabilities())
        assert {name for _, delimiter, name in client.list_folders()} == {"INBOX", *SPECIAL_USE}
        for constant, name in ((SENT, "Sent"), (DRAFTS, "Drafts"), (TRASH, "Trash"), (JUNK, "Junk")):
            assert client.find_special_folder(constant) == name
        assert client.namespace().personal == (("", "/"),)
        status = client.folder_status("INBOX", ["MESSAGES", "UIDNEXT", "UNSEEN", "SIZE"])
        info = mailboxes(store)["INBOX"]
        assert status == {b"MESSAGES": 1, b"UIDNEXT": info["uidNext"], b"UNSEEN": 1, b"SIZE": len(raw)}
        client.create_folder("Archiv/Été")  # modified UTF-7 on the wire
        client.subscribe_folder("Archiv/Été")
        assert "Archiv/Été" in [name for _, _, name in client.list_sub_folders()]
        client.rename_folder("Archiv/Été", "Archiv/2024")
        assert "Archiv/2024" in mailboxes(store) and "Archiv/Été" not in mailboxes(store)
        client.delete_folder("Archiv/2024")
        assert "Archiv/2024" not in [name for _, _, name in client.list_folders()]


def test_imapclient_read_search_flag_copy_move_expunge_append(imap_system):
    store, smtp, imap = imap_system
    sent = [deliver(smtp, message(f"Sweep {n}", f"body {n}\r\n", sender=f"<s{n}@remote.test>")) for n in range(4)]
    uids = [uid for uid, _ in sent]
    with imapclient_session(imap, tls="starttls") as client:
        selected = client.select_folder("INBOX")
        assert selected[b"EXISTS"] == 4 and selected[b"UIDVALIDITY"] == mailboxes(store)["INBOX"]["uidValidity"]
        got = client.fetch(uids, ["BODY.PEEK[]", "ENVELOPE", "FLAGS", "RFC822.SIZE"])
        for n, (uid, raw) in enumerate(sent):
            assert got[uid][b"BODY[]"] == raw and got[uid][b"RFC822.SIZE"] == len(raw)
            assert got[uid][b"ENVELOPE"].subject == f"Sweep {n}".encode()
        assert client.search(["FROM", "s2@remote.test"]) == [uids[2]]
        assert client.search(["BODY", "body 3", "UNSEEN"]) == [uids[3]]
        client.add_flags([uids[0]], [imapclient.SEEN, b"$Important"])
        client.remove_flags([uids[0]], [b"$Important"])
        assert flagset(client.get_flags([uids[0]])[uids[0]]) == {"\\seen"}
        assert client.search(["SEEN"]) == [uids[0]]
        client.copy([uids[0]], "Trash")
        client.move([uids[1]], "Junk")
        client.delete_messages([uids[2], uids[3]])
        client.uid_expunge([uids[2]])
        assert [m["uid"] for m in listing(store)] == [uids[0], uids[3]]
        response = client.append("Sent", message("Sent by me", sender=ALICE, to="bob@example.test"),
                                 flags=[imapclient.SEEN], msg_time=datetime.datetime(2024, 1, 2, 3, 4, 5))
        assert b"APPENDUID" in response
    assert [raw_message(store, ALICE, "Trash", m["uid"]) for m in listing(store, ALICE, "Trash")] == [sent[0][1]]
    assert [raw_message(store, ALICE, "Junk", m["uid"]) for m in listing(store, ALICE, "Junk")] == [sent[1][1]]
    assert list(stored_flags(store, ALICE, "Sent").values()) == [frozenset({"\\seen"})]


def test_imapclient_idle_and_condstore(imap_system):
    store, smtp, imap = imap_system
    watched, _ = deliver(smtp, message("Watched"))
    untouched, _ = deliver(smtp, message("Untouched"))
    with imapclient_session(imap) as watcher, imapclient_session(imap, tls="starttls") as changer:
        assert watcher.enable("CONDSTORE") == [b"CONDSTORE"]
        before = watcher.select_folder("INBOX")[b"HIGHESTMODSEQ"]
        watcher.idle()
        send_mail(smtp, message("Arrives during IDLE"))
        changer.select_folder("INBOX")
        changer.add_flags([watched], [imapclient.FLAGGED])
        seen, deadline = [], time.monotonic() + 10
        while time.monotonic() < deadline:
            seen += watcher.idle_check(timeout=1)
            if (3, b"EXISTS") in [r[:2] for r in seen] and any(r[1] == b"FETCH" for r in seen):
                break
        watcher.idle_done()
        assert (3, b"EXISTS") in [r[:2] for r in seen], seen
        fetched = [dict(zip(r[2][::2], r[2][1::2])) for r in seen if r[:2] == (1, b"FETCH")]
        assert any(imapclient.FLAGGED in f.get(b"FLAGS", ()) for f in fetched), seen
        assert all(b"MODSEQ" in f for f in fetched), seen  # CONDSTORE is on: MODSEQ in every FETCH
        arrived = listing(store)[-1]["uid"]
        changed = watcher.fetch([watched, untouched, arrived], ["FLAGS"], modifiers=[f"CHANGEDSINCE {before}"])
        assert set(changed) == {watched, arrived}, changed
        assert all(changed[u][b"MODSEQ"][0] > before for u in changed)
        assert watcher.select_folder("INBOX")[b"HIGHESTMODSEQ"] == mailboxes(store)["INBOX"]["highestModSeq"]
