"""The hall projector and the JSON state, opened by the meeting's revocable display key; the
delegate's live programme; the secretariat's buttons for the display key.

Public regions go to every projector and phone of the meeting, so they never carry the display
key or a pass token: they reload themselves with a relative ``data-live-src="?part=..."``, which
the browser resolves against the page's own (key- or token-bearing) address.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from .. import live, topics
from ..errors import DomainError
from ..extensions import htmx
from ..models import Meeting, Role
from ..services import attendance, checkin, display, meetings
from .access import public, roles_required
from .speakers import render_display_speaker

bp = Blueprint("display", __name__)
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


# --------------------------------------------------------------------------- regions

def render_main(meeting: Meeting) -> str:
    return render_template("display/_main.html", meeting=meeting, view=display.flow_view(meeting))


def render_attendance(meeting: Meeting) -> str:
    return render_template("display/_attendance.html", counts=attendance.counts(meeting),
                           window=checkin.window_state(meeting))


def render_pass_programme(meeting: Meeting) -> str:
    return render_template("passes/_programme.html", meeting=meeting, view=display.flow_view(meeting),
                           status=display.item_status)


@live.region(topics.AGENDA, audience="public", target="#display-main")
@live.region(topics.CLOSING, audience="public", target="#display-main")
def _live_main(meeting: Meeting) -> str:
    return render_main(meeting)


@live.region(topics.ATTENDANCE, audience="public", target="#display-attendance")
def _live_attendance(meeting: Meeting) -> str:
    return render_attendance(meeting)


@live.region(topics.AGENDA, audience="public", target="#pass-programme")
@live.region(topics.CLOSING, audience="public", target="#pass-programme")
def _live_pass_programme(meeting: Meeting) -> str:
    return render_pass_programme(meeting)


# A revoked key: the open projector reloads its main region, which then answers "reload the
# page", which finds nothing. (Phones have no such region and ignore it.)
live.fetched(topics.DISPLAY_KEY, "#display-main")


@bp.app_context_processor
def _flow_helpers() -> dict:
    """For fragments included by pages of other areas (the pass page includes the programme)."""
    return {"flow_view": display.flow_view, "item_status": display.item_status, "display_url": display.display_url}


PARTS = {"main": render_main, "attendance": render_attendance, "speaker": render_display_speaker}


# --------------------------------------------------------------------------- the projector

@bp.get("/display/<key>")
@public
def show(key: str):
    part = request.args.get("part")
    try:
        meeting = display.find_meeting(key)
    except DomainError:
        if htmx and part:  # a revoked key: the open projector reloads and finds nothing
            return "", 404, {"HX-Refresh": "true", **NO_STORE}
        raise
    if part in PARTS:
        return PARTS[part](meeting), 200, NO_STORE
    html = render_template("display/page.html", meeting=meeting, display_key=key,
                           main=render_main(meeting), attendance_region=render_attendance(meeting),
                           speaker=render_display_speaker(meeting))
    return html, 200, NO_STORE


@bp.get("/display/<key>/state.json")
@public
def state(key: str):
    meeting = display.find_meeting(key)
    response = jsonify(display.state(meeting))
    response.headers.update(NO_STORE)
    return response


# --------------------------------------------------------------------------- the display key (secretariat)

def render_key_admin(meeting: Meeting) -> str:
    return render_template("display/_key_admin.html", meeting=meeting)


@bp.post("/meetings/<int:meeting_id>/display-key")
@roles_required(Role.ADMIN)
def rotate_key(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    display.rotate_display_key(meeting)
    return render_key_admin(meeting)


@bp.post("/meetings/<int:meeting_id>/display-key/revoke")
@roles_required(Role.ADMIN)
def revoke_key(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    display.revoke_display_key(meeting)
    return render_key_admin(meeting)
