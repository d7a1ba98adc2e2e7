#!/usr/bin/python3
"""admin-client.py — the client side of tests/bench/bench-admin.sh. Not a test.

  admin-client.py http --base https://127.0.0.1:P --cert CLIENT.pem --ca CA.pem
                       [--fingerprint AB:CD:…] --path /api/v1/info [--path …]
                       --n N --fresh M [--server-pid PID] [--label L]
      For each path: N sequential GETs on one keep-alive TLS connection (after one
      warm-up request), then M GETs each on a fresh TCP + TLS 1.3 connection with the
      client certificate (a full handshake: no session resumption). One JSON line per
      path and mode: latency percentiles (ms), requests/s, response bytes, the server's
      CPU time per request (from /proc/PID/stat) and this client's own CPU time.

  admin-client.py cli --socket HAPROXY.sock --command "show info" [--command …]
                      --n N --fresh M [--server-pid PID]
      The same for HAProxy's runtime API on its UNIX stats socket: N commands on one
      connection in interactive mode ("prompt"), M commands each on a new connection.

  admin-client.py events --url wss://127.0.0.1:P/api/v1/events --cert … --ca …
                         [--fingerprint …] --out RESULT.json [--ready FILE]
      One event-stream client (subprotocol gatehouse.v1) reading as fast as it can until
      SIGTERM or SIGINT. Touches FILE once the first snapshot is in. Writes a JSON summary:
      messages and bytes per type, per-second counts, seq gaps, resync_required count,
      the ids of session.opened / session.closed, the size of each session.updated.

Python's standard library (ssl, http.client, socket) and Debian's python3-websockets.
"""
import argparse
import hashlib
import http.client
import json
import os
import resource
import signal
import socket
import ssl
import sys
import time


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_of(pid):
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    i = int(p * (len(sorted_values) - 1) + 0.5)
    return sorted_values[i]


def summary(label, path, mode, latencies, wall, sizes, server_cpu, client_cpu, errors, extra=None):
    lat = sorted(latencies)
    out = {
        "label": label, "path": path, "mode": mode, "n": len(lat), "errors": errors,
        "p50_ms": percentile(lat, 0.50), "p95_ms": percentile(lat, 0.95), "p99_ms": percentile(lat, 0.99),
        "max_ms": lat[-1] if lat else None, "mean_ms": sum(lat) / len(lat) if lat else None,
        "requests_per_s": len(lat) / wall if wall > 0 else None,
        "bytes": int(sum(sizes) / len(sizes)) if sizes else 0,
        "server_cpu_ms_per_request": server_cpu * 1000 / len(lat) if lat else None,
        "client_cpu_ms_per_request": client_cpu * 1000 / len(lat) if lat else None,
    }
    if extra:
        out.update(extra)
    print(json.dumps(out), flush=True)


