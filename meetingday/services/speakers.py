"""Changes to the speaker queue of a discussion or remarks item: ask, add, order, give the floor,
time, open and close; and the live agenda's side (leaving an item, a break). What the queue is
now, as the screens read it, is in speaker_queue.py.

Every moment is a timestamp: requested, withdrawn, started, paused (the pauses add up in
``paused_seconds``), ended. A restart or a second server process reads the same queue.

Every change first claims the item's queue (``UPDATE agenda_items SET queue_version =
queue_version + 1``): that holds the item's row (PostgreSQL) or the write lock (SQLite) until the
commit, so two changes never interleave and each checks its rules against what the other
committed. Doubled or stale actions are refused by what they name: a button names the request
it acts on and "give the floor" also names who the chair saw speaking, so a second tap finds the
request already speaking (or someone else at the lectern) and is refused with a message; a new
order is refused unless it holds exactly the requests waiting now. Two partial unique indexes
keep one waiting request per person per item and one speaker per item even if a rule here were
wrong.

One speaker at a time in the meeting: only the current item's queue gives the floor, and
leaving an item (the live agenda moves on) ends its speaker.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from .. import audit, live, topics
from ..errors import DomainError, invitee_not_found, item_not_found
from ..extensions import db
from ..models import (
    AgendaItem,
    Invitee,
    KienNghi,
    Meeting,
    MeetingState,
    SpeakerKind,
    SpeakerRequest,
    SpeakerSource,
    User,
)
from ..text import clean
from ..timeutil import utcnow
from . import checkin, speaker_queue
from .meetings import get_meeting

MIN_LIMIT_MINUTES, MAX_LIMIT_MINUTES = 1, 60
MAX_TOPIC = 200

Actor = User | str | None


# --------------------------------------------------------------------------- errors

def _not_found() -> DomainError:
    return DomainError("speaker_not_found", _l("Không tìm thấy lượt đăng ký phát biểu này."), status=404)


def _not_waiting(request: SpeakerRequest) -> DomainError:
    if request.withdrawn_at is not None:
        return DomainError("speaker_withdrawn", _l("Lượt đăng ký này đã được rút."), status=409)
    if request.speaking:
        return DomainError("speaker_speaking", _l("Đại biểu này đang phát biểu."), status=409)
    return DomainError("speaker_done", _l("Đại biểu này đã phát biểu xong."), status=409)


def _closed(item: AgendaItem) -> DomainError:
    if item.queue_opened_at is None:
        return DomainError("queue_closed", _l("Danh sách phát biểu của mục này chưa mở."), status=409)
    return DomainError("queue_closed", _l("Danh sách phát biểu của mục này đã đóng."), status=409)


def _on_break() -> DomainError:
    return DomainError("meeting_on_break", _l("Hội nghị đang giải lao. Bấm “Tiếp tục họp” trước."), status=409)


def stale_error() -> DomainError:
    return DomainError("stale", _l("Danh sách phát biểu vừa thay đổi trên thiết bị khác; màn hình đã được "
                                   "cập nhật lại, vui lòng kiểm tra rồi thao tác lại."), status=409)


def _check_shown(meeting: Meeting, item_id) -> None:
    """`item_id` is the queue a screen showed: it must be the queue the screens show now."""
    shown_now = speaker_queue.queue_item(meeting)
    if shown_now is None:
        raise DomainError("no_queue", _l("Hiện không có danh sách phát biểu nào. Chủ trì mở danh sách ở "
                                         "mục thảo luận hoặc phát biểu."), status=409)
    if str(item_id) != str(shown_now.id):  # the list on the screen is not the one shown now
        raise stale_error()


# --------------------------------------------------------------------------- changing the queue

def _claim(meeting_id: int, item_id) -> AgendaItem:
    """Take the item's queue for this change (see the module's docstring)."""
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise item_not_found() from None
    result = db.session.execute(
        update(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting_id)
        .values(queue_version=AgendaItem.queue_version + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise item_not_found()
    db.session.expire_all()  # read the queue as it is now, under the lock
    item = db.session.get(AgendaItem, item_id)
    if not speaker_queue.has_queue(item):
        db.session.rollback()
        raise DomainError("no_queue", _l("Mục này không có phần phát biểu."), status=409)
    return item


def _item_of(meeting_id: int, request_id) -> int:
    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    item_id = db.session.scalar(
        select(SpeakerRequest.item_id).join(AgendaItem, AgendaItem.id == SpeakerRequest.item_id)
        .where(SpeakerRequest.id == request_id, AgendaItem.meeting_id == meeting_id))
    if item_id is None:
        raise _not_found()
    return item_id


def _in_line(item: AgendaItem) -> set[int]:
    """Whose phones show a place on this item now (to tell them when it moves)."""
    ids = {r.invitee_id for r in speaker_queue.waiting(item)}
    now = speaker_queue.speaking(item)
    if now is not None:
        ids.add(now.invitee_id)
    return ids


def _change(action: str, meeting_id: int, item_id, actor: Actor, now: datetime | None,
            apply: Callable[[AgendaItem, datetime], tuple[object, dict]], *, everyone: bool = False):
    """Claim the queue, apply the change, audit and commit it, then announce it: every screen's
    shared regions are pushed, and the phones whose place moved (or every phone, when what they
    may do changed) reload their own part."""
    item = _claim(meeting_id, item_id)
    before = _in_line(item)
    try:
        result, details = apply(item, now or utcnow())
        db.session.flush()
    except DomainError:
        db.session.rollback()
        raise
    after = _in_line(item)
    audit.record(f"speakers.{action}", "agenda_item", item.id, meeting_id=meeting_id, actor=actor, **details)
    db.session.commit()
    announce(meeting_id, () if everyone else before | after, everyone=everyone)
    return result


def announce(meeting_id: int, invitee_ids: Iterable[int] = (), *, everyone: bool = False) -> None:
    """Push the speaker regions and tell phones to reload their own queue part."""
    live.publish(meeting_id, topics.SPEAKERS)
    tell_phones(meeting_id, invitee_ids, everyone=everyone)


def tell_phones(meeting_id: int, invitee_ids: Iterable[int] = (), *, everyone: bool = False) -> None:
    """Phones reload their own queue part: those of ``invitee_ids``, or all of them."""
    live.refresh(meeting_id, topics.PERSON_QUEUE, None if everyone else list(invitee_ids))


def _request(item: AgendaItem, request_id) -> SpeakerRequest:
    request = db.session.get(SpeakerRequest, int(request_id))
    if request is None or request.item_id != item.id:
        raise _not_found()
    return request


def _minutes(value, field_name: str = "minutes") -> int:
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        minutes = 0
    if not MIN_LIMIT_MINUTES <= minutes <= MAX_LIMIT_MINUTES:
        raise DomainError("limit_invalid", _l("Thời gian phát biểu phải từ %(min)s đến %(max)s phút.",
                                              min=MIN_LIMIT_MINUTES, max=MAX_LIMIT_MINUTES), field=field_name)
    return minutes


def _topic(value) -> str:
    topic = clean(value)
    if len(topic) > MAX_TOPIC:
        raise DomainError("topic_too_long", _l("Nội dung đăng ký quá dài (tối đa %(n)s ký tự).", n=MAX_TOPIC),
                          field="topic")
    return topic


def _kien_nghi(meeting_id: int, value, invitee: Invitee | None = None) -> KienNghi | None:
    if value in (None, ""):
        return None
    try:
        kn = db.session.get(KienNghi, int(value))
    except (TypeError, ValueError):
        kn = None
    if kn is None or kn.meeting_id != meeting_id or (
            invitee is not None and kn.organisation_id != invitee.organisation_id):
        raise DomainError("kien_nghi_invalid", _l("Kiến nghị đã chọn không thuộc đơn vị của đại biểu."),
                          field="kien_nghi")
    return kn


def _person(meeting_id: int, invitee_id) -> Invitee:
    try:
        invitee = db.session.get(Invitee, int(invitee_id))
    except (TypeError, ValueError):
        invitee = None
    if invitee is None or invitee.meeting_id != meeting_id:
        raise invitee_not_found()
    return invitee


def _require_ahead(item: AgendaItem) -> None:
    """A line can grow only while its item is current or still to come, in a meeting not ended."""
    meeting = item.meeting
    if meeting.ended_at is not None:
        raise DomainError("meeting_ended", _l("Hội nghị đã kết thúc."), status=409)
    if item.ended_at is not None and meeting.current_item is not item:
        raise DomainError("item_done", _l("Mục này đã kết thúc."), status=409)


def _enqueue(item: AgendaItem, invitee: Invitee, now: datetime, *, source: SpeakerSource, kind: SpeakerKind,
             topic: str, kien_nghi: KienNghi | None, front: bool, actor: Actor) -> SpeakerRequest:
    _require_ahead(item)
    if not speaker_queue.is_present(invitee):
        raise DomainError("not_checked_in", _l("Chỉ đại biểu đã điểm danh mới đăng ký phát biểu được."), status=409)
    line = speaker_queue.waiting(item)
    if any(r.invitee_id == invitee.id for r in line):
        raise DomainError("already_waiting", _l("%(name)s đã có tên trong danh sách phát biểu.",
                                                name=invitee.full_name), status=409)
    now_speaking = speaker_queue.speaking(item)
    if now_speaking is not None and now_speaking.invitee_id == invitee.id:
        raise DomainError("speaker_speaking", _l("%(name)s đang phát biểu.", name=invitee.full_name), status=409)
    keys = db.session.scalars(select(SpeakerRequest.sort_key).where(SpeakerRequest.item_id == item.id))
    keys = list(keys)
    if front and line:
        sort_key = line[0].sort_key - 1
    else:
        sort_key = max(keys, default=0) + 1
    request = SpeakerRequest(item_id=item.id, invitee_id=invitee.id, topic=topic, kien_nghi=kien_nghi,
                             source=source, kind=kind, sort_key=sort_key, requested_at=now,
                             time_limit_seconds=item.speaker_limit_seconds, paused_seconds=0,
                             added_by_id=actor.id if isinstance(actor, User) else None)
    db.session.add(request)
    return request


def ask(meeting_id: int, item_id, invitee_id, *, topic: str = "", kien_nghi_id=None,
        now: datetime | None = None) -> SpeakerRequest:
    """A delegate asks to speak from their phone. Asking again while waiting is refused with a
    message (the request they have stands)."""
    topic_text = _topic(topic)

    def apply(item: AgendaItem, now: datetime):
        invitee = _person(meeting_id, invitee_id)
        if not speaker_queue.is_open(item):
            raise _closed(item)
        kn = _kien_nghi(meeting_id, kien_nghi_id, invitee)
        request = _enqueue(item, invitee, now, source=SpeakerSource.SELF, kind=SpeakerKind.REMARK,
                           topic=topic_text, kien_nghi=kn, front=False, actor=None)
        db.session.flush()
        return request, {"request_id": request.id, "invitee_id": invitee.id, "topic": topic_text,
                         "kien_nghi_id": kn.id if kn else None}
    return _change("ask", meeting_id, item_id, f"invitee:{invitee_id}", now, apply)


def add_speaker(meeting_id: int, item_id, invitee_id, *, kind=SpeakerKind.REMARK, topic: str = "",
                kien_nghi_id=None, front: bool = False, shown: bool = False, actor: Actor = None,
                now: datetime | None = None) -> SpeakerRequest:
    """The secretary or the chair puts someone present in the line (a raised hand, or a Ban's
    answer to a kiến nghị, which may go straight to the front). Works on a closed queue too.

    ``shown``: ``item_id`` is the queue the secretary's screen showed as the one shown now; the
    add is refused if the screens show no queue now, or another one (the screen is stale)."""
    if shown:
        _check_shown(get_meeting(meeting_id), item_id)
    topic_text = _topic(topic)
    try:
        speaker_kind = SpeakerKind(kind)
    except ValueError:
        raise DomainError("kind_invalid", _l("Loại phát biểu không hợp lệ."), field="kind") from None

    def apply(item: AgendaItem, now: datetime):
        if shown:  # again under the claim: the agenda may have moved on meanwhile
            _check_shown(item.meeting, item.id)
        invitee = _person(meeting_id, invitee_id)
        kn = _kien_nghi(meeting_id, kien_nghi_id)
        request = _enqueue(item, invitee, now, source=SpeakerSource.STAFF, kind=speaker_kind, topic=topic_text,
                           kien_nghi=kn, front=bool(front), actor=actor)
        db.session.flush()
        return request, {"request_id": request.id, "invitee_id": invitee.id, "kind": speaker_kind,
                         "front": bool(front), "topic": topic_text, "kien_nghi_id": kn.id if kn else None}
    return _change("add", meeting_id, item_id, actor, now, apply)


def withdraw(meeting_id: int, request_id, *, invitee_id=None, actor: Actor = None,
             now: datetime | None = None) -> SpeakerRequest:
    """Take a waiting request out of the line: by the delegate (``invitee_id``, their own only)
    or by staff."""
    def apply(item: AgendaItem, now: datetime):
        request = _request(item, request_id)
        if invitee_id is not None and str(request.invitee_id) != str(invitee_id):
            raise _not_found()
        if not request.waiting:
            raise _not_waiting(request)
        request.withdrawn_at = now
        return request, {"request_id": request.id, "invitee_id": request.invitee_id,
                         "by": "self" if invitee_id is not None else "staff"}
    who = f"invitee:{invitee_id}" if invitee_id is not None else actor
    return _change("withdraw", meeting_id, _item_of(meeting_id, request_id), who, now, apply)


@checkin.when_undone
def withdraw_absent(invitee: Invitee, now: datetime, actor: Actor = None) -> Callable[[], None] | None:
    """Take someone whose check-in was undone out of every line they wait in (a step of every
    undo, inside its change: checkin.when_undone). The rows skip a request given the floor
    meanwhile. If they left a line, what to announce after the commit: the lines moved, so
    everyone's place may have changed."""
    waiting_on = sorted(set(db.session.scalars(
        select(SpeakerRequest.item_id).where(SpeakerRequest.invitee_id == invitee.id,
                                             SpeakerRequest.started_at.is_(None),
                                             SpeakerRequest.withdrawn_at.is_(None)))))
    if not waiting_on:
        return None
    for item_id in waiting_on:  # take each queue, in one order, as every queue change does
        db.session.execute(update(AgendaItem).where(AgendaItem.id == item_id)
                           .values(queue_version=AgendaItem.queue_version + 1)
                           .execution_options(synchronize_session=False))
    rows = db.session.execute(
        update(SpeakerRequest).where(SpeakerRequest.invitee_id == invitee.id, SpeakerRequest.started_at.is_(None),
                                     SpeakerRequest.withdrawn_at.is_(None))
        .values(withdrawn_at=now).returning(SpeakerRequest.id, SpeakerRequest.item_id)
        .execution_options(synchronize_session=False)).all()
    for request_id, item_id in rows:
        audit.record("speakers.withdraw", "agenda_item", item_id, meeting_id=invitee.meeting_id, actor=actor,
                     request_id=request_id, invitee_id=invitee.id, by="checkin_undone")
    if not rows:
        return None
    meeting_id = invitee.meeting_id
    return lambda: announce(meeting_id, everyone=True)


