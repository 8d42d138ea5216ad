"""Rate limits per client on the public links (the pass and the hall code), with Flask-Limiter.

Limits come from the config (RATELIMIT_PASS, RATELIMIT_HALL; environment variables of the same
names override them) and are read on each request. Counters live in RATELIMIT_STORAGE_URI:
memory by default, the Redis of SOCKETIO_MESSAGE_QUEUE when several processes serve.
Under TESTING the limits are off unless RATELIMIT_IN_TESTS is set (the suite opens the same
pass from 127.0.0.1 many times a minute; tests of the limit itself turn it on).
"""
from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, strategy="moving-window")


def _exempt() -> bool:
    return bool(current_app.testing and not current_app.config.get("RATELIMIT_IN_TESTS"))


def pass_limit():
    """Decorator for the pass's public views."""
    return limiter.limit(lambda: current_app.config["RATELIMIT_PASS"], exempt_when=_exempt)


def hall_limit():
    """Decorator for the hall-code views."""
    return limiter.limit(lambda: current_app.config["RATELIMIT_HALL"], exempt_when=_exempt)


def init_app(app: Flask) -> None:
    limiter.init_app(app)  # the limits and their store come from meetingday.config
