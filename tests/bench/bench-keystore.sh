#!/usr/bin/env bash
# tests/bench/bench-keystore.sh BUILDDIR N… — listing and verifying generated keystores
# of N entries: Gatehouse beside keytool, openssl and certtool.
#
#   make bench                                   (BENCH_ENTRIES="1000 10000")
#   build-aux/env-run tests/bench/bench-keystore.sh _build-bench 1000 10000
#
# For each N, tests/bench/make-keystore writes (once; kept in BUILDDIR/bench/N) one CA
# and N key entries signed by it, and:
#   keystore-k10000.p12      each key a PBES2 bag of 10,000 PBKDF2 iterations, as keytool
#                            writes them by default (BENCH_KEY_ITERATIONS)
#   keystore-modern.p12      saved by gh_keystore_save(), modern and compatible profiles:
#   keystore-compatible.p12  GnuTLS derives each key with 600,000 iterations, so these are
#                            made and timed only for N ≤ BENCH_LIBRARY_MAX (1000)
# Timed, as medians of BENCH_RUNS runs (hyperfine; 1 run with /usr/bin/time for the slow
# cases), peak RSS from /usr/bin/time:
#   list:   Gatehouse (tests/bench/bench-list list: open, read every field of every
#           entry), gatehousectl keystore list, keytool -list, openssl pkcs12 -info
#           -noout, certtool --p12-info
#   verify: each leaf against the CA: Gatehouse (GhTrustChain; and GnuTLS's trust list
#           directly), openssl verify (all leaves in one run), certtool --verify (one
#           run per leaf: it verifies one chain per run)
# Ratio = peer time / Gatehouse time (above 1: Gatehouse is faster). The table goes to
# stdout and BUILDDIR/bench/results.md. Benchmarks are not tests: nothing here fails on
# a time.
set -euo pipefail

