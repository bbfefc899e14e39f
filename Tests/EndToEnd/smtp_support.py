"""Small helpers shared by the SMTP end-to-end tests: a raw SMTP socket (for what smtplib will
not do: pipelining by hand, BDAT, garbage, STARTTLS injection), TLS contexts that trust the
gateway's self-signed certificate, and store look-ups (INBOX listing with content ids, queue)."""

import re
import socket
import ssl
import subprocess
import time

from conftest import Store, inbox_messages
from support import RawSession, gateway_alive, inbox_listing, trusting_context  # noqa: F401

REPLY_LINE = re.compile(rb"^(\d{3})([ -])(.*)$")


class SMTPReplyError(AssertionError):
    pass


class RawSMTP(RawSession):
    """A plain socket speaking SMTP: `send` writes bytes as given, `reply` reads one
    (possibly multi-line) reply and returns (code, text-of-last-line, all-lines)."""

    def reply(self) -> tuple[int, str, list[str]]:
        lines = []
        while True:
            line = self.line()
            m = REPLY_LINE.match(line)
            if not m:
                raise SMTPReplyError(f"not an SMTP reply line: {line!r}")
            lines.append(m.group(3).decode("utf-8", "replace"))
            if m.group(2) == b" ":
                return int(m.group(1)), lines[-1], lines

    def cmd(self, line: bytes | str) -> tuple[int, str]:
        if isinstance(line, str):
            line = line.encode()
        self.send(line + b"\r\n")
        code, text, _ = self.reply()
        return code, text

    def greeting(self) -> tuple[int, str]:
        code, text, _ = self.reply()
        return code, text

    def ehlo(self, name: str = "client.test") -> list[str]:
        self.send(f"EHLO {name}\r\n")
        code, _, lines = self.reply()
        assert code == 250, lines
        return [l.upper() for l in lines[1:]]

    def starttls(self, context: ssl.SSLContext) -> None:
        code, text = self.cmd("STARTTLS")
        assert code == 220, (code, text)
        self.start_tls(context)

    def is_closed(self, wait: float = 2.0) -> bool:
        """True when the server closed the connection (EOF or reset) within `wait` seconds;
        unlike the other protocols' sessions, one read decides (data means open)."""
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
            return True
        if data:
            self.buffer += data
            return False
        return True


def open_session(port: int, **kw) -> RawSMTP:
    s = RawSMTP(port, **kw)
    code, text = s.greeting()
    assert code == 220, (code, text)
    return s


def queue(store: Store) -> list[dict]:
    r = store.api("GET", "/v1/queue")
    assert r.status_code == 200, r.text
    return r.json()["entries"]


def wait_for_messages(store: Store, account: str, count: int, timeout: float = 10.0) -> list[bytes]:
    """The account's INBOX once it holds at least `count` messages (deliveries are synchronous,
    so this normally returns at once; the wait only absorbs scheduling noise)."""
    deadline = time.monotonic() + timeout
    while True:
        messages = inbox_messages(store, account)
        if len(messages) >= count or time.monotonic() > deadline:
            return messages
        time.sleep(0.05)


HEADER_FIELD = re.compile(rb"^([!-9;-~]+):")


def split_added_header_fields(stored: bytes, original: bytes) -> list[bytes]:
    """Asserts that `stored` is some header fields followed by `original` byte for byte, and
    returns the added fields (each with its folded continuation lines, CRLF-terminated)."""
    assert stored.endswith(original), f"stored message does not end with the original bytes:\n{stored[:2000]!r}"
    prefix = stored[: len(stored) - len(original)]
    assert prefix.endswith(b"\r\n"), prefix
    fields: list[bytes] = []
    for line in prefix.split(b"\r\n")[:-1]:
        if line[:1] in (b" ", b"\t"):
            assert fields, f"continuation line without a field: {line!r}"
            fields[-1] += line + b"\r\n"
        else:
            assert HEADER_FIELD.match(line), f"added line is not a header field: {line!r}"
            fields.append(line + b"\r\n")
    return fields


def field_names(fields: list[bytes]) -> list[str]:
    return [f.split(b":", 1)[0].decode().lower() for f in fields]


def swaks(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(["swaks", "--timeout", "10", *args], capture_output=True, text=True, timeout=timeout)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")
