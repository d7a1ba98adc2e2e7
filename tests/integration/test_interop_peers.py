#!/usr/bin/python3
"""test_interop_peers.py GATEHOUSED BUILDDIR — the interoperability matrix (#13): one real
gatehoused on loopback, its proxy services in front of back-ends we did not write, and
clients we did not write in front of its echo and proxy services. TAP output.

Back-ends (each through a proxy service, echoes checked byte for byte, text and binary,
with 1 and with 100 concurrent sessions): Node.js ws (npm) over wss and ws; Python
websockets over wss (TLS 1.3 with and without session tickets, TLS 1.2) and ws; nginx
terminating TLS 1.3 and 1.2 in front of a plain WebSocket echo; gnutls-serv and
openssl s_server as ssl:// byte streams, TLS 1.3 and 1.2, with tickets and without,
and asking for a client certificate. Then the post-handshake messages behind #13: a
KeyUpdate mid-session and data in the same flight as the tickets (openssl s_server);
and back-ends that accept TCP and never answer.

Clients: Python websockets, Node.js ws, openssl s_client, gnutls-cli and headless
Chromium (driven over the DevTools protocol).

A peer that cannot run here (a tool missing, the npm registry unreachable) is a SKIP
with the reason, never a pass. Run with Debian's /usr/bin/python3 (python3-websockets).
GATEHOUSE_TEST_ONLY=TEXT runs only the cases whose name holds TEXT.
"""
import asyncio
import base64
import hashlib
import json
import os
import random
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
import http.client
import urllib.request

from ghtest import free_port, install_npm_ws

from websockets.asyncio.client import connect as ws_connect
from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed

GATEHOUSED = os.path.abspath(sys.argv[1])
BUILDDIR = os.path.abspath(sys.argv[2])
HERE = os.path.dirname(os.path.abspath(__file__))
CONNECT_TIMEOUT = 10  # GH_CONNECT_TIMEOUT in src/gateway/dataplane/gh-dataplane-private.h
results = []


class Skip(Exception):
    """The peer cannot run here; the reason is reported as a TAP SKIP."""


def test(name):
    def wrap(func):
        results.append((name, func))
        return func
    return wrap


