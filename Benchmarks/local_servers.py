"""A mailbox-store and an imap-gateway (or a webmail) started from a build directory on free
loopback ports, data in a temporary directory: what the quick measuring scripts
(select-open.py, command-cost.py, webmail-load.py) stand on. Not the `make bench-*` scripts, which start theirs in shell
(scripts/lib/bench.sh) beside Dovecot.

    with LocalServers(bin_dir, token="t" * 32) as servers:
        servers.store_url, servers.imap_port
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str) -> None:
    for _ in range(200):
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up")


class LocalServers:
    """Starts both on enter (the store answering /healthz, the gateway accepting), stops them
    and removes the data on exit. `store_env` adds to the store's environment."""

    def __init__(self, bin_dir: str, token: str, store_env: dict | None = None, front: str = "imap-gateway"):
        self.bin_dir, self.token, self.store_env, self.front = bin_dir, token, store_env or {}, front
        self.work = tempfile.mkdtemp(prefix="buzon-local.")
        self.store_port, self.imap_port, self.webmail_port = free_port(), free_port(), free_port()
        self.webmail_url = f"http://127.0.0.1:{self.webmail_port}"
        self.store_url = f"http://127.0.0.1:{self.store_port}"
        self.store: subprocess.Popen | None = None
        self.gateway: subprocess.Popen | None = None

    def __enter__(self) -> "LocalServers":
        data = os.path.join(self.work, "data")
        os.makedirs(data)
        common = dict(os.environ, BUZON_INTERNAL_TOKEN=self.token, BUZON_LOG_LEVEL="error")
        self.store = subprocess.Popen(
            [os.path.join(self.bin_dir, "mailbox-store")],
            env=dict(common, BUZON_DATA_DIR=data, BUZON_STORE_HOST="127.0.0.1", BUZON_STORE_PORT=str(self.store_port),
                     **self.store_env),
            stderr=open(os.path.join(self.work, "store.log"), "w"))
        wait_for(lambda: urllib.request.urlopen(f"{self.store_url}/healthz").status == 200, "mailbox-store")
        if self.front == "webmail":
            self.gateway = subprocess.Popen(
                [os.path.join(self.bin_dir, "webmail")],
                env=dict(common, BUZON_STORE_URL=self.store_url, BUZON_WEBMAIL_HOST="127.0.0.1",
                         BUZON_WEBMAIL_PORT=str(self.webmail_port), BUZON_WEBMAIL_ADMIN_PORT=str(free_port())),
                stderr=open(os.path.join(self.work, "webmail.log"), "w"))
            wait_for(lambda: urllib.request.urlopen(f"{self.webmail_url}/login").status == 200, "webmail")
            return self
        self.gateway = subprocess.Popen(
            [os.path.join(self.bin_dir, "imap-gateway")],
            env=dict(common, BUZON_STORE_URL=self.store_url, BUZON_IMAP_HOST="127.0.0.1", BUZON_IMAP_PORT=str(self.imap_port),
                     BUZON_IMAPS_PORT=str(free_port()), BUZON_IMAP_ADMIN_PORT=str(free_port()),
                     BUZON_HOSTNAME="imap.local.test"),
            stderr=open(os.path.join(self.work, "gateway.log"), "w"))
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.imap_port), 1).close() is None, "imap-gateway")
        return self

    def __exit__(self, *exc) -> None:
        for process in (self.gateway, self.store):
            if process is not None:
                process.terminate()
                process.wait()
        shutil.rmtree(self.work, ignore_errors=True)
