#!/bin/sh
# test-demo.sh DEMO GATEHOUSECTL — the demo (build-aux/demo, make demo) without its app:
# it sets up its gateway, PKI and back-end, the traffic flows through both services,
# gatehousectl and openssl see what the demo promises, and when it is stopped nothing of
# it is left running. TAP output.
#
# The demo runs on free ports in a directory of its own under the build directory, so
# that it can run beside a `make demo`.
set -u
demo_script=$1
ctl=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
root=${GATEHOUSE_BUILD_ROOT:?}

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check () { desc=$1; shift; if "$@"; then ok "$desc"; return 0; else not_ok "$desc"; return 1; fi; }
diag () { sed 's/^/# /' "$@"; }   # files, or standard input

mkdir -p "$root/tests/cli"
dir=$(mktemp -d "$root/tests/cli/demo.XXXXXX")
demo=$dir/demo
demo_pid=
cleanup () {
  if [ -n "$demo_pid" ] && kill -0 "$demo_pid" 2>/dev/null; then
    kill -TERM "$demo_pid"
    wait "$demo_pid"
  fi
  # Whatever the demo left behind (it should be nothing) must not outlive the test.
  for pid in $(ps -eo pid=,args= | grep -F "$dir/" | grep -v grep | awk '{ print $1 }'); do
    kill -KILL "$pid" 2>/dev/null
  done
  [ "$failed" -eq 0 ] && rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir" || exit 1
unset GATEHOUSE_PROFILE GATEHOUSE_IDENTITY_PASSWORD GATEHOUSE_DEMO_NO_APP
export XDG_CONFIG_HOME="$dir/config"

set -- $(/usr/bin/python3 "$GATEHOUSE_SOURCE_ROOT/tests/integration/ghtest.py" ports 3)
export GATEHOUSE_DEMO_PORT=$1 GATEHOUSE_DEMO_ADMIN_PORT=$2 GATEHOUSE_DEMO_BACKEND_PORT=$3
export GATEHOUSE_DEMO_DIR=$demo

# Without a display, the demo with its app says so and touches nothing.
env -u DISPLAY -u WAYLAND_DISPLAY "$demo_script" "$root" >nodisplay.out 2>&1
status=$?
if [ $status -eq 1 ] && grep -q "no display" nodisplay.out && grep -q "xvfb-run -a make demo" nodisplay.out && [ ! -e "$demo" ]; then
  ok "without a display the demo says what to do, and sets nothing up"
else
  not_ok "without a display the demo says what to do (status $status)"
  diag nodisplay.out
fi

# The demo without its app, in the background; it writes $demo/ready once set up.
"$demo_script" --no-app "$root" >demo.out 2>&1 &
demo_pid=$!
i=0
while [ ! -e "$demo/ready" ] && kill -0 "$demo_pid" 2>/dev/null && [ $i -lt 400 ]; do
  sleep 0.1
  i=$((i + 1))
done
if [ ! -e "$demo/ready" ]; then
  echo "Bail out! the demo did not set up within 40 s"
  diag demo.out
  for f in "$demo"/*.log; do [ -f "$f" ] && echo "# $f:" && diag "$f"; done
  exit 1
fi
ok "the demo sets up and starts"

. "$demo/gatehousectl.env"
# shellcheck disable=SC2086
ctl () { "$ctl" $GATEHOUSECTL_ARGS "$@"; }
json () { /usr/bin/python3 -c "import json,sys; d=json.load(open('$1')); print($2)" 2>/dev/null; }

ctl info >info.out 2>&1
check "gatehousectl info, with the pin the demo printed" grep -q "Name: *Demo gateway" info.out
ctl services list >services.out 2>&1
check "the echo service is started" grep -q "^echo  *echo  *started" services.out
check "the back-end proxy service is started" grep -q "^backend  *proxy  *started" services.out

# Sessions on both services, seen through the admin API.
i=0
echo_open=0 backend_open=0
while [ $i -lt 30 ]; do
  ctl --json sessions list --state open >sessions.json 2>sessions.err
  echo_open=$(json sessions.json 'sum(1 for s in d["sessions"] if s["service"] == "echo")')
  backend_open=$(json sessions.json 'sum(1 for s in d["sessions"] if s["service"] == "backend")')
  [ "${echo_open:-0}" -gt 0 ] && [ "${backend_open:-0}" -gt 0 ] && break
  sleep 0.5
  i=$((i + 1))
done
check "open sessions on the echo service ($echo_open)" [ "${echo_open:-0}" -gt 0 ]
check "open sessions on the back-end proxy service ($backend_open)" [ "${backend_open:-0}" -gt 0 ]

backend_tls=$(json sessions.json '" ".join(sorted(set(s.get("backend_tls") or "-" for s in d["sessions"] if s["service"] == "backend")))')
check "the proxy reaches the back-end over TLS 1.3, verified ($backend_tls)" test "${backend_tls%, verified}" != "$backend_tls" -a "${backend_tls#*TLS1.3 }" != "$backend_tls"

# Session events flow: sessions come and go.
"$ctl" $GATEHOUSECTL_ARGS events >events.out 2>events.err &
events_pid=$!
i=0
until grep -q '"session.opened"' events.out && grep -q '"session.closed"' events.out; do
  i=$((i + 1))
  [ $i -gt 250 ] && break
  sleep 0.1
done
kill -TERM "$events_pid" 2>/dev/null
wait "$events_pid"
if grep -q '"session.opened"' events.out && grep -q '"session.closed"' events.out; then
  ok "the event stream shows sessions opening and closing"
else
  not_ok "the event stream shows sessions opening and closing"
  cut -c1-200 events.out events.err | diag | head -20
fi

# The TLS chain toward clients: leaf and intermediate, issued under the demo root.
openssl s_client -connect "127.0.0.1:$GATEHOUSE_DEMO_PORT" -servername localhost -showcerts \
  -CAfile "$demo/pki/root-ca.pem" -verify_hostname localhost </dev/null >s_client.out 2>&1
check "openssl s_client verifies the chain against the demo root alone" grep -q "Verify return code: 0 (ok)" s_client.out
certs=$(grep -c "BEGIN CERTIFICATE" s_client.out)
check "the gateway sends two certificates, leaf and intermediate ($certs)" [ "$certs" -eq 2 ]
check "the first certificate is localhost's" \
  grep -q "0 s:.*CN *= *localhost.*" s_client.out
check "the second is Demo Intermediate CA" \
  grep -q "1 s:.*CN *= *Demo Intermediate CA" s_client.out
grep -A1 "^ *0 s:" s_client.out | grep -q "i:.*Demo Intermediate CA" && grep -A1 "^ *1 s:" s_client.out | grep -q "i:.*Demo Root CA"
check "each certificate names its issuer: Demo Intermediate CA, then Demo Root CA" [ $? -eq 0 ]

ctl truststore list >truststore.out 2>&1
check "the truststore holds Demo Back-end CA" grep -q "Demo Back-end CA" truststore.out
check "and Demo Root CA, so the chain served to clients verifies on the gateway" grep -q "Demo Root CA" truststore.out
ctl audit >audit.out 2>&1
audited () { grep -q "keystore rotate gateway" audit.out && grep -q "truststore add" audit.out; }
check "the audit shows the demo's keystore rotation and truststore addition" audited
# The last setup step changes the configuration itself, so that there is a change to
# compare and roll back on the Audit page: the echo service's description.
ctl config versions >versions.out 2>&1
before=$(awk '$1 == "*" { getline; print $1; exit }' versions.out | tr -d v)
ctl config diff "${before:-0}" >diff.out 2>&1
check "the version before the last step differs from it by the echo service's description" \
  grep -q "Echoes every WebSocket message back" diff.out || { diag versions.out; diag diff.out; }
ctl keystore list >keystore.out 2>&1
check "the admin entry from init is still there" grep -q "^admin " keystore.out

# The traffic generator's own checks: every message came back, on both services.
sleep 1
i=0
while [ $i -lt 20 ]; do
  echoed=$(json "$demo/traffic.json" 'd["echoed"]["echo"] > 0 and d["echoed"]["backend"] > 0')
  [ "$echoed" = True ] && break
  sleep 0.5
  i=$((i + 1))
done
check "the traffic got echoes through both services" [ "$echoed" = True ]
check "no message came back different" [ "$(json "$demo/traffic.json" 'sum(d["mismatched"].values())')" = 0 ]
failures=$(json "$demo/traffic.json" 'sum(d["failed"].values())')
check "no session of the traffic failed ($failures)" [ "$failures" = 0 ] || diag "$demo/traffic.log"

# A session closed as the Connections page closes it (DELETE /sessions/ID): the traffic
# reports the close with the gateway's reason, naming the session by the client address
# that the page shows.
ctl --json sessions list --state open >open.json 2>&1
id=$(json open.json 'd["sessions"][0]["id"]')
client=$(json open.json 'd["sessions"][0]["client"]')
ctl sessions close "$id" >close.out 2>&1
i=0
until grep -q "$client).*closed by CN=gatehouse-admin" "$demo/traffic.log"; do
  i=$((i + 1))
  [ $i -gt 100 ] && break
  sleep 0.1
done
check "the traffic reports the session of $client closed by the admin" \
  grep -q "$client).*closed by CN=gatehouse-admin" "$demo/traffic.log" || { diag close.out; tail -5 "$demo/traffic.log" | diag; }

# Stopping: SIGTERM, as Ctrl+C or closing the app would; everything goes.
pids=$(awk '{ print $1 }' "$demo/pids")
start=$(date +%s)
kill -TERM "$demo_pid"
wait "$demo_pid"
status=$?
demo_pid=
took=$(( $(date +%s) - start ))
check "the demo stops on SIGTERM (status $status, in ${took}s)" test $status -eq 143 -a $took -le 15
left=
for pid in $pids; do kill -0 "$pid" 2>/dev/null && left="$left $pid"; done
check "no process the demo started is left running${left:+:$left}" [ -z "$left" ]
ps -eo pid=,args= | grep -F "$demo/" | grep -v grep >ps.out
check "ps shows nothing of the demo" [ ! -s ps.out ] || diag ps.out
grep -q "stopped" "$demo/gatehoused.log" && grep -q "stopped" "$demo/backend.log"
check "both gateways stopped cleanly (drained)" [ $? -eq 0 ]
[ "$failed" -ne 0 ] && { echo "# demo output:"; diag demo.out; }

# --break-trust: a few seconds in, Demo Back-end CA leaves the truststore (the Trust
# page's demo); the demo says so and how to repair it, and adding the CA back repairs it.
rm -f "$demo/ready"
GATEHOUSE_DEMO_BREAK_DELAY=1 "$demo_script" --no-app --break-trust "$root" >break.out 2>&1 &
demo_pid=$!
i=0
while [ ! -e "$demo/ready" ] && kill -0 "$demo_pid" 2>/dev/null && [ $i -lt 400 ]; do
  sleep 0.1
  i=$((i + 1))
done
. "$demo/gatehousectl.env"
check "with --break-trust the demo says what breaks and how to repair it" \
  grep -q "Add Issuer to Truststore… and $demo/pki/backend-ca.pem" break.out
i=0
while [ $i -lt 100 ]; do
  # (a listing that fails says nothing either way)
  ctl truststore list >truststore.out 2>&1 && ! grep -q "Demo Back-end CA" truststore.out && break
  sleep 0.2
  i=$((i + 1))
done
check "and then Demo Back-end CA leaves the truststore" test $i -lt 100
ctl truststore add "$demo/pki/backend-ca.pem" --alias demo-backend-ca >repair.out 2>&1
ctl truststore list >truststore.out 2>&1
check "the repair puts it back" grep -q "Demo Back-end CA" truststore.out
kill -TERM "$demo_pid"
wait "$demo_pid"
status=$?
demo_pid=
check "the broken demo stops on SIGTERM too (status $status)" test $status -eq 143
[ "$failed" -ne 0 ] && { echo "# demo --break-trust output:"; diag break.out; }

# make demo-break-trust from a desktop without a session bus: the demo gives its app a
# bus of its own (dbus-run-session runs the script again), and --break-trust must
# survive that. The app cannot open this display and ends at once, and the demo with it.
if [ -x "$root/src/app/gatehouse" ]; then
  env -u DBUS_SESSION_BUS_ADDRESS -u GATEHOUSE_DEMO_BUS -u WAYLAND_DISPLAY DISPLAY=:65000 \
    GATEHOUSE_DEMO_BREAK_DELAY=600 "$demo_script" --break-trust "$root" >bus.out 2>&1
  check "--break-trust holds when the demo starts a session bus for its app" \
    grep -q "Demo Back-end CA leaves the truststore" bus.out || diag bus.out
else
  ok "--break-trust holds when the demo starts a session bus for its app # SKIP the app is not built"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
