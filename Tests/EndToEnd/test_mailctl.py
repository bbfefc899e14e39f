"""mailctl end to end: the built binary against a running mailbox-store.

Each test gets its own store (the `store` fixture). Results are checked twice: in what mailctl
prints and exits with, and in what the store's API then says (so a command that prints
"added" without adding anything fails).

Exit codes (MailCtl.swift): 0 done; 1 the store refused; 3 the store is unreachable; 64 usage.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_mailctl.py
"""

from __future__ import annotations

import os
import subprocess
import time

from conftest import Store, bin_dir, free_port, mailctl

EX_USAGE = 64  # sysexits(3): what swift-argument-parser exits with on a command line it cannot use

DOMAIN = "example.test"
MESSAGE = (b"From: Sender <sender@remote.test>\r\nTo: alice@example.test\r\nSubject: hi\r\n"
           b"Message-ID: <mailctl-1@remote.test>\r\n\r\nHello.\r\n")


# --- helpers --------------------------------------------------------------------------------

def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result


def fails(result: subprocess.CompletedProcess, code: int, *words: str) -> str:
    """Asserts the exit code and that stderr mentions every word (case-insensitive)."""
    assert result.returncode == code, f"exit {result.returncode}, wanted {code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    err = result.stderr.lower()
    for word in words:
        assert word.lower() in err, f"stderr does not mention {word!r}: {result.stderr!r}"
    return result.stderr