def wait_port(port, timeout=15, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{proc.args[0]} exited ({proc.returncode}) before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def run(*argv, timeout=30):
    proc = subprocess.run(argv, capture_output=True, timeout=timeout, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"{argv[0]} failed ({proc.returncode}): {proc.stderr}")
    return proc


def need(tool):
    path = shutil.which(tool)
    if path is None:
        raise Skip(f"{tool} is not installed")
    return path


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


root = tempfile.mkdtemp(prefix="gatehoused-interop-")
peers = []  # processes to stop at the end


def start_peer(name, argv, port=None, stdin=None, env=None, ready_line=None):
    """Starts a peer process, its output in a log file (or a pipe for stdout when
    @ready_line is given), and waits until it listens on @port."""
    log = open(os.path.join(root, name + ".log"), "w")
    proc = subprocess.Popen(argv, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE if ready_line else log, stderr=log, env=env)
    proc.log_path = log.name
    peers.append(proc)
    if ready_line:
        line = proc.stdout.readline().decode(errors="replace")
        if ready_line not in line:
            raise AssertionError(f"{name} did not start: {line!r} {open(log.name).read()}")
    if port is not None:
        wait_port(port, proc=proc)
    return proc


class Gateway:
    """A gatehoused made with `init`, its configuration extended by the test (a copy of
    test_gatehoused.py's, reduced to what this file uses)."""

    def __init__(self, name, args=()):
        self.dir = os.path.join(root, name)
        self.args = list(args)
        self.port = free_port()
        self.admin_port = free_port()
        run(GATEHOUSED, "init", "--dir", self.dir, "--port", str(self.port), "--admin-port", str(self.admin_port))
        self.config_path = os.path.join(self.dir, "gatehoused.json")
        with open(self.config_path) as f:
            self.config = json.load(f)
        self.ca = os.path.join(self.dir, "ca.pem")
        self.log_path = os.path.join(self.dir, "gatehoused.log")
        self.proc = None

    def add_service(self, service):
        self.config["services"].append(service)

    def start(self):
        with open(self.config_path + ".tmp", "w") as f:
            json.dump(self.config, f, indent=2)
        os.replace(self.config_path + ".tmp", self.config_path)
        self.log = open(self.log_path, "w")
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        self.proc = subprocess.Popen([GATEHOUSED, "--config", self.config_path, *self.args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        wait_port(self.port, proc=self.proc)

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc:
            self.log.close()


gw = Gateway("gateway", ["--workers", "2"])

# The back-ends show the gateway's own certificate for localhost, which the gateway's
# truststore (its CA) verifies; the same certificate is the client certificate the
# gateway presents to the back-ends that ask for one.
dump = run("openssl", "pkcs12", "-in", os.path.join(gw.dir, "keystore.p12"), "-nodes",
           "-passin", "file:" + os.path.join(gw.dir, "keystore.pw")).stdout
blocks = [b for b in dump.split("Bag Attributes") if "friendlyName: gateway\n" in b]
CERT = os.path.join(root, "backend-cert.pem")
KEY = os.path.join(root, "backend-key.pem")
with open(CERT, "w") as f:
    leaf = next(b for b in blocks if "BEGIN CERTIFICATE" in b)
    f.write(leaf[leaf.index("-----BEGIN"):])
key = next(b for b in blocks if "PRIVATE KEY-----" in b)
write_private(KEY, key[key.index("-----BEGIN"):])
del dump, blocks, key


def service(name, connect, accept="wss", **extra):
    """A proxy service named @name to @connect; returns the client's URI (wss) or port (ssl)."""
    if accept == "wss":
        uri = f"wss://localhost:{gw.port}/{name}"
        gw.add_service({"name": name, "type": "proxy", "accept": [uri], "connect": connect, **extra})
        return uri
    port = free_port()
    gw.add_service({"name": name, "type": "proxy", "accept": [f"ssl://127.0.0.1:{port}"],
                    "connect": connect, **extra})
    return port


TLS13 = "SECURE:-VERS-ALL:+VERS-TLS1.3"
TLS12 = "SECURE:-VERS-ALL:+VERS-TLS1.2"
CLIENT_CERT = {"client-certificate-alias": "gateway"}

# Ports of the back-ends, and the services in front of them.
P = {name: free_port() for name in (
    "node-wss", "node-ws", "py-wss13", "py-wss13-noticket", "py-wss12", "py-ws",
    "nginx13", "nginx12", "gnutls13", "gnutls12", "gnutls13-noticket", "gnutls-mtls",
    "openssl13", "openssl12", "openssl-mtls", "openssl-talk", "silent", "silent-tls")}
URI = {
    "node-wss": service("node-wss", f"wss://localhost:{P['node-wss']}/"),
    "node-ws": service("node-ws", f"ws://127.0.0.1:{P['node-ws']}/"),
    "py-wss13": service("py-wss13", f"wss://localhost:{P['py-wss13']}/"),
    "py-wss13-noticket": service("py-wss13-noticket", f"wss://localhost:{P['py-wss13-noticket']}/"),
    "py-wss12": service("py-wss12", f"wss://localhost:{P['py-wss12']}/"),
    "py-ws": service("py-ws", f"ws://127.0.0.1:{P['py-ws']}/"),
    "py-ws-idle": service("py-ws-idle", f"ws://127.0.0.1:{P['py-ws']}/"),
    "nginx13": service("nginx13", f"wss://localhost:{P['nginx13']}/"),
    "nginx12": service("nginx12", f"wss://localhost:{P['nginx12']}/"),
    # Byte streams: clients reach them over ssl:// accepts
    "gnutls13": service("gnutls13", f"ssl://localhost:{P['gnutls13']}", accept="ssl",
                        **{"connect-tls": {"priority": TLS13}}),
    "gnutls12": service("gnutls12", f"ssl://localhost:{P['gnutls12']}", accept="ssl",
                        **{"connect-tls": {"priority": TLS12}}),
    "gnutls13-noticket": service("gnutls13-noticket", f"ssl://localhost:{P['gnutls13-noticket']}", accept="ssl"),
    "gnutls-mtls": service("gnutls-mtls", f"ssl://localhost:{P['gnutls-mtls']}", accept="ssl",
                           **{"connect-tls": CLIENT_CERT}),
    "openssl13": service("openssl13", f"ssl://localhost:{P['openssl13']}", accept="ssl"),
    "openssl12": service("openssl12", f"ssl://localhost:{P['openssl12']}", accept="ssl"),
    "openssl-mtls": service("openssl-mtls", f"ssl://localhost:{P['openssl-mtls']}", accept="ssl",
                            **{"connect-tls": CLIENT_CERT}),
    # WebSocket clients in front of a byte stream: what s_server writes comes as binary messages
    "openssl-talk": service("openssl-talk", f"ssl://localhost:{P['openssl-talk']}"),
    # Back-ends that accept TCP and never answer
    "silent-tls": service("silent-tls", f"wss://localhost:{P['silent']}/"),
    "silent-upgrade": service("silent-upgrade", f"ws://127.0.0.1:{P['silent']}/"),
    "silent-tls-upgrade": service("silent-tls-upgrade", f"wss://localhost:{P['silent-tls']}/"),
}
# For the clients: the gateway's own echo services, and an ssl:// echo and proxy
SSL_ECHO_PORT = free_port()
gw.add_service({"name": "ssl-echo", "type": "echo", "accept": [f"ssl://127.0.0.1:{SSL_ECHO_PORT}"]})
ECHO_URI = f"wss://localhost:{gw.port}/echo"


def client_context():
    return ssl.create_default_context(cafile=gw.ca)


# Python websockets back-ends, all on one event loop in a thread of their own

async def python_echo(ws):
    async for message in ws:
        await ws.send(message)


def python_server_context(version, tickets=True):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = context.maximum_version = version
    context.load_cert_chain(CERT, KEY)
    if not tickets:
        context.num_tickets = 0
    return context


def python_backends(ready, stop):
    async def main():
        servers = [
            (P["py-wss13"], python_server_context(ssl.TLSVersion.TLSv1_3)),
            (P["py-wss13-noticket"], python_server_context(ssl.TLSVersion.TLSv1_3, tickets=False)),
            (P["py-wss12"], python_server_context(ssl.TLSVersion.TLSv1_2)),
            (P["py-ws"], None),
        ]
        opened = [await ws_serve(python_echo, "127.0.0.1", port, ssl=context, max_size=2**24,
                                 compression=None, ping_interval=None).__aenter__() for port, context in servers]
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for server in opened:
            server.close()
    asyncio.run(main())


# Clients of our own, to drive the back-ends

def payloads(seed, n):
    """@n messages, text and binary in turn, of sizes that cross the WebSocket length
    encodings (7-bit, 16-bit, 64-bit)."""
    rng = random.Random(seed)
    sizes = [1, 125, 126, 4000, 65535, 70000]
    out = []
    for i in range(n):
        size = sizes[i % len(sizes)] if seed == 0 else rng.randint(1, 8192)
        if i % 2 == 0:
            out.append("".join(rng.choice("abcdefgh €ü✓") for _ in range(size)))
        else:
            out.append(rng.randbytes(size))
    return out


async def websocket_sessions(uri, n_sessions, n_messages=4):
    """@n_sessions concurrent sessions, each checking its echoes byte for byte and by
    type; raises naming how many failed and the first failure."""
    async def one(seed):
        async with ws_connect(uri, ssl=client_context() if uri.startswith("wss") else None,
                              max_size=2**24, open_timeout=30, compression=None) as ws:
            for i, payload in enumerate(payloads(seed, n_messages if seed else 6)):
                await ws.send(payload)
                reply = await asyncio.wait_for(ws.recv(), 15)
                assert type(reply) is type(payload), f"message {i} came back as {type(reply).__name__}"
                assert reply == payload, f"message {i} ({len(payload)}) came back different"
        return None

    outcomes = await asyncio.gather(*(one(seed) for seed in range(n_sessions)), return_exceptions=True)
    failures = [o for o in outcomes if o is not None]
    assert not failures, f"{len(failures)} of {n_sessions} sessions failed; the first: {failures[0]!r}"


def stream_payload(rng, size, lines):
    if lines:  # for openssl s_server -rev, which answers line by line
        return bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(size)) + b"\n"
    # gnutls-serv --echo answers line by line (with --crlf, byte for byte) and treats
    # what it reads as a C string: every byte but NUL, ending with a newline
    return bytes(rng.randint(1, 255) for _ in range(size)) + b"\n"


async def stream_sessions(port, n_sessions, n_messages=4, reverse_lines=False):
    """Byte-stream sessions through an ssl:// accept; each message's echo (or, for
    `s_server -rev`, the line reversed) is read back in full and compared."""
    async def one(seed):
        rng = random.Random(seed)
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=client_context(), server_hostname="localhost"), 30)
        try:
            for i in range(n_messages):
                payload = stream_payload(rng, rng.randint(1, 4000 if reverse_lines else 16384), reverse_lines)
                expected = payload[:-1][::-1] + b"\n" if reverse_lines else payload
                writer.write(payload)
                await writer.drain()
                reply = await asyncio.wait_for(reader.readexactly(len(expected)), 15)
                assert reply == expected, f"message {i} ({len(payload)} bytes) came back different"
        finally:
            writer.close()
        return None

    outcomes = await asyncio.gather(*(one(seed) for seed in range(n_sessions)), return_exceptions=True)
    failures = [o for o in outcomes if o is not None]
    assert not failures, f"{len(failures)} of {n_sessions} sessions failed; the first: {failures[0]!r}"


