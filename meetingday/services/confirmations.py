"""Xác nhận tham dự: a delegate answers the invitation from their pass before the day: they will
attend (sẽ dự), they send someone in their place (cử người dự thay: a name and a position), or
they will be absent (vắng, with a reason).

API:

    confirm(holder, choice, substitute_name="", substitute_position="", reason="", *, seen,
            actor=None) -> Invitee       # holder: a pass token or the Invitee
    is_open(invitee) -> bool               # may the answer still be given or changed
    revision(invitee) -> str               # what a form carries as `seen`
    tally(meeting) -> Tally                # how many answered what

The answer may be given and changed until the meeting starts, or until the seat is taken (the
person, or someone in their place, checked in); then confirmation_closed. Only invited seats
answer (not walk-ins, not someone registered in another's place).

An answer "Vắng" is at once an excused absence for the day (vắng có lý do), written by the
attendance rule itself (attendance.record_absence): the attendance page, the door and the
export show it as staff's marks are shown. The absence is the answer's own while its mark
bears the answer's time (Invitee.absent_marked_at == confirmed_at); changing the answer away
from "Vắng" takes that absence away again (attendance.drop_absence). An absence staff marked
is staff's: an answer neither replaces its reason nor clears it (staff who edit the reason of
an answer's absence make it theirs).

The expected substitute's name goes into the person's search text (invitees.reindex), so the
door finds the seat by the substitute's name, and the door registers them with one tap through
checkin.register_substitute.

Each answer is audited (invitee.confirm), committed, and announced (topic confirmations; and
attendance when it set or took away an absence). Its error codes, with their status and
message, are in docs/errors.md (generated from the code).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit, live, topics
from ..errors import DomainError, refuse
from ..extensions import db
from ..models import Confirmation, Invitee, Meeting, User
from ..text import clean
from ..timeutil import to_local, utcnow
from . import attendance, checkin, invitees, passes
from .meetings import lock_invitee
from .revisions import fingerprint


def revision(inv: Invitee) -> str:
    """The answer as a screen showed it: sent back as `seen`, so that an answer changed on
    another phone meanwhile is not overwritten unseen. "" while there is none."""
    if inv.confirmed_at is None:
        return ""
    return fingerprint(inv.confirmation, inv.confirmed_at.isoformat())


def is_open(inv: Invitee) -> bool:
    """Whether `inv` may still answer: an invited seat, the meeting not started, nobody checked
    in for the seat."""
    meeting = inv.meeting
    return (meeting.started_at is None and meeting.ended_at is None and checkin.is_seat(inv)
            and not attendance.is_present(inv))


def on_the_day(meeting: Meeting, now=None) -> bool:
    """The meeting's day has come (in the hall's time zone): the pass is for the door now, and an
    unanswered card folds to one line so that the QR code stays in the phone's first screen."""
    return to_local(now or utcnow()).date() >= to_local(meeting.starts_at).date()


def own_absence(inv: Invitee) -> bool:
    """Whether `inv`'s absence mark is the one their answer "Vắng" wrote (not staff's)."""
    return (inv.absent_reason is not None and inv.confirmation == Confirmation.ABSENT
            and inv.confirmed_at is not None and inv.absent_marked_at == inv.confirmed_at)


def _choice(choice) -> Confirmation:
    try:
        return Confirmation(getattr(choice, "value", choice))
    except ValueError:
        raise DomainError("confirmation_invalid", _l(
            "Xin chọn một trong ba cách trả lời: Sẽ dự, Cử người dự thay hoặc Vắng."), field="choice") from None


_AS_TYPED = {"full_name": "substitute_name", "position": "substitute_position"}


def _substitute(inv: Invitee, name: str, position: str) -> tuple[str, str]:
    """The substitute as the door will register them: both required, and within what the door's
    own check (invitees.validate) allows."""
    name, position = clean(name), clean(position)
    if not name:
        raise DomainError("substitute_name_missing", _l("Xin nhập họ và tên người dự thay."),
                          field="substitute_name")
    if not position:
        raise DomainError("substitute_position_missing", _l("Xin nhập chức vụ của người dự thay."),
                          field="substitute_position")
    try:
        fields = invitees.validate(name, "", position, inv.category, None)
    except DomainError as e:  # too long: said on the field of this form
        e.details["field"] = _AS_TYPED.get(e.details.get("field"), "substitute_name")
        raise
    return fields["full_name"], fields["position"]


def _answer(inv: Invitee, choice: Confirmation, name: str, position: str, reason: str) -> tuple[str, str, str]:
    """(substitute name, substitute position, reason) as stored for this choice, checked."""
    if choice == Confirmation.SUBSTITUTE:
        return (*_substitute(inv, name, position), "")
    if choice == Confirmation.ABSENT:
        return "", "", attendance.absence_reason(reason)
    return "", "", ""


