#!/bin/sh
# test-help.sh — the help's links hold: every xref names a page that exists, every page
# is reached from the index, every page's id is its file's name, and help/meson.build
# installs every page of help/C (its arguments: the pages it lists). TAP output.
set -u
cd "$GATEHOUSE_SOURCE_ROOT/help/C" || exit 1

. "$GATEHOUSE_SOURCE_ROOT/tests/data/tap.sh"

out=$(yelp-check links . 2>&1)
[ $? = 0 ] && [ -z "$out" ]
check $? "every link leads to a page and section that exist${out:+: $out}"

out=$(yelp-check orphans . 2>&1)
[ $? = 0 ] && [ -z "$out" ]
check $? "every page is reached from the index${out:+: $out}"

out=$(yelp-check ids . 2>&1)
[ $? = 0 ] && [ -z "$out" ]
check $? "every page's id is its file's name${out:+: $out}"

for page in *.page; do
  listed=1
  for arg in "$@"; do
    [ "$arg" = "$page" ] && listed=0
  done
  check $listed "$page is installed by help/meson.build"
done

finish
