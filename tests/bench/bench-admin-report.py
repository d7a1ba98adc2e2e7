#!/usr/bin/python3
"""bench-admin-report.py RESULTS.jsonl OUT.md SESSIONS N FRESH — bench-admin.sh's tables."""
import json
import sys

results, out, sessions, n, fresh = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = [json.loads(line) for line in open(results) if line.strip()]
lat = {(r["label"], r["path"], r["mode"]): r for r in rows if "label" in r}
phase = {}
for r in rows:
    if "phase" in r:
        phase.setdefault((r["phase"], r["front"]), []).append(r)


def f(v, unit=""):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if abs(v) >= 100:
        return f"{v:,.0f}{unit}"
    if abs(v) >= 10:
        return f"{v:.1f}{unit}"
    return f"{v:.2f}{unit}"


def ratio(a, b):
    if a is None or not b:
        return "—"
    x = a / b
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}" if x >= 0.01 else f"{x:.4f}"


def get(label, path, mode, key):
    r = lat.get((label, path, mode))
    return None if r is None else r.get(key)


big = "live"
L = []
L.append(f"### Requests, {sessions:,} live WSS sessions (and 0 for reference)")
L.append("")
L.append("Milliseconds; keep-alive: sequential requests on one connection (`reconnects`: how often the server "
         "had closed it, each such request paying a new TLS handshake); fresh: a new TCP + TLS 1.3 "
         "connection with the client certificate per request. Server CPU: the daemon's CPU time per request.")
L.append("")
L.append("| server | request | p50 @0 | p50 | p95 | p99 | req/s | reconnects | fresh p50 | fresh p99 | server CPU ms/req | bytes |")
L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
g_paths = ["/api/v1/info", "/api/v1/stats", "/api/v1/sessions?limit=100", "/api/v1/sessions?limit=1000",
           "walk:/api/v1/sessions?limit=1000", "/api/v1/config", "/api/v1/keystore"]
h_paths = ["show info", "show stat", "show sess", "/stats;csv"]
for server, label, paths in (("gatehoused", "gatehoused", g_paths), ("HAProxy", "haproxy", h_paths)):
    for p in paths:
        name = ("GET " + p.replace("walk:", "") + " → all pages") if p.startswith("walk:") else (
            p if server == "HAProxy" and not p.startswith("/") else "GET " + p)
        if server == "HAProxy":
            name = name + (" (UNIX socket)" if not p.startswith("/") else " (HTTPS stats page, mTLS)")
        k = (f"{label}-{big}", p, "keep-alive")
        if k not in lat:
            continue
        r = lat[k]
        L.append(f"| {server} | `{name}` | {f(get(label + '-0', p, 'keep-alive', 'p50_ms'))} | {f(r['p50_ms'])} | "
                 f"{f(r['p95_ms'])} | {f(r['p99_ms'])} | {f(r['requests_per_s'])} | {r.get('reconnects', '—')} | "
                 f"{f(get(label + '-' + big, p, 'fresh', 'p50_ms'))} | {f(get(label + '-' + big, p, 'fresh', 'p99_ms'))} | "
                 f"{f(r['server_cpu_ms_per_request'])} | {r['bytes']:,} |")

pe = lat.get(("gatehoused-echo", "/api/v1/stats", "keep-alive"))
if pe:
    L.append(f"| gatehoused | `GET /api/v1/stats` while every session echoes | — | {f(pe['p50_ms'])} | {f(pe['p95_ms'])} | "
             f"{f(pe['p99_ms'])} | {f(pe['requests_per_s'])} | {pe.get('reconnects', '—')} | — | — | {f(pe['server_cpu_ms_per_request'])} | {pe['bytes']:,} |")
L.append("")
L.append(f"Comparable pairs at {sessions:,} sessions, gatehoused / HAProxy (above 1: gatehoused slower):")
L.append("")
L.append("| gatehoused | HAProxy | p50 ratio | p99 ratio | req/s ratio | fresh connection p50: gatehoused vs HAProxy HTTPS stats page (both mTLS) |")
L.append("|---|---|---:|---:|---:|---|")
for gp, hp, note in (("/api/v1/info", "show info", ""), ("/api/v1/stats", "show stat", ""),
                     ("walk:/api/v1/sessions?limit=1000", "show sess", " (every session)"),
                     ("/api/v1/stats", "/stats;csv", " (both HTTPS + mTLS)")):
    gl, hl = f"gatehoused-{big}", f"haproxy-{big}"
    if (gl, gp, "keep-alive") not in lat or (hl, hp, "keep-alive") not in lat:
        continue
    gr, hr = lat[(gl, gp, "keep-alive")], lat[(hl, hp, "keep-alive")]
    fr = f"{f(get(gl, gp, 'fresh', 'p50_ms'))} vs {f(get(hl, '/stats;csv', 'fresh', 'p50_ms'))} ms"
    L.append(f"| `{gp.replace('walk:', '')}`{note} | `{hp}` | {ratio(gr['p50_ms'], hr['p50_ms'])} | "
             f"{ratio(gr['p99_ms'], hr['p99_ms'])} | {ratio(gr['requests_per_s'], hr['requests_per_s'])} | {fr} |")

