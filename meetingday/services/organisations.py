"""Organisations (town bodies, phường, xã) and their groups."""
from __future__ import annotations

import re

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Organisation, OrganisationGroup, OrgKind, User
from ..text import clean, fold

OTHER_GROUP = ("other", "Khác")


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).join(OrganisationGroup)
        .order_by(OrganisationGroup.position, Organisation.position, Organisation.name)))


def find_by_name(name: str) -> Organisation | None:
    """Match a unit as people type it: full or short name, any case, with or without diacritics."""
    wanted = fold(name)
    if not wanted:
        return None
    for org in all_organisations():
        if wanted in (fold(org.name), fold(org.short_name), org.key):
            return org
    return None


def ensure_group(key: str, name: str, position: int = 99) -> OrganisationGroup:
    group = db.session.scalar(select(OrganisationGroup).where(OrganisationGroup.key == key))
    if group is None:
        group = OrganisationGroup(key=key, name=name, position=position)
        db.session.add(group)
        db.session.flush()
    return group


def add_organisation(name: str, *, key: str | None = None, short_name: str | None = None,
                     kind: OrgKind = OrgKind.OTHER, group: OrganisationGroup | None = None,
                     position: int = 0, actor: User | str | None = None,
                     commit: bool = True) -> Organisation:
    """Create an organisation (used by imports for a unit not yet known)."""
    name = clean(name)
    group = group or ensure_group(*OTHER_GROUP)
    org = Organisation(key=key or _unique_key(name), name=name, short_name=clean(short_name) or name,
                       kind=kind, group=group, position=position)
    org.search_text = fold(f"{org.name} {org.short_name}")
    db.session.add(org)
    db.session.flush()
    audit.record("organisation.add", "organisation", org.id, actor=actor, name=name)
    if commit:
        db.session.commit()
    return org


def _unique_key(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:50] or "org"
    key, n = base, 1
    while db.session.scalar(select(Organisation.id).where(Organisation.key == key)):
        n += 1
        key = f"{base}_{n}"
    return key
