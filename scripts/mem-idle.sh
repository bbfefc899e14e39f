#!/bin/sh
# Memory of idle IMAP sessions, quickly (not the full `make bench-imap`): a fresh mailbox-store
# and imap-gateway from BIN (default: the debug build), SESSIONS users each LOGIN + SELECT INBOX
# + IDLE (Benchmarks/imap-load.py idle), and each process's resident memory before, with the
# sessions open, and after they logged out. Extra environment for both processes: MEM_ENV
# (e.g. MEM_ENV="MALLOC_ARENA_MAX=2").
#   scripts/mem-idle.sh [SESSIONS]        BIN=.build/release scripts/mem-idle.sh 1000
set -eu
SESSIONS="${1:-300}"
BIN="${BIN:-$(swift build --show-bin-path)}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
STORE_PORT=$(port); IMAP_PORT=$(port); TOKEN=mem-idle-token; PASSWORD=mem-idle-password
cleanup() { kill "${GATEWAY:-}" "${STORE:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/data"
env ${MEM_ENV:-} BUZON_DATA_DIR="$WORK/data" BUZON_STORE_HOST=127.0.0.1 BUZON_STORE_PORT="$STORE_PORT" \
    BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_BCRYPT_COST=4 BUZON_LOG_LEVEL=error "$BIN/mailbox-store" 2>>"$WORK/store.log" &
STORE=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$STORE_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
python3 "$HERE/Benchmarks/imap-load.py" fill-store --url "http://127.0.0.1:$STORE_PORT" --token "$TOKEN" \
    --password "$PASSWORD" --clients 0 --messages 0 --big 0 --idle "$SESSIONS"
env ${MEM_ENV:-} BUZON_STORE_URL="http://127.0.0.1:$STORE_PORT" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_IMAP_HOST=127.0.0.1 \
    BUZON_IMAP_PORT="$IMAP_PORT" BUZON_IMAPS_PORT="$(port)" BUZON_IMAP_ADMIN_PORT="$(port)" BUZON_HOSTNAME=imap.mem.test \
    BUZON_IMAP_MAX_CONNECTIONS=5000 BUZON_IMAP_MAX_CONNECTIONS_PER_ADDRESS=5000 BUZON_IMAP_MAX_CONNECTIONS_PER_USER=5000 \
    BUZON_LOG_LEVEL=error "$BIN/imap-gateway" 2>>"$WORK/gateway.log" &
GATEWAY=$!
for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $IMAP_PORT), 1)" 2>/dev/null && break; sleep 0.1; done
# Two rounds in the same processes: memory the first round leaves that the second reuses is a
# high-water mark (pools, caches, the allocator), not something kept per session.
for ROUND in 1 2; do
    python3 "$HERE/Benchmarks/imap-load.py" idle --port "$IMAP_PORT" --password "$PASSWORD" --idle "$SESSIONS" \
        --pid "imap-gateway=$GATEWAY" --pid "mailbox-store=$STORE" --wait 2 --settle 5 --json "$WORK/idle.json" >/dev/null
    python3 - "$WORK/idle.json" "$SESSIONS" "$ROUND" "$STORE" "$GATEWAY" <<'PY'
import json, sys
r, n, round_ = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
pids = {"mailbox-store": sys.argv[4], "imap-gateway": sys.argv[5]}
for name in r["before"]:
    b, a, c = (r[k][name]["rss_kb"] for k in ("before", "after", "closed"))
    kinds = {}
    for line in open(f"/proc/{pids[name]}/status"):
        if line.startswith(("RssAnon", "RssFile", "Threads")):
            key, value = line.split(":", 1)
            kinds[key] = value.split()[0]
    print(f"round {round_} {name}: RSS {b} → {a} → {c} KiB (before → {n} idle sessions → after LOGOUT): "
          f"{(a - b) / n:.1f} KiB per session open, {(c - b) / n:.1f} KiB per session kept after LOGOUT; "
          f"now RssAnon {kinds.get('RssAnon')} KiB, RssFile {kinds.get('RssFile')} KiB, {kinds.get('Threads')} threads")
PY
    echo "round $ROUND: the store's connections after LOGOUT: $(ss -Htn state established "( sport = :$STORE_PORT )" | wc -l) open," \
        "$(ss -Htn state close-wait "( sport = :$STORE_PORT )" | wc -l) closed by the gateway but not yet by the store"
done
