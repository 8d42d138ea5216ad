"""Reporting units and their submission links (Section III of the plan).

The plan asks the Bans, the Tổ đại biểu and the Thường trực HĐND of every xã and phường for a
six-month report, and the xã and phường for their kiến nghị too, before the day the meeting's
``reports_due`` names ("trước ngày 15/6": what comes on that day or later is late, nộp muộn).
Each such unit has its own link, like a pass: a random token (192 bits), revocable and
reissuable, opened without an account. This module owns the units, their links and the
deadline; what a unit sends through its link is recorded by the services of reports and kiến
nghị, which ask here whether the link works and whether what comes now is late.
"""
from __future__ import annotations

from datetime import datetime, time

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import audit, live, topics
from ..errors import DomainError, refuse
from ..extensions import db
from ..models import KienNghi, Meeting, Organisation, OrgKind, ReportingUnit, UnitLink, User, max_length
from ..text import clean, fold
from ..timeutil import from_local, to_local, utcnow
from .meetings import get_meeting, lock_meeting
from .passes import base_url, new_token

Actor = User | str | None


# --------------------------------------------------------------------------- which units

def is_ban(org: Organisation | None) -> bool:
    """A Ban of HĐND thị xã (Ban Pháp chế, Ban Kinh tế - Xã hội)."""
    return org is not None and org.kind == OrgKind.TOWN and fold(org.name).startswith("ban ")


def is_delegate_group(org: Organisation | None) -> bool:
    """The Tổ đại biểu HĐND thị xã."""
    return org is not None and org.kind == OrgKind.TOWN and fold(org.name).startswith("to dai bieu")


def is_commune(org: Organisation | None) -> bool:
    return org is not None and org.kind in (OrgKind.WARD, OrgKind.COMMUNE)


def asked_of(org: Organisation) -> tuple[bool, bool] | None:
    """What the plan asks of this body: (a report, kiến nghị), or None if it asks nothing."""
    if is_commune(org):
        return True, True
    if is_ban(org) or is_delegate_group(org):
        return True, False
    return None


def listing(meeting_id: int) -> list[ReportingUnit]:
    """The meeting's units in the order of the units list (town bodies, phường, xã), with their
    organisation and links read in the same queries."""
    from ..models import OrganisationGroup
    return list(db.session.scalars(
        select(ReportingUnit).where(ReportingUnit.meeting_id == meeting_id)
        .join(Organisation, Organisation.id == ReportingUnit.organisation_id)
        .join(OrganisationGroup, OrganisationGroup.id == Organisation.group_id)
        .order_by(OrganisationGroup.position, Organisation.position, Organisation.name)
        .options(joinedload(ReportingUnit.organisation), joinedload(ReportingUnit.links))).unique())


def set_up(meeting_id: int, *, actor: Actor = None) -> list[ReportingUnit]:
    """Give every body the plan asks for a report its unit and link (the ones it already has are
    kept, links and all): the meeting's units, in order."""
    meeting = get_meeting(meeting_id)
    lock_meeting(meeting)
    have = set(db.session.scalars(select(ReportingUnit.organisation_id).where(ReportingUnit.meeting_id == meeting.id)))
    added = []
    for org in db.session.scalars(select(Organisation).order_by(Organisation.position, Organisation.id)):
        asks = asked_of(org)
        if asks is None or org.id in have:
            continue
        unit = ReportingUnit(meeting_id=meeting.id, organisation=org, asks_report=asks[0], asks_kien_nghi=asks[1])
        db.session.add(unit)
        issue_link(unit)
        added.append(org.short_name)
    if added:
        audit.record("units.set_up", "meeting", meeting.id, meeting_id=meeting.id, actor=actor, units=added)
    db.session.commit()
    return listing(meeting.id)


