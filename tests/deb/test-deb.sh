#!/usr/bin/env bash
# tests/deb/test-deb.sh SRCDIR BUILDDIR — the Debian packages, as an admin gets them.
#
# Builds the packages (build-aux/deb-build: dpkg-buildpackage, then lintian, which must
# be clean; rebuilt only when the source changed), then, in a mount namespace of its
# own, lays a tmpfs overlay over the build root's /etc, /usr and /var and installs them
# there with dpkg: the cached root is never written. Then it checks what the package
# promises (the unit, the gatehoused user, /etc/gatehouse and /var/lib/gatehouse and
# their modes), makes the setup as README.Debian says, runs the unit's ExecStart as
# its User= with the file system read-only but for the unit's ReadWritePaths= and
# StateDirectory= (as ProtectSystem=strict would), talks to it with curl and Python,
# reloads it as ExecReload= does, stops it, and purges the packages.
#
# It needs root (mounts, dpkg, setpriv); without it the test is skipped (77).
set -euo pipefail

if [ "${1:-}" = --inside ]; then
  inside=1
  shift
fi
src=$1
build=$2
debs=$build/packages

say () { printf '%s\n' "$*"; }
fail () { say "FAIL: $*" >&2; exit 1; }

if [ -z "${inside:-}" ]; then
  [ "$(id -u)" = 0 ] || { say "SKIP: installing packages needs root"; exit 77; }
  for tool in dpkg-buildpackage lintian unshare setpriv runuser curl openssl python3; do
    command -v "$tool" >/dev/null || { say "SKIP: $tool is missing"; exit 77; }
  done
  unshare --mount true 2>/dev/null || { say "SKIP: cannot make a mount namespace"; exit 77; }
  "$src/build-aux/deb-build" "$debs"
  exec unshare --mount --propagation private -- "$0" --inside "$src" "$build"
fi

# --- inside a mount namespace of our own ------------------------------------------

failures=0
check () {
  local what=$1
  shift
  if "$@"; then say "ok - $what"; else say "not ok - $what"; failures=$((failures + 1)); fi
}
# mode_owner PATH → "0700 gatehoused:gatehoused"
mode_owner () { stat -c '%04a %U:%G' "$1"; }
is () { [ "$1" = "$2" ] || { say "  got '$1', expected '$2'"; return 1; }; }

work=$(mktemp -d /tmp/gatehouse-deb.XXXXXX)
for dir in etc usr var; do
  mkdir -p "$work/upper/$dir" "$work/work/$dir"
  mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$work/upper/$dir,workdir=$work/work/$dir" "/$dir"
done
mount -t tmpfs tmpfs /run

debfiles=("$debs"/gatehoused_*.deb "$debs"/gatehousectl_*.deb)
say "# installing ${debfiles[*]##*/}"
DEBIAN_FRONTEND=noninteractive dpkg -i "${debfiles[@]}" > "$work/dpkg.log" 2>&1 ||
  { cat "$work/dpkg.log"; fail "dpkg -i"; }

unit=/usr/lib/systemd/system/gatehoused.service

# Files, users, modes.
check "gatehoused and gatehousectl are installed" test -x /usr/bin/gatehoused -a -x /usr/bin/gatehousectl
check "gatehousectl runs" sh -c '/usr/bin/gatehousectl --version | grep -q "0\.1\.0"'
check "the unit is installed" test -f "$unit"
check "the unit is enabled" test -L /etc/systemd/system/multi-user.target.wants/gatehoused.service
check "the unit names the installed gatehoused" grep -q '^ExecStart=/usr/bin/gatehoused ' "$unit"
check "the sysusers.d and tmpfiles.d files are installed" \
  test -f /usr/lib/sysusers.d/gatehoused.conf -a -f /usr/lib/tmpfiles.d/gatehoused.conf
