#!/usr/bin/python3
"""Trim a Flatpak runtime tree made from a Debian root down to some packages.

build-aux/flatpak-runtime lays the build root's /usr out as TREE/files and its /etc as
TREE/files/etc (hard links, so nothing is copied). This removes from that tree every
file of the root's installed packages that is outside the dependency closure of the
packages named (plus the root's Essential and required packages). What no package
lists (the caches that maintainer scripts wrote: ld.so.cache, compiled GSettings
schemas, the MIME database, the icon caches) stays. Only links in TREE are removed, so
the root itself is never changed.

An alternative of a dependency is the one already chosen if there is one, else the
first installed one; --exclude names packages never chosen (systemd: a runtime has no
init, and dbus-user-session would bring it).

Usage: flatpak-runtime-subset.py ROOT TREE [--exclude=PKG]… PKG…
Prints what it kept and removed, to stderr.
"""
import os
import re
import sys

MERGED = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


def read_status(root):
    """The installed packages: name -> fields (Depends, Provides, …)."""
    packages = {}
    with open(os.path.join(root, "var/lib/dpkg/status"), encoding="utf-8") as status:
        for stanza in status.read().split("\n\n"):
            fields = {}
            key = None
            for line in stanza.splitlines():
                if line[:1] in (" ", "\t") and key:
                    fields[key] += " " + line.strip()
                elif ":" in line:
                    key, _, value = line.partition(":")
                    fields[key] = value.strip()
            if fields.get("Status", "").endswith(" installed") and "Package" in fields:
                packages[fields["Package"]] = fields
    return packages


def names(field):
    """'a (>= 1) | b:any, c' -> [['a', 'b'], ['c']]"""
    groups = []
    for group in filter(None, (g.strip() for g in field.split(","))):
        groups.append([re.sub(r"[\s(\[<].*$", "", alt.strip()).split(":")[0]
                       for alt in group.split("|")])
    return groups


def closure(packages, seeds, excluded):
    providers = {}
    for name, fields in packages.items():
        providers.setdefault(name, []).append(name)
        for group in names(fields.get("Provides", "")):
            providers.setdefault(group[0], []).append(name)
    chosen = set()
    queue = [s for s in seeds if s in packages]
    queue += sorted(n for n, f in packages.items()
                    if f.get("Essential") == "yes" or f.get("Priority") == "required")
    while queue:
        name = queue.pop(0)
        if name in chosen:
            continue
        chosen.add(name)
        fields = packages[name]
        for group in names(fields.get("Pre-Depends", "")) + names(fields.get("Depends", "")):
            candidates = [p for alt in group for p in providers.get(alt, [])]
            if any(p in chosen or p in queue for p in candidates):
                continue
            candidates = [p for p in candidates if p not in excluded]
            if candidates:
                queue.append(candidates[0])
    return chosen


def package_files(root, name, fields):
    info = os.path.join(root, "var/lib/dpkg/info")
    for list_name in (f"{name}:{fields.get('Architecture')}.list", f"{name}.list"):
        path = os.path.join(info, list_name)
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="surrogateescape") as listing:
                return [line.rstrip("\n") for line in listing if line.strip()]
    return []


def in_tree(tree, path):
    """A root's path -> its place in the runtime tree, or None (outside /usr, /etc)."""
    parts = path.strip("/").split("/")
    if parts[0] in MERGED:
        parts = ["usr"] + parts
    if parts[0] == "usr":
        return os.path.join(tree, "files", *parts[1:])
    if parts[0] == "etc":
        return os.path.join(tree, "files", "etc", *parts[1:])
    return None


def main(argv):
    excluded, args = set(), []
    while argv:
        arg = argv.pop(0)
        if arg.startswith("--exclude="):
            excluded.add(arg.split("=", 1)[1])
        else:
            args.append(arg)
    root, tree, seeds = args[0], args[1], args[2:]
    packages = read_status(root)
    missing = [s for s in seeds if s not in packages]
    if missing:
        sys.exit(f"flatpak-runtime-subset: not installed in {root}: {' '.join(missing)}")
    kept = closure(packages, seeds, excluded)

    keep_paths = set()
    for name in kept:
        keep_paths.update(package_files(root, name, packages[name]))
    removed = size = 0
    for name in sorted(set(packages) - kept):
        for path in package_files(root, name, packages[name]):
            if path in keep_paths:
                continue
            target = in_tree(tree, path)
            if target is None or not os.path.lexists(target) or \
               (os.path.isdir(target) and not os.path.islink(target)):
                continue
            size += os.lstat(target).st_size
            os.unlink(target)
            removed += 1
    print(f"flatpak-runtime-subset: {os.path.basename(tree)}: {len(kept)} packages kept, "
          f"{len(packages) - len(kept)} removed ({removed} files, {size // 1048576} MiB)",
          file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
