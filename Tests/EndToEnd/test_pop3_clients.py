"""Mail out through the pop3-gateway with clients nobody here wrote: Python's poplib (STLS and
POP3S), curl (`pop3://`, STLS with `--ssl-reqd`, `pop3s://`), fetchmail and getmail6. Mail
always comes in through the smtp-gateway, and what a client downloads must be the store's raw
copy byte for byte (that copy is what was sent plus the smtp-gateway's `Received:` field).

Where a client delivers into a mail file it adds fields of its own on top; those are split off
and checked to be only what that client is documented to add, never a change to the message:
- fetchmail (MDA delivery, `no stripcr`, `no rewrite`): one `Received:` field naming
  fetchmail; the rest must equal the store's copy byte for byte, CRLF included.
- getmail6 Maildir: `Return-Path:`, `Delivered-To:` and its own `Received:` (naming getmail6);
  Mboxrd with `delivered_to`/`received` off: `Return-Path:` only. getmail writes LF line ends,
  so the comparison is with the store's copy with CRLF turned into LF."""

import mailbox
import os
import poplib
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pop3_support import (ALICE, PASSWORD, inbox_count, send_mail, stored, trusting_context)

# A message with everything a POP3 encoder can get wrong in 7 bits: lines starting with dots
# (one alone, which the SMTP client and the POP3 server both have to stuff), whitespace-only
# and tab lines, trailing spaces, and a long line.
MESSAGE_DOTS = (
    b"From: Sender <sender@remote.test>\r\n"
    b"To: alice@example.test\r\n"
    b"Subject: POP3 clients, dots\r\n"
    b"Message-ID: <dots@remote.test>\r\n"
    b"\r\n"
    b"first line\r\n"
    b".leading dot\r\n"
    b"..two dots\r\n"
    b".\r\n"
    b" \r\n"
    b"\ttab line\r\n"
    b"trailing spaces   \r\n"
    + b"x" * 900 + b"\r\n"
    b"last line\r\n")

# 8-bit UTF-8 in the body, sent with BODY=8BITMIME.
MESSAGE_8BIT = (
    b"From: Sender <sender@remote.test>\r\n"
    b"To: alice@example.test\r\n"
    b"Subject: POP3 clients, 8bit\r\n"
    b"Message-ID: <eightbit@remote.test>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    + "Grüße aus Köln, ñandú, 日本語のテキスト\r\n".encode()
    + b".dot after 8bit\r\n")


def big_message(size: int = 700 * 1024) -> bytes:
    """Larger than two of the gateway's 256 KiB store reads, with dotted lines all over, so
    stuffing and line ends are crossed by chunk boundaries somewhere."""
    lines = [b"From: Sender <sender@remote.test>", b"To: alice@example.test", b"Subject: POP3 clients, big",
             b"Message-ID: <big@remote.test>", b""]
    n = 0
    total = 0
    while total < size:
        line = (b"." if n % 3 == 0 else b"") + b"line %07d " % n + b"abcdefghij" * (n % 7)
        lines.append(line)
        total += len(line) + 2
        n += 1
    return b"\r\n".join(lines) + b"\r\n"


def deliver(smtp, *messages: bytes) -> list[bytes]:
    for message in messages:
        send_mail(smtp, message, eight_bit=any(b > 0x7F for b in message))
    return stored_raw_after(smtp.store, len(messages))


def stored_raw_after(store, count: int) -> list[bytes]:
    raws = stored(store)
    assert len(raws) == count, f"{len(raws)} messages in the INBOX, expected {count}"
    return raws


def poplib_message(lines: list[bytes]) -> bytes:
    """poplib gives the lines of a message unstuffed, without their CRLF."""
    return b"".join(line + b"\r\n" for line in lines)


# --- Python's poplib ---------------------------------------------------------------------------


