"""Attendance: who is here (có mặt X/Y), per group and unit, and who is excused.

How the numbers are counted (one rule for the door, the chair and the projector):
- expected (Y) = the invited seats: invitees of the meeting that are neither walk-ins nor
  substitutes (Invitee.walk_in is false and Invitee.substitute_for_id is NULL). A seat marked
  absent with a reason (vắng có lý do) stays expected; it is counted in `excused`.
- present (X) = invited seats whose invitee, or a person attending in their place (an invitee
  with substitute_for_id pointing at the seat), has a check-in that is not undone
  (CheckIn.undone_at IS NULL). A seat counts once, however many people came for it.
- walk_ins = walk-in guests with a live check-in; they are shown apart and never in X/Y.
- excused = seats marked absent with a reason and not present (arriving later wins).
The numbers come from two aggregate queries (seats grouped by unit, walk-ins), not per row.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, and_, bindparam, case, func, not_, or_, select
from sqlalchemy.orm import aliased, selectinload

from .. import audit, live, topics
from ..errors import DomainError, invitee_not_found, refuse
from ..extensions import db
from ..models import (
    CheckIn,
    Invitee,
    Meeting,
    Organisation,
    OrganisationGroup,
    User,
    utcnow,
)
from ..text import fold
from ..text import reason as text_reason
from . import meetings, minutes

# Who is present, as two derived tables for the meeting given as the `meeting_id` parameter:
# `own` (invitees with a live check-in) and `sub` (seats someone attends in place of, with a
# live check-in; one row per seat). Outer-joined to the invitees they say who is here without a
# correlated subquery per person; built once, so SQLAlchemy caches their compiled form.
_MEETING = bindparam("meeting_id", type_=Integer)
_OWN = (select(CheckIn.invitee_id.label("invitee_id"))
        .where(CheckIn.meeting_id == _MEETING, CheckIn.present)).subquery("own")
_STAND_IN = aliased(Invitee, name="stand_in")
_SUB = (select(_STAND_IN.substitute_for_id.label("seat_id"))
        .join(CheckIn, CheckIn.invitee_id == _STAND_IN.id)
        .where(CheckIn.meeting_id == _MEETING, CheckIn.present,
               _STAND_IN.substitute_for_id.is_not(None))
        .distinct()).subquery("sub")
OWN_HERE = _OWN.c.invitee_id.is_not(None)
PRESENT = or_(OWN_HERE, _SUB.c.seat_id.is_not(None))


def with_arrivals(stmt):
    """`stmt` (over Invitee) joined to who is here; use PRESENT / OWN_HERE in it and pass
    {"meeting_id": ...} when executing."""
    return stmt.outerjoin(_OWN, _OWN.c.invitee_id == Invitee.id).outerjoin(_SUB, _SUB.c.seat_id == Invitee.id)


SEAT = and_(Invitee.walk_in.is_(False), Invitee.substitute_for_id.is_(None))


@dataclass
class Tally:
    """có mặt present/expected for one unit, one group or the whole meeting."""
    present: int = 0
    expected: int = 0
    excused: int = 0       # vắng có lý do (and not present)
    substituted: int = 0   # seats present only through a substitute (dự thay)

    @property
    def missing(self) -> int:
        return self.expected - self.present

    @property
    def not_yet(self) -> int:
        """Neither here nor excused: the ones the door is still waiting for."""
        return self.expected - self.present - self.excused

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.expected) if self.expected else 0

    def add(self, other: Tally) -> None:
        self.present += other.present
        self.expected += other.expected
        self.excused += other.excused
        self.substituted += other.substituted


@dataclass
class UnitCount(Tally):
    id: int | None = None
    name: str = ""
    short_name: str = ""


@dataclass
class GroupCount(Tally):
    key: str = ""
    name: str = ""
    units: list[UnitCount] = field(default_factory=list)


@dataclass
class Counts(Tally):
    """The whole meeting: .present/.expected (có mặt X/Y), groups in list order, walk-ins."""
    walk_ins: int = 0
    groups: list[GroupCount] = field(default_factory=list)


NO_UNIT_KEY = "none"


def _how_many(condition):
    return func.sum(case((condition, 1), else_=0))


# Seats (and walk-ins) per unit, with the unit and its group: invited, present, excused and not
# present, present only through a substitute. One query, plain rows (no ORM objects to build).
_UNIT_COLUMNS = (Invitee.walk_in, Organisation.id, Organisation.name, Organisation.short_name,
                 Organisation.position, OrganisationGroup.id, OrganisationGroup.key, OrganisationGroup.name,
                 OrganisationGroup.position)
_COUNTS = (with_arrivals(select(*_UNIT_COLUMNS, func.count(Invitee.id), _how_many(PRESENT),
                                _how_many(and_(Invitee.absent_reason.is_not(None), not_(PRESENT))),
                                _how_many(and_(PRESENT, not_(OWN_HERE)))))
           .outerjoin(Organisation, Invitee.organisation_id == Organisation.id)
           .outerjoin(OrganisationGroup, Organisation.group_id == OrganisationGroup.id)
           .where(Invitee.meeting_id == _MEETING, Invitee.substitute_for_id.is_(None))
           .group_by(*_UNIT_COLUMNS))


def counts(meeting: Meeting | int) -> Counts:
    meeting_id = meeting if isinstance(meeting, int) else meeting.id
    return live.read_once(("attendance.counts", meeting_id), lambda: _counts(meeting_id))


def _counts(meeting_id: int) -> Counts:
    rows = db.session.execute(_COUNTS, {"meeting_id": meeting_id}).all()
    total = Counts()
    groups: dict[int | None, GroupCount] = {}
    no_unit = None
    # Town bodies, then phường, then xã, each in its order; people without a unit last.
    for (walk_in, org_id, name, short_name, _pos, group_id, key, group_name, _gpos,
         n, present, excused, substituted) in sorted(
            rows, key=lambda r: (r[1] is None, r[8] or 0, r[4] or 0, r[2] or "")):
        if walk_in:
            total.walk_ins += int(present or 0)
            continue
        unit = UnitCount(id=org_id, name=name or "", short_name=short_name or "", expected=n,
                         present=int(present or 0), excused=int(excused or 0), substituted=int(substituted or 0))
        if org_id is None:
            unit.name = unit.short_name = str(_l("Không thuộc đơn vị"))
            no_unit = GroupCount(key=NO_UNIT_KEY, name=unit.name, units=[unit])
            no_unit.add(unit)
            continue
        group = groups.get(group_id)
        if group is None:
            group = groups[group_id] = GroupCount(key=key, name=group_name)
        group.units.append(unit)
        group.add(unit)
    total.groups = list(groups.values()) + ([no_unit] if no_unit else [])
    for group in total.groups:
        total.add(group)
    return total


def waiting(meeting: Meeting, query: str = "", unit: str = "") -> list[Invitee]:
    """Invited seats that are not present (excused ones included, flagged by absent_reason),
    in list order; `query` is folded like the door search, `unit` is an organisation id,
    a group key or "none"."""
    stmt = (with_arrivals(select(Invitee)).where(Invitee.meeting_id == meeting.id, SEAT, not_(PRESENT))
            .options(selectinload(Invitee.organisation))
            .outerjoin(Organisation, Invitee.organisation_id == Organisation.id)
            .outerjoin(OrganisationGroup, Organisation.group_id == OrganisationGroup.id)
            .order_by(Organisation.id.is_(None), OrganisationGroup.position, Organisation.position,
                      Invitee.id))
    for word in fold(query).split():
        stmt = stmt.where(Invitee.search_text.contains(word, autoescape=True))
    if unit == NO_UNIT_KEY:
        stmt = stmt.where(Invitee.organisation_id.is_(None))
    elif unit.isdigit():
        stmt = stmt.where(Invitee.organisation_id == int(unit))
    elif unit:
        stmt = stmt.where(OrganisationGroup.key == unit)
    return list(db.session.scalars(stmt, {"meeting_id": meeting.id}))


@dataclass
class Arrival:
    checked_in_at: object
    method: object
    late: bool
    full_name: str
    unit: str
    walk_in: bool
    substitute_for: str | None  # the name of the invitee this person attends in place of


_SEAT = aliased(Invitee, name="seat")
_RECENT = (select(CheckIn.checked_in_at, CheckIn.method, CheckIn.late, Invitee.full_name,
                  Organisation.short_name, Invitee.walk_in, _SEAT.full_name)
           .join(Invitee, CheckIn.invitee_id == Invitee.id)
           .outerjoin(Organisation, Invitee.organisation_id == Organisation.id)
           .outerjoin(_SEAT, Invitee.substitute_for_id == _SEAT.id)
           .where(CheckIn.meeting_id == _MEETING, CheckIn.present)
           .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
           .limit(bindparam("limit", type_=Integer)))


def recent(meeting: Meeting, limit: int = 8) -> list[Arrival]:
    """The latest live check-ins (walk-ins and substitutes included), newest first."""
    return [Arrival(at, method, late, name, unit or "", walk_in, seat)
            for at, method, late, name, unit, walk_in, seat in
            db.session.execute(_RECENT, {"meeting_id": meeting.id, "limit": limit})]


def is_present(invitee: Invitee) -> bool:
    stmt = with_arrivals(select(Invitee.id)).where(Invitee.id == invitee.id, PRESENT)
    return db.session.scalar(stmt, {"meeting_id": invitee.meeting_id}) is not None


def get_seat(meeting: Meeting, invitee_id: int) -> Invitee:
    inv = db.session.get(Invitee, invitee_id)
    if inv is None or inv.meeting_id != meeting.id:
        raise invitee_not_found()
    if inv.walk_in or inv.substitute_for_id:
        raise DomainError("not_a_seat",
                          _l("Chỉ đánh dấu vắng cho người có tên trong danh sách mời."), status=409)
    return inv


def _absence_changed(inv: Invitee) -> DomainError:
    saved = inv.absent_reason or ""
    message = (_l("Trong lúc đang nhập, một máy khác đã ghi lý do vắng khác cho người này: “%(saved)s”. "
                  "Lưu lần nữa nếu vẫn muốn ghi lý do vừa nhập.", saved=saved) if saved else
               _l("Trong lúc đang nhập, một máy khác đã bỏ đánh dấu vắng của người này. "
                  "Lưu lần nữa nếu vẫn muốn đánh dấu vắng."))
    return DomainError("absence_changed", message, status=409, field="reason", saved=saved)


def _locked_seat(meeting: Meeting, invitee_id: int) -> Invitee:
    """The seat, held until the commit and read as the change before committed it."""
    minutes.refuse_if_final(meeting)
    inv = get_seat(meeting, invitee_id)
    meetings.lock_invitee(inv, reload=True)
    return inv


def absence_reason(reason: str | None) -> str:
    """The reason of an absence as typed: cleaned, required, one line (reason_required,
    reason_too_long)."""
    return text_reason(reason, "reason", _l("Vui lòng nhập lý do vắng."))


def record_absence(inv: Invitee, reason: str, actor: User | str | None = None, *, at=None) -> None:
    """The one writer of an absence: `inv` (a seat, locked by the caller) is vắng có lý do for
    `reason` (checked by absence_reason), marked `at` (now). No commit: part of the caller's
    change (mark_absent here, a delegate's answer in services/confirmations.py)."""
    previous = inv.absent_reason
    inv.absent_reason, inv.absent_marked_at = reason, at or utcnow()
    audit.record("attendance.absent", "invitee", inv.id, meeting_id=inv.meeting_id, actor=actor,
                 reason=reason, previous=previous)


def drop_absence(inv: Invitee, actor: User | str | None = None) -> None:
    """Take `inv`'s absence away (locked by the caller; no commit, as record_absence)."""
    reason = inv.absent_reason
    inv.absent_reason = inv.absent_marked_at = None
    audit.record("attendance.absent_clear", "invitee", inv.id, meeting_id=inv.meeting_id, actor=actor,
                 reason=reason)


def mark_absent(meeting: Meeting, invitee_id: int, reason: str,
                actor: User | str | None = None, *, seen: str = "") -> Invitee:
    """Vắng có lý do: an invited person who is not here sent their excuse. `seen` is the reason
    the screen showed ("" for none): one another screen set or cleared meanwhile is not
    overwritten unseen (absence_changed, with the reason saved now)."""
    reason = absence_reason(reason)
    inv = _locked_seat(meeting, invitee_id)
    if is_present(inv):
        refuse(DomainError("already_present", _l("Người này đã có mặt, không thể đánh dấu vắng."), status=409))
    previous = inv.absent_reason
    if previous == reason:  # sent twice, or the same excuse from two screens
        db.session.rollback()
        return inv
    if (previous or "") != (seen or ""):
        refuse(_absence_changed(inv))
    record_absence(inv, reason, actor)
    db.session.commit()
    live.publish(meeting.id, topics.ATTENDANCE)
    return inv


def clear_absent(meeting: Meeting, invitee_id: int, actor: User | str | None = None, *,
                 seen: str | None) -> Invitee:
    """Take the absence mark away; `seen` is the reason the screen showed with it."""
    inv = _locked_seat(meeting, invitee_id)
    if inv.absent_reason is None:
        refuse(DomainError("not_absent", _l("Người này chưa được đánh dấu vắng."), status=409))
    if inv.absent_reason != seen:
        refuse(DomainError("absence_changed", _l("Một máy khác vừa đổi lý do vắng của người này thành “%(saved)s”. "
                                                  "Xem lại rồi bỏ đánh dấu lần nữa nếu vẫn muốn.",
                                                  saved=inv.absent_reason), status=409, saved=inv.absent_reason))
    drop_absence(inv, actor)
    db.session.commit()
    live.publish(meeting.id, topics.ATTENDANCE)
    return inv
