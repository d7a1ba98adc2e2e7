#!/usr/bin/python3
"""test_gatehoused.py GATEHOUSED GATEHOUSECTL — the real gateway, on loopback, with real
clients: Python websockets over wss, openssl s_client and gnutls-cli on ssl accepts,
curl on a directory service. TAP output.

Run with Debian's own interpreter (/usr/bin/python3), whose python3-websockets this is.
"""
import asyncio
import hashlib
import json
import os
import random
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

from websockets.asyncio.client import connect as ws_connect

GATEHOUSED, GATEHOUSECTL = (os.path.abspath(p) for p in sys.argv[1:3])
results = []


from ghtest import free_port  # noqa: E402  (a port outside the ephemeral range)


def wait_port(port, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def run(*argv, input=None, timeout=30, check=True):
    proc = subprocess.run(argv, input=input, capture_output=True, timeout=timeout,
                          text=isinstance(input, str) or input is None)
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv[0]} failed ({proc.returncode}): {proc.stderr}")
    return proc


class Gateway:
    """A gatehoused made with `init`, its configuration extended by the test."""

    def __init__(self, root, name, args=()):
        self.dir = os.path.join(root, name)
        self.args = list(args)
        self.port = free_port()
        self.admin_port = free_port()
        run(GATEHOUSED, "init", "--dir", self.dir, "--port", str(self.port),
            "--admin-port", str(self.admin_port))
        self.config_path = os.path.join(self.dir, "gatehoused.json")
        with open(self.config_path) as f:
            self.config = json.load(f)
        self.ca = os.path.join(self.dir, "ca.pem")
        self.proc = None
        self.log_path = os.path.join(self.dir, "gatehoused.log")

    def add_service(self, service):
        self.config["services"].append(service)

    def save(self):
        tmp = self.config_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.config, f, indent=2)
        os.replace(tmp, self.config_path)

    def start(self):
        self.save()
        self.log = open(self.log_path, "w")
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        self.proc = subprocess.Popen([GATEHOUSED, "--config", self.config_path, *self.args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        wait_port(self.port)

    def reload(self):
        self.proc.send_signal(signal.SIGHUP)

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, text, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log_text():
                return True
            time.sleep(0.05)
        return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc:
            self.log.close()

    def keystore_genkey(self, alias, san):
        run(GATEHOUSECTL, "keystore", "genkey", "--keystore", os.path.join(self.dir, "keystore.p12"),
            "--password-file", os.path.join(self.dir, "keystore.pw"), "--alias", alias, "--san", san)


def tls_context(ca):
    context = ssl.create_default_context(cafile=ca)
    return context


async def echo_session(uri, context, n_messages, seed):
    rng = random.Random(seed)
    async with ws_connect(uri, ssl=context, max_size=2**22, open_timeout=30) as ws:
        for i in range(n_messages):
            if rng.random() < 0.5:
                payload = rng.randbytes(rng.randint(1, 4096))
            else:
                payload = "".join(rng.choice("abcdefgh€ü") for _ in range(rng.randint(1, 2048)))
            await ws.send(payload)
            reply = await ws.recv()
            assert reply == payload, f"session {seed}: message {i} came back different"
    return True


def s_client(port, servername, ca, data="hello\n", extra=(), timeout=10):
    """openssl s_client sends @data and returns (what came back, its stderr) once the
    echo is complete, the connection ends, or @timeout passes."""
    import select
    argv = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", ca,
            "-quiet", "-verify_return_error"]
    argv += ["-servername", servername] if servername else ["-noservername"]
    argv += list(extra)
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = b""
    try:
        proc.stdin.write(data.encode())
        proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while len(out) < len(data.encode()) and time.monotonic() < deadline:
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
    return out.decode(errors="replace"), err.decode(errors="replace")


def test(name):
    def wrap(func):
        results.append((name, func))
        return func
    return wrap


root = tempfile.mkdtemp(prefix="gatehoused-test-")
gw = Gateway(root, "gateway", ["--workers", "3"])        # sessions on three threads
backend_state = os.path.join(root, "backend-state")      # as /var/lib/gatehouse in the systemd unit
backend = Gateway(root, "backend", ["--workers", "0",    # another CA: untrusted by the gateway; all on one thread
                                    "--state-dir", backend_state])

ssl_echo_port = free_port()
tls13_port = free_port()
mtls_port = free_port()
mtls_optional_port = free_port()
files_port = free_port()
gw.keystore_genkey("other", "other.test")   # a second host name, by SNI

gw.add_service({"name": "ssl-echo", "type": "echo", "accept": [f"ssl://127.0.0.1:{ssl_echo_port}"]})
gw.add_service({"name": "proxy-tls", "type": "proxy", "accept": [f"wss://localhost:{gw.port}/proxy"],
                "connect": f"ssl://127.0.0.1:{ssl_echo_port}"})
gw.add_service({"name": "proxy-untrusted", "type": "proxy", "accept": [f"wss://localhost:{gw.port}/untrusted"],
                "connect": f"ssl://127.0.0.1:{backend.port}"})
gw.add_service({"name": "proxy-wrong-host", "type": "proxy", "accept": [f"wss://localhost:{gw.port}/wrong-host"],
                "connect": f"ssl://127.0.0.1:{ssl_echo_port}",
                "connect-tls": {"server-name": "wrong.example.com"}})
gw.add_service({"name": "proxy-ws", "type": "proxy", "accept": [f"wss://localhost:{gw.port}/proxy-ws"],
                "connect": f"wss://localhost:{gw.port}/echo"})
gw.add_service({"name": "proxy-mtls", "type": "proxy", "accept": [f"wss://localhost:{gw.port}/proxy-mtls"],
                "connect": f"ssl://127.0.0.1:{mtls_port}",
                "connect-tls": {"client-certificate-alias": "gateway"}})
gw.add_service({"name": "proxy-mtls-anonymous", "type": "proxy",
                "accept": [f"wss://localhost:{gw.port}/proxy-mtls-anonymous"],
                "connect": f"ssl://127.0.0.1:{mtls_port}"})
gw.add_service({"name": "limited", "type": "echo", "accept": [f"wss://localhost:{gw.port}/limited"],
                "limits": {"max-sessions": 2, "idle-timeout": 1}})
gw.add_service({"name": "tls13-only", "type": "echo", "accept": [f"ssl://127.0.0.1:{tls13_port}"],
                "tls": {"priority": "SECURE:-VERS-ALL:+VERS-TLS1.3"}})
gw.add_service({"name": "mtls", "type": "echo", "accept": [f"ssl://127.0.0.1:{mtls_port}"],
                "tls": {"verify-client": "required"}})
gw.add_service({"name": "mtls-optional", "type": "echo", "accept": [f"ssl://127.0.0.1:{mtls_optional_port}"],
                "tls": {"verify-client": "optional"}})
slow_port = free_port()
gw.add_service({"name": "slow-backend", "type": "proxy", "accept": [f"wss://localhost:{gw.port}/slow"],
                "connect": f"tcp://127.0.0.1:{slow_port}", "limits": {"max-pending-bytes": 65536}})
gw.add_service({"name": "echo-held", "type": "echo", "accept": [f"wss://localhost:{gw.port}/echo-held"],
                "limits": {"max-pending-bytes": 65536}})
# A back-end we did not write: Python websockets over TLS 1.3, which sends session
# tickets after its handshake, as Node.js ws, nginx and HAProxy do.
py_backend_port = free_port()
gw.add_service({"name": "proxy-python", "type": "proxy", "accept": [f"wss://localhost:{gw.port}/python"],
                "connect": f"wss://localhost:{py_backend_port}/"})
os.makedirs(os.path.join(gw.dir, "www", "docs"))
with open(os.path.join(gw.dir, "www", "index.html"), "w") as f:
    f.write("<h1>Gatehouse</h1>\n")
with open(os.path.join(gw.dir, "www", "docs", "note.txt"), "w") as f:
    f.write("a note\n")
gw.add_service({"name": "files", "type": "directory", "accept": [f"https://localhost:{files_port}/files/"],
                "directory": "www"})


@test("the wss echo service echoes every message, text and binary")
def _():
    ok = asyncio.run(echo_session(f"wss://localhost:{gw.port}/echo", tls_context(gw.ca), 50, 1))
    assert ok


@test("openssl s_client on an ssl accept: the echo comes back")
def _():
    out, err = s_client(ssl_echo_port, "localhost", gw.ca, "ping over TLS\n")
    assert out == "ping over TLS\n", (out, err)


@test("gnutls-cli on an ssl accept: the echo comes back")
def _():
    proc = run("gnutls-cli", "--port", str(ssl_echo_port), "--x509cafile", gw.ca,
               "--verify-hostname", "localhost", "127.0.0.1", input="ping via gnutls\n", check=False)
    assert "ping via gnutls" in proc.stdout, proc.stderr


async def byte_echo_session(uri, context, n_messages, seed):
    """Through a proxy to a byte-stream back-end, messages become bytes and come back as
    binary messages cut anywhere: compare the bytes, not the framing."""
    rng = random.Random(seed)
    async with ws_connect(uri, ssl=context, max_size=2**22, open_timeout=30) as ws:
        for i in range(n_messages):
            payload = rng.randbytes(rng.randint(1, 65536))
            await ws.send(payload)
            received = b""
            while len(received) < len(payload):
                received += await asyncio.wait_for(ws.recv(), 10)
            assert received == payload, f"session {seed}: message {i} came back different"
    return True


@test("wss through a proxy to a TLS back-end verified against the truststore")
def _():
    ok = asyncio.run(byte_echo_session(f"wss://localhost:{gw.port}/proxy", tls_context(gw.ca), 30, 2))
    assert ok
    assert gw.wait_log("connected to ssl://127.0.0.1:%d" % ssl_echo_port)


@test("wss through a proxy to a wss back-end, message by message")
def _():
    ok = asyncio.run(echo_session(f"wss://localhost:{gw.port}/proxy-ws", tls_context(gw.ca), 20, 5))
    assert ok
    assert gw.wait_log("connected to wss://localhost:%d" % gw.port)


def python_tls_backend(port, ready, stop):
    """A websockets echo server over TLS with the gateway's own certificate (which its
    truststore's CA issued), in a thread of its own until @stop is set."""
    dump = run("openssl", "pkcs12", "-in", os.path.join(gw.dir, "keystore.p12"), "-nodes",
               "-passin", "file:" + os.path.join(gw.dir, "keystore.pw")).stdout
    # The entry "gateway" (for localhost): its certificate and key, by their bag attributes.
    blocks = [b for b in dump.split("Bag Attributes") if "friendlyName: gateway\n" in b]
    leaf = next(b for b in blocks if "BEGIN CERTIFICATE" in b)
    key = next(b for b in blocks if "PRIVATE KEY-----" in b)
    pem = "".join(b[b.index("-----BEGIN"):] for b in (leaf, key))
    cert_path = os.path.join(root, "python-backend.pem")
    with open(cert_path, "w") as f:
        f.write(pem)
    os.chmod(cert_path, 0o600)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(cert_path)
    os.remove(cert_path)

    from websockets.asyncio.server import serve

    async def echo(ws):
        async for message in ws:
            await ws.send(message)

    async def main():
        async with serve(echo, "127.0.0.1", port, ssl=context):
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.1)

    asyncio.run(main())


