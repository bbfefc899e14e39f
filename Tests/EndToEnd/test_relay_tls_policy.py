"""`BUZON_RELAY_TLS_VERIFY`: for the domains it names, the relay delivers only over STARTTLS
with a certificate it can verify; elsewhere TLS is opportunistic."""

import base64
import json
import subprocess
import time

from conftest import Gateway, Relay, Store, make_certificate


def queue_for(store: Store, recipient: str) -> int:
    envelope = {"sender": "alice@a.test", "recipients": [{"address": recipient}], "relay": True}
    r = store.api("POST", "/v1/deliveries", data=b"Subject: tls policy\r\n\r\nhello\r\n",
                  headers={"Content-Type": "message/rfc822",
                           "Buzon-Envelope": base64.b64encode(json.dumps(envelope).encode()).decode()})
    assert r.status_code == 200, r.text
    return r.json()["queueID"]


def wait_until(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_verified_tls_is_required_only_where_configured(tmp_path):
    # The destination: a Buzón stack for b.test whose MX offers STARTTLS with its certificate.
    b = Store(tmp_path / "b" / "data").start()
    b.add_user("bob@b.test")
    gateway = Gateway(b, tmp_path / "b").start()
    # The sender's store, and a certificate the destination does not have.
    a = Store(tmp_path / "a" / "data").start()
    a.add_user("alice@a.test")
    stranger, _ = make_certificate(tmp_path / "other")
    relays = []
    try:
        route = f"b.test=127.0.0.1:{gateway.mx_port}"
        # 1. Verification against the right CA: delivered, over TLS.
        good = Relay(a, tmp_path / "a", env={"BUZON_RELAY_ROUTES": route, "BUZON_RELAY_TLS_VERIFY": "b.test",
                                             "BUZON_RELAY_CA_FILE": str(gateway.cert)}).start()
        relays.append(good)
        queue_for(a, "bob@b.test")
        wait_until(lambda: b.inbox("bob@b.test")["messages"] == 1, 20, "the verified delivery")
        inbox = b.inbox("bob@b.test")
        uid = b.api("GET", f"/v1/accounts/bob@b.test/mailboxes/{inbox['id']}/messages").json()["messages"][0]["uid"]
        raw = b.api("GET", f"/v1/accounts/bob@b.test/mailboxes/{inbox['id']}/messages/{uid}/raw").content
        assert b" with ESMTPS id " in raw, "the relay must have used STARTTLS"
        good.stop()

        # 2. A certificate that does not verify: not delivered, deferred as temporary, no bounce.
        bad = Relay(a, tmp_path / "a", env={"BUZON_RELAY_ROUTES": route, "BUZON_RELAY_TLS_VERIFY": "*.test,b.test",
                                            "BUZON_RELAY_CA_FILE": str(stranger), "BUZON_RETRY_INTERVAL": "3600"}).start()
        relays.append(bad)
        id = queue_for(a, "bob@b.test")
        entry = wait_until(lambda: (e := a.api("GET", f"/v1/queue/{id}").json())["attempts"] >= 1 and e, 20, "the refused attempt")
        assert entry["state"] == "deferred"
        assert "TLS" in (entry["lastError"] or ""), entry
        assert "/" not in (entry["lastError"] or "").split("TLS", 1)[1], "no build paths from the TLS library"
        assert b.inbox("bob@b.test")["messages"] == 1
        assert a.inbox("alice@a.test")["messages"] == 0, "a temporary failure sends no notice"
        bad.stop()

        # 3. Without the policy the same certificate is fine: opportunistic TLS delivers.
        lax = Relay(a, tmp_path / "a", env={"BUZON_RELAY_ROUTES": route, "BUZON_RELAY_CA_FILE": str(stranger)}).start()
        relays.append(lax)
        a.api("POST", "/v1/queue/retry")
        wait_until(lambda: b.inbox("bob@b.test")["messages"] == 2, 20, "the opportunistic delivery")
    finally:
        for relay in relays:
            relay.stop()
        gateway.stop()
        a.stop()
        b.stop()
