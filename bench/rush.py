"""The morning rush: delegates' phones arrive and check in while the hall's screens are connected.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/rush.py --phones 50 --screens 100            # a small run first
    .venv/bin/python bench/rush.py --phones 500 --screens 1000 --json

What it does:
1. A fresh SQLite database with the demo meeting plus --phones (and --idle-rounds) delegates with
   passes; check-in open. Starts `meetingday serve` (gevent) pinned to core 0, with a SECRET_KEY
   of the bench's own (so that it can compute the hall code the projector shows).
2. Connects --screens projector screens (display key, Vietnamese) from separate processes pinned
   to core 1, the lean clients of bench/fanout.py (bench/_sio_client.py).
3. Idle round: --idle-rounds delegates check in one after another (pauses of 0.25-0.5 s, as
   bench/fanout.py's changes), each from a phone that opened its pass before (untimed), by the
   hall-code link. For each check-in: the time from sending the hall-code request until the last
   screen has the first ATTENDANCE push stamped (the server's "now") at or after the send.
4. The rush: --phones phones arrive within --window seconds (Poisson arrivals: uniform times,
   sorted; or --schedule ramp: evenly spaced), from processes of their own on core 1. Each phone
   is a browser on its first visit: its own cookie jar and keep-alive connections (at most 6 at
   once, as a browser per host); it
     a. opens its pass page (GET /d/<token>), then fetches what the page loads: every
        <script src>, <link rel=stylesheet href> and <img src> (the versioned /static/... files,
        once per phone: a year's cache afterwards; the pass QR);
     b. connects its live socket (Socket.IO over a websocket with auth {meeting, locale, pass});
        it answers pings, and on a "refresh" fetches the named regions as static/js/live.js does;
     c. loads its regions (GET /d/<token>?part=all, as live.js does on connect);
     d. checks in by the hall-code link: GET /h/<meeting>/<minute>.<HMAC> (computed with the
        app's own services/hallcode.path_for and the bench's SECRET_KEY; the phone carries the
        pass cookie set in a.), which answers 303 to the pass, then GET of that pass page:
        "checked in" is when that page has arrived;
     e. then, as a browser that navigated: closes the first socket, connects again, loads
        ?part=all and the QR again (the static files come from its cache), and stays connected
        until every phone is done.
   Per phone: the time from a. to d. Errors: any answer that is not 2xx/3xx, a hall code not
   answered 303, a refused or failed socket, a timeout (--timeout s), a check-in not in the
   database afterwards. For each check-in the screens' figure as in 3.
5. Meanwhile a reference probe asks GET /healthz every 0.2 s (idle round and rush apart).
With --profile FILE, py-spy (pip install py-spy) samples the server during the rush into FILE
(collapsed stacks; `--profile-top N` prints the N functions most often on the stack).
The last line with --json is one JSON object: phone_p50_ms, phone_p95_ms, phone_max_ms, errors,
screens_idle_p95_ms, screens_rush_p95_ms, healthz_*_ms (the reference), the load average and more.
Run with `--worker SPEC` it is one phone process (internal).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fanout import (  # noqa: E402 - the shared pieces of the fan-out bench
    CLIENT_CORE,
    MEETINGDAY,
    PYTHON,
    SERVER_CORE,
    ClientFleet,
    cpu_ms,
    free_port,
    log,
    percentile,
    pinned,
    raise_fd_limit,
    stop_server,
    wait_healthy,
)

SETUP = """
import json, sys
from meetingday import create_app
from meetingday.cli import prepare_database
from meetingday.extensions import db
from meetingday.models import InviteeCategory
from meetingday.services import checkin, demo, invitees
app = create_app()
count = int(sys.argv[1])
with app.app_context():
    prepare_database()
    meeting = demo.load_demo()
    people = []
    for i in range(count):
        fields = invitees.validate(f"Đại biểu Sáng {i:04d}", "Ông" if i % 2 else "Bà", "Đại biểu HĐND",
                                   InviteeCategory.DELEGATE, None)
        people.append(invitees.create(meeting, fields, None))
    db.session.commit()
    checkin.open_checkin(meeting, actor="bench")
    db.session.commit()
    print(json.dumps({"meeting": meeting.id, "key": meeting.display_key,
                      "tokens": [p.active_token.token for p in people]}))
