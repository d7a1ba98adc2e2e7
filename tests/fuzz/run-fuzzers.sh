#!/usr/bin/env bash
# tests/fuzz/run-fuzzers.sh BUILDDIR SECONDS [TARGET…] — run each libFuzzer target of
# a -Dfuzzing=true build for SECONDS on its corpus (BUILDDIR/tests/fuzz/corpus/NAME,
# kept between runs) and its seeds; fail if any target crashes, leaks, times out or
# aborts on a g_critical(). Crash inputs are left in BUILDDIR/tests/fuzz/artifacts/.
set -uo pipefail

builddir=${1:?usage: run-fuzzers.sh BUILDDIR SECONDS [TARGET…]}
seconds=${2:-60}
shift 2 || shift $#
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$builddir/tests/fuzz

if [ $# -eq 0 ]; then
  set -- $(cd "$dir" && for f in fuzz-*; do [ -f "$f" ] && [ -x "$f" ] && echo "$f"; done)
fi
[ $# -gt 0 ] || { echo "run-fuzzers: no fuzz target in $dir (meson setup -Dfuzzing=true?)" >&2; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# The library's debug messages would only slow the fuzzers down.
unset G_MESSAGES_DEBUG

mkdir -p "$dir/artifacts" "$dir/logs"
failed=0
printf '%-22s %8s %10s %8s %8s %7s  %s\n' target seconds runs exec/s cov ft result
for name in "$@"; do
  seeds=$dir/seeds/${name#fuzz-}
  corpus=$dir/corpus/${name#fuzz-}
  log=$dir/logs/$name.log
  dict=()
  case $name in
    *pem*|*import*|*certificate*) dict=(-dict="$src/pem.dict") ;;
  esac
  mkdir -p "$corpus"
  "$dir/$name" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/$name-" "${dict[@]}" \
    "$corpus" "$seeds" >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  result=ok
  if [ $status -ne 0 ]; then result="FAILED (exit $status, log $log)"; failed=1; fi
  printf '%-22s %8s %10s %8s %8s %7s  %s\n' "$name" "$seconds" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$result"
  if [ $status -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|==[0-9]+==|#[0-9]+ +0x|Test unit written|abort|CRITICAL|WARNING' "$log" | head -40 >&2
  fi
done
exit $failed