async def prompt_echoes(uri, context, n_sessions):
    """How many of @n_sessions get their first echo back within 3 s."""
    async def one(i):
        try:
            async with ws_connect(uri, ssl=context, open_timeout=10) as ws:
                await ws.send(f"hello {i}")
                return await asyncio.wait_for(ws.recv(), 3) == f"hello {i}"
        except (asyncio.TimeoutError, OSError, Exception):
            return False
    return sum(await asyncio.gather(*(one(i) for i in range(n_sessions))))


@test("wss through a proxy to a Python websockets back-end on TLS 1.3 with session tickets: every session answers at once")
def _():
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=python_tls_backend, args=(py_backend_port, ready, stop), daemon=True)
    thread.start()
    try:
        assert ready.wait(15), "the Python back-end did not start"
        answered = asyncio.run(prompt_echoes(f"wss://localhost:{gw.port}/python", tls_context(gw.ca), 10))
        assert answered == 10, f"{answered} of 10 sessions had their first echo within 3 s"
    finally:
        stop.set()
        thread.join(10)


async def limited_sessions():
    context = tls_context(gw.ca)
    uri = f"wss://localhost:{gw.port}/limited"
    async with ws_connect(uri, ssl=context) as first, ws_connect(uri, ssl=context) as second:
        await first.send("one")
        assert await first.recv() == "one"
        await second.send("two")
        assert await second.recv() == "two"
        # A third is over the service's maximum of 2: it is closed at once.
        async with ws_connect(uri, ssl=context) as third:
            try:
                await third.send("three")
                reply = await asyncio.wait_for(third.recv(), 5)
                return f"a third session got {reply!r}"
            except Exception:
                pass
        # Idle for longer than the 1 s timeout: the gateway closes the first two.
        await asyncio.sleep(2.5)
        try:
            await first.send("still there?")
            await asyncio.wait_for(first.recv(), 5)
            return "an idle session stayed open"
        except Exception:
            return None