"""

COUNT = """
import json, sys
from sqlalchemy import func, select
from meetingday import create_app
from meetingday.extensions import db
from meetingday.models import CheckIn
app = create_app()
with app.app_context():
    n = db.session.scalar(select(func.count()).select_from(CheckIn).where(
        CheckIn.meeting_id == int(sys.argv[1]), CheckIn.undone_at.is_(None)))
    print(json.dumps({"checked_in": n}))
"""


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --------------------------------------------------------------------------- the phone

class Assets(HTMLParser):
    """What a browser loads from a page: scripts, style sheets, images (in document order)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.live_src: dict[str, str] = {}  # "#id" -> data-live-src

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.urls.append(a["href"])
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.urls.append(a["src"])
        if a.get("id") and a.get("data-live-src"):
            self.live_src["#" + a["id"]] = a["data-live-src"]


def parse_page(html: str) -> Assets:
    parser = Assets()
    parser.feed(html)
    return parser


class HallCode:
    """The hall code the projector shows now, by the app's own function."""

    def __init__(self, secret: str):
        from flask import Flask

        from meetingday.services import hallcode
        self.hallcode = hallcode
        self.app = Flask("rush")
        self.app.config["SECRET_KEY"] = secret

    def path(self, meeting_id: int) -> str:
        with self.app.app_context():
            return self.hallcode.path_for(meeting_id)


class Phone:
    """One delegate's phone: a browser on its first visit (see the module's docstring)."""

    def __init__(self, base: str, meeting_id: int, token: str, hall: HallCode, timeout: float):
        self.base, self.meeting_id, self.token, self.hall = base, meeting_id, token, hall
        self.page = f"/d/{token}"
        self.timeout = timeout
        self.errors: list[str] = []
        self.cache: set[str] = set()  # static files already fetched (a year's cache)
        self.live_src: dict[str, str] = {}
        self.steps: dict[str, float] = {}
        self.ws = None
        self.reader = None
        self.http = aiohttp.ClientSession(
            self.base, connector=aiohttp.TCPConnector(limit=6), cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=timeout), headers={"Accept-Encoding": "gzip, deflate"})

    def error(self, what: str) -> None:
        self.errors.append(what)

    async def get(self, path: str, redirects: bool = True) -> tuple[int, str, aiohttp.ClientResponse | None]:
        try:
            async with self.http.get(path, allow_redirects=redirects) as r:
                body = await r.text(errors="replace")
                if r.status >= 400:
                    self.error(f"HTTP {r.status} {re.sub(r'/d/[^/?]+', '/d/…', path.split('?')[0])}")
                return r.status, body, r
        except (TimeoutError, aiohttp.ClientError) as e:
            self.error(f"{type(e).__name__} {path.split('?')[0][:12]}")
            return 0, "", None

    async def open_page(self, path: str) -> bool:
        """A page and what it loads that is not in the cache yet."""
        status, html, _r = await self.get(path)
        if status != 200:
            return False
        assets = parse_page(html)
        self.live_src.update(assets.live_src)
        todo = [u for u in dict.fromkeys(assets.urls) if u not in self.cache]
        self.cache.update(u for u in todo if u.startswith("/static/"))
        await asyncio.gather(*(self.get(u) for u in todo))
        return True

    async def connect(self) -> bool:
        url = self.base.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        try:
            self.ws = await self.http.ws_connect(url, origin=self.base, autoping=False, compress=15)
            opening = await asyncio.wait_for(self.ws.receive_str(), self.timeout)
            if not opening.startswith("0"):
                raise RuntimeError("no Engine.IO open packet")
            await self.ws.send_str("40" + json.dumps({"meeting": self.meeting_id, "locale": "vi",
                                                      "pass": self.token}))
            while not (reply := await asyncio.wait_for(self.ws.receive_str(), self.timeout)).startswith("40"):
                if reply.startswith("44"):
                    raise RuntimeError("refused")
                if reply == "2":
                    await self.ws.send_str("3")
        except Exception as e:  # noqa: BLE001 - counted as an error, the phone goes on
            self.error(f"socket {type(e).__name__}: {str(e)[:60]}")
            return False
        self.reader = asyncio.create_task(self._read(self.ws))
        return True

    async def _read(self, ws) -> None:
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                continue
            if msg.data == "2":
                await ws.send_str("3")
            elif msg.data.startswith('42["refresh"'):
                targets = json.loads(msg.data[2:])[1].get("targets", [])
                srcs = [self.live_src[t] for t in targets if t in self.live_src]
                await asyncio.gather(*(self.get(src if src.startswith("/") else self.page + src)
                                       for src in srcs))

    async def disconnect(self) -> None:
        if self.reader:
            self.reader.cancel()
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()

    def mark(self, step: str, since: int) -> int:
        now = time.monotonic_ns()
        self.steps[step] = round((now - since) / 1e6, 1)
        return now

    async def arrive(self) -> dict:
        """Steps a.-d.: from opening the pass to the checked-in pass page; returns the check-in."""
        t0 = time.monotonic_ns()
        t = t0
        if not await self.open_page(self.page):
            return {}
        t = self.mark("page_and_assets", t)
        await self.connect()
        t = self.mark("socket", t)
        await self.get(self.page + "?part=all")
        t = self.mark("regions", t)
        send_wall_ms, send_ns = int(time.time() * 1000), time.monotonic_ns()
        status, _body, r = await self.get(self.hall.path(self.meeting_id), redirects=False)
        t = self.mark("hall_code", t)
        if status != 303:
            if status and status < 400:
                self.error(f"hall code answered {status}, not 303")
            return {}
        await self.disconnect()  # the browser leaves the page (and its socket) for the redirect
        if not await self.open_page(r.headers.get("Location", self.page)):
            return {}
        done = self.mark("checked_in_page", t)
        return {"send_wall_ms": send_wall_ms, "send_ns": send_ns, "phone_ms": round((done - t0) / 1e6, 1)}

    async def settle(self) -> None:
        """Step e.: the checked-in page's own socket and regions."""
        if await self.connect():
            await self.get(self.page + "?part=all")

    async def close(self) -> None:
        await self.disconnect()
        await self.http.close()


