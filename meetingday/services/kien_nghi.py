"""Kiến nghị: the recommendations the xã and phường sent in before the meeting, each assigned to a
town body (usually a Ban of HĐND thị xã) to answer.

A kiến nghị is *pending* until the secretary marks it *answered at the meeting* (the answer, who
gave it, and the remark, a speaker request given the floor, in which it was given), *to be
answered in writing later*, or *withdrawn* by its commune. Any of these can be set back to
pending ("đặt lại"); the answer that was cleared stays in the audit log. Its content, commune and
Ban are edited, and it is deleted, only while pending.

Every change first claims the secretary's desk (``minutes.claim``): it serialises desk changes
and is refused once the minutes are finalized. Then it checks its rules, writes, records an
audit entry ``kien_nghi.<action>``, commits, and pushes the ``kien_nghi`` regions. A change that
alters what a speaker request shows (its kiến nghị's content, or the kiến nghị itself gone)
pushes the ``speakers`` regions too, and the phones of the commune's delegates (which offer the
commune's kiến nghị when asking to speak) are told to reload their own part.

Before the meeting the assigned Ban prepares its answer (``draft``: the text and who will give it,
kept apart from the answer recorded on the day, with its own revision); the secretary's answer
form starts from it.

Buttons and forms carry a token of the state they saw (``state_token``, ``edit_token``): an
action on a kiến nghị changed on another screen in between is refused as ``stale``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, live, topics
from ..errors import DomainError
from ..extensions import db
from ..models import (
    AgendaItem,
    Invitee,
    KienNghi,
    KienNghiStatus,
    Meeting,
    Organisation,
    OrganisationGroup,
    OrgKind,
    SpeakerRequest,
    User,
    max_length,
)
from ..text import block, clean
from ..timeutil import epoch_ms, utcnow
from . import minutes, speaker_queue, speakers
from .revisions import seen_current
from .units import is_ban  # one rule for what a Ban is, services/units.py

MAX_CONTENT = max_length(KienNghi.content)
MAX_ANSWER = max_length(KienNghi.answer)
MAX_ANSWERED_BY = max_length(KienNghi.answered_by)
MAX_DRAFT = max_length(KienNghi.draft_answer)
COMMUNE_KINDS = (OrgKind.WARD, OrgKind.COMMUNE)
ASSIGNEE_KINDS = (OrgKind.TOWN,)  # a Ban, or another town-level body (Thường trực, UBND thị xã...)

STATUS_LABELS = {
    KienNghiStatus.PENDING: _l("Chưa trả lời"),
    KienNghiStatus.ANSWERED: _l("Đã trả lời tại hội nghị"),
    KienNghiStatus.WRITTEN_LATER: _l("Trả lời bằng văn bản sau"),
    KienNghiStatus.WITHDRAWN: _l("Đã rút"),
}

Actor = User | str | None


# --------------------------------------------------------------------------- reading

def _ordered():
    return (select(KienNghi).join(Organisation, Organisation.id == KienNghi.organisation_id)
            .join(OrganisationGroup, OrganisationGroup.id == Organisation.group_id)
            .order_by(OrganisationGroup.position, Organisation.position, KienNghi.id))


def listing(meeting: Meeting) -> list[KienNghi]:
    """The meeting's kiến nghị, by commune in the order of the units list (as the minutes
    number them), then in the order they were entered."""
    return list(db.session.scalars(_ordered().where(KienNghi.meeting_id == meeting.id)))


def of_ban(meeting: Meeting, org_id: int) -> list[KienNghi]:
    """The kiến nghị given to one Ban (or other town body) to answer, in the list's order."""
    return list(db.session.scalars(_ordered().where(KienNghi.meeting_id == meeting.id,
                                                    KienNghi.assigned_org_id == org_id)))


@dataclass
class Counts:
    total: int = 0
    by_status: dict = field(default_factory=lambda: {s: 0 for s in KienNghiStatus})

    def __getitem__(self, status: KienNghiStatus) -> int:
        return self.by_status[status]