def bare_env(**extra: str) -> dict:
    """The caller's environment without any BUZON_ variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUZON_")}
    env.update(extra)
    return env


def run_mailctl(*args: str, env: dict, stdin: str | None = None, cwd=None) -> subprocess.CompletedProcess:
    """mailctl with exactly `env` (the conftest helper always sets a token)."""
    return subprocess.run([str(bin_dir() / "mailctl"), *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=60)


def table(output: str) -> list[dict]:
    """Parses printTable output: columns start where their header starts."""
    lines = [l for l in output.splitlines() if l.strip()]
    assert lines, output
    header = lines[0]
    names = header.split()
    starts = [header.index(n) for n in names]
    rows = []
    for line in lines[1:]:
        cells = []
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else None
            cells.append(line[start:end].strip())
        rows.append(dict(zip(names, cells)))
    return rows


def api_domains(store: Store) -> dict:
    r = store.api("GET", "/v1/domains")
    assert r.status_code == 200, r.text
    return {d["name"]: d for d in r.json()["domains"]}


def api_users(store: Store, domain: str | None = None) -> list[str]:
    r = store.api("GET", "/v1/users", params={"domain": domain} if domain else None)
    assert r.status_code == 200, r.text
    return [u["address"] for u in r.json()["users"]]


def api_aliases(store: Store) -> dict:
    r = store.api("GET", "/v1/aliases")
    assert r.status_code == 200, r.text
    return {a["address"]: a["targets"] for a in r.json()["aliases"]}


def login(store: Store, address: str, password: str) -> str:
    r = store.api("POST", "/v1/auth/verify", json={"username": address, "password": password, "service": "test"})
    assert r.status_code == 200, r.text
    return r.json()["result"]


def with_domain(store: Store, domain: str = DOMAIN) -> Store:
    ok(mailctl(store, "domain", "add", domain))
    return store


# --- domains --------------------------------------------------------------------------------

def test_domain_add_list_del(store: Store):
    r = ok(mailctl(store, "domain", "add", "Example.TEST"))
    assert "example.test" in r.stdout
    ok(mailctl(store, "domain", "add", "other.test"))
    assert set(api_domains(store)) == {"example.test", "other.test"}

    rows = table(ok(mailctl(store, "domain", "list")).stdout)
    assert [r["DOMAIN"] for r in rows] == ["example.test", "other.test"]
    assert all(r["USERS"] == "0" and r["ALIASES"] == "0" for r in rows)

    r = ok(mailctl(store, "domain", "del", "other.test"))
    assert "other.test" in r.stdout
    assert set(api_domains(store)) == {"example.test"}
    assert [r["DOMAIN"] for r in table(ok(mailctl(store, "domain", "list")).stdout)] == ["example.test"]


def test_domain_list_counts_users_and_aliases(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password", "pw-alice", "alice@example.test"))
    ok(mailctl(store, "alias", "add", "team@example.test", "alice@example.test"))
    rows = table(ok(mailctl(store, "domain", "list")).stdout)
    assert rows == [{"DOMAIN": "example.test", "USERS": "1", "ALIASES": "1"}]


def test_domain_add_existing_fails(store: Store):
    with_domain(store)
    fails(mailctl(store, "domain", "add", DOMAIN), 1, "exists")
    assert list(api_domains(store)) == [DOMAIN]


def test_domain_add_invalid_fails(store: Store):
    for bad in ("bad domain.test", "-bad-.test", "a..test", "x@y.test"):
        fails(mailctl(store, "domain", "add", "--", bad), 1, "domain")
    assert api_domains(store) == {}


def test_domain_del_missing_fails(store: Store):
    fails(mailctl(store, "domain", "del", "nowhere.test"), 1, "no such domain")


def test_domain_del_with_users_fails(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password", "pw", "alice@example.test"))
    err = fails(mailctl(store, "domain", "del", DOMAIN), 1, "delete")
    assert "user" in err.lower(), err
    assert DOMAIN in api_domains(store)
    # Once the user is gone, the domain can go.
    ok(mailctl(store, "user", "del", "alice@example.test"))
    ok(mailctl(store, "domain", "del", DOMAIN))
    assert api_domains(store) == {}


# --- users ----------------------------------------------------------------------------------

def test_user_add_with_password_option(store: Store):
    with_domain(store)
    r = ok(mailctl(store, "user", "add", "--password", "s3cret-opt", "Alice@Example.test"))
    assert "alice@example.test" in r.stdout
    assert api_users(store) == ["alice@example.test"]
    assert login(store, "alice@example.test", "s3cret-opt") == "ok"


def test_user_add_with_password_stdin(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password-stdin", "bob@example.test", stdin="pw from stdin\n"))
    assert login(store, "bob@example.test", "pw from stdin") == "ok"
    assert login(store, "bob@example.test", "pw from stdin\n") == "invalid"


def test_user_add_reads_stdin_when_not_a_tty(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "carol@example.test", stdin="piped-password\nsecond line\n"))
    assert login(store, "carol@example.test", "piped-password") == "ok"


def test_user_add_without_password_on_stdin_is_a_usage_error(store: Store):
    with_domain(store)
    fails(mailctl(store, "user", "add", "--password-stdin", "dave@example.test", stdin=""), EX_USAGE, "password")
    assert api_users(store) == []


def test_user_list_and_domain_filter(store: Store):
    with_domain(store)
    with_domain(store, "other.test")
    for address in ("alice@example.test", "bob@example.test", "zed@other.test"):
        ok(mailctl(store, "user", "add", "--password", "pw", address))
    rows = table(ok(mailctl(store, "user", "list")).stdout)
    assert [r["ADDRESS"] for r in rows] == ["alice@example.test", "bob@example.test", "zed@other.test"]
    assert all(r["CREATED"] for r in rows)
    rows = table(ok(mailctl(store, "user", "list", "--domain", "other.test")).stdout)
    assert [r["ADDRESS"] for r in rows] == ["zed@other.test"]
    rows = table(ok(mailctl(store, "user", "list", "--domain", DOMAIN)).stdout)
    assert [r["ADDRESS"] for r in rows] == ["alice@example.test", "bob@example.test"]


def test_user_passwd(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password", "old-password", "alice@example.test"))
    assert login(store, "alice@example.test", "old-password") == "ok"
    r = ok(mailctl(store, "user", "passwd", "--password-stdin", "alice@example.test", stdin="new-password\n"))
    assert "alice@example.test" in r.stdout
    assert login(store, "alice@example.test", "new-password") == "ok"
    assert login(store, "alice@example.test", "old-password") == "invalid"
    # And with --password, and from a pipe without the flag.
    ok(mailctl(store, "user", "passwd", "--password", "third-password", "alice@example.test"))
    assert login(store, "alice@example.test", "third-password") == "ok"
    ok(mailctl(store, "user", "passwd", "alice@example.test", stdin="fourth-password\n"))
    assert login(store, "alice@example.test", "fourth-password") == "ok"
    assert login(store, "alice@example.test", "third-password") == "invalid"


def test_user_passwd_invalid_or_missing_user(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password", "old-password", "alice@example.test"))
    fails(mailctl(store, "user", "passwd", "--password", "x" * 73, "alice@example.test"), 1, "password")
    assert login(store, "alice@example.test", "old-password") == "ok"
    fails(mailctl(store, "user", "passwd", "--password", "pw", "nobody@example.test"), 1, "no such account")


def test_user_del(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password", "pw", "alice@example.test"))
    ok(mailctl(store, "user", "add", "--password", "pw", "bob@example.test"))
    store.deliver(MESSAGE, ["alice@example.test"])
    r = ok(mailctl(store, "user", "del", "alice@example.test"))
    assert "alice@example.test" in r.stdout
    assert api_users(store) == ["bob@example.test"]
    assert login(store, "alice@example.test", "pw") == "invalid"
    fails(mailctl(store, "mailbox", "list", "alice@example.test"), 1, "no such account")


def test_user_add_existing_fails(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password", "first", "alice@example.test"))
    fails(mailctl(store, "user", "add", "--password", "second", "ALICE@example.test"), 1, "exists")
    assert login(store, "alice@example.test", "first") == "ok"
    assert api_users(store) == ["alice@example.test"]


def test_user_add_over_an_alias_fails(store: Store):
    with_domain(store)
    ok(mailctl(store, "alias", "add", "team@example.test", "someone@remote.test"))
    fails(mailctl(store, "user", "add", "--password", "pw", "team@example.test"), 1, "exists")


def test_user_del_missing_fails(store: Store):
    with_domain(store)
    fails(mailctl(store, "user", "del", "nobody@example.test"), 1, "no such account")


def test_user_add_invalid_address_fails(store: Store):
    with_domain(store)
    for bad in ("not-an-address", "a b@example.test", "<alice@example.test>", "@example.test", "a@-bad-.test"):
        fails(mailctl(store, "user", "add", "--password", "pw", bad), 1, "address")
    assert api_users(store) == []


def test_user_add_unknown_domain_fails(store: Store):
    fails(mailctl(store, "user", "add", "--password", "pw", "alice@nowhere.test"), 1, "domain")
    assert api_users(store) == []


def test_user_add_bad_password_fails(store: Store):
    with_domain(store)
    fails(mailctl(store, "user", "add", "--password", "x" * 73, "alice@example.test"), 1, "password")
    assert api_users(store) == []


def test_user_with_special_characters_can_be_managed(store: Store):
    """RFC 5322 atext allows ' = / { } in local parts; mailctl percent-encodes them in the path
    (StoreClient.segment), and the store must decode them again."""
    with_domain(store)
    address = "o'brien=x@example.test"
    ok(mailctl(store, "user", "add", "--password", "pw", address))
    assert api_users(store) == [address]
    rows = table(ok(mailctl(store, "mailbox", "list", address)).stdout)
    assert "INBOX" in [r["MAILBOX"] for r in rows]
    ok(mailctl(store, "user", "passwd", "--password", "pw2", address))
    assert login(store, address, "pw2") == "ok"
    ok(mailctl(store, "user", "del", address))
    assert api_users(store) == []


# --- aliases --------------------------------------------------------------------------------

def test_alias_add_list_del(store: Store):
    with_domain(store)
    for address in ("alice@example.test", "bob@example.test"):
        ok(mailctl(store, "user", "add", "--password", "pw", address))
    r = ok(mailctl(store, "alias", "add", "team@example.test", "alice@example.test", "bob@example.test",
                   "friend@remote.test"))
    assert "team@example.test" in r.stdout
    assert api_aliases(store) == {"team@example.test": ["alice@example.test", "bob@example.test", "friend@remote.test"]}
    ok(mailctl(store, "alias", "add", "postmaster@example.test", "alice@example.test"))

    rows = table(ok(mailctl(store, "alias", "list")).stdout)
    assert rows == [
        {"ALIAS": "postmaster@example.test", "TARGETS": "alice@example.test"},
        {"ALIAS": "team@example.test", "TARGETS": "alice@example.test, bob@example.test, friend@remote.test"},
    ]
    # The alias reaches both accounts.
    r = store.api("GET", "/v1/recipients/team@example.test")
    assert r.status_code == 200 and sorted(r.json()["accounts"]) == ["alice@example.test", "bob@example.test"]

    # Adding again replaces the targets.
    ok(mailctl(store, "alias", "add", "team@example.test", "bob@example.test"))
    assert api_aliases(store)["team@example.test"] == ["bob@example.test"]

    r = ok(mailctl(store, "alias", "del", "team@example.test"))
    assert "team@example.test" in r.stdout
    assert api_aliases(store) == {"postmaster@example.test": ["alice@example.test"]}
    fails(mailctl(store, "alias", "del", "team@example.test"), 1, "no such alias")


def test_alias_list_domain_filter(store: Store):
    with_domain(store)
    with_domain(store, "other.test")
    ok(mailctl(store, "alias", "add", "a@example.test", "x@remote.test"))
    ok(mailctl(store, "alias", "add", "b@other.test", "y@remote.test"))
    rows = table(ok(mailctl(store, "alias", "list", "--domain", "other.test")).stdout)
    assert [r["ALIAS"] for r in rows] == ["b@other.test"]


def test_alias_errors(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password", "pw", "alice@example.test"))
    fails(mailctl(store, "alias", "add", "alice@example.test", "bob@remote.test"), 1, "exists")
    fails(mailctl(store, "alias", "add", "team@example.test", "not an address"), 1, "address")
    fails(mailctl(store, "alias", "add", "bad address@example.test", "alice@example.test"), 1, "address")
    fails(mailctl(store, "alias", "add", "team@nowhere.test", "alice@example.test"), 1, "domain")
    assert api_aliases(store) == {}


# --- mailboxes ------------------------------------------------------------------------------

def test_mailbox_list_after_delivery(store: Store):
    with_domain(store)
    ok(mailctl(store, "user", "add", "--password", "pw", "alice@example.test"))
    r = store.deliver(MESSAGE, ["alice@example.test"])
    assert r.status_code == 200, r.text
    r = store.deliver(MESSAGE.replace(b"mailctl-1", b"mailctl-2"), ["alice@example.test"])
    assert r.status_code == 200, r.text

    out = ok(mailctl(store, "mailbox", "list", "alice@example.test")).stdout
    rows = {r["MAILBOX"]: r for r in table(out)}
    assert list(rows) == ["INBOX", "Drafts", "Junk", "Sent", "Trash"]
    assert rows["INBOX"]["MESSAGES"] == "2" and rows["INBOX"]["UNSEEN"] == "2"
    assert int(rows["INBOX"]["SIZE"]) == 2 * len(MESSAGE)
    assert int(rows["INBOX"]["UIDNEXT"]) == 3
    for name in ("Sent", "Drafts", "Trash", "Junk"):
        assert rows[name]["SPECIAL-USE"] == "\\" + name
        assert rows[name]["MESSAGES"] == "0" and rows[name]["UNSEEN"] == "0"
        assert int(rows[name]["UIDNEXT"]) == 1
    assert rows["INBOX"]["SPECIAL-USE"] == ""
    assert all(int(r["UIDVALIDITY"]) > 0 for r in rows.values())


def test_mailbox_list_unknown_user_fails(store: Store):
    with_domain(store)
    fails(mailctl(store, "mailbox", "list", "nobody@example.test"), 1, "no such account")


# --- connection and token -------------------------------------------------------------------

def test_store_unreachable_exits_3(store: Store):
    """A closed port is refused at once; mailctl says so promptly (not after its 30 s timeout)."""
    closed = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    fails(mailctl(store, "domain", "list", "--store-url", closed), 3, "unavailable")
    assert time.monotonic() - started < 10, "mailctl took more than 10 s to report a refused connection"
    # BUZON_STORE_URL is used when there is no flag.
    fails(mailctl(store, "user", "add", "--password", "pw", "a@example.test", env={"BUZON_STORE_URL": closed}),
          3, "unavailable")


def test_wrong_token_fails(store: Store):
    err = fails(mailctl(store, "domain", "list", env={"BUZON_INTERNAL_TOKEN": "not-the-token"}), 1, "token")
    assert store.token not in err
    fails(mailctl(store, "domain", "add", "x.test", "--token", store.token + "x"), 1, "token")
    assert api_domains(store) == {}


def test_token_flag_overrides_environment(store: Store):
    ok(mailctl(store, "domain", "add", "x.test", "--token", store.token, env={"BUZON_INTERNAL_TOKEN": "wrong"}))
    assert "x.test" in api_domains(store)


def test_no_token_is_a_usage_error(store: Store, tmp_path):
    empty = tmp_path / "empty-data"
    empty.mkdir()
    env = bare_env(BUZON_DATA_DIR=str(empty), BUZON_STORE_URL=store.url)
    fails(run_mailctl("domain", "list", env=env), EX_USAGE, "token")
    # Without BUZON_DATA_DIR the default ./.data of the working directory is looked at.
    fails(run_mailctl("domain", "list", env=bare_env(BUZON_STORE_URL=store.url), cwd=tmp_path), EX_USAGE, "token")


def test_token_file_fallback(store: Store, tmp_path):
    data = tmp_path / "mailctl-data"
    data.mkdir()
    (data / "internal-token").write_text(store.token + "\n")
    env = bare_env(BUZON_DATA_DIR=str(data), BUZON_STORE_URL=store.url)
    ok(run_mailctl("domain", "add", DOMAIN, env=env))
    assert DOMAIN in api_domains(store)
    rows = table(ok(run_mailctl("domain", "list", env=env)).stdout)
    assert [r["DOMAIN"] for r in rows] == [DOMAIN]
    # The default data directory is ./.data.
    (tmp_path / ".data").mkdir()
    (tmp_path / ".data" / "internal-token").write_text(store.token)
    ok(run_mailctl("user", "add", "--password", "pw", "alice@example.test",
                   env=bare_env(BUZON_STORE_URL=store.url), cwd=tmp_path))
    assert api_users(store) == ["alice@example.test"]


def test_missing_argument_is_a_usage_error(store: Store):
    fails(mailctl(store, "domain", "add"), EX_USAGE, "missing")
    fails(mailctl(store, "alias", "add", "team@example.test"), EX_USAGE)


def test_help_lists_subcommands(store: Store):
    r = ok(mailctl(store, "--help"))
    for sub in ("domain", "user", "alias", "mailbox", "login-failures"):
        assert sub in r.stdout, r.stdout
    r = ok(mailctl(store, "user", "--help"))
    for sub in ("add", "list", "show", "passwd", "unlock", "del"):
        assert sub in r.stdout, r.stdout
