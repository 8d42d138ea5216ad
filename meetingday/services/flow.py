"""The live agenda: not started -> in session (with breaks) -> ended.

Every change names the meeting ``version`` the chair's screen saw. The change first claims the
meeting with a conditional ``UPDATE meetings SET version = version + 1 WHERE id = ? AND version =
?``: of two devices that saw the same version, one claims it and the other finds no row and is
refused as stale (409), so two taps on "next" advance once. The claim also holds the meeting
row (PostgreSQL) or the write lock (SQLite) until the commit, so the rules below are checked
against what the other device committed.

How the actual times are kept (items' ``started_at`` = first start, ``ended_at`` = last end, and
the time actually held: ``held_seconds`` of the stretches already over plus, while the item is
current, the stretch that began at ``resumed_at``; the current item is the one started and not
ended):
- start: the meeting and its first item start now.
- next / previous / jump: the item being left ends now and its stretch is added to its held
  time; the item entered starts now, or, if it was held before (the chair went back), it is
  re-opened: its end is cleared, its first start kept and a new stretch begins now, so its timer
  continues from the time already held (not from its first start) and the time between its
  stretches is never counted. Nothing ever erases a start; items skipped by a jump stay not
  started until they are reached. "Next" is the item after the current one in programme order and
  "previous" the item before it, whatever their state, so "previous" then "next" comes back to
  where the chair was.
- a break item of the programme is a break while it is current: its countdown runs to its start
  plus its planned minutes. The chair can also call an ad-hoc break of N minutes
  (``Meeting.break_started_at``/``break_ends_at``); the current item stays current (its timer
  runs on). Resume ends the ad-hoc break, or moves on from a break item of the programme; any
  move (next, previous, jump, end) ends an ad-hoc break too.
- end: the current item and the meeting end now. An ended meeting takes no more changes.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from .. import audit, live, topics
from ..errors import DomainError, item_not_found, meeting_not_found
from ..extensions import db
from ..models import AgendaItem, ItemKind, Meeting, MeetingState, User
from ..timeutil import utcnow
from . import speakers

MAX_BREAK_MINUTES = 180

Actor = User | str | None


def stale_error() -> DomainError:
    return DomainError("stale", _l("Thiết bị khác vừa thay đổi chương trình; màn hình đã được cập nhật "
                                   "lại, vui lòng kiểm tra rồi thao tác lại."), status=409)


def _claim(meeting_id: int, version) -> Meeting:
    """Bump the meeting's version if it is still the one the screen saw; else refuse as stale."""
    try:
        seen = int(version)
    except (TypeError, ValueError):
        seen = None  # a screen that did not say what it saw is behind by definition
    if seen is not None:
        result = db.session.execute(
            update(Meeting).where(Meeting.id == meeting_id, Meeting.version == seen)
            .values(version=Meeting.version + 1).execution_options(synchronize_session=False))
        if result.rowcount == 1:
            db.session.expire_all()  # read the meeting and its items as they are now, under the lock
            return db.session.get(Meeting, meeting_id)
    db.session.rollback()
    if db.session.get(Meeting, meeting_id) is None:
        raise meeting_not_found()
    raise stale_error()


def _change(action: str, meeting_id: int, version, actor: Actor, now: datetime | None,
            apply: Callable[[Meeting, datetime], dict]) -> Meeting:
    meeting = _claim(meeting_id, version)
    try:
        details = apply(meeting, now or utcnow())
    except DomainError:
        db.session.rollback()  # the version bump and anything half-set go
        raise
    audit.record(f"flow.{action}", "meeting", meeting.id, meeting_id=meeting.id, actor=actor,
                 version=meeting.version, **details)
    db.session.commit()
    # The speaker regions follow the current item; what a phone may ask follows it too.
    live.publish(meeting.id, topics.AGENDA, topics.SPEAKERS)
    speakers.tell_phones(meeting.id, everyone=True)
    return meeting


