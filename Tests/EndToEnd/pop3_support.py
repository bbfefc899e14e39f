"""Helpers shared by the POP3 end-to-end tests: a raw POP3 socket (for what poplib will not
do: exact bytes of a multi-line response, pipelining, garbage, STLS injection, dropping the
connection without QUIT), mail in through the smtp-gateway, and store look-ups."""

import socket
import ssl
import time

from conftest import Gateway, Store, inbox_messages
from support import ALICE, BOB, PASSWORD, RawSession, gateway_alive, inbox_listing, smtp_send, trusting_context  # noqa: F401


class RawPOP3(RawSession):
    """A plain socket speaking POP3. `send` writes bytes as given; `line` reads one response
    line (without CRLF); `multiline` reads the raw bytes of a multi-line body up to and
    including the terminating `.CRLF`, exactly as they came over the wire."""

    def multiline(self) -> bytes:
        """The body of a multi-line response: every byte after the status line up to and
        including the terminating `.CRLF` (RFC 1939 §3)."""
        while True:
            if self.buffer.startswith(b".\r\n"):
                end = 3
                break
            at = self.buffer.find(b"\r\n.\r\n")
            if at >= 0:
                end = at + 5
                break
            self._fill()
        body, self.buffer = self.buffer[:end], self.buffer[end:]
        return body

    def cmd(self, line: bytes | str) -> bytes:
        if isinstance(line, str):
            line = line.encode()
        self.send(line + b"\r\n")
        return self.line()

    def cmd_multi(self, line: bytes | str) -> tuple[bytes, bytes]:
        status = self.cmd(line)
        if not status.startswith(b"+OK"):
            return status, b""
        return status, self.multiline()

    def greeting(self) -> bytes:
        g = self.line()
        assert g.startswith(b"+OK"), g
        return g

    def login(self, user: str = ALICE, password: str = PASSWORD) -> bytes:
        r = self.cmd(f"USER {user}")
        assert r.startswith(b"+OK"), r
        r = self.cmd(f"PASS {password}")
        assert r.startswith(b"+OK"), r
        return r

    def stat(self) -> tuple[int, int]:
        r = self.cmd("STAT")
        assert r.startswith(b"+OK "), r
        count, octets = r.split()[1:3]
        return int(count), int(octets)

    def stls(self, context: ssl.SSLContext) -> None:
        r = self.cmd("STLS")
        assert r.startswith(b"+OK"), r
        self.start_tls(context)

    def abort(self) -> None:
        """Drop the connection without QUIT, with a reset (SO_LINGER 0)."""
        import struct
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


def open_session(port: int, **kw) -> RawPOP3:
    s = RawPOP3(port, **kw)
    s.greeting()
    return s


def send_mail(smtp: Gateway, message: bytes, recipient: str = ALICE, sender: str = "sender@remote.test",
              eight_bit: bool = False) -> None:
    """One message in through the smtp-gateway's MX port (deliveries are synchronous)."""
    smtp_send(smtp, message, recipient, sender, eight_bit)


def inbox_count(store: Store, account: str = ALICE) -> int:
    return len(inbox_listing(store, account))


def stored(store: Store, account: str = ALICE) -> list[bytes]:
    """The INBOX's raw messages in UID order (what POP3 must hand out, byte for byte)."""
    return inbox_messages(store, account)


def wait_for_count(store: Store, count: int, account: str = ALICE, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        n = inbox_count(store, account)
        if n == count or time.monotonic() > deadline:
            return n
        time.sleep(0.05)


def append_raw(store: Store, raw: bytes, account: str = ALICE) -> int:
    """Stores `raw` in the INBOX as given (bypassing SMTP's line-end normalisation); the UID."""
    inbox = store.inbox(account)
    r = store.api("POST", f"/v1/accounts/{account}/mailboxes/{inbox['id']}/messages", data=raw,
                  headers={"Content-Type": "message/rfc822"})
    assert r.status_code == 201, r.text
    return r.json()["copy"]["uid"]


def pop3_encode(raw: bytes) -> bytes:
    """The reference for RETR's body (RFC 1939 §3): every line ends in CRLF (a bare LF counts
    as a line end), lines starting with `.` get another `.`, a last line without a line end
    is ended, and `.CRLF` terminates."""
    lines = raw.replace(b"\r\n", b"\n").split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    out = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines)
    return out + b".\r\n"


def pop3_decode(body: bytes) -> bytes:
    """The inverse of the wire format for a client: drop the terminator and unstuff."""
    assert body.endswith(b".\r\n"), body[-50:]
    lines = body[:-3].split(b"\r\n")
    assert lines[-1] == b""
    return b"".join((l[1:] if l.startswith(b".") else l) + b"\r\n" for l in lines[:-1])

