#!/usr/bin/env bash
# make bench-relay: relay throughput, messages per second from a full outbound queue to a fast
# local sink, 5,000 messages of 4 KiB to one remote address (user@sink.test) with 20 deliveries
# at once, Buzón (queue-relay leasing from mailbox-store, release build, fresh data dir) side by
# side with Postfix relaying the same messages to the same sink, as a ratio from one run.
#
# The sink is Postfix's smtp-sink (from the postfix package): one process that answers every
# command at once, throws the messages away and, with -c, writes a running count of messages
# received. One sink serves both sides, one after the other; each side is timed against the count
# it had before. It listens on loopback, backlog 1000 (smtp-sink's own limit of 256 connections
# at once is far above the 20 used here).
#
# Buzón: mailbox-store alone; the 5,000 messages are queued over its internal API as the
# submission port would queue them (POST /v1/deliveries, Buzon-Envelope with relay: true,
# 20 requests at once, Benchmarks/relay-load.py fill-store) while no relay runs. Then the
# queue-relay starts with BUZON_RELAY_ROUTES=sink.test=127.0.0.1:<sink>, CONCURRENCY=20 and
# POLL=0.05, and the clock runs from just before its start until GET /v1/queue is empty (every
# outcome reported to the store and the entry removed).
# Postfix: a private instance (configuration, queue and log under a temporary directory, loopback
# only, the system's own configuration untouched, nothing left running), transport_maps sending
# sink.test to [127.0.0.1]:<sink> and default_destination_concurrency_limit = 20. The same
# 5,000 messages go in over SMTP from 20 senders while defer_transports = smtp holds them in the
# queue. Then defer_transports is emptied and the clock runs from just before `postfix reload`
# (+ `postqueue -f`, which flushes the deferred queue) until `postqueue -p` is empty.
# Either way the queue is looked at only once the sink has counted every message, so the
# polling takes nothing from the relay while it works. Both keep what they queued on disk with
# an fsync before accepting it (store commit with synchronous=FULL; Postfix's queue file).
#
# BENCH_BIN=dir uses the executables there instead of building (e.g. .build/debug: not figures
# to publish); BENCH_ONLY=buzon|postfix one side; BENCH_MESSAGES / BENCH_SIZE / BENCH_CONCURRENCY
# change the load (defaults 5000, 4096, 20); BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
MESSAGES="${BENCH_MESSAGES:-5000}"
SIZE="${BENCH_SIZE:-4096}"
CONCURRENCY="${BENCH_CONCURRENCY:-20}"
ONLY="${BENCH_ONLY:-}"
TO=user@sink.test
LOAD=(python3 Benchmarks/relay-load.py)
BENCH=bench-relay
. scripts/lib/bench.sh

scripts/install-deps.sh runtime
bench_install postfix   # the sink (smtp-sink) comes with it, so always
if [ "$ONLY" != buzon ] && [ "$(id -u)" != 0 ]; then
    echo "bench-relay: the Postfix side runs as root (sudo make bench-relay, or BENCH_ONLY=buzon)" >&2; exit 1
fi
if [ "$ONLY" != postfix ]; then bench_binaries mailbox-store queue-relay; fi

