// ws-load.js — the second load generator of tests/bench/bench-gateway.sh, one we did not
// write the WebSocket side of: Node.js with npm `ws` (pinned in
// tests/integration/npm-pins.json, found through NODE_PATH). Not a test.
//
//   node ws-load.js --mode echo --url wss://H:P/PATH --ca CA.pem --sessions N --size S --duration D
//   node ws-load.js --mode idle --url wss://H:P/PATH --ca CA.pem --sessions N --hold D
//   node ws-load.js --mode handshake --host H --port P --server-name NAME --ca CA.pem --concurrency C --duration D
//
// The same options as ws-load (the libsoup one, ws-load.c) and the same JSON line, so
// that bench-gateway.sh reads either: a difference between the two generators on the
// same front end is the generators', not the front end's. Node.js runs its WebSocket
// and TLS work on one thread, so its CPU in the window close to the window's length
// means it is the limit. --cpu-pid PID (repeatable) samples the CPU of other processes
// (the front end's, the back-end's) at the measured window's open and close, from
// /proc/PID/stat (user + system of all its threads).
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const tls = require('tls');
const { WebSocket } = require('ws');

const opt = {
  mode: null, url: null, ca: null, host: null, port: 0, 'server-name': null,
  sessions: 100, size: 128, concurrency: 8, duration: 5, hold: 5,
  'connect-timeout': 60, 'connect-window': 0, 'cpu-pid': [],
};

