"""The store's OpenAPI document and the running store agree, as schemathesis sees it (issue 11,
item 9).

schemathesis (a client we did not write) reads Services/mailbox-store/MailboxStore/openapi.yaml,
generates requests from it — valid ones, and invalid ones (negative testing) — and checks every
answer: no 5xx, a status the document lists, the documented content type and body schema,
schema-valid input not refused with 400, schema-invalid input refused, undocumented methods
answered 405 with `Allow`, and so on (every check; the one exception and why is in
schemathesis.toml beside this file).

The run is reproducible (fixed seed, deterministic generation) and bounded (examples per
operation, a time budget), so that `make test` stays within its budget on two cores.

Run: BUZON_BIN=.build/debug python3 -m pytest -q Tests/EndToEnd/test_schemathesis.py
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Store

HERE = Path(__file__).resolve().parent
SPEC = HERE.parents[1] / "Services" / "mailbox-store" / "MailboxStore" / "openapi.yaml"
CONFIG = HERE / "schemathesis.toml"
HOOKS = HERE / "schemathesis_hooks.py"
MAX_EXAMPLES = int(os.environ.get("BUZON_SCHEMATHESIS_EXAMPLES", "10"))
# Fuzzing repeats until the budget is spent: the run's length is this, whatever the machine.
SECONDS = os.environ.get("BUZON_SCHEMATHESIS_SECONDS", "75")
SEED = 20261206


def schemathesis_command() -> list[str]:
    found = shutil.which("schemathesis")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"]


def test_schemathesis_finds_no_disagreement(tmp_path):
    pytest.importorskip("schemathesis")
    store = Store(tmp_path / "data").start()
    try:
        command = schemathesis_command() + [
            "--config-file", str(CONFIG), "--no-color",
            "run", str(SPEC), "--url", store.url,
            # The internal API's bearer token (APIMiddleware.swift); ignored_auth checks that
            # every operation refuses a request without it.
            "-H", f"Authorization: Bearer {store.token}",
            # Every check (schemathesis' default, and `[checks] enabled = true` in the config);
            # not `--checks all` here, which would override the config's one per-operation
            # exception (command-line options come first).
            "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--generation-deterministic",
            "--phases", "examples,coverage,fuzzing",
            "--workers", "1", "--request-timeout", "10", "--max-time", SECONDS,
        ]
        env = dict(os.environ, SCHEMATHESIS_HOOKS=str(HOOKS))
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
        (tmp_path / "schemathesis.out").write_text(result.stdout + result.stderr)
        # The summary and each failure's first lines (a failure can quote a 256 KiB header).
        output = "\n".join(line[:300] for line in (result.stdout + result.stderr).splitlines())
        assert result.returncode == 0, output[-15000:]
        assert store.proc.poll() is None, "the store died under schemathesis"
    finally:
        store.stop()
