#!/bin/sh
# test-keystore-cli.sh GATEHOUSECTL — `gatehousectl keystore` on local files, as an
# administrator scripts it: results checked with openssl and keytool where they can.
# TAP output.
set -u
ctl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

n=0
failed=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
printf 'correct horse\n' > pw
printf 'wrong\n' > bad
unset GATEHOUSE_KEYSTORE_PASSWORD

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

expect 0 "genkey creates a PKCS12 keystore" -- \
  "$ctl" keystore genkey -k ks.p12 --password-file pw --alias web --san gw.example.com --san 127.0.0.1
has out "Generated “web”" "genkey says what it made"
mode=$(stat -c %a ks.p12)
if [ "$mode" = 600 ]; then ok "the keystore is mode 0600"; else not_ok "the keystore is mode $mode, not 0600"; fi

expect 0 "genkey adds an RSA entry" -- \
  "$ctl" keystore genkey -k ks.p12 --password-file pw --alias api --key-type rsa2048 --subject "CN=api.example.com,O=Example" --days 30
expect 0 "list" -- "$ctl" keystore list -k ks.p12 --password-file pw
has out "2 entries" "list counts the entries"
has out "^web  *key .*CN=gw.example.com" "list shows the ECDSA entry"
has out "^api  *key .*CN=api.example.com,O=Example" "list shows the RSA entry"

expect 0 "list --json" -- "$ctl" --json keystore list -k ks.p12 --password-file pw
has out '"alias" : "api"' "JSON names the entries"
if /usr/bin/python3 -c 'import json,sys; d=json.load(open("out")); assert [e["alias"] for e in d["entries"]] == ["web","api"]'; then
  ok "list --json is valid JSON with the entries in order"
else
  not_ok "list --json is valid JSON with the entries in order"
fi

cp out list-json-first.out
expect 0 "list --json after the command, as users type it" -- "$ctl" keystore list --json -k ks.p12 --password-file pw
if cmp -s out list-json-first.out; then ok "--json after the command gives the same JSON as before it"; else not_ok "--json after the command gives the same JSON as before it"; fi
expect 0 "list with --json among the command's options" -- "$ctl" keystore list -k ks.p12 --json --password-file pw
if cmp -s out list-json-first.out; then ok "--json among the options gives the same JSON"; else not_ok "--json among the options gives the same JSON"; fi

GATEHOUSE_KEYSTORE_PASSWORD="correct horse" expect 0 "the password comes from the environment too" -- \
  "$ctl" keystore show web -k ks.p12
has out "DNS names: *gw.example.com" "show lists the DNS names"
has out "IP addresses: *127.0.0.1" "show lists the IP addresses"
has out "ECDSA P-256" "show names the key algorithm"

openssl pkcs12 -in ks.p12 -passin pass:"correct horse" -nokeys -info >out 2>err
if grep -q "subject=CN.*=.*gw.example.com" out; then ok "openssl reads the keystore"; else not_ok "openssl reads the keystore"; fi
if command -v keytool >/dev/null; then
  keytool -list -storetype PKCS12 -keystore ks.p12 -storepass "correct horse" >out 2>err
  if grep -q "^web," out && grep -q "^api," out; then ok "keytool lists both entries"; else not_ok "keytool lists both entries"; fi
fi

expect 0 "csr for an entry" -- "$ctl" keystore csr web -k ks.p12 --password-file pw -o web.csr
openssl req -in web.csr -noout -verify -text >out 2>err
if grep -q "DNS:gw.example.com" out && grep -qi "verify OK\|Certificate request self-signature verify OK" out err; then
  ok "openssl verifies the request, which asks for the entry's names"
else
  not_ok "openssl verifies the request, which asks for the entry's names"
fi

before=$(sha256sum ks.p12)
expect 1 "a wrong password fails" -- "$ctl" keystore list -k ks.p12 --password-file bad
has err "password is wrong" "a wrong password is named as such"
expect 1 "a missing alias fails" -- "$ctl" keystore show nope -k ks.p12 --password-file pw
has err "no entry “nope”" "a missing alias is named"
expect 1 "genkey refuses a taken alias" -- "$ctl" keystore genkey -k ks.p12 --password-file pw --alias web
expect 2 "genkey refuses a bad key type" -- "$ctl" keystore genkey -k ks.p12 --password-file pw --alias x --key-type dsa
expect 2 "genkey refuses a bad subject" -- "$ctl" keystore genkey -k ks.p12 --password-file pw --alias x --subject "no equals sign"
expect 2 "genkey refuses a bad SAN" -- "$ctl" keystore genkey -k ks.p12 --password-file pw --alias x --san "two words"
expect 2 "a keystore command without --keystore is a usage error" -- "$ctl" keystore list
expect 2 "no password and no terminal is a usage error" -- "$ctl" keystore list -k ks.p12
expect 2 "passwords are not taken as arguments" -- "$ctl" keystore list -k ks.p12 --password "correct horse"
after=$(sha256sum ks.p12)
if [ "$before" = "$after" ]; then ok "failed commands left the keystore unchanged"; else not_ok "failed commands left the keystore unchanged"; fi

