# tap.sh — TAP output for the shell tests of tests/data, sourced by them:
# `check STATUS DESCRIPTION` prints one result, `finish` the plan and the exit status.

n=0
failed=0

check () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    failed=$((failed + 1))
  fi
}

finish () {
  echo "1..$n"
  [ "$failed" = 0 ]
}
