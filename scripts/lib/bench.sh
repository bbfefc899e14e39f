# What the bench scripts (bench-smtp.sh, bench-pop3.sh, bench-imap.sh, bench-relay.sh) share:
# packages, the Buzón executables, ports and greetings, the mailbox-store, and the private
# Postfix and Dovecot instances they measure Buzón against. Sourced, after the script has set
# BENCH (its name, for messages) and, before the functions that need them, WORK, BIN, PF, DC.

# packages...: installs the Debian packages not yet installed (Postfix without its debconf
# questions).
bench_install() {
    local missing=() pkg SUDO=""
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ "${#missing[@]}" -gt 0 ] || return 0
    [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "$BENCH: installing ${missing[*]}" >&2
    if [[ " ${missing[*]} " == *" postfix "* ]]; then
        echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The Dovecot configurations here are 2.3's (Debian 12).
require_dovecot_23() {
    case "$(dovecot --version)" in
        2.3.*) ;;
        *) echo "$BENCH: the Dovecot configuration here is 2.3's (Debian 12); $(dovecot --version) needs it rewritten" >&2; exit 1 ;;
    esac
}

# products...: sets BIN to the directory of the release executables, built here unless
# BENCH_BIN names a directory to take them from.
bench_binaries() {
    local product
    if [ -n "${BENCH_BIN:-}" ]; then
        BIN="$(cd "$BENCH_BIN" && pwd)"
    else
        for product in "$@"; do swift build -c release --product "$product"; done
        BIN="$(swift build -c release --show-bin-path)"
    fi
}

# products...: copies them into $WORK/bin, so that a build during the run cannot swap them;
# BIN then points there and BIN_FROM where they came from.
bench_copy_binaries() {
    local product
    mkdir -p "$WORK/bin"
    for product in "$@"; do cp "$BIN/$product" "$WORK/bin/"; done
    BIN_FROM="$BIN" BIN="$WORK/bin"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# port text [tries]: until the server on the port greets with text (220, +OK, * OK), a try
# every 0.1 s.
wait_greeting() {
    for _ in $(seq 1 "${3:-200}"); do
        python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1])),1); sys.exit(0 if s.recv(len(sys.argv[2])).decode()==sys.argv[2] else 1)' "$1" "$2" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "$BENCH: nothing greets on port $1" >&2; return 1
}

# Seconds since 1970, to the nanosecond: the start of a timed run.
now() { date +%s.%N; }

# The line every result starts with: what the figures were measured on.
machine_line() {
    echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r); disk of $WORK: $(df -h "$WORK" | awk 'NR==2{print $1}')"
}

# Starts the mailbox-store on $WORK/buzon/data (STORE_PORT, TOKEN) and waits for its health
# check; STORE is its pid. BUZON_BCRYPT_COST is left at its default (10), as a real
# installation has it.
store_start() {
    mkdir -p "$WORK/buzon/data"
    BUZON_DATA_DIR="$WORK/buzon/data" BUZON_STORE_HOST=127.0.0.1 BUZON_STORE_PORT="$STORE_PORT" \
        BUZON_INTERNAL_TOKEN="$TOKEN" BUZON_LOG_LEVEL=warning "$BIN/mailbox-store" 2>>"$WORK/buzon/store.log" &
    STORE=$!
    for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$STORE_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    kill -0 "$STORE" 2>/dev/null || { echo "$BENCH: mailbox-store exited" >&2; exit 1; }
}

# port hostname mydestination [lmtp]: a private Postfix instance under $PF (configuration,
# queue and log there, loopback only, the system's own configuration untouched), its smtpd on
# 127.0.0.1:port; lines on stdin are added to main.cf; with `lmtp`, master.cf has the lmtp
# client. Started, waited for; POSTFIX_UP says it runs.
postfix_start_private() {
    local port="$1" hostname="$2" destination="$3" lmtp=""
    [ "${4:-}" = lmtp ] && lmtp="lmtp      unix  -       -       n       -       -       lmtp"
    mkdir -p "$PF/etc" "$PF/queue" "$PF/data"
    chown postfix:postfix "$PF/data"
    {
        cat <<CF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
maillog_file = $PF/postfix.log
maillog_file_prefixes = $PF
myhostname = $hostname
mydomain = bench.test
myorigin = bench.test
mydestination =${destination:+ $destination}
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
local_recipient_maps =
alias_maps =
alias_database =
biff = no
smtpd_banner = \$myhostname ESMTP
CF
        cat
    } >"$PF/etc/main.cf"
    grep -v '^$' >"$PF/etc/master.cf" <<CF
127.0.0.1:$port inet n - n - - smtpd
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
$lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
    postfix -c "$PF/etc" check
    postfix -c "$PF/etc" start >/dev/null 2>&1
    POSTFIX_UP=1
    wait_greeting "$port" 220
}

