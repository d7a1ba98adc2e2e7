#!/bin/sh
# test-gateway-cli.sh GATEHOUSED GATEHOUSECTL — `gatehousectl` against a real gateway,
# as an administrator or a renewal hook scripts it: `gatehoused init` makes the setup,
# the daemon runs it, and openssl, curl and python's websockets check what changed.
# TAP output.
set -u
daemon=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ctl=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")

n=0
failed=0
root=${GATEHOUSE_BUILD_ROOT:-$(pwd)}
mkdir -p "$root/tests/cli"
dir=$(mktemp -d "$root/tests/cli/gateway-cli.XXXXXX")
daemon_pid=
holder_pid=
cleanup () {
  [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir" || exit 1
export XDG_CONFIG_HOME="$dir/config"
unset GATEHOUSE_PROFILE GATEHOUSE_IDENTITY_PASSWORD GATEHOUSE_SOURCE_PASSWORD GATEHOUSE_KEYSTORE_PASSWORD

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ -f out ] && sed 's/^/# /' out | head -40; [ -f err ] && sed 's/^/# /' err | head -40; }
# expect STATUS DESCRIPTION -- COMMAND…: runs COMMAND with stdout in ./out, stderr in ./err;
# every output is kept in ./all for the final check that no private key was printed.
expect () {
  want=$1 desc=$2
  shift 3
  "$@" >out 2>err </dev/null
  got=$?
  cat out err >>all
  if [ "$got" -eq "$want" ]; then ok "$desc"; else not_ok "$desc (exit status $got, expected $want)"; fi
}
has () { if grep -q -- "$2" "$1"; then ok "$3"; else not_ok "$3 ($1 lacks “$2”)"; fi; }
lacks () { if grep -q -- "$2" "$1"; then not_ok "$3 ($1 has “$2”)"; else ok "$3"; fi; }
json () { /usr/bin/python3 -c "import json,sys; d=json.load(open('out')); print($1)"; }
fingerprint () { openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//'; }

# Two free ports on loopback.
set -- $(/usr/bin/python3 "$GATEHOUSE_SOURCE_ROOT/tests/integration/ghtest.py" ports 2)
port=$1 admin_port=$2

# The setup and the daemon
"$daemon" init --dir "$dir/gw" --port "$port" --admin-port "$admin_port" >init.out 2>&1 || { echo "Bail out! gatehoused init failed"; cat init.out; exit 1; }
pin=$(sed -n '/fingerprint/{n;s/^ *//;p;}' init.out)
# A viewer identity from the admin CA, and its role in the configuration.
(
  umask 077
  openssl pkcs12 -in gw/admin-ca-key.p12 -passin file:gw/admin-ca-key.pw -nodes -nocerts -out admin-ca.key &&
  openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout viewer.key \
    -subj /CN=test-viewer -days 30 -CA gw/admin-ca.pem -CAkey admin-ca.key -addext basicConstraints=critical,CA:FALSE \
    -addext keyUsage=critical,digitalSignature -addext extendedKeyUsage=clientAuth -out viewer.pem &&
  echo viewer-password >viewer.pw &&
  openssl pkcs12 -export -inkey viewer.key -in viewer.pem -passout file:viewer.pw -out viewer.p12 &&
  rm -f admin-ca.key viewer.key &&
  /usr/bin/python3 -c 'import json; f = "gw/gatehoused.json"; c = json.load(open(f))
c["admin"]["identities"].append({"subject": "CN=test-viewer", "role": "viewer"}); json.dump(c, open(f, "w"), indent=2)'
) >viewer.out 2>&1 || { echo "Bail out! could not make a viewer identity"; cat viewer.out; exit 1; }
"$daemon" --config "$dir/gw/gatehoused.json" >daemon.log 2>&1 &
daemon_pid=$!
gw="--gateway https://127.0.0.1:$admin_port --identity $dir/gw/gatehouse-admin.p12 --identity-password-file $dir/gw/gatehouse-admin.pw"
i=0
until "$ctl" $gw --pin "$pin" info >/dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$daemon_pid" 2>/dev/null; then echo "Bail out! the gateway did not start"; sed 's/^/# /' daemon.log; exit 1; fi
  sleep 0.1
done
ctl_pin () { "$ctl" $gw --pin "$pin" "$@"; }

# Contact and pinning
expect 0 "info with the pin init printed" -- ctl_pin info
has out "You are: *CN=gatehouse-admin (admin)" "info names the caller and its role"
has out "Configuration: *v1" "info shows the configuration version"
expect 0 "info --json" -- ctl_pin --json info
if [ "$(json 'd["info"]["identity"]["role"], d["stats"]["sessions_open"]')" = "admin 0" ]; then ok "info --json gives the API's objects"; else not_ok "info --json gives the API's objects"; fi

wrong=$(echo "$pin" | sed 's/^../00/')
[ "$wrong" = "$pin" ] && wrong=$(echo "$pin" | sed 's/^../11/')
expect 76 "a wrong pin is refused" -- "$ctl" $gw --pin "$wrong" info
has err "$pin" "the refusal shows the server's fingerprint"
expect 76 "no pin: refused, as SSH does on first contact" -- "$ctl" $gw info
has err "not pinned" "the refusal says nothing is pinned"
has err "$pin" "the refusal shows the fingerprint to compare"
expect 2 "a pin that is not a fingerprint is a usage error" -- "$ctl" $gw --pin nonsense info
expect 68 "an unreachable gateway has its own status" -- "$ctl" --gateway https://127.0.0.1:1 --identity "$dir/gw/gatehouse-admin.p12" --identity-password-file "$dir/gw/gatehouse-admin.pw" --pin "$pin" info
expect 2 "a gateway command without a gateway is a usage error" -- "$ctl" services list
has err "which gateway" "it says what is missing"

# Profiles
expect 0 "profile add" -- "$ctl" profile add lab --gateway "https://127.0.0.1:$admin_port" --identity gw/gatehouse-admin.p12 --identity-password-file gw/gatehouse-admin.pw --pin "$pin"
profiles="$XDG_CONFIG_HOME/gatehouse/profiles.json"
mode=$(stat -c %a "$profiles" 2>/dev/null)
if [ "$mode" = 600 ]; then ok "profiles.json is mode 0600"; else not_ok "profiles.json is mode $mode, not 0600"; fi
password=$(head -n 1 gw/gatehouse-admin.pw)
if grep -q -- "$password" "$profiles"; then not_ok "profiles.json holds no password"; else ok "profiles.json holds no password"; fi
has "$profiles" "\"identity\" : \"$dir/gw/gatehouse-admin.p12\"" "the identity is saved by its absolute name"
expect 0 "profile list" -- "$ctl" profile list
has out "^lab  *https://127.0.0.1:$admin_port" "profile list shows the profile"
expect 0 "info with --profile" -- "$ctl" --profile lab info
has out "You are: *CN=gatehouse-admin" "the profile connects"
expect 0 "info with \$GATEHOUSE_PROFILE" -- env GATEHOUSE_PROFILE=lab "$ctl" info
expect 2 "an unknown profile is a usage error" -- "$ctl" --profile nope info
expect 76 "profile add without a pin shows the fingerprint and refuses" -- "$ctl" profile add first --gateway "https://127.0.0.1:$admin_port" --identity gw/gatehouse-admin.p12 --identity-password-file gw/gatehouse-admin.pw
has err "$pin" "it shows the fingerprint"
expect 0 "profile add --trust-on-first-use saves the fingerprint" -- "$ctl" profile add first --trust-on-first-use --gateway "https://127.0.0.1:$admin_port" --identity gw/gatehouse-admin.p12 --identity-password-file gw/gatehouse-admin.pw
has "$profiles" "\"pin\" : \"$pin\"" "the saved pin is the gateway's"
expect 0 "profile remove" -- "$ctl" profile remove first
expect 0 "profile list after remove" -- "$ctl" profile list
lacks out "^first " "the removed profile is gone"
p="--profile lab"

# Services
expect 0 "services list" -- "$ctl" $p services list
has out "^echo  *echo  *started" "services list shows the echo service started"
expect 0 "services list --json after the command" -- "$ctl" $p services list --json
if [ "$(json '"echo:started" in [s["name"] + ":" + s["state"] for s in d["services"]]')" = "True" ]; then ok "services list --json gives the services"; else not_ok "services list --json gives the services"; fi
cp out services-json-after.out
expect 0 "services list --json before the command" -- "$ctl" $p --json services list
if cmp -s out services-json-after.out; then ok "--json before or after the command gives the same JSON"; else not_ok "--json before or after the command gives the same JSON"; fi
expect 0 "global connection options after the command" -- "$ctl" services list --json $gw --pin "$pin"
if cmp -s out services-json-after.out; then ok "--gateway, --identity and --pin after the command work as before it"; else not_ok "--gateway, --identity and --pin after the command work as before it"; fi
expect 0 "services show" -- "$ctl" $p services show echo
has out "wss://localhost:$port/echo" "services show gives the accept URI"
expect 0 "services stop" -- "$ctl" $p services stop echo
expect 0 "services list after stop" -- "$ctl" $p services list
has out "^echo  *echo  *stopped" "the service is stopped"
expect 1 "stopping a stopped service fails" -- "$ctl" $p services stop echo
expect 0 "services start" -- "$ctl" $p services start echo
expect 1 "services show of an unknown service fails" -- "$ctl" $p services show nope

cat >echo2.json <<EOF
{ "name": "echo2", "type": "echo", "description": "added by gatehousectl", "accept": ["wss://localhost:$port/echo2"] }
EOF
expect 0 "services apply adds a service" -- "$ctl" $p services apply echo2.json
has out "Added service “echo2”" "apply says what it added"
expect 0 "services list after apply" -- "$ctl" $p services list
has out "^echo2  *echo  *started" "the new service is listed, started"

cat >ws-client.py <<'EOF'
import asyncio, ssl, sys
import websockets

async def main(url, ca, hold_file=None):
    context = ssl.create_default_context(cafile=ca)
    async with websockets.connect(url, ssl=context, open_timeout=10) as ws:
        await ws.send("ping gatehouse")
        print(await asyncio.wait_for(ws.recv(), 10), flush=True)
        if hold_file:
            open(hold_file, "w").write("open\n")
            try:
                await ws.recv()
            except websockets.ConnectionClosed as closed:
                print("closed:", closed.rcvd.reason if closed.rcvd else "", flush=True)

asyncio.run(main(*sys.argv[1:]))
EOF
if /usr/bin/python3 -c 'import websockets' 2>/dev/null; then
  expect 0 "the added service serves WebSocket clients" -- timeout 20 /usr/bin/python3 ws-client.py "wss://localhost:$port/echo2" gw/ca.pem
  has out "ping gatehouse" "it echoes"
fi

cat >bad.json <<EOF
{ "name": "bad", "type": "echo", "accept": ["htp://localhost:$port/bad"] }
EOF
expect 65 "services apply of an invalid service: status 65" -- "$ctl" $p services apply bad.json
has err "^  services\[[0-9]*\]\.accept\[0\]: " "the gateway's problems are shown with their paths"
expect 0 "services list after the refused apply" -- "$ctl" $p services list
lacks out "^bad " "nothing was applied"

# Keystore on the gateway
expect 0 "keystore list on the gateway" -- "$ctl" $p keystore list
has out "^gateway  *key .*CN=localhost" "the gateway's entry is listed"
has out "^admin  *key" "the admin entry is listed"
expect 0 "keystore list --json" -- "$ctl" $p --json keystore list
if [ "$(json '" ".join(sorted(e["alias"] for e in d["entries"]))')" = "admin gateway" ]; then ok "keystore list --json gives the entries"; else not_ok "keystore list --json gives the entries"; fi

# A key and certificate made with openssl, issued by the setup's CA.
openssl pkcs12 -in gw/ca-key.p12 -passin file:gw/ca-key.pw -nocerts -nodes -out ca.key 2>/dev/null ||
  openssl pkcs12 -legacy -in gw/ca-key.p12 -passin file:gw/ca-key.pw -nocerts -nodes -out ca.key 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >ext.cnf
issue () { # issue NAME CN: NAME.key, NAME.pem (leaf), NAME.p12 protected by NAME.pw
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -subj "/CN=$2" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA gw/ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile ext.cnf -out "$1.pem" 2>/dev/null
  printf '%s secret\n' "$1" >"$1.pw"
  openssl pkcs12 -export -inkey "$1.key" -in "$1.pem" -certfile gw/ca.pem -passout "file:$1.pw" -out "$1.p12" 2>/dev/null
}
issue web web.localhost
issue renewed localhost
[ -s web.p12 ] && [ -s renewed.p12 ] && ok "openssl made the PKCS#12 files" || not_ok "openssl made the PKCS#12 files"

expect 0 "keystore upload of a PKCS#12 file" -- "$ctl" $p keystore upload web web.p12 --password-file web.pw
has out "Uploaded “web”" "upload says so"
has out "$(fingerprint <web.pem)" "upload shows the certificate's fingerprint"
expect 1 "uploading to a taken alias fails" -- "$ctl" $p keystore upload web web.p12 --password-file web.pw
expect 65 "a wrong password: status 65" -- "$ctl" $p keystore upload web3 web.p12 --password-file gw/ca-key.pw
expect 2 "upload without a gateway is a usage error" -- "$ctl" keystore upload web web.p12 --password-file web.pw

# --dry-run: what would be sent and served; nothing changes.
before=$(openssl s_client -connect "127.0.0.1:$port" -servername localhost </dev/null 2>/dev/null | fingerprint)
expect 0 "keystore rotate --dry-run" -- "$ctl" $p keystore rotate gateway renewed.p12 --password-file renewed.pw --dry-run
has out "Would rotate “gateway”" "the dry run says what it would do"
has out "wss://localhost:$port/echo: gateway" "the dry run says what the accept would serve"
has out "Nothing was sent" "the dry run says nothing was sent"
dry=$(openssl s_client -connect "127.0.0.1:$port" -servername localhost </dev/null 2>/dev/null | fingerprint)
[ -n "$dry" ] && [ "$dry" = "$before" ] && ok "the dry run changed nothing" || not_ok "the dry run changed nothing ($before, now $dry)"
expect 1 "keystore upload --dry-run to a taken alias: what the upload would meet" -- \
  "$ctl" $p keystore upload web web.p12 --password-file web.pw --dry-run
has out "would be refused" "the dry run says the upload would be refused"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout old.key -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -not_before 20200101000000Z -not_after 20200201000000Z -out old.pem 2>/dev/null
cat old.key old.pem >old-pair.pem
expect 1 "keystore rotate --dry-run to an expired certificate: flagged" -- \
  "$ctl" $p keystore rotate gateway old-pair.pem --dry-run --json
[ "$(json 'd["accepts"][0]["flag"]')" = "expired" ] && ok "the dry run flags the accept that would serve it" ||
  not_ok "the dry run flags the accept that would serve it ($(cat out err))"

expect 0 "keystore rotate gateway (the renewal hook)" -- "$ctl" $p keystore rotate gateway renewed.p12 --password-file renewed.pw
has out "Rotated “gateway”" "rotate says so"
after=$(openssl s_client -connect "127.0.0.1:$port" -servername localhost </dev/null 2>/dev/null | fingerprint)
new=$(fingerprint <renewed.pem)
if [ -n "$after" ] && [ "$after" = "$new" ] && [ "$before" != "$after" ]; then
  ok "new handshakes get the new certificate"
else
  not_ok "new handshakes get the new certificate (before $before, after $after, expected $new)"
fi

expect 0 "keystore csr on the gateway" -- "$ctl" $p keystore csr web2 --subject CN=web2.localhost --san web2.localhost
cp out web2.csr
has web2.csr "BEGIN .*CERTIFICATE REQUEST" "csr prints the request"
openssl req -in web2.csr -noout -verify -text >req.out 2>&1
has req.out "DNS:web2.localhost" "the request asks for the names given"
if grep -q "DNS:DNS:" req.out; then not_ok "the request's names are not doubled"; else ok "the request's names are not doubled"; fi
printf 'subjectAltName=DNS:web2.localhost\n' >ext2.cnf
openssl x509 -req -in web2.csr -CA gw/ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile ext2.cnf -out web2.pem 2>/dev/null
cat web2.pem gw/ca.pem >web2-chain.pem
expect 0 "keystore import-reply" -- "$ctl" $p keystore import-reply web2 web2-chain.pem
expect 0 "keystore show of the replied entry" -- "$ctl" $p keystore show web2
has out "$(fingerprint <web2.pem)" "the entry holds the CA's certificate now"
expect 0 "keystore delete" -- "$ctl" $p keystore delete web2
expect 0 "keystore list after delete" -- "$ctl" $p keystore list
lacks out "^web2 " "the deleted entry is gone"
has out "^web  *key .*CN=web.localhost" "the uploaded entry is listed"

# Truststore
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other-ca.key -subj "/CN=Other CA" -days 30 -out other-ca.pem 2>/dev/null
expect 0 "truststore add" -- "$ctl" $p truststore add other-ca.pem --alias other-ca
expect 0 "truststore list" -- "$ctl" $p truststore list
has out "^other-ca  .*CN=Other CA" "the new CA is listed"
expect 0 "truststore delete" -- "$ctl" $p truststore delete other-ca
expect 0 "truststore list after delete" -- "$ctl" $p truststore list
lacks out "^other-ca " "the deleted CA is gone"

# A stale version: 412, status 75, nothing changed
expect 75 "a stale --if-match: status 75" -- "$ctl" $p truststore add other-ca.pem --alias other-ca --if-match v1
has err "changed" "the refusal says the configuration changed"
expect 0 "truststore list after the refusal" -- "$ctl" $p truststore list
lacks out "^other-ca " "nothing was added"

# Revocation lists (#15): one from the other CA, made with certtool
printf 'crl_next_update = 30\ncrl_number = 7\n' >crl.tmpl
certtool --generate-crl --load-ca-privkey other-ca.key --load-ca-certificate other-ca.pem --template crl.tmpl \
  --outfile other.crl >/dev/null 2>&1
expect 0 "truststore crl list: none yet" -- "$ctl" $p truststore crl list
lacks out "CN=Other CA" "no list yet"
expect 65 "truststore crl add of a certificate: refused as invalid" -- "$ctl" $p truststore crl add other-ca.pem
expect 0 "truststore crl add" -- "$ctl" $p truststore crl add other.crl
has out "Configuration version: v" "crl add prints the new version"
expect 0 "truststore crl list" -- "$ctl" $p truststore crl list
has out "^CN=Other CA  *20[0-9-]*  *0  " "the list is listed with its issuer, next update and count"
expect 0 "truststore crl list --json" -- "$ctl" $p --json truststore crl list
crl_id=$(json 'd["crls"][0]["id"]' 2>/dev/null)
[ -n "$crl_id" ] && ok "the list has an id" || not_ok "the list has an id"
has gw/truststore.pem "BEGIN X509 CRL" "the list is in the truststore file"
expect 77 "a viewer's crl add is refused: status 77" -- "$ctl" --gateway "https://127.0.0.1:$admin_port" --identity viewer.p12 --identity-password-file viewer.pw --pin "$pin" truststore crl add other.crl
expect 0 "truststore crl remove" -- "$ctl" $p truststore crl remove "$crl_id"
expect 0 "truststore crl list after remove" -- "$ctl" $p truststore crl list
lacks out "CN=Other CA" "the removed list is gone"
lacks gw/truststore.pem "X509 CRL" "and gone from the truststore file"
expect 1 "removing it again fails" -- "$ctl" $p truststore crl remove "$crl_id"

# Both sides of a service's TLS: the gateway's own echo as a TLS back-end
printf '[{ "name": "loop", "type": "proxy", "accept": ["wss://localhost:%s/loop"], "connect": "wss://localhost:%s/echo" },
 { "name": "loop-wrong", "type": "proxy", "accept": ["wss://localhost:%s/loop-wrong"], "connect": "wss://127.0.0.1:%s/echo",
   "connect-tls": { "server-name": "wrong.example" } }]\n' "$port" "$port" "$port" "$port" >loop.json