async def worker(spec_path: str) -> None:
    """One phone process: the phones of the spec, each at its time; prints "R <json>"."""
    raise_fd_limit()
    spec = json.loads(Path(spec_path).read_text())
    hall = HallCode(spec["secret"])
    start_ns = spec["start_ns"]
    phones: list[Phone] = []
    results: list[dict] = []

    async def run(token: str, offset: float) -> None:
        delay = (start_ns - time.monotonic_ns()) / 1e9 + offset
        if delay > 0:
            await asyncio.sleep(delay)
        phone = Phone(spec["base"], spec["meeting"], token, hall, spec["timeout"])
        phones.append(phone)
        checkin = {}
        try:  # each step has its own timeout; this one stops a phone that hangs between them
            checkin = await asyncio.wait_for(phone.arrive(), 4 * spec["timeout"])
            if checkin:
                await asyncio.wait_for(phone.settle(), 2 * spec["timeout"])
        except TimeoutError:
            phone.error("phone timed out")
        results.append({**checkin, "errors": phone.errors, "steps": phone.steps, "token": token})

    async def progress() -> None:
        while True:
            await asyncio.sleep(10)
            print(f"# phones: {len(phones)} arrived, {len(results)} done", file=sys.stderr, flush=True)

    ticker = asyncio.create_task(progress())
    await asyncio.gather(*(run(tok, off) for tok, off in spec["phones"]))
    ticker.cancel()
    await asyncio.sleep(spec["linger"])  # every phone connected for a moment: the later pushes reach them
    for phone in phones:  # errors of refreshes after a phone's own result are added to it
        await phone.close()
    by_token = {p.token: p for p in phones}
    for r in results:
        r["errors"] = by_token[r["token"]].errors if r["token"] in by_token else r["errors"]
        del r["token"]
    print("R " + json.dumps(results), flush=True)


# --------------------------------------------------------------------------- the run

def schedule(n: int, window: float, kind: str, rng: random.Random) -> list[float]:
    """Arrival offsets (s): a Poisson process of n arrivals in the window (uniform order
    statistics), or a ramp (evenly spaced)."""
    if kind == "ramp":
        return [window * i / n for i in range(n)]
    return sorted(rng.uniform(0, window) for _ in range(n))


