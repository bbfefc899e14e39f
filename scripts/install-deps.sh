#!/usr/bin/env bash
# Installs the Debian packages Buzón needs when they are missing: `runtime` for make up,
# `test` for make test (adds the mail clients and tools the tests drive).
set -euo pipefail
want=(libsqlite3-dev openssl curl)
if [ "${1:-runtime}" = test ]; then
    want+=(sqlite3 swaks fetchmail getmail6 isync mutt python3-pip dnsmasq-base chromium chromium-driver)
fi
missing=()
for pkg in "${want[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "buzon: installing ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ "${1:-runtime}" = test ]; then
    python3 -m pip install -q --disable-pip-version-check -r Tests/requirements.txt
fi
