#!/usr/bin/env bash
# make bench-logins: 200 IMAP logins of the same users, repeated (phones reconnecting), Buzón
# (imap-gateway in front of mailbox-store, release build, fresh data dir) beside Dovecot's imapd,
# in Debian's default configuration and tuned with its authentication cache
# (Benchmarks/login-load.py does the load).
#
# Each round: BENCH_USERS (200) clients, one per user, released together; each connects, LOGIN,
# LOGOUT. BENCH_ROUNDS (5) rounds on one running instance: the first meets an empty cache, the
# later ones show what the cache saves. Passwords: bcrypt at cost 10 on both sides (Buzón's
# default BUZON_BCRYPT_COST; Dovecot a {BLF-CRYPT} $2y$10$ hash in a passwd-file, as
# bench-imap.sh has it), so an uncached LOGIN costs one bcrypt-10 check on either.
#
# Buzón: its defaults (authentication cache on, BUZON_AUTH_CACHE_SECONDS=3600; password checks
# on every core); only the connection limit per client address is raised, all clients being
# 127.0.0.1. Dovecot "default": Debian's defaults (no authentication cache) with what a private
# instance needs (scripts/lib/bench.sh) and the process limits 200 simultaneous logins need;
# "tuned": login processes in high-performance mode, and its authentication cache with the
# hashes checked on every core (scripts/lib/bench.sh, dovecot_tuned_auth_conf: the users in
# SQLite, because Dovecot does not cache a passwd-file; a cached login still costs a bcrypt).
#
# BENCH_BIN=dir uses the executables there instead of building; BENCH_ONLY=buzon|dovecot one
# side; BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
USERS="${BENCH_USERS:-200}"
ROUNDS="${BENCH_ROUNDS:-5}"
ONLY="${BENCH_ONLY:-}"
PASSWORD=bench
LOAD=(python3 Benchmarks/login-load.py)
LIMIT=$(( USERS * 2 > 1000 ? USERS * 2 : 1000 ))
BENCH=bench-logins
. scripts/lib/bench.sh

scripts/install-deps.sh runtime
if [ "$ONLY" != buzon ]; then
    bench_install dovecot-core dovecot-imapd dovecot-sqlite
    [ "$(id -u)" = 0 ] || { echo "bench-logins: the Dovecot side runs as root (sudo make bench-logins, or BENCH_ONLY=buzon)" >&2; exit 1; }
    require_dovecot_23
fi
if [ "$ONLY" != dovecot ]; then bench_binaries mailbox-store imap-gateway; fi
ulimit -n "$(ulimit -Hn)"

