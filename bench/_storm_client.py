"""One reconnect-storm client process: COUNT screens in one asyncio loop (bench/storm.py).

Each screen connects as socket.io-client 4 does with its default options (live.js sets only
reconnectionDelayMax, to its default): an Engine.IO v4 handshake over HTTP long-polling, the
Socket.IO CONNECT with the screen's auth in a POST while a GET polls for the answer, then the
upgrade to a websocket (``2probe``/``3probe``, the pending poll released, ``5``). On the
"connect" answer it reloads its regions over HTTP as live.js does (each ``[data-live-src]`` of
the page, or the one ``data-live-regions`` address of the pass page), with the headers htmx
sends. It is "back" when every one of those answers arrived with 200.

When its connection ends (the server was killed) it reconnects the way socket.io-client's
Manager does: wait ``backoff.duration()``, try, and on a failed attempt wait the next duration;
attempts unlimited. The backoff is socket.io-client's (its contrib/backo2):

    ms = reconnectionDelay * 2 ** attempts        (1000 ms, then 2000, 4000, ...)
    rand = random(); deviation = floor(rand * randomizationFactor * ms)   (factor 0.5)
    ms = ms - deviation if floor(rand * 10) is even else ms + deviation
    delay = min(ms, reconnectionDelayMax)         (5000 ms)

reset once an attempt succeeds. An attempt fails when the server cannot be reached, answers the
handshake with an error, or does not finish it within socket.io-client's 20 s ``timeout``. A
CONNECT the server refuses (``44``) is not retried by socket.io-client: such a screen stays off
(counted as "refused"; it never comes back by itself).

Talks to bench/storm.py over stdin/stdout, one line each:
  out "C <connected> <failed>"   once every screen has tried to connect the first time
  out "B <back>"                 each time one more screen of this process is back after a drop
  in  "Q"                        report and quit
  out "R <json>"                 {"back_ns": [...], "closed_ns": [...], "retried": n,
                                  "errors": {kind: n}, "refused": n, "region_errors": n, ...}
Run: python bench/_storm_client.py BASE_URL SPEC_JSON_FILE FIRST COUNT
"""
from __future__ import annotations

import asyncio
import json
import math
import random
import sys
import time
from collections import Counter

import aiohttp

RECONNECTION_DELAY, RECONNECTION_DELAY_MAX, RANDOMIZATION_FACTOR = 1000, 5000, 0.5
CONNECT_TIMEOUT = 20.0  # socket.io-client's `timeout` option (ms 20000)


class Backoff:
    """socket.io-client's reconnection backoff (contrib/backo2), in milliseconds."""

    def __init__(self, ms=RECONNECTION_DELAY, max_ms=RECONNECTION_DELAY_MAX, jitter=RANDOMIZATION_FACTOR,
                 factor=2):
        self.ms, self.max, self.jitter, self.factor, self.attempts = ms, max_ms, jitter, factor, 0

    def duration(self) -> int:
        ms = self.ms * self.factor ** self.attempts
        self.attempts += 1
        if self.jitter:
            rand = random.random()
            deviation = math.floor(rand * self.jitter * ms)
            ms = ms - deviation if (math.floor(rand * 10) & 1) == 0 else ms + deviation
        return int(min(ms, self.max))

    def reset(self) -> None:
        self.attempts = 0


class Refused(Exception):
    """The server refused the Socket.IO CONNECT (44): socket.io-client does not retry."""


class Failed(Exception):
    """An attempt that failed: the client retries after its backoff."""


def _stamp() -> str:
    return format(int(time.time() * 1000), "x")  # engine.io-client's cache buster, roughly