def set_contact(meeting_id: int, unit_id, contact: str, seen: str, *, actor: Actor = None) -> ReportingUnit:
    """The unit's contact (đầu mối: a name, a phone number, as typed). `seen`: the contact the
    screen showed; if it has changed meanwhile, unit_contact_changed and nothing changes."""
    contact = " ".join((contact or "").split())
    if len(contact) > max_length(ReportingUnit.contact):
        raise DomainError("unit_contact_too_long", _l(
            "Thông tin đầu mối dài quá %(n)s ký tự.", n=max_length(ReportingUnit.contact)), status=400, field="contact")
    lock_meeting(get_meeting(meeting_id))
    unit = unit_of(meeting_id, unit_id)
    db.session.refresh(unit, ["contact"])
    if unit.contact != (seen or ""):
        refuse(DomainError("unit_contact_changed", _l(
            "Đầu mối của %(unit)s vừa được sửa trên máy khác (nay là “%(now)s”), nên chưa lưu. Hãy xem lại "
            "rồi sửa lại nếu vẫn muốn.", unit=unit.organisation.short_name, now=unit.contact or "—"), status=409))
    if unit.contact != contact:
        unit.contact = contact
        audit.record("unit.contact", "reporting_unit", unit.id, meeting_id=meeting_id, actor=actor,
                     unit=unit.organisation.short_name, contact=contact)
    db.session.commit()
    live.publish(meeting_id, topics.UNITS)
    return unit


# --------------------------------------------------------------------------- links

def issue_link(unit: ReportingUnit) -> UnitLink:
    """A fresh link for `unit` (no commit: part of the caller's change)."""
    link = UnitLink(unit=unit, token=new_token())
    db.session.add(link)
    return link


def unit_of(meeting_id: int, unit_id) -> ReportingUnit:
    """The meeting's unit `unit_id`; else unit_not_found (404)."""
    unit = db.session.get(ReportingUnit, unit_id) if str(unit_id or "").isdigit() else None
    if unit is None or unit.meeting_id != meeting_id:
        raise DomainError("unit_not_found", _l("Không tìm thấy đơn vị này."), status=404)
    return unit


def _as_shown(meeting_id: int, unit_id, shown) -> ReportingUnit:
    """The unit, under the meeting's lock, if its active link is the one the screen showed (its
    id, or "" for none); else unit_link_changed and nothing changes."""
    lock_meeting(get_meeting(meeting_id))
    unit = unit_of(meeting_id, unit_id)
    db.session.refresh(unit, ["links"])
    current = unit.active_link
    if str(current.id if current else "") != str(shown or ""):
        refuse(DomainError("unit_link_changed", _l(
            "Đường dẫn của %(unit)s vừa được thay đổi trên máy khác, nên chưa thay đổi gì. Hãy xem "
            "lại rồi làm lại nếu vẫn muốn.", unit=unit.organisation.short_name), status=409))
    return unit


def reissue_link(meeting_id: int, unit_id, shown, *, actor: Actor = None) -> UnitLink:
    """Revoke the unit's link (if any) and give it a new one: the old link stops working."""
    unit = _as_shown(meeting_id, unit_id, shown)
    now = utcnow()
    for link in unit.links:
        if link.revoked_at is None:
            link.revoked_at = now
    link = issue_link(unit)
    audit.record("unit_link.reissue", "reporting_unit", unit.id, meeting_id=meeting_id, actor=actor,
                 unit=unit.organisation.short_name)
    db.session.commit()
    live.publish(meeting_id, topics.UNITS)
    return link


def revoke_link(meeting_id: int, unit_id, shown, *, actor: Actor = None) -> ReportingUnit:
    """Revoke the unit's link without a new one, until it is reissued."""
    unit = _as_shown(meeting_id, unit_id, shown)
    current = unit.active_link
    if current is None:
        refuse(DomainError("unit_link_already_revoked", _l("Đường dẫn của đơn vị này đã bị thu hồi."), status=409))
    current.revoked_at = utcnow()
    audit.record("unit_link.revoke", "reporting_unit", unit.id, meeting_id=meeting_id, actor=actor,
                 unit=unit.organisation.short_name)
    db.session.commit()
    live.publish(meeting_id, topics.UNITS)
    return unit


def no_longer_available() -> DomainError:
    """What a revoked or unknown unit link answers (the same for both: a guess learns nothing)."""
    return DomainError("unit_link_unknown", _l(
        "Đường dẫn này không còn hiệu lực. Đề nghị liên hệ Văn phòng HĐND và UBND để nhận đường dẫn mới."),
        status=404)


def find_link(token: str) -> UnitLink:
    """The working link `token` names, with its unit, organisation and meeting; else
    unit_link_unknown (404)."""
    if not token or len(token) > max_length(UnitLink.token):
        raise no_longer_available()
    link = db.session.scalar(select(UnitLink).where(UnitLink.token == token).options(
        joinedload(UnitLink.unit).joinedload(ReportingUnit.organisation),
        joinedload(UnitLink.unit).joinedload(ReportingUnit.meeting)))
    if link is None or link.revoked_at is not None:
        raise no_longer_available()
    return link


