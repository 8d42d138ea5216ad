"""Xác nhận tham dự (services/confirmations.py): the delegate's card on their pass, and the
Văn phòng's counts of the answers.

- ``passes/_confirm.html`` ``#pass-confirm``: on the pass, the holder's own answer to the
  invitation, until the meeting starts or their seat is taken (private: fetched again when their
  check-in changes; the page's ``?part=confirm``).
- ``confirmations/_summary.html`` ``#confirmations-summary``: how many answered what, on the
  invitee list and the attendance page (pushed to staff, topic confirmations).
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import confirmations


def render_confirm(pass_, oob: bool = False, *, values: dict | None = None, error=None, notice=None) -> str:
    """The card; after a refused answer, the `error` beside what was typed (`values`), or a
    `notice` above the answer as it is saved now."""
    invitee = pass_.invitee
    return render_template("passes/_confirm.html", invitee=invitee, token=pass_.token,
                           open=confirmations.is_open(invitee), seen=confirmations.revision(invitee),
                           on_the_day=confirmations.on_the_day(invitee.meeting),
                           values=values, error=error, notice=notice, oob=oob)


live.fetched(topics.PERSON_CHECKIN, "#pass-confirm")


@live.region(topics.CONFIRMATIONS, audience="staff", target="#confirmations-summary")
def render_summary(meeting: Meeting) -> str:
    return render_template("confirmations/_summary.html", meeting=meeting, tally=confirmations.tally(meeting))
