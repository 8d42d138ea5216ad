"""The programme: add, edit, delete and reorder agenda items; the planned clock time of each
(planned_times).

Every change holds the meeting until its commit and, after it, pushes the programme to every
live screen. While the meeting is under way it also bumps the meeting's ``version`` in the same
transaction, so a chair's tap based on the programme as it was is refused as stale (see
services/flow.py). Before the start the chair's screen offers only "start", which does not
depend on the programme, so setting the programme up leaves the version alone. Once the minutes
are finalized the programme is part of them and does not change until they are reopened.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from .. import audit, live, topics
from ..errors import DomainError, item_not_found, refuse
from ..extensions import db
from ..models import AgendaItem, Conclusion, ItemKind, Meeting, SpeakerRequest, User, max_length
from ..text import clean
from . import minutes, speakers
from .revisions import fingerprint

MAX_MINUTES = 600


def _validate(title: str, kind, planned_minutes, presenter: str) -> tuple[str, ItemKind, int, str]:
    title, presenter = clean(title), clean(presenter)
    if not title:
        raise DomainError("item_title_required", _l("Vui lòng nhập tên mục."), field="title")
    if len(title) > max_length(AgendaItem.title) or len(presenter) > max_length(AgendaItem.presenter):
        raise DomainError("field_too_long", _l("Nội dung quá dài."), field="title")
    try:
        kind = ItemKind(kind)
    except ValueError:
        raise DomainError("item_kind_invalid", _l("Loại mục không hợp lệ."), field="kind") from None
    if not isinstance(planned_minutes, int) or not 1 <= planned_minutes <= MAX_MINUTES:
        raise DomainError("item_minutes_invalid",
                          _l("Thời lượng dự kiến phải từ 1 đến %(max)s phút.", max=MAX_MINUTES),
                          field="planned_minutes")
    return title, kind, planned_minutes, presenter


def shown(item: AgendaItem) -> str:
    """What a row of the programme shows of an item: its content, not its place."""
    return fingerprint(item.title, item.kind, item.planned_minutes, item.presenter)


def _check_shown(item: AgendaItem, seen: str | None, message) -> None:
    """`seen` None: a caller that did not read the item off a screen (the demo, an import)."""
    if seen is not None and seen != shown(item):
        refuse(DomainError("item_changed", message, status=409, item=item.id))


def programme_changed() -> DomainError:
    return DomainError("programme_changed", _l("Chương trình vừa được thay đổi trên máy khác và đã được tải lại. "
                                               "Vui lòng xem lại rồi di chuyển lần nữa nếu vẫn muốn."), status=409)


def _bump(meeting_id: int, *items: AgendaItem) -> None:
    """Hold the meeting until the commit (row lock on PostgreSQL, write lock on SQLite: the
    checks that follow see what the chair's tablet committed; `items` are read again under it)
    and, while the meeting is under way, make it a new version."""
    db.session.execute(update(Meeting).where(Meeting.id == meeting_id).values(version=Meeting.version)
                       .execution_options(synchronize_session=False))
    meeting = db.session.get(Meeting, meeting_id)
    db.session.refresh(meeting)
    db.session.expire(meeting, ["items", "invitees"])
    for item in items:
        if db.session.scalar(select(AgendaItem.id).where(AgendaItem.id == item.id)) is None:
            refuse(item_not_found())  # deleted on another laptop meanwhile
        db.session.refresh(item)
    if meeting.minutes_finalized_at is not None:  # the minutes hold the programme as held
        refuse(minutes.finalized_error())
    if meeting.started_at is not None and meeting.ended_at is None:
        meeting.version += 1


def _commit(meeting_id: int) -> None:
    db.session.commit()
    # An item's kind decides whether it has a queue, and what the phones may ask for.
    live.publish(meeting_id, topics.AGENDA, topics.SPEAKERS)
    speakers.tell_phones(meeting_id, everyone=True)


def _has_speakers(item: AgendaItem) -> bool:
    return db.session.scalar(select(func.count(SpeakerRequest.id)).where(SpeakerRequest.item_id == item.id)) > 0


def add_item(meeting: Meeting, title: str, kind, planned_minutes: int, presenter: str = "",
             actor: User | str | None = None) -> AgendaItem:
    title, kind, planned_minutes, presenter = _validate(title, kind, planned_minutes, presenter)
    _bump(meeting.id)
    last = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                             .order_by(AgendaItem.position.desc()).limit(1))
    if last is not None and shown(last) == fingerprint(title, kind, planned_minutes, presenter):
        # The same form sent twice (a double tap, or sent again after its answer was lost).
        refuse(DomainError("item_duplicate", _l("Mục “%(title)s” vừa được thêm vào cuối chương trình; "
                                                 "không thêm lần nữa.", title=title), status=409, field="title"))
    item = AgendaItem(meeting=meeting, position=(last.position if last else 0) + 1, title=title, kind=kind,
                      planned_minutes=planned_minutes, presenter=presenter)
    db.session.add(item)
    db.session.flush()
    audit.record("agenda.add", "agenda_item", item.id, meeting_id=meeting.id, actor=actor,
                 title=title, kind=kind, planned_minutes=planned_minutes)
    _commit(meeting.id)
    return item


def update_item(item: AgendaItem, title: str, kind, planned_minutes: int, presenter: str = "",
                actor: User | str | None = None, *, seen: str | None = None) -> AgendaItem:
    """Edit an item, as its row showed it (`seen`, from `shown`)."""
    title, kind, planned_minutes, presenter = _validate(title, kind, planned_minutes, presenter)
    wanted = {"title": title, "kind": kind, "planned_minutes": planned_minutes, "presenter": presenter}
    _bump(item.meeting_id, item)
    changes = {k: v for k, v in wanted.items() if getattr(item, k) != v}
    if not changes:  # sent twice, or the same edit made on two laptops
        db.session.rollback()
        return item
    _check_shown(item, seen, _l("Trong lúc đang sửa, mục này đã được sửa trên máy khác. Bản đã lưu ở dưới; "
                                "bấm “Lưu” lần nữa nếu vẫn muốn ghi đè bằng bản vừa nhập."))
    if item.started_at is not None and "kind" in changes:
        refuse(DomainError("item_started", _l("Mục này đã diễn ra, không thể đổi loại."), status=409))
    if "kind" in changes and _has_speakers(item):
        refuse(DomainError("item_has_speakers", _l("Mục này đã có người đăng ký phát biểu, không thể đổi loại."),
                            status=409))
    for k, v in changes.items():
        setattr(item, k, v)
    audit.record("agenda.update", "agenda_item", item.id, meeting_id=item.meeting_id, actor=actor,
                 changes=changes)
    _commit(item.meeting_id)
    return item


def delete_item(item: AgendaItem, actor: User | str | None = None, *, seen: str | None = None) -> None:
    """Delete an item, as its row showed it (`seen`, from `shown`)."""
    _bump(item.meeting_id, item)
    _check_shown(item, seen, _l("Mục “%(title)s” vừa được sửa trên máy khác nên chưa bị xóa. Chương trình đã "
                                "được tải lại; xem lại rồi xóa lần nữa nếu vẫn muốn.", title=item.title))
    if item.started_at is not None:
        refuse(DomainError("item_started", _l("Mục này đã diễn ra, không thể xóa."), status=409))
    if _has_speakers(item):
        refuse(DomainError("item_has_speakers", _l("Mục này đã có người đăng ký phát biểu, không thể xóa."),
                            status=409))
    if db.session.scalar(select(func.count(Conclusion.id)).where(Conclusion.item_id == item.id,
                                                                 Conclusion.text != "")):
        refuse(DomainError("item_has_conclusion", _l("Thư ký đã ghi kết luận cho mục này, không thể xóa."),
                            status=409))
    meeting = item.meeting
    meeting.items.remove(item)
    db.session.delete(item)
    _renumber(meeting)
    audit.record("agenda.delete", "agenda_item", item.id, meeting_id=meeting.id, actor=actor,
                 title=item.title)
    _commit(meeting.id)


def move_item(item: AgendaItem, offset: int, actor: User | str | None = None, *, swap_with=None) -> None:
    """Move an item up (-1) or down (+1) in the programme, trading places with the item its
    screen showed there (`swap_with`, an id; None: whichever is there now)."""
    if offset not in (-1, 1):
        raise DomainError("item_move_invalid", _l("Không thể di chuyển mục này."))
    _bump(item.meeting_id, item)
    meeting = item.meeting
    items = list(meeting.items)
    index = items.index(item)
    target = index + offset
    if swap_with is not None and (not 0 <= target < len(items) or str(items[target].id) != str(swap_with)):
        refuse(programme_changed())
    if not 0 <= target < len(items):
        refuse(DomainError("item_move_invalid", _l("Không thể di chuyển mục này."), status=409))
    if item.started_at is not None or items[target].started_at is not None:
        refuse(DomainError("item_started", _l("Không thể đổi thứ tự các mục đã diễn ra."), status=409))
    items[index], items[target] = items[target], items[index]
    _renumber(meeting, items)
    audit.record("agenda.move", "agenda_item", item.id, meeting_id=meeting.id, actor=actor,
                 position=item.position)
    _commit(meeting.id)


def planned_times(meeting: Meeting) -> dict[int, tuple[datetime, datetime]]:
    """Each item's planned start and end, by item id (naive UTC, as stored): the first starts at
    the meeting's planned start, each of the others when the one before is planned to end."""
    times, start = {}, meeting.starts_at
    for item in meeting.items:
        end = start + timedelta(minutes=item.planned_minutes or 0)
        times[item.id] = (start, end)
        start = end
    return times


def get_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise item_not_found()
    return item


def _renumber(meeting: Meeting, items: list[AgendaItem] | None = None) -> None:
    for position, it in enumerate(items if items is not None else meeting.items, start=1):
        it.position = position
    db.session.flush()
    db.session.expire(meeting, ["items"])
