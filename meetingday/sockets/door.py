"""The door's scans over its live connection (Socket.IO), as well as over HTTP.

The door screen is connected for its live panels already. A scan sent as the event
``door:scan`` with ``{"meeting": id, "code": what was read, "nonce": ..., "scanned_at": ms or
null}`` is checked in exactly as ``POST /meetings/<id>/door/scan`` does it (the same service,
batched with the other scans that arrive meanwhile, the same rules and answer), without a new
HTTP request, cookie, CSRF token and form per scan: a signed-in HTTP request costs the server
more than the scan itself (docs/benchmarks.md, "Check-in burst"). The acknowledgement is
``{"outcome": "ok" | "repeat" | "error", "status": 200 | 4xx, "html": the #door-result fragment}``,
``{"outcome": null, "status": 401 | 403}`` when the connection is not door staff's or its
session has ended since it connected (a logout, a new password, a disabled account: the screen
then keeps the scan and says to log in, as for HTTP), ``{"outcome": null, "status": 503}``
while the database does not answer (the screen keeps the scan and says so), or ``{"outcome":
null, "status": 500}`` when the server failed on it (the screen tries again later). The
connection's own Origin check (same origin only) is what a CSRF token is for HTTP.

The event is not run in a Flask request context (extensions.SocketIO.on_plain): what it needs of
the connection's handshake, the account of its session, is kept with the language its page
shows (its ``auth.locale``) when the connection is admitted (``remember_connection``, from
sockets/rooms.py), and the scan is checked in within an app context in that language.
"""
from __future__ import annotations

from flask import request
from flask_babel import force_locale
from flask_login import current_user

from ..access import DOOR
from ..errors import DomainError, database_lost
from ..extensions import db, socketio
from ..regions.checkin import render_result
from ..services import checkin_batch
from ..services.checkin import scanned_at

CONNECTION = "meetingday.connection"  # the key in the connection's WSGI environ


def remember_connection(locale: str) -> None:
    """Keep, for this connection's events, the account of its session (the copy taken when it
    connected, as Flask-SocketIO's sessions are) and the language its page said it shows, in
    the environ of its handshake, which python-socketio keeps for the connection's life."""
    signed_in = current_user.is_authenticated  # a session still valid (access._load_user)
    request.environ[CONNECTION] = {"user_id": current_user.id if signed_in else None,
                                   "session_version": current_user.session_version if signed_in else None,
                                   "locale": locale}


def _text(value, limit: int = 400) -> str | None:
    """A string as sent, cut one past `limit`, so that the service still refuses one too long."""
    return value[:limit + 1] if isinstance(value, str) else None


@socketio.on_plain("door:scan")
def on_scan(sid: str, data=None):
    """One scan; the account is the connection's, checked with the batch."""
    environ = socketio.server.get_environ(sid)
    if not environ:
        return None  # gone already: nobody to answer
    known = environ.get(CONNECTION) or {}
    app = environ["flask.app"]
    with app.app_context(), force_locale(known.get("locale") or "vi"):
        try:
            return _scan(known.get("user_id"), known.get("session_version"),
                         data if isinstance(data, dict) else {}, environ.get("HTTP_HOST"))
        except Exception as e:  # answered at once, so that the door keeps the scan and tries later
            if database_lost(e):  # 503: the door says the server cannot record scans just now
                # the driver's words only: the statement's parameters may hold a pass token
                app.logger.warning("door:scan: database unreachable: %s",
                                   " ".join(str(getattr(e, "orig", e)).split())[:300])
            else:
                app.logger.exception("door:scan failed")
            try:
                db.session.rollback()
            except Exception:  # the database gone: the session is dropped with the app context
                app.logger.warning("door:scan: rollback failed", exc_info=not database_lost(e))
            return {"outcome": None, "status": 503 if database_lost(e) else 500}


def _scan(user_id: int | None, session_version: int | None, data: dict, host: str | None) -> dict:
    if user_id is None:
        return {"outcome": None, "status": 401}
    nonce = _text(data.get("nonce"), 64) or None
    try:
        try:
            meeting_id = int(data.get("meeting"))
        except (TypeError, ValueError):
            meeting_id = 0
        scan = checkin_batch.Scan(_text(data.get("code")) or "", nonce=nonce,
                                  at=scanned_at(data.get("scanned_at")), actor_id=user_id, roles=DOOR,
                                  session_version=session_version, host=host)
        result = checkin_batch.check_in_together(meeting_id, scan)
    except DomainError as e:
        db.session.rollback()
        if e.status in (401, 403):  # the session ended since the connection was let in; not door staff
            return {"outcome": None, "status": e.status}
        return {"outcome": "error", "status": e.status,
                "html": render_result("error", error=e, nonce=nonce or "")}
    outcome = "ok" if result.created else "repeat"
    return {"outcome": outcome, "status": 200, "html": render_result(outcome, result=result, nonce=nonce or "")}
