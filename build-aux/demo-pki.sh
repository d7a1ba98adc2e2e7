#!/bin/sh
# build-aux/demo-pki.sh DIR [HOST] — the demo's PKI, made fresh with openssl (no key is
# ever committed). Used by build-aux/demo; runs inside the build environment.
#
# DIR gets (keys and passwords mode 0600):
#   root-ca.pem (+ .key)          "Demo Root CA", self-signed: what the demo's clients trust
#   intermediate-ca.pem (+ .key)  "Demo Intermediate CA", issued by the root
#   gateway.pem (+ .key)          HOST (default localhost, also 127.0.0.1), issued by the
#                                 intermediate, for servers and clients
#   gateway.p12 (+ gateway.pw)    that key with its chain, leaf and intermediate (what a
#                                 TLS server sends), as the gateway's keystore entry
#   backend-ca.pem (+ .key)       "Demo Back-end CA", self-signed: another CA, for the back-end
#   backend.pem (+ .key)          HOST (and 127.0.0.1), issued by the back-end CA
#   backend-keystore.pem          the back-end's key and certificate, an unencrypted PEM keystore
set -eu
dir=$1
host=${2:-localhost}
umask 077
mkdir -p "$dir"
cd "$dir"

org="O=Gatehouse demo"
days_ca=3650
days=825

key () { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }

# ca NAME "COMMON NAME" [ISSUER]: a CA certificate, self-signed without an issuer.
ca () {
  key "$1"
  cat > "$1.ext" <<EOF
basicConstraints = critical, CA:true${3:+, pathlen:0}
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  if [ -z "${3:-}" ]; then
    printf '[req]\ndistinguished_name = dn\n[dn]\n[v3]\n' | cat - "$1.ext" | grep -v authorityKeyIdentifier > "$1.cnf"
    openssl req -new -x509 -key "$1.key" -subj "/$org/CN=$2" -days "$days_ca" -sha256 \
      -config "$1.cnf" -extensions v3 -out "$1.pem"
    rm -f "$1.cnf"
  else
    openssl req -new -key "$1.key" -subj "/$org/CN=$2" -out "$1.csr"
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days "$days_ca" \
      -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  fi
  rm -f "$1.ext" "$1.csr"
}

# leaf NAME ISSUER: a certificate for $host (and 127.0.0.1) issued by ISSUER.
leaf () {
  key "$1"
  san="DNS:$host"
  [ "$host" = localhost ] && san="$san, IP:127.0.0.1"
  cat > "$1.ext" <<EOF
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = $san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  openssl req -new -key "$1.key" -subj "/$org/CN=$host" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days "$days" \
    -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.ext" "$1.csr"
}

ca root-ca "Demo Root CA"
ca intermediate-ca "Demo Intermediate CA" root-ca
leaf gateway intermediate-ca
openssl rand -base64 24 > gateway.pw
openssl pkcs12 -export -name gateway -inkey gateway.key -in gateway.pem -certfile intermediate-ca.pem \
  -passout file:gateway.pw -out gateway.p12

ca backend-ca "Demo Back-end CA"
leaf backend backend-ca
cat backend.key backend.pem > backend-keystore.pem

rm -f ./*.srl
chmod 0644 ./*.pem
chmod 0600 ./*.key gateway.p12 gateway.pw backend-keystore.pem

# The chains must hold before anything uses them.
openssl verify -CAfile root-ca.pem -untrusted intermediate-ca.pem gateway.pem >/dev/null
openssl verify -CAfile backend-ca.pem backend.pem >/dev/null
