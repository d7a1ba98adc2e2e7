#!/usr/bin/python3
"""test_abuse_http.py GATEHOUSED — the admin listener's HTTP parsing under attack
(issue 12): bodies announced too large, Content-Length that is not one number,
request smuggling shapes, header floods, charsets, If-Match lists, paths beside
/api/v1. Each probe talks raw HTTP over a real TLS connection (Python's ssl, the
admin identity `gatehoused init` made, the admin certificate pinned by the
fingerprint init printed) to the real daemon on loopback, and checks what a client
sees: the status and problem type, within a bounded time, the connection closed
where the contract says so, a legitimate admin served right after, and the daemon's
RSS bounded after a thousand attempts. TAP output.

Run with Debian's own interpreter (/usr/bin/python3). Nothing secret is printed.
  GH_TEST_ONLY=REGEX   run only the checks whose names match (others SKIP)
  GH_TEST_KEEP=1       keep the temporary directory (under the build dir)
"""
import hashlib
import http.client
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

import ghtest
from ghtest import free_port, rss_kib, under_asan, wait_port

GATEHOUSED = os.path.abspath(sys.argv[1])
BUILD_ROOT = os.environ.get("GATEHOUSE_BUILD_ROOT") or os.getcwd()
API = "/api/v1"
MAX_BODY = 4 * 1024 * 1024
# The contract's limits on a request head (docs/admin-api.md).
MAX_HEADER_BYTES = 32 * 1024
MAX_HEADER_FIELDS = 100
# Every refusal must come back within this many seconds (they come at once).
PROMPT = 5

os.umask(0o077)
results = []
PASSWORDS = []


def test(name):
    def wrap(func):
        results.append((name, func))
        return func
    return wrap


def redact(text):
    text = re.sub(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
                  "[private key redacted]", str(text), flags=re.S)
    for value in PASSWORDS:
        text = text.replace(value, "[password redacted]")
    return text


def run(*argv, input=None, timeout=60):
    return ghtest.run(*argv, input=input, timeout=timeout, redact=redact)


def read(path):
    with open(path) as f:
        return f.read()


# --------------------------------------------------------------------------------------
# The gateway, from `gatehoused init`.

class Gateway:
    def __init__(self, root):
        self.dir = os.path.join(root, "gateway")
        self.port = free_port()
        self.admin_port = free_port()
        out = run(GATEHOUSED, "init", "--dir", self.dir, "--port", str(self.port),
                  "--admin-port", str(self.admin_port)).stdout
        match = re.search(r"fingerprint[^\n]*\n\s*([0-9A-Fa-f:]{95})", out)
        assert match, "gatehoused init printed no fingerprint"
        self.admin_fingerprint = match.group(1).replace(":", "").upper()
        self.config_path = os.path.join(self.dir, "gatehoused.json")
        self.log_path = os.path.join(self.dir, "gatehoused.log")
        for pw in ("keystore.pw", "ca-key.pw", "admin-ca-key.pw", "gatehouse-admin.pw"):
            PASSWORDS.append(read(os.path.join(self.dir, pw)).strip())
        self.admin_pem = os.path.join(root, "gatehouse-admin.pem")
        run("openssl", "pkcs12", "-in", os.path.join(self.dir, "gatehouse-admin.p12"),
            "-passin", "file:" + os.path.join(self.dir, "gatehouse-admin.pw"), "-nodes", "-out", self.admin_pem)
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "w")
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        self.proc = subprocess.Popen([GATEHOUSED, "--config", self.config_path],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     preexec_fn=lambda: os.umask(0o022))
        return wait_port(self.port) and wait_port(self.admin_port)

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        return read(self.log_path)

    def rss_kib(self):
        return rss_kib(self.proc.pid)


    def under_asan(self):
        return under_asan(self.proc.pid)


    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc:
            self.log.close()


def context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE           # pinned by fingerprint instead
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(gw.admin_pem)
    return ctx