class Probe:
    """GET /healthz every `every` seconds, its latency filed under the current phase."""

    def __init__(self, base: str, every: float = 0.2):
        self.base, self.every = base, every
        self.phase = "idle"
        self.ms: dict[str, list[float]] = {}
        self.errors = 0

    async def run(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            while True:
                phase, t0 = self.phase, time.perf_counter()
                try:
                    async with http.get(self.base + "/healthz") as r:
                        await r.read()
                        if r.status != 200:
                            self.errors += 1
                except (TimeoutError, aiohttp.ClientError):
                    self.errors += 1
                self.ms.setdefault(phase, []).append((time.perf_counter() - t0) * 1000)
                await asyncio.sleep(self.every)


def pushes(reports: list[dict]) -> dict[int, list[int]]:
    """Every push the screens saw: now -> [screens that had it, last arrival ns]."""
    seen: dict[int, list[int]] = {}
    for report in reports:
        for now, (count, last_ns) in report["swaps"].items():
            entry = seen.setdefault(int(now), [0, 0])
            entry[0] += count
            entry[1] = max(entry[1], last_ns)
    return seen


def screen_latencies(checkins: list[dict], seen: dict[int, list[int]], screens: int) -> tuple[list[float], int]:
    """Per check-in, as bench/fanout.py measures a change: from sending it to the last screen
    having the first push stamped at or after the send. Also the check-ins whose push some
    screen missed (or that no push followed)."""
    stamps = sorted(seen)
    out, missed = [], 0
    for c in checkins:
        later = [s for s in stamps if s >= c["send_wall_ms"] - 1]
        if not later or seen[later[0]][0] < screens:
            missed += 1
            continue
        out.append((seen[later[0]][1] - c["send_ns"]) / 1e6)
    return out, missed


async def idle_round(base: str, meeting_id: int, tokens: list[str], hall: HallCode, fleet: ClientFleet,
                     timeout: float) -> tuple[list[dict], int]:
    """Check-ins one at a time with nothing else going on; each waits for the screens' push."""
    done, errors = [], 0
    for token in tokens:
        phone = Phone(base, meeting_id, token, hall, timeout)
        try:
            await phone.get(phone.page)  # the pass was opened before (untimed)
            await asyncio.sleep(0.25 + random.random() * 0.25)
            wall_ms, t0 = int(time.time() * 1000), time.monotonic_ns()
            status, _b, _r = await phone.get(hall.path(meeting_id), redirects=False)
            if status != 303:
                errors += 1
                log(f"  idle check-in: HTTP {status} {phone.errors}")
                continue
            done.append({"send_wall_ms": wall_ms, "send_ns": t0})
            if not await fleet.wait_all(wall_ms, timeout):
                log(f"  idle check-in: not every screen had the push after {timeout} s")
        finally:
            await phone.close()
    return done, errors


async def start_phones(spec: dict, workdir: Path, processes: int) -> list[asyncio.subprocess.Process]:
    procs = []
    for i in range(processes):
        part = dict(spec, phones=spec["phones"][i::processes])
        path = workdir / f"phones-{i}.json"
        path.write_text(json.dumps(part))
        argv = [PYTHON, str(Path(__file__).resolve()), "--worker", str(path)]
        procs.append(await asyncio.create_subprocess_exec(*pinned(CLIENT_CORE, argv), stdout=asyncio.subprocess.PIPE,
                                                          limit=2**26))
    return procs


async def phone_results(procs) -> list[dict]:
    results = []
    for proc in procs:
        out, _ = await proc.communicate()
        lines = [line for line in out.decode().splitlines() if line.startswith("R ")]
        if not lines:
            raise SystemExit(f"phone process failed ({proc.returncode})")
        results += json.loads(lines[-1][2:])
    return results


async def profile_start(pid: int, path: str) -> subprocess.Popen | None:
    spy = shutil.which("py-spy") or str(Path(PYTHON).with_name("py-spy"))
    if not Path(spy).exists():
        log("  --profile needs py-spy (pip install py-spy): not profiling")
        return None
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--rate", "200", "--format", "raw",  # noqa: ASYNC220
                             "--output", path, "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def profile_top(path: str, n: int) -> list[tuple[str, float]]:
    """The functions most often on the stack (inclusive share of the samples)."""
    inclusive, total = Counter(), 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        total += int(count)
        for frame in set(stack.split(";")):
            inclusive[frame] += int(count)
    return [(frame, round(100 * c / total, 1)) for frame, c in inclusive.most_common(n)]


async def run(args) -> dict:
    raise_fd_limit()
    workdir = Path(tempfile.mkdtemp(prefix="meetingday-rush-"))
    secret = "bench-" + os.urandom(16).hex()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEMO_DATABASE_URL", "FLASK_APP", "SOCKETIO_MESSAGE_QUEUE", "PUBLIC_BASE_URL")}
    env.update(MEETINGDAY_INSTANCE=str(workdir / "instance"), SECRET_KEY=secret,
               DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}", SOCKETIO_ASYNC_MODE="gevent")
    proc = None
    try:
        setup = await asyncio.to_thread(subprocess.run, [PYTHON, "-c", SETUP, str(args.phones + args.idle_rounds)],
                                        check=False, env=env, capture_output=True, text=True, timeout=600)
        if setup.returncode != 0:
            raise SystemExit(f"set-up failed:\n{setup.stderr[-3000:]}")
        meeting = json.loads(setup.stdout.strip().splitlines()[-1])
        idle_tokens, tokens = meeting["tokens"][:args.idle_rounds], meeting["tokens"][args.idle_rounds:]
        port = free_port()
        logfile = workdir / "serve.log"
        with open(logfile, "w") as out:  # noqa: ASYNC230 - set-up, before anything is timed
            proc = subprocess.Popen(pinned(SERVER_CORE, [MEETINGDAY, "serve", "--port", str(port)]),  # noqa: ASYNC220
                                    env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        await wait_healthy(base, proc, logfile)
        hall = HallCode(secret)
        probe = Probe(base)
        probe_task = asyncio.create_task(probe.run())

        fleet = ClientFleet(f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", args.screens,
                            {"meeting": meeting["meeting"], "key": meeting["key"], "locale": "vi"},
                            max(1, math.ceil(args.screens / 250)), deflate=True)
        t = time.monotonic()
        await fleet.start()
        log(f"  {fleet.connected} screens connected ({fleet.refused} refused) in {time.monotonic() - t:.1f} s")
        await asyncio.sleep(2)

        log(f"idle round: {args.idle_rounds} check-ins one at a time (load {load_average()})")
        probe.phase = "idle"
        cpu0 = cpu_ms(proc.pid)
        idle, idle_errors = await idle_round(base, meeting["meeting"], idle_tokens, hall, fleet, args.timeout)
        idle_cpu = (cpu_ms(proc.pid) - cpu0) / max(1, len(idle))
        idle_load = load_average()

        rng = random.Random(args.seed)
        offsets = schedule(len(tokens), args.window, args.schedule, rng)
        spec = {"base": base, "meeting": meeting["meeting"], "secret": secret, "timeout": args.timeout,
                "linger": 2.0, "start_ns": time.monotonic_ns() + int(2e9),  # the processes start first
                "phones": list(zip(tokens, offsets, strict=True))}
        log(f"rush: {len(tokens)} phones within {args.window:.0f} s ({args.schedule}) "
            f"in {args.phone_processes} process(es)")
        procs = await start_phones(spec, workdir, args.phone_processes)
        await asyncio.sleep(max(0.0, (spec["start_ns"] - time.monotonic_ns()) / 1e9))
        probe.phase = "rush"
        spy = await profile_start(proc.pid, args.profile) if args.profile else None
        cpu0, wall0 = cpu_ms(proc.pid), time.monotonic()
        results = await phone_results(procs)
        rush_wall = time.monotonic() - wall0
        rush_cpu = cpu_ms(proc.pid) - cpu0
        rush_load = load_average()
        if spy is not None:
            spy.send_signal(2)  # SIGINT: py-spy writes what it has
            await asyncio.to_thread(spy.wait, 60)
        probe_task.cancel()
        reports = await fleet.finish()
        stop_server(proc)

        counted = await asyncio.to_thread(subprocess.run, [PYTHON, "-c", COUNT, str(meeting["meeting"])], check=False,
                                          env=env, capture_output=True, text=True, timeout=300)
        checked_in = json.loads(counted.stdout.strip().splitlines()[-1])["checked_in"] if counted.returncode == 0 else -1
    finally:
        if proc is not None:
            stop_server(proc)
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    seen = pushes(reports)
    wall_minus_mono = time.time_ns() - time.monotonic_ns()
    idle_ms, idle_missed = screen_latencies(idle, seen, fleet.connected)
    rush_checkins = [r for r in results if "send_ns" in r]
    rush_ms, rush_missed = screen_latencies(rush_checkins, seen, fleet.connected)
    rush_from = min((c["send_wall_ms"] for c in rush_checkins), default=0)
    # "now" is the server's wall clock (ms), arrivals the machine's monotonic clock (ns)
    fanout_rush = [(last + wall_minus_mono - now * 1e6) for now, (_c, last) in seen.items() if now >= rush_from]
    rush_stamps = sorted(now for now in seen if now >= rush_from)
    gaps = [b - a for a, b in zip(rush_stamps, rush_stamps[1:])]  # between pushes (LIVE_PUSH_INTERVAL and more)
    phone_ms = [r["phone_ms"] for r in results if "phone_ms" in r]
    kinds = Counter(e.split(":")[0] for r in results for e in r["errors"])
    errors = sum(1 for r in results if r["errors"] or "phone_ms" not in r)
    if checked_in != len(idle) + len(phone_ms):
        kinds["check-ins in the database differ"] += 1
    steps = {k: percentile([r["steps"][k] for r in results if k in r["steps"]], 95)
             for k in ("page_and_assets", "socket", "regions", "hall_code", "checked_in_page")}
    return {
        "phones": args.phones, "screens": args.screens, "window_s": args.window, "schedule": args.schedule,
        "phone_p50_ms": percentile(phone_ms, 50), "phone_p95_ms": percentile(phone_ms, 95),
        "phone_max_ms": percentile(phone_ms, 100), "errors": errors + idle_errors,
        "error_kinds": dict(kinds), "checked_in": checked_in,
        "screens_idle_p50_ms": percentile(idle_ms, 50), "screens_idle_p95_ms": percentile(idle_ms, 95),
        "screens_rush_p50_ms": percentile(rush_ms, 50), "screens_rush_p95_ms": percentile(rush_ms, 95),
        "screens_rush_max_ms": percentile(rush_ms, 100),
        "screens_rush_pushes": len(fanout_rush),
        "screens_rush_fanout_p95_ms": percentile([x / 1e6 for x in fanout_rush], 95),
        "screens_rush_push_gap_p50_ms": percentile(gaps, 50), "screens_rush_push_gap_p95_ms": percentile(gaps, 95),
        "screens_connected": fleet.connected, "screens_refused": fleet.refused,
        "screens_missed": idle_missed + rush_missed,
        "healthz_idle_p50_ms": percentile(probe.ms.get("idle", []), 50),
        "healthz_idle_p95_ms": percentile(probe.ms.get("idle", []), 95),
        "healthz_rush_p50_ms": percentile(probe.ms.get("rush", []), 50),
        "healthz_rush_p95_ms": percentile(probe.ms.get("rush", []), 95),
        "healthz_errors": probe.errors,
        "step_p95_ms": steps,
        "server_cpu_ms_per_idle_checkin": round(idle_cpu, 1),
        "server_cpu_ms_per_phone": round(rush_cpu / max(1, len(results)), 1),
        "server_cpu_share_rush": round(rush_cpu / 1000 / rush_wall, 2),
        "rush_s": round(rush_wall, 1),
        "load_idle": idle_load, "load_rush": rush_load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--screens", type=int, default=100)
    parser.add_argument("--window", type=float, default=60.0, help="seconds within which the phones arrive")
    parser.add_argument("--schedule", choices=("poisson", "ramp"), default="poisson")
    parser.add_argument("--idle-rounds", type=int, default=20, help="check-ins one at a time before the rush")
    parser.add_argument("--phone-processes", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds for any one request or push")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--profile", default="", help="py-spy's samples of the server during the rush (file)")
    parser.add_argument("--profile-top", type=int, default=0, help="print the N functions most on the stack")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (server log)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(worker(args.worker))
        return
    result = asyncio.run(run(args))
    log(f"phones: p50 {result['phone_p50_ms']} ms, p95 {result['phone_p95_ms']} ms, max {result['phone_max_ms']} ms; "
        f"errors {result['errors']} {result['error_kinds']}; checked in {result['checked_in']}")
    log(f"screens: last-client p95 idle {result['screens_idle_p95_ms']} ms, rush {result['screens_rush_p95_ms']} ms "
        f"(push to last screen p95 {result['screens_rush_fanout_p95_ms']} ms, between pushes p50 "
        f"{result['screens_rush_push_gap_p50_ms']} / p95 {result['screens_rush_push_gap_p95_ms']} ms); missed {result['screens_missed']}")
    log(f"/healthz p95: idle {result['healthz_idle_p95_ms']} ms, rush {result['healthz_rush_p95_ms']} ms; "
        f"steps p95 {result['step_p95_ms']}; server CPU {result['server_cpu_ms_per_phone']} ms/phone, "
        f"{result['server_cpu_share_rush']} of a core; load {result['load_idle']} / {result['load_rush']}")
    if args.profile and args.profile_top and Path(args.profile).exists():
        for frame, share in profile_top(args.profile, args.profile_top):
            log(f"  {share:5.1f}%  {frame}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
