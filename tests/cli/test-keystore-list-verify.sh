#!/bin/sh
# test-keystore-list-verify.sh GATEHOUSECTL — `gatehousectl keystore list --verify` on
# keystores that openssl, keytool and certtool wrote: a chain that verifies against
# the truststore, one that expired, one from another CA. TAP output.
set -u
ctl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

n=0
failed=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
pass='correct horse'
printf '%s\n' "$pass" > pw
unset GATEHOUSE_KEYSTORE_PASSWORD GATEHOUSE_TRUSTSTORE_PASSWORD

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ -f out ] && sed 's/^/# /' out; [ -f err ] && sed 's/^/# /' err; }
# expect STATUS DESCRIPTION -- COMMAND…: runs COMMAND with stdout in ./out, stderr in ./err
expect () {
  want=$1 desc=$2
  shift 3
  "$@" >out 2>err </dev/null
  got=$?
  if [ "$got" -eq "$want" ]; then ok "$desc"; else not_ok "$desc (exit status $got, expected $want)"; fi
}
has () { if grep -q -- "$2" "$1"; then ok "$3"; else not_ok "$3 ($1 lacks “$2”)"; fi; }
lacks () { if grep -q -- "$2" "$1"; then not_ok "$3 ($1 has “$2”)"; else ok "$3"; fi; }

# Two CAs: the truststore's and another one.
for ca in ca other-ca; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $ca.key -out $ca.pem \
    -subj "/CN=$ca" -days 30 -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
done
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' > ext.cnf
# leaf NAME CA [X509 OPTIONS…]: NAME.key, and NAME-chain.pem (the leaf, then its CA)
leaf () {
  name=$1 ca=$2
  shift 2
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" \
    -subj "/CN=$name.example.com" -out "$name.csr" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca.key" -extfile ext.cnf "$@" -out "$name.pem" 2>/dev/null
  cat "$name.pem" "$ca.pem" > "$name-chain.pem"
}
leaf good ca -days 10
leaf expired ca -not_before 20200101000000Z -not_after 20210101000000Z
leaf stranger other-ca -days 10
if [ -s good.pem ] && [ -s expired.pem ] && [ -s stranger.pem ]; then ok "openssl made the leaves"; else not_ok "openssl made the leaves"; fi

# openssl writes one key entry per file.
for name in good expired stranger; do
  openssl pkcs12 -export -inkey $name.key -in $name-chain.pem -name $name -passout "pass:$pass" -out openssl-$name.p12
done

expect 0 "list --verify of openssl's keystore with a chain that verifies" -- \
  "$ctl" keystore list --verify --truststore ca.pem -k openssl-good.p12 --password-file pw
has out "^good  *key .* trusted$" "the entry's chain is trusted"
has out "CHAIN" "the list has a chain column"
expect 1 "list --verify of openssl's keystore with an expired chain fails" -- \
  "$ctl" keystore list --verify --truststore ca.pem -k openssl-expired.p12 --password-file pw
has out "^expired  *key .* not trusted: .*expired on 2021-01-01" "the entry says its certificate expired, and when"
has err "1 key entry of 1 has a chain that is not trusted" "the failure counts the chains not trusted"
expect 1 "list --verify of openssl's keystore from another CA fails" -- \
  "$ctl" keystore list --verify --truststore ca.pem -k openssl-stranger.p12 --password-file pw
has out "^stranger  *key .* not trusted: .*other-ca.*not a trusted" "the entry names the root that is not trusted"
expect 0 "the same chain verifies against its own CA" -- \
  "$ctl" keystore list --verify --truststore other-ca.pem -k openssl-stranger.p12 --password-file pw
has out "^stranger  *key .* trusted$" "against other-ca the entry is trusted"

