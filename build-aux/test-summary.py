#!/usr/bin/python3
"""Summarise meson's test log as one line: 'N passed, N failed, N skipped'.

A TAP test counts each of its subtests; any other test counts once. A TAP test that
died before reporting all its subtests (or reported none) counts one failure more.
Usage: build-aux/test-summary.py BUILDDIR/meson-logs/testlog.json
"""
import json
import re
import sys

passed = failed = skipped = 0
tap_line = re.compile(r"^(ok|not ok)\b(.*)$")

with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        test = json.loads(line)
        result = test.get("result")
        stdout = test.get("stdout") or ""
        subtests = [tap_line.match(l) for l in stdout.splitlines()]
        subtests = [m for m in subtests if m]
        if subtests:
            for m in subtests:
                directive = m.group(2).upper()
                if "# SKIP" in directive:
                    skipped += 1
                elif m.group(1) == "ok" or "# TODO" in directive:
                    passed += 1
                else:
                    failed += 1
            if result not in ("OK", "EXPECTEDFAIL", "SKIP") and not any(
                    m.group(1) == "not ok" for m in subtests):
                failed += 1  # crashed or timed out between subtests
        elif result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1

print(f"{passed} passed, {failed} failed, {skipped} skipped")