def _finish(request: SpeakerRequest, now: datetime) -> None:
    """End a remark now (a pause still open ends with it)."""
    if request.paused_at is not None:
        request.paused_seconds = (request.paused_seconds or 0) + max(
            0, int((now - request.paused_at).total_seconds()))
        request.paused_at = None
    request.ended_at = now


def give_floor(meeting_id: int, request_id, seen_current=None, *, actor: Actor = None,
               now: datetime | None = None) -> SpeakerRequest:
    """The chair gives the floor to a waiting request (the next in line, or anyone in it); whoever
    was speaking ends now. ``seen_current`` is the request the chair's screen showed speaking
    ("" for nobody): if that changed meanwhile, the tap is refused as stale."""
    def apply(item: AgendaItem, now: datetime):
        request = _request(item, request_id)
        if not request.waiting:
            raise _not_waiting(request)
        meeting = item.meeting
        if meeting.current_item is not item:
            raise DomainError("item_not_current", _l("Chỉ mời phát biểu ở mục đang diễn ra của hội nghị."),
                              status=409)
        if meeting.state != MeetingState.IN_SESSION:
            raise _on_break()
        current = speaker_queue.speaking(item)
        if str(current.id if current else "") != str(seen_current if seen_current is not None else ""):
            raise stale_error()
        details = {"request_id": request.id, "invitee_id": request.invitee_id}
        if current is not None:
            _finish(current, now)
            details["ended_request_id"] = current.id
            db.session.flush()  # one speaker per item: the ended one first
        # Conditional: an undone check-in may have withdrawn the request meanwhile (it takes the
        # request's row, not the item's).
        started = db.session.execute(
            update(SpeakerRequest).where(SpeakerRequest.id == request.id, SpeakerRequest.started_at.is_(None),
                                         SpeakerRequest.withdrawn_at.is_(None))
            .values(started_at=now).execution_options(synchronize_session=False))
        if started.rowcount != 1:
            db.session.refresh(request)
            raise _not_waiting(request)
        db.session.refresh(request)
        return request, details
    return _change("floor", meeting_id, _item_of(meeting_id, request_id), actor, now, apply)


