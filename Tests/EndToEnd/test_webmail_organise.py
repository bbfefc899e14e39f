"""Organising and searching mail in the webmail, checked from the outside: `requests` as the
browser, the store's listing and IMAP as the second opinion.

- the search box's syntax (`from:` `subject:"…"` `is:unread` `larger:` `before:`/`after:`, free
  text in header or body, `-` to negate) finds what an independent filter over the same
  messages finds, page links keep the search, and what was typed comes back escaped;
- the toolbar acts on the checked messages: read, unread, flag, delete to Trash (and from Trash
  for good), junk and not junk (`$Junk`/`$NotJunk`, RFC 5788), move to a folder made over IMAP;
  every change is what IMAP then shows;
- without the session's token nothing changes; another user's folder is 404; the page to come
  back to is one of ours (no open redirect).

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_webmail_organise.py
"""

from __future__ import annotations

import re

import pytest
import requests

from imap_support import ALICE, BOB, deliver, listing, mailboxes, message
from test_webmail import Page, get, imap_client, inbox_id, login, post, session_token, where


def send(smtp, subject: str, body: str = "Hello.\r\n", sender: str = "Sender <sender@remote.test>",
         extra: str = "") -> int:
    uid, _ = deliver(smtp, message(subject, body, sender=sender, extra=extra))
    return uid


def subjects_found(browser, webmail, mailbox: int, search: str) -> set[str]:
    r = get(browser, webmail, f"/mail/{mailbox}", params={"q": search})
    assert r.status_code == 200, r.text[:300]
    return set(Page(r.text).subjects())


def names(store, account: str = ALICE) -> dict[str, set[str]]:
    """Every folder's subjects, from the store."""
    out = {}
    for name, box in mailboxes(store, account).items():
        out[name] = set()
        for m in listing(store, account, name):
            raw = store.api("GET", f"/v1/accounts/{account}/mailboxes/{box['id']}/messages/{m['uid']}/raw").content
            out[name].add(re.search(rb"^Subject: (.*?)\r$", raw, re.M).group(1).decode())
    return out


def imap_flags_in(imap, folder: str) -> dict[str, set[str]]:
    """{subject: flags} of a folder over IMAP."""
    with imap_client(imap) as client:
        assert client.select(folder, readonly=True)[0] == "OK"
        typ, data = client.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        out = {}
        for item in data:
            if isinstance(item, tuple):
                flags = set(f.decode().lower() for f in re.search(rb"FLAGS \(([^)]*)\)", item[0]).group(1).split())
                out[item[1].decode().split(":", 1)[1].strip()] = flags
        return out


def test_search_finds_what_a_filter_over_the_same_mail_finds(webmail_system):
    store, smtp, imap, webmail = webmail_system
    mail = [
        ("Lunch plans", "Carol <carol@remote.test>", "Shall we meet at noon?\r\n"),
        ("Quarterly report", "Dave <dave@remote.test>", "The numbers are in the attachment.\r\n" + ("x" * 70 + "\r\n") * 90),
        ("lunch again", "Dave <dave@remote.test>", "Noon works for zanzibar.\r\n"),
        ("Invoice 42", "Billing <billing@shop.test>", "Please pay.\r\n"),
    ]
    uids = {subject: send(smtp, subject, body, sender) for subject, sender, body in mail}
    inbox = inbox_id(store)
    browser = login(webmail)
    token = session_token(browser, webmail, inbox)
    assert where(post(browser, webmail, f"/mail/{inbox}/act",
                      data={"csrf": token, "action": "read", "uid": [uids["Invoice 42"]]})) == f"/mail/{inbox}"

    every = {s for s, _, _ in mail}
    cases = {
        "": every,
        "lunch": {"Lunch plans", "lunch again"},                       # subject, any case
        "zanzibar": {"lunch again"},                                   # body text
        "from:dave": {"Quarterly report", "lunch again"},
        "from:carol@remote.test": {"Lunch plans"},
        'subject:"lunch plans"': {"Lunch plans"},
        "is:unread": every - {"Invoice 42"},
        "is:read": {"Invoice 42"},
        "-from:dave": {"Lunch plans", "Invoice 42"},
        "larger:5k": {"Quarterly report"},
        "smaller:5k": every - {"Quarterly report"},
        "from:dave lunch": {"lunch again"},
        "before:2024-05-06": set(), "after:2024-05-06": every,         # every Date is 6 May 2024
        "nothing-matches-this": set(),
    }
    for search, expected in cases.items():
        assert subjects_found(browser, webmail, inbox, search) == expected, search

    # What was typed comes back in the box, as text.
    r = get(browser, webmail, f"/mail/{inbox}", params={"q": '"><script>alert(1)</script>'})
    assert r.status_code == 200 and "<script>alert(1)</script>" not in r.text
    assert any(i.get("name") == "q" and i.get("value") == '"><script>alert(1)</script>' for i in Page(r.text).inputs)


