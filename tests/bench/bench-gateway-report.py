#!/usr/bin/python3
"""bench-gateway-report.py RESULTS.jsonl OUT.md DURATION SIZE IDLE HSC — bench-gateway.sh's
tables: one per worker count, the front ends side by side with the ratios gatehoused/peer,
then every measurement's errors and CPU (the load generators' own, the front end's and
the back-end's in the measured window)."""
import json
import sys

results, out, duration, size, idle, hsc = sys.argv[1:7]
rows = [json.loads(line) for line in open(results) if line.strip()]
r = {(x["workers"], x["front"], x["test"], x["gen"]): x for x in rows}
FRONTS = ["gatehoused", "haproxy", "nginx"]
GEN_NAME = {"soup": "ws-load (libsoup)", "node": "ws-load.js (Node.js ws)", "soup-x2": "2 × ws-load"}


def load(w, f, t, g, k):
    x = r.get((w, f, t, g))
    return None if x is None or not x["load"] else x["load"].get(k)


def window_cpu(w, f, t, g, which):
    """The front end's (sum over its processes) or the back-end's CPU s in the window."""
    x = r.get((w, f, t, g))
    if x is None or not x["load"] or "cpu_pid_window_s" not in x["load"]:
        return None
    cpu = x["load"]["cpu_pid_window_s"]
    part = cpu[:x["n_front_pids"]] if which == "front" else cpu[x["n_front_pids"]:]
    return None if not part or None in part else sum(part)


def per(v, n, scale=1e6):
    return v * scale / n if v is not None and n else None


def fmt(v):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


def spread(w, f, t, g):
    lo, med = load(w, f, t, g, "session_min"), load(w, f, t, g, "session_median")
    if lo is None or not med:
        return None
    return f"{lo:.0f} / {med:.0f} = {lo / med:.2f}"


def gen_share(w, f, t, g):
    c, d = load(w, f, t, g, "cpu_window_s"), load(w, f, t, g, "duration_s")
    return f"{c / d:.2f}" if c is not None and d else None