# --------------------------------------------------------------------------------------
# Raw HTTP over TLS.

class Closed(Exception):
    """The server closed the connection (or reset it) before a whole response."""


class Raw:
    """One TLS connection to the admin listener that sends whatever bytes it is given."""

    def __init__(self, timeout=10):
        sock = socket.create_connection(("127.0.0.1", gw.admin_port), timeout=timeout)
        self.tls = CONTEXT.wrap_socket(sock)
        der = self.tls.getpeercert(binary_form=True)
        assert hashlib.sha256(der).hexdigest().upper() == gw.admin_fingerprint, "not the pinned admin certificate"
        self.buf = b""

    def close(self):
        try:
            self.tls.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        self.tls.sendall(data)

    def readable(self, timeout):
        return bool(self.buf) or self.tls.pending() > 0 or bool(select.select([self.tls], [], [], timeout)[0])

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer in time")
        self.tls.settimeout(remaining)
        try:
            chunk = self.tls.recv(65536)
        except socket.timeout:
            raise TimeoutError("no answer in time")
        except (ConnectionError, ssl.SSLError) as e:
            raise Closed(str(e))
        if not chunk:
            raise Closed("end of stream")
        self.buf += chunk

    def response(self, timeout=PROMPT):
        """(status, {lower-case name: value}, body bytes) of the next response."""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            self._fill(deadline)
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body

    def is_closed(self, timeout=PROMPT):
        """Whether the server ends the connection within @timeout (anything it sends
        before that is read and dropped)."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                self._fill(deadline)
        except Closed:
            return True
        except TimeoutError:
            return False


def head(method, path, headers=(), host=None):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host or f'127.0.0.1:{gw.admin_port}'}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def check_problem(got, status, name, where):
    code, headers, body = got
    assert code == status, f"{where}: expected {status} {name}, got {code} {body[:300]!r}"
    assert headers.get("content-type", "").startswith("application/problem+json"), \
        f"{where}: {headers.get('content-type')!r} is not problem JSON"
    doc = json.loads(body)
    assert doc.get("type", "").endswith("/" + name) and doc.get("status") == status, f"{where}: {doc}"
    return doc


def refused(data, status, name, where, then=b""):
    """Sends @data (and @then after the answer came, if it can), expects the problem
    @status @name within PROMPT seconds, and the connection closed after it."""
    with Raw() as raw:
        t0 = time.monotonic()
        raw.send(data)
        try:
            got = raw.response()
        except TimeoutError:
            raise AssertionError(f"{where}: no answer in {PROMPT} s (expected {status} {name})")
        except Closed as e:
            raise AssertionError(f"{where}: closed without an answer ({e}; expected {status} {name})")
        check_problem(got, status, name, where)
        assert got[1].get("connection", "").lower() == "close", f"{where}: no Connection: close"
        if then:
            try:
                raw.send(then)
            except OSError:
                pass
        assert raw.is_closed(), f"{where}: the connection stays open after {status}"
        return time.monotonic() - t0


def legitimate_admin(where):
    """A real client (http.client) with the admin identity gets GET /info."""
    conn = http.client.HTTPSConnection("127.0.0.1", gw.admin_port, context=CONTEXT, timeout=PROMPT)
    try:
        conn.request("GET", API + "/info")
        r = conn.getresponse()
        body = r.read()
        assert r.status == 200, f"after {where}: GET /info as admin is {r.status} {body[:200]!r}"
    except (OSError, http.client.HTTPException) as e:
        raise AssertionError(f"after {where}: GET /info as admin failed: {e!r}")
    finally:
        conn.close()
    assert gw.proc.poll() is None, f"after {where}: gatehoused exited ({gw.proc.returncode})"


def request(method, path, body=None, headers=(), prefix=API):
    """One whole request over a fresh connection: (status, headers, body)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    hdrs = list(headers)
    if data is not None:
        hdrs.append(("Content-Length", str(len(data))))
    with Raw() as raw:
        raw.send(head(method, prefix + path, hdrs) + (data or b""))
        return raw.response()


