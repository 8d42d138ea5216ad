"""Reconnect storm: N screens connected, the server killed with SIGKILL and started again; how
long until every screen has its regions back.

    python bench/fanout.py --storm --clients 1000 --json      (or python bench/storm.py ...)

1. A fresh SQLite database with the demo meeting (started by the chair over HTTP) and one
   invitee, with a pass of their own, for each phone.
2. `meetingday serve` pinned to core 0 (as bench/fanout.py starts it); its start until /healthz
   answers is timed on the quiet machine: the reference.
3. N screens connect from client processes pinned to core 1 (bench/_storm_client.py), mixed as
   a hall is: 1 % staff on the chair's tablet (signed in, sharing one session cookie), 10 %
   projectors (the display key), the rest delegates' phones (each its own pass). Each connects
   as socket.io-client does (polling handshake, CONNECT, websocket upgrade) and loads its page's
   regions as live.js does on a connect: the chair's `[data-live-src]` regions, the projector's
   three (`?part=main`, `?part=attendance`, `?part=speaker`), the phone's one `?part=all`.
4. The server's process group is killed with SIGKILL and the same command is started again at
   once, on the same port and database. Each screen sees its websocket end and reconnects with
   socket.io-client's default backoff (1 s, 2 s, 4 s, 5 s, ... each ±50 %, attempts unlimited),
   then reloads its regions. "Back" is when its last region answered 200.
5. Reported: back times from the kill (p50, p95, max; also from the restart), attempts that
   failed and were retried, screens refused (a CONNECT answered 44: socket.io-client does not
   retry those), screens whose regions failed (stale until the next reconnect), and screens
   that gave up: not back within --deadline seconds of the kill (any of the above). Beside it,
   the same run's references: the server's start until /healthz on the quiet machine, the
   same start under the storm, and the load average.

The last line printed with --json is one JSON object: clients, back_p50_s, back_p95_s,
back_max_s, retried, gave_up, and the details.
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
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fanout  # noqa: E402 - the server start, the chair's login and the helpers are fanout's

SETUP = """
import json
from meetingday import create_app
from meetingday.cli import prepare_database
from meetingday.extensions import db
from meetingday.services import demo, invitees
app = create_app()
with app.app_context():
    prepare_database()
    meeting = demo.load_demo()
    orgs = [i.organisation for i in meeting.invitees if i.organisation]
    for n in range(max(0, PHONES - len(meeting.invitees))):  # a pass of their own for every phone
        fields = invitees.validate(f"Đại biểu {n:04d}", "Ông" if n % 2 else "Bà", "Đại biểu HĐND", "delegate", None)
        invitees.create(meeting, fields, orgs[n % len(orgs)])
    db.session.commit()
    tokens = [i.active_token.token for i in meeting.invitees if i.active_token][:PHONES]
    print(json.dumps({"meeting": meeting.id, "key": meeting.display_key, "tokens": tokens}))
"""


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def live_sources(html: str) -> tuple[list[str], str | None]:
    """The page's [data-live-src] regions and its <body data-live-regions>, as live.js finds them."""
    regions = re.search(r'<body[^>]*data-live-regions="([^"]+)"', html)
    return re.findall(r'data-live-src="([^"]+)"', html), regions.group(1) if regions else None


def reloads(page: str, html: str) -> list[str]:
    """The addresses live.js requests on a connect, resolved against the page's own."""
    sources, all_at_once = live_sources(html)
    return [page + s if s.startswith("?") else s for s in ([all_at_once] if all_at_once else sources)]