@test("limits: a service's maximum of sessions and its idle timeout")
def _():
    problem = asyncio.run(limited_sessions())
    assert problem is None, problem
    assert gw.wait_log("refused: the service has its maximum of 2 sessions"), gw.log_text()
    assert gw.wait_log("closed (idle timeout)"), gw.log_text()


@test("two host names on one port: each gets its own certificate by SNI")
def _():
    # No echo on this port: the certificate is what counts, so do not wait long.
    _, err = s_client(gw.port, "other.test", gw.ca, "x\n", timeout=1)
    assert "CN=other.test" in err or "CN = other.test" in err, err
    _, err = s_client(gw.port, "localhost", gw.ca, "x\n", timeout=1)
    assert "CN=localhost" in err or "CN = localhost" in err, err


async def expect_refused(uri, context):
    try:
        async with ws_connect(uri, ssl=context, open_timeout=15) as ws:
            await ws.send("are you there?")
            reply = await asyncio.wait_for(ws.recv(), 10)
            return f"got a reply: {reply!r}"
    except Exception as error:  # the session is closed: that is the point
        return None


@test("a back-end with an untrusted chain is refused, with a clear log line")
def _():
    problem = asyncio.run(expect_refused(f"wss://localhost:{gw.port}/untrusted", tls_context(gw.ca)))
    assert problem is None, problem
    assert gw.wait_log("service proxy-untrusted"), gw.log_text()
    assert gw.wait_log("NOT trusted"), gw.log_text()