def test_search_results_page_and_keep_the_search(webmail_system):
    store, smtp, imap, webmail = webmail_system
    for n in range(70):
        raw = message(f"match {n:02d}" if n % 5 else f"other {n:02d}")
        assert store.deliver(raw, [ALICE]).status_code == 200
    inbox = inbox_id(store)
    browser = login(webmail)
    first = Page(get(browser, webmail, f"/mail/{inbox}", params={"q": "match", "sort": "subject", "order": "asc"}).text)
    assert first.subjects() == [f"match {n:02d}" for n in range(70) if n % 5][:50]
    following = next(link["href"] for link in first.links if "page=2" in link["href"])
    assert "q=match" in following, following
    second = Page(get(browser, webmail, following).text)
    assert second.subjects() == [f"match {n:02d}" for n in range(70) if n % 5][50:]


def test_toolbar_actions_are_what_imap_sees(webmail_system):
    store, smtp, imap, webmail = webmail_system
    uids = {s: send(smtp, s) for s in ("one", "two", "three", "four", "five")}
    inbox = inbox_id(store)
    with imap_client(imap, readonly=False) as client:
        assert client.create("Projects")[0] == "OK"
    browser = login(webmail)
    token = session_token(browser, webmail, inbox)
    projects = mailboxes(store)["Projects"]["id"]

    def act(action: str, subjects, mailbox: int = inbox, **extra) -> requests.Response:
        return post(browser, webmail, f"/mail/{mailbox}/act",
                    data={"csrf": token, "action": action, "uid": [uids[s] for s in subjects], **extra})

    assert where(act("read", ["one", "two"])) == f"/mail/{inbox}"
    assert where(act("flag", ["two"])) == f"/mail/{inbox}"
    flags = imap_flags_in(imap, "INBOX")
    assert "\\seen" in flags["one"] and "\\seen" in flags["two"] and "\\seen" not in flags["three"]
    assert "\\flagged" in flags["two"] and "\\flagged" not in flags["one"]
    assert where(act("unread", ["two"])) == f"/mail/{inbox}"
    assert "\\seen" not in imap_flags_in(imap, "INBOX")["two"]

    assert where(act("move", ["three"], to=projects)) == f"/mail/{inbox}"
    assert where(act("delete", ["four"])) == f"/mail/{inbox}"
    assert where(act("junk", ["five"])) == f"/mail/{inbox}"
    folders = names(store)
    assert folders["INBOX"] == {"one", "two"}
    assert folders["Projects"] == {"three"} and folders["Trash"] == {"four"} and folders["Junk"] == {"five"}
    assert "$junk" in imap_flags_in(imap, "Junk")["five"]

    # Not junk: back to the INBOX, marked so.
    junk = mailboxes(store)["Junk"]["id"]
    [five] = listing(store, ALICE, "Junk")
    r = post(browser, webmail, f"/mail/{junk}/act", data={"csrf": token, "action": "notjunk", "uid": [five["uid"]]})
    assert where(r) == f"/mail/{junk}"
    flags = imap_flags_in(imap, "INBOX")
    assert "$notjunk" in flags["five"] and "$junk" not in flags["five"]

    # Deleting in the Trash deletes for good.
    trash = mailboxes(store)["Trash"]["id"]
    [four] = listing(store, ALICE, "Trash")
    r = post(browser, webmail, f"/mail/{trash}/act", data={"csrf": token, "action": "delete", "uid": [four["uid"]]})
    assert where(r) == f"/mail/{trash}"
    assert listing(store, ALICE, "Trash") == [] and "four" not in {s for f in names(store).values() for s in f}

    # The folder page shows what IMAP shows.
    assert set(Page(get(browser, webmail, f"/mail/{inbox}").text).subjects()) == {"one", "two", "five"}


