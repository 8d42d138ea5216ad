"""The speaker queue as staff see it (the chair's and the secretary's screens), and what the
projector's and the phones' speaker regions are drawn from (``queue_context``).

- ``speakers/_queue.html`` ``#speaker-queue``: the line, who has the floor, who has spoken (topic speakers).
- ``speakers/_fairness.html`` ``#speaker-fairness``: who has spoken how often, per unit (speakers).
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import speaker_queue

LIMIT_CHOICES = (1, 2, 3, 4, 5, 7, 10, 15)


def queue_context(meeting: Meeting, staff: bool = False) -> dict:
    """What the speaker fragments show; the staff list also gets who has spoken and who can be
    put back (the projector and the phones need neither)."""
    items = [i for i in meeting.items if speaker_queue.has_queue(i)]
    item = speaker_queue.queue_item(meeting)
    if item is None:
        return {"meeting": meeting, "item": None, "items": items}
    line = speaker_queue.waiting(item)
    context = {"meeting": meeting, "item": item, "items": items, "current": speaker_queue.speaking(item), "line": line,
               "open": speaker_queue.is_open(item), "is_current_item": meeting.current_item is item,
               "on_break": meeting.break_started_at is not None}
    if staff:
        last = speaker_queue.last_done(item)
        context.update(done=speaker_queue.finished(item), last=last,
                       can_put_back=speaker_queue.can_put_back(item, last, line))
    return context


@live.region(topics.SPEAKERS, audience="staff", target="#speaker-queue")
def render_queue(meeting: Meeting, oob: bool = False, read: int | None = None) -> str:
    return render_template("speakers/_queue.html", limits=LIMIT_CHOICES, oob=oob, read=read,
                           **queue_context(meeting, staff=True))


@live.region(topics.SPEAKERS, audience="staff", target="#speaker-fairness")
def render_fairness(meeting: Meeting, oob: bool = False, read: int | None = None) -> str:
    return render_template("speakers/_fairness.html", meeting=meeting, view=speaker_queue.fairness(meeting), oob=oob,
                           read=read)
