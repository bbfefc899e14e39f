"""Submission (RFC 6409) with STARTTLS (RFC 3207) on one port and implicit TLS (RFC 8314) on
the other, and AUTH PLAIN/LOGIN (RFC 4954) with clients nobody here wrote: AUTH only after a
real TLS handshake, MAIL only after AUTH, and only as an address the user owns."""

import base64
import smtplib
import socket

import pytest

from conftest import inbox_messages
from smtp_support import RawSMTP, open_session, queue, swaks, trusting_context

ALICE, BOB = "alice@example.test", "bob@example.test"
MESSAGE = b"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: submitted\r\nMessage-ID: <s@x>\r\nDate: Tue, 01 Sep 2026 10:00:00 +0000\r\n\r\nhello\r\n"


def assert_delivered_to_bob(store, count=1, last=MESSAGE):
    messages = inbox_messages(store, BOB)
    assert len(messages) == count, messages
    assert messages[-1].endswith(last)
    assert b" with ESMTPSA " in messages[-1].split(b"\r\n\r\n", 1)[0], messages[-1][:300]


def auth_plain_base64(user: str, password: str, authz: str = "") -> str:
    return base64.b64encode(f"{authz}\0{user}\0{password}".encode()).decode()


# --- STARTTLS then AUTH on submission ----------------------------------------------------------


def test_smtplib_starttls_then_auth_plain(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.submission_port, timeout=10) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls")
        assert not smtp.has_extn("auth"), smtp.esmtp_features
        smtp.starttls(context=trusting_context(gateway))  # verifies the certificate for "localhost"
        smtp.ehlo()
        assert set(smtp.esmtp_features["auth"].upper().split()) >= {"PLAIN", "LOGIN"}
        assert not smtp.has_extn("starttls")
        smtp.user, smtp.password = ALICE, "secret"
        code, text = smtp.auth("PLAIN", smtp.auth_plain, initial_response_ok=True)
        assert (code, text[:5]) == (235, b"2.7.0")
        assert smtp.sendmail(ALICE, [BOB], MESSAGE) == {}
    assert_delivered_to_bob(store)


def test_smtplib_starttls_then_auth_plain_with_empty_challenge(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.submission_port, timeout=10) as smtp:
        smtp.starttls(context=trusting_context(gateway))
        smtp.ehlo()
        smtp.user, smtp.password = ALICE, "secret"
        code, _ = smtp.auth("PLAIN", smtp.auth_plain, initial_response_ok=False)  # AUTH PLAIN, 334, response
        assert code == 235
        assert smtp.sendmail(ALICE, [BOB], MESSAGE) == {}
    assert_delivered_to_bob(store)


