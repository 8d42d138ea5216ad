"""The chair's tablet: the programme, the timers and the buttons that move the meeting on.

Every button carries the meeting version the screen saw; the service refuses a stale one
(409, code "stale") and the error handler then asks live.js to reload the regions. A change that
goes through answers with the fresh regions (out-of-band) and is pushed to every other screen.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from .. import live, topics
from ..models import Meeting, Role
from ..services import attendance, display, flow, meetings, speakers
from ..timeutil import epoch_ms, utcnow
from . import speakers as speaker_views
from .access import roles_required

bp = Blueprint("chair", __name__, url_prefix="/meetings/<int:meeting_id>")
CHAIR = (Role.CHAIR,)
BREAK_PRESETS = (5, 10, 15)


# --------------------------------------------------------------------------- regions

def render_controls(meeting: Meeting, oob: bool = False, read: int | None = None) -> str:
    return render_template("chair/_controls.html", meeting=meeting, view=display.flow_view(meeting),
                           presets=BREAK_PRESETS, max_break=flow.MAX_BREAK_MINUTES, oob=oob, read=read)


def render_programme(meeting: Meeting, oob: bool = False) -> str:
    return render_template("chair/_programme.html", meeting=meeting, view=display.flow_view(meeting),
                           status=display.item_status, oob=oob)


def render_attendance(meeting: Meeting) -> str:
    return render_template("chair/_attendance.html", meeting=meeting, counts=attendance.counts(meeting))


@live.region(topics.AGENDA, audience="staff", target="#chair-controls")
def _live_controls(meeting: Meeting) -> str:
    return render_controls(meeting)


@live.region(topics.AGENDA, audience="staff", target="#chair-programme")
def _live_programme(meeting: Meeting) -> str:
    return render_programme(meeting)


@live.region(topics.ATTENDANCE, audience="staff", target="#chair-attendance")
def _live_attendance(meeting: Meeting) -> str:
    return render_attendance(meeting)


# --------------------------------------------------------------------------- pages and fragments

@bp.get("/chair")
@roles_required(*CHAIR)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_template("chair/page.html", meeting=meeting, controls=render_controls(meeting),
                           programme=render_programme(meeting), attendance_region=render_attendance(meeting),
                           queue=speaker_views.render_queue(meeting), fairness=speaker_views.render_fairness(meeting),
                           kien_nghi=speakers.meeting_kien_nghi(meeting))


@bp.get("/chair/controls")
@roles_required(*CHAIR)
def controls(meeting_id: int):
    return render_controls(meetings.get_meeting(meeting_id))


@bp.get("/chair/programme")
@roles_required(*CHAIR)
def programme(meeting_id: int):
    return render_programme(meetings.get_meeting(meeting_id))


@bp.get("/chair/attendance")
@roles_required(*CHAIR)
def attendance_count(meeting_id: int):
    return render_attendance(meetings.get_meeting(meeting_id))


# --------------------------------------------------------------------------- actions

def _done(meeting: Meeting):
    """The fresh regions, swapped out-of-band (the buttons use hx-swap="none"), stamped with the
    time before they were read (live.js keeps a newer push over an older answer)."""
    read = epoch_ms(utcnow())
    return render_controls(meeting, oob=True, read=read) + render_programme(meeting, oob=True)


def _version():
    return request.form.get("version")


def _user():
    return current_user._get_current_object()


@bp.post("/live/start")
@roles_required(*CHAIR)
def start(meeting_id: int):
    return _done(flow.start_meeting(meeting_id, _version(), _user()))


@bp.post("/live/next")
@roles_required(*CHAIR)
def next_(meeting_id: int):
    return _done(flow.next_item(meeting_id, _version(), _user()))


@bp.post("/live/previous")
@roles_required(*CHAIR)
def previous(meeting_id: int):
    return _done(flow.previous_item(meeting_id, _version(), _user()))


@bp.post("/live/jump/<int:item_id>")
@roles_required(*CHAIR)
def jump(meeting_id: int, item_id: int):
    return _done(flow.jump_to(meeting_id, item_id, _version(), _user()))


@bp.post("/live/break")
@roles_required(*CHAIR)
def break_(meeting_id: int):
    return _done(flow.start_break(meeting_id, _version(), request.form.get("minutes", ""), _user()))


@bp.post("/live/resume")
@roles_required(*CHAIR)
def resume(meeting_id: int):
    return _done(flow.end_break(meeting_id, _version(), _user()))


@bp.post("/live/end")
@roles_required(*CHAIR)
def end(meeting_id: int):
    return _done(flow.end_meeting(meeting_id, _version(), _user()))
