"""The delegate's personal pass, opened from the QR code on the invitation."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from .. import ratelimit
from ..services import passes
from . import checkin as checkin_views
from .access import public

bp = Blueprint("passes", __name__)


@bp.get("/d/<token>")
@public
@ratelimit.pass_limit()
def show(token: str):
    pass_ = passes.find_pass(token)
    if request.args.get("part") == "programme":  # the live programme region, reloaded on reconnect
        from .display import pass_programme_response
        return pass_programme_response(pass_.invitee.meeting)
    checkin_views.complete_hall_visit(pass_)  # the hall code was scanned first: check in now
    response = Response(render_template("passes/pass.html", invitee=pass_.invitee, meeting=pass_.invitee.meeting,
                                        token=pass_.token))
    # The pass link is a credential: keep it out of shared caches and referrers.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return checkin_views.remember_pass(response, pass_.token)  # this phone keeps its pass for the hall code


@bp.get("/d/<token>/qr.svg")
@public
@ratelimit.pass_limit()
def qr(token: str):
    pass_ = passes.find_pass(token)
    return Response(passes.qr_svg(passes.pass_url(pass_.token)), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})