# --------------------------------------------------------------------------- rules

def _require_running(meeting: Meeting) -> None:
    if meeting.ended_at is not None:
        raise DomainError("meeting_ended", _l("Hội nghị đã kết thúc."), status=409)
    if meeting.started_at is None:
        raise DomainError("meeting_not_started", _l("Hội nghị chưa bắt đầu."), status=409)


def _current(meeting: Meeting) -> AgendaItem | None:
    return meeting.current_item


def _neighbour(meeting: Meeting, offset: int) -> AgendaItem:
    """The item `offset` (+1 or -1) places from the current one in programme order."""
    items = list(meeting.items)
    current = _current(meeting)
    if current is not None:
        index = items.index(current) + offset
    else:  # no item under way (only if the items were changed by hand): nearest unheld / last held
        held = [i for i, it in enumerate(items) if it.started_at is not None]
        index = (held[-1] + 1 if held else 0) if offset > 0 else (held[-1] if held else -1)
    if not 0 <= index < len(items):
        if offset > 0:
            raise DomainError("no_next_item", _l("Đây là mục cuối của chương trình. "
                                                 "Bấm “Kết thúc hội nghị” để kết thúc."), status=409)
        raise DomainError("no_previous_item", _l("Đây là mục đầu tiên của chương trình."), status=409)
    return items[index]


def _end_break(meeting: Meeting, now: datetime) -> dict:
    """End an ad-hoc break: the interrupted item gets its time up to the break, and a new
    stretch of it begins now (the break is not counted as the item's time)."""
    if meeting.break_started_at is None:
        return {}
    info = {"break_started_at": meeting.break_started_at, "break_ends_at": meeting.break_ends_at}
    current = _current(meeting)
    if current is not None:
        current.held_seconds = current.held(meeting.break_started_at)
        current.resumed_at = now
    meeting.break_started_at = meeting.break_ends_at = None
    return info


def _enter(item: AgendaItem, now: datetime) -> None:
    """A new stretch of `item` begins now (its first start is kept if it was held before)."""
    if item.started_at is None:
        item.started_at = now
    item.resumed_at, item.ended_at = now, None


def _leave(item: AgendaItem, now: datetime) -> None:
    """The current stretch of `item` ends now and is added to the time it was held."""
    item.held_seconds = item.held(now)
    item.resumed_at = item.resumed_at or item.started_at  # the start of the stretch just over
    item.ended_at = now


def _move_to(meeting: Meeting, target: AgendaItem, now: datetime) -> dict:
    """Leave the current item (it ends now) and enter `target` (starts now, or re-opens)."""
    current = _current(meeting)
    details = {"from_item": current.id if current else None, "to_item": target.id,
               "to_position": target.position, **_end_break(meeting, now)}
    if current is not None:
        _leave(current, now)
        details.update(speakers.end_on_leave(current, now))
    if target.started_at is not None:
        details["reopened"] = True
        details["held_seconds"] = target.held_seconds
    _enter(target, now)
    db.session.flush()
    return details


# --------------------------------------------------------------------------- transitions

def start_meeting(meeting_id: int, version, actor: Actor = None, *, now: datetime | None = None) -> Meeting:
    """Not started -> in session: the meeting and its first item start now."""
    def apply(meeting: Meeting, now: datetime) -> dict:
        if meeting.ended_at is not None:
            raise DomainError("meeting_ended", _l("Hội nghị đã kết thúc."), status=409)
        if meeting.started_at is not None:
            raise DomainError("meeting_started", _l("Hội nghị đã bắt đầu."), status=409)
        if not meeting.items:
            raise DomainError("agenda_empty", _l("Chương trình chưa có mục nào, chưa thể bắt đầu."), status=409)
        first = meeting.items[0]
        meeting.started_at = now
        _enter(first, now)
        return {"to_item": first.id, "to_position": first.position}
    return _change("start", meeting_id, version, actor, now, apply)


