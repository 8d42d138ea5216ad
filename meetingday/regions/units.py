"""The Văn phòng's board of reporting units (/meetings/<id>/units, the secretariat only).

- ``units/_summary.html`` ``#units-summary``: the deadline, how many units have sent their
  report, how many kiến nghị came, whether submissions are closed. Pushed to staff on every
  change (topic units: a unit sent something, a contact or link changed, submissions closed or
  reopened). It holds no contact and no link: those are the secretariat's only.
- ``units/_table.html`` ``#units-table``: a row per unit with its contact and its link. Never
  pushed (a staff push reaches every role); the pushed summary carries a hidden element that, on
  the board's page only, makes the table fetch itself again over HTTP, as the admin.
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import unit_board


@live.region(topics.UNITS, audience="staff", target="#units-summary")
def render_summary(meeting: Meeting, refresh: bool = True, oob: bool = False) -> str:
    """The summary; with `refresh` (a push), swapping it in also reloads the table."""
    return render_template("units/_summary.html", meeting=meeting, board=unit_board.board(meeting),
                           refresh=refresh, oob=oob)


def render_table(meeting: Meeting, oob: bool = False) -> str:
    b = unit_board.board(meeting)
    return render_template("units/_table.html", meeting=meeting, board=b, link_of=unit_board.link_of, oob=oob)


def render_row(meeting: Meeting, unit_id: int, oob: bool = False) -> str:
    """One unit's row (after a change of its contact or link)."""
    row = next(r for r in unit_board.board(meeting).rows if r.unit.id == unit_id)
    return render_template("units/_row.html", meeting=meeting, row=row, link_of=unit_board.link_of, oob=oob)


def render_reminders(meeting: Meeting) -> str:
    b = unit_board.board(meeting)
    return render_template("units/_reminders.html", meeting=meeting, board=b, text=unit_board.reminders(b))
