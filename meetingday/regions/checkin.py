"""The door screen's regions, and the delegate's check-in on their pass.

- ``checkin/_window.html`` ``#checkin-window``: open / close check-in (pushed to staff, topic attendance).
- ``checkin/_door_result.html`` ``#door-result``: the door's answer to a scan or a tap: green
  (ok), amber (repeat), the undo, or red (error); over HTTP and over the door's live connection.
- ``checkin/_person_row.html`` ``#person-<id>``: one person in the door's search results.
- ``checkin/_register.html`` ``#door-register``: a walk-in guest or someone attending in an
  invitee's place (dự thay).
- ``checkin/_pass_status.html`` ``#pass-checkin``: on the pass, whether its holder is checked in
  (private: fetched again when their check-in changes).
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app, render_template

from .. import live, topics
from ..errors import DomainError
from ..models import Meeting
from ..services import checkin
from ..timeutil import utcnow


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def present_ids(people) -> set[int]:
    return {p.id for p in people if p.present_checkin is not None}


@live.region(topics.ATTENDANCE, audience="staff", target="#checkin-window")
def render_window(meeting: Meeting) -> str:
    return render_template("checkin/_window.html", meeting=meeting, state=checkin.window_state(meeting))


def render_result(outcome: str, *, result=None, error: DomainError | None = None, invitee=None,
                  nonce: str = "") -> str:
    """The door's answer: green (ok), amber (repeat), the undo, or red (error). Drawn without
    the context processors, which it does not use: they would load the signed-in account, a
    query per scan (docs/benchmarks.md, "Check-in burst")."""
    return current_app.jinja_env.get_template("checkin/_door_result.html").render(
        outcome=outcome, result=result, error=error, invitee=invitee or (result.invitee if result else None),
        nonce=nonce)


def render_person_row(meeting: Meeting, person, oob: bool = False) -> str:
    return render_template("checkin/_person_row.html", meeting=meeting, p=person, oob=oob, nonce=new_nonce(),
                           new_nonce=new_nonce, present_ids=present_ids([person]),
                           stand_ins=checkin.stand_ins([person]))


def render_register(meeting: Meeting, seat=None, values: dict | None = None, error: DomainError | None = None) -> str:
    return render_template("checkin/_register.html", meeting=meeting, seat=seat, values=values or {},
                           error=error, nonce=new_nonce())


# The pass says "Xin cảm ơn. Mời vào hội trường." for this long after the check-in, then only the
# time of it: the rest of the day the top of the pass is what is happening now.
WELCOME = timedelta(minutes=3)


def welcome_until(c, now: datetime | None = None) -> datetime | None:
    """Until when the pass welcomes its holder in: shortly after their check-in `c`, else None."""
    if c is None or not c.present:
        return None
    until = c.checked_in_at + WELCOME
    return until if (now or utcnow()) < until else None


def render_pass_status(pass_, oob: bool = False) -> str:
    row = checkin.current_checkin_once(pass_.invitee.id)
    return render_template("checkin/_pass_status.html", invitee=pass_.invitee, meeting=pass_.invitee.meeting,
                           token=pass_.token, checkin=row, welcome_until=welcome_until(row), oob=oob)


live.fetched(topics.PERSON_CHECKIN, "#pass-checkin")
