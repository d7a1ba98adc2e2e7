#!/bin/bash
# bench-gateway.sh BUILDDIR — gatehoused beside HAProxy and nginx (Debian's), configured
# alike: TLS toward clients with the same certificate and key, TLS to the same back-end
# (a gatehoused echo service in its own process) verified against the same CA, TLS 1.2
# and 1.3 on every side, one worker thread/process each (gatehoused --workers 1: its
# sessions on one thread, accepts on the main one; GWBENCH_WORKERS changes the front's).
# Measured with ws-load (this directory): WSS messages/s and latency at 100 and 1,000
# sessions, full TLS handshakes/s, memory per idle session. Loopback only. A benchmark,
# not a test: nothing is checked against a threshold. The table goes to stdout and
# BUILDDIR/results.md.
#
# Environment: GWBENCH_DURATION (seconds per measurement, default 4), GWBENCH_SESSIONS
# ("100 1000"), GWBENCH_IDLE (idle sessions, 1000), GWBENCH_SIZE (message bytes, 128),
# GWBENCH_HS_CONCURRENCY (parallel handshake loops, 8), GWBENCH_WORKERS (the front
# gatehoused's --workers, 1).
set -euo pipefail

BUILD=$(cd "${1:?usage: bench-gateway.sh BUILDDIR}" && pwd)
W=$BUILD/gwbench
DURATION=${GWBENCH_DURATION:-4}
SESSIONS=${GWBENCH_SESSIONS:-100 1000}
IDLE=${GWBENCH_IDLE:-1000}
FRONT_WORKERS=${GWBENCH_WORKERS:-1}
SIZE=${GWBENCH_SIZE:-128}
HSC=${GWBENCH_HS_CONCURRENCY:-8}
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 150); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench-gateway: nothing listens on $1" >&2; return 1
}
# CPU seconds (user + system) of a process and its children threads/processes listed
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

mkdir -p "$W/nginx/logs"
cat > "$W/haproxy.cfg" <<EOF
global
  maxconn 9000
  nbthread 1
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
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/logs/error.log warn;
events { worker_connections 10000; }
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

# ---- the back-end ----
"$GATEHOUSED" --config "$S/backend.json" --workers 1 > "$W/backend.log" 2>&1 &
BACK_PID=$!; PIDS+=("$BACK_PID")
wait_port "$PB"

