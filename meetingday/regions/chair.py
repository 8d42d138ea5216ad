"""The chair's tablet: the buttons that move the meeting on, the programme, the count of who is here.

- ``chair/_controls.html`` ``#chair-controls``: the current item, its timer, start / next /
  break / end, each carrying the meeting version the screen saw (topic agenda).
- ``chair/_programme.html`` ``#chair-programme``: the programme as held (agenda).
- ``chair/_attendance.html`` ``#chair-attendance``: có mặt X/Y (attendance).

The chair's speaker list is the staff one (regions/speakers.py).
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import attendance, display, flow

BREAK_PRESETS = (5, 10, 15)


@live.region(topics.AGENDA, audience="staff", target="#chair-controls")
def render_controls(meeting: Meeting, oob: bool = False, read: int | None = None) -> str:
    return render_template("chair/_controls.html", meeting=meeting, view=display.flow_view(meeting),
                           presets=BREAK_PRESETS, max_break=flow.MAX_BREAK_MINUTES, oob=oob, read=read)


@live.region(topics.AGENDA, audience="staff", target="#chair-programme")
def render_programme(meeting: Meeting, oob: bool = False) -> str:
    return render_template("chair/_programme.html", meeting=meeting, view=display.flow_view(meeting),
                           status=display.item_status, oob=oob)


@live.region(topics.ATTENDANCE, audience="staff", target="#chair-attendance")
def render_attendance(meeting: Meeting) -> str:
    return render_template("chair/_attendance.html", meeting=meeting, counts=attendance.counts(meeting))
