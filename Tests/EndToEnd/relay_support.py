"""Helpers for the queue-relay end-to-end tests: a real DNS server (dnsmasq) on a loopback
port, a scripted SMTP peer that records exactly what it received and can greylist, refuse,
answer garbage, stall, send over-long lines or break STARTTLS, and store look-ups (queue,
INBOX, envelopes for `POST /v1/deliveries`) with deadlines on every wait."""

import base64
import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import Gateway, Store, free_port, inbox_messages

# --- waiting ------------------------------------------------------------------------------


def wait_until(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.1):
    """Polls `predicate` until it returns something truthy (returned), or fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def queue_entries(store: Store) -> list[dict]:
    r = store.api("GET", "/v1/queue")
    assert r.status_code == 200, r.text
    return r.json()["entries"]


def queue_entry(store: Store, entry_id: int) -> dict | None:
    r = store.api("GET", f"/v1/queue/{entry_id}")
    if r.status_code == 404:
        return None
    assert r.status_code == 200, r.text
    return r.json()


def wait_queue_empty(store: Store, timeout: float) -> None:
    wait_until(lambda: not queue_entries(store), timeout, "the queue to empty")


def wait_inbox(store: Store, account: str, count: int, timeout: float) -> list[bytes]:
    def enough():
        messages = inbox_messages(store, account)
        return messages if len(messages) >= count else None
    return wait_until(enough, timeout, f"{count} message(s) in {account}'s INBOX")


# --- envelopes and messages -----------------------------------------------------------------


def envelope_header(sender: str, recipients: list, relay: bool = True, ret: str | None = None,
                    envid: str | None = None) -> str:
    """The `Buzon-Envelope` header value (Shared/StoreAPI/Envelope.swift): base64 of the JSON.
    `recipients` are addresses or dicts {address, notify, orcpt}."""
    rcpts = [r if isinstance(r, dict) else {"address": r} for r in recipients]
    body = {"sender": sender, "recipients": rcpts, "relay": relay}
    if ret:
        body["ret"] = ret
    if envid:
        body["envid"] = envid
    return base64.b64encode(json.dumps(body).encode()).decode()


def submit(store: Store, raw: bytes, sender: str, recipients: list, **kw) -> dict:
    """Hands a message to the store with an envelope (as the smtp-gateway does after AUTH)."""
    r = store.api("POST", "/v1/deliveries", data=raw,
                  headers={"Content-Type": "message/rfc822",
                           "Buzon-Envelope": envelope_header(sender, recipients, **kw)})
    assert r.status_code in (200, 201), r.text
    return r.json()


def make_message(sender: str, to: str, subject: str, body: str = "Hello.\r\n", message_id: str | None = None) -> bytes:
    mid = message_id or f"<{time.monotonic_ns()}.{os.getpid()}@test>"
    return (f"From: <{sender}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: {mid}\r\n"
            f"Date: Mon, 01 Jan 2024 00:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}").encode()


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.compat32)


@dataclass
class DSN:
    """A delivery status notification taken apart (RFC 3464 / RFC 6522)."""
    raw: bytes
    message: email.message.Message
    per_message: dict
    recipients: list[dict]
    returned_type: str
    returned: bytes


def parse_dsn(raw: bytes) -> DSN:
    msg = parse(raw)
    assert msg.get_content_type() == "multipart/report", msg.get_content_type()
    assert msg.get_param("report-type") == "delivery-status", msg["Content-Type"]
    parts = msg.get_payload()
    assert len(parts) == 3, [p.get_content_type() for p in parts]
    assert parts[0].get_content_type() == "text/plain"
    assert parts[1].get_content_type() == "message/delivery-status"
    groups = parts[1].get_payload()
    # compat32 gives message/delivery-status as a list of header blocks.
    fields = [{k.lower(): v for k, v in g.items()} for g in groups]
    third = parts[2]
    if third.get_content_type() == "message/rfc822":
        returned = third.get_payload()[0].as_bytes()
    else:
        returned = third.get_payload(decode=True) or third.get_payload().encode()
    return DSN(raw=raw, message=msg, per_message=fields[0], recipients=fields[1:],
               returned_type=third.get_content_type(), returned=returned)


def is_dsn(raw: bytes) -> bool:
    return b"report-type=delivery-status" in raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n\t", b" ").replace(b"\r\n ", b" ")


# --- certificates -------------------------------------------------------------------------------


def make_named_certificate(directory: Path, names: list[str], ips: list[str]) -> tuple[Path, Path]:
    """A self-signed certificate for the given DNS names and IP addresses, written where the
    conftest's `Gateway` looks (cert.pem/key.pem), so that it is used instead of its default."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    san = ",".join([f"DNS:{n}" for n in names] + [f"IP:{i}" for i in ips])
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "30", "-subj", f"/CN={names[0]}", "-addext", f"subjectAltName={san}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