def _speaking_request(item: AgendaItem, request_id) -> SpeakerRequest:
    request = _request(item, request_id)
    if request.started_at is None:
        raise _not_waiting(request) if request.withdrawn_at else DomainError(
            "speaker_not_started", _l("Đại biểu này chưa phát biểu."), status=409)
    if request.ended_at is not None:
        raise DomainError("speaker_done", _l("Đại biểu này đã phát biểu xong."), status=409)
    return request


def end_speech(meeting_id: int, request_id, *, actor: Actor = None, now: datetime | None = None) -> SpeakerRequest:
    def apply(item: AgendaItem, now: datetime):
        request = _speaking_request(item, request_id)
        _finish(request, now)
        return request, {"request_id": request.id, "spoken_seconds": request.spoken(now)}
    return _change("end", meeting_id, _item_of(meeting_id, request_id), actor, now, apply)


def pause_speech(meeting_id: int, request_id, *, actor: Actor = None, now: datetime | None = None) -> SpeakerRequest:
    def apply(item: AgendaItem, now: datetime):
        request = _speaking_request(item, request_id)
        if request.paused_at is not None:
            raise DomainError("speaker_paused", _l("Phần phát biểu này đang tạm dừng."), status=409)
        request.paused_at = now
        return request, {"request_id": request.id}
    return _change("pause", meeting_id, _item_of(meeting_id, request_id), actor, now, apply)


