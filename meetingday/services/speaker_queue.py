"""What the speaker queue of a discussion or remarks item is now, as the screens read it: the
line, who has the floor, who has spoken, which queue the screens show, a delegate's place in it
(``Place``), and per unit who has spoken for how long (``Fairness``). Nothing here writes; the
changes, and the rules and locking they follow, are in speakers.py.

A request is *waiting* (neither started nor withdrawn), *speaking* (started, not ended; paused
while ``paused_at`` is set) or *done* (ended, or withdrawn before it started).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import live
from ..extensions import db
from ..models import (
    AgendaItem,
    Invitee,
    ItemKind,
    KienNghi,
    KienNghiStatus,
    Meeting,
    Organisation,
    OrgKind,
    SpeakerRequest,
)
from ..timeutil import utcnow
from . import checkin

QUEUE_KINDS = (ItemKind.DISCUSSION, ItemKind.REMARKS)


def has_queue(item: AgendaItem | None) -> bool:
    return item is not None and item.kind in QUEUE_KINDS


def is_open(item: AgendaItem) -> bool:
    return item.queue_opened_at is not None and item.queue_closed_at is None


def _requests(item_id: int):
    return select(SpeakerRequest).where(SpeakerRequest.item_id == item_id)


# The person of a request and their unit, read with it: every screen of the queue names them.
_PERSON = joinedload(SpeakerRequest.invitee).joinedload(Invitee.organisation)


def waiting(item: AgendaItem) -> list[SpeakerRequest]:
    """The line, in order, with its people; read once per push or `live.reading_once` (not to
    be changed by the caller)."""
    return live.read_once(("waiting", item.id), lambda: list(db.session.scalars(
        _requests(item.id).where(SpeakerRequest.started_at.is_(None), SpeakerRequest.withdrawn_at.is_(None))
        .options(_PERSON).order_by(SpeakerRequest.sort_key, SpeakerRequest.id))))


def finished(item: AgendaItem) -> list[SpeakerRequest]:
    """Those who have spoken on the item, in the order they spoke."""
    return list(db.session.scalars(
        _requests(item.id).where(SpeakerRequest.ended_at.is_not(None))
        .order_by(SpeakerRequest.started_at, SpeakerRequest.id)))


def speaking(item: AgendaItem) -> SpeakerRequest | None:
    """Who has the floor on the item, with their unit; read once per push or `live.reading_once`."""
    return live.read_once(("speaking", item.id), lambda: db.session.scalar(
        _requests(item.id).where(SpeakerRequest.started_at.is_not(None), SpeakerRequest.ended_at.is_(None))
        .options(_PERSON)))


def current_speaker(meeting: Meeting) -> SpeakerRequest | None:
    """Who has the floor in the meeting now (only the current item's queue gives it)."""
    item = meeting.current_item
    return speaking(item) if has_queue(item) else None


def queue_item(meeting: Meeting) -> AgendaItem | None:
    """The queue the screens show: the current item's, else the first item whose queue the chair
    has opened ahead of time."""
    current = meeting.current_item
    if has_queue(current):
        return current
    if meeting.ended_at is not None:
        return None
    return next((i for i in meeting.items if has_queue(i) and is_open(i) and i.ended_at is None), None)


def is_present(invitee: Invitee) -> bool:
    row = checkin.current_checkin_once(invitee.id)
    return row is not None and row.present


def last_done(item: AgendaItem) -> SpeakerRequest | None:
    """The speaker who finished last, who can be put back at the head of the line."""
    return db.session.scalar(_requests(item.id).where(SpeakerRequest.ended_at.is_not(None))
                             .order_by(SpeakerRequest.ended_at.desc(), SpeakerRequest.id.desc()).limit(1))


def can_put_back(item: AgendaItem, request: SpeakerRequest | None = None,
                 line: list[SpeakerRequest] | None = None) -> bool:
    """The speaker who finished last (or `request`) is not in the line (`line`, if read already)."""
    request = request or last_done(item)
    if request is None or request.ended_at is None:
        return False
    return not any(r.invitee_id == request.invitee_id for r in (waiting(item) if line is None else line))


def kien_nghi_of(invitee: Invitee) -> list[KienNghi]:
    """The kiến nghị of the person's own commune or ward still waiting for an answer, which they
    may speak to."""
    if invitee.organisation_id is None:
        return []
    return list(db.session.scalars(select(KienNghi).where(
        KienNghi.meeting_id == invitee.meeting_id, KienNghi.organisation_id == invitee.organisation_id,
        KienNghi.status == KienNghiStatus.PENDING)
        .order_by(KienNghi.id)))


def remarks_query(meeting_id: int, item_ids: Iterable[int] | None = None):
    """The remarks of a meeting (requests given the floor), or of some of its items, in the order
    they were given the floor."""
    stmt = (select(SpeakerRequest).join(AgendaItem, AgendaItem.id == SpeakerRequest.item_id)
            .where(AgendaItem.meeting_id == meeting_id, SpeakerRequest.started_at.is_not(None)))
    if item_ids is not None:
        stmt = stmt.where(SpeakerRequest.item_id.in_(list(item_ids)))
    return stmt.order_by(SpeakerRequest.started_at, SpeakerRequest.id)


def meeting_kien_nghi(meeting: Meeting) -> list[KienNghi]:
    return list(db.session.scalars(select(KienNghi).where(KienNghi.meeting_id == meeting.id).order_by(KienNghi.id)))


@dataclass
class Place:
    """What a delegate's phone shows: their request on the queue item and where it stands."""
    item: AgendaItem | None
    request: SpeakerRequest | None  # waiting or speaking; None if neither
    place: int | None  # 1 = next in line
    ahead_speaking: bool  # someone has the floor now
    present: bool
    last: SpeakerRequest | None = None  # their latest finished or withdrawn request on the item
    left: SpeakerRequest | None = None  # still waiting on an item the agenda has moved on from

    @property
    def state(self) -> str:
        if self.item is None:
            return "left" if self.left is not None else "none"
        if self.request is not None:
            if self.request.speaking:
                return "speaking"
            return "next" if self.place == 1 else "waiting"
        if not self.present:
            return "absent"
        return "can_ask" if is_open(self.item) else "closed"


def place_of(meeting: Meeting, invitee: Invitee) -> Place:
    item = queue_item(meeting)
    present = is_present(invitee)
    if item is None:
        left = _left_waiting(meeting, invitee) if meeting.ended_at is None else None
        return Place(None, None, None, False, present, left=left)
    now = speaking(item)
    line = waiting(item)
    mine = now if now is not None and now.invitee_id == invitee.id else None
    place = None
    if mine is None:
        for index, request in enumerate(line, start=1):
            if request.invitee_id == invitee.id:
                mine, place = request, index
                break
    last = None
    if mine is None:
        last = db.session.scalar(_requests(item.id).where(SpeakerRequest.invitee_id == invitee.id)
                                 .order_by(SpeakerRequest.id.desc()).limit(1))
    return Place(item, mine, place, now is not None, present, last)


def _left_waiting(meeting: Meeting, invitee: Invitee) -> SpeakerRequest | None:
    """A request still waiting on an item that has ended (the chair may come back to it)."""
    return db.session.scalar(
        select(SpeakerRequest).join(AgendaItem, AgendaItem.id == SpeakerRequest.item_id)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.ended_at.is_not(None),
               SpeakerRequest.invitee_id == invitee.id, SpeakerRequest.started_at.is_(None),
               SpeakerRequest.withdrawn_at.is_(None))
        .order_by(SpeakerRequest.id.desc()).limit(1))


