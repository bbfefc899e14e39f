#!/usr/bin/env bash
# make test: every test. Swift tests (grammar, store in-process over real sockets), then the
# end-to-end tests that launch the built executables and drive them with real clients.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
scripts/install-deps.sh test
swift build --build-tests
swift test --skip-build --disable-xctest
# Every parser's fuzz target, briefly (make fuzz runs them longer; docs/FUZZING.md).
FUZZ_SECONDS=${FUZZ_SECONDS:-5} scripts/fuzz.sh
export BUZON_BIN="$(swift build --show-bin-path)"
python3 -m pytest -q Tests/EndToEnd
