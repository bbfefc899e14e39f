"""No open relay (RFC 5321 §3.6.2, §7.1): without AUTH the MX port takes mail only for
addresses of our domains. Every spelling of a remote recipient the relay-test tools try is
refused, and nothing reaches the outbound queue or a mailbox."""

import base64
import smtplib

import pytest

from conftest import inbox_messages
from smtp_support import open_session, queue, swaks, trusting_context

ALICE, BOB = "alice@example.test", "bob@example.test"

REMOTE_SPELLINGS = [
    # (recipient as written in RCPT TO:<…>, acceptable refusal codes)
    ("bob@other.test", {554}),
    ("BOB@OTHER.TEST", {554}),
    ("bob@other.test.", {554}),
    ("bob@OTHER.test.", {554}),
    ("bob@[127.0.0.1]", {554}),
    ("bob@[IPv6:::1]", {554}),
    ("bob@[IPv6:::ffff:127.0.0.1]", {554}),
    ("postmaster@other.test", {554}),
    ('"bob"@other.test', {554}),
    ("@example.test:user@other.test", {554}),  # source route: the final domain decides
    ("@example.test,@mx.example.test:user@other.test", {554}),
    ("bob@example.test.other.test", {554}),
    ("bob@other.test@example.test", {501, 553, 554}),
    # Local-part tricks at our own domain: they name no account here (550 5.1.1), and they are
    # never forwarded to the domain hidden inside the local part.
    ("user%other.test@example.test", {550, 554}),
    ("user%other.test%example.test@example.test", {550, 554}),
    ('"user@other.test"@example.test', {550, 554}),
    ('"user@other.test@"@example.test', {550, 554}),
    ("user!other.test@example.test", {550, 554}),
    ("other.test!user@example.test", {550, 554}),
]


def assert_nothing_accepted(store):
    assert queue(store) == [], "a remote recipient reached the outbound queue"
    assert inbox_messages(store, ALICE) == [] and inbox_messages(store, BOB) == []


def test_mx_refuses_every_remote_spelling_without_auth(mail_system):
    """Each spelling on its own connection: MAIL, RCPT (refused), DATA (refused: no valid
    recipient), and the queue is checked after every attempt. All misbehaving spellings are
    reported together."""
    store, gateway = mail_system
    wrong = []
    for recipient, codes in REMOTE_SPELLINGS:
        with open_session(gateway.mx_port) as s:
            s.ehlo("relay-tester.test")
            assert s.cmd("MAIL FROM:<spammer@other.test>")[0] == 250
            code, text = s.cmd(f"RCPT TO:<{recipient}>")
            expected_enhanced = {554: "5.7.1", 550: "5.1.1"}.get(code)
            if code not in codes or (expected_enhanced and not text.startswith(expected_enhanced)):
                wrong.append(f"RCPT TO:<{recipient}> -> {code} {text}")
            # No accepted recipient: DATA is refused, so there is no message to carry anywhere.
            code, text = s.cmd("DATA")
            if code == 354:
                s.send(b"Subject: relay test\r\n\r\nx\r\n.\r\n")
                code, text, _ = s.reply()
                wrong.append(f"DATA after RCPT TO:<{recipient}> was accepted, then {code} {text}")
            elif code not in (503, 554):
                wrong.append(f"DATA after RCPT TO:<{recipient}> -> {code} {text}")
            assert s.cmd("NOOP")[0] == 250
        if queue(store):
            wrong.append(f"queued after RCPT TO:<{recipient}>: {queue(store)}")
    assert wrong == []
    assert_nothing_accepted(store)


def test_mx_refuses_remote_spellings_in_one_session_with_null_sender(mail_system):
    """As one relay-tester session with smtplib: MAIL FROM:<> (a bounce, the classic relay-test
    sender) and RSET between attempts. Nothing is ever queued."""
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        smtp.ehlo()
        for recipient, codes in REMOTE_SPELLINGS[:12]:
            smtp.rset()
            assert smtp.mail("<>")[0] == 250
            # docmd: smtplib's own quoting would rewrite source routes and quoted local parts.
            code, text = smtp.docmd(f"RCPT TO:<{recipient}>")
            assert code in codes, (recipient, code, text)
            assert queue(store) == [], f"queued after RCPT TO:<{recipient}>"
        smtp.rset()
    assert_nothing_accepted(store)