def config_version():
    code, headers, body = request("GET", "/config")
    assert code == 200, f"GET /config: {code}"
    match = re.fullmatch(r'"v(\d+)"', headers.get("etag", ""))
    assert match, f"no ETag on GET /config: {headers.get('etag')!r}"
    return int(match.group(1)), json.loads(body)


# ======================================================================================
# Bodies: refused from the headers, before they arrive.

@test("a body announced over 4 MiB is 413 while the client is still sending it, then closed")
def _():
    declared = 64 * 1024 * 1024
    chunk = b"x" * 16384
    with Raw() as raw:
        raw.send(head("PUT", API + "/config", [("Content-Type", "application/json"), ("If-Match", "*"),
                                               ("Content-Length", str(declared))]))
        sent, got, t0 = 0, None, time.monotonic()
        # A slow sender: 16 KiB every 20 ms; the answer must come long before the end.
        while got is None and sent < 4 * 1024 * 1024 and time.monotonic() - t0 < 20:
            if raw.readable(0.02):
                got = raw.response()
                break
            try:
                raw.send(chunk)
                sent += len(chunk)
            except OSError:
                got = raw.response()        # closed under us: the answer must be there
        assert got is not None, f"no answer after {sent} of {declared} bytes, {time.monotonic() - t0:.1f} s"
        elapsed = time.monotonic() - t0
        check_problem(got, 413, "body-too-large", "Content-Length 64 MiB")
        assert sent < 2 * 1024 * 1024, f"the 413 came only after {sent} bytes of the body"
        assert elapsed < PROMPT, f"the 413 took {elapsed:.1f} s"
        assert raw.is_closed(), "the connection stays open after 413"
    # A client that sends 3 MiB before it reads (as an upload does) still finds the
    # answer: the daemon reads and drops what comes after it rather than reset.
    with Raw() as raw:
        try:
            raw.send(head("PUT", API + "/config", [("Content-Type", "application/json"), ("If-Match", "*"),
                                                   ("Content-Length", str(declared))]) + b"x" * (3 * 1024 * 1024))
        except OSError as e:
            raise AssertionError(f"sending 3 MiB after a refused head failed: {e!r}")
        check_problem(raw.response(), 413, "body-too-large", "3 MiB sent before reading")
        assert raw.is_closed(), "the connection stays open after 413"
    legitimate_admin("a 64 MiB Content-Length")


@test("Content-Length: 4 MiB + 1 with nothing sent after the headers: 413 at once")
def _():
    refused(head("POST", API + "/config/validate", [("Content-Type", "application/json"),
                                                    ("Content-Length", str(MAX_BODY + 1))]),
            413, "body-too-large", "Content-Length 4 MiB + 1")
    legitimate_admin("4 MiB + 1")


@test("Content-Length negative, over 2^63, over 2^64, not a number, signed, a list or twice: 400 malformed at once")
def _():
    values = ["-1", "-0", "+5", "9223372036854775808", "18446744073709551615", "18446744073709551617",
              "99999999999999999999999999", "abc", "5abc", "0x10", "5 5", "5, 6", "5,5", ""]
    for value in values:
        refused(head("POST", API + "/config/validate", [("Content-Type", "application/json"),
                                                        ("Content-Length", value)]) + b"{}",
                400, "malformed", f"Content-Length {value!r}")
    refused(head("POST", API + "/config/validate", [("Content-Type", "application/json"),
                                                    ("Content-Length", "2"), ("Content-Length", "7")]) + b"{}",
            400, "malformed", "two Content-Length headers")
    legitimate_admin("bad Content-Length")