check "the man pages are installed" test -f /usr/share/man/man8/gatehoused.8.gz -a -f /usr/share/man/man1/gatehousectl.1.gz
check "README.Debian is installed" test -f /usr/share/doc/gatehoused/README.Debian
for po in "$src"/po/*.po; do
  [ -f "$po" ] || continue
  lang=$(basename "$po" .po)
  check "the $lang translation is installed" test -f "/usr/share/locale/$lang/LC_MESSAGES/gatehouse.mo"
done
check "no secret is shipped" sh -c '! dpkg -L gatehoused gatehousectl | grep -E "\.(p12|pw|key|pem)$"'

user=$(sed -n 's/^User=//p' "$unit")
check "the unit runs as gatehoused" is "$user" gatehoused
passwd=$(getent passwd gatehoused || true)
check "the gatehoused system user exists" test -n "$passwd"
IFS=: read -r _ _ uid _ _ home shell <<< "$passwd"
check "gatehoused is a system user" test "${uid:-1000}" -lt 1000
check "gatehoused cannot log in" is "$shell" /usr/sbin/nologin
check "gatehoused's home is /var/lib/gatehouse" is "$home" /var/lib/gatehouse
check "/etc/gatehouse is gatehoused's, 0700" is "$(mode_owner /etc/gatehouse)" "0700 gatehoused:gatehoused"
check "/var/lib/gatehouse is gatehoused's, 0700" is "$(mode_owner /var/lib/gatehouse)" "0700 gatehoused:gatehoused"
check "the unit is skipped until a setup exists" grep -q '^ConditionPathExists=/etc/gatehouse/gatehoused.json' "$unit"

# The hardening, as systemd scores it (lower is better; 2.0 is "OK").
exposure=$(systemd-analyze security --offline=true "$unit" 2>&1 | sed -n 's/.*Overall exposure level for gatehoused.service: \([0-9.]*\).*/\1/p')
say "# systemd-analyze security: exposure $exposure"
check "the unit's exposure is at most 2.0" awk -v e="${exposure:-10}" 'BEGIN { exit !(e <= 2.0) }'

# The setup, as README.Debian makes it.
read -r port admin_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
runuser -u gatehoused -- gatehoused init --dir /etc/gatehouse --hostname localhost \
  --port "$port" --admin-port "$admin_port" > "$work/init.log" 2>&1 || { cat "$work/init.log"; fail "gatehoused init"; }
for secret in keystore.p12 keystore.pw gatehouse-admin.p12 gatehouse-admin.pw ca-key.p12 ca-key.pw \
              admin-ca-key.p12 admin-ca-key.pw; do
  check "/etc/gatehouse/$secret is gatehoused's, 0600" is "$(mode_owner "/etc/gatehouse/$secret")" "0600 gatehoused:gatehoused"
done

# The client's copy of the admin identity: key and certificate in one PEM (0600).
umask 077
openssl pkcs12 -in /etc/gatehouse/gatehouse-admin.p12 -passin file:/etc/gatehouse/gatehouse-admin.pw \
  -nodes -out "$work/admin.pem" 2>/dev/null || fail "openssl cannot read the admin identity"
api () { curl -sS --cacert /etc/gatehouse/ca.pem --cert "$work/admin.pem" "$@"; }

# The unit's ExecStart, as its User= and with its file system: everything read-only
# but ReadWritePaths= and StateDirectory=, a private /tmp (ProtectSystem=strict,
# PrivateTmp=), UMask=0077.
execstart=$(sed -n 's/^ExecStart=//p' "$unit")
# The inner shell reads GH_WRITABLE and GH_USER from its environment.
GH_WRITABLE=$( { sed -n 's/^ReadWritePaths=//p' "$unit"; sed -n 's|^StateDirectory=|/var/lib/|p' "$unit"; } | tr '\n' ' ')
GH_USER=$user
export GH_WRITABLE GH_USER
say "# starting: $execstart (writable: $GH_WRITABLE)"
# shellcheck disable=SC2016,SC2086  # the inner shell expands; ExecStart= splits on spaces
unshare --mount --propagation private -- sh -c '
  for d in $GH_WRITABLE; do mount --bind "$d" "$d"; done
  findmnt -rn -o TARGET | grep -v -E "^/(dev|proc|sys)(/|$)" | sort -r |
    while read -r m; do mount -o remount,bind,ro "$m" 2>/dev/null; done
  for d in $GH_WRITABLE; do mount -o remount,bind,rw "$d"; done
  mount -t tmpfs -o mode=1777 tmpfs /tmp
  mount -t tmpfs -o mode=1777 tmpfs /var/tmp
  cd /
  exec setpriv --reuid="$GH_USER" --regid="$GH_USER" --init-groups --no-new-privs \
    --inh-caps=-all --bounding-set=-all,+net_bind_service -- env -i LANG=C.UTF-8 "$@"
' sh $execstart > "$work/gatehoused.log" 2>&1 &
daemon=$!

cleanup () { kill "$daemon" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 100); do
  api -o /dev/null "https://localhost:$admin_port/api/v1/info" 2>/dev/null && break
  kill -0 "$daemon" 2>/dev/null || { cat "$work/gatehoused.log"; fail "gatehoused exited"; }
  sleep 0.2
done

info=$(api "https://localhost:$admin_port/api/v1/info" || true)
say "# GET /info: $info"
check "the admin API answers curl with the admin identity" sh -c 'echo "$1" | grep -q "\"version\" *: *\"0\.1\.0\""' sh "$info"
# unshare, sh, setpriv and env each exec the next: $daemon is gatehoused itself.
check "gatehoused runs as gatehoused" is "$(stat -c %U "/proc/$daemon")" gatehoused
check "it is the packaged gatehoused" is "$(readlink "/proc/$daemon/exe")" /usr/bin/gatehoused

