"""Mail read through the imap-gateway with programs nobody here wrote: mbsync (isync) keeping a
Maildir in sync both ways, curl (`imap://`, `imaps://`, STARTTLS with `--ssl-reqd`) and mutt
reading a message in a terminal. Mail comes in through the smtp-gateway; what these programs
download is compared with the store's copy, and what they change with what the store holds.
The programs are installed by scripts/install-deps.sh (test): a missing one fails the test."""

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest

from imap_support import (ALICE, PASSWORD, SPECIAL_USE, deliver, listing, mailboxes, message, open_session, parse,
                          raw_message, stored_flags)


def store_state(store) -> tuple:
    """What a no-op sync must leave alone: UIDs, flags and mod-sequences, and HIGHESTMODSEQ."""
    return [(m["uid"], sorted(m["flags"]), m["modSeq"]) for m in listing(store)], mailboxes(store)["INBOX"]["highestModSeq"]


# --- mbsync --------------------------------------------------------------------------------------------


def mbsyncrc(imap, maildir: Path, tls: str) -> str:
    port = imap.tls_port if tls == "IMAPS" else imap.port
    # The certificate names localhost (mbsync checks the name and knows no IP SANs).
    return (f"IMAPAccount buzon\nHost localhost\nPort {port}\nUser {ALICE}\nPass {PASSWORD}\nSSLType {tls}\n"
            f"CertificateFile {imap.cert}\nSystemCertificates no\nAuthMechs PLAIN LOGIN\n\n"
            "IMAPStore remote\nAccount buzon\n\n"
            f"MaildirStore local\nPath {maildir}/\nInbox {maildir}/INBOX\nSubFolders Verbatim\n\n"
            "Channel buzon\nFar :remote:\nNear :local:\nPatterns *\nCreate Both\nExpunge Both\nSyncState *\nSync All\n")


def mbsync(home: Path, *args: str) -> list[str]:
    """Runs mbsync with its protocol trace (-Dn); the IMAP commands it sent, without tags."""
    result = subprocess.run(["mbsync", "-Dn", "-c", str(home / "mbsyncrc"), *args], capture_output=True,
                            env=dict(os.environ, HOME=str(home)), timeout=120)
    log = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode == 0, log[-4000:]
    return [line.split(" ", 2)[2] for line in log.splitlines() if line.startswith(">>> ") and line.count(" ") >= 2]


def maildir_snapshot(maildir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(maildir)): p.read_bytes() for p in sorted(maildir.rglob("*"))
            if p.is_file() and p.parent.name in ("cur", "new")}


def without_tuid(data: bytes) -> bytes:
    return re.sub(rb"(?m)^X-TUID: [^\r\n]*\r?\n", b"", data)


