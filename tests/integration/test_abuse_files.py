#!/usr/bin/python3
"""test_abuse_files.py GATEHOUSED — the files gatehoused reads because someone asked:
no device, FIFO or endless file makes it allocate without limit or wait, and validating
a configuration tells a viewer nothing about the gateway's files (issue: the admin API
under attack). Real daemon, real TLS, Python's ssl + http.client; TAP output.

Each probe is bounded in time and in what it sends, on loopback only, and asserts
what an admin would check: the right answer, quickly; the daemon's RSS under a stated
bound; the daemon still answering a legitimate admin afterwards.

Run with Debian's own interpreter (/usr/bin/python3).
"""
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback

from ghtest import free_port, rss_kib, run, under_asan, wait_port

GATEHOUSED = os.path.abspath(sys.argv[1])
BUILD_ROOT = os.environ.get("GATEHOUSE_BUILD_ROOT") or os.getcwd()
API = "/api/v1"
# RSS may grow this much over a probe: loading a keystore and answering is a few MiB;
# reading /dev/zero grew it by hundreds of MiB per second.
RSS_GROWTH_KIB = 64 * 1024

os.umask(0o077)
results = []


def test(name):
    def wrap(func):
        results.append((name, func))
        return func
    return wrap


class Gateway:
    def __init__(self, root):
        self.dir = os.path.join(root, "gw")
        self.port = free_port()
        self.admin_port = free_port()
        self.files_port = free_port()
        run(GATEHOUSED, "init", "--dir", self.dir, "--port", str(self.port), "--admin-port", str(self.admin_port))
        self.config_path = os.path.join(self.dir, "gatehoused.json")
        with open(self.config_path) as f:
            self.config = json.load(f)
        self.www = os.path.join(self.dir, "www")
        os.makedirs(self.www)
        self.config["services"].append({"name": "files", "type": "directory", "directory": "www",
                                        "accept": [f"https://localhost:{self.files_port}/files/"]})
        with open(self.config_path, "w") as f:
            json.dump(self.config, f, indent=2)

    def start(self):
        self.log = open(os.path.join(self.dir, "gatehoused.log"), "w")
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        self.proc = subprocess.Popen([GATEHOUSED, "--config", self.config_path], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env, preexec_fn=lambda: os.umask(0o022))
        return wait_port(self.admin_port) and wait_port(self.files_port)

    def rss_kib(self):
        return rss_kib(self.proc.pid)


    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


class Response:
    def __init__(self, status, body, elapsed):
        self.status, self.body, self.elapsed = status, body, elapsed
        try:
            self.json = json.loads(body)
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"<{self.status} in {self.elapsed:.1f} s: {self.body[:400]!r}>"


def context(identity):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE     # the daemon under test is ours, on loopback
    if identity is not None:
        ctx.load_cert_chain(*identity)
    return ctx


