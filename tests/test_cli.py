"""The `meetingday` command as a user runs it: demo in the background, create-user, export-passes."""
from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import time
from datetime import datetime
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from meetingday.services.demo import start_now
from meetingday.timeutil import from_local

from .conftest import PG_URL
from .serverproc import BIN, clean_env, free_port

CLI_SCHEMA = f"meetingday_cli_test_{os.getpid()}"


@pytest.fixture()
def cli_env(backend, tmp_path):
    """Environment for a separate `meetingday` process on a fresh database of this backend."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DEMO_DATABASE_URL", "PUBLIC_BASE_URL", "FLASK_APP")}
    env["MEETINGDAY_INSTANCE"] = str(tmp_path / "instance")
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    if backend == "postgresql":
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {CLI_SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {CLI_SCHEMA}"))
        engine.dispose()
        env["DATABASE_URL"] = f"{PG_URL}?options=-csearch_path%3D{CLI_SCHEMA}"
    # Here the demo shares the database the other commands use, so that they see its meeting.
    env["DEMO_DATABASE_URL"] = env["DATABASE_URL"]
    yield env
    if backend == "postgresql":
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {CLI_SCHEMA} CASCADE"))
        engine.dispose()


def run(env, *args, **kw):
    return subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True, timeout=120, **kw)


def start_demo(env, port, command="demo"):
    """Start `meetingday demo` (or serve) detached from any terminal, as `nohup ... &` would."""
    log = open(Path(env["MEETINGDAY_INSTANCE"]).parent / f"{command}-{port}.log", "w+")
    proc = subprocess.Popen([str(BIN), command, "--port", str(port)], env=env, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # the port opens before the app is ready
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    log.seek(0)
    return proc, log.read()


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_of(url: str) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_demo_in_background_serves_every_printed_address(cli_env):
    port = free_port()
    before = start_now()
    proc, output = start_demo(cli_env, port)
    try:
        assert proc.poll() is None, output
        # The demo meeting is dated today, starting at the next five minutes.
        engine = sa.create_engine(cli_env["DATABASE_URL"])
        with engine.connect() as conn:
            starts_at = conn.execute(sa.text("SELECT starts_at FROM meetings")).scalar_one()
        engine.dispose()
        if isinstance(starts_at, str):  # SQLite
            starts_at = datetime.fromisoformat(starts_at)
        assert starts_at in {from_local(before), from_local(start_now())}, (starts_at, before)
        addresses = re.findall(r"(http://127\.0\.0\.1:\d+/\S*)", output)
        screens = [a for a in addresses if a != f"http://127.0.0.1:{port}"]
        assert len(screens) >= 8, output
        for url in screens:
            # staff screens send an anonymous visitor to the login page; the rest answer 200
            assert status_of(url) in (200, 302), url
        assert "vanphong" in output and "letan" in output and "hoinghi2024" in output
        assert "banphapche ban (Ban Pháp chế HĐND thị xã)" in output
    finally:
        stop(proc)

    # A second start loads nothing twice.
    proc, output = start_demo(cli_env, port)
    stop(proc)
    r = run(cli_env, "create-user", "banktxh", "--name", "Ban Kinh tế - Xã hội", "--role", "ban",
            "--organisation", "Ban Kinh tế - Xã hội", "--password", "mot-mat-khau-dai")
    assert r.returncode == 0, r.stderr
    assert "with roles: ban for Ban Kinh tế - Xã hội HĐND thị xã" in r.stdout
    export = run(cli_env, "export-passes")
    assert export.returncode != 0 and "PUBLIC_BASE_URL" in export.stderr  # links must open on a phone
    export = run(cli_env, "export-passes", "--base-url", "http://192.168.1.10:5000/")
    assert export.returncode == 0, export.stderr
    assert export.stdout.startswith("\ufeff")  # Excel reads UTF-8 by its byte order mark
    rows = list(csv.reader(io.StringIO(export.stdout.lstrip("\ufeff"))))
    assert rows[0] == ["name", "position", "organisation", "pass_link"]
    assert 76 <= len(rows) - 1 <= 84
    names = [r[0] for r in rows[1:]]
    assert len(names) == len(set(names)) and "Nguyễn Văn Công" in names
    assert all(re.fullmatch(r"http://192\.168\.1\.10:5000/d/[A-Za-z0-9_-]{32}", r[3]) for r in rows[1:])


def test_create_user_and_export_passes(cli_env):
    r = run(cli_env, "create-user", "letan2", "--name", "Huỳnh Văn Bảo", "--role", "door", "--role", "secretary",
            "--password", "mot-mat-khau-dai")
    assert r.returncode == 0, r.stderr
    assert "door, secretary" in r.stdout
    r = run(cli_env, "create-user", "letan2", "--role", "door", "--password", "mot-mat-khau-dai")
    assert r.returncode != 0 and "Tên đăng nhập này đã có người dùng." in r.stderr
    r = run(cli_env, "create-user", "ngan", "--role", "door", "--password", "ngan")
    assert r.returncode != 0 and "ít nhất 8 ký tự" in r.stderr
    for extra in ((), ("--organisation", "Ban Pháp chế")):  # no Ban of that name in this database
        r = run(cli_env, "create-user", "banpc", "--role", "ban", *extra, "--password", "mot-mat-khau-dai")
        assert r.returncode != 0 and "cần gắn với một Ban của HĐND thị xã" in r.stderr
    r = run(cli_env, "create-user", "thuky3", "--role", "secretary", "--organisation", "Ban Pháp chế",
            "--password", "mot-mat-khau-dai")
    assert r.returncode != 0 and "Chỉ tài khoản của một Ban" in r.stderr

    env = {**cli_env, "PUBLIC_BASE_URL": "http://192.168.1.10:5000"}
    r = run(env, "export-passes")
    assert r.returncode != 0 and "No such meeting" in r.stderr


def test_demo_keeps_its_own_database(tmp_path):
    """Without DATABASE_URL the demo never writes its accounts into the real meeting's database."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DEMO_DATABASE_URL", "PUBLIC_BASE_URL", "FLASK_APP")}
    env["MEETINGDAY_INSTANCE"] = str(tmp_path / "instance")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'real.sqlite3'}"  # even with DATABASE_URL set
    proc, output = start_demo(env, free_port())
    stop(proc)
    assert "demo.sqlite3" in output
    assert (tmp_path / "instance" / "demo.sqlite3").exists()
    r = run(env, "create-user", "vanphong", "--role", "admin", "--password", "mot-mat-khau-dai")
    assert r.returncode == 0, r.stderr  # the demo's "vanphong" is not in this database
    r = run({**env, "PUBLIC_BASE_URL": "http://192.168.1.10:5000"}, "export-passes")
    assert r.returncode != 0 and "No such meeting" in r.stderr