def test_mbsync_syncs_a_maildir_both_ways_and_then_changes_nothing(imap_system, tmp_path):
    store, smtp, imap = imap_system
    pulled = [deliver(smtp, message(f"Down {n}", f"from the server {n}\r\n")) for n in range(2)]
    maildir = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (maildir / "INBOX" / sub).mkdir(parents=True)
    local = b"From: alice@example.test\nTo: bob@example.test\nSubject: Up from Maildir\n\nwritten offline\n"
    (maildir / "INBOX" / "new" / "1700000000.local1.client").write_bytes(local)
    (tmp_path / "mbsyncrc").write_text(mbsyncrc(imap, maildir, "IMAPS"))

    sent = mbsync(tmp_path, "-a")
    assert any(c.startswith("APPEND") for c in sent), sent
    messages = listing(store)
    assert len(messages) == 3
    up = [m for m in messages if m["uid"] not in {uid for uid, _ in pulled}]
    assert without_tuid(raw_message(store, ALICE, "INBOX", up[0]["uid"])).replace(b"\r\n", b"\n") == local
    files = maildir_snapshot(maildir)
    for _, raw in pulled:
        assert raw.replace(b"\r\n", b"\n") in {without_tuid(d) for d in files.values()}

    # A flag change on each side: \Flagged and \Seen set locally (Maildir "FS"), \Answered on the server.
    name = next(n for n, d in files.items() if without_tuid(d) == pulled[0][1].replace(b"\r\n", b"\n"))
    source = maildir / name
    source.rename(maildir / "INBOX" / "cur" / (source.name.split(":")[0] + ":2,FS"))
    with open_session(imap.port, login=ALICE) as s:
        s.ok("SELECT INBOX")
        s.ok(f"UID STORE {pulled[1][0]} +FLAGS (\\Answered)")
    sent = mbsync(tmp_path, "-a")
    assert any("STORE" in c for c in sent), sent
    assert stored_flags(store)[pulled[0][0]] == {"\\flagged", "\\seen"}
    answered = [n for n, d in maildir_snapshot(maildir).items() if without_tuid(d) == pulled[1][1].replace(b"\r\n", b"\n")]
    assert len(answered) == 1 and "R" in answered[0].rsplit(":2,", 1)[-1], answered

    # Nothing changed since: the next run sends no change either way and leaves both sides alone.
    before_local, before_store = maildir_snapshot(maildir), store_state(store)
    sent = mbsync(tmp_path, "-a")
    changes = [c for c in sent if re.match(r"(UID )?(APPEND|STORE|EXPUNGE|MOVE|COPY|CREATE|DELETE)", c)]
    assert changes == [], changes
    assert maildir_snapshot(maildir) == before_local
    assert store_state(store) == before_store


def test_mbsync_lists_mailboxes_over_starttls(imap_system, tmp_path):
    store, smtp, imap = imap_system
    (tmp_path / "Mail").mkdir()
    (tmp_path / "mbsyncrc").write_text(mbsyncrc(imap, tmp_path / "Mail", "STARTTLS"))
    result = subprocess.run(["mbsync", "-l", "-c", str(tmp_path / "mbsyncrc"), "buzon"], capture_output=True,
                            env=dict(os.environ, HOME=str(tmp_path)), timeout=60, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {"INBOX", *SPECIAL_USE} <= set(result.stdout.split()), result.stdout


# --- curl ----------------------------------------------------------------------------------------------


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "--silent", "--show-error", "--max-time", "20", "-u", f"{ALICE}:{PASSWORD}", *args],
                          capture_output=True, timeout=40)


def test_curl_lists_searches_and_fetches_by_uid(imap_system):
    store, smtp, imap = imap_system
    sent = [deliver(smtp, message(f"curl {word}")) for word in ("first", "second", "third")]
    with open_session(imap.port, login=ALICE) as s:  # so that UIDs and sequence numbers differ
        s.ok("SELECT INBOX")
        s.ok("STORE 1 +FLAGS.SILENT (\\Deleted)")
        s.ok("EXPUNGE")
    base = f"imap://127.0.0.1:{imap.port}"
    listed = curl(base + "/")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.split(b"\r\n")
    assert lines[-1] == b"" and all(l.startswith(b"* LIST ") for l in lines[:-1]), listed.stdout
    names = {parse(l)[4] for l in lines[:-1]}
    assert {n.decode() if isinstance(n, bytes) else n for n in names} == {"INBOX", *SPECIAL_USE}
    for uid, raw in sent[1:]:
        got = curl(f"{base}/INBOX;UID={uid}")
        assert got.returncode == 0, got.stderr
        assert got.stdout == raw
    assert curl(f"{base}/INBOX;MAILINDEX=1").stdout == sent[1][1]
    assert curl(f"{base}/INBOX?SUBJECT%20third").stdout == b"* SEARCH 2\r\n"
    gone = curl(f"{base}/INBOX;UID={sent[0][0]}")
    assert (gone.returncode, gone.stdout) == (78, b""), gone  # expunged: curl finds nothing to fetch


