#!/usr/bin/env bash
# make bench-pop3: messages retrieved per second over POP3 — 20 concurrent clients, one per
# mailbox (bench01…bench20), each logging in with USER/PASS, LISTing and RETRieving all 1,000
# messages of 4 KiB of its mailbox, then QUIT without DELE (Benchmarks/pop3-load.py) — Buzón
# (pop3-gateway in front of mailbox-store, release build, fresh data dir) side by side with
# Dovecot's POP3 on the same machine and the same messages, Dovecot twice: in Debian's default
# configuration and tuned for speed. Every system gets one untimed warm-up pass, then the timed
# pass: the warm-up checks every message's bytes, fills the page cache, lets Dovecot build its
# uidlist and indexes, and (default configuration) lets it mark every message \Seen, so the timed
# pass measures steady-state retrieval from mailboxes in the same state on every system.
#
# Filling: Buzón's mailboxes are filled over the store's internal API (POST /v1/deliveries, one
# thread per mailbox), Dovecot's by writing the Maildir files directly (see pop3-load.py): this
# measures POP3 retrieval, not delivery.
#
# Passwords: both hash with bcrypt at cost 10 — Buzón at its default BUZON_BCRYPT_COST=10,
# Dovecot with {BLF-CRYPT} $2y$10$ hashes (doveadm pw -r 10) in a passwd-file — so a login costs
# one bcrypt-10 check (~55–70 ms of CPU) on both sides. With 20 clients that is ~1.2 s of CPU
# per pass, part of what is measured (the table gives login latency separately). Buzón checks
# passwords on a thread pool (one thread a core) and remembers a successful check (its
# authentication cache). Dovecot default checks passwd-file passwords in its one auth process,
# one after the other, so its 20 logins end together after ~20 × 55 ms; tuned has its
# authentication cache with the hashes checked on every core, which needs the users in SQLite
# (scripts/lib/bench.sh, dovecot_tuned_auth_conf), and still checks bcrypt at every login.
#
# Dovecot runs as private instances (dovecot -c, configuration, Maildirs and sockets under a
# temporary directory, listening on a loopback port), the system's own configuration untouched.
# "default" is Dovecot's built-in defaults as Debian ships them, i.e. Debian's dovecot.conf minus
# what must change to run privately and without the system's users: protocols = pop3, a listen
# address and port, ssl = no and plaintext auth allowed (on loopback, as Buzón allows it there),
# passwd-file passdb/userdb for the bench users (Debian: PAM + system users), maildir:~/Maildir
# (Debian: mbox in /var/mail) and first_valid_uid to run as the `mail` user. That leaves
# Debian's defaults of interest: pop3-login in high-security mode (service_count = 1: a new
# login process per connection), a new pop3 process per session (service_count = 1), one auth
# process doing every password check, pop3_no_flag_updates = no (RETR marks \Seen).
# "tuned" adds what Dovecot's performance-tuning and login-process documentation suggest, each
# explained where it is set below (dovecot_conf).
#
# BENCH_BIN=dir uses the executables there instead of building (e.g. .build/debug: not figures
# to publish); BENCH_ONLY=buzon|dovecot one side; BENCH_MESSAGES / BENCH_SIZE / BENCH_CLIENTS
# change the load (defaults 1000, 4096, 20); BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
MESSAGES="${BENCH_MESSAGES:-1000}"
SIZE="${BENCH_SIZE:-4096}"
CLIENTS="${BENCH_CLIENTS:-20}"
ONLY="${BENCH_ONLY:-}"
PASSWORD=bench
DOMAIN=bench.test
LOAD=(python3 Benchmarks/pop3-load.py)
USERS="$(for i in $(seq 1 "$CLIENTS"); do printf 'bench%02d@%s,' "$i" "$DOMAIN"; done)"
USERS="${USERS%,}"
BENCH=bench-pop3
. scripts/lib/bench.sh

scripts/install-deps.sh runtime
if [ "$ONLY" != buzon ]; then
    bench_install dovecot-core dovecot-pop3d dovecot-sqlite
    [ "$(id -u)" = 0 ] || { echo "bench-pop3: the Dovecot side runs as root (sudo make bench-pop3, or BENCH_ONLY=buzon)" >&2; exit 1; }
    require_dovecot_23
fi
if [ "$ONLY" != dovecot ]; then bench_binaries mailbox-store pop3-gateway; fi

WORK="$(mktemp -d)"
chmod 755 "$WORK"   # Dovecot's users walk into it
if [ "$ONLY" != dovecot ]; then bench_copy_binaries mailbox-store pop3-gateway; fi
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
    if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-pop3: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
RESULTS="$WORK/results"; mkdir -p "$RESULTS"
run_load() {  # label file-stem port
    "${LOAD[@]}" run --port "$3" --users "$USERS" --password "$PASSWORD" --messages "$MESSAGES" --size "$SIZE" \
        --label "$1" --warmup
    "${LOAD[@]}" run --port "$3" --users "$USERS" --password "$PASSWORD" --messages "$MESSAGES" --size "$SIZE" \
        --label "$1" --json "$RESULTS/$2.json"
}

