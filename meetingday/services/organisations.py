"""Organisations (town bodies, phường, xã) and their groups."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from .. import audit
from ..errors import DomainError, refuse
from ..extensions import db
from ..models import ConclusionTask, Invitee, KienNghi, Organisation, OrganisationGroup, OrgKind, User, max_length
from ..text import clean, fold
from .invitees import refresh_search_text
from .revisions import fingerprint

# Each kind of unit has its group, in this order on every list: (key, name, position).
KIND_GROUPS = {
    OrgKind.TOWN: ("town", "Cấp thị xã", 1),
    OrgKind.WARD: ("ward", "Phường", 2),
    OrgKind.COMMUNE: ("commune", "Xã", 3),
    OrgKind.OTHER: ("other", "Khác", 4),
}
MAX_NAME, MAX_SHORT_NAME = max_length(Organisation.name), max_length(Organisation.short_name)


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).join(OrganisationGroup)
        .order_by(OrganisationGroup.position, Organisation.position, Organisation.name)))


def id_named(name: str | None) -> int | None:
    """The id of the organisation called `name` (as chosen from the list, case aside), if any."""
    name = clean(name).casefold()
    if not name:
        return None
    return next((o.id for o in all_organisations() if o.name.casefold() == name), None)


def guess_kind(name: str) -> OrgKind:
    """'HĐND phường Phổ Hòa' is a ward and 'Xã Phổ An' a commune; 'Bảo hiểm xã hội thị xã' is a
    town body, not a commune, and 'địa phương' is not a ward. Read with the diacritics, which
    tell these words apart; a name typed without any is read by its first words only."""
    text = clean(name).lower()
    if fold(text) == text:  # typed without diacritics: "xa pho an", "hdnd phuong pho hoa"
        head = re.sub(r"^(hdnd|ubnd|dang uy) ", "", text)
        if head.startswith("phuong "):
            return OrgKind.WARD
        if head.startswith("xa ") and not head.startswith("xa hoi"):
            return OrgKind.COMMUNE
        return OrgKind.TOWN if re.search(r"\bthi (xa|uy)\b", text) else OrgKind.OTHER
    if re.search(r"\bphường\b", text):
        return OrgKind.WARD
    if re.search(r"(?<!thị )(?<!hợp tác )\bxã\b(?! hội)", text):
        return OrgKind.COMMUNE
    if re.search(r"\bthị (xã|ủy)\b", text):
        return OrgKind.TOWN
    return OrgKind.OTHER


def ensure_group(key: str, name: str, position: int = 99) -> OrganisationGroup:
    group = db.session.scalar(select(OrganisationGroup).where(OrganisationGroup.key == key))
    if group is None:
        group = OrganisationGroup(key=key, name=name, position=position)
        db.session.add(group)
        db.session.flush()
    return group


def _validate(name: str, short_name: str | None, kind) -> tuple[str, str, OrgKind]:
    name, short_name = clean(name), clean(short_name)
    if not name:
        raise DomainError("org_name_required", _l("Vui lòng nhập tên đơn vị."), field="name")
    if len(name) > MAX_NAME or len(short_name) > MAX_SHORT_NAME:
        raise DomainError("field_too_long", _l("Tên đơn vị quá dài."), field="name")
    try:
        kind = OrgKind(kind)
    except ValueError:
        raise DomainError("org_kind_invalid", _l("Loại đơn vị không hợp lệ."), field="kind") from None
    return name, short_name or name[:MAX_SHORT_NAME], kind


def _check_unique(name: str, exclude_id: int | None = None) -> None:
    for org in all_organisations():
        if org.id != exclude_id and fold(name) in (fold(org.name), fold(org.short_name)):
            raise DomainError("org_duplicate", _l("Đã có đơn vị này."), field="name", status=409)


def add_organisation(name: str, *, key: str | None = None, short_name: str | None = None,
                     kind=None, group: OrganisationGroup | None = None, position: int | None = None,
                     actor: User | str | None = None, commit: bool = True) -> Organisation:
    """Create a unit; its kind is guessed from its name when not given (imports)."""
    name, short_name, kind = _validate(name, short_name, kind if kind is not None else guess_kind(name))
    if not key:
        _check_unique(name)
    if position is None:  # after the units already there
        position = (db.session.scalar(select(func.max(Organisation.position))) or 0) + 1
    org = Organisation(key=key or _unique_key(name), name=name, short_name=short_name, kind=kind,
                       group=group or ensure_group(*KIND_GROUPS[kind]), position=position)
    org.search_text = fold(f"{org.name} {org.short_name}")
    db.session.add(org)
    db.session.flush()
    audit.record("organisation.add", "organisation", org.id, actor=actor, name=name, kind=kind)
    if commit:
        db.session.commit()
    return org


def shown(org: Organisation) -> str:
    """What a row of the units' list shows of a unit. An edit or a delete sends it back: one made
    from an older state (another laptop changed the unit meanwhile) is refused, org_changed."""
    return fingerprint(org.name, org.short_name, org.kind)


def _hold(org: Organisation) -> None:
    """Hold the unit's row until the commit and read it again; one deleted meanwhile is not
    found. FOR UPDATE on PostgreSQL (a row naming the unit, being added meanwhile, waits for it);
    a no-op write on SQLite, whose write lock holds every other writer."""
    found = db.session.execute(select(Organisation.id).where(Organisation.id == org.id).with_for_update())
    done = db.session.execute(update(Organisation).where(Organisation.id == org.id).values(kind=Organisation.kind)
                              .execution_options(synchronize_session=False))
    if found.first() is None or done.rowcount != 1:
        refuse(org_not_found())
    db.session.refresh(org)


def _check_shown(org: Organisation, seen: str | None, message) -> None:
    """`seen` None: a caller that did not read the unit off a screen (an import, the demo)."""
    if seen is not None and seen != shown(org):
        refuse(DomainError("org_changed", message, status=409))


def update_organisation(org: Organisation, *, name: str, short_name: str | None, kind,
                        actor: User | str | None = None, seen: str | None = None) -> Organisation:
    name, short_name, kind = _validate(name, short_name, kind)
    _hold(org)
    changes = {k: v for k, v in dict(name=name, short_name=short_name, kind=kind).items()
               if getattr(org, k) != v}
    if not changes:  # sent twice, or the same edit made on two laptops
        db.session.rollback()
        return org
    _check_shown(org, seen, _l("Trong lúc đang sửa, đơn vị này đã được sửa trên máy khác. Bản đã lưu ở dưới; "
                               "bấm “Lưu” lần nữa nếu vẫn muốn ghi đè bằng bản vừa nhập."))
    try:
        _check_unique(name, exclude_id=org.id)
    except DomainError as e:
        refuse(e)
    for k, v in changes.items():
        setattr(org, k, v)
    if "kind" in changes:
        org.group = ensure_group(*KIND_GROUPS[kind])
    org.search_text = fold(f"{org.name} {org.short_name}")
    refresh_search_text(org)  # invitees are found by their unit's name too
    audit.record("organisation.update", "organisation", org.id, actor=actor, changes=changes)
    db.session.commit()
    return org


def remove_organisation(org: Organisation, actor: User | str | None = None, *, seen: str | None = None) -> None:
    _hold(org)
    _check_shown(org, seen, _l("Đơn vị “%(name)s” vừa được sửa trên máy khác nên chưa bị xóa. Danh sách đã "
                               "được tải lại; xem lại rồi xóa lần nữa nếu vẫn muốn.", name=org.name))
    used = sum(db.session.scalar(select(func.count()).select_from(model).where(condition)) for model, condition in (
        (Invitee, Invitee.organisation_id == org.id),
        (KienNghi, (KienNghi.organisation_id == org.id) | (KienNghi.assigned_org_id == org.id)),
        (ConclusionTask, ConclusionTask.organisation_id == org.id),
    ))
    if used:
        refuse(DomainError("org_in_use", _l("Đơn vị này đang có người được mời, kiến nghị hoặc nhiệm vụ, "
                                             "không thể xóa."), status=409))
    audit.record("organisation.remove", "organisation", org.id, actor=actor, name=org.name)
    db.session.delete(org)
    db.session.commit()


def org_not_found() -> DomainError:
    return DomainError("org_not_found", _l("Không tìm thấy đơn vị."), status=404)


def find_organisation(org_id: int) -> Organisation | None:
    return db.session.get(Organisation, org_id)


def get_organisation(org_id: int) -> Organisation:
    org = find_organisation(org_id)
    if org is None:
        raise org_not_found()
    return org


def _unique_key(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:50] or "org"
    key, n = base, 1
    while db.session.scalar(select(Organisation.id).where(Organisation.key == key)):
        n += 1
        key = f"{base}_{n}"
    return key
