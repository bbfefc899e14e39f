"""Failures around the smtp-gateway: the store dies and comes back under a connected client
(temporary `451 4.3.0`, the session stays usable, the retry is accepted and stored once), and
the gateway itself is killed with SIGKILL in the middle of DATA (the client never saw `250`,
nothing is stored; after a restart the resent message is stored exactly once)."""

import smtplib
import socket
import time

import pytest

from conftest import inbox_messages
from smtp_support import open_session, queue, trusting_context

ALICE, BOB = "alice@example.test", "bob@example.test"
MESSAGE = (b"From: sender@remote.test\r\nTo: alice@example.test\r\nSubject: retried\r\n"
           b"Message-ID: <retry-1@remote.test>\r\n\r\n" + b"line of the body\r\n" * 2000)


def test_store_down_at_rcpt_gives_451_and_the_session_survives(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=30) as smtp:
        smtp.ehlo()
        store.kill()
        assert smtp.mail("sender@remote.test")[0] == 250
        started = time.monotonic()
        code, text = smtp.rcpt(ALICE)
        assert (code, text[:5]) == (451, b"4.3.0"), (code, text)
        assert time.monotonic() - started < 15, "the temporary failure took too long to come"
        assert smtp.noop()[0] == 250
        # DATA without an accepted recipient is refused, not half-accepted.
        code, _ = smtp.docmd("DATA")
        assert code in (503, 554), code
        assert smtp.rset()[0] == 250

        store.start()
        # The same client, same connection, tries again: accepted and delivered once.
        assert smtp.sendmail("sender@remote.test", [ALICE], MESSAGE) == {}
        assert smtp.noop()[0] == 250
    [stored] = inbox_messages(store, ALICE)
    assert stored.endswith(MESSAGE)


def test_store_down_after_data_gives_451_then_retry_is_stored_once(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=30) as smtp:
        smtp.ehlo()
        assert smtp.mail("sender@remote.test")[0] == 250
        assert smtp.rcpt(ALICE)[0] == 250
        assert smtp.rcpt(BOB)[0] == 250
        store.kill()
        code, text = smtp.data(MESSAGE)
        assert (code, text[:5]) == (451, b"4.3.0"), (code, text)
        assert smtp.noop()[0] == 250

        store.start()
        assert smtp.sendmail("sender@remote.test", [ALICE, BOB], MESSAGE) == {}
    # The failed attempt left nothing behind; the retry is there once for each recipient.
    [a], [b] = inbox_messages(store, ALICE), inbox_messages(store, BOB)
    assert a.endswith(MESSAGE) and a == b


def test_store_down_during_submission(mail_system):
    """AUTH needs the store too: a temporary 454 4.7.0 (RFC 4954 §6), not a 535 that would
    make a mail client ask the user for a new password; MAIL as an alias needs a lookup: 451."""
    store, gateway = mail_system
    r = store.api("POST", "/v1/aliases", json={"address": "sales@example.test", "targets": [ALICE]})
    assert r.status_code == 201, r.text
    with smtplib.SMTP_SSL("127.0.0.1", gateway.submissions_port, context=trusting_context(gateway), timeout=30) as smtp:
        smtp.ehlo()
        store.kill()
        smtp.user, smtp.password = ALICE, "secret"
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:  # smtplib raises on any non-235
            smtp.auth("PLAIN", smtp.auth_plain, initial_response_ok=True)
        code, text = refused.value.smtp_code, refused.value.smtp_error
        assert (code, text[:5]) == (454, b"4.7.0"), (code, text)
        assert smtp.noop()[0] == 250
        store.start()
        assert smtp.auth("PLAIN", smtp.auth_plain, initial_response_ok=True)[0] == 235
        store.kill()
        code, text = smtp.mail("sales@example.test")
        assert (code, text[:5]) == (451, b"4.3.0"), (code, text)
        assert smtp.noop()[0] == 250
        store.start()
        assert smtp.sendmail("sales@example.test", [BOB, "carol@other.test"], MESSAGE) == {}
    [stored] = inbox_messages(store, BOB)
    assert stored.endswith(MESSAGE)
    assert [r["address"] for r in queue(store)[0]["recipients"]] == ["carol@other.test"]


def test_gateway_sigkill_in_the_middle_of_data_stores_nothing_and_retry_is_stored_once(mail_system):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        assert s.cmd("MAIL FROM:<sender@remote.test>")[0] == 250
        assert s.cmd("RCPT TO:<alice@example.test>")[0] == 250
        assert s.cmd("RCPT TO:<bob@example.test>")[0] == 250
        assert s.cmd("DATA")[0] == 354
        s.send(MESSAGE[: len(MESSAGE) // 2])
        time.sleep(0.3)  # let the gateway read it
        gateway.kill()
        # Whatever follows, the client never gets a 250 for this message.
        try:
            s.send(MESSAGE[len(MESSAGE) // 2:] + b".\r\n")
            code, text, _ = s.reply()
            pytest.fail(f"a reply from a killed gateway: {code} {text}")
        except (ConnectionError, OSError):
            pass
    assert inbox_messages(store, ALICE) == [] and inbox_messages(store, BOB) == []
    assert queue(store) == []

    gateway.start()
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=30) as smtp:
        assert smtp.sendmail("sender@remote.test", [ALICE, BOB], MESSAGE) == {}
    time.sleep(0.5)  # a late duplicate would have landed by now
    [a], [b] = inbox_messages(store, ALICE), inbox_messages(store, BOB)
    assert a.endswith(MESSAGE) and a == b


def test_gateway_sigkill_between_transactions_then_retry(mail_system):
    """A message that got its 250 before the kill is kept; the one in flight is not stored."""
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        s.cmd("MAIL FROM:<sender@remote.test>")
        s.cmd("RCPT TO:<alice@example.test>")
        assert s.cmd("DATA")[0] == 354
        s.send(b"Subject: first\r\n\r\nacknowledged\r\n.\r\n")
        assert s.reply()[0] == 250
        s.cmd("MAIL FROM:<sender@remote.test>")
        s.cmd("RCPT TO:<alice@example.test>")
        assert s.cmd("DATA")[0] == 354
        s.send(b"Subject: second\r\n\r\nnever finished")
        time.sleep(0.3)
        gateway.kill()
    messages = inbox_messages(store, ALICE)
    assert len(messages) == 1 and messages[0].endswith(b"Subject: first\r\n\r\nacknowledged\r\n")
    gateway.start()
    with socket.create_connection(("127.0.0.1", gateway.mx_port), timeout=10) as s:
        assert s.recv(100).startswith(b"220")
