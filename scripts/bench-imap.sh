#!/usr/bin/env bash
# make bench-imap: Buzón's IMAP (imap-gateway in front of mailbox-store, release build, fresh data
# dir) side by side with Dovecot's imapd on the same machine and the same messages, Dovecot twice:
# in Debian's default configuration and tuned for speed (Benchmarks/imap-load.py does the load).
# Four measures; each system takes 1, 2 and 4 on one running instance, then 3 after a restart:
#
# 1. Command mix: 20 concurrent clients, one per mailbox (bench01…bench20, 1,000 messages of
#    4 KiB each), each running 10 sessions of LOGIN, SELECT INBOX, FETCH 1:* (UID FLAGS
#    RFC822.SIZE), FETCH a:b BODY.PEEK[] (20 whole messages, the next window each session),
#    STORE a:b +FLAGS (\Seen), SEARCH UNSEEN, LOGOUT: commands per second (all seven kinds)
#    and the p50/p99 of each kind. One untimed warm-up pass first (it checks every fetched
#    message's bytes, fills the page cache, lets Dovecot build its indexes); after each pass
#    the \Seen flags are cleared (untimed), so the timed pass starts where the warm-up did.
# 1b. The same mix for clients that stay logged in ("stay"): 20 clients × BENCH_STAY_SESSIONS
#    (2) sessions, each LOGIN, then 20 rounds (BENCH_PER_LOGIN) of SELECT … SEARCH UNSEEN, then
#    LOGOUT: the commands themselves weigh, not the password check.
# 2. One mailbox of 100,000 messages (BENCH_BIG), one session: SELECT INBOX, UID FETCH 1:*
#    (FLAGS), SEARCH HEADER SUBJECT quarterly (1 % of the messages), SEARCH BODY zanzibar (1 %),
#    each timed; after one untimed warm-up pass (Dovecot: a cold first SELECT of a Maildir
#    without indexes costs far more; the warm-up line shows it). Dovecot has no full-text index
#    here: that needs the fts plugin with a backend (Lucene, Solr, Xapian: other packages and
#    services), a different installation rather than a setting, so its SEARCH BODY reads every
#    message file, in both configurations.
# 3. Memory of 1,000 sessions (BENCH_IDLE) in IDLE, one per user (idle0001…, empty INBOX): the
#    resident memory of the server's processes summed before the first connection and 15 s
#    (BENCH_SETTLE) after the last IDLE, ÷ 1,000, on servers restarted for this measure (so
#    that neither side counts, nor loses, what the earlier measures left in memory; the store
#    keeps its data). Buzón: the imap-gateway plus the mailbox-store. Dovecot: the master
#    process of the instance and all its children (login, imap, auth, log, anvil, config,
#    stats, imap-hibernate…), from /proc/PID/status VmRSS; the log line says which processes
#    grew. A sum of RSS counts a shared library once per process mapping it, which weighs on
#    Dovecot's one-process-per-session design; the table also gives the PSS
#    (/proc/PID/smaps_rollup, shared pages divided among their processes). Dovecot tuned is
#    measured 2 min later than the others: its sessions hibernate after 5 s, but the imap
#    processes they leave stay as idle spares until the master's idle_kill (1 min, checked over
#    a whole interval) ends them; the later measure is the steady state of a server whose
#    clients stay in IDLE for hours.
#    All Dovecot sessions run as the user `mail`, and Linux allows a user 128 inotify instances
#    (fs.inotify.max_user_instances): beyond that Dovecot cannot watch a mailbox (it polls every
#    30 s instead) nor hibernate a session, and logs "Increase max_user_instances". For the
#    Dovecot runs the script raises it to what the sessions need, as a server with that many
#    IDLE clients has it, and puts the old value back at the end.
# 4. Delivery to notification: one IDLE session on watch@'s INBOX and one SMTP connection; 100
#    messages (BENCH_NOTIFY) sent one at a time, each after the previous one's EXISTS (after 5
#    untimed); the delay is from reading the `250` that answers DATA to reading the untagged
#    `* n EXISTS` in the IDLE session. Buzón: SMTP to the smtp-gateway's MX port (plain, no
#    AUTH), whose 250 comes after the store's commit; the imap-gateway learns of the message
#    from the store. Dovecot: SMTP to Postfix (a private instance configured as bench-smtp.sh
#    does it), whose 250 comes once the message is in its queue, then Postfix's lmtp client
#    hands it to Dovecot's LMTP, which writes it into the Maildir, where the imap process in
#    IDLE sees it (inotify). So both sides measure the same thing a user sees: from the sending
#    server's "accepted" to the mail client's "new mail", each through its own whole path.
#    Between one EXISTS and the next message the sender pauses 0.6–1 s (fixed pseudo-random
#    draws), out of step with any timer. Dovecot looks at a mailbox 0.5 s after the first change
#    it is told of (NOTIFY_DELAY_MSECS in its lib-storage, to gather a burst of changes into one
#    answer; no setting changes it), which makes most of its delay, in both configurations.
#    With these pauses the tuned instance's IDLE session never stays quiet the 5 s it takes to
#    hibernate; a hibernated session would first be thawed into an imap process.
#
# Filling: Buzón's users are created and its mailboxes filled over the store's internal API
# (POST /v1/users; POST /v1/deliveries, one thread per mix mailbox, 8 threads into the big one),
# Dovecot's by writing the Maildir files directly (see imap-load.py), and the flags start empty
# on both: this measures IMAP, not delivery (except measure 4).
#
# Passwords: both hash with bcrypt at cost 10 — Buzón at its default BUZON_BCRYPT_COST=10,
# Dovecot with a {BLF-CRYPT} $2y$10$ hash (doveadm pw -r 10; one hash for every user, which
# changes nothing to the cost of checking it) in a passwd-file — so every LOGIN costs one
# bcrypt-10 check on both sides; in the mix that is 200 logins, part of what is measured.
#
# Dovecot runs as private instances (dovecot -c, configuration, Maildirs and sockets under a
# temporary directory, listening on a loopback port), the system's own configuration untouched.
# "default" is Dovecot's built-in defaults as Debian ships them, i.e. Debian's dovecot.conf minus
# what must change to run privately and without the system's users: protocols = imap lmtp, a
# listen address and port, ssl = no and plaintext auth allowed (on loopback, as Buzón allows it
# there), passwd-file passdb/userdb for the bench users (Debian: PAM + system users),
# maildir:~/Maildir (Debian: mbox in /var/mail), first_valid_uid to run as the `mail` user, an
# LMTP socket Postfix may use — and the limits 1,000 simultaneous sessions need (Debian's
# defaults stop at 10 sessions per user and address, 1,000 clients per service process, 1,024
# imap processes), raised on both configurations alike, as for Buzón's connection limits.
# That leaves Debian's defaults of interest: imap-login in high-security mode (service_count =
# 1: a new login process per connection), a new imap process per session (service_count = 1),
# one auth process doing every password check, no hibernation of IDLE sessions.
# "tuned" adds what Dovecot's performance-tuning, login-process and hibernation documentation
# suggest, each explained where it is set below (dovecot_conf), and its authentication cache
# (the users then read from SQLite: scripts/lib/bench.sh, dovecot_tuned_auth_conf).
#
# BENCH_BIN=dir uses the executables there instead of building (e.g. .build/debug: not figures
# to publish); BENCH_ONLY=buzon|dovecot one side; BENCH_TESTS=mix,stay,big,notify,idle a subset;
# BENCH_MESSAGES / BENCH_SIZE / BENCH_CLIENTS / BENCH_ROUNDS / BENCH_FETCH change the mix
# (defaults 1000, 4096, 20, 10, 20), BENCH_BIG the big mailbox (100000), BENCH_IDLE the IDLE
# sessions (1000), BENCH_SETTLE the seconds from the last IDLE to the memory measure (15),
# BENCH_NOTIFY the messages of measure 4 (100); BENCH_KEEP=1 keeps the temporary directory
# (logs, store, Maildirs, results).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
MESSAGES="${BENCH_MESSAGES:-1000}"
SIZE="${BENCH_SIZE:-4096}"
CLIENTS="${BENCH_CLIENTS:-20}"
ROUNDS="${BENCH_ROUNDS:-10}"
STAY_SESSIONS="${BENCH_STAY_SESSIONS:-2}"
PER_LOGIN="${BENCH_PER_LOGIN:-20}"
FETCH="${BENCH_FETCH:-20}"
BIG="${BENCH_BIG:-100000}"
IDLE="${BENCH_IDLE:-1000}"
NOTIFY="${BENCH_NOTIFY:-100}"
SETTLE="${BENCH_SETTLE:-15}"
TESTS=",${BENCH_TESTS:-mix,stay,big,notify,idle},"
ONLY="${BENCH_ONLY:-}"
PASSWORD=bench
LOAD=(python3 Benchmarks/imap-load.py)
LIMIT=$(( IDLE * 2 > 5000 ? IDLE * 2 : 5000 ))   # connection limits, Buzón and Dovecot alike
want() { [[ "$TESTS" == *",$1,"* ]]; }
BENCH=bench-imap
. scripts/lib/bench.sh