def link_url(token: str) -> str:
    return base_url() + url_for("units.show", token=token)


# --------------------------------------------------------------------------- what a unit sends

MAX_SENDER = max_length(KienNghi.submitted_by)


def check_sender(text) -> str:
    """The name and position the sender typed ("Nguyễn Văn A, Phó Chủ tịch HĐND xã"): required,
    one line. Refused as sender_required or sender_too_long (field sent_by)."""
    value = clean(text)
    if not value:
        raise DomainError("sender_required", _l("Đề nghị ghi họ tên và chức vụ của người gửi."), status=422,
                          field="sent_by")
    if len(value) > MAX_SENDER:
        raise DomainError("sender_too_long", _l("Họ tên và chức vụ người gửi quá dài (tối đa %(n)s ký tự).",
                                                n=MAX_SENDER), status=422, field="sent_by")
    return value


def actor_of(unit: ReportingUnit) -> str:
    """Who the audit log names for what came by a unit's link (never its token)."""
    return f"unit:{unit.id}"


def days_left(meeting: Meeting, now: datetime | None = None) -> int | None:
    """The days still open before the deadline in the hall's calendar, today included ("trước ngày
    15/6" on 10/6: 5; on 14/6: 1, the last day; from 15/6: 0 or less, late); None when no day is set."""
    if meeting.reports_due is None:
        return None
    return (meeting.reports_due - to_local(now or utcnow()).date()).days


# --------------------------------------------------------------------------- the deadline

def deadline(meeting: Meeting) -> datetime | None:
    """When things sent become late (UTC): the start of ``reports_due`` in the hall's time zone, as
    the plan and the invitation say "trước ngày 15/6"; None when no day is set."""
    if meeting.reports_due is None:
        return None
    return from_local(datetime.combine(meeting.reports_due, time()))


def is_late(meeting: Meeting, now: datetime | None = None) -> bool:
    due = deadline(meeting)
    return due is not None and (now or utcnow()) >= due


def require_open(meeting: Meeting) -> None:
    """Refuse (submissions_closed) once the Văn phòng has closed the units' submissions."""
    if meeting.submissions_closed_at is not None:
        raise DomainError("submissions_closed", _l(
            "Văn phòng đã khóa việc gửi báo cáo và kiến nghị qua đường dẫn, nên nội dung này chưa được "
            "nhận. Đề nghị liên hệ trực tiếp Văn phòng HĐND và UBND."), status=409)


def close_submissions(meeting_id: int, *, actor: Actor = None) -> Meeting:
    """Stop taking reports and kiến nghị through the units' links (the links still open, and say
    so). Already closed (on another screen): submissions_already_closed, nothing changes."""
    meeting = get_meeting(meeting_id)
    lock_meeting(meeting)
    db.session.refresh(meeting, ["submissions_closed_at"])
    if meeting.submissions_closed_at is not None:
        refuse(DomainError("submissions_already_closed", _l(
            "Việc nhận báo cáo, kiến nghị qua đường dẫn đã được khóa (có thể trên máy khác)."), status=409))
    meeting.submissions_closed_at = utcnow()
    audit.record("units.close_submissions", "meeting", meeting.id, meeting_id=meeting.id, actor=actor)
    db.session.commit()
    live.publish(meeting.id, topics.UNITS)
    return meeting


def reopen_submissions(meeting_id: int, *, actor: Actor = None) -> Meeting:
    """Take reports and kiến nghị through the units' links again. Not closed (reopened on another
    screen): submissions_already_open, nothing changes."""
    meeting = get_meeting(meeting_id)
    lock_meeting(meeting)
    db.session.refresh(meeting, ["submissions_closed_at"])
    if meeting.submissions_closed_at is None:
        refuse(DomainError("submissions_already_open", _l(
            "Việc nhận báo cáo, kiến nghị qua đường dẫn đang mở (có thể vừa được mở lại trên máy khác)."),
            status=409))
    meeting.submissions_closed_at = None
    audit.record("units.reopen_submissions", "meeting", meeting.id, meeting_id=meeting.id, actor=actor)
    db.session.commit()
    live.publish(meeting.id, topics.UNITS)
    return meeting
