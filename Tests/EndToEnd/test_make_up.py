"""`make up` (scripts/up.sh) on a fresh data directory: generates the token and the
certificate, starts the store, creates the demo user, restarts a crashed service, and stops
everything on SIGTERM."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import imaplib
import poplib
import smtplib

import requests

from conftest import ROOT, free_port


SERVICES = (b"mailbox-store", b"smtp-gateway", b"pop3-gateway", b"imap-gateway", b"webmail")


def store_pids(data_dir: Path, names: tuple[bytes, ...] = (b"mailbox-store",)) -> list[int]:
    """Processes of the named services started with this data directory."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes()
            env = (proc / "environ").read_bytes()
        except OSError:
            continue
        if cmd.split(b"\0")[0].endswith(names) and f"BUZON_DATA_DIR={data_dir}".encode() in env.split(b"\0"):
            pids.append(int(proc.name))
    return pids


def wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def healthy(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def test_make_up_runs_restarts_and_stops(tmp_path):
    data = tmp_path / "data"
    port, mx, submission, submissions, admin, pop3, pop3s, pop3_admin = (free_port() for _ in range(8))
    imap, imaps, imap_admin = (free_port() for _ in range(3))
    web, webs, web_admin = (free_port() for _ in range(3))
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, BUZON_DATA_DIR=str(data), BUZON_STORE_PORT=str(port), CONFIG="debug",
               BUZON_SKIP_BUILD="1", BUZON_BCRYPT_COST="4", BUZON_LOG_LEVEL="warning",
               BUZON_SMTP_MX_PORT=str(mx), BUZON_SMTP_SUBMISSION_PORT=str(submission),
               BUZON_SMTP_SUBMISSIONS_PORT=str(submissions), BUZON_SMTP_ADMIN_PORT=str(admin),
               BUZON_POP3_PORT=str(pop3), BUZON_POP3S_PORT=str(pop3s), BUZON_POP3_ADMIN_PORT=str(pop3_admin),
               BUZON_IMAP_PORT=str(imap), BUZON_IMAPS_PORT=str(imaps), BUZON_IMAP_ADMIN_PORT=str(imap_admin),
               BUZON_WEBMAIL_PORT=str(web), BUZON_WEBMAILS_PORT=str(webs), BUZON_WEBMAIL_ADMIN_PORT=str(web_admin))
    env.pop("BUZON_INTERNAL_TOKEN", None)
    log = open(tmp_path / "up.log", "wb")
    up = subprocess.Popen(["make", "up"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: "Buzón is running" in (tmp_path / "up.log").read_text(errors="replace"), 120, "make up to report running")
        token = (data / "internal-token").read_text().strip()
        assert len(token) == 64
        assert oct((data / "internal-token").stat().st_mode & 0o777) == "0o600"
        assert (data / "tls" / "cert.pem").read_text().startswith("-----BEGIN CERTIFICATE-----")
        auth = {"Authorization": f"Bearer {token}"}
        r = requests.post(url + "/v1/auth/verify", json={"username": "demo@example.test", "password": "demo"}, headers=auth, timeout=10)
        assert r.json()["result"] == "ok"

        # Mail to the demo user through the smtp-gateway lands in its INBOX.
        wait_for(lambda: healthy(f"http://127.0.0.1:{admin}"), 30, "the smtp-gateway")
        with smtplib.SMTP("127.0.0.1", mx, timeout=10) as smtp:
            smtp.sendmail("someone@remote.test", ["demo@example.test"], b"Subject: make up\r\n\r\nhello\r\n")
        boxes = requests.get(url + "/v1/accounts/demo@example.test/mailboxes", headers=auth, timeout=10).json()["mailboxes"]
        assert next(b for b in boxes if b["name"] == "INBOX")["messages"] == 1

        # The demo user sees it over IMAP (without marking it read)…
        wait_for(lambda: healthy(f"http://127.0.0.1:{imap_admin}"), 30, "the imap-gateway")
        with imaplib.IMAP4("127.0.0.1", imap, timeout=10) as mailbox:
            mailbox.login("demo@example.test", "demo")
            assert mailbox.select("INBOX", readonly=True) == ("OK", [b"1"])
            assert b"hello" in mailbox.fetch("1", "(BODY.PEEK[TEXT])")[1][0][1]

        # …and reads it over POP3.
        wait_for(lambda: healthy(f"http://127.0.0.1:{pop3_admin}"), 30, "the pop3-gateway")
        client = poplib.POP3("127.0.0.1", pop3, timeout=10)
        client.user("demo@example.test")
        client.pass_("demo")
        assert client.stat()[0] == 1
        assert b"hello" in client.retr(1)[1]
        client.quit()

        # …and in the browser: the webmail's login form, then the INBOX with the message.
        wait_for(lambda: healthy(f"http://127.0.0.1:{web_admin}"), 30, "the webmail")
        browser = requests.Session()
        form = browser.get(f"http://127.0.0.1:{web}/login", timeout=10)
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        inbox = browser.post(f"http://127.0.0.1:{web}/login", timeout=10,
                             data={"username": "demo@example.test", "password": "demo", "csrf": csrf})
        assert inbox.status_code == 200 and ">make up</a>" in inbox.text, inbox.text[:500]

        assert len(store_pids(data, SERVICES)) == len(SERVICES), "one process per service"
        # A crashed service comes back by itself.
        first = wait_for(lambda: store_pids(data), 10, "the store process")
        os.kill(first[0], signal.SIGKILL)
        wait_for(lambda: (p := store_pids(data)) and p != first and healthy(url), 30, "the store to be restarted")
        assert requests.get(url + "/v1/domains", headers=auth, timeout=10).json()["domains"][0]["name"] == "example.test"
    finally:
        os.killpg(up.pid, signal.SIGTERM)
        try:
            up.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(up.pid, signal.SIGKILL)
            raise
    wait_for(lambda: not store_pids(data, SERVICES), 15, "every service to stop")
    assert not healthy(url)
