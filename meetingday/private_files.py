"""Files only the server's account may read: the instance folder (0700) and the SQLite database
with its -wal, -shm and -journal files (0600). They hold password hashes, pass tokens and
phone numbers.

SQLite creates a database file as 0644 less the umask, and its -wal and -shm files with the
mode of the database file (it sets that mode itself, whatever the umask). So the database file
is created here, 0600, before SQLite opens it, and an existing one (from a version that left it
readable) is made 0600 again, with whatever -wal/-shm/-journal lie beside it; from then on
SQLite's own files follow it.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(path: Path) -> None:
    """Create `path` readable by its owner only, or make an existing one so."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(path, FOLDER_MODE)


def create_private(path: Path) -> int:
    """Open `path` for writing, created 0600 if missing (and made so if not): a file descriptor."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    _tighten(path, FILE_MODE)
    return fd


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite database URL; None for another database or one in memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:" \
            or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database).absolute()


def private_sqlite(url: str) -> None:
    """The SQLite database of `url` and its companion files 0600 (created so when missing, if
    its folder exists: otherwise SQLite says it cannot open it).

    An existing database file is never opened here, only its mode changed: it runs before each
    new connection, and closing any descriptor of the file drops every POSIX lock this process
    holds on it, the shared locks of its open SQLite connections included. Another process (a
    command run beside the server) closing its last connection would then take the database for
    unused, checkpoint and delete the -wal file the server still writes to, and what the server
    wrote after that would be lost."""
    path = sqlite_path(url)
    if path is None or not path.parent.is_dir():
        return
    if not path.exists():
        try:
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE))
        except FileExistsError:
            pass  # created meanwhile by another process: made private below
        except OSError:
            return  # not ours to create here: SQLite says so when it opens it
    _tighten(path, FILE_MODE)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _tighten(companion, FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:  # another account's folder or file: leave it as its owner set it
        pass