@test("Transfer-Encoding with Content-Length (smuggling shape): 400 malformed at once")
def _():
    for te in ("chunked", "gzip, chunked", "identity"):
        refused(head("POST", API + "/config/validate", [("Content-Type", "application/json"),
                                                        ("Content-Length", "4"), ("Transfer-Encoding", te)])
                + b"2\r\n{}\r\n0\r\n\r\n",
                400, "malformed", f"Transfer-Encoding {te!r} + Content-Length")
    # The smuggled second request never reaches the API: the connection is closed.
    smuggled = head("GET", API + "/info")
    refused(head("POST", API + "/config/validate", [("Content-Type", "application/json"),
                                                    ("Content-Length", str(len(smuggled) + 5)),
                                                    ("Transfer-Encoding", "chunked")])
            + b"0\r\n\r\n" + smuggled, 400, "malformed", "a request smuggled behind chunked + Content-Length")
    legitimate_admin("Transfer-Encoding + Content-Length")


@test("a plain Content-Length body still works, several requests on one keep-alive connection")
def _():
    with Raw() as raw:
        for i in range(3):
            doc = b'{"version": 1}'
            raw.send(head("POST", API + "/config/validate", [("Content-Type", "application/json"),
                                                             ("Content-Length", str(len(doc)))]) + doc)
            code, headers, body = raw.response()
            assert code in (200, 422), f"validate #{i}: {code} {body[:200]!r}"
        # Pipelined: three GETs in one write, three answers in order.
        raw.send(head("GET", API + "/info") * 3)
        for i in range(3):
            code, headers, body = raw.response()
            assert code == 200 and json.loads(body)["api"] == 1, f"pipelined #{i}: {code}"
        assert not raw.is_closed(0.3), "a keep-alive connection was closed"


# ======================================================================================
# Request heads.

def padded(total, name="X-Pad"):
    """One header field of about @total bytes."""
    return [(name, "a" * total)]


def many(count):
    return [(f"X-F{i}", "v") for i in range(count)]


@test(f"request heads: {MAX_HEADER_BYTES // 1024 - 2} KiB and {MAX_HEADER_FIELDS - 10} fields are served")
def _():
    for where, headers in ((f"{MAX_HEADER_BYTES // 1024 - 2} KiB", padded(MAX_HEADER_BYTES - 2048)),
                           (f"{MAX_HEADER_FIELDS - 10} fields", many(MAX_HEADER_FIELDS - 10))):
        with Raw() as raw:
            raw.send(head("GET", API + "/info", headers))
            code, _, body = raw.response()
            assert code == 200, f"{where}: {code} {body[:200]!r}"


@test("request heads: 40 KiB, 64 KiB, 1 MiB of header bytes: 431 headers-too-large, then closed")
def _():
    for size in (40 * 1024, 64 * 1024, 1024 * 1024):
        data = head("GET", API + "/info", padded(size))
        where = f"{size // 1024} KiB of headers"
        with Raw() as raw:
            t0 = time.monotonic()
            try:
                raw.send(data)
            except OSError:
                pass                        # refused while sending: the answer must still be there
            try:
                got = raw.response()
            except (TimeoutError, Closed) as e:
                raise AssertionError(f"{where}: no 431 ({e})")
            check_problem(got, 431, "headers-too-large", where)
            assert time.monotonic() - t0 < PROMPT
            assert raw.is_closed(), f"{where}: the connection stays open after 431"
    legitimate_admin("header floods")


@test(f"request heads: {MAX_HEADER_FIELDS + 1}, 1,000 and 10,000 header fields: 431 headers-too-large")
def _():
    for count in (MAX_HEADER_FIELDS + 1, 1000, 10000):
        where = f"{count} header fields"
        with Raw() as raw:
            try:
                raw.send(head("GET", API + "/info", many(count)))
            except OSError:
                pass
            try:
                got = raw.response()
            except (TimeoutError, Closed) as e:
                raise AssertionError(f"{where}: no 431 ({e})")
            check_problem(got, 431, "headers-too-large", where)
            assert raw.is_closed(), f"{where}: the connection stays open after 431"
    legitimate_admin("many header fields")