@dataclass
class UnitSpoken:
    organisation: Organisation | None
    speakers: list[tuple[SpeakerRequest, int]] = field(default_factory=list)  # (remark, seconds)

    @property
    def seconds(self) -> int:
        return sum(s for _, s in self.speakers)

    @property
    def running(self) -> SpeakerRequest | None:
        """The unit's speaker at the lectern now, with the clock running."""
        return next((r for r, _ in self.speakers if r.speaking and r.paused_at is None), None)

    @property
    def total_from(self) -> datetime | None:
        """Where a running counter of the unit's total starts (its earlier remarks counted in)."""
        running = self.running
        if running is None:
            return None
        others = sum(s for r, s in self.speakers if r is not running)
        return running.counting_from - timedelta(seconds=others)


@dataclass
class Fairness:
    units: list[UnitSpoken]        # units that have spoken, most time first
    silent: list[Organisation]     # invited xã/phường that have not spoken yet
    waiting_units: set[int]        # organisation ids with someone in the line shown now


def fairness(meeting: Meeting, now: datetime | None = None) -> Fairness:
    """Per unit, who has spoken in the meeting and for how long; the xã/phường not heard yet."""
    now = now or utcnow()
    item_ids = [i.id for i in meeting.items]
    spoken = list(db.session.scalars(
        select(SpeakerRequest).where(SpeakerRequest.item_id.in_(item_ids), SpeakerRequest.started_at.is_not(None))
        .order_by(SpeakerRequest.started_at))) if item_ids else []
    units: dict[int | None, UnitSpoken] = {}
    for remark in spoken:
        org = remark.invitee.organisation
        unit = units.setdefault(org.id if org else None, UnitSpoken(org))
        unit.speakers.append((remark, remark.spoken(now)))
    invited = db.session.scalars(
        select(Organisation).join(Invitee, Invitee.organisation_id == Organisation.id)
        .where(Invitee.meeting_id == meeting.id, Organisation.kind.in_((OrgKind.WARD, OrgKind.COMMUNE)))
        .distinct().order_by(Organisation.position, Organisation.id))
    silent = [org for org in invited if org.id not in units]
    shown = queue_item(meeting)
    line = [r.invitee.organisation_id for r in waiting(shown)] if shown is not None else []
    ordered = sorted(units.values(), key=lambda u: (-u.seconds, u.organisation.position if u.organisation else 0))
    return Fairness(ordered, silent, {org_id for org_id in line if org_id is not None})