@pytest.mark.both_databases
def test_serve_starts_on_an_empty_database(cli_env):
    port = free_port()
    proc, output = start_demo(cli_env, port, command="serve")
    try:
        assert proc.poll() is None, output
        assert status_of(f"http://127.0.0.1:{port}/healthz") == 200
        assert status_of(f"http://127.0.0.1:{port}/login") == 200
        assert status_of(f"http://127.0.0.1:{port}/") == 302  # staff only
    finally:
        stop(proc)
    r = run({**cli_env, "PUBLIC_BASE_URL": "http://192.168.1.10:5000"}, "export-passes")
    assert r.returncode != 0 and "No such meeting" in r.stderr  # no demo data was loaded


def test_public_base_and_spreadsheet_cells(monkeypatch):
    from flask import Flask

    from meetingday import cli

    app = Flask("t")
    app.config["PUBLIC_BASE_URL"] = None
    monkeypatch.setattr(cli, "lan_address", lambda: "192.168.1.10")
    assert cli._public_base(app, "127.0.0.1", 5000) == "http://127.0.0.1:5000"
    assert app.config["PUBLIC_BASE_URL"] is None  # loopback only: the invitations page will warn
    assert cli._public_base(app, "0.0.0.0", 5000) == "http://192.168.1.10:5000"
    assert app.config["PUBLIC_BASE_URL"] == "http://192.168.1.10:5000"  # the QR codes use it
    app.config["PUBLIC_BASE_URL"] = "http://hoitruong.local"
    assert cli._public_base(app, "0.0.0.0", 5000) == "http://hoitruong.local"  # the setting wins
    from meetingday.services.tables import neutral  # every export's cells (export-passes, attendance)

    assert neutral("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and neutral("-") == "'-"
    assert neutral("+1") == "'+1" and neutral("@x") == "'@x"
    assert neutral("Chủ tịch HĐND xã") == "Chủ tịch HĐND xã" and neutral(7) == 7


# --------------------------------------------------------------------------- faults at start

def exits(env, *args, timeout: float = 60):
    """Run a `meetingday` command that should end by itself: (exit status, stdout, stderr); a
    server that starts instead is stopped, and its exit status is None."""
    proc = subprocess.Popen([str(BIN), *args], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out, err


def said_in_one_line(result, *words) -> str:
    status, out, err = result
    lines = [line for line in (out + err).splitlines() if line.strip() and not line.startswith("INFO  [alembic")]
    assert status not in (0, None) and len(lines) == 1 and "Traceback" not in err, result
    assert all(w in lines[0] for w in words), lines
    return lines[0]


def test_a_database_that_does_not_answer_is_named_in_one_line(tmp_path):
    dead = "postgresql://kiemtra:bi-mat@127.0.0.1:1/hoinghi"  # nothing listens on port 1
    env = clean_env(tmp_path / "instance", DATABASE_URL=dead, DEMO_DATABASE_URL=dead)
    for command in ("serve", "demo"):
        line = said_in_one_line(exits(env, command, "--port", str(free_port())),
                                "127.0.0.1:1/hoinghi", "DATABASE_URL")
        assert "bi-mat" not in line  # the password is not printed


def test_a_message_queue_that_does_not_answer_is_said_at_start(tmp_path):
    env = clean_env(tmp_path / "instance", SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:1/0")
    said_in_one_line(exits(env, "serve", "--port", str(free_port())), "SOCKETIO_MESSAGE_QUEUE=redis://127.0.0.1:1/0")


def test_a_mistyped_setting_is_said_in_one_line(tmp_path):
    env = clean_env(tmp_path / "instance", RATELIMIT_FAILURES="30 per minit")
    for args in (["serve", "--port", str(free_port())],
                 ["create-user", "an", "--role", "door", "--password", "mot-mat-khau-dai"]):
        said_in_one_line(exits(env, *args), "RATELIMIT_FAILURES='30 per minit'", "30 per minute")


def test_one_server_per_sqlite_file_and_its_files_private(cli_env):
    """A second `serve` or a `demo` on the file a server uses is refused, saying what to use for
    several processes; a short command runs beside it. The instance folder (here left 0755 by
    an older version) is 0700, and the database with its -wal and -shm 0600 after the server
    has written, whatever the umask."""
    Path(cli_env["MEETINGDAY_INSTANCE"]).mkdir(mode=0o755)
    old_umask = os.umask(0o022)
    try:
        proc, output = start_demo(cli_env, free_port(), command="serve")
    finally:
        os.umask(old_umask)
    try:
        assert proc.poll() is None, output
        for command in ("serve", "demo"):
            said_in_one_line(exits(cli_env, command, "--port", str(free_port())),
                             "shared.sqlite3", f"process {proc.pid}", "PostgreSQL", "SOCKETIO_MESSAGE_QUEUE")
        r = run(cli_env, "create-user", "letan2", "--role", "door", "--password", "mot-mat-khau-dai")
        assert r.returncode == 0, r.stderr
        database = Path(cli_env["DATABASE_URL"].removeprefix("sqlite:///"))
        files = [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm", ".lock"))]
        modes = {p.name: oct(p.stat().st_mode & 0o777) for p in files}
        assert modes == {p.name: "0o600" for p in files}
        assert oct(Path(cli_env["MEETINGDAY_INSTANCE"]).stat().st_mode & 0o777) == "0o700"
        assert oct((Path(cli_env["MEETINGDAY_INSTANCE"]) / "secret_key").stat().st_mode & 0o777) == "0o600"
    finally:
        stop(proc)
