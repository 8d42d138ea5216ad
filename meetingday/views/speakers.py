"""The speaker queue's page and buttons for the chair and the secretary. What the queue looks like
on each screen is drawn by regions/speakers.py (staff), regions/display.py (the projector) and
regions/passes.py (the phones).

Staff buttons name what they act on (the request, and for "give the floor" who the screen saw
speaking); the service refuses a doubled or stale tap (409) and the error handler asks live.js to
reload the regions. A change that goes through answers with the fresh staff regions
(out-of-band) and is pushed to every other screen.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..access import actor, roles_required
from ..models import Role
from ..regions.speakers import render_fairness, render_queue
from ..services import invitees, meetings, speaker_queue, speakers
from ..timeutil import epoch_ms, utcnow

bp = Blueprint("speakers", __name__, url_prefix="/meetings/<int:meeting_id>")
CHAIR = (Role.CHAIR,)
DESK = (Role.CHAIR, Role.SECRETARY)


# --------------------------------------------------------------------------- pages and fragments

@bp.get("/speakers")
@roles_required(*DESK)
def page(meeting_id: int):
    """The secretary's (and chair's) list: add raised hands, see the line and who has spoken."""
    meeting = meetings.get_meeting(meeting_id)
    return render_template("speakers/page.html", meeting=meeting, queue=render_queue(meeting),
                           fairness=render_fairness(meeting), kien_nghi=speaker_queue.meeting_kien_nghi(meeting),
                           can_chair=current_user.has_role(*CHAIR))


@bp.get("/speakers/queue")
@roles_required(*DESK)
def queue(meeting_id: int):
    return render_queue(meetings.get_meeting(meeting_id))


@bp.get("/speakers/fairness")
@roles_required(*DESK)
def fairness(meeting_id: int):
    return render_fairness(meetings.get_meeting(meeting_id))


@bp.get("/speakers/people")
@roles_required(*DESK)
def people(meeting_id: int):
    """Those present who match the search, to add to the line with one tap."""
    meeting = meetings.get_meeting(meeting_id)
    query = request.args.get("q", "")
    found = [p for p in invitees.search(meeting, query) if p.present_checkin is not None]
    return render_template("speakers/_people.html", meeting=meeting, people=found[:12], query=query,
                           more=max(0, len(found) - 12))


# --------------------------------------------------------------------------- actions

def _done(meeting_id: int):
    """The fresh staff regions, swapped out-of-band, stamped with the time before they were read
    (live.js keeps a newer push over an older answer)."""
    read = epoch_ms(utcnow())
    meeting = meetings.get_meeting(meeting_id)
    return render_queue(meeting, oob=True, read=read) + render_fairness(meeting, oob=True, read=read)



def _form(name: str, default: str = "") -> str:
    return request.form.get(name, default)


@bp.post("/speakers/add")
@roles_required(*DESK)
def add(meeting_id: int):
    """Add someone present to the queue the screens show now (the one this screen showed)."""
    speakers.add_speaker(meeting_id, _form("queue_item"), _form("invitee_id"), kind=_form("kind", "remark"),
                         topic=_form("topic"), kien_nghi_id=_form("kien_nghi") or None,
                         front=_form("front") in ("1", "on", "true"), shown=True, actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/items/<int:item_id>/open")
@roles_required(*CHAIR)
def open_(meeting_id: int, item_id: int):
    speakers.open_queue(meeting_id, item_id, actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/items/<int:item_id>/close")
@roles_required(*CHAIR)
def close(meeting_id: int, item_id: int):
    speakers.close_queue(meeting_id, item_id, actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/items/<int:item_id>/limit")
@roles_required(*CHAIR)
def item_limit(meeting_id: int, item_id: int):
    speakers.set_item_limit(meeting_id, item_id, _form("minutes"), seen=_form("seen_minutes"), actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/items/<int:item_id>/reorder")
@roles_required(*CHAIR)
def reorder(meeting_id: int, item_id: int):
    """A drag on the chair's list: the new order and the one the screen showed before it."""
    speakers.reorder(meeting_id, item_id, request.form.getlist("order"), seen=request.form.getlist("line"),
                     actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/<int:request_id>/floor")
@roles_required(*CHAIR)
def floor(meeting_id: int, request_id: int):
    speakers.give_floor(meeting_id, request_id, _form("current"), actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/<int:request_id>/end")
@roles_required(*CHAIR)
def end(meeting_id: int, request_id: int):
    speakers.end_speech(meeting_id, request_id, actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/<int:request_id>/pause")
@roles_required(*CHAIR)
def pause(meeting_id: int, request_id: int):
    speakers.pause_speech(meeting_id, request_id, actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/<int:request_id>/resume")
@roles_required(*CHAIR)
def resume(meeting_id: int, request_id: int):
    speakers.resume_speech(meeting_id, request_id, actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/<int:request_id>/put-back")
@roles_required(*CHAIR)
def put_back(meeting_id: int, request_id: int):
    speakers.put_back(meeting_id, request_id, actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/<int:request_id>/move")
@roles_required(*CHAIR)
def move(meeting_id: int, request_id: int):
    try:
        offset = -1 if int(_form("offset")) < 0 else 1
    except ValueError:
        offset = 1
    speakers.move(meeting_id, request_id, offset, request.form.getlist("line"), actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/<int:request_id>/limit")
@roles_required(*CHAIR)
def limit(meeting_id: int, request_id: int):
    speakers.set_time_limit(meeting_id, request_id, _form("minutes"), seen=_form("seen_minutes"), actor=actor())
    return _done(meeting_id)


@bp.post("/speakers/<int:request_id>/withdraw")
@roles_required(*DESK)
def withdraw(meeting_id: int, request_id: int):
    speakers.withdraw(meeting_id, request_id, actor=actor())
    return _done(meeting_id)
