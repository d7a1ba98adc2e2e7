# build-aux/flatpak-env.sh — sourced by build-aux/flatpak-{runtime,build,check}.
#
# Where the Flatpak pieces live: all under env-run's cache directory, outside the work
# tree, and a throw-away Flatpak user installation there (FLATPAK_USER_DIR), so that
# nothing reaches the user's real installation unless `make flatpak-install` is asked.
# The host needs flatpak, flatpak-builder and ostree (installed with apt on Debian).

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/build-aux/env-run"

manifest=$top/flatpak/io.github.gatehouse.Gatehouse.json
app_id=io.github.gatehouse.Gatehouse
arch=$(uname -m)
# The runtime's branch is the manifest's: the manifest is built unchanged.
branch=$(sed -n 's/^ *"runtime-version": *"\([^"]*\)".*/\1/p' "$manifest")
[ -n "$branch" ] || die "no runtime-version in $manifest"

flatpak_cache=$(root_cache)/flatpak
flatpak_repo=$flatpak_cache/repo
export FLATPAK_USER_DIR=$flatpak_cache/user
bundle=${GATEHOUSE_FLATPAK_BUNDLE:-$top/_build-flatpak/gatehouse.flatpak}
remote=gatehouse-local

# flatpak_host_tools [PACKAGE…]: the host's flatpak tools and PACKAGEs, with apt.
flatpak_host_tools () {
  command -v dpkg-query >/dev/null || return 0
  apt_install flatpak flatpak-builder ostree "$@"
}

log () { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
