"""The hall projector and the JSON state, opened by the meeting's revocable display key; the
secretariat's buttons for the display key. The projector's regions are drawn by regions/display.py.

Public regions go to every projector and phone of the meeting, so they never carry the display
key or a pass token: they reload themselves with a relative ``data-live-src="?part=..."``, which
the browser resolves against the page's own (key- or token-bearing) address.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from ..access import public, roles_required
from ..errors import DomainError
from ..extensions import htmx
from ..models import Role
from ..regions.display import render_attendance, render_key_admin, render_main, render_speaker
from ..services import agenda, display, display_key, meetings

bp = Blueprint("display", __name__)
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


@bp.app_context_processor
def _flow_helpers() -> dict:
    """For fragments included by pages of other areas (the pass page includes the programme)."""
    return {"flow_view": display.flow_view, "item_status": display.item_status, "display_url": display_key.display_url,
            "planned_times": agenda.planned_times}


PARTS = {"main": render_main, "attendance": render_attendance, "speaker": render_speaker}


# --------------------------------------------------------------------------- the projector

@bp.get("/display/<key>")
@public
def show(key: str):
    part = request.args.get("part")
    try:
        meeting = display_key.find_meeting(key)
    except DomainError:
        if htmx and part:  # a revoked key: the open projector reloads and finds nothing
            return "", 404, {"HX-Refresh": "true", **NO_STORE}
        raise
    if part in PARTS:
        return PARTS[part](meeting), 200, NO_STORE
    html = render_template("display/page.html", meeting=meeting, display_key=key,
                           main=render_main(meeting), attendance_region=render_attendance(meeting),
                           speaker=render_speaker(meeting))
    return html, 200, NO_STORE


@bp.get("/display/<key>/state.json")
@public
def state(key: str):
    meeting = display_key.find_meeting(key)
    response = jsonify(display.state(meeting))
    response.headers.update(NO_STORE)
    return response


# --------------------------------------------------------------------------- the display key (secretariat)

@bp.post("/meetings/<int:meeting_id>/display-key")
@roles_required(Role.ADMIN)
def rotate_key(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    display_key.rotate_display_key(meeting)
    return render_key_admin(meeting)


@bp.post("/meetings/<int:meeting_id>/display-key/revoke")
@roles_required(Role.ADMIN)
def revoke_key(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    display_key.revoke_display_key(meeting)
    return render_key_admin(meeting)
