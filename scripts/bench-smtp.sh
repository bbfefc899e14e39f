#!/usr/bin/env bash
# make bench-smtp: messages per second end to end, SMTP in -> in the recipient's mailbox, 4 KiB
# and 100 KiB messages from 20 concurrent senders (Benchmarks/smtp-load.py), Buzón (smtp-gateway
# in front of mailbox-store, release build, fresh data dir) side by side with Postfix delivering
# to Dovecot over LMTP on the same machine, with the same durability: every 250 is given after an
# fsync (Buzón: the store's commit, synchronous=FULL; Postfix: the queue file; Dovecot:
# mail_fsync=always). Postfix and Dovecot are the Debian packages, run as private instances
# with their configuration, queue and mail under a temporary directory, on loopback only; the
# system's own configuration is not touched and nothing is left running.
# BENCH_BIN=dir uses the executables there instead of building (e.g. .build/debug: not figures
# to publish); BENCH_SMALL / BENCH_LARGE set the message counts, BENCH_ONLY=buzon|postfix one side,
# BENCH_KEEP=1 keeps the temporary directory (logs, queue, Maildir, store).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
SMALL="${BENCH_SMALL:-5000}"
LARGE="${BENCH_LARGE:-1000}"
SENDERS=20
ONLY="${BENCH_ONLY:-}"
LOAD=(python3 Benchmarks/smtp-load.py)
BENCH=bench-smtp
. scripts/lib/bench.sh

scripts/install-deps.sh runtime
if [ "$ONLY" != buzon ]; then
    bench_install postfix dovecot-core dovecot-lmtpd
    [ "$(id -u)" = 0 ] || { echo "bench-smtp: the Postfix + Dovecot side runs as root (sudo make bench-smtp, or BENCH_ONLY=buzon)" >&2; exit 1; }
fi
if [ "$ONLY" != postfix ]; then bench_binaries mailbox-store smtp-gateway; fi

WORK="$(mktemp -d)"
chmod 755 "$WORK"   # Postfix and Dovecot's users walk into it
STORE="" GATEWAY="" POSTFIX_UP="" DOVECOT_UP=""
cleanup() {
    local rc=$?
    if [ "$rc" != 0 ]; then   # say why: Postfix only writes to its log when not on a terminal
        for log in "$WORK"/buzon/*.log "$WORK"/postfix/postfix.log "$WORK"/dovecot/dovecot.log; do
            [ -s "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
        done
    fi
    [ -n "$GATEWAY" ] && kill "$GATEWAY" 2>/dev/null || true
    [ -n "$STORE" ] && kill "$STORE" 2>/dev/null || true
    [ -n "$POSTFIX_UP" ] && postfix -c "$WORK/postfix/etc" stop >/dev/null 2>&1 || true
    [ -n "$DOVECOT_UP" ] && doveadm -c "$WORK/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
    wait 2>/dev/null || true
    if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-smtp: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
RESULTS="$WORK/results"; mkdir -p "$RESULTS"
run_load() {  # label file-stem port counter-args...
    local label="$1" stem="$2" port="$3"; shift 3
    "${LOAD[@]}" run --port "$port" --to bench@bench.test --size 1024 --messages 200 --senders "$SENDERS" \
        --label "$label" "$@" >/dev/null   # warm-up
    "${LOAD[@]}" run --port "$port" --to bench@bench.test --size 4096 --messages "$SMALL" --senders "$SENDERS" \
        --label "$label" --json "$RESULTS/4k-$stem.json" "$@"
    "${LOAD[@]}" run --port "$port" --to bench@bench.test --size 102400 --messages "$LARGE" --senders "$SENDERS" \
        --label "$label" --json "$RESULTS/100k-$stem.json" "$@"
}

machine_line
[ -n "${BENCH_BIN:-}" ] && echo "Buzón executables: $BIN"

# --- Buzón: smtp-gateway (MX port, no TLS) in front of mailbox-store ------------------------
if [ "$ONLY" != postfix ]; then
    STORE_PORT="$(free_port)"; MX_PORT="$(free_port)"
    TOKEN="bench-$(openssl rand -hex 8)"
    store_start
    URL="http://127.0.0.1:$STORE_PORT"
    curl -fsS -H "Authorization: Bearer $TOKEN" -d '{"name":"bench.test"}' "$URL/v1/domains" >/dev/null
    curl -fsS -H "Authorization: Bearer $TOKEN" -d '{"address":"bench@bench.test","password":"bench"}' "$URL/v1/users" >/dev/null
    BUZON_STORE_URL="$URL" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_SMTP_HOST=127.0.0.1 BUZON_SMTP_MX_PORT="$MX_PORT" \
        BUZON_SMTP_SUBMISSION_PORT="$(free_port)" BUZON_SMTP_SUBMISSIONS_PORT="$(free_port)" \
        BUZON_SMTP_ADMIN_PORT="$(free_port)" BUZON_HOSTNAME=mx.bench.test BUZON_LOG_LEVEL=error \
        "$BIN/smtp-gateway" 2>>"$WORK/buzon/gateway.log" &
    GATEWAY=$!
    wait_greeting "$MX_PORT" 220
    run_load "Buzón" buzon "$MX_PORT" --count-store "$URL" "$TOKEN"
    kill "$GATEWAY" "$STORE"; wait "$GATEWAY" "$STORE" 2>/dev/null || true
    GATEWAY="" STORE=""
fi

# --- Postfix -> LMTP -> Dovecot, private instances under $WORK --------------------------------
if [ "$ONLY" != buzon ]; then
    PF="$WORK/postfix" DC="$WORK/dovecot" MAIL="$WORK/mail"
    PF_PORT="$(free_port)"
    mkdir -p "$DC/run" "$DC/state" "$MAIL"
    chown mail:mail "$MAIL"
    {
        cat <<EOF
base_dir = $DC/run
state_dir = $DC/state
instance_name = bench-smtp
protocols = lmtp
listen = 127.0.0.1
ssl = no
log_path = $DC/dovecot.log
first_valid_uid = $(id -u mail)
first_valid_gid = $(id -g mail)
mail_location = maildir:~/Maildir
mail_fsync = always
auth_username_format = %Ln
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$MAIL/%n allow_all_users=yes
}
EOF
        dovecot_lmtp_conf
    } >"$DC/dovecot.conf"
    dovecot -c "$DC/dovecot.conf"
    DOVECOT_UP=1
    for _ in $(seq 1 100); do [ -S "$DC/run/lmtp" ] && break; sleep 0.1; done
    postfix_start_private "$PF_PORT" mx.bench.test bench.test lmtp <<EOF
local_transport = lmtp:unix:$DC/run/lmtp
EOF
    echo "Postfix $(postconf -c "$PF/etc" -h mail_version), Dovecot $(dovecot --version | cut -d' ' -f1)"
    run_load "Postfix + Dovecot" postfix "$PF_PORT" --count-maildir "$MAIL/bench/Maildir"
    postfix -c "$PF/etc" stop >/dev/null 2>&1; POSTFIX_UP=""
    doveadm -c "$DC/dovecot.conf" stop >/dev/null 2>&1; DOVECOT_UP=""
fi

echo
found=()
for f in 4k-buzon 4k-postfix 100k-buzon 100k-postfix; do   # Buzón first: ratio = Buzón / Postfix
    [ -e "$RESULTS/$f.json" ] && found+=("$RESULTS/$f.json")
done
"${LOAD[@]}" table "${found[@]}"
