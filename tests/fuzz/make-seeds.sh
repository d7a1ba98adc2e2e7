#!/usr/bin/env bash
# tests/fuzz/make-seeds.sh OUTDIR — the fuzzers' seed corpus, made fresh every time
# with openssl (and keytool when there is one): no key is committed (STYLE.md).
#
# OUTDIR/<target>/ gets one file per seed for each fuzz target: certificate,
# private-key, keystore-pkcs12, keystore-pem and import. Every encrypted seed uses the
# password "fuzz" (FUZZ_PASSWORD) and one key-derivation iteration, so that an input
# costs microseconds, not the 600,000 PBKDF2 rounds GnuTLS writes by default.
set -euo pipefail

out=${1:?usage: make-seeds.sh OUTDIR}
pw=fuzzpass
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$work"
for d in certificate der-reader private-key keystore-pkcs12 keystore-pem import crl; do
  rm -rf "${out:?}/$d"
  mkdir -p "$out/$d"
done

ossl () { openssl "$@" 2>/dev/null; }

# A root, an intermediate, leaves of each key type, a SHA-1 signed one.
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
ossl req -x509 -new -key ca.key -subj "/CN=Fuzz Root CA/O=Gatehouse/C=FR" -days 30 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out ca.pem
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out int.key
ossl req -new -key int.key -subj "/CN=Fuzz Intermediate/O=Gatehouse" -out int.csr
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > int.ext
ossl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile int.ext -out int.pem

leaf_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:gateway.example.com,DNS:*.example.com,IP:127.0.0.1,IP:::1,email:ops@example.com
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid'
printf '%s\n' "$leaf_ext" > leaf.ext

make_leaf () { # NAME GENPKEY-ARGS…
  local name=$1; shift
  ossl genpkey "$@" -out "$name.key"
  ossl req -new -key "$name.key" -subj "/CN=$name.example.com/O=Gatehouse/OU=Fuzz" -out "$name.csr"
  ossl x509 -req -in "$name.csr" -CA int.pem -CAkey int.key -CAcreateserial -days 30 -extfile leaf.ext -out "$name.pem"
  cat "$name.pem" int.pem ca.pem > "$name-chain.pem"
}
make_leaf ec -algorithm EC -pkeyopt ec_paramgen_curve:P-256
make_leaf rsa -algorithm RSA -pkeyopt rsa_keygen_bits:2048
make_leaf ed -algorithm ED25519
ossl req -x509 -new -key ec.key -sha1 -subj "/CN=weak.example.com" -days 30 -out weak.pem
ossl req -x509 -new -key ed.key -subj "/CN=self-signed.example.com" -days 30 \
  -addext subjectAltName=DNS:self-signed.example.com -out self.pem

# Certificates: DER, PEM, bundles.
n=0
for c in ca int ec rsa ed weak self; do
  ossl x509 -in $c.pem -outform DER -out "$out/certificate/$c.der"
  cp $c.pem "$out/certificate/$c.pem"