# Node.js ws from the npm registry, pinned by version and integrity, kept under the build dir

NODE_MODULES = os.path.join(BUILDDIR, "node_modules")
node_problem = None


def node_env():
    if node_problem:
        raise Skip(node_problem)
    return dict(os.environ, NODE_PATH=NODE_MODULES)


def node_client(uri, n_sessions, n_messages=4):
    proc = subprocess.run(["node", os.path.join(HERE, "interop-node-peer.js"), "client", uri, gw.ca,
                           str(n_sessions), str(n_messages)], capture_output=True, text=True,
                          timeout=90, env=node_env())
    assert proc.returncode == 0, f"Node.js ws client: {proc.stdout.strip()} {proc.stderr.strip()[-400:]}"
    assert json.loads(proc.stdout)["failed"] == 0


# The back-ends we did not write

def start_backends():
    global node_problem
    ready, stop = threading.Event(), threading.Event()
    threading.Thread(target=python_backends, args=(ready, stop), daemon=True).start()
    assert ready.wait(20), "the Python websockets back-ends did not start"

    try:
        node_problem = install_npm_ws(BUILDDIR)
    except Exception as e:
        node_problem = f"npm ws could not be installed: {e}"
        raise
    if not node_problem:
        env = node_env()
        script = os.path.join(HERE, "interop-node-peer.js")
        start_peer("node-wss", ["node", script, "server", str(P["node-wss"]), CERT, KEY], env=env,
                   ready_line="listening")
        start_peer("node-ws", ["node", script, "server", str(P["node-ws"])], env=env, ready_line="listening")

    if shutil.which("nginx"):
        start_nginx()
    if shutil.which("gnutls-serv"):
        for name, priority, extra in (
                ("gnutls13", "NORMAL:-VERS-ALL:+VERS-TLS1.3", []),
                ("gnutls12", "NORMAL:-VERS-ALL:+VERS-TLS1.2", []),
                ("gnutls13-noticket", "NORMAL:-VERS-ALL:+VERS-TLS1.3", ["--noticket"]),
                ("gnutls-mtls", "NORMAL", ["--require-client-cert", "--verify-client-cert",
                                           "--x509cafile", gw.ca])):
            start_peer(name, ["gnutls-serv", "--echo", "--crlf", "--port", str(P[name]), "--x509certfile", CERT,
                              "--x509keyfile", KEY, "--priority", priority, *extra], port=P[name])
    for name, extra in (("openssl13", ["-tls1_3"]), ("openssl12", ["-tls1_2"]),
                        ("openssl-mtls", ["-Verify", "1", "-CAfile", gw.ca, "-verify_return_error"])):
        start_peer(name, ["openssl", "s_server", "-accept", f"127.0.0.1:{P[name]}", "-cert", CERT, "-key", KEY,
                          "-rev", "-quiet", *extra], port=P[name])
    return stop


