"""The delegate's pass page: its public regions (pushed to every phone of the meeting, so never
a pass token) and the holder's own part.

- ``passes/_programme.html`` ``#pass-programme``: the live programme (topics agenda, closing).
- ``passes/_queue.html`` ``#pass-queue``: who speaks and the line (speakers).
- ``passes/_speak.html`` ``#pass-speak``: the holder's own request to speak (private: fetched
  again when their check-in or their place in the queue changes).

With ``oob=True`` each is drawn to be swapped out of band: the page reloads all its regions
(these and ``#pass-checkin``) in one request, ``?part=all`` (views/passes.py).
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import display, speaker_queue
from .speakers import queue_context


@live.region(topics.AGENDA, audience="public", target="#pass-programme")
@live.region(topics.CLOSING, audience="public", target="#pass-programme")
def render_programme(meeting: Meeting, oob: bool = False) -> str:
    return render_template("passes/_programme.html", meeting=meeting, view=display.flow_view(meeting),
                           status=display.item_status, oob=oob)


@live.region(topics.SPEAKERS, audience="public", target="#pass-queue")
def render_queue(meeting: Meeting, oob: bool = False) -> str:
    return render_template("passes/_queue.html", **queue_context(meeting), oob=oob)


def render_speak(pass_, oob: bool = False) -> str:
    """The holder's own part of the speaker queue: ask, their place, withdraw."""
    invitee = pass_.invitee
    return render_template("passes/_speak.html", invitee=invitee, token=pass_.token,
                           place=speaker_queue.place_of(invitee.meeting, invitee),
                           kien_nghi=speaker_queue.kien_nghi_of(invitee), oob=oob)


live.fetched(topics.PERSON_CHECKIN, "#pass-speak")  # only those present may ask to speak
live.fetched(topics.PERSON_QUEUE, "#pass-speak")
