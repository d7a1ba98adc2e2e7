#!/bin/bash
# bench-admin.sh BUILDDIR — the admin API under load, beside HAProxy's runtime API.
#
# gatehoused (a `gatehoused init` setup: its echo service and its admin API, HTTPS + WSS
# with client certificates) holds ADMINBENCH_SESSIONS (10,000) live WSS sessions opened by
# ws-load --mode idle (ADMINBENCH_LOADERS processes). Measured with admin-client.py
# (Python's ssl/http.client and python3-websockets, this directory):
#   - latency of GET /info, /stats, /sessions?limit=100, /sessions?limit=1000, the whole
#     session list paged by 1000, /config, /keystore: ADMINBENCH_N sequential requests on
#     one keep-alive TLS connection and ADMINBENCH_FRESH on fresh connections (full TLS 1.3
#     handshake with the client certificate); at 0 sessions and at 10,000;
#   - one event-stream client while ws-load --mode churn opens and closes sessions
#     (ADMINBENCH_CHURN seconds, ADMINBENCH_CHURN_CONCURRENCY loops): events/s, opened/closed
#     events against the sessions churned, seq gaps, resync_required, the daemon's CPU/RSS;
#   - the same client while the 10,000 sessions exchange messages (ws-load's idle
#     sessions switched to echo ping-pong by SIGUSR1, ADMINBENCH_ECHO seconds): the size and
#     rate of session.updated.
# The peer: HAProxy (Debian's) terminating the same WSS with the same certificate, one
# thread, holding the same sessions (answered by haproxy-ws-echo.lua: see there why not
# proxied), its runtime API on a UNIX stats socket (show info, show stat, show sess, timed
# the same way) and its HTTPS stats page (/stats;csv) behind the same mTLS as our API.
# gatehoused runs with --workers ADMINBENCH_WORKERS (1: the sessions on one thread, the
# admin API on the main one). Loopback only. A benchmark, not a test: nothing is checked
# against a threshold. The table goes to stdout and BUILDDIR/adminbench/results.md.
set -euo pipefail

BUILD=$(cd "${1:?usage: bench-admin.sh BUILDDIR}" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=$BUILD/adminbench
SESSIONS=${ADMINBENCH_SESSIONS:-10000}
LOADERS=${ADMINBENCH_LOADERS:-10}
WINDOW=${ADMINBENCH_WINDOW:-8}
N=${ADMINBENCH_N:-100}
FRESH=${ADMINBENCH_FRESH:-20}
CHURN=${ADMINBENCH_CHURN:-10}
CHURNC=${ADMINBENCH_CHURN_CONCURRENCY:-16}
WORKERS=${ADMINBENCH_WORKERS:-1}
ECHO=${ADMINBENCH_ECHO:-10}
OPEN_TIMEOUT=${ADMINBENCH_OPEN_TIMEOUT:-900}
GATEHOUSED=$BUILD/src/gateway/gatehoused
GATEHOUSECTL=$BUILD/src/cli/gatehousectl
WSLOAD=$BUILD/tests/bench/ws-load
CLIENT="python3 $HERE/admin-client.py"
ulimit -n "$(ulimit -Hn)"

rm -rf "$W"
mkdir -p "$W"
RESULTS=$W/results.jsonl
: > "$RESULTS"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
log() { echo "bench-admin: $*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 150); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on $1"; return 1
}
cpu_of() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }
rss_of() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
ovf() { awk '/^TcpExt:/ {if (!h) {for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") c = i; h = 1} else print $c}' /proc/net/netstat; }
# sample PID every 0.5 s into FILE (t cpu_s rss_kib) until killed
sampler() { local t0; t0=$(date +%s.%N); while kill -0 "$1" 2>/dev/null; do
  echo "$(date +%s.%N | awk -v s="$t0" '{print $1 - s}') $(cpu_of "$1") $(rss_of "$1")"; sleep 0.5; done > "$2"; }
rec() { echo "$1" >> "$RESULTS"; }

