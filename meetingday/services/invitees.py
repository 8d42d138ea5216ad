"""Invitees: who is invited, and finding them by name without diacritics."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from .. import audit, live
from ..errors import DomainError, invitee_not_found
from ..extensions import db
from ..models import Confirmation, Invitee, InviteeCategory, Meeting, Organisation, OrganisationGroup, User, max_length
from ..text import clean, fold
from . import minutes, passes
from .meetings import lock_invitee, lock_meeting
from .revisions import seen_current

HONORIFICS = ("Ông", "Bà", "")
_PHONE = re.compile(r"^0\d{9,10}$")


def normalise_phone(raw: str | None) -> str | None:
    """One form for one number: '0905 123 456', '+84 905 123 456', '+84 (0) 905…' and a
    spreadsheet's 905123456 all become '0905123456'; '' -> None; anything else is an error."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if not digits:
        return None
    national = None
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        national = digits[2:]
    if national is not None:
        digits = "0" + (national[1:] if national.startswith("0") else national)
    elif len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits  # a spreadsheet stored the number as a number and lost its 0
    if not _PHONE.match(digits):
        raise DomainError("phone_invalid", _l("Số điện thoại không hợp lệ."), field="phone")
    return digits


def validate(full_name: str, honorific: str, position: str, category, phone: str | None) -> dict:
    """Check one invitee's fields; returns them cleaned. Shared by the form and the import."""
    full_name, position, honorific = clean(full_name), clean(position), clean(honorific)
    if not full_name:
        raise DomainError("name_required", _l("Vui lòng nhập họ và tên."), field="full_name")
    if len(full_name) > (n := max_length(Invitee.full_name)):
        raise DomainError("name_too_long", _l("Họ và tên quá dài (tối đa %(n)s ký tự).", n=n), field="full_name")
    if len(position) > (n := max_length(Invitee.position)):
        raise DomainError("position_too_long", _l("Chức vụ quá dài (tối đa %(n)s ký tự).", n=n), field="position")
    if honorific not in HONORIFICS:
        raise DomainError("honorific_invalid", _l("Danh xưng phải là Ông hoặc Bà."), field="honorific")
    try:
        category = InviteeCategory(category)
    except ValueError:
        raise DomainError("category_invalid", _l("Thành phần không hợp lệ (Đại biểu hoặc Khách mời)."), field="category") from None
    return dict(full_name=full_name, honorific=honorific, position=position, category=category,
                phone=normalise_phone(phone))


def _search_text(inv: Invitee) -> str:
    """What the searches look in: name, position, unit, and the name of whoever the person said
    will attend in their place (xác nhận tham dự), so the door finds the seat by either name."""
    org = inv.organisation
    sent = inv.confirmed_substitute_name if inv.confirmation == Confirmation.SUBSTITUTE else ""
    text = fold(" ".join(filter(None, [inv.full_name, inv.position, org.name if org else "",
                                       org.short_name if org else "", sent])))
    return text[:600]


def reindex(inv: Invitee) -> None:
    """After a change to what _search_text reads (no commit: part of the caller's change)."""
    inv.search_text = _search_text(inv)


def refresh_search_text(organisation: Organisation) -> None:
    """After a unit is renamed (no commit: part of the caller's change)."""
    for inv in db.session.scalars(select(Invitee).where(Invitee.organisation_id == organisation.id)):
        inv.search_text = _search_text(inv)


def _check_duplicate(meeting: Meeting, full_name: str, organisation: Organisation | None,
                     exclude_id: int | None = None) -> None:
    """Refuse a second invitee of this meeting with the same name (without diacritics) and unit."""
    wanted, org_id = fold(full_name), organisation.id if organisation else None
    if any(inv.id != exclude_id and inv.organisation_id == org_id and fold(inv.full_name) == wanted
           for inv in meeting.invitees):
        raise DomainError("invitee_duplicate",
                          _l("Người này đã có trong danh sách mời của đơn vị này."), field="full_name")


def create(meeting: Meeting, fields: dict, organisation: Organisation | None) -> Invitee:
    """Build a new invitee with a pass token (no commit; for add_invitee and the import)."""
    inv = Invitee(**fields)
    inv.organisation = organisation
    inv.search_text = _search_text(inv)
    inv.meeting_id = meeting.id
    db.session.add(inv)
    passes.issue_token(inv)
    return inv


def add_invitee(meeting: Meeting, *, full_name: str, honorific: str = "", position: str = "",
                organisation: Organisation | None = None, category=InviteeCategory.DELEGATE,
                phone: str | None = None, actor: User | str | None = None) -> Invitee:
    fields = validate(full_name, honorific, position, category, phone)
    lock_meeting(meeting)
    minutes.refuse_if_final(meeting)
    _check_duplicate(meeting, fields["full_name"], organisation)
    inv = create(meeting, fields, organisation)
    db.session.flush()
    audit.record("invitee.add", "invitee", inv.id, meeting_id=meeting.id, actor=actor,
                 full_name=inv.full_name)
    db.session.commit()
    return inv


