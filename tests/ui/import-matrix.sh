#!/bin/sh
# tests/ui/import-matrix.sh DIR — the files of test-import-matrix.c, written fresh by the
# tools our users have (no key is ever committed). Every password is "matrix secret".
# DIR gets:
#   openssl-modern.p12   openssl pkcs12 (AES-256, SHA-256 MAC): "Matrix OpenSSL" + its CA
#   openssl-legacy.p12   openssl pkcs12 -legacy (3DES, RC2, SHA-1 MAC): the same
#   openssl-pair.pem     PEM: the key (PKCS#8) and the certificate
#   openssl-pkcs8.pem    PEM: the key as encrypted PKCS#8 (AES-256), the certificate, the CA
#   openssl-ca.der       DER: the CA's certificate alone
#   openssl-chain.p7b    PKCS#7 (DER): two CA certificates, "Matrix Other CA" and "Matrix Third CA"
#   certtool.p12         certtool --to-p12: "Matrix certtool" (ECDSA P-384) + the CA
#   certtool.pem         certtool: key and certificate of "Matrix certtool PEM" (RSA 3072)
#   keytool-rsa.p12      keytool -genkeypair RSA 2048, "Matrix keytool RSA", self-signed
#   keytool-ec.p12       keytool -genkeypair EC secp256r1, "Matrix keytool EC", self-signed
#   truncated.p12        the first 600 bytes of openssl-modern.p12
#   mismatch.pem         the key of openssl-pair.pem with the certificate of certtool.pem
#   noise.bin            20 KB of random bytes
set -eu
dir=$1
pass="matrix secret"
umask 077
mkdir -p "$dir"
cd "$dir"

# The CA, and a certificate for a server it issues (openssl).
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
printf '[req]\ndistinguished_name = dn\n[dn]\n[v3]\nbasicConstraints = critical, CA:true\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n' > ca.cnf
openssl req -new -x509 -key ca.key -subj "/CN=Matrix Root CA" -days 365 -config ca.cnf -extensions v3 -out ca.pem
openssl req -new -x509 -key ca.key -subj "/CN=Matrix Other CA" -days 365 -config ca.cnf -extensions v3 -out other-ca.pem
openssl req -new -x509 -key ca.key -subj "/CN=Matrix Third CA" -days 365 -config ca.cnf -extensions v3 -out third-ca.pem
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key
openssl req -new -key server.key -subj "/CN=Matrix OpenSSL" -out server.csr 2>/dev/null
printf 'basicConstraints = CA:false\nsubjectAltName = DNS:matrix.test\nextendedKeyUsage = serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 90 -extfile server.ext -out server.pem 2>/dev/null

openssl pkcs12 -export -inkey server.key -in server.pem -certfile ca.pem -name openssl-modern \
  -passout "pass:$pass" -out openssl-modern.p12
openssl pkcs12 -export -legacy -inkey server.key -in server.pem -certfile ca.pem -name openssl-legacy \
  -passout "pass:$pass" -out openssl-legacy.p12
cat server.key server.pem > openssl-pair.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -in server.key -passout "pass:$pass" -out server-p8.key
cat server-p8.key server.pem ca.pem > openssl-pkcs8.pem
openssl x509 -in ca.pem -outform DER -out openssl-ca.der
cat other-ca.pem third-ca.pem > cas.pem
openssl crl2pkcs7 -nocrl -certfile cas.pem -outform DER -out openssl-chain.p7b

# certtool (GnuTLS).
certtool --generate-privkey --key-type ecdsa --curve secp384r1 --outfile certtool.key 2>/dev/null
printf 'cn = "Matrix certtool"\ndns_name = "matrix.test"\ntls_www_server\nexpiration_days = 90\n' > certtool.tmpl
certtool --generate-certificate --load-privkey certtool.key --load-ca-certificate ca.pem --load-ca-privkey ca.key \
  --template certtool.tmpl --outfile certtool.crt 2>/dev/null
cat certtool.crt ca.pem > certtool-chain.pem
certtool --to-p12 --load-privkey certtool.key --load-certificate certtool-chain.pem --p12-name certtool \
  --password "$pass" --outder --outfile certtool.p12 2>/dev/null
certtool --generate-privkey --key-type rsa --bits 3072 --outfile certtool-pem.key 2>/dev/null
printf 'cn = "Matrix certtool PEM"\ndns_name = "matrix.test"\ntls_www_server\nexpiration_days = 90\n' > certtool-pem.tmpl
certtool --generate-self-signed --load-privkey certtool-pem.key --template certtool-pem.tmpl \
  --outfile certtool-pem.crt 2>/dev/null
cat certtool-pem.key certtool-pem.crt > certtool.pem

# Java keytool.
keytool -genkeypair -alias keytool-rsa -keyalg RSA -keysize 2048 -dname "CN=Matrix keytool RSA" -validity 90 \
  -storetype PKCS12 -keystore keytool-rsa.p12 -storepass "$pass" -keypass "$pass" 2>/dev/null
keytool -genkeypair -alias keytool-ec -keyalg EC -groupname secp256r1 -dname "CN=Matrix keytool EC" -validity 90 \
  -storetype PKCS12 -keystore keytool-ec.p12 -storepass "$pass" -keypass "$pass" 2>/dev/null

# What goes wrong.
head -c 600 openssl-modern.p12 > truncated.p12
cat server.key certtool-pem.crt > mismatch.pem
head -c 20480 /dev/urandom > noise.bin
