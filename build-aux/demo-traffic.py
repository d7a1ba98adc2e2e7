#!/usr/bin/python3
"""demo-traffic.py --port PORT --ca CA.pem [--status FILE] [--min N] [--max N] [--period S]

The demo's traffic: WebSocket sessions on the demo gateway's services, coming and going,
so that Gatehouse has live numbers, a moving chart and session events to show. Every
client trusts only CA.pem (the demo root CA: the gateway sends its leaf and the
intermediate) and checks the host name. Every message must come back as it was sent;
what does not is counted and logged.

The number of open sessions goes up and down between --min and --max (a wave of --period
seconds, with some noise); each session lives a few seconds to a minute, sends a message
every 0.3 to 2 s, and is closed early when there are more than the wave wants. Every 5 s a line of counts
goes to standard output and, with --status, the same counts as JSON to FILE (replaced
atomically). Runs until SIGTERM or SIGINT, then closes its sessions cleanly.
"""
import argparse
import asyncio
import json
import math
import os
import random
import signal
import ssl
import sys
import time

from websockets.asyncio.client import connect

SERVICES = {"echo": "/echo", "backend": "/backend"}


class ClosedByGateway(Exception):
    pass


class Stats:
    def __init__(self):
        self.open = {name: 0 for name in SERVICES}
        self.opened = {name: 0 for name in SERVICES}
        self.closed = {name: 0 for name in SERVICES}
        self.echoed = {name: 0 for name in SERVICES}
        self.mismatched = {name: 0 for name in SERVICES}
        self.failed = {name: 0 for name in SERVICES}
        self.last_error = None

    def as_dict(self, target):
        return {"time": time.time(), "target": target, "open": self.open, "opened": self.opened,
                "closed": self.closed, "echoed": self.echoed, "mismatched": self.mismatched,
                "failed": self.failed, "last_error": self.last_error}


class Traffic:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.context = ssl.create_default_context(cafile=args.ca)   # host names checked
        self.stats = Stats()
        self.target = args.min
        self.sessions = {}          # task -> [service, stop event]
        self.stopping = asyncio.Event()
        self.number = 0

    def log(self, text):
        print(f"{time.strftime('%H:%M:%S')} {text}", flush=True)

    async def session(self, number, service, stop):
        rng = random.Random(self.rng.random())
        uri = f"wss://localhost:{self.args.port}{SERVICES[service]}"
        lifetime = rng.uniform(4, 60)
        name = f"session {number} ({service})"
        try:
            async with connect(uri, ssl=self.context, open_timeout=10, close_timeout=2,
                               user_agent_header=f"gatehouse-demo-traffic/{number}") as ws:
                # The client address, as the Connections page shows the session.
                host, port = ws.local_address[:2]
                name = f"session {number} ({service}, {host}:{port})"
                self.stats.open[service] += 1
                self.stats.opened[service] += 1
                try:
                    deadline = time.monotonic() + lifetime
                    while not stop.is_set() and time.monotonic() < deadline:
                        if rng.random() < 0.5:
                            message = rng.randbytes(rng.randint(16, 2048))
                        else:
                            message = "".join(rng.choice("gatehouse demo €ü ") for _ in range(rng.randint(8, 1024)))
                        await ws.send(message)
                        reply = await asyncio.wait_for(ws.recv(), 10)
                        if reply == message:
                            self.stats.echoed[service] += 1
                        else:
                            self.stats.mismatched[service] += 1
                            self.stats.last_error = f"{service}: a message came back different"
                            self.log(f"{name}: a message came back different")
                        try:
                            await asyncio.wait_for(stop.wait(), rng.uniform(0.3, 2.0))
                        except asyncio.TimeoutError:
                            pass
                    # Closed by the gateway while waiting for the next message, as the
                    # session's end or the wave's came: said all the same.
                    received = ws.protocol.close_rcvd
                    if received is not None:
                        raise ClosedByGateway(f"received {received.code} {received.reason}")
                finally:
                    self.stats.open[service] -= 1
                    self.stats.closed[service] += 1
        except asyncio.CancelledError:
            raise
        except Exception as error:      # refused, TLS, timeout, closed by the gateway: counted
            self.stats.failed[service] += 1
            self.stats.last_error = f"{service}: {type(error).__name__}: {error}"
            self.log(f"{name}: {type(error).__name__}: {error}")
            await asyncio.sleep(1)

    def start_session(self):
        counts = {name: 0 for name in SERVICES}
        for service, _ in self.sessions.values():
            counts[service] += 1
        # Both services always have some; otherwise echo twice as often as the back-end.
        service = min(counts, key=counts.get) if min(counts.values()) == 0 else \
            self.rng.choice(["echo", "echo", "backend"])
        self.number += 1
        stop = asyncio.Event()
        task = asyncio.create_task(self.session(self.number, service, stop))
        self.sessions[task] = [service, stop]
        task.add_done_callback(lambda t: self.sessions.pop(t, None))

    def report(self):
        s = self.stats
        self.log("open " + ", ".join(f"{n} {s.open[n]}" for n in SERVICES) + f" (target {self.target}); "
                 "echoed " + ", ".join(f"{n} {s.echoed[n]}" for n in SERVICES) + "; "
                 f"mismatched {sum(s.mismatched.values())}, failed {sum(s.failed.values())}")
        if self.args.status:
            tmp = self.args.status + ".tmp"
            with open(tmp, "w") as f:
                json.dump(s.as_dict(self.target), f)
            os.replace(tmp, self.args.status)

    async def run(self):
        last_target = last_report = 0.0
        started = time.monotonic()
        while not self.stopping.is_set():
            now = time.monotonic()
            if now - last_target > 3:
                # A slow wave from the middle up to --max, down to --min and back, with noise.
                wave = math.sin(2 * math.pi * (now - started) / self.args.period)
                middle, amplitude = (self.args.min + self.args.max) / 2, (self.args.max - self.args.min) / 2
                self.target = max(self.args.min, min(self.args.max,
                                                     round(middle + amplitude * wave) + self.rng.randint(-1, 1)))
                last_target = now
            live = [t for t, (_, stop) in self.sessions.items() if not stop.is_set()]
            if len(live) < self.target:
                self.start_session()
            elif len(live) > self.target:
                self.sessions[self.rng.choice(live)][1].set()
            if now - last_report >= 5:
                self.report()
                last_report = now
            try:
                await asyncio.wait_for(self.stopping.wait(), self.rng.uniform(0.2, 0.8))
            except asyncio.TimeoutError:
                pass
        # Close every session cleanly, then give up on those that do not finish.
        for _, stop in list(self.sessions.values()):
            stop.set()
        if self.sessions:
            await asyncio.wait(list(self.sessions), timeout=3)
        for task in list(self.sessions):
            task.cancel()
        self.report()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--status")
    parser.add_argument("--min", type=int, default=3)
    parser.add_argument("--max", type=int, default=15)
    parser.add_argument("--period", type=float, default=90, help="seconds from --min to --max and back")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    traffic = Traffic(args)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, traffic.stopping.set)
    traffic.log(f"traffic on wss://localhost:{args.port}/echo and /backend, {args.min} to {args.max} sessions")
    await traffic.run()
    traffic.log("stopped")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