done
cp ec-chain.pem "$out/certificate/chain.pem"
# The DER walker (fuzz-der-reader.c): the certificates as DER, and ones with a comma
# in a name, a multi-valued RDN and a date past 2049 (each a path of its own).
mkdir -p "$out/der-reader"
cp "$out"/certificate/*.der "$out/der-reader/"
ossl req -x509 -new -key ec.key -subj "/O=Example, Inc./CN=comma.example.com" -days 30 -outform DER -out "$out/der-reader/comma.der"
ossl req -x509 -new -key rsa.key -multivalue-rdn -subj "/CN=a+OU=b/DC=example/DC=com" -days 20000 -outform DER -out "$out/der-reader/multi.der"
cat weak.pem self.pem rsa-chain.pem > "$out/certificate/mixed.pem"

# Revocation lists from `openssl ca -gencrl`: one listing the RSA leaf, one empty; with
# the intermediate beside them, as a truststore file holds them.
mkdir -p ca-db && : > ca-db/index.txt && echo 1000 > ca-db/crlnumber
printf '[ca]\ndefault_ca = fuzz\n[fuzz]\ndatabase = ca-db/index.txt\ncrlnumber = ca-db/crlnumber\ndefault_md = sha256\ndefault_crl_days = 30\n' > ca.cnf
ossl ca -config ca.cnf -gencrl -cert int.pem -keyfile int.key -out empty-crl.pem
ossl ca -config ca.cnf -revoke rsa.pem -cert int.pem -keyfile int.key
ossl ca -config ca.cnf -gencrl -cert int.pem -keyfile int.key -out crl.pem
for c in crl empty-crl; do
  cp $c.pem "$out/crl/$c.pem"
  ossl crl -in $c.pem -outform DER -out "$out/crl/$c.der"
done
cat int.pem crl.pem ca.pem empty-crl.pem > "$out/crl/truststore.pem"

# Private keys: PKCS#8 plain and encrypted, PKCS#1, SEC1, PEM and DER.
for k in ec rsa ed int; do
  ossl pkey -in $k.key -out "$out/private-key/$k-pkcs8.pem"
  ossl pkey -in $k.key -outform DER -out "$out/private-key/$k-pkcs8.der"
  ossl pkcs8 -topk8 -in $k.key -v2 aes-256-cbc -iter 1 -passout pass:$pw -out "$out/private-key/$k-pkcs8-enc.pem"
  ossl pkcs8 -topk8 -in $k.key -v2 aes-256-cbc -iter 1 -passout pass:$pw -outform DER -out "$out/private-key/$k-pkcs8-enc.der"
done
ossl pkcs8 -topk8 -in ec.key -v1 PBE-SHA1-3DES -iter 1 -passout pass:$pw -out "$out/private-key/ec-pkcs8-3des.pem"
ossl pkey -in rsa.key -traditional -out "$out/private-key/rsa-pkcs1.pem"
ossl rsa -in rsa.key -traditional -outform DER -out "$out/private-key/rsa-pkcs1.der"
ossl ec -in ec.key -out "$out/private-key/ec-sec1.pem"
ossl ec -in ec.key -outform DER -out "$out/private-key/ec-sec1.der"
ossl pkey -in ec.key -traditional -aes256 -passout pass:$pw -out "$out/private-key/ec-sec1-enc.pem"

# PKCS#12: the profiles OpenSSL writes, with and without MAC, keys, chains, names.
p12 () { # NAME ARGS…
  local name=$1; shift
  ossl pkcs12 -export -passout pass:$pw -noiter -nomaciter "$@" -out "$out/keystore-pkcs12/$name.p12" || true
}
p12 modern -inkey ec.key -in ec.pem -certfile int.pem -name web -caname int
p12 modern-chain -inkey rsa.key -in rsa-chain.pem -name rsa-entry
p12 compatible -inkey ec.key -in ec-chain.pem -name compat -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1
p12 legacy -legacy -inkey ec.key -in ec.pem -name legacy
p12 no-mac -inkey ed.key -in ed-chain.pem -name nomac -nomac
p12 plain -inkey ec.key -in ec.pem -name plain -keypbe NONE -certpbe NONE
p12 truststore -nokeys -in ec-chain.pem -name trusted
p12 key-only-plain -inkey ed.key -in ed.pem -keypbe NONE -certpbe NONE -nomac
ossl pkcs12 -export -passout pass: -noiter -nomaciter -inkey ec.key -in ec.pem -name empty-password \
  -out "$out/keystore-pkcs12/empty-password.p12" || true
if command -v keytool >/dev/null; then
  keytool -J-Dkeystore.pkcs12.certPbeIterationCount=1 -J-Dkeystore.pkcs12.keyPbeIterationCount=1 \
    -J-Dkeystore.pkcs12.macIterationCount=1 \
    -genkeypair -keyalg EC -groupname secp256r1 -alias java-entry -dname "CN=java.example.com" \
    -ext san=dns:java.example.com -validity 30 -storetype PKCS12 -keystore java.p12 \
    -storepass $pw -keypass $pw >/dev/null 2>&1 &&
  keytool -J-Dkeystore.pkcs12.certPbeIterationCount=1 -J-Dkeystore.pkcs12.keyPbeIterationCount=1 \
    -J-Dkeystore.pkcs12.macIterationCount=1 \
    -importcert -noprompt -alias java-root -file ca.pem -storetype PKCS12 -keystore java.p12 \
    -storepass $pw >/dev/null 2>&1 &&
  cp java.p12 "$out/keystore-pkcs12/java.p12" || true
fi

# PEM bundles: as `openssl pkcs12` prints them (Bag Attributes), as people cat them.
for f in modern modern-chain compatible no-mac; do
  [ -f "$out/keystore-pkcs12/$f.p12" ] || continue
  ossl pkcs12 -in "$out/keystore-pkcs12/$f.p12" -passin pass:$pw -nodes -out "$out/keystore-pem/$f-nodes.pem" || true
  ossl pkcs12 -in "$out/keystore-pkcs12/$f.p12" -passin pass:$pw -passout pass:$pw -out "$out/keystore-pem/$f-enc.pem" || true
done
cat "$out/private-key/ec-pkcs8-enc.pem" ec-chain.pem > "$out/keystore-pem/key-chain.pem"
cat "$out/private-key/rsa-pkcs1.pem" rsa.pem int.pem > "$out/keystore-pem/rsa-pkcs1.pem"
cat "$out/private-key/ec-sec1-enc.pem" ec.pem > "$out/keystore-pem/sec1-enc.pem"
cat ca.pem int.pem weak.pem self.pem > "$out/keystore-pem/truststore.pem"
cat ca.pem crl.pem int.pem > "$out/keystore-pem/truststore-crl.pem"
ossl crl2pkcs7 -nocrl -certfile ec-chain.pem -out p7.pem
ossl crl2pkcs7 -nocrl -certfile ec-chain.pem -outform DER -out p7.der
{ cat ec.csr; cat ca.pem; cat p7.pem; printf 'Bag Attributes\n    friendlyName: odd name\n    localKeyID: 01 02 03\n'; cat ed.pem "$out/private-key/ed-pkcs8.pem"; } \
  > "$out/keystore-pem/other-blocks.pem"

# Import reads everything.
cp "$out"/certificate/* "$out"/private-key/* "$out"/keystore-pkcs12/* "$out"/keystore-pem/* "$out/import/" 2>/dev/null || true
for f in "$out"/certificate/*; do cp "$f" "$out/import/cert-$(basename "$f")"; done
cp p7.pem "$out/import/chain.p7b.pem"
cp p7.der "$out/import/chain.p7b"

# The gateway's configuration (the parser of the admin API's PUT body, too).
mkdir -p "$out/gateway-config" "$out/client-hello"
printf '{"version":1}' > "$out/gateway-config/minimal.json"
cat > "$out/gateway-config/full.json" <<'JSON'
{ "version": 1, "properties": { "name": "seed" },
  "security": { "keystore": { "file": "keystore.p12", "password-file": "keystore.pw" },
                "truststore": { "file": "truststore.pem" } },
  "admin": { "listen": "127.0.0.1:9443", "certificate-alias": "admin", "client-ca": "admin-ca.pem",
             "identities": [ { "subject": "CN=gatehouse-admin", "role": "admin" } ] },
  "services": [
    { "name": "echo", "type": "echo", "accept": ["wss://localhost:8443/echo"] },
    { "name": "backend", "type": "proxy", "accept": ["wss://localhost:8443/backend", "ssl://localhost:9001"],
      "connect": "ssl://backend.internal:9443",
      "tls": { "priority": "NORMAL:-VERS-ALL:+VERS-TLS1.3", "verify-client": "optional" },
      "connect-tls": { "verify": true, "server-name": "backend.internal", "client-certificate-alias": "gateway" },
      "limits": { "max-pending-bytes": 1048576, "idle-timeout": 300, "max-sessions": 10000 } },
    { "name": "files", "type": "directory", "accept": ["https://localhost:8443/files/"], "directory": "www" } ] }
JSON
printf '{"version":1,"services":[{"name":"a","type":"echo","accept":["wss://localhost:1/x"]},{"name":"a","type":"teleport","accept":["tcp://[::1]"]}]}' \
  > "$out/gateway-config/conflicts.json"

# What TLS clients send first: ClientHellos with and without SNI, captured on loopback.
capture () {
  name=$1
  shift
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  /usr/bin/python3 - "$port" "$out/client-hello/$name" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
s.settimeout(10)
c, _ = s.accept()
c.settimeout(2)
data = b""
try:
    while len(data) < 65536:
        chunk = c.recv(65536)
        if not chunk:
            break
        data += chunk
except socket.timeout:
    pass
open(sys.argv[2], "wb").write(data)
PY
  listener=$!
  sleep 0.3
  "$@" "$port" </dev/null >/dev/null 2>&1 || true
  wait "$listener" || true
}
hello_openssl () { timeout 3 openssl s_client -connect "127.0.0.1:$3" -servername "$1" $2; }
capture openssl-sni hello_openssl a.example.com ""
capture openssl-tls12 hello_openssl localhost "-tls1_2"
capture openssl-no-sni hello_openssl x.invalid "-noservername"
hello_gnutls () { timeout 3 gnutls-cli --insecure --sni-hostname "$1" --port "$2" 127.0.0.1; }
capture gnutls-sni hello_gnutls localhost
printf '\377*.example.com\000a.example.com' > "$out/client-hello/name-match"


# The admin API's JSON: what the client reads (api-json) and what the server reads
# (admin-request). No key in them.
mkdir -p "$out/api-json" "$out/admin-request"
(
cd "$out/api-json"
printf '%s' '{"name":"demo-gateway","version":"0.1.0","api":1,"started":"2026-11-26T22:30:01.123456Z","uptime":3600,"config_version":7,"listeners":["127.0.0.1:8443"],"admin_listen":"127.0.0.1:9443","identity":{"subject":"CN=gatehouse-admin","fingerprint":"AB:CD","role":"admin"}}' > info.json
printf '%s' '{"time":"2026-11-26T22:30:01.123456Z","uptime":3600,"sessions_open":12,"sessions_total":3400,"bytes_in":123456,"bytes_out":654321,"messages_in":100,"messages_out":100,"services":[{"name":"echo","state":"started","sessions_open":3,"sessions_total":20}]}' > stats.json
printf '%s' '{"name":"echo","type":"echo","description":null,"accept":["wss://localhost:8443/echo"],"connect":null,"state":"started","sessions_open":3,"sessions_total":20,"config":{"name":"echo","type":"echo","accept":["wss://localhost:8443/echo"]}}' > service.json
printf '%s' '{"sessions":[{"id":"4f2c","service":"echo","client":"127.0.0.1:51234","state":"open","started":"2026-11-26T22:30:01.123456Z","tls":{"protocol":"TLS1.3","cipher":"AES-256-GCM","server_name":"localhost","alpn":null,"client_subject":null},"backend":"127.0.0.1:9001","backend_tls":"TLS1.3 verified","bytes_in":10,"bytes_out":10,"messages_in":1,"messages_out":1,"close_reason":null}],"next_cursor":"c1","total":2}' > sessions.json
printf '%s' '{"id":"s","state":"open","bytes_in":10,"bytes_out":10,"messages_in":1,"messages_out":1}' > session-update.json
printf '%s' '{"time":"2026-11-26T22:30:01.123456Z","subject":"CN=gatehouse-admin","fingerprint":"AB","role":"admin","method":"PUT","path":"/api/v1/config","action":"config.put","status":200,"detail":null}' > audit.json
printf '%s' '{"alias":"gateway","kind":"key","chain":[{"subject":"CN=localhost","pem":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}]}' > keystore-entry.json
printf '%s' '{"version":7,"time":"2026-11-26T22:30:01.123456Z","identity":"CN=gatehouse-admin","action":"config.put"}' > config-version.json
printf '%s' '{"accept":[{"uri":"wss://localhost:8443/echo","host":"localhost","secure":true,"alias":"gateway","chain":{"trusted":true,"severity":"warning","status_message":null,"hostname":"localhost","purpose":"server","links":[{"role":"leaf","severity":"warning","certificate":{"subject":"CN=localhost","issuer":"CN=CA","display_name":"localhost","sha256_fingerprint":"AB","not_after":"2027-01-01T00:00:00Z"},"findings":[{"kind":"expires-soon","severity":"warning","message":"m","fix":"f"}]},{"role":"anchor","severity":"info","certificate":{"subject":"CN=CA"},"findings":[]}]}}],"connect":{"uri":"ssl://backend:9443","verify":true,"probe":{"ok":false,"error":"refused","chain":null}}}' > service-tls.json
printf '%s' '[{"path":"services[1].connect","message":"the scheme is not one of tcp, ssl, ws, wss","code":"invalid","service":"backend"}]' > problems.json
printf '%s' '{"accept":[],"connect":{"uri":"wss://127.0.0.1:9001/","verify":true,"probe":{"ok":false,"error":"e","chain":null,"connected":false,"verdict":"refused: back-end wss://127.0.0.1:9001: e","step":"TLS handshake","address":"wss://127.0.0.1:9001","server_name":null,"verify_name":"backend.example","protocol":null,"cipher":null,"backend_tls":null,"client_certificate":{"alias":"gateway","requested":true,"presented":false,"chain":{"trusted":true,"severity":"info","links":[]}}}}}' > service-tls-probe.json
printf '%s' '{"id":"AB:CD","issuer":"CN=Intermediate","this_update":"2026-11-26T22:30:01.123456Z","next_update":null,"revoked":2,"revoked_serials":["1002","1003"],"verified_by":null,"pem":"-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n"}' > crl.json
printf '%s' '{"valid":false,"problems":[{"path":"services[0].accept[0]","message":"m"}],"accepts":[{"service":"echo","flag":"no-certificate","uri":"wss://127.0.0.2:8443/x","host":"127.0.0.2","secure":true,"alias":null,"chain":null}]}' > config-preview.json
printf '%s\n' '{"v":1,"type":"hello","seq":1,"ts":"2026-11-26T22:30:01Z","data":{"name":"g","version":"0.1.0","api":1,"config_version":3}}' '{"v":1,"type":"snapshot","seq":2,"data":{"sessions":[{"id":"a","service":"echo","state":"open"},{"id":"b","service":"echo","state":"open"}],"stats":{"sessions_open":2,"sessions_total":2,"bytes_in":0,"bytes_out":0,"messages_in":0,"messages_out":0},"config_version":3}}' '{"v":1,"type":"session.opened","seq":3,"data":{"id":"c","service":"echo","state":"open"}}' '{"v":1,"type":"session.updated","seq":4,"data":{"sessions":[{"id":"a","state":"open","bytes_in":5,"bytes_out":5,"messages_in":1,"messages_out":1}]}}' '{"v":1,"type":"session.closed","seq":5,"data":{"id":"b","reason":"client closed"}}' '{"v":1,"type":"stats.tick","seq":6,"data":{"sessions_open":2,"sessions_total":3,"bytes_in":5,"bytes_out":5,"messages_in":1,"messages_out":1,"services":[]}}' '{"v":1,"type":"resync_required","seq":7,"data":{"reason":"slow"}}' '{"v":1,"type":"snapshot","seq":8,"data":{"sessions":[{"id":"a","service":"echo","state":"open"}]}}' '{"v":1,"type":"config.changed","seq":9,"data":{"version":4,"identity":"CN=gatehouse-admin","action":"config.put"}}' > events.jsonl
)
(
cd "$out/admin-request"
printf '%s' '{"alias":"web","pkcs12":"MIIB","password":"x"}' > upload-pkcs12.json
printf '%s' '{"alias":"web","pem":"key and chain","password":null,"source_alias":"a"}' > upload-pem.json
printf '%s' '{"key_type":"p256","subject":"CN=web.example.com","dns_names":["web.example.com","www.example.com"]}' > csr.json
printf '%s' '{"pem":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}' > reply.json
printf '%s' '{"alias":"backend-ca","pem":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}' > trust.json
printf '%s' '{"version":3}' > rollback.json
printf '%s' '9{"a":1}' > trailing.json
# Request heads and the header values a handler reads (Content-Type, If-Match): the
# same inputs also run through the guard's framing, as bytes off the wire.
printf 'PUT /api/v1/config HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nIf-Match: "v3"\r\nContent-Length: 13\r\n\r\n{"version":1}' > put-config.http
printf 'GET /api/v1/info HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/v1/stats HTTP/1.1\r\nHost: localhost\r\n\r\n' > pipelined.http
printf 'GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: gatehouse.v1\r\n\r\n\x81\x85abcd' > upgrade.http
printf 'POST /api/v1/config/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' > smuggle.http
printf 'POST /api/v1/config/validate HTTP/1.1\nHost: x\nContent-Length: 18446744073709551617\n\n' > huge-length.http
printf '\r\n\r\nPOST / HTTP/1.0\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}' > twice.http
printf '%s' 'application/json; charset="UTF-8" ;' > media-type.txt
printf '%s' '"v1", W/"v2",, "v3"' > if-match.txt
)

# WebSocket frames (fuzz-websocket-frames.c): a flags byte (1: an HTTP head first), two
# bytes of message limit (x16+1), then what the peer sends; masked as from a client.
mkdir -p "$out/websocket-frames"
(
cd "$out/websocket-frames"
printf '\000\001\000\201\205abcd\011\007\017\010\016' > text.bin
printf '\000\000\010\002\003abc\200\003def\211\000\200\002gh' > fragments-ping-between.bin
printf '\000\000\001\002\176\001\000' > over-limit.bin
printf '\000\377\377\202\377\200\000\000\000\000\000\000\000abcd' > length-top-bit.bin
printf '\000\377\377\200\001x\011\001y\231\000\010\202\003\350' > orphan-control.bin
printf '\000\377\377\202\001x\203\001y' > unknown-opcode.bin
printf '\001\000\100GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n\r\n\201\205abcd\011\007\017\010\016' > upgrade.bin
printf '\001\000\100GET /echo HTTP/1.1\r\n\r\n\201\001x' > upgrade-unmasked.bin
)

for d in certificate der-reader private-key keystore-pkcs12 keystore-pem import gateway-config client-hello api-json admin-request websocket-frames; do
  printf '%s: %s seeds\n' "$d" "$(find "$out/$d" -type f | wc -l)"
done