def _require_revision(inv: Invitee, revision) -> None:
    """Refuse a change made from a screen that showed an older revision of this person (they were
    edited on another screen in between): invitee_conflict, and nothing is written."""
    if not seen_current(revision, inv.revision):
        db.session.rollback()
        raise DomainError("invitee_conflict", _l(
            "Thông tin của %(n)s vừa được sửa trên máy khác, nên chưa thay đổi gì. "
            "Hãy xem bản đã lưu rồi làm lại nếu vẫn muốn.", n=inv.full_name), status=409)


def update_invitee(inv: Invitee, *, full_name: str, honorific: str = "", position: str = "",
                   organisation: Organisation | None = None, category=InviteeCategory.DELEGATE,
                   phone: str | None = None, revision=None, actor: User | str | None = None) -> Invitee:
    """Edit a person as the form showed them at `revision` (an edit that changes nothing passes)."""
    fields = validate(full_name, honorific, position, category, phone)
    lock_meeting(inv.meeting)
    lock_invitee(inv, reload=True)  # as committed now (or not found, if deleted meanwhile)
    minutes.refuse_if_final(inv.meeting)
    _check_duplicate(inv.meeting, fields["full_name"], organisation, exclude_id=inv.id)
    fields["organisation_id"] = organisation.id if organisation else None
    changes = {k: v for k, v in fields.items() if getattr(inv, k) != v}
    if not changes:
        return inv
    _require_revision(inv, revision)
    for k, v in changes.items():
        setattr(inv, k, v)
    inv.revision = (inv.revision or 0) + 1
    inv.organisation = organisation
    inv.search_text = _search_text(inv)
    # Phone numbers are personal data: the log says it changed, not what it is.
    logged = {k: ("***" if k == "phone" else v) for k, v in changes.items()}
    audit.record("invitee.update", "invitee", inv.id, meeting_id=inv.meeting_id, actor=actor, changes=logged)
    db.session.commit()
    return inv


def remove_invitee(inv: Invitee, revision=None, actor: User | str | None = None) -> None:
    """Delete a person as the list showed them at `revision`; never one checked in meanwhile."""
    lock_meeting(inv.meeting)
    lock_invitee(inv, reload=True)  # a check-in at the door being written now commits first
    db.session.expire(inv, ["checkin", "tokens"])  # and is seen here
    minutes.refuse_if_final(inv.meeting)
    if inv.present_checkin is not None:
        raise DomainError("invitee_checked_in",
                          _l("Người này đã điểm danh, không thể xóa khỏi danh sách."), status=409)
    _require_revision(inv, revision)
    meeting_id, name = inv.meeting_id, inv.full_name
    tokens = [t.token for t in inv.tokens]
    db.session.delete(inv)
    audit.record("invitee.remove", "invitee", inv.id, meeting_id=meeting_id, actor=actor, full_name=name)
    db.session.commit()
    live.disconnect_passes(meeting_id, tokens)  # the phones opened with their pass


def get_invitee(meeting: Meeting, invitee_id: int) -> Invitee:
    inv = db.session.get(Invitee, invitee_id)
    if inv is None or inv.meeting_id != meeting.id:
        raise invitee_not_found()
    return inv


def search(meeting: Meeting, query: str = "", limit: int | None = None) -> list[Invitee]:
    """Find invitees without diacritics, in name, position or unit.

    The query as typed ("nguyen van") is looked for first as a phrase; only when nothing
    matches so does every word on its own ("chu tich pho an").
    """
    words = fold(query).split()
    if not words:
        return _search(meeting, [], limit)
    return _search(meeting, [" ".join(words)], limit) or (
        _search(meeting, words, limit) if len(words) > 1 else [])


def invitation_list(meeting: Meeting, query: str = "", invitee_id: int | None = None) -> list[Invitee]:
    """Who gets an invitation: invitees with a live pass, not walk-ins or substitutes."""
    return [p for p in search(meeting, query)
            if p.active_token and not p.walk_in and not p.substitute_for_id
            and (invitee_id is None or p.id == invitee_id)]


def _search(meeting: Meeting, terms: list[str], limit: int | None) -> list[Invitee]:
    stmt = (select(Invitee).where(Invitee.meeting_id == meeting.id)
            .options(selectinload(Invitee.organisation), selectinload(Invitee.tokens),
                     selectinload(Invitee.checkin)))
    if terms:
        stmt = stmt.where(and_(*(Invitee.search_text.contains(t, autoescape=True) for t in terms)))
    # Town bodies, then phường, then xã, in their order; people without a unit last.
    stmt = (stmt.outerjoin(Organisation).outerjoin(OrganisationGroup)
            .order_by(Organisation.id.is_(None), OrganisationGroup.position, Organisation.position, Invitee.id))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))
