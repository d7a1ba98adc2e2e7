#!/usr/bin/python3
"""test_abuse_websocket.py GATEHOUSED — the data port under bad input (#13)

Clients that break RFC 6455 on purpose, written by hand on Python's ssl and raw sockets
so that every bit is the test's choice, plus openssl s_client and gnutls-cli for what
comes before the WebSocket (garbage instead of a ClientHello). Each check asserts what
a user of the gateway would: the close code the bad client gets (1002 protocol error,
1007 bad text, 1009 too big), the reason the log gives for its session, and that the
gateway still echoes for another client and still answers its admin afterwards; the
daemon's RSS stays bounded.

The message cap and back-pressure: a client that sends fragments of one message
forever gets 1009 once the message passes the service's limits.max-message-bytes; a
client that sends and never reads is held back (its sends stop going through) instead
of filling the gateway's memory; a Python websockets back-end behind a ws:// proxy
service that stops reading holds the client back the same way.

Run with Debian's own interpreter (/usr/bin/python3). TAP output. Environment:
  GH_TEST_KEEP=1             keep the temporary directory (under the build dir)
  GATEHOUSE_TEST_ONLY=TEXT   run only the checks whose name holds TEXT
"""
import asyncio
import http.client
import json
import os
import re
import select
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

from ghtest import Checks, free_port, note, rss_kib, run, under_asan, wait_port, within

GATEHOUSED = os.path.abspath(sys.argv[1])
BUILD_ROOT = os.environ.get("GATEHOUSE_BUILD_ROOT") or os.getcwd()
REQUEST_TIMEOUT = 10                # the data port's, fixed (GH_REQUEST_TIMEOUT)
HANDSHAKE_TIMEOUT = 10              # GH_HANDSHAKE_TIMEOUT
MARGIN = 3
MESSAGE_CAP = 1024 * 1024           # the services' limits.max-message-bytes in this test
RSS_BOUND_KIB = 96 * 1024

os.umask(0o077)
check = Checks()


