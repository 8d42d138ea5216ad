"""Check-in burst: `meetingday serve` on a fresh database, many door scans at once.

    .venv/bin/pip install -e '.[bench]'   # once: the door clients' websocket library
    .venv/bin/python bench/checkin.py --requests 300 --concurrency 50 --json
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/checkin.py --json

What it does:
1. A fresh database: a SQLite file in a temporary instance directory, or, with DATABASE_URL
   (or --database-url) pointing at PostgreSQL, a schema of its own on that server (dropped at
   the end). The schema comes from the migrations; a meeting with --invitees invitees (spread
   over town bodies, phường and xã), a door account, check-in opened, all through the services.
2. Starts `.venv/bin/meetingday serve --host 127.0.0.1 --port P` (a separate process, as in
   production) and waits for /healthz.
3. Logs in as door staff over HTTP (one session shared by every client, as the door tablets
   of one account would), warms up with one scan of a person kept out of the counts.
4. Sends --requests door scans from --concurrency threads, each a door with its own connection:
   by default (--transport socket) the door:scan event with its acknowledgement over the door's
   Socket.IO connection, as the door screen sends a scan while it is connected; with --transport
   http, POST /meetings/<id>/door/scan on a keep-alive HTTP connection (http.client), as it sends
   one otherwise. Each carries the scanned pass URL and a client nonce. The plan, shuffled: mostly first scans of different
   people, plus --repeat-share second scans of someone already in the plan (a new nonce, as a
   person holding the pass to the scanner twice) and --retry-share retried requests (the same
   nonce again, as door.js resends after a lost answer). Duplicates may run at the same time.
5. Counts from the database afterwards:
   lost    = requests answered OK (200, outcome ok/repeat) whose person has no live check-in;
   doubled = people with more than one check-in row, plus people with more than one
             "checkin.create" audit entry (a second check-in written and overwritten).
   Also: wrong = people the server said "ok" (a new check-in) for more than once.
With --floor, before step 4 the same clients send the same number of requests to GET /healthz,
to a signed-in GET and to a signed-in POST with its CSRF token (opening the check-in window that
is open already, which writes nothing), none doing check-in work: the stack's own floor,
reported as "floor".
The last line printed is one JSON object (p50_ms, p95_ms, p99_ms, throughput_rps, lost, doubled...).
Latency is the client's: from sending the request to reading the whole answer.
"""
from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / ".venv" / "bin" / "meetingday"
PASSWORD = "bench-matkhau-2024"
USERNAME = "bench_door"
HOST = "127.0.0.1"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=300, help="scans to send (default 300)")
    p.add_argument("--concurrency", type=int, default=50, help="clients sending at once (default 50)")
    p.add_argument("--think-ms", type=float, default=0,
                   help="pause of each client between its scans (default 0: back to back, a burst)")
    p.add_argument("--invitees", type=int, default=0, help="invitees to create (default: enough, at least 400)")
    p.add_argument("--repeat-share", type=float, default=0.10, help="share of second scans of one person")
    p.add_argument("--retry-share", type=float, default=0.05, help="share of retried requests (same nonce)")
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                   help="PostgreSQL server to use (a fresh schema is made); default: a SQLite file")
    p.add_argument("--port", type=int, default=0, help="port to serve on (default: a free one)")
    p.add_argument("--servers", type=int, default=1,
                   help="server processes (default 1); more than one needs PostgreSQL and a Redis message queue, "
                        "and the clients are spread over them as a sticky proxy would")
    p.add_argument("--message-queue", default=os.environ.get("SOCKETIO_MESSAGE_QUEUE", "redis://127.0.0.1:6379/0"),
                   help="Redis URL the server processes share with --servers above 1")
    p.add_argument("--transport", choices=("socket", "http"), default="socket",
                   help="how the scans are sent: over each door's Socket.IO connection, as the door screen "
                        "does while connected (default), or as POST /door/scan, as it does otherwise")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--keep", action="store_true", help="keep the temporary instance directory")
    p.add_argument("--json", action="store_true", help="print only the JSON line (and errors)")
    p.add_argument("--floor", action="store_true",
                   help="first send the same burst to GET /healthz, to a signed-in GET and to a signed-in "
                        "POST that writes nothing, none doing check-in work (the stack's own floor), "
                        "reported under \"floor\"")
    return p.parse_args(argv)