PG=$(free_port); PA=$(free_port); PH=$(free_port); PS=$(free_port)

# ---- one setup: CAs, keystore, admin identity ----
"$GATEHOUSED" init --dir "$W/setup" --port "$PG" --admin-port "$PA" > "$W/init.log"
S=$W/setup
CA=$S/ca.pem
FP=$(awk '/fingerprint/ {getline; print $1}' "$W/init.log")
ADMIN="https://127.0.0.1:$PA"
( umask 077
  # the admin identity for Python (key and chain, unencrypted: a 0600 file)
  openssl pkcs12 -in "$S/gatehouse-admin.p12" -passin "file:$S/gatehouse-admin.pw" -nodes -out "$W/client.pem" 2>/dev/null
  # the "gateway" and "admin" key entries, for HAProxy
  for alias in gateway admin; do
    "$GATEHOUSECTL" keystore export "$alias" --chain -k "$S/keystore.p12" --password-file "$S/keystore.pw" -o "$W/$alias-chain.pem"
    openssl pkcs12 -in "$S/keystore.p12" -passin "file:$S/keystore.pw" -nodes -nocerts 2>/dev/null |
      awk -v a="$alias" '$0 ~ "friendlyName: " a "$" {take=1} take {print} take && /END PRIVATE KEY/ {exit}' |
      sed -n '/BEGIN PRIVATE KEY/,/END PRIVATE KEY/p' > "$W/$alias-key.pem"
    if [ "$(openssl x509 -in "$W/$alias-chain.pem" -noout -pubkey)" != "$(openssl pkey -in "$W/$alias-key.pem" -pubout)" ]; then
      log "the exported key does not match the $alias certificate"; exit 1
    fi
    cat "$W/$alias-chain.pem" "$W/$alias-key.pem" > "$W/haproxy-$alias.pem"
  done )
python3 - "$S/gatehoused.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
for s in c["services"]:
    # idle-timeout: the default 300 s would close the first sessions while the last open
    s["limits"] = {"max-sessions": 100000, "idle-timeout": 7200}
json.dump(c, open(sys.argv[1], "w"), indent=2)
EOF

PATHS=(/api/v1/info /api/v1/stats "/api/v1/sessions?limit=100" "/api/v1/sessions?limit=1000"
       "walk:/api/v1/sessions?limit=1000" /api/v1/config /api/v1/keystore)
http_latency() {  # http_latency LABEL PID BASE PATH…
  local label=$1 pid=$2 base=$3; shift 3
  local args=() p
  for p in "$@"; do args+=(--path "$p"); done
  $CLIENT http --base "$base" --cert "$W/client.pem" --ca "$CA" --fingerprint "$FP" --label "$label" \
    --server-pid "$pid" --n "$N" --fresh "$FRESH" "${args[@]}" >> "$RESULTS"
}

