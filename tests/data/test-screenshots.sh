#!/bin/sh
# test-screenshots.sh — every screenshot the metainfo lists is in
# data/screenshots/from-tests.txt, is in data/screenshots/, and is rendered by the UI
# test the table names (the test file writes the rendered name, or its stem for the
# -light/-dark pairs). TAP output.
set -u
cd "$GATEHOUSE_SOURCE_ROOT" || exit 1

table=data/screenshots/from-tests.txt
. "$GATEHOUSE_SOURCE_ROOT/tests/data/tap.sh"

rows=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$table")
listed=$(sed -n 's|.*<image>.*/data/screenshots/\([^<]*\)</image>.*|\1|p' data/*.metainfo.xml.in)

[ -n "$listed" ]
check $? "the metainfo lists screenshots"

for name in $listed; do
  row=$(printf '%s\n' "$rows" | awk -v name="$name" '$1 == name')
  [ -n "$row" ]
  check $? "$name is in $table"
  [ -f "data/screenshots/$name" ]
  check $? "data/screenshots/$name exists"
  [ -n "$row" ] || continue
  rendered=$(echo "$row" | awk '{ print $2 }')
  test=$(echo "$row" | awk '{ print $3 }')
  stem=$(echo "$rendered" | sed -e 's/-light\.png$//' -e 's/-dark\.png$//' -e 's/\.png$//')
  grep -q "\"$stem[-.\"]" "tests/ui/$test.c" 2>/dev/null
  check $? "$name is rendered by tests/ui/$test.c as $rendered"
done

finish
