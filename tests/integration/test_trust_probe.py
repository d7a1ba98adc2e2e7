#!/usr/bin/python3
"""test_trust_probe.py GATEHOUSED — the back-end probe of GET /services/{name}/tls (#15)
against back-ends we did not write, each case asserted by opening a real proxy session
through the gateway: the probe's verdict is the session's, word for word (the session's
log line), and its backend_tls the session's. TAP output.

The PKI is made at run time with `openssl ca`: a root and an intermediate the gateway's
truststore holds (only the root), and a stranger root it does not. Back-ends: Python
websockets over TLS (a good chain; one that records the SNI it was asked for; one that
requires a client certificate), openssl s_server (an expired leaf; a chain from the
stranger root) and nginx (a leaf sent without its intermediate).

Run with Debian's /usr/bin/python3 (python3-websockets). GATEHOUSE_TEST_ONLY=TEXT runs
only the cases whose name holds TEXT.
"""
import asyncio
import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from ghtest import free_port, run, wait_port

from websockets.asyncio.client import connect as ws_connect
from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

GATEHOUSED = os.path.abspath(sys.argv[1])
results = []
root = tempfile.mkdtemp(prefix="gatehoused-trust-")
peers = []


class Skip(Exception):
    """A peer cannot run here: a TAP SKIP with the reason."""


def test(name):
    def wrap(func):
        results.append((name, func))
        return func
    return wrap


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


# The PKI, with openssl ca

EXTENSIONS = """
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_server]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $ENV::SAN
"""


class CA:
    """A certificate authority in a directory of its own, as `openssl ca` keeps one."""

    def __init__(self, name, cn, parent=None):
        self.dir = os.path.join(root, "pki", name)
        os.makedirs(os.path.join(self.dir, "issued"))
        open(os.path.join(self.dir, "index.txt"), "w").close()
        with open(os.path.join(self.dir, "crlnumber"), "w") as f:
            f.write("1000\n")
        self.conf = os.path.join(self.dir, "ca.cnf")
        with open(self.conf, "w") as f:
            f.write(f"""[ca]
default_ca = this
[this]
dir = {self.dir}
database = $dir/index.txt
new_certs_dir = $dir/issued
certificate = $dir/cert.pem
private_key = $dir/key.pem
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_days = 30
default_crl_days = 30
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
[req]
distinguished_name = dn
[dn]
{EXTENSIONS}""")
        self.key = key(os.path.join(self.dir, "key.pem"))
        self.cert = os.path.join(self.dir, "cert.pem")
        if parent is None:
            run("openssl", "req", "-new", "-x509", "-config", self.conf, "-key", self.key, "-subj", f"/CN={cn}",
                "-days", "365", "-extensions", "v3_ca", "-out", self.cert)
            with open(os.path.join(self.dir, "serial"), "w") as f:
                f.write("1000\n")
        else:
            with open(os.path.join(self.dir, "serial"), "w") as f:
                f.write("2000\n")
            parent.sign(self.key, cn, self.cert, extensions="v3_ca")
        self.parent = parent

    def sign(self, key_path, cn, out, extensions="v3_server", san=None, start=None, end=None):
        csr = out + ".csr"
        run("openssl", "req", "-new", "-config", self.conf, "-key", key_path, "-subj", f"/CN={cn}", "-out", csr)
        argv = ["openssl", "ca", "-batch", "-config", self.conf, "-extfile", self.conf, "-extensions", extensions,
                "-in", csr, "-out", out, "-notext"]
        if start:
            argv += ["-startdate", start, "-enddate", end]
        os.environ["SAN"] = san or f"DNS:{cn}"
        try:
            run(*argv)
        finally:
            os.environ["SAN"] = "DNS:unused"
        return out

    def chain(self):
        """This CA's certificate and its parents', up to (without) the root."""
        out, ca = [], self
        while ca.parent is not None:
            out.append(read(ca.cert))
            ca = ca.parent
        return out

    def revoke(self, cert):
        run("openssl", "ca", "-config", self.conf, "-revoke", cert)

    def crl(self):
        out = os.path.join(self.dir, "crl.pem")
        run("openssl", "ca", "-config", self.conf, "-gencrl", "-out", out)
        return read(out)


