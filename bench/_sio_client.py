"""One benchmark client process: COUNT lean Socket.IO clients in one asyncio loop.

Each client speaks Engine.IO v4 / Socket.IO v5 framing directly over a websocket (no
python-socketio client: it costs about as much CPU as the server it measures). It offers
permessage-deflate as a browser does, answers the server's pings, and notes when each "swap"
event arrives (time.monotonic_ns(), a clock shared by every process on the machine).

Talks to bench/fanout.py over stdin/stdout, one line each:
  out "C <connected> <refused>"          once every client has tried to connect
  out "D <now> <last_arrival_ns>"        when every connected client has the swap stamped <now>
                                          (swaps that arrive before "C" are not counted)
  in  "Q"                                 report and quit
  out "R <json>"                          {"swaps": {now: [count, last_ns]}, "size": bytes, "lost": n}
Run: python bench/_sio_client.py URL COUNT AUTH_JSON [--cookie NAME=VALUE] [--no-deflate]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

SWAP_PREFIX = '42["swap",'
NOW_KEY = '"now":'


class Tally:
    def __init__(self) -> None:
        self.connected = 0
        self.refused = 0
        self.lost = 0  # connected, then closed before the end
        self.swaps: dict[int, list[int]] = {}  # now -> [count, last arrival ns]
        self.size = 0
        self.ready = False  # every client has tried to connect ("C" printed): swaps count from then

    def swap(self, message: str) -> None:
        if not self.ready:  # a push that came while the others were connecting: not a round
            return
        arrived = time.monotonic_ns()
        start = message.find(NOW_KEY, len(SWAP_PREFIX)) + len(NOW_KEY)
        end = start
        while message[end].isdigit():
            end += 1
        now = int(message[start:end])
        entry = self.swaps.get(now)
        if entry is None:
            entry = self.swaps[now] = [0, 0]
            self.size = len(message.encode())
        entry[0] += 1
        entry[1] = arrived
        if entry[0] == self.connected - self.lost:
            print(f"D {now} {arrived}", flush=True)


async def client(url: str, auth: str, headers: dict, deflate: bool, tally: Tally,
                 gate: asyncio.Semaphore, stop: asyncio.Event) -> None:
    async with gate:
        try:
            ws = await connect(url, additional_headers=headers, compression="deflate" if deflate else None,
                               ping_interval=None, max_size=None, open_timeout=60)
            opening = await asyncio.wait_for(ws.recv(), 60)
            if not opening.startswith("0"):
                raise RuntimeError(f"no Engine.IO open packet: {opening[:80]!r}")
            await ws.send("40" + auth)
            reply = await asyncio.wait_for(ws.recv(), 60)
            while not reply.startswith("40"):
                if reply.startswith("44"):
                    raise RuntimeError(f"connection refused: {reply[:200]}")
                if reply == "2":
                    await ws.send("3")
                reply = await asyncio.wait_for(ws.recv(), 60)
        except Exception as e:  # noqa: BLE001 - counted and reported, the run goes on
            tally.refused += 1
            if tally.refused <= 3:
                print(f"# refused: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
            return
        tally.connected += 1
    try:  # read at once: the server's pings need answers while the others connect
        async for message in ws:
            if message.startswith(SWAP_PREFIX):
                tally.swap(message)
            elif message == "2":
                await ws.send("3")
    except ConnectionClosed:
        pass
    if not stop.is_set():
        tally.lost += 1


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("count", type=int)
    parser.add_argument("auth")
    parser.add_argument("--cookie", default=None)
    parser.add_argument("--no-deflate", action="store_true")
    parser.add_argument("--parallel", type=int, default=20, help="connections opened at once")
    args = parser.parse_args()
    headers = {"Cookie": args.cookie} if args.cookie else {}
    tally = Tally()
    gate = asyncio.Semaphore(args.parallel)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(client(args.url, args.auth, headers, not args.no_deflate, tally,
                                        gate, stop)) for _ in range(args.count)]
    while tally.connected + tally.refused < args.count:
        await asyncio.sleep(0.05)
    tally.ready = True
    print(f"C {tally.connected} {tally.refused}", flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while (line := await reader.readline()) and line.strip() != b"Q":
        pass
    stop.set()
    print("R " + json.dumps({"swaps": tally.swaps, "size": tally.size, "lost": tally.lost,
                             "connected": tally.connected}), flush=True)
    for t in tasks:
        t.cancel()


if __name__ == "__main__":
    asyncio.run(main())
