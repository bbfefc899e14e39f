"""Mail in through the smtp-gateway with clients nobody here wrote (Python's smtplib, swaks,
and a raw socket where those cannot do it): what lands in the INBOX is the client's bytes with
only header fields added in front, several local recipients share one stored copy, and
PIPELINING, BDAT, 8BITMIME, SMTPUTF8, dot-stuffing, bare LF and DSN parameters work."""

import re
import smtplib

import pytest

from conftest import inbox_messages
from smtp_support import (field_names, inbox_listing, open_session, queue, split_added_header_fields, swaks,
                          trusting_context)

ALICE, BOB = "alice@example.test", "bob@example.test"

# Folded header, trailing white space, a tab, a 998-octet line, empty lines at the end:
# everything a careless server normalises.
ORIGINAL = (
    b"From: Sender <sender@remote.test>\r\n"
    b"To: Alice <alice@example.test>\r\n"
    b"Subject: byte-exact\r\n"
    b"  folded continuation   \r\n"
    b"Message-ID: <exact-1@remote.test>\r\n"
    b"Date: Tue, 01 Sep 2026 10:00:00 +0200\r\n"
    b"X-Tab:\tvalue\twith tabs \t\r\n"
    b"\r\n"
    b"First line with trailing spaces   \r\n"
    b"\tindented with a tab\r\n"
    + b"x" * 998 + b"\r\n"
    b"\r\n"
    b"\r\n"
)


def assert_received_only(stored: bytes, original: bytes, recipient: str | None = None) -> list[bytes]:
    """`stored` is exactly one Received field followed by `original` byte for byte."""
    added = split_added_header_fields(stored, original)
    assert field_names(added) == ["received"], added
    received = added[0]
    assert b"by mx.example.test" in received, received
    if recipient is not None:
        assert f"for <{recipient}>".encode() in received, received
    return added


# --- byte-exact delivery ---------------------------------------------------------------------


def test_smtplib_message_lands_in_inbox_byte_exact(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, local_hostname="client.test", timeout=10) as smtp:
        refused = smtp.sendmail("sender@remote.test", [ALICE], ORIGINAL)
        assert refused == {}
    [stored] = inbox_messages(store, ALICE)
    received = assert_received_only(stored, ORIGINAL, recipient=ALICE)[0]
    assert received.startswith(b"Received: from client.test ([127.0.0.1])"), received
    assert inbox_messages(store, BOB) == []


def test_added_received_field_is_ascii_for_a_7bit_message(mail_system):
    """RFC 5322 §2.2 / RFC 6532 §3: header fields are US-ASCII unless the message travels with
    SMTPUTF8. A Received field with raw UTF-8 turns a plain 7-bit message into an invalid one,
    which the next hop (or a strict client) may refuse or mangle."""
    store, gateway = mail_system
    original = b"From: sender@remote.test\r\nSubject: plain\r\n\r\nascii only\r\n"
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        assert smtp.sendmail("sender@remote.test", [ALICE], original) == {}
    [stored] = inbox_messages(store, ALICE)
    [received] = assert_received_only(stored, original, recipient=ALICE)
    assert all(b < 0x80 for b in received), f"non-ASCII octets in the added Received field: {received!r}"


