#!/usr/bin/env bash
# tests/bench/bench-keystore.sh BUILDDIR N… — listing, verifying and adding to
# generated keystores of N entries: Gatehouse beside keytool, openssl and certtool.
#
#   make bench                                   (BENCH_ENTRIES="1000 10000")
#   build-aux/env-run tests/bench/bench-keystore.sh _build-bench 1000 10000
#
# For each N and each set — ecdsa2: ECDSA P-256 leaves signed by the root (chains of
# 2); rsa3: RSA 2048 leaves signed by an intermediate (chains of 3), for N ≤
# BENCH_RSA_MAX (1000: RSA key generation is slow) — tests/bench/make-keystore writes
# (once; kept in BUILDDIR/bench/N-SET) one CA and N key entries, and:
#   keystore-k10000.p12      each key a PBES2 bag of 10,000 PBKDF2 iterations, as keytool
#                            writes them by default (BENCH_KEY_ITERATIONS)
#   keystore-keytool.p12     that keystore written again by Java's keytool
#                            (-importkeystore), at its default iteration counts
#   keystore-keytool600k.p12 the same at 600,000 iterations (keys, certificates, MAC),
#                            with BENCH_JAVA_600K=1 (Java takes minutes to write it)
#   keystore-modern.p12      saved by gh_keystore_save(), modern and compatible profiles
#   keystore-compatible.p12  (600,000 iterations for each key, the certificates' bag and
#                            the MAC), for N ≤ BENCH_LIBRARY_MAX (1000)
#   keystore.pem             the k10000 keystore as a PEM bundle by `openssl pkcs12`
#                            (Bag Attributes, each key encrypted PKCS#8 with its defaults)
# openssl writes one key entry per PKCS#12 (`openssl pkcs12 -export -inkey`): it cannot
# write these keystores, so it is timed as a reader only.
# Timed with /usr/bin/time, as medians of BENCH_RUNS runs (1 run for the slow cases):
# wall time, CPU time (user + system) and peak RSS:
#   list:   Gatehouse (tests/bench/bench-list list: open, read every field of every
#           entry, no key decrypted, as keytool -list), gatehousectl keystore list,
#           keytool -list, openssl pkcs12 -info -noout -nokeys, certtool --p12-info
#           (which prints at most 32 elements of each bag: when it printed fewer
#           certificates than there are entries, its row says how many and has no ratio)
#   list of the PEM bundle: Gatehouse, gatehousectl, openssl storeutl -certs
#   add:    one key entry (a one-entry PKCS#12) added to a copy of the keystore and
#           saved: Gatehouse (bench-list add) and keytool -importkeystore
#   verify: each leaf against the CA: Gatehouse (GhTrustChain; and GnuTLS's trust list
#           directly), openssl verify (all leaves in one run), certtool --verify (one
#           run per leaf: it verifies one chain per run)
#   list + verify: list the keystore and verify every key entry's chain against the
#           truststore ca.pem, for a TLS server, as a user would: Gatehouse (gatehousectl
#           keystore list --verify --truststore: the truststore read once, one
#           GhTrustChain per key entry; exit status 1 when a chain is not trusted);
#           openssl pkcs12 -nokeys, its certificates split into leaves (those with a
#           localKeyID) and the other certificates, then openssl verify -untrusted
#           OTHERS of all leaves in one run, and in one run per leaf (up to
#           BENCH_CERTTOOL_LEAVES_MAX); the same split, then certtool --verify of each
#           leaf and the others (one run per chain, up to BENCH_CERTTOOL_LEAVES_MAX;
#           certtool --p12-info prints only 32 elements of each bag, so it cannot do the
#           listing); keytool -list, which has no chain verification: the list part only
# BENCH_OPS picks the operations (default: "list add pem verify list-verify").
# Ratio = peer time / Gatehouse time (above 1: Gatehouse is faster). The table goes to
# stdout and BUILDDIR/bench/results.md. Benchmarks are not tests: nothing here fails on
# a time.
set -euo pipefail