def start_nginx():
    """nginx terminating TLS (1.3 on one port, 1.2 on another) in front of the plain
    Python websockets echo, as such a back-end is usually deployed."""
    prefix = os.path.join(root, "nginx")
    os.makedirs(prefix)
    servers = "".join(f"""
    server {{
        listen 127.0.0.1:{P[name]} ssl;
        ssl_certificate {CERT};
        ssl_certificate_key {KEY};
        ssl_protocols {protocols};
        location / {{
            proxy_pass http://127.0.0.1:{P['py-ws']};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 300s;
        }}
    }}""" for name, protocols in (("nginx13", "TLSv1.3"), ("nginx12", "TLSv1.2")))
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(f"""daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{servers}
}}
""")
    start_peer("nginx", ["nginx", "-p", prefix + "/", "-c", os.path.join(prefix, "nginx.conf"),
                         "-e", os.path.join(prefix, "error.log")], port=P["nginx13"])


# The matrix: back-ends

BACKEND_ROWS = [
    # (name, peer, how it is reached, TLS, tickets)
    ("node-wss", "Node.js ws", "wss", "1.3", "tickets"),
    ("node-ws", "Node.js ws", "ws", "-", "-"),
    ("py-wss13", "Python websockets", "wss", "1.3", "tickets"),
    ("py-wss13-noticket", "Python websockets", "wss", "1.3", "no tickets"),
    ("py-wss12", "Python websockets", "wss", "1.2", "-"),
    ("py-ws", "Python websockets", "ws", "-", "-"),
    ("nginx13", "nginx (TLS) + Python websockets ws", "wss", "1.3", "tickets"),
    ("nginx12", "nginx (TLS) + Python websockets ws", "wss", "1.2", "-"),
    ("gnutls13", "gnutls-serv --echo", "ssl", "1.3", "tickets"),
    ("gnutls13-noticket", "gnutls-serv --echo", "ssl", "1.3", "no tickets"),
    ("gnutls12", "gnutls-serv --echo", "ssl", "1.2", "-"),
    ("gnutls-mtls", "gnutls-serv --echo, client certificate required", "ssl", "1.3", "tickets"),
    ("openssl13", "openssl s_server -rev", "ssl", "1.3", "tickets"),
    ("openssl12", "openssl s_server -rev", "ssl", "1.2", "-"),
    ("openssl-mtls", "openssl s_server -rev, client certificate required", "ssl", "1.3", "tickets"),
]
TOOL = {"node": "node", "nginx": "nginx", "gnutls": "gnutls-serv", "openssl": "openssl"}


