#!/bin/bash
# bench-gateway.sh BUILDDIR — gatehoused beside HAProxy and nginx (Debian's), configured
# alike: TLS toward clients with the same certificate and key, TLS to the same back-end
# (a gatehoused echo service in its own process) verified against the same CA, TLS 1.2
# and 1.3 on every side, the same number of threads each: gatehoused --workers W (its
# sessions on W threads, accepts on the main one), HAProxy nbthread W, nginx
# worker_processes W; the back-end has --workers W too.
# Measured with two load generators, ws-load (libsoup, this directory) and ws-load.js
# (Node.js with npm ws, which we did not write): WSS messages/s, latency and each
# session's share at 100 and 1,000 sessions, full TLS handshakes/s, memory per idle
# session. Loopback only. A benchmark, not a test: nothing is checked against a
# threshold. The tables (bench-gateway-report.py) go to stdout and BUILDDIR/results.md.
#
# CPU per message is the front end's CPU time in the measured window only (the load
# generator samples /proc/PID/stat when the window opens and closes: --cpu-pid), not the
# handshakes of opening the sessions. Each load generator's own CPU in the window is
# reported beside it: one near the window's length would be the limit. Handshakes/s are
# measured with one ws-load process and again with two at once: when two do not get
# more, the generator was not what limited one.
#
# Environment: GWBENCH_DURATION (seconds per measurement, default 4), GWBENCH_SESSIONS
# ("100 1000"), GWBENCH_IDLE (idle sessions, 1000; 9900 is the most that fits: with two
# descriptors per proxied session a proxy holding 10,000 would need more than the 20,000
# a process may have in the build root), GWBENCH_SIZE (message bytes, 128), GWBENCH_HS_CONCURRENCY (parallel
# handshake loops per generator process, 8), GWBENCH_WORKERS (threads per front end
# and back-end, 1; "1 2" measures both in one run), GWBENCH_LOADGEN (the echo tests'
# generators, "soup node").
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=$(cd "${1:?usage: bench-gateway.sh BUILDDIR}" && pwd)
W=$BUILD/gwbench
DURATION=${GWBENCH_DURATION:-4}
SESSIONS=${GWBENCH_SESSIONS:-100 1000}
IDLE=${GWBENCH_IDLE:-1000}
WORKERS_LIST=${GWBENCH_WORKERS:-1}
SIZE=${GWBENCH_SIZE:-128}
HSC=${GWBENCH_HS_CONCURRENCY:-8}
LOADGEN=${GWBENCH_LOADGEN:-soup node}
GATEHOUSED=$BUILD/src/gateway/gatehoused
GATEHOUSECTL=$BUILD/src/cli/gatehousectl
WSLOAD=$BUILD/tests/bench/ws-load
ulimit -n "$(ulimit -Hn)"