def test_swaks_message_lands_in_inbox_byte_exact(mail_system, tmp_path):
    store, gateway = mail_system
    path = tmp_path / "message.eml"
    # swaks sends the file and then CRLF "." CRLF: the file holds the message without its last CRLF.
    path.write_bytes(ORIGINAL[:-2])
    result = swaks("--server", f"127.0.0.1:{gateway.mx_port}", "--ehlo", "swaks.test", "--from", "sender@remote.test",
                   "--to", ALICE, "--data", f"@{path}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "250 2.0.0" in result.stdout
    [stored] = inbox_messages(store, ALICE)
    assert_received_only(stored, ORIGINAL, recipient=ALICE)


def test_submission_adds_message_id_and_date_only_when_missing(mail_system):
    store, gateway = mail_system
    bare = b"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: no id, no date\r\n\r\nbody\r\n"
    with smtplib.SMTP("127.0.0.1", gateway.submission_port, local_hostname="client.test", timeout=10) as smtp:
        smtp.starttls(context=trusting_context(gateway))
        smtp.login(ALICE, "secret")
        assert smtp.sendmail(ALICE, [BOB], bare) == {}
        assert smtp.sendmail(ALICE, [BOB], ORIGINAL) == {}
    first, second = inbox_messages(store, BOB)

    added = split_added_header_fields(first, bare)
    assert sorted(field_names(added)) == ["date", "message-id", "received"], added
    message_id = next(f for f in added if f.lower().startswith(b"message-id:"))
    assert re.match(rb"Message-ID: <[^<>@\s]+@[^<>@\s]+>\r\n$", message_id, re.I), message_id
    date = next(f for f in added if f.lower().startswith(b"date:"))
    assert re.match(rb"Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\r\n$", date), date
    received = next(f for f in added if f.lower().startswith(b"received:"))
    assert b"with ESMTPSA" in received, received  # RFC 3848: TLS and AUTH

    # ORIGINAL has both: nothing but the Received field is added.
    assert field_names(split_added_header_fields(second, ORIGINAL)) == ["received"]


# --- several recipients, one copy --------------------------------------------------------------


def test_several_local_recipients_share_one_stored_copy(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        assert smtp.sendmail("sender@remote.test", [ALICE, BOB], ORIGINAL) == {}
    [a] = inbox_listing(store, ALICE)
    [b] = inbox_listing(store, BOB)
    assert a["contentID"] == b["contentID"]
    [raw_a], [raw_b] = inbox_messages(store, ALICE), inbox_messages(store, BOB)
    assert raw_a == raw_b
    added = split_added_header_fields(raw_a, ORIGINAL)
    assert field_names(added) == ["received"]
    # RFC 5321 §7.2: with several recipients the Received field names none of them.
    assert b"for <" not in added[0], added[0]


def test_duplicate_and_alias_recipients_get_one_copy_each(mail_system):
    store, gateway = mail_system
    r = store.api("POST", "/v1/aliases", json={"address": "team@example.test", "targets": [ALICE, BOB]})
    assert r.status_code == 201, r.text
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        assert smtp.sendmail("sender@remote.test", [ALICE, "ALICE@example.test", "team@example.test"], ORIGINAL) == {}
    [a] = inbox_listing(store, ALICE)
    [b] = inbox_listing(store, BOB)
    assert a["contentID"] == b["contentID"]
    assert inbox_messages(store, ALICE)[0].endswith(ORIGINAL)


def test_swaks_pipelined_transaction_to_two_recipients(mail_system):
    store, gateway = mail_system
    result = swaks("--server", f"127.0.0.1:{gateway.mx_port}", "--pipeline", "--from", "sender@remote.test",
                   "--to", f"{ALICE},{BOB}", "--header", "Subject: pipelined")
    assert result.returncode == 0, result.stdout + result.stderr
    # swaks wrote MAIL, RCPT, RCPT, DATA before reading a reply.
    assert re.search(r"-> MAIL FROM.*\n -> RCPT TO.*\n -> RCPT TO.*\n -> DATA\n<-  250", result.stdout), result.stdout
    [a], [b] = inbox_messages(store, ALICE), inbox_messages(store, BOB)
    assert a == b and b"Subject: pipelined" in a


# --- pipelining by hand ------------------------------------------------------------------------


def test_pipelined_commands_in_one_write_get_replies_in_order(mail_system):
    store, gateway = mail_system
    body = b"Subject: pipelined\r\n\r\nhello\r\n"
    with open_session(gateway.mx_port) as s:
        assert "PIPELINING" in s.ehlo()
        s.send(b"MAIL FROM:<sender@remote.test>\r\n"
               b"RCPT TO:<alice@example.test>\r\n"
               b"RCPT TO:<nobody@example.test>\r\n"
               b"RCPT TO:<bob@example.test>\r\n"
               b"DATA\r\n")
        codes = [s.reply()[:2] for _ in range(5)]
        assert [c for c, _ in codes] == [250, 250, 550, 250, 354], codes
        assert codes[2][1].startswith("5.1.1"), codes
        # The content, the end marker and the next transaction in one write too.
        s.send(body + b".\r\n"
               b"MAIL FROM:<>\r\n"
               b"RCPT TO:<bob@example.test>\r\n"
               b"DATA\r\n")
        codes = [s.reply()[0] for _ in range(4)]
        assert codes == [250, 250, 250, 354], codes
        s.send(b"Subject: second\r\n\r\nbounce-like\r\n.\r\nQUIT\r\n")
        assert s.reply()[0] == 250
        assert s.reply()[0] == 221
    assert_received_only(inbox_messages(store, ALICE)[0], body)
    first, second = inbox_messages(store, BOB)
    assert first == inbox_messages(store, ALICE)[0]
    assert_received_only(second, b"Subject: second\r\n\r\nbounce-like\r\n", recipient=BOB)


# --- BDAT (RFC 3030) -------------------------------------------------------------------------------


def test_bdat_chunks_are_stored_verbatim(mail_system):
    store, gateway = mail_system
    # Chunks split inside a CRLF; no dot-stuffing in BDAT, so a lone "." line is content.
    chunk1 = b"Subject: chunked\r\nFrom: sender@remote.test\r\n\r\nline one\r"
    chunk2 = b"\n.\r\n..two dots stay two\r\n"
    chunk3 = b"last line\r\n"
    with open_session(gateway.mx_port) as s:
        assert "CHUNKING" in s.ehlo()
        assert s.cmd("MAIL FROM:<sender@remote.test>")[0] == 250
        assert s.cmd("RCPT TO:<alice@example.test>")[0] == 250
        s.send(b"BDAT %d\r\n" % len(chunk1) + chunk1)
        code, text, _ = s.reply()
        assert code == 250, text
        # The next two chunks pipelined in one write, the last with LAST.
        s.send(b"BDAT %d\r\n" % len(chunk2) + chunk2 + b"BDAT %d LAST\r\n" % len(chunk3) + chunk3)
        assert s.reply()[0] == 250
        code, text, _ = s.reply()
        assert code == 250 and text.startswith("2.0.0"), text
        assert s.cmd("NOOP")[0] == 250
    [stored] = inbox_messages(store, ALICE)
    assert_received_only(stored, chunk1 + chunk2 + chunk3, recipient=ALICE)


def test_bdat_zero_last_ends_the_message(mail_system):
    store, gateway = mail_system
    content = b"Subject: zero last\r\n\r\n" + bytes(range(0x80, 0x100)) + b"\r\n"
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        code, text = s.cmd("MAIL FROM:<sender@remote.test> BODY=8BITMIME")
        assert code == 250, text
        assert s.cmd("RCPT TO:<bob@example.test>")[0] == 250
        s.send(b"BDAT %d\r\n" % len(content) + content)
        assert s.reply()[0] == 250
        code, text = s.cmd("BDAT 0 LAST")
        assert code == 250 and text.startswith("2.0.0"), text
    [stored] = inbox_messages(store, BOB)
    assert_received_only(stored, content, recipient=BOB)


def test_data_after_bdat_is_refused(mail_system):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        assert s.cmd("MAIL FROM:<sender@remote.test>")[0] == 250
        assert s.cmd("RCPT TO:<alice@example.test>")[0] == 250
        s.send(b"BDAT 5\r\nabcde")
        assert s.reply()[0] == 250
        assert s.cmd("DATA")[0] == 503  # RFC 3030 §3
    assert inbox_messages(store, ALICE) == []


# --- 8-bit, SMTPUTF8 -------------------------------------------------------------------------------


def test_8bit_body_is_preserved(mail_system):
    store, gateway = mail_system
    high = bytes(b for b in range(0x80, 0x100))
    original = (b"From: sender@remote.test\r\nSubject: 8bit\r\nMIME-Version: 1.0\r\n"
                b"Content-Type: text/plain; charset=latin1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                b"caf\xe9 na\xefve \xc3\xa9t\xc3\xa9\r\n" + high + b"\r\n")
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("8bitmime")
        assert smtp.sendmail("sender@remote.test", [ALICE], original, mail_options=["BODY=8BITMIME"]) == {}
    [stored] = inbox_messages(store, ALICE)
    assert_received_only(stored, original, recipient=ALICE)
    assert high in stored


def test_smtputf8_address(mail_system):
    store, gateway = mail_system
    jose = "josé@example.test"
    store.add_user(jose)
    original = ("From: Renée <renée@remote.test>\r\nTo: José <josé@example.test>\r\nSubject: ¡Hola!\r\n\r\n"
                "Grüße\r\n").encode()
    with open_session(gateway.mx_port) as s:
        assert "SMTPUTF8" in s.ehlo()
        # Without SMTPUTF8 a UTF-8 address is refused (RFC 6531 §3.5) ...
        code, text = s.cmd("MAIL FROM:<renée@remote.test>".encode())
        assert code == 553 and text.startswith("5.6.7"), (code, text)
        assert s.cmd("MAIL FROM:<sender@remote.test>")[0] == 250
        code, text = s.cmd("RCPT TO:<josé@example.test>".encode())
        assert code == 553 and text.startswith("5.6.7"), (code, text)
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        # ... and with it, sender and recipient are UTF-8 (smtplib then encodes commands as UTF-8).
        assert smtp.sendmail("renée@remote.test", [jose], original, mail_options=["SMTPUTF8", "BODY=8BITMIME"]) == {}
    [stored] = inbox_messages(store, jose)
    [received] = assert_received_only(stored, original, recipient=jose)
    assert b" with UTF8ESMTP" in received, received  # RFC 6531 §3.7.3


def test_swaks_smtputf8_address(mail_system):
    store, gateway = mail_system
    jose = "josé@example.test"
    store.add_user(jose)
    result = swaks("--server", f"127.0.0.1:{gateway.mx_port}", "--from", "renée@remote.test", "--to", jose,
                   "--protocol", "ESMTP", "--quit-after", "RCPT", "--header", "Subject: x")
    # swaks does not send SMTPUTF8 itself: without it the UTF-8 sender must be refused.
    assert "553 5.6.7" in result.stdout, result.stdout
    assert inbox_messages(store, jose) == []


# --- dot-stuffing and line ends ------------------------------------------------------------


def test_dot_stuffing_round_trips(mail_system):
    store, gateway = mail_system
    original = (b"Subject: dots\r\n\r\n"
                b".\r\n"
                b"..\r\n"
                b".leading dot\r\n"
                b"...three\r\n"
                b"not. at start.\r\n"
                b". \r\n"
                b".")  # smtplib appends CRLF: the message then ends in ".\r\n"
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        assert smtp.sendmail("sender@remote.test", [ALICE], original) == {}
    # And by hand, already stuffed, the way it goes on the wire.
    wire = b"Subject: dots\r\n\r\n..\r\n...\r\n..leading dot\r\n....three\r\n"
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        s.cmd("MAIL FROM:<sender@remote.test>")
        s.cmd("RCPT TO:<alice@example.test>")
        assert s.cmd("DATA")[0] == 354
        s.send(wire + b".\r\n")
        assert s.reply()[0] == 250
    first, second = inbox_messages(store, ALICE)
    assert_received_only(first, original + b"\r\n")
    assert_received_only(second, b"Subject: dots\r\n\r\n.\r\n..\r\n.leading dot\r\n...three\r\n")


def test_bare_lf_in_data_is_stored_as_crlf(mail_system):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        s.cmd("MAIL FROM:<sender@remote.test>")
        s.cmd("RCPT TO:<alice@example.test>")
        assert s.cmd("DATA")[0] == 354
        # Bare LF is not a line end for the protocol: "\n.\n" must not end the data (smuggling).
        s.send(b"Subject: bare\nFrom: sender@remote.test\r\n\nline one\nline two\n.\nstill data\r\n.\r\n")
        code, text, _ = s.reply()
        assert code == 250, text
    [stored] = inbox_messages(store, ALICE)
    expected = b"Subject: bare\r\nFrom: sender@remote.test\r\n\r\nline one\r\nline two\r\n.\r\nstill data\r\n"
    assert_received_only(stored, expected)
    assert b"\n" not in stored.replace(b"\r\n", b"")


# --- remote recipients on submission are queued ----------------------------------------------------


def test_remote_recipients_on_submission_are_queued_with_dsn_parameters(mail_system):
    store, gateway = mail_system
    original = b"From: alice@example.test\r\nTo: carol@remote.test\r\nSubject: out\r\nMessage-ID: <q@x>\r\nDate: Tue, 01 Sep 2026 10:00:00 +0000\r\n\r\nhi\r\n"
    with smtplib.SMTP("127.0.0.1", gateway.submission_port, timeout=10) as smtp:
        smtp.starttls(context=trusting_context(gateway))
        smtp.login(ALICE, "secret")
        assert smtp.has_extn("dsn")
        code, _ = smtp.mail(ALICE, ["RET=HDRS", "ENVID=env+2Bid-1"])
        assert code == 250
        assert smtp.rcpt("carol@remote.test", ["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;carol@remote.test"])[0] == 250
        assert smtp.rcpt("Dave@Other.Remote.test", ["NOTIFY=NEVER"])[0] == 250
        assert smtp.rcpt(BOB)[0] == 250  # a local recipient in the same transaction
        code, text = smtp.data(original)
        assert code == 250, text
    [entry] = queue(store)
    assert entry["sender"] == ALICE
    assert entry["ret"] == "HDRS"
    assert entry["envid"] == "env+id-1"  # xtext decoded (RFC 3461 §4)
    recipients = {r["address"]: r for r in entry["recipients"]}
    assert set(recipients) == {"carol@remote.test", "Dave@other.remote.test"}, recipients
    assert sorted(recipients["carol@remote.test"]["notify"]) == ["FAILURE", "SUCCESS"]
    assert recipients["carol@remote.test"]["orcpt"] == "rfc822;carol@remote.test"
    assert recipients["Dave@other.remote.test"]["notify"] == ["NEVER"]
    assert all(r["state"] == "pending" for r in recipients.values())
    # The local recipient got it at once, and only it.
    [stored] = inbox_messages(store, BOB)
    assert field_names(split_added_header_fields(stored, original)) == ["received"]
    assert inbox_messages(store, ALICE) == []


def test_swaks_submission_to_remote_is_queued(mail_system):
    store, gateway = mail_system
    result = swaks("--server", f"127.0.0.1:{gateway.submission_port}", "-tls", "--tls-verify", "--tls-ca-path", str(gateway.cert),
                   "--tls-sni", "localhost", "--auth", "PLAIN", "--auth-user", ALICE, "--auth-password", "secret",
                   "--from", ALICE, "--to", "carol@remote.test", "--header", "Subject: via swaks")
    if "Unknown option" in result.stdout + result.stderr:
        pytest.fail("swaks option unsupported: " + result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    [entry] = queue(store)
    assert entry["sender"] == ALICE
    assert [r["address"] for r in entry["recipients"]] == ["carol@remote.test"]