def test_smtplib_starttls_then_auth_login(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP("127.0.0.1", gateway.submission_port, timeout=10) as smtp:
        smtp.starttls(context=trusting_context(gateway))
        smtp.ehlo()
        smtp.user, smtp.password = ALICE, "secret"
        code, _ = smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)
        assert code == 235
        assert smtp.sendmail(ALICE, [BOB], MESSAGE) == {}
    assert_delivered_to_bob(store)


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_swaks_starttls_then_auth(mail_system, mechanism, tmp_path):
    store, gateway = mail_system
    path = tmp_path / "m.eml"
    path.write_bytes(MESSAGE[:-2])  # swaks adds CRLF . CRLF
    result = swaks("--server", f"127.0.0.1:{gateway.submission_port}", "-tls", "--tls-verify", "--tls-ca-path", str(gateway.cert),
                   "--tls-sni", "localhost", "--auth", mechanism, "--auth-user", ALICE, "--auth-password", "secret",
                   "--from", ALICE, "--to", BOB, "--data", f"@{path}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "235 2.7.0" in result.stdout
    assert_delivered_to_bob(store)


# --- implicit TLS (465) ----------------------------------------------------------------------------


def test_smtplib_implicit_tls_auth_plain_and_login(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP_SSL("127.0.0.1", gateway.submissions_port, context=trusting_context(gateway), timeout=10) as smtp:
        smtp.ehlo()
        assert not smtp.has_extn("starttls")
        assert set(smtp.esmtp_features["auth"].upper().split()) >= {"PLAIN", "LOGIN"}
        smtp.login(ALICE, "secret")
        assert smtp.sendmail(ALICE, [BOB], MESSAGE) == {}
    with smtplib.SMTP_SSL("127.0.0.1", gateway.submissions_port, context=trusting_context(gateway), timeout=10) as smtp:
        smtp.ehlo()
        smtp.user, smtp.password = ALICE, "secret"
        assert smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)[0] == 235
        # Another message: the same one again would be taken for a resend and stored once (ResendDigest).
        second = MESSAGE.replace(b"Message-ID: <s@x>", b"Message-ID: <s2@x>")
        assert smtp.sendmail(ALICE, [BOB], second) == {}
    assert_delivered_to_bob(store, count=2, last=second)


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_swaks_implicit_tls_auth(mail_system, mechanism, tmp_path):
    store, gateway = mail_system
    path = tmp_path / "m.eml"
    path.write_bytes(MESSAGE[:-2])
    result = swaks("--server", f"127.0.0.1:{gateway.submissions_port}", "-tlsc", "--tls-verify", "--tls-ca-path", str(gateway.cert),
                   "--tls-sni", "localhost", "--auth", mechanism, "--auth-user", ALICE, "--auth-password", "secret",
                   "--from", ALICE, "--to", BOB, "--data", f"@{path}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "235 2.7.0" in result.stdout
    assert_delivered_to_bob(store)


def test_implicit_tls_port_does_not_speak_plaintext(mail_system):
    _, gateway = mail_system
    with socket.create_connection(("127.0.0.1", gateway.submissions_port), timeout=5) as s:
        s.sendall(b"EHLO client.test\r\n")
        s.settimeout(5)
        try:
            data = s.recv(1000)
        except (ConnectionResetError, socket.timeout):
            data = b""
        assert not data.startswith(b"2"), data  # no SMTP greeting or reply in the clear


# --- refusals before TLS / before AUTH -----------------------------------------------------------


def test_auth_refused_before_tls_on_submission(mail_system):
    store, gateway = mail_system
    with open_session(gateway.submission_port) as s:
        features = s.ehlo()
        assert "STARTTLS" in features
        assert not any(f.startswith("AUTH") for f in features), features
        code, text = s.cmd(f"AUTH PLAIN {auth_plain_base64(ALICE, 'secret')}")
        assert (code, text[:5]) == (530, "5.7.0"), (code, text)
        code, text = s.cmd("AUTH LOGIN")
        assert (code, text[:5]) == (530, "5.7.0"), (code, text)
        # And mail cannot be submitted in the clear either.
        code, text = s.cmd("MAIL FROM:<alice@example.test>")
        assert (code, text[:5]) == (530, "5.7.0"), (code, text)
        assert s.cmd("NOOP")[0] == 250
    with smtplib.SMTP("127.0.0.1", gateway.submission_port, timeout=10) as smtp:
        with pytest.raises(smtplib.SMTPNotSupportedError):
            smtp.login(ALICE, "secret")  # smtplib itself sees no AUTH offered
    assert inbox_messages(store, BOB) == []


def test_mail_before_auth_on_submission_is_refused(mail_system):
    store, gateway = mail_system
    for port, context in ((gateway.submission_port, None), (gateway.submissions_port, trusting_context(gateway))):
        with RawSMTP(port, tls_context=context) as s:
            assert s.greeting()[0] == 220
            s.ehlo()
            if context is None:
                s.starttls(trusting_context(gateway))
                s.ehlo()
            code, text = s.cmd("MAIL FROM:<alice@example.test>")
            assert (code, text[:5]) == (530, "5.7.0"), (port, code, text)
            code, text = s.cmd("RCPT TO:<bob@example.test>")
            assert code in (503, 530), (port, code, text)
            code, text = s.cmd("DATA")
            assert code in (503, 530, 554), (port, code, text)
    assert inbox_messages(store, BOB) == [] and queue(store) == []


def test_wrong_password_is_refused_with_535_5_7_8(mail_system):
    store, gateway = mail_system
    with open_session(gateway.submission_port) as s:
        s.ehlo()
        s.starttls(trusting_context(gateway))
        s.ehlo()
        code, text = s.cmd(f"AUTH PLAIN {auth_plain_base64(ALICE, 'wrong')}")
        assert (code, text[:5]) == (535, "5.7.8"), (code, text)
        # LOGIN with a wrong password, step by step.
        assert s.cmd("AUTH LOGIN")[0] == 334
        assert s.cmd(base64.b64encode(ALICE.encode()))[0] == 334
        code, text = s.cmd(base64.b64encode(b"also wrong"))
        assert (code, text[:5]) == (535, "5.7.8"), (code, text)
        # An unknown user looks the same as a wrong password.
        code, text = s.cmd(f"AUTH PLAIN {auth_plain_base64('nobody@example.test', 'secret')}")
        assert code in (535, 421), (code, text)  # the third failure may end the connection
    with smtplib.SMTP("127.0.0.1", gateway.submission_port, timeout=10) as smtp:
        smtp.starttls(context=trusting_context(gateway))
        with pytest.raises(smtplib.SMTPAuthenticationError) as e:
            smtp.login(BOB, "not-bobs")
        assert e.value.smtp_code == 535
        # The connection is still usable and the right password works.
        smtp.login(BOB, "secret")
        assert smtp.sendmail(BOB, [ALICE], MESSAGE) == {}
    assert len(inbox_messages(store, ALICE)) == 1


def test_auth_as_someone_else_via_authorization_identity_is_refused(mail_system):
    store, gateway = mail_system
    with open_session(gateway.submissions_port, tls_context=trusting_context(gateway)) as s:
        s.ehlo()
        code, text = s.cmd(f"AUTH PLAIN {auth_plain_base64(ALICE, 'secret', authz=BOB)}")
        assert code == 535, (code, text)
        code, text = s.cmd(f"AUTH PLAIN {auth_plain_base64(ALICE, 'secret')}")
        assert code == 235, (code, text)
        code, text = s.cmd(f"AUTH PLAIN {auth_plain_base64(ALICE, 'secret')}")
        assert code == 503, (code, text)  # RFC 4954 §4: no AUTH after a successful AUTH


# --- sender ownership --------------------------------------------------------------------------------


def test_sender_must_be_owned_by_the_user(mail_system):
    store, gateway = mail_system
    r = store.api("POST", "/v1/aliases", json={"address": "sales@example.test", "targets": [ALICE]})
    assert r.status_code == 201, r.text
    r = store.api("POST", "/v1/aliases", json={"address": "bobs-alias@example.test", "targets": [BOB]})
    assert r.status_code == 201, r.text
    with smtplib.SMTP_SSL("127.0.0.1", gateway.submissions_port, context=trusting_context(gateway), timeout=10) as smtp:
        smtp.login(ALICE, "secret")
        for sender in ["bob@example.test", "BOB@example.test", "bobs-alias@example.test", "carol@other.test",
                       "alice@other.test", "nobody@example.test"]:
            code, text = smtp.mail(sender)
            assert (code, text[:5]) == (553, b"5.7.1"), (sender, code, text)
            smtp.rset()
        for sender in [ALICE, "Alice@Example.Test", "sales@example.test"]:
            code, text = smtp.mail(sender)
            assert code == 250, (sender, code, text)
            assert smtp.rcpt(BOB)[0] == 250
            code, text = smtp.data(MESSAGE)
            assert code == 250, (sender, code, text)
    assert len(inbox_messages(store, BOB)) == 3


def test_authenticated_user_may_send_to_a_remote_address(mail_system):
    store, gateway = mail_system
    with smtplib.SMTP_SSL("127.0.0.1", gateway.submissions_port, context=trusting_context(gateway), timeout=10) as smtp:
        smtp.login(ALICE, "secret")
        assert smtp.sendmail(ALICE, ["carol@other.test", "dave@[192.0.2.1]"], MESSAGE) == {}
    [entry] = queue(store)
    assert entry["sender"] == ALICE
    assert sorted(r["address"] for r in entry["recipients"]) == ["carol@other.test", "dave@[192.0.2.1]"]


# --- STARTTLS command injection (CVE-2011-0411 class) --------------------------------------------------


@pytest.mark.parametrize("listener", ["submission", "mx"])
def test_commands_injected_after_starttls_are_discarded(mail_system, listener):
    store, gateway = mail_system
    port = gateway.submission_port if listener == "submission" else gateway.mx_port
    with open_session(port) as s:
        s.ehlo()
        # Before TLS on MX, start a transaction the injected commands could ride on.
        s.send(b"STARTTLS\r\nRSET\r\nMAIL FROM:<injected@other.test>\r\n")
        code, text, _ = s.reply()
        assert code == 220, (code, text)
        # Nothing else may have come in the clear: the injected commands got no reply.
        assert s.buffer == b"", s.buffer
        s.sock.settimeout(0.5)
        try:
            early = s.sock.recv(100, socket.MSG_PEEK)
        except (socket.timeout, BlockingIOError):
            early = b""
        assert early[:1] != b"2" and early[:1] != b"5", f"plaintext reply after 220: {early!r}"
        s.sock.settimeout(10)
        s.sock = trusting_context(gateway).wrap_socket(s.sock, server_hostname="localhost")
        s.send(b"EHLO client.test\r\n")
        code, text, lines = s.reply()
        assert code == 250 and "Hello" in lines[0], f"first reply after TLS is not EHLO's: {lines}"
        if listener == "mx":
            # The injected MAIL did not open a transaction: a new MAIL is not "nested".
            code, text = s.cmd("MAIL FROM:<real@other.test>")
            assert code == 250, (code, text)
        assert s.cmd("NOOP")[0] == 250
