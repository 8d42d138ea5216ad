"""The delegate's pass page: its public regions (pushed to every phone of the meeting, so never
a pass token) and the holder's own part.

- ``passes/_now.html`` ``#pass-now``: what is happening now, at the top: the meeting's state, the
  current item with a button to its documents, who has the floor (topics agenda, speakers,
  documents).
- ``passes/_closing.html`` ``#pass-closing``: the published closing conclusion (topics agenda, closing).
- ``passes/_programme.html`` ``#pass-programme``: the live programme, each item with its published
  documents (topics agenda, documents).

A document's link in these shared regions is relative to the pass page (``?doc=<id>``): the page
sends it on to the holder's own link (views/passes.py), so no token is ever pushed.
- ``passes/_queue.html`` ``#pass-queue``: the line of those waiting to speak (speakers).
- ``passes/_speak.html`` ``#pass-speak``: the holder's own request to speak (private: fetched
  again when their check-in or their place in the queue changes).

With ``oob=True`` each is drawn to be swapped out of band: the page reloads all its regions
(these and ``#pass-checkin``) in one request, ``?part=all`` (views/passes.py).
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import display, meeting_documents, speaker_queue
from .speakers import queue_context


def _flow(meeting: Meeting) -> display.FlowView:
    return live.read_once(("flow_view", meeting.id), lambda: display.flow_view(meeting))


def _documents(meeting: Meeting) -> dict:
    """The published documents by item, read once for the regions of a push or a request."""
    return live.read_once(("documents", meeting.id), lambda: meeting_documents.published(meeting.id))


@live.region(topics.AGENDA, audience="public", target="#pass-now")
@live.region(topics.SPEAKERS, audience="public", target="#pass-now")
@live.region(topics.DOCUMENTS, audience="public", target="#pass-now")
def render_now(meeting: Meeting, oob: bool = False) -> str:
    return render_template("passes/_now.html", meeting=meeting, view=_flow(meeting),
                           speaker=speaker_queue.current_speaker(meeting), documents=_documents(meeting), oob=oob)


@live.region(topics.AGENDA, audience="public", target="#pass-closing")
@live.region(topics.CLOSING, audience="public", target="#pass-closing")
def render_closing(meeting: Meeting, oob: bool = False) -> str:
    return render_template("passes/_closing.html", closing=_flow(meeting).closing, oob=oob)


@live.region(topics.AGENDA, audience="public", target="#pass-programme")
@live.region(topics.DOCUMENTS, audience="public", target="#pass-programme")
def render_programme(meeting: Meeting, oob: bool = False) -> str:
    return render_template("passes/_programme.html", meeting=meeting, view=_flow(meeting),
                           status=display.item_status, documents=_documents(meeting), oob=oob)


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