@test("request heads: a flood after a good request on the same connection is 431 too")
def _():
    with Raw() as raw:
        raw.send(head("GET", API + "/info"))
        assert raw.response()[0] == 200
        try:
            raw.send(head("GET", API + "/info", padded(256 * 1024)))
        except OSError:
            pass
        check_problem(raw.response(), 431, "headers-too-large", "the second request's 256 KiB head")
        assert raw.is_closed()


# ======================================================================================
# Media types, If-Match, paths.

@test("Content-Type: only application/json without charset or with charset=utf-8 is JSON; else 415")
def _():
    doc = {"version": 1}
    for ctype in ("application/json", "Application/JSON", "application/json; charset=utf-8",
                  "application/json;charset=UTF-8", 'application/json; charset="utf-8"', "application/json ;  charset=Utf-8"):
        code, _, body = request("POST", "/config/validate", doc, [("Content-Type", ctype)])
        assert code in (200, 422), f"{ctype!r}: {code} {body[:200]!r}"
    for ctype in ("application/json; charset=iso-8859-1", "application/json; charset=utf-16",
                  'application/json; charset="latin1"', "application/json; charset=", "application/json; foo=bar",
                  "application/json; charset=utf-8; charset=latin1", "application/jsonx", "application/json, text/plain",
                  "text/json", "application/json; charset=utf-8 x"):
        got = request("POST", "/config/validate", doc, [("Content-Type", ctype)])
        check_problem(got, 415, "unsupported-media-type", f"Content-Type {ctype!r}")
    # The same rule on the other bodies (the keystore's, the truststore's).
    n, _ = config_version()
    got = request("POST", "/truststore", {"alias": "x", "pem": "-"},
                  [("Content-Type", "application/json; charset=iso-8859-1"), ("If-Match", f'"v{n}"')])
    check_problem(got, 415, "unsupported-media-type", "POST /truststore in latin-1")
    assert config_version()[0] == n


@test('If-Match: a list matches when one strong tag does; "*" in a list is 400; weak tags never match')
def _():
    n, doc = config_version()
    ctype = ("Content-Type", "application/json")
    for value in (f'"v{n}", *', f'*, "v{n}"', '"v1", *', '"v1",*', "**", 'v1', '"v1', f'"v{n}" "v1"', "",
                  'W/"v1", *', ",", ", *"):
        got = request("PUT", "/config", doc, [ctype, ("If-Match", value)])
        check_problem(got, 400, "malformed", f"If-Match {value!r}")
    for value in (f'W/"v{n}"', f'"v{n - 1}", W/"v{n}"', '"v0"'):
        doc412 = check_problem(request("PUT", "/config", doc, [ctype, ("If-Match", value)]), 412,
                               "precondition-failed", f"If-Match {value!r}")
        assert doc412.get("current_version") == n
    assert config_version()[0] == n, "a refused If-Match changed the configuration"
    code, headers, body = request("PUT", "/config", doc, [ctype, ("If-Match", f'"v{n - 1}", "v{n}" , "v999"')])
    assert code == 200, f'If-Match listing the current tag: {code} {body[:300]!r}'
    assert config_version()[0] == n + 1


@test("paths: only /api/v1 and /api/v1/… are the API; /api/v1config, /config, /api/v10/info are 404")
def _():
    assert request("GET", "/info")[0] == 200
    for path in ("/api/v1config", "/api/v1info", "/api/v10/info", "/config", "/info", "/", "/api", "/api/v2/info",
                 "/x/api/v1/info"):
        got = request("GET", path, prefix="")
        check_problem(got, 404, "not-found", f"GET {path}")
    n, doc = config_version()
    got = request("PUT", "config", doc, [("Content-Type", "application/json"), ("If-Match", "*")], prefix="/api/v1")
    check_problem(got, 404, "not-found", "PUT /api/v1config")
    assert config_version()[0] == n, "PUT /api/v1config changed the configuration"