def test_poplib_stls_downloads_byte_exact(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_DOTS, MESSAGE_8BIT, big_message())
    client = poplib.POP3("127.0.0.1", pop3.port, timeout=10)
    try:
        assert "STLS" in client.capa()
        client.stls(context=trusting_context(pop3))
        capabilities = client.capa()
        assert "STLS" not in capabilities, capabilities  # RFC 2595 §4: not offered once TLS is on
        assert "USER" in capabilities and "UIDL" in capabilities and "TOP" in capabilities
        assert client.user(ALICE).startswith(b"+OK")
        assert client.pass_(PASSWORD).startswith(b"+OK")
        assert client.stat() == (3, sum(len(r) for r in raws))
        _, listing, _ = client.list()
        assert listing == [b"%d %d" % (i, len(r)) for i, r in enumerate(raws, 1)]
        for number, raw in enumerate(raws, 1):
            response, lines, octets = client.retr(number)
            assert response.startswith(b"+OK"), response
            got = poplib_message(lines)
            assert got == raw, f"message {number} differs from the store's copy"
            assert octets == len(raw)
        assert client.quit().startswith(b"+OK")
    finally:
        client.close()
    assert stored(store) == raws  # RETR deletes nothing


def test_poplib_pop3s_downloads_byte_exact_with_top_and_uidl(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_8BIT, big_message(300 * 1024), MESSAGE_DOTS)
    client = poplib.POP3_SSL("127.0.0.1", pop3.tls_port, context=trusting_context(pop3), timeout=10)
    try:
        capabilities = client.capa()
        assert "STLS" not in capabilities, capabilities  # TLS is already on
        assert "USER" in capabilities
        client.user(ALICE)
        client.pass_(PASSWORD)
        _, uids, _ = client.uidl()
        assert len(uids) == 3
        ids = [u.split()[1] for u in uids]
        assert len(set(ids)) == 3
        assert [u.split()[0] for u in uids] == [b"1", b"2", b"3"]
        for number, raw in enumerate(raws, 1):
            assert client.uidl(number).split()[1:] == [b"%d" % number, ids[number - 1]]
            _, lines, _ = client.retr(number)
            assert poplib_message(lines) == raw
            # TOP n 0: the header and the blank line that ends it, nothing of the body.
            _, lines, _ = client.top(number, 0)
            header = raw[: raw.index(b"\r\n\r\n") + 4]
            assert poplib_message(lines) == header
        client.quit()
    finally:
        client.close()
    assert stored(store) == raws


# --- curl ---------------------------------------------------------------------------------------


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "--silent", "--show-error", "--max-time", "20", *args],
                          capture_output=True, timeout=40)


def test_curl_pop3_lists_and_retrieves_byte_exact(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_DOTS, MESSAGE_8BIT, big_message())
    base = f"pop3://127.0.0.1:{pop3.port}"
    # Plain POP3 is allowed from loopback; curl prefers SASL PLAIN when CAPA offers it.
    listing = curl("-u", f"{ALICE}:{PASSWORD}", base + "/")
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout == b"".join(b"%d %d\r\n" % (i, len(r)) for i, r in enumerate(raws, 1))
    for number, raw in enumerate(raws, 1):
        got = curl("-u", f"{ALICE}:{PASSWORD}", f"{base}/{number}")
        assert got.returncode == 0, got.stderr
        assert got.stdout == raw, f"message {number} differs from the store's copy"
    assert stored(store) == raws


