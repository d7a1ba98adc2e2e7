#!/usr/bin/python3
"""test_abuse_connections.py GATEHOUSED — no certificate can lock the admin out (issue 12)

The attacks a holder of a low certificate, or of none, can run against the admin
listener and the data port, each bounded in count and time, on loopback, against the
real daemon with Python's ssl; each check asserts what the admin would see: their own
request still answered, the attackers' connections refused with the right status or
closed in time, the daemon's descriptors and RSS bounded. The timeouts of the admin
listener are made short in the configuration (admin.timeouts); the data port's request
timeout is the fixed 10 s, so its attack starts first and is checked last.

Numbers observed (connections held, seconds to close, RSS) are printed as TAP comments.
Run with Debian's own interpreter (/usr/bin/python3). TAP output. Environment:
  GH_TEST_KEEP=1   keep the temporary directory (under the build dir)
"""
import concurrent.futures
import json
import os
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from ghtest import free_port, rss_kib, under_asan

GATEHOUSED = os.path.abspath(sys.argv[1])
BUILD_ROOT = os.environ.get("GATEHOUSE_BUILD_ROOT") or os.getcwd()
API = "/api/v1"

TIMEOUTS = {"handshake": 3, "request": 3, "body": 3, "idle": 15}
DATA_REQUEST_TIMEOUT = 10           # the data port's, fixed (docs/admin-api.md)
PER_IDENTITY, GLOBAL, RESERVE, PENDING, REFUSED = 16, 64, 8, 32, 16
RSS_BOUND_KIB = 64 * 1024
MARGIN = 3                          # seconds a timeout may be late: the sweep runs once a second

os.umask(0o077)
checks = []


def check(name):
    def wrap(func):
        checks.append((name, func))
        return func
    return wrap


def note(text):
    print("# " + text)
    sys.stdout.flush()


def run(*argv):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise AssertionError(f"{os.path.basename(argv[0])} {argv[1]} failed: {proc.stderr[-400:]}")
    return proc


def within(seconds, predicate, interval=0.05):
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# --------------------------------------------------------------------------------------
# The gateway, its admin CA and identities