# ---- opening the sessions, memory ----
L.append("")
L.append("### Opening the sessions, memory")
L.append("")
L.append("| server | sessions open (checked) | time to open | server CPU s while opening | RSS @0 (MiB) | RSS @open (MiB) | listen-queue overflows | ws-load errors |")
L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
for server, front in (("gatehoused", "gatehoused"), ("HAProxy", "haproxy")):
    o = (phase.get(("open", front)) or [None])[0]
    rss = phase.get(("rss", front), [])
    idle = (phase.get(("idle", front)) or [None])[0]
    rss0 = next((x["rss_kib"] for x in rss if x["sessions"] == 0), None)
    rssn = next((x for x in rss if x["sessions"] not in (0, "after")), None)
    if o is None:
        continue
    L.append(f"| {server} | {rssn['sessions'] if rssn else '—'} | {f(o['wall_s'], ' s')} | {f(o['cpu_s'])} | "
             f"{f(rss0 / 1024 if rss0 else None)} | {f(rssn['rss_kib'] / 1024 if rssn else None)} | {o['listen_overflows']} | "
             f"{idle['errors'] if idle else '—'}{(' (' + idle['first_error'] + ')') if idle and idle['first_error'] else ''} |")


# ---- events ----
def samples(path):
    try:
        pts = [tuple(map(float, line.split())) for line in open(path) if len(line.split()) == 3]
    except OSError:
        return None, None
    if len(pts) < 2:
        return None, None
    cpu = (pts[-1][1] - pts[0][1]) / (pts[-1][0] - pts[0][0]) * 100
    return cpu, max(p[2] for p in pts) / 1024


L.append("")
L.append("### Event stream, one client (Python websockets), gatehoused only")
L.append("")
churn = (phase.get(("churn", "gatehoused")) or [None])[0]
echo = (phase.get(("echo", "gatehoused")) or [None])[0]


def churn_table(churn, title):
    ev = json.load(open(churn["events"]))
    load = churn["load"]
    cpu, rss = samples(churn["samples"]) if churn.get("samples") else (None, None)
    dur = load["duration_s"]
    bt = ev["by_type"]
    oc = bt.get("session.opened", 0) + bt.get("session.closed", 0)
    snap = ev["snapshots"][0] if ev["snapshots"] else {}
    peak = max((v.get("session.opened", 0) + v.get("session.closed", 0) for v in ev["per_second"].values()), default=0)
    L.append(title)
    L.append("")
    L.append("| measure | value |")
    L.append("|---|---:|")
    if churn.get("connect_to_snapshot_s"):
        L.append(f"| first snapshot: sessions, size, time from connecting | {snap.get('sessions', 0):,} sessions, {snap.get('bytes', 0) / 1e6:.1f} MB, {churn['connect_to_snapshot_s']:.2f} s |")
    L.append(f"| sessions churned (ws-load, {load['concurrency']} loops, {dur:.0f} s): opened / closed / failed | {load['opened']:,} / {load['closed']:,} / {load['failed']} ({load['sessions_per_s']:.0f} sessions/s) |")
    L.append(f"| session.opened / session.closed events received | {bt.get('session.opened', 0):,} / {bt.get('session.closed', 0):,} |")
    L.append(f"| events/s delivered (opened + closed): mean over the churn / busiest second | {oc / dur:,.0f} / {peak:,} |")
    L.append(f"| all messages / bytes received (incl. hello, snapshot, stats.tick) | {ev['messages']:,} / {ev['bytes'] / 1e6:.1f} MB |")
    L.append(f"| seq gaps / resync_required / closed by the server | {len(ev['seq_gaps'])} / {ev['resync_required']} / {ev['close'] or 'no'} |")
    L.append(f"| stats.tick received / seconds connected | {bt.get('stats.tick', 0)} / {ev['wall_s']:.0f} |")
    L.append(f"| longest silence after the snapshot / longest gap between two stats.tick | {ev.get('max_silence_s', 0):.1f} s / {ev.get('max_tick_gap_s', 0):.1f} s |")
    L.append(f"| gatehoused CPU during the churn{', RSS peak' if rss else ''} | {f(churn['cpu_s'] / dur * 100, ' %')} of a core{', ' + f(rss) + ' MiB' if rss else ''} |")
    L.append(f"| the event client's own CPU / wall | {ev['client_cpu_s']:.1f} s / {ev['wall_s']:.1f} s |")
    L.append("")