@test("refusals before the body are audited: who, method, path and status (413, 400, 431)")
def _():
    code, _, body = request("GET", "/audit?limit=1000")
    assert code == 200, f"GET /audit: {code}"
    entries = json.loads(body)["entries"]
    seen = {(e.get("method"), e.get("path"), e.get("status")) for e in entries
            if e.get("subject") == "CN=gatehouse-admin"}
    for wanted in (("PUT", API + "/config", 413), ("POST", API + "/config/validate", 413),
                   ("POST", API + "/config/validate", 400), ("GET", API + "/info", 431)):
        assert wanted in seen, f"no audit record {wanted}"


# ======================================================================================
# Under load: RSS bounded, the admin served.

def attempts(count, make, expect, threads=4):
    """@count connections, each sending make(i) and expecting the status @expect;
    the first failure (or None)."""
    failures = []
    lock = threading.Lock()
    counter = iter(range(count))

    def worker():
        while not failures:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            try:
                with Raw() as raw:
                    try:
                        raw.send(make(i))
                    except OSError:
                        pass
                    code = raw.response()[0]
                    if code != expect:
                        failures.append(f"attempt {i}: {code}")
            except Exception as e:
                failures.append(f"attempt {i}: {e!r}")
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return failures[0] if failures else None


@test("1,000 bodies announced over 4 MiB (each with 64 KiB sent) and 50 floods of 1 MiB headers: RSS grows < 16 MiB")
def _():
    body_head = head("PUT", API + "/config", [("Content-Type", "application/json"), ("If-Match", "*"),
                                              ("Content-Length", str(64 * 1024 * 1024))]) + b"x" * 65536
    flood = head("GET", API + "/info", padded(1024 * 1024))
    # Warm up: the allocator's arenas and the TLS sessions' buffers reach their size.
    assert attempts(100, lambda i: body_head, 413) is None
    before = gw.rss_kib()
    error = attempts(1000, lambda i: body_head, 413)
    assert error is None, f"oversized bodies: {error}"
    legitimate_admin("1,000 oversized bodies")
    error = attempts(50, lambda i: flood, 431)
    assert error is None, f"header floods: {error}"
    after = gw.rss_kib()
    legitimate_admin("50 header floods")
    print(f"# RSS {before} KiB before, {after} KiB after")
    if not gw.under_asan():
        assert after - before < 16 * 1024, f"RSS grew from {before} to {after} KiB"


# --------------------------------------------------------------------------------------

def main():
    global gw, CONTEXT
    root = tempfile.mkdtemp(prefix="abuse-http-test-", dir=BUILD_ROOT)
    failed = 0
    try:
        gw = Gateway(root)
        CONTEXT = context()
        started = gw.start()
    except Exception:
        print("Bail out! the gateway could not be set up")
        for line in traceback.format_exc().splitlines():
            print("# " + redact(line))
        return 1
    if not started:
        print("# the gateway or its admin listener does not listen:")
        print("".join("# " + redact(line) for line in gw.log_text().splitlines(True)[-30:]))

    only = os.environ.get("GH_TEST_ONLY")
    for number, (name, func) in enumerate(results, 1):
        t0 = time.monotonic()
        if only and not re.search(only, name):
            print(f"ok {number} - {name} # SKIP not in GH_TEST_ONLY")
            continue
        try:
            func()
            print(f"ok {number} - {name} ({time.monotonic() - t0:.1f} s)")
        except Exception:
            failed += 1
            print(f"not ok {number} - {name}")
            for line in traceback.format_exc().splitlines()[-12:]:
                print("# " + redact(line))
        sys.stdout.flush()
    print(f"1..{len(results)}")

    gw.stop()
    if failed:
        print("# gateway log (last lines):")
        print("".join("# " + redact(line) for line in gw.log_text().splitlines(True)[-40:]))
    if not os.environ.get("GH_TEST_KEEP"):
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


sys.exit(main())
