"""APPEND of a big message (RFC 9051 §6.3.12): the literal is spooled by the gateway and streamed
to the store, so the gateway's memory does not grow with the message, and the message comes
back byte for byte."""

import hashlib
import imaplib
import os

from smtp_support import rss_kib

ALICE = "alice@example.test"


def big_message(size: int) -> bytes:
    header = b"From: alice@example.test\r\nTo: alice@example.test\r\nSubject: big\r\n\r\n"
    line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\r\n"
    body = line * ((size - len(header)) // len(line) + 1)
    return header + body[: size - len(header)]


def test_a_30_mib_append_is_streamed_and_kept_whole(imap_system):
    store, _smtp, imap = imap_system
    message = big_message(30 * 1024 * 1024)
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=60)
    client.login(ALICE, "secret")
    before = rss_kib(imap.proc.pid)
    typ, data = client.append("INBOX", "(\\Flagged)", None, message)
    assert typ == "OK" and b"APPENDUID" in data[0], data
    grown = rss_kib(imap.proc.pid) - before
    # Held whole it would be 30 MiB or more (the literal, then its copy on the way to the store);
    # spooled, what remains is the allocator's high-water mark from the 64 KiB reads and writes.
    assert grown < 20 * 1024, f"the gateway grew by {grown} KiB for a 30 MiB APPEND"
    client.select("INBOX")
    typ, data = client.uid("FETCH", data[0].split()[2].decode().rstrip("]"), "(RFC822.SIZE FLAGS BODY.PEEK[])")
    assert typ == "OK"
    assert b"\\Flagged" in data[0][0] and f"RFC822.SIZE {len(message)}".encode() in data[0][0]
    assert hashlib.sha256(data[0][1]).digest() == hashlib.sha256(message).digest()
    client.logout()


def test_a_big_literal_outside_append_is_refused_and_the_session_goes_on(imap_system):
    _store, _smtp, imap = imap_system
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=60)
    client.login(ALICE, "secret")
    client.select("INBOX")
    blob = os.urandom(2 * 1024 * 1024).hex()[: 2 * 1024 * 1024].encode()
    tag = client._new_tag()
    client.send(tag + b" SEARCH BODY {" + str(len(blob)).encode() + b"+}\r\n" + blob + b"\r\n")
    while True:
        line = client.readline()
        if line.startswith(tag):
            break
    assert line.startswith(tag + b" BAD") or line.startswith(tag + b" NO"), line
    assert client.noop()[0] == "OK"
    client.logout()
