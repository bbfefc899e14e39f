"""Account setup for other mail clients, served by the webmail: Thunderbird's autoconfig (both
addresses it tries), Outlook's autodiscover and an Apple configuration profile, each read with
a parser nobody here wrote (the standard library's XML parser and plistlib) and checked for what
a client would use: our host name, the client ports, the user's address as login, no password;
an address that is not one is never echoed.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_webmail_client_setup.py
"""

from __future__ import annotations

import plistlib
import xml.etree.ElementTree as ET

import pytest
import requests

from conftest import webmail_stack
from imap_support import ALICE
from test_webmail import login

PORTS = {"BUZON_CLIENT_IMAPS_PORT": "10993", "BUZON_CLIENT_POP3S_PORT": "10995",
         "BUZON_CLIENT_SUBMISSIONS_PORT": "10465", "BUZON_CLIENT_SUBMISSION_PORT": "10587",
         "BUZON_HOSTNAME": "mail.example.test"}
AUTODISCOVER = """<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request><EMailAddress>{address}</EMailAddress>
  <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request></Autodiscover>"""


@pytest.fixture
def setup_system(tmp_path, monkeypatch):
    for key, value in PORTS.items():
        monkeypatch.setenv(key, value)
    yield from webmail_stack(tmp_path)


def test_thunderbird_autoconfig(setup_system):
    store, smtp, imap, webmail = setup_system
    for path in ("/.well-known/autoconfig/mail/config-v1.1.xml", "/mail/config-v1.1.xml"):
        r = requests.get(webmail.url + path, params={"emailaddress": ALICE}, timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/xml"), (path, r.headers)
        root = ET.fromstring(r.content)
        provider = root.find("emailProvider")
        assert root.tag == "clientConfig" and provider.get("id") == "example.test" and provider.findtext("domain") == "example.test"
        servers = {(s.get("type"), s.findtext("port")): s for s in provider.iter() if s.tag in ("incomingServer", "outgoingServer")}
        assert set(servers) == {("imap", "10993"), ("pop3", "10995"), ("smtp", "10465"), ("smtp", "10587")}, servers
        for server in servers.values():
            assert server.findtext("hostname") == "mail.example.test"
            assert server.findtext("username") == "%EMAILADDRESS%"
            assert server.findtext("socketType") in ("SSL", "STARTTLS")
        assert b"password" not in r.content.replace(b"password-cleartext", b"")

    # Not an address: not echoed, the host's own name instead.
    r = requests.get(webmail.url + "/mail/config-v1.1.xml", params={"emailaddress": "<x>@\"evil"}, timeout=10)
    assert r.status_code == 200 and b"evil" not in r.content
    assert ET.fromstring(r.content).find("emailProvider").get("id") == "mail.example.test"


def test_outlook_autodiscover(setup_system):
    store, smtp, imap, webmail = setup_system
    r = requests.post(webmail.url + "/autodiscover/autodiscover.xml", data=AUTODISCOVER.format(address=ALICE),
                      headers={"Content-Type": "text/xml"}, timeout=10)
    assert r.status_code == 200, r.text
    ns = {"a": "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"}
    protocols = {p.findtext("a:Type", namespaces=ns): p for p in ET.fromstring(r.content).iterfind(".//a:Protocol", ns)}
    assert set(protocols) == {"IMAP", "SMTP"}
    assert protocols["IMAP"].findtext("a:Port", namespaces=ns) == "10993"
    assert protocols["SMTP"].findtext("a:Port", namespaces=ns) == "10465"
    for protocol in protocols.values():
        assert protocol.findtext("a:Server", namespaces=ns) == "mail.example.test"
        assert protocol.findtext("a:LoginName", namespaces=ns) == ALICE
    bad = requests.post(webmail.url + "/autodiscover/autodiscover.xml", data=AUTODISCOVER.format(address="<script>"), timeout=10)
    assert bad.status_code == 400 and b"<script>" not in bad.content


def test_apple_profile_for_the_logged_in_user(setup_system):
    store, smtp, imap, webmail = setup_system
    assert requests.get(webmail.url + "/settings/mobileconfig", allow_redirects=False, timeout=10).status_code == 303
    browser = login(webmail)
    r = browser.get(webmail.url + "/settings/mobileconfig", allow_redirects=False, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/x-apple-aspen-config"
    assert r.headers["Content-Disposition"].startswith("attachment")
    profile = plistlib.loads(r.content)
    [account] = profile["PayloadContent"]
    assert profile["PayloadType"] == "Configuration" and account["PayloadType"] == "com.apple.mail.managed"
    assert account["EmailAddress"] == ALICE and account["IncomingMailServerUsername"] == ALICE
    assert account["IncomingMailServerHostName"] == "mail.example.test" and account["IncomingMailServerPortNumber"] == 10993
    assert account["OutgoingMailServerPortNumber"] == 10465 and account["IncomingMailServerUseSSL"] is True
    assert not any("Password" in key and key != "OutgoingPasswordSameAsIncomingPassword" for key in account), account


def test_plain_http_goes_to_https_when_tls_is_set_up(tmp_path):
    """The default for a webmail with a certificate: every page over HTTP is a permanent
    redirect to the same address over HTTPS (no password, no cookie in the clear), account
    setup excepted; HTTPS answers carry Strict-Transport-Security (RFC 6797)."""
    from conftest import Store, Webmail
    store = Store(tmp_path / "data").start()
    webmail = None
    try:
        store.add_user(ALICE)
        webmail = Webmail(store, tmp_path, env={"BUZON_WEBMAIL_PLAIN_HTTP": "redirect"}).start()
        for method, path in (("GET", "/login"), ("POST", "/login"), ("GET", "/mail/1?page=2"), ("GET", "/")):
            r = requests.request(method, webmail.url + path, allow_redirects=False, timeout=10)
            assert r.status_code == 308, (method, path, r.status_code)
            assert r.headers["Location"] == f"https://127.0.0.1:{webmail.tls_port}{path}", r.headers
            assert "buzon_login" not in r.headers.get("Set-Cookie", "")
        r = requests.get(webmail.url + "/mail/config-v1.1.xml", params={"emailaddress": ALICE}, timeout=10)
        assert r.status_code == 200 and b"clientConfig" in r.content
        r = requests.get(webmail.tls_url + "/login", verify=str(webmail.cert), timeout=10)
        assert r.status_code == 200 and r.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        if webmail:
            webmail.stop()
        store.stop()