LOADER_PIDS=()
open_idle() {  # open_idle NAME URL SERVER_PID: SESSIONS over LOADERS ws-load processes
  local name=$1 url=$2 pid=$3 i t0 ready o0 c0
  LOADER_PIDS=()
  t0=$(date +%s.%N); o0=$(ovf); c0=$(cpu_of "$pid")
  for i in $(seq "$LOADERS"); do
    "$WSLOAD" --ca "$CA" --mode idle --url "$url" --sessions $((SESSIONS / LOADERS)) --hold 3600 \
      --connect-window "$WINDOW" --connect-timeout "$OPEN_TIMEOUT" > "$W/idle-$name-$i.json" 2> "$W/idle-$name-$i.err" &
    LOADER_PIDS+=($!); PIDS+=($!)
  done
  while :; do
    ready=$(cat "$W"/idle-"$name"-*.err | grep -c '^ready' || true)
    [ "$ready" -ge "$LOADERS" ] && break
    for i in "${LOADER_PIDS[@]}"; do kill -0 "$i" 2>/dev/null || { log "a ws-load of $name ended before ready"; break 2; }; done
    sleep 1
    n=$(($(ls "/proc/$pid/fd" | wc -l)))
    [ $(( $(date +%s) % 15 )) -eq 0 ] && log "  $name: $n descriptors open, $(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN {printf "%.0f", a - b}') s, CPU $(cpu_of "$pid") s, RSS $(rss_of "$pid") KiB"
  done
  rec "{\"phase\":\"open\",\"front\":\"$name\",\"sessions\":$SESSIONS,\"wall_s\":$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN {print a - b}'),\"cpu_s\":$(awk -v a="$(cpu_of "$pid")" -v b="$c0" 'BEGIN {print a - b}'),\"rss_kib\":$(rss_of "$pid"),\"listen_overflows\":$(( $(ovf) - o0 ))}"
}
close_idle() {  # close_idle NAME: SIGTERM the loaders, collect their JSON lines
  local name=$1 p
  for p in "${LOADER_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${LOADER_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  python3 - "$name" "$W"/idle-"$name"-*.json >> "$RESULTS" <<'EOF'
import json, sys
rows = []
for f in sys.argv[2:]:
    try:
        rows.append(json.loads(open(f).read()))
    except Exception:
        pass
print(json.dumps({"phase": "idle", "front": sys.argv[1], "loaders": len(rows),
                  "open": sum(r["open"] for r in rows), "errors": sum(r["errors"] for r in rows),
                  "connect_s": max((r["connect_s"] for r in rows), default=0),
                  "messages": sum(r["messages"] for r in rows),
                  "loader_cpu_s": sum(r["cpu_s"] for r in rows),
                  "first_error": next((r["first_error"] for r in rows if r["first_error"]), None)}))
EOF
}

events_start() {  # events_start NAME: one event-stream client, waits for its first snapshot
  local name=$1 t0
  rm -f "$W/events-$name.ready"
  $CLIENT events --url "wss://127.0.0.1:$PA/api/v1/events" --cert "$W/client.pem" --ca "$CA" --fingerprint "$FP" \
    --out "$W/events-$name.json" --ready "$W/events-$name.ready" 2> "$W/events-$name.err" &
  EV_PID=$!; PIDS+=($EV_PID)
  t0=$(date +%s)
  until [ -e "$W/events-$name.ready" ]; do
    kill -0 "$EV_PID" 2>/dev/null || { log "the event client $name died: $(cat "$W/events-$name.err")"; return 1; }
    [ $(( $(date +%s) - t0 )) -lt 120 ] || { log "no snapshot within 120 s"; return 1; }
    sleep 0.2
  done
}
events_stop() { kill -TERM "$EV_PID" 2>/dev/null || true; wait "$EV_PID" 2>/dev/null || true; }

# ======================= gatehoused =======================
log "gatehoused: $SESSIONS sessions, $LOADERS ws-load processes"
"$GATEHOUSED" --config "$S/gatehoused.json" --workers "$WORKERS" > "$W/gatehoused.log" 2>&1 &
GH_PID=$!; PIDS+=("$GH_PID")
wait_port "$PG"; wait_port "$PA"
$CLIENT http --base "$ADMIN" --cert "$W/client.pem" --ca "$CA" --fingerprint "$FP" --get /api/v1/info > "$W/info.json"
http_latency gatehoused-0 "$GH_PID" "$ADMIN" "${PATHS[@]}"
rec "{\"phase\":\"rss\",\"front\":\"gatehoused\",\"sessions\":0,\"rss_kib\":$(rss_of "$GH_PID")}"

open_idle gatehoused "wss://127.0.0.1:$PG/echo" "$GH_PID"
$CLIENT http --base "$ADMIN" --cert "$W/client.pem" --ca "$CA" --get /api/v1/stats > "$W/stats-10k.json"
OPEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sessions_open"])' "$W/stats-10k.json")
log "gatehoused: GET /stats says sessions_open $OPEN"
rec "{\"phase\":\"rss\",\"front\":\"gatehoused\",\"sessions\":$OPEN,\"rss_kib\":$(rss_of "$GH_PID")}"
http_latency gatehoused-live "$GH_PID" "$ADMIN" "${PATHS[@]}"