def resume_speech(meeting_id: int, request_id, *, actor: Actor = None, now: datetime | None = None) -> SpeakerRequest:
    def apply(item: AgendaItem, now: datetime):
        request = _speaking_request(item, request_id)
        if request.paused_at is None:
            raise DomainError("speaker_not_paused", _l("Phần phát biểu này không tạm dừng."), status=409)
        if item.meeting.state != MeetingState.IN_SESSION:
            raise _on_break()
        paused = max(0, int((now - request.paused_at).total_seconds()))
        request.paused_seconds = (request.paused_seconds or 0) + paused
        request.paused_at = None
        return request, {"request_id": request.id, "paused_seconds": paused}
    return _change("resume", meeting_id, _item_of(meeting_id, request_id), actor, now, apply)


def put_back(meeting_id: int, request_id, *, actor: Actor = None, now: datetime | None = None) -> SpeakerRequest:
    """The speaker who finished last goes back to the head of the line (a new request: the remark
    already made keeps its times)."""
    def apply(item: AgendaItem, now: datetime):
        request = _request(item, request_id)
        if request.ended_at is None or speaker_queue.last_done(item) is not request:
            raise DomainError("not_last_speaker", _l("Chỉ đưa lại được người vừa phát biểu xong."), status=409)
        if not speaker_queue.can_put_back(item, request):
            raise DomainError("already_waiting", _l("%(name)s đã có tên trong danh sách phát biểu.",
                                                    name=request.invitee.full_name), status=409)
        line = speaker_queue.waiting(item)
        again = SpeakerRequest(item_id=item.id, invitee_id=request.invitee_id, topic=request.topic,
                               kien_nghi_id=request.kien_nghi_id, source=SpeakerSource.STAFF, kind=request.kind,
                               sort_key=(line[0].sort_key - 1) if line else request.sort_key,
                               time_limit_seconds=request.time_limit_seconds, requested_at=now, paused_seconds=0,
                               added_by_id=actor.id if isinstance(actor, User) else None)
        db.session.add(again)
        db.session.flush()
        return again, {"request_id": again.id, "from_request_id": request.id, "invitee_id": request.invitee_id}
    return _change("put_back", meeting_id, _item_of(meeting_id, request_id), actor, now, apply)


