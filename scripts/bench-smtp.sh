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

scripts/install-deps.sh runtime
if [ "$ONLY" != buzon ]; then
    missing=()
    for pkg in postfix dovecot-core dovecot-lmtpd; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
        echo "bench-smtp: installing ${missing[*]}" >&2
        echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    [ "$(id -u)" = 0 ] || { echo "bench-smtp: the Postfix + Dovecot side runs as root (sudo make bench-smtp, or BENCH_ONLY=buzon)" >&2; exit 1; }
fi
if [ "$ONLY" != postfix ]; then
    if [ -n "${BENCH_BIN:-}" ]; then
        BIN="$(cd "$BENCH_BIN" && pwd)"
    else
        swift build -c release --product mailbox-store
        swift build -c release --product smtp-gateway
        BIN="$(swift build -c release --show-bin-path)"
    fi
fi

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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_smtp() {  # port: until it greets with 220
    for _ in $(seq 1 200); do
        python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1])),1); sys.exit(0 if s.recv(3)==b"220" else 1)' "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "bench-smtp: nothing greets on port $1" >&2; return 1
}
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

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r); disk of $WORK: $(df -h "$WORK" | awk 'NR==2{print $1}')"
[ -n "${BENCH_BIN:-}" ] && echo "Buzón executables: $BIN"

# --- Buzón: smtp-gateway (MX port, no TLS) in front of mailbox-store ------------------------
if [ "$ONLY" != postfix ]; then
    STORE_PORT="$(free_port)"; MX_PORT="$(free_port)"
    TOKEN="bench-$(openssl rand -hex 8)"
    mkdir -p "$WORK/buzon/data"
    BUZON_DATA_DIR="$WORK/buzon/data" BUZON_STORE_HOST=127.0.0.1 BUZON_STORE_PORT="$STORE_PORT" \
        BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_LOG_LEVEL=warning "$BIN/mailbox-store" 2>>"$WORK/buzon/store.log" &
    STORE=$!
    for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$STORE_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    URL="http://127.0.0.1:$STORE_PORT"
    curl -fsS -H "Authorization: Bearer $TOKEN" -d '{"name":"bench.test"}' "$URL/v1/domains" >/dev/null
    curl -fsS -H "Authorization: Bearer $TOKEN" -d '{"address":"bench@bench.test","password":"bench"}' "$URL/v1/users" >/dev/null
    BUZON_STORE_URL="$URL" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_SMTP_HOST=127.0.0.1 BUZON_SMTP_MX_PORT="$MX_PORT" \
        BUZON_SMTP_SUBMISSION_PORT="$(free_port)" BUZON_SMTP_SUBMISSIONS_PORT="$(free_port)" \
        BUZON_SMTP_ADMIN_PORT="$(free_port)" BUZON_HOSTNAME=mx.bench.test BUZON_LOG_LEVEL=error \
        "$BIN/smtp-gateway" 2>>"$WORK/buzon/gateway.log" &
    GATEWAY=$!
    wait_smtp "$MX_PORT"
    run_load "Buzón" buzon "$MX_PORT" --count-store "$URL" "$TOKEN"
    kill "$GATEWAY" "$STORE"; wait "$GATEWAY" "$STORE" 2>/dev/null || true
    GATEWAY="" STORE=""
fi

# --- Postfix -> LMTP -> Dovecot, private instances under $WORK --------------------------------
if [ "$ONLY" != buzon ]; then
    PF="$WORK/postfix" DC="$WORK/dovecot" MAIL="$WORK/mail"
    PF_PORT="$(free_port)"
    mkdir -p "$PF/etc" "$PF/queue" "$PF/data" "$DC/run" "$DC/state" "$MAIL"
    chown postfix:postfix "$PF/data"
    chown mail:mail "$MAIL"
    cat >"$DC/dovecot.conf" <<EOF
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
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
protocol lmtp {
  postmaster_address = postmaster@bench.test
}
EOF
    dovecot -c "$DC/dovecot.conf"
    DOVECOT_UP=1
    for _ in $(seq 1 100); do [ -S "$DC/run/lmtp" ] && break; sleep 0.1; done
    cat >"$PF/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
maillog_file = $PF/postfix.log
maillog_file_prefixes = $PF
myhostname = mx.bench.test
mydomain = bench.test
myorigin = bench.test
mydestination = bench.test
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
local_recipient_maps =
local_transport = lmtp:unix:$DC/run/lmtp
alias_maps =
alias_database =
biff = no
smtpd_banner = \$myhostname ESMTP
EOF
    cat >"$PF/etc/master.cf" <<EOF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
    postfix -c "$PF/etc" check
    postfix -c "$PF/etc" start
    POSTFIX_UP=1
    wait_smtp "$PF_PORT"
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