def test_curl_stls_and_pop3s_retrieve_byte_exact(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_8BIT, MESSAGE_DOTS)
    for number, raw in enumerate(raws, 1):
        # STLS on the POP3 port, certificate verified (curl refuses to go on without TLS).
        got = curl("--ssl-reqd", "--cacert", str(pop3.cert), "-u", f"{ALICE}:{PASSWORD}",
                   f"pop3://127.0.0.1:{pop3.port}/{number}")
        assert got.returncode == 0, got.stderr
        assert got.stdout == raw
        # Implicit TLS, with the SASL initial response in the AUTH command (RFC 5034 §4).
        got = curl("--cacert", str(pop3.cert), "--sasl-ir", "-u", f"{ALICE}:{PASSWORD}",
                   f"pop3s://127.0.0.1:{pop3.tls_port}/{number}")
        assert got.returncode == 0, got.stderr
        assert got.stdout == raw
    uidl = curl("--cacert", str(pop3.cert), "-u", f"{ALICE}:{PASSWORD}", "-X", "UIDL",
                f"pop3s://127.0.0.1:{pop3.tls_port}/")
    assert uidl.returncode == 0, uidl.stderr
    lines = uidl.stdout.split(b"\r\n")
    assert lines[-1] == b"" and [l.split()[0] for l in lines[:-1]] == [b"1", b"2"], uidl.stdout
    # A wrong password is refused (curl exits 67: login denied).
    wrong = curl("--cacert", str(pop3.cert), "-u", f"{ALICE}:wrong", f"pop3s://127.0.0.1:{pop3.tls_port}/1")
    assert wrong.returncode == 67, (wrong.returncode, wrong.stderr)
    assert wrong.stdout == b""
    assert stored(store) == raws


def test_curl_dele_removes_the_message_after_quit(pop3_system):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_DOTS, MESSAGE_8BIT)
    r = curl("--cacert", str(pop3.cert), "-u", f"{ALICE}:{PASSWORD}", "-X", "DELE", "-I",
             f"pop3s://127.0.0.1:{pop3.tls_port}/1")
    assert r.returncode == 0, r.stderr
    assert stored(store) == raws[1:]


# --- fetchmail ----------------------------------------------------------------------------------


def run_fetchmail(home: Path, rc_text: str) -> subprocess.CompletedProcess:
    """fetchmail in the foreground (`-N -d0`), verbose, with its rc and id files in `home`."""
    home.mkdir(parents=True, exist_ok=True)
    rc = home / "fetchmailrc"
    rc.write_text(rc_text)
    rc.chmod(0o600)  # fetchmail refuses an rc file others can read
    env = dict(os.environ, HOME=str(home), FETCHMAILHOME=str(home))
    return subprocess.run(["fetchmail", "-N", "-d0", "-v", "--nosyslog", "-f", str(rc), "-i", str(home / "fetchids")],
                          capture_output=True, env=env, timeout=60)


def fetchmail_rc(port: int, cert: Path, out: Path, *, implicit_tls: bool, keep: bool) -> str:
    tls = "ssl" if implicit_tls else 'sslproto "tls1.2+"'  # without `ssl`, tls1.2+ makes STLS mandatory
    keep_option = "keep" if keep else "nokeep fetchall"
    # fetchmail checks the certificate against the name polled and knows no IP SANs, so it is
    # told the name the certificate carries (localhost).
    return (
        "set no bouncemail\n"
        f"poll 127.0.0.1 with proto POP3 port {port} uidl timeout 20\n"
        f'  user "{ALICE}" there with password "{PASSWORD}" is "nobody" here\n'
        f'  options {keep_option} no rewrite no stripcr {tls} sslcertck sslcertfile "{cert}" sslcommonname "localhost"\n'
        f'  mda "cat > {out}/msg.$$"\n'
    )


def split_client_fields(data: bytes, original: bytes, eol: bytes) -> list[bytes]:
    """Asserts that `data` is some header fields followed by `original` byte for byte and
    returns the fields added in front (with continuation lines)."""
    assert data.endswith(original), f"download does not end with the store's copy:\n{data[:1500]!r}"
    prefix = data[: len(data) - len(original)]
    fields: list[bytes] = []
    for line in prefix.split(eol)[:-1] if prefix else []:
        if line[:1] in (b" ", b"\t"):
            assert fields, line
            fields[-1] += line + eol
        else:
            assert b":" in line and b" " not in line.split(b":", 1)[0], f"added line is not a header field: {line!r}"
            fields.append(line + eol)
    assert b"".join(fields) == prefix
    return fields


def fetchmail_downloads(out: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(out.iterdir())]