def counts(rows: Iterable[KienNghi]) -> Counts:
    result = Counts()
    for kn in rows:
        result.total += 1
        result.by_status[kn.status] += 1
    return result


def _units(kinds) -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).join(OrganisationGroup).where(Organisation.kind.in_(kinds))
        .order_by(OrganisationGroup.position, Organisation.position, Organisation.name)))


def communes() -> list[Organisation]:
    """The xã and phường, which may raise kiến nghị."""
    return _units(COMMUNE_KINDS)


def assignees() -> list[Organisation]:
    """The bodies a kiến nghị can be given to: the Ban first, then the other town bodies."""
    units = _units(ASSIGNEE_KINDS)
    return [o for o in units if is_ban(o)] + [o for o in units if not is_ban(o)]


def given_floor(meeting: Meeting) -> list[SpeakerRequest]:
    """Every remark of the meeting so far (a request given the floor), the latest first."""
    return list(db.session.scalars(speaker_queue.remarks_query(meeting.id).order_by(None)
                                   .order_by(SpeakerRequest.started_at.desc(), SpeakerRequest.id.desc())))


def named_by(meeting: Meeting) -> dict[int, list[SpeakerRequest]]:
    """Requests to speak (not withdrawn) that name each kiến nghị, by its id."""
    rows = db.session.scalars(
        select(SpeakerRequest).join(AgendaItem, AgendaItem.id == SpeakerRequest.item_id)
        .where(AgendaItem.meeting_id == meeting.id, SpeakerRequest.kien_nghi_id.is_not(None),
               SpeakerRequest.withdrawn_at.is_(None))
        .order_by(SpeakerRequest.requested_at, SpeakerRequest.id))
    named: dict[int, list[SpeakerRequest]] = {}
    for r in rows:
        named.setdefault(r.kien_nghi_id, []).append(r)
    return named


@dataclass
class RemarkChoice:
    """The remarks offered as "answered in", in three groups, and the one to preselect."""
    about: list[SpeakerRequest]   # requests that named this kiến nghị
    by_ban: list[SpeakerRequest]  # remarks by people of the assigned body
    others: list[SpeakerRequest]
    selected: int | None


def remark_choice(meeting: Meeting, kn: KienNghi) -> RemarkChoice:
    about, by_ban, others = [], [], []
    for request in given_floor(meeting):
        if request.kien_nghi_id == kn.id:
            about.append(request)
        elif kn.assigned_org_id is not None and request.invitee.organisation_id == kn.assigned_org_id:
            by_ban.append(request)
        else:
            others.append(request)
    # A Ban's remark that named another kiến nghị answered that one: it is offered, not preselected.
    selected = kn.speaker_request_id or next(
        (r.id for r in about + [r for r in by_ban if r.kien_nghi_id is None]), None)
    return RemarkChoice(about, by_ban, others, selected)


def speaker_label(request: SpeakerRequest) -> str:
    """"Name, position" of who spoke, as an answer's "answered by"."""
    person = request.invitee
    return ", ".join(p for p in (person.full_name, person.position) if p)[:MAX_ANSWERED_BY]


def state_token(kn: KienNghi) -> str:
    """What a status button saw: the status and when it was last set."""
    return f"{kn.status.value}.{epoch_ms(kn.answered_at) or 0}"


def edit_token(kn: KienNghi) -> str:
    """What an edit form saw: the last change of any kind."""
    return str(epoch_ms(kn.updated_at) or 0)


# --------------------------------------------------------------------------- checks

def _not_found() -> DomainError:
    return DomainError("kien_nghi_not_found", _l("Không tìm thấy kiến nghị này."), status=404)


def stale_error() -> DomainError:
    return DomainError("stale", _l("Kiến nghị này vừa được thay đổi trên màn hình khác; màn hình đã được cập "
                                   "nhật lại, vui lòng kiểm tra rồi thao tác lại."), status=409)