# --- dnsmasq ----------------------------------------------------------------------------------


def dnsmasq_path() -> str:
    found = shutil.which("dnsmasq") or next((p for p in ("/usr/sbin/dnsmasq", "/sbin/dnsmasq") if os.path.exists(p)), None)
    if not found:
        pytest.fail("dnsmasq is not installed (scripts/install-deps.sh test installs dnsmasq-base)")
    return found


def free_udp_tcp_port(host: str = "127.0.0.1") -> int:
    for _ in range(100):
        port = free_port()
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                u.bind((host, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no port free for both UDP and TCP")


class Dnsmasq:
    """Our own dnsmasq on 127.0.0.1:<port> (UDP and TCP), authoritative for `.test` with the
    records given as dnsmasq options (`--mx-host=…`, `--host-record=…`); never the system's."""

    def __init__(self, tmp: Path, records: list[str]):
        self.tmp = Path(tmp)
        self.port = free_udp_tcp_port()
        self.records = records
        self.proc: subprocess.Popen | None = None
        self.log_path = self.tmp / f"dnsmasq-{self.port}.log"

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> "Dnsmasq":
        self.tmp.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [dnsmasq_path(), "--no-daemon", f"--port={self.port}", "--listen-address=127.0.0.1", "--bind-interfaces",
             "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=", "--local=/test/", "--log-queries",
             "--log-facility=-", *self.records],
            stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dnsmasq exited with {self.proc.returncode}: {self.log_path.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dnsmasq did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def queries(self) -> str:
        return self.log_path.read_text(errors="replace")


# --- a gateway on another loopback address ---------------------------------------------------------


class HostedGateway(Gateway):
    """The conftest's smtp-gateway, bound to `host` (BUZON_SMTP_HOST), with its MX port
    chosen by the caller (so that two gateways share a port on different addresses)."""

    def __init__(self, store: Store, tmp: Path, host: str, mx_port: int, hostname: str, env: dict | None = None):
        super().__init__(store, tmp, env={**(env or {}), "BUZON_HOSTNAME": hostname}, host=host)
        self.mx_port = mx_port
        self.log_path = self.tmp / f"smtp-gateway-{host}-{mx_port}.log"

    def new_ports(self) -> None:
        # The MX port is the caller's; only the others may move.
        mx = getattr(self, "mx_port", None)
        super().new_ports()
        if mx is not None:
            self.mx_port = mx


# --- a scripted SMTP peer -----------------------------------------------------------------------

CLOSE = object()
"""A hook's answer: close the connection without replying."""


@dataclass
class Transaction:
    number: int
    connection: int
    mail_from: str
    mail_params: list[str]
    rcpts: list[tuple[str, list[str]]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    data: bytes | None = None
    data_reply: str | None = None
    delivered: bool = False
    started: float = field(default_factory=time.time)
    finished: float | None = None


class PeerConnection:
    def __init__(self, peer: "SMTPPeer", sock: socket.socket, number: int):
        self.peer = peer
        self.sock = sock
        self.number = number
        self.buffer = b""
        self.tls = False
        self.txn: Transaction | None = None

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reply(self, answer) -> bool:
        """Sends a hook's answer: str (lines, CRLF added), bytes (as is), CLOSE. False when closed."""
        if answer is CLOSE:
            return False
        if isinstance(answer, str):
            answer = answer.encode() + b"\r\n"
        self.send(answer)
        return True

    def readline(self, limit: int = 1 << 20) -> bytes | None:
        while b"\n" not in self.buffer:
            if len(self.buffer) > limit:
                return None
            try:
                chunk = self.sock.recv(65536)
            except (OSError, ssl.SSLError):
                return None
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.rstrip(b"\r")

    def wait_for_close(self, timeout: float) -> bool:
        """Waits up to `timeout` seconds; True as soon as the client has closed the connection."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, min(0.2, deadline - time.monotonic())))
            try:
                data = self.sock.recv(65536, socket.MSG_PEEK) if not self.tls else self.sock.recv(65536)
            except (socket.timeout, TimeoutError):
                continue
            except (OSError, ssl.SSLError):
                return True
            finally:
                self.sock.settimeout(None)
            if not data:
                return True
            if self.tls:
                self.buffer += data
            else:
                time.sleep(0.05)
        return False


Hook = Callable[..., object]


class SMTPPeer:
    """An SMTP server on `host:port` run by a script of hooks, each returning the reply to
    send (str lines, raw bytes, or CLOSE) or None for the ordinary answer:

    - `on_connect(conn)` → the greeting (default `220 <name> ESMTP peer`)
    - `on_ehlo(conn)` → the EHLO reply (default: `capabilities`, STARTTLS when `tls` is set)
    - `on_starttls(conn)` → after `220`: None to do TLS with `tls` (an SSLContext) or, when
      `tls == "alert"`, answer the ClientHello with a fatal handshake_failure alert, when
      `tls == "garbage"` with bytes that are not TLS
    - `on_mail(conn, txn)`, `on_rcpt(conn, txn, address, params)`, `on_data(conn, txn)` (the
      reply to DATA, default 354), `on_data_end(conn, txn)` (after the content, default 250)

    It records every connection, every transaction (MAIL … end of DATA) and which were
    accepted (`delivered`)."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, name: str = "peer.test",
                 capabilities: tuple = ("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", "SIZE 52428800"),
                 tls=None, **hooks: Hook):
        self.host = host
        self.port = port or free_port()
        self.name = name
        self.capabilities = list(capabilities)
        self.tls = tls
        self.hooks = hooks
        self.lock = threading.Lock()
        self.connections = 0
        self.transactions: list[Transaction] = []
        self.commands: list[bytes] = []
        self.errors: list[str] = []
        self.server: socketserver.ThreadingTCPServer | None = None
        self.thread: threading.Thread | None = None

    # -- what it saw --
    @property
    def delivered(self) -> list[Transaction]:
        with self.lock:
            return [t for t in self.transactions if t.delivered]

    def snapshot(self) -> list[Transaction]:
        with self.lock:
            return list(self.transactions)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    # -- life --
    def start(self) -> "SMTPPeer":
        peer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                with peer.lock:
                    peer.connections += 1
                    number = peer.connections
                conn = PeerConnection(peer, self.request, number)
                try:
                    peer.session(conn)
                except (OSError, ssl.SSLError):
                    pass
                except Exception as error:  # a bug in a hook: keep it for the test to see
                    peer.errors.append(repr(error))

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True
            request_queue_size = 128

        self.server = Server((self.host, self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def hook(self, name: str, *args):
        fn = self.hooks.get(name)
        return fn(*args) if fn else None

    # -- the protocol --
    def session(self, conn: PeerConnection) -> None:
        if not conn.reply(self.hook("on_connect", conn) or f"220 {self.name} ESMTP peer"):
            return
        while True:
            line = conn.readline()
            if line is None:
                return
            with self.lock:
                self.commands.append(line)
            verb = line.split(b" ", 1)[0].upper()
            if verb == b"EHLO":
                answer = self.hook("on_ehlo", conn)
                if answer is None:
                    caps = list(self.capabilities)
                    if self.tls is not None and not conn.tls:
                        caps.append("STARTTLS")
                    lines = [self.name] + caps
                    answer = "\r\n".join(f"250{' ' if i == len(lines) - 1 else '-'}{l}" for i, l in enumerate(lines))
                if not conn.reply(answer):
                    return
            elif verb == b"HELO":
                conn.reply(f"250 {self.name}")
            elif verb == b"STARTTLS" and self.tls is not None and not conn.tls:
                if not self.starttls(conn):
                    return
            elif verb == b"MAIL":
                m = re.match(rb"MAIL FROM:<([^>]*)>(.*)$", line, re.I)
                if not m:
                    conn.reply("501 5.5.4 syntax")
                    continue
                with self.lock:
                    txn = Transaction(number=len(self.transactions) + 1, connection=conn.number,
                                      mail_from=m.group(1).decode(), mail_params=m.group(2).decode().split())
                    self.transactions.append(txn)
                conn.txn = txn
                if not conn.reply(self.hook("on_mail", conn, txn) or "250 2.1.0 sender ok"):
                    return
            elif verb == b"RCPT":
                m = re.match(rb"RCPT TO:<([^>]*)>(.*)$", line, re.I)
                if not m or conn.txn is None:
                    conn.reply("503 5.5.1 MAIL first" if m else "501 5.5.4 syntax")
                    continue
                address, params = m.group(1).decode(), m.group(2).decode().split()
                conn.txn.rcpts.append((address, params))
                answer = self.hook("on_rcpt", conn, conn.txn, address, params) or "250 2.1.5 recipient ok"
                if isinstance(answer, str) and answer.startswith("2"):
                    conn.txn.accepted.append(address)
                if not conn.reply(answer):
                    return
            elif verb == b"DATA":
                txn = conn.txn
                if txn is None or not txn.accepted:
                    conn.reply("554 5.5.1 no valid recipients")
                    continue
                answer = self.hook("on_data", conn, txn) or "354 go ahead"
                if not conn.reply(answer):
                    return
                if not (isinstance(answer, str) and answer.startswith("354")):
                    continue
                content = []
                while True:
                    l = conn.readline()
                    if l is None:
                        return  # the client went away in the middle of the content
                    if l == b".":
                        break
                    content.append(l[1:] if l.startswith(b".") else l)
                txn.data = b"".join(c + b"\r\n" for c in content)
                answer = self.hook("on_data_end", conn, txn) or "250 2.0.0 accepted"
                if answer is CLOSE:
                    return
                txn.data_reply = answer if isinstance(answer, str) else repr(answer)
                conn.reply(answer)
                txn.finished = time.time()
                if isinstance(answer, str) and answer.startswith("2"):
                    txn.delivered = True
                conn.txn = None
            elif verb == b"RSET":
                conn.txn = None
                conn.reply("250 2.0.0 reset")
            elif verb == b"NOOP":
                conn.reply("250 2.0.0 ok")
            elif verb == b"QUIT":
                conn.reply("221 2.0.0 bye")
                return
            else:
                conn.reply("500 5.5.2 unknown command")

    def starttls(self, conn: PeerConnection) -> bool:
        conn.reply("220 2.0.0 ready to start TLS")
        answer = self.hook("on_starttls", conn)
        if answer is not None:
            return conn.reply(answer) and False
        if self.tls in ("alert", "garbage"):
            conn.sock.settimeout(5)
            try:
                conn.sock.recv(65536)  # the ClientHello
            except OSError:
                return False
            if self.tls == "alert":
                conn.send(bytes([21, 3, 3, 0, 2, 2, 40]))  # fatal alert: handshake_failure (RFC 8446 §6)
            else:
                conn.send(b"this is not a TLS server hello\r\n" * 4)
            time.sleep(0.2)
            return False
        conn.sock = self.tls.wrap_socket(conn.sock, server_side=True)
        conn.tls = True
        conn.buffer = b""
        conn.txn = None
        return True


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


# --- logs ---------------------------------------------------------------------------------------


def log_lines(path: Path, containing: str) -> list[str]:
    if not path.exists():
        return []
    return [l for l in path.read_text(errors="replace").splitlines() if containing in l]


def reported_notices(path: Path) -> list[int]:
    """The `notices=N` of each `reported` line in a queue-relay log."""
    out = []
    for line in log_lines(path, "reported"):
        m = re.search(r"notices=(\d+)", line)
        if m:
            out.append(int(m.group(1)))
    return out
