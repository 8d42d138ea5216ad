"""Live fan-out benchmark: how long until the LAST screen shows the chair's change.

Starts `meetingday serve` pinned to core 0 on a fresh database holding the demo meeting, opens
N Socket.IO clients joined as the projector audience (display key, Vietnamese) from separate
processes pinned to core 1 (bench/_sio_client.py: lean clients speaking the Engine.IO/Socket.IO
framing over a websocket), logs in as the chair, starts the meeting and then moves the agenda
R times through the chair's real endpoint (POST /meetings/<id>/live/next, then .../previous,
alternately, with the version and CSRF token). For each change it takes the time from sending
the POST until the last client has the "swap" event.

--reference then runs the same load against a bare python-socketio server on aiohttp
(bench/reference_server.py) pushing a fragment of the same size: the yardstick for this machine.

  python bench/fanout.py --clients 1000 --rounds 50 --reference --json
  python bench/fanout.py --storm --clients 1000 --json     (the reconnect storm: bench/storm.py)

The last line printed with --json is one JSON object: clients, rounds, last_p50_ms, last_p95_ms,
last_p99_ms, missed, rss_per_client_kb (and reference with the same keys when asked), plus a
few details (mode, message_bytes, server_cpu_ms_per_round, ...).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
MEETINGDAY = str(Path(sys.executable).with_name("meetingday"))
SERVER_CORE, CLIENT_CORE = "0", "1"
CHAIR, CHAIR_PASSWORD = "chutri", "hoinghi2024"  # the demo's chair (meetingday.services.demo)

SETUP = """
import json
from meetingday import create_app
from meetingday.cli import prepare_database
from meetingday.services import demo
app = create_app()
with app.app_context():
    prepare_database()
    meeting = demo.load_demo()
    print(json.dumps({"meeting": meeting.id, "key": meeting.display_key}))