printf 'garbage' > garbage.p12
expect 1 "garbage is refused" -- "$ctl" keystore list -k garbage.p12 --password-file pw
has err "neither a PKCS.12 keystore nor a PEM bundle" "garbage is named as such"
head -c 300 ks.p12 > truncated.p12
expect 1 "a truncated keystore is refused" -- "$ctl" keystore list -k truncated.p12 --password-file pw
has err "truncated" "a truncated keystore is named as such"
: > empty.p12
expect 1 "an empty file is refused" -- "$ctl" keystore list -k empty.p12 --password-file pw
expect 1 "a missing file is refused" -- "$ctl" keystore list -k missing.p12 --password-file pw

expect 0 "rename" -- "$ctl" keystore rename web gateway -k ks.p12 --password-file pw
expect 0 "delete" -- "$ctl" keystore delete api -k ks.p12 --password-file pw
expect 0 "list after rename and delete" -- "$ctl" keystore list -k ks.p12 --password-file pw
has out "^gateway  *key" "the renamed entry is there"
if grep -q "^api " out; then not_ok "the deleted entry is gone"; else ok "the deleted entry is gone"; fi
expect 0 "the backup holds the state before the last change" -- "$ctl" keystore list -k ks.p12.bak --password-file pw
has out "^api  *key" "the backup still has the deleted entry"

printf 'battery staple\n' > newpw
cp ks.p12 passwd.p12
expect 0 "passwd" -- "$ctl" keystore passwd -k passwd.p12 --password-file pw --new-password-file newpw
if grep -q "Encrypting the keys again" err; then not_ok "no progress shown when not on a terminal"
else ok "no progress shown when not on a terminal"; fi
expect 0 "the new password opens the keystore" -- "$ctl" keystore list -k passwd.p12 --password-file newpw
has out "^gateway  *key" "its entries are still there"
expect 1 "the old password no longer does" -- "$ctl" keystore list -k passwd.p12 --password-file pw
expect 0 "openssl decrypts its keys with the new password" -- \
  openssl pkcs12 -in passwd.p12 -passin pass:"battery staple" -nodes -out /dev/null

expect 0 "genkey creates a PEM keystore for a .pem name" -- \
  "$ctl" keystore genkey -k ks.pem --password-file pw --alias edge --key-type ed25519
if grep -q "BEGIN ENCRYPTED PRIVATE KEY" ks.pem && ! grep -q "BEGIN PRIVATE KEY" ks.pem; then
  ok "the PEM keystore holds the key encrypted only"
else
  not_ok "the PEM keystore holds the key encrypted only"
fi
openssl pkey -in ks.pem -passin pass:"correct horse" -noout 2>err && ok "openssl decrypts the PEM keystore's key" || not_ok "openssl decrypts the PEM keystore's key"

# A CA made with openssl signs the gateway's request: the reply goes back with
# import-reply, and verify trusts the result against that CA.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -subj "/CN=Test CA" -days 30 -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
expect 0 "csr for the entry to be signed" -- "$ctl" keystore csr gateway -k ks.p12 --password-file pw -o gateway.csr
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:gw.example.com\n' > ext.cnf
openssl x509 -req -in gateway.csr -CA ca.pem -CAkey ca.key -days 10 -extfile ext.cnf -out reply.pem 2>/dev/null
cat reply.pem ca.pem > reply-chain.pem
expect 1 "verify before the reply: self-signed, not trusted" -- "$ctl" keystore verify gateway -k ks.p12 --password-file pw --truststore ca.pem
expect 0 "import-reply installs the CA's reply" -- "$ctl" keystore import-reply gateway reply-chain.pem -k ks.p12 --password-file pw
has out "issued by CN=Test CA, chain of 2" "import-reply says what it installed"
expect 0 "verify after the reply: trusted against the CA" -- "$ctl" keystore verify gateway -k ks.p12 --password-file pw --truststore ca.pem --host gw.example.com
has out "Trusted." "verify says so"
expect 1 "verify with another host name: not trusted" -- "$ctl" keystore verify gateway -k ks.p12 --password-file pw --truststore ca.pem --host other.example.com
has out "error:" "verify names the problem"
expect 0 "verify --json" -- "$ctl" --json keystore verify gateway -k ks.p12 --password-file pw --truststore ca.pem
if /usr/bin/python3 -c 'import json; d=json.load(open("out")); assert d["trusted"] and [l["role"] for l in d["links"]][0] == "leaf"'; then
  ok "verify --json is valid JSON with the links"