class Gateway:
    def __init__(self, root):
        self.dir = os.path.join(root, "gateway")
        self.port, self.admin_port = free_port(), free_port()
        run(GATEHOUSED, "init", "--dir", self.dir, "--port", str(self.port), "--admin-port", str(self.admin_port))
        self.config_path = os.path.join(self.dir, "gatehoused.json")
        with open(self.config_path) as f:
            self.config = json.load(f)
        self.ca = os.path.join(self.dir, "ca.pem")
        self.log_path = os.path.join(self.dir, "gatehoused.log")
        self.identities = {}
        self.proc = None

    def file(self, name):
        return os.path.join(self.dir, name)

    def p12_to_pem(self, p12, password_file, out, *extra):
        run("openssl", "pkcs12", "-in", self.file(p12), "-passin", "file:" + self.file(password_file),
            "-nodes", *extra, "-out", out)
        return out

    def make_identities(self, specs):
        """@specs: name -> (common name, role or None); certificates from the admin CA."""
        pki = os.path.join(self.dir, "test-pki")
        os.makedirs(pki)
        self.identities["admin"] = (self.p12_to_pem("gatehouse-admin.p12", "gatehouse-admin.pw",
                                                    os.path.join(pki, "admin.pem")), None)
        ca_key = self.p12_to_pem("admin-ca-key.p12", "admin-ca-key.pw", os.path.join(pki, "admin-ca.key"),
                                 "-nocerts")
        for name, (cn, role) in specs.items():
            key, cert = os.path.join(pki, name + ".key"), os.path.join(pki, name + ".pem")
            run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)
            run("openssl", "req", "-new", "-x509", "-key", key, "-subj", "/CN=" + cn, "-days", "2",
                "-CA", self.file("admin-ca.pem"), "-CAkey", ca_key, "-out", cert,
                "-addext", "extendedKeyUsage=clientAuth")
            self.identities[name] = (cert, key)
            if role:
                self.config["admin"]["identities"].append({"subject": "CN=" + cn, "role": role})

    def start(self):
        with open(self.config_path, "w") as f:
            json.dump(self.config, f, indent=2)
        self.log = open(self.log_path, "w")
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        self.proc = subprocess.Popen([GATEHOUSED, "--config", self.config_path], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        return all(within(15, lambda p=p: self.listens(p)) for p in (self.port, self.admin_port))

    @staticmethod
    def listens(port):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def log_text(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def rss_kib(self):
        return rss_kib(self.proc.pid)


    def n_connections(self, ports=None):
        """TCP connections the daemon holds open on @ports, by default both of its ports
        (its descriptors that are sockets in /proc/net/tcp, listeners aside)."""
        inodes = set()
        for fd in os.listdir(f"/proc/{self.proc.pid}/fd"):
            try:
                target = os.readlink(f"/proc/{self.proc.pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        ports = {f"{port:04X}" for port in (ports or (self.port, self.admin_port))}
        held = 0
        for table in ("tcp", "tcp6"):
            with open(f"/proc/{self.proc.pid}/net/{table}") as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    if fields[1].rsplit(":", 1)[1] in ports and fields[3] != "0A" and fields[9] in inodes:
                        held += 1
        return held

    def under_asan(self):
        return under_asan(self.proc.pid)


    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    # ---- clients

    def admin_context(self, identity):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE       # this test is not about the pin
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        cert, key = self.identities[identity]
        context.load_cert_chain(cert, key)
        return context

    def admin_connect(self, identity):
        raw = socket.create_connection(("127.0.0.1", self.admin_port), timeout=10)
        return self.admin_context(identity).wrap_socket(raw)

    def host(self):
        return f"127.0.0.1:{self.admin_port}"

    def request_text(self, method="GET", path="/info"):
        return f"{method} {API}{path} HTTP/1.1\r\nHost: {self.host()}\r\n\r\n".encode()


def read_response(sock, timeout=10):
    """(status, lower-case headers, body) of one response on @sock, or None when the
    connection ends first."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            body += chunk
        return int(lines[0].split()[1]), headers, body
    except (OSError, ssl.SSLError, ValueError, IndexError):
        return None


def connection_ends(sock, timeout=5):
    """Whether the server ends @sock's connection (an end of stream or a reset) within
    @timeout, with nothing more sent; closes @sock."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except (socket.timeout, ssl.SSLWantReadError):
        return False
    except (OSError, ssl.SSLError):
        return True
    finally:
        sock.close()


def problem_name(response):
    try:
        return json.loads(response[2])["type"].rsplit("/", 1)[-1]
    except (ValueError, KeyError, AttributeError):
        return None


def admin_gets_through(gw, identity="admin"):
    """A whole admin request on a new connection: its status, or what went wrong."""
    try:
        sock = gw.admin_connect(identity)
    except (OSError, ssl.SSLError) as e:
        return f"no connection: {e}"
    try:
        sock.sendall(gw.request_text())
        response = read_response(sock)
        return response[0] if response else "the connection ended without an answer"
    except (OSError, ssl.SSLError) as e:
        return f"{type(e).__name__}: {e}"
    finally:
        sock.close()


class Watcher(threading.Thread):
    """Follows a set of attacking sockets from the client's side and records when each
    one ends (end of stream, reset, TLS error), and what the server sent before."""

    def __init__(self):
        super().__init__(daemon=True)
        self.lock = threading.Lock()
        self.socks = {}             # fd -> [sock, opened, closed or None, received bytes]
        self.stopping = False
        self.start()

    def add(self, sock, opened=None):
        sock.setblocking(False)
        with self.lock:
            self.socks[sock.fileno()] = [sock, opened or time.monotonic(), None, b""]

    def run(self):
        while not self.stopping:
            with self.lock:
                live = {fd: entry for fd, entry in self.socks.items() if entry[2] is None}
            if not live:
                time.sleep(0.05)
                continue
            readable, _, _ = select.select(list(live), [], [], 0.1)
            for fd in readable:
                entry = live[fd]
                while True:
                    try:
                        chunk = entry[0].recv(65536)
                    except (ssl.SSLWantReadError, BlockingIOError):
                        break
                    except (OSError, ssl.SSLError):
                        chunk = b""
                    if not chunk:
                        entry[2] = time.monotonic()
                        break
                    entry[3] += chunk

    def entries(self):
        with self.lock:
            return list(self.socks.values())

    def n_open(self):
        return sum(1 for e in self.entries() if e[2] is None)

    def close_all(self):
        for entry in self.entries():
            entry[0].close()
        with self.lock:
            self.socks.clear()

    def stop(self):
        self.stopping = True
        self.join(2)
        self.close_all()


def lifetimes(watcher):
    return [e[2] - e[1] for e in watcher.entries() if e[2] is not None]


def check_rss(gw, what):
    if gw.under_asan():
        note(f"RSS not bounded under AddressSanitizer ({what})")
        return
    rss = gw.rss_kib()
    note(f"RSS {rss // 1024} MiB {what}")
    assert rss < RSS_BOUND_KIB, f"the daemon's RSS is {rss // 1024} MiB {what}, over {RSS_BOUND_KIB // 1024} MiB"


# --------------------------------------------------------------------------------------
# The data port: its attack runs from the start, and is checked last.

data_watcher = None
data_opened = None


def start_data_port_slowloris(gw, count=200):
    global data_watcher, data_opened
    context = ssl.create_default_context(cafile=gw.ca)
    data_watcher = Watcher()
    for _ in range(count):
        raw = socket.create_connection(("127.0.0.1", gw.port), timeout=10)
        sock = context.wrap_socket(raw, server_hostname="localhost")
        # An upgrade request whose headers never end.
        sock.sendall(b"GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n")
        data_watcher.add(sock)
    data_opened = time.monotonic()


UPGRADE = (b"GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")


def websocket_open(gw):
    """A WebSocket to the echo service, by hand: the TLS socket after its 101."""
    context = ssl.create_default_context(cafile=gw.ca)
    raw = socket.create_connection(("127.0.0.1", gw.port), timeout=10)
    sock = context.wrap_socket(raw, server_hostname="localhost")
    sock.sendall(UPGRADE)
    response = read_response(sock)
    assert response and response[0] == 101, f"no upgrade: {response}"
    return sock


def websocket_frame(opcode, payload):
    mask = b"\x01\x02\x03\x04"
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def websocket_echo(gw):
    """One WebSocket echo on the data port: what a real client does."""
    with websocket_open(gw) as sock:
        payload = b"still here"
        sock.sendall(websocket_frame(1, payload))
        frame = b""
        while len(frame) < 2 + len(payload):
            chunk = sock.recv(4096)
            if not chunk:
                return "the connection ended before the echo"
            frame += chunk
        return None if frame[2:2 + len(payload)] == payload else f"another echo: {frame!r}"


def session_closed(client):
    """The reason the log gives for the session from @client ("ip:port" or a regex)."""
    match = re.search(r"session \w+ from " + client + r": closed \((.*?)\), \d+ bytes in", gw.log_text())
    return match and match.group(1)


@check("data port: 200 TLS connections hold an unfinished upgrade request; a WebSocket client still gets its echo")
def _():
    assert data_watcher is not None and len(data_watcher.entries()) == 200, "the slowloris connections did not open"
    problem = websocket_echo(gw)
    assert problem is None, problem


# --------------------------------------------------------------------------------------
# The admin listener

@check(f"admin: 100 half-open handshakes: at most {PENDING} held, the admin gets through, "
       f"the rest gone after admin.timeouts.handshake")
def _():
    watcher = Watcher()
    try:
        for i in range(100):
            sock = socket.create_connection(("127.0.0.1", gw.admin_port), timeout=10)
            if i % 2:
                sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")   # a ClientHello's first bytes
            watcher.add(sock)
        status = admin_gets_through(gw)
        assert status == 200, f"the admin's GET /info: {status}"
        held = within(2, lambda: watcher.n_open() <= PENDING and watcher.n_open()) or watcher.n_open()
        conns = gw.n_connections([gw.admin_port])
        note(f"half-open handshakes held: {held} of 100; the daemon holds {conns} admin connections")
        assert held <= PENDING, f"{held} half-open handshakes are held"
        assert conns <= PENDING + 1, f"the daemon holds {conns} admin connections"
        closed = within(TIMEOUTS["handshake"] + MARGIN, lambda: watcher.n_open() == 0)
        longest = max(lifetimes(watcher), default=0)
        note(f"the last half-open handshake was closed after {longest:.1f} s")
        assert closed, f"{watcher.n_open()} half-open handshakes still open after {TIMEOUTS['handshake'] + MARGIN} s"
    finally:
        watcher.stop()


@check(f"admin: 70 connections as a certificate that is no identity hold no slot (at most {REFUSED} open); "
       "its request gets 403 not-an-identity and the connection closes; the admin gets through")
def _():
    watcher = Watcher()
    try:
        for _ in range(70):
            try:
                watcher.add(gw.admin_connect("stranger"))
            except (OSError, ssl.SSLError):
                pass                # closed in the handshake: counted as closed
        status = admin_gets_through(gw)
        assert status == 200, f"the admin's GET /info: {status}"
        held = within(2, lambda: watcher.n_open() <= REFUSED and watcher.n_open()) or watcher.n_open()
        note(f"stranger connections open: {held} of 70")
        assert held <= REFUSED, f"{held} stranger connections are held"

        closed = within(TIMEOUTS["request"] + MARGIN, lambda: watcher.n_open() == 0)
        note(f"the last idle stranger connection was closed after {max(lifetimes(watcher), default=0):.1f} s")
        assert closed, f"{watcher.n_open()} stranger connections still open"

        sock = gw.admin_connect("stranger")
        sock.sendall(gw.request_text())
        response = read_response(sock)
        assert response and response[0] == 403 and problem_name(response) == "not-an-identity", \
            f"the stranger's request: {response}"
        assert response[1].get("connection", "").lower() == "close", f"no Connection: close: {response[1]}"
        assert connection_ends(sock), "the stranger's connection stayed open after its 403"
        check_rss(gw, "after 70 stranger connections")
    finally:
        watcher.stop()


@check("admin: slowloris: request headers trickled a byte at a time get 408 request-timeout "
       "within admin.timeouts.request, and the connection closes")
def _():
    sock = gw.admin_connect("viewer1")
    start = time.monotonic()
    text = gw.request_text()[:-2] + b"X-Slow: " + b"a" * 200
    received = b""
    sock.settimeout(0.3)
    try:
        for byte in text:
            if time.monotonic() - start > TIMEOUTS["request"] + MARGIN + 2:
                break
            try:
                sock.sendall(bytes([byte]))
            except (OSError, ssl.SSLError):
                sock.settimeout(2)      # the answer may be waiting still
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, ssl.SSLWantReadError):
                continue
            except (OSError, ssl.SSLError):
                break
            if not chunk:
                break
            received += chunk
    finally:
        elapsed = time.monotonic() - start
        sock.close()
    note(f"the trickled headers were answered {received[:12]!r} after {elapsed:.1f} s")
    assert received.startswith(b"HTTP/1.1 408"), f"no 408 in {elapsed:.1f} s: {received[:200]!r}"
    assert b"request-timeout" in received, f"no problem request-timeout: {received[:400]!r}"
    assert elapsed <= TIMEOUTS["request"] + MARGIN, f"408 only after {elapsed:.1f} s"


@check("admin: a body that stops half-way gets 408 request-timeout within admin.timeouts.body")
def _():
    sock = gw.admin_connect("viewer1")
    body = b'{"version": 1, "services": []}'
    sock.sendall(f"POST {API}/config/validate HTTP/1.1\r\nHost: {gw.host()}\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(body) + 1000}\r\n\r\n".encode() + body)
    start = time.monotonic()
    response = read_response(sock, timeout=TIMEOUTS["body"] + MARGIN + 3)
    elapsed = time.monotonic() - start
    ended = connection_ends(sock)
    note(f"the half body was answered {response and response[0]} after {elapsed:.1f} s")
    assert response and response[0] == 408 and problem_name(response) == "request-timeout", f"{response}"
    assert elapsed <= TIMEOUTS["body"] + MARGIN, f"408 only after {elapsed:.1f} s"
    assert ended, "the connection stayed open after the 408"


class Holder:
    """Connections of identities that made one request each and then sit idle."""

    def __init__(self):
        self.watcher = Watcher()
        self.statuses = {}          # identity -> [status or None…]
        self.held = []              # (identity, answered at)
        self.refusals = []          # 503 responses
        self.lock = threading.Lock()

    def open_one(self, identity):
        try:
            sock = gw.admin_connect(identity)
            sock.sendall(gw.request_text())
            response = read_response(sock)
        except (OSError, ssl.SSLError):
            return None
        with self.lock:
            self.statuses.setdefault(identity, []).append(response and response[0])
            if response and response[0] == 200:
                self.held.append((identity, time.monotonic()))
                self.watcher.add(sock)
                return response
            if response and response[0] == 503:
                self.refusals.append(response)
        sock.close()
        return response

    def open(self, identity, count, threads=1):
        """@count connections of @identity, by @threads clients at once."""
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            for response in pool.map(lambda _: self.open_one(identity), range(count)):
                if response is None:
                    with self.lock:
                        self.statuses.setdefault(identity, []).append(None)

    def count(self, identity, status):
        return self.statuses.get(identity, []).count(status)


holder = None


@check(f"admin: 200 connections of one viewer: at most {PER_IDENTITY} hold a slot, the others get "
       "503 too-many-connections with Retry-After; the admin gets through")
def _():
    global holder
    holder = Holder()
    holder.open("viewer1", 200, threads=8)
    held = holder.count("viewer1", 200)
    refused = holder.count("viewer1", 503)
    note(f"viewer1: {held} connections hold a slot, {refused} answered 503, "
         f"{200 - held - refused} closed without an answer")
    assert 1 <= held <= PER_IDENTITY, f"{held} connections of one viewer were served at once"
    assert refused >= 1, "no 503 for a connection over the limit"
    response = holder.refusals[0]
    assert problem_name(response) == "too-many-connections", response
    assert response[1].get("retry-after", "").isdigit(), f"no Retry-After: {response[1]}"
    assert response[1].get("connection", "").lower() == "close", f"no Connection: close: {response[1]}"
    status = admin_gets_through(gw)
    assert status == 200, f"the admin's GET /info: {status}"
    check_rss(gw, "with 200 connections of one viewer")


@check(f"admin: viewers fill all but the last {RESERVE} slots; those are the admin role's: "
       "an operator gets 503, the admin gets through")
def _():
    holder.open("viewer2", PER_IDENTITY)
    holder.open("viewer3", PER_IDENTITY)
    holder.open("viewer4", PER_IDENTITY)
    non_admin = holder.watcher.n_open()
    note(f"viewers hold {non_admin} slots; connections they were served on: "
         + ", ".join(f"{v}: {holder.count(v, 200)}" for v in ("viewer1", "viewer2", "viewer3", "viewer4")))
    assert non_admin <= GLOBAL - RESERVE, f"viewers hold {non_admin} of {GLOBAL} slots"
    assert non_admin == GLOBAL - RESERVE, f"viewers got only {non_admin} slots: the limits are too tight"
    holder.open("operator", 1)
    assert holder.count("operator", 503) == 1, f"the operator got {holder.statuses['operator']}"
    assert "admin role" in holder.refusals[-1][2].decode(), holder.refusals[-1][2]
    for _ in range(3):
        status = admin_gets_through(gw)
        assert status == 200, f"the admin's GET /info: {status}"


@check("admin: the idle connections are closed after admin.timeouts.idle, not before")
def _():
    watcher = holder.watcher
    try:
        closed = within(TIMEOUTS["idle"] + MARGIN + 2, lambda: watcher.n_open() == 0)
        times = lifetimes(watcher)
        note(f"{len(times)} idle connections closed after {min(times, default=0):.1f} to "
             f"{max(times, default=0):.1f} s")
        assert closed, f"{watcher.n_open()} idle connections still open"
        assert min(times) >= TIMEOUTS["idle"] - 1, f"an idle connection was closed after {min(times):.1f} s"
        assert max(times) <= TIMEOUTS["idle"] + MARGIN, f"an idle connection was closed after {max(times):.1f} s"
        status = admin_gets_through(gw, "viewer1")
        assert status == 200, f"viewer1 after its connections closed: {status}"
    finally:
        watcher.stop()


@check("data port: the log says how a session ended: a close frame, a client that went away without one, "
       "a refused TLS renegotiation")
def _():
    closing = websocket_open(gw)
    closing_port = closing.getsockname()[1]
    closing.sendall(websocket_frame(8, b"\x03\xe8"))
    within(5, lambda: session_closed(f"127.0.0.1:{closing_port}"))
    closing.close()
    vanishing = websocket_open(gw)
    vanishing_port = vanishing.getsockname()[1]
    vanishing.close()               # no close frame, no close_notify: the TCP connection ends
    # openssl s_client over TLS 1.2 renegotiates on a line "R".
    proc = subprocess.Popen(["openssl", "s_client", "-connect", f"127.0.0.1:{gw.port}", "-servername", "localhost",
                             "-tls1_2", "-crlf", "-CAfile", gw.ca], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        proc.stdin.write(UPGRADE.replace(b"\r\n", b"\n"))
        proc.stdin.flush()
        opened = within(5, lambda: re.search(r"session (\w+) from ([\d.:]+): opened over TLS1\.2", gw.log_text()))
        assert opened, "no TLS 1.2 WebSocket session from openssl s_client"
        proc.stdin.write(b"R\n")
        proc.stdin.flush()
        renegotiated = within(5, lambda: session_closed(re.escape(opened.group(2))))
    finally:
        proc.kill()
        proc.wait()
    reasons = {"close frame": session_closed(f"127.0.0.1:{closing_port}"),
               "vanished": within(5, lambda: session_closed(f"127.0.0.1:{vanishing_port}")),
               "renegotiation": renegotiated}
    note(f"close reasons logged: {reasons}")
    assert reasons["close frame"] == "closed by the client", reasons
    assert reasons["vanished"] == "the client went away without closing", reasons
    assert reasons["renegotiation"] and "renegotiate" in reasons["renegotiation"], reasons


@check(f"data port: the slowloris connections were closed {DATA_REQUEST_TIMEOUT} s after their handshake; "
       "the daemon holds no connection any more")
def _():
    try:
        closed = within(max(0, data_opened + DATA_REQUEST_TIMEOUT + MARGIN - time.monotonic()),
                        lambda: data_watcher.n_open() == 0)
        times = lifetimes(data_watcher)
        note(f"data port: {len(times)} of 200 slowloris connections closed, after {min(times, default=0):.1f} "
             f"to {max(times, default=0):.1f} s")
        assert closed, f"{data_watcher.n_open()} slowloris connections still open on the data port"
        assert max(times) <= DATA_REQUEST_TIMEOUT + MARGIN, f"one was closed after {max(times):.1f} s"
        back = within(MARGIN, lambda: gw.n_connections() == 0)
        note(f"the daemon holds {gw.n_connections()} connections")
        assert back, f"the daemon still holds {gw.n_connections()} connections"
        check_rss(gw, "at the end")
    finally:
        data_watcher.stop()


# --------------------------------------------------------------------------------------

root = tempfile.mkdtemp(prefix="abuse-test-", dir=BUILD_ROOT)
gw = Gateway(root)


def main():
    failed = 0
    try:
        gw.config["admin"]["timeouts"] = TIMEOUTS
        gw.make_identities({"viewer1": ("abuse-viewer-1", "viewer"), "viewer2": ("abuse-viewer-2", "viewer"),
                            "viewer3": ("abuse-viewer-3", "viewer"), "viewer4": ("abuse-viewer-4", "viewer"),
                            "operator": ("abuse-operator", "operator"), "stranger": ("abuse-stranger", None)})
        assert gw.start(), "the gateway does not listen"
        start_data_port_slowloris(gw)
    except Exception:
        print("Bail out! the gateway could not be set up")
        for line in traceback.format_exc().splitlines():
            print("# " + line)
        if gw.proc:
            print("".join("# " + line for line in gw.log_text().splitlines(True)[-20:]))
        gw.stop()
        return 1

    for number, (name, func) in enumerate(checks, 1):
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
    print(f"1..{len(checks)}")

    gw.stop()
    if failed:
        print("# gateway log (last lines):")
        print("".join("# " + line for line in gw.log_text().splitlines(True)[-30:]))
    if not os.environ.get("GH_TEST_KEEP"):
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


sys.exit(main())
