"""The attendance panel (có mặt X/Y, per group and unit, the latest arrivals), on the attendance
page and the door screen.

- ``attendance/_panel.html`` ``#attendance-panel``: pushed to staff on every check-in (topic attendance).
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import attendance


@live.region(topics.ATTENDANCE, audience="staff", target="#attendance-panel")
def render_panel(meeting: Meeting, refresh: bool = True) -> str:
    """The panel; with `refresh`, swapping it in also reloads the page's list of who is not here."""
    return render_template("attendance/_panel.html", meeting=meeting, counts=attendance.counts(meeting),
                           recent=attendance.recent(meeting),
                           refresh=refresh)
