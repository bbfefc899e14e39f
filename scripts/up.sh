#!/usr/bin/env bash
# make up: build Buzón and run every service as its own process on the local default ports,
# with SQLite under ./.data (or BUZON_DATA_DIR), a generated internal token and a generated
# self-signed certificate. A service that crashes is restarted; Ctrl-C or SIGTERM stops all.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIG="${CONFIG:-release}"                       # debug for tests, release for real use
export BUZON_DATA_DIR="${BUZON_DATA_DIR:-$PWD/.data}"
export BUZON_STORE_HOST="${BUZON_STORE_HOST:-127.0.0.1}"
export BUZON_STORE_PORT="${BUZON_STORE_PORT:-8025}"
export BUZON_STORE_URL="${BUZON_STORE_URL:-http://$BUZON_STORE_HOST:$BUZON_STORE_PORT}"
export BUZON_SMTP_MX_PORT="${BUZON_SMTP_MX_PORT:-2525}"
export BUZON_SMTP_SUBMISSION_PORT="${BUZON_SMTP_SUBMISSION_PORT:-2587}"
export BUZON_SMTP_SUBMISSIONS_PORT="${BUZON_SMTP_SUBMISSIONS_PORT:-2465}"
export BUZON_SMTP_ADMIN_PORT="${BUZON_SMTP_ADMIN_PORT:-9025}"
export BUZON_POP3_PORT="${BUZON_POP3_PORT:-2110}"
export BUZON_POP3S_PORT="${BUZON_POP3S_PORT:-2995}"
export BUZON_POP3_ADMIN_PORT="${BUZON_POP3_ADMIN_PORT:-9110}"
export BUZON_IMAP_PORT="${BUZON_IMAP_PORT:-2143}"
export BUZON_IMAPS_PORT="${BUZON_IMAPS_PORT:-2993}"
export BUZON_IMAP_ADMIN_PORT="${BUZON_IMAP_ADMIN_PORT:-9143}"
export BUZON_RELAY_ADMIN_PORT="${BUZON_RELAY_ADMIN_PORT:-9026}"
export BUZON_WEBMAIL_PORT="${BUZON_WEBMAIL_PORT:-8080}"
export BUZON_WEBMAILS_PORT="${BUZON_WEBMAILS_PORT:-8443}"
export BUZON_WEBMAIL_ADMIN_PORT="${BUZON_WEBMAIL_ADMIN_PORT:-9080}"
# Local use on 127.0.0.1: mail over HTTP too. A server facing a network keeps the default,
# `redirect`, which sends every HTTP request to HTTPS.
export BUZON_WEBMAIL_PLAIN_HTTP="${BUZON_WEBMAIL_PLAIN_HTTP:-serve}"
DEMO_DOMAIN="example.test"
DEMO_USER="demo@$DEMO_DOMAIN"
DEMO_PASSWORD="demo"

log() { printf 'buzon: %s\n' "$*" >&2; }

scripts/install-deps.sh runtime

if [ "${BUZON_SKIP_BUILD:-0}" != 1 ]; then
    log "building ($CONFIG)…"
    swift build -c "$CONFIG"
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)"

mkdir -p "$BUZON_DATA_DIR/tls"
chmod 700 "$BUZON_DATA_DIR"
if [ ! -s "$BUZON_DATA_DIR/internal-token" ]; then
    (umask 077; openssl rand -hex 32 > "$BUZON_DATA_DIR/internal-token")
    log "generated the internal API token in $BUZON_DATA_DIR/internal-token"
fi
export BUZON_INTERNAL_TOKEN_FILE="$BUZON_DATA_DIR/internal-token"
if [ ! -s "$BUZON_DATA_DIR/tls/cert.pem" ]; then
    # The TLS ports of the gateways use this until an administrator installs a real one.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
        -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
        -keyout "$BUZON_DATA_DIR/tls/key.pem" -out "$BUZON_DATA_DIR/tls/cert.pem" 2>/dev/null
    chmod 600 "$BUZON_DATA_DIR/tls/key.pem"
    log "generated a self-signed certificate in $BUZON_DATA_DIR/tls/"