# events while sessions churn
log "gatehoused: event stream while sessions churn ($CHURN s, $CHURNC loops)"
sampler "$GH_PID" "$W/sample-churn.txt" & SAMPLER=$!
t0=$(date +%s.%N)
events_start churn
snap_s=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN {print a - b}')
c0=$(cpu_of "$GH_PID")
"$WSLOAD" --ca "$CA" --mode churn --url "wss://127.0.0.1:$PG/echo" --concurrency "$CHURNC" --duration "$CHURN" \
  > "$W/churn.json" 2> "$W/churn.err" || true
c1=$(cpu_of "$GH_PID")
sleep 3
events_stop
kill "$SAMPLER" 2>/dev/null || true
rec "{\"phase\":\"churn\",\"front\":\"gatehoused\",\"sessions\":$OPEN,\"connect_to_snapshot_s\":$snap_s,\"cpu_s\":$(awk -v a="$c1" -v b="$c0" 'BEGIN {print a - b}'),\"load\":$(cat "$W/churn.json"),\"events\":\"$W/events-churn.json\",\"samples\":\"$W/sample-churn.txt\"}"

# session.updated while the sessions exchange messages
log "gatehoused: event stream while $OPEN sessions exchange messages ($ECHO s)"
sampler "$GH_PID" "$W/sample-echo.txt" & SAMPLER=$!
events_start echo
c0=$(cpu_of "$GH_PID"); t0=$(date +%s.%N)
for p in "${LOADER_PIDS[@]}"; do kill -USR1 "$p"; done
# the API while the sessions echo: GET /stats, sequentially, for the phase
$CLIENT http --base "$ADMIN" --cert "$W/client.pem" --ca "$CA" --fingerprint "$FP" --label gatehoused-echo \
  --server-pid "$GH_PID" --n 20 --fresh 0 --path /api/v1/stats >> "$RESULTS" 2> "$W/probe-echo.err" &
PROBE=$!
sleep "$ECHO"
for p in "${LOADER_PIDS[@]}"; do kill -USR2 "$p"; done
t1=$(date +%s.%N); c1=$(cpu_of "$GH_PID")
wait "$PROBE" || true
sleep 10
events_stop
kill "$SAMPLER" 2>/dev/null || true
rec "{\"phase\":\"echo\",\"front\":\"gatehoused\",\"sessions\":$OPEN,\"wall_s\":$(awk -v a="$t1" -v b="$t0" 'BEGIN {print a - b}'),\"cpu_s\":$(awk -v a="$c1" -v b="$c0" 'BEGIN {print a - b}'),\"events\":\"$W/events-echo.json\",\"samples\":\"$W/sample-echo.txt\"}"

# every session closing at once: a burst of session.closed
log "gatehoused: event stream while the $OPEN sessions close"
events_start close
t0=$(date +%s.%N)
close_idle gatehoused
t1=$(date +%s.%N)
sleep 10
events_stop
rec "{\"phase\":\"close\",\"front\":\"gatehoused\",\"sessions\":$OPEN,\"wall_s\":$(awk -v a="$t1" -v b="$t0" 'BEGIN {print a - b}'),\"events\":\"$W/events-close.json\"}"

# churn again with no other session: what the stream carries when the gateway churns fast
log "gatehoused: event stream while sessions churn, no idle sessions ($CHURN s)"
events_start churn0
c0=$(cpu_of "$GH_PID")
"$WSLOAD" --ca "$CA" --mode churn --url "wss://127.0.0.1:$PG/echo" --concurrency "$CHURNC" --duration "$CHURN" \
  > "$W/churn0.json" 2> "$W/churn0.err" || true
