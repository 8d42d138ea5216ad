"""What every live-agenda screen shows: one view of the meeting's flow state, read from the stored
timestamps only, and the same state as JSON for hall equipment. The projector's key is in
display_key.py."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import AgendaItem, Conclusion, ItemKind, Meeting, MeetingState
from ..timeutil import utcnow
from . import attendance, closing, speaker_queue

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
