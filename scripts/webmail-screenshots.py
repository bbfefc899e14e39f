#!/usr/bin/env python3
"""Screenshots of the webmail's main pages for docs/screenshots/: the login form, a folder, a
plain-text message, an HTML message and the folders page, at desktop (1280×800) and phone
(390×844) width, light and dark (`prefers-color-scheme`, emulated). Starts its own store,
smtp-gateway, imap-gateway and webmail (the end-to-end tests' fixtures) from BUZON_BIN, fills
an INBOX with a few messages, and drives Debian's chromium through selenium.

    BUZON_BIN=.build/debug python3 scripts/webmail-screenshots.py [--out docs/screenshots]
"""
import argparse
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "EndToEnd"))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from conftest import webmail_stack  # noqa: E402
from imap_support import ALICE, PASSWORD, deliver, message  # noqa: E402

MAIL = [
    ("Lunch on Friday?", "Carol Díaz <carol@remote.test>",
     "Hi Alice,\r\n\r\nShall we try the new place on the corner? The menu is at https://example.com/menu.\r\n\r\nCarol\r\n", ""),
    ("Quarterly report", "Dave Okafor <dave@remote.test>", "The numbers are attached.\r\n", ""),
    ("Your order has shipped", "Shop <orders@shop.test>",
     "--alt\r\nContent-Type: text/plain\r\n\r\nYour order is on its way.\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
     "<div style=\"font-family:sans-serif;max-width:480px\"><h2 style=\"color:#0a58ca\">Your order is on its way</h2>"
     "<p>Parcel <b>JX-2041</b> left our warehouse this morning.</p>"
     "<p style=\"background:#f1f3f5;padding:8px\">Expected: Thursday</p></div>\r\n--alt--\r\n",
     "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n"),
    ("Re: Weekend plans", "Bob <bob@example.test>", "Sounds good, see you Saturday.\r\n", ""),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    out = pathlib.Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    stack = webmail_stack(pathlib.Path(tempfile.mkdtemp(prefix="buzon-shots.")))
    store, smtp, imap, webmail = next(stack)
    try:
        uids = [deliver(smtp, message(subject, body, sender=sender, extra=extra))[0] for subject, sender, body, extra in MAIL]
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        inbox = store.inbox(ALICE)["id"]
        pages = {"folder": f"/mail/{inbox}", "message": f"/mail/{inbox}/{uids[0]}?seen=keep",
                 "html-message": f"/mail/{inbox}/{uids[2]}?seen=keep", "folders": "/folders"}
        for width, height, form in ((1280, 800, "desktop"), (390, 844, "phone")):
            for scheme in ("light", "dark"):
                driver.delete_all_cookies()
                driver.set_window_size(width, height)
                driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
                driver.get(webmail.url + "/login")
                driver.save_screenshot(str(out / f"login-{form}-{scheme}.png"))
                driver.find_element(By.NAME, "username").send_keys(ALICE)
                driver.find_element(By.NAME, "password").send_keys(PASSWORD)
                driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
                time.sleep(0.5)
                for name, path in pages.items():
                    driver.get(webmail.url + path)
                    time.sleep(0.5)
                    driver.save_screenshot(str(out / f"{name}-{form}-{scheme}.png"))
        driver.quit()
        print(f"screenshots in {out}")
    finally:
        next(stack, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