else
  not_ok "verify --json is valid JSON with the links"
fi
expect 1 "a reply for another key is refused" -- "$ctl" keystore import-reply gateway ca.pem -k ks.p12 --password-file pw

# Export in every format, read back by openssl.
expect 0 "export the chain as PEM" -- "$ctl" keystore export gateway --chain -k ks.p12 --password-file pw -o chain.pem
if [ "$(grep -c 'BEGIN CERTIFICATE' chain.pem)" = 2 ]; then ok "the PEM chain has both certificates"; else not_ok "the PEM chain has both certificates"; fi
expect 0 "export DER" -- "$ctl" keystore export gateway --format der -k ks.p12 --password-file pw -o leaf.der
openssl x509 -inform DER -in leaf.der -noout -subject >out 2>err
has out "CN *= *gw.example.com" "openssl reads the DER export"
expect 0 "export PKCS7 with the chain" -- "$ctl" keystore export gateway --format p7 --chain -k ks.p12 --password-file pw -o chain.p7b
openssl pkcs7 -inform DER -in chain.p7b -print_certs -noout >out 2>err
if [ "$(grep -c 'subject=' out)" = 2 ]; then ok "openssl reads both certificates of the PKCS7"; else not_ok "openssl reads both certificates of the PKCS7"; fi
printf 'export secret\n' > epw
expect 0 "export PKCS12 (compatible profile)" -- "$ctl" keystore export gateway --format p12 --profile compatible -k ks.p12 --password-file pw --output-password-file epw -o gateway.p12
mode=$(stat -c %a gateway.p12)
if [ "$mode" = 600 ]; then ok "the PKCS12 export is mode 0600"; else not_ok "the PKCS12 export is mode $mode, not 0600"; fi
openssl pkcs12 -in gateway.p12 -passin pass:"export secret" -info -nokeys -noout >out 2>err || openssl pkcs12 -legacy -in gateway.p12 -passin pass:"export secret" -info -nokeys -noout >out 2>err
has err "SHA1\|sha1\|3DES\|pbeWithSHA1And3-KeyTripleDES" "the compatible profile uses 3DES and SHA-1"
expect 2 "a binary export needs --output or a redirect" -- sh -c "\"$ctl\" keystore export gateway --format der -k ks.p12 --password-file pw > /dev/tty" 2>/dev/null || true
expect 2 "an unknown export format is a usage error" -- "$ctl" keystore export gateway --format jks -k ks.p12 --password-file pw

# Import: preview without change, then a real import of a PKCS12 from openssl.
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -subj "/CN=other.example.com" -days 5 2>/dev/null
openssl pkcs12 -export -in other.pem -inkey other.key -name other -passout pass:p12pass -out other.p12 2>/dev/null
printf 'p12pass\n' > p12pw
before=$(sha256sum ks.p12)
expect 0 "import --dry-run previews" -- "$ctl" keystore import other.p12 --dry-run --source-password-file p12pw -k ks.p12 --password-file pw
has out "key entry “other”" "the preview shows the key entry"
after=$(sha256sum ks.p12)
if [ "$before" = "$after" ]; then ok "a dry run changes nothing"; else not_ok "a dry run changes nothing"; fi
expect 1 "import with a wrong source password fails" -- env GATEHOUSE_SOURCE_PASSWORD=nope "$ctl" keystore import other.p12 -k ks.p12 --password-file pw
expect 0 "import a PKCS12 from openssl" -- "$ctl" keystore import other.p12 --source-password-file p12pw -k ks.p12 --password-file pw
expect 0 "list after import" -- "$ctl" keystore list -k ks.p12 --password-file pw
has out "^other  *key .*CN=other.example.com" "the imported entry is listed"
expect 0 "import a CA certificate as trusted" -- "$ctl" keystore import ca.pem --alias test-ca -k ks.p12 --password-file pw
expect 0 "list after the trusted import" -- "$ctl" keystore list -k ks.p12 --password-file pw
has out "^test-ca  *trusted" "the CA is a trusted entry"
expect 1 "importing garbage fails" -- "$ctl" keystore import garbage.p12 -k ks.p12 --password-file pw

echo "1..$n"
[ "$failed" -eq 0 ]
