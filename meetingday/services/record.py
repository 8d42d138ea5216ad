"""What happened at a meeting, read once for the documents made from it (the minutes, the
conclusion notice and the minutes' print view). A read model: it writes nothing.

``gather(meeting)`` reads, in a handful of queries, the programme as held (each item's actual
times and the time it was held), every remark in the order the floor was given with the
secretary's note, each item's conclusion and published documents, the kiến nghị with their answers, the closing
conclusion with its tasks, and the attendance (có mặt X/Y per group, late arrivals, who attended
in whose place, excused absences, walk-in guests). The documents only arrange what it holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    CheckIn,
    Conclusion,
    Invitee,
    ItemKind,
    KienNghi,
    KienNghiStatus,
    Meeting,
    Organisation,
    OrganisationGroup,
    OrgKind,
    SpeakerKind,
    SpeakerRequest,
)
from ..text import fold
from ..timeutil import to_local, utcnow
from . import attendance, meeting_documents, speaker_queue

# The status of a kiến nghị in the words of the documents (always Vietnamese: official text).
KIEN_NGHI_STATUS = {
    KienNghiStatus.PENDING: "Chưa trả lời",
    KienNghiStatus.ANSWERED: "Đã trả lời tại Hội nghị",
    KienNghiStatus.WRITTEN_LATER: "Sẽ trả lời bằng văn bản",
    KienNghiStatus.WITHDRAWN: "Địa phương đã rút kiến nghị",
}


@dataclass
class Person:
    """Someone named in the documents: 'Ông Võ Thanh Bình, Chủ tịch HĐND thị xã' ("Ông"/"Bà"
    capitalised wherever the name stands in a sentence)."""
    name: str
    honorific: str = ""
    position: str = ""
    unit: str = ""  # the short name of a unit that is not a town body ("Xã Phổ An")

    @property
    def called(self) -> str:
        """Honorific and name, as a sentence or a list line starts: 'Ông Võ Thanh Bình'."""
        return " ".join(filter(None, [self.honorific, self.name]))

    @property
    def described(self) -> str:
        """Honorific, name and position; the unit too when the position does not name it."""
        text = ", ".join(filter(None, [self.called, self.position]))
        if self.unit and fold(self.unit) not in fold(self.position):
            text += f" ({self.unit})"
        return text


def person_of(invitee: Invitee) -> Person:
    """A town body's positions name the body ('Chủ tịch HĐND thị xã'): their unit is left out;
    a xã, phường or other unit is named when the position does not name it."""
    org = invitee.organisation
    unit = org.short_name if org is not None and org.kind != OrgKind.TOWN else ""
    return Person(invitee.full_name, invitee.honorific or "", invitee.position or "", unit)


@dataclass
class RemarkEntry:
    """One turn at the lectern (a request given the floor)."""
    id: int
    speaker: Person
    kind: SpeakerKind
    started_at: datetime
    ended_at: datetime | None
    seconds: int
    topic: str
    note: str
    kien_nghi: KienNghiEntry | None = None  # the kiến nghị it raised or answered
    item_number: int = 0

    @property
    def is_answer(self) -> bool:
        return self.kind == SpeakerKind.ANSWER


@dataclass
class ItemEntry:
    number: int
    id: int
    title: str
    kind: ItemKind
    presenter: str
    planned_minutes: int
    started_at: datetime | None
    ended_at: datetime | None
    held_seconds: int
    remarks: list[RemarkEntry] = field(default_factory=list)
    conclusion: str = ""
    documents: list[str] = field(default_factory=list)  # the published documents presented under it, named

    @property
    def held_minutes(self) -> int:
        return (self.held_seconds + 30) // 60

    @property
    def state(self) -> str:
        """not_started, running or held."""
        if self.started_at is None:
            return "not_started"
        return "running" if self.ended_at is None else "held"


@dataclass
class KienNghiEntry:
    number: int
    id: int
    unit: str            # the commune or ward that raised it (full name)
    unit_short: str
    content: str
    assigned: str        # the Ban it was given to ("" if none)
    status: KienNghiStatus
    answer: str
    answered_by: str
    answered_in: RemarkEntry | None = None  # the remark it was answered in

    @property
    def status_words(self) -> str:
        return KIEN_NGHI_STATUS[self.status]


@dataclass
class TaskEntry:
    number: int
    body: str
    content: str
    deadline: date | None


@dataclass
class Substitute:
    person: Person
    seat: Person  # the invitee in whose place they attended


@dataclass
class Absence:
    person: Person
    reason: str


@dataclass
class Body:
    """A unit with someone present: 'UBND thị xã Đức Phổ' (kind: town, ward or commune)."""
    name: str
    short_name: str
    kind: OrgKind


@dataclass
class Attendance:
    counts: attendance.Counts
    late: int
    substitutes: list[Substitute]
    excused: list[Absence]
    walk_ins: list[Person]
    leaders: list[Person] = field(default_factory=list)  # the town's leaders present, in list order
    bodies: list[Body] = field(default_factory=list)     # the units with someone present, in list order
    local_unit_ids: set[int] = field(default_factory=set)  # the xã and phường invited

    @property
    def absent(self) -> int:
        return self.counts.expected - self.counts.present

    @property
    def absent_unexcused(self) -> int:
        return self.absent - self.counts.excused


@dataclass
class Record:
    meeting: Meeting
    chair: Person
    secretary: Person
    items: list[ItemEntry]
    kien_nghi: list[KienNghiEntry]
    closing_intro: str
    tasks: list[TaskEntry]
    attendance: Attendance
    read_at: datetime

    @property
    def started_at(self) -> datetime | None:
        return self.meeting.started_at

    @property
    def ended_at(self) -> datetime | None:
        return self.meeting.ended_at

    @property
    def finalized(self) -> bool:
        return self.meeting.minutes_finalized_at is not None

    @property
    def day(self) -> date:
        """The meeting's date in the hall's time zone (actual start, else the planned one)."""
        return to_local(self.meeting.started_at or self.meeting.starts_at).date()

    @property
    def remarks(self) -> list[RemarkEntry]:
        return [r for item in self.items for r in item.remarks]

    @property
    def task_bodies(self) -> list[str]:
        """The bodies that have a task, each once, in the order of the tasks."""
        seen, bodies = set(), []
        for task in self.tasks:
            if fold(task.body) not in seen:
                seen.add(fold(task.body))
                bodies.append(task.body)
        return bodies


def _named(meeting: Meeting, name: str, people: list[Invitee]) -> Person:
    """The chair or the secretary as the meeting names them, with the position of the invitee
    of that name when there is one (a name alone otherwise)."""
    name = (name or "").strip()
    match = next((p for p in people if name and fold(p.full_name) == fold(name)
                  and not p.walk_in and p.substitute_for_id is None), None)
    return person_of(match) if match is not None else Person(name)


# Positions that lead a town body (folded starts): the leaders the minutes name among those present.
LEADER_TITLES = ("bi thu", "pho bi thu", "chu tich", "pho chu tich", "truong ban", "pho truong ban",
                 "chanh van phong", "pho chanh van phong", "giam doc", "pho giam doc")


def is_leader(invitee: Invitee) -> bool:
    """A leader of a town body: its Bí thư, Chủ tịch, Trưởng Ban, Chánh Văn phòng, Giám đốc or
    their deputies."""
    org = invitee.organisation
    return (org is not None and org.kind == OrgKind.TOWN and not invitee.walk_in
            and fold(invitee.position or "").startswith(LEADER_TITLES))


def _attendance(meeting: Meeting, people: list[Invitee]) -> Attendance:
    counts = attendance.counts(meeting)
    live = {c.invitee_id: c for c in db.session.scalars(
        select(CheckIn).where(CheckIn.meeting_id == meeting.id, CheckIn.present))}
    by_id = {p.id: p for p in people}

    def order(p: Invitee):
        org = p.organisation
        return (org is None, org.group.position if org else 0, org.position if org else 0, p.id)

    substitutes = [Substitute(person_of(p), person_of(by_id[p.substitute_for_id]))
                   for p in sorted(people, key=order)
                   if p.substitute_for_id in by_id and p.id in live]
    seats_here = {p.id for p in people if p.id in live} | {
        p.substitute_for_id for p in people if p.substitute_for_id and p.id in live}
    excused = [Absence(person_of(p), p.absent_reason or "") for p in sorted(people, key=order)
               if p.absent_reason is not None and not p.walk_in and p.substitute_for_id is None
               and p.id not in seats_here]
    walk_ins = [person_of(p) for p in sorted(people, key=lambda p: p.id) if p.walk_in and p.id in live]
    late = sum(1 for p in people if p.id in live and live[p.id].late and not p.walk_in)
    here = sorted((p for p in people if p.id in live and not p.walk_in), key=order)
    leaders = [person_of(p) for p in here if is_leader(p)]
    bodies: dict[int, Body] = {}
    for p in here:
        if p.organisation is not None and p.organisation.id not in bodies:
            bodies[p.organisation.id] = Body(p.organisation.name, p.organisation.short_name, p.organisation.kind)
    local = {p.organisation.id for p in people
             if p.organisation is not None and p.organisation.kind in (OrgKind.WARD, OrgKind.COMMUNE)}
    return Attendance(counts, late, substitutes, excused, walk_ins, leaders, list(bodies.values()), local)


def _remark(request: SpeakerRequest, now: datetime) -> RemarkEntry:
    return RemarkEntry(
        id=request.id, speaker=person_of(request.invitee), kind=request.kind, started_at=request.started_at,
        ended_at=request.ended_at, seconds=request.spoken(now), topic=request.topic or "",
        note=(request.remark.note if request.remark is not None else "") or "")


def document_name(doc) -> str:
    """A document as the minutes name it: its title, and the unit that sent it when the title
    does not say ('Báo cáo 6 tháng đầu năm của Xã Phổ An')."""
    unit = meeting_documents.presenter(doc)
    return f"{doc.title} của {unit}" if unit and fold(unit) not in fold(doc.title) else doc.title


def gather(meeting: Meeting, now: datetime | None = None) -> Record:
    """Everything the documents need, read once (see the module's docstring)."""
    now = now or utcnow()
    people = list(db.session.scalars(
        select(Invitee).where(Invitee.meeting_id == meeting.id)
        .options(selectinload(Invitee.organisation).selectinload(Organisation.group))))
    items = list(meeting.items)
    numbers = {item.id: n for n, item in enumerate(items, start=1)}

    requests = list(db.session.scalars(
        speaker_queue.remarks_query(meeting.id)
        .options(selectinload(SpeakerRequest.invitee).selectinload(Invitee.organisation),
                 selectinload(SpeakerRequest.remark))))
    remarks: dict[int, RemarkEntry] = {}
    for request in requests:
        entry = _remark(request, now)
        entry.item_number = numbers[request.item_id]
        remarks[request.id] = entry

    conclusions = list(db.session.scalars(
        select(Conclusion).where(Conclusion.meeting_id == meeting.id).options(selectinload(Conclusion.tasks))))
    item_text = {c.item_id: c.text or "" for c in conclusions if c.item_id is not None}
    closing = next((c for c in conclusions if c.item_id is None), None)

    kien_nghi_rows = list(db.session.scalars(
        select(KienNghi).where(KienNghi.meeting_id == meeting.id)
        .join(Organisation, Organisation.id == KienNghi.organisation_id)
        .join(OrganisationGroup, OrganisationGroup.id == Organisation.group_id)
        .options(selectinload(KienNghi.organisation), selectinload(KienNghi.assigned_org))
        .order_by(OrganisationGroup.position, Organisation.position, KienNghi.id)))
    kien_nghi: list[KienNghiEntry] = []
    by_kien_nghi: dict[int, KienNghiEntry] = {}
    for n, row in enumerate(kien_nghi_rows, start=1):
        entry = KienNghiEntry(
            number=n, id=row.id, unit=row.organisation.name, unit_short=row.organisation.short_name,
            content=row.content or "", assigned=row.assigned_org.name if row.assigned_org else "",
            status=row.status, answer=row.answer or "", answered_by=row.answered_by or "",
            answered_in=remarks.get(row.speaker_request_id) if row.speaker_request_id else None)
        kien_nghi.append(entry)
        by_kien_nghi[row.id] = entry
    for request in requests:
        remark = remarks[request.id]
        remark.kien_nghi = by_kien_nghi.get(request.kien_nghi_id) if request.kien_nghi_id else None
    for entry in kien_nghi:  # a remark recorded as the answer names its kiến nghị even if the
        if entry.answered_in is not None and entry.answered_in.kien_nghi is None:  # request did not
            entry.answered_in.kien_nghi = entry

    documents = {item_id: [document_name(doc) for doc in docs]
                 for item_id, docs in meeting_documents.published(meeting.id).items()}
    item_entries = []
    for item in items:
        item_entries.append(ItemEntry(
            number=numbers[item.id], id=item.id, title=item.title, kind=item.kind, presenter=item.presenter or "",
            planned_minutes=item.planned_minutes, started_at=item.started_at, ended_at=item.ended_at,
            held_seconds=item.held(now), conclusion=item_text.get(item.id, ""),
            remarks=[remarks[r.id] for r in requests if r.item_id == item.id],
            documents=documents.get(item.id, [])))

    tasks = [TaskEntry(n, t.body, t.content, t.deadline)
             for n, t in enumerate(sorted(closing.tasks, key=lambda t: t.position) if closing else [], start=1)]
    return Record(
        meeting=meeting, chair=_named(meeting, meeting.chair_name, people),
        secretary=_named(meeting, meeting.secretary_name, people), items=item_entries, kien_nghi=kien_nghi,
        closing_intro=(closing.text if closing else "") or "", tasks=tasks,
        attendance=_attendance(meeting, people), read_at=now)
