#!/usr/bin/python3
"""Summarise meson's test log as one line: 'N passed, N failed, N skipped'.

A TAP test counts each of its subtests; any other test counts once. A TAP test that
died before reporting all its subtests (or reported none) counts one failure more.
Each --tap FILE (make check-flatpak's results) counts its subtests the same way; a
FILE that is missing or has no plan (the run died before its end) counts one failure.
Usage: build-aux/test-summary.py BUILDDIR/meson-logs/testlog.json [--tap FILE]…
"""
import json
import re
import sys

passed = failed = skipped = 0
tap_line = re.compile(r"^(ok|not ok)\b(.*)$")



def count(subtests):
    global passed, failed, skipped
    for m in subtests:
        directive = m.group(2).upper()
        if "# SKIP" in directive:
            skipped += 1
        elif m.group(1) == "ok" or "# TODO" in directive:
            passed += 1
        else:
            failed += 1


with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        test = json.loads(line)
        result = test.get("result")
        stdout = test.get("stdout") or ""
        subtests = [tap_line.match(l) for l in stdout.splitlines()]
        subtests = [m for m in subtests if m]
        if subtests:
            count(subtests)
            if result not in ("OK", "EXPECTEDFAIL", "SKIP") and not any(
                    m.group(1) == "not ok" for m in subtests):
                failed += 1  # crashed or timed out between subtests
        elif result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1

taps = sys.argv[2:]
while taps:
    option, path = taps.pop(0), taps.pop(0) if taps else ""
    if option != "--tap":
        sys.exit(f"test-summary: unknown argument {option}")
    try:
        with open(path, encoding="utf-8") as tap:
            lines = tap.read().splitlines()
    except OSError:
        lines = []
    count([m for m in (tap_line.match(l) for l in lines) if m])
    plans = [l for l in lines if re.match(r"^1\.\.\d+$", l)]
    if not plans or int(plans[-1][3:]) != sum(1 for l in lines if tap_line.match(l)):
        failed += 1  # missing, or ended before its plan

print(f"{passed} passed, {failed} failed, {skipped} skipped")
