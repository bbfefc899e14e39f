"""SORT, THREAD and server-side search through clients nobody here wrote: IMAPClient's `sort()`
and `thread()` (RFC 5256), and mutt's `=b`/`=h` patterns, which mutt hands to the server as
IMAP SEARCH (its `~b` would download every message). Mail comes in through the smtp-gateway."""

import re

import imapclient

from imap_support import ALICE, PASSWORD, deliver
from test_imap_clients_tools import mutt_setup, run_in_terminal


def threaded(smtp) -> dict[str, int]:
    """A small conversation and two strangers; their UIDs by name."""
    def mail(subject, mid, refs="", body="Hello.\r\n", sender="Sender <sender@remote.test>", date=""):
        threading = f"References: {refs}\r\nIn-Reply-To: {refs.split()[-1]}\r\n" if refs else ""
        return (f"From: {sender}\r\nTo: {ALICE}\r\nSubject: {subject}\r\nMessage-ID: <{mid}>\r\nDate: {date}\r\n"
                f"{threading}\r\n{body}").encode()

    uids = {}
    uids["root"], _ = deliver(smtp, mail("Plans", "root@x.test", sender="Zoe <zoe@remote.test>", date="Mon, 5 Feb 2024 09:00:00 +0000"))
    uids["other"], _ = deliver(smtp, mail("Unrelated", "other@x.test", sender="Adam <adam@remote.test>",
                                          date="Mon, 5 Feb 2024 08:00:00 +0000", body="zanzibar inside\r\n"))
    uids["reply"], _ = deliver(smtp, mail("Re: Plans", "reply@x.test", "<root@x.test>", sender="Mia <mia@remote.test>",
                                          date="Mon, 5 Feb 2024 11:00:00 +0000"))
    uids["second"], _ = deliver(smtp, mail("Re: Plans", "second@x.test", "<root@x.test> <reply@x.test>",
                                           sender="bob@remote.test", date="Mon, 5 Feb 2024 12:00:00 +0000"))
    return uids


def test_imapclient_sort_and_thread(imap_system):
    store, smtp, imap = imap_system
    uids = threaded(smtp)
    with imapclient.IMAPClient("127.0.0.1", port=imap.port, ssl=False, timeout=10) as client:
        client.login(ALICE, PASSWORD)
        caps = set(client.capabilities())
        assert {b"SORT", b"SORT=DISPLAY", b"THREAD=REFERENCES", b"THREAD=ORDEREDSUBJECT", b"ESORT"} <= caps
        client.select_folder("INBOX")
        assert client.sort(["DATE"]) == [uids[n] for n in ("other", "root", "reply", "second")]
        assert client.sort(["REVERSE DATE"]) == [uids[n] for n in ("second", "reply", "root", "other")]
        # FROM: the local part (adam, bob, mia, zoe); DISPLAYFROM: the name, else the address.
        assert client.sort(["FROM"]) == [uids[n] for n in ("other", "second", "reply", "root")]
        assert client.sort(["DISPLAYFROM"]) == [uids[n] for n in ("other", "second", "reply", "root")]
        assert client.sort(["SUBJECT", "REVERSE DATE"]) == [uids[n] for n in ("second", "reply", "root", "other")]
        assert client.sort(["ARRIVAL"], ["FROM", "remote.test", "NOT", "SUBJECT", "Unrelated"]) == [
            uids[n] for n in ("root", "reply", "second")]
        assert client.thread() == ((uids["other"],), (uids["root"], uids["reply"], uids["second"]))
        assert client.thread("ORDEREDSUBJECT") == ((uids["other"],), (uids["root"], (uids["reply"],), (uids["second"],)))
        client.use_uid = False
        assert client.sort(["DATE"]) == [2, 1, 3, 4]
        # ESORT (RFC 5267): the ESEARCH answer, MIN/MAX in sort order.
        typ, data = client._imap._simple_command("SORT", "RETURN", "(MIN MAX COUNT ALL PARTIAL 2:3)", "(DATE)", "UTF-8", "ALL")
        assert typ == "OK"
        line = client._imap.untagged_responses.pop("ESEARCH")[0].decode()
        assert re.fullmatch(r'\(TAG "\w+"\) MIN 2 MAX 4 COUNT 4 ALL 2,1,3:4 PARTIAL \(2:3 1,3\)', line), line


def test_mutt_searches_on_the_server(imap_system, tmp_path):
    store, smtp, imap = imap_system
    uids = threaded(smtp)
    folder = f"imap://localhost:{imap.port}/"
    shown, env = mutt_setup(tmp_path, folder, imap)
    # =b: SEARCH BODY, =B: SEARCH TEXT, =h: SEARCH HEADER (mutt's imap_compile_search).
    for pattern, subject in (("=b zanzibar", "Subject: Unrelated"), ("=B zanzibar", "Subject: Unrelated"),
                             ("=h 'From: mia'", "Subject: Re: Plans")):
        shown.unlink(missing_ok=True)
        code, screen = run_in_terminal(["mutt", "-n", "-F", str(tmp_path / "muttrc"),
                                        "-e", f'push "<limit>{pattern}<enter><display-message><quit>"'], env)
        text = re.sub(rb"\x1b[\[()][0-9;?]*[A-Za-z]|\x1b[=>]|[\x0e\x0f]", b"", screen).decode(errors="replace")
        assert code == 0, text[-3000:]
        assert shown.exists(), f"mutt displayed no message for {pattern}:\n{text[-3000:]}"
        displayed = shown.read_text()
        assert subject in displayed, displayed