def tls_context(args):
    ctx = ssl.create_default_context(cafile=args.ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(args.cert)
    return ctx


def check_fingerprint(sock, expected):
    if not expected:
        return
    got = hashlib.sha256(sock.getpeercert(binary_form=True)).hexdigest().upper()
    got = ":".join(got[i:i + 2] for i in range(0, len(got), 2))
    if got != expected.upper():
        sys.exit(f"admin-client: the server's certificate is {got}, not the pinned {expected}")


def cmd_http(args):
    base = args.base.rstrip("/")
    host, port = base.split("://", 1)[1].rsplit(":", 1)
    port = int(port)
    ctx = tls_context(args)

    def new_connection():
        c = http.client.HTTPSConnection(host, port, context=ctx, timeout=120)
        c.connect()
        return c

    first = new_connection()
    check_fingerprint(first.sock, args.fingerprint)
    first.close()

    conn = [None]
    reconnected = [0]

    def get_one(c, path):
        """GET on conn[0]; when the server closed it after the last response, once more
        on a new connection (counted in reconnected)."""
        for attempt in (0, 1):
            try:
                conn[0].request("GET", path, headers={"Accept": "application/json"})
                r = conn[0].getresponse()
                body = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError, ssl.SSLEOFError):
                if attempt:
                    raise
                reconnected[0] += 1
                conn[0].close()
                conn[0] = new_connection()
        if r.status != 200:
            raise RuntimeError(f"{path}: HTTP {r.status}: {body[:200]!r}")
        if r.getheader("Connection", "").lower() == "close":
            conn[0].close()
            conn[0] = new_connection()
        return body

    def get(c, path):
        """walk:PATH pages through every session with next_cursor (the whole list)."""
        if not path.startswith("walk:"):
            return get_one(c, path)
        path, total, cursor = path[5:], b"", None
        while True:
            body = get_one(c, path + (f"&cursor={cursor}" if cursor else ""))
            total += body
            cursor = json.loads(body)["next_cursor"]
            if cursor is None:
                return total

    if args.get:
        conn[0] = new_connection()
        sys.stdout.write(get_one(None, args.get).decode())
        return

    for path in args.path:
        # keep-alive: one connection, a warm-up request, then N timed requests
        # A server that closes the connection after a response (without "Connection:
        # close") makes the next request fail at once: it is retried on a new connection,
        # within its timing, and counted in "reconnects" — what a keep-alive client pays.
        errors = 0
        conn[0] = new_connection()
        get(None, path)
        reconnected[0] = 0
        lat, sizes = [], []
        s0, c0, t0 = cpu_of(args.server_pid), cpu_self(), time.perf_counter()
        for _ in range(args.n):
            t = time.perf_counter()
            try:
                body = get(None, path)
            except Exception as e:  # noqa: BLE001 — counted and reported
                errors += 1
                print(f"admin-client: {e}", file=sys.stderr)
                conn[0].close()
                conn[0] = new_connection()
                continue
            lat.append((time.perf_counter() - t) * 1000)
            sizes.append(len(body))
        wall = time.perf_counter() - t0
        summary(args.label, path, "keep-alive", lat, wall, sizes,
                cpu_of(args.server_pid) - s0, cpu_self() - c0, errors, {"reconnects": reconnected[0]})
        conn[0].close()

        # fresh: a new TCP + TLS connection (full handshake, client certificate) per request
        errors = 0
        lat, sizes = [], []
        s0, c0, t0 = cpu_of(args.server_pid), cpu_self(), time.perf_counter()
        for _ in range(args.fresh):
            t = time.perf_counter()
            try:
                conn[0] = new_connection()
                body = get(None, path)
                conn[0].close()
            except Exception as e:  # noqa: BLE001
                errors += 1
                print(f"admin-client: {e}", file=sys.stderr)
                continue
            lat.append((time.perf_counter() - t) * 1000)
            sizes.append(len(body))
        wall = time.perf_counter() - t0
        if args.fresh:
            summary(args.label, path, "fresh", lat, wall, sizes,
                    cpu_of(args.server_pid) - s0, cpu_self() - c0, errors)


def cmd_cli(args):
    def read_until_prompt(s):
        buf = bytearray()
        while not buf.endswith(b"\n> "):
            chunk = s.recv(1 << 20)
            if not chunk:
                raise RuntimeError("the stats socket closed")
            buf += chunk
        return bytes(buf[:-2])

    def one_shot(command):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(args.socket)
        s.sendall(command.encode() + b"\n")
        buf = bytearray()
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            buf += chunk
        s.close()
        return bytes(buf)

    for command in args.command:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(args.socket)
        s.sendall(b"prompt\n")
        read_until_prompt(s)
        s.sendall(command.encode() + b"\n")
        read_until_prompt(s)  # warm-up
        lat, sizes, rows = [], [], 0
        s0, c0, t0 = cpu_of(args.server_pid), cpu_self(), time.perf_counter()
        for _ in range(args.n):
            t = time.perf_counter()
            s.sendall(command.encode() + b"\n")
            out = read_until_prompt(s)
            lat.append((time.perf_counter() - t) * 1000)
            sizes.append(len(out))
            rows = out.count(b"\n")
        wall = time.perf_counter() - t0
        summary(args.label, command, "keep-alive", lat, wall, sizes,
                cpu_of(args.server_pid) - s0, cpu_self() - c0, 0, {"lines": rows})
        s.close()

        lat, sizes = [], []
        s0, c0, t0 = cpu_of(args.server_pid), cpu_self(), time.perf_counter()
        for _ in range(args.fresh):
            t = time.perf_counter()
            out = one_shot(command)
            lat.append((time.perf_counter() - t) * 1000)
            sizes.append(len(out))
        wall = time.perf_counter() - t0
        if args.fresh:
            summary(args.label, command, "fresh", lat, wall, sizes,
                    cpu_of(args.server_pid) - s0, cpu_self() - c0, 0, {"lines": out.count(b"\n")})