c1=$(cpu_of "$GH_PID")
sleep 3
events_stop
rec "{\"phase\":\"churn0\",\"front\":\"gatehoused\",\"sessions\":0,\"connect_to_snapshot_s\":0,\"cpu_s\":$(awk -v a="$c1" -v b="$c0" 'BEGIN {print a - b}'),\"load\":$(cat "$W/churn0.json"),\"events\":\"$W/events-churn0.json\",\"samples\":\"\"}"
sleep 2
rec "{\"phase\":\"rss\",\"front\":\"gatehoused\",\"sessions\":\"after\",\"rss_kib\":$(rss_of "$GH_PID")}"
kill "$GH_PID"; wait "$GH_PID" 2>/dev/null || true

# ======================= HAProxy =======================
log "haproxy: $SESSIONS sessions"
cat > "$W/haproxy.cfg" <<EOF
global
  maxconn $((SESSIONS + 500))
  ulimit-n $(ulimit -n)
  nbthread 1
  # HAProxy counts two descriptors per connection (a proxy's); these sessions take one
  # (haproxy-ws-echo.lua), and 20,000 is the hard limit here
  no strict-limits
  stats socket $W/haproxy.sock mode 600 level admin
  lua-load $HERE/haproxy-ws-echo.lua
  ssl-default-bind-options ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3
defaults
  log global
  timeout connect 10s
  timeout client 3600s
  timeout server 3600s
frontend ws
  mode tcp
  maxconn $((SESSIONS + 100))
  bind 127.0.0.1:$PH ssl crt $W/haproxy-gateway.pem
  tcp-request inspect-delay 5s
  tcp-request content use-service lua.wsecho
frontend stats
  mode http
  bind 127.0.0.1:$PS ssl crt $W/haproxy-admin.pem ca-file $S/admin-ca.pem verify required ssl-min-ver TLSv1.3
  stats enable
  stats uri /stats
EOF
haproxy -db -f "$W/haproxy.cfg" > "$W/haproxy.log" 2>&1 &
HA_PID=$!; PIDS+=("$HA_PID")
wait_port "$PH"; wait_port "$PS"
CMDS=(--command "show info" --command "show stat" --command "show sess")
cli_latency() { $CLIENT cli --socket "$W/haproxy.sock" --label "$1" --server-pid "$HA_PID" --n "$N" --fresh "$FRESH" "${CMDS[@]}" >> "$RESULTS"; }
stats_latency() {  # HAProxy's HTTPS stats page: the same client, certificate and TLS 1.3
  $CLIENT http --base "https://127.0.0.1:$PS" --cert "$W/client.pem" --ca "$CA" --label "$1" \
    --server-pid "$HA_PID" --n "$N" --fresh "$FRESH" --path "/stats;csv" >> "$RESULTS"
}
cli_latency haproxy-0; stats_latency haproxy-0
rec "{\"phase\":\"rss\",\"front\":\"haproxy\",\"sessions\":0,\"rss_kib\":$(rss_of "$HA_PID")}"
open_idle haproxy "wss://127.0.0.1:$PH/echo" "$HA_PID"
HOPEN=$(echo "show info" | python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show info\n")
out = b""
while (c := s.recv(65536)): out += c
print(next(l.split(":")[1].strip() for l in out.decode().splitlines() if l.startswith("CurrConns:")))' "$W/haproxy.sock")
log "haproxy: show info says CurrConns $HOPEN"
rec "{\"phase\":\"rss\",\"front\":\"haproxy\",\"sessions\":$HOPEN,\"rss_kib\":$(rss_of "$HA_PID")}"
cli_latency haproxy-live; stats_latency haproxy-live
close_idle haproxy
kill "$HA_PID"; wait "$HA_PID" 2>/dev/null || true

python3 "$HERE/bench-admin-report.py" "$RESULTS" "$W/results.md" "$SESSIONS" "$N" "$FRESH"
n=$(grep -ciE 'critical|warning|error' "$W/gatehoused.log" || true)
log "gatehoused.log: $n lines with critical/warning/error (full log: $W/gatehoused.log)"
