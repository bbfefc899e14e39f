"""COMPRESS=DEFLATE (RFC 4978) with Python's imaplib: after `COMPRESS DEFLATE` and its OK, every
byte both ways is raw deflate (zlib with wbits=-15: no zlib header), inside TLS when TLS is on.
The client here is imaplib with its socket wrapped in zlib's compressor and decompressor, as an
IMAP client that speaks COMPRESS does it; it reads with blocking calls, so a response the gateway
left in its compressor (no flush at the end of a response) would hang it until its timeout."""

import imaplib
import os
import random
import socket
import time
import zlib

from imap_support import ALICE, PASSWORD, deliver, message, raw_message
from support import gateway_alive, trusting_context

# RFC 4978 §5: command-auth =/ compress (authenticated and selected states).
imaplib.Commands.setdefault("COMPRESS", ("AUTH", "SELECTED"))


class Deflating:
    """What imaplib needs of a connection (`read`, `readline`, `send`), over a deflated one."""

    def __init__(self, client: imaplib.IMAP4):
        self.client = client
        self.sock = client.sock
        self.deflater = zlib.compressobj(wbits=-15)
        self.inflater = zlib.decompressobj(wbits=-15)
        self.buffer = b""
        self.wire_in = 0  # compressed bytes received
        self.plain_in = 0

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise imaplib.IMAP4.abort("connection closed")
        self.wire_in += len(chunk)
        plain = self.inflater.decompress(chunk)
        self.plain_in += len(plain)
        self.buffer += plain

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def readline(self) -> bytes:
        while b"\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line + b"\n"

    def send(self, data: bytes) -> None:
        # Z_SYNC_FLUSH: the gateway gets the whole command now.
        self.sock.sendall(self.deflater.compress(data) + self.deflater.flush(zlib.Z_SYNC_FLUSH))


def compress(client: imaplib.IMAP4) -> Deflating:
    """Sends COMPRESS DEFLATE and, on its OK, routes imaplib's I/O through zlib."""
    typ, data = client._simple_command("COMPRESS", "DEFLATE")
    assert typ == "OK", data
    layer = Deflating(client)
    client.read, client.readline, client.send = layer.read, layer.readline, layer.send
    return layer


def big_message() -> bytes:
    # ~400 KB of text that compresses well, and some that does not (base64 of random bytes).
    text = "".join(f"Line {n} of a long and rather repetitive message body.\r\n" for n in range(6000))
    noise = "".join(zlib.compress(os.urandom(54)).hex()[:76] + "\r\n" for _ in range(500))
    return message("Big compressed", text + noise)


def exercise(client: imaplib.IMAP4, store, uid: int) -> Deflating:
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    assert "COMPRESS=DEFLATE" in client.capabilities
    layer = compress(client)
    assert client.select("INBOX") == ("OK", [b"1"])
    typ, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    assert typ == "OK", data
    assert data[0][1] == raw_message(store, ALICE, "INBOX", uid)
    # RFC 4978 §3: a second COMPRESS is refused, and the connection stays compressed.
    typ, data = client._simple_command("COMPRESS", "DEFLATE")
    assert typ == "NO" and b"[COMPRESSIONACTIVE]" in data[-1], data
    assert client.noop()[0] == "OK"
    return layer


def test_compress_over_plain_imap(imap_system):
    store, smtp, imap = imap_system
    uid, copy = deliver(smtp, big_message())
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    layer = exercise(client, store, uid)
    # What came back was compressed on the wire, not sent as is.
    assert layer.plain_in > len(copy) and layer.wire_in < layer.plain_in * 0.6, (layer.wire_in, layer.plain_in)
    assert client.logout()[0] == "BYE"


def test_compress_inside_tls(imap_system):
    """On the implicit-TLS port the deflate layer sits inside TLS: TLS records carry deflate."""
    store, smtp, imap = imap_system
    uid, _ = deliver(smtp, big_message())
    client = imaplib.IMAP4_SSL("127.0.0.1", imap.tls_port, ssl_context=trusting_context(imap), timeout=10)
    exercise(client, store, uid)
    assert client.logout()[0] == "BYE"


def test_compress_after_starttls(imap_system):
    store, smtp, imap = imap_system
    uid, _ = deliver(smtp, message("Small one"))
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert client.starttls(ssl_context=trusting_context(imap))[0] == "OK"
    exercise(client, store, uid)
    assert client.logout()[0] == "BYE"


def test_unknown_mechanism_and_before_login(imap_system):
    _, _, imap = imap_system
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    # Not authenticated: COMPRESS is a command-auth (RFC 4978 §5).
    client.send(b"c1 COMPRESS DEFLATE\r\n")
    assert client.readline().startswith(b"c1 BAD")
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    client.send(b"c2 COMPRESS X-UNKNOWN\r\n")
    assert client.readline().startswith(b"c2 BAD")
    # Still uncompressed: a plain command works.
    assert client.noop()[0] == "OK"
    assert client.logout()[0] == "BYE"


def broken_stream(kind: int) -> bytes:
    """Input no inflater can go on with: an invalid block type (BTYPE=11), random bytes that
    zlib itself rejects, or a stream that ended (final block) followed by more."""
    if kind < 2:
        return b"\xff" * 64
    if kind == 4:
        deflater = zlib.compressobj(wbits=-15)
        return deflater.compress(b"d NOOP\r\n") + deflater.flush(zlib.Z_FINISH) + b"e NOOP\r\n"
    rng = random.Random(kind)
    while True:
        candidate = rng.randbytes(4096)
        try:
            zlib.decompressobj(wbits=-15).decompress(candidate)
        except zlib.error:
            return candidate


def test_garbage_after_compress_closes_cleanly(imap_system):
    """Input that is not a deflate stream ends that connection, and only that one."""
    _, smtp, imap = imap_system
    for attempt in range(5):
        sock = socket.create_connection(("127.0.0.1", imap.port), timeout=10)
        file = sock.makefile("rb")
        assert file.readline().startswith(b"* OK")
        sock.sendall(f"a LOGIN {ALICE} {PASSWORD}\r\n".encode())
        while not file.readline().startswith(b"a OK"):
            pass
        sock.sendall(b"b COMPRESS DEFLATE\r\n")
        assert file.readline().startswith(b"b OK")
        if attempt == 0:
            # A valid command first: the layer works, then the garbage.
            deflater = zlib.compressobj(wbits=-15)
            sock.sendall(deflater.compress(b"c NOOP\r\n") + deflater.flush(zlib.Z_SYNC_FLUSH))
            inflater = zlib.decompressobj(wbits=-15)
            answer = b""
            while b"c OK" not in answer:
                answer += inflater.decompress(sock.recv(65536))
        garbage = broken_stream(attempt)
        try:
            sock.sendall(garbage)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if not sock.recv(65536):
                    break
            else:
                raise AssertionError("the gateway kept a connection whose deflate stream is broken")
        except ConnectionResetError:
            pass
        sock.close()
    assert gateway_alive(imap)
    # The gateway still serves others.
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    compress(client)
    assert client.select("INBOX")[0] == "OK"
    assert client.logout()[0] == "BYE"
