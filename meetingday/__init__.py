"""meetingday: runs the day of a council conference."""
from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    # Imported lazily, so that `meetingday serve` can switch to gevent (meetingday.launch)
    # before Flask, ssl, threading or psycopg are imported.
    if name == "create_app":
        from .app import create_app
        return create_app
    raise AttributeError(f"module 'meetingday' has no attribute {name!r}")
