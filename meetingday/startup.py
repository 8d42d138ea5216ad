"""What `serve` and `demo` make sure of before serving, each fault said in one line and the
process ended (exit status 1) rather than a traceback: one server process per SQLite file, a
database that answers, and a message queue that answers.

- **One process per SQLite file.** The server holds an exclusive lock (flock) on a file beside
  the database (`<database>.lock`) for as long as it runs; the system lets go of it when the
  process ends, however it ends (kill -9 too). A second `serve` or `demo` on the same file finds
  it taken and says what to use for several processes instead. Short commands (create-user,
  export-passes) do not take it: they may run beside the server.
- **The database.** A database that cannot be reached (nothing listening, a wrong password, an
  SQLite file that cannot be opened) is named, without its password, with what to check.
- **The message queue.** SOCKETIO_MESSAGE_QUEUE on Redis is asked to answer (PING) at start:
  without it the processes' live pushes would be lost in silence.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from .errors import database_lost
from .private_files import create_private, sqlite_path

_held: list[int] = []  # the lock file's descriptor, open for the life of the process


class Fault(SystemExit):
    """Ends the command with one line on stderr and exit status 1."""

    def __init__(self, message: str):
        super().__init__(f"meetingday: {message}")


def one_server_per_sqlite_file(url: str) -> None:
    """Hold the SQLite database's lock for the life of this process, or end it saying why."""
    path = sqlite_path(url)
    if path is None or _held:
        return
    lock = path.with_name(path.name + ".lock")
    try:
        fd = create_private(lock)
    except OSError:
        return  # its folder is missing or not writable: opening the database says so
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        by = f" (process {holder})" if holder.isdigit() else ""
        raise Fault(f"the SQLite database {path} is already served by another meetingday process{by}. "
                    "SQLite is for one server process: stop the other one, or, to run several, use "
                    "PostgreSQL (DATABASE_URL=postgresql://...) and Redis "
                    "(SOCKETIO_MESSAGE_QUEUE=redis://...).") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    _held.append(fd)


@contextlib.contextmanager
def reachable_database(url: str):
    """Around the first use of the database: one that cannot be reached ends the command."""
    try:
        yield
    except DBAPIError as e:
        if not database_lost(e):
            raise
        reason = _first_line(e.orig) or type(e.orig).__name__
        if sqlite_path(url) is not None:
            raise Fault(f"cannot open the SQLite database {sqlite_path(url)} ({reason}). Check that its "
                        "folder exists and that this account may read and write it, or set "
                        "DATABASE_URL.") from None
        shown = make_url(url).render_as_string(hide_password=True)
        raise Fault(f"cannot reach the database {shown} ({reason}). Check that the database server "
                    "runs and accepts connections there, and that DATABASE_URL (DEMO_DATABASE_URL "
                    "for the demo) names the right host, port, database, user and password.") from None


def message_queue_answers(url: str | None) -> None:
    """SOCKETIO_MESSAGE_QUEUE on Redis answers a PING, or the command ends saying so."""
    if not url or not url.startswith(("redis://", "rediss://", "unix://")):
        return
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as e:
        raise Fault(f"cannot reach the message queue SOCKETIO_MESSAGE_QUEUE={_without_password(url)} "
                    f"({_first_line(e) or type(e).__name__}). Check that Redis runs there, or leave "
                    "SOCKETIO_MESSAGE_QUEUE unset to serve from this one process.") from None


def _first_line(error) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else ""


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))
