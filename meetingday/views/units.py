"""A reporting unit's submission link (/u/<token>): opened without an account, from the message
the Văn phòng sent. What the unit sends through it is recorded by the services of reports and
kiến nghị; who the unit is and whether the link works, by services/units.py."""
from __future__ import annotations

from flask import Blueprint, Response, render_template

from .. import ratelimit
from ..access import public
from ..services import units

bp = Blueprint("units", __name__)


def _private(html: str) -> Response:
    """The link is a credential: its pages stay out of shared caches."""
    return Response(html, headers={"Cache-Control": "private, no-store"})


@bp.get("/u/<token>")
@public
@ratelimit.public_link()
def show(token: str):
    link = units.find_link(token)
    unit = link.unit
    return _private(render_template("units/page.html", unit=unit, meeting=unit.meeting, token=link.token,
                                    deadline=units.deadline(unit.meeting), late=units.is_late(unit.meeting)))
