// interop-node-peer.js — Node.js `ws` (npm) as a peer of the gateway, for
// test_interop_peers.py; `ws` is found through NODE_PATH.
//
//   node interop-node-peer.js server PORT [CERT KEY]
//     a WebSocket echo server on 127.0.0.1:PORT, over TLS when CERT and KEY are given
//     (https.createServer + WebSocketServer, as the #13 report ran it); prints
//     "listening" once it is.
//   node interop-node-peer.js client URL CA SESSIONS MESSAGES
//     SESSIONS concurrent sessions, each sending MESSAGES messages (text and binary
//     in turn) and checking every echo byte for byte; prints one JSON line and exits 0
//     only when every session got every echo.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const { WebSocket, WebSocketServer } = require('ws');

function serve (port, certFile, keyFile) {
  const echo = (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => {});
  };
  if (certFile) {
    const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) });
    new WebSocketServer({ server, maxPayload: 1 << 24 }).on('connection', echo);
    server.listen(port, '127.0.0.1', () => console.log('listening'));
  } else {
    const wss = new WebSocketServer({ port, host: '127.0.0.1', maxPayload: 1 << 24 });
    wss.on('connection', echo);
    wss.on('listening', () => console.log('listening'));
  }
}

function randomText (n) {
  const alphabet = 'abcdefgh €ü✓';
  let s = '';
  for (let i = 0; i < n; i++)
    s += alphabet[crypto.randomInt(alphabet.length)];
  return s;
}

function session (url, ca, nMessages) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { ca, maxPayload: 1 << 24 });
    let sent = null;
    let count = 0;
    const timer = setTimeout(() => { ws.terminate(); resolve(`timed out after ${count} echoes`); }, 30000);
    const next = () => {
      if (count === nMessages) {
        clearTimeout(timer);
        ws.close(1000);
        resolve(null);
        return;
      }
      sent = count % 2 === 0 ? randomText(1 + crypto.randomInt(2048))
                             : crypto.randomBytes(1 + crypto.randomInt(8192));
      ws.send(sent);
    };
    ws.on('open', next);
    ws.on('message', (data, isBinary) => {
      const textSent = typeof sent === 'string';
      const same = textSent ? !isBinary && data.toString('utf8') === sent
                            : isBinary && Buffer.compare(data, sent) === 0;
      if (!same) {
        clearTimeout(timer);
        ws.terminate();
        resolve(`message ${count} (${textSent ? 'text' : 'binary'}) came back different`);
        return;
      }
      count++;
      next();
    });
    ws.on('error', (e) => { clearTimeout(timer); resolve(`error: ${e.message}`); });
    ws.on('close', (code) => { if (count < nMessages) { clearTimeout(timer); resolve(`closed (${code}) after ${count} echoes`); } });
  });
}

async function client (url, caFile, nSessions, nMessages) {
  const ca = fs.readFileSync(caFile);
  const failures = (await Promise.all(Array.from({ length: nSessions }, () => session(url, ca, nMessages))))
    .filter((f) => f !== null);
  console.log(JSON.stringify({ sessions: nSessions, failed: failures.length, first: failures[0] || null }));
  process.exit(failures.length === 0 ? 0 : 1);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'server')
  serve(Number(args[0]), args[1], args[2]);
else if (mode === 'client')
  client(args[0], args[1], Number(args[2]), Number(args[3]));
else {
  console.error('usage: interop-node-peer.js server PORT [CERT KEY] | client URL CA SESSIONS MESSAGES');
  process.exit(2);
}