@test("a back-end whose certificate names another host is refused")
def _():
    problem = asyncio.run(expect_refused(f"wss://localhost:{gw.port}/wrong-host", tls_context(gw.ca)))
    assert problem is None, problem
    assert gw.wait_log("does not match"), gw.log_text()


@test("a client without a certificate is refused where one is required")
def _():
    out, err = s_client(mtls_port, "localhost", gw.ca, "let me in\n")
    assert out == "", out
    assert gw.wait_log(f"listener 127.0.0.1:{mtls_port}: TLS handshake"), gw.log_text()


@test("a client certificate from a trusted CA is let in")
def _():
    key = os.path.join(gw.dir, "client.key")
    cert = os.path.join(gw.dir, "client.pem")
    run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key, "-subj", "/CN=client", "-out", cert + ".csr")
    p12 = os.path.join(gw.dir, "ca-key.p12")
    with open(os.path.join(gw.dir, "ca-key.pw")) as f:
        password = f.read().strip()
    run("openssl", "pkcs12", "-in", p12, "-passin", f"pass:{password}", "-nodes", "-nocerts", "-out",
        os.path.join(gw.dir, "ca.key"))
    run("openssl", "x509", "-req", "-in", cert + ".csr", "-CA", gw.ca, "-CAkey", os.path.join(gw.dir, "ca.key"),
        "-days", "1", "-out", cert)
    os.unlink(os.path.join(gw.dir, "ca.key"))
    out, err = s_client(mtls_port, "localhost", gw.ca, "with a certificate\n", extra=["-cert", cert, "-key", key])
    assert out == "with a certificate\n", (out, err)


