"""Thousands of connections that never log in, each sending a byte now and then (issue 11): the
slow-drip attack that any-byte-resets-the-timer servers lose to. One thread and a selector
drive them all (no thread per connection), from many loopback source addresses so that the
per-address limit does not stop them before the total limit does."""

import resource
import selectors
import socket
import struct
import time
from dataclasses import dataclass, field


def raise_file_limit(needed: int) -> int:
    """Raises this process's open-file limit (the gateways started after this inherit it) to
    at least `needed` if the hard limit allows; answers the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def open_file_limit(pid: int) -> int:
    """The soft open-file limit of a running process (/proc/<pid>/limits)."""
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                return int(line.split()[3])
    raise AssertionError("no open-file limit")


@dataclass
class Drip:
    """One trickling connection and what happened to it (times from `time.monotonic`)."""
    sock: socket.socket
    source: str
    started: float
    next_send: float
    connected: bool = False
    sent: int = 0
    received: bytes = b""
    greeted_at: float | None = None
    closed_at: float | None = None
    failed: str | None = None
    extra: dict = field(default_factory=dict)


class Trickler:
    """Connections to `port` (`open_more`), each sending the next byte of `script` every
    `every` seconds (staggered) once greeted, reading everything the server says, until the
    server closes it."""

    def __init__(self, port: int, script: bytes, every: float, greeting: bytes, sources: int = 25,
                 host: str = "127.0.0.1"):
        self.port, self.script, self.every, self.greeting = port, script, every, greeting
        self.sources = [f"127.0.{1 + i // 250}.{2 + i % 250}" for i in range(sources)]
        self.host = host
        self.selector = selectors.DefaultSelector()
        self.drips: list[Drip] = []

    def _open_one(self) -> None:
        n = len(self.drips)
        source = self.sources[n % len(self.sources)]
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # the test's closes reset: no TIME_WAIT pile
        sock.bind((source, 0))
        sock.setblocking(False)
        now = time.monotonic()
        drip = Drip(sock, source, now, now + self.every * (1 + (n % 10) / 10))
        sock.connect_ex((self.host, self.port))
        self.selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, drip)
        self.drips.append(drip)

    @property
    def open(self) -> list[Drip]:
        return [d for d in self.drips if d.closed_at is None]

    def _close(self, drip: Drip, reason: str | None = None) -> None:
        drip.closed_at = time.monotonic()
        drip.failed = reason
        self.selector.unregister(drip.sock)
        drip.sock.close()

    def step(self, timeout: float = 0.05) -> None:
        """One round: what is readable is read, what is due is sent."""
        for key, events in self.selector.select(timeout):
            drip: Drip = key.data
            if not drip.connected and events & selectors.EVENT_WRITE:
                error = drip.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    self._close(drip, f"connect: {error}")
                    continue
                drip.connected = True
                self.selector.modify(drip.sock, selectors.EVENT_READ, drip)
            if events & selectors.EVENT_READ:
                try:
                    data = drip.sock.recv(4096)
                except (ConnectionResetError, BrokenPipeError):
                    data = b""
                except BlockingIOError:
                    continue
                if data:
                    if not drip.received and data.startswith(self.greeting):
                        drip.greeted_at = time.monotonic()
                    drip.received += data
                else:
                    self._close(drip)
        now = time.monotonic()
        for drip in self.drips:
            if drip.closed_at is None and drip.connected and drip.greeted_at and now >= drip.next_send:
                try:
                    drip.sock.send(self.script[drip.sent % len(self.script):][:1])
                    drip.sent += 1
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    self._close(drip)
                    continue
                drip.next_send = now + self.every

    def open_more(self, count: int, per_step: int = 50, in_flight: int = 150) -> None:
        """Opens `count` more connections, no more than `in_flight` at a time waiting for their
        greeting: past the listen backlog (256) the kernel drops the handshake's last ACK, and
        the connection would be established only after SYN-ACK retransmissions, seconds later."""
        target = len(self.drips) + count
        while len(self.drips) < target:
            waiting = sum(1 for d in self.drips[-2 * in_flight:] if d.greeted_at is None and d.closed_at is None)
            for _ in range(max(0, min(per_step, target - len(self.drips), in_flight - waiting))):
                self._open_one()
            self.step(0.005)

    def run_until(self, deadline: float, done=lambda: False) -> None:
        while time.monotonic() < deadline and self.open and not done():
            self.step()

    def close_all(self) -> None:
        for drip in self.open:
            self._close(drip, "closed by the test")
