"""What the end-to-end helper modules (smtp_support, pop3_support, imap_support) and the tests
share: the test accounts, a raw line-based socket for what the client libraries will not do
(exact bytes, pipelining, garbage, injection after STARTTLS/STLS), TLS contexts that trust a
gateway's self-signed certificate, mail in through the smtp-gateway, and store look-ups. The
protocol modules re-export what they take from here, so tests import from either."""

import smtplib
import socket
import ssl

from conftest import Store

ALICE = "alice@example.test"
BOB = "bob@example.test"
PASSWORD = "secret"


class RawSession:
    """A plain (or TLS) socket speaking a CRLF line protocol: `send` writes bytes as given,
    `line` reads one line (without CRLF); the protocol subclasses read their answers."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 10.0, tls_context: ssl.SSLContext | None = None,
                 source: str | None = None):
        # `source`: a local address to connect from (any 127.x.y.z is loopback on Linux): another client address.
        self.sock = socket.create_connection((host, port), timeout=timeout, source_address=(source, 0) if source else None)
        if tls_context is not None:
            self.sock = tls_context.wrap_socket(self.sock, server_hostname="localhost")
        self.buffer = b""

    def send(self, data: bytes | str) -> None:
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed; unparsed {self.buffer[:200]!r}")
        self.buffer += chunk

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def start_tls(self, context: ssl.SSLContext) -> None:
        """After the server's go-ahead: nothing may be buffered (it would have come before
        TLS), then the handshake."""
        assert self.buffer == b"", self.buffer
        self.sock = context.wrap_socket(self.sock, server_hostname="localhost")

    def is_closed(self, wait: float = 2.0) -> bool:
        """True when the server closed the connection (EOF or reset) within `wait` seconds;
        whatever arrived before the end is appended to the buffer."""
        self.sock.settimeout(wait)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buffer += chunk
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
            return True
        except (socket.timeout, TimeoutError):
            return False

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def trusting_context(gateway) -> ssl.SSLContext:
    """A client context that verifies the gateway's self-signed certificate (CN/SAN localhost)."""
    ctx = ssl.create_default_context(cafile=str(gateway.cert))
    ctx.check_hostname = True
    return ctx


def gateway_alive(gateway) -> bool:
    return gateway.proc is not None and gateway.proc.poll() is None


def smtp_send(smtp, raw: bytes, recipient: str, sender: str, eight_bit: bool) -> None:
    """One message in through the smtp-gateway's MX port (deliveries are synchronous)."""
    with smtplib.SMTP("127.0.0.1", smtp.mx_port, local_hostname="client.test", timeout=10) as s:
        options = ["BODY=8BITMIME"] if eight_bit else []
        assert s.sendmail(sender, [recipient], raw, mail_options=options) == {}


def inbox_listing(store: Store, account: str = ALICE) -> list[dict]:
    """The INBOX's message list as the store's API gives it (uid, size, flags …)."""
    inbox = store.inbox(account)
    r = store.api("GET", f"/v1/accounts/{account}/mailboxes/{inbox['id']}/messages")
    assert r.status_code == 200, r.text
    return r.json()["messages"]


def non_loopback_address() -> str | None:
    """This machine's address on a real interface (a connection to it then comes from an
    address that is not loopback), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.connect(("198.51.100.1", 9))  # TEST-NET-2: nothing is sent, only a route is chosen
            address = u.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def store_calls(store: Store) -> dict[tuple[str, str], int]:
    """The store's requests so far by (route, method), from its /metrics (Hummingbird's
    per-route counter `hb_requests`, every status together)."""
    import re

    import requests
    out: dict[tuple[str, str], int] = {}
    for line in requests.get(store.url + "/metrics", timeout=5).text.splitlines():
        m = re.match(r"^hb_requests(?:_total)?\{(.*)\} (\S+)$", line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        key = (labels.get("http_route", "?"), labels.get("http_request_method", "?"))
        out[key] = out.get(key, 0) + int(float(m.group(2)))
    return out


def calls_between(before: dict, after: dict, suffix: str = "") -> int:
    """Store requests made between two `store_calls` readings, on routes ending in `suffix`."""
    return sum(n - before.get(key, 0) for key, n in after.items() if key[0].endswith(suffix))
