"""A phone's visit at the hall code, carried by two cookies from the hall code to the pass.

A delegate who scans the hall code (views/checkin.py, ``/h/<meeting>/<code>``) with a phone that
opened its pass before (``PASS_COOKIE``, the pass's token) is checked in at once. A phone
without one is asked to open the pass from the invitation; the hall code it saw is kept, signed,
for a few minutes (``VISIT_COOKIE``), and opening the pass (views/passes.py) finishes the
check-in (``complete``).
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, after_this_request, current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from . import ratelimit
from .errors import DomainError
from .extensions import db
from .models import PassToken
from .services import checkin, passes

PASS_COOKIE = "md_pass"        # the pass this phone opened (its token), for the hall code
VISIT_COOKIE = "md_hall"       # a hall code seen before any pass, signed, for a few minutes
PASS_COOKIE_DAYS = 30
VISIT_SECONDS = 10 * 60


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="hall-visit")


def remembered_token() -> str:
    """The token of the pass this phone opened before, as its cookie says."""
    return request.cookies.get(PASS_COOKIE, "")


def remembered_pass(meeting_id: int) -> PassToken | None:
    """The pass this phone opened before, if it is one of this meeting's. A cookie naming a
    revoked pass (reissued since) is dropped, and the phone answered as one without a pass;
    only a token that names no pass counts as a failed link against this address
    (ratelimit.failed): a hall of phones keeping last week's pass is not a guesser."""
    token = remembered_token()
    if not token:
        return None
    try:
        pass_ = passes.find_pass(token)
    except DomainError as e:
        if e.code != "pass_revoked":
            ratelimit.failed(e)
        elif not g.get("pass_forgotten"):
            g.pass_forgotten = True
            after_this_request(_forget_pass)
        return None
    return pass_ if pass_.invitee.meeting_id == meeting_id else None


def _forget_pass(response: Response) -> Response:
    response.delete_cookie(PASS_COOKIE, httponly=True, samesite="Lax", secure=request.is_secure)
    return response


def begin(response: Response, meeting_id: int, code: str) -> Response:
    """Keep the hall code this phone saw, until it opens its pass."""
    visit = _serializer().dumps({"m": meeting_id, "c": code, "t": int(datetime.now(UTC).timestamp())})
    response.set_cookie(VISIT_COOKIE, visit, max_age=VISIT_SECONDS, httponly=True, samesite="Lax",
                        secure=request.is_secure)
    return response


def complete(pass_: PassToken) -> None:
    """On opening a pass: finish a check-in begun at the hall code a few minutes ago."""
    raw = request.cookies.get(VISIT_COOKIE)
    if not raw:
        return
    try:
        visit = _serializer().loads(raw, max_age=VISIT_SECONDS)
        meeting_id, code, seen_at = int(visit["m"]), str(visit["c"]), float(visit["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        g.hall_visit_done = True  # a broken cookie is dropped
        return
    if meeting_id != pass_.invitee.meeting_id:
        return
    g.hall_visit_done = True
    try:
        checkin.self_check_in(pass_.token, meeting_id, code, seen_at=seen_at)
    except DomainError as e:
        db.session.rollback()
        g.hall_error = e


def remember_pass(response: Response, token: str) -> Response:
    """This phone remembers its pass (for the hall code); a finished hall visit is forgotten."""
    response.set_cookie(PASS_COOKIE, token, max_age=PASS_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=request.is_secure)
    if g.get("hall_visit_done"):
        response.delete_cookie(VISIT_COOKIE)
    return response
