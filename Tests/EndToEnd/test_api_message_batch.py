"""`POST /v1/accounts/{account}/mailboxes/{id}/messages/batch` read with `requests`: the
frames (`application/x-buzon-messages`: a line per message, then exactly the octets it
announces) carry what the per-message routes answer, pages follow `Buzon-Next-After`, and
bad requests are JSON errors."""

import json

from support import ALICE

MESSAGES = [
    b"Subject: one\r\n\r\nbody one\r\n",
    b"Subject: two\r\nX: y\r\n\r\n.dotted\r\nbinary \x00\xff\r\n",
    b"Subject: three\r\n\r\n" + b"3" * 5000 + b"\r\n",
    b"Subject: four\r\n\r\nfour 1 2 3\n",
]


def frames(body: bytes) -> list[dict]:
    """The reference decoder of the framing (openapi.yaml)."""
    out, at = [], 0
    while at < len(body):
        end = body.index(b"\n", at)
        fields = body[at:end].decode().split(" ")
        uid, size, date, modseq, content, parse_length, bytes_length = fields[:7]
        start = end + 1
        parse = body[start:start + int(parse_length)]
        raw = body[start + int(parse_length):start + int(parse_length) + int(bytes_length)]
        assert len(raw) == int(bytes_length), "the answer is cut short"
        out.append({"uid": int(uid), "size": int(size), "modSeq": int(modseq), "flags": fields[7:],
                    "parse": parse, "bytes": raw})
        at = start + int(parse_length) + int(bytes_length)
    return out


def test_batch_frames_equal_the_per_message_routes(store):
    store.add_user(ALICE)
    box = store.inbox(ALICE)["id"]
    base = f"/v1/accounts/{ALICE}/mailboxes/{box}/messages"
    for i, raw in enumerate(MESSAGES):
        flags = [("flags", "\\Flagged"), ("flags", "$Work")] if i == 1 else None
        r = store.api("POST", base, data=raw, params=flags, headers={"Content-Type": "message/rfc822"})
        assert r.status_code == 201, r.text

    r = store.api("POST", base + "/batch", json={"uids": "1:*", "content": "whole", "parse": True})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/x-buzon-messages"
    assert "Buzon-Next-After" not in r.headers
    got = frames(r.content)
    listed = store.api("GET", base).json()["messages"]
    assert [f["uid"] for f in got] == [m["uid"] for m in listed]
    for f, m in zip(got, listed):
        assert f["bytes"] == store.api("GET", f"{base}/{m['uid']}/raw").content
        assert json.loads(f["parse"]) == store.api("GET", f"{base}/{m['uid']}/parse").json()
        assert (f["size"], f["modSeq"], sorted(f["flags"])) == (m["size"], m["modSeq"], sorted(m["flags"]))

    # The header section only, no parse, a sparse set.
    r = store.api("POST", base + "/batch", json={"uids": "2,4", "content": "header"})
    got = frames(r.content)
    assert [f["uid"] for f in got] == [2, 4]
    assert [f["bytes"] for f in got] == [store.api("GET", f"{base}/{u}/header").content for u in (2, 4)]
    assert all(f["parse"] == b"" for f in got)
    # Summaries alone.
    got = frames(store.api("POST", base + "/batch", json={"uids": "1:*"}).content)
    assert [(f["uid"], f["bytes"]) for f in got] == [(m["uid"], b"") for m in listed]

    # Pages of about maxBytes (at least one message each), followed with `after`.
    seen, after, pages = [], 0, 0
    while True:
        r = store.api("POST", base + "/batch", json={"uids": "1:*", "content": "whole", "maxBytes": 60, "after": after})
        assert r.status_code == 200, r.text
        pages += 1
        seen += frames(r.content)
        if "Buzon-Next-After" not in r.headers:
            break
        after = int(r.headers["Buzon-Next-After"])
        assert after == seen[-1]["uid"]
    assert [f["bytes"] for f in seen] == MESSAGES
    assert pages >= 3


def test_batch_refuses_bad_requests(store):
    store.add_user(ALICE)
    box = store.inbox(ALICE)["id"]
    path = f"/v1/accounts/{ALICE}/mailboxes/{box}/messages/batch"
    for body, code in [({"uids": "x"}, "invalid-uid-set"), ({"uids": "1:*", "content": "all"}, "invalid-json"),
                       ({"uids": "1:*", "maxBytes": 0}, "bad-request"), ({}, "invalid-json")]:
        r = store.api("POST", path, json=body)
        assert r.status_code == 400 and r.json()["error"]["code"] == code, (body, r.text)
    r = store.api("POST", f"/v1/accounts/{ALICE}/mailboxes/999999/messages/batch", json={"uids": "1:*"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "mailbox-not-found", r.text