def test_mx_refuses_remote_recipient_after_starttls_without_auth(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        smtp.starttls(context=trusting_context(gateway))
        smtp.ehlo()
        assert not smtp.has_extn("auth")
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            smtp.sendmail("someone@other.test", ["bob@other.test"], b"Subject: relay?\r\n\r\nx\r\n")
        code, text = refused.value.recipients["bob@other.test"]
        assert (code, text[:5]) == (554, b"5.7.1")
    assert_nothing_accepted(store)


def test_swaks_relay_attempt_is_refused(mail_system):
    store, gateway = mail_system
    result = swaks("--server", f"127.0.0.1:{gateway.mx_port}", "--from", "spammer@other.test", "--to", "victim@third.test")
    assert result.returncode != 0
    assert "554 5.7.1" in result.stdout, result.stdout
    assert_nothing_accepted(store)


def test_a_refused_remote_recipient_does_not_ride_along_with_a_local_one(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, timeout=10) as smtp:
        refused = smtp.sendmail("someone@other.test", ["carol@other.test", ALICE, "dave@[127.0.0.1]"],
                                b"Subject: mixed\r\n\r\nx\r\n")
        assert set(refused) == {"carol@other.test", "dave@[127.0.0.1]"}
        assert all(code == 554 for code, _ in refused.values()), refused
    assert queue(store) == []
    assert len(inbox_messages(store, ALICE)) == 1


# --- local recipients --------------------------------------------------------------------------


def test_unknown_local_user_is_refused_with_550_5_1_1(mail_system):
    store, gateway = mail_system
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        assert s.cmd("MAIL FROM:<someone@other.test>")[0] == 250
        code, text = s.cmd("RCPT TO:<nobody@example.test>")
        assert (code, text[:5]) == (550, "5.1.1"), text
        code, text = s.cmd("RCPT TO:<NOBODY@EXAMPLE.TEST.>")
        assert (code, text[:5]) == (550, "5.1.1"), text
    assert_nothing_accepted(store)


@pytest.mark.parametrize("recipient", ["ALICE@EXAMPLE.TEST.", "Alice@Example.Test", "alice@example.test."])
def test_upper_case_and_trailing_dot_local_domain_is_delivered(mail_system, recipient):
    store, gateway = mail_system
    original = b"Subject: case\r\n\r\nx\r\n"
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        assert s.cmd("MAIL FROM:<someone@other.test>")[0] == 250
        code, text = s.cmd(f"RCPT TO:<{recipient}>")
        assert code == 250, (recipient, code, text)
        assert s.cmd("DATA")[0] == 354
        s.send(original + b".\r\n")
        code, text, _ = s.reply()
        assert code == 250, text
    [stored] = inbox_messages(store, ALICE)
    assert stored.endswith(original)
    assert queue(store) == []


# --- AUTH on MX ----------------------------------------------------------------------------------


def test_auth_is_not_offered_on_mx_and_refused(mail_system):
    store, gateway = mail_system
    plain = base64.b64encode(b"\0alice@example.test\0secret").decode()
    with open_session(gateway.mx_port) as s:
        assert not any(l.startswith("AUTH") for l in s.ehlo())
        code, text = s.cmd(f"AUTH PLAIN {plain}")
        assert 500 <= code < 600, (code, text)
        code, text = s.cmd("AUTH LOGIN")
        assert 500 <= code < 600, (code, text)
        # Not authenticated after all: relaying is still refused.
        assert s.cmd("MAIL FROM:<alice@example.test>")[0] == 250
        code, text = s.cmd("RCPT TO:<carol@other.test>")
        assert (code, text[:5]) == (554, "5.7.1"), text
    # Also after STARTTLS on MX.
    with open_session(gateway.mx_port) as s:
        s.ehlo()
        s.starttls(trusting_context(gateway))
        assert not any(l.startswith("AUTH") for l in s.ehlo())
        code, text = s.cmd(f"AUTH PLAIN {plain}")
        assert 500 <= code < 600, (code, text)
        assert s.cmd("MAIL FROM:<alice@example.test>")[0] == 250
        assert s.cmd("RCPT TO:<carol@other.test>")[0] == 554
    assert_nothing_accepted(store)
