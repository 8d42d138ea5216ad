"""The Socket.IO side of live updates: who may join which rooms of a meeting.

A screen connects with ``auth = {"meeting": id, "locale": "vi", "key": display key or null,
"pass": pass token or null}``. Staff are known by their session cookie. Everyone admitted joins
the meeting's public room in their language; staff also join the staff room; a delegate's phone
also joins the room private to that person. Anyone else is refused.
"""
from __future__ import annotations

import hmac

from flask_login import current_user
from flask_socketio import join_room

from .. import live
from ..errors import DomainError
from ..extensions import socketio
from ..models import Meeting
from ..services import meetings, passes
from .door import remember_connection


def _audiences(meeting: Meeting, auth: dict) -> list[str] | None:
    if current_user.is_authenticated and current_user.roles:
        return ["public", "staff"]
    key = auth.get("key")
    if isinstance(key, str) and meeting.display_key and hmac.compare_digest(key, meeting.display_key):
        return ["public"]
    token = auth.get("pass")
    if isinstance(token, str):
        try:
            pass_ = passes.find_pass(token)
        except DomainError:
            return None
        if pass_.invitee.meeting_id == meeting.id:
            return ["public", f"person:{pass_.invitee_id}"]
    return None


@socketio.on("connect")
def on_connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    try:
        meeting_id = int(auth.get("meeting"))
    except (TypeError, ValueError):
        return False
    meeting = meetings.find_meeting(meeting_id)
    if meeting is None:
        return False
    audiences = _audiences(meeting, auth)
    if audiences is None:
        return False
    locale = auth.get("locale") if auth.get("locale") in live.LOCALES else live.LOCALES[0]
    for audience in audiences:
        if audience.startswith("person:"):
            join_room(live.person_room(meeting_id, int(audience.split(":", 1)[1])))
        else:
            join_room(live.room(meeting_id, audience, locale))
    remember_connection(locale)
    return True
