#!/usr/bin/env bash
# make bench: deliveries per second into the mailbox-store over the internal API, 20 concurrent
# clients, durable (synchronous=FULL), 4 KiB and 100 KiB messages. Release build, fresh data dir.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
scripts/install-deps.sh runtime
swift build -c release --product mailbox-store
swift build -c release --product store-bench
BIN="$(swift build -c release --show-bin-path)"
DATA="$(mktemp -d)"
PORT="${BENCH_PORT:-18925}"
TOKEN="bench-$(openssl rand -hex 8)"
trap 'kill $STORE 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT
BUZON_DATA_DIR="$DATA" BUZON_STORE_PORT="$PORT" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_LOG_LEVEL=warning "$BIN/mailbox-store" &
STORE=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT"
curl -fsS -H "Authorization: Bearer $TOKEN" -d '{"name":"example.test"}' "$URL/v1/domains" >/dev/null
curl -fsS -H "Authorization: Bearer $TOKEN" -d '{"address":"bench@example.test","password":"bench"}' "$URL/v1/users" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r); disk of $DATA: $(df -h "$DATA" | awk 'NR==2{print $1}')"
"$BIN/store-bench" "$URL" "$TOKEN" bench@example.test 200 100 20 >/dev/null   # warm-up
"$BIN/store-bench" "$URL" "$TOKEN" bench@example.test 4096 5000 20
"$BIN/store-bench" "$URL" "$TOKEN" bench@example.test 102400 1000 20
