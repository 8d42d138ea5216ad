"""The `meetingday` command's entry point: picks the server's async mode before anything else
is imported, then hands over to the click group in meetingday.cli.

`serve` and `demo` run on gevent when it is installed (one OS thread; each connection is a
greenlet): measured on a 2-core machine with 1,000 Socket.IO clients it pushes a change to the
last client about twice as fast as threading mode, at less than half the memory per client, and
it has no per-client OS threads (see docs/benchmarks.md, "Live fan-out"). SOCKETIO_ASYNC_MODE=
threading keeps the threaded Werkzeug server instead. gevent needs the standard library patched
before ssl, threading, socket or psycopg are first imported, hence this module: it must import
nothing of the application at its top.
"""
from __future__ import annotations

import os
import sys

SERVING_COMMANDS = ("serve", "demo")


def async_mode_for(argv: list[str], environ=os.environ) -> str:
    """The async mode to serve in: SOCKETIO_ASYNC_MODE when set, else gevent when installed."""
    wanted = (environ.get("SOCKETIO_ASYNC_MODE") or "").strip().lower()
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in SERVING_COMMANDS or wanted == "threading":
        return "threading"
    try:
        import gevent  # noqa: F401
    except ImportError:
        if wanted == "gevent":
            sys.exit("meetingday: SOCKETIO_ASYNC_MODE=gevent but gevent is not installed "
                     "(pip install gevent).")
        return "threading"
    if wanted not in ("", "gevent"):
        sys.exit(f"meetingday: unknown SOCKETIO_ASYNC_MODE {wanted!r} (use gevent or threading).")
    return "gevent"


def main():
    if async_mode_for(sys.argv[1:]) == "gevent":
        from .listener import open_early
        open_early(sys.argv[1:])  # first of all: screens reconnecting while the server loads wait, not fail
        from gevent import monkey
        monkey.patch_all()
        os.environ["SOCKETIO_ASYNC_MODE"] = "gevent"
    from .cli import main as cli_main
    return cli_main()
