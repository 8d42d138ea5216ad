"""Real `meetingday serve` processes for tests, and a small HTTP session that logs in like a
browser (cookies, CSRF token read from the page)."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .conftest import form_csrf, page_csrf

BIN = Path(sys.executable).with_name("meetingday")

# Loads the demo meeting (programme, invitees, the chair "chutri") into DATABASE_URL.
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
CHAIR, CHAIR_PASSWORD = "chutri", "hoinghi2024"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(instance: Path, **extra: str) -> dict:
    """The environment of a separate process: none of the caller's meetingday settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DEMO_DATABASE_URL", "PUBLIC_BASE_URL", "FLASK_APP",
                        "SOCKETIO_MESSAGE_QUEUE", "SOCKETIO_ASYNC_MODE")}
    env.update(MEETINGDAY_INSTANCE=str(instance), SECRET_KEY="kiem-thu-nhieu-tien-trinh", **extra)
    return env


def load_demo(env: dict) -> dict:
    """Create the schema and the demo meeting; returns {"meeting": id, "key": display key}."""
    r = subprocess.run([sys.executable, "-c", SETUP], check=False, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


class Server:
    """One `meetingday serve` process in its own process group."""

    def __init__(self, env: dict, port: int | None = None, logdir: Path | None = None):
        self.env, self.port = env, port or free_port()
        self.logdir = logdir or Path(env["MEETINGDAY_INSTANCE"]).parent
        self.proc: subprocess.Popen | None = None
        self.log_path = self.logdir / f"serve-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> Server:
        self.logdir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen([str(BIN), "serve", "--port", str(self.port)], env=self.env,
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"meetingday serve exited ({self.proc.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise AssertionError(f"meetingday serve did not answer in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text()[-5000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """kill -9: no shutdown code runs."""
        self._signal(signal.SIGKILL)

    def _signal(self, sig) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept across requests (and across server restarts); redirects not followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def get(self, path: str):
        return self.request("GET", path)

    def get_json(self, path: str) -> dict:
        status, text = self.get(path)
        assert status == 200, (path, status, text[:500])
        return json.loads(text)

    def login(self, username: str = CHAIR, password: str = CHAIR_PASSWORD) -> None:
        _status, page = self.get("/login")
        token = form_csrf(page)
        status, _ = self.request("POST", "/login", {"username": username, "password": password, "csrf_token": token})
        assert status == 302, f"login as {username} failed ({status})"

    def csrf(self, path: str = "/") -> str:
        status, page = self.get(path)
        assert status == 200, (path, status)
        return page_csrf(page)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def chair_action(self, meeting_id: int, action: str, version: int, **fields) -> tuple[int, str]:
        """POST /meetings/<id>/live/<action> as the chair's tablet does (htmx, CSRF, version)."""
        token = self.csrf(f"/meetings/{meeting_id}/chair")
        return self.request("POST", f"/meetings/{meeting_id}/live/{action}",
                            {"version": str(version), "csrf_token": token, **fields},
                            {"HX-Request": "true", "X-CSRFToken": token})


# --------------------------------------------------------------------------- the speaker queue over HTTP

def discussion_and_delegates(db_url: str, meeting_id: int, n: int) -> tuple[int, list[tuple[int, str]]]:
    """The discussion item's id, and `n` delegates of xã/phường with their pass tokens."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            item_id = conn.execute(sa.text("SELECT id FROM agenda_items WHERE meeting_id = :m AND kind = 'discussion'"),
                                   {"m": meeting_id}).scalar_one()
            people = conn.execute(sa.text(
                "SELECT i.id, t.token FROM invitees i JOIN pass_tokens t ON t.invitee_id = i.id "
                "JOIN organisations o ON o.id = i.organisation_id WHERE i.meeting_id = :m AND t.revoked_at IS NULL "
                "AND o.kind IN ('ward', 'commune') ORDER BY i.id LIMIT :n"), {"m": meeting_id, "n": n}).all()
    finally:
        engine.dispose()
    return item_id, [(row[0], row[1]) for row in people]


class Desk:
    """The chair's tablet and the door, through the screens' own requests, to run the queue."""

    def __init__(self, base: str, meeting_id: int):
        self.base, self.meeting_id = base, meeting_id
        self.chair = Browser(base)
        self.chair.login()
        self.version = 1

    def check_in(self, invitee_ids) -> None:
        door = Browser(self.base)
        door.login("letan")
        token = door.csrf(f"/meetings/{self.meeting_id}/door")
        hx = {"HX-Request": "true", "X-CSRFToken": token}
        status, body = door.request("POST", f"/meetings/{self.meeting_id}/checkin/open", {"csrf_token": token}, hx)
        assert status == 200, body[:500]
        for invitee_id in invitee_ids:
            status, body = door.request("POST", f"/meetings/{self.meeting_id}/door/people/{invitee_id}/checkin",
                                        {"csrf_token": token}, hx)
            assert status == 200, body[:500]

    def move(self, action: str) -> None:
        status, body = self.chair.chair_action(self.meeting_id, action, self.version)
        assert status == 200, (action, body[:500])
        self.version = int(re.search(r'data-version="(\d+)"', body).group(1))

    def speakers(self, path: str, **fields) -> str:
        """POST /meetings/<id>/speakers/<path> as the chair's list does; list values repeat."""
        token = self.chair.csrf(f"/meetings/{self.meeting_id}/chair")
        pairs = [("csrf_token", token)] + [(k, x) for k, v in fields.items() for x in (v if isinstance(v, list) else [v])]
        status, body = self.chair.request("POST", f"/meetings/{self.meeting_id}/speakers/{path}", pairs,
                                          {"HX-Request": "true", "X-CSRFToken": token})
        assert status == 200, (path, body[:500])
        return body


def ask_to_speak(base: str, pass_token: str, item_id: int, topic: str = "") -> Browser:
    """A delegate's phone: open the pass, tap "Đăng ký phát biểu"."""
    phone = Browser(base)
    token = phone.csrf(f"/d/{pass_token}")
    status, body = phone.request("POST", f"/d/{pass_token}/speak", {"csrf_token": token, "item": str(item_id), "topic": topic},
                                 {"HX-Request": "true", "X-CSRFToken": token})
    assert status == 200, body[:500]
    return phone