fi
export BUZON_TLS_CERT="${BUZON_TLS_CERT:-$BUZON_DATA_DIR/tls/cert.pem}"
export BUZON_TLS_KEY="${BUZON_TLS_KEY:-$BUZON_DATA_DIR/tls/key.pem}"

stopping=0
pids=()

# Runs one service and restarts it when it dies, until we are stopping.
supervise() {
    local name="$1"; shift
    (
        trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT
        while true; do
            "$@" &
            child=$!
            wait "$child" && rc=0 || rc=$?
            log "$name exited with status $rc; restarting in 1 s"
            sleep 1
        done
    ) &
    pids+=($!)
}

shutdown() {
    [ "$stopping" = 1 ] && return
    stopping=1
    log "stopping…"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait || true
    log "stopped"
    exit 0
}
trap shutdown TERM INT

supervise mailbox-store "$BIN/mailbox-store"
supervise smtp-gateway "$BIN/smtp-gateway"
supervise pop3-gateway "$BIN/pop3-gateway"
supervise imap-gateway "$BIN/imap-gateway"
supervise queue-relay "$BIN/queue-relay"
supervise webmail "$BIN/webmail"

# Wait for the store, then create the demo domain and user on the first start only.
for _ in $(seq 1 100); do
    curl -fsS "$BUZON_STORE_URL/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fsS "$BUZON_STORE_URL/healthz" >/dev/null || { log "the store did not start"; shutdown; }
if [ ! -e "$BUZON_DATA_DIR/.demo-created" ]; then
    "$BIN/mailctl" domain add "$DEMO_DOMAIN" || true
    printf '%s\n' "$DEMO_PASSWORD" | "$BIN/mailctl" user add --password-stdin "$DEMO_USER" || true
    touch "$BUZON_DATA_DIR/.demo-created"
fi

cat <<INFO
Buzón is running (data in $BUZON_DATA_DIR):
  mailbox-store   internal API   $BUZON_STORE_URL   (token in $BUZON_DATA_DIR/internal-token)
  smtp-gateway    MX             smtp://127.0.0.1:$BUZON_SMTP_MX_PORT
                  submission     smtp://127.0.0.1:$BUZON_SMTP_SUBMISSION_PORT (STARTTLS, AUTH)
                  submissions    smtps://127.0.0.1:$BUZON_SMTP_SUBMISSIONS_PORT
                  admin          http://127.0.0.1:$BUZON_SMTP_ADMIN_PORT/metrics
  pop3-gateway    POP3           pop3://127.0.0.1:$BUZON_POP3_PORT (STLS)
                  POP3S          pop3s://127.0.0.1:$BUZON_POP3S_PORT
                  admin          http://127.0.0.1:$BUZON_POP3_ADMIN_PORT/metrics
  imap-gateway    IMAP           imap://127.0.0.1:$BUZON_IMAP_PORT (STARTTLS)
                  IMAPS          imaps://127.0.0.1:$BUZON_IMAPS_PORT
                  admin          http://127.0.0.1:$BUZON_IMAP_ADMIN_PORT/metrics
  queue-relay     delivers queued mail to other servers (MX lookup through the system's DNS)
                  admin          http://127.0.0.1:$BUZON_RELAY_ADMIN_PORT/metrics
  webmail         HTTP           http://127.0.0.1:$BUZON_WEBMAIL_PORT/
                  HTTPS          https://127.0.0.1:$BUZON_WEBMAILS_PORT/
                  admin          http://127.0.0.1:$BUZON_WEBMAIL_ADMIN_PORT/metrics
  demo account    $DEMO_USER / $DEMO_PASSWORD
  admin           $BIN/mailctl user list
Ctrl-C stops everything.
INFO

wait
