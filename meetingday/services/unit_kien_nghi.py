"""Kiến nghị a xã or phường sends by its submission link (/u/<token>).

They are the secretary's kiến nghị (services/kien_nghi.py), with the unit, the name the sender
typed and whether they came late: each change here goes through that module's add, update and
delete (its content check, duplicate rule, desk claim, audit and push), and the import through
services/kien_nghi_import.py with the commune fixed to the unit's own.

What a link may do:
- add, one by one or from a spreadsheet, until the Văn phòng closes the submissions; from the
  deadline on, what comes is kept and marked late (nộp muộn);
- edit or delete one of its own, while it waits for an answer, before the deadline, and while
  its Ban has not prepared an answer. After the deadline the kiến nghị have gone to the Bans: a
  change then is refused (kien_nghi_past_deadline) and the unit asks the Văn phòng.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import live, topics
from ..errors import DomainError
from ..extensions import db
from ..models import KienNghi, Meeting, ReportingUnit
from . import kien_nghi, kien_nghi_import, units
from .tables import Preview


def _unit(unit_or_token: ReportingUnit | str) -> ReportingUnit:
    unit = unit_or_token if isinstance(unit_or_token, ReportingUnit) else units.find_link(unit_or_token).unit
    if not unit.asks_kien_nghi:
        raise DomainError("kien_nghi_not_asked", _l("Kế hoạch không đề nghị đơn vị này gửi kiến nghị."), status=409)
    return unit


def own(unit: ReportingUnit) -> list[KienNghi]:
    """The kiến nghị the unit sent by its link, in the order they came."""
    return list(db.session.scalars(select(KienNghi).where(KienNghi.unit_id == unit.id).order_by(KienNghi.id)))


def get_own(unit: ReportingUnit, kn_id) -> KienNghi:
    """One of the kiến nghị the unit sent (404 kien_nghi_not_found otherwise)."""
    kn = kien_nghi.get(unit.meeting, kn_id)
    if kn.unit_id != unit.id:
        raise _not_yours()
    return kn


def _not_yours() -> DomainError:
    return DomainError("kien_nghi_not_found", _l("Không tìm thấy kiến nghị này."), status=404)


def editable(kn: KienNghi, meeting: Meeting) -> bool:
    """The page offers to edit and delete it (the services decide again)."""
    return (kn.status == kien_nghi.KienNghiStatus.PENDING and not kn.has_draft and not units.is_late(meeting)
            and meeting.submissions_closed_at is None)


def _sent(unit: ReportingUnit, sender: str):
    """The fields of a row the unit sends, read under the desk's claim."""
    def fields(meeting: Meeting) -> dict:
        units.require_open(meeting)
        return {"unit_id": unit.id, "submitted_by": sender, "late": units.is_late(meeting)}
    return fields


def _guard(unit: ReportingUnit):
    """What the link may not change, checked under the desk's claim."""
    def check(meeting: Meeting, kn: KienNghi) -> None:
        if kn.unit_id != unit.id:
            raise _not_yours()
        units.require_open(meeting)
        if units.is_late(meeting):
            raise DomainError("kien_nghi_past_deadline", _l(
                "Đã quá hạn gửi nên kiến nghị đã gửi không còn sửa, xóa được qua đường dẫn (Văn phòng đã chuyển "
                "kiến nghị đến các Ban). Nếu cần điều chỉnh, đề nghị Quý đơn vị liên hệ Văn phòng HĐND và UBND; "
                "kiến nghị mới vẫn gửi được và được ghi là nộp muộn."), status=409)
        if kn.has_draft:
            raise DomainError("kien_nghi_in_hand", _l(
                "Ban được giao đã chuẩn bị trả lời kiến nghị này nên không sửa, xóa được qua đường dẫn. Nếu cần "
                "điều chỉnh, đề nghị Quý đơn vị liên hệ Văn phòng HĐND và UBND."), status=409)
    return check


def add(unit_or_token: ReportingUnit | str, content: str, sent_by) -> KienNghi:
    unit = _unit(unit_or_token)
    units.require_open(unit.meeting)
    content = kien_nghi.check_content(content)  # in the order of the form's fields
    sender = units.check_sender(sent_by)
    kn = kien_nghi.add(unit.meeting_id, unit.organisation_id, content, actor=units.actor_of(unit),
                       sent=_sent(unit, sender))
    live.publish(unit.meeting_id, topics.UNITS)  # the Văn phòng's board counts them
    return kn


def update(unit_or_token: ReportingUnit | str, kn_id, content: str, *, seen) -> KienNghi:
    """Its content (the commune and the Ban the Văn phòng chose stay)."""
    unit = _unit(unit_or_token)
    kn = get_own(unit, kn_id)
    return kien_nghi.update(unit.meeting_id, kn.id, unit.organisation_id, content, kn.assigned_org_id,
                            seen=seen or "-", actor=units.actor_of(unit), guard=_guard(unit))


def delete(unit_or_token: ReportingUnit | str, kn_id, *, seen) -> None:
    unit = _unit(unit_or_token)
    kien_nghi.delete(unit.meeting_id, kn_id, seen=seen or "-", actor=units.actor_of(unit), guard=_guard(unit))
    live.publish(unit.meeting_id, topics.UNITS)


# --------------------------------------------------------------------------- import

def preview(unit_or_token: ReportingUnit | str, filename: str, data: bytes, sent_by) -> Preview:
    """The import's preview (kien_nghi_import.preview) with the commune fixed to the unit's."""
    unit = _unit(unit_or_token)
    units.require_open(unit.meeting)
    units.check_sender(sent_by)
    return kien_nghi_import.preview(unit.meeting, filename, data, commune=unit.organisation)


def sign(unit: ReportingUnit, result: Preview) -> str:
    return kien_nghi_import.sign(unit.meeting, result, unit_id=unit.id)


def apply(unit_or_token: ReportingUnit | str, blob: str, sent_by, *, only_valid: bool):
    """Write the rows previewed for this unit, checked again: (added, skipped rows)."""
    unit = _unit(unit_or_token)
    units.require_open(unit.meeting)
    sender = units.check_sender(sent_by)
    result = kien_nghi_import.apply(unit.meeting_id, blob, only_valid=only_valid, actor=units.actor_of(unit),
                                    commune=unit.organisation, unit_id=unit.id, sent=_sent(unit, sender))
    live.publish(unit.meeting_id, topics.UNITS)
    return result