function parseArgs (argv) {
  for (let i = 0; i < argv.length; i++) {
    let name = argv[i];
    let value;
    if (!name.startsWith('--'))
      throw new Error(`unexpected argument ${name}`);
    name = name.slice(2);
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else {
      value = argv[++i];
    }
    if (!(name in opt) || value === undefined)
      throw new Error(`unknown option or missing value: --${name}`);
    if (Array.isArray(opt[name]))
      opt[name].push(Number(value));
    else if (typeof opt[name] === 'number')
      opt[name] = Number(value);
    else
      opt[name] = value;
  }
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const ownCpuS = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

// user + system seconds of a process, all its threads (fields 14 and 15, in clock ticks
// of 1/100 s on Linux); null once it is gone.
function procCpuS (pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch (e) {
    return null;
  }
}

const watchedCpu = () => opt['cpu-pid'].map(procCpuS);

let firstError = null;
function noteError (what, e) {
  if (firstError === null)
    firstError = `${what}: ${e && e.message ? e.message : (e || '')}`;
}

function percentileMs (sorted, p) {
  if (sorted.length === 0)
    return 0;
  return sorted[Math.floor(p * (sorted.length - 1) + 0.5)] / 1000;
}

function median (sorted) {
  if (sorted.length === 0)
    return 0;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

// ---- echo and idle ----

function runWebsocket (wallStart, cpuStart) {
  const ca = fs.readFileSync(opt.ca);
  const sessions = [];
  const latencies = [];
  let nOpen = 0, nConnectFailed = 0, nMismatch = 0, nUnexpectedClose = 0, nFinished = 0, nClosed = 0;
  let nextToConnect = 0;
  let measuring = false, stopping = false, idleEchoing = false;
  let measureStart = 0, measureEnd = 0, nMessages = 0;
  let cpuWindowStart = 0, cpuWindow = 0, watchedStart = [], watchedWindow = [];
  let connectedAt = 0;
  let deadline = null;

  // Each message differs (the session's index and a counter in the first 12 bytes of
  // random bytes) and is checked byte for byte when it comes back.
  const makePayload = (s) => {
    const b = Buffer.from(s.base);
    b.writeUInt32LE(s.index, 0);
    b.writeDoubleLE(s.counter++, 4);
    return b;
  };

  const sendNext = (s) => {
    s.payload = null;
    if (stopping || s.closed)
      return;
    s.payload = opt.size >= 12 ? makePayload(s) : crypto.randomBytes(opt.size);
    s.sentAt = nowUs();
    s.ws.send(s.payload, { binary: true });
  };

  const finish = () => {
    const closedAt = nowUs();
    const sorted = Float64Array.from(latencies).sort();
    const counts = sessions.filter((s) => s.ws).map((s) => s.inWindow).sort((a, b) => a - b);
    const isEcho = opt.mode === 'echo';
    const measured = (measureEnd - measureStart) / 1e6;
    const out = {
      mode: opt.mode, generator: 'node-ws', url: opt.url, sessions: opt.sessions, open: nOpen, size: opt.size,
      duration_s: isEcho ? measured : opt.hold, messages: nMessages,
      messages_per_s: isEcho && measured > 0 ? nMessages / measured : 0,
      p50_ms: percentileMs(sorted, 0.50), p90_ms: percentileMs(sorted, 0.90),
      p99_ms: percentileMs(sorted, 0.99), max_ms: percentileMs(sorted, 1.0),
      session_min: isEcho && counts.length ? counts[0] : 0,
      session_median: isEcho ? median(counts) : 0,
      session_max: isEcho && counts.length ? counts[counts.length - 1] : 0,
      connect_s: (connectedAt - wallStart) / 1e6, connect_failed: nConnectFailed, mismatches: nMismatch,
      unexpected_closes: nUnexpectedClose, errors: nConnectFailed + nMismatch + nUnexpectedClose,
      first_error: firstError, cpu_window_s: cpuWindow,
      cpu_pid: opt['cpu-pid'], cpu_pid_window_s: watchedWindow,
      cpu_s: ownCpuS() - cpuStart, wall_s: (closedAt - wallStart) / 1e6,
    };
    process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
  };

  const closeAll = () => {
    stopping = true;
    for (const s of sessions) {
      if (s.ws && !s.closed)
        s.ws.close(1000);
    }
    if (nClosed >= nOpen)
      finish();
    else
      deadline = setTimeout(() => { noteError('sessions still closing after 10 s'); finish(); }, 10000);
  };

  const startMeasuring = () => {
    measuring = true;
    cpuWindowStart = ownCpuS();
    watchedStart = watchedCpu();
    measureStart = nowUs();
    measureEnd = measureStart + opt.duration * 1e6;
    for (const s of sessions) {
      if (s.ws && !s.closed)
        sendNext(s);
    }
    setTimeout(() => {
      measureEnd = Math.min(measureEnd, nowUs());
      cpuWindow = ownCpuS() - cpuWindowStart;
      watchedWindow = watchedCpu().map((v, i) => (v === null || watchedStart[i] === null ? null : v - watchedStart[i]));
      closeAll();
    }, opt.duration * 1000);
  };

  const allConnected = () => {
    clearTimeout(deadline);
    connectedAt = nowUs();
    if (opt.mode === 'echo') {
      startMeasuring();
      return;
    }
    measuring = true;
    process.stderr.write(`ready ${nOpen}\n`);
    process.on('SIGUSR1', () => {
      if (idleEchoing || stopping)
        return;
      idleEchoing = true;
      for (const s of sessions) {
        if (s.ws && !s.closed && s.payload === null)
          sendNext(s);
      }
    });
    process.on('SIGUSR2', () => { idleEchoing = false; });
    const stop = () => { clearTimeout(deadline); closeAll(); };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    deadline = setTimeout(stop, opt.hold * 1000);
  };

  // A session got its first echo or failed to open: the --connect-window (sessions
  // opening at once, up to their first echo, as in ws-load.c) lets the next one start.
  const finishedOne = () => {
    if (opt['connect-window'] > 0)
      connectNext();
    if (++nFinished === opt.sessions)
      allConnected();
  };

  const onMessage = (s, data, isBinary) => {
    const now = nowUs();
    if (s.payload === null) {
      nMismatch++;
      noteError('unexpected message');
      return;
    }
    if (!isBinary || !s.payload.equals(data)) {
      nMismatch++;
      noteError('echo differs from what was sent');
    }
    if (!s.checked) {
      // The first echo came back: the session works end to end.
      s.checked = true;
      s.payload = null;
      finishedOne();
      return;
    }
    if (measuring && opt.mode === 'echo' && s.sentAt >= measureStart && now <= measureEnd) {
      latencies.push(now - s.sentAt);
      nMessages++;
      s.inWindow++;
    }
    if (opt.mode === 'idle') {
      if (idleEchoing) {
        nMessages++;
        sendNext(s);
      } else {
        s.payload = null;
      }
      return;
    }
    sendNext(s);
  };

  const connectNext = () => {
    if (nextToConnect >= opt.sessions || stopping)
      return;
    const s = { index: nextToConnect++, ws: null, base: crypto.randomBytes(opt.size), counter: 0,
                payload: null, sentAt: 0, inWindow: 0, checked: false, closed: false, opened: false };
    sessions.push(s);
    const ws = new WebSocket(opt.url, { ca, perMessageDeflate: false, maxPayload: Math.max(opt.size * 2, 131072),
                                        handshakeTimeout: opt['connect-timeout'] * 1000 });
    ws.on('open', () => {
      s.ws = ws;
      s.opened = true;
      nOpen++;
      // One checked echo before the session counts as open (as ws-load.c does: a front
      // end may answer the upgrade before its back-end is connected).
      sendNext(s);
    });
    ws.on('message', (data, isBinary) => onMessage(s, data, isBinary));
    ws.on('error', (e) => noteError(s.opened ? 'websocket error' : 'connect', e));
    ws.on('close', (code, reason) => {
      if (!s.opened) {
        nConnectFailed++;
        finishedOne();
        return;
      }
      if (!s.closed && !stopping) {
        nUnexpectedClose++;
        noteError('session closed by the peer');
        process.stderr.write(`ws-load.js: session ${s.index} closed by peer: code ${code} reason ${reason}\n`);
      }
      s.closed = true;
      if (!s.checked && !stopping) {
        s.checked = true;  // closed before its first echo: it will not come
        finishedOne();
      }
      if (++nClosed >= nOpen && stopping) {
        clearTimeout(deadline);
        finish();
      }
    });
  };

  deadline = setTimeout(() => {
    noteError('not every session connected in time');
    connectedAt = nowUs();
    closeAll();
  }, opt['connect-timeout'] * 1000);
  const first = opt['connect-window'] > 0 ? Math.min(opt['connect-window'], opt.sessions) : opt.sessions;
  for (let i = 0; i < first; i++)
    connectNext();
}

// ---- handshake: connect + full TLS handshake (no resumption) + close, C loops ----

function runHandshakes (wallStart, cpuStart) {
  const ca = fs.readFileSync(opt.ca);
  const servername = opt['server-name'] || opt.host;
  const start = nowUs();
  const end = start + opt.duration * 1e6;
  const watchedStart = watchedCpu();
  let nHandshakes = 0, nFailed = 0, nDone = 0, negotiated = null;

  const done = () => {
    if (++nDone < opt.concurrency)
      return;
    const elapsed = (nowUs() - start) / 1e6;
    const out = {
      mode: 'handshake', generator: 'node-ws', host: opt.host, port: opt.port, concurrency: opt.concurrency,
      duration_s: elapsed, handshakes: nHandshakes, handshakes_per_s: nHandshakes / elapsed, failed: nFailed,
      negotiated: negotiated || '', first_error: firstError,
      cpu_pid: opt['cpu-pid'],
      cpu_pid_window_s: watchedCpu().map((v, i) => (v === null || watchedStart[i] === null ? null : v - watchedStart[i])),
      cpu_window_s: ownCpuS() - cpuStart, cpu_s: ownCpuS() - cpuStart, wall_s: (nowUs() - wallStart) / 1e6,
    };
    process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
  };

  const loop = () => {
    if (nowUs() >= end || nFailed > 1000) {
      done();
      return;
    }
    let settled = false;
    // No `session` given and no ticket kept: every handshake is a full one.
    const socket = tls.connect({ host: opt.host, port: opt.port, servername, ca,
                                 minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', noDelay: true });
    socket.on('secureConnect', () => {
      settled = true;
      nHandshakes++;
      if (negotiated === null)
        negotiated = `${socket.getProtocol()} ${socket.getCipher().standardName}`;
      // close_notify and FIN, then the next connection (as ws-load.c does: it does
      // not wait for the server's own close either).
      socket.end();
      setImmediate(loop);
    });
    socket.on('error', (e) => {
      if (settled)
        return;
      settled = true;
      nFailed++;
      noteError('handshake', e);
      socket.destroy();
      setImmediate(loop);
    });
  };
  for (let i = 0; i < opt.concurrency; i++)
    loop();
}

function main () {
  try {
    parseArgs(process.argv.slice(2));
    if (!opt.mode || !opt.ca || opt.sessions < 1 || opt.size < 1 || opt.concurrency < 1 || !(opt.duration > 0))
      throw new Error('--mode and --ca are required');
  } catch (e) {
    process.stderr.write(`ws-load.js: ${e.message}\n`);
    process.exit(2);
  }
  const wallStart = nowUs();
  const cpuStart = ownCpuS();
  if (opt.mode === 'handshake' && opt.host && opt.port > 0)
    runHandshakes(wallStart, cpuStart);
  else if ((opt.mode === 'echo' || opt.mode === 'idle') && opt.url)
    runWebsocket(wallStart, cpuStart);
  else {
    process.stderr.write('ws-load.js: unknown mode, or missing --url (echo, idle) or --host and --port (handshake)\n');
    process.exit(2);
  }
}

main();
