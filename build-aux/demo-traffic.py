#!/usr/bin/python3
"""demo-traffic.py PORT CA — keeps a few WebSocket sessions coming and going through the
demo gateway, so that it has live traffic to show. Runs until killed."""
import asyncio
import random
import ssl
import sys

from websockets.asyncio.client import connect

PORT, CA = int(sys.argv[1]), sys.argv[2]


async def client(number):
    rng = random.Random(number)
    context = ssl.create_default_context(cafile=CA)
    while True:
        path = rng.choice(["echo", "echo", "backend"])
        try:
            async with connect(f"wss://localhost:{PORT}/{path}", ssl=context, open_timeout=10) as ws:
                for _ in range(rng.randint(3, 40)):
                    await ws.send(rng.randbytes(rng.randint(16, 4096)))
                    await ws.recv()
                    await asyncio.sleep(rng.uniform(0.2, 2.0))
        except Exception as error:
            print(f"client {number}: {error}", flush=True)
        await asyncio.sleep(rng.uniform(0.5, 3.0))


async def main():
    await asyncio.sleep(1)
    await asyncio.gather(*(client(n) for n in range(8)))


asyncio.run(main())