def say(args, *parts) -> None:
    if not args.json:
        print(*parts, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- the database

class Database:
    """A fresh database: a SQLite file, or a PostgreSQL schema of its own."""

    def __init__(self, url: str, instance: Path):
        self.schema = None
        if url:
            if not url.startswith(("postgres://", "postgresql")):
                sys.exit("bench: --database-url must be a PostgreSQL URL (SQLite is the default)")
            scheme, rest = url.split("://", 1)
            base = url if "+" in scheme else f"postgresql+psycopg://{rest}"
            self.schema = f"meetingday_bench_{os.getpid()}"
            self.admin_url = base
            sep = "&" if "?" in base else "?"
            self.url = f"{base}{sep}options={quote('-csearch_path=' + self.schema)}"
            self._schema("CREATE")
        else:
            self.url = f"sqlite:///{instance / 'bench.sqlite3'}"

    def _schema(self, verb: str) -> None:
        import sqlalchemy as sa
        engine = sa.create_engine(self.admin_url)
        with engine.begin() as conn:
            if verb == "CREATE":
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
                conn.execute(sa.text(f"CREATE SCHEMA {self.schema}"))
            else:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
        engine.dispose()

    def drop(self) -> None:
        if self.schema:
            self._schema("DROP")

    @property
    def label(self) -> str:
        return "postgresql" if self.schema else "sqlite"


def make_app(db_url: str):
    from meetingday import create_app
    # Through the environment, as for the server: the engine options follow the database.
    os.environ["DATABASE_URL"] = db_url
    return create_app()


def seed(app, n_invitees: int) -> dict:
    """Meeting, units, invitees with passes, a door account, check-in open (services only)."""
    from meetingday.cli import prepare_database
    from meetingday.extensions import db
    from meetingday.models import OrgKind, Role
    from meetingday.services import checkin, invitees, meetings, organisations, users
    from meetingday.timeutil import utcnow

    with app.app_context():
        prepare_database()
        meeting = meetings.create_meeting({
            "title": "Hội nghị đo tải điểm danh", "host_body": "Thường trực HĐND thị xã",
            "issuing_body": "HĐND THỊ XÃ ĐỨC PHỔ", "place": "Hội trường",
            "starts_at": utcnow() + timedelta(hours=1)}, actor="bench")
        units = [organisations.add_organisation("Thường trực HĐND thị xã", kind=OrgKind.TOWN, actor="bench")]
        units += [organisations.add_organisation(f"Phường Số {i}", kind=OrgKind.WARD, actor="bench") for i in range(1, 9)]
        units += [organisations.add_organisation(f"Xã Số {i}", kind=OrgKind.COMMUNE, actor="bench") for i in range(1, 8)]
        people = []
        for i in range(n_invitees + 1):  # +1: the warm-up person, kept out of the counts
            fields = invitees.validate(f"Đại biểu {i:04d}", "Ông" if i % 2 else "Bà", "Đại biểu HĐND",
                                       "delegate", None)
            people.append(invitees.create(meeting, fields, units[i % len(units)]))
        db.session.commit()
        users.create_user(USERNAME, "Lễ tân đo tải", PASSWORD, [Role.DOOR], actor="bench")
        checkin.open_checkin(meeting, actor="bench")
        return {"meeting_id": meeting.id,
                "people": [(p.id, p.active_token.token) for p in people]}


def count(app, meeting_id: int, ok_ids: set[int], warmup_id: int) -> dict:
    from sqlalchemy import select

    from meetingday.extensions import db
    from meetingday.models import AuditEntry, CheckIn
    from meetingday.services import attendance

    with app.app_context():
        rows = db.session.execute(select(CheckIn.invitee_id, CheckIn.undone_at)
                                  .where(CheckIn.meeting_id == meeting_id)).all()
        live_ids = {invitee_id for invitee_id, undone_at in rows if undone_at is None}
        doubled_rows = sum(1 for n in Counter(r[0] for r in rows).values() if n > 1)
        creates = Counter(e.details.get("invitee_id") for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.meeting_id == meeting_id, AuditEntry.action == "checkin.create")))
        doubled_audit = sum(1 for n in creates.values() if n > 1)
        present = attendance.counts(meeting_id).present
        db.session.remove()
        db.engine.dispose()
    live_ids.discard(warmup_id)
    return {"lost": len(ok_ids - live_ids), "doubled": doubled_rows + doubled_audit,
            "checked_in": len(live_ids), "present_count": present - 1,  # minus the warm-up person
            "unexpected": len(live_ids - ok_ids)}


