"""Two Buzón stacks for two domains on loopback, found through a real DNS server: each has its
own store (data directory), smtp-gateway and queue-relay. dnsmasq serves `a.test MX mx.a.test`
(127.0.0.2) and `b.test MX mx.b.test` (127.0.0.3); both gateways listen for MX on the same
port P on their own address, and the relays dial hosts found through DNS on P
(BUZON_RELAY_SMTP_PORT). A user of each domain submits (STARTTLS, AUTH) to a user of the other;
the message must land in the other's INBOX through the MX lookup (RFC 5321 §5.1), byte for byte
apart from the trace fields."""

import re
import smtplib
import socket
import ssl

import pytest

from conftest import Relay, Store, free_port, inbox_messages
from relay_support import (Dnsmasq, HostedGateway, is_dsn, log_lines, make_message, make_named_certificate, queue_entries,
                           wait_inbox, wait_queue_empty)
from smtp_support import split_added_header_fields

ADDRESSES = {"a.test": "127.0.0.2", "b.test": "127.0.0.3"}
USERS = {"a.test": "alice@a.test", "b.test": "bob@b.test"}


def port_free_on(port: int, hosts) -> bool:
    for host in hosts:
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                return False
    return True


class Stack:
    def __init__(self, domain, store, gateway, relay):
        self.domain, self.store, self.gateway, self.relay = domain, store, gateway, relay
        self.user = USERS[domain]
        self.address = ADDRESSES[domain]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-domains")
    mx_port = next(p for p in (free_port() for _ in range(50)) if port_free_on(p, ADDRESSES.values()))
    records = []
    for domain, address in ADDRESSES.items():
        records += [f"--mx-host={domain},mx.{domain},10", f"--host-record=mx.{domain},{address}"]
    started = []
    try:
        dns = Dnsmasq(tmp / "dns", records).start()
        started.append(dns)
        stacks = {}
        for domain, address in ADDRESSES.items():
            home = tmp / domain
            make_named_certificate(home, [f"mx.{domain}", "localhost"], [address, "127.0.0.1"])
            store = Store(home / "data", env={"BUZON_HOSTNAME": f"mx.{domain}"}).start()
            started.append(store)
            store.add_user(USERS[domain])
            gateway = HostedGateway(store, home, host=address, mx_port=mx_port, hostname=f"mx.{domain}").start()
            started.append(gateway)
            relay = Relay(store, home, env={"BUZON_DNS_SERVER": dns.server, "BUZON_RELAY_SMTP_PORT": str(mx_port),
                                            "BUZON_HOSTNAME": f"mx.{domain}", "BUZON_RETRY_INTERVAL": "2"}).start()
            started.append(relay)
            stacks[domain] = Stack(domain, store, gateway, relay)
        yield dns, stacks
    finally:
        for thing in reversed(started):
            thing.stop()


def submit_through(stack: Stack, recipient: str, raw: bytes) -> None:
    """Submission on the stack's own address: STARTTLS verified against its certificate, AUTH."""
    context = ssl.create_default_context(cafile=str(stack.gateway.cert))
    with smtplib.SMTP(stack.address, stack.gateway.submission_port, local_hostname="laptop.test", timeout=15) as smtp:
        smtp.starttls(context=context)  # checks the certificate for the IP address we dialled
        smtp.ehlo()
        smtp.login(stack.user, "secret")
        assert smtp.sendmail(stack.user, [recipient], raw) == {}


@pytest.mark.parametrize("sender_domain,recipient_domain", [("a.test", "b.test"), ("b.test", "a.test")])
def test_submitted_message_reaches_the_other_domain_through_its_mx(world, sender_domain, recipient_domain):
    dns, stacks = world
    sender, receiver = stacks[sender_domain], stacks[recipient_domain]
    before = len(inbox_messages(receiver.store, receiver.user))
    raw = make_message(sender.user, receiver.user, f"from {sender_domain} to {recipient_domain}",
                       body=f"Hello {receiver.user}, from {sender.user}.\r\n..a line that starts with a dot\r\n")
    submit_through(sender, receiver.user, raw)

    messages = wait_inbox(receiver.store, receiver.user, before + 1, timeout=30)
    assert len(messages) == before + 1
    stored = messages[-1]
    assert not is_dsn(stored)
    # Byte for byte after the trace fields: one Received by each side (RFC 5321 §4.4).
    added = split_added_header_fields(stored, raw)
    names = [f.split(b":", 1)[0].lower() for f in added]
    assert names == [b"received", b"received"], added
    mx_trace, submission_trace = added
    assert re.search(rb"by mx\." + recipient_domain.encode() + rb" ", mx_trace), mx_trace
    assert re.search(rb"by mx\." + sender_domain.encode() + rb" .*with ESMTPSA", submission_trace, re.S), submission_trace
    # The relay chose STARTTLS, which the other side offers (RFC 3207, opportunistically).
    assert re.search(rb"with ESMTPS\b", mx_trace), mx_trace

    wait_queue_empty(sender.store, 10)
    # Found through DNS: the relay asked for the MX and names the MX host it delivered to.
    assert re.search(rf"query\[MX\] {re.escape(recipient_domain)} ", dns.queries()), dns.queries()[-2000:]
    delivered = [l for l in log_lines(sender.relay.log_path, "attempt")
                 if f"rcpt={receiver.user}" in l and "outcome=delivered" in l]
    assert delivered, sender.relay.log_path.read_text()[-3000:]
    assert all(f"host=mx.{recipient_domain}" in l for l in delivered), delivered
    # Nothing bounced back to the sender.
    assert not any(is_dsn(m) for m in inbox_messages(sender.store, sender.user))
    assert not queue_entries(receiver.store)