machine_line
if [ -n "${BENCH_BIN:-}" ] && [ "$ONLY" != dovecot ]; then echo "Buzón executables: $BIN_FROM"; fi
echo "load: $CLIENTS clients, one per mailbox, each LIST + RETR of $MESSAGES messages of $SIZE B, USER/PASS (bcrypt cost 10), no DELE"

# --- Buzón: pop3-gateway (plain POP3 on loopback, no TLS) in front of mailbox-store ----------
if [ "$ONLY" != dovecot ]; then
    STORE_PORT="$(free_port)"; POP_PORT="$(free_port)"
    TOKEN="bench-$(openssl rand -hex 8)"
    store_start   # BUZON_BCRYPT_COST at its default (10), as a real installation has it
    URL="http://127.0.0.1:$STORE_PORT"
    curl -fsS -H "Authorization: Bearer $TOKEN" -d "{\"name\":\"$DOMAIN\"}" "$URL/v1/domains" >/dev/null
    for user in ${USERS//,/ }; do
        curl -fsS -H "Authorization: Bearer $TOKEN" -d "{\"address\":\"$user\",\"password\":\"$PASSWORD\"}" "$URL/v1/users" >/dev/null
    done
    "${LOAD[@]}" fill-store --url "$URL" --token "$TOKEN" --users "$USERS" --messages "$MESSAGES" --size "$SIZE"
    BUZON_STORE_URL="$URL" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_POP3_HOST=127.0.0.1 BUZON_POP3_PORT="$POP_PORT" \
        BUZON_POP3S_PORT="$(free_port)" BUZON_POP3_ADMIN_PORT="$(free_port)" BUZON_HOSTNAME=pop.bench.test \
        BUZON_LOG_LEVEL=error "$BIN/pop3-gateway" 2>>"$WORK/buzon/gateway.log" &
    GATEWAY=$!
    wait_greeting "$POP_PORT" +OK
    run_load "Buzón" buzon "$POP_PORT"
    kill "$GATEWAY" "$STORE"; wait "$GATEWAY" "$STORE" 2>/dev/null || true
    GATEWAY="" STORE=""
fi

# --- Dovecot POP3, private instances under $WORK, default then tuned, on the same Maildirs ----
dovecot_conf() {  # default|tuned port: the configuration file on stdout
    local kind="$1" port="$2"
    echo "# Dovecot's POP3 for make bench-pop3 ($kind), a private instance."
    echo "# What must differ from Debian's /etc/dovecot to run privately, and only that:"
    dovecot_private_conf "$kind" pop3
    cat <<EOF
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $port
  }
}
EOF
    dovecot_debian_mail_conf
    [ "$kind" = tuned ] || return 0
    echo
    echo "# --- Tuned for speed, from Dovecot's documentation (login processes, performance tuning) ----"
    dovecot_tuned_login_conf pop3-login
    cat <<EOF
# Reuse pop3 processes for session after session (all users share the uid mail, so this is
# allowed), and keep as many ready as there are clients, so no session waits for a fork+exec.
service pop3 {
  service_count = 0
  process_min_avail = $CLIENTS
}
# RETR does not mark messages \\Seen: no flag updates to write (POP3 clients do not use them).
pop3_no_flag_updates = yes
# Dovecot is the only one touching these Maildirs (once filled): do not scan cur/ at every
# mailbox open, only when its mtime changes unexpectedly.
maildir_very_dirty_syncs = yes
# LIST may use the physical size when the virtual one is not cached (here W= gives it anyway).
pop3_fast_size_lookups = yes
# What doveconf asks for once pop3 processes are reused (it warns otherwise).
service auth {
  client_limit = 2048
}
EOF
}

if [ "$ONLY" != buzon ]; then
    DC="$WORK/dovecot" MAIL="$WORK/mail"
    mkdir -p "$DC" "$MAIL"
    : >"$DC/users"
    for user in ${USERS//,/ }; do
        hash="$(doveadm pw -s BLF-CRYPT -r 10 -p "$PASSWORD")"
        echo "$user:$hash:$(id -u mail):$(id -g mail)::$MAIL/${user%@*}::" >>"$DC/users"
    done
    "${LOAD[@]}" fill-maildir --home-root "$MAIL" --users "$USERS" --messages "$MESSAGES" --size "$SIZE"
    chown -R mail:mail "$MAIL"
    echo "Dovecot $(dovecot --version | cut -d' ' -f1) (Debian package $(dpkg-query -W -f '${Version}' dovecot-pop3d)), passwords {BLF-CRYPT} \$2y\$10\$"
    for kind in default tuned; do
        port="$(free_port)"
        dovecot_conf "$kind" "$port" >"$DC/dovecot-$kind.conf"
        dovecot -c "$DC/dovecot-$kind.conf"
        DOVECOT_CONF="$DC/dovecot-$kind.conf"
        wait_greeting "$port" +OK
        run_load "Dovecot $kind" "dovecot-$kind" "$port"
        stop_dovecot "$DOVECOT_CONF"; DOVECOT_CONF=""
    done
fi

echo
found=()
for f in buzon dovecot-default dovecot-tuned; do   # Buzón first: ratio = Buzón / Dovecot
    [ -e "$RESULTS/$f.json" ] && found+=("$RESULTS/$f.json")
done
"${LOAD[@]}" table "${found[@]}"
