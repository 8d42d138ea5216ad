"""The hall projector's display key, and what every live-agenda screen shows (one view of the
meeting's flow state, read from the stored timestamps only)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, live, topics
from ..errors import DomainError
from ..extensions import db
from ..models import AgendaItem, Conclusion, ItemKind, Meeting, MeetingState, User
from ..timeutil import utcnow
from . import attendance, closing, speaker_queue

KEY_BYTES = 24  # 32 URL-safe characters


# --------------------------------------------------------------------------- the display key

def find_meeting(key: str) -> Meeting:
    """The meeting a display link opens; an unknown or revoked key is simply not found."""
    meeting = None
    if isinstance(key, str) and 16 <= len(key) <= 64:
        meeting = db.session.scalar(select(Meeting).where(Meeting.display_key == key))
    if meeting is None:
        raise DomainError("display_key_unknown",
                          _l("Đường dẫn màn hình này không còn hiệu lực. Xin liên hệ Văn phòng."), status=404)
    return meeting


def display_url(key: str) -> str:
    """The projector's link, at the address the hall's machines reach (PUBLIC_BASE_URL on a LAN)."""
    from flask import url_for

    from .passes import base_url
    return base_url() + url_for("display.show", key=key)


def rotate_display_key(meeting: Meeting, actor: User | str | None = None) -> str:
    """A new display key (the old one, if any, stops working at once)."""
    had_key = meeting.display_key is not None
    meeting.display_key = secrets.token_urlsafe(KEY_BYTES)
    audit.record("display.key_rotate" if had_key else "display.key_create", "meeting", meeting.id,
                 meeting_id=meeting.id, actor=actor)
    db.session.commit()
    if had_key:  # projectors open with the old key look again and find nothing
        live.refresh(meeting.id, topics.DISPLAY_KEY)
    return meeting.display_key


def revoke_display_key(meeting: Meeting, actor: User | str | None = None) -> None:
    if meeting.display_key is None:
        raise DomainError("display_key_none", _l("Hội nghị chưa có đường dẫn màn hình."), status=409)
    meeting.display_key = None
    audit.record("display.key_revoke", "meeting", meeting.id, meeting_id=meeting.id, actor=actor)
    db.session.commit()
    live.refresh(meeting.id, topics.DISPLAY_KEY)


# --------------------------------------------------------------------------- the flow, as screens see it

@dataclass
class FlowView:
    meeting: Meeting
    state: MeetingState
    items: list[AgendaItem]
    current: AgendaItem | None
    next: AgendaItem | None
    break_started_at: datetime | None  # ad-hoc break, or the break item's start
    break_ends_at: datetime | None
    adhoc_break: bool

    @property
    def number(self) -> int | None:
        return self.current.position if self.current else None

    @property
    def planned_seconds(self) -> int:
        return self.meeting.planned_minutes * 60

    @property
    def meeting_end(self) -> datetime | None:
        return self.meeting.ended_at

    @property
    def closing(self) -> Conclusion | None:
        """The closing conclusion, once the secretary has published it, while the meeting is at its
        last item or over (the chair going back to an earlier item shows that item again)."""
        if self.meeting.closing_published_at is None or not closing.closing_time(self.meeting):
            return None
        return db.session.scalar(select(Conclusion).where(Conclusion.meeting_id == self.meeting.id,
                                                          Conclusion.item_id.is_(None)))


def flow_view(meeting: Meeting) -> FlowView:
    items = list(meeting.items)
    current = meeting.current_item
    following = None
    if current is not None:
        index = items.index(current)
        following = items[index + 1] if index + 1 < len(items) else None
    elif meeting.started_at is None and items:
        following = items[0]
    started = ends = None
    adhoc = meeting.break_started_at is not None
    if adhoc:
        started, ends = meeting.break_started_at, meeting.break_ends_at
    elif current is not None and current.kind == ItemKind.BREAK and meeting.ended_at is None:
        # a break item the chair came back to counts down what is left of it
        started, ends = current.started_at, current.timer_from + timedelta(minutes=current.planned_minutes)
    return FlowView(meeting=meeting, state=meeting.state, items=items, current=current, next=following,
                    break_started_at=started, break_ends_at=ends, adhoc_break=adhoc)


def item_status(item: AgendaItem) -> str:
    """done / current / pending, for the programme lists."""
    if item.started_at is None:
        return "pending"
    return "done" if item.ended_at is not None else "current"


# --------------------------------------------------------------------------- JSON state

def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _speaker_state(meeting: Meeting, now: datetime) -> dict | None:
    current = speaker_queue.current_speaker(meeting)
    if current is None:
        return None
    person = current.invitee
    return {"name": person.full_name, "position": person.position, "unit": person.unit, "topic": current.topic,
            "kind": current.kind.value, "started_at": _iso(current.started_at),
            "time_limit_seconds": current.time_limit_seconds, "spoken_seconds": current.spoken(now),
            "paused": current.paused_at is not None,
            # while paused the limit moves on with the pause: no fixed deadline to count down to
            "deadline": None if current.paused_at is not None else _iso(current.deadline)}


def state(meeting: Meeting, now: datetime | None = None) -> dict:
    """The meeting's live state for hall equipment: ISO 8601 UTC times, no personal data."""
    view = flow_view(meeting)
    counts = attendance.counts(meeting)
    now = now or utcnow()
    current = view.current
    return {
        "meeting": {"id": meeting.id, "title": meeting.title, "state": view.state.value,
                    "started_at": _iso(meeting.started_at), "ended_at": _iso(meeting.ended_at),
                    "planned_minutes": meeting.planned_minutes, "version": meeting.version},
        "current_item": None if current is None else {
            "number": current.position, "title": current.title, "kind": current.kind.value,
            "presenter": current.presenter, "started_at": _iso(current.started_at),
            "held_seconds": current.held(now),  # the time held so far, earlier stretches included
            "planned_minutes": current.planned_minutes,
            "planned_end": _iso(current.timer_from + timedelta(minutes=current.planned_minutes)),
        },
        "next_item": None if view.next is None else {
            "number": view.next.position, "title": view.next.title, "planned_minutes": view.next.planned_minutes},
        "break": None if view.break_ends_at is None else {
            "started_at": _iso(view.break_started_at), "ends_at": _iso(view.break_ends_at),
            "adhoc": view.adhoc_break},
        "attendance": {"present": counts.present, "expected": counts.expected},
        "current_speaker": _speaker_state(meeting, now),
        "server_time": _iso(now),
    }