if churn:
    churn_table(churn, f"Sessions churning beside the {churn['sessions']:,} idle ones:")
churn0 = (phase.get(("churn0", "gatehoused")) or [None])[0]
if churn0:
    churn_table(churn0, "Sessions churning, no other session open (the gateway accepts faster):")
close = (phase.get(("close", "gatehoused")) or [None])[0]
if close:
    ev = json.load(open(close["events"]))
    per = ev["per_second"]
    secs = sorted(int(k) for k, v in per.items() if v.get("session.closed"))
    n_closed = ev["by_type"].get("session.closed", 0)
    span = (secs[-1] - secs[0] + 1) if secs else None
    peak = max((v.get("session.closed", 0) for v in per.values()), default=0)
    L.append(f"All {close['sessions']:,} sessions closing at once (ws-load closes them, {close['wall_s']:.1f} s until all are closed):")
    L.append("")
    L.append("| measure | value |")
    L.append("|---|---:|")
    L.append(f"| session.closed events received / seconds with closes / busiest second | {n_closed:,} / {span} / {peak:,} |")
    L.append(f"| seq gaps / resync_required / closed by the server | {len(ev['seq_gaps'])} / {ev['resync_required']} / {ev['close'] or 'no'} |")
    L.append(f"| snapshots received (1 + one per resync) / sessions in the last | {len(ev['snapshots'])} / {ev['snapshots'][-1]['sessions'] if ev['snapshots'] else '—'} |")
    L.append(f"| longest silence after the snapshot / longest gap between two stats.tick | {ev.get('max_silence_s', 0):.1f} s / {ev.get('max_tick_gap_s', 0):.1f} s |")
    L.append("")
if echo:
    ev = json.load(open(echo["events"]))
    cpu, rss = samples(echo["samples"])
    idle = (phase.get(("idle", "gatehoused")) or [None])[0]
    up = ev["updated"]
    if True:
        sizes = [u["sessions"] for u in up] or [0]
        span = (up[-1]["t"] - up[0]["t"]) if len(up) > 1 else None
        L.append("")
        L.append(f"The {echo['sessions']:,} sessions exchanging messages (ws-load ping-pong on every session, "
                 f"{echo['wall_s']:.0f} s, then 6 s of quiet):")
        L.append("")
        L.append("| measure | value |")
        L.append("|---|---:|")
        L.append(f"| WSS messages echoed (all sessions) | {idle['messages'] if idle else '—':,} ({(idle['messages'] / echo['wall_s']) if idle else 0:,.0f}/s) |")
        L.append(f"| session.updated events / per second | {len(up)} / {f(len(up) / span if span else None)} |")
        L.append(f"| sessions per session.updated: mean / max | {sum(sizes) / len(sizes):,.0f} / {max(sizes):,} |")
        L.append(f"| bytes per session.updated: mean / max | {sum(u['bytes'] for u in up) / max(len(up), 1) / 1e3:,.0f} kB / {max((u['bytes'] for u in up), default=0) / 1e3:,.0f} kB |")
        L.append(f"| session entries sent in all / seq gaps / resync_required | {sum(sizes):,} / {len(ev['seq_gaps'])} / {ev['resync_required']} |")
        L.append(f"| stats.tick received / seconds connected | {ev['by_type'].get('stats.tick', 0)} / {ev['wall_s']:.0f} |")
        L.append(f"| first snapshot: size, time from connecting | {ev['snapshots'][0]['bytes'] / 1e6:.1f} MB, {ev['snapshots'][0]['after_connect_s']:.1f} s |" if ev['snapshots'] else "| first snapshot | none |")
        L.append(f"| longest silence after the snapshot / longest gap between two stats.tick | {ev.get('max_silence_s', 0):.1f} s / {ev.get('max_tick_gap_s', 0):.1f} s |")
        L.append(f"| gatehoused CPU while echoing, RSS peak | {f(echo['cpu_s'] / echo['wall_s'] * 100, ' %')} of a core, {f(rss)} MiB |")

# ---- polling HAProxy instead ----
ss = lat.get((f"haproxy-{big}", "show sess", "keep-alive"))
if ss:
    L.append("")
    L.append("HAProxy has no event stream: a tool following its sessions polls `show sess`. Once a second at "
             f"{sessions:,} sessions that is {ss.get('lines', 0):,} rows/s ({ss['bytes'] / 1e6:.1f} MB/s), "
             f"{ss['p50_ms']:.1f} ms per poll and {ss['server_cpu_ms_per_request']:.1f} ms of HAProxy CPU per poll, "
             "whatever the churn, and a session shorter than the interval is never seen. gatehoused's stream sends "
             "only the changes (plus one stats.tick/s and session.updated for sessions whose counters moved).")
text = "\n".join(L) + "\n"
open(out, "w").write(text)
print(text)