def backend_case(name, scheme, n_sessions):
    tool = TOOL.get(name.split("-")[0].rstrip("0123456789"))
    if tool:
        need(tool)
    if name.startswith("node"):
        node_env()
    if scheme == "ssl":
        asyncio.run(stream_sessions(URI[name], n_sessions, n_messages=2 if n_sessions > 1 else 6,
                                    reverse_lines=name.startswith("openssl")))
    else:
        asyncio.run(websocket_sessions(URI[name], n_sessions))


for _name, _peer, _scheme, _tls, _tickets in BACKEND_ROWS:
    for _n in (1, 100):
        tls = f"TLS {_tls}, {_tickets}" if _tls != "-" else "no TLS"
        test(f"back-end {_peer} over {_scheme} ({tls}) through a proxy service, {_n} session(s)")(
            lambda name=_name, scheme=_scheme, n=_n: backend_case(name, scheme, n))


# Post-handshake messages mid-session (#13), with openssl s_server as an interactive back-end

class SServer:
    """openssl s_server talking to one client: what it reads goes to its stdout, what we
    write to its stdin goes to the client; "k"/"K" alone on a line sends a KeyUpdate
    (K asks the peer to update its keys as well)."""

    def __init__(self, port, greeting=b""):
        self.proc = subprocess.Popen(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", CERT,
                                      "-key", KEY, "-tls1_3", "-msg"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        peers.append(self.proc)
        self.output = b""
        # Not wait_port(): s_server would take the probe for its client (and give it the greeting)
        assert self.wait_output(b"ACCEPT", 10), f"s_server did not start: {self.output!r}"
        if greeting:  # waits in the pipe: s_server writes it as soon as a handshake is done
            self.send(greeting)

    def send(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_output(self, text, timeout=5):
        return self.wait_count(text, 1, timeout)

    def wait_count(self, text, count, timeout=5):
        deadline = time.monotonic() + timeout
        while self.output.count(text) < count and time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                self.output += chunk
        return self.output.count(text) >= count


# What s_server -msg prints for a KeyUpdate it sends, and one it receives
SENT_KEY_UPDATE = b">>> TLS 1.3, Handshake [length 0005], KeyUpdate"
RECEIVED_KEY_UPDATE = b"<<< TLS 1.3, Handshake [length 0005], KeyUpdate"


async def receive_bytes(ws, expected, timeout):
    got = b""
    deadline = time.monotonic() + timeout
    while len(got) < len(expected):
        message = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
        got += message if isinstance(message, bytes) else message.encode()
    return got


@test("openssl s_server greets in the same flight as its TLS 1.3 tickets, then sends KeyUpdates "
      "mid-session (k, and K that asks for one back): every message gets through at once, both ways")
def _():
    need("openssl")

    async def talk():
        server = SServer(P["openssl-talk"], greeting=b"hello from s_server\n")
        try:
            async with ws_connect(URI["openssl-talk"], ssl=client_context(), open_timeout=15) as ws:
                got = await receive_bytes(ws, b"hello from s_server\n", 3)
                assert got == b"hello from s_server\n", f"the greeting came as {got!r}"
                await ws.send(b"before the key updates\n")
                assert server.wait_output(b"before the key updates\n"), "s_server did not get the first message"
                for n, command in enumerate((b"k\n", b"K\n", b"k\n"), 1):
                    server.send(command)
                    # s_server takes a command only alone in its read: wait until it was sent
                    assert server.wait_count(SENT_KEY_UPDATE, n), f"s_server sent no KeyUpdate for {command!r}"
                    after = b"after %s" % command
                    server.send(after)
                    got = await receive_bytes(ws, after, 3)
                    assert got == after, f"after {command!r} the client got {got!r}"
                    sent = b"client after %s" % command
                    await ws.send(sent)
                    assert server.wait_output(sent), f"s_server did not get {sent!r} after {command!r}"
            # What the gateway's answer to K brought
            server.wait_count(RECEIVED_KEY_UPDATE, 1, timeout=2)
        finally:
            server.proc.kill()
            server.proc.wait()
        return server.output
    output = asyncio.run(talk())
    # K asked the gateway to update its keys too: GnuTLS answers with a KeyUpdate of its own
    assert output.count(RECEIVED_KEY_UPDATE) >= 1, "the gateway did not answer the requested KeyUpdate"


# The clients we did not write, against an echo service and a proxy service

@test("client Python websockets: the echo service and a proxy service (to Python websockets, TLS 1.3)")
def _():
    asyncio.run(websocket_sessions(ECHO_URI, 10))
    asyncio.run(websocket_sessions(URI["py-wss13"], 10))


@test("client Node.js ws: the echo service, 1 and 100 sessions")
def _():
    node_client(ECHO_URI, 1, 6)
    node_client(ECHO_URI, 100)


@test("client Node.js ws: a proxy service to a Node.js ws back-end over wss (the #13 report), 1 and 100 sessions")
def _():
    node_client(URI["node-wss"], 1, 6)
    node_client(URI["node-wss"], 100)


def tool_client(argv, data, timeout=15):
    """Runs a TLS command-line client, writes @data, and returns what it read once the
    whole echo is there, the client ends, or @timeout passes."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = b""
    try:
        proc.stdin.write(data)
        proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while len(out) < len(data) and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
    finally:
        proc.kill()
        _, err = proc.communicate()
    return out, err.decode(errors="replace")


def cli_payload(seed):
    rng = random.Random(seed)
    return bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789 .,;") for _ in range(3000)) + b"\n"


@test("client openssl s_client on ssl://, TLS 1.3 and 1.2: the ssl echo service and a proxy service (to gnutls-serv)")
def _():
    need("openssl")
    need("gnutls-serv")
    for port in (SSL_ECHO_PORT, URI["gnutls13"]):
        for version in ("-tls1_3", "-tls1_2"):
            data = cli_payload(port)
            out, err = tool_client(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
                                    "-CAfile", gw.ca, "-verify_return_error", "-quiet", version], data)
            assert out == data, f"port {port} {version}: {len(out)} of {len(data)} bytes came back; {err[-300:]}"


@test("client gnutls-cli on ssl://, TLS 1.3 and 1.2: the ssl echo service and a proxy service (to gnutls-serv)")
def _():
    need("gnutls-cli")
    for port in (SSL_ECHO_PORT, URI["gnutls13"]):
        for version in ("+VERS-TLS1.3", "+VERS-TLS1.2"):
            data = cli_payload(port + 1)
            out, err = tool_client(["gnutls-cli", "--x509cafile", gw.ca, "--port", str(port),
                                    "--priority", f"NORMAL:-VERS-ALL:{version}", "--logfile", "/dev/null",
                                    "localhost"], data)
            assert out == data, f"port {port} {version}: {len(out)} of {len(data)} bytes came back; {err[-300:]}"


CHROMIUM_SCRIPT = """
(async (urls) => {
  const results = [];
  for (const url of urls) {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const queue = [];
    let waiting = null;
    ws.onmessage = (e) => { queue.push(e.data); if (waiting) { waiting(); waiting = null; } };
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('could not open ' + url));
    });
    const messages = ['hello from Chromium', 'é✓'.repeat(3000), new Uint8Array(70000), new Uint8Array(10)];
    messages[2].forEach((_, i) => { messages[2][i] = (i * 7 + 3) & 255; });
    messages[3].forEach((_, i) => { messages[3][i] = 255 - i; });
    const detail = [];
    for (const sent of messages) {
      ws.send(sent);
      if (queue.length === 0)
        await new Promise((resolve) => { waiting = resolve; });
      const got = queue.shift();
      if (typeof sent === 'string')
        detail.push(got === sent);
      else
        detail.push(got instanceof ArrayBuffer && got.byteLength === sent.length &&
                    new Uint8Array(got).every((b, i) => b === sent[i]));
    }
    ws.close();
    results.push({ url, detail });
  }
  return JSON.stringify(results);
})(%s)
"""


async def chromium_evaluate(port, expression):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
        targets = json.load(response)
    page = next(t for t in targets if t.get("type") == "page")
    async with ws_connect(page["webSocketDebuggerUrl"], max_size=2**24, open_timeout=15) as devtools:
        await devtools.send(json.dumps({"id": 1, "method": "Runtime.evaluate",
                                        "params": {"expression": expression, "awaitPromise": True,
                                                   "returnByValue": True}}))
        while True:
            reply = json.loads(await asyncio.wait_for(devtools.recv(), 30))
            if reply.get("id") == 1:
                return reply["result"]


@test("client headless Chromium: wss to the echo service and to a proxy service (to Node.js ws, or Python websockets)")
def _():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise Skip("chromium is not installed")
    # The gateway's certificate, trusted by its public key's SHA-256 (Chromium has no
    # option to add a CA without an NSS database tool)
    spki = run("openssl", "x509", "-in", CERT, "-noout", "-pubkey").stdout
    spki_der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=spki.encode(),
                              capture_output=True, check=True).stdout
    pin = base64.b64encode(hashlib.sha256(spki_der).digest()).decode()
    profile = os.path.join(root, "chromium")
    os.makedirs(profile)
    proc = start_peer("chromium", [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                   "--disable-extensions", "--disable-dev-shm-usage", "--password-store=basic",
                                   f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                   f"--ignore-certificate-errors-spki-list={pin}", "about:blank"],
                       # No session bus: Chromium would start a keyring and its password prompt
                       env={k: v for k, v in dict(os.environ, HOME=profile).items()
                            if k != "DBUS_SESSION_BUS_ADDRESS"})
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + 60
    while not os.path.exists(port_file) or not open(port_file).read().strip():
        assert proc.poll() is None, f"chromium exited: {open(proc.log_path).read()[-800:]}"
        assert time.monotonic() < deadline, "chromium opened no DevTools port within 60 s"
        time.sleep(0.2)
    port = int(open(port_file).read().split()[0])
    proxy_uri = URI["node-wss"] if not node_problem else URI["py-wss13"]
    try:
        result = asyncio.run(chromium_evaluate(port, CHROMIUM_SCRIPT % json.dumps([ECHO_URI, proxy_uri])))
    finally:
        proc.terminate()
    assert "exceptionDetails" not in result, f"the page's script failed: {result['exceptionDetails']}"
    entries = json.loads(result["result"]["value"])
    assert [entry["url"] for entry in entries] == [ECHO_URI, proxy_uri], entries
    for entry in entries:
        assert entry["detail"] == [True] * 4, f"{entry['url']}: echoes as expected: {entry['detail']}"


# Back-ends that accept TCP and never answer: the session ends within the connect
# timeout. Meanwhile a session to a ws:// back-end stays silent past that timeout (the
# connect's socket timeout once outlived the connect and ended such sessions after 10 s).

def silent_listener(port, stop, context=None):
    """Accepts connections and holds them without a byte (with @context, after the TLS
    handshake: the WebSocket upgrade is never answered)."""
    held = []

    def handshake(conn):
        try:
            held.append(context.wrap_socket(conn, server_side=True))
        except (OSError, ssl.SSLError):
            conn.close()

    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(16)
        s.settimeout(0.2)
        while not stop.is_set():
            try:
                conn = s.accept()[0]
            except socket.timeout:
                continue
            if context is None:
                held.append(conn)
            else:
                conn.settimeout(10)
                threading.Thread(target=handshake, args=(conn,), daemon=True).start()
    for c in held:
        c.close()


async def session_end(uri):
    """Opens a session and returns (seconds until it ended, close code)."""
    started = time.monotonic()
    async with ws_connect(uri, ssl=client_context(), open_timeout=30) as ws:
        try:
            await asyncio.wait_for(ws.recv(), 3 * CONNECT_TIMEOUT)
        except ConnectionClosed:
            pass
        return time.monotonic() - started, ws.close_code


async def idle_then_echo(uri, seconds):
    """A session that says nothing for @seconds, then expects its echo."""
    async with ws_connect(uri, ssl=client_context(), open_timeout=30, ping_interval=None) as ws:
        await ws.send("before the silence")
        assert await asyncio.wait_for(ws.recv(), 10) == "before the silence"
        await asyncio.sleep(seconds)
        await ws.send("after the silence")
        assert await asyncio.wait_for(ws.recv(), 10) == "after the silence"
    return None


silent_outcome = {}


def silent_backends_probe():
    """Runs beside the other tests (it waits for the gateway's timeout)."""
    async def all_four():
        return await asyncio.gather(session_end(URI["silent-tls"]), session_end(URI["silent-upgrade"]),
                                    session_end(URI["silent-tls-upgrade"]),
                                    idle_then_echo(URI["py-ws-idle"], CONNECT_TIMEOUT + 3),
                                    return_exceptions=True)
    silent_outcome["result"] = asyncio.run(all_four())


@test(f"back-ends that accept TCP and never answer the TLS handshake, or the WebSocket upgrade over ws "
      f"and over wss: the sessions end after the {CONNECT_TIMEOUT} s connect timeout, with the reason logged")
def _():
    silent_thread.join(3 * CONNECT_TIMEOUT + 10)
    assert "result" in silent_outcome, "the sessions did not end"
    cases = (("TLS handshake", "silent-tls"), ("WebSocket upgrade", "silent-upgrade"),
             ("WebSocket upgrade", "silent-tls-upgrade"))
    for (what, name), outcome in zip(cases, silent_outcome["result"][:3]):
        assert not isinstance(outcome, BaseException), f"{name}: {outcome!r}"
        seconds, code = outcome
        assert CONNECT_TIMEOUT - 1 <= seconds <= 2 * CONNECT_TIMEOUT, f"{name}: the session ended after {seconds:.1f} s"
        assert code == 1011, f"{name}: close code {code}"
        lines = [x for x in gw.log_text().splitlines() if f"service {name}," in x and "refused" in x]
        assert any(f"no answer within {CONNECT_TIMEOUT} s ({what})" in x for x in lines), f"{name}: {lines}"


def admin_request(method, path):
    """The admin API as the identity `init` made (its key extracted to a 0600 file)."""
    identity = os.path.join(root, "admin-identity.pem")
    if not os.path.exists(identity):
        pem = run("openssl", "pkcs12", "-in", os.path.join(gw.dir, "gatehouse-admin.p12"), "-nodes",
                  "-passin", "file:" + os.path.join(gw.dir, "gatehouse-admin.pw")).stdout
        write_private(identity, pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(os.path.join(gw.dir, "ca.pem"))
    context.check_hostname = False
    context.load_cert_chain(identity)
    conn = http.client.HTTPSConnection("127.0.0.1", gw.admin_port, context=context, timeout=15)
    try:
        conn.request(method, "/api/v1" + path)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


@test("DELETE /sessions/{id} on a session still waiting for its back-end's upgrade ends it at once")
def _():
    async def go():
        async with ws_connect(URI["silent-upgrade"], ssl=client_context(), open_timeout=30) as ws:
            deadline = time.monotonic() + 5
            while True:
                status, body = await asyncio.to_thread(admin_request, "GET", "/sessions?service=silent-upgrade")
                assert status == 200, (status, body)
                connecting = [x for x in body["sessions"] if x["state"] == "connecting"]
                if connecting or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.1)
            assert len(connecting) >= 1, f"no connecting session: {body}"
            # The probe beside us may have one too: ours is the newest
            session = connecting[-1]
            asked = time.monotonic()
            status, _ = await asyncio.to_thread(admin_request, "DELETE", f"/sessions/{session['id']}")
            assert status == 200, status
            try:
                await asyncio.wait_for(ws.recv(), CONNECT_TIMEOUT)
            except ConnectionClosed:
                pass
            assert ws.close_code == 1011, ws.close_code
            return time.monotonic() - asked, session["id"]
    seconds, session_id = asyncio.run(go())
    assert seconds < CONNECT_TIMEOUT / 2, f"the session ended {seconds:.1f} s after the DELETE"
    assert f"session {session_id}" in gw.log_text()
    line = next(x for x in gw.log_text().splitlines() if f"session {session_id}" in x and "refused" in x)
    assert "closed by" in line, line


@test(f"a session to a ws:// back-end (Python websockets) silent for {CONNECT_TIMEOUT + 3} s both ways "
      f"still echoes after: the connect timeout ends with the connect")
def _():
    silent_thread.join(3 * CONNECT_TIMEOUT + 10)
    assert "result" in silent_outcome, "the session did not end"
    outcome = silent_outcome["result"][3]
    assert outcome is None, f"{outcome!r}"


def main():
    failed = 0
    global silent_thread
    try:
        gw.start()
        stop_python = start_backends()
    except Exception:
        print("Bail out! the gateway or its back-ends did not start")
        for line in traceback.format_exc().splitlines():
            print("# " + line)
        for path in [gw.log_path] + [p.log_path for p in peers if hasattr(p, "log_path")]:
            if os.path.exists(path):
                print("".join("# " + line for line in open(path).readlines()[-20:]))
        for proc in peers:
            proc.kill()
        gw.stop()
        return 1

    stop_silent = threading.Event()
    threading.Thread(target=silent_listener, args=(P["silent"], stop_silent), daemon=True).start()
    threading.Thread(target=silent_listener, daemon=True,
                     args=(P["silent-tls"], stop_silent, python_server_context(ssl.TLSVersion.TLSv1_3))).start()
    wait_port(P["silent"])
    wait_port(P["silent-tls"])
    silent_thread = threading.Thread(target=silent_backends_probe, daemon=True)
    silent_thread.start()

    for number, (name, func) in enumerate(results, 1):
        if os.environ.get("GATEHOUSE_TEST_ONLY", "") not in name:
            print(f"ok {number} - {name} # SKIP not selected by GATEHOUSE_TEST_ONLY")
            continue
        started = time.monotonic()
        try:
            func()
            print(f"ok {number} - {name} ({time.monotonic() - started:.1f} s)")
        except Skip as reason:
            print(f"ok {number} - {name} # SKIP {reason}")
        except Exception:
            failed += 1
            print(f"not ok {number} - {name}")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        sys.stdout.flush()
    print(f"1..{len(results)}")

    stop_silent.set()
    stop_python.set()
    for proc in peers:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    gw.stop()
    if failed:
        print("# gateway log:")
        print("".join("# " + line for line in gw.log_text().splitlines(True)[-60:]))
    shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


sys.exit(main())