rm -rf "$W"
mkdir -p "$W"
RESULTS=$W/results.jsonl
: > "$RESULTS"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The Node.js generator needs the pinned npm ws (the interop tests' installer and cache).
if [[ " $LOADGEN " == *" node "* ]]; then
  if ! python3 "$HERE/../integration/ghtest.py" npm-ws "$BUILD" 2> "$W/npm-ws.err"; then
    echo "bench-gateway: no Node.js generator: $(cat "$W/npm-ws.err")" >&2
    LOADGEN=${LOADGEN//node/}
  fi
fi
export NODE_PATH=$BUILD/node_modules

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 150); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench-gateway: nothing listens on $1" >&2; return 1
}
# CPU seconds (user + system) of processes (all their threads), over the whole run
cpu_of() { local t=0 p; for p in "$@"; do t=$(awk -v t="$t" '{print t + ($14 + $15) / 100}' "/proc/$p/stat"); done; echo "$t"; }
rss_of() { local t=0 p; for p in "$@"; do t=$((t + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status"))); done; echo "$t"; }

PB=$(free_port); PG=$(free_port); PH=$(free_port); PN=$(free_port); PA=$(free_port)

# ---- one setup: CA, keystore, the "gateway" certificate (localhost, 127.0.0.1) ----
"$GATEHOUSED" init --dir "$W/setup" --port "$PG" --admin-port "$PA" > "$W/init.log"
S=$W/setup
CA=$S/ca.pem
"$GATEHOUSECTL" keystore export gateway --chain -k "$S/keystore.p12" --password-file "$S/keystore.pw" -o "$W/chain.pem"
( umask 077
  openssl pkcs12 -in "$S/keystore.p12" -passin "file:$S/keystore.pw" -nodes -nocerts |
    awk '/friendlyName: gateway$/ {take=1} take {print} take && /END PRIVATE KEY/ {exit}' |
    sed -n '/BEGIN PRIVATE KEY/,/END PRIVATE KEY/p' > "$W/key.pem"
  cat "$W/chain.pem" "$W/key.pem" > "$W/haproxy.pem" )
chmod 600 "$W/key.pem" "$W/haproxy.pem"
if [ "$(openssl x509 -in "$W/chain.pem" -noout -pubkey)" != "$(openssl pkey -in "$W/key.pem" -pubout)" ]; then
  echo "bench-gateway: the exported key does not match the gateway certificate" >&2; exit 1
fi

# gatehoused's configurations: the init's, without the admin API, with one service each.
python3 - "$S" "$PB" "$PG" <<'EOF'
import json, sys
d, pb, pg = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = json.load(open(f"{d}/gatehoused.json"))
base.pop("admin", None)
back = dict(base, services=[{"name": "echo", "type": "echo", "accept": [f"wss://localhost:{pb}/echo"],
                             "limits": {"max-sessions": 100000}}])
front = dict(base, services=[{"name": "bench", "type": "proxy", "accept": [f"wss://localhost:{pg}/echo"],
                              "connect": f"wss://127.0.0.1:{pb}/echo",
                              "connect-tls": {"verify": True, "server-name": "localhost"},
                              "limits": {"max-sessions": 100000}}])
json.dump(back, open(f"{d}/backend.json", "w"), indent=2)
json.dump(front, open(f"{d}/front.json", "w"), indent=2)
EOF

# The peers' configurations for WORKERS threads (HAProxy) or processes (nginx). Each
# proxied session holds two descriptors; HAProxy and nginx count both in their limits.
write_peer_configs() {
  local workers=$1
  mkdir -p "$W/nginx/logs"
  cat > "$W/haproxy.cfg" <<EOF
global
  maxconn $(( IDLE + 50 < ($(ulimit -Hn) - 100) / 2 ? IDLE + 50 : ($(ulimit -Hn) - 100) / 2 ))
  nbthread $workers
  ssl-default-bind-options ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3
  ssl-default-server-options ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3
defaults
  mode http
  log global
  timeout connect 10s
  timeout client 300s
  timeout server 300s
  timeout tunnel 300s
frontend bench
  bind 127.0.0.1:$PH ssl crt $W/haproxy.pem
  default_backend echo
backend echo
  http-request set-header Host localhost:$PB
  server echo 127.0.0.1:$PB ssl verify required ca-file $CA verifyhost localhost sni str(localhost)
EOF
  cat > "$W/nginx/nginx.conf" <<EOF
worker_processes $workers;
worker_rlimit_nofile $(ulimit -Hn);
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/logs/error.log warn;
events { worker_connections $(( $(ulimit -Hn) - 50 )); }
http {
  access_log off;
  client_body_temp_path $W/nginx/tmp-body;
  proxy_temp_path $W/nginx/tmp-proxy;
  fastcgi_temp_path $W/nginx/tmp-fastcgi;
  uwsgi_temp_path $W/nginx/tmp-uwsgi;
  scgi_temp_path $W/nginx/tmp-scgi;
  server {
    listen 127.0.0.1:$PN ssl;
    ssl_certificate $W/chain.pem;
    ssl_certificate_key $W/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      proxy_pass https://127.0.0.1:$PB;
      proxy_http_version 1.1;
      proxy_set_header Host localhost:$PB;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_ssl_protocols TLSv1.2 TLSv1.3;
      proxy_ssl_verify on;
      proxy_ssl_trusted_certificate $CA;
      proxy_ssl_name localhost;
      proxy_ssl_server_name on;
      proxy_read_timeout 300s;
      proxy_send_timeout 300s;
    }
  }
}
EOF
}

FRONT_PIDS=()
start_front() {  # start_front FRONT WORKERS
  case $1 in
    gatehoused) "$GATEHOUSED" --config "$S/front.json" --workers "$2" > "$W/front-gatehoused-w$2.log" 2>&1 & FRONT_PIDS=($!); PORT=$PG ;;
    haproxy) haproxy -db -f "$W/haproxy.cfg" > "$W/front-haproxy-w$2.log" 2>&1 & FRONT_PIDS=($!); PORT=$PH ;;
    nginx) nginx -p "$W/nginx/" -c "$W/nginx/nginx.conf" -e "$W/nginx/logs/error.log" > "$W/front-nginx-w$2.log" 2>&1 & FRONT_PIDS=($!); PORT=$PN ;;
    direct) FRONT_PIDS=(); PORT=$PB; return ;;
  esac
  PIDS+=("${FRONT_PIDS[0]}")
  wait_port "$PORT"
  if [ "$1" = nginx ]; then  # the master and its worker(s)
    for _ in $(seq 50); do
      [ "$(pgrep -c -P "${FRONT_PIDS[0]}" || true)" -ge "$2" ] && break
      sleep 0.1
    done
    FRONT_PIDS+=($(pgrep -P "${FRONT_PIDS[0]}" || true))
  fi
}
stop_front() {
  [ ${#FRONT_PIDS[@]} -gt 0 ] || return 0
  kill "${FRONT_PIDS[0]}" 2>/dev/null || true
  wait "${FRONT_PIDS[0]}" 2>/dev/null || true
}
alive() { local p; for p in "${FRONT_PIDS[@]}" "$BACK_PID"; do kill -0 "$p" 2>/dev/null || return 1; done; }

# The generator GEN's command line; --cpu-pid for the front end's processes, then the back-end's.
loadgen() {  # loadgen GEN
  local p
  LOADCMD=()
  case $1 in soup*) LOADCMD=("$WSLOAD") ;; node*) LOADCMD=(node "$HERE/ws-load.js") ;; esac
  LOADCMD+=(--ca "$CA")
  for p in "${FRONT_PIDS[@]}" "$BACK_PID"; do LOADCMD+=(--cpu-pid "$p"); done
}

