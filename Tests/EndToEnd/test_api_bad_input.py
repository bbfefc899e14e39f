"""Bad input to the mailbox-store's internal API: every case is a clear 4xx with the JSON error
body `{"error": {"code", "message"}}`, nothing is stored, and the store keeps serving.

One store serves the whole module (a domain, two users, an alias, a message in each INBOX, an
extra mailbox). Before each case the observable state is snapshotted (domains, users, aliases,
every mailbox of both users with counts, UIDNEXT and HIGHESTMODSEQ, and the row counts of the
content and idempotency tables); after it, /healthz must answer 200, a normal call must work and
the snapshot must be unchanged. The last test compares the end state with the start.

Requests go out through http.client so that the path, the headers and the body are exactly what
the case says (no re-quoting, no added headers); addresses in paths are percent-encoded the way
StoreClient encodes them.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_api_bad_input.py
"""

from __future__ import annotations

import base64
import http.client
import json
import sqlite3
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from conftest import Store

DOMAIN = "example.test"
ALICE = "alice@example.test"
BOB = "bob@example.test"
ALIAS = "team@example.test"
PASSWORD = "secret"
MESSAGE = (b"From: Sender <sender@remote.test>\r\nTo: alice@example.test\r\nSubject: hello\r\n"
           b"Message-ID: <bad-input-1@remote.test>\r\n\r\nBody line.\r\n")

MiB = 1024 * 1024


# --- transport ------------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def raw_request(store: Store, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, timeout: float = 30) -> Reply:
    """One request on a fresh connection, sent exactly as given."""
    conn = http.client.HTTPConnection("127.0.0.1", store.port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body or b"")))
        conn.endheaders()
        if body:
            try:
                conn.send(body)
            except (BrokenPipeError, ConnectionResetError):
                # The server may answer (413) and close before it has read everything.
                pass
        resp = conn.getresponse()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


def seg(address: str) -> str:
    """A path segment as StoreClient.segment writes it (alphanumerics and -._~@+ stay)."""
    return quote(address, safe="-._~@+")


def q(value: str) -> str:
    """A query value, percent-encoded (space as %20, never '+')."""
    return quote(value, safe="")


def assert_error(reply: Reply, status, code) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert reply.status in statuses, f"expected {statuses}, got {reply.status}: {reply.body[:500]!r}"
    assert 400 <= reply.status < 500
    assert reply.headers.get("content-type", "").startswith("application/json"), reply.headers
    body = reply.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    err = body["error"]
    assert isinstance(err.get("code"), str) and err["code"], body
    assert isinstance(err.get("message"), str) and err["message"], body
    if code is not None:
        codes = code if isinstance(code, tuple) else (code,)
        assert err["code"] in codes, f"expected code {codes}, got {body}"
    return err


# --- the module's store ---------------------------------------------------------------------