WORK="$(mktemp -d)"
chmod 755 "$WORK"   # Postfix's users walk into it
if [ "$ONLY" != postfix ]; then bench_copy_binaries mailbox-store queue-relay; fi
STORE="" RELAY="" SINK="" POSTFIX_UP=""
cleanup() {
    local rc=$?
    if [ "$rc" != 0 ]; then   # say why
        for log in "$WORK"/buzon/*.log "$WORK"/postfix/postfix.log "$WORK"/sink.log; do
            [ -s "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
        done
    fi
    [ -n "$RELAY" ] && kill "$RELAY" 2>/dev/null || true
    [ -n "$STORE" ] && kill "$STORE" 2>/dev/null || true
    [ -n "$POSTFIX_UP" ] && postfix -c "$WORK/postfix/etc" stop >/dev/null 2>&1 || true
    [ -n "$SINK" ] && kill "$SINK" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-relay: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
RESULTS="$WORK/results"; mkdir -p "$RESULTS"

machine_line
if [ -n "${BENCH_BIN:-}" ] && [ "$ONLY" != postfix ]; then echo "Buzón executables: $BIN_FROM"; fi
echo "load: $MESSAGES messages of $SIZE B to $TO, queued first, then relayed $CONCURRENCY at once"

# --- The sink: Postfix's smtp-sink, counting (-c) --------------------------------------------
SINK_PORT="$(free_port)"
COUNTS="$WORK/sink.counts"
SINK_USER=(); [ "$(id -u)" = 0 ] && SINK_USER=(-u nobody)   # it refuses to run as root
smtp-sink -c -4 "${SINK_USER[@]}" -h sink.test "127.0.0.1:$SINK_PORT" 1000 >"$COUNTS" 2>"$WORK/sink.log" &
SINK=$!
wait_greeting "$SINK_PORT" 220
echo "sink: smtp-sink (Postfix $(postconf -d -h mail_version)) on 127.0.0.1:$SINK_PORT, discarding, counting messages"

# --- Buzón: mailbox-store, then queue-relay ----------------------------------------------------
if [ "$ONLY" != postfix ]; then
    STORE_PORT="$(free_port)"
    TOKEN="bench-$(openssl rand -hex 8)"
    store_start
    URL="http://127.0.0.1:$STORE_PORT"
    "${LOAD[@]}" fill-store --url "$URL" --token "$TOKEN" --to "$TO" --messages "$MESSAGES" --size "$SIZE" --threads 20
    BASE="$("${LOAD[@]}" sink-count "$COUNTS")"
    START="$(now)"
    BUZON_STORE_URL="$URL" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_HOSTNAME=relay.bench.test \
        BUZON_RELAY_ROUTES="sink.test=127.0.0.1:$SINK_PORT" BUZON_RELAY_CONCURRENCY="$CONCURRENCY" \
        BUZON_RELAY_POLL=0.05 BUZON_RELAY_ADMIN_PORT="$(free_port)" BUZON_LOG_LEVEL=warning \
        "$BIN/queue-relay" 2>>"$WORK/buzon/relay.log" &
    RELAY=$!
    "${LOAD[@]}" wait --sink "$COUNTS" --base "$BASE" --start "$START" --messages "$MESSAGES" --size "$SIZE" \
        --concurrency "$CONCURRENCY" --store-queue "$URL" "$TOKEN" --timeout 300 \
        --label "Buzón" --json "$RESULTS/buzon.json"
    kill "$RELAY" "$STORE"; wait "$RELAY" "$STORE" 2>/dev/null || true
    RELAY="" STORE=""
fi

# --- Postfix, a private instance under $WORK ---------------------------------------------------
if [ "$ONLY" != buzon ]; then
    PF="$WORK/postfix"
    PF_PORT="$(free_port)"
    mkdir -p "$PF/etc"
    echo "sink.test smtp:[127.0.0.1]:$SINK_PORT" >"$PF/etc/transport"
    postfix_start_private "$PF_PORT" relay.bench.test "" <<EOF
# Where sink.test goes, and as many deliveries at once as Buzón's queue-relay makes.
transport_maps = texthash:$PF/etc/transport
default_destination_concurrency_limit = $CONCURRENCY
# While the queue is filled: hold every smtp delivery (lifted, then timed, below).
defer_transports = smtp
EOF
    echo "Postfix $(postconf -c "$PF/etc" -h mail_version) (Debian package $(dpkg-query -W -f '${Version}' postfix))"
    "${LOAD[@]}" fill-smtp --port "$PF_PORT" --to "$TO" --messages "$MESSAGES" --size "$SIZE" --senders 20
    for _ in $(seq 1 600); do   # until every message is through cleanup and deferred by qmgr
        queued="$(find "$PF/queue/deferred" -type f | wc -l)"
        [ "$queued" -ge "$MESSAGES" ] && break
        sleep 0.1
    done
    [ "$queued" -ge "$MESSAGES" ] || { echo "bench-relay: only $queued of $MESSAGES in Postfix's deferred queue" >&2; exit 1; }
    postconf -c "$PF/etc" -e 'defer_transports ='
    BASE="$("${LOAD[@]}" sink-count "$COUNTS")"
    START="$(now)"
    postfix -c "$PF/etc" reload >/dev/null 2>&1
    postqueue -c "$PF/etc" -f
    "${LOAD[@]}" wait --sink "$COUNTS" --base "$BASE" --start "$START" --messages "$MESSAGES" --size "$SIZE" \
        --concurrency "$CONCURRENCY" --postfix-queue "$PF/etc" --timeout 300 \
        --label "Postfix" --json "$RESULTS/postfix.json"
    postfix -c "$PF/etc" stop >/dev/null 2>&1; POSTFIX_UP=""
fi

kill "$SINK"; wait "$SINK" 2>/dev/null || true; SINK=""
echo
echo "sink: Postfix's smtp-sink (discards, counts); Buzón = queue-relay + mailbox-store$([ -n "${BENCH_BIN:-}" ] && echo " from $BIN_FROM")"
found=()
for f in buzon postfix; do   # Buzón first: ratio = Buzón / Postfix
    [ -e "$RESULTS/$f.json" ] && found+=("$RESULTS/$f.json")
done
"${LOAD[@]}" table "${found[@]}"
