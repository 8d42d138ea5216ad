"""The Socket.IO side of live updates: who may join which rooms of a meeting.

A screen connects with ``auth = {"meeting": id, "locale": "vi", "key": display key or null,
"pass": pass token or null}``. Staff are known by their session cookie and join the meeting's
public and staff rooms in their language, and their account's room (disconnected when the
account's sessions end: live.disconnect_account); a Ban's account is not staff here, and gets no
live connection. A projector joins the room of its display key (public
pushes go there while the key is the meeting's); a delegate's phone joins the public room, the
room private to that person and the room of its pass. A revoked key's or pass's rooms are
disconnected (live.disconnect_display, live.disconnect_passes). Anyone else is refused; a screen
whose key or pass no longer works is told so (``{"revoked": true}``), and reloads.
"""
from __future__ import annotations

import flask_socketio
from flask_babel import force_locale
from flask_login import current_user
from flask_socketio import join_room

from .. import live
from ..models import Role
from ..errors import DomainError
from ..extensions import socketio
from ..services import display_key, meetings, passes
from .door import remember_connection

STAFF = (Role.ADMIN, Role.CHAIR, Role.SECRETARY, Role.DOOR)


def _rooms(meeting_id: int, auth: dict, locale: str) -> list[str] | None:
    """The rooms this screen joins; None: refused (no such meeting, or no right to it). A key or
    pass that no longer works raises DomainError. A pass is read in one query with its holder,
    whose meeting says whether it opens this one: a hall of phones reconnecting at once each
    asks for nothing more."""
    if current_user.is_authenticated and current_user.has_role(*STAFF):  # not a Ban's account: no staff pushes
        if meetings.find_meeting(meeting_id) is None:
            return None
        return [live.room(meeting_id, "public", locale), live.room(meeting_id, "staff", locale),
                live.account_room(current_user.id)]
    key = auth.get("key")
    if isinstance(key, str) and key:
        meeting = meetings.find_meeting(meeting_id)
        if meeting is None:
            return None
        display_key.check_key(meeting, key)
        return [live.display_room(meeting_id, key, locale)]
    token = auth.get("pass")
    if isinstance(token, str) and token:
        pass_ = passes.find_pass(token)
        if pass_.invitee.meeting_id == meeting_id:
            return [live.room(meeting_id, "public", locale), live.person_room(meeting_id, pass_.invitee_id),
                    live.pass_room(meeting_id, token)]
    return None


@socketio.on("connect")
def on_connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    try:
        meeting_id = int(auth.get("meeting"))
    except (TypeError, ValueError):
        return False
    locale = auth.get("locale") if auth.get("locale") in live.LOCALES else live.LOCALES[0]
    try:
        rooms = _rooms(meeting_id, auth, locale)
    except DomainError as e:  # a revoked key or pass: the screen reloads and the page says so
        with force_locale(locale):
            raise flask_socketio.ConnectionRefusedError(str(e.message), {"revoked": True}) from None
    if rooms is None:
        return False
    for name in rooms:
        join_room(name)
    remember_connection(locale)
    return True