def strip_fetchmail(data: bytes, originals: list[bytes]) -> bytes:
    """The message without the one `Received:` field fetchmail adds; `data` must end with one
    of `originals`."""
    for original in originals:
        if data.endswith(original):
            [field] = split_client_fields(data, original, b"\r\n")
            assert field.lower().startswith(b"received:") and b"fetchmail" in field, field
            return original
    raise AssertionError(f"fetchmail delivered something that is none of the stored messages:\n{data[:1500]!r}")


def test_fetchmail_pop3s_keep_and_uidl(pop3_system, tmp_path):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_DOTS, big_message())
    out = tmp_path / "fetchmail-out"
    out.mkdir()
    rc = fetchmail_rc(pop3.tls_port, pop3.cert, out, implicit_tls=True, keep=True)
    first = run_fetchmail(tmp_path / "fetchmail", rc)
    assert first.returncode == 0, first.stderr.decode(errors="replace")[-3000:]
    downloads = fetchmail_downloads(out)
    assert sorted(strip_fetchmail(d, raws) for d in downloads) == sorted(raws)
    assert stored(store) == raws  # `keep`

    # A new message; fetchmail's UIDL bookkeeping must see the first two as already seen,
    # which works only if their unique ids did not change between sessions.
    send_mail(smtp, MESSAGE_8BIT, eight_bit=True)
    raws = stored_raw_after(store, 3)
    for p in out.iterdir():
        p.unlink()
    second = run_fetchmail(tmp_path / "fetchmail", rc)
    assert second.returncode == 0, second.stderr.decode(errors="replace")[-3000:]
    assert [strip_fetchmail(d, raws) for d in fetchmail_downloads(out)] == [raws[2]]

    third = run_fetchmail(tmp_path / "fetchmail", rc)
    assert third.returncode == 1, third.stderr.decode(errors="replace")[-3000:]  # 1: no new mail
    assert stored(store) == raws


def test_fetchmail_stls_nokeep_deletes(pop3_system, tmp_path):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_DOTS, MESSAGE_8BIT)
    out = tmp_path / "fetchmail-out"
    out.mkdir()
    result = run_fetchmail(tmp_path / "fetchmail", fetchmail_rc(pop3.port, pop3.cert, out, implicit_tls=False, keep=False))
    log = result.stderr.decode(errors="replace") + result.stdout.decode(errors="replace")
    assert result.returncode == 0, log[-3000:]
    assert "POP3> STLS" in log, log[-3000:]
    assert "+OK Begin TLS negotiation" in log
    assert sorted(strip_fetchmail(d, raws) for d in fetchmail_downloads(out)) == sorted(raws)
    assert inbox_count(store) == 0  # `nokeep`: DELE and QUIT


# --- getmail6 -----------------------------------------------------------------------------------