def _closed(inv: Invitee) -> DomainError:
    meeting = inv.meeting
    if meeting.started_at is not None or meeting.ended_at is not None:
        message = _l("Hội nghị đã bắt đầu nên không thay đổi xác nhận tham dự được nữa. "
                     "Nếu cần, xin liên hệ Văn phòng.")
    elif not checkin.is_seat(inv):
        message = _l("Thẻ này không dùng để xác nhận tham dự.")
    else:
        message = _l("Đã điểm danh tại hội nghị, không cần xác nhận tham dự nữa.")
    return DomainError("confirmation_closed", message, status=409)


def _changed() -> DomainError:
    return DomainError("confirmation_changed", _l(
        "Xác nhận tham dự vừa được thay đổi trên máy khác, nên chưa thay đổi gì. Xin xem lại câu trả "
        "lời đã lưu dưới đây, rồi chọn lại nếu vẫn muốn đổi."), status=409)


def _holder(holder) -> Invitee:
    return holder if isinstance(holder, Invitee) else passes.find_pass(holder).invitee


def confirm(holder, choice, substitute_name: str = "", substitute_position: str = "", reason: str = "", *,
            seen, actor: User | str | None = None) -> Invitee:
    """Record the answer of `holder` (a pass token, or the Invitee): `choice` attending,
    substitute (with the substitute's name and position) or absent (with a reason). `seen` is
    revision() of the answer the screen showed. The same answer sent again changes nothing."""
    inv = _holder(holder)
    choice = _choice(choice)
    name, position, why = _answer(inv, choice, substitute_name, substitute_position, reason)
    lock_invitee(inv, reload=True)  # a check-in at the door, or another answer: one after the other
    if not is_open(inv):
        refuse(_closed(inv))
    previous = inv.confirmation
    if (previous, inv.confirmed_substitute_name, inv.confirmed_substitute_position, inv.confirmed_reason) == \
            (choice, name, position, why):  # sent twice, or from two phones
        db.session.rollback()
        return inv
    if str(seen or "") != revision(inv):
        refuse(_changed())
    actor = actor or f"invitee:{inv.id}"
    now = utcnow()
    absence = _absence(inv, choice, why, actor, now)
    inv.confirmation, inv.confirmed_at = choice, now
    inv.confirmed_substitute_name, inv.confirmed_substitute_position, inv.confirmed_reason = name, position, why
    invitees.reindex(inv)  # the door finds the seat by its substitute's name
    audit.record("invitee.confirm", "invitee", inv.id, meeting_id=inv.meeting_id, actor=actor,
                 choice=choice, previous=previous, substitute_name=name, substitute_position=position,
                 reason=why, absence=absence)
    meeting_id = inv.meeting_id
    db.session.commit()
    live.publish(meeting_id, topics.CONFIRMATIONS, *([topics.ATTENDANCE] if absence else []))
    return inv


def _absence(inv: Invitee, choice: Confirmation, reason: str, actor, now) -> str:
    """Bring the excused absence in line with the answer, through the attendance rule; what it
    did: "recorded", "dropped", or "" (nothing: none to write, or staff's own mark stands)."""
    own = own_absence(inv)
    if choice == Confirmation.ABSENT:
        if inv.absent_reason is None or own:
            attendance.record_absence(inv, reason, actor, at=now)
            return "recorded"
        return ""
    if own:
        attendance.drop_absence(inv, actor)
        return "dropped"
    return ""


@dataclass
class Tally:
    """How the invited seats answered: sẽ dự, cử người dự thay, vắng, and not yet."""
    attending: int = 0
    substitute: int = 0
    absent: int = 0
    unanswered: int = 0

    @property
    def answered(self) -> int:
        return self.attending + self.substitute + self.absent

    @property
    def seats(self) -> int:
        return self.answered + self.unanswered


def tally(meeting: Meeting | int) -> Tally:
    """One aggregate query over the meeting's invited seats."""
    meeting_id = meeting if isinstance(meeting, int) else meeting.id
    rows = db.session.execute(select(Invitee.confirmation, func.count(Invitee.id))
                              .where(Invitee.meeting_id == meeting_id, attendance.SEAT)
                              .group_by(Invitee.confirmation))
    counts = {answer: n for answer, n in rows}
    return Tally(attending=counts.get(Confirmation.ATTENDING, 0), substitute=counts.get(Confirmation.SUBSTITUTE, 0),
                 absent=counts.get(Confirmation.ABSENT, 0), unanswered=counts.get(None, 0))
