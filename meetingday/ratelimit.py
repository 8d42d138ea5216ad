"""Rate limits on the public links (the pass and the hall code), with Flask-Limiter: what an
attacker does is limited, not what a hall does.

A whole hall often reaches the server through one address (the venue's router, a carrier's NAT,
a proxy without PROXY_HOPS), so nothing here counts the requests of an address as such. Two
limits instead, both read from the config on each request (environment variables of the same
names override them):

- RATELIMIT_PASS, per pass: every request that names one pass (its page, QR code, live parts,
  check-in state, speaker requests, and the hall code opened by the phone that remembers it).
  It stops one phone (or a copied link) looping; a delegate opening the pass and reconnecting
  stays far below it. A link that is not a live pass is not counted here (no counter is made
  for a guessed token).
- RATELIMIT_FAILURES, per client address: the answers that say "no" to something a guess
  produces: a pass link whose token is unknown or revoked (at the hall code, a phone's cookie
  naming no pass at all) and a hall code that this server did not sign. Over the limit, such a
  request is answered 429 (refusals.py) instead of 404. An expired hall code is not counted:
  it was genuine, and a hall of phones reopening this morning's tab is not an attack.

Failures slow down only further failures. A valid pass from an address over its failure limit
is still served (within its own per-pass limit), so a hall behind the same NAT as someone
probing links keeps working. The price: each link is still looked up before it is known to be
a failure (as for a 404), and a prober over the limit could tell a pass (200) from a made-up
link (429). That is of no use: a token has 192 random bits, and at 1,000 guesses a second for a
whole day the chance of hitting one of 2,000 passes is below 10^-40. The other choice, refusing
every link from an address over its limit, would shut the hall behind it out with the prober.

Counters live in RATELIMIT_STORAGE_URI: this process's memory by default (swept-memory://,
limit_store.py), the Redis of SOCKETIO_MESSAGE_QUEUE when several processes serve (so that all of
them count together). A store that fails never refuses a request (RATELIMIT_SWALLOW_ERRORS).
Under TESTING the limits are off unless RATELIMIT_IN_TESTS is set (the suite opens the same pass
many times a minute; tests of the limits themselves turn them on).
"""
from __future__ import annotations

import hashlib
import logging
from functools import wraps

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.exceptions import TooManyRequests

from . import limit_store  # noqa: F401 - registers swept-memory:// with `limits`
from .errors import DomainError

log = logging.getLogger(__name__)

limiter = Limiter(key_func=get_remote_address, strategy="moving-window")

# What a guess produces: refusals counted against the address that asked.
FAILURES = frozenset({"pass_unknown", "pass_revoked", "hall_code_invalid"})


def limits_off() -> bool:
    """Under TESTING the limits (these and the login brake's) are off unless RATELIMIT_IN_TESTS."""
    return bool(current_app.testing and not current_app.config.get("RATELIMIT_IN_TESTS"))


def _token_in_path() -> str:
    return (request.view_args or {}).get("token") or ""


def _counted(_response) -> bool:
    """Only requests for a live pass count against it; a failure counts against the address."""
    return not g.get("link_failed")


def failed(error: DomainError) -> None:
    """Count this refusal against the client's address if it is a failure (FAILURES), once per
    request; over the limit, answer 429 instead."""
    if error.code not in FAILURES or g.get("link_failed"):
        return
    g.link_failed = True
    if limits_off():
        return
    try:
        allowed = limiter.limiter.hit(parse(current_app.config["RATELIMIT_FAILURES"]),
                                      "failures", get_remote_address())
    except Exception:  # a broken store never refuses anyone
        log.exception("rate limit store failed")
        return
    if not allowed:
        raise TooManyRequests()


def public_link(token=_token_in_path):
    """Decorator for the views of a pass link and of the hall code: the per-pass limit on the
    pass `token()` names (by default the one in the path), and the failures they raise counted
    per address (a view that answers a failure itself calls `failed`)."""
    def key() -> str:  # hashed: the counter's key in the store is not a credential
        value = token()
        return hashlib.blake2b(value.encode(), digest_size=12).hexdigest() if value else ""

    per_pass = limiter.shared_limit(lambda: current_app.config["RATELIMIT_PASS"], scope="pass", key_func=key,
                                    exempt_when=lambda: limits_off() or not token(), deduct_when=_counted)
    return lambda view: _counting_failures(per_pass(view))


def _counting_failures(view):
    @wraps(view)
    def counted(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DomainError as e:
            failed(e)
            raise
    return counted


def init_app(app: Flask) -> None:
    limiter.init_app(app)  # the limits and their store come from meetingday.config
