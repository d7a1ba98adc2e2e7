"""ghtest.py — what the integration tests written for the attacks on the admin API and
for the interoperability matrix share: free loopback ports, waiting for a listener,
running a tool, reading a process's memory, and installing the pinned npm `ws`.

Imported by the test scripts beside it: Debian's /usr/bin/python3 puts the script's
directory first on sys.path.
"""
import base64
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback


def _ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


_handed_out = set()


def free_port():
    """A loopback TCP port nobody is bound to now, chosen at random below the kernel's
    ephemeral range: a port from bind(0) is an ephemeral one, which the outgoing
    connections of the tests running beside this one may take before our listener
    binds it (seen in CI: "Address already in use"). Never the same port twice in one
    process: the ports of a test's peers are all taken before any of them listens."""
    low = 10000
    high = max(low + 1000, _ephemeral_low())
    rng = random.SystemRandom()
    for _ in range(1000):
        port = rng.randrange(low, high)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            _handed_out.add(port)
            return port
    raise AssertionError("no free loopback port below the ephemeral range")


def wait_port(port, timeout=15, proc=None):
    """Whether something accepts on @port within @timeout seconds; fails at once when
    @proc (the process that should listen) exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{proc.args[0]} exited ({proc.returncode}) before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def run(*argv, input=None, timeout=60, redact=str):
    """Runs a tool; its failure is an AssertionError with the end of its stderr (through
    @redact, so that no secret is printed)."""
    proc = subprocess.run(argv, input=input, capture_output=True, timeout=timeout, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"{os.path.basename(argv[0])} {argv[1] if len(argv) > 1 else ''} failed "
                             f"({proc.returncode}): {redact(proc.stderr[-800:])}")
    return proc


def rss_kib(pid):
    """The resident memory of process @pid, in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def under_asan(pid):
    """Whether process @pid runs under AddressSanitizer, whose quarantine keeps freed
    memory: an RSS bound measures nothing there (make check-asan)."""
    with open(f"/proc/{pid}/maps") as f:
        return "libasan" in f.read()


def note(text):
    """A TAP comment, at once."""
    print("# " + text)
    sys.stdout.flush()


def within(seconds, predicate, interval=0.05):
    """The first true value of @predicate() within @seconds, else its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class Checks(list):
    """The checks of a test script, in order: `@checks("name")` on each function."""

    def __call__(self, name):
        def wrap(func):
            self.append((name, func))
            return func
        return wrap

    def run(self, gw, root, setup):
        """Runs @setup (a bail-out when it fails), then each check, as TAP; stops the
        gateway @gw (with .stop() and .log_text()), and removes @root unless
        GH_TEST_KEEP is set. GATEHOUSE_TEST_ONLY=TEXT runs only the checks whose name
        holds TEXT. Returns the exit status."""
        try:
            setup()
        except Exception:
            print("Bail out! the gateway could not be set up")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            if gw.proc:
                print("".join("# " + line for line in gw.log_text().splitlines(True)[-20:]))
            gw.stop()
            return 1

        failed = 0
        only = os.environ.get("GATEHOUSE_TEST_ONLY")
        for number, (name, func) in enumerate(self, 1):
            if only and only not in name:
                print(f"ok {number} - {name} # SKIP not in GATEHOUSE_TEST_ONLY")
                continue
            t0 = time.monotonic()
            try:
                func()
                print(f"ok {number} - {name} ({time.monotonic() - t0:.1f} s)")
            except Exception:
                failed += 1
                print(f"not ok {number} - {name}")
                for line in traceback.format_exc().splitlines()[-8:]:
                    print("# " + line)
            sys.stdout.flush()
        print(f"1..{len(self)}")

        gw.stop()
        if failed:
            print("# gateway log (last lines):")
            print("".join("# " + line for line in gw.log_text().splitlines(True)[-30:]))
        if not os.environ.get("GH_TEST_KEEP"):
            shutil.rmtree(root, ignore_errors=True)
        return 1 if failed else 0


def install_npm_ws(builddir):
    """Puts the npm `ws` pinned in npm-pins.json (by version and integrity) in
    BUILDDIR/node_modules, once, from BUILDDIR/npm-cache; returns why it cannot, or None.
    The interop matrix and tests/bench/bench-gateway.sh (its Node.js load generator) use it."""
    if shutil.which("node") is None:
        return "node is not installed"
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "npm-pins.json")) as f:
        pin = json.load(f)["ws"]
    node_modules = os.path.join(builddir, "node_modules")
    target = os.path.join(node_modules, "ws")
    stamp = os.path.join(target, ".integrity")
    if os.path.exists(stamp) and open(stamp).read() == pin["integrity"]:
        return None
    cache = os.path.join(builddir, "npm-cache")
    os.makedirs(cache, exist_ok=True)
    tarball = os.path.join(cache, os.path.basename(pin["tarball"]))
    if not os.path.exists(tarball):
        proc = subprocess.run(["curl", "-fsSL", "--max-time", "60", "-o", tarball + ".part", pin["tarball"]],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return f"the npm registry is unreachable ({proc.stderr.strip() or proc.returncode})"
        os.replace(tarball + ".part", tarball)
    algorithm, digest = pin["integrity"].split("-", 1)
    with open(tarball, "rb") as f:
        actual = base64.b64encode(hashlib.new(algorithm, f.read()).digest()).decode()
    if actual != digest:
        os.remove(tarball)
        raise AssertionError(f"{pin['tarball']}: {algorithm} {actual} is not the pinned {digest}")
    shutil.rmtree(target, ignore_errors=True)
    unpack = tempfile.mkdtemp(dir=cache)
    with tarfile.open(tarball) as tar:
        tar.extractall(unpack, filter="data")
    os.makedirs(node_modules, exist_ok=True)
    os.replace(os.path.join(unpack, "package"), target)
    os.rmdir(unpack)
    with open(stamp, "w") as f:
        f.write(pin["integrity"])
    return None


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "ports":
    # For the shell tests: `ghtest.py ports N` prints N distinct free ports.
    ports = set()
    while len(ports) < int(sys.argv[2]):
        ports.add(free_port())
    print(" ".join(str(p) for p in ports))


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "npm-ws":
    # For tests/bench/bench-gateway.sh: `ghtest.py npm-ws BUILDDIR` installs the pinned
    # npm ws (exit 0), or says why it cannot (exit 1).
    problem = install_npm_ws(sys.argv[2])
    if problem:
        print(problem, file=sys.stderr)
    sys.exit(1 if problem else 0)