class Server:
    """`meetingday serve` as bench/fanout.py starts it, which can be killed and started again."""

    def __init__(self, workdir: Path, env: dict, port: int):
        self.workdir, self.env, self.port, self.proc, self.starts = workdir, env, port, None, 0
        self.base = f"http://127.0.0.1:{port}"

    def spawn(self) -> None:
        self.starts += 1
        self.logfile = self.workdir / f"serve-{self.starts}.log"
        with open(self.logfile, "w") as out:
            self.proc = subprocess.Popen(fanout.pinned(fanout.SERVER_CORE, [fanout.MEETINGDAY, "serve", "--port",
                                                                             str(self.port)]),
                                         env=self.env, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    async def healthy(self, timeout: float = 120) -> int:
        """Poll /healthz every 50 ms; the monotonic ns of the first 200."""
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise SystemExit(f"server exited ({self.proc.returncode}):\n{self.logfile.read_text()[-3000:]}")
                try:
                    async with http.get(self.base + "/healthz", timeout=aiohttp.ClientTimeout(total=2)) as r:
                        if r.status == 200:
                            return time.monotonic_ns()
                except (TimeoutError, aiohttp.ClientError):
                    pass
                await asyncio.sleep(0.05)
        raise SystemExit(f"server not healthy after {timeout} s:\n{self.logfile.read_text()[-3000:]}")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None:
            fanout.stop_server(self.proc)


class Fleet(fanout.ClientFleet):
    """The screens, spread over client processes on the client core (started and read in their
    own way; ended as the fan-out's clients are)."""

    def __init__(self, base: str, spec_file: Path, count: int, processes: int):
        self.base, self.spec_file, self.count, self.processes = base, spec_file, count, processes
        self.procs: list[asyncio.subprocess.Process] = []
        self.back = []
        self.changed = asyncio.Event()
        self.connected = self.failed = 0

    async def start(self) -> None:
        shares = [self.count // self.processes + (i < self.count % self.processes) for i in range(self.processes)]
        first = 0
        for share in shares:
            argv = [fanout.PYTHON, str(fanout.HERE / "_storm_client.py"), self.base, str(self.spec_file),
                    str(first), str(share)]
            first += share
            self.procs.append(await asyncio.create_subprocess_exec(
                *fanout.pinned(fanout.CLIENT_CORE, argv), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, limit=2**26))
        for proc in self.procs:
            line = (await proc.stdout.readline()).decode().split()
            if not line or line[0] != "C":
                raise SystemExit(f"client process failed: {line}")
            self.connected += int(line[1])
            self.failed += int(line[2])
        self.back = [0] * len(self.procs)
        self.readers = [asyncio.create_task(self._read(i, p)) for i, p in enumerate(self.procs)]

    async def _read(self, index: int, proc) -> None:
        while True:
            line = (await proc.stdout.readline()).decode()
            if not line or line.startswith("R "):
                self.final = getattr(self, "final", [None] * len(self.procs))
                self.final[index] = json.loads(line[2:]) if line else None
                return
            if line.startswith("B "):
                self.back[index] = int(line.split()[1])
                self.changed.set()

    async def wait_back(self, deadline: float) -> None:
        while sum(self.back) < self.connected:
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return


async def start_profile(pid: int, out: Path):
    """py-spy recording the restarted server from its first moment (bench/fanout.py's settings;
    no pause to attach: the start itself is part of what is measured)."""
    spy = Path(fanout.PYTHON).with_name("py-spy")
    if not spy.exists():
        raise SystemExit("--profile needs py-spy (the bench extra)")
    return await asyncio.create_subprocess_exec(
        *fanout.pinned(fanout.CLIENT_CORE, [str(spy), "record", "--pid", str(pid), "--rate", "500", "--gil",
                                            "--format", "raw", "--output", str(out)]),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


def seconds(values_ns: list[int], origin_ns: int, p: float) -> float | None:
    value = fanout.percentile([(v - origin_ns) / 1e6 for v in values_ns], p)
    return None if value is None else round(value / 1000, 2)


async def run(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="meetingday-storm-"))
    staff = max(1, args.clients // 100)
    projectors = max(1, args.clients // 10)
    phones = max(0, args.clients - staff - projectors)
    env = {k: v for k, v in os.environ.items() if k not in ("DEMO_DATABASE_URL", "FLASK_APP", "SOCKETIO_MESSAGE_QUEUE")}
    env.update(MEETINGDAY_INSTANCE=str(workdir / "instance"), SECRET_KEY="bench-" + os.urandom(8).hex(),
               DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}", SOCKETIO_ASYNC_MODE="gevent")
    server = fleet = chair = None
    try:
        setup = await asyncio.to_thread(subprocess.run, [fanout.PYTHON, "-c", f"PHONES = {phones}\n" + SETUP],
                                        check=False, env=env, capture_output=True, text=True, timeout=600)
        if setup.returncode != 0:
            raise SystemExit(f"set-up failed:\n{setup.stderr[-3000:]}")
        meeting = json.loads(setup.stdout.strip().splitlines()[-1])
        if len(meeting["tokens"]) < phones:
            raise SystemExit(f"set-up made {len(meeting['tokens'])} passes for {phones} phones")
        server = Server(workdir, env, fanout.free_port())
        t0 = time.monotonic_ns()
        server.spawn()
        start_quiet_s = round((await server.healthy() - t0) / 1e9, 2)
        fanout.log(f"  server up in {start_quiet_s} s (quiet; load {load()})")

        chair = fanout.Chair(server.base, meeting["meeting"])
        await chair.login()
        if await chair.post("start") >= 400:
            fanout.log("  (the meeting was started already)")
        chair_page = f"/meetings/{meeting['meeting']}/chair"
        cookie = "; ".join(f"{c.key}={c.value}" for c in chair.http.cookie_jar)
        display_page, pass_page = f"/display/{meeting['key']}", f"/d/{meeting['tokens'][0]}"
        async with aiohttp.ClientSession() as http:
            pages = {}
            for page, headers in ((display_page, {}), (pass_page, {}), (chair_page, {"Cookie": cookie})):
                async with http.get(server.base + page, headers=headers) as r:
                    if r.status != 200:
                        raise SystemExit(f"{page}: HTTP {r.status}")
                    pages[page] = reloads(page, await r.text())
        kinds = {"staff": pages[chair_page], "projector": pages[display_page],
                 "phone": [s.replace(pass_page, "") for s in pages[pass_page]]}
        fanout.log(f"  regions reloaded on a connect: {json.dumps(kinds)}")
        specs = ([{"kind": "staff", "auth": {"meeting": meeting["meeting"], "locale": "vi"}, "cookie": cookie,
                   "page": chair_page, "regions": kinds["staff"]}] * staff
                 + [{"kind": "projector", "auth": {"meeting": meeting["meeting"], "locale": "vi", "key": meeting["key"]},
                     "page": display_page, "regions": kinds["projector"]}] * projectors
                 + [{"kind": "phone", "auth": {"meeting": meeting["meeting"], "locale": "vi", "pass": token},
                     "page": f"/d/{token}", "regions": [f"/d/{token}{s}" for s in kinds["phone"]]}
                    for token in meeting["tokens"][:phones]])
        random.Random(23).shuffle(specs)  # every client process holds a mix
        spec_file = workdir / "screens.json"
        spec_file.write_text(json.dumps(specs))
        await chair.close()
        chair = None

        processes = args.processes or max(1, math.ceil(args.clients / 250))
        fleet = Fleet(server.base, spec_file, args.clients, processes)
        t = time.monotonic()
        await fleet.start()
        fanout.log(f"  {fleet.connected} screens connected ({fleet.failed} failed) in {time.monotonic() - t:.1f} s"
                   f" ({staff} staff, {projectors} projectors, {phones} phones; {processes} client processes)")
        await asyncio.sleep(2)
        load_before = load()
        rss_before = fanout.rss_kb(server.proc.pid)
        kill_ns = time.monotonic_ns()
        server.kill()
        spawn_ns = time.monotonic_ns()
        server.spawn()
        spy = await start_profile(server.proc.pid, args.profile) if args.profile else None
        healthy_ns = await server.healthy()
        fanout.log(f"  killed; started again; /healthz after {(healthy_ns - kill_ns) / 1e9:.2f} s (load {load()})")
        await fleet.wait_back(kill_ns / 1e9 + args.deadline)
        cpu_storm_ms = fanout.cpu_ms(server.proc.pid)
        if spy:
            await fanout.stop_profile(spy, args.profile, cpu_storm_ms)
        load_after = load()
        reports = await fleet.finish()
        fleet = None
    finally:
        if chair:
            await chair.close()
        if fleet:
            for proc in fleet.procs:
                proc.kill()
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    back = [ns for r in reports for ns in r["back_ns"]]
    errors: dict[str, int] = {}
    for r in reports:
        for k, v in r["errors"].items():
            errors[k] = errors.get(k, 0) + v
    connected = sum(r["connected"] for r in reports)
    return {
        "clients": args.clients, "staff": staff, "projectors": projectors, "phones": phones,
        "connected": connected, "first_connect_failed": args.clients - connected,
        "back_p50_s": seconds(back, kill_ns, 50), "back_p95_s": seconds(back, kill_ns, 95),
        "back_max_s": seconds(back, kill_ns, 100), "origin": "kill",
        "from_restart_p50_s": seconds(back, spawn_ns, 50), "from_restart_p95_s": seconds(back, spawn_ns, 95),
        "from_restart_max_s": seconds(back, spawn_ns, 100),
        "retried": sum(r["retried"] for r in reports), "gave_up": connected - len(back),
        "refused": sum(r["refused"] for r in reports), "stale": sum(r["stale"] for r in reports),
        "region_errors": sum(r["region_errors"] for r in reports), "errors": errors,
        "start_quiet_s": start_quiet_s, "start_in_storm_s": round((healthy_ns - spawn_ns) / 1e9, 2),
        "server_cpu_s_after_restart": round(cpu_storm_ms / 1000, 2),
        "server_rss_before_kill_mb": round(rss_before / 1024, 1),
        "load_before": load_before, "load_after": load_after, "deadline_s": args.deadline,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--storm", action="store_true", help="(the flag bench/fanout.py dispatches on)")
    parser.add_argument("--clients", type=int, default=100, help="screens connected when the server is killed")
    parser.add_argument("--deadline", type=float, default=60.0, help="seconds after the kill to wait for every screen")
    parser.add_argument("--processes", type=int, default=0, help="client processes (default: one per 250)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="py-spy's samples of the restarted server, from its start until every screen is back, "
                             "go to this file (raw, collapsed stacks); a breakdown by category is printed")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args(argv)
    fanout.raise_fd_limit()
    fanout.log(f"reconnect storm: {args.clients} screens (load {load()})")
    result = asyncio.run(run(args))
    fanout.log(f"back after the kill: p50 {result['back_p50_s']} s, p95 {result['back_p95_s']} s, max "
               f"{result['back_max_s']} s; from the restart p95 {result['from_restart_p95_s']} s; "
               f"retried {result['retried']}, gave up {result['gave_up']} (refused {result['refused']}, "
               f"stale {result['stale']}); server start {result['start_quiet_s']} s quiet, "
               f"{result['start_in_storm_s']} s in the storm; load {result['load_before']} -> {result['load_after']}")
    if result["errors"]:
        fanout.log(f"  failed attempts: {json.dumps(result['errors'], ensure_ascii=False)}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