@test("verify-client optional: no certificate, or a trusted one, is let in; an untrusted one is refused")
def _():
    out, err = s_client(mtls_optional_port, "localhost", gw.ca, "without a certificate\n")
    assert out == "without a certificate\n", (out, err)
    cert = os.path.join(gw.dir, "client.pem")   # the trusted CA's, from the test before
    out, err = s_client(mtls_optional_port, "localhost", gw.ca, "with a certificate\n",
                        extra=["-cert", cert, "-key", os.path.join(gw.dir, "client.key")])
    assert out == "with a certificate\n", (out, err)
    stranger = os.path.join(gw.dir, "stranger.pem")
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", stranger + ".key", "-subj", "/CN=stranger", "-days", "1", "-out", stranger)
    out, err = s_client(mtls_optional_port, "localhost", gw.ca, "let me in\n",
                        extra=["-cert", stranger, "-key", stranger + ".key"])
    assert out == "", out
    assert gw.wait_log(f"listener 127.0.0.1:{mtls_optional_port}: TLS handshake with"), gw.log_text()
    assert gw.wait_log("certificate was refused"), gw.log_text()


@test("a client certificate from the keystore toward a back-end that requires one")
def _():
    assert asyncio.run(byte_echo_session(f"wss://localhost:{gw.port}/proxy-mtls", tls_context(gw.ca), 3, 6))
    problem = asyncio.run(expect_refused(f"wss://localhost:{gw.port}/proxy-mtls-anonymous", tls_context(gw.ca)))
    assert problem is None, problem


@test("a protocol below the configured minimum is refused")
def _():
    old = run("gnutls-cli", "--port", str(tls13_port), "--x509cafile", gw.ca, "--verify-hostname", "localhost",
              "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2", "127.0.0.1", input="old\n", check=False)
    assert old.returncode != 0 and "old" not in old.stdout, old.stdout
    new = run("gnutls-cli", "--port", str(tls13_port), "--x509cafile", gw.ca, "--verify-hostname", "localhost",
              "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3", "127.0.0.1", input="new\n", check=False)
    assert "new" in new.stdout, new.stderr


@test("the gateway keeps serving others after every refusal")
def _():
    assert asyncio.run(echo_session(f"wss://localhost:{gw.port}/echo", tls_context(gw.ca), 5, 3))


@test("curl on a directory service: files, an index, and no escape")
def _():
    base = f"https://localhost:{files_port}/files"
    common = ["curl", "-sS", "--cacert", gw.ca, "-o", "-", "-w", "\\n%{http_code}"]
    out = run(*common, f"{base}/docs/note.txt").stdout
    assert out == "a note\n\n200", out
    out = run(*common, f"{base}/").stdout
    assert out.startswith("<h1>Gatehouse</h1>") and out.endswith("200"), out
    out = run(*common, "--path-as-is", f"{base}/../gatehoused.json").stdout
    assert out.endswith("403") or out.endswith("404"), out
    out = run(*common, "--path-as-is", f"{base}/docs/%2e%2e/%2e%2e/keystore.pw").stdout
    assert out.endswith("403") or out.endswith("404") or out.endswith("400"), out
    os.symlink(os.path.join(gw.dir, "keystore.pw"), os.path.join(gw.dir, "www", "leak"))
    out = run(*common, f"{base}/leak").stdout
    assert out.endswith("403"), out
    out = run(*common, "-X", "POST", f"{base}/docs/note.txt").stdout
    assert out.endswith("405"), out