def test_curl_imaps_and_starttls(imap_system):
    store, smtp, imap = imap_system
    uid, raw = deliver(smtp, message("curl over TLS"))
    got = curl("--cacert", str(imap.cert), f"imaps://127.0.0.1:{imap.tls_port}/INBOX;UID={uid}")
    assert got.returncode == 0, got.stderr
    assert got.stdout == raw
    assert curl("-k", f"imaps://127.0.0.1:{imap.tls_port}/").stdout.startswith(b"* LIST ")
    got = curl("-v", "--ssl-reqd", "--cacert", str(imap.cert), f"imap://127.0.0.1:{imap.port}/INBOX;UID={uid}")
    assert got.returncode == 0, got.stderr
    assert got.stdout == raw
    assert re.search(rb"(?m)^> \w+ STARTTLS", got.stderr), got.stderr
    wrong = subprocess.run(["curl", "-s", "--cacert", str(imap.cert), "-u", f"{ALICE}:wrong",
                            f"imaps://127.0.0.1:{imap.tls_port}/INBOX;UID={uid}"], capture_output=True, timeout=40)
    assert wrong.returncode == 67 and wrong.stdout == b"", wrong  # 67: login denied
    assert stored_flags(store) == {uid: frozenset({"\\seen"})}  # curl fetched BODY[], not BODY.PEEK[]


# --- mutt ----------------------------------------------------------------------------------------------


def mutt_setup(tmp_path: Path, folder: str, imap) -> tuple[Path, dict]:
    """A muttrc in tmp_path for ALICE on `folder` whose pager copies the shown message to the
    returned file, and the environment mutt runs in (HOME there, a plain terminal)."""
    shown = tmp_path / "shown.txt"
    (tmp_path / "muttrc").write_text(
        f'set folder="{folder}"\nset spoolfile="+INBOX"\nset imap_user="{ALICE}"\nset imap_pass="{PASSWORD}"\n'
        f'set certificate_file="{imap.cert}"\nset ssl_force_tls=yes\nset ssl_starttls=yes\n'
        f'set header_cache=""\nset message_cachedir=""\nset pager="cp %s {shown}"\nset prompt_after=no\n'
        "set wait_key=no\nset move=no\nset quit=yes\nset mark_old=no\nset mail_check=60\n")
    env = dict(os.environ, HOME=str(tmp_path), TERM="vt100", LANG="C.UTF-8")
    return shown, env


def run_in_terminal(argv: list[str], env: dict, timeout: float = 60) -> tuple[int | None, bytes]:
    """Runs a full-screen program on a pseudo-terminal (80x24) until it exits; its exit code
    (None if it had to be killed) and everything it drew."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    screen, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the program exited and closed the terminal
                    chunk = b""
                screen += chunk
                if not chunk and proc.poll() is not None:
                    break
            elif proc.poll() is not None:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            code = None
        else:
            code = proc.returncode
        os.close(master)
    return code, screen


@pytest.mark.parametrize("url", ["imaps", "imap+starttls"])
def test_mutt_reads_a_message(imap_system, tmp_path, url):
    store, smtp, imap = imap_system
    other, _ = deliver(smtp, message("Not this one"))
    uid, _ = deliver(smtp, message("Mutt muttcheck subject", "Hello from the other side.\r\n"))
    folder = (f"imaps://localhost:{imap.tls_port}/" if url == "imaps" else f"imap://localhost:{imap.port}/")
    shown, env = mutt_setup(tmp_path, folder, imap)
    code, screen = run_in_terminal(["mutt", "-n", "-F", str(tmp_path / "muttrc"),
                                    "-e", 'push "<limit>~s muttcheck<enter><display-message><quit>"'], env)
    text = re.sub(rb"\x1b[\[()][0-9;?]*[A-Za-z]|\x1b[=>]|[\x0e\x0f]", b"", screen).decode(errors="replace")
    assert code == 0, text[-3000:]
    assert shown.exists(), f"mutt displayed no message:\n{text[-3000:]}"
    displayed = shown.read_text()
    assert "Subject: Mutt muttcheck subject" in displayed and "Hello from the other side." in displayed, displayed
    assert stored_flags(store) == {other: frozenset(), uid: frozenset({"\\seen"})}  # read, and only that one