"""


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_fd_limit(clients: int = 0) -> None:
    """Open files for the server (a socket per client, and its own), inherited by it: the soft
    limit raised to the hard one; refused at once when even that is too low."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        soft = hard if hard != resource.RLIM_INFINITY else 65536
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft < clients + 256:
        raise SystemExit(f"{clients} clients need about {clients + 256} open files; the limit is {soft} "
                         f"(raise the hard limit: ulimit -Hn)")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def machine_busy_ms() -> float:
    """CPU time spent by everything on the machine (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) * 1000 / os.sysconf("SC_CLK_TCK")


def pinned(core: str, argv: list[str]) -> list[str]:
    return ["taskset", "-c", core, *argv] if shutil.which("taskset") else argv


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 1)


async def wait_healthy(base: str, proc: subprocess.Popen, logfile: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"server exited ({proc.returncode}):\n{logfile.read_text()[-3000:]}")
            try:
                async with http.get(base + "/healthz", timeout=aiohttp.ClientTimeout(total=2)) as r:
                    if r.status == 200:
                        return
            except (TimeoutError, aiohttp.ClientError):
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"server not healthy after {timeout} s:\n{logfile.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class ClientFleet:
    """N lean clients spread over several processes on the client core."""

    def __init__(self, url: str, count: int, auth: dict, processes: int, deflate: bool):
        self.url, self.count, self.auth = url, count, json.dumps(auth)
        self.processes, self.deflate = processes, deflate
        self.procs: list[asyncio.subprocess.Process] = []
        self.done: list[set[int]] = []  # per process: the "now" stamps every client of it has
        self.changed = asyncio.Event()
        self.connected = self.refused = 0

    async def start(self) -> None:
        shares = [self.count // self.processes + (i < self.count % self.processes) for i in range(self.processes)]
        for share in shares:
            argv = [PYTHON, str(HERE / "_sio_client.py"), self.url, str(share), self.auth]
            if not self.deflate:
                argv.append("--no-deflate")
            proc = await asyncio.create_subprocess_exec(*pinned(CLIENT_CORE, argv), stdin=asyncio.subprocess.PIPE,
                                                        stdout=asyncio.subprocess.PIPE, limit=2**26)
            self.procs.append(proc)
        for proc in self.procs:
            line = (await proc.stdout.readline()).decode().split()
            if not line or line[0] != "C":
                raise SystemExit(f"client process failed: {line}")
            self.connected += int(line[1])
            self.refused += int(line[2])
        self.done = [set() for _ in self.procs]
        self.readers = [asyncio.create_task(self._read(i, p)) for i, p in enumerate(self.procs)]

    async def _read(self, index: int, proc) -> None:
        while True:
            line = (await proc.stdout.readline()).decode()
            if not line or line.startswith("R "):
                self.final = getattr(self, "final", [None] * len(self.procs))
                self.final[index] = json.loads(line[2:]) if line else None
                return
            if line.startswith("D "):
                self.done[index].add(int(line.split()[1]))
                self.changed.set()

    async def wait_all(self, since_ms: int, timeout: float) -> bool:
        """Until every process has reported a swap stamped at or after since_ms."""
        deadline = time.monotonic() + timeout
        while not all(any(now >= since_ms for now in done) for done in self.done):
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return False
        return True

    async def finish(self) -> list[dict]:
        for proc in self.procs:
            proc.stdin.write(b"Q\n")
            await proc.stdin.drain()
        await asyncio.gather(*self.readers)
        for proc in self.procs:
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
        return [f for f in self.final if f]


async def start_profile(pid: int, out: Path):
    """py-spy (a sampling profiler reading the process from outside: it sees whichever greenlet
    runs, so gevent does not confuse it) recording the server until stop_profile."""
    beside = Path(PYTHON).with_name("py-spy")
    spy = str(beside) if beside.exists() else shutil.which("py-spy")
    if not spy:
        raise SystemExit("--profile needs py-spy: pip install py-spy")
    proc = await asyncio.create_subprocess_exec(
        *pinned(CLIENT_CORE, [spy, "record", "--pid", str(pid), "--rate", "500", "--gil", "--format", "raw",
                              "--output", str(out)]),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    await asyncio.sleep(1)  # attached
    return proc


async def stop_profile(proc, out: Path, cpu_ms_per_round: float) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGINT)
    await proc.wait()
    log(breakdown(out, cpu_ms_per_round) if out.exists() else f"  py-spy recorded nothing (exit status {proc.returncode})")


# Where a sample of the server's stack is counted: the first rule, from the innermost frame
# outwards, that matches one of its frames ("function (file:line)").
CATEGORIES = [
    ("database (SQLAlchemy, SQLite)", ("sqlalchemy/", "sqlite3", "psycopg")),
    ("rendering (Jinja, Babel)", ("jinja2/", "/templates/", "babel/", "markupsafe")),
    ("JSON", ("json/",)),
    ("websocket framing (wsproto, simple-websocket)", ("wsproto/", "simple_websocket/")),
    ("socket writes", ("send (gevent/", "sendall (gevent/", "_socket3.py", "_socketcommon.py")),
    ("per-socket queues (gevent queue, Engine.IO writer)", ("gevent/queue", "engineio/socket.py",
                                                            "engineio/base_socket.py")),
    ("Engine.IO / Socket.IO packets and rooms", ("engineio/", "socketio/", "flask_socketio/",
                                                 "meetingday/fanout.py", "meetingday/socket_managers.py")),
    ("HTTP request (gevent pywsgi, Flask, Werkzeug)", ("pywsgi", "flask/", "werkzeug/", "flask_")),
    ("event loop, greenlet switches", ("gevent/", "greenlet")),
]


def breakdown(raw: Path, cpu_ms_per_round: float) -> str:
    """The server's samples during the changes, by category, from py-spy's raw (collapsed) output,
    as shares and as milliseconds of the server's CPU per change. Samples of gevent's hub waiting
    for events (its run loop innermost) are not work and are left out."""
    totals: dict[str, int] = {}
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")[::-1]  # innermost first
        if frames[0].startswith("Hub.run (gevent/hub.py"):
            continue
        label = next((name for frame in frames for name, marks in CATEGORIES
                      if any(m in frame for m in marks)), "other")
        totals[label] = totals.get(label, 0) + int(count)
    every = sum(totals.values()) or 1
    rows = sorted(totals.items(), key=lambda kv: -kv[1])
    return f"  server CPU per change by category (py-spy, {every} samples):\n" + "\n".join(
        f"    {100 * n / every:5.1f} %  {cpu_ms_per_round * n / every:6.1f} ms  {name}" for name, n in rows)


async def measure(server_pid: int, ws_url: str, auth: dict, change, args, logfile: Path,
                  profile: Path | None = None) -> dict:
    """Connect the clients, make args.rounds changes with change(), time each until the last client.
    With ``profile``, py-spy samples the server during the changes (not while clients connect)."""
    rss_before = rss_kb(server_pid)
    fleet = ClientFleet(ws_url, args.clients, auth, args.processes, not args.no_deflate)
    t = time.monotonic()
    await fleet.start()
    log(f"  {fleet.connected} clients connected ({fleet.refused} refused) in {time.monotonic() - t:.1f} s")
    if fleet.refused:
        log("  the server's log ends with:\n" + logfile.read_text(errors="replace")[-2000:])
    await asyncio.sleep(2)  # let connection set-up settle
    spy = await start_profile(server_pid, profile) if profile else None
    rss_after, server_threads = rss_kb(server_pid), threads(server_pid)
    starts: list[tuple[int, int]] = []  # (monotonic ns, wall ms) when each POST was sent
    cpu_before = cpu_ms(server_pid)
    clients_cpu_before = sum(cpu_ms(p.pid) for p in fleet.procs)
    busy_before, own_before, wall_before = machine_busy_ms(), time.process_time() * 1000, time.monotonic()
    for i in range(args.rounds):
        await asyncio.sleep(args.pause + random.random() * args.pause)
        wall_ms, t0 = int(time.time() * 1000), time.monotonic_ns()
        await change(i)
        starts.append((t0, wall_ms))
        if not await fleet.wait_all(wall_ms, args.timeout):
            log(f"  round {i + 1}: not every client had it after {args.timeout} s")
    cpu_used = cpu_ms(server_pid) - cpu_before
    if spy:
        await stop_profile(spy, profile, cpu_used / max(1, args.rounds))
    clients_cpu = sum(cpu_ms(p.pid) for p in fleet.procs) - clients_cpu_before
    # What else ran on the machine meanwhile (other people's work disturbs the figures).
    others = (machine_busy_ms() - busy_before) - cpu_used - clients_cpu - (time.process_time() * 1000 - own_before)
    others_pct = max(0.0, others) / ((time.monotonic() - wall_before) * 1000 * os.cpu_count()) * 100
    reports = await fleet.finish()
    # Each round's push is the first stamp at or after its POST (and before the next POST).
    # "now" is the server's clock when it emitted: it splits each figure into the server's work
    # before the push (request, commit, rendering) and the fan-out after it.
    lasts, emits, fanouts, missed, size = [], [], [], 0, 0
    for i, (t0, wall_ms) in enumerate(starts):
        end_ms = starts[i + 1][1] if i + 1 < len(starts) else float("inf")
        got, last_ns, stamp = 0, None, None
        for report in reports:
            size = size or report["size"]
            stamps = sorted(int(k) for k in report["swaps"] if wall_ms - 1 <= int(k) < end_ms)
            if stamps:
                count, arrived = report["swaps"][str(stamps[0])]
                got += count
                last_ns, stamp = max(last_ns or 0, arrived), stamps[0]
        missed += fleet.connected - got
        if last_ns is not None:
            lasts.append((last_ns - t0) / 1e6)
            emits.append(stamp - wall_ms)
            fanouts.append(lasts[-1] - emits[-1])
    lost = sum(r["lost"] for r in reports)
    return {
        "clients": args.clients, "rounds": args.rounds,
        "last_p50_ms": percentile(lasts, 50), "last_p95_ms": percentile(lasts, 95),
        "last_p99_ms": percentile(lasts, 99), "last_max_ms": percentile(lasts, 100),
        "missed": missed + fleet.refused * args.rounds, "refused": fleet.refused, "disconnected": lost,
        "rss_per_client_kb": round((rss_after - rss_before) / max(1, fleet.connected), 1),
        "server_threads": server_threads, "server_cpu_ms_per_round": round(cpu_used / max(1, args.rounds), 1),
        "clients_cpu_ms_per_round": round(clients_cpu / max(1, args.rounds), 1),
        "others_cpu_pct": round(others_pct, 1),
        "message_bytes": size, "emit_p50_ms": percentile(emits, 50), "emit_p95_ms": percentile(emits, 95),
        "fanout_p50_ms": percentile(fanouts, 50), "fanout_p95_ms": percentile(fanouts, 95),
    }


def _version(html: str) -> str | None:
    """The meeting version the chair's controls carry (data-version on #chair-controls)."""
    m = re.search(r'id="chair-controls"[^>]*?data-version="(\d+)"', html)
    return m.group(1) if m else None


