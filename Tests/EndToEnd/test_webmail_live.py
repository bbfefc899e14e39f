"""Live updates in the webmail: the Server-Sent Events stream (`GET /events`) read as a plain
HTTP client reads it, and the page's script in a real browser (Debian's chromium driven by
selenium): mail that arrives by SMTP and flags changed over IMAP show without a reload — the
folder's unread count, the page title, the list itself.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_webmail_live.py
"""

from __future__ import annotations

import json
import os
import time

import pytest
import requests

from imap_support import ALICE, PASSWORD, deliver, message
from test_webmail import imap_client, inbox_id, login


class EventStream:
    """The events of one `GET /events` response, read line by line (WHATWG HTML §9.2.6)."""

    def __init__(self, browser: requests.Session, url: str):
        self.response = browser.get(url, stream=True, timeout=(5, 30))
        assert self.response.status_code == 200, self.response.status_code
        assert self.response.headers["Content-Type"].startswith("text/event-stream")
        self.lines = self.response.iter_lines(decode_unicode=True)

    def next(self, name: str, deadline: float = 15) -> dict:
        """The data of the next event called `name`, as JSON."""
        until = time.monotonic() + deadline
        event, data = None, []
        for line in self.lines:
            assert time.monotonic() < until, f"no {name} event in {deadline} s"
            if line == "":
                if event == name and data:
                    return json.loads("\n".join(data))
                event, data = None, []
            elif line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        raise AssertionError("the stream ended")

    def close(self):
        self.response.close()


def counts(event: dict) -> dict[int, dict]:
    return {box["id"]: box for box in event["mailboxes"]}


def test_events_follow_new_mail_and_flags_from_other_clients(webmail_system):
    store, smtp, imap, webmail = webmail_system
    inbox = inbox_id(store)
    assert requests.get(webmail.url + "/events", allow_redirects=False, timeout=5).status_code == 303
    browser = login(webmail)
    stream = EventStream(browser, webmail.url + "/events")
    try:
        first = counts(stream.next("mailboxes"))
        assert first[inbox]["unread"] == 0 and first[inbox]["messages"] == 0

        uid, _ = deliver(smtp, message("live one"))
        after = counts(stream.next("mailboxes"))
        assert after[inbox]["unread"] == 1 and after[inbox]["messages"] == 1
        assert after[inbox]["modSeq"] > first[inbox]["modSeq"]

        with imap_client(imap, readonly=False) as client:
            client.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
        assert counts(stream.next("mailboxes"))[inbox]["unread"] == 0
    finally:
        stream.close()


@pytest.fixture(scope="module")
def chromium():
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("chromium is not installed (scripts/install-deps.sh test installs it)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def wait_until(check, seconds: float = 15):
    """`check()` once it is true; an element the script replaced meanwhile is looked up again."""
    from selenium.common.exceptions import StaleElementReferenceException
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            value = check()
        except StaleElementReferenceException:
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("the page did not change")


def test_the_open_folder_changes_without_a_reload(webmail_system, chromium):
    from selenium.webdriver.common.by import By
    store, smtp, imap, webmail = webmail_system
    inbox = inbox_id(store)
    driver = chromium
    driver.delete_all_cookies()
    driver.get(webmail.url + "/login")
    driver.find_element(By.NAME, "username").send_keys(ALICE)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    wait_until(lambda: driver.current_url.endswith(f"/mail/{inbox}"))
    marker = driver.execute_script("window.notReloaded = 1; return window.notReloaded")
    assert marker == 1 and "(" not in driver.title

    deliver(smtp, message("arrived while looking"))
    wait_until(lambda: driver.title.startswith("(1) INBOX"))
    wait_until(lambda: "arrived while looking" in driver.find_element(By.CSS_SELECTOR, "table.messages").text)
    wait_until(lambda: driver.find_element(By.CSS_SELECTOR, f"nav.folders a[href='/mail/{inbox}'] ~ .unread-count").text == "1")

    with imap_client(imap, readonly=False) as client:
        client.uid("STORE", "1:*", "+FLAGS", "(\\Seen)")
    wait_until(lambda: not driver.title.startswith("("))
    wait_until(lambda: not driver.find_elements(By.CSS_SELECTOR, "table.messages tr.unread"))
    assert driver.execute_script("return window.notReloaded") == 1, "the page was reloaded"
    # Dates are the reader's: the script rewrote the server's UTC text.
    wait_until(lambda: (t := driver.find_element(By.CSS_SELECTOR, "table.messages time")).get_attribute("title")
               == t.get_attribute("datetime"))