def test_toolbar_refuses_without_the_token_and_for_another_user(webmail_system):
    store, smtp, imap, webmail = webmail_system
    uid = send(smtp, "keep me")
    inbox = inbox_id(store)
    browser = login(webmail)
    token = session_token(browser, webmail, inbox)
    for form in ({"action": "delete", "uid": [uid]}, {"action": "delete", "uid": [uid], "csrf": "x" * 43}):
        assert post(browser, webmail, f"/mail/{inbox}/act", data=form).status_code == 403
    bob = login(webmail, BOB)
    bobs_token = session_token(bob, webmail, inbox_id(store, BOB))
    r = post(bob, webmail, f"/mail/{inbox}/act", data={"csrf": bobs_token, "action": "delete", "uid": [uid]})
    assert r.status_code == 404
    assert names(store)["INBOX"] == {"keep me"}
    # Nothing checked, or a move without a folder: a clear refusal, nothing changed.
    assert post(browser, webmail, f"/mail/{inbox}/act", data={"csrf": token, "action": "read"}).status_code == 400
    assert post(browser, webmail, f"/mail/{inbox}/act", data={"csrf": token, "action": "move", "uid": [uid]}).status_code == 400
    assert post(browser, webmail, f"/mail/{inbox}/act", data={"csrf": token, "action": "burn", "uid": [uid]}).status_code == 400


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/mail/1", "/mail/\\\\evil.example",
                                  "/mail/1\r\nSet-Cookie: x=1", "/login"])
def test_the_page_to_come_back_to_is_ours(webmail_system, back):
    store, smtp, imap, webmail = webmail_system
    uid = send(smtp, "bounce")
    inbox = inbox_id(store)
    browser = login(webmail)
    token = session_token(browser, webmail, inbox)
    r = post(browser, webmail, f"/mail/{inbox}/act", data={"csrf": token, "action": "read", "uid": [uid], "back": back})
    assert r.status_code == 303 and r.headers["Location"] == f"/mail/{inbox}", r.headers


def imap_folders(imap, account: str = ALICE) -> set[str]:
    with imap_client(imap, account) as client:
        typ, data = client.list()
        assert typ == "OK", data
        return {line.decode().rsplit(" ", 1)[1].strip('"') for line in data}


def test_folders_are_made_renamed_and_deleted_as_imap_sees_them(webmail_system):
    store, smtp, imap, webmail = webmail_system
    inbox = inbox_id(store)
    browser = login(webmail)
    token = session_token(browser, webmail, inbox)
    assert where(post(browser, webmail, "/folders", data={"csrf": token, "name": "Projects/2027"})) == "/folders"
    assert {"Projects", "Projects/2027"} <= imap_folders(imap)
    page = Page(get(browser, webmail, "/folders").text)
    assert "/mail/" + str(mailboxes(store)["Projects/2027"]["id"]) in [f["href"] for f in page.folder_list().values()]

    # A name taken: refused in words, nothing changed.
    r = post(browser, webmail, "/folders", data={"csrf": token, "name": "Projects"})
    assert r.status_code == 409 and "Not done" in r.text, (r.status_code, r.text[:300])

    projects = mailboxes(store)["Projects"]["id"]
    assert where(post(browser, webmail, f"/folders/{projects}/rename", data={"csrf": token, "name": "Work"})) == "/folders"
    folders = imap_folders(imap)
    assert {"Work", "Work/2027"} <= folders and "Projects" not in folders  # children move along

    sub = mailboxes(store)["Work/2027"]["id"]
    assert where(post(browser, webmail, f"/folders/{sub}/delete", data={"csrf": token})) == "/folders"
    assert "Work/2027" not in imap_folders(imap)

    # INBOX and the special folders keep their names; another user's folder does not exist here.
    for name in ("INBOX", "Trash", "Sent"):
        box = mailboxes(store)[name]["id"]
        assert post(browser, webmail, f"/folders/{box}/rename", data={"csrf": token, "name": "X"}).status_code == 400
        assert post(browser, webmail, f"/folders/{box}/delete", data={"csrf": token}).status_code == 400
    bobs = mailboxes(store, BOB)["INBOX"]["id"]
    work = mailboxes(store)["Work"]["id"]
    bob = login(webmail, BOB)
    bobs_token = session_token(bob, webmail, bobs)
    assert post(bob, webmail, f"/folders/{work}/delete", data={"csrf": bobs_token}).status_code == 404
    assert post(browser, webmail, f"/folders/{work}/delete", data={}).status_code == 403
    assert "Work" in imap_folders(imap)


def test_twenty_browsers_at_once(webmail_system):
    """Twenty sessions reading pages together: every page comes, none waits on another. (Each
    request looks its session up in the store; that lookup once took GRDB's blocking read on an
    event loop and, with every reader busy, hung the store.)"""
    import concurrent.futures
    store, smtp, imap, webmail = webmail_system
    for n in range(60):
        assert store.deliver(message(f"load {n:02d}"), [ALICE]).status_code == 200
    inbox = inbox_id(store)
    browsers = [login(webmail) for _ in range(20)]

    def read(browser) -> list[int]:
        return [browser.get(f"{webmail.url}/mail/{inbox}", timeout=20, allow_redirects=False).status_code for _ in range(5)]

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        statuses = [s for result in pool.map(read, browsers) for s in result]
    assert statuses == [200] * 100
