"""The minutes as a whole: the desk's lock, the documents' numbers, finalize and reopen.

Every change the secretary makes (a note, a conclusion, a task, a kiến nghị, the documents'
details) first claims the desk with ``claim``: ``UPDATE meetings SET desk_version =
desk_version + 1 WHERE id = ? AND minutes_finalized_at IS NULL``. That holds the meeting's row
(PostgreSQL) or the write lock (SQLite) until the change commits, so desk changes never
interleave, and none can land once the minutes are finalized: finalizing claims the same row.
Reopening finalized minutes needs a reason and is audited.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from .. import audit, live, topics
from ..errors import DomainError, meeting_not_found
from ..extensions import db
from ..models import Meeting, User, max_length
from ..text import block, clean, reason
from ..timeutil import to_local, utcnow
from .revisions import seen_current

MAX_NUMBER = max_length(Meeting.minutes_number)  # the notice's number too
MAX_RECIPIENTS = max_length(Meeting.notice_recipients)

Actor = User | str | None


def finalized_error() -> DomainError:
    return DomainError("minutes_final", _l("Biên bản đã được chốt; muốn sửa, hãy mở lại biên bản trước."),
                       status=409)


def refuse_if_final(meeting: Meeting) -> None:
    """Who came and who was invited are in the minutes: attendance and the invitee list do not
    change while the minutes are finalized (minutes_final); reopening them allows it again.
    A refusal lets go of any lock the caller has taken."""
    if meeting.minutes_finalized_at is not None:
        db.session.rollback()
        raise finalized_error()


def claim(meeting_id) -> Meeting:
    """Take the desk for one change (see the module's docstring); refused once finalized."""
    try:
        meeting_id = int(meeting_id)
    except (TypeError, ValueError):
        raise meeting_not_found() from None
    result = db.session.execute(
        update(Meeting).where(Meeting.id == meeting_id, Meeting.minutes_finalized_at.is_(None))
        .values(desk_version=Meeting.desk_version + 1).execution_options(synchronize_session=False))
    if result.rowcount == 1:
        db.session.expire_all()  # read the desk as it is now, under the lock
        return db.session.get(Meeting, meeting_id)
    db.session.rollback()
    if db.session.get(Meeting, meeting_id) is None:
        raise meeting_not_found()
    raise finalized_error()


def meeting_day(meeting: Meeting) -> date:
    """The day the meeting was held (or is to be held), in Vietnam."""
    return to_local(meeting.started_at or meeting.starts_at).date()


def not_before_meeting(meeting: Meeting, value: date | None, field: str, message) -> None:
    """A date of the documents (a deadline, the notice's date) cannot come before the meeting."""
    if value is not None and value < meeting_day(meeting):
        raise DomainError("date_before_meeting", message, field=field)


DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def date_invalid(field: str) -> DomainError:
    return DomainError("date_invalid", _l("Ngày không hợp lệ (dd/mm/yyyy)."), field=field)


def typed_date(value: str | None, field: str) -> date | None:
    """A date as the desk's forms send it: dd/mm/yyyy (d/m/yyyy, with - or . too); empty is no date."""
    value = (value or "").strip()
    if not value:
        return None
    match = DATE.match(value)
    try:
        if match is None:
            raise ValueError(value)
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        raise date_invalid(field) from None


def is_final(meeting: Meeting) -> bool:
    return meeting.minutes_finalized_at is not None


def _number(value: str | None, field: str) -> str:
    value = clean(value)
    if len(value) > MAX_NUMBER:
        raise DomainError("number_too_long", _l("Số, ký hiệu quá dài (tối đa %(n)s ký tự).", n=MAX_NUMBER), field=field)
    return value


def set_documents(meeting_id, *, minutes_number: str = "", notice_number: str = "",
                  notice_date: date | None = None, notice_recipients: str = "", revision=None,
                  actor: Actor = None) -> Meeting:
    """The documents' số/ký hiệu, the notice's date and its nơi nhận (one per line), as the
    form saw them at `revision`: a save from an older revision (they were changed on another
    screen in between) is refused as documents_conflict, unless it saves what is there already."""
    minutes_number = _number(minutes_number, "minutes_number")
    notice_number = _number(notice_number, "notice_number")
    recipients = block(notice_recipients, limit=MAX_RECIPIENTS)
    if notice_date is not None and not isinstance(notice_date, date):
        raise date_invalid("notice_date")
    meeting = claim(meeting_id)
    try:
        not_before_meeting(meeting, notice_date, "notice_date",
                           _l("Ngày thông báo không thể trước ngày họp (%(d)s).", d=meeting_day(meeting).strftime("%d/%m/%Y")))
    except DomainError:
        db.session.rollback()
        raise
    values = (minutes_number, notice_number, notice_date, recipients)
    if values != (meeting.minutes_number, meeting.notice_number, meeting.notice_date, meeting.notice_recipients):
        if not seen_current(revision, meeting.documents_revision):
            db.session.rollback()
            raise DomainError("documents_conflict", _l(
                "Thông tin văn bản vừa được sửa trên máy khác. Bản vừa nhập vẫn còn trong ô nhập; "
                "hãy xem bản đã lưu rồi chọn lưu đè hoặc dùng bản đã lưu."), status=409)
        meeting.minutes_number, meeting.notice_number, meeting.notice_date, meeting.notice_recipients = values
        meeting.documents_revision = (meeting.documents_revision or 0) + 1
    audit.record("minutes.documents", "meeting", meeting.id, meeting_id=meeting.id, actor=actor,
                 minutes_number=minutes_number, notice_number=notice_number, notice_date=notice_date,
                 notice_recipients=recipients, revision=meeting.documents_revision)
    db.session.commit()
    live.publish(meeting.id, topics.MINUTES)
    return meeting


def documents_shown_unsaved(meeting: Meeting, shown: dict) -> bool:
    """Whether the documents form, as a screen shows it (the raw values of its fields), holds
    anything other than what is saved: a value typed and not saved, or refused (a date that is
    no date, a number too long)."""
    try:
        typed = (_number(shown.get("minutes_number"), "minutes_number"),
                 _number(shown.get("notice_number"), "notice_number"),
                 typed_date(shown.get("notice_date"), "notice_date"),
                 block(shown.get("notice_recipients"), limit=MAX_RECIPIENTS))
    except DomainError:
        return True
    saved = (meeting.minutes_number or "", meeting.notice_number or "", meeting.notice_date,
             meeting.notice_recipients or "")
    return typed != saved


def finalize(meeting_id, *, shown: dict | None = None, actor: Actor = None, now: datetime | None = None) -> Meeting:
    """Lock the minutes: from now on nothing on the desk changes until they are reopened.

    `shown` is the documents form as the screen that asks shows it (its fields' raw values):
    the minutes are not locked over numbers, a date or recipients the screen shows and the
    documents would not carry (typed and not saved, or refused): documents_unsaved (409)."""
    meeting = claim(meeting_id)
    if meeting.ended_at is None:
        db.session.rollback()
        raise DomainError("meeting_not_ended", _l("Chỉ chốt biên bản sau khi hội nghị đã kết thúc."), status=409)
    if shown is not None and documents_shown_unsaved(meeting, shown):
        db.session.rollback()
        raise DomainError("documents_unsaved", _l(
            "Thông tin văn bản trên màn hình (số biên bản, số và ngày thông báo, nơi nhận) chưa được lưu "
            "hoặc vừa bị từ chối. Hãy sửa và bấm “Lưu thông tin văn bản” trước, rồi chốt biên bản."), status=409)
    meeting.minutes_finalized_at = now or utcnow()
    audit.record("minutes.finalize", "meeting", meeting.id, meeting_id=meeting.id, actor=actor)
    db.session.commit()
    live.publish(meeting.id, topics.MINUTES)
    return meeting


def reopen(meeting_id, why: str, *, actor: Actor = None) -> Meeting:
    """Unlock finalized minutes, with a reason kept in the audit log."""
    why = reason(why, "reopen_reason", _l("Hãy ghi lý do mở lại biên bản."))
    try:
        meeting_id = int(meeting_id)
    except (TypeError, ValueError):
        raise meeting_not_found() from None
    result = db.session.execute(
        update(Meeting).where(Meeting.id == meeting_id, Meeting.minutes_finalized_at.is_not(None))
        .values(minutes_finalized_at=None, desk_version=Meeting.desk_version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        if db.session.get(Meeting, meeting_id) is None:
            raise meeting_not_found()
        raise DomainError("minutes_not_final", _l("Biên bản chưa được chốt."), status=409)
    audit.record("minutes.reopen", "meeting", meeting_id, meeting_id=meeting_id, actor=actor, reason=why)
    db.session.commit()
    db.session.expire_all()
    live.publish(meeting_id, topics.MINUTES)
    return db.session.get(Meeting, meeting_id)
