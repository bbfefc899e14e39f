"""Quotas end to end (RFC 9208; RFC 3463 X.2.2): limits set with the built mailctl, read with
IMAPClient's GETQUOTAROOT/GETQUOTA, enforced by the store on APPEND (`NO [OVERQUOTA]`) and on
SMTP delivery (`452 4.2.2`, or `552 5.2.2` for a message larger than the whole quota), and
nothing stored on a refusal. Usage is checked against the store's own count of the messages.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_quota.py
"""

from __future__ import annotations

import imaplib
import smtplib

import imapclient
import pytest

from conftest import mailctl
from imap_support import ALICE, BOB, PASSWORD, deliver, listing, message, raw_message, trusting_context


def quota(store, account: str = ALICE) -> dict:
    r = store.api("GET", f"/v1/accounts/{account}/quota")
    assert r.status_code == 200, r.text
    return r.json()


def counted(store, account: str = ALICE) -> tuple[int, int]:
    """(octets, messages) in every mailbox, as the account listing counts them."""
    user = store.api("GET", f"/v1/users/{account}").json()
    return user["bytes"], user["messages"]


def set_limits(store, *args: str, account: str = ALICE) -> str:
    result = mailctl(store, "quota", "set", account, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def session(imap) -> imapclient.IMAPClient:
    client = imapclient.IMAPClient("127.0.0.1", port=imap.tls_port, ssl=True, ssl_context=trusting_context(imap), timeout=10)
    client.login(ALICE, PASSWORD)
    return client


def smtp(gateway) -> smtplib.SMTP:
    s = smtplib.SMTP("127.0.0.1", gateway.mx_port, local_hostname="client.test", timeout=10)
    s.ehlo()
    return s


def test_mailctl_sets_shows_and_clears_a_quota(store):
    store.add_user(ALICE)
    assert quota(store) == {"storageUsed": 0, "messagesUsed": 0}
    assert "10240 KiB" in set_limits(store, "--storage", "10M", "--messages", "1000")
    assert quota(store) == {"storageLimit": 10240, "messageLimit": 1000, "storageUsed": 0, "messagesUsed": 0}
    # A limit not given stays; "none" removes one; units are powers of 1024.
    set_limits(store, "--messages", "none")
    assert quota(store) == {"storageLimit": 10240, "storageUsed": 0, "messagesUsed": 0}
    set_limits(store, "--storage", "2G")
    assert quota(store)["storageLimit"] == 2 * 1024 * 1024
    shown = mailctl(store, "quota", "show", ALICE)
    assert shown.returncode == 0 and "of 2097152 KiB" in shown.stdout and "no limit" in shown.stdout, shown.stdout
    cleared = mailctl(store, "quota", "clear", ALICE)
    assert cleared.returncode == 0, cleared.stderr
    assert quota(store) == {"storageUsed": 0, "messagesUsed": 0}
    # Usage errors exit 64 and change nothing; an unknown account is the store's refusal (1).
    for bad in (["--storage", "10X"], ["--messages", "-3"], []):
        assert mailctl(store, "quota", "set", ALICE, *bad).returncode == 64, bad
    assert mailctl(store, "quota", "set", "nobody@example.test", "--messages", "1").returncode == 1
    assert quota(store) == {"storageUsed": 0, "messagesUsed": 0}


def test_imap_quota_root_append_refused_and_usage_after_expunge(imap_system):
    store, gateway, imap = imap_system
    with session(imap) as client:
        assert {b"QUOTA", b"QUOTA=RES-STORAGE", b"QUOTA=RES-MESSAGE"} <= set(client.capabilities())
        # No limit: the mailbox has no quota root (RFC 9208 §4.1.2).
        roots, quotas = client.get_quota_root("INBOX")
        assert roots.quota_roots == [] and quotas == []
    _, first = deliver(gateway, message("Quota 1", "x" * 1500 + "\r\n"))
    set_limits(store, "--storage", "3", "--messages", "10")
    with session(imap) as client:
        roots, quotas = client.get_quota_root("INBOX")
        assert roots.mailbox == "INBOX" and roots.quota_roots == [""]
        kib = (len(first) + 1023) // 1024
        assert [(q.quota_root, q.resource, q.usage, q.limit) for q in quotas] == [
            ("", "STORAGE", kib, 3), ("", "MESSAGE", 1, 10)]
        assert [(q.resource, q.usage) for q in client._get_quota("")] == [("STORAGE", kib), ("MESSAGE", 1)]
        # SETQUOTA is the administrator's (mailctl), not the user's.
        with pytest.raises(imapclient.exceptions.IMAPClientError, match="NOPERM"):
            client.set_quota([imapclient.imapclient.Quota("", "STORAGE", 0, 100)])
        assert quota(store)["storageLimit"] == 3
        # An APPEND that would pass 3 KiB is refused, and nothing is stored.
        before = listing(store)
        with pytest.raises(imapclient.exceptions.IMAPClientError, match="OVERQUOTA"):
            client.append("INBOX", message("Too much", "y" * 2000 + "\r\n"))
        assert listing(store) == before
        assert quota(store)["messagesUsed"] == 1
        # A COPY that does not fit is refused whole too.
        client.select_folder("INBOX")
        with pytest.raises(imapclient.exceptions.IMAPClientError, match="OVERQUOTA"):
            client.copy([before[0]["uid"]], "Trash")
        assert client.folder_status("Trash", ["MESSAGES"])[b"MESSAGES"] == 0
        # DELETED and DELETED-STORAGE (RFC 9208 §4.1.4) say what EXPUNGE would free.
        client.add_flags([before[0]["uid"]], [imapclient.DELETED])
        status = client.folder_status("INBOX", ["DELETED", "DELETED-STORAGE"])
        assert status == {b"DELETED": 1, b"DELETED-STORAGE": kib}
        client.expunge()
        _, quotas = client.get_quota_root("INBOX")
        assert [(q.resource, q.usage) for q in quotas] == [("STORAGE", 0), ("MESSAGE", 0)]
        # With the room made, the same APPEND goes through.
        client.append("INBOX", message("Fits now", "y" * 2000 + "\r\n"))
    assert (quota(store)["storageUsed"], quota(store)["messagesUsed"]) == counted(store)


def test_replace_at_a_full_quota_is_checked_on_the_net_change(imap_system):
    """RFC 8508 with RFC 9208 §4.3: a client saving its draft again at MESSAGE 2/2 (REPLACE, as
    imaplib sends it) is not refused — one message in, one out, in one store transaction; a
    replacement that would pass STORAGE is NO [OVERQUOTA] and the old draft stays."""
    store, _, imap = imap_system
    imaplib.Commands.setdefault("REPLACE", ("SELECTED",))
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    try:
        client.login(ALICE, PASSWORD)
        assert client.append("INBOX", None, None, message("Kept"))[0] == "OK"
        assert client.append("Drafts", "(\\Draft)", None, message("Draft v1", "x" * 500 + "\r\n"))[0] == "OK"
        set_limits(store, "--messages", "2")
        typ, data = client.append("Drafts", "(\\Draft)", None, message("One too many"))
        assert typ == "NO" and b"OVERQUOTA" in data[0], data
        client.select("Drafts")
        for version in range(2, 5):
            client.literal = message(f"Draft v{version}", "x" * 500 + "\r\n")
            typ, data = client._simple_command("REPLACE", "1", "Drafts", "(\\Draft)")
            assert typ == "OK", data
        drafts = listing(store, ALICE, "Drafts")
        assert len(drafts) == 1 and b"Subject: Draft v4" in raw_message(store, ALICE, "Drafts", drafts[0]["uid"])
        assert quota(store)["messagesUsed"] == 2
        # STORAGE at its limit too: a bigger draft would pass it; refused, the old one stays.
        kib = (quota(store)["storageUsed"] + 1023) // 1024
        set_limits(store, "--storage", str(kib) + "K")
        client.literal = message("Draft v5", "x" * 3000 + "\r\n")
        typ, data = client._simple_command("REPLACE", "1", "Drafts", "(\\Draft)")
        assert typ == "NO" and b"OVERQUOTA" in data[0], (typ, data)
        assert listing(store, ALICE, "Drafts") == drafts
    finally:
        client.logout()
    assert (quota(store)["storageUsed"], quota(store)["messagesUsed"]) == counted(store)


def test_smtp_over_quota_is_452_per_recipient_and_never_250(imap_system):
    store, gateway, _ = imap_system
    set_limits(store, "--messages", "1")
    deliver(gateway, message("Fills the mailbox"))
    assert quota(store)["messagesUsed"] == 1
    raw = message("One more", to=f"{ALICE}, {BOB}")
    with smtp(gateway) as s:
        # RCPT to the full mailbox: temporary, for that recipient alone (RFC 3463 X.2.2).
        s.mail("sender@remote.test")
        code, text = s.rcpt(ALICE)
        assert (code, text[:5]) == (452, b"4.2.2"), (code, text)
        assert s.rcpt(BOB)[0] == 250
        assert s.data(raw)[0] == 250
    assert len(listing(store, BOB)) == 1 and len(listing(store, ALICE)) == 1
    # The mailbox fills up between RCPT and the end of DATA: the store refuses the whole
    # message, the client gets 452 4.2.2 (not 250), and nothing is stored for anyone.
    mailctl(store, "quota", "clear", ALICE)
    with smtp(gateway) as s:
        s.mail("sender@remote.test")
        assert s.rcpt(ALICE)[0] == 250 and s.rcpt(BOB)[0] == 250
        set_limits(store, "--messages", "1")
        code, text = s.data(raw)
        assert (code, text[:5]) == (452, b"4.2.2"), (code, text)
    assert len(listing(store, BOB)) == 1 and len(listing(store, ALICE)) == 1
    assert (quota(store)["storageUsed"], quota(store)["messagesUsed"]) == counted(store)


def test_smtp_message_larger_than_the_whole_quota_is_552(imap_system):
    store, gateway, _ = imap_system
    set_limits(store, "--storage", "1")
    with smtp(gateway) as s:
        s.mail("sender@remote.test")
        assert s.rcpt(ALICE)[0] == 250  # empty mailbox: room for something
        code, text = s.data(message("Huge", "z" * 4000 + "\r\n"))
        assert (code, text[:5]) == (552, b"5.2.2"), (code, text)
    assert listing(store, ALICE) == [] and quota(store)["storageUsed"] == 0