def not_pending_error(kn: KienNghi) -> DomainError:
    return DomainError("kien_nghi_not_pending",
                       _l("Kiến nghị này đang ở trạng thái “%(status)s”. Hãy “Đặt lại” trước nếu muốn đổi.",
                          status=STATUS_LABELS[kn.status]), status=409)


def _org(value) -> Organisation | None:
    if value in (None, ""):
        return None
    try:
        return db.session.get(Organisation, int(value))
    except (TypeError, ValueError):
        return None


def check_commune(value) -> Organisation:
    org = _org(value)
    if org is None or org.kind not in COMMUNE_KINDS:
        raise DomainError("commune_invalid", _l("Hãy chọn xã, phường có kiến nghị."), field="organisation_id")
    return org


def check_assignee(value) -> Organisation | None:
    """A Ban or another town-level body; none is allowed (not assigned yet)."""
    if value in (None, "", "0", 0):
        return None
    org = _org(value)
    if org is None or org.kind not in ASSIGNEE_KINDS:
        raise DomainError("assignee_invalid", _l("Hãy chọn một Ban hoặc cơ quan cấp thị xã để trả lời."),
                          field="assigned_org_id")
    return org


def _thousands(n: int) -> str:
    """4000 -> '4.000', as Vietnamese writes numbers."""
    return f"{n:,}".replace(",", ".")


def check_content(text) -> str:
    try:
        content = block(text, limit=MAX_CONTENT)
    except DomainError:
        raise DomainError("content_too_long", _l("Nội dung kiến nghị quá dài (tối đa %(n)s ký tự).",
                                                 n=_thousands(MAX_CONTENT)),
                          field="content") from None
    if not content:
        raise DomainError("content_required", _l("Hãy ghi nội dung kiến nghị."), field="content")
    return content


def _answer_text(text, limit: int = MAX_ANSWER, required: bool = True) -> str:
    try:
        answer = block(text, limit=limit)
    except DomainError:
        raise DomainError("answer_too_long", _l("Nội dung trả lời quá dài (tối đa %(n)s ký tự).",
                                                n=_thousands(limit)), field="answer") from None
    if required and not answer:
        raise DomainError("answer_required", _l("Hãy ghi nội dung trả lời."), field="answer")
    return answer


def _answered_by(text) -> str:
    value = clean(text)
    if len(value) > MAX_ANSWERED_BY:
        raise DomainError("answered_by_too_long", _l("Tên người trả lời quá dài (tối đa %(n)s ký tự).",
                                                     n=MAX_ANSWERED_BY), field="answered_by")
    return value


def _remark(meeting: Meeting, value) -> SpeakerRequest | None:
    if value in (None, ""):
        return None
    try:
        request = db.session.get(SpeakerRequest, int(value))
    except (TypeError, ValueError):
        request = None
    if request is None or request.item.meeting_id != meeting.id or request.started_at is None:
        raise DomainError("remark_invalid", _l("Phần phát biểu đã chọn không thuộc hội nghị này hoặc chưa "
                                               "được phát biểu."), field="speaker_request_id")
    return request


def _find(meeting: Meeting, kn_id) -> KienNghi:
    try:
        kn = db.session.get(KienNghi, int(kn_id))
    except (TypeError, ValueError):
        kn = None
    if kn is None or kn.meeting_id != meeting.id:
        raise _not_found()
    return kn


def get(meeting: Meeting, kn_id) -> KienNghi:
    """One kiến nghị of this meeting (404 otherwise)."""
    return _find(meeting, kn_id)


def ban_kien_nghi(meeting: Meeting, kn_id, org_id) -> KienNghi:
    """One kiến nghị of this meeting given to the Ban `org_id` (404, else kien_nghi_not_yours)."""
    kn = _find(meeting, kn_id)
    if org_id is None or kn.assigned_org_id != org_id:
        raise DomainError("kien_nghi_not_yours", _l("Kiến nghị này không được giao cho Ban của Ông/Bà; đề nghị "
                                                    "liên hệ Văn phòng HĐND và UBND."), status=403)
    return kn