record() {  # record TEST GEN CPU_FRONT CPU_BACK EXTRA_JSON LOAD_JSON
  printf '{"workers":%s,"front":"%s","test":"%s","gen":"%s","n_front_pids":%s,"cpu_front_run_s":%s,"cpu_back_run_s":%s%s,"load":%s}\n' \
    "$WORKERS" "$FRONT" "$1" "$2" "${#FRONT_PIDS[@]}" "$3" "$4" "$5" "${6:-null}" >> "$RESULTS"
}

delta() { awk -v a="$1" -v b="$2" 'BEGIN {print a - b}'; }

measure() {  # measure TEST GEN load-args…
  local test=$1 gen=$2 f0 b0 out
  shift 2
  loadgen "$gen"
  f0=$(cpu_of "${FRONT_PIDS[@]}"); b0=$(cpu_of "$BACK_PID")
  out=$("${LOADCMD[@]}" "$@" 2> "$W/load-w$WORKERS-$FRONT-$test-$gen.err") || true
  if ! alive; then echo "bench-gateway: a process died during $FRONT $test ($gen)" >&2; fi
  record "$test" "$gen" "$(delta "$(cpu_of "${FRONT_PIDS[@]}")" "$f0")" "$(delta "$(cpu_of "$BACK_PID")" "$b0")" "" "${out:-null}"
  echo "  $FRONT $test ($gen): $out" >&2
}

