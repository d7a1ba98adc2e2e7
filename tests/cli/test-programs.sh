#!/bin/sh
# test-programs.sh GATEHOUSED GATEHOUSECTL [GATEHOUSE] — the programs' command lines,
# as a user or a script meets them: help, version, exit statuses and messages.
# TAP output.
set -u

gatehoused=$1
gatehousectl=$2
gatehouse=${3:-}

n=0
failed=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# check DESCRIPTION EXPECTED-STATUS STREAM PATTERN -- COMMAND…
check () {
  desc=$1 want=$2 stream=$3 pattern=$4
  shift 5
  n=$((n + 1))
  "$@" >"$out" 2>"$err" </dev/null
  got=$?
  file=$out
  [ "$stream" = stderr ] && file=$err
  if [ "$got" -ne "$want" ]; then
    echo "not ok $n - $desc (exit status $got, expected $want)"
    sed 's/^/# /' "$err"
    failed=$((failed + 1))
  elif ! grep -q -- "$pattern" "$file"; then
    echo "not ok $n - $desc ($stream lacks “$pattern”)"
    sed 's/^/# /' "$file"
    failed=$((failed + 1))
  else
    echo "ok $n - $desc"
  fi
}

version=$(sed -n "s/^ *version: '\(.*\)',/\1/p" "$GATEHOUSE_SOURCE_ROOT/meson.build" | head -n 1)

check "gatehoused --help lists init" 0 stdout "init.*working setup" -- "$gatehoused" --help
check "gatehoused --help shows --config" 0 stdout "--config=FILE" -- "$gatehoused" --help
check "gatehoused --version" 0 stdout "^gatehoused $version\$" -- "$gatehoused" --version
check "gatehoused init --help shows --dir" 0 stdout "--dir=DIR" -- "$gatehoused" init --help
check "gatehoused without a configuration is a usage error" 2 stderr "no configuration: give one with --config FILE" -- "$gatehoused"
check "gatehoused with a missing configuration says which file" 1 stderr "/nonexistent/gatehoused.json" -- "$gatehoused" --config /nonexistent/gatehoused.json
check "gatehoused --check with a missing configuration fails" 1 stderr "/nonexistent/gatehoused.json" -- "$gatehoused" --check --config /nonexistent/gatehoused.json
check "gatehoused init without --dir is a usage error" 2 stderr "Give --dir DIR" -- "$gatehoused" init
check "gatehoused --workers takes 0 to 64" 2 stderr "workers takes 0 to 64, not 65" -- "$gatehoused" --config /nonexistent/gatehoused.json --workers 65
check "gatehoused --help shows --workers" 0 stdout "--workers=N" -- "$gatehoused" --help
check "gatehoused rejects an unknown option" 2 stderr "Unknown option --frobnicate" -- "$gatehoused" --frobnicate
check "gatehoused rejects an unknown command" 2 stderr "“frobnicate” is not a command" -- "$gatehoused" frobnicate

check "gatehousectl --help lists the commands" 0 stdout "keystore.*Manage a keystore" -- "$gatehousectl" --help
check "gatehousectl --help shows --gateway" 0 stdout "--gateway=URL" -- "$gatehousectl" --help
check "gatehousectl --version" 0 stdout "^gatehousectl $version\$" -- "$gatehousectl" --version
for cmd in info services keystore truststore sessions events audit; do
  check "gatehousectl $cmd --help" 0 stdout "Usage:" -- "$gatehousectl" "$cmd" --help
done
check "gatehousectl keystore --help lists verify" 0 stdout "verify.*Verify an entry" -- "$gatehousectl" keystore --help
check "gatehousectl help keystore export shows --profile" 0 stdout "--profile=PROFILE" -- "$gatehousectl" help keystore export
check "gatehousectl keystore export takes no password argument" 2 stderr "Unknown option --password" -- "$gatehousectl" keystore export --password secret web
check "gatehousectl without a command prints usage to stderr" 2 stderr "Usage:" -- "$gatehousectl"
check "gatehousectl sessions list without a gateway is a usage error" 2 stderr "which gateway" -- "$gatehousectl" sessions list
check "gatehousectl rejects an unknown command" 2 stderr "“frobnicate” is not a command of “gatehousectl”" -- "$gatehousectl" frobnicate
check "gatehousectl rejects an unknown subcommand" 2 stderr "“frobnicate” is not a command of “gatehousectl sessions”" -- "$gatehousectl" sessions frobnicate

if [ -n "$gatehouse" ]; then
  check "gatehouse --help" 0 stdout "Usage:" -- "$gatehouse" --help
  check "gatehouse --version" 0 stdout "$version" -- "$gatehouse" --version
fi

echo "1..$n"
[ "$failed" -eq 0 ]