WORK="$(mktemp -d)"
chmod 755 "$WORK"
if [ "$ONLY" != dovecot ]; then bench_copy_binaries mailbox-store imap-gateway; fi
STORE="" GATEWAY="" DOVECOT_CONF=""
cleanup() {
    local rc=$?
    if [ "$rc" != 0 ]; then
        for log in "$WORK"/buzon/*.log "$WORK"/dovecot/*.log; do
            [ -s "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
        done
    fi
    [ -n "$GATEWAY" ] && kill "$GATEWAY" 2>/dev/null || true
    [ -n "$STORE" ] && kill "$STORE" 2>/dev/null || true
    [ -n "$DOVECOT_CONF" ] && stop_dovecot "$DOVECOT_CONF"
    wait 2>/dev/null || true
    if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-logins: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
RESULTS="$WORK/results"; mkdir -p "$RESULTS"

machine_line
echo "load: $ROUNDS rounds of $USERS simultaneous IMAP logins (one per user, the same users each round), bcrypt cost 10"

# --- Buzón ------------------------------------------------------------------------------------
if [ "$ONLY" != dovecot ]; then
    STORE_PORT="$(free_port)"; IMAP_PORT="$(free_port)"
    TOKEN="bench-$(openssl rand -hex 8)" URL="http://127.0.0.1:$STORE_PORT"
    store_start
    "${LOAD[@]}" fill-store --url "$URL" --token "$TOKEN" --password "$PASSWORD" --users "$USERS"
    kill "$STORE"; wait "$STORE" 2>/dev/null || true   # started afresh: an empty cache
    store_start
    BUZON_STORE_URL="$URL" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_IMAP_HOST=127.0.0.1 BUZON_IMAP_PORT="$IMAP_PORT" \
        BUZON_IMAPS_PORT="$(free_port)" BUZON_IMAP_ADMIN_PORT="$(free_port)" BUZON_HOSTNAME=imap.bench.test \
        BUZON_IMAP_MAX_CONNECTIONS="$LIMIT" BUZON_IMAP_MAX_CONNECTIONS_PER_ADDRESS="$LIMIT" \
        BUZON_LOG_LEVEL=error "$BIN/imap-gateway" 2>>"$WORK/buzon/gateway.log" &
    GATEWAY=$!
    wait_greeting "$IMAP_PORT" "* OK" 300
    "${LOAD[@]}" run --port "$IMAP_PORT" --password "$PASSWORD" --users "$USERS" --rounds "$ROUNDS" \
        --label "Buzón" --json "$RESULTS/buzon-logins.json"
    curl -fsS "$URL/metrics" | grep '^buzon_store_auth_cache_total' || true
    kill "$GATEWAY" "$STORE"; wait "$GATEWAY" "$STORE" 2>/dev/null || true
    GATEWAY="" STORE=""
fi

# --- Dovecot imapd, private instances under $WORK, default then tuned -------------------------
dovecot_conf() {  # default|tuned port
    local kind="$1" port="$2"
    echo "# Dovecot's IMAP for make bench-logins ($kind), a private instance."
    dovecot_private_conf "$kind" imap
    cat <<EOF
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
    dovecot_debian_mail_conf
    cat <<EOF
# $USERS simultaneous logins, both configurations: Debian allows 100 processes per service
# (default_process_limit: one login process per connection in its high-security mode) and
# 1,000 clients per process of the services every session talks to.
default_process_limit = $LIMIT
default_client_limit = $LIMIT
EOF
    [ "$kind" = tuned ] || return 0
    echo
    echo "# --- Tuned: login processes in high-performance mode, and the authentication cache ---"
    dovecot_tuned_login_conf imap-login
    cat <<EOF
# Reuse imap processes for session after session (all users share the uid mail).
service imap {
  service_count = 0
  process_min_avail = $(nproc)
}
EOF
}

if [ "$ONLY" != buzon ]; then
    DC="$WORK/dovecot" MAIL="$WORK/mail"
    mkdir -p "$DC" "$MAIL"
    hash="$(doveadm pw -s BLF-CRYPT -r 10 -p "$PASSWORD")"
    "${LOAD[@]}" users --users "$USERS" |
        while read -r user; do echo "$user:$hash:$(id -u mail):$(id -g mail)::$MAIL/${user%@*}::"; done >"$DC/users"
    while read -r user; do mkdir -p "$MAIL/${user%@*}/Maildir/"{cur,new,tmp}; done < <("${LOAD[@]}" users --users "$USERS")
    chown -R mail:mail "$MAIL"
    echo "Dovecot $(dovecot --version | cut -d' ' -f1) (Debian package $(dpkg-query -W -f '${Version}' dovecot-imapd)), passwords {BLF-CRYPT} \$2y\$10\$"
    for kind in default tuned; do
        port="$(free_port)"
        dovecot_conf "$kind" "$port" >"$DC/dovecot-$kind.conf"
        doveconf -c "$DC/dovecot-$kind.conf" -n >/dev/null
        DOVECOT_CONF="$DC/dovecot-$kind.conf"
        dovecot -c "$DOVECOT_CONF"
        wait_greeting "$port" "* OK" 300
        "${LOAD[@]}" run --port "$port" --password "$PASSWORD" --users "$USERS" --rounds "$ROUNDS" \
            --label "Dovecot $kind" --json "$RESULTS/dovecot-$kind-logins.json"
        stop_dovecot "$DOVECOT_CONF"; DOVECOT_CONF=""
    done
fi

echo
found=()
for f in buzon dovecot-default dovecot-tuned; do
    [ -f "$RESULTS/$f-logins.json" ] && found+=("$f")
done
"${LOAD[@]}" table --dir "$RESULTS" "${found[@]}"
