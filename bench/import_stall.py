"""A 300,000-row spreadsheet uploaded to both imports while /healthz is polled: does the server
keep answering, and how soon is the file refused?

    .venv/bin/python bench/import_stall.py            # a table, then the JSON line
    .venv/bin/python bench/import_stall.py --json     # only the JSON line

What it does:
1. A temporary instance directory with a SQLite file, the demo meeting loaded into it (its
   secretariat account "vanphong" may run both imports).
2. Starts `.venv/bin/meetingday serve --host 127.0.0.1 --port P` (gevent, as in production; a
   separate process) and waits for /healthz.
3. Builds the file (tests/bigsheet.py `big_list`: a header that fits both imports, then --rows
   rows, all shared strings; 300,000 rows are about 2.3 MB).
4. Logs in as the secretariat over HTTP (CSRF token read from the login form).
5. Reference: polls /healthz every --poll-ms for --idle-seconds with nothing else running
   (a new connection per request, as the polls below).
6. For each import (invitees: POST /meetings/<id>/import/; kiến nghị: POST
   /meetings/<id>/kien-nghi/import), the CSRF token read from its page, uploads the file while
   a second thread polls /healthz every --poll-ms; reports the import's total time (request sent
   to answer read), its status and whether the answer is the too-many-rows refusal, and the
   largest /healthz latency seen while the upload ran.
The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / ".venv" / "bin" / "meetingday"
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"
SETUP = """
import json
from meetingday import create_app
from meetingday.cli import prepare_database
from meetingday.services import demo
app = create_app()
with app.app_context():
    prepare_database()
    print(json.dumps({"meeting": demo.load_demo().id}))
"""
USERNAME = "vanphong"  # the demo's secretariat account (meetingday/services/demo.py)
TOO_MANY = "Tệp có quá nhiều dòng"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=300_000, help="rows below the header (default 300000)")
    p.add_argument("--poll-ms", type=float, default=50, help="pause between /healthz polls (default 50)")
    p.add_argument("--idle-seconds", type=float, default=3, help="length of the idle reference (default 3)")
    p.add_argument("--keep", action="store_true", help="keep the temporary instance directory")
    p.add_argument("--json", action="store_true", help="print only the JSON line (and errors)")
    return p.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def healthz_ms(base: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(base + "/healthz", timeout=120) as r:
        r.read()
    return (time.perf_counter() - started) * 1000


class Poller(threading.Thread):
    """Polls /healthz every `pause` seconds until stopped; keeps each latency (ms)."""

    def __init__(self, base: str, pause: float):
        super().__init__(daemon=True)
        self.base, self.pause, self.latencies = base, pause, []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.latencies.append(healthz_ms(self.base))
            self.done.wait(self.pause)

    def stop(self) -> list[float]:
        self.done.set()
        self.join()
        return self.latencies


class Session:
    """Cookies kept, redirects followed, as a browser would."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as r:
            return r.read().decode()

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, data=body, headers={"Content-Type": content_type})
        try:
            with self.opener.open(request, timeout=300) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def log_in(self, username: str, password: str) -> None:
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.get("/login")).group(1)
        form = urllib.parse.urlencode({"username": username, "password": password, "csrf_token": token})
        status, page = self.post("/login", form.encode(), "application/x-www-form-urlencoded")
        if status != 200 or 'name="password"' in page:
            raise RuntimeError(f"login failed ({status})")


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----meetingday-bench-" + os.urandom(8).hex()
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
                 + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload(session: Session, base: str, page: str, target: str, data: bytes, pause: float) -> dict:
    html = session.get(page)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    body, content_type = multipart({"csrf_token": token}, "danh-sach-lon.xlsx", data)
    poller = Poller(base, pause)
    poller.start()
    time.sleep(pause)  # the poller's first request goes out before the upload
    started = time.perf_counter()
    status, answer = session.post(target, body, content_type)
    total = time.perf_counter() - started
    latencies = poller.stop()
    return {"import_s": round(total, 3), "status": status, "refused_too_many_rows": TOO_MANY in answer,
            "healthz_max_ms": round(max(latencies), 1), "healthz_polls": len(latencies)}


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.bigsheet import big_list

    instance = Path(tempfile.mkdtemp(prefix="meetingday-import-stall-"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "SOCKETIO_MESSAGE_QUEUE", "SOCKETIO_ASYNC_MODE", "FLASK_APP")}
    env.update(MEETINGDAY_INSTANCE=str(instance / "instance"), SECRET_KEY="do-tai-nhap-tep",
               DATABASE_URL=f"sqlite:///{instance / 'bench.sqlite3'}")
    setup = subprocess.run([str(PYTHON), "-c", SETUP], env=env, capture_output=True, text=True, timeout=300)
    if setup.returncode:
        sys.exit(setup.stderr[-3000:])
    meeting = json.loads(setup.stdout.strip().splitlines()[-1])["meeting"]
    port = free_port()
    base = f"http://{HOST}:{port}"
    log = open(instance / "serve.log", "w")
    server = subprocess.Popen([str(SERVE), "serve", "--host", HOST, "--port", str(port)], env=env,
                              stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                healthz_ms(base)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("meetingday serve did not answer /healthz:\n" + (instance / "serve.log").read_text()[-3000:])
                time.sleep(0.2)
        started = time.perf_counter()
        data = big_list(args.rows)
        built_s = time.perf_counter() - started
        from meetingday.services.demo import DEMO_PASSWORD
        session = Session(base)
        session.log_in(USERNAME, DEMO_PASSWORD)
        pause = args.poll_ms / 1000
        idle = Poller(base, pause)
        idle.start()
        time.sleep(args.idle_seconds)
        reference = idle.stop()
        result = {"rows": args.rows, "file_bytes": len(data), "build_s": round(built_s, 2),
                  "reference_healthz_max_ms": round(max(reference), 1),
                  "reference_healthz_median_ms": round(statistics.median(reference), 1),
                  "reference_polls": len(reference)}
        for name, page, target in (
                ("invitees", f"/meetings/{meeting}/import/", f"/meetings/{meeting}/import/"),
                ("kien_nghi", f"/meetings/{meeting}/kien-nghi", f"/meetings/{meeting}/kien-nghi/import")):
            outcome = upload(session, base, page, target, data, pause)
            outcome["healthz_max_over_reference"] = round(outcome["healthz_max_ms"] / result["reference_healthz_max_ms"], 1)
            result[name] = outcome
        if not args.json:
            print(f"file: {args.rows} rows, {len(data) / 1e6:.2f} MB (built in {built_s:.1f} s)")
            print(f"reference /healthz, idle: max {result['reference_healthz_max_ms']} ms, "
                  f"median {result['reference_healthz_median_ms']} ms over {len(reference)} polls")
            for name in ("invitees", "kien_nghi"):
                o = result[name]
                print(f"{name:10} import {o['import_s']:7.3f} s, status {o['status']}, "
                      f"too-many-rows refusal: {o['refused_too_many_rows']}; /healthz max {o['healthz_max_ms']} ms "
                      f"({o['healthz_max_over_reference']}x the idle max) over {o['healthz_polls']} polls")
        print(json.dumps(result))
        return 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
        if not args.keep:
            shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