def _ids(values: Iterable) -> list[int]:
    try:
        return [int(x) for x in values]
    except (TypeError, ValueError):
        raise DomainError("order_invalid", _l("Thứ tự gửi lên không hợp lệ."), status=400) from None


def reorder(meeting_id: int, item_id, order: Iterable, *, seen: Iterable | None = None, actor: Actor = None,
            now: datetime | None = None) -> list[SpeakerRequest]:
    """A new order for the line: ``order`` lists exactly the waiting requests' ids, ``seen`` (if
    given) the order the screen showed. Sent again (a doubled drag or tap), it changes nothing;
    from a screen that missed a change, it is refused as stale."""
    wanted = _ids(order)
    shown = None if seen is None else _ids(seen)

    def apply(item: AgendaItem, now: datetime):
        line = speaker_queue.waiting(item)
        if len(set(wanted)) != len(wanted) or set(wanted) != {r.id for r in line}:
            raise stale_error()
        if shown is not None and shown != [r.id for r in line] and wanted != [r.id for r in line]:
            raise stale_error()
        by_id = {r.id: r for r in line}
        keys = sorted(r.sort_key for r in line)
        for key, request_id in zip(keys, wanted, strict=True):
            by_id[request_id].sort_key = key
        return [by_id[i] for i in wanted], {"before": [r.id for r in line], "after": wanted}
    return _change("reorder", meeting_id, item_id, actor, now, apply)


