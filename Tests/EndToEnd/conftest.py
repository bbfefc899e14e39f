"""Shared fixtures for the end-to-end tests: they launch the built executables (never an
in-process copy) on loopback ports with their own data directories, and talk to them over
real sockets with clients we did not write (requests, the mail libraries, curl, swaks)."""

import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def bin_dir() -> Path:
    """Where `swift build` put the executables (make test exports BUZON_BIN)."""
    if os.environ.get("BUZON_BIN"):
        return Path(os.environ["BUZON_BIN"])
    out = subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True)
    return Path(out.strip())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServiceProcess:
    """One Buzón executable run as a process for a test: `env()` says how, `ready()` when it
    answers. `start()` waits for it (and, when a port picked by `free_port` was taken by
    another process meanwhile, picks new ones and tries again); `kill()` is SIGKILL; `stop()`
    is SIGTERM, as an administrator would."""

    executable = ""

    def __init__(self, tmp: Path, env: dict | None, log_name: str):
        self.tmp = Path(tmp)
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None
        self.log_path = self.tmp / log_name

    def env(self) -> dict:
        raise NotImplementedError

    def environment(self, own: dict) -> dict:
        """This process's environment: the test's, then `own` settings, then the test's extras."""
        env = dict(os.environ)
        env.update(own)
        env.update(self.extra_env)
        return env

    def ready(self) -> bool:
        raise NotImplementedError

    def new_ports(self) -> None:
        """Picks fresh ports (for the retry after a port race)."""

    def start(self, timeout: float = 20.0):
        for attempt in range(3):
            try:
                return self._start(timeout)
            except RuntimeError as error:
                if "Address already in use" not in str(error) or attempt == 2:
                    raise
                self.new_ports()
        raise AssertionError("unreachable")

    def _start(self, timeout: float):
        self.tmp.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([str(bin_dir() / self.executable)], env=self.env(), stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.executable} exited with {self.proc.returncode}: {self.log_path.read_text()[-2000:]}")
            try:
                if self.ready():
                    return self
            except (OSError, requests.RequestException):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.executable} did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> int | None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode if self.proc else None


def greets(host: str, port: int, prefix: bytes) -> bool:
    """A server on host:port answers with a greeting that starts with `prefix`."""
    with socket.create_connection((host, port), timeout=1) as s:
        return s.recv(100).startswith(prefix)


class Store(ServiceProcess):
    """A mailbox-store process. `kill()` is SIGKILL; `start()` again reuses the data dir."""

    executable = "mailbox-store"

    def __init__(self, data_dir: Path, port: int | None = None, token: str | None = None, env: dict | None = None):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.token = token or secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(self.data_dir.parent, env, f"store-{self.port}.log")

    def env(self) -> dict:
        return self.environment({
            "BUZON_DATA_DIR": str(self.data_dir),
            "BUZON_STORE_PORT": str(self.port),
            "BUZON_STORE_HOST": "127.0.0.1",
            "BUZON_INTERNAL_TOKEN": self.token,
            "BUZON_BCRYPT_COST": "4",
            "BUZON_LOGIN_FAILURE_DELAY_MS": "0",
            "BUZON_LOG_LEVEL": "warning",
        })

    def ready(self) -> bool:
        return requests.get(self.url + "/healthz", timeout=1).status_code == 200

    def start(self, timeout: float = 20.0) -> "Store":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self._start(timeout)  # the port is the store's identity: never changed

    # --- API helpers ---------------------------------------------------------------
    def headers(self, extra: dict | None = None) -> dict:
        h = {"Authorization": f"Bearer {self.token}"}
        h.update(extra or {})
        return h

    def api(self, method: str, path: str, **kw) -> requests.Response:
        headers = self.headers(kw.pop("headers", None))
        return requests.request(method, self.url + path, headers=headers, timeout=kw.pop("timeout", 30), **kw)

    def add_user(self, address: str, password: str = "secret") -> None:
        domain = address.split("@", 1)[1]
        r = self.api("POST", "/v1/domains", json={"name": domain})
        assert r.status_code in (201, 409), r.text
        r = self.api("POST", "/v1/users", json={"address": address, "password": password})
        assert r.status_code == 201, r.text

    def inbox(self, account: str) -> dict:
        r = self.api("GET", f"/v1/accounts/{account}/mailboxes")
        assert r.status_code == 200, r.text
        return next(m for m in r.json()["mailboxes"] if m["name"] == "INBOX")

    def deliver(self, raw: bytes, recipients: list[str], key: str | None = None, timeout: float = 30) -> requests.Response:
        headers = {"Content-Type": "message/rfc822"}
        if key:
            headers["Idempotency-Key"] = key
        return self.api("POST", "/v1/deliveries", params=[("recipient", r) for r in recipients],
                        data=raw, headers=headers, timeout=timeout)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data").start()
    yield s
    s.stop()