def _field(html: str, name: str) -> str | None:
    m = re.search(rf'name="{name}"[^>]*?value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*?name="{name}"', html)
    return m.group(1) if m else None


class Chair:
    """The chair's tablet over HTTP: login, the chair page, start / next / previous."""

    def __init__(self, base: str, meeting_id: int):
        self.base, self.meeting_id = base, meeting_id
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.version = self.csrf = None
        self.failures = 0

    async def login(self) -> None:
        async with self.http.get(self.base + "/login") as r:
            csrf = _field(await r.text(), "csrf_token")
        async with self.http.post(self.base + "/login", data={"username": CHAIR, "password": CHAIR_PASSWORD,
                                                               "csrf_token": csrf}) as r:
            if "/login" in str(r.url):
                raise SystemExit("chair login failed")
        await self.reload()

    async def reload(self) -> str:
        async with self.http.get(f"{self.base}/meetings/{self.meeting_id}/chair") as r:
            if r.status != 200:
                raise SystemExit(f"chair page: HTTP {r.status}")
            html = await r.text()
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
        self.version = _version(html)
        return html

    async def post(self, action: str) -> int:
        data = {"version": self.version or "", "csrf_token": self.csrf}
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true"}
        async with self.http.post(f"{self.base}/meetings/{self.meeting_id}/live/{action}", data=data,
                                  headers=headers, allow_redirects=False) as r:
            body = await r.text()
            status = r.status
        if status < 400:
            self.version = _version(body) or str(int(self.version) + 1)
        else:
            self.failures += 1
            log(f"  POST {action}: HTTP {status} {body[:200]!r}")
            await self.reload()
        return status

    async def close(self) -> None:
        await self.http.close()