def cmd_events(args):
    from websockets.sync.client import connect
    from websockets.exceptions import ConnectionClosed

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    ctx = tls_context(args)
    t_connect = time.monotonic()
    ws = connect(args.url, ssl=ctx, subprotocols=["gatehouse.v1"], max_size=None,
                 compression=None, open_timeout=60, close_timeout=5, max_queue=1024)
    check_fingerprint(ws.socket, args.fingerprint)
    r = {
        "subprotocol": ws.subprotocol, "messages": 0, "bytes": 0, "by_type": {}, "bytes_by_type": {},
        "seq_gaps": [], "first_seq": None, "last_seq": None, "resync_required": 0, "snapshots": [],
        "opened": [], "closed": [], "updated": [], "per_second": {}, "close": None,
    }
    last_seq = None
    start = None
    last_at = last_tick = None
    r["max_silence_s"] = r["max_tick_gap_s"] = 0.0
    c0 = cpu_self()
    try:
        while not stop:
            try:
                text = ws.recv(timeout=0.2)
            except TimeoutError:
                continue
            now = time.monotonic()
            m = json.loads(text)
            kind, seq = m["type"], m["seq"]
            r["messages"] += 1
            r["bytes"] += len(text)
            r["by_type"][kind] = r["by_type"].get(kind, 0) + 1
            r["bytes_by_type"][kind] = r["bytes_by_type"].get(kind, 0) + len(text)
            if last_seq is not None and seq != last_seq + 1:
                r["seq_gaps"].append([last_seq, seq])
            if r["first_seq"] is None:
                r["first_seq"] = seq
            last_seq = seq
            if start is not None:
                if last_at is not None:
                    r["max_silence_s"] = max(r["max_silence_s"], round(now - last_at, 3))
                last_at = now
                if kind == "stats.tick":
                    if last_tick is not None:
                        r["max_tick_gap_s"] = max(r["max_tick_gap_s"], round(now - last_tick, 3))
                    last_tick = now
                sec = str(int(now - start))
                bucket = r["per_second"].setdefault(sec, {})
                bucket[kind] = bucket.get(kind, 0) + 1
            if kind == "snapshot":
                r["snapshots"].append({"after_connect_s": round(now - t_connect, 3), "bytes": len(text),
                                       "sessions": len(m["data"]["sessions"])})
                if start is None:
                    start = now
                    r["start_monotonic"] = start
                    if args.ready:
                        open(args.ready, "w").close()
            elif kind == "resync_required":
                r["resync_required"] += 1
            elif kind == "session.opened":
                r["opened"].append(m["data"]["id"])
            elif kind == "session.closed":
                r["closed"].append(m["data"]["id"])
            elif kind == "session.updated":
                r["updated"].append({"t": round(now - start, 3) if start else None,
                                     "sessions": len(m["data"]["sessions"]), "bytes": len(text)})
    except ConnectionClosed as e:
        r["close"] = {"code": e.rcvd.code if e.rcvd else None, "reason": e.rcvd.reason if e.rcvd else None}
    r["last_seq"] = last_seq
    r["client_cpu_s"] = cpu_self() - c0
    r["wall_s"] = time.monotonic() - t_connect
    r["stop_monotonic"] = time.monotonic()
    try:
        ws.close()
    except Exception:  # noqa: BLE001
        pass
    with open(args.out, "w") as f:
        json.dump(r, f)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("http")
    h.add_argument("--base", required=True)
    h.add_argument("--path", action="append", default=[])
    h.add_argument("--get", help="print this path's body once, time nothing")
    e = sub.add_parser("events")
    e.add_argument("--url", required=True)
    e.add_argument("--out", required=True)
    e.add_argument("--ready")
    for x in (h, e):
        x.add_argument("--cert", required=True)
        x.add_argument("--ca", required=True)
        x.add_argument("--fingerprint")
    c = sub.add_parser("cli")
    c.add_argument("--socket", required=True)
    c.add_argument("--command", action="append", required=True)
    for x in (h, c):
        x.add_argument("--n", type=int, default=200)
        x.add_argument("--fresh", type=int, default=20)
        x.add_argument("--server-pid", type=int)
        x.add_argument("--label", default="")
    args = p.parse_args()
    {"http": cmd_http, "cli": cmd_cli, "events": cmd_events}[args.cmd](args)


if __name__ == "__main__":
    main()
