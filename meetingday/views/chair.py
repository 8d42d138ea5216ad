"""The chair's tablet: the programme, the timers and the buttons that move the meeting on. Its
regions are drawn by regions/chair.py (the speaker list by regions/speakers.py).

Every button carries the meeting version the screen saw; the service refuses a stale one
(409, code "stale") and the error handler then asks live.js to reload the regions. A change that
goes through answers with the fresh regions (out-of-band) and is pushed to every other screen.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..access import actor, roles_required
from ..models import Meeting, Role
from ..regions.chair import render_attendance, render_controls, render_programme
from ..regions.speakers import render_fairness, render_queue
from ..services import flow, meetings, speaker_queue
from ..timeutil import epoch_ms, utcnow

bp = Blueprint("chair", __name__, url_prefix="/meetings/<int:meeting_id>")
CHAIR = (Role.CHAIR,)


# --------------------------------------------------------------------------- pages and fragments

@bp.get("/chair")
@roles_required(*CHAIR)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_template("chair/page.html", meeting=meeting, controls=render_controls(meeting),
                           programme=render_programme(meeting), attendance_region=render_attendance(meeting),
                           queue=render_queue(meeting), fairness=render_fairness(meeting),
                           kien_nghi=speaker_queue.meeting_kien_nghi(meeting))


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



@bp.post("/live/start")
@roles_required(*CHAIR)
def start(meeting_id: int):
    return _done(flow.start_meeting(meeting_id, _version(), actor()))


@bp.post("/live/next")
@roles_required(*CHAIR)
def next_(meeting_id: int):
    return _done(flow.next_item(meeting_id, _version(), actor()))


@bp.post("/live/previous")
@roles_required(*CHAIR)
def previous(meeting_id: int):
    return _done(flow.previous_item(meeting_id, _version(), actor()))


@bp.post("/live/jump/<int:item_id>")
@roles_required(*CHAIR)
def jump(meeting_id: int, item_id: int):
    return _done(flow.jump_to(meeting_id, item_id, _version(), actor()))


@bp.post("/live/break")
@roles_required(*CHAIR)
def break_(meeting_id: int):
    return _done(flow.start_break(meeting_id, _version(), request.form.get("minutes", ""), actor()))


@bp.post("/live/resume")
@roles_required(*CHAIR)
def resume(meeting_id: int):
    return _done(flow.end_break(meeting_id, _version(), actor()))


@bp.post("/live/end")
@roles_required(*CHAIR)
def end(meeting_id: int):
    return _done(flow.end_meeting(meeting_id, _version(), actor()))