def key(path):
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
    os.chmod(path, 0o600)
    return path


def leaf(ca, name, cn="localhost", san=None, start=None, end=None, with_chain=True):
    """A key and a certificate file for @name; the file holds the chain up to the root
    (without it) unless @with_chain is false."""
    key_path = key(os.path.join(root, "pki", name + "-key.pem"))
    cert = ca.sign(key_path, cn, os.path.join(root, "pki", name + ".pem"), san=san, start=start, end=end)
    if with_chain:
        full = os.path.join(root, "pki", name + "-chain.pem")
        with open(full, "w") as f:
            f.write(read(cert) + "".join(ca.chain()))
        return key_path, full, cert
    return key_path, cert, cert


os.makedirs(os.path.join(root, "pki"))
os.environ["SAN"] = "DNS:unused"  # the configuration's $ENV::SAN, set per certificate
ROOT = CA("root", "Probe Root CA")
INTERMEDIATE = CA("intermediate", "Probe Intermediate CA", parent=ROOT)
STRANGER = CA("stranger", "Stranger Root CA")

# The back-ends' certificates, all from the intermediate unless said otherwise
GOOD = leaf(INTERMEDIATE, "good")
NAMED = leaf(INTERMEDIATE, "named", cn="backend.example")
EXPIRED = leaf(INTERMEDIATE, "expired", start="20200101000000Z", end="20200201000000Z")
BARE = leaf(INTERMEDIATE, "bare", with_chain=False)
STRANGE = leaf(STRANGER, "strange")
REVOKED = leaf(INTERMEDIATE, "revoked")
# Client certificates for a service that verifies them (sent with their intermediate)
CLIENT_GOOD = leaf(INTERMEDIATE, "client-good", cn="good client")
CLIENT_REVOKED = leaf(INTERMEDIATE, "client-revoked", cn="revoked client")
INTERMEDIATE.revoke(REVOKED[2])
INTERMEDIATE.revoke(CLIENT_REVOKED[2])
CRL = INTERMEDIATE.crl()


# The gateway

