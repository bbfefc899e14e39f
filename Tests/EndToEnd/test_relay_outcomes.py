"""What the queue-relay does with each kind of answer from a destination, seen from outside:
scripted SMTP peers on loopback (static routes, BUZON_RELAY_ROUTES) or found through a real
DNS server (dnsmasq), the queue and the sender's INBOX read through the store API.

- 451 to the first K transactions: delivered on attempt K+1, exactly once (RFC 5321 §4.5.4.1).
- 550 5.1.1 for one recipient: a DSN (RFC 3464) naming it with the remote reply, the others
  delivered.
- an unreachable destination: BUZON_MAX_ATTEMPTS attempts, then a DSN.
- a null MX (RFC 7505): an immediate DSN with 5.1.10, no connection.
- a bounce to a remote sender whose server refuses it: no bounce of the bounce (RFC 3461 §5.2,
  RFC 5321 §6.1).
- NOTIFY, RET, ENVID, ORCPT (RFC 3461 §4, §5.2.1, §5.2.2)."""

import re
import smtplib
import time

from conftest import Gateway, Relay, Store, free_port, inbox_messages
from relay_support import (Dnsmasq, SMTPPeer, is_dsn, log_lines, make_message, parse, parse_dsn, queue_entries, queue_entry,
                           reported_notices, submit, wait_queue_empty, wait_until)
from smtp_support import trusting_context

ALICE = "alice@a.test"


def start_store(tmp_path, cleanup) -> Store:
    store = Store(tmp_path / "data", env={"BUZON_HOSTNAME": "mail.a.test"}).start()
    cleanup(store)
    store.add_user(ALICE)
    return store


def start_relay(store, tmp_path, cleanup, **env) -> Relay:
    relay = Relay(store, tmp_path, env={k: str(v) for k, v in env.items()}).start()
    cleanup(relay)
    return relay


def start_peer(cleanup, **kw) -> SMTPPeer:
    peer = SMTPPeer(**kw).start()
    cleanup(peer)
    return peer


def dsns(store: Store, account: str = ALICE) -> list:
    return [parse_dsn(m) for m in inbox_messages(store, account) if is_dsn(m)]


def recipient_group(dsn, address: str) -> dict:
    found = [r for r in dsn.recipients if r.get("final-recipient", "").split(";", 1)[-1].strip().lower() == address.lower()]
    assert len(found) == 1, (address, dsn.recipients)
    return found[0]


# --- 451 to the first K transactions ----------------------------------------------------------


