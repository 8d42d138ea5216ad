"""Meetings: create and edit the meeting itself."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from .. import audit, live, topics
from ..errors import DomainError, invitee_not_found, meeting_not_found
from sqlalchemy import select, update

from ..extensions import db
from ..models import Invitee, Meeting, MeetingState, User, max_length
from ..text import clean
from ..timeutil import to_local
from . import minutes
from .revisions import seen_current

# Fields a secretariat may set on a meeting, with their maximum lengths (the columns').
TEXT_FIELDS = {field: max_length(getattr(Meeting, field)) for field in (
    "title", "host_body", "issuing_body", "issuing_unit", "locality", "place", "content",
    "invitation_number", "signer_title", "signer_name", "chair_name", "secretary_name", "contact")}
REQUIRED = ("title", "host_body", "issuing_body", "place")


def _validate(data: dict, meeting: Meeting | None = None) -> dict:
    """The given fields, cleaned and checked (with what `meeting` has for those not given);
    raises before anything is set."""
    values = {}
    for field, limit in TEXT_FIELDS.items():
        if field not in data:
            continue
        value = clean(data[field]) if field not in ("content", "signer_title") else (data[field] or "").strip()
        if field in REQUIRED and not value:
            raise DomainError("field_required", _l("Vui lòng nhập đủ các mục bắt buộc."), field=field)
        if len(value) > limit:
            raise DomainError("field_too_long", _l("Nội dung quá dài."), field=field)
        values[field] = value
    if "starts_at" in data:
        if not isinstance(data["starts_at"], datetime):
            raise DomainError("field_required", _l("Vui lòng nhập thời gian bắt đầu."), field="starts_at")
        values["starts_at"] = data["starts_at"]
    if "invitation_date" in data:
        if data["invitation_date"] is not None and not isinstance(data["invitation_date"], date):
            raise DomainError("field_required", _l("Ngày ký giấy mời không hợp lệ."), field="invitation_date")
        values["invitation_date"] = data["invitation_date"]
    if "reports_due" in data:
        if data["reports_due"] is not None and not isinstance(data["reports_due"], date):
            raise DomainError("field_required", _l("Hạn gửi báo cáo không hợp lệ."), field="reports_due")
        values["reports_due"] = data["reports_due"]
    due = values.get("reports_due", meeting.reports_due if meeting else None)
    starts_at = values.get("starts_at", meeting.starts_at if meeting else None)
    if due is not None and starts_at is not None and due > to_local(starts_at).date():
        raise DomainError("reports_due_after_meeting", _l(
            "Hạn gửi báo cáo, kiến nghị không thể sau ngày họp (%(day)s).",
            day=to_local(starts_at).strftime("%d/%m/%Y")), field="reports_due")
    return values


def _apply(meeting: Meeting, data: dict) -> dict:
    """Check all the given fields, then set them; return {field: new value} of what changed."""
    changes = {f: v for f, v in _validate(data, meeting).items() if getattr(meeting, f, None) != v}
    for field, value in changes.items():
        setattr(meeting, field, value)
    return changes


def create_meeting(data: dict, actor: User | str | None = None, *, demo_key: str | None = None) -> Meeting:
    meeting = Meeting(display_key=secrets.token_urlsafe(24), demo_key=demo_key,
                      issuing_unit="", locality="", content="")
    _apply(meeting, data)
    same = db.session.scalar(select(Meeting.id).where(Meeting.title == meeting.title,
                                                      Meeting.starts_at == meeting.starts_at).limit(1))
    if same is not None:  # the form sent twice (a double click, or again after its answer was lost)
        raise DomainError("meeting_duplicate", _l("Đã có hội nghị “%(title)s” bắt đầu vào giờ này; không tạo thêm.",
                                                  title=meeting.title), status=409, field="title")
    db.session.add(meeting)
    db.session.flush()
    audit.record("meeting.create", "meeting", meeting.id, meeting_id=meeting.id, actor=actor,
                 title=meeting.title)
    db.session.commit()
    return meeting


def update_meeting(meeting: Meeting, data: dict, actor: User | str | None = None, *, revision=None) -> Meeting:
    """Change the meeting's details, as the form showed them at `revision` (details_revision):
    a change from an older revision (the details were saved on another screen in between) is
    refused as meeting_conflict, with the names of the fields saved differently from the form's
    in details["fields"]. A save that changes nothing passes."""
    values = _validate(data, meeting)
    lock_meeting(meeting)
    db.session.refresh(meeting)  # as committed now, under the lock
    if meeting.minutes_finalized_at is not None:  # title, place, chair... are in the minutes
        db.session.rollback()
        raise minutes.finalized_error()
    if meeting.state == MeetingState.ENDED and "starts_at" in data and data["starts_at"] != meeting.starts_at:
        db.session.rollback()
        raise DomainError("meeting_ended", _l("Hội nghị đã kết thúc, không thể đổi thời gian."))
    differ = [f for f, v in values.items() if getattr(meeting, f, None) != v]
    if differ and not seen_current(revision, meeting.details_revision):
        db.session.rollback()
        raise DomainError("meeting_conflict", _l(
            "Thông tin hội nghị vừa được sửa trên máy khác, nên chưa lưu. Các mục khác với bản đã lưu "
            "được đánh dấu bên dưới; xem lại rồi bấm Lưu lần nữa nếu vẫn muốn."), status=409, fields=differ)
    changes = _apply(meeting, data)
    if changes:
        meeting.details_revision = (meeting.details_revision or 0) + 1
        audit.record("meeting.update", "meeting", meeting.id, meeting_id=meeting.id, actor=actor,
                     changes=changes)
        db.session.commit()
        live.publish(meeting.id, topics.AGENDA)  # title, time and place are on the live screens
    return meeting


def list_meetings() -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())))


def lock_meeting(meeting: Meeting) -> None:
    """Serialise changes to one meeting's lists until commit: a no-op write takes the row lock
    on PostgreSQL and the write lock on SQLite (where SELECT ... FOR UPDATE does not exist), so
    the checks that follow (duplicates, next position) see what the other writer committed."""
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(version=Meeting.version)
                       .execution_options(synchronize_session=False))
    db.session.expire(meeting, ["items", "invitees"])


def lock_invitee(invitee: Invitee, *, reload: bool = False) -> None:
    """Hold one person's row until commit (a no-op write, as lock_meeting does): a check-in at
    the door, a dự thay for them, deleting them and changing their pass are decided one after
    the other. A person deleted meanwhile is invitee_not_found; `reload` reads them again as
    the change before committed them."""
    done = db.session.execute(update(Invitee).where(Invitee.id == invitee.id).values(walk_in=Invitee.walk_in)
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise invitee_not_found()
    if reload:
        db.session.refresh(invitee)


def lock_invitees(ids) -> None:
    """lock_invitee for many people at once (door scans checked in together): in the order of
    their ids on PostgreSQL, so two such batches wait for each other instead of deadlocking;
    SQLite's write lock covers them all. Who was deleted meanwhile is simply not locked."""
    ids = sorted(ids)
    if db.engine.dialect.name == "sqlite":
        db.session.execute(update(Invitee).where(Invitee.id.in_(ids)).values(walk_in=Invitee.walk_in)
                           .execution_options(synchronize_session=False))
    else:
        db.session.execute(select(Invitee.id).where(Invitee.id.in_(ids)).order_by(Invitee.id).with_for_update())


def find_meeting(meeting_id: int) -> Meeting | None:
    return db.session.get(Meeting, meeting_id)


def get_meeting(meeting_id: int) -> Meeting:
    meeting = find_meeting(meeting_id)
    if meeting is None:
        raise meeting_not_found()
    return meeting
