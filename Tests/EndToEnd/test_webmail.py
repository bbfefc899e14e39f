"""The webmail end to end, with `requests` as the browser and imaplib as a second client on the
same mailbox. Mail comes in through the smtp-gateway (or the store's delivery API); what the
webmail shows must be what a user expects to read, and what it changes must be what IMAP sees:

- logging in lands on the INBOX; an RFC 2047 subject and sender show decoded; a message's text
  shows as text, never as markup (its `<script>` escaped); opening it sets \\Seen;
- the login form is guarded against cross-site posts (a double-submit token and the Origin), a
  wrong password is 401, and the store's throttle answers 429;
- an HTML message is shown only inside `<iframe sandbox>` from its own URL, which carries a
  sandboxing Content-Security-Policy; never inline in the page;
- attachments and the raw source come back byte for byte, as downloads, and only a few harmless
  types keep their Content-Type (an attached HTML page or SVG image is octet-stream);
- flags change by POST with the session's token only, and IMAP sees the change;
- logout and a password change end the session; another user's ids are 404;
- folders page 50 messages at a time, newest first, and sort by subject;
- every page carries the security headers; over HTTPS the session cookie is Secure;
- a model-based test (hypothesis's stateful testing): mail arrives, is marked read, unread,
  flagged and opened at random; after each step the folder page's unread rows, its title's and
  the folder list's unread counts and IMAP's SEARCH UNSEEN / FLAGGED agree with the model.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_webmail.py
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import email.utils
import imaplib
import os
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from conftest import webmail_stack
from imap_support import ALICE, BOB, PASSWORD, deliver, flagset, imaplib_fetch, mailboxes, message

# --- what a browser sees of a page -------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FOLDERS = {"aria-label": "Folders"}
MESSAGE_LINK = re.compile(r"^/mail/(\d+)/(\d+)$")


def classes(attrs: dict) -> list[str]:
    return (attrs.get("class") or "").split()


def squeeze(text: str) -> str:
    return " ".join(text.split())


class Page(HTMLParser):
    """One HTML page as a user sees it (the standard library's parser, entities decoded): the
    title, the <h1>, every link (href and text), input, meta, form and iframe, the folder list
    (`<nav aria-label="Folders">`: link, name, unread count), the rows of `<table
    class="messages">` and the text of `<pre class="body">`. Script and style are not text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.title = self.h1 = self.text = ""
        self.body: str | None = None
        self.links: list[dict] = []
        self.inputs: list[dict] = []
        self.metas: list[dict] = []
        self.forms: list[dict] = []
        self.iframes: list[dict] = []
        self.folders: list[dict] = []
        self.rows: list[dict] = []
        self._open: list[tuple[str, dict]] = []
        self._link: dict | None = None
        self._folder: dict | None = None
        self._row: dict | None = None
        self.feed(markup)
        self.close()

    def _inside(self, tag: str, cls: str | None = None, attrs: dict | None = None) -> bool:
        return any(t == tag and (cls is None or cls in classes(a)) and all(a.get(k) == v for k, v in (attrs or {}).items())
                   for t, a in self._open)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self._link = {"href": a.get("href") or "", "text": ""}
            self.links.append(self._link)
            if self._inside("nav", attrs=FOLDERS):
                self._folder = {"href": self._link["href"], "name": "", "count": ""}
                self.folders.append(self._folder)
            if self._row is not None:
                self._row["links"].append(self._link)
        elif tag == "input":
            self.inputs.append(a)
        elif tag == "meta":
            self.metas.append(a)
        elif tag == "form":
            self.forms.append(a)
        elif tag == "iframe":
            self.iframes.append(a)
        elif tag == "tr" and self._inside("table", "messages"):
            self._row = {"classes": set(classes(a)), "links": [], "text": ""}
            self.rows.append(self._row)
        elif tag == "pre" and "body" in classes(a) and self.body is None:
            self.body = ""
        if tag not in VOID:
            self._open.append((tag, a))

    def handle_endtag(self, tag):
        if tag in VOID or all(t != tag for t, _ in self._open):
            return
        while self._open:
            closed, _ = self._open.pop()
            if closed == "a":
                self._link = None
            elif closed == "tr":
                self._row = None
            if closed == tag:
                break

    def handle_data(self, data):
        if self._inside("script") or self._inside("style"):
            return
        self.text += data + " "
        if self._inside("title"):
            self.title += data
        if self._inside("h1"):
            self.h1 += data
        if self._link is not None:
            self._link["text"] += data
        if self._folder is not None and self._inside("nav", attrs=FOLDERS):
            if self._inside("span", "unread-count"):
                self._folder["count"] += data  # inside the folder's link or just after it
            elif self._link is not None:
                self._folder["name"] += data
        if self._row is not None:
            self._row["text"] += data + " "
        if self.body is not None and self._inside("pre", "body"):
            self.body += data

    # --- what the tests ask ---------------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        return next((m.get("content") for m in self.metas if m.get("name") == name), None)

    @property
    def csrf(self) -> str:
        """The page's CSRF token: `<meta name="csrf-token">`, else the hidden input `csrf`."""
        token = self.meta("csrf-token") or next((i.get("value") for i in self.inputs if i.get("name") == "csrf"), None)
        assert token, "no CSRF token on the page"
        return token

    def link_to(self, text: str) -> str | None:
        """The path of the first link whose text contains `text`."""
        return next((urlsplit(link["href"]).path for link in self.links if text in link["text"]), None)

    def messages(self) -> list[dict]:
        """The message rows, top to bottom: mailbox, uid, subject (the link's text), unread,
        the row's text."""
        out = []
        for row in self.rows:
            for link in row["links"]:
                m = MESSAGE_LINK.match(urlsplit(link["href"]).path)
                if m:
                    out.append({"mailbox": int(m.group(1)), "uid": int(m.group(2)), "subject": squeeze(link["text"]),
                                "unread": "unread" in row["classes"], "text": squeeze(row["text"])})
                    break
        return out

    def subjects(self) -> list[str]:
        return [m["subject"] for m in self.messages()]

    def folder_list(self) -> dict[str, dict]:
        """{folder name: {"href": path, "unread": count (0 when not shown)}}."""
        return {squeeze(f["name"]): {"href": urlsplit(f["href"]).path, "unread": int(squeeze(f["count"]) or 0)}
                for f in self.folders}

    def title_unread(self) -> int:
        """The unread count in the title, `(3) INBOX`; 0 when none is shown."""
        m = re.search(r"\((\d+)\)", self.title)
        return int(m.group(1)) if m else 0


# --- HTTP as a browser does it ------------------------------------------------------------------


def as_browser(r: requests.Response) -> requests.Response:
    """A page without a charset in its Content-Type is read as UTF-8, as a browser reading the
    page's own `<meta charset>` would (requests would take ISO-8859-1)."""
    if "charset" not in r.headers.get("Content-Type", "").lower():
        r.encoding = "utf-8"
    return r


def trusted(client, kw: dict) -> dict:
    """A session's own `verify` (the test certificate) passed with each request: requests lets
    REQUESTS_CA_BUNDLE, when set, override a session's `verify` (psf/requests#3829)."""
    if isinstance(client, requests.Session) and client.verify not in (True, None):
        kw.setdefault("verify", client.verify)
    return kw


def get(client, webmail, path: str, base: str | None = None, **kw) -> requests.Response:
    """GET without following redirects (`client`: a requests.Session, or `requests` itself)."""
    return as_browser(client.get((base or webmail.url) + path, allow_redirects=False, timeout=10, **trusted(client, kw)))


def post(client, webmail, path: str, base: str | None = None, **kw) -> requests.Response:
    return as_browser(client.post((base or webmail.url) + path, allow_redirects=False, timeout=10, **trusted(client, kw)))


def where(r: requests.Response) -> str:
    """The path a redirect points to (relative or absolute Location alike)."""
    assert r.status_code == 303, (r.status_code, r.text[:500])
    return urlsplit(urljoin(r.url, r.headers["Location"])).path


def set_cookies(r: requests.Response) -> dict[str, dict]:
    """The response's Set-Cookie fields: {name: {"value": …, attribute (lower case): value}}."""
    out = {}
    for field in r.raw.headers.getlist("Set-Cookie"):
        first, *attributes = [part.strip() for part in field.split(";")]
        name, _, value = first.partition("=")
        cookie = {"value": value}
        for attribute in attributes:
            key, _, v = attribute.partition("=")
            cookie[key.strip().lower()] = v.strip()
        out[name.strip()] = cookie
    return out


def login_form(webmail, base: str | None = None, verify=None) -> tuple[requests.Session, str]:
    """A browser that opened the login page: its session (holding `buzon_login`) and the token
    of the form."""
    browser = requests.Session()
    if verify:
        browser.verify = verify
    r = get(browser, webmail, "/login", base=base)
    assert r.status_code == 200, r.text
    return browser, Page(r.text).csrf


def try_login(browser: requests.Session, webmail, username: str, password: str, token: str | None,
              base: str | None = None, headers: dict | None = None) -> requests.Response:
    form = {"username": username, "password": password}
    if token is not None:
        form["csrf"] = token
    return post(browser, webmail, "/login", base=base, data=form, headers=headers)


def login(webmail, user: str = ALICE, password: str = PASSWORD, base: str | None = None, verify=None) -> requests.Session:
    """A browser logged in as `user` (it holds `buzon_session`)."""
    browser, token = login_form(webmail, base, verify)
    r = try_login(browser, webmail, user, password, token, base=base)
    assert where(r) == "/mail", r.headers
    assert "buzon_session" in set_cookies(r), r.headers
    return browser


def folder_page(browser, webmail, mailbox: int, query: str = "") -> Page:
    r = get(browser, webmail, f"/mail/{mailbox}{query}")
    assert r.status_code == 200, (r.status_code, r.text[:500])
    return Page(r.text)


def session_token(browser, webmail, mailbox: int) -> str:
    token = folder_page(browser, webmail, mailbox).meta("csrf-token")
    assert token, "no <meta name=\"csrf-token\"> on the folder page"
    return token


def media_type(r: requests.Response) -> str:
    return r.headers.get("Content-Type", "").split(";")[0].strip().lower()


def inbox_id(store, account: str = ALICE) -> int:
    return store.inbox(account)["id"]


# --- IMAP, the second opinion -------------------------------------------------------------------


@contextlib.contextmanager
def imap_client(imap, account: str = ALICE, readonly: bool = True):
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    try:
        assert client.login(account, PASSWORD)[0] == "OK"
        assert client.select("INBOX", readonly=readonly)[0] == "OK"
        yield client
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def imap_flags(imap, uid: int, account: str = ALICE) -> frozenset:
    """The message's flags as a fresh IMAP session sees them (lower case, without \\Recent)."""
    with imap_client(imap, account) as client:
        typ, data = client.uid("FETCH", str(uid), "(FLAGS)")
        assert typ == "OK", data
        return flagset(next(iter(imaplib_fetch(data).values()))["FLAGS"])


def imap_search(imap, *criteria: str) -> set[int]:
    with imap_client(imap) as client:
        typ, data = client.uid("SEARCH", *criteria)
        assert typ == "OK", data
        return {int(n) for n in data[0].split()}


# --- mail to read --------------------------------------------------------------------------------


def encoded_word(text: str) -> str:
    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


def base64_lines(data: bytes) -> str:
    return base64.encodebytes(data).decode().replace("\n", "\r\n")


def attachment(content_type: str, filename: str, data: bytes) -> str:
    return (f"Content-Type: {content_type}; name=\"{filename}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{filename}\"\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{base64_lines(data)}")


MIME = "MIME-Version: 1.0\r\n"


# --- 1. reading a message ------------------------------------------------------------------------

SUBJECT = "Grüße <b>aus</b> Köln & co"
SENDER_NAME = "José Pérez"
TEXT = "Hi Alice,\r\n<script>alert(1)</script> & <i>not italic</i>\r\n"


def test_login_lands_on_the_inbox_and_a_message_reads_decoded_and_escaped(webmail_system):
    store, smtp, imap, webmail = webmail_system
    uid, _ = deliver(smtp, message(encoded_word(SUBJECT), TEXT,
                                   sender="=?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@remote.test>"))
    inbox = inbox_id(store)

    browser = requests.Session()
    r = get(browser, webmail, "/login")
    assert r.status_code == 200 and media_type(r) == "text/html", r.headers
    form = Page(r.text)
    assert any((f.get("method") or "").lower() == "post" and f.get("action") == "/login" for f in form.forms), form.forms
    names = {i.get("name"): i for i in form.inputs}
    assert {"username", "password", "csrf"} <= set(names), form.inputs
    assert (names["csrf"].get("type") or "").lower() == "hidden" and names["csrf"].get("value")
    login_cookie = set_cookies(r)["buzon_login"]
    assert "httponly" in login_cookie, login_cookie

    r = try_login(browser, webmail, ALICE, PASSWORD, form.csrf)
    assert where(r) == "/mail"
    cookie = set_cookies(r)["buzon_session"]
    assert cookie["value"] and "httponly" in cookie and cookie.get("path") == "/", cookie
    assert cookie.get("samesite", "").lower() == "strict" and "secure" not in cookie, cookie  # plain HTTP here

    assert where(get(browser, webmail, "/mail")) == f"/mail/{inbox}"
    r = get(browser, webmail, f"/mail/{inbox}")
    assert r.status_code == 200, r.text
    page = Page(r.text)
    assert page.folder_list() == {
        name: {"href": f"/mail/{box['id']}", "unread": 1 if name == "INBOX" else 0} for name, box in mailboxes(store).items()}
    assert "(1) INBOX" in page.title, page.title
    [row] = page.messages()
    assert (row["mailbox"], row["uid"], row["subject"], row["unread"]) == (inbox, uid, SUBJECT, True), row
    assert SENDER_NAME in row["text"], row
    assert "<b>aus</b>" not in r.text  # the subject is text, not markup

    r = get(browser, webmail, f"/mail/{inbox}/{uid}")
    assert r.status_code == 200 and media_type(r) == "text/html", r.text
    shown = Page(r.text)
    assert squeeze(shown.h1) == SUBJECT
    assert SENDER_NAME in shown.text and ALICE in shown.text and "2024" in shown.text  # From, To, Date
    assert shown.body is not None and "<script>alert(1)</script> & <i>not italic</i>" in shown.body, shown.body
    assert "<script>alert(1)</script>" not in r.text and "<b>aus</b>" not in r.text and "<i>not italic</i>" not in r.text
    assert "&lt;script&gt;" in r.text
    assert f"/mail/{inbox}/{uid}/raw" in [urlsplit(link["href"]).path for link in shown.links], shown.links
    assert not shown.iframes  # a plain-text message has no HTML to frame

    assert "\\seen" in imap_flags(imap, uid)
    page = folder_page(browser, webmail, inbox)
    assert [m["unread"] for m in page.messages()] == [False]
    assert page.title_unread() == 0 and page.folder_list()["INBOX"]["unread"] == 0, page.title


def test_mail_pages_need_a_session(webmail_system):
    store, smtp, imap, webmail = webmail_system
    uid, _ = deliver(smtp, message("Private"))
    inbox = inbox_id(store)
    forged = [None, "A" * 43, "not-a-session-id"]
    for path in ("/mail", f"/mail/{inbox}", f"/mail/{inbox}/{uid}", f"/mail/{inbox}/{uid}/raw",
                 f"/mail/{inbox}/{uid}/part/1"):
        for value in forged:
            r = get(requests, webmail, path, cookies={"buzon_session": value} if value else None)
            assert where(r) == "/login", (path, value)
            assert "Private" not in r.text
    assert "\\seen" not in imap_flags(imap, uid)


# --- 2. the login form ------------------------------------------------------------------------------


def test_login_refuses_cross_site_posts_and_wrong_passwords(webmail_system):
    store, smtp, imap, webmail = webmail_system

    def refused(r: requests.Response, status: int, case: str) -> None:
        assert r.status_code == status, (case, r.status_code, r.text[:300])
        assert "buzon_session" not in set_cookies(r), case

    browser, token = login_form(webmail)
    refused(try_login(browser, webmail, ALICE, PASSWORD, None), 403, "no token in the form")
    browser, token = login_form(webmail)
    refused(try_login(browser, webmail, ALICE, PASSWORD, "forged-" + token), 403, "a wrong token")
    _, token = login_form(webmail)
    refused(try_login(requests.Session(), webmail, ALICE, PASSWORD, token), 403, "no cookie")
    browser, _ = login_form(webmail)
    _, other = login_form(webmail)
    refused(try_login(browser, webmail, ALICE, PASSWORD, other), 403, "another form's token")
    browser, token = login_form(webmail)
    refused(try_login(browser, webmail, ALICE, PASSWORD, token, headers={"Origin": "https://evil.example"}), 403,
            "a post from another site")
    browser, token = login_form(webmail)
    refused(try_login(browser, webmail, ALICE, PASSWORD, token, headers={"Origin": "null"}), 403,
            "a post from an opaque origin (a sandboxed frame, a data: page)")

    browser, token = login_form(webmail)
    r = try_login(browser, webmail, ALICE, "not the password", token)
    refused(r, 401, "a wrong password")
    again = Page(r.text)
    assert {"username", "password", "csrf"} <= {i.get("name") for i in again.inputs}, "the form again"
    assert "not the password" not in r.text

    # The browser's own post (it sends its Origin) logs in.
    browser, token = login_form(webmail)
    r = try_login(browser, webmail, ALICE, PASSWORD, token, headers={"Origin": webmail.url})
    assert where(r) == "/mail" and "buzon_session" in set_cookies(r)


@pytest.fixture
def throttled_webmail(tmp_path):
    """The webmail in front of a store that locks a client address out of an account after
    three wrong passwords."""
    yield from webmail_stack(tmp_path, store_env={"BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS_ACCOUNT": "3"})


def test_repeated_wrong_passwords_are_throttled(throttled_webmail):
    store, smtp, imap, webmail = throttled_webmail
    for n in range(3):  # different passwords: the store does not count one retried twice
        browser, token = login_form(webmail)
        assert try_login(browser, webmail, ALICE, f"guess-{n}", token).status_code == 401
    browser, token = login_form(webmail)
    r = try_login(browser, webmail, ALICE, PASSWORD, token)
    assert r.status_code == 429 and "buzon_session" not in set_cookies(r), (r.status_code, r.text[:300])
    login(webmail, BOB)  # only that account is locked for this address


# --- 3. HTML mail -----------------------------------------------------------------------------------

MARKER = "marker-9c1e"
HTML_DECODED = (f'<html><body><p id="{MARKER}">Hello <b>there</b></p>'
                '<img src="https://tracker.example/pixel.gif"><script>steal()</script></body></html>')
# Quoted-printable, lines under 76 characters joined by soft line breaks.
HTML = (f'<html><body><p id=3D"{MARKER}">Hello <b>there</b></p>=\r\n'
        '<img src=3D"https://tracker.example/pixel.gif">=\r\n<script>steal()</script></body></html>')


def test_html_mail_is_shown_only_in_a_sandboxed_frame(webmail_system):
    store, smtp, imap, webmail = webmail_system
    alternative, _ = deliver(smtp, message("Newsletter", (
        "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe plain version.\r\n"
        "--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        f"{HTML}\r\n--alt--\r\n"), extra=MIME + 'Content-Type: multipart/alternative; boundary="alt"\r\n'))
    html_only, _ = deliver(smtp, message("Only HTML", HTML + "\r\n", extra=MIME + (
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n")))
    plain, _ = deliver(smtp, message("Just text"))
    inbox = inbox_id(store)
    browser = login(webmail)

    for uid in (alternative, html_only):
        r = get(browser, webmail, f"/mail/{inbox}/{uid}")
        assert r.status_code == 200, r.text
        page = Page(r.text)
        frames = [f for f in page.iframes if urlsplit(f.get("src") or "").path == f"/mail/{inbox}/{uid}/html"]
        assert len(frames) == 1, page.iframes
        assert "sandbox" in frames[0] and frames[0]["sandbox"] in ("", None), frames  # no allow-… at all
        for leak in (MARKER, "tracker.example", "steal()"):
            assert leak not in r.text, f"the HTML part is inline in the page: {leak}"

        r = get(browser, webmail, f"/mail/{inbox}/{uid}/html")
        assert r.status_code == 200 and media_type(r) == "text/html", r.headers
        assert HTML_DECODED in r.text  # quoted-printable decoded
        policy = r.headers.get("Content-Security-Policy", "")
        assert "sandbox" in policy and "default-src 'none'" in policy, policy
        assert r.headers.get("X-Content-Type-Options") == "nosniff"
        assert r.headers.get("Referrer-Policy") == "no-referrer"
    # The plain alternative is one link away, shown as text and without the frame.
    shown = Page(get(browser, webmail, f"/mail/{inbox}/{alternative}").text)
    assert shown.body is None and shown.link_to("Plain text") == f"/mail/{inbox}/{alternative}", shown.links
    r = get(browser, webmail, f"/mail/{inbox}/{alternative}?view=text")
    as_text = Page(r.text)
    assert "The plain version." in (as_text.body or "") and not as_text.iframes, r.text[:500]
    assert MARKER not in r.text

    assert get(browser, webmail, f"/mail/{inbox}/{plain}/html").status_code == 404


# --- 4. attachments ----------------------------------------------------------------------------------


def test_attachments_download_byte_exact_and_never_as_active_content(webmail_system):
    store, smtp, imap, webmail = webmail_system
    data = os.urandom(50 * 1024)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page_html = b"<html><body><script>alert(2)</script></body></html>"
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(200)
    inline_html = "<p>See the <b>attachments</b>.</p>"
    uid, _ = deliver(smtp, message("With attachments", (
        '--outer\r\nContent-Type: multipart/alternative; boundary="inner"\r\n\r\n'
        "--inner\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee the attachments.\r\n"
        f"--inner\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n{inline_html}\r\n"
        "--inner--\r\n"
        f"--outer\r\n{attachment('application/octet-stream', 'data.bin', data)}"
        f"--outer\r\n{attachment('text/html', 'page.html', page_html)}"
        f"--outer\r\n{attachment('image/svg+xml', 'pic.svg', svg)}"
        f"--outer\r\n{attachment('image/png', 'pic.png', png)}"
        "--outer--\r\n"), extra=MIME + 'Content-Type: multipart/mixed; boundary="outer"\r\n'))
    inbox = inbox_id(store)
    browser = login(webmail)
    r = get(browser, webmail, f"/mail/{inbox}/{uid}")
    assert r.status_code == 200, r.text
    page = Page(r.text)

    expected = {  # IMAP part number, file name, bytes, Content-Type served
        "2": ("data.bin", data, "application/octet-stream"),
        "3": ("page.html", page_html, "application/octet-stream"),
        "4": ("pic.svg", svg, "application/octet-stream"),
        "5": ("pic.png", png, "image/png"),
    }
    for number, (filename, content, served) in expected.items():
        path = f"/mail/{inbox}/{uid}/part/{number}"
        assert page.link_to(filename) == path, (filename, page.links)
        r = get(browser, webmail, path)
        assert r.status_code == 200, (path, r.status_code)
        assert r.content == content, f"{filename}: not the attached bytes"
        disposition = r.headers.get("Content-Disposition", "")
        assert disposition.lower().startswith("attachment") and filename in disposition, disposition
        assert media_type(r) == served, (filename, r.headers.get("Content-Type"))
        assert r.headers.get("X-Content-Type-Options") == "nosniff"

    # A part inside a part (the HTML alternative, 1.2) comes as a download too, never as a page.
    r = get(browser, webmail, f"/mail/{inbox}/{uid}/part/1.2")
    assert r.status_code == 200 and r.content == inline_html.encode(), r.content[:200]
    assert media_type(r) == "application/octet-stream", r.headers
    assert r.headers.get("Content-Disposition", "").lower().startswith("attachment")


# --- 5. the raw source --------------------------------------------------------------------------------


def test_raw_source_is_the_stored_message_byte_for_byte(webmail_system):
    store, smtp, imap, webmail = webmail_system
    latin1 = b"Caf\xe9 cr\xe8me, trailing spaces   \r\n\tand a tab\r\n.a line starting with a dot\r\n\r\n\r\nlast\r\n"
    raw = message("Raw bytes", "BODY", extra=MIME + "Content-Type: text/plain; charset=iso-8859-1\r\n"
                  "Content-Transfer-Encoding: 8bit\r\n").replace(b"BODY", latin1)
    uid, stored = deliver(smtp, raw)
    inbox = inbox_id(store)
    browser = login(webmail)
    r = get(browser, webmail, f"/mail/{inbox}/{uid}/raw")
    assert r.status_code == 200
    assert r.headers.get("Content-Type", "").replace(" ", "").lower() == "text/plain;charset=utf-8", r.headers
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.content == stored, "the raw source differs from the store's copy"


# --- 6. flags -----------------------------------------------------------------------------------------


def test_flags_change_by_post_with_the_session_token_only(webmail_system):
    store, smtp, imap, webmail = webmail_system
    uid, _ = deliver(smtp, message("Flag me"))
    inbox = inbox_id(store)
    browser = login(webmail)
    token = session_token(browser, webmail, inbox)
    flags_path = f"/mail/{inbox}/{uid}/flags"

    for action, expected in (("flag", {"\\flagged"}), ("read", {"\\flagged", "\\seen"}),
                             ("unflag", {"\\seen"}), ("unread", set())):
        r = post(browser, webmail, flags_path, data={"csrf": token, "action": action})
        assert where(r) == f"/mail/{inbox}/{uid}", action
        assert imap_flags(imap, uid) == expected, action

    # The token may come as a header instead (a script's POST).
    r = post(browser, webmail, flags_path, data={"action": "flag"}, headers={"X-CSRF-Token": token})
    assert where(r) == f"/mail/{inbox}/{uid}"
    assert imap_flags(imap, uid) == {"\\flagged"}

    # Without it, or with another, nothing changes.
    for form in ({"action": "unflag"}, {"action": "read", "csrf": "forged-" + token}):
        r = post(browser, webmail, flags_path, data=form)
        assert r.status_code == 403, (form, r.status_code)
        assert imap_flags(imap, uid) == {"\\flagged"}, form

    # Every form of the message page carries the same token.
    shown = Page(get(browser, webmail, f"/mail/{inbox}/{uid}").text)
    assert shown.meta("csrf-token") == token
    assert {i.get("value") for i in shown.inputs if i.get("name") == "csrf"} <= {token}


# --- 7. the end of a session --------------------------------------------------------------------------


def test_logout_ends_the_session(webmail_system):
    store, smtp, imap, webmail = webmail_system
    inbox = inbox_id(store)
    browser = login(webmail)
    token = session_token(browser, webmail, inbox)
    old = browser.cookies.get("buzon_session")
    assert old
    r = post(browser, webmail, "/logout", data={"csrf": token})
    assert where(r) == "/login"
    assert where(get(browser, webmail, f"/mail/{inbox}")) == "/login"
    # Even a browser that kept the cookie is out.
    assert where(get(requests, webmail, f"/mail/{inbox}", cookies={"buzon_session": old})) == "/login"


def test_a_password_change_ends_the_session_at_once(webmail_system):
    store, smtp, imap, webmail = webmail_system
    inbox = inbox_id(store)
    alice, bob = login(webmail), login(webmail, BOB)
    folder_page(alice, webmail, inbox)
    r = store.api("PUT", f"/v1/users/{ALICE}/password", json={"password": "a new one"})
    assert r.status_code == 204, r.text
    assert where(get(alice, webmail, f"/mail/{inbox}")) == "/login"
    folder_page(bob, webmail, inbox_id(store, BOB))  # another account's session lives on
    browser, token = login_form(webmail)
    assert try_login(browser, webmail, ALICE, PASSWORD, token).status_code == 401
    login(webmail, ALICE, "a new one")


# --- 8. another user's mail ----------------------------------------------------------------------------


def test_another_users_mailbox_and_messages_are_not_found(webmail_system):
    store, smtp, imap, webmail = webmail_system
    uid, _ = deliver(smtp, message("Secret plans", "The vault code is 0451.\r\n"))
    alices, bobs = inbox_id(store), inbox_id(store, BOB)
    bob = login(webmail, BOB)
    token = session_token(bob, webmail, bobs)
    assert f"/mail/{alices}" not in [f["href"] for f in folder_page(bob, webmail, bobs).folder_list().values()]

    for path in (f"/mail/{alices}", f"/mail/{alices}?page=2", f"/mail/{alices}/{uid}", f"/mail/{alices}/{uid}/raw",
                 f"/mail/{alices}/{uid}/html", f"/mail/{alices}/{uid}/part/1", f"/mail/{bobs}/{uid}"):
        r = get(bob, webmail, path)
        assert r.status_code == 404, (path, r.status_code)
        assert "Secret plans" not in r.text and "0451" not in r.text, path
    r = post(bob, webmail, f"/mail/{alices}/{uid}/flags", data={"csrf": token, "action": "flag"})
    assert r.status_code == 404, r.status_code
    assert imap_flags(imap, uid) == frozenset(), "Bob changed Alice's message"


# --- 9. pages and order ---------------------------------------------------------------------------------


def test_folders_page_fifty_at_a_time_newest_first_and_sort(webmail_system):
    store, smtp, imap, webmail = webmail_system
    start = datetime.datetime(2024, 5, 6, 10, 0, tzinfo=datetime.timezone.utc)
    for n in range(60):
        raw = (f"From: Sender {n:02d} <s{n:02d}@remote.test>\r\nTo: {ALICE}\r\nSubject: m{n:02d}\r\n"
               f"Date: {email.utils.format_datetime(start + datetime.timedelta(minutes=n))}\r\n"
               f"Message-ID: <m{n:02d}@remote.test>\r\n\r\nMessage {n}.\r\n").encode()
        assert store.deliver(raw, [ALICE]).status_code == 200
    inbox = inbox_id(store)
    browser = login(webmail)
    names = [f"m{n:02d}" for n in range(60)]

    first = folder_page(browser, webmail, inbox)
    assert first.subjects() == names[::-1][:50]
    assert all(m["unread"] for m in first.messages())
    assert first.title_unread() == 60 and "(60) INBOX" in first.title, first.title  # the folder's, not the page's
    assert any(parse_qs(urlsplit(link["href"]).query).get("page") == ["2"] for link in first.links), first.links
    second = folder_page(browser, webmail, inbox, "?page=2")
    assert second.subjects() == names[::-1][50:]
    assert not any(parse_qs(urlsplit(link["href"]).query).get("page") == ["3"] for link in second.links)

    assert folder_page(browser, webmail, inbox, "?sort=date&order=desc").subjects() == names[::-1][:50]
    assert folder_page(browser, webmail, inbox, "?sort=date&order=asc").subjects() == names[:50]
    assert folder_page(browser, webmail, inbox, "?sort=from&order=desc").subjects()[0] == "m59"
    by_subject = folder_page(browser, webmail, inbox, "?sort=subject&order=asc")
    assert by_subject.subjects() == names[:50]
    # Its link to the next page keeps the order.
    following = next((link["href"] for link in by_subject.links
                      if parse_qs(urlsplit(link["href"]).query).get("page") == ["2"]), None)
    assert following, by_subject.links
    r = as_browser(browser.get(urljoin(webmail.url + f"/mail/{inbox}", following), allow_redirects=False, timeout=10))
    assert r.status_code == 200 and Page(r.text).subjects() == names[50:], following


# --- 10. headers and TLS ---------------------------------------------------------------------------------


def policy(r: requests.Response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: values}."""
    field = r.headers.get("Content-Security-Policy")
    assert field, f"{r.url}: no Content-Security-Policy"
    return {d.split()[0].lower(): d.split()[1:] for d in field.split(";") if d.strip()}


def test_every_page_carries_the_security_headers(webmail_system):
    store, smtp, imap, webmail = webmail_system
    uid, _ = deliver(smtp, message("Headers"))
    inbox = inbox_id(store)
    browser = login(webmail)
    anonymous, token = login_form(webmail)
    pages = [get(requests, webmail, "/login"),
             try_login(anonymous, webmail, ALICE, "wrong", token),
             get(browser, webmail, f"/mail/{inbox}"),
             get(browser, webmail, f"/mail/{inbox}/{uid}")]
    for r in pages:
        assert media_type(r) == "text/html", (r.url, r.headers)
        directives = policy(r)
        assert "frame-ancestors" in directives, (r.url, directives)
        scripts = directives.get("script-src", directives.get("default-src"))
        assert scripts is not None, f"{r.url}: scripts are not restricted"
        assert "'unsafe-inline'" not in scripts, (r.url, scripts)
        assert r.headers.get("X-Content-Type-Options") == "nosniff", r.url
        assert r.headers.get("Referrer-Policy") == "same-origin", r.url  # no Referer to other sites


def test_over_https_the_session_cookie_is_secure(webmail_system):
    store, smtp, imap, webmail = webmail_system
    verify = str(webmail.cert)
    browser, token = login_form(webmail, base=webmail.tls_url, verify=verify)
    r = try_login(browser, webmail, ALICE, PASSWORD, token, base=webmail.tls_url)
    assert where(r) == "/mail"
    cookie = set_cookies(r)["buzon_session"]
    assert "secure" in cookie and "httponly" in cookie and cookie.get("samesite", "").lower() == "strict", cookie
    inbox = inbox_id(store)
    assert get(browser, webmail, f"/mail/{inbox}", base=webmail.tls_url).status_code == 200


def test_admin_port_answers_health_readiness_and_metrics(webmail_system):
    store, smtp, imap, webmail = webmail_system
    admin = f"http://127.0.0.1:{webmail.admin_port}"
    for path in ("/healthz", "/readyz", "/metrics"):
        assert requests.get(admin + path, timeout=5).status_code == 200, path


# --- 11. a model of one session ---------------------------------------------------------------------------


class WebmailModel(RuleBasedStateMachine):
    """One logged-in browser reads the INBOX while mail arrives; it marks messages read, unread,
    flagged and unflagged, opens them, and posts forms without the token (refused, nothing
    changes). The model keeps which messages are unseen and flagged; after every step the
    folder page (its unread rows, title and folder list) and IMAP agree with it."""

    system: tuple = ()
    browser: requests.Session | None = None
    token = ""

    @initialize()
    def empty_inbox(self):
        store, smtp, imap, webmail = self.system
        self.inbox = inbox_id(store)
        with imap_client(imap, readonly=False) as client:
            typ, data = client.uid("SEARCH", "ALL")
            if data[0].split():
                client.uid("STORE", b",".join(data[0].split()).decode(), "+FLAGS.SILENT", "(\\Deleted)")
                client.expunge()
        self.subjects: dict[int, str] = {}
        self.unseen: set[int] = set()
        self.flagged: set[int] = set()

    @rule(subject=st.sampled_from(["lunch", "report", "hello", "invoice"]))
    def mail_arrives(self, subject):
        uid, _ = deliver(self.system[1], message(subject))
        self.subjects[uid] = subject
        self.unseen.add(uid)

    @precondition(lambda self: self.subjects)
    @rule(data=st.data(), action=st.sampled_from(["read", "unread", "flag", "unflag"]))
    def mark(self, data, action):
        uid = data.draw(st.sampled_from(sorted(self.subjects)))
        r = post(self.browser, self.system[3], f"/mail/{self.inbox}/{uid}/flags", data={"csrf": self.token, "action": action})
        assert where(r) == f"/mail/{self.inbox}/{uid}", action  # not followed: that would open the message
        {"read": self.unseen.discard, "unread": self.unseen.add,
         "flag": self.flagged.add, "unflag": self.flagged.discard}[action](uid)

    @precondition(lambda self: self.subjects)
    @rule(data=st.data())
    def open_message(self, data):
        uid = data.draw(st.sampled_from(sorted(self.subjects)))
        r = get(self.browser, self.system[3], f"/mail/{self.inbox}/{uid}")
        assert r.status_code == 200 and squeeze(Page(r.text).h1) == self.subjects[uid]
        self.unseen.discard(uid)

    @precondition(lambda self: self.subjects)
    @rule(data=st.data(), action=st.sampled_from(["read", "unread", "flag", "unflag"]))
    def forged_post(self, data, action):
        uid = data.draw(st.sampled_from(sorted(self.subjects)))
        r = post(self.browser, self.system[3], f"/mail/{self.inbox}/{uid}/flags", data={"action": action})
        assert r.status_code == 403, r.status_code

    @invariant()
    def webmail_and_imap_agree_with_the_model(self):
        if not hasattr(self, "unseen"):
            return
        store, smtp, imap, webmail = self.system
        page = folder_page(self.browser, webmail, self.inbox)
        rows = page.messages()
        assert {m["uid"] for m in rows} == set(self.subjects)
        assert {m["uid"] for m in rows if m["unread"]} == self.unseen
        assert page.title_unread() == len(self.unseen), page.title
        assert page.folder_list()["INBOX"]["unread"] == len(self.unseen)
        assert imap_search(imap, "UNSEEN") == self.unseen
        assert imap_search(imap, "FLAGGED") == self.flagged


def test_model_of_a_session_agrees_with_imap(webmail_system):
    store, smtp, imap, webmail = webmail_system
    WebmailModel.system = webmail_system
    WebmailModel.browser = login(webmail)
    WebmailModel.token = session_token(WebmailModel.browser, webmail, inbox_id(store))
    run_state_machine_as_test(WebmailModel, settings=settings(
        max_examples=10, stateful_step_count=15, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))
