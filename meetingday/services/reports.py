"""The six-month report a unit sends by its submission link (/u/<token>).

A unit's report is a Document with its unit_id set. Sent again before the deadline, the new file
replaces the one there (the old row gets withdrawn_at; its file is kept, so the Văn phòng can
still find what came first). From the deadline on, what comes is kept and marked late (nộp
muộn): it replaces an earlier late file, never the report that came on time, which stays beside
it. Once the Văn phòng closes the submissions nothing more is taken (submissions_closed). Before
the deadline the unit may also withdraw its report.

After each change the ``units`` topic is announced (the Văn phòng's board of units follows it).

The upload form carries the id of the report it showed (``seen``): a report replaced meanwhile
from another screen is refused as report_changed rather than replaced unseen.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, files, live, topics
from ..errors import DomainError, refuse
from ..extensions import db
from ..models import Document, ReportingUnit
from ..timeutil import utcnow
from . import units
from .meetings import lock_meeting

MAX_TITLE = 300


def _unit(unit_or_token: ReportingUnit | str) -> ReportingUnit:
    return unit_or_token if isinstance(unit_or_token, ReportingUnit) else units.find_link(unit_or_token).unit


def current(unit: ReportingUnit) -> list[Document]:
    """The unit's reports that stand (not withdrawn), the earliest first: one, or the one sent on
    time and a late one."""
    return list(db.session.scalars(select(Document).where(
        Document.unit_id == unit.id, Document.withdrawn_at.is_(None)).order_by(Document.uploaded_at, Document.id)))


def seen_token(unit: ReportingUnit) -> str:
    """What the page showed: the ids of the standing reports ("" for none)."""
    return ",".join(str(d.id) for d in current(unit))


def title_of(unit: ReportingUnit) -> str:
    return f"Báo cáo của {unit.organisation.short_name}"[:MAX_TITLE]


def not_asked() -> DomainError:
    return DomainError("report_not_asked", _l("Kế hoạch không đề nghị đơn vị này gửi báo cáo."), status=409)


def changed() -> DomainError:
    return DomainError("report_changed", _l(
        "Báo cáo của đơn vị vừa được gửi hoặc thay đổi từ máy khác, nên tệp này chưa được nhận. Đề nghị "
        "xem lại báo cáo hiện có rồi gửi lại nếu vẫn cần thay."), status=409)


def _check_seen(unit: ReportingUnit, seen) -> None:
    if seen is not None and str(seen) != seen_token(unit):
        refuse(changed())


def submit(unit_or_token: ReportingUnit | str, data: bytes, filename: str | None, sent_by, *, seen=None,
           now: datetime | None = None) -> Document:
    """Take the unit's report: the file checked by its content and stored (a Word file with its PDF
    where LibreOffice can make one), recorded, audited (report.submit: name, size, late)."""
    unit = _unit(unit_or_token)
    if not unit.asks_report:
        raise not_asked()
    units.require_open(unit.meeting)
    sender = units.check_sender(sent_by)
    stored, pdf = files.store_readable(data)  # file_missing / file_type / file_too_big: nothing stored
    try:
        lock_meeting(unit.meeting)
        db.session.refresh(unit.meeting)
        units.require_open(unit.meeting)  # closed meanwhile
        _check_seen(unit, seen)
        when = now or utcnow()
        late = units.is_late(unit.meeting, when)
        replaced = [d for d in current(unit) if d.late or not late]
        for old in replaced:
            old.withdrawn_at = when
            old.revision += 1
        doc = Document(meeting_id=unit.meeting_id, unit_id=unit.id, title=title_of(unit),
                       filename=files.clean_name(filename, stored.kind, fallback="bao-cao"), kind=stored.kind,
                       size=stored.size, sha256=stored.sha256, stored_name=stored.key,
                       pdf_name=pdf.key if pdf else None, submitted_by=sender, uploaded_at=when, late=late)
        db.session.add(doc)
        db.session.flush()
        audit.record("report.submit", "document", doc.id, meeting_id=unit.meeting_id, actor=units.actor_of(unit),
                     unit=unit.organisation.short_name, filename=doc.filename, kind=doc.kind, size=doc.size,
                     sha256=doc.sha256, submitted_by=sender, late=late, replaced=[d.id for d in replaced])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.remove(stored.key)
        files.remove(pdf.key if pdf else None)
        raise
    live.publish(unit.meeting_id, topics.UNITS)
    return doc


def find(unit: ReportingUnit, document_id=None) -> Document:
    """One of the unit's standing reports (by default the latest), else file_gone (410)."""
    reports = current(unit)
    if document_id not in (None, ""):
        reports = [d for d in reports if str(d.id) == str(document_id)]
    if not reports:
        raise files.gone()
    return reports[-1]


def withdraw(unit_or_token: ReportingUnit | str, document_id, *, seen=None, now: datetime | None = None) -> Document:
    """The unit takes back its report before the deadline (its file is kept, as for a replaced one)."""
    unit = _unit(unit_or_token)
    units.require_open(unit.meeting)
    lock_meeting(unit.meeting)
    db.session.refresh(unit.meeting)
    units.require_open(unit.meeting)
    _check_seen(unit, seen)
    when = now or utcnow()
    if units.is_late(unit.meeting, when):
        refuse(DomainError("report_past_deadline", _l(
            "Đã quá hạn gửi nên không rút được báo cáo đã gửi. Nếu cần điều chỉnh, đề nghị Quý đơn vị liên hệ "
            "Văn phòng HĐND và UBND."), status=409))
    doc = next((d for d in current(unit) if str(d.id) == str(document_id)), None)
    if doc is None:
        refuse(changed())
    doc.withdrawn_at = when
    doc.revision += 1
    audit.record("report.withdraw", "document", doc.id, meeting_id=unit.meeting_id, actor=units.actor_of(unit),
                 unit=unit.organisation.short_name, filename=doc.filename, size=doc.size)
    db.session.commit()
    live.publish(unit.meeting_id, topics.UNITS)
    return doc