scripts/install-deps.sh runtime
if [ "$ONLY" != buzon ]; then
    bench_install dovecot-core dovecot-imapd dovecot-lmtpd postfix dovecot-sqlite
    [ "$(id -u)" = 0 ] || { echo "bench-imap: the Dovecot side runs as root (sudo make bench-imap, or BENCH_ONLY=buzon)" >&2; exit 1; }
    require_dovecot_23
fi
if [ "$ONLY" != dovecot ]; then bench_binaries mailbox-store imap-gateway smtp-gateway; fi
# Every IDLE session is a socket in the load generator and one or more in the servers.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $(( IDLE * 4 + 1000 )) ]; then
    echo "bench-imap: ulimit -n is $(ulimit -n); $IDLE IDLE sessions need about $(( IDLE * 4 + 1000 ))" >&2; exit 1
fi

WORK="$(mktemp -d)"
chmod 755 "$WORK"   # Dovecot's and Postfix's users walk into it
if [ "$ONLY" != dovecot ]; then bench_copy_binaries mailbox-store imap-gateway smtp-gateway; fi
STORE="" GATEWAY="" SMTP_GATEWAY="" DOVECOT_CONF="" POSTFIX_UP="" INOTIFY_WAS=""
cleanup() {
    local rc=$?
    if [ "$rc" != 0 ]; then
        for log in "$WORK"/buzon/*.log "$WORK"/dovecot/*.log "$WORK"/postfix/postfix.log; do
            [ -s "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
        done
    fi
    [ -n "$GATEWAY" ] && kill "$GATEWAY" 2>/dev/null || true
    [ -n "$SMTP_GATEWAY" ] && kill "$SMTP_GATEWAY" 2>/dev/null || true
    [ -n "$STORE" ] && kill "$STORE" 2>/dev/null || true
    [ -n "$POSTFIX_UP" ] && postfix -c "$WORK/postfix/etc" stop >/dev/null 2>&1 || true
    [ -n "$DOVECOT_CONF" ] && stop_dovecot "$DOVECOT_CONF"
    [ -n "$INOTIFY_WAS" ] && echo "$INOTIFY_WAS" >/proc/sys/fs/inotify/max_user_instances
    wait 2>/dev/null || true
    if [ -n "${BENCH_KEEP:-}" ]; then echo "bench-imap: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
RESULTS="$WORK/results"; mkdir -p "$RESULTS"
run_tests() {  # label file-stem imap-port smtp-port: measures 1, 2 and 4
    local label="$1" stem="$2" port="$3" smtp="$4"
    local common=(--port "$port" --password "$PASSWORD" --label "$label")
    if want mix; then
        "${LOAD[@]}" mix "${common[@]}" --clients "$CLIENTS" --messages "$MESSAGES" --size "$SIZE" \
            --rounds "$ROUNDS" --fetch "$FETCH" --warmup
        "${LOAD[@]}" mix "${common[@]}" --clients "$CLIENTS" --messages "$MESSAGES" --size "$SIZE" \
            --rounds "$ROUNDS" --fetch "$FETCH" --json "$RESULTS/$stem-mix.json"
    fi
    if want stay; then
        "${LOAD[@]}" mix "${common[@]}" --clients "$CLIENTS" --messages "$MESSAGES" --size "$SIZE" \
            --rounds "$STAY_SESSIONS" --per-login "$PER_LOGIN" --fetch "$FETCH" --json "$RESULTS/$stem-stay.json"
    fi
    if want big; then
        "${LOAD[@]}" big "${common[@]}" --big "$BIG" --warmup
        "${LOAD[@]}" big "${common[@]}" --big "$BIG" --json "$RESULTS/$stem-big.json"
    fi
    if want notify; then
        "${LOAD[@]}" notify "${common[@]}" --smtp-port "$smtp" --count "$NOTIFY" --size "$SIZE" \
            --json "$RESULTS/$stem-notify.json"
    fi
}
run_idle() {  # label file-stem imap-port settle process-args...: measure 3
    local label="$1" stem="$2" port="$3" settle="$4"; shift 4
    # 5 s for a server just started to settle (Dovecot forks its process_min_avail spares)
    "${LOAD[@]}" idle --port "$port" --password "$PASSWORD" --label "$label" --idle "$IDLE" --wait 5 \
        --settle "$settle" "$@" --json "$RESULTS/$stem-idle.json"
}

machine_line
if [ -n "${BENCH_BIN:-}" ] && [ "$ONLY" != dovecot ]; then echo "Buzón executables: $BIN_FROM"; fi
echo "load: mix of $CLIENTS clients × $ROUNDS sessions on mailboxes of $MESSAGES × $SIZE B (BODY.PEEK[] of $FETCH);" \
    "a mailbox of $BIG; $IDLE sessions in IDLE; $NOTIFY deliveries to an IDLE session; LOGIN with bcrypt cost 10" \
    "(measures: ${TESTS:1:-1})"

# --- Buzón: imap-gateway (plain IMAP on loopback, no TLS) in front of mailbox-store, ----------
# --- and the smtp-gateway (MX port) for measure 4 ---------------------------------------------
buzon_start() {  # the store on its data dir, then the gateways
    store_start   # BUZON_BCRYPT_COST at its default (10), as a real installation has it
    [ "${1:-}" = store ] && return 0
    # The limits as high as Dovecot's below: the IDLE measure opens $IDLE sessions from one address.
    BUZON_STORE_URL="$URL" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_IMAP_HOST=127.0.0.1 BUZON_IMAP_PORT="$IMAP_PORT" \
        BUZON_IMAPS_PORT="$(free_port)" BUZON_IMAP_ADMIN_PORT="$(free_port)" BUZON_HOSTNAME=imap.bench.test \
        BUZON_IMAP_MAX_CONNECTIONS="$LIMIT" BUZON_IMAP_MAX_CONNECTIONS_PER_ADDRESS="$LIMIT" \
        BUZON_IMAP_MAX_CONNECTIONS_PER_USER="$LIMIT" \
        BUZON_LOG_LEVEL=error "$BIN/imap-gateway" 2>>"$WORK/buzon/gateway.log" &
    GATEWAY=$!
    BUZON_STORE_URL="$URL" BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_SMTP_HOST=127.0.0.1 BUZON_SMTP_MX_PORT="$MX_PORT" \
        BUZON_SMTP_SUBMISSION_PORT="$(free_port)" BUZON_SMTP_SUBMISSIONS_PORT="$(free_port)" \
        BUZON_SMTP_ADMIN_PORT="$(free_port)" BUZON_HOSTNAME=mx.bench.test BUZON_LOG_LEVEL=error \
        "$BIN/smtp-gateway" 2>>"$WORK/buzon/smtp-gateway.log" &
    SMTP_GATEWAY=$!
    wait_greeting "$IMAP_PORT" "* OK" 300
    wait_greeting "$MX_PORT" 220 300
}
buzon_stop() {
    kill "$GATEWAY" "$SMTP_GATEWAY" "$STORE"; wait "$GATEWAY" "$SMTP_GATEWAY" "$STORE" 2>/dev/null || true
    GATEWAY="" SMTP_GATEWAY="" STORE=""
}
if [ "$ONLY" != dovecot ]; then
    STORE_PORT="$(free_port)"; IMAP_PORT="$(free_port)"; MX_PORT="$(free_port)"
    TOKEN="bench-$(openssl rand -hex 8)" URL="http://127.0.0.1:$STORE_PORT"
    buzon_start store
    big=0; want big && big="$BIG"
    idle=0; want idle && idle="$IDLE"
    "${LOAD[@]}" fill-store --url "$URL" --token "$TOKEN" --password "$PASSWORD" --clients "$CLIENTS" \
        --messages "$MESSAGES" --size "$SIZE" --big "$big" --idle "$idle"
    kill "$STORE"; wait "$STORE" 2>/dev/null || true   # started afresh, as Dovecot is after its Maildirs are written
    buzon_start
    run_tests "Buzón" buzon "$IMAP_PORT" "$MX_PORT"
    if want idle; then   # measure 3 on servers started afresh (see above)
        buzon_stop; buzon_start
        run_idle "Buzón" buzon "$IMAP_PORT" "$SETTLE" --pid "imap-gateway=$GATEWAY" --pid "mailbox-store=$STORE"
    fi
    buzon_stop
fi

# --- Dovecot imapd, private instances under $WORK, default then tuned, on the same Maildirs ---
dovecot_conf() {  # default|tuned port: the configuration file on stdout
    local kind="$1" port="$2"
    echo "# Dovecot's IMAP for make bench-imap ($kind), a private instance."
    echo "# What must differ from Debian's /etc/dovecot to run privately, and only that:"
    dovecot_private_conf "$kind" "imap lmtp"
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
# Postfix's lmtp client (user postfix) delivers into this socket (measure 4).
EOF
    dovecot_lmtp_conf
    dovecot_debian_mail_conf
    cat <<EOF

# The limits $IDLE simultaneous sessions from one address need (measure 3), in both
# configurations. Debian: 10 sessions per user and address, 1,000 clients for each process of
# the services every session talks to (log, anvil, auth, stats: default_client_limit), at most
# 1,024 imap processes (one per session). (Login processes only live until the session is
# handed to imap when there is no TLS to proxy, so their default limit of 100 is not reached.)
mail_max_userip_connections = $LIMIT
default_client_limit = $LIMIT
service imap {
  process_limit = $LIMIT
}
EOF
    [ "$kind" = tuned ] || return 0
    echo
    echo "# --- Tuned for speed, from Dovecot's documentation (login processes, performance tuning,"
    echo "# --- hibernation) ---------------------------------------------------------------------------"
    dovecot_tuned_login_conf imap-login
    cat <<EOF
# Reuse imap processes for session after session (all users share the uid mail, so this is
# allowed), and keep as many ready as there are mix clients, so no session waits for a
# fork+exec. An imap process still serves one session at a time (client_limit = 1).
service imap {
  service_count = 0
  process_min_avail = $CLIENTS
}
# IDLE sessions idle for 5 s move into the one imap-hibernate process and their imap process
# ends: the documented way to save memory with many IDLE clients. A hibernated session is
# thawed back into an imap process when its mailbox changes or the client speaks. The imap
# processes (uid mail) must reach the imap-hibernate socket, and imap-hibernate the
# imap-master socket to thaw them (the docs' settings, as unix permissions for our users).
imap_hibernate_timeout = 5s
service imap-hibernate {
  unix_listener imap-hibernate {
    mode = 0666
  }
}
service imap {
  unix_listener imap-master {
    user = \$default_internal_user
  }
}
# Dovecot is the only one touching these Maildirs (once filled; LMTP is Dovecot too): do not
# scan cur/ at every mailbox open, only when its mtime changes unexpectedly.
maildir_very_dirty_syncs = yes
# Likewise trust the mailbox list index without checking it against the Maildirs.
mailbox_list_index_very_dirty_syncs = yes
# What doveconf asks for once imap processes are reused (it warns otherwise: each reused one
# keeps a connection to auth).
service auth {
  client_limit = $(( LIMIT + 1000 ))
}
EOF
}

postfix_start() {  # port lmtp-socket
    postfix_start_private "$1" mx.bench.test bench.test lmtp <<EOF
local_transport = lmtp:unix:$2
EOF
}

if [ "$ONLY" != buzon ]; then
    DC="$WORK/dovecot" MAIL="$WORK/mail" PF="$WORK/postfix"
    mkdir -p "$DC" "$MAIL"
    big=0; want big && big="$BIG"
    idle=0; want idle && idle="$IDLE"
    hash="$(doveadm pw -s BLF-CRYPT -r 10 -p "$PASSWORD")"
    "${LOAD[@]}" users --clients "$CLIENTS" --idle "$idle" |
        while read -r user; do echo "$user:$hash:$(id -u mail):$(id -g mail)::$MAIL/${user%@*}::"; done >"$DC/users"
    "${LOAD[@]}" fill-maildir --home-root "$MAIL" --clients "$CLIENTS" --messages "$MESSAGES" --size "$SIZE" \
        --big "$big" --idle "$idle"
    chown -R mail:mail "$MAIL"
    need=$(( IDLE + 512 ))   # one inotify instance a session in IDLE (see measure 3 above)
    if want idle && [ "$(cat /proc/sys/fs/inotify/max_user_instances)" -lt "$need" ]; then
        INOTIFY_WAS="$(cat /proc/sys/fs/inotify/max_user_instances)"
        echo "$need" >/proc/sys/fs/inotify/max_user_instances
        echo "fs.inotify.max_user_instances: $INOTIFY_WAS → $need for the Dovecot runs"
    fi
    echo "Dovecot $(dovecot --version | cut -d' ' -f1) (Debian package $(dpkg-query -W -f '${Version}' dovecot-imapd)), passwords {BLF-CRYPT} \$2y\$10\$"
    want notify && echo "Postfix $(postconf -d -h mail_version) in front of Dovecot's LMTP for measure 4"
    for kind in default tuned; do
        # Each instance starts from the Maildirs alone: no index, cache or uidlist of the last.
        find "$MAIL" -name 'dovecot*' -exec rm -rf {} +
        port="$(free_port)"
        dovecot_conf "$kind" "$port" >"$DC/dovecot-$kind.conf"
        doveconf -c "$DC/dovecot-$kind.conf" -n >/dev/null   # fails on a setting it does not know
        DOVECOT_CONF="$DC/dovecot-$kind.conf"
        dovecot -c "$DOVECOT_CONF"
        wait_greeting "$port" "* OK" 300
        smtp=0
        if want notify; then smtp="$(free_port)"; postfix_start "$smtp" "$DC/run-$kind/lmtp"; fi
        run_tests "Dovecot $kind" "dovecot-$kind" "$port" "$smtp"
        if [ -n "$POSTFIX_UP" ]; then postfix -c "$PF/etc" stop >/dev/null 2>&1; POSTFIX_UP=""; fi
        if want idle; then   # measure 3 on an instance started afresh (see above)
            stop_dovecot "$DOVECOT_CONF"
            dovecot -c "$DOVECOT_CONF"
            wait_greeting "$port" "* OK" 300
            settle="$SETTLE"; [ "$kind" = tuned ] && settle=$(( SETTLE + 120 ))   # two idle_kill intervals
            run_idle "Dovecot $kind" "dovecot-$kind" "$port" "$settle" --tree "dovecot=$(cat "$DC/run-$kind/master.pid")"
        fi
        stop_dovecot "$DOVECOT_CONF"; DOVECOT_CONF=""
        if grep -q 'Inotify instance limit' "$DC/dovecot-$kind.log"; then
            echo "bench-imap: Dovecot $kind ran out of inotify instances (see its log)" >&2; exit 1
        fi
    done
    if [ -n "$INOTIFY_WAS" ]; then echo "$INOTIFY_WAS" >/proc/sys/fs/inotify/max_user_instances; INOTIFY_WAS=""; fi
fi

echo
found=()
for f in buzon dovecot-default dovecot-tuned; do   # Buzón first: ratio = Buzón vs Dovecot
    ls "$RESULTS/$f"-*.json >/dev/null 2>&1 && found+=("$f")
done
"${LOAD[@]}" table --dir "$RESULTS" "${found[@]}"
