"""The delegate's personal pass, opened from the QR code on the invitation."""
from __future__ import annotations

from flask import Blueprint, Response, render_template

from ..services import passes
from .access import public

bp = Blueprint("passes", __name__)


@bp.get("/d/<token>")
@public
def show(token: str):
    pass_ = passes.find_pass(token)
    response = Response(render_template("passes/pass.html", invitee=pass_.invitee, meeting=pass_.invitee.meeting,
                                        token=pass_.token))
    # The pass link is a credential: keep it out of shared caches and referrers.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/d/<token>/qr.svg")
@public
def qr(token: str):
    pass_ = passes.find_pass(token)
    return Response(passes.qr_svg(passes.pass_url(pass_.token)), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})
