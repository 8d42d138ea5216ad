"""Fixtures and helpers shared by the whole suite: the app on SQLite (and on PostgreSQL for the
tests that can differ there), clients logged in per role, and the small checks many modules use.

Which database a test runs on
-----------------------------
Every test that uses the app runs on SQLite. A test runs on PostgreSQL as well only when it is
marked `both_databases` (on the test, or for a whole module with `pytestmark`); its id then
carries `[sqlite]` and `[postgresql]`, and `-k "not postgresql"` leaves the second out. Mark a
test when what it checks could come out differently on PostgreSQL:

- several writers at once: locks, compare-and-swap updates, unique constraints under
  contention (the tests with threads);
- the schema: migrations, constraints and partial unique indexes, foreign keys;
- SQL a dialect answers in its own way: searches (LIKE), aggregates, RETURNING, NUL bytes;
- a real `meetingday serve` on the database, a restart, and the check-in batch.

Access control, forms, pages, live pushes and the browser screens do not depend on the
database: they run on SQLite only (one whole meeting in Chromium still runs on both). The
multi-process tests use PostgreSQL and Redis directly. PostgreSQL comes from TEST_POSTGRES_URL;
without it a marked test skips there, and with CI=true nothing may skip: a missing PostgreSQL
or Chromium fails the run instead.
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from meetingday import create_app
from meetingday.cli import prepare_database
from meetingday.errors import DomainError
from meetingday.extensions import db, socketio
from meetingday.models import Role
from meetingday.services import demo, users

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_SCHEMA = f"meetingday_test_{os.getpid()}"  # one per run: parallel runs never collide
PASSWORD = "matkhau-kiem-thu"
BOTH_DATABASES = "both_databases"


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


def pytest_configure(config):
    config.addinivalue_line("markers", f"{BOTH_DATABASES}: run on PostgreSQL as well as SQLite "
                                       "(see tests/conftest.py for when)")


def pytest_generate_tests(metafunc):
    """The `backend` of a test: SQLite, and PostgreSQL too where the test is marked."""
    if "backend" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker(BOTH_DATABASES) is not None
        metafunc.parametrize("backend", ["sqlite", "postgresql"] if both else ["sqlite"],
                             indirect=True, scope="session")


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


@pytest.fixture(scope="session")
def backend(request, tmp_root):
    if request.param == "postgresql":
        reason = _pg_available()
        if reason:
            unavailable(reason)
    if request.param not in _apps:
        _apps[request.param] = _make_app(request.param, tmp_root)
    return request.param


@contextlib.contextmanager
def serving(backend: str):
    """The app of this backend with its context pushed; every table is emptied afterwards."""
    app = _apps[backend]
    if _socketio_bound[0] is not app:
        socketio.init_app(app)  # the Socket.IO server follows the app under test
        _socketio_bound[0] = app
    server = socketio.server
    handlers = (server.async_handlers, server.eio.async_handlers)
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
    # socketio.test_client patches the server to keep packets for test clients (and to handle
    # events synchronously): undo that, or real browsers in later tests never get a packet.
    for name in ("_send_packet", "_send_eio_packet"):
        server.__dict__.pop(name, None)
    server.async_handlers, server.eio.async_handlers = handlers


@pytest.fixture()
def app(backend):
    with serving(backend) as app:
        yield app


def empty_tables() -> None:
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


def make_user(username: str, *roles: Role, organisation=None):
    return users.create_user(username, username.title(), PASSWORD, roles or [Role.ADMIN], actor="test",
                             organisation=organisation)


def form_csrf(html: str) -> str:
    """The CSRF token in a page's form (the login page)."""
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def page_csrf(html: str) -> str:
    """The CSRF token a page carries in its <meta> for htmx and the scripts."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def login(client, username: str, password: str = PASSWORD):
    """Log in through the real form (CSRF token read from the page)."""
    token = form_csrf(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def csrf_token(client, path: str = "/") -> str:
    return page_csrf(client.get(path).text)


@pytest.fixture()
def admin_client(app):
    make_user("vanphong", Role.ADMIN)
    c = app.test_client()
    login(c, "vanphong")
    return c


@pytest.fixture()
def demo_meeting(app):
    return demo.load_demo()


# --------------------------------------------------------------------------- checks on the database

def db_snapshot() -> dict[str, tuple[int, str]]:
    """Every table's committed rows as (how many, a checksum of them all), read on a connection
    of its own (so only what was committed counts): any row added, removed or changed shows."""
    snapshot = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in conn.execute(sa.select(table)))
            snapshot[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return snapshot


def assert_unchanged(before: dict, after: dict | None = None, what: str = "the database changed") -> None:
    """Nothing committed between the two snapshots (the second one is taken now if not given)."""
    after = db_snapshot() if after is None else after
    changed = {name: (before[name][0], after[name][0]) for name in before if before[name] != after[name]}
    assert not changed, f"{what} (table: rows before, after): {changed}"


@contextlib.contextmanager
def database_down():
    """The database stops answering: every new connection is refused as by a database that is
    not running (the driver's own OperationalError), and none is left open in the pool."""
    def refuse(dialect, _record, _cargs, _cparams):
        raise dialect.loaded_dbapi.OperationalError("the database is not running (test)")

    db.session.remove()
    db.engine.dispose()
    sa.event.listen(db.engine, "do_connect", refuse)
    try:
        yield
    finally:
        sa.event.remove(db.engine, "do_connect", refuse)
        db.engine.dispose()


def refused(code: str, call, *args, **kwargs) -> DomainError:
    """`call(*args, **kwargs)` raises DomainError `code`, and nothing it did was committed."""
    before = db_snapshot()
    with pytest.raises(DomainError) as excinfo:
        call(*args, **kwargs)
    assert excinfo.value.code == code, (excinfo.value.code, str(excinfo.value.message))
    assert_unchanged(before, what=f"refused with {code}, yet the database changed")
    return excinfo.value


def fresh(model=None, id_=None):
    """Read what is committed now: this session's cache (and any transaction it left open) is
    dropped first, so what a request, a thread or a browser committed is what is read. With a
    model and an id: that row as the database has it (None if it is gone)."""
    db.session.rollback()
    return None if model is None else db.session.get(model, id_)


def at_once(app, n: int, work) -> list:
    """Run work(0) … work(n - 1) in n threads, each in an app context (and a session) of its own,
    released together. Returns what each returned (a DomainError gives its code), in the order
    they finished; anything else raised fails the test."""
    results, errors, barrier = [], [], threading.Barrier(n)

    def run(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results.append(work(i))
            except DomainError as e:
                results.append(e.code)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


# --------------------------------------------------------------------------- live screens

def connect(app, auth: dict, flask_test_client=None):
    """A Socket.IO screen connected in a context of its own, as in production: the test's app
    context (and the user Flask-Login caches in its g) is not shared with the connect handler."""
    return contextvars.Context().run(socketio.test_client, app, flask_test_client=flask_test_client, auth=auth)


class Pushed(NamedTuple):
    swaps: dict[str, str]        # target -> the latest html sent for it
    refreshes: list[list[str]]   # the targets of each "refresh" sent


def received(sio_client) -> Pushed:
    """What this screen was sent since it was last asked."""
    swaps, refreshes = {}, []
    for message in sio_client.get_received():
        if message["name"] == "swap":
            for s in message["args"][0]["swaps"]:
                swaps[s["target"]] = s["html"]
        elif message["name"] == "refresh":
            refreshes.append(message["args"][0]["targets"])
    return Pushed(swaps, refreshes)