@pytest.fixture
def delivery_dir():
    """A directory for getmail's Maildir or mbox. getmail refuses to deliver as root, so under
    root it delivers as `nobody`, which needs a directory it can reach (pytest's tmp_path is
    private to root)."""
    path = Path(tempfile.mkdtemp(prefix="buzon-getmail-"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def getmail_user_line() -> str:
    return "user = nobody\n" if os.geteuid() == 0 else ""


def run_getmail(getmaildir: Path, rc_text: str) -> subprocess.CompletedProcess:
    getmaildir.mkdir(parents=True, exist_ok=True)
    (getmaildir / "getmailrc").write_text(rc_text)
    return subprocess.run(["getmail", "--getmaildir", str(getmaildir), "--rcfile", "getmailrc"],
                          capture_output=True, timeout=60)


def to_lf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")


def maildir_messages(path: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted((path / "new").iterdir())]


def strip_getmail(data: bytes, originals: list[bytes], allowed: set[str]) -> bytes:
    for original in originals:
        if data.endswith(original):
            fields = split_client_fields(data, original, b"\n")
            names = [f.split(b":", 1)[0].decode().lower() for f in fields]
            assert set(names) <= allowed, names
            for field in fields:
                if field.lower().startswith(b"received:"):
                    assert b"getmail" in field, field
            return original
    raise AssertionError(f"getmail delivered something that is none of the stored messages:\n{data[:1500]!r}")


def test_getmail_pop3s_maildir_keeps_then_deletes(pop3_system, tmp_path, delivery_dir):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_DOTS, MESSAGE_8BIT, big_message())
    maildir = delivery_dir / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for p in (maildir, *(maildir / s for s in ("cur", "new", "tmp"))):
        p.chmod(0o777)

    def rc(delete: bool, read_all: bool) -> str:
        return (
            "[retriever]\n"
            "type = SimplePOP3SSLRetriever\n"
            "server = 127.0.0.1\n"
            f"port = {pop3.tls_port}\n"
            f"username = {ALICE}\n"
            f"password = {PASSWORD}\n"
            f"ca_certs = {pop3.cert}\n"
            "ssl_cert_hostname = localhost\n"
            "timeout = 20\n"
            "\n[destination]\n"
            "type = Maildir\n"
            f"path = {maildir}/\n"
            + getmail_user_line()
            + "\n[options]\n"
            f"delete = {str(delete).lower()}\n"
            f"read_all = {str(read_all).lower()}\n"
            "verbose = 1\n"
        )

    expected = [to_lf(r) for r in raws]
    allowed = {"return-path", "delivered-to", "received"}
    first = run_getmail(tmp_path / "getmail", rc(delete=False, read_all=False))
    assert first.returncode == 0, (first.stdout + first.stderr).decode(errors="replace")[-3000:]
    got = maildir_messages(maildir)
    assert sorted(strip_getmail(m, expected, allowed) for m in got) == sorted(expected)
    assert stored(store) == raws

    # getmail remembers the unique ids it has seen: nothing new the second time.
    second = run_getmail(tmp_path / "getmail", rc(delete=False, read_all=False))
    assert second.returncode == 0, (second.stdout + second.stderr).decode(errors="replace")[-3000:]
    assert len(maildir_messages(maildir)) == 3

    # delete = true: everything fetched again and removed from the server.
    third = run_getmail(tmp_path / "getmail", rc(delete=True, read_all=True))
    assert third.returncode == 0, (third.stdout + third.stderr).decode(errors="replace")[-3000:]
    assert len(maildir_messages(maildir)) == 6
    assert inbox_count(store) == 0


def test_getmail_plain_pop3_mboxrd(pop3_system, tmp_path, delivery_dir):
    store, smtp, pop3 = pop3_system
    raws = deliver(smtp, MESSAGE_DOTS, MESSAGE_8BIT)
    mbox_path = delivery_dir / "mbox"
    mbox_path.touch()
    mbox_path.chmod(0o666)
    rc = (
        "[retriever]\n"
        "type = SimplePOP3Retriever\n"  # plain POP3: allowed from loopback
        "server = 127.0.0.1\n"
        f"port = {pop3.port}\n"
        f"username = {ALICE}\n"
        f"password = {PASSWORD}\n"
        "timeout = 20\n"
        "\n[destination]\n"
        "type = Mboxrd\n"
        f"path = {mbox_path}\n"
        + getmail_user_line()
        + "\n[options]\n"
        "read_all = true\n"
        "delete = false\n"
        "delivered_to = false\n"
        "received = false\n"
        "verbose = 1\n"
    )
    result = run_getmail(tmp_path / "getmail", rc)
    assert result.returncode == 0, (result.stdout + result.stderr).decode(errors="replace")[-3000:]
    box = mailbox.mbox(str(mbox_path), create=False)
    try:
        got = [box.get_bytes(key) for key in box.keys()]
    finally:
        box.close()
    expected = [to_lf(r) for r in raws]
    assert len(got) == 2
    assert [strip_getmail(m, expected, {"return-path"}) for m in got] == expected
    assert stored(store) == raws