FRONT_PIDS=()
start_front() {
  case $1 in
    gatehoused) "$GATEHOUSED" --config "$S/front.json" --workers "$FRONT_WORKERS" > "$W/front-gatehoused.log" 2>&1 & FRONT_PIDS=($!); PORT=$PG ;;
    haproxy) haproxy -db -f "$W/haproxy.cfg" > "$W/front-haproxy.log" 2>&1 & FRONT_PIDS=($!); PORT=$PH ;;
    nginx) nginx -p "$W/nginx/" -c "$W/nginx/nginx.conf" -e "$W/nginx/logs/error.log" > "$W/front-nginx.log" 2>&1 & FRONT_PIDS=($!); PORT=$PN ;;
    direct) FRONT_PIDS=(); PORT=$PB; return ;;
  esac
  PIDS+=("${FRONT_PIDS[0]}")
  wait_port "$PORT"
  if [ "$1" = nginx ]; then  # the master and its worker(s)
    sleep 0.3
    FRONT_PIDS+=($(pgrep -P "${FRONT_PIDS[0]}" || true))
  fi
}
stop_front() {
  [ ${#FRONT_PIDS[@]} -gt 0 ] || return 0
  kill "${FRONT_PIDS[0]}" 2>/dev/null || true
  wait "${FRONT_PIDS[0]}" 2>/dev/null || true
}
alive() { local p; for p in "${FRONT_PIDS[@]}" "$BACK_PID"; do kill -0 "$p" 2>/dev/null || return 1; done; }

record() {  # record FRONT TEST CPU_FRONT CPU_BACK EXTRA_JSON LOAD_JSON
  printf '{"front":"%s","test":"%s","cpu_front_s":%s,"cpu_back_s":%s%s,"load":%s}\n' "$1" "$2" "$3" "$4" "$5" "${6:-null}" >> "$RESULTS"
}

measure() {  # measure FRONT TEST ws-load-args…
  local front=$1 test=$2; shift 2
  local f0 b0 out
  f0=$(cpu_of "${FRONT_PIDS[@]}"); b0=$(cpu_of "$BACK_PID")
  out=$("$WSLOAD" --ca "$CA" "$@" 2> "$W/ws-load-$front-$test.err") || true
  if ! alive; then echo "bench-gateway: a process died during $front $test" >&2; fi
  record "$front" "$test" "$(awk -v a="$(cpu_of "${FRONT_PIDS[@]}")" -v b="$f0" 'BEGIN {print a - b}')" "$(awk -v a="$(cpu_of "$BACK_PID")" -v b="$b0" 'BEGIN {print a - b}')" "" "${out:-null}"
  echo "  $front $test: $out" >&2
}

idle_memory() {  # idle_memory FRONT
  local front=$1 before after out pid
  before=$(rss_of "${FRONT_PIDS[@]}")
  "$WSLOAD" --ca "$CA" --mode idle --url "wss://127.0.0.1:$PORT/echo" --sessions "$IDLE" --hold 3 \
    > "$W/idle-$front.json" 2> "$W/idle-$front.err" &
  pid=$!
  for _ in $(seq 600); do grep -qs "^ready" "$W/idle-$front.err" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  sleep 1
  after=$(rss_of "${FRONT_PIDS[@]}")
  wait "$pid" || true
  out=$(cat "$W/idle-$front.json")
  record "$front" idle 0 0 ",\"rss_before_kib\":$before,\"rss_after_kib\":$after" "${out:-null}"
  echo "  $front idle: RSS $before -> $after KiB: $out" >&2
}

for front in direct gatehoused haproxy nginx; do
  echo "bench-gateway: $front" >&2
  start_front "$front"
  URL="wss://127.0.0.1:$PORT/echo"
  "$WSLOAD" --ca "$CA" --mode echo --url "$URL" --sessions 4 --duration 1 > /dev/null 2>&1 || true   # warm-up
  [ "$front" = direct ] || idle_memory "$front"
  for n in $SESSIONS; do
    measure "$front" "echo$n" --mode echo --url "$URL" --sessions "$n" --size "$SIZE" --duration "$DURATION"
  done
  measure "$front" handshake --mode handshake --host 127.0.0.1 --port "$PORT" --server-name localhost \
    --concurrency "$HSC" --duration "$DURATION"
  alive || echo "bench-gateway: $front or the back-end is no longer running" >&2
  stop_front
done
kill "$BACK_PID" 2>/dev/null || true
wait "$BACK_PID" 2>/dev/null || true

python3 - "$RESULTS" "$BUILD/results.md" "$DURATION" "$SIZE" "$IDLE" "$HSC" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
out, duration, size, idle, hsc = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
r = {(x["front"], x["test"]): x for x in rows}
fronts = ["gatehoused", "haproxy", "nginx"]
tests = sorted({x["test"] for x in rows if x["test"].startswith("echo")}, key=lambda t: int(t[4:]))

def load(f, t, k):
    x = r.get((f, t))
    return None if x is None or x["load"] is None else x["load"].get(k)

metrics = []  # (label, function(front) -> value, higher_is_better)
for t in tests:
    n = t[4:]
    metrics.append((f"WSS messages/s, {n} sessions", lambda f, t=t: load(f, t, "messages_per_s"), True))
    for p in ("p50", "p90", "p99"):
        metrics.append((f"latency {p} (ms), {n} sessions", lambda f, t=t, p=p: load(f, t, p + "_ms"), False))
    metrics.append((f"front-end CPU µs per message, {n} sessions",
                    lambda f, t=t: (r[(f, t)]["cpu_front_s"] * 1e6 / load(f, t, "messages"))
                    if f != "direct" and (f, t) in r and load(f, t, "messages") else None, False))
metrics.append(("new TLS sessions (full handshakes)/s", lambda f: load(f, "handshake", "handshakes_per_s"), True))
def idle_kib(f):
    x = r.get((f, "idle"))
    if not x or not x["load"] or not x["load"].get("open"):
        return None
    return (x["rss_after_kib"] - x["rss_before_kib"]) / x["load"]["open"]
metrics.append((f"memory per idle WSS session (KiB RSS, {idle} sessions)", idle_kib, False))

def fmt(v):
    if v is None:
        return "—"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"

lines = ["| metric | gatehoused | HAProxy | nginx | gatehoused/HAProxy | gatehoused/nginx | direct to back-end |",
         "|---|---:|---:|---:|---:|---:|---:|"]
for label, fn, _ in metrics:
    vals = [fn(f) for f in fronts]
    g = vals[0]
    ratios = [f"{g / v:.2f}" if g is not None and v else "—" for v in vals[1:]]
    try:
        d = fn("direct")
    except Exception:
        d = None
    lines.append(f"| {label} | " + " | ".join(fmt(v) for v in vals) + " | " + " | ".join(ratios) + f" | {fmt(d)} |")

lines += ["", "Errors and the load generator's own CPU (ws-load's WebSocket modes run on one thread: CPU near the window's length would mean it is the limit; the whole run includes opening the sessions. In handshake mode the window is the whole run, and GLib runs the TLS handshakes on worker threads, so more than 1 CPU s per s is possible):", "",
          "| front end | test | sessions open | errors | first error | ws-load CPU s in the measured window / its length | ws-load CPU s / wall s, whole run | front-end CPU s | back-end CPU s | negotiated |",
          "|---|---|---:|---:|---|---|---|---:|---:|---|"]
for x in rows:
    l = x["load"] or {}
    errs = l.get("errors", l.get("failed", "—"))
    lines.append(f"| {x['front']} | {x['test']} | {l.get('open', '—')} | {errs} | {l.get('first_error') or ''} | "
                 f"{l.get('cpu_window_s', 0):.2f} / {l.get('duration_s', 0):.2f} | "
                 f"{l.get('cpu_s', 0):.2f} / {l.get('wall_s', 0):.2f} | {x['cpu_front_s']:.2f} | {x['cpu_back_s']:.2f} | {l.get('negotiated', '')} |")
lines += ["", f"{duration} s per measurement, {size}-byte binary messages, one in flight per session (ping-pong), "
          f"{hsc} parallel handshake loops. Ratios are gatehoused divided by the peer (for messages/s and handshakes/s "
          "above 1 is better for gatehoused; for latency, CPU and memory below 1 is). Reproduce: `make bench-gateway`."]
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
EOF
for log in "$W/front-gatehoused.log" "$W/backend.log"; do
  n=$(grep -ciE 'critical|warning|error' "$log" || true)
  echo "bench-gateway: $(basename "$log"): $n lines with critical/warning/error (full log: $log)" >&2
done