# --------------------------------------------------------------------------- the server

class Server:
    def __init__(self, instance: Path, db_url: str, port: int, message_queue: str = ""):
        self.port = port
        env = dict(os.environ, MEETINGDAY_INSTANCE=str(instance), DATABASE_URL=db_url,
                   PUBLIC_BASE_URL=f"http://{HOST}:{port}", PYTHONUNBUFFERED="1")
        env.pop("SOCKETIO_MESSAGE_QUEUE", None)
        if message_queue:
            env["SOCKETIO_MESSAGE_QUEUE"] = message_queue
        self.log_path = instance / f"serve-{port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115  (closed in stop())
        self.proc = subprocess.Popen([str(SERVE), "serve", "--host", HOST, "--port", str(port)], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"meetingday serve exited ({self.proc.returncode}):\n{self.log_path.read_text()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("meetingday serve did not answer /healthz in time")

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (user + system, from /proc)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


# --------------------------------------------------------------------------- HTTP

class Client:
    """One keep-alive connection carrying the shared door session."""

    def __init__(self, port: int, cookies: dict):
        self.port, self.cookies = port, cookies
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        data = urlencode(body).encode() if body is not None else None
        hdrs = {"Cookie": self._cookie_header(), **(headers or {})}
        if data is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                payload = resp.read()
                for header in resp.headers.get_all("Set-Cookie") or []:
                    name, _, rest = header.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
                return resp, payload
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest, http.client.ResponseNotReady):
                # The server closed a kept-alive connection: reconnect and send again (the same
                # nonce, so a request that did reach the server is not checked in twice).
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


class SocketClient:
    """A door screen's live connection: Engine.IO v4 / Socket.IO v5 framing over a websocket
    (the `websockets` library's synchronous client), joined as the door's staff session does
    (its cookie, auth {"meeting", "locale"}). scan() sends the door:scan event and waits for its
    acknowledgement, answering the server's pings and skipping the live pushes meanwhile (the
    door receives them, as the real one does)."""

    def __init__(self, port: int, cookies: dict, meeting_id: int):
        from websockets.sync.client import connect
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.ws = connect(f"ws://{HOST}:{port}/socket.io/?EIO=4&transport=websocket",
                          additional_headers={"Cookie": cookie, "Origin": f"http://{HOST}:{port}"},
                          compression=None, max_size=None, open_timeout=30)
        if not self.ws.recv(timeout=30).startswith("0"):
            raise RuntimeError("no Engine.IO open packet")
        self.ws.send("40" + json.dumps({"meeting": meeting_id, "locale": "vi"}))
        while not (reply := self.ws.recv(timeout=30)).startswith("40"):
            if reply.startswith("44"):
                raise RuntimeError(f"Socket.IO connection refused: {reply[:200]}")
            self._ping(reply)
        self.meeting_id, self.next_id = meeting_id, 0

    def _ping(self, message: str) -> None:
        if message == "2":
            self.ws.send("3")

    def scan(self, code: str, nonce: str) -> dict:
        self.next_id += 1
        ack = f"43{self.next_id}["
        self.ws.send(f"42{self.next_id}" + json.dumps(
            ["door:scan", {"meeting": self.meeting_id, "code": code, "nonce": nonce}]))
        while not (message := self.ws.recv(timeout=30)).startswith(ack):
            self._ping(message)
        return json.loads(message[len(ack) - 1:])[0]

    def close(self) -> None:
        self.ws.close()