def move(meeting_id: int, request_id, offset: int, seen_order: Iterable, *, actor: Actor = None,
         now: datetime | None = None) -> list[SpeakerRequest]:
    """Up (-1) or down (+1) one place in the order the screen showed (``seen_order``)."""
    item_id = _item_of(meeting_id, request_id)
    order = [str(x) for x in seen_order]
    if str(request_id) not in order:
        raise stale_error()
    index = order.index(str(request_id))
    target = index + int(offset)
    seen = list(order)
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    return reorder(meeting_id, item_id, order, seen=seen, actor=actor, now=now)


def _check_limit_seen(seen, before: int, after: int) -> None:
    """`seen`: the minutes the dropdown showed (None: not read off a screen). A limit another
    screen set meanwhile is not replaced unseen, unless both chose the same."""
    if seen is not None and str(seen) != str(before // 60) and before != after:
        raise stale_error()


def set_time_limit(meeting_id: int, request_id, minutes, *, seen=None, actor: Actor = None,
                   now: datetime | None = None) -> SpeakerRequest:
    """A different time limit for one speaker (waiting or speaking)."""
    value = _minutes(minutes)

    def apply(item: AgendaItem, now: datetime):
        request = _request(item, request_id)
        if request.withdrawn_at is not None or request.ended_at is not None:
            raise _not_waiting(request)
        before = request.time_limit_seconds
        _check_limit_seen(seen, before, value * 60)
        request.time_limit_seconds = value * 60
        return request, {"request_id": request.id, "before": before, "after": value * 60}
    return _change("limit", meeting_id, _item_of(meeting_id, request_id), actor, now, apply)


def set_item_limit(meeting_id: int, item_id, minutes, *, seen=None, actor: Actor = None,
                   now: datetime | None = None) -> AgendaItem:
    """The item's default time per remark; those waiting with the old default get the new one."""
    value = _minutes(minutes)

    def apply(item: AgendaItem, now: datetime):
        before = item.speaker_limit_seconds
        _check_limit_seen(seen, before, value * 60)
        item.speaker_limit_seconds = value * 60
        changed = []
        for request in speaker_queue.waiting(item):
            if request.time_limit_seconds == before:
                request.time_limit_seconds = value * 60
                changed.append(request.id)
        return item, {"before": before, "after": value * 60, "requests": changed}
    return _change("item_limit", meeting_id, item_id, actor, now, apply)


def open_queue(meeting_id: int, item_id, *, actor: Actor = None, now: datetime | None = None) -> AgendaItem:
    """Open (or reopen) the item's queue to requests from the phones."""
    def apply(item: AgendaItem, now: datetime):
        if speaker_queue.is_open(item):
            raise DomainError("queue_open", _l("Danh sách phát biểu đang mở."), status=409)
        if item.ended_at is not None and item.meeting.current_item is not item:
            raise DomainError("item_done", _l("Mục này đã kết thúc."), status=409)
        reopened = item.queue_opened_at is not None
        if not reopened:
            item.queue_opened_at = now
        item.queue_closed_at = None
        return item, {"reopened": reopened}
    return _change("open", meeting_id, item_id, actor, now, apply, everyone=True)


def close_queue(meeting_id: int, item_id, *, actor: Actor = None, now: datetime | None = None) -> AgendaItem:
    """No more requests from the phones; those in the line keep their place."""
    def apply(item: AgendaItem, now: datetime):
        if not speaker_queue.is_open(item):
            raise _closed(item)
        item.queue_closed_at = now
        return item, {"waiting": len(speaker_queue.waiting(item))}
    return _change("close", meeting_id, item_id, actor, now, apply, everyone=True)


# --------------------------------------------------------------------------- the live agenda's side

def end_on_leave(item: AgendaItem, now: datetime) -> dict:
    """The agenda leaves `item`: its speaker, if any, ends now (called by the flow service inside
    its own change, after the item's row is written, so a floor given meanwhile is seen)."""
    if not speaker_queue.has_queue(item):
        return {}
    current = speaker_queue.speaking(item)
    if current is None:
        return {}
    _finish(current, now)
    return {"ended_request_id": current.id}


def pause_for_break(meeting: Meeting, now: datetime) -> dict:
    """An ad-hoc break stops the speaker's clock; the chair resumes the speaker after the break.
    Called by the flow service inside its change: it takes the current item's queue first, so a
    floor given at the same moment is either seen here or refused there."""
    item = meeting.current_item
    if not speaker_queue.has_queue(item):
        return {}
    db.session.execute(update(AgendaItem).where(AgendaItem.id == item.id)
                       .values(queue_version=AgendaItem.queue_version + 1)
                       .execution_options(synchronize_session=False))
    current = speaker_queue.speaking(item)
    if current is None or current.paused_at is not None:
        return {}
    current.paused_at = now
    return {"paused_request_id": current.id}