def _check_seen(seen, now_token: str) -> None:
    if seen not in (None, "") and str(seen) != now_token:
        raise stale_error()


def _requests_naming(kn: KienNghi) -> list[SpeakerRequest]:
    return list(db.session.scalars(select(SpeakerRequest).where(SpeakerRequest.kien_nghi_id == kn.id)))


# --------------------------------------------------------------------------- changing

@dataclass
class Outcome:
    """What a change did: its result, the entity for the audit entry (None: the meeting), the
    details, and whom to tell."""
    result: object
    entity_id: int | None
    details: dict
    phones: set = field(default_factory=set)       # communes whose delegates' phones reload
    people: set = field(default_factory=set)       # and these delegates' phones too
    speakers: bool = False                         # the speaker regions show it: push them


def _phones_of(meeting_id: int, commune_ids: set, people: set) -> set[int]:
    ids = set(people)
    if commune_ids:
        ids |= set(db.session.scalars(select(Invitee.id).where(
            Invitee.meeting_id == meeting_id, Invitee.organisation_id.in_(commune_ids))))
    return ids


def change(meeting_id, action: str, actor: Actor, apply: Callable[[Meeting], Outcome]):
    """Claim the desk, apply, audit, commit, then announce (see the module's docstring)."""
    meeting = minutes.claim(meeting_id)
    try:
        outcome = apply(meeting)
        db.session.flush()
        phones = _phones_of(meeting.id, outcome.phones, outcome.people)
    except DomainError:
        db.session.rollback()
        raise
    entity, entity_id = ("meeting", meeting.id) if outcome.entity_id is None else ("kien_nghi", outcome.entity_id)
    audit.record(f"kien_nghi.{action}", entity, entity_id, meeting_id=meeting.id, actor=actor, **outcome.details)
    db.session.commit()
    live.publish(meeting.id, topics.KIEN_NGHI, *((topics.SPEAKERS,) if outcome.speakers else ()))
    speakers.tell_phones(meeting.id, phones)
    return outcome.result


def refuse_duplicate(meeting: Meeting, commune_id: int, content: str) -> None:
    """The same text from the same commune is already there (a form sent twice, its answer lost):
    kien_nghi_duplicate."""
    if db.session.scalar(select(KienNghi.id).where(
            KienNghi.meeting_id == meeting.id, KienNghi.organisation_id == commune_id,
            KienNghi.content == content).limit(1)) is not None:
        raise DomainError("kien_nghi_duplicate", _l("Kiến nghị này của đơn vị đã có trong danh sách."),
                          status=409)


def add(meeting_id, organisation_id, content: str, assigned_org_id=None, *, actor: Actor = None,
        sent: Callable[[Meeting], dict] | None = None) -> KienNghi:
    """A new pending kiến nghị of a xã or phường, optionally already given to a Ban. `sent`, for one
    a unit sends by its link (services/unit_kien_nghi.py), is called under the desk's claim: it
    checks the link's rules and gives the row's unit_id, submitted_by and late."""
    commune = check_commune(organisation_id)  # in the order of the form's fields
    assignee = check_assignee(assigned_org_id)
    content = check_content(content)

    def apply(meeting: Meeting) -> Outcome:
        fields = sent(meeting) if sent else {}
        refuse_duplicate(meeting, commune.id, content)
        kn = KienNghi(meeting_id=meeting.id, organisation_id=commune.id, content=content,
                      assigned_org_id=assignee.id if assignee else None, status=KienNghiStatus.PENDING,
                      answer="", answered_by="", **fields)
        db.session.add(kn)
        db.session.flush()
        return Outcome(kn, kn.id, {"organisation": commune.short_name, "content": content,
                                    "assigned": assignee.short_name if assignee else None,
                                    **{k: v for k, v in fields.items() if k != "unit_id"}}, phones={commune.id})
    return change(meeting_id, "add", actor, apply)