lines = []
for w in sorted({x["workers"] for x in rows}):
    tests = sorted({x["test"] for x in rows if x["workers"] == w and x["test"].startswith("echo")},
                   key=lambda t: int(t[4:]))
    gens = [g for g in ("soup", "node") if any(x["gen"] == g and x["workers"] == w for x in rows)]
    metrics = []  # (label, function(front) -> number or text, ratio?)
    for t in tests:
        n = f"{int(t[4:]):,}"
        for g in gens:
            gn = GEN_NAME[g]
            metrics += [
                (f"WSS messages/s, {n} sessions, {gn}", lambda f, t=t, g=g: load(w, f, t, g, "messages_per_s"), True),
                (f"latency p50 (ms), {n} sessions, {gn}", lambda f, t=t, g=g: load(w, f, t, g, "p50_ms"), True),
                (f"latency p99 (ms), {n} sessions, {gn}", lambda f, t=t, g=g: load(w, f, t, g, "p99_ms"), True),
                (f"slowest session's messages / median's, {n} sessions, {gn}",
                 lambda f, t=t, g=g: spread(w, f, t, g), False),
                (f"front-end CPU µs per message (window only), {n} sessions, {gn}",
                 lambda f, t=t, g=g: None if f == "direct" else
                 per(window_cpu(w, f, t, g, "front"), load(w, f, t, g, "messages")), True),
                (f"load generator's CPU s per s of window, {n} sessions, {gn}",
                 lambda f, t=t, g=g: gen_share(w, f, t, g), False),
            ]
    metrics += [
        ("new TLS sessions (full handshakes)/s, 1 ws-load process",
         lambda f: load(w, f, "handshake", "soup", "handshakes_per_s"), True),
        ("new TLS sessions (full handshakes)/s, 2 ws-load processes at once",
         lambda f: load(w, f, "handshake", "soup-x2", "handshakes_per_s"), True),
        ("handshakes/s with 2 generator processes / with 1",
         lambda f: (load(w, f, "handshake", "soup-x2", "handshakes_per_s") / load(w, f, "handshake", "soup", "handshakes_per_s"))
         if load(w, f, "handshake", "soup", "handshakes_per_s") and load(w, f, "handshake", "soup-x2", "handshakes_per_s")
         else None, False),
        ("front-end CPU µs per handshake, 1 ws-load process",
         lambda f: None if f == "direct" else
         per(window_cpu(w, f, "handshake", "soup", "front"), load(w, f, "handshake", "soup", "handshakes")), True),
    ]

    def idle_kib(f):
        x = r.get((w, f, "idle", "soup"))
        if not x or not x["load"] or not x["load"].get("open"):
            return None
        return (x["rss_after_kib"] - x["rss_before_kib"]) / x["load"]["open"]
    opened = [load(w, f, "idle", "soup", "open") for f in FRONTS]
    metrics.append((f"memory per idle WSS session (KiB RSS growth, {'/'.join(fmt(o) for o in opened)} sessions)",
                    idle_kib, True))

    lines += [f"### {w} worker{'s' if w != 1 else ''}: gatehoused --workers {w}, HAProxy nbthread {w}, "
              f"nginx worker_processes {w}; back-end gatehoused --workers {w}", "",
              "| metric | gatehoused | HAProxy | nginx | gatehoused/HAProxy | gatehoused/nginx | direct to back-end |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for label, fn, with_ratio in metrics:
        vals = [fn(f) for f in FRONTS]
        g = vals[0]
        ratios = [f"{g / v:.2f}" if with_ratio and isinstance(g, (int, float)) and isinstance(v, (int, float)) and v
                  else "—" for v in vals[1:]]
        lines.append(f"| {label} | " + " | ".join(fmt(v) for v in vals) + " | " + " | ".join(ratios) +
                     f" | {fmt(fn('direct'))} |")
    lines.append("")

lines += ["Every measurement: errors, the load generator's own CPU (ws-load runs its WebSockets on one thread and "
          "its TLS handshakes on GLib's worker threads, ws-load.js all on one thread: a share near 1 s per s means "
          "the generator was the limit), and the front end's and back-end's CPU in the measured window (beside the "
          "front end's over the whole run, which includes opening the sessions). In handshake mode the window is "
          "the whole run.", "",
          "| workers | front end | test | generator | open | errors | first error | generator CPU s in window / "
          "window s | front-end CPU s, window (whole run) | back-end CPU s, window | negotiated |",
          "|---|---|---|---|---:|---:|---|---|---|---:|---|"]
for x in rows:
    w, f, t, g = x["workers"], x["front"], x["test"], x["gen"]
    lo = x["load"] or {}
    errs = lo.get("errors", lo.get("failed", "—"))
    fw, bw = window_cpu(w, f, t, g, "front"), window_cpu(w, f, t, g, "back")
    lines.append(f"| {w} | {f} | {t} | {g} | {lo.get('open', '—')} | {errs} | {lo.get('first_error') or ''} | "
                 f"{lo.get('cpu_window_s', 0):.2f} / {lo.get('duration_s', 0):.2f} | "
                 f"{fmt(fw)} ({x['cpu_front_run_s']:.2f}) | {fmt(bw)} | {lo.get('negotiated', '')} |")
lines += ["", f"{duration} s per measurement, {size}-byte binary messages, one in flight per session (ping-pong), "
          f"every echo checked byte for byte; {hsc} parallel handshake loops per generator process. Ratios are "
          "gatehoused divided by the peer (for messages/s and handshakes/s above 1 is better for gatehoused; for "
          "latency, CPU and memory below 1 is). The slowest session's messages against the median's: a session "
          "that starves shows as a small fraction. Handshakes: when two generator processes get no more than one "
          "(the ratio near 1 or below), the generator was not the limit of one; on a machine with few cores the "
          "second process also takes CPU from the front end. Reproduce: `make bench-gateway` "
          "(`GWBENCH_WORKERS=\"1 2\"` for both thread counts)."]
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