def test_greylisting_destination_gets_the_message_on_attempt_k_plus_one_exactly_once(tmp_path, cleanup):
    k = 2
    peer = start_peer(cleanup, on_rcpt=lambda conn, txn, address, params:
                      "451 4.7.1 greylisted, come back later" if txn.number <= k else None)
    store = start_store(tmp_path, cleanup)
    start_relay(store, tmp_path, cleanup, BUZON_RELAY_ROUTES=f"grey.test={peer.address}",
                BUZON_RETRY_INTERVAL=1, BUZON_MAX_ATTEMPTS=10)
    raw = make_message(ALICE, "dest@grey.test", "greylisted")
    queue_id = submit(store, raw, ALICE, ["dest@grey.test"])["queueID"]
    assert queue_id

    # The entry's attempts go 1, 2 (each with the 451 as last error), then it leaves the queue.
    seen: dict[int, dict] = {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        entry = queue_entry(store, queue_id)
        if entry is None:
            break
        seen.setdefault(entry["attempts"], entry)
        time.sleep(0.03)
    else:
        raise AssertionError(f"still queued after 30 s: {queue_entry(store, queue_id)}")
    assert {1, 2} <= set(seen), sorted(seen)
    assert max(seen) == 2, sorted(seen)
    for attempts in (1, 2):
        assert "451" in (seen[attempts]["lastError"] or ""), seen[attempts]
        assert seen[attempts]["recipients"][0]["state"] == "pending"

    time.sleep(2.5)  # several retry intervals: nothing more may happen
    transactions = peer.snapshot()
    assert len(transactions) == k + 1, transactions
    assert [t.delivered for t in transactions] == [False] * k + [True]
    assert len(peer.delivered) == 1
    assert peer.delivered[0].data == raw, "the message must arrive byte for byte"
    assert peer.delivered[0].mail_from == ALICE
    assert peer.delivered[0].accepted == ["dest@grey.test"]
    assert not queue_entries(store)
    assert inbox_messages(store, ALICE) == [], "no notice: delivered, no NOTIFY=SUCCESS, no delay warning"


# --- 550 5.1.1 for one recipient ---------------------------------------------------------------


def test_refused_recipient_gets_a_dsn_while_the_others_are_delivered(tmp_path, cleanup):
    refusing = start_peer(cleanup, name="mx.bad.test", on_rcpt=lambda conn, txn, address, params:
                          f"550 5.1.1 <{address}>: no such user here" if address.startswith("nobody@") else None)
    healthy = start_peer(cleanup, name="mx.good.test")
    store = start_store(tmp_path, cleanup)
    relay = start_relay(store, tmp_path, cleanup, BUZON_RELAY_ROUTES=f"bad.test={refusing.address},good.test={healthy.address}",
                        BUZON_RETRY_INTERVAL=3600)
    raw = make_message(ALICE, "carol@good.test", "Quarterly numbers", body="The body stays home.\r\n")
    submit(store, raw, ALICE, ["nobody@bad.test", "somebody@bad.test", "carol@good.test"])

    wait_queue_empty(store, 20)
    notices = wait_until(lambda: dsns(store) or None, 10, "a DSN in the sender's INBOX")
    assert len(notices) == 1, [n.raw[:400] for n in notices]
    dsn = notices[0]
    header = dsn.message
    assert "MAILER-DAEMON@" in header["From"], header["From"]
    assert ALICE in header["To"]
    assert header["Auto-Submitted"] == "auto-replied"  # RFC 3834 §5
    assert len(dsn.recipients) == 1, dsn.recipients  # only the refused recipient is named
    group = recipient_group(dsn, "nobody@bad.test")
    assert group["action"] == "failed"
    assert group["status"] == "5.1.1"
    assert re.match(r"smtp;\s*550 5\.1\.1 <nobody@bad\.test>: no such user here$", group["diagnostic-code"]), group
    assert re.match(r"dns;\s*\S+", group["remote-mta"]), group
    assert "reporting-mta" in dsn.per_message
    # The original header comes back (RET absent: headers only, RFC 3461 §4.3).
    assert dsn.returned_type == "text/rfc822-headers"
    assert b"Subject: Quarterly numbers\r\n" in dsn.returned
    assert b"The body stays home." not in dsn.returned

    # The other recipients got the message, once, byte for byte.
    assert [t.accepted for t in refusing.delivered] == [["somebody@bad.test"]]
    assert refusing.delivered[0].data == raw
    assert len(healthy.delivered) == 1 and healthy.delivered[0].accepted == ["carol@good.test"]
    assert healthy.delivered[0].data == raw
    assert len(refusing.snapshot()) == 1 and len(healthy.snapshot()) == 1
    attempts = log_lines(relay.log_path, "attempt")
    assert any("rcpt=nobody@bad.test" in l and "outcome=failed" in l for l in attempts), attempts


# --- an unreachable destination --------------------------------------------------------------


def test_unreachable_destination_is_tried_max_attempts_times_then_bounced(tmp_path, cleanup):
    closed = free_port()  # nobody listens there
    store = start_store(tmp_path, cleanup)
    relay = start_relay(store, tmp_path, cleanup, BUZON_RELAY_ROUTES=f"down.test=127.0.0.1:{closed}",
                        BUZON_RETRY_INTERVAL=1, BUZON_MAX_ATTEMPTS=3)
    raw = make_message(ALICE, "x@down.test", "nobody home")
    queue_id = submit(store, raw, ALICE, ["x@down.test"])["queueID"]

    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        entry = queue_entry(store, queue_id)
        if entry is None:
            break
        if not seen or seen[-1] != entry["attempts"]:
            seen.append(entry["attempts"])
            if entry["attempts"] in (1, 2):
                assert entry["recipients"][0]["state"] == "pending"
                assert entry["lastError"], entry
                assert not dsns(store), "no notice before the last attempt"
        time.sleep(0.03)
    else:
        raise AssertionError(f"still queued after 30 s: {queue_entry(store, queue_id)}")
    assert [a for a in seen if a] == [1, 2], seen

    notices = wait_until(lambda: dsns(store) or None, 10, "the DSN after the last attempt")
    assert len(notices) == 1
    group = recipient_group(notices[0], "x@down.test")
    assert group["action"] == "failed"
    assert re.match(r"^[45]\.\d{1,3}\.\d{1,3}$", group["status"]), group
    assert str(closed) in group.get("diagnostic-code", ""), group  # the reason names where it tried
    connects = [l for l in log_lines(relay.log_path, "connect failed") if f"queue={queue_id}" in l]
    assert len(connects) == 3, connects
    time.sleep(1.5)
    assert len([l for l in log_lines(relay.log_path, "connect failed") if f"queue={queue_id}" in l]) == 3
    assert len(dsns(store)) == 1


# --- a null MX ---------------------------------------------------------------------------------


def test_null_mx_domain_bounces_at_once_without_a_connection(tmp_path, cleanup):
    # If the relay ignored the null MX and fell back to the domain's address, it would find
    # this peer there (the A record and BUZON_RELAY_SMTP_PORT point at it).
    peer = start_peer(cleanup, name="should-not-be-called.test")
    dns = Dnsmasq(tmp_path, ["--mx-host=null.test,.,0", "--host-record=null.test,127.0.0.1"]).start()
    cleanup(dns)
    store = start_store(tmp_path, cleanup)
    start_relay(store, tmp_path, cleanup, BUZON_DNS_SERVER=dns.server, BUZON_RELAY_SMTP_PORT=peer.port,
                BUZON_RETRY_INTERVAL=3600)
    raw = make_message(ALICE, "anyone@null.test", "to a domain that takes no mail")
    started = time.monotonic()
    submit(store, raw, ALICE, ["anyone@null.test"])
    notices = wait_until(lambda: dsns(store) or None, 15, "the null-MX DSN")
    assert time.monotonic() - started < 10
    wait_queue_empty(store, 5)
    group = recipient_group(notices[0], "anyone@null.test")
    assert group["action"] == "failed"
    assert group["status"] == "5.1.10"  # RFC 7505 §4.1
    assert peer.connections == 0
    log = dns.queries()
    assert re.search(r"query\[MX\] null\.test", log), log
    assert not re.search(r"query\[(A|AAAA)\] null\.test", log), "a null MX must not fall back to the address records"


# --- no bounce of a bounce -------------------------------------------------------------------------


def test_bounce_to_a_refusing_remote_sender_is_not_bounced_again(tmp_path, cleanup):
    refusing_destination = start_peer(cleanup, name="mx.refuse.test", on_rcpt=lambda conn, txn, address, params:
                                      "550 5.1.1 unknown user")
    senders_server = start_peer(cleanup, name="mx.remote.test", on_rcpt=lambda conn, txn, address, params:
                                "550 5.7.1 we accept no bounces")
    store = start_store(tmp_path, cleanup)
    r = store.api("POST", "/v1/aliases", json={"address": "fwd@a.test", "targets": ["dest@refuse.test"]})
    assert r.status_code == 201, r.text
    gateway = Gateway(store, tmp_path).start()
    cleanup(gateway)
    relay = start_relay(store, tmp_path, cleanup, BUZON_RETRY_INTERVAL=1, BUZON_MAX_ATTEMPTS=3,
                        BUZON_RELAY_ROUTES=f"refuse.test={refusing_destination.address},remote.test={senders_server.address}")

    raw = make_message("carol@remote.test", "fwd@a.test", "forward me")
    with smtplib.SMTP("127.0.0.1", gateway.mx_port, local_hostname="mx.remote.test", timeout=10) as smtp:
        assert smtp.sendmail("carol@remote.test", ["fwd@a.test"], raw) == {}

    # The forwarded copy is refused; the notice goes to carol's server from <>; refused too.
    wait_until(lambda: senders_server.snapshot(), 20, "the bounce to reach the sender's server")
    wait_queue_empty(store, 20)
    time.sleep(3)  # three retry intervals: nothing else may be generated or tried
    assert not queue_entries(store)
    to_destination = refusing_destination.snapshot()
    assert len(to_destination) == 1, to_destination
    assert to_destination[0].mail_from == "carol@remote.test"  # an alias keeps the envelope sender (RFC 3461 §5.2.7)
    bounces = senders_server.snapshot()
    assert len(bounces) == 1, bounces
    assert bounces[0].mail_from == "", "a notice is sent from the null reverse-path (RFC 5321 §4.5.5)"
    assert [a for a, _ in bounces[0].rcpts] == ["carol@remote.test"]
    assert not refusing_destination.delivered and not senders_server.delivered
    assert inbox_messages(store, ALICE) == []
    # One notice for the forwarded message, none for the refused notice.
    assert reported_notices(relay.log_path) == [1, 0], log_lines(relay.log_path, "reported")


# --- DSN parameters ---------------------------------------------------------------------------------


def submit_with_dsn_parameters(gateway: Gateway, raw: bytes, recipients: list[tuple[str, list[str]]], mail_options: list[str]):
    with smtplib.SMTP("127.0.0.1", gateway.submission_port, local_hostname="client.test", timeout=10) as smtp:
        smtp.starttls(context=trusting_context(gateway))
        smtp.ehlo()
        assert smtp.has_extn("dsn"), smtp.esmtp_features
        smtp.login(ALICE, "secret")
        code, text = smtp.mail(ALICE, mail_options)
        assert code == 250, (code, text)
        for address, options in recipients:
            code, text = smtp.rcpt(address, options)
            assert code == 250, (address, code, text)
        code, text = smtp.data(raw)
        assert code == 250, (code, text)


def dsn_system(tmp_path, cleanup, peer: SMTPPeer):
    store = start_store(tmp_path, cleanup)
    gateway = Gateway(store, tmp_path).start()
    cleanup(gateway)
    relay = start_relay(store, tmp_path, cleanup, BUZON_RELAY_ROUTES=f"dest.test={peer.address}", BUZON_RETRY_INTERVAL=3600)
    return store, gateway, relay


def test_notify_ret_envid_orcpt_honoured_for_a_next_hop_without_dsn(tmp_path, cleanup):
    peer = start_peer(cleanup, name="mx.dest.test", capabilities=("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"),
                      on_rcpt=lambda conn, txn, address, params: "550 5.1.1 no such user" if address.startswith("bad-") else None)
    store, gateway, _ = dsn_system(tmp_path, cleanup, peer)
    raw = make_message(ALICE, "ok-success@dest.test", "with DSN parameters", body="Full body, returned with RET=FULL.\r\n")
    submit_with_dsn_parameters(gateway, raw, [
        ("ok-success@dest.test", ["NOTIFY=SUCCESS", "ORCPT=rfc822;Original-Ok@a.test"]),
        ("ok-never@dest.test", ["NOTIFY=NEVER"]),
        ("bad-never@dest.test", ["NOTIFY=NEVER"]),
        ("bad-default@dest.test", []),
    ], ["RET=FULL", "ENVID=env-123"])
    wait_queue_empty(store, 20)
    time.sleep(0.5)

    # RFC 3461 §5.2.2(a): no DSN parameters to a server that does not offer DSN.
    [txn] = peer.snapshot()
    assert not any(p.upper().startswith(("RET=", "ENVID=")) for p in txn.mail_params), txn.mail_params
    assert all(not params for _, params in txn.rcpts), txn.rcpts
    assert sorted(txn.accepted) == ["ok-never@dest.test", "ok-success@dest.test"]

    notices = dsns(store)
    named = sorted(r["final-recipient"].split(";", 1)[1].strip() for n in notices for r in n.recipients)
    # NOTIFY=SUCCESS → a success notice; no NOTIFY → a failure notice; NOTIFY=NEVER → nothing.
    assert named == ["bad-default@dest.test", "ok-success@dest.test"], named
    for dsn in notices:
        assert dsn.per_message.get("original-envelope-id") == "env-123", dsn.per_message  # ENVID (RFC 3464 §2.2.1)
        assert dsn.returned_type == "message/rfc822"  # RET=FULL: the whole message
        assert b"Full body, returned with RET=FULL." in dsn.returned
        assert parse(dsn.returned)["Subject"] == "with DSN parameters"
    success = next(n for n in notices if any("ok-success" in r["final-recipient"] for r in n.recipients))
    group = recipient_group(success, "ok-success@dest.test")
    assert group.get("original-recipient", "").replace(" ", "") == "rfc822;Original-Ok@a.test", group  # ORCPT, case kept
    assert group["status"].startswith("2.")
    # RFC 3461 §5.2.2(b): relayed to a server without DSN, NOTIFY=SUCCESS asks for a "relayed" DSN
    # (RFC 3464 §2.3.3: "delivered" means it reached the recipient's mailbox, which we cannot know).
    assert group["action"] == "relayed", group
    failed = recipient_group(next(n for n in notices if any("bad-default" in r["final-recipient"] for r in n.recipients)),
                             "bad-default@dest.test")
    assert failed["action"] == "failed" and failed["status"] == "5.1.1"


def test_dsn_parameters_are_passed_on_to_a_next_hop_with_dsn(tmp_path, cleanup):
    peer = start_peer(cleanup, name="mx.dest.test", capabilities=("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", "DSN"))
    store, gateway, _ = dsn_system(tmp_path, cleanup, peer)
    raw = make_message(ALICE, "ok-success@dest.test", "passed on")
    submit_with_dsn_parameters(gateway, raw, [
        ("ok-success@dest.test", ["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;Original-Ok@a.test"]),
        ("ok-never@dest.test", ["NOTIFY=NEVER"]),
        ("ok-default@dest.test", []),
    ], ["RET=HDRS", "ENVID=env-456"])
    wait_queue_empty(store, 20)
    time.sleep(0.5)
    [txn] = peer.snapshot()
    # RFC 3461 §5.2.1: ENVID and RET as received; NOTIFY and ORCPT as received, none where none was.
    assert "RET=HDRS" in [p.upper() for p in txn.mail_params], txn.mail_params
    assert "ENVID=env-456" in txn.mail_params, txn.mail_params
    params = dict(txn.rcpts)
    assert sorted(p.upper() for p in params["ok-success@dest.test"]) == ["NOTIFY=SUCCESS,FAILURE", "ORCPT=RFC822;ORIGINAL-OK@A.TEST"]
    assert "ORCPT=rfc822;Original-Ok@a.test" in params["ok-success@dest.test"]  # MUST NOT change the case (§5.2.1(d))
    assert [p.upper() for p in params["ok-never@dest.test"]] == ["NOTIFY=NEVER"]
    assert not any(p.upper().startswith("NOTIFY=") for p in params["ok-default@dest.test"]), params
    assert len(peer.delivered) == 1
    # The next hop took responsibility for NOTIFY=SUCCESS (it offers DSN): a notice from us too
    # would claim a delivery that has not happened yet (RFC 3464 §2.3.3) and double the real one.
    assert dsns(store) == [], [d.raw[:1500] for d in dsns(store)]