async def run_meetingday(args, workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEMO_DATABASE_URL", "FLASK_APP", "SOCKETIO_MESSAGE_QUEUE")}
    env.update(MEETINGDAY_INSTANCE=str(workdir / "instance"), SECRET_KEY="bench-" + os.urandom(8).hex(),
               DATABASE_URL=args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
               SOCKETIO_ASYNC_MODE=args.mode)
    setup = await asyncio.to_thread(subprocess.run, [PYTHON, "-c", SETUP], check=False, env=env,
                                    capture_output=True, text=True, timeout=300)
    if setup.returncode != 0:
        raise SystemExit(f"set-up failed:\n{setup.stderr[-3000:]}")
    meeting = json.loads(setup.stdout.strip().splitlines()[-1])
    port = free_port()
    logfile = workdir / f"serve-{args.mode}.log"
    with open(logfile, "w") as out:  # noqa: ASYNC230 - set-up, before anything is timed
        proc = subprocess.Popen(pinned(SERVER_CORE, [MEETINGDAY, "serve", "--port", str(port)]),  # noqa: ASYNC220
                                env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    chair = None
    try:
        await wait_healthy(base, proc, logfile)
        chair = Chair(base, meeting["meeting"])
        await chair.login()
        if await chair.post("start") >= 400:
            log("  (the meeting was started already)")
        for i in range(4):  # warm up templates and connections before measuring
            await chair.post("next" if i % 2 == 0 else "previous")
        # The pushes of those changes run in the background, throttled (at most
        # meetingday.live.PUSH_WAIT_MAX = 2 s apart): over before the clients connect.
        await asyncio.sleep(3)

        async def change(i: int) -> None:
            await chair.post("next" if i % 2 == 0 else "previous")

        auth = {"meeting": meeting["meeting"], "key": meeting["key"], "locale": "vi"}
        result = await measure(proc.pid, f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
                               auth, change, args, logfile, args.profile)
        result["mode"] = args.mode
        result["http_failures"] = chair.failures
        return result
    finally:
        if chair:
            await chair.close()
        stop_server(proc)


async def run_comparison(args, workdir: Path, message_bytes: int, script: str, mode: str) -> dict:
    """The same measurement against a comparison server started from `script` (bench/): the bare
    python-socketio reference, or the floor. Each takes /next to push one frame to every screen."""
    port = free_port()
    logfile = workdir / f"{Path(script).stem}.log"
    with open(logfile, "w") as out:  # noqa: ASYNC230 - set-up, before anything is timed
        argv = [PYTHON, str(HERE / script), "--port", str(port), "--message-bytes", str(message_bytes)]
        proc = subprocess.Popen(pinned(SERVER_CORE, argv),  # noqa: ASYNC220
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    http = aiohttp.ClientSession()
    try:
        await wait_healthy(base, proc, logfile)
        for _ in range(4):
            async with http.post(base + "/next") as r:
                await r.read()

        async def change(i: int) -> None:
            async with http.post(base + "/next") as r:
                await r.read()

        result = await measure(proc.pid, f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
                               {"meeting": 1, "key": "x", "locale": "vi"}, change, args, logfile)
        result["mode"] = mode
        return result
    finally:
        await http.close()
        stop_server(proc)


async def run_reference(args, workdir: Path, message_bytes: int) -> dict:
    return await run_comparison(args, workdir, message_bytes, "reference_server.py", "python-socketio on aiohttp")


async def run_floor(args, workdir: Path, message_bytes: int) -> dict:
    """The same frame written to the same number of websockets by the least code (floor_server.py)."""
    return await run_comparison(args, workdir, message_bytes, "floor_server.py",
                                "one pre-encoded frame per socket on gevent")


def ratios(r: dict, base: dict) -> dict:
    """r's figures over base's: 1 is as fast (or as small) as base."""
    out = {}
    for key in ("last_p50_ms", "last_p95_ms", "server_cpu_ms_per_round", "rss_per_client_kb"):
        if r.get(key) is not None and base.get(key):
            out[key] = round(r[key] / base[key], 2)
    return out


def summary(label: str, r: dict) -> str:
    return (f"{label}: {r['clients']} clients, {r['rounds']} changes: last client p50 {r['last_p50_ms']} ms, "
            f"p95 {r['last_p95_ms']} ms, p99 {r['last_p99_ms']} ms; missed {r['missed']}; "
            f"{r['rss_per_client_kb']} KB/client; {r['server_threads']} server threads; "
            f"CPU per change: server {r['server_cpu_ms_per_round']} ms, clients {r['clients_cpu_ms_per_round']} ms; "
            f"other processes used {r['others_cpu_pct']}% of the machine; {r['message_bytes']} B message; "
            f"until the push p50 {r['emit_p50_ms']} / p95 {r['emit_p95_ms']} ms, "
            f"push to last client p50 {r['fanout_p50_ms']} / p95 {r['fanout_p95_ms']} ms")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--reference", action="store_true", help="also run the bare python-socketio server")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--mode", default="gevent", choices=["gevent", "threading"],
                        help="meetingday's async mode (SOCKETIO_ASYNC_MODE)")
    parser.add_argument("--processes", type=int, default=0, help="client processes (default: one per 250)")
    parser.add_argument("--pause", type=float, default=0.25, help="seconds between changes (plus up to as much)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the last client")
    parser.add_argument("--no-deflate", action="store_true", help="clients do not offer permessage-deflate")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--skip-meetingday", action="store_true", help="reference only (--message-bytes)")
    parser.add_argument("--message-bytes", type=int, default=2000)
    parser.add_argument("--force", action="store_true", help="allow threading mode above 2,000 clients")
    parser.add_argument("--no-floor", action="store_true", help="with --reference: skip the floor")
    parser.add_argument("--profile", type=Path, default=None,
                        help="py-spy's samples of meetingday's server during the changes go to this file "
                             "(raw format), and a breakdown by category to stderr")
    args = parser.parse_args()
    if args.mode == "threading" and args.clients > 2000 and not args.force:
        # Four OS threads per client: at 4,000 clients the load average passed 4,000 and every
        # other process on the machine crawled.
        parser.error("threading mode above 2,000 clients needs --force (it starts four OS threads per client)")
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    args.processes = args.processes or max(1, math.ceil(args.clients / 250))
    raise_fd_limit(args.clients)
    workdir = Path(tempfile.mkdtemp(prefix="meetingday-fanout-"))
    result: dict = {}
    try:
        if not args.skip_meetingday:
            log(f"meetingday serve ({args.mode}), {args.clients} clients in {args.processes} processes")
            result = await run_meetingday(args, workdir)
            log(summary(f"meetingday ({args.mode})", result))
        if args.reference or args.skip_meetingday:
            log("reference: python-socketio on aiohttp")
            ref = await run_reference(args, workdir, result.get("message_bytes") or args.message_bytes)
            log(summary("reference", ref))
            if args.skip_meetingday:
                result = ref
            else:
                result["reference"] = ref
                result["vs_reference"] = ratios(result, ref)
            if not args.no_floor:
                log("floor: one pre-encoded frame written to each websocket (gevent)")
                floor = await run_floor(args, workdir, result.get("message_bytes") or args.message_bytes)
                log(summary("floor", floor))
                result["floor"] = floor
                result["vs_floor"] = ratios(result, floor)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    if "--storm" in sys.argv[1:]:  # the reconnect storm lives in bench/storm.py
        import storm
        storm.main(sys.argv[1:])
    else:
        asyncio.run(main())