class Gateway:
    def __init__(self, name):
        self.dir = os.path.join(root, name)
        self.port = free_port()
        self.admin_port = free_port()
        run(GATEHOUSED, "init", "--dir", self.dir, "--port", str(self.port), "--admin-port", str(self.admin_port))
        self.config_path = os.path.join(self.dir, "gatehoused.json")
        self.config = json.loads(read(self.config_path))
        self.ca = os.path.join(self.dir, "ca.pem")
        self.log_path = os.path.join(self.dir, "gatehoused.log")
        self.proc = None
        pem = run("openssl", "pkcs12", "-in", os.path.join(self.dir, "gatehouse-admin.p12"), "-nodes",
                  "-passin", "file:" + os.path.join(self.dir, "gatehouse-admin.pw")).stdout
        self.admin_identity = os.path.join(root, name + "-admin.pem")
        write_private(self.admin_identity, pem)

    def start(self):
        with open(self.config_path + ".tmp", "w") as f:
            json.dump(self.config, f, indent=2)
        os.replace(self.config_path + ".tmp", self.config_path)
        self.log = open(self.log_path, "w")
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        self.proc = subprocess.Popen([GATEHOUSED, "--config", self.config_path],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        if not wait_port(self.port, proc=self.proc) or not wait_port(self.admin_port, proc=self.proc):
            raise AssertionError("gatehoused does not listen")

    def log_text(self):
        self.log.flush()
        return read(self.log_path)

    def request(self, method, path, body=None, if_match=True, viewer=False):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_verify_locations(self.ca)
        context.check_hostname = False
        if viewer:
            context.load_cert_chain(VIEWER, VIEWER + ".key")
        else:
            context.load_cert_chain(self.admin_identity)
        conn = http.client.HTTPSConnection("127.0.0.1", self.admin_port, context=context, timeout=30)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            if method != "GET" and if_match:
                conn.request("GET", "/api/v1/config")
                response = conn.getresponse()
                response.read()
                headers["If-Match"] = response.getheader("ETag")
            conn.request(method, "/api/v1" + path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            conn.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc:
            self.log.close()


gw = Gateway("gateway")
# A viewer identity from the admin CA (as tests/cli/test-gateway-cli.sh makes one)
VIEWER = os.path.join(root, "viewer.pem")
_ca_key = os.path.join(root, "admin-ca.key")
write_private(_ca_key, run("openssl", "pkcs12", "-in", os.path.join(gw.dir, "admin-ca-key.p12"), "-nodes", "-nocerts",
                           "-passin", "file:" + os.path.join(gw.dir, "admin-ca-key.pw")).stdout)
run("openssl", "req", "-new", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", VIEWER + ".key", "-subj", "/CN=trust-viewer", "-days", "30", "-CA", os.path.join(gw.dir, "admin-ca.pem"),
    "-CAkey", _ca_key, "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=clientAuth",
    "-out", VIEWER)
os.chmod(VIEWER + ".key", 0o600)
os.unlink(_ca_key)
gw.config["admin"]["identities"].append({"subject": "CN=trust-viewer", "role": "viewer"})
# The truststore: the gateway CA (init's) and the probe root; not the intermediate,
# not the stranger.
with open(os.path.join(gw.dir, "truststore.pem"), "a") as f:
    f.write(read(ROOT.cert))

P = {name: free_port() for name in ("good", "named", "mtls", "expired", "strange", "bare", "revoked", "verify-in")}
CLIENT_CERT = {"client-certificate-alias": "gateway"}


def service(name, connect, **extra):
    gw.config["services"].append({"name": name, "type": "proxy", "accept": [f"wss://localhost:{gw.port}/{name}"],
                                  "connect": connect, **extra})


service("good", f"wss://localhost:{P['good']}/")
service("good-tls12", f"wss://localhost:{P['good']}/", **{"connect-tls": {"priority": "SECURE:-VERS-ALL:+VERS-TLS1.2"}})
service("named", f"wss://127.0.0.1:{P['named']}/", **{"connect-tls": {"server-name": "backend.example"}})
service("wrong-host", f"wss://localhost:{P['named']}/")
service("mtls", f"wss://localhost:{P['mtls']}/", **{"connect-tls": CLIENT_CERT})
service("mtls-without", f"wss://localhost:{P['mtls']}/")
service("expired", f"ssl://localhost:{P['expired']}")
service("strange", f"ssl://localhost:{P['strange']}")
service("bare", f"wss://localhost:{P['bare']}/")
service("nobody", f"ssl://localhost:{free_port()}")
service("revoked", f"wss://localhost:{P['revoked']}/")
# Clients must show a certificate the truststore verifies (on an address of its own)
gw.config["services"].append({"name": "verify-in", "type": "echo", "accept": [f"wss://localhost:{P['verify-in']}/in"],
                              "tls": {"verify-client": "required"}})


# The back-ends

SNI_SEEN = []


async def echo(ws):
    try:
        async for message in ws:
            await ws.send(message)
    except ConnectionClosed:  # the probe, and refused sessions, leave without a close frame
        pass


def server_context(cert, key_path, client_ca=None, record_sni=False):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key_path)
    if client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(client_ca)
    if record_sni:
        context.sni_callback = lambda sslobj, name, ctx: SNI_SEEN.append(name)
    return context


def python_backends(ready, stop):
    async def main():
        servers = [
            (P["good"], server_context(GOOD[1], GOOD[0])),
            (P["named"], server_context(NAMED[1], NAMED[0], record_sni=True)),
            (P["mtls"], server_context(GOOD[1], GOOD[0], client_ca=gw.ca)),
            (P["revoked"], server_context(REVOKED[1], REVOKED[0])),
        ]
        opened = [await ws_serve(echo, "127.0.0.1", port, ssl=context, compression=None,
                                 ping_interval=None).__aenter__() for port, context in servers]
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for server in opened:
            server.close()
    asyncio.run(main())


def start_peer(name, argv, port):
    log = open(os.path.join(root, name + ".log"), "w")
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=log, stderr=log)
    peers.append(proc)
    if not wait_port(port, proc=proc):
        raise AssertionError(f"{name} does not listen")
    return proc


def start_s_server(name, files, chain):
    """openssl s_server with the leaf of @files and the CA certificate @chain after it."""
    start_peer(name, ["openssl", "s_server", "-quiet", "-accept", f"127.0.0.1:{P[name]}", "-cert", files[2],
                      "-key", files[0], "-cert_chain", chain, "-naccept", "1000"], P[name])


