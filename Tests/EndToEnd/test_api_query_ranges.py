"""Every numeric query parameter of the store's API is range-checked (issue 11, item 7).

`GET …/raw?offset=9223372036854775807` once answered the message from its first byte: the
offset was clamped to 2^31-1, and SQLite's substr() read its start + 1 as a 32-bit integer,
which wrapped around. Now each numeric parameter is parsed by one helper
(RouteSupport.query(_:_:in:default:)) and a value that is not a decimal number within the
documented range is a 400 with the JSON error body, never a wrap, a clamp or a 500.

Requests go through curl, a client we did not write, with the query exactly as given.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_api_query_ranges.py
"""

import json
import subprocess

import pytest

from conftest import Store

ALICE = "alice@example.test"
MESSAGE = b"From: a@remote.test\r\nTo: alice@example.test\r\nSubject: ranges\r\n\r\n0123456789\r\n"

HUGE = ["9223372036854775807", "9223372036854775808", "18446744073709551616", "99999999999999999999999999"]
NEGATIVE = ["-1", "-9223372036854775808"]
# As they go in the query string: `%2B1` is "+1", `%201` " 1", `%00` a NUL.
NOT_NUMBERS = ["abc", "", "1.5", "1e3", "0x10", "%2B1", "%201", "1%20", "%00", "1%2C2"]


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("ranges") / "data").start()
    store.add_user(ALICE)
    r = store.deliver(MESSAGE, [ALICE])
    assert r.status_code == 200, r.text
    inbox = store.inbox(ALICE)["id"]
    base = f"/v1/accounts/{ALICE}/mailboxes/{inbox}"
    yield store, base
    store.stop()


def curl(store: Store, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes, str]:
    """(status, body, content type) of one request sent by curl, the URL used as given."""
    args = ["curl", "-sS", "--globoff", "-X", method, "-H", f"Authorization: Bearer {store.token}",
            "-o", "-", "-w", "\n%{http_code} %{content_type}"]
    if body is not None:
        args += ["-H", "Content-Type: message/rfc822", "--data-binary", "@-"]
    out = subprocess.run(args + [store.url + path], input=body, capture_output=True, timeout=30, check=True).stdout
    payload, _, trailer = out.rpartition(b"\n")
    status, _, content_type = trailer.decode().partition(" ")
    return int(status), payload, content_type


# (method, path template, parameter, unused, bad values beyond the shared ones)
PARAMETERS = [
    ("GET", "{base}/messages", "after", "", ["4294967296"]),
    ("GET", "{base}/messages", "limit", "", ["0", "10001"]),
    ("GET", "{base}/messages/1/raw", "offset", "", ["2147483648"]),
    ("GET", "{base}/messages/1/raw", "length", "", ["2147483648"]),
    ("GET", f"/v1/accounts/{ALICE}/changes", "since", "", []),
    ("GET", f"/v1/accounts/{ALICE}/changes", "wait", "", ["61"]),
    ("GET", f"/v1/accounts/{ALICE}/changes", "limit", "", ["0", "10001"]),
    # internalDate is a number of seconds (fractions allowed): its own list below.
]
INTERNAL_DATE = HUGE + NEGATIVE + ["abc", "", "%201", "%00", "1%2C2", "32503680000", "nan", "inf", "-inf", "1e400"]

CASES = [
    pytest.param(method, path, name, value, id=f"{name}-{path.rsplit('/', 1)[-1]}-{value or 'empty'}")
    for method, path, name, _, extra in PARAMETERS
    for value in HUGE + NEGATIVE + NOT_NUMBERS + extra
    if not (name == "since" and value == "9223372036854775807")  # the largest MODSEQ: valid
] + [
    pytest.param("POST", "{base}/messages", "internalDate", value, id=f"internalDate-{value or 'empty'}")
    for value in INTERNAL_DATE
]


@pytest.mark.parametrize("method, path, name, value", CASES)
def test_out_of_range_or_malformed_is_a_json_400(ctx, method, path, name, value):
    store, base = ctx
    status, body, content_type = curl(store, method, path.format(base=base) + f"?{name}={value}",
                                      MESSAGE if method == "POST" else None)
    assert status == 400, (status, body[:200])
    assert content_type.startswith("application/json")
    error = json.loads(body)["error"]
    assert error["code"] == "bad-request" and name in error["message"]


def test_the_offset_that_wrapped_around(ctx):
    """The defect as reported: the largest 64-bit offset, and the largest accepted one, must
    not answer the message from its first byte."""
    store, base = ctx
    status, body, _ = curl(store, "GET", f"{base}/messages/1/raw?offset=9223372036854775807")
    assert status == 400 and json.loads(body)["error"]["code"] == "bad-request"
    status, body, _ = curl(store, "GET", f"{base}/messages/1/raw?offset=2147483647&length=10")
    assert (status, body) == (200, b"")
    status, body, _ = curl(store, "GET", f"{base}/messages/1/raw?offset=2147483647")
    assert (status, body) == (200, b"")


def test_the_edges_of_the_ranges_are_accepted(ctx):
    store, base = ctx
    size = len(MESSAGE)
    assert curl(store, "GET", f"{base}/messages/1/raw?offset={size - 4}&length=2")[:2] == (200, b"89")
    assert curl(store, "GET", f"{base}/messages/1/raw?offset={size}")[:2] == (200, b"")
    assert curl(store, "GET", f"{base}/messages/1/raw?offset=0&length=0")[:2] == (200, b"")
    assert curl(store, "GET", f"{base}/messages/1/raw?length=2147483647")[:2] == (200, MESSAGE)
    for query in ("after=4294967295", "after=0", "limit=1", "limit=10000"):
        assert curl(store, "GET", f"{base}/messages?{query}")[0] == 200, query
    for query in ("since=9223372036854775807", "since=0", "wait=0", "limit=1", "limit=10000"):
        assert curl(store, "GET", f"/v1/accounts/{ALICE}/changes?{query}")[0] == 200, query