def mailctl(store: Store, *args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.update({"BUZON_STORE_URL": store.url, "BUZON_INTERNAL_TOKEN": store.token})
    e.update(env or {})
    return subprocess.run([str(bin_dir() / "mailctl"), *args], input=stdin, capture_output=True, text=True, env=e, timeout=60)


class Gateway(ServiceProcess):
    """An smtp-gateway process in front of `store`, with the MX, submission and submissions
    listeners on free ports of `host` and a self-signed certificate for localhost."""

    executable = "smtp-gateway"

    def __init__(self, store: Store, tmp: Path, env: dict | None = None, host: str = "127.0.0.1"):
        self.store = store
        self.host = host
        self.new_ports()
        self.cert, self.key = make_certificate(Path(tmp))
        super().__init__(tmp, env, f"smtp-gateway-{host}-{self.mx_port}.log")

    def new_ports(self) -> None:
        self.mx_port, self.submission_port, self.submissions_port, self.admin_port = (free_port() for _ in range(4))

    def env(self) -> dict:
        return self.environment({
            "BUZON_STORE_URL": self.store.url,
            "BUZON_INTERNAL_TOKEN": self.store.token,
            "BUZON_SMTP_HOST": self.host,
            "BUZON_SMTP_MX_PORT": str(self.mx_port),
            "BUZON_SMTP_SUBMISSION_PORT": str(self.submission_port),
            "BUZON_SMTP_SUBMISSIONS_PORT": str(self.submissions_port),
            "BUZON_SMTP_ADMIN_PORT": str(self.admin_port),
            "BUZON_TLS_CERT": str(self.cert),
            "BUZON_TLS_KEY": str(self.key),
            "BUZON_HOSTNAME": "mx.example.test",
            "BUZON_LOG_LEVEL": "warning",
            # A store that stays down is answered 451 after 2 s, not the default 30 s.
            "BUZON_SMTP_STORE_RETRY_SECONDS": "2",
        })

    def ready(self) -> bool:
        return greets(self.host, self.mx_port, b"220")


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (SWIFT-NOTES.md's recipe)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not cert.exists():
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def mail_system(tmp_path):
    """A store with the domain example.test, users alice and bob (password `secret`), and an
    smtp-gateway in front of it. Yields (store, gateway)."""
    store = Store(tmp_path / "data").start()
    store.add_user("alice@example.test")
    store.add_user("bob@example.test")
    try:
        gateway = Gateway(store, tmp_path).start()
    except Exception:
        store.stop()
        raise
    yield store, gateway
    gateway.stop()
    store.stop()


def inbox_messages(store: Store, account: str) -> list[bytes]:
    """The raw messages in an account's INBOX, in UID order."""
    inbox = store.inbox(account)
    listed = store.api("GET", f"/v1/accounts/{account}/mailboxes/{inbox['id']}/messages").json()["messages"]
    return [store.api("GET", f"/v1/accounts/{account}/mailboxes/{inbox['id']}/messages/{m['uid']}/raw").content for m in listed]


class ReadingGateway(ServiceProcess):
    """A gateway users read mail through (pop3-gateway, imap-gateway) in front of `store`: its
    plain and implicit-TLS ports and the admin port, free ones, and a self-signed certificate
    for localhost. Subclasses name the executable, the variables' prefix and the greeting."""

    prefix = ""  # POP3 or IMAP: BUZON_<prefix>_PORT, BUZON_<prefix>S_PORT, …
    hostname = ""
    greeting = b""

    def __init__(self, store: Store, tmp: Path, env: dict | None = None):
        self.store = store
        self.new_ports()
        self.cert, self.key = make_certificate(Path(tmp))
        super().__init__(tmp, env, f"{self.executable}-{self.port}.log")

    def new_ports(self) -> None:
        self.port, self.tls_port, self.admin_port = (free_port() for _ in range(3))

    def env(self) -> dict:
        return self.environment({
            "BUZON_STORE_URL": self.store.url,
            "BUZON_INTERNAL_TOKEN": self.store.token,
            f"BUZON_{self.prefix}_HOST": "127.0.0.1",
            f"BUZON_{self.prefix}_PORT": str(self.port),
            f"BUZON_{self.prefix}S_PORT": str(self.tls_port),
            f"BUZON_{self.prefix}_ADMIN_PORT": str(self.admin_port),
            "BUZON_TLS_CERT": str(self.cert),
            "BUZON_TLS_KEY": str(self.key),
            "BUZON_HOSTNAME": self.hostname,
            "BUZON_LOG_LEVEL": "warning",
        })

    def ready(self) -> bool:
        return greets("127.0.0.1", self.port, self.greeting)


class POP3Gateway(ReadingGateway):
    """A pop3-gateway process: POP3 (STLS) and POP3S."""

    executable = "pop3-gateway"
    prefix = "POP3"
    hostname = "pop.example.test"
    greeting = b"+OK"


class IMAPGateway(ReadingGateway):
    """An imap-gateway process: IMAP (STARTTLS) and IMAPS."""

    executable = "imap-gateway"
    prefix = "IMAP"
    hostname = "imap.example.test"
    greeting = b"* OK"


def reading_system(tmp_path, reader: type[ReadingGateway]):
    """store + smtp-gateway + `reader`, users alice and bob (password `secret`).
    Yields (store, smtp_gateway, reading_gateway)."""
    store = Store(tmp_path / "data").start()
    store.add_user("alice@example.test")
    store.add_user("bob@example.test")
    smtp = gateway = None
    try:
        smtp = Gateway(store, tmp_path).start()
        gateway = reader(store, tmp_path).start()
    except Exception:
        for process in (smtp, store):
            if process:
                process.stop()
        raise
    yield store, smtp, gateway
    gateway.stop()
    smtp.stop()
    store.stop()


@pytest.fixture
def pop3_system(tmp_path):
    """store + smtp-gateway + pop3-gateway (see `reading_system`)."""
    yield from reading_system(tmp_path, POP3Gateway)


@pytest.fixture
def imap_system(tmp_path):
    """store + smtp-gateway + imap-gateway (see `reading_system`)."""
    yield from reading_system(tmp_path, IMAPGateway)


class Webmail(ServiceProcess):
    """A webmail process in front of `store`: HTTP and HTTPS (a self-signed certificate for
    localhost and 127.0.0.1) and the admin port, free ones on loopback. Ready when its admin
    port answers /healthz."""

    executable = "webmail"

    def __init__(self, store: Store, tmp: Path, env: dict | None = None):
        self.store = store
        self.new_ports()
        self.cert, self.key = make_certificate(Path(tmp))
        super().__init__(tmp, env, f"webmail-{self.port}.log")

    def new_ports(self) -> None:
        self.port, self.tls_port, self.admin_port = (free_port() for _ in range(3))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tls_url(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"

    def env(self) -> dict:
        return self.environment({
            "BUZON_STORE_URL": self.store.url,
            "BUZON_INTERNAL_TOKEN": self.store.token,
            "BUZON_WEBMAIL_HOST": "127.0.0.1",
            "BUZON_WEBMAIL_PORT": str(self.port),
            "BUZON_WEBMAILS_PORT": str(self.tls_port),
            # Mail over plain HTTP too, as the tests read it there (the default sends it to HTTPS).
            "BUZON_WEBMAIL_PLAIN_HTTP": "serve",
            "BUZON_WEBMAIL_ADMIN_PORT": str(self.admin_port),
            "BUZON_TLS_CERT": str(self.cert),
            "BUZON_TLS_KEY": str(self.key),
            "BUZON_LOG_LEVEL": "warning",
        })

    def ready(self) -> bool:
        return requests.get(f"http://127.0.0.1:{self.admin_port}/healthz", timeout=1).status_code == 200


def webmail_stack(tmp_path, store_env: dict | None = None):
    """store (with `store_env`) + smtp-gateway + imap-gateway + webmail, users alice and bob
    (password `secret`). Yields (store, smtp_gateway, imap_gateway, webmail)."""
    store = Store(tmp_path / "data", env=store_env).start()
    store.add_user("alice@example.test")
    store.add_user("bob@example.test")
    started: list[ServiceProcess] = [store]
    try:
        for kind in (Gateway, IMAPGateway, Webmail):
            started.append(kind(store, tmp_path).start())
    except Exception:
        for process in reversed(started):
            process.stop()
        raise
    yield tuple(started)
    for process in reversed(started):
        process.stop()


@pytest.fixture
def webmail_system(tmp_path):
    """store + smtp-gateway + imap-gateway + webmail (see `webmail_stack`).
    Yields (store, smtp, imap, webmail)."""
    yield from webmail_stack(tmp_path)


class Relay(ServiceProcess):
    """A queue-relay process working `store`'s queue. `env` sets BUZON_RELAY_ROUTES,
    BUZON_DNS_SERVER, BUZON_RETRY_INTERVAL, BUZON_MAX_ATTEMPTS … (see RelayConfiguration)."""

    executable = "queue-relay"

    def __init__(self, store: Store, tmp: Path, env: dict | None = None, worker: str | None = None):
        self.store = store
        self.new_ports()
        self.worker = worker or f"relay-{self.admin_port}"
        super().__init__(tmp, env, f"queue-relay-{self.admin_port}.log")

    def new_ports(self) -> None:
        self.admin_port = free_port()

    def env(self) -> dict:
        return self.environment({
            "BUZON_STORE_URL": self.store.url,
            "BUZON_INTERNAL_TOKEN": self.store.token,
            "BUZON_RELAY_ADMIN_PORT": str(self.admin_port),
            "BUZON_RELAY_WORKER_ID": self.worker,
            "BUZON_RELAY_POLL": "0.2",
            "BUZON_HOSTNAME": "relay.example.test",
            "BUZON_LOG_LEVEL": "info",
        })

    def ready(self) -> bool:
        return requests.get(f"http://127.0.0.1:{self.admin_port}/healthz", timeout=1).status_code == 200


@pytest.fixture
def cleanup():
    """Stops whatever a test started (`cleanup(thing)`), in reverse order, even when it fails."""
    things = []
    yield things.append
    for thing in reversed(things):
        try:
            thing.stop()
        except Exception:
            pass
