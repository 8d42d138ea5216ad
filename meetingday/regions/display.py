"""The hall projector's regions (public: never the display key or a pass token), and the
secretariat's box for the display key.

- ``display/_main.html`` ``#display-main``: the current item, the programme, the closing
  conclusion (topics agenda, closing).
- ``display/_attendance.html`` ``#display-attendance``: có mặt X/Y and the check-in window (attendance).
- ``display/_speaker.html`` ``#display-speaker``: who speaks and who is next (speakers).
- ``display/_key_admin.html`` ``#display-key-admin``: the display key's link, rotate, revoke (not live).
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import attendance, checkin, display
from .speakers import queue_context

NEXT_ON_PROJECTOR = 3


@live.region(topics.AGENDA, audience="public", target="#display-main")
@live.region(topics.CLOSING, audience="public", target="#display-main")
def render_main(meeting: Meeting) -> str:
    return render_template("display/_main.html", meeting=meeting, view=display.flow_view(meeting))


@live.region(topics.ATTENDANCE, audience="public", target="#display-attendance")
def render_attendance(meeting: Meeting) -> str:
    return render_template("display/_attendance.html", counts=attendance.counts(meeting),
                           window=checkin.window_state(meeting))


@live.region(topics.SPEAKERS, audience="public", target="#display-speaker")
def render_speaker(meeting: Meeting) -> str:
    return render_template("display/_speaker.html", show=NEXT_ON_PROJECTOR, **queue_context(meeting))


def render_key_admin(meeting: Meeting) -> str:
    return render_template("display/_key_admin.html", meeting=meeting)