# Full handshakes/s from two ws-load processes at once, recorded as one (their sums).
measure_two() {  # measure_two TEST load-args…
  local test=$1 f0 b0 a b
  shift
  loadgen soup
  local out=$W/load-w$WORKERS-$FRONT-$test-soup2
  f0=$(cpu_of "${FRONT_PIDS[@]}"); b0=$(cpu_of "$BACK_PID")
  "${LOADCMD[@]}" "$@" > "$out-a.json" 2> "$out-a.err" & a=$!
  "${LOADCMD[@]}" "$@" > "$out-b.json" 2> "$out-b.err" & b=$!
  wait "$a" "$b" || true
  record "$test" "soup-x2" "$(delta "$(cpu_of "${FRONT_PIDS[@]}")" "$f0")" "$(delta "$(cpu_of "$BACK_PID")" "$b0")" "" \
    "$(python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
s = dict(a)
for k in ("handshakes", "handshakes_per_s", "failed", "cpu_window_s", "cpu_s"):
    s[k] = a[k] + b[k]
s["cpu_pid_window_s"] = [max(x, y) if x is not None and y is not None else None
                         for x, y in zip(a["cpu_pid_window_s"], b["cpu_pid_window_s"])]
s["duration_s"] = max(a["duration_s"], b["duration_s"])
s["processes"] = 2
print(json.dumps(s))' "$out-a.json" "$out-b.json" 2>/dev/null || echo null)"
  echo "  $FRONT $test (2 ws-load processes): $(tail -1 "$RESULTS")" >&2
}

idle_memory() {
  local before after out pid
  before=$(rss_of "${FRONT_PIDS[@]}")
  "$WSLOAD" --ca "$CA" --mode idle --url "wss://127.0.0.1:$PORT/echo" --sessions "$IDLE" --hold 3 \
    --connect-window 64 --connect-timeout 300 > "$W/idle-$FRONT.json" 2> "$W/idle-$FRONT.err" &
  pid=$!
  for _ in $(seq 3000); do grep -qs "^ready" "$W/idle-$FRONT.err" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  sleep 1
  after=$(rss_of "${FRONT_PIDS[@]}")
  wait "$pid" || true
  out=$(cat "$W/idle-$FRONT.json")
  record idle soup 0 0 ",\"rss_before_kib\":$before,\"rss_after_kib\":$after" "${out:-null}"
  echo "  $FRONT idle: RSS $before -> $after KiB: $out" >&2
}

for WORKERS in $WORKERS_LIST; do
  write_peer_configs "$WORKERS"
  "$GATEHOUSED" --config "$S/backend.json" --workers "$WORKERS" > "$W/backend-w$WORKERS.log" 2>&1 &
  BACK_PID=$!; PIDS+=("$BACK_PID")
  wait_port "$PB"
  for FRONT in direct gatehoused haproxy nginx; do
    echo "bench-gateway: $FRONT, $WORKERS worker(s)" >&2
    start_front "$FRONT" "$WORKERS"
    URL="wss://127.0.0.1:$PORT/echo"
    "$WSLOAD" --ca "$CA" --mode echo --url "$URL" --sessions 4 --duration 1 > /dev/null 2>&1 || true   # warm-up
    [ "$FRONT" = direct ] || idle_memory
    for n in $SESSIONS; do
      for gen in $LOADGEN; do
        measure "echo$n" "$gen" --mode echo --url "$URL" --sessions "$n" --size "$SIZE" --duration "$DURATION" \
          --connect-window 64
      done
    done
    measure handshake soup --mode handshake --host 127.0.0.1 --port "$PORT" --server-name localhost \
      --concurrency "$HSC" --duration "$DURATION"
    measure_two handshake --mode handshake --host 127.0.0.1 --port "$PORT" --server-name localhost \
      --concurrency "$HSC" --duration "$DURATION"
    alive || echo "bench-gateway: $FRONT or the back-end is no longer running" >&2
    stop_front
  done
  kill "$BACK_PID" 2>/dev/null || true
  wait "$BACK_PID" 2>/dev/null || true
done

python3 "$HERE/bench-gateway-report.py" "$RESULTS" "$BUILD/results.md" "$DURATION" "$SIZE" "$IDLE" "$HSC"
for log in "$W"/front-gatehoused-w*.log "$W"/backend-w*.log; do
  n=$(grep -ciE 'critical|warning|error' "$log" || true)
  echo "bench-gateway: $(basename "$log"): $n lines with critical/warning/error (full log: $log)" >&2
done