builddir=${1:?usage: bench-keystore.sh BUILDDIR N…}
shift
[ $# -gt 0 ] || set -- 1000 10000
runs=${BENCH_RUNS:-3}
rsa_max=${BENCH_RSA_MAX:-1000}
java_600k=${BENCH_JAVA_600K:-0}
library_max=${BENCH_LIBRARY_MAX:-1000}
key_iterations=${BENCH_KEY_ITERATIONS:-10000}
slow_entries=${BENCH_SLOW_ENTRIES:-10000}   # from this N on, one run per command
certtool_leaves_max=${BENCH_CERTTOOL_LEAVES_MAX:-1000}  # certtool --verify once per leaf: up to this N
ops=" ${BENCH_OPS:-list add pem verify list-verify} "

builddir=$(cd "$builddir" && pwd)
make_keystore=$builddir/tests/bench/make-keystore
bench_list=$builddir/tests/bench/bench-list
ctl=$builddir/src/cli/gatehousectl
out=$builddir/bench
results=$out/results.tsv
mkdir -p "$out"
: > "$results"

for tool in keytool openssl certtool /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (build-aux/env-run provides it)" >&2; exit 1; }
done
[ -x "$make_keystore" ] && [ -x "$bench_list" ] || { echo "bench: build $builddir first" >&2; exit 1; }

log () { printf 'bench: %s\n' "$*" >&2; }
want () { [[ $ops == *" $1 "* ]]; }

# The certificates that `openssl pkcs12 -nokeys` or `certtool --p12-info` print, split
# into DIR/leaf-NNNNN.pem (a certificate whose bag has a localKeyID: a key entry's) and
# DIR/others.pem (every other certificate, once): the untrusted pool of the chains.
split_awk=$out/split-chains.awk
cat > "$split_awk" <<'AWK'
/^Bag Attributes|Type: Certificate/ { leaf = 0 }
/localKeyID:|Key ID:/ { leaf = 1 }
/-----BEGIN CERTIFICATE-----/ { pem = ""; on = 1 }
on { pem = pem $0 "\n" }
/-----END CERTIFICATE-----/ {
  on = 0
  if (leaf) { f = sprintf("%s/leaf-%05d.pem", d, ++n); printf "%s", pem > f; close(f) }
  else if (!(pem in seen)) { seen[pem] = 1; printf "%s", pem > (d "/others.pem") }
}
AWK

# measure N FILE-LABEL OPERATION TOOL RUNS COMMAND [partial] — one row of results.tsv:
# the medians of RUNS runs (after one unmeasured run when RUNS > 1) of the wall time and
# of the CPU time (user + system, the command's and its children's), and the peak RSS.
# On a shared machine the wall time of a run depends on what else runs; the CPU time
# much less. "partial": the tool did less than the operation, shown without a ratio.
measure () {
  local n=$1 label=$2 op=$3 tool=$4 count=$5 cmd=$6 status=${7:-ok} tfile walls=() cpus=() i rss
  tfile=$(mktemp)
  log "$n $label $op: $tool ($count run(s))"
  [ "$count" -gt 1 ] && { sh -c "$cmd" >/dev/null 2>&1 || true; }
  for ((i = 0; i < count; i++)); do
    if ! /usr/bin/time -f '%e %U %S %M' -o "$tfile" sh -c "$cmd" >/dev/null 2>&1; then status=failed; fi
    walls+=("$(awk 'END { print $1 }' "$tfile")")
    cpus+=("$(awk 'END { print $2 + $3 }' "$tfile")")
    rss=$(awk 'END { printf "%.1f", $4 / 1024 }' "$tfile")
  done
  rm -f "$tfile"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$op" "$tool" "$(median "${walls[@]}")" "$rss" "$count" \
    "$status" "$(median "${cpus[@]}")" >> "$results"
}
median () { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# One key entry to add, as openssl writes it.
one=$out/one-entry
if [ ! -f "$one/one.p12" ]; then
  mkdir -p "$one"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$one/key.pem" -out "$one/cert.pem" \
    -subj /CN=added.bench.example.com -days 30 2>/dev/null
fi

for n in "$@"; do
 for set in ecdsa2 rsa3; do
  case $set in
    ecdsa2) type=ecdsa chain=2 ;;
    rsa3)   type=rsa chain=3; [ "$n" -le "$rsa_max" ] || continue ;;
  esac
  dir=$out/$n-$set
  pw=$(cat "$dir/password" 2>/dev/null || true)
  kfile=$dir/keystore-k$key_iterations.p12
  library=
  [ "$n" -le "$library_max" ] && library=--library
  if [ ! -f "$kfile" ] || { [ -n "$library" ] && [ ! -f "$dir/keystore-compatible.p12" ]; }; then
    log "generating $n entries ($set) in $dir"
    rm -rf "$dir"
    "$make_keystore" --entries "$n" --dir "$dir" --key-iterations "$key_iterations" --key-type $type --chain $chain $library
    pw=$(cat "$dir/password")
  fi
  if [ ! -f "$dir/keystore-keytool.p12" ]; then
    log "keytool writes $n entries ($set)"
    keytool -importkeystore -noprompt -srckeystore "$kfile" -srcstoretype PKCS12 -srcstorepass "$pw" \
      -destkeystore "$dir/keystore-keytool.p12" -deststoretype PKCS12 -deststorepass "$pw" >/dev/null
  fi
  if [ "$java_600k" = 1 ] && [ ! -f "$dir/keystore-keytool600k.p12" ]; then
    log "keytool writes $n entries ($set) at 600,000 iterations"
    keytool -J-Dkeystore.pkcs12.keyPbeIterationCount=600000 -J-Dkeystore.pkcs12.certPbeIterationCount=600000 \
      -J-Dkeystore.pkcs12.macIterationCount=600000 \
      -importkeystore -noprompt -srckeystore "$kfile" -srcstoretype PKCS12 -srcstorepass "$pw" \
      -destkeystore "$dir/keystore-keytool600k.p12" -deststoretype PKCS12 -deststorepass "$pw" >/dev/null
  fi
  if [ ! -f "$one/one-$n-$set.p12" ]; then
    openssl pkcs12 -export -inkey "$one/key.pem" -in "$one/cert.pem" -name added-one -passout "pass:$pw" \
      -out "$one/one-$n-$set.p12"
  fi

  count=$runs
  [ "$n" -ge "$slow_entries" ] && count=1

  files=("$set k$key_iterations:$kfile" "$set keytool:$dir/keystore-keytool.p12")
  [ -f "$dir/keystore-keytool600k.p12" ] && files+=("$set keytool 600k:$dir/keystore-keytool600k.p12")
  if [ -n "$library" ]; then
    files+=("$set modern:$dir/keystore-modern.p12" "$set compatible:$dir/keystore-compatible.p12")
  fi

  for entry in "${files[@]}"; do
    label=${entry%%:*}
    file=${entry#*:}
    c=$count
    legacy=
    if ! openssl pkcs12 -info -noout -nokeys -nocerts -in "$file" -passin "pass:$pw" >/dev/null 2>&1; then
      legacy=-legacy
    fi

    if want list; then
      measure "$n" "$label" list Gatehouse "$c" "'$bench_list' list '$file' '$dir/password'"
      if "$ctl" keystore list --keystore "$file" --password-file "$dir/password" >/dev/null 2>&1; then
        measure "$n" "$label" list gatehousectl "$c" "'$ctl' keystore list --keystore '$file' --password-file '$dir/password'"
      fi
      measure "$n" "$label" list keytool "$c" "keytool -list -storetype PKCS12 -keystore '$file' -storepass '$pw'"
      measure "$n" "$label" list "openssl${legacy:+ $legacy}" "$c" "openssl pkcs12 $legacy -info -noout -nokeys -in '$file' -passin 'pass:$pw'"
      # certtool --p12-info prints at most 32 elements of each bag (GnuTLS's PKCS#12 bag
      # holds no more, and certtool has no option to go on), and still exits 0: its
      # row names how many certificates it printed, and has no ratio when that is fewer
      # than the keystore's key entries (it did not list the keystore).
      printed=$(certtool --p12-info --inder --password "$pw" --infile "$file" 2>/dev/null | grep -c -- '-----BEGIN CERTIFICATE-----' || true)
      if [ "$printed" -ge "$n" ]; then
        measure "$n" "$label" list certtool "$c" "certtool --p12-info --inder --password '$pw' --infile '$file'"
      else
        measure "$n" "$label" list "certtool --p12-info (printed $printed certificates: not a listing, no ratio)" "$c" \
          "certtool --p12-info --inder --password '$pw' --infile '$file'" partial
      fi
    fi

    if want list-verify; then
      # Each peer's command lists (prints every certificate), splits, verifies; a
      # chain that does not verify, or fewer leaves than entries, fails the row.
      # certtool --p12-info prints only the first 32 elements of each bag (GnuTLS's
      # PKCS#12 bag holds at most 32), so certtool verifies what openssl extracts.
      split="d=\$(mktemp -d -p '$out') && trap 'rm -rf \"\$d\"' EXIT && openssl pkcs12 $legacy -nokeys -in '$file' -passin 'pass:$pw' | awk -v d=\"\$d\" -f '$split_awk' && [ \$(ls \"\$d\" | grep -c '^leaf-') = $n ]"
      verify_ossl="openssl verify -purpose sslserver -CAfile '$dir/ca.pem' -untrusted \"\$d/others.pem\""
      measure "$n" "$label" "list + verify" Gatehouse "$c" \
        "'$ctl' keystore list --verify --truststore '$dir/ca.pem' --keystore '$file' --password-file '$dir/password'"
      measure "$n" "$label" "list + verify" "keytool -list (no chain verification: list part only)" "$c" \
        "keytool -list -storetype PKCS12 -keystore '$file' -storepass '$pw'"
      measure "$n" "$label" "list + verify" "openssl${legacy:+ $legacy} (verify: 1 run)" "$c" \
        "$split && $verify_ossl \"\$d\"/leaf-*.pem"
      if [ "$n" -le "$certtool_leaves_max" ]; then
        measure "$n" "$label" "list + verify" "openssl${legacy:+ $legacy} (verify: 1 run per chain)" 1 \
          "$split && for f in \"\$d\"/leaf-*.pem; do $verify_ossl \"\$f\" || exit 1; done"
        measure "$n" "$label" "list + verify" "openssl pkcs12 + certtool (verify: 1 run per chain)" 1 \
          "$split && for f in \"\$d\"/leaf-*.pem; do cat \"\$f\" \"\$d/others.pem\" | certtool --verify --load-ca-certificate '$dir/ca.pem' --verify-purpose 1.3.6.1.5.5.7.3.1 --verify-profile medium || exit 1; done"
      fi
    fi

    if want add; then
      copy=$dir/add-copy.p12
      measure "$n" "$label" "add one" Gatehouse "$c" \
        "cp '$file' '$copy' && '$bench_list' add '$copy' '$dir/password' '$one/one-$n-$set.p12'"
      measure "$n" "$label" "add one" keytool "$c" \
        "cp '$file' '$copy' && keytool -importkeystore -noprompt -srckeystore '$one/one-$n-$set.p12' -srcstoretype PKCS12 -srcstorepass '$pw' -destkeystore '$copy' -deststoretype PKCS12 -deststorepass '$pw'"
      rm -f "$copy" "$copy.bak"
    fi
  done

  # The same entries as a PEM bundle, keys encrypted as openssl does by default.
  if want pem; then
    if [ ! -f "$dir/keystore.pem" ]; then
      openssl pkcs12 -in "$kfile" -passin "pass:$pw" -passout "pass:$pw" -out "$dir/keystore.pem"
    fi
    measure "$n" "$set pem" list Gatehouse "$count" "'$bench_list' list '$dir/keystore.pem' '$dir/password'"
    measure "$n" "$set pem" list gatehousectl "$count" \
      "'$ctl' keystore list --keystore '$dir/keystore.pem' --password-file '$dir/password'"
    measure "$n" "$set pem" list "openssl storeutl" "$count" \
      "openssl storeutl -noout -certs -passin 'pass:$pw' '$dir/keystore.pem'"
  fi

  # The leaves against the CA: chains of 2 only (the intermediate is not in leaves.pem).
  if [ "$chain" = 2 ] && want verify; then
    measure "$n" "$set leaves" verify Gatehouse "$count" "'$bench_list' verify '$dir/ca.pem' '$dir/leaves.pem'"
    measure "$n" "$set leaves" verify "GnuTLS trust list" "$count" "'$bench_list' verify '$dir/ca.pem' '$dir/leaves.pem' --gnutls"
    measure "$n" "$set leaves" verify openssl "$count" "openssl verify -CAfile '$dir/ca.pem' '$dir'/leaves/*.pem"
    if [ "$n" -le "$certtool_leaves_max" ]; then
      measure "$n" "$set leaves" verify "certtool (1 run per leaf)" 1 \
        "for f in '$dir'/leaves/*.pem; do certtool --verify --load-ca-certificate '$dir/ca.pem' --infile \"\$f\" || exit 1; done"
    fi
  fi
 done
done

python3 - "$results" "$out/results.md" "$key_iterations" "$*" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
base = {}
for n, label, op, tool, sec, rss, runs, status, cpu in rows:
    if tool == "Gatehouse" and status == "ok":
        base[(n, label, op)] = (float(sec), float(cpu))
lines = [
    "Keystore benchmark: N key entries; ecdsa2: ECDSA P-256 leaves, chains of 2; rsa3: RSA 2048, chains of 3.",
    "k%s: keys as PBES2 bags of %s PBKDF2 iterations (keytool's default), as make-keystore writes them;" % (sys.argv[3], sys.argv[3]),
    "keytool: the same entries written by keytool -importkeystore (its defaults); keytool 600k: at 600,000 iterations;",
    "modern/compatible: saved by gh_keystore_save() (600,000 iterations per key, certificates' bag and MAC).",
    "pem: the k10000 keystore as a PEM bundle (openssl pkcs12, keys encrypted PKCS#8); openssl storeutl -certs reads it.",
    "add one: one key entry added to a copy of the file and saved (Gatehouse: bench-list add; keytool -importkeystore).",
    "list + verify: listed, and every key entry's chain verified against ca.pem for a TLS server (Gatehouse: gatehousectl keystore list --verify;",
    "openssl pkcs12 -nokeys then openssl verify, or certtool --verify; keytool -list has no chain verification).",
    "ratio = tool time / Gatehouse time (above 1: Gatehouse is faster), of the wall times and of the CPU times (user + system).",
    "",
    "| entries | file | operation | tool | wall s (median) | ratio | CPU s (median) | CPU ratio | peak RSS MiB | runs |",
    "|---:|---|---|---|---:|---:|---:|---:|---:|---:|",
]
def ratio(value, of):
    return "%.3g" % (float(value) / of) if of else "—"
for n, label, op, tool, sec, rss, runs, status, cpu in rows:
    b = base.get((n, label, op))
    if status == "partial":
        r = c = "—"
    elif status != "ok":
        r, c, sec, cpu = "—", "—", "failed", "—"
    elif tool == "Gatehouse":
        r = c = "1"
    else:
        r, c = (ratio (sec, b[0]), ratio (cpu, b[1])) if b else ("—", "—")
    lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (n, label, op, tool, sec, r, cpu, c, rss, runs))
lines += ["", "Reproduce: make bench BENCH_ENTRIES=\"%s\"  (or build-aux/env-run tests/bench/bench-keystore.sh BUILDDIR %s)" % (sys.argv[4], sys.argv[4])]
text = "\n".join(lines) + "\n"
open(sys.argv[2], "w").write(text)
print(text, end="")
EOF
