"""The relay keeps an SMTP session open a few seconds for the next message to the same host
(ConnectionCache, like Postfix's scache), on the shared session driver: the next message goes
over the same connection, and an idle session says QUIT when its idle time is up (RFC 5321
§4.1.1.10)."""

import time

from conftest import Relay, Store
from relay_support import SMTPPeer, make_message, submit, wait_until

ALICE = "alice@a.test"


def test_the_next_message_reuses_the_connection_and_an_idle_one_quits(tmp_path):
    peer = SMTPPeer().start()
    store = Store(tmp_path / "data").start()
    relay = None
    try:
        store.add_user(ALICE)
        relay = Relay(store, tmp_path, env={"BUZON_RELAY_ROUTES": f"reuse.test={peer.address}"}).start()
        first = make_message(ALICE, "one@reuse.test", "first")
        submit(store, first, ALICE, ["one@reuse.test"])
        wait_until(lambda: len(peer.delivered) >= 1, 15, "the first message")
        second = make_message(ALICE, "two@reuse.test", "second")
        submit(store, second, ALICE, ["two@reuse.test"])
        wait_until(lambda: len(peer.delivered) >= 2, 15, "the second message")
        assert [t.data for t in peer.delivered] == [first, second]
        assert peer.connections == 1, "the second message should have used the kept session"
        # Idle 5 s (the session's idle timeout), then QUIT.
        wait_until(lambda: b"QUIT" in [c.split(b" ", 1)[0].upper() for c in peer.commands], 12, "QUIT on the idle session")
        time.sleep(0.5)
        assert peer.connections == 1
    finally:
        for thing in (relay, store, peer):
            if thing is not None:
                thing.stop()