builddir=${1:?usage: bench-keystore.sh BUILDDIR N…}
shift
[ $# -gt 0 ] || set -- 1000 10000
runs=${BENCH_RUNS:-5}
library_max=${BENCH_LIBRARY_MAX:-1000}
key_iterations=${BENCH_KEY_ITERATIONS:-10000}
slow_entries=${BENCH_SLOW_ENTRIES:-10000}   # from this N on, one run per command

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
have_hyperfine=$(command -v hyperfine >/dev/null && echo 1 || echo 0)

log () { printf 'bench: %s\n' "$*" >&2; }

# measure N FILE-LABEL OPERATION TOOL RUNS COMMAND — one row of results.tsv
measure () {
  local n=$1 label=$2 op=$3 tool=$4 count=$5 cmd=$6 seconds rss status=ok json tfile
  tfile=$(mktemp)
  log "$n $label $op: $tool ($count run(s))"
  if [ "$count" -gt 1 ] && [ "$have_hyperfine" = 1 ]; then
    json=$(mktemp)
    if hyperfine --style none --warmup 1 --runs "$count" --export-json "$json" "$cmd" >/dev/null 2>&1; then
      seconds=$(python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
    else
      seconds=nan status=failed
    fi
    rm -f "$json"
    /usr/bin/time -f '%e %M' -o "$tfile" sh -c "$cmd" >/dev/null 2>&1 || true
    rss=$(awk 'END { printf "%.1f", $2 / 1024 }' "$tfile")
  else
    # One run (or several without hyperfine): median of the wall times.
    local times=() i
    for ((i = 0; i < count; i++)); do
      if ! /usr/bin/time -f '%e %M' -o "$tfile" sh -c "$cmd" >/dev/null 2>&1; then status=failed; fi
      times+=("$(awk 'END { print $1 }' "$tfile")")
      rss=$(awk 'END { printf "%.1f", $2 / 1024 }' "$tfile")
    done
    seconds=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  fi
  rm -f "$tfile"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$op" "$tool" "$seconds" "$rss" "$count" "$status" >> "$results"
}

for n in "$@"; do
  dir=$out/$n
  pw=$(cat "$dir/password" 2>/dev/null || true)
  kfile=$dir/keystore-k$key_iterations.p12
  library=
  [ "$n" -le "$library_max" ] && library=--library
  if [ ! -f "$kfile" ] || { [ -n "$library" ] && [ ! -f "$dir/keystore-compatible.p12" ]; }; then
    log "generating $n entries in $dir (the library's files take ~0.1 s per entry and profile)"
    rm -rf "$dir"
    "$make_keystore" --entries "$n" --dir "$dir" --key-iterations "$key_iterations" $library
    pw=$(cat "$dir/password")
  fi

  count=$runs
  [ "$n" -ge "$slow_entries" ] && count=1

  files=("k$key_iterations:$kfile")
  if [ -n "$library" ]; then
    files+=("modern:$dir/keystore-modern.p12" "compatible:$dir/keystore-compatible.p12")
  fi

  for entry in "${files[@]}"; do
    label=${entry%%:*}
    file=${entry#*:}
    c=$count
    case $label in modern|compatible) c=1 ;; esac   # 600,000 iterations per key: minutes

    measure "$n" "$label" list Gatehouse "$c" "'$bench_list' list '$file' '$dir/password'"
    # gatehousectl runs the same code as bench-list: timed where that is quick.
    if [ "$label" != modern ] && [ "$label" != compatible ] && [ "$n" -lt "$slow_entries" ] &&
       "$ctl" keystore list --keystore "$file" --password-file "$dir/password" >/dev/null 2>&1; then
      measure "$n" "$label" list gatehousectl "$c" "'$ctl' keystore list --keystore '$file' --password-file '$dir/password'"
    fi
    measure "$n" "$label" list keytool "$c" "keytool -list -storetype PKCS12 -keystore '$file' -storepass '$pw'"
    legacy=
    if [ "$label" = compatible ] && ! openssl pkcs12 -info -noout -nokeys -nocerts -in "$file" -passin "pass:$pw" >/dev/null 2>&1; then
      legacy=-legacy
    fi
    measure "$n" "$label" list "openssl${legacy:+ $legacy}" "$c" "openssl pkcs12 $legacy -info -noout -in '$file' -passin 'pass:$pw'"
    measure "$n" "$label" list certtool "$c" "certtool --p12-info --inder --password '$pw' --infile '$file'"
  done

  measure "$n" leaves verify Gatehouse "$count" "'$bench_list' verify '$dir/ca.pem' '$dir/leaves.pem'"
  measure "$n" leaves verify "GnuTLS trust list" "$count" "'$bench_list' verify '$dir/ca.pem' '$dir/leaves.pem' --gnutls"
  measure "$n" leaves verify openssl "$count" "openssl verify -CAfile '$dir/ca.pem' '$dir'/leaves/*.pem"
  measure "$n" leaves verify "certtool (1 run per leaf)" 1 \
    "for f in '$dir'/leaves/*.pem; do certtool --verify --load-ca-certificate '$dir/ca.pem' --infile \"\$f\" || exit 1; done"
done

python3 - "$results" "$out/results.md" "$key_iterations" "$*" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
base = {}
for n, label, op, tool, sec, rss, runs, status in rows:
    if tool == "Gatehouse" and status == "ok":
        base[(n, label, op)] = float(sec)
lines = [
    "Keystore benchmark: N key entries signed by one CA (ECDSA P-256).",
    "k%s: keys as PBES2 bags of %s PBKDF2 iterations (keytool's default);" % (sys.argv[3], sys.argv[3]),
    "modern/compatible: saved by gh_keystore_save() (GnuTLS: 600,000 iterations per key).",
    "ratio = tool time / Gatehouse time (above 1: Gatehouse is faster).",
    "",
    "| entries | file | operation | tool | seconds (median) | ratio | peak RSS MiB | runs |",
    "|---:|---|---|---|---:|---:|---:|---:|",
]
for n, label, op, tool, sec, rss, runs, status in rows:
    b = base.get((n, label, op))
    if status != "ok":
        ratio, sec = "—", "failed"
    elif tool == "Gatehouse":
        ratio = "1"
    else:
        ratio = "%.3g" % (float(sec) / b) if b else "—"
    lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (n, label, op, tool, sec, ratio, rss, runs))
lines += ["", "Reproduce: make bench BENCH_ENTRIES=\"%s\"  (or build-aux/env-run tests/bench/bench-keystore.sh BUILDDIR %s)" % (sys.argv[4], sys.argv[4])]
text = "\n".join(lines) + "\n"
open(sys.argv[2], "w").write(text)
print(text, end="")
EOF