check "the echo service echoes over wss" python3 - "$port" <<'PY'
import ssl, sys
from websockets.sync.client import connect
context = ssl.create_default_context(cafile="/etc/gatehouse/ca.pem")
with connect(f"wss://localhost:{sys.argv[1]}/echo", ssl=context, open_timeout=10) as ws:
    ws.send("hello from the Debian package")
    sys.exit(0 if ws.recv(timeout=10) == "hello from the Debian package" else 1)
PY

# A write through the API: the configuration is replaced in /etc/gatehouse, a version
# recorded in /var/lib/gatehouse/history, the request in /var/lib/gatehouse/audit.log.
etag=$(api -D - -o "$work/config.json" "https://localhost:$admin_port/api/v1/config" |
       sed -n 's/^[Ee][Tt][Aa][Gg]: *\([^[:space:]]*\).*/\1/p')
python3 - "$work/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config.setdefault("properties", {})["name"] = "packaged-gateway"
json.dump(config, open(sys.argv[1], "w"))
PY
status=$(api -o "$work/put.json" -w '%{http_code}' -X PUT -H "If-Match: $etag" \
         -H 'Content-Type: application/json' --data-binary @"$work/config.json" \
         "https://localhost:$admin_port/api/v1/config")
check "PUT /config is applied (200)" is "$status" 200
check "the configuration in /etc/gatehouse is the new one" grep -q packaged-gateway /etc/gatehouse/gatehoused.json
check "the new configuration is gatehoused's, 0600" is "$(mode_owner /etc/gatehouse/gatehoused.json)" "0600 gatehoused:gatehoused"
check "the history is in /var/lib/gatehouse" test -f /var/lib/gatehouse/history/index.json
check "the history is gatehoused's, 0700" is "$(mode_owner /var/lib/gatehouse/history)" "0700 gatehoused:gatehoused"
check "the audit log is in /var/lib/gatehouse, 0600" is "$(mode_owner /var/lib/gatehouse/audit.log)" "0600 gatehoused:gatehoused"
check "the audit log has the change" grep -q '"PUT"' /var/lib/gatehouse/audit.log
check "nothing of the state is beside the configuration" test ! -e /etc/gatehouse/history -a ! -e /etc/gatehouse/audit.log

# ExecReload=: SIGHUP re-reads everything; the gateway keeps answering.
reload=$(sed -n 's/^ExecReload=//p' "$unit")
check "ExecReload sends SIGHUP" is "$reload" '/bin/kill -HUP $MAINPID'
kill -HUP "$daemon"
for _ in $(seq 50); do grep -q reloading "$work/gatehoused.log" && break; sleep 0.1; done
check "a reload is logged" grep -q reloading "$work/gatehoused.log"
check "the admin API answers after the reload" sh -c 'curl -sS --cacert /etc/gatehouse/ca.pem --cert "$1" "$2" | grep -q packaged-gateway' \
  sh "$work/admin.pem" "https://localhost:$admin_port/api/v1/info"

# KillSignal=SIGTERM: stops and exits 0.
kill -TERM "$daemon"
# TimeoutStopSec=40: then systemd would SIGKILL it, and so do we.
for _ in $(seq 400); do
  case $(ps -o stat= -p "$daemon" 2>/dev/null) in ''|Z*) break ;; esac
  sleep 0.1
done
kill -KILL "$daemon" 2>/dev/null || true
status=0
wait "$daemon" || status=$?
trap - EXIT
check "SIGTERM stops gatehoused cleanly" is "$status" 0
check "no key or password in gatehoused's log" sh -c '! grep -q -F -f "$1" "$2"' sh /etc/gatehouse/keystore.pw "$work/gatehoused.log"

# Purge removes what the package and gatehoused made; the account stays.
dpkg --purge gatehoused gatehousectl > "$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge"; }
check "purge removes /etc/gatehouse" test ! -e /etc/gatehouse
check "purge removes /var/lib/gatehouse" test ! -e /var/lib/gatehouse
check "purge removes the unit" test ! -e "$unit" -a ! -e /etc/systemd/system/multi-user.target.wants/gatehoused.service
check "purge removes the programs" test ! -e /usr/bin/gatehoused -a ! -e /usr/bin/gatehousectl

if [ "$failures" -gt 0 ]; then
  say "# gatehoused's log:"
  sed 's/^/# /' "$work/gatehoused.log"
  fail "$failures checks failed"
fi
say "# all checks passed"
