"""A brake on password guessing: failed logins counted per account and per client address.

The counts live in Flask-Limiter's store (meetingday.ratelimit: memory, or the Redis that
several server processes share), as moving windows read from the config: RATELIMIT_LOGIN_ACCOUNT
(default "5 per 5 minutes; 10 per 30 minutes") and RATELIMIT_LOGIN_ADDRESS ("20 per 5 minutes;
60 per hour"), each a list of Flask-Limiter limits. While any of them is full, a login for that
account, or from that address, is refused before the password is read, the right one included
(else a guesser would learn it was right), with the minutes until the oldest failure in the
full window has aged out. Each longer window makes a longer wait: five quick mistakes cost at
most five minutes, ten within half an hour at most half an hour. Someone guessing on keeps the
account braked while they go on (each freed place is theirs to fill again); the real user then
waits too, and sessions already open go on.

Only failures count: an account's attempt is counted as it is let in (so attempts at once
cannot slip past the limit together) and its count is cleared when the password is right; the
address's count grows with each failure and is not cleared by a success (one account of one's
own must not clear the brake on guessing the others). A broken store never blocks a login
(as RATELIMIT_SWALLOW_ERRORS for the other limits). Under TESTING the brake is off unless
RATELIMIT_IN_TESTS is set, as the other limits are.
"""
from __future__ import annotations

import math
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse_many

from ..errors import DomainError
from ..ratelimit import limiter, limits_off

ACCOUNT = "login-account"
ADDRESS = "login-address"


def _windows(setting: str, kind: str, who: str) -> list[tuple]:
    return [(item, kind, who) for item in parse_many(current_app.config[setting])]


def _account(username: str) -> list[tuple]:
    return _windows("RATELIMIT_LOGIN_ACCOUNT", ACCOUNT, (username or "").strip().lower()[:200])


def _address(address: str | None) -> list[tuple]:
    return _windows("RATELIMIT_LOGIN_ADDRESS", ADDRESS, address) if address else []


def locked(seconds: float) -> DomainError:
    return DomainError("login_locked",
                       _l("Đăng nhập sai quá nhiều lần. Xin thử lại sau %(minutes)d phút.",
                          minutes=max(1, math.ceil(seconds / 60))), status=429)


def _wait(windows: list[tuple]) -> float:
    """Seconds until every full window among these has room again (0: none is full)."""
    strategy, now, wait = limiter.limiter, time.time(), 0.0
    for item, *key in windows:
        if not strategy.test(item, *key):
            reset, _remaining = strategy.get_window_stats(item, *key)
            wait = max(wait, reset - now, 1.0)
    return wait


def let_in(username: str, address: str | None) -> None:
    """Before the password is checked: refuse while the account or the address is braked, else
    count the attempt against the account (cleared again by `succeeded`)."""
    if limits_off():
        return
    try:
        account = _account(username)
        wait = _wait(account + _address(address))
        if not wait:
            strategy = limiter.limiter
            if all([strategy.hit(item, *key) for item, *key in account]):
                return
            wait = _wait(account)  # attempts at once: another took the last place
    except Exception:  # noqa: BLE001 - the store is down: never block a login for that
        current_app.logger.exception("login brake: the limit store failed")
        return
    raise locked(wait)


def failed(address: str | None) -> None:
    """The password was wrong: count it against the address as well."""
    if limits_off():
        return
    try:
        for item, *key in _address(address):
            limiter.limiter.hit(item, *key)
    except Exception:  # noqa: BLE001
        current_app.logger.exception("login brake: the limit store failed")


def succeeded(username: str) -> None:
    """The password was right: the account's count starts again."""
    if limits_off():
        return
    try:
        for item, *key in _account(username):
            limiter.limiter.clear(item, *key)
    except Exception:  # noqa: BLE001
        current_app.logger.exception("login brake: the limit store failed")
