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
for d in certificate private-key keystore-pkcs12 keystore-pem import; do
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
cat weak.pem self.pem rsa-chain.pem > "$out/certificate/mixed.pem"

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

for d in certificate private-key keystore-pkcs12 keystore-pem import gateway-config client-hello; do
  printf '%s: %s seeds\n' "$d" "$(find "$out/$d" -type f | wc -l)"
done
