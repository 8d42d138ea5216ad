"""Configuration: a class of defaults, overridden by environment variables."""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from limits import parse_many

from .private_files import private_folder
from .startup import Fault

ROOT = Path(__file__).resolve().parent.parent


def _database_url(instance_path: Path, demo: bool) -> str:
    # The demo keeps its own database (DEMO_DATABASE_URL, else a file of its own), so a real
    # meeting's database never gets the demo's accounts and their published password.
    url = os.environ.get("DEMO_DATABASE_URL" if demo else "DATABASE_URL", "").strip()
    if not url:
        name = "demo.sqlite3" if demo else "meetingday.sqlite3"
        return f"sqlite:///{instance_path / name}"
    # Plain postgres URLs use the psycopg 3 driver that the package installs.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one kept in instance/ so sessions survive restarts."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    path = instance_path / "secret_key"
    try:  # created once, readable only by its owner; a second process starting at once reads it
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def _whole(least: int):
    def read(text: str) -> int:
        value = int(text)
        if value < least:
            raise ValueError(text)
        return value
    return read


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # NaN too
        raise ValueError(text)
    return value


def _limits(text: str) -> str:
    parse_many(text)
    return text


_LIMIT = 'limits in Flask-Limiter syntax, such as "30 per minute" or "5 per 5 minutes; 10 per hour"'
# The settings read from the environment that a typo would otherwise turn into a traceback at
# start, or, for a rate limit, into no limit at all (a limit is parsed only when first used).
_CHECKED = (
    ("PROXY_HOPS", _whole(0), "a whole number of proxies (0 or more)"),
    ("LIVE_PUSH_INTERVAL", _seconds, "a number of seconds (0 or more)"),
    ("MAX_CONTENT_LENGTH", _whole(1), "a whole number of bytes"),
    ("IMPORT_MAX_ROWS", _whole(1), "a whole number of rows"),
    ("UPLOAD_MAX_BYTES", _whole(1), "a whole number of bytes"),
    ("RATELIMIT_PASS", _limits, _LIMIT),
    ("RATELIMIT_FAILURES", _limits, _LIMIT),
    ("RATELIMIT_LOGIN_ACCOUNT", _limits, _LIMIT),
    ("RATELIMIT_LOGIN_ADDRESS", _limits, _LIMIT),
)


def _read_setting(name: str, default, read, meaning: str):
    """The environment variable `name` read by `read`, else `default` (unset or empty); a value
    that does not read ends the start with one line saying what was expected."""
    text = (os.environ.get(name) or "").strip()
    if not text:
        return default
    try:
        return read(text)
    except ValueError:
        raise Fault(f"{name}={text!r} is not valid: expected {meaning}.") from None


class Config:
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "meetingday" / "translations")
    LANGUAGES = ("vi", "en")
    # gevent serves many requests at once: room for them in the PostgreSQL pool.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 30}
    WTF_CSRF_TIME_LIMIT = None  # a staff page stays open all day
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # imports are small spreadsheets
    IMPORT_MAX_ROWS = 2000
    # Reports and documents (meetingday/files.py): the largest file taken, and where files are kept
    # (None: the instance folder's "files"; a folder every process shares when several serve).
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    FILES_FOLDER = None
    # Rate limits (Flask-Limiter syntax) on the public pass and hall-code links (meetingday.ratelimit).
    RATELIMIT_PASS = "120 per minute"     # per pass: its page, QR code, live parts, check-in state
    RATELIMIT_FAILURES = "30 per minute"  # per address: links to no live pass, forged hall codes
    RATELIMIT_SWALLOW_ERRORS = True   # a broken limit store never blocks a check-in
    # Live pushes run off the request; changes within this many seconds of a push share the next.
    LIVE_PUSH_INTERVAL = 0.25
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host (0: none), so that
    # rate limits see each phone's own address rather than the proxy's.
    PROXY_HOPS = 0
    # The brake on password guessing (services/login_brake.py): failed logins per account and per
    # client address, as Flask-Limiter limits; while one is full, logins there wait.
    RATELIMIT_LOGIN_ACCOUNT = "5 per 5 minutes; 10 per 30 minutes"
    RATELIMIT_LOGIN_ADDRESS = "20 per 5 minutes; 60 per hour"
    # Pages, fragments and JSON compressed per answer (Flask-Compress), brotli over HTTPS (browsers
    # offer it only there), else gzip; answers streamed from files (downloads) are left alone.
    # Static files are compressed once, at start (meetingday/static_files.py).
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_STREAMS = False

    @classmethod
    def from_environment(cls, instance_path: Path, demo: bool = False) -> dict:
        private_folder(instance_path)  # the database, the secret key: the server's account only
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        values["SQLALCHEMY_DATABASE_URI"] = _database_url(instance_path, demo)
        values["SECRET_KEY"] = _secret_key(instance_path)
        values["SOCKETIO_MESSAGE_QUEUE"] = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
        # `meetingday serve` sets "gevent" after patching the standard library (meetingday.launch);
        # everything else (tests, `flask run`, other commands) runs threaded.
        values["SOCKETIO_ASYNC_MODE"] = (os.environ.get("SOCKETIO_ASYNC_MODE") or "threading").strip().lower()
        for name, read, meaning in _CHECKED:  # a mistyped value stops the start, in one line
            values[name] = _read_setting(name, values[name], read, meaning)
        # Counters shared by all server processes: in Redis when they share one, else in memory
        # (meetingday/limit_store.py: the memory store with its clean-up done seldom).
        queue = values["SOCKETIO_MESSAGE_QUEUE"] or ""
        values["RATELIMIT_STORAGE_URI"] = (os.environ.get("RATELIMIT_STORAGE_URI")
                                           or (queue if queue.startswith(("redis://", "rediss://"))
                                               else "swept-memory://"))
        values["FILES_FOLDER"] = (os.environ.get("FILES_FOLDER") or "").strip() or None
        values["PUBLIC_BASE_URL"] = (os.environ.get("PUBLIC_BASE_URL") or "").rstrip("/") or None
        if values["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            # Several threads serve requests; wait for the writer instead of failing.
            values["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
        return values