def start_nginx():
    prefix = os.path.join(root, "nginx")
    os.makedirs(prefix)
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(f"""daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{P['bare']} ssl;
        ssl_certificate {BARE[1]};
        ssl_certificate_key {BARE[0]};
        location / {{
            proxy_pass https://127.0.0.1:{P['good']};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }}
    }}
}}
""")
    start_peer("nginx", ["nginx", "-p", prefix + "/", "-c", os.path.join(prefix, "nginx.conf"),
                         "-e", os.path.join(prefix, "error.log")], P["bare"])


# What the probe says, and what a session does

def probe(name):
    status, body = gw.request("GET", f"/services/{name}/tls")
    assert status == 200, (status, body)
    assert body["connect"] is not None and body["connect"]["probe"] is not None, body
    return body["connect"]["probe"]


def log_outcome(name, since):
    """The gateway's log line for the back-end of a session of @name, after offset @since."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        text = gw.log_text()[since:]
        # Whole lines only: the last one may still be being written.
        for line in text[:text.rfind("\n") + 1].splitlines():
            if f"service {name}, session " in line and (": connected to " in line or ": refused: " in line):
                return line[line.index(": ", line.index(" from ")) + 2:]
        time.sleep(0.05)
    raise AssertionError(f"no session outcome for {name} in the log")


def session(name):
    """Opens a session through the gateway's proxy service @name; returns its log line's
    outcome ("connected to …" or "refused: …") and, when connected, its backend_tls."""
    since = len(gw.log_text())
    context = ssl.create_default_context(cafile=gw.ca)

    async def go():
        async with ws_connect(f"wss://localhost:{gw.port}/{name}", ssl=context, open_timeout=30) as ws:
            outcome = await asyncio.to_thread(log_outcome, name, since)
            backend_tls = None
            if outcome.startswith("connected to"):
                status, body = await asyncio.to_thread(gw.request, "GET", f"/sessions?service={name}")
                assert status == 200, (status, body)
                assert len(body["sessions"]) == 1, body
                backend_tls = body["sessions"][0]["backend_tls"]
            else:
                try:
                    await asyncio.wait_for(ws.recv(), 15)
                    raise AssertionError("a refused session echoed")
                except ConnectionClosed:
                    pass
                assert ws.close_code == 1011, ws.close_code
            return outcome, backend_tls
    try:
        return asyncio.run(go())
    except InvalidStatus as e:
        raise AssertionError(f"the gateway refused the upgrade: {e}")


def kinds(chain):
    return {finding["kind"] for link in chain["links"] for finding in link["findings"]}


def agree(name):
    """The probe and a session of @name agree; returns the probe."""
    seen = probe(name)
    outcome, backend_tls = session(name)
    print(f"# {name}: {outcome}")
    assert seen["verdict"] == outcome, f"probe: {seen['verdict']!r}, session: {outcome!r}"
    assert seen["connected"] == outcome.startswith("connected to"), seen
    if seen["connected"]:
        assert seen["backend_tls"] == backend_tls, (seen["backend_tls"], backend_tls)
    else:
        assert not seen["ok"] and seen["error"], seen
    return seen


@test("a good chain (Python websockets): the probe connects as the session does, TLS 1.3, verified")
def _():
    seen = agree("good")
    assert seen["ok"] and seen["error"] is None, seen
    assert seen["protocol"] == "TLS1.3" and seen["cipher"], seen
    assert seen["backend_tls"].startswith("TLS1.3 ") and seen["backend_tls"].endswith(", verified"), seen
    assert seen["server_name"] == "localhost" and seen["verify_name"] == "localhost", seen
    assert seen["chain"]["trusted"], seen["chain"]
    assert [link["role"] for link in seen["chain"]["links"]] == ["leaf", "intermediate", "anchor"], seen["chain"]
    assert seen["client_certificate"] is None, seen


@test("connect-tls.priority: the probe negotiates TLS 1.2 when the service allows only that")
def _():
    seen = agree("good-tls12")
    assert seen["ok"] and seen["protocol"] == "TLS1.2", seen
    assert seen["backend_tls"].startswith("TLS1.2 "), seen


@test("connect-tls.server-name: the probe sends it as SNI and verifies it, not the connect host")
def _():
    del SNI_SEEN[:]
    seen = probe("named")
    assert SNI_SEEN == ["backend.example"], SNI_SEEN
    assert seen["ok"] and seen["server_name"] == "backend.example", seen
    assert seen["address"] == f"wss://127.0.0.1:{P['named']}", seen
    agree("named")


@test("a leaf for the wrong host: refused by both, host-mismatch at the leaf")
def _():
    seen = agree("wrong-host")
    assert seen["step"] == "TLS handshake", seen
    assert "host-mismatch" in kinds(seen["chain"]), seen["chain"]
    assert not seen["chain"]["trusted"], seen["chain"]


@test("a back-end that requires a client certificate: presented with client-certificate-alias")
def _():
    seen = agree("mtls")
    assert seen["ok"], seen
    cc = seen["client_certificate"]
    assert cc["alias"] == "gateway" and cc["requested"] and cc["presented"], cc
    assert cc["chain"]["links"][0]["certificate"]["subject"], cc


@test("a back-end that requires a client certificate, and none set: refused by both")
def _():
    seen = agree("mtls-without")
    assert seen["client_certificate"] is None, seen
    assert not seen["connected"], seen


@test("an expired leaf (openssl s_server): refused by both, expired at the leaf")
def _():
    seen = agree("expired")
    assert "expired" in kinds(seen["chain"]), seen["chain"]
    assert seen["chain"]["links"][0]["severity"] == "error", seen["chain"]


def ders(pem_text):
    """The DER of each certificate of @pem_text, in order."""
    blocks = pem_text.split("-----END CERTIFICATE-----")[:-1]
    return [ssl.PEM_cert_to_DER_cert(block[block.index("-----BEGIN CERTIFICATE-----"):] +
                                      "-----END CERTIFICATE-----\n") for block in blocks]


@test("the chain the back-end sent (openssl s_server), whole: each certificate's DER is the back-end's own")
def _():
    seen = probe("expired")
    sent = [ssl.PEM_cert_to_DER_cert(c["pem"]) for c in seen["certificates"]]
    # s_server sends its leaf, then the intermediate given with -cert_chain
    assert sent == ders(read(EXPIRED[2])) + ders(read(INTERMEDIATE.cert)), [len(d) for d in sent]
    assert seen["certificates_truncated"] is False, seen
    assert seen["certificates"][0]["subject"] == "CN=localhost", seen["certificates"][0]
    assert "BEGIN PRIVATE KEY" not in json.dumps(seen), "a key in the probe"
    # the same leaf the verdict judged
    assert seen["certificates"][0]["sha256_fingerprint"] == seen["chain"]["links"][0]["certificate"]["sha256_fingerprint"]


@test("the chain the back-end sent (Python websockets): leaf and intermediate, as in its chain file")
def _():
    seen = probe("good")
    sent = [ssl.PEM_cert_to_DER_cert(c["pem"]) for c in seen["certificates"]]
    assert sent == ders(read(GOOD[1])), [len(d) for d in sent]
    assert not seen["certificate_requested"], seen
    mtls = probe("mtls-without")
    assert mtls["certificate_requested"] and mtls["client_certificate"] is None, mtls


@test("a back-end whose CA is not in the truststore (openssl s_server): refused by both, untrusted root")
def _():
    seen = agree("strange")
    assert kinds(seen["chain"]) & {"untrusted-root", "self-signed"}, seen["chain"]
    assert not seen["chain"]["trusted"], seen["chain"]


@test("a missing intermediate (nginx sends the leaf alone): refused by both, missing-intermediate")
def _():
    if shutil.which("nginx") is None:
        raise Skip("nginx is not installed")
    seen = agree("bare")
    assert "missing-intermediate" in kinds(seen["chain"]), seen["chain"]
    assert len(seen["chain"]["links"]) >= 1, seen["chain"]


@test("a back-end nobody listens on: refused by both at the TCP connect, no chain")
def _():
    seen = agree("nobody")
    assert seen["step"] == "TCP connect" and seen["chain"] is None, seen


# Preview before apply: POST /config/preview

def preview(body, viewer=False):
    status, answer = gw.request("POST", "/config/preview", body, if_match=False, viewer=viewer)
    assert status == 200, (status, answer)
    return answer


def current_config():
    status, body = gw.request("GET", "/config")
    assert status == 200, (status, body)
    return body


@test("preview of the running configuration: each accept's SNI choice and chain, nothing flagged")
def _():
    answer = preview({})
    assert answer["valid"] and answer["problems"] == [], answer["problems"]
    by_service = {a["service"]: a for a in answer["accepts"]}
    good = by_service["good"]
    assert good["alias"] == "gateway" and good["chain"]["trusted"] and good["flag"] is None, good
    assert good["uri"] == f"wss://localhost:{gw.port}/good", good
    assert all(a["flag"] is None for a in answer["accepts"]), [a for a in answer["accepts"] if a["flag"]]


@test("preview of a document with an accept no key entry serves: not valid, flagged no-certificate")
def _():
    config = current_config()
    config["services"].append({"name": "nameless", "type": "echo", "accept": [f"wss://127.0.0.2:{free_port()}/x"]})
    answer = preview({"config": config})
    assert not answer["valid"] and answer["problems"], answer
    nameless = [a for a in answer["accepts"] if a["service"] == "nameless"]
    assert len(nameless) == 1 and nameless[0]["flag"] == "no-certificate" and nameless[0]["alias"] is None, nameless
    assert [a["flag"] for a in answer["accepts"] if a["service"] == "good"] == [None], answer["accepts"]
    status, body = gw.request("GET", "/config")
    assert "nameless" not in [x["name"] for x in body["services"]], "the preview changed the configuration"


@test("preview of a rotate to an expired chain: every accept it serves is flagged expired")
def _():
    chain = read(EXPIRED[1])
    answer = preview({"keystore_entry": {"alias": "gateway", "chain": chain}})
    secure = [a for a in answer["accepts"] if a["secure"]]
    assert secure and all(a["alias"] == "gateway" and a["flag"] == "expired" for a in secure), secure
    assert "expired" in kinds(secure[0]["chain"]), secure[0]["chain"]
    status, body = gw.request("GET", "/keystore/gateway")
    assert status == 200 and "Probe" not in json.dumps(body), "the preview rotated the entry"
    status, body = gw.request("POST", "/config/preview", {"keystore_entry": {"alias": "nobody", "chain": chain}},
                              if_match=False)
    assert status == 404, (status, body)


@test("preview below admin (#12): the running files are fine, other files are 403 before any read")
def _():
    answer = preview({}, viewer=True)
    assert answer["valid"] and answer["accepts"], answer
    config = current_config()
    config["security"]["keystore"]["file"] = "/nonexistent/keystore.p12"
    status, body = gw.request("POST", "/config/preview", {"config": config}, if_match=False, viewer=True)
    assert status == 403 and body["type"].endswith("forbidden-role"), (status, body)
    config["security"]["keystore"]["file"] = os.path.join(gw.dir, "truststore.pem")
    status, body2 = gw.request("POST", "/config/preview", {"config": config}, if_match=False, viewer=True)
    assert status == 403 and body2 == body, (status, body2, body)



# Revocation: the truststore's CRLs, uploaded through the API

def client_session(files):
    """An echo through verify-in with the client certificate @files; True when it echoed."""
    context = ssl.create_default_context(cafile=gw.ca)
    context.load_cert_chain(files[1], files[0])

    async def go():
        async with ws_connect(f"wss://localhost:{P['verify-in']}/in", ssl=context, open_timeout=15) as ws:
            await ws.send("hello")
            return await asyncio.wait_for(ws.recv(), 15) == "hello"
    try:
        return asyncio.run(go())
    except (OSError, WebSocketException, asyncio.TimeoutError):
        return False


@test("before any CRL: the revoked back-end and the revoked client certificate get through")
def _():
    seen = agree("revoked")
    assert seen["ok"], seen
    assert client_session(CLIENT_GOOD) and client_session(CLIENT_REVOKED)
    status, body = gw.request("GET", "/truststore/crls")
    assert status == 200 and body == {"crls": []}, (status, body)


@test("POST /truststore/crls without If-Match is 428, and a body without a CRL 422")
def _():
    status, body = gw.request("POST", "/truststore/crls", {"pem": CRL}, if_match=False)
    assert status == 428, (status, body)
    status, body = gw.request("POST", "/truststore/crls", {"pem": read(ROOT.cert)})
    assert status == 422 and body["type"].endswith("pki-error"), (status, body)


@test("a CRL from `openssl ca -gencrl` uploaded: listed, and kept in the truststore file")
def _():
    status, body = gw.request("POST", "/truststore/crls", {"pem": CRL})
    assert status == 201, (status, body)
    assert body["version"] >= 1 and len(body["crls"]) == 1, body
    status, body = gw.request("GET", "/truststore/crls")
    assert status == 200 and len(body["crls"]) == 1, (status, body)
    crl = body["crls"][0]
    assert crl["issuer"] == "CN=Probe Intermediate CA" and crl["revoked"] == 2, crl
    serials = {run("openssl", "x509", "-in", f[2], "-noout", "-serial").stdout.strip().split("=")[1].lower()
               for f in (REVOKED, CLIENT_REVOKED)}
    assert {x.lower() for x in crl["revoked_serials"]} == serials, (crl["revoked_serials"], serials)
    assert crl["verified_by"] is None, crl  # the intermediate is not in the truststore
    assert crl["pem"].strip() == CRL.strip(), crl["pem"]
    text = read(os.path.join(gw.dir, "truststore.pem"))
    assert text.count("-----BEGIN X509 CRL-----") == 1 and CRL.strip() in text, text[-600:]
    assert text.count("-----BEGIN CERTIFICATE-----") == 2, text


@test("a revoked back-end certificate: refused by the probe and by a session, revoked at the leaf")
def _():
    seen = agree("revoked")
    assert not seen["connected"] and "revoked" in seen["error"].lower(), seen
    assert "revoked" in kinds(seen["chain"]), seen["chain"]
    assert seen["chain"]["links"][0]["severity"] == "error", seen["chain"]
    good = agree("good")  # the same intermediate's other leaf is not revoked
    assert good["ok"] and "revoked" not in kinds(good["chain"]), good


@test("a revoked client certificate: refused by the gateway (tls.verify-client), the good one not")
def _():
    assert client_session(CLIENT_GOOD), "the good client certificate was refused"
    assert not client_session(CLIENT_REVOKED), "the revoked client certificate got through"


@test("after a restart the CRL in the truststore file still holds")
def _():
    gw.stop()
    gw.start()
    seen = agree("revoked")
    assert not seen["connected"] and "revoked" in kinds(seen["chain"]), seen
    assert not client_session(CLIENT_REVOKED) and client_session(CLIENT_GOOD)


@test("DELETE /truststore/crls/{id}: the revoked back-end and client get through again")
def _():
    status, body = gw.request("GET", "/truststore/crls")
    crl_id = body["crls"][0]["id"]
    status, body = gw.request("DELETE", f"/truststore/crls/{crl_id}")
    assert status == 200, (status, body)
    status, body = gw.request("GET", f"/truststore/crls/{crl_id}")
    assert status == 404, (status, body)
    assert "X509 CRL" not in read(os.path.join(gw.dir, "truststore.pem"))
    seen = agree("revoked")
    assert seen["ok"], seen
    assert client_session(CLIENT_REVOKED)


def main():
    only = os.environ.get("GATEHOUSE_TEST_ONLY")
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(target=python_backends, args=(ready, stop), daemon=True)
    n = 0
    try:
        thread.start()
        ready.wait(30)
        start_s_server("expired", EXPIRED, INTERMEDIATE.cert)
        start_s_server("strange", STRANGE, STRANGER.cert)
        if shutil.which("nginx"):
            start_nginx()
        gw.start()
        print(f"1..{len(results)}")
        for name, func in results:
            n += 1
            if only and only not in name:
                print(f"ok {n} - {name} # SKIP not selected")
                continue
            try:
                func()
                print(f"ok {n} - {name}")
            except Skip as e:
                print(f"ok {n} - {name} # SKIP {e}")
            except Exception:
                print(f"not ok {n} - {name}")
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
            sys.stdout.flush()
    finally:
        stop.set()
        gw.stop()
        for proc in peers:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(10)
        if not os.environ.get("GATEHOUSE_KEEP_TEST_DIR"):
            shutil.rmtree(root, ignore_errors=True)


main()