class Ctx:
    def __init__(self, store: Store):
        self.store = store
        self.ids: dict[str, object] = {}

    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.store.token}"}

    def call(self, method: str, path: str, json_body=None, body: bytes | None = None, headers: dict | None = None) -> Reply:
        h = self.auth()
        if json_body is not None:
            body = json.dumps(json_body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        return raw_request(self.store, method, path, body=body, headers=h)

    def mailbox_ids(self, account: str) -> dict[str, int]:
        r = self.call("GET", f"/v1/accounts/{seg(account)}/mailboxes")
        assert r.status == 200, r.body
        return {m["name"]: m["id"] for m in r.json()["mailboxes"]}

    def login_ok(self, address: str, password: str) -> bool:
        r = self.call("POST", "/v1/auth/verify", {"username": address, "password": password, "service": "test"})
        assert r.status == 200, r.body
        return r.json()["result"] == "ok"

    def snapshot(self) -> dict:
        def get(path):
            r = self.call("GET", path)
            assert r.status == 200, (path, r.status, r.body)
            return r.json()

        snap = {
            "domains": get("/v1/domains")["domains"],
            "users": sorted((u["address"], u["createdAt"]) for u in get("/v1/users")["users"]),
            "aliases": get("/v1/aliases")["aliases"],
        }
        for account in (ALICE, BOB):
            boxes = get(f"/v1/accounts/{seg(account)}/mailboxes")["mailboxes"]
            snap[account] = sorted(
                (m["id"], m["name"], m.get("specialUse"), m["subscribed"], m["messages"], m["unseen"], m["size"],
                 m["uidValidity"], m["uidNext"], m["highestModSeq"]) for m in boxes)
            inbox = next(m for m in boxes if m["name"] == "INBOX")
            msgs = get(f"/v1/accounts/{seg(account)}/mailboxes/{inbox['id']}/messages")["messages"]
            snap[account + "/INBOX"] = [(m["uid"], sorted(m["flags"]), m["modSeq"]) for m in msgs]
        # Rows a failed request must not leave behind (orphan contents, remembered keys).
        db = sqlite3.connect(f"file:{self.store.data_dir / 'store.sqlite'}?mode=ro", uri=True, timeout=10)
        try:
            for table in ("contents", "idempotency", "accounts", "mailboxes", "mailbox_messages"):
                snap["rows/" + table] = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        finally:
            db.close()
        return snap

    def assert_serving(self) -> None:
        assert self.store.proc is not None and self.store.proc.poll() is None, "mailbox-store exited"
        r = raw_request(self.store, "GET", "/healthz")
        assert r.status == 200, r
        r = self.call("GET", "/v1/domains")
        assert r.status == 200 and DOMAIN in [d["name"] for d in r.json()["domains"]], r.body


def _populate(c: Ctx) -> None:
    store = c.store
    for address in (ALICE, BOB):
        store.add_user(address, PASSWORD)
    assert c.call("POST", "/v1/aliases", {"address": ALIAS, "targets": [ALICE]}).status == 201
    assert c.call("POST", f"/v1/accounts/{seg(ALICE)}/mailboxes", {"name": "Projects"}).status == 201
    r = c.call("POST", f"/v1/deliveries?recipient={q(ALICE)}&recipient={q(BOB)}", body=MESSAGE,
               headers={"Content-Type": "message/rfc822", "Idempotency-Key": "setup-1"})
    assert r.status == 200, r.body
    alice, bob = c.mailbox_ids(ALICE), c.mailbox_ids(BOB)
    c.ids = {
        "alice": seg(ALICE), "bob": seg(BOB),
        "inbox": alice["INBOX"], "projects": alice["Projects"], "trash": alice["Trash"],
        "bob_inbox": bob["INBOX"], "bob_junk": bob["Junk"],
    }
    c.baseline = c.snapshot()
    assert len(c.baseline[ALICE + "/INBOX"]) == 1 and len(c.baseline[BOB + "/INBOX"]) == 1


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    """The module's store. A case that changes it (a bug) gets it replaced by a fresh one, so
    that one bug fails one case and not every case after it; `resets` counts those."""
    c = Ctx(Store(tmp_path_factory.mktemp("bad-input") / "data").start())
    c.resets = 0

    def reset():
        c.store.stop()
        c.store = Store(tmp_path_factory.mktemp("bad-input") / "data").start()
        c.resets += 1
        _populate(c)

    c.reset = reset
    try:
        _populate(c)
        yield c
    finally:
        c.store.stop()


# --- cases ----------------------------------------------------------------------------------

_NO_BODY = object()


@dataclass
class Case:
    id: str
    method: str
    path: str                       # `{inbox}`, `{alice}`… are filled in from Ctx.ids
    status: int | tuple
    code: str | tuple | None
    json: object = _NO_BODY         # encoded with json.dumps
    body: bytes | None = None       # sent as is
    content_type: str | None = None
    auth: str | None = "good"       # "good", None (no header), or the literal header value
    check_password: bool = False    # alice's password must still be PASSWORD afterwards

    def param(self):
        return pytest.param(self, id=self.id)


FLAGS_OK = {"uids": "1", "operation": "add", "flags": ["\\Seen"]}
ALICE_BOXES = "/v1/accounts/{alice}/mailboxes"
INBOX = ALICE_BOXES + "/{inbox}"

CASES: list[Case] = []


def add(*cases: Case):
    CASES.extend(cases)


# Authentication: every /v1 route wants exactly `Bearer <token>`.
AUTH_ROUTES = [
    ("GET", "/v1/domains", None),
    ("GET", "/v1/users", None),
    ("POST", "/v1/domains", {"name": "evil.test"}),
    ("POST", "/v1/users", {"address": "evil@example.test", "password": "pw"}),
    ("DELETE", "/v1/users/{alice}", None),
    ("POST", "/v1/aliases", {"address": "evil@example.test", "targets": [ALICE]}),
    ("POST", "/v1/auth/verify", {"username": ALICE, "password": PASSWORD}),
    ("GET", "/v1/recipients/{alice}", None),
    ("GET", ALICE_BOXES, None),
    ("POST", INBOX + "/expunge", {"onlyDeleted": False}),
    ("GET", "/v1/nope", None),
]
AUTH_VARIANTS = {
    "missing": None,
    "wrong": "Bearer 0123456789abcdef0123456789abcdef",
    "bearer-empty": "Bearer ",
    "bearer-only": "Bearer",
    "basic-scheme": "TOKEN:Basic",
    "basic-userpass": "TOKEN:BasicUserPass",
    "token-scheme": "TOKEN:Token",
    "bare-token": "TOKEN:Bare",
    "prefix": "TOKEN:Prefix",
    "short-prefix": "TOKEN:ShortPrefix",
    "extended": "TOKEN:Extended",
}
for _method, _path, _json in AUTH_ROUTES:
    for _name, _auth in AUTH_VARIANTS.items():
        add(Case(f"auth-{_name}-{_method}-{_path}", _method, _path, 401, "unauthorized",
                 json=_json if _json is not None else _NO_BODY, auth=_auth))
add(Case("auth-missing-POST-deliveries", "POST", "/v1/deliveries?recipient=" + q(ALICE), 401, "unauthorized",
         body=MESSAGE, content_type="message/rfc822", auth=None))
# A path the router normalises (leading `//`) must not slip past the token check.
add(
    Case("auth-bypass-GET-//v1/domains", "GET", "//v1/domains", (401, 404), None, auth=None),
    Case("auth-bypass-GET-//v1/users", "GET", "//v1/users", (401, 404), None, auth=None),
    Case("auth-bypass-POST-//v1/domains", "POST", "//v1/domains", (401, 404), None, json={"name": "evil.test"}, auth=None),
    Case("auth-bypass-POST-///v1/users", "POST", "///v1/users", (401, 404), None,
         json={"address": "evil@example.test", "password": "pw"}, auth=None),
    Case("auth-bypass-DELETE-//v1/users/alice", "DELETE", "//v1/users/{alice}", (401, 404), None, auth=None),
)

# Malformed JSON bodies.
JSON_ROUTES = {
    "domains": ("POST", "/v1/domains", {"name": 5}),
    "users": ("POST", "/v1/users", {"address": "new@example.test", "password": 123}),
    "aliases": ("POST", "/v1/aliases", {"address": "new@example.test", "targets": ALICE}),
    "auth-verify": ("POST", "/v1/auth/verify", {"username": 1, "password": []}),
    "mailbox-create": ("POST", ALICE_BOXES, {"name": ["New"]}),
    "mailbox-rename": ("PATCH", ALICE_BOXES + "/{projects}", {"name": 7}),
    "flags": ("POST", INBOX + "/flags", {"uids": 1, "operation": "add", "flags": "\\Seen"}),
    "flags-operation": ("POST", INBOX + "/flags", {"uids": "1", "operation": "explode", "flags": ["\\Seen"]}),
    "expunge": ("POST", INBOX + "/expunge", {"uids": "1", "onlyDeleted": "no"}),
    "copy": ("POST", INBOX + "/copy", {"uids": "1", "targetMailboxID": "trash", "move": True}),
    "password": ("PUT", "/v1/users/{alice}/password", {"password": None}),
}
BAD_BODIES = {
    "truncated": b'{"name": "x.test", "address": "new@example.test", "password": "pw", "targets": ["a@example.test"',
    "not-object-array": b"[]",
    "not-object-string": b'"new.test"',
    "not-object-number": b"42",
    "null": b"null",
    "empty": b"",
    "binary": b"\xff\xfe\x00\x01\x02garbage\x80\x81",
    "invalid-utf8-in-string": b'{"name": "\xff\xfe.test", "address": "\xff@example.test", "password": "\xff"}',
    "trailing-garbage": b'{"name": "x.test"} trailing',
    "single-quotes": b"{'name': 'x.test'}",
    "deeply-nested": b"[" * 100_000 + b"]" * 100_000,
    "deeply-nested-value": b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}
for _route, (_method, _path, _wrong) in JSON_ROUTES.items():
    add(Case(f"json-wrong-types-{_route}", _method, _path, 400, "invalid-json", json=_wrong, check_password=True))
    for _name, _body in BAD_BODIES.items():
        add(Case(f"json-{_name}-{_route}", _method, _path, 400, "invalid-json", body=_body,
                 content_type="application/json", check_password=True))

# Unknown routes and wrong methods.
for _method, _path in [
    ("GET", "/v1/nope"), ("POST", "/v1/nope"), ("GET", "/v2/domains"), ("GET", "/v1/domains/x/y/z"),
    ("GET", "/v1/"), ("GET", "/v1"), ("GET", "/V1/domains"), ("GET", INBOX + "/messages/1"),
    ("DELETE", "/v1/domains"), ("PUT", "/v1/domains"), ("PATCH", "/v1/users"), ("POST", "/v1/users/{alice}"),
    ("GET", "/v1/auth/verify"), ("GET", "/v1/deliveries"), ("PUT", ALICE_BOXES), ("DELETE", INBOX + "/messages"),
    ("PUT", INBOX + "/flags"), ("TRACE", "/v1/domains"),
]:
    add(Case(f"route-{_method}-{_path}", _method, _path, (404, 405), ("not-found", "method-not-allowed")))

# Oversized JSON (the JSON limit is 1 MiB).
add(
    Case("too-large-domain", "POST", "/v1/domains", 413, "too-large", json={"name": "a" * (MiB + 16) + ".test"}),
    Case("too-large-alias-targets", "POST", "/v1/aliases", 413, "too-large",
         json={"address": "big@example.test", "targets": [f"t{i}@example.test" for i in range(80_000)]}),
    Case("too-large-auth-verify", "POST", "/v1/auth/verify", 413, "too-large",
         json={"username": ALICE, "password": "x" * (2 * MiB)}),
    Case("too-large-flags", "POST", INBOX + "/flags", 413, "too-large",
         json={"uids": "1", "operation": "add", "flags": ["k"] * 400_000}),
)

# Invalid addresses.
LONG_LOCAL = "a" * 300
BAD_ADDRESSES = {
    "no-at": "alice.example.test",
    "two-at-no-local": "@@example.test",
    "no-local": "@example.test",
    "two-at": "a@b@example.test",
    "space-inside": "a b@example.test",
    "space-leading": " alice@example.test",
    "space-trailing": "alice@example.test ",
    "angle-brackets": "<alice@example.test>",
    "ctl-soh": "a\x01b@example.test",
    "ctl-crlf": "a\r\nb@example.test",
    "ctl-nul": "a\x00b@example.test",
    "ctl-del": "a\x7fb@example.test",
    "ctl-c1-nel": "a\u0085b@example.test",
    "ctl-in-domain": "a@exa\x01mple.test",
    "long-local-300": LONG_LOCAL + "@example.test",
    "domain-hyphens": "a@-bad-.test",
    "domain-leading-dot": "a@.test",
    "domain-double-dot": "a@example..test",
    "local-double-dot": "a..b@example.test",
    "local-leading-dot": ".a@example.test",
    "empty": "",
}
for _name, _addr in BAD_ADDRESSES.items():
    add(
        Case(f"address-user-{_name}", "POST", "/v1/users", 400, "invalid-address",
             json={"address": _addr, "password": PASSWORD}),
        Case(f"address-alias-{_name}", "POST", "/v1/aliases", 400, "invalid-address",
             json={"address": _addr, "targets": [ALICE]}),
        Case(f"address-alias-target-{_name}", "POST", "/v1/aliases", 400, "invalid-address",
             json={"address": "new@example.test", "targets": [ALICE, _addr]}),
        Case(f"address-delivery-{_name}", "POST", f"/v1/deliveries?recipient={q(ALICE)}&recipient={q(_addr)}",
             400, "invalid-address", body=MESSAGE, content_type="message/rfc822"),
    )
    if _addr:
        add(Case(f"address-lookup-{_name}", "GET", "/v1/recipients/" + seg(_addr), 400, "invalid-address"))
    else:
        # An empty path segment is no route at all.
        add(Case("address-lookup-empty", "GET", "/v1/recipients/", 404, "not-found"))
add(
    Case("address-alias-no-targets", "POST", "/v1/aliases", 400, "invalid-address",
         json={"address": "new@example.test", "targets": []}),
)

# Invalid domains.
for _name, _domain in {
    "empty": "", "dot": ".", "leading-hyphen": "-bad.test", "trailing-hyphen": "bad-.test",
    "double-dot": "a..test", "leading-dot": ".test", "space": "exa mple.test", "underscore": "exa_mple.test",
    "angle": "<x.test>", "slash": "x.test/", "at": "x@y.test", "label-64": "a" * 64 + ".test",
    "too-long": ".".join(["a" * 60] * 5), "nul": "bad\x00.test", "newline": "bad\n.test",
    "c1-control": "bad\u0085.test", "percent": "bad%20.test",
}.items():
    add(Case(f"domain-{_name}", "POST", "/v1/domains", 400, "invalid-domain", json={"name": _domain}))

# Invalid mailbox names, on create and on rename.
BAD_MAILBOX_NAMES = {
    "dotdot": "..", "dotdot-level": "a/../b", "dot": ".", "dot-level": "a/./b",
    "percent": "a%b", "star": "a*", "only-percent": "%", "only-star": "*",
    "nul": "a\u0000b", "soh": "a\u0001b", "tab": "a\tb", "newline": "a\nb", "del": "a\u007fb", "c1": "a\u0085b",
    "leading-slash": "/a", "trailing-slash": "a/", "double-slash": "a//b", "only-slash": "/",
    "empty": "", "long-300": "x" * 300, "levels-20": "/".join(["a"] * 20), "component-101": "b" * 101,
    "leading-space": " a", "trailing-space": "a ", "space-level": "a/ /b",
}
for _name, _mbox in BAD_MAILBOX_NAMES.items():
    add(
        Case(f"mailbox-create-{_name}", "POST", ALICE_BOXES, 400, "invalid-mailbox-name", json={"name": _mbox}),
        Case(f"mailbox-rename-{_name}", "PATCH", ALICE_BOXES + "/{projects}", 400, "invalid-mailbox-name",
             json={"name": _mbox}),
    )

# Bad UID sets.
BAD_UID_SETS = {
    "zero": "0", "letter": "a", "open-range": "1:", "empty": "", "colon": ":", "double-comma": "1,,2",
    "three-ends": "1:2:3", "negative": "-1", "too-big": "4294967296", "zero-range": "*:0", "space": " 1",
    "trailing-comma": "1,",
}
for _name, _uids in BAD_UID_SETS.items():
    add(
        Case(f"uids-flags-{_name}", "POST", INBOX + "/flags", 400, "invalid-uid-set",
             json={"uids": _uids, "operation": "add", "flags": ["\\Seen"]}),
        Case(f"uids-expunge-{_name}", "POST", INBOX + "/expunge", 400, "invalid-uid-set",
             json={"uids": _uids, "onlyDeleted": False}),
        Case(f"uids-copy-{_name}", "POST", INBOX + "/copy", 400, "invalid-uid-set",
             json={"uids": _uids, "targetMailboxID": "TRASH_ID", "move": True}),
        Case(f"uids-list-{_name}", "GET", INBOX + "/messages?uids=" + q(_uids), 400, "invalid-uid-set"),
    )

# Invalid flags.
BAD_FLAGS = {
    "space": "bad flag", "recent": "\\Recent", "unknown-system": "\\Unknown", "paren": "(", "empty": "",
    "bracket": "a]b", "quote": 'a"b', "backslash": "\\", "non-ascii": "caf\u00e9", "too-long": "k" * 101,
    "control": "a\u0001b",
}
for _name, _flag in BAD_FLAGS.items():
    for _op in ("add", "replace"):
        add(Case(f"flags-{_op}-{_name}", "POST", INBOX + "/flags", 400, "invalid-flag",
                 json={"uids": "1", "operation": _op, "flags": ["\\Seen", _flag]}))
add(
    Case("flags-append-recent", "POST", INBOX + "/messages?flags=" + q("\\Recent"), 400, "invalid-flag",
         body=MESSAGE, content_type="message/rfc822"),
    Case("flags-append-unknown", "POST", INBOX + "/messages?flags=" + q("\\Seen \\Bogus"), 400, "invalid-flag",
         body=MESSAGE, content_type="message/rfc822"),
    Case("flags-too-many-keywords", "POST", INBOX + "/flags", 400, "invalid-flag",
         json={"uids": "1", "operation": "add", "flags": [f"k{i}" for i in range(65)]}),
)

# Deliveries.
add(
    Case("delivery-no-recipient", "POST", "/v1/deliveries", 400, "no-recipients", body=MESSAGE,
         content_type="message/rfc822"),
    Case("delivery-no-recipient-other-param", "POST", "/v1/deliveries?to=" + q(ALICE), 400, "no-recipients",
         body=MESSAGE, content_type="message/rfc822"),
    Case("delivery-empty-body", "POST", "/v1/deliveries?recipient=" + q(ALICE), 400, "bad-request", body=b"",
         content_type="message/rfc822"),
    Case("delivery-empty-body-alias", "POST", "/v1/deliveries?recipient=" + q(ALIAS), 400, "bad-request", body=b"",
         content_type="message/rfc822"),
    Case("append-empty-body", "POST", INBOX + "/messages", 400, "bad-request", body=b"", content_type="message/rfc822"),
    Case("append-bad-internal-date", "POST", INBOX + "/messages?internalDate=yesterday", 400, "bad-request",
         body=MESSAGE, content_type="message/rfc822"),
)

# Ids in paths.
for _name, _id in {"letters": "abc", "trailing-letter": "1a", "hex": "0x10", "decimal": "1.0", "overflow": "99999999999999999999"}.items():
    add(
        Case(f"id-get-{_name}", "GET", f"{ALICE_BOXES}/{_id}", 400, "bad-request"),
        Case(f"id-patch-{_name}", "PATCH", f"{ALICE_BOXES}/{_id}", 400, "bad-request", json={"name": "Renamed"}),
        Case(f"id-delete-{_name}", "DELETE", f"{ALICE_BOXES}/{_id}", 400, "bad-request"),
        Case(f"id-messages-{_name}", "GET", f"{ALICE_BOXES}/{_id}/messages", 400, "bad-request"),
        Case(f"id-flags-{_name}", "POST", f"{ALICE_BOXES}/{_id}/flags", 400, "bad-request", json=FLAGS_OK),
        Case(f"id-expunge-{_name}", "POST", f"{ALICE_BOXES}/{_id}/expunge", 400, "bad-request",
             json={"onlyDeleted": False}),
    )
for _name, _uid in {"letters": "abc", "zero": "0", "negative": "-1", "decimal": "1.0", "overflow": "4294967296"}.items():
    for _part in ("raw", "header", "parse"):
        add(Case(f"uid-{_part}-{_name}", "GET", f"{INBOX}/messages/{_uid}/{_part}", 400, "bad-request"))
add(
    Case("id-nonexistent-get", "GET", ALICE_BOXES + "/999999", 404, "mailbox-not-found"),
    Case("id-nonexistent-negative", "GET", ALICE_BOXES + "/-1", 404, "mailbox-not-found"),
    Case("id-nonexistent-messages", "GET", ALICE_BOXES + "/999999/messages", 404, "mailbox-not-found"),
    Case("id-nonexistent-flags", "POST", ALICE_BOXES + "/999999/flags", 404, "mailbox-not-found", json=FLAGS_OK),
    Case("id-nonexistent-append", "POST", ALICE_BOXES + "/999999/messages", 404, "mailbox-not-found",
         body=MESSAGE, content_type="message/rfc822"),
    Case("id-nonexistent-delete", "DELETE", ALICE_BOXES + "/999999", 404, "mailbox-not-found"),
    Case("id-nonexistent-rename", "PATCH", ALICE_BOXES + "/999999", 404, "mailbox-not-found", json={"name": "X"}),
    Case("id-nonexistent-copy-target", "POST", INBOX + "/copy", 404, "mailbox-not-found",
         json={"uids": "1", "targetMailboxID": 999999, "move": True}),
    Case("uid-nonexistent-raw", "GET", INBOX + "/messages/999/raw", 404, "message-not-found"),
    Case("mailboxes-counts-not-boolean", "GET", ALICE_BOXES + "?counts=maybe", 400, "bad-request"),
    # Sizes whose sum overflows a 64-bit integer once stopped the store (a trap).
    Case("append-batch-sizes-overflow", "POST",
         INBOX + "/messages/append?sizes=9223372036854775807,9223372036854775807", 400, "bad-request",
         body=b"", content_type="application/x-buzon-append"),
    Case("append-batch-sizes-over-limit", "POST", INBOX + "/messages/append?sizes=20000000,20000000", 413,
         "too-large", body=b"", content_type="application/x-buzon-append"),
    Case("account-nonexistent", "GET", "/v1/accounts/nobody@example.test/mailboxes", 404, "user-not-found"),
    Case("account-nonexistent-box", "GET", "/v1/accounts/nobody@example.test/mailboxes/{inbox}", 404, "user-not-found"),
)
# Alice's path with Bob's mailbox ids: accounts cannot reach each other's mailboxes.
add(
    Case("cross-get", "GET", ALICE_BOXES + "/{bob_inbox}", 404, "mailbox-not-found"),
    Case("cross-messages", "GET", ALICE_BOXES + "/{bob_inbox}/messages", 404, "mailbox-not-found"),
    Case("cross-raw", "GET", ALICE_BOXES + "/{bob_inbox}/messages/1/raw", 404, "mailbox-not-found"),
    Case("cross-header", "GET", ALICE_BOXES + "/{bob_inbox}/messages/1/header", 404, "mailbox-not-found"),
    Case("cross-parse", "GET", ALICE_BOXES + "/{bob_inbox}/messages/1/parse", 404, "mailbox-not-found"),
    Case("cross-flags", "POST", ALICE_BOXES + "/{bob_inbox}/flags", 404, "mailbox-not-found", json=FLAGS_OK),
    Case("cross-expunge", "POST", ALICE_BOXES + "/{bob_inbox}/expunge", 404, "mailbox-not-found",
         json={"onlyDeleted": False}),
    Case("cross-append", "POST", ALICE_BOXES + "/{bob_inbox}/messages", 404, "mailbox-not-found",
         body=MESSAGE, content_type="message/rfc822"),
    Case("cross-delete", "DELETE", ALICE_BOXES + "/{bob_junk}", 404, "mailbox-not-found"),
    Case("cross-rename", "PATCH", ALICE_BOXES + "/{bob_junk}", 404, "mailbox-not-found", json={"name": "Stolen"}),
    Case("cross-copy-into", "POST", INBOX + "/copy", 404, "mailbox-not-found",
         json={"uids": "1", "targetMailboxID": "BOB_INBOX_ID", "move": False}),
    Case("cross-move-out", "POST", ALICE_BOXES + "/{bob_inbox}/copy", 404, "mailbox-not-found",
         json={"uids": "1", "targetMailboxID": "TRASH_ID", "move": True}),
)

# Passwords: 1 to 72 bytes, no control characters.
for _name, _pw in {"73-bytes": "x" * 73, "empty": "", "74-bytes-utf8": "\u00e9" * 37, "newline": "a\nb",
                   "nul": "\u0000", "long": "p" * 1000}.items():
    add(
        Case(f"password-create-{_name}", "POST", "/v1/users", 400, "invalid-password",
             json={"address": "new@example.test", "password": _pw}),
        Case(f"password-change-{_name}", "PUT", "/v1/users/{alice}/password", 400, "invalid-password",
             json={"password": _pw}, check_password=True),
    )


def _fill_json(value, c: Ctx):
    """Mailbox ids inside JSON bodies (placeholders are strings in the case table)."""
    if value == "TRASH_ID":
        return c.ids["trash"]
    if value == "BOB_INBOX_ID":
        return c.ids["bob_inbox"]
    if isinstance(value, dict):
        return {k: _fill_json(v, c) for k, v in value.items()}
    if isinstance(value, list) and len(value) < 100:
        return [_fill_json(v, c) for v in value]
    return value


def _auth_header(case: Case, token: str) -> str | None:
    if case.auth == "good":
        return f"Bearer {token}"
    if case.auth is None or not case.auth.startswith("TOKEN:"):
        return case.auth
    return {
        "TOKEN:Basic": f"Basic {token}",
        "TOKEN:BasicUserPass": "Basic " + base64.b64encode(f"mailctl:{token}".encode()).decode(),
        "TOKEN:Token": f"Token {token}",
        "TOKEN:Bare": token,
        "TOKEN:Prefix": f"Bearer {token[:-1]}",
        "TOKEN:ShortPrefix": f"Bearer {token[:8]}",
        "TOKEN:Extended": f"Bearer {token}0",
    }[case.auth]


def send_case(c: Ctx, case: Case) -> Reply:
    path = case.path.format(**c.ids)
    headers = {}
    auth = _auth_header(case, c.store.token)
    if auth is not None:
        headers["Authorization"] = auth
    body = case.body
    if case.json is not _NO_BODY:
        body = json.dumps(_fill_json(case.json, c)).encode()
        headers["Content-Type"] = "application/json"
    elif case.content_type:
        headers["Content-Type"] = case.content_type
    return raw_request(c.store, case.method, path, body=body, headers=headers)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_bad_input(ctx: Ctx, case: Case):
    before = ctx.snapshot()
    reply = send_case(ctx, case)
    try:
        ctx.assert_serving()
        after = ctx.snapshot()
        password_kept = not case.check_password or ctx.login_ok(ALICE, PASSWORD)
    except Exception:
        ctx.reset()
        raise
    if after != before or not password_kept:
        ctx.reset()
    assert_error(reply, case.status, case.code)
    assert after == before, "the request changed the store"
    assert password_kept, "alice's password changed"


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


# --- cases that need more than one request --------------------------------------------------

def test_bad_recipient_among_good_ones_stores_nothing(ctx: Ctx):
    before = ctx.snapshot()
    path = "/v1/deliveries?" + "&".join(f"recipient={q(r)}" for r in (ALICE, BOB, "a b@example.test", ALIAS))
    reply = ctx.call("POST", path, body=MESSAGE, headers={"Content-Type": "message/rfc822", "Idempotency-Key": "mixed-1"})
    assert_error(reply, 400, "invalid-address")
    ctx.assert_serving()
    assert ctx.snapshot() == before


def test_overlong_idempotency_key(ctx: Ctx):
    before = ctx.snapshot()
    reply = ctx.call("POST", "/v1/deliveries?recipient=" + q(ALICE), body=MESSAGE,
                     headers={"Content-Type": "message/rfc822", "Idempotency-Key": "k" * 201})
    assert_error(reply, 400, "bad-request")
    ctx.assert_serving()
    assert ctx.snapshot() == before


def test_bad_password_change_keeps_old_password(ctx: Ctx):
    for bad in ("", "x" * 73):
        reply = ctx.call("PUT", f"/v1/users/{seg(ALICE)}/password", {"password": bad})
        assert_error(reply, 400, "invalid-password")
    assert ctx.login_ok(ALICE, PASSWORD)
    assert not ctx.login_ok(ALICE, "x" * 72)


def test_many_bad_requests_in_a_row_keep_the_store_serving(ctx: Ctx):
    """A burst of garbage on one keep-alive connection, then normal service."""
    conn = http.client.HTTPConnection("127.0.0.1", ctx.store.port, timeout=30)
    try:
        for i in range(50):
            body = BAD_BODIES["binary"] if i % 2 else BAD_BODIES["truncated"]
            conn.request("POST", "/v1/domains", body=body,
                         headers={"Authorization": f"Bearer {ctx.store.token}", "Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == 400, data
            assert json.loads(data)["error"]["code"] == "invalid-json"
    finally:
        conn.close()
    ctx.assert_serving()


# --- the message size limit -----------------------------------------------------------------

@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("small") / "data", env={"BUZON_MAX_MESSAGE_SIZE": "65536"}).start()
    s.add_user(ALICE, PASSWORD)
    yield s
    s.stop()


def big_message(size: int) -> bytes:
    head = b"From: a@remote.test\r\nTo: alice@example.test\r\nSubject: big\r\n\r\n"
    line = b"x" * 76 + b"\r\n"
    return head + line * ((size - len(head)) // len(line) + 1)


def _inbox_count(s: Store) -> int:
    return s.inbox(ALICE)["messages"]


def test_delivery_over_max_message_size_is_413(small_store: Store):
    before = _inbox_count(small_store)
    reply = raw_request(small_store, "POST", "/v1/deliveries?recipient=" + q(ALICE), body=big_message(100 * 1024),
                        headers={"Authorization": f"Bearer {small_store.token}", "Content-Type": "message/rfc822",
                                 "Idempotency-Key": "big-1"})
    assert_error(reply, 413, "too-large")
    assert requests_ok(small_store)
    assert _inbox_count(small_store) == before
    db = sqlite3.connect(f"file:{small_store.data_dir / 'store.sqlite'}?mode=ro", uri=True, timeout=10)
    try:
        assert db.execute("SELECT COUNT(*) FROM contents").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0] == 0
    finally:
        db.close()
    # The same key with a message under the limit is a fresh delivery, not a conflict.
    ok = small_store.deliver(big_message(60 * 1024)[:60 * 1024], [ALICE], key="big-1")
    assert ok.status_code == 200, ok.text
    assert _inbox_count(small_store) == before + 1


def test_append_over_max_message_size_is_413(small_store: Store):
    before = _inbox_count(small_store)
    inbox = small_store.inbox(ALICE)["id"]
    reply = raw_request(small_store, "POST", f"/v1/accounts/{seg(ALICE)}/mailboxes/{inbox}/messages",
                        body=big_message(100 * 1024),
                        headers={"Authorization": f"Bearer {small_store.token}", "Content-Type": "message/rfc822"})
    assert_error(reply, 413, "too-large")
    assert requests_ok(small_store)
    assert _inbox_count(small_store) == before


def test_oversized_delivery_message_names_the_limit(small_store: Store):
    """StoreContext.incomingMessage means to answer "the message is larger than N bytes"."""
    reply = raw_request(small_store, "POST", "/v1/deliveries?recipient=" + q(ALICE), body=big_message(100 * 1024),
                        headers={"Authorization": f"Bearer {small_store.token}", "Content-Type": "message/rfc822"})
    err = assert_error(reply, 413, "too-large")
    assert "65536" in err["message"], err


def requests_ok(s: Store) -> bool:
    return (s.proc.poll() is None and raw_request(s, "GET", "/healthz").status == 200
            and s.api("GET", "/v1/domains").status_code == 200)


# --- at the end -----------------------------------------------------------------------------

def test_zz_state_unchanged_at_the_end(ctx: Ctx):
    """Runs last in this module: after every bad request above, the store is as it was."""
    assert ctx.resets == 0, f"{ctx.resets} bad request(s) changed the store (see the failures above)"
    end = ctx.snapshot()
    assert end["domains"] == ctx.baseline["domains"]
    assert end["users"] == ctx.baseline["users"]
    assert end["aliases"] == ctx.baseline["aliases"]
    for account in (ALICE, BOB):
        assert end[account + "/INBOX"] == ctx.baseline[account + "/INBOX"]
        assert [b[1] for b in end[account]] == [b[1] for b in ctx.baseline[account]]
    assert ctx.store.inbox(ALICE)["messages"] == 1 and ctx.store.inbox(BOB)["messages"] == 1
    assert end == ctx.baseline
