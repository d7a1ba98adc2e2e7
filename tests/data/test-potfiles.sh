#!/bin/sh
# test-potfiles.sh — po/POTFILES.in lists exactly the files with translatable strings:
# every tracked source that marks a string for translation, and nothing that is gone.
# TAP output.
set -u
cd "$GATEHOUSE_SOURCE_ROOT" || exit 1

n=0
failed=0
listed=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES.in | sort -u)

# Files that mark strings: _() / N_() / C_() in C, translatable="yes" in .ui,
# and the data files that intltool-style merging translates.
marked=$(
  {
    grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_)\(' --include='*.c' src
    grep -rl 'translatable="yes"' --include='*.ui' src
    ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null
  } | sort -u
)

for f in $marked; do
  n=$((n + 1))
  if printf '%s\n' "$listed" | grep -qxF "$f"; then
    echo "ok $n - $f is in po/POTFILES.in"
  else
    echo "not ok $n - $f has translatable strings but is missing from po/POTFILES.in"
    failed=$((failed + 1))
  fi
done

for f in $listed; do
  n=$((n + 1))
  if [ -f "$f" ]; then
    echo "ok $n - $f exists"
  else
    echo "not ok $n - po/POTFILES.in lists $f, which does not exist"
    failed=$((failed + 1))
  fi
done

echo "1..$n"
[ "$failed" -eq 0 ]