class Screen:
    def __init__(self, base: str, spec: dict, tally: Tally):
        self.base, self.spec, self.tally = base, spec, tally
        self.auth = json.dumps(spec["auth"])
        self.backoff = Backoff()
        self.ws = None
        self.session: aiohttp.ClientSession | None = None

    def _new_session(self) -> aiohttp.ClientSession:
        # One device: its own connections (a browser keeps at most 6 per host) and cookies.
        headers = {"Cookie": self.spec["cookie"]} if self.spec.get("cookie") else {}
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=6, force_close=False),
                                     headers=headers, timeout=aiohttp.ClientTimeout(total=None))

    async def _get(self, url: str) -> str:
        async with self.session.get(url) as r:
            body = await r.text()
            if r.status != 200:
                raise Failed(f"HTTP {r.status} on {url.split('?')[1][:40]}")
            return body

    async def _post(self, url: str, data: str) -> None:
        async with self.session.post(url, data=data.encode(), headers={"Content-Type": "text/plain;charset=UTF-8"}) as r:
            await r.read()
            if r.status != 200:
                raise Failed(f"HTTP {r.status} on POST")

    async def _handshake(self) -> tuple[str, str]:
        """Engine.IO open over polling, then the Socket.IO CONNECT; returns (sid, polling URL)."""
        polling = f"{self.base}/socket.io/?EIO=4&transport=polling"
        opening = await self._get(f"{polling}&t={_stamp()}")
        if not opening.startswith("0"):
            raise Failed(f"no open packet: {opening[:60]!r}")
        sid = json.loads(opening[1:])["sid"]
        url = f"{polling}&sid={sid}"
        post = asyncio.create_task(self._post(f"{url}&t={_stamp()}", "40" + self.auth))
        try:
            while True:
                body = await self._get(f"{url}&t={_stamp()}")
                for packet in body.split("\x1e"):
                    if packet.startswith("40"):
                        return sid, url
                    if packet.startswith("44"):
                        raise Refused(packet[:200])
                    if packet == "2":
                        await self._post(url, "3")
                    elif packet == "1":
                        raise Failed("closed during the handshake")
        finally:
            await post

    async def _upgrade(self, sid: str, url: str) -> None:
        """The websocket upgrade engine.io-client makes once it is open (over polling)."""
        poll = asyncio.create_task(self._get(f"{url}&t={_stamp()}"))  # the poll in flight
        ws_url = self.base.replace("http", "ws", 1) + f"/socket.io/?EIO=4&transport=websocket&sid={sid}"
        ws = await self.session.ws_connect(ws_url, compress=15, autoping=False, max_msg_size=0)
        await ws.send_str("2probe")
        msg = await ws.receive()
        if msg.type != aiohttp.WSMsgType.TEXT or msg.data != "3probe":
            raise Failed(f"upgrade probe answered {msg.data!r}")
        await poll  # the server releases the pending poll (noop) when the probe arrives
        await ws.send_str("5")
        self.ws = ws

    async def _load_regions(self) -> bool:
        """Every region reloaded over HTTP, as live.js does on each connect (htmx's headers)."""
        headers = {"HX-Request": "true", "HX-Current-URL": self.base + self.spec["page"]}

        async def one(path: str) -> bool:
            try:
                async with self.session.get(self.base + path, headers=headers) as r:
                    await r.read()
                    return r.status == 200
            except aiohttp.ClientError:
                return False

        results = await asyncio.gather(*(one(p) for p in self.spec["regions"]))
        if not all(results):
            self.tally.region_errors += results.count(False)
        return all(results)

    async def attempt(self) -> bool:
        """One connection as socket.io-client makes it; the regions reloaded once connected (all 200?)."""
        if self.session is None or self.session.closed:
            self.session = self._new_session()
        sid, url = await asyncio.wait_for(self._handshake(), CONNECT_TIMEOUT)
        upgrade = asyncio.create_task(asyncio.wait_for(self._upgrade(sid, url), CONNECT_TIMEOUT))
        regions_ok = await self._load_regions()
        try:
            await upgrade
        except (Failed, aiohttp.ClientError, TimeoutError, OSError) as e:
            self.tally.errors[f"upgrade: {type(e).__name__}"] += 1
            raise Failed("upgrade failed") from e
        return regions_ok

    async def run(self, gate: asyncio.Semaphore, stop: asyncio.Event) -> None:
        async with gate:
            try:
                await self.attempt()
            except Exception as e:  # noqa: BLE001 - counted and reported, the run goes on
                self.tally.first_failed += 1
                self.tally.note(e)
                return
        self.tally.connected += 1
        while True:
            await self._read()
            if stop.is_set():
                return
            self.tally.closed_ns.append(time.monotonic_ns())
            await self._reconnect(stop)
            if self.ws is None:
                return

    async def _read(self) -> None:
        ws = self.ws
        while True:
            msg = await ws.receive()
            if msg.type == aiohttp.WSMsgType.TEXT:
                if msg.data == "2":
                    await ws.send_str("3")
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR,
                              aiohttp.WSMsgType.CLOSING):
                break
        self.ws = None
        await self.session.close()  # the killed server's connections are gone
        self.session = None

    async def _reconnect(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(self.backoff.duration() / 1000)
            if stop.is_set():
                return
            try:
                regions_ok = await self.attempt()
            except Refused as e:
                self.tally.refused += 1
                self.tally.note(e)
                return
            except Exception as e:  # noqa: BLE001 - a failed attempt: retried after the backoff
                self.tally.retried += 1
                self.tally.note(e)
                if self.session is not None:
                    await self.session.close()
                    self.session = None
                continue
            self.backoff.reset()
            if regions_ok:
                self.tally.back(time.monotonic_ns())
            else:  # live.js reloads again only on the next reconnect: this screen stays stale
                self.tally.stale += 1
            return


class Tally:
    def __init__(self) -> None:
        self.connected = self.first_failed = self.retried = self.refused = self.stale = 0
        self.region_errors = 0
        self.back_ns: list[int] = []
        self.closed_ns: list[int] = []
        self.errors: Counter = Counter()

    def note(self, e: Exception) -> None:
        text = str(e) if isinstance(e, (Failed, Refused)) else type(e).__name__
        self.errors[text[:80]] += 1

    def back(self, ns: int) -> None:
        self.back_ns.append(ns)
        print(f"B {len(self.back_ns)}", flush=True)


async def main() -> None:
    base, spec_file, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    specs = json.loads(open(spec_file).read())[first:first + count]  # noqa: ASYNC230, SIM115 - set-up
    tally = Tally()
    gate, stop = asyncio.Semaphore(20), asyncio.Event()
    screens = [Screen(base, spec, tally) for spec in specs]
    tasks = [asyncio.create_task(s.run(gate, stop)) for s in screens]
    while tally.connected + tally.first_failed < len(screens):
        await asyncio.sleep(0.05)
    print(f"C {tally.connected} {tally.first_failed}", flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while (line := await reader.readline()) and line.strip() != b"Q":
        pass
    stop.set()
    print("R " + json.dumps({"back_ns": tally.back_ns, "closed_ns": tally.closed_ns, "retried": tally.retried,
                             "refused": tally.refused, "stale": tally.stale, "region_errors": tally.region_errors,
                             "connected": tally.connected, "errors": dict(tally.errors.most_common(8))}),
          flush=True)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for s in screens:
        if s.session is not None:
            await s.session.close()


if __name__ == "__main__":
    asyncio.run(main())