expect 0 "services apply: proxies to the gateway's own echo" -- "$ctl" $p services apply loop.json
expect 0 "services tls" -- "$ctl" $p services tls loop
has out "^Accept: *wss://localhost:$port/loop" "services tls shows the accept"
has out "^Certificate: *gateway" "and the certificate a client gets"
has out "^Anchor: *a root in the gateway's truststore" "and whose trust that chain needs"
has out "^Verdict: *connected to wss://localhost:$port" "and the back-end's verdict in the session log's words"
has out "^SNI sent: *localhost" "and the SNI sent"
has out "^TLS: *TLS1.3 .*, verified" "and the TLS a session gets"
expect 0 "services tls --json" -- "$ctl" $p --json services tls loop
if [ "$(json 'd["connect"]["probe"]["connected"], d["connect"]["probe"]["server_name"], d["accept"][0]["alias"]')" = "True localhost gateway" ]; then
  ok "services tls --json gives both sides"
else
  not_ok "services tls --json gives both sides"
fi
expect 0 "services probe" -- "$ctl" $p services probe loop
has out "^Verdict: *connected to" "services probe prints the verdict"
expect 1 "services probe of a back-end a session could not reach: status 1" -- "$ctl" $p services probe loop-wrong
has out "^Verdict: *refused: back-end wss://127.0.0.1:$port: " "the verdict says why, as the session log would"
has out "^SNI sent: *wrong.example" "server-name is the SNI sent"
has out "host-mismatch" "the chain's finding is shown"
expect 1 "services probe --json: status 1 as well" -- "$ctl" $p --json services probe loop-wrong
if [ "$(json 'd["probe"]["connected"], d["probe"]["step"]')" = "False TLS handshake" ]; then ok "services probe --json gives the connect side"; else not_ok "services probe --json gives the connect side"; fi
expect 2 "services probe of a service without a back-end: usage error" -- "$ctl" $p services probe echo

