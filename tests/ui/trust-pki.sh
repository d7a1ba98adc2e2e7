#!/bin/sh
# tests/ui/trust-pki.sh DIR — the PKI of test-trust.c, made fresh with openssl (no key
# is ever committed). DIR gets (keys mode 0600):
#   gateway-ca.pem            "Trust Test Gateway CA": issues the gateway's certificates
#   gateway-expired.pem       key + certificate for localhost that expired in 2021
#   gateway-good.pem          key + certificate for localhost, valid for a year
#   backend-ca.pem            "Trust Test Back-end CA", trusted by the gateway
#   backend.pem/.key          localhost, issued by it: the good back-end
#   wronghost.pem/.key        elsewhere.test, issued by it: a back-end with the wrong name
#   stranger-ca.pem           "Trust Test Stranger CA", not trusted
#   stranger.pem/.key         localhost, issued by it; stranger-chain.pem: both
#   root-ca.pem               "Trust Test Root CA", trusted
#   intermediate-ca.pem       "Trust Test Intermediate CA", issued by the root, not trusted
#   leaf-of-intermediate.pem/.key   localhost, issued by the intermediate (sent alone)
set -eu
dir=$1
umask 077
mkdir -p "$dir"
cd "$dir"

key () { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }

# ca NAME "COMMON NAME" [ISSUER]
ca () {
  key "$1"
  printf 'basicConstraints = critical, CA:true\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n' > "$1.ext"
  if [ -z "${3:-}" ]; then
    printf '[req]\ndistinguished_name = dn\n[dn]\n[v3]\n' | cat - "$1.ext" > "$1.cnf"
    openssl req -new -x509 -key "$1.key" -subj "/CN=$2" -days 365 -sha256 -config "$1.cnf" -extensions v3 \
      -out "$1.pem"
    rm -f "$1.cnf"
  else
    echo 'authorityKeyIdentifier = keyid:always' >> "$1.ext"
    openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days 365 -sha256 \
      -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  fi
  rm -f "$1.ext" "$1.csr"
}

# leaf NAME HOST ISSUER [openssl x509 validity options…]
leaf () {
  name=$1 host=$2 issuer=$3
  shift 3
  key "$name"
  san="DNS:$host"
  [ "$host" = localhost ] && san="$san, IP:127.0.0.1"
  cat > "$name.ext" <<EXT
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = $san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EXT
  openssl req -new -key "$name.key" -subj "/CN=$host" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial -sha256 \
    -extfile "$name.ext" -out "$name.pem" "$@" 2>/dev/null
  rm -f "$name.ext" "$name.csr"
}

ca gateway-ca "Trust Test Gateway CA"
leaf expired localhost gateway-ca -not_before 20200101000000Z -not_after 20210101000000Z
cat expired.key expired.pem gateway-ca.pem > gateway-expired.pem
leaf good localhost gateway-ca -days 365
cat good.key good.pem gateway-ca.pem > gateway-good.pem

ca backend-ca "Trust Test Back-end CA"
leaf backend localhost backend-ca -days 365
leaf wronghost elsewhere.test backend-ca -days 365

ca stranger-ca "Trust Test Stranger CA"
leaf stranger localhost stranger-ca -days 365
cat stranger.pem stranger-ca.pem > stranger-chain.pem

ca root-ca "Trust Test Root CA"
ca intermediate-ca "Trust Test Intermediate CA" root-ca
leaf leaf-of-intermediate localhost intermediate-ca -days 365

# A revoked back-end: the Back-end CA's database records the leaf as revoked, then
# the CA publishes its list.
leaf revoked localhost backend-ca -days 365
mkdir -p backend-ca.db
: > backend-ca.db/index.txt
echo 1000 > backend-ca.db/crlnumber
cat > backend-ca.cnf <<CNF
[ca]
default_ca = backend
[backend]
database = backend-ca.db/index.txt
crlnumber = backend-ca.db/crlnumber
certificate = backend-ca.pem
private_key = backend-ca.key
default_md = sha256
default_crl_days = 30
CNF
openssl ca -config backend-ca.cnf -revoke revoked.pem -batch 2>/dev/null
openssl ca -config backend-ca.cnf -gencrl -out backend-ca.crl -batch 2>/dev/null
rm -rf backend-ca.cnf backend-ca.db

rm -f ./*.srl