class Gateway:
    def __init__(self, root):
        self.root = root
        self.dir = os.path.join(root, "gateway")
        self.port, self.admin_port = free_port(), free_port()
        run(GATEHOUSED, "init", "--dir", self.dir, "--port", str(self.port), "--admin-port", str(self.admin_port))
        self.config_path = os.path.join(self.dir, "gatehoused.json")
        with open(self.config_path) as f:
            self.config = json.load(f)
        self.ca = os.path.join(self.dir, "ca.pem")
        self.log_path = os.path.join(self.dir, "gatehoused.log")
        self.proc = None

    def start(self):
        with open(self.config_path, "w") as f:
            json.dump(self.config, f, indent=2)
        self.log = open(self.log_path, "w")
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        self.proc = subprocess.Popen([GATEHOUSED, "--config", self.config_path], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        return wait_port(self.port, proc=self.proc) and wait_port(self.admin_port, proc=self.proc)

    def log_text(self):
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

    def admin_status(self):
        """GET /api/v1/info as the identity `init` made: the status, or what went wrong."""
        identity = os.path.join(self.root, "admin-identity.pem")
        if not os.path.exists(identity):
            pem = run("openssl", "pkcs12", "-in", os.path.join(self.dir, "gatehouse-admin.p12"), "-nodes",
                      "-passin", "file:" + os.path.join(self.dir, "gatehouse-admin.pw")).stdout
            fd = os.open(identity, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE       # this test is not about the pin
        context.load_cert_chain(identity)
        conn = http.client.HTTPSConnection("127.0.0.1", self.admin_port, context=context, timeout=15)
        try:
            conn.request("GET", "/api/v1/info")
            return conn.getresponse().status
        except (OSError, ssl.SSLError, http.client.HTTPException) as e:
            return f"{type(e).__name__}: {e}"
        finally:
            conn.close()

    def rss_kib(self):
        return rss_kib(self.proc.pid)


# --------------------------------------------------------------------------------------
# A WebSocket client by hand

def upgrade_request(path):
    return (f"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


def frame(opcode, payload=b"", fin=True, rsv=0, masked=True, length=None):
    """One frame as the test chooses it; @length overrides the payload's own length."""
    length = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    mask_bit = 0x80 if masked else 0
    if length < 126:
        head += bytes([mask_bit | length])
    elif length < 65536:
        head += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if not masked:
        return head + payload
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class Client:
    """A WebSocket over TLS to the gateway (or without, to @port), its frames read one
    by one."""

    def __init__(self, path="/echo", port=None):
        raw = socket.create_connection(("127.0.0.1", port or gw.port), timeout=10)
        if port is None:
            raw = ssl.create_default_context(cafile=gw.ca).wrap_socket(raw, server_hostname="localhost")
        self.sock = raw
        self.port = self.sock.getsockname()[1]
        self.sock.sendall(upgrade_request(path))
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), f"no upgrade: {head[:200]!r}"

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the gateway ended the connection")
        self.buffer += chunk

    def _until(self, end):
        while end not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(end, 1)
        return head

    def _take(self, n):
        while len(self.buffer) < n:
            self._fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def send(self, data):
        self.sock.sendall(data)

    def read_frame(self, timeout=10):
        """(opcode, payload) of the next frame from the gateway (unmasked, as RFC 6455 says)."""
        self.sock.settimeout(timeout)
        b0, b1 = self._take(2)
        assert not b1 & 0x80, "the gateway masked a frame toward a client"
        length = b1 & 0x7f
        if length == 126:
            length = struct.unpack("!H", self._take(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._take(8))[0]
        return b0 & 0x0f, self._take(length)

    def close_code(self, timeout=10):
        """The code of the close frame the gateway sends next (data frames before it are
        skipped), or a description of what came instead."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                opcode, payload = self.read_frame(max(0.1, deadline - time.monotonic()))
                if opcode == 8:
                    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else "a close frame without a code"
        except (EOFError, OSError, ssl.SSLError) as e:
            return f"no close frame ({type(e).__name__}: {e})"

    def close(self):
        self.sock.close()


def echo_works(path="/echo"):
    """One text message echoed on a new WebSocket: None, or what went wrong."""
    try:
        client = Client(path)
    except (OSError, ssl.SSLError, EOFError, AssertionError) as e:
        return f"no WebSocket: {e}"
    try:
        client.send(frame(1, b"still here"))
        opcode, payload = client.read_frame()
        return None if (opcode, payload) == (1, b"still here") else f"another echo: {opcode} {payload!r}"
    except (OSError, ssl.SSLError, EOFError) as e:
        return f"no echo: {e}"
    finally:
        client.close()


def session_reason(client_port):
    match = re.search(rf"session \w+ from 127\.0\.0\.1:{client_port}: closed \((.*?)\), \d+ bytes in", gw.log_text())
    return match and match.group(1)


def check_rss(what):
    if under_asan(gw.proc.pid):
        note(f"RSS not bounded under AddressSanitizer ({what})")
        return
    rss = gw.rss_kib()
    note(f"RSS {rss // 1024} MiB {what}")
    assert rss < RSS_BOUND_KIB, f"the daemon's RSS is {rss // 1024} MiB {what}, over {RSS_BOUND_KIB // 1024} MiB"


def still_serving():
    problem = echo_works()
    assert problem is None, f"another client afterwards: {problem}"
    status = gw.admin_status()
    assert status == 200, f"the admin afterwards: {status}"


def bad_client(frames, code, reason_has):
    """Sends @frames on a new WebSocket: the gateway closes it with @code, the log's
    reason for the session holds @reason_has, and others are still served."""
    client = Client()
    try:
        for data in frames:
            client.send(data)
        got = client.close_code()
    finally:
        client.close()
    assert got == code, f"close code {got}, not {code}"
    reason = within(5, lambda: session_reason(client.port))
    note(f"close {got}; the log: {reason}")
    assert reason and reason_has in reason, f"the log's reason: {reason!r}"
    still_serving()


# --------------------------------------------------------------------------------------
# Malformed frames

PROTOCOL = "the client broke the WebSocket protocol"


@check("a text frame with a reserved bit set: 1002")
def _():
    bad_client([frame(1, b"rsv", rsv=4)], 1002, PROTOCOL)


@check("unknown opcodes (a data opcode 3, a control opcode 11): 1002")
def _():
    bad_client([frame(3, b"three")], 1002, PROTOCOL)
    bad_client([frame(11, b"eleven")], 1002, PROTOCOL)


@check("an unmasked client frame: 1002")
def _():
    bad_client([frame(1, b"bare", masked=False)], 1002, PROTOCOL)


@check("a payload length of 2^63 (its top bit set): 1002; of 2^63 - 1: 1009")
def _():
    bad_client([frame(2, b"", length=1 << 63)], 1002, PROTOCOL)
    bad_client([frame(2, b"", length=(1 << 63) - 1)], 1009, "too big")


@check("a fragmented ping, and a ping of 126 bytes: 1002")
def _():
    bad_client([frame(9, b"ping", fin=False)], 1002, PROTOCOL)
    bad_client([frame(9, b"p" * 126)], 1002, PROTOCOL)


@check("a continuation without a start, and a new message inside a fragmented one: 1002")
def _():
    bad_client([frame(0, b"orphan")], 1002, PROTOCOL)
    bad_client([frame(1, b"one", fin=False), frame(1, b"two")], 1002, PROTOCOL)


@check("invalid UTF-8 in a text message: 1007, in one frame or split across fragments; "
       "a character split across fragments is fine")
def _():
    bad_client([frame(1, b"caf\xc3")], 1007, PROTOCOL)
    bad_client([frame(1, b"ok \xe2\x82", fin=False), frame(0, b"\x28 bad")], 1007, PROTOCOL)
    client = Client()
    try:
        client.send(frame(1, b"price \xe2\x82", fin=False) + frame(0, b"\xac 5"))
        assert client.read_frame() == (1, "price € 5".encode()), "a character split across fragments"
    finally:
        client.close()


# --------------------------------------------------------------------------------------
# Before the WebSocket

@check("garbage instead of a ClientHello (raw bytes, then a plain HTTP request): the connection ends; "
       "openssl s_client and gnutls-cli still get an echo")
def _():
    # Garbage may look like the start of a long record (an SSLv2 hello when its top bit
    # is set): then the handshake deadline ends it.
    for garbage in (b"\x00" + os.urandom(4095), b"\x80\xff" + os.urandom(300),
                    b"GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n", b"\x16\x03\x01\xff\xff" + os.urandom(300)):
        raw = socket.create_connection(("127.0.0.1", gw.port), timeout=10)
        try:
            raw.sendall(garbage)
            raw.settimeout(HANDSHAKE_TIMEOUT + MARGIN)
            ended = False
            try:
                while raw.recv(65536):
                    pass
                ended = True
            except ConnectionResetError:
                ended = True
            except socket.timeout:
                pass
        finally:
            raw.close()
        assert ended, f"the connection stayed open after {garbage[:16]!r}"
    message = frame(1, b"through a real client")
    for argv in (["openssl", "s_client", "-quiet", "-connect", f"127.0.0.1:{gw.port}", "-servername", "localhost",
                  "-CAfile", gw.ca, "-verify_return_error"],
                 ["gnutls-cli", "--logfile=/dev/null", "--x509cafile", gw.ca, "-p", str(gw.port), "localhost"]):
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            proc.stdin.write(upgrade_request("/echo") + message)
            proc.stdin.flush()
            out = b""
            deadline = time.monotonic() + 15
            while b"through a real client" not in out and time.monotonic() < deadline:
                if not select.select([proc.stdout], [], [], max(0, deadline - time.monotonic()))[0]:
                    break
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
        finally:
            proc.kill()
            proc.wait()
        assert b"HTTP/1.1 101" in out and b"through a real client" in out, f"{argv[0]}: {out[:300]!r}"
    still_serving()


def trickle(data, interval, stop_after):
    """A connection sending @data a byte every @interval s: the seconds until the
    gateway ended it, or None when it was still open after @stop_after s."""
    raw = socket.create_connection(("127.0.0.1", gw.port), timeout=10)
    opened = time.monotonic()
    raw.setblocking(False)
    try:
        for byte in data:
            if time.monotonic() - opened > stop_after:
                return None
            try:
                raw.send(bytes([byte]))
                if raw.recv(65536) == b"":
                    return time.monotonic() - opened
            except BlockingIOError:
                pass
            except OSError:
                return time.monotonic() - opened
            time.sleep(interval)
        return None
    finally:
        raw.close()


@check(f"slowloris: a ClientHello trickled, and upgrade headers trickled a byte at a time, "
       f"are cut off within {REQUEST_TIMEOUT} s; others are served meanwhile")
def _():
    results = {}

    def run_trickle(name, data):
        results[name] = trickle(data, 0.2, REQUEST_TIMEOUT + MARGIN + 2)

    # A real ClientHello, as Python's ssl writes it
    context = ssl.create_default_context(cafile=gw.ca)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    client_hello = outgoing.read()
    threads = [threading.Thread(target=run_trickle, args=("client hello", client_hello * 4))]
    # Upgrade headers: TLS made at once, then a byte at a time
    def headers():
        sock = ssl.create_default_context(cafile=gw.ca).wrap_socket(
            socket.create_connection(("127.0.0.1", gw.port), timeout=10), server_hostname="localhost")
        opened = time.monotonic()
        try:
            for byte in upgrade_request("/echo")[:-2] + b"X-Slow: " + b"a" * 200:
                if time.monotonic() - opened > REQUEST_TIMEOUT + MARGIN + 2:
                    results["headers"] = None
                    return
                sock.send(bytes([byte]))
                time.sleep(0.2)
            results["headers"] = None
        except (OSError, ssl.SSLError):
            results["headers"] = time.monotonic() - opened
        finally:
            sock.close()
    threads.append(threading.Thread(target=headers))
    for t in threads:
        t.start()
    time.sleep(2)
    problem = echo_works()
    for t in threads:
        t.join()
    note(f"trickled connections ended after (s): {results}")
    assert problem is None, f"a client during the slowloris: {problem}"
    for name, seconds in results.items():
        assert seconds is not None, f"the trickled {name} was never cut off"
        assert seconds <= REQUEST_TIMEOUT + MARGIN, f"the trickled {name} was cut off after {seconds:.1f} s"
    still_serving()


# --------------------------------------------------------------------------------------
# What a session may hold

@check(f"one message sent as fragments forever: 1009 once it passes limits.max-message-bytes "
       f"({MESSAGE_CAP // 1024} KiB), not per frame")
def _():
    client = Client()
    sent = 0
    fragment = b"f" * 65536
    try:
        client.sock.settimeout(10)
        client.send(frame(2, fragment, fin=False))
        sent += len(fragment)
        try:
            while sent < 64 * MESSAGE_CAP:
                client.send(frame(0, fragment, fin=False))
                sent += len(fragment)
        except (OSError, ssl.SSLError):
            pass
        got = client.close_code()
    finally:
        client.close()
    note(f"sent {sent // 1024} KiB of one message; close code {got}")
    assert got == 1009, f"close code {got}, not 1009"
    assert sent < 64 * MESSAGE_CAP, "the gateway took 64 times the cap of one message"
    reason = within(5, lambda: session_reason(client.port))
    assert reason and "too big" in reason, f"the log's reason: {reason!r}"
    check_rss("after a message sent as fragments forever")
    still_serving()


@check("a message of many fragments just under the cap is echoed whole")
def _():
    client = Client()
    try:
        parts = [os.urandom(60000) for _ in range(MESSAGE_CAP // 60000)]
        for i, part in enumerate(parts):
            client.send(frame(2 if i == 0 else 0, part, fin=i == len(parts) - 1))
        opcode, payload = client.read_frame(30)
        assert opcode == 2 and payload == b"".join(parts), f"echo of {len(payload)} bytes"
    finally:
        client.close()


def send_until_held_back(clients, limit):
    """Sends messages on each of @clients, never reading, until none can send for 2 s
    or one has sent @limit bytes: what each sent."""
    sent = [0] * len(clients)
    rest = [b""] * len(clients)         # of a frame a plain socket took in part
    for client in clients:
        client.sock.setblocking(False)
    stalled = 0.0
    while stalled < 2 and max(sent) < limit:
        progressed = False
        for i, client in enumerate(clients):
            data = rest[i] or frame(2, b"m" * 60000)
            try:
                n = client.sock.send(data)     # all or nothing on TLS, maybe a part without
                sent[i] += n
                rest[i] = data[n:]
                progressed = True
            except (BlockingIOError, ssl.SSLWantWriteError):
                rest[i] = data
        stalled = 0.0 if progressed else stalled + 0.1
        if not progressed:
            time.sleep(0.1)
    note(f"sent before being held back (KiB): {[s // 1024 for s in sent]}")
    return sent


HELD_BACK = 32 * MESSAGE_CAP


def assert_held_back(clients, who):
    """@clients (of @who) send and never read: each is held back well before it sent
    HELD_BACK, the daemon's RSS stays bounded, and others are still served."""
    try:
        sent = send_until_held_back(clients, 4 * HELD_BACK)
        assert max(sent) < HELD_BACK, f"{who} never held back"
        check_rss(f"with {who}")
    finally:
        for client in clients:
            client.close()
    still_serving()


@check("clients that send and never read are held back: their sends stop, RSS stays bounded")
def _():
    assert_held_back([Client() for _ in range(8)], "8 clients that never read")


@check("a ws:// client (no TLS) that never reads is held back too")
def _():
    assert_held_back([Client(port=WS_PORT) for _ in range(2)], "2 ws:// clients that never read")


def deaf_backend(port, started):
    """A Python websockets server that accepts and never reads: past its queue of 16
    messages the library stops reading, and TCP fills up toward the gateway."""
    from websockets.asyncio.server import serve

    async def handler(ws):
        await asyncio.sleep(3600)

    async def main():
        async with serve(handler, "127.0.0.1", port, max_size=None, ping_interval=None):
            started.set()
            await asyncio.Future()

    asyncio.run(main())


@check("a ws:// back-end (Python websockets) that stops reading holds the client back; RSS stays bounded")
def _():
    assert_held_back([Client("/deaf") for _ in range(4)], "4 clients of a back-end that stopped reading")


# --------------------------------------------------------------------------------------

root = tempfile.mkdtemp(prefix="abuse-ws-test-", dir=BUILD_ROOT)
gw = Gateway(root)
WS_PORT, DEAF_PORT = free_port(), free_port()


def setup():
    started = threading.Event()
    threading.Thread(target=deaf_backend, args=(DEAF_PORT, started), daemon=True).start()
    assert started.wait(15), "the Python websockets back-end did not start"
    gw.config["services"] += [
        {"name": "echo-ws", "type": "echo", "accept": [f"ws://127.0.0.1:{WS_PORT}/echo"]},
        {"name": "deaf", "type": "proxy", "accept": [f"wss://localhost:{gw.port}/deaf"],
         "connect": f"ws://127.0.0.1:{DEAF_PORT}/"}]
    for service in gw.config["services"]:
        service.setdefault("limits", {})["max-message-bytes"] = MESSAGE_CAP
    assert gw.start(), "the gateway does not listen"


sys.exit(check.run(gw, root, setup))
