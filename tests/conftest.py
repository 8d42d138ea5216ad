"""Fixtures: the app on each database (SQLite always, PostgreSQL when reachable), clients
logged in per role, and helpers. With CI=true nothing may skip: a missing PostgreSQL or
Chromium fails the run instead."""
from __future__ import annotations

import contextvars
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from meetingday import create_app
from meetingday.cli import prepare_database
from meetingday.extensions import db, socketio
from meetingday.models import Role
from meetingday.services import demo, users

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_SCHEMA = f"meetingday_test_{os.getpid()}"  # one per run: parallel runs never collide
PASSWORD = "matkhau-kiem-thu"


def unavailable(reason: str):
    """Skip on a user's machine; fail in CI, where everything must run."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def _pg_available() -> str | None:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {PG_SCHEMA}"))
        engine.dispose()
        return None
    except Exception as e:  # no server, no database, no permission
        return f"PostgreSQL not reachable at {PG_URL}: {type(e).__name__}: {str(e).strip()[:200]}"


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production: the test's own app context
    (and its g, session and cached locale/user) is not shared with the request."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


_apps: dict[str, object] = {}
_socketio_bound: list = [None]


def _make_app(backend: str, tmp_root: Path):
    instance = tmp_root / backend
    instance.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        url = f"sqlite:///{instance / 'test.sqlite3'}"
        engine_options = {"connect_args": {"timeout": 30}}
    else:
        url = f"{PG_URL}?options=-csearch_path%3D{PG_SCHEMA}"
        engine_options = {"pool_pre_ping": True, "pool_size": 30, "max_overflow": 10}
    os.environ["MEETINGDAY_INSTANCE"] = str(instance)
    app = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "SECRET_KEY": "kiem-thu", "PUBLIC_BASE_URL": "http://hoitruong.local:5000",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; production keeps scrypt
        "LIVE_PUSH_INTERVAL": 0,  # push in the caller, so a test reads what was sent right after
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        prepare_database()  # the schema comes from the migrations, as in production
    return app


@pytest.fixture(scope="session")
def tmp_root():
    path = Path(tempfile.mkdtemp(prefix="meetingday-tests-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)
    if "postgresql" in _apps:
        with _apps["postgresql"].app_context():
            db.engine.dispose()
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request, tmp_root):
    if request.param == "postgresql":
        reason = _pg_available()
        if reason:
            unavailable(reason)
    if request.param not in _apps:
        _apps[request.param] = _make_app(request.param, tmp_root)
    return request.param


@pytest.fixture()
def app(backend):
    app = _apps[backend]
    if _socketio_bound[0] is not app:
        socketio.init_app(app)  # the Socket.IO server follows the app under test
        _socketio_bound[0] = app
    server = socketio.server
    handlers = (server.async_handlers, server.eio.async_handlers)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
    # socketio.test_client patches the server to keep packets for test clients (and to handle
    # events synchronously): undo that, or real browsers in later tests never get a packet.
    for name in ("_send_packet", "_send_eio_packet"):
        server.__dict__.pop(name, None)
    server.async_handlers, server.eio.async_handlers = handlers


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name != "postgresql":
        with db.engine.begin() as conn:
            for t in tables:
                conn.execute(t.delete())
        return
    truncate = sa.text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE")
    # A browser page of the test that just ended may still have a request in the live server,
    # reading one table while the TRUNCATE locks them all: PostgreSQL may then pick the TRUNCATE
    # as a deadlock's victim. The request ends within moments; try again.
    for attempt in range(10):
        try:
            with db.engine.begin() as conn:
                conn.execute(truncate)
            return
        except sa.exc.OperationalError:
            if attempt == 9:
                raise
            time.sleep(0.2)


@pytest.fixture()
def client(app):
    return app.test_client()


def make_user(username: str, *roles: Role):
    return users.create_user(username, username.title(), PASSWORD, roles or [Role.ADMIN], actor="test")


def login(client, username: str, password: str = PASSWORD):
    """Log in through the real form (CSRF token read from the page)."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def csrf_token(client, path: str = "/") -> str:
    page = client.get(path)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)


@pytest.fixture()
def admin_client(app):
    make_user("vanphong", Role.ADMIN)
    c = app.test_client()
    login(c, "vanphong")
    return c


@pytest.fixture()
def demo_meeting(app):
    return demo.load_demo()