def next_item(meeting_id: int, version, actor: Actor = None, *, now: datetime | None = None) -> Meeting:
    """The item after the current one in programme order."""
    def apply(meeting: Meeting, now: datetime) -> dict:
        _require_running(meeting)
        return _move_to(meeting, _neighbour(meeting, +1), now)
    return _change("next", meeting_id, version, actor, now, apply)


def previous_item(meeting_id: int, version, actor: Actor = None, *, now: datetime | None = None) -> Meeting:
    """The item before the current one in programme order (re-opened if it was held)."""
    def apply(meeting: Meeting, now: datetime) -> dict:
        _require_running(meeting)
        return _move_to(meeting, _neighbour(meeting, -1), now)
    return _change("previous", meeting_id, version, actor, now, apply)


def jump_to(meeting_id: int, item_id, version, actor: Actor = None, *, now: datetime | None = None) -> Meeting:
    """Any item of the programme, chosen on the chair's list."""
    def apply(meeting: Meeting, now: datetime) -> dict:
        target = next((i for i in meeting.items if str(i.id) == str(item_id)), None)
        if target is None:
            raise item_not_found()
        _require_running(meeting)
        if target is _current(meeting):
            raise DomainError("item_current", _l("Mục này đang diễn ra."), status=409)
        return _move_to(meeting, target, now)
    return _change("jump", meeting_id, version, actor, now, apply)


def _break_minutes(minutes) -> int:
    try:
        value = int(str(minutes).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_BREAK_MINUTES:
        raise DomainError("break_minutes_invalid",
                          _l("Thời gian giải lao phải từ 1 đến %(max)s phút.", max=MAX_BREAK_MINUTES),
                          field="minutes")
    return value


def start_break(meeting_id: int, version, minutes, actor: Actor = None, *, now: datetime | None = None) -> Meeting:
    """An ad-hoc break of `minutes`: the projector and the phones count it down."""
    value = _break_minutes(minutes)  # bad input is refused before anything is claimed

    def apply(meeting: Meeting, now: datetime) -> dict:
        _require_running(meeting)
        if meeting.state == MeetingState.ON_BREAK:
            raise DomainError("already_on_break", _l("Hội nghị đang giải lao."), status=409)
        meeting.break_started_at = now
        meeting.break_ends_at = now + timedelta(minutes=value)
        current = _current(meeting)
        return {"minutes": value, "item_id": current.id if current else None,
                **speakers.pause_for_break(meeting, now)}
    return _change("break", meeting_id, version, actor, now, apply)


def end_break(meeting_id: int, version, actor: Actor = None, *, now: datetime | None = None) -> Meeting:
    """Back to work: ends an ad-hoc break, or moves on from a break item of the programme."""
    def apply(meeting: Meeting, now: datetime) -> dict:
        _require_running(meeting)
        if meeting.break_started_at is not None:
            return {"adhoc": True, **_end_break(meeting, now)}
        current = _current(meeting)
        if current is not None and current.kind == ItemKind.BREAK:
            return {"adhoc": False, **_move_to(meeting, _neighbour(meeting, +1), now)}
        raise DomainError("not_on_break", _l("Hội nghị không trong giờ giải lao."), status=409)
    return _change("resume", meeting_id, version, actor, now, apply)


def end_meeting(meeting_id: int, version, actor: Actor = None, *, now: datetime | None = None) -> Meeting:
    """In session -> ended: the current item and the meeting end now."""
    def apply(meeting: Meeting, now: datetime) -> dict:
        _require_running(meeting)
        current = _current(meeting)
        details = {"item_id": current.id if current else None, **_end_break(meeting, now)}
        if current is not None:
            _leave(current, now)
            details.update(speakers.end_on_leave(current, now))
        meeting.ended_at = now
        return details
    return _change("end", meeting_id, version, actor, now, apply)