def update(meeting_id, kn_id, organisation_id, content: str, assigned_org_id=None, *, seen=None,
           actor: Actor = None, guard: Callable[[Meeting, KienNghi], None] | None = None) -> KienNghi:
    """Edit a pending kiến nghị: its commune, content and Ban. `guard`, called under the desk's
    claim with the kiến nghị found, refuses what a unit's link may not change."""
    commune = check_commune(organisation_id)  # in the order of the form's fields
    assignee = check_assignee(assigned_org_id)
    content = check_content(content)

    def apply(meeting: Meeting) -> Outcome:
        kn = _find(meeting, kn_id)
        if guard:
            guard(meeting, kn)
        if kn.status != KienNghiStatus.PENDING:
            raise not_pending_error(kn)
        _check_seen(seen, edit_token(kn))
        named = _requests_naming(kn)
        if commune.id != kn.organisation_id and named:
            raise DomainError("kien_nghi_in_use", _l("Đã có người đăng ký phát biểu về kiến nghị này nên không "
                                                     "đổi được xã, phường."), status=409)
        before = {"organisation": kn.organisation.short_name, "content": kn.content,
                  "assigned": kn.assigned_org.short_name if kn.assigned_org else None}
        communes_touched = {kn.organisation_id, commune.id}
        content_changed = kn.content != content
        kn.organisation_id, kn.content = commune.id, content
        kn.assigned_org_id = assignee.id if assignee else None
        kn.updated_at = utcnow()
        return Outcome(kn, kn.id, {"before": before, "organisation": commune.short_name, "content": content,
                                    "assigned": assignee.short_name if assignee else None},
                        phones=communes_touched, speakers=bool(named) and content_changed)
    return change(meeting_id, "update", actor, apply)


def assign(meeting_id, kn_id, assigned_org_id, *, seen=None, actor: Actor = None) -> KienNghi:
    """Give the kiến nghị to another Ban (or to none): while it still waits for an answer, at the
    meeting or in writing. `seen` is the Ban the row's dropdown showed (its id, "" for none): one
    another screen chose meanwhile is not replaced unseen (None: not read off a screen)."""
    assignee = check_assignee(assigned_org_id)

    def apply(meeting: Meeting) -> Outcome:
        kn = _find(meeting, kn_id)
        wanted = assignee.id if assignee else None
        if seen is not None and str(seen) != str(kn.assigned_org_id or "") and kn.assigned_org_id != wanted:
            raise stale_error()
        if kn.status not in (KienNghiStatus.PENDING, KienNghiStatus.WRITTEN_LATER):
            raise DomainError("kien_nghi_closed", _l("Kiến nghị này đã “%(status)s”; không đổi Ban được nữa.",
                                                     status=STATUS_LABELS[kn.status]), status=409)
        before = kn.assigned_org.short_name if kn.assigned_org else None
        kn.assigned_org_id = assignee.id if assignee else None
        kn.updated_at = utcnow()
        return Outcome(kn, kn.id, {"before": before, "assigned": assignee.short_name if assignee else None})
    return change(meeting_id, "assign", actor, apply)