@test("a reload that fails validation changes nothing and says why")
def _():
    saved = json.loads(json.dumps(gw.config))
    gw.config["services"].append({"name": "broken", "type": "teleport", "accept": ["wss://localhost:1/x"]})
    gw.save()
    gw.reload()
    assert gw.wait_log("reload refused, nothing changed"), gw.log_text()
    gw.config = saved
    gw.save()
    assert asyncio.run(echo_session(f"wss://localhost:{gw.port}/echo", tls_context(gw.ca), 3, 4))


async def many_sessions(n, reload_midway):
    context = tls_context(gw.ca)
    started = asyncio.Event()
    opened = 0
    done = 0

    def settled():
        # every session is open, or has failed to open: the others go on (a failure
        # must end the test, not leave the rest waiting for it)
        nonlocal opened
        opened += 1
        if opened == n:
            started.set()

    async def one(i):
        nonlocal done
        rng = random.Random(i)
        try:
            ws = await ws_connect(f"wss://localhost:{gw.port}/echo", ssl=context, open_timeout=60,
                                  close_timeout=30, max_size=2**20)
        finally:
            settled()
        async with ws:
            for k in range(10):
                payload = rng.randbytes(rng.randint(1, 1024))
                await ws.send(payload)
                reply = await asyncio.wait_for(ws.recv(), 60)
                assert reply == payload, f"session {i}, message {k}: different bytes"
                if k == 4:
                    await started.wait()
        done += 1

    async def reloader():
        await started.wait()
        if reload_midway:
            gw.reload()

    results = await asyncio.gather(reloader(), *(one(i) for i in range(n)), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, f"{len(failures)} of {n} sessions failed: {failures[0]!r}"
    return done


@test("1,000 concurrent WSS sessions exchange messages, every byte checked, a reload in the middle drops none")
def _():
    log_before = gw.log_text().count("reloaded ")
    n = int(os.environ.get("GH_TEST_SESSIONS", "1000"))
    done = asyncio.run(many_sessions(n, True))
    assert done == n, done
    assert gw.wait_log("reloaded "), gw.log_text()
    assert gw.log_text().count("reloaded ") == log_before + 1


@test("sessions run on the worker threads --workers asks for, and a back-end with --workers 0 serves")
def _():
    def workers(pid):
        names = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                names.append(f.read().strip())
        return sorted(n for n in names if n.startswith("gh-worker-"))
    assert workers(gw.proc.pid) == ["gh-worker-0", "gh-worker-1", "gh-worker-2"], workers(gw.proc.pid)
    assert workers(backend.proc.pid) == [], workers(backend.proc.pid)
    # The back-end's own echo, served on its main thread.
    async def twenty():
        context = tls_context(backend.ca)
        return await asyncio.gather(*(echo_session(f"wss://localhost:{backend.port}/echo", context, 5, i)
                                      for i in range(20)))
    assert asyncio.run(twenty()) == [True] * 20


def under_asan(pid):
    """Whether the process runs under AddressSanitizer, whose quarantine keeps freed
    memory: an RSS bound measures nothing there (make check-asan)."""
    with open(f"/proc/{pid}/maps") as f:
        return "libasan" in f.read()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@test("back-pressure: a back-end that reads late holds the WebSocket client back; nothing lost, the session lives")
def _():
    total = 4 * 1024 * 1024
    rng = random.Random(7)
    chunks = [rng.randbytes(65536) for _ in range(total // 65536)]
    expected = hashlib.sha256(b"".join(chunks)).hexdigest()
    received = {}

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", slow_port))
    listener.listen(1)

    def slow_reader():
        conn, _ = listener.accept()
        time.sleep(3)  # not reading: the gateway's queue toward it fills up
        digest, n = hashlib.sha256(), 0
        conn.settimeout(30)
        while n < total:
            data = conn.recv(65536)
            if not data:
                break
            digest.update(data)
            n += len(data)
        received.update(bytes=n, sha256=digest.hexdigest())
        conn.close()

    reader = threading.Thread(target=slow_reader)
    reader.start()

    async def go():
        async with ws_connect(f"wss://localhost:{gw.port}/slow", ssl=tls_context(gw.ca), max_size=2**20) as ws:
            for chunk in chunks:
                await ws.send(chunk)
            reader.join(40)
            await ws.ping()  # the session is still open
            return True

    try:
        assert asyncio.run(go())
    finally:
        listener.close()
    assert received.get("bytes") == total and received.get("sha256") == expected, received
    assert "back-pressure: the other side does not keep up" not in gw.log_text()


@test("back-pressure: an echo to a client that does not read holds its sending back; memory stays bounded")
def _():
    rng = random.Random(11)
    chunks = [rng.randbytes(65536) for _ in range(256)]  # 16 MiB
    peak = {"rss": 0}

    async def go():
        async with ws_connect(f"wss://localhost:{gw.port}/echo-held", ssl=tls_context(gw.ca),
                              max_size=2**20, max_queue=1) as ws:
            before = rss_kib(gw.proc.pid)

            async def sender():
                for chunk in chunks:
                    await ws.send(chunk)

            sending = asyncio.create_task(sender())
            # Not reading for 3 s: beyond the client's socket buffers the gateway must
            # stop reading from it rather than queue what comes back.
            for _ in range(30):
                await asyncio.sleep(0.1)
                peak["rss"] = max(peak["rss"], rss_kib(gw.proc.pid) - before)
            for i, chunk in enumerate(chunks):
                reply = await asyncio.wait_for(ws.recv(), 30)
                assert reply == chunk, f"echo {i} differs"
            await sending
            return True

    assert asyncio.run(go())
    # Unheld, the gateway would have queued most of the 16 MiB for the client.
    if under_asan(gw.proc.pid):
        print(f"# RSS bound not checked under ASan (grew by {peak['rss']} KiB)")
    else:
        assert peak["rss"] < 8 * 1024, f"the gateway grew by {peak['rss']} KiB"


@test("--state-dir keeps the history there, not beside the configuration")
def _():
    assert os.path.isfile(os.path.join(backend_state, "history", "index.json")), os.listdir(root)
    assert oct(os.stat(os.path.join(backend_state, "history")).st_mode & 0o777) == "0o700"
    assert not os.path.exists(os.path.join(backend.dir, "history")), os.listdir(backend.dir)
    # Without it, beside the configuration, as before.
    assert os.path.isfile(os.path.join(gw.dir, "history", "index.json")), os.listdir(gw.dir)


@test("a reload puts a new service in place for new connections")
def _():
    port = free_port()
    gw.add_service({"name": "late", "type": "echo", "accept": [f"ssl://127.0.0.1:{port}"]})
    gw.save()
    gw.reload()
    wait_port(port)
    out, err = s_client(port, "localhost", gw.ca, "late arrival\n")
    assert out == "late arrival\n", (out, err)


@test("no private key and no password ever appears in the log")
def _():
    text = gw.log_text()
    assert "PRIVATE KEY" not in text
    for name in ("keystore.pw", "ca-key.pw", "gatehouse-admin.pw"):
        with open(os.path.join(gw.dir, name)) as f:
            assert f.read().strip() not in text, name


@test("SIGTERM drains and stops")
def _():
    gw.proc.send_signal(signal.SIGTERM)
    assert gw.proc.wait(timeout=40) == 0
    assert "stopped" in gw.log_text()


def main():
    failed = 0
    try:
        backend.start()
        gw.start()
    except Exception:
        print("Bail out! the gateways did not start")
        for line in traceback.format_exc().splitlines():
            print("# " + line)
        for g in (gw, backend):
            if os.path.exists(g.log_path):
                print("".join("# " + line for line in open(g.log_path)))
        return 1

    for number, (name, func) in enumerate(results, 1):
        started = time.monotonic()
        try:
            func()
            print(f"ok {number} - {name} ({time.monotonic() - started:.1f} s)")
        except Exception:
            failed += 1
            print(f"not ok {number} - {name}")
            for line in traceback.format_exc().splitlines():
                print("# " + line)
        sys.stdout.flush()
    print(f"1..{len(results)}")

    gw.stop()
    backend.stop()
    if failed:
        print("# gateway log:")
        print("".join("# " + line for line in gw.log_text().splitlines(True)[-60:]))
    shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


sys.exit(main())