# keytool: the three entries in one keystore it wrote.
if command -v keytool >/dev/null; then
  for name in good expired stranger; do
    keytool -importkeystore -noprompt -srckeystore openssl-$name.p12 -srcstoretype PKCS12 -srcstorepass "$pass" \
      -destkeystore keytool.p12 -deststoretype PKCS12 -deststorepass "$pass" >/dev/null 2>&1
  done
  keytool -list -storetype PKCS12 -keystore keytool.p12 -storepass "$pass" >out 2>err
  if [ "$(grep -c PrivateKeyEntry out)" = 3 ]; then ok "keytool wrote a keystore of three key entries"; else not_ok "keytool wrote a keystore of three key entries"; fi
  expect 1 "list --verify of keytool's keystore fails: two chains are not trusted" -- \
    "$ctl" keystore list --verify --truststore ca.pem -k keytool.p12 --password-file pw
  has out "^good  *key .* trusted$" "keytool's good entry is trusted"
  has out "^expired  *key .* not trusted: .*expired on" "keytool's expired entry says it expired"
  has out "^stranger  *key .* not trusted: .*not a trusted" "keytool's entry from another CA says so"
  has err "2 key entries of 3 have chains that are not trusted" "the failure counts two of three"
  expect 1 "list --verify --json of keytool's keystore" -- \
    "$ctl" --json keystore list --verify --truststore ca.pem -k keytool.p12 --password-file pw
  if /usr/bin/python3 - <<'EOF'
import json
d = {e["alias"]: e for e in json.load(open("out"))["entries"]}
assert d["good"]["trusted"] is True and "problem" not in d["good"], d["good"]
assert d["expired"]["trusted"] is False and "expired on" in d["expired"]["problem"], d["expired"]
assert d["stranger"]["trusted"] is False and "other-ca" in d["stranger"]["problem"], d["stranger"]
EOF
  then ok "the JSON says per entry whether it is trusted, and why not"; else not_ok "the JSON says per entry whether it is trusted, and why not"; fi
  keytool -delete -alias expired -storetype PKCS12 -keystore keytool.p12 -storepass "$pass" >/dev/null 2>&1
  keytool -delete -alias stranger -storetype PKCS12 -keystore keytool.p12 -storepass "$pass" >/dev/null 2>&1
  expect 0 "list --verify of keytool's keystore once keytool deleted the two" -- \
    "$ctl" keystore list --verify --truststore ca.pem -k keytool.p12 --password-file pw
  has out "^good  *key .* trusted$" "the one left is trusted"
else
  echo "# keytool is missing: its keystore is not tested"
fi

# certtool writes one key entry per file, as openssl does.
for name in good expired; do
  certtool --to-p12 --load-privkey $name.key --load-certificate $name-chain.pem --p12-name $name \
    --password "$pass" --outder --outfile certtool-$name.p12 >/dev/null 2>&1
done
expect 0 "list --verify of certtool's keystore with a chain that verifies" -- \
  "$ctl" keystore list --verify --truststore ca.pem -k certtool-good.p12 --password-file pw
has out "^good  *key .* trusted$" "certtool's entry is trusted"
expect 1 "list --verify of certtool's keystore with an expired chain fails" -- \
  "$ctl" keystore list --verify --truststore ca.pem -k certtool-expired.p12 --password-file pw
has out "^expired  *key .* not trusted: .*expired on" "certtool's expired entry says so"

# The truststore by default: the keystore's own trusted entries, else a usage error.
expect 2 "list --verify without --truststore of a keystore that trusts nothing" -- \
  "$ctl" keystore list --verify -k openssl-good.p12 --password-file pw
has err "give --truststore FILE" "the error says what to give"
cp openssl-good.p12 own.p12
expect 0 "the CA imported as a trusted entry" -- "$ctl" keystore import ca.pem --alias root -k own.p12 --password-file pw
expect 0 "list --verify against the keystore's own trusted entry" -- \
  "$ctl" keystore list --verify -k own.p12 --password-file pw
has out "^good  *key .* trusted$" "the key entry is trusted by the keystore's own CA"
has out "^root  *trusted " "the trusted entry is listed"

expect 0 "list without --verify says nothing about chains" -- "$ctl" keystore list --truststore ca.pem -k openssl-expired.p12 --password-file pw
lacks out "CHAIN\|trusted" "no chain column without --verify"
expect 1 "list --verify with a truststore that is not there" -- \
  "$ctl" keystore list --verify --truststore missing.pem -k openssl-good.p12 --password-file pw
has err "missing.pem" "the error names the truststore"
expect 2 "list --verify on a gateway is a usage error" -- \
  "$ctl" --gateway https://127.0.0.1:1 keystore list --verify

echo "1..$n"
[ "$failed" -eq 0 ]