def request(method, path, body=None, identity=None, port=None, prefix=API, timeout=20):
    """One request on its own connection; a timeout is an answer too (status None)."""
    identity = identity or IDENTITIES["admin"]
    conn = http.client.HTTPSConnection("127.0.0.1", port or gw.admin_port, context=context(identity),
                                       timeout=timeout)
    headers = {"Host": f"localhost:{port or gw.admin_port}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    started = time.monotonic()
    try:
        conn.request(method, prefix + path, body=data, headers=headers)
        r = conn.getresponse()
        return Response(r.status, r.read(), time.monotonic() - started)
    except (TimeoutError, socket.timeout):
        return Response(None, b"", time.monotonic() - started)
    finally:
        conn.close()


def config():
    resp = request("GET", "/config")
    assert resp.status == 200, resp
    return resp.json


def probe(what, func, seconds=10):
    """Runs @func (which returns a Response) and checks that it answered within
    @seconds, that RSS stayed within the bound, and that the admin still gets /info."""
    before = gw.rss_kib()
    resp = func()
    grown = gw.rss_kib() - before
    assert resp.status is not None, f"{what}: no answer in {resp.elapsed:.0f} s"
    assert resp.elapsed < seconds, f"{what}: answered after {resp.elapsed:.1f} s: {resp!r}"
    if not under_asan(gw.proc.pid):
        assert grown < RSS_GROWTH_KIB, f"{what}: RSS grew {grown} KiB (bound {RSS_GROWTH_KIB})"
    info = request("GET", "/info")
    assert info.status == 200, f"after {what}, the admin gets {info!r}"
    return resp


def with_security(doc, keystore=None, truststore=None):
    doc = json.loads(json.dumps(doc))
    if keystore is not None:
        doc["security"]["keystore"].update(keystore)
    if truststore is not None:
        doc["security"]["truststore"] = truststore
    return doc


def problems(resp):
    assert resp.status == 200 and isinstance(resp.json, dict), resp
    assert resp.json.get("valid") is False, f"expected a refusal: {resp!r}"
    return " | ".join(f"{p.get('path')}: {p.get('message')}" for p in resp.json.get("problems", []))


def forbidden(resp):
    assert resp.status == 403, f"expected 403: {resp!r}"
    assert resp.json and resp.json.get("type", "").endswith("/forbidden-role"), resp
    return resp.json


# --------------------------------------------------------------------------------------
# Set-up: a gateway from `gatehoused init`, a viewer and an operator identity from its
# admin CA, and files an attacker would name.

tmp = tempfile.mkdtemp(prefix="gh-abuse-files-", dir=BUILD_ROOT)
gw = Gateway(tmp)
IDENTITIES = {}


def setup():
    d = gw.dir
    admin_pem = os.path.join(tmp, "admin.pem")
    run("openssl", "pkcs12", "-in", os.path.join(d, "gatehouse-admin.p12"),
        "-passin", "file:" + os.path.join(d, "gatehouse-admin.pw"), "-nodes", "-out", admin_pem)
    IDENTITIES["admin"] = (admin_pem, None)
    ca_key = os.path.join(tmp, "admin-ca.key")
    run("openssl", "pkcs12", "-in", os.path.join(d, "admin-ca-key.p12"),
        "-passin", "file:" + os.path.join(d, "admin-ca-key.pw"), "-nodes", "-nocerts", "-out", ca_key)
    for role in ("viewer", "operator"):
        key, cert = os.path.join(tmp, role + ".key"), os.path.join(tmp, role + ".pem")
        run("openssl", "req", "-new", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", key, "-subj", f"/CN=abuse-{role}", "-days", "2",
            "-CA", os.path.join(d, "admin-ca.pem"), "-CAkey", ca_key,
            "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=clientAuth",
            "-out", cert)
        IDENTITIES[role] = (cert, key)
        gw.config["admin"]["identities"].append({"subject": f"CN=abuse-{role}", "role": role})
    with open(gw.config_path, "w") as f:
        json.dump(gw.config, f, indent=2)

    os.mkfifo(os.path.join(tmp, "fifo"))
    os.symlink("/dev/zero", os.path.join(tmp, "zero-link"))
    with open(os.path.join(tmp, "sparse"), "wb") as f:
        f.truncate(1 << 30)     # 1 GiB that claims its size honestly, and costs no disk


# --------------------------------------------------------------------------------------
# Validation on a viewer's behalf reads nothing new.

@test("validate as a viewer: the running configuration, and a change that names the same files, validate")
def _():
    doc = config()
    resp = probe("viewer validates", lambda: request("POST", "/config/validate", body=doc,
                                                      identity=IDENTITIES["viewer"]))
    assert resp.status == 200 and resp.json == {"valid": True, "problems": []}, resp
    doc["services"][0]["name"] = "renamed-by-viewer"
    resp = request("POST", "/config/validate", body=doc, identity=IDENTITIES["operator"])
    assert resp.status == 200 and resp.json == {"valid": True, "problems": []}, resp
    doc["services"][0]["limits"] = {"idle-timeout": 0}
    resp = request("POST", "/config/validate", body=doc, identity=IDENTITIES["viewer"])
    assert resp.status == 200 and resp.json["valid"] is False, resp
    assert any(p["path"] == "services[0].limits.idle-timeout" for p in resp.json["problems"]), resp


@test("validate as a viewer: a password file of /dev/zero is refused at once, 403, reading nothing")
def _():
    doc = with_security(config(), keystore={"password-file": "/dev/zero"})
    body = forbidden(probe("viewer names /dev/zero", lambda: request("POST", "/config/validate", body=doc,
                                                                     identity=IDENTITIES["viewer"]), seconds=3))
    assert "admin" in body.get("detail", ""), body


@test("validate as a viewer: no oracle: an existing keystore and password, a missing one, a device, all answered alike")
def _():
    d = gw.dir
    running = config()
    answers = {}
    # The admin identity's own PKCS#12 and its password: the pair a viewer would want
    # to confirm; beside it a path that does not exist, a directory, and a device.
    for label, keystore in (
            ("admin identity", {"file": os.path.join(d, "gatehouse-admin.p12"),
                                "password-file": os.path.join(d, "gatehouse-admin.pw")}),
            ("wrong password", {"file": os.path.join(d, "gatehouse-admin.p12"),
                                "password-file": os.path.join(d, "keystore.pw")}),
            ("missing", {"file": os.path.join(d, "no-such-file.p12"),
                         "password-file": os.path.join(d, "no-such-file.pw")}),
            ("directory", {"file": "/etc", "password-file": "/etc"}),
            ("device", {"file": "/dev/zero", "password-file": "/dev/zero"})):
        resp = request("POST", "/config/validate", body=with_security(running, keystore=keystore),
                       identity=IDENTITIES["viewer"])
        forbidden(resp)
        answers[label] = (resp.status, resp.body)
    assert len(set(answers.values())) == 1, \
        "the answers differ: " + "; ".join(f"{k}: {v[1][:160]!r}" for k, v in answers.items())
    # A truststore the running configuration does not name: the same.
    resp = request("POST", "/config/validate", identity=IDENTITIES["viewer"],
                   body=with_security(running, truststore={"file": os.path.join(d, "admin-ca.pem")}))
    forbidden(resp)


@test("validate as an admin: the files are read, each with the right problem")
def _():
    doc = with_security(config(), keystore={"file": "no-such-keystore.p12"})
    text = problems(request("POST", "/config/validate", body=doc))
    assert "security.keystore" in text and "no-such-keystore.p12" in text, text


# --------------------------------------------------------------------------------------
# Reading files: regular ones only, with a bound, whatever their size claims.

@test("validate as an admin: a keystore of /dev/zero, a FIFO, a link to /dev/zero: 'not a regular file', quickly, RSS bounded")
def _():
    running = config()
    for path in ("/dev/zero", os.path.join(tmp, "fifo"), os.path.join(tmp, "zero-link")):
        doc = with_security(running, keystore={"file": path})
        text = problems(probe(f"keystore {path}", lambda: request("POST", "/config/validate", body=doc)))
        assert "security.keystore" in text and "not a regular file" in text, f"{path}: {text}"
        # A password file that is not one: the same.
        doc = with_security(running, keystore={"password-file": path})
        text = problems(probe(f"password file {path}", lambda: request("POST", "/config/validate", body=doc)))
        assert "security.keystore" in text and "not a regular file" in text, f"{path}: {text}"


@test("validate as an admin: a 1 GiB keystore is refused as too large without being read")
def _():
    doc = with_security(config(), keystore={"file": os.path.join(tmp, "sparse")})
    text = problems(probe("1 GiB keystore", lambda: request("POST", "/config/validate", body=doc), seconds=5))
    assert "security.keystore" in text and "too large" in text, text


@test("directory service: a FIFO, a link to /dev/zero and a 1 GiB file in the tree: refused at once, RSS bounded")
def _():
    os.mkfifo(os.path.join(gw.www, "fifo"))
    os.symlink("/dev/zero", os.path.join(gw.www, "zero"))
    with open(os.path.join(gw.www, "huge"), "wb") as f:
        f.truncate(1 << 30)
    with open(os.path.join(gw.www, "index.txt"), "w") as f:
        f.write("served\n")
    # A FIFO is no file to serve (404); the link leads out of the tree, and 1 GiB is
    # over the bound (403).
    for name, status in (("fifo", 404), ("zero", 403), ("huge", 403)):
        resp = probe(f"GET /files/{name}", lambda: request("GET", "/files/" + name, port=gw.files_port, prefix="",
                                                            timeout=15), seconds=5)
        assert resp.status == status, f"{name}: expected {status}: {resp!r}"
    resp = request("GET", "/files/index.txt", port=gw.files_port, prefix="")
    assert resp.status == 200 and resp.body == b"served\n", resp


@test("configuration history: a version file replaced by a link to /dev/zero is not followed")
def _():
    doc = config()
    doc["properties"]["name"] = "versioned"
    etag_resp = http_put_config(doc)
    version = etag_resp.json["version"]
    path = os.path.join(gw.dir, "history", f"v{version}.json")
    assert os.path.exists(path), f"no {path}"
    os.replace(os.path.join(tmp, "zero-link"), path)   # moves the link over the version
    resp = probe("GET a linked version", lambda: request("GET", f"/config/versions/{version}"), seconds=5)
    assert resp.status == 404, resp


def http_put_config(doc):
    conn = http.client.HTTPSConnection("127.0.0.1", gw.admin_port, context=context(IDENTITIES["admin"]),
                                       timeout=30)
    try:
        conn.request("PUT", API + "/config", body=json.dumps(doc).encode(),
                     headers={"Content-Type": "application/json", "If-Match": "*",
                              "Host": f"localhost:{gw.admin_port}"})
        r = conn.getresponse()
        resp = Response(r.status, r.read(), 0)
    finally:
        conn.close()
    assert resp.status == 200, resp
    return resp


@test("the daemon is still running, and never logged a password")
def _():
    assert gw.proc.poll() is None, "gatehoused exited"
    with open(os.path.join(gw.dir, "gatehoused.log")) as f:
        log = f.read()
    for name in ("keystore.pw", "gatehouse-admin.pw"):
        with open(os.path.join(gw.dir, name)) as f:
            secret = f.read().strip()
        assert secret not in log, f"the password of {name} is in the log"


def main():
    print("TAP version 13")
    print(f"1..{len(results) + 1}")
    failed = 0
    try:
        setup()
        ok = gw.start()
    except Exception as e:        # noqa: BLE001 — reported as a TAP failure
        ok = False
        print(f"# setup: {e}")
    print(("ok" if ok else "not ok") + " 1 - set-up: gatehoused started with a viewer and an operator")
    for number, (name, func) in enumerate(results, start=2):
        if not ok:
            print(f"ok {number} - {name} # SKIP no gateway")
            continue
        try:
            func()
            print(f"ok {number} - {name}")
        except Exception as e:    # noqa: BLE001
            failed += 1
            print(f"not ok {number} - {name}")
            for line in (str(e) or traceback.format_exc()).splitlines()[:20]:
                print("# " + line)
    if hasattr(gw, "proc"):
        gw.stop()
    if failed == 0 and ok and not os.environ.get("GH_TEST_KEEP"):
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