def answer(meeting_id, kn_id, answer_text: str, answered_by: str = "", speaker_request_id=None, *, seen=None,
           actor: Actor = None, now: datetime | None = None) -> KienNghi:
    """Answered at the meeting: the answer, who gave it (by default the speaker of the remark, else
    the Ban's name) and the remark it was given in. An answered kiến nghị can be answered again
    (the answer corrected); the earlier answer stays in the audit log."""
    text = _answer_text(answer_text)
    by = _answered_by(answered_by)

    def apply(meeting: Meeting) -> Outcome:
        kn = _find(meeting, kn_id)
        if kn.status not in (KienNghiStatus.PENDING, KienNghiStatus.ANSWERED):
            raise not_pending_error(kn)
        _check_seen(seen, state_token(kn))
        remark = _remark(meeting, speaker_request_id)
        who = by or (speaker_label(remark) if remark else "") or (kn.assigned_org.name if kn.assigned_org else "")
        if not who:
            raise DomainError("answered_by_required", _l("Hãy ghi người trả lời (hoặc chọn phần phát biểu, hoặc "
                                                         "giao kiến nghị cho một Ban)."), field="answered_by")
        before = ({"answer": kn.answer, "answered_by": kn.answered_by, "speaker_request_id": kn.speaker_request_id}
                  if kn.status == KienNghiStatus.ANSWERED else None)
        kn.status, kn.answer, kn.answered_by = KienNghiStatus.ANSWERED, text, who[:MAX_ANSWERED_BY]
        kn.speaker_request_id = remark.id if remark else None
        kn.answered_at = now or utcnow()
        details = {"answer": text, "answered_by": kn.answered_by, "speaker_request_id": kn.speaker_request_id}
        if before:
            details["before"] = before
        return Outcome(kn, kn.id, details, phones={kn.organisation_id})
    return change(meeting_id, "answer", actor, apply)


class _Unchanged(Exception):
    """A draft saved again as it is: nothing to write, audit or announce."""

    def __init__(self, kn: KienNghi):
        super().__init__(kn.id)
        self.kn_id = kn.id


def draft_closed_error(kn: KienNghi) -> DomainError:
    return DomainError("draft_closed", _l("Kiến nghị này đã “%(status)s” nên không sửa câu trả lời chuẩn bị được "
                                          "nữa.", status=STATUS_LABELS[kn.status]), status=409)


def draft(meeting_id, kn_id, text: str, answered_by: str = "", *, seen_revision, by_org_id,
          actor: Actor = None, now: datetime | None = None) -> KienNghi:
    """The answer the assigned Ban (`by_org_id`) prepares before the meeting, and who will give it
    there; the secretary finds it in the answer form on the day. Empty text takes the draft back.
    `seen_revision` is the draft_revision the Ban's form showed: a draft saved meanwhile from
    another screen is not overwritten unseen (stale). The Ban may draft until the kiến nghị is
    settled at the meeting (answered, to be answered in writing, withdrawn); the Văn phòng closing
    the units' submissions does not stop it: the answers are the Bans' own preparation."""
    text_ = _answer_text(text, limit=MAX_DRAFT, required=False)  # in the order of the form's fields
    by = _answered_by(answered_by) if text_ else ""

    def apply(meeting: Meeting) -> Outcome:
        kn = ban_kien_nghi(meeting, kn_id, by_org_id)
        if kn.status != KienNghiStatus.PENDING:
            raise draft_closed_error(kn)
        if (kn.draft_answer, kn.draft_answered_by) == (text_, by):
            raise _Unchanged(kn)  # what is saved already (a form sent again after its answer was lost)
        if not seen_current(seen_revision, kn.draft_revision):
            raise DomainError("stale", _l("Câu trả lời này vừa được lưu từ máy khác nên bản của Ông/Bà chưa được "
                                          "lưu. Hãy xem bản đang lưu dưới đây."), status=409)
        before = {"draft_answer": kn.draft_answer, "draft_answered_by": kn.draft_answered_by}
        kn.draft_answer, kn.draft_answered_by = text_, by
        kn.draft_updated_at = now or utcnow()
        kn.draft_revision = (kn.draft_revision or 0) + 1
        return Outcome(kn, kn.id, {"draft_answer": kn.draft_answer, "draft_answered_by": kn.draft_answered_by,
                                    "revision": kn.draft_revision, "before": before},
                        speakers=bool(_requests_naming(kn)))
    try:
        return change(meeting_id, "draft", actor, apply)
    except _Unchanged as same:
        db.session.rollback()  # nothing to write: the desk's claim goes back
        return db.session.get(KienNghi, same.kn_id)