# Sessions
rm -f held
timeout 60 /usr/bin/python3 ws-client.py "wss://localhost:$port/echo" gw/ca.pem held >holder.out 2>&1 &
holder_pid=$!
i=0
while [ ! -f held ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect 0 "sessions list" -- "$ctl" $p sessions list
has out " echo  *127.0.0.1:[0-9]*  *open" "the WebSocket session is listed"
expect 0 "sessions list --json" -- "$ctl" $p --json sessions list --service echo
id=$(json 'd["sessions"][0]["id"]' 2>/dev/null)
[ -n "$id" ] && ok "the session has an id" || not_ok "the session has an id"
expect 0 "sessions show" -- "$ctl" $p sessions show "$id"
has out "Service: *echo" "sessions show names the service"
expect 0 "sessions close" -- "$ctl" $p sessions close "$id"
has out "Closed session $id" "close says which session"
i=0
while kill -0 "$holder_pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$holder_pid" 2>/dev/null; then not_ok "the client saw its session closed"; else ok "the client saw its session closed"; fi
holder_pid=
expect 1 "closing it again fails" -- "$ctl" $p sessions close "$id"

# Events and audit
expect 0 "events --count 3" -- timeout 30 "$ctl" $p events --count 3
lines=$(wc -l <out)
types=$(/usr/bin/python3 -c 'import json; print(" ".join(json.loads(l)["type"] for l in open("out")))' 2>/dev/null)
if [ "$lines" -eq 3 ] && [ "${types% *}" = "hello snapshot" ]; then ok "events: one JSON object a line, hello and snapshot first"; else not_ok "events: one JSON object a line, hello and snapshot first ($lines lines: $types)"; fi

"$ctl" $p events >events.out 2>events.err &
events_pid=$!
# SIGINT once it follows (hello printed): a background job of a script starts with
# SIGINT ignored until the program installs its handler.
for _ in $(seq 300); do grep -q '"type":"hello"' events.out 2>/dev/null && break; sleep 0.1; done
kill -INT "$events_pid"
wait "$events_pid"
status=$?
if [ "$status" -eq 0 ] && grep -q '"type":"hello"' events.out; then ok "events follows until SIGINT, then exits 0"; else not_ok "events follows until SIGINT, then exits 0 (status $status)"; sed 's/^/# /' events.err; fi

expect 0 "audit" -- "$ctl" $p audit
has out "/api/v1/keystore/gateway" "audit shows the rotation"
has out "/api/v1/truststore" "audit shows the truststore changes"
has out " 412 " "audit shows the refused write"
expect 0 "audit --json --limit 5" -- "$ctl" $p --json audit --limit 5
if [ "$(json 'len(d["entries"])')" = 5 ]; then ok "audit --limit"; else not_ok "audit --limit"; fi

# Configuration versions: two changes, then versions, show, diff and rollback
for description in first second; do
  printf '{ "name": "echo2", "type": "echo", "description": "%s", "accept": ["wss://localhost:%s/echo2"] }\n' \
    "$description" "$port" >echo2.json
  expect 0 "services apply: the $description change" -- "$ctl" $p services apply echo2.json
done
expect 0 "config versions --json" -- "$ctl" $p --json config versions
set -- $(json 'd["current"], d["versions"][0]["version"], d["versions"][1]["version"]')
current=$1 second=$2 first=$3
if [ "$current" = "$second" ] && [ "$first" = $((second - 1)) ]; then ok "versions: newest first, the newest current"; else not_ok "versions: newest first, the newest current ($*)"; fi
expect 0 "config versions" -- "$ctl" $p config versions
has out "^\* v$second  *20" "versions marks the current version"
has out "^  v$first  *20.*CN=gatehouse-admin" "versions lists the first change, with who made it"
viewer="--gateway https://127.0.0.1:$admin_port --identity viewer.p12 --identity-password-file viewer.pw --pin $pin"
expect 0 "a viewer may list the versions" -- "$ctl" $viewer config versions
has out "^\* v$second " "the viewer sees the same versions"

expect 0 "config show N" -- "$ctl" $p config show "v$first"
has out '"description" : "first"' "show prints that version's document"
expect 0 "config show" -- "$ctl" $p config show
has out '"description" : "second"' "show without a version prints the current document"
expect 1 "config show of a version that does not exist fails" -- "$ctl" $p config show v999
expect 2 "config show of something not a version is a usage error" -- "$ctl" $p config show latest

expect 1 "config diff of two versions that differ: status 1" -- "$ctl" $p config diff "v$first" "$second" --color=never
if [ "$(grep -c '^-[^-]' out)" = 1 ] && [ "$(grep -c '^+[^+]' out)" = 1 ] &&
   grep -q '^-  *"description" : "first",\?$' out && grep -q '^+  *"description" : "second",\?$' out; then
  ok "diff shows exactly the changed line"
else
  not_ok "diff shows exactly the changed line"
fi
has out "^--- v$first\$" "diff names the old version"
has out "^+++ v$second\$" "diff names the new version"
has out "^@@ -[0-9]*,[0-9]* +[0-9]*,[0-9]* @@\$" "diff has a unified hunk header"
if [ -s err ]; then not_ok "a diff that differs says nothing on stderr"; else ok "a diff that differs says nothing on stderr"; fi
if grep -q "$(printf '\033')" out; then not_ok "--color=never: no escapes"; else ok "--color=never: no escapes"; fi
expect 0 "config diff of a version with itself: status 0" -- "$ctl" $p config diff "v$second" "v$second"
if [ -s out ]; then not_ok "the same version: no output"; else ok "the same version: no output"; fi
expect 1 "config diff N: against the current one" -- "$ctl" $p config diff "v$first"
has out "^+++ v$second (current)" "diff N compares with the current version"
expect 1 "config diff --color=always" -- "$ctl" $p config diff "v$first" --color=always
if grep -q "$(printf '\033')\[31m-" out && grep -q "$(printf '\033')\[32m+" out; then ok "--color=always colours removed and added lines"; else not_ok "--color=always colours removed and added lines"; fi
expect 2 "config diff --color=sometimes is a usage error" -- "$ctl" $p config diff "v$first" --color=sometimes
expect 1 "config diff --json" -- "$ctl" $p --json config diff "v$first" "v$second"
if [ "$(json 'd["equal"], len(d["hunks"]), " ".join(l[0] + l[1:].strip().rstrip(",") for l in d["hunks"][0]["lines"] if l[0] != " ")')" = \
     'False 1 -"description" : "first" +"description" : "second"' ]; then
  ok "diff --json gives the hunks"
else
  not_ok "diff --json gives the hunks"
fi

expect 77 "a viewer's rollback is refused: status 77" -- "$ctl" $viewer config rollback "v$first"
has err "role “admin”; CN=test-viewer has “viewer”" "the refusal names the role needed and the viewer's"
expect 75 "a rollback made for an older version: status 75" -- "$ctl" $p config rollback "v$first" --if-match "v$first"
expect 0 "config rollback" -- "$ctl" $p config rollback "v$first"
has out "Configuration version: v$((second + 1))" "the rollback is a new version"
expect 0 "config show after the rollback" -- "$ctl" $p config show
has out '"description" : "first"' "the document rolled back to is current"
expect 0 "the current document equals the version rolled back to" -- "$ctl" $p config diff "v$first"
expect 1 "a rollback to a version that does not exist fails" -- "$ctl" $p config rollback v999

# Local keystores keep working beside a profile
expect 0 "keystore list --keystore FILE with a profile set uses the file" -- env GATEHOUSE_PROFILE=lab "$ctl" keystore list -k gw/keystore.p12 --password-file gw/keystore.pw
has out "gw/keystore.p12: PKCS#12" "the local file was listed"
expect 2 "genkey on a gateway is a usage error" -- "$ctl" $p keystore genkey --alias x

if grep -q "PRIVATE KEY" all; then not_ok "no output ever held a private key"; else ok "no output ever held a private key"; fi
if kill -0 "$daemon_pid" 2>/dev/null; then ok "the gateway is still running"; else not_ok "the gateway is still running"; sed 's/^/# /' daemon.log; fi

echo "1..$n"
[ "$failed" -eq 0 ]