# kind protocols: the start of a private Dovecot instance's configuration under $DC (what must
# differ from Debian's /etc/dovecot to run privately, and only that): its directories and log,
# the protocols, loopback, no TLS and plaintext logins (on loopback, as Buzón allows them there),
# the bench users from $DC/users (bcrypt), Maildirs, the user `mail`. "tuned" reads the same
# users from SQLite with the authentication cache on (dovecot_tuned_auth_conf says why).
dovecot_private_conf() {
    local kind="$1" protocols="$2"
    cat <<CF
base_dir = $DC/run-$kind
state_dir = $DC/state-$kind
instance_name = $BENCH-$kind
log_path = $DC/dovecot-$kind.log
protocols = $protocols
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
first_valid_uid = $(id -u mail)
first_valid_gid = $(id -g mail)
mail_location = maildir:~/Maildir
CF
    if [ "$kind" = tuned ]; then dovecot_tuned_auth_conf; return; fi
    cat <<CF
passdb {
  driver = passwd-file
  args = scheme=BLF-CRYPT $DC/users
}
userdb {
  driver = passwd-file
  args = $DC/users
}
CF
}

# Dovecot's authentication cache, as its performance-tuning page gives it: auth_cache_size, and
# auth_cache_verify_password_with_worker so password hashes are checked on every core. Found by
# experiment with auth_debug (2.3.19): a passwd-file passdb is never cached (no "cache hit" in
# the log, with or without %d in its path), so the tuned instance reads the same users and
# bcrypt hashes from SQLite (dovecot-sqlite), a passdb the cache serves. Even on a hit Dovecot
# checks the password against the cached bcrypt hash ("cache: validating password on worker"):
# its cache saves the passdb lookup, not the bcrypt check, so a cached login still costs one
# bcrypt-10, spread over the auth-worker processes. Writes $DC/users.sqlite from $DC/users.
dovecot_tuned_auth_conf() {
    python3 - "$DC/users" "$DC/users.sqlite" <<'PY'
import sqlite3, sys
source, target = sys.argv[1], sys.argv[2]
db = sqlite3.connect(target)
db.execute("DROP TABLE IF EXISTS users")
db.execute("CREATE TABLE users (user TEXT PRIMARY KEY, password TEXT, home TEXT, uid INTEGER, gid INTEGER)")
with open(source) as users:
    for line in users:
        f = line.rstrip("\n").split(":")
        db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)", (f[0], f[1], f[5], int(f[2]), int(f[3])))
db.commit()
PY
    chmod 644 "$DC/users.sqlite"
    cat >"$DC/sql.conf.ext" <<CF
driver = sqlite
connect = $DC/users.sqlite
default_pass_scheme = BLF-CRYPT
password_query = SELECT user, password FROM users WHERE user = '%u'
user_query = SELECT home, uid, gid FROM users WHERE user = '%u'
CF
    cat <<CF
passdb {
  driver = sql
  args = $DC/sql.conf.ext
}
userdb {
  driver = sql
  args = $DC/sql.conf.ext
}
# The authentication cache (off while auth_cache_size is 0, Debian's default), successful and
# failed lookups kept an hour, and the cached hashes checked by auth-worker processes (up to
# auth_worker_max_count, 30: fewer makes requests queue past Dovecot's 5-s limit and fail).
auth_cache_size = 10M
auth_cache_ttl = 1 hour
auth_cache_negative_ttl = 1 hour
auth_cache_verify_password_with_worker = yes
CF
}

# What Debian's 10-mail.conf and 15-mailboxes.conf set.
dovecot_debian_mail_conf() {
    cat <<CF
# As Debian's 10-mail.conf and 15-mailboxes.conf have them:
mail_privileged_group = mail
namespace inbox {
  inbox = yes
}
CF
}

# login-service: its login processes in high-performance mode, from Dovecot's login-process
# documentation.
dovecot_tuned_login_conf() {
    cat <<CF
# Login processes in high-performance mode: each serves many connections instead of one
# process forked per connection, one per core started in advance (service_count = 0 is how
# Dovecot 2.3 says it; the docs advise a larger vsz_limit with it).
service $1 {
  service_count = 0
  process_min_avail = $(nproc)
  vsz_limit = 1G
}
CF
}

# conf: stops a Dovecot instance and waits until its master process is gone, so the next
# instance starts clean.
stop_dovecot() {
    local conf="$1" pidfile
    pidfile="$(doveconf -c "$conf" -h base_dir 2>/dev/null)/master.pid"
    doveadm -c "$conf" stop >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do [ -e "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null || return 0; sleep 0.1; done
}

# The LMTP socket Postfix's lmtp client (user postfix) delivers into.
dovecot_lmtp_conf() {
    cat <<CF
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
protocol lmtp {
  postmaster_address = postmaster@bench.test
}
CF
}
