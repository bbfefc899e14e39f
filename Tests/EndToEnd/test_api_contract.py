"""Where the store once disagreed with its OpenAPI document (issue 11, item 9), each as a plain
request a client we did not write (requests) sends: schemathesis (test_schemathesis.py) found
these; here each stays fixed without a fuzzer.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_api_contract.py
"""

import base64
import json

import pytest

from conftest import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("contract") / "data").start()
    s.add_user("alice@example.test")
    yield s
    s.stop()


def error_code(r) -> str:
    assert r.headers["Content-Type"].startswith("application/json"), (r.status_code, r.headers, r.text[:200])
    return r.json()["error"]["code"]


@pytest.mark.parametrize("method, path, allowed", [
    ("TRACE", "/v1/domains", "GET, POST"),
    ("PUT", "/v1/domains", "GET, POST"),
    ("GET", "/v1/queue/lease", "POST"),  # not /v1/queue/{id}'s GET: the literal path wins
    ("OPTIONS", "/v1/queue/7", "GET, DELETE"),
    ("DELETE", "/v1/accounts/alice@example.test/mailboxes/1/messages", "GET, POST"),
])
def test_a_method_a_known_path_does_not_take_is_405_with_allow(store, method, path, allowed):
    r = store.api(method, path)
    assert r.status_code == 405 and error_code(r) == "method-not-allowed"
    assert sorted(r.headers["Allow"].split(", ")) == sorted(allowed.split(", "))


def test_an_unknown_path_is_still_404(store):
    r = store.api("TRACE", "/v1/nothing-here")
    assert r.status_code == 404 and error_code(r) == "not-found"


def test_a_null_member_is_refused(store):
    body = {"username": "alice@example.test", "password": "secret", "clientAddress": None}
    r = store.api("POST", "/v1/auth/verify", json=body)
    assert r.status_code == 400 and error_code(r) == "invalid-json"
    assert "clientAddress" in r.json()["error"]["message"]
    # Nested too, and in the envelope header.
    r = store.api("POST", "/v1/aliases", json={"address": "team@example.test", "targets": [None]})
    assert r.status_code == 400 and error_code(r) == "invalid-json"
    envelope = {"sender": "", "recipients": [{"address": "alice@example.test", "notify": None}], "relay": False}
    r = store.api("POST", "/v1/deliveries", data=b"Subject: x\r\n\r\nx\r\n", headers={
        "Content-Type": "message/rfc822",
        "Buzon-Envelope": base64.b64encode(json.dumps(envelope).encode()).decode()})
    assert r.status_code == 400 and error_code(r) == "invalid-json"


def test_members_the_route_does_not_know_are_ignored_even_when_null(store):
    body = {"username": "alice@example.test", "password": "secret", "extra": None, "more": {"x": None}}
    r = store.api("POST", "/v1/auth/verify", json=body)
    assert r.status_code == 200 and r.json()["result"] == "ok"


@pytest.mark.parametrize("size", [100_000, 262_144, 262_145])
def test_a_long_envelope_header_answers_the_json_error(store, size):
    """NIO's own limit (80 KiB) once refused these before any route, with an empty 400."""
    r = store.api("POST", "/v1/deliveries", data=b"Subject: x\r\n\r\nx\r\n",
                  headers={"Content-Type": "message/rfc822", "Buzon-Envelope": "a" * size})
    assert r.status_code == 400 and error_code(r) == "invalid-json"


def test_flags_may_come_one_per_parameter(store):
    inbox = store.inbox("alice@example.test")["id"]
    # %20 is a space; a + is a keyword character (as StoreClient encodes it, not form-style).
    r = store.api("POST", f"/v1/accounts/alice@example.test/mailboxes/{inbox}/messages"
                  "?flags=%5CSeen&flags=%24Forwarded%20a%2Bb",
                  data=b"Subject: f\r\n\r\nx\r\n", headers={"Content-Type": "message/rfc822"})
    assert r.status_code == 201, r.text
    listed = store.api("GET", f"/v1/accounts/alice@example.test/mailboxes/{inbox}/messages").json()["messages"]
    assert sorted(listed[-1]["flags"]) == sorted(["\\Seen", "$Forwarded", "a+b"])


def test_limits_count_characters_as_the_document_does(store):
    """maxLength counts characters; a 200-character worker name of 2-byte letters is valid."""
    r = store.api("POST", "/v1/queue/lease", json={"worker": "é" * 200, "limit": 1, "ttl": 5})
    assert r.status_code == 200, r.text
    r = store.api("POST", "/v1/queue/lease", json={"worker": "é" * 201, "limit": 1, "ttl": 5})
    assert r.status_code == 400 and error_code(r) == "bad-request"