def _mark(meeting_id, kn_id, status: KienNghiStatus, action: str, seen, actor: Actor,
          now: datetime | None) -> KienNghi:
    def apply(meeting: Meeting) -> Outcome:
        kn = _find(meeting, kn_id)
        if kn.status != KienNghiStatus.PENDING:
            raise not_pending_error(kn)
        _check_seen(seen, state_token(kn))
        kn.status, kn.answered_at = status, now or utcnow()
        kn.answer, kn.answered_by, kn.speaker_request_id = "", "", None
        return Outcome(kn, kn.id, {"status": status,
                                    "assigned": kn.assigned_org.short_name if kn.assigned_org else None},
                        phones={kn.organisation_id})
    return change(meeting_id, action, actor, apply)


def write_later(meeting_id, kn_id, *, seen=None, actor: Actor = None, now: datetime | None = None) -> KienNghi:
    """To be answered in writing after the meeting (by the assigned Ban)."""
    return _mark(meeting_id, kn_id, KienNghiStatus.WRITTEN_LATER, "write_later", seen, actor, now)


def withdraw(meeting_id, kn_id, *, seen=None, actor: Actor = None, now: datetime | None = None) -> KienNghi:
    """The commune withdrew it."""
    return _mark(meeting_id, kn_id, KienNghiStatus.WITHDRAWN, "withdraw", seen, actor, now)


def reset(meeting_id, kn_id, *, seen=None, actor: Actor = None) -> KienNghi:
    """Back to pending ("đặt lại"); what was recorded (answer, who, remark, when) goes to the audit log."""
    def apply(meeting: Meeting) -> Outcome:
        kn = _find(meeting, kn_id)
        if kn.status == KienNghiStatus.PENDING:
            raise DomainError("kien_nghi_pending", _l("Kiến nghị này đang chờ trả lời; không có gì để đặt lại."),
                              status=409)
        _check_seen(seen, state_token(kn))
        details = {"before": {"status": kn.status, "answer": kn.answer, "answered_by": kn.answered_by,
                              "speaker_request_id": kn.speaker_request_id, "answered_at": kn.answered_at}}
        kn.status, kn.answer, kn.answered_by = KienNghiStatus.PENDING, "", ""
        kn.speaker_request_id, kn.answered_at = None, None
        return Outcome(kn, kn.id, details, phones={kn.organisation_id})
    return change(meeting_id, "reset", actor, apply)


def delete(meeting_id, kn_id, *, seen=None, actor: Actor = None,
           guard: Callable[[Meeting, KienNghi], None] | None = None) -> Meeting:
    """Delete a pending kiến nghị entered by mistake. Requests to speak that named it lose the link
    (the database sets it to NULL); one already given the floor keeps it: then it is refused.
    `guard` as for update."""
    def apply(meeting: Meeting) -> Outcome:
        kn = _find(meeting, kn_id)
        if guard:
            guard(meeting, kn)
        if kn.status != KienNghiStatus.PENDING:
            raise not_pending_error(kn)
        _check_seen(seen, edit_token(kn))
        named = _requests_naming(kn)
        if any(r.started_at is not None for r in named):
            raise DomainError("kien_nghi_in_use", _l("Kiến nghị này đã được nêu trong một phần phát biểu tại hội "
                                                     "nghị nên không xóa được; hãy chọn “Rút” nếu địa phương rút "
                                                     "kiến nghị."), status=409)
        details = {"organisation": kn.organisation.short_name, "content": kn.content,
                   "assigned": kn.assigned_org.short_name if kn.assigned_org else None,
                   "unlinked_requests": [r.id for r in named]}
        commune_id, kn_id_ = kn.organisation_id, kn.id
        for request in named:  # as the database does (ON DELETE SET NULL), for this session too
            request.kien_nghi_id = None
        db.session.delete(kn)
        return Outcome(meeting, kn_id_, details, phones={commune_id}, people={r.invitee_id for r in named},
                        speakers=bool(named))
    return change(meeting_id, "delete", actor, apply)