def log_in(port: int) -> tuple[dict, str]:
    client = Client(port, {})
    _resp, page = client.request("GET", "/login")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
    resp, _ = client.request("POST", "/login", {"username": USERNAME, "password": PASSWORD, "csrf_token": token})
    if resp.status != 302:
        raise RuntimeError(f"login failed: {resp.status}")
    _resp, page = client.request("GET", "/")
    csrf = re.search(rb'<meta name="csrf-token" content="([^"]+)"', page).group(1).decode()
    client.close()
    return dict(client.cookies), csrf


def plan(people: list[tuple[int, str]], n: int, repeat_share: float, retry_share: float,
         rng: random.Random) -> list[tuple[int, str, str]]:
    """(invitee_id, pass token, nonce) per request, shuffled."""
    n_repeat = int(n * repeat_share)
    n_retry = int(n * retry_share)
    n_first = n - n_repeat - n_retry
    if n_first > len(people):
        sys.exit(f"bench: {n_first} first scans need as many invitees (use --invitees)")
    firsts = [(pid, tok, secrets.token_urlsafe(12)) for pid, tok in rng.sample(people, n_first)]
    repeats = [(pid, tok, secrets.token_urlsafe(12)) for pid, tok, _n in rng.choices(firsts, k=n_repeat)]
    retries = rng.choices(firsts, k=n_retry)  # the very same request again
    requests = firsts + repeats + retries
    rng.shuffle(requests)
    return requests


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_ms:
        return 0.0
    k = max(0, min(len(sorted_ms) - 1, math.ceil(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[k]


def machine_busy_seconds() -> float:
    """CPU time all cores of this machine have spent not idle so far (from /proc/stat): the
    servers, the database server, this client and anything else running."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_meter(servers: list) -> dict:
    """CPU seconds used so far: by the server processes, by this client, by the whole machine."""
    return {"server": sum(x.cpu_seconds() for x in servers), "client": time.process_time(),
            "machine": machine_busy_seconds()}


def run_clients(ports: list[int], cookies: dict, items: list, concurrency: int, send, think_ms: float = 0,
                servers: list | None = None, connect=None):
    """`concurrency` clients, each on its own keep-alive connection (to one of the servers' ports,
    in turn), released at once, take the items one by one and `send(client, item) -> (status,
    outcome)`; returns per item (item, status, outcome, ms), the time the whole run took, and the
    CPU seconds (cpu_meter) it used from the release on (opening the connections not counted)."""
    work = list(enumerate(items))
    lock = threading.Lock()
    results: list[tuple | None] = [None] * len(items)
    ready, start_gate = threading.Barrier(concurrency + 1), threading.Barrier(concurrency + 1)
    finished: list = []
    failed: list[Exception] = []

    def worker(port: int):
        try:
            if connect is None:
                client = Client(port, dict(cookies))
                client.request("GET", "/healthz")  # open the connection before the clock starts
            else:
                client = connect(port)
        except Exception as e:  # noqa: BLE001  (a client that cannot connect stops the run, never hangs it)
            failed.append(e)
            ready.abort()
            return
        try:
            ready.wait()
            start_gate.wait()
        except threading.BrokenBarrierError:  # another client could not connect: the run stops
            client.close()
            return
        while True:
            with lock:
                if not work:
                    break
                i, item = work.pop()
            t0 = time.perf_counter()
            try:
                status, outcome = send(client, item)
            except Exception as e:  # noqa: BLE001  (counted as an error, never as OK)
                status, outcome = 0, f"{type(e).__name__}"
            results[i] = (item, status, outcome, (time.perf_counter() - t0) * 1000)
            if think_ms:
                time.sleep(think_ms / 1000)
        finished.append(client)  # closed after the clock stops (a websocket's close handshake waits)

    threads = [threading.Thread(target=worker, args=(ports[k % len(ports)],), daemon=True)
               for k in range(concurrency)]
    for t in threads:
        t.start()
    try:
        ready.wait()  # every connection is open
    except threading.BrokenBarrierError:
        start_gate.abort()
        raise RuntimeError(f"a client could not connect: {failed[0]!r}") from failed[0]
    before = cpu_meter(servers or [])
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    after = cpu_meter(servers or [])
    for client in finished:
        client.close()
    return results, elapsed, {k: after[k] - before[k] for k in after}


def burst(ports: list[int], cookies: dict, csrf: str, meeting_id: int, requests: list, concurrency: int,
          think_ms: float = 0, servers: list | None = None, transport: str = "socket"):
    """The check-in burst: door scans of the planned people."""
    path = f"/meetings/{meeting_id}/door/scan"
    base = f"http://{HOST}:{ports[0]}"

    def send(client, item):
        _pid, token, nonce = item
        resp, _body = client.request("POST", path, {"code": f"{base}/d/{token}", "nonce": nonce},
                                     {"X-CSRFToken": csrf, "HX-Request": "true"})
        return resp.status, resp.headers.get("X-Checkin-Outcome", "")

    def send_live(client, item):
        _pid, token, nonce = item
        answer = client.scan(f"{base}/d/{token}", nonce)
        return answer.get("status", 0), answer.get("outcome") or ""

    if transport == "socket":
        send, connect = send_live, (lambda port: SocketClient(port, cookies, meeting_id))
    else:
        connect = None
    results, elapsed, cpu = run_clients(ports, cookies, requests, concurrency, send, think_ms, servers, connect)
    return [(item[0], status, outcome, ms) for item, status, outcome, ms in results], elapsed, cpu


def floor(ports: list[int], cookies: dict, path: str, n: int, concurrency: int, csrf: str = "",
          servers: list | None = None) -> dict:
    """The same clients and pattern against a page that does (almost) nothing: what the server
    and this client cost before any check-in work. With `csrf`, a POST carrying it (through the
    form parser and the CSRF check, as a scan is)."""
    method, headers = ("POST", {"X-CSRFToken": csrf}) if csrf else ("GET", {})

    def send(client, _item):
        resp, _body = client.request(method, path, {} if csrf else None, {"HX-Request": "true", **headers})
        return resp.status, ""

    results, elapsed, cpu = run_clients(ports, cookies, list(range(n)), concurrency, send, servers=servers)
    latencies = sorted(ms for _i, _s, _o, ms in results)
    return {"path": f"{method} {path}", "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1), "throughput_rps": round(n / elapsed, 1),
            "server_cpu_ms_per_request": round(cpu["server"] * 1000 / n, 2),
            "errors": sum(1 for r in results if r[1] != 200)}


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.transport == "socket" and importlib.util.find_spec("websockets") is None:
        sys.exit("bench: the door's live connection needs the `websockets` library: "
                 ".venv/bin/pip install -e '.[bench]' (or use --transport http)")
    rng = random.Random(args.seed)
    n_invitees = args.invitees or max(400, args.requests)
    instance = Path(tempfile.mkdtemp(prefix="meetingday-bench-"))
    os.environ["MEETINGDAY_INSTANCE"] = str(instance)
    if args.servers < 1:
        sys.exit("bench: --servers must be at least 1")
    database = Database(args.database_url.strip(), instance)
    if args.servers > 1 and not database.schema:
        sys.exit("bench: several server processes need PostgreSQL (--database-url); SQLite is for one process")
    servers: list[Server] = []
    try:
        app = make_app(database.url)
        say(args, f"bench: fresh {database.label} database, {n_invitees} invitees …")
        seeded = seed(app, n_invitees)
        meeting_id, people = seeded["meeting_id"], seeded["people"]
        warmup, people = people[-1], people[:-1]
        with app.app_context():
            from meetingday.extensions import db
            db.engine.dispose()  # the server processes own the database from here

        ports = [args.port + i if args.port else free_port() for i in range(args.servers)]
        queue = args.message_queue if args.servers > 1 else ""
        servers = [Server(instance, database.url, port, queue) for port in ports]
        for server in servers:
            server.wait_ready()
            say(args, f"bench: meetingday serve is up on port {server.port} (pid {server.proc.pid})")
        cookies, csrf = log_in(ports[0])  # one session: the servers share the secret key
        for port in ports:  # the first scan of each process (the person kept out of the counts)
            warm = Client(port, dict(cookies))
            resp, _ = warm.request("POST", f"/meetings/{meeting_id}/door/scan",
                                   {"code": f"http://{HOST}:{port}/d/{warmup[1]}",
                                    "nonce": secrets.token_urlsafe(12)},
                                   {"X-CSRFToken": csrf, "HX-Request": "true"})
            warm.close()
            if resp.status != 200:
                raise RuntimeError(f"warm-up scan failed: {resp.status}")

        floors = []
        if args.floor:
            # Check-in is open already, so opening it again writes nothing: a signed-in POST
            # that does no check-in work.
            for path, token in (("/healthz", ""), (f"/meetings/{meeting_id}/checkin/window", ""),
                                (f"/meetings/{meeting_id}/checkin/open", csrf)):
                floors.append(floor(ports, cookies, path, args.requests, args.concurrency, token, servers))
                say(args, f"bench: floor {floors[-1]}")

        requests = plan(people, args.requests, args.repeat_share, args.retry_share, rng)
        say(args, f"bench: {len(requests)} scans from {args.concurrency} clients "
                  f"({len({r[0] for r in requests})} people) …")
        results, elapsed, cpu = burst(ports, cookies, csrf, meeting_id, requests, args.concurrency, args.think_ms,
                                      servers, args.transport)
        server_cpu, client_cpu, machine_cpu = cpu["server"], cpu["client"], cpu["machine"]

        latencies = sorted(r[3] for r in results)
        ok_ids = {pid for pid, status, outcome, _ms in results if status == 200 and outcome in ("ok", "repeat")}
        outcomes = Counter(f"{status}:{outcome}" for _pid, status, outcome, _ms in results)
        new_per_person = Counter(pid for pid, status, outcome, _ms in results if status == 200 and outcome == "ok")
        for server in servers:
            server.stop()
        counted = count(app, meeting_id, ok_ids, warmup[0])
        summary = {
            "database": database.label, "servers": args.servers, "transport": args.transport,
            "requests": len(results), "concurrency": args.concurrency, "think_ms": args.think_ms,
            "people": len({r[0] for r in requests}),
            "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1), "max_ms": round(latencies[-1], 1),
            "throughput_rps": round(len(results) / elapsed, 1),
            "server_cpu_ms_per_request": round(server_cpu * 1000 / len(results), 2),
            "client_cpu_ms_per_request": round(client_cpu * 1000 / len(results), 2),
            "machine_cpu_ms_per_request": round(machine_cpu * 1000 / len(results), 2),
            "lost": counted["lost"], "doubled": counted["doubled"],
            "wrong_new": sum(1 for n in new_per_person.values() if n > 1),
            "errors": sum(n for key, n in outcomes.items() if not key.startswith("200:")),
            "checked_in": counted["checked_in"], "attendance_present": counted["present_count"],
            "outcomes": dict(sorted(outcomes.items())),
        }
        if floors:
            summary["floor"] = floors
        say(args, f"bench: {summary['throughput_rps']} scans/s; latency p50 {summary['p50_ms']} ms, "
                  f"p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms; lost {summary['lost']}, "
                  f"doubled {summary['doubled']}; outcomes {summary['outcomes']}")
        print(json.dumps(summary), flush=True)
        return 0 if summary["lost"] == 0 and summary["doubled"] == 0 and summary["errors"] == 0 else 1
    finally:
        for server in servers:
            server.stop()
        database.drop()
        if args.keep:
            print(f"bench: kept {instance}", file=sys.stderr)
        else:
            shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
