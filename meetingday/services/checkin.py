"""Check-in: every arrival recorded once, by the delegate's phone at the hall code, by a door
scan of the personal QR, or by door staff finding the person by name.

API (each change checks its rules, writes, audits, commits, then publishes topics.ATTENDANCE):

    window_state(meeting, at=None) -> "not_open" | "open" | "closed"
    require_open(meeting, at=None) -> None                  # raises checkin_not_open / checkin_closed
    open_checkin(meeting, actor=None) -> Meeting           # idempotent
    close_checkin(meeting, actor=None) -> Meeting          # idempotent
    check_in(meeting, invitee, method, *, actor=None, nonce=None, at=None) -> Result
    check_in_scan(meeting, scanned_text, *, actor=None, nonce=None, at=None) -> Result
    self_check_in(token, meeting_id, hall_code, *, seen_at=None) -> Result
    register_substitute(meeting, for_invitee_id, full_name, position="", *, honorific="",
                        actor=None, nonce=None, at=None) -> Result
    register_walk_in(meeting, full_name, position="", *, honorific="", actor=None, nonce=None,
                     at=None) -> Result
    undo_check_in(meeting, invitee_id, reason, *, actor=None) -> CheckIn
    is_late(meeting, at) -> bool
    token_from_scan(text) -> str
    note_foreign_link(meeting, scanned_text, door_host) -> None  # logs a pass link of another host
    when_undone(step)                                       # a step of every undo (speakers uses it)

Door scans checked in together (services/checkin_batch.py) read in bulk and then use the same
rules and the same writer as a check-in on its own: scanned_holder (with passes.live_pass),
is_seat, require_open, read_checkins and prior_answer, seat_holders, and write, the one
function that writes a check-in.

`Result(checkin, invitee, created)`: `created` is False when the person was already checked in
(a repeated scan, a retried request, a second device): the first check-in is returned, never a
second record. A retried request carries the same client nonce; a nonce already used for this
meeting returns the check-in it made (also for walk-ins and substitutes, whose person is created
once); if that check-in has since been undone, the retry is refused with checkin_undone (the
person is not checked in again by an old request). `at` is when a door device scanned (sent only
for scans that waited in the device's offline queue; otherwise the server's time is used); it
must lie in the check-in window and decides "late": after Meeting.started_at when the meeting
has been started, else after the planned Meeting.starts_at on its planned day (local time).

A seat (an invited person) is taken once: by the invitee or by one person attending in their
place (dự thay). Registering a substitute for a present seat is refused
(substitute_for_present), and so is checking in an invitee whose substitute is already here
(substitute_present) or a substitute whose seat is already taken. Both sides lock the seat's
invitee row first, so two such requests at once cannot both pass.

One row per invitee (unique invitee_id): an undo keeps the row with undone_at/by/reason, and a
later check-in of the same person revives that row with the new time, way and recorder (the
undo stays in the audit log). Concurrent check-ins of one person race on the unique constraint
(a fresh row) or on a conditional UPDATE (a revived row); the loser returns the winner's row.

A refused door scan of a known pass names its holder (``naming``: the error's
``details["person"]``), whatever the rule: check-in closed, a revoked pass, the minutes locked.

Its error codes, with their status and message, are in docs/errors.md (generated from the code).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from .. import audit, live, topics
from ..errors import DomainError, invitee_not_found
from ..extensions import db
from ..filters import honorific, local_time
from ..models import CheckIn, CheckInMethod, Invitee, InviteeCategory, Meeting, PassToken, User
from ..text import reason as text_reason
from ..timeutil import to_local, utcnow
from . import hallcode, invitees, minutes, passes
from .meetings import get_meeting, lock_invitee, lock_meeting

NOT_OPEN, OPEN, CLOSED = "not_open", "open", "closed"
MAX_SCAN = 400
SCAN_MAX_AGE = timedelta(hours=12)   # an offline scan older than this is refused
SCAN_MAX_AHEAD = timedelta(minutes=5)  # a device clock this far ahead is taken as now
_NONCE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_PASS_PATH = re.compile(r"/d/([A-Za-z0-9_-]{16,64})/?(?:[?#].*)?$")
_HALL_PATH = re.compile(r"/h/\d+/")
_DEFAULT_PORT = re.compile(r":(80|443)$")

log = logging.getLogger(__name__)


@dataclass
class Result:
    checkin: CheckIn
    invitee: Invitee
    created: bool  # False: already checked in before; this is the first check-in


# --------------------------------------------------------------------------- the window

def window_state(meeting: Meeting, at: datetime | None = None) -> str:
    """Whether check-in is open: now, or at the time a door device scanned (`at`)."""
    opened, closed = meeting.checkin_opened_at, meeting.checkin_closed_at
    if opened is None:
        return NOT_OPEN
    if at is None:
        return CLOSED if closed is not None else OPEN
    if at < opened:
        return NOT_OPEN if closed is None else CLOSED
    if closed is not None and at >= closed:
        return CLOSED
    return OPEN


def require_open(meeting: Meeting, at: datetime | None = None) -> None:
    """Refuse with checkin_not_open / checkin_closed outside the window (now, or at `at`)."""
    state = window_state(meeting, at)
    if state == NOT_OPEN:
        raise DomainError("checkin_not_open", _l("Chưa mở điểm danh cho hội nghị này."), status=409)
    if state == CLOSED:
        raise DomainError("checkin_closed", _l("Đã đóng điểm danh cho hội nghị này."), status=409)


def open_checkin(meeting: Meeting, actor: User | str | None = None) -> Meeting:
    """Open (or reopen) the check-in window. Opening an open window changes nothing."""
    if window_state(meeting) == OPEN:
        return meeting
    meeting.checkin_opened_at, meeting.checkin_closed_at = utcnow(), None
    audit.record("checkin.open", "meeting", meeting.id, meeting_id=meeting.id, actor=actor)
    db.session.commit()
    live.publish(meeting.id, topics.ATTENDANCE)
    return meeting


def close_checkin(meeting: Meeting, actor: User | str | None = None) -> Meeting:
    """Close the window: nobody checks in until it is opened again. Closing twice changes nothing."""
    if window_state(meeting) != OPEN:
        return meeting
    meeting.checkin_closed_at = utcnow()
    audit.record("checkin.close", "meeting", meeting.id, meeting_id=meeting.id, actor=actor)
    db.session.commit()
    live.publish(meeting.id, topics.ATTENDANCE)
    return meeting


# --------------------------------------------------------------------------- input checks

def _method(method) -> CheckInMethod:
    try:
        return CheckInMethod(method)
    except ValueError:
        raise DomainError("method_invalid", _l("Cách điểm danh không hợp lệ.")) from None


def parse_nonce(nonce: str | None) -> str | None:
    if nonce is None or nonce == "":
        return None
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        raise DomainError("nonce_invalid", _l("Yêu cầu điểm danh không hợp lệ. Vui lòng tải lại trang."))
    return nonce


def _scan_time_invalid() -> DomainError:
    return DomainError("scan_time_invalid", _l("Thời điểm quét không hợp lệ."))


def scanned_at(raw) -> datetime | None:
    """When a door's queued scan was made, as the door sends it (ms of the server's clock since
    the epoch), or None for now. A door that lost its network sends its scans later with it."""
    raw = str("" if raw is None else raw).strip()
    if not raw:
        return None
    try:
        return datetime.fromtimestamp(int(raw) / 1000, UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise _scan_time_invalid() from None


def scan_time(at: datetime | None, now: datetime) -> datetime:
    if at is None:
        return now
    if not isinstance(at, datetime) or at < now - SCAN_MAX_AGE:
        raise _scan_time_invalid()
    return min(at, now) if at <= now + SCAN_MAX_AHEAD else now


def token_from_scan(text: str | None) -> str:
    """The pass token in what a scanner read: the pass link (any host) or the bare token."""
    text = (text or "").strip()
    if not text or len(text) > MAX_SCAN:
        raise DomainError("scan_invalid", _l("Không đọc được mã này. Đây không phải mã QR trên giấy mời."))
    match = _PASS_PATH.search(text)
    if match:
        return match.group(1)
    if _TOKEN.match(text):
        return text
    if _HALL_PATH.search(text):
        raise DomainError("scan_hall_code", _l("Đây là mã điểm danh của hội trường, không phải thẻ đại biểu. "
                                               "Vui lòng quét mã QR trên giấy mời."))
    raise DomainError("scan_invalid", _l("Không đọc được mã này. Đây không phải mã QR trên giấy mời."))


def note_foreign_link(meeting: Meeting, scanned: str | None, door_host: str | None) -> None:
    """A scanned pass link whose host is not this server's (PUBLIC_BASE_URL, or the host the door
    reached it by) is read by its token all the same (token_from_scan), and logged as a warning
    with that host and the meeting, never the token: invitations printed for another address, or
    a link passed around, are worth looking into."""
    try:
        host = _host(urlsplit((scanned or "").strip()).netloc) if "://" in (scanned or "") else ""
    except ValueError:  # not a link after all (a bracket where a host would be)
        return
    if not host:
        return  # a bare token
    public = _host(urlsplit(current_app.config.get("PUBLIC_BASE_URL") or "").netloc)
    if host not in {public, _host(door_host or "")}:
        log.warning("door scan of a pass link for another host: %s (meeting %s; this server: %s)",
                    host, meeting.id, public or door_host)


def _host(netloc: str) -> str:
    return _DEFAULT_PORT.sub("", netloc.rpartition("@")[2].lower())


def _get_invitee(meeting: Meeting, invitee_id) -> Invitee:
    try:
        invitee_id = int(invitee_id)
    except (TypeError, ValueError):
        invitee_id = 0
    return invitees.get_invitee(meeting, invitee_id)


def pass_holder(meeting: Meeting, pass_: PassToken) -> Invitee:
    """Whose pass this is, if it is one of this meeting's (else pass_other_meeting)."""
    invitee = pass_.invitee
    if invitee.meeting_id != meeting.id:
        raise DomainError("pass_other_meeting",
                          _l("Thẻ này thuộc hội nghị khác: %(title)s.", title=invitee.meeting.title), status=409)
    return invitee


@contextmanager
def naming(invitee: Invitee):
    """A refusal raised inside names `invitee` for the door (``details["person"]``: "Ông Nguyễn
    Văn A"), so that staff see whose scan was refused; one that names someone already keeps it."""
    try:
        yield
    except DomainError as e:
        e.details.setdefault("person", _person(invitee))
        raise


def scanned_holder(meeting: Meeting, row: PassToken | None) -> Invitee:
    """Whose pass a door scan read (passes.find_row): its holder if it is a pass of this meeting
    that works; else pass_unknown, pass_revoked (naming the holder, when one of this meeting's)
    or pass_other_meeting."""
    if row is not None and row.invitee.meeting_id == meeting.id:
        with naming(row.invitee):
            return pass_holder(meeting, passes.live_pass(row))
    return pass_holder(meeting, passes.live_pass(row))


# --------------------------------------------------------------------------- reading

def current_checkin(invitee_id: int) -> CheckIn | None:
    """The invitee's check-in row as committed now (live or undone), or None."""
    return db.session.scalar(select(CheckIn).where(CheckIn.invitee_id == invitee_id)
                             .execution_options(populate_existing=True))


def current_checkin_once(invitee_id: int) -> CheckIn | None:
    """`current_checkin`, read once per push or `live.reading_once` (the pass's regions: its
    check-in state and the request to speak, which only those present may make)."""
    return live.read_once(("checkin", invitee_id), lambda: current_checkin(invitee_id))


def read_checkins(meeting: Meeting, invitee_ids, nonces) -> tuple[dict[str, CheckIn], dict[int, CheckIn]]:
    """In one query: the check-ins these nonces made in this meeting, by nonce, and these
    invitees' rows (live or undone), by invitee id."""
    nonces = {nonce for nonce in nonces if nonce}
    wanted = ([(CheckIn.meeting_id == meeting.id) & CheckIn.client_nonce.in_(nonces)] if nonces else []) + \
        ([CheckIn.invitee_id.in_(invitee_ids)] if invitee_ids else [])  # invitees of this meeting
    if not wanted:
        return {}, {}
    rows = db.session.scalars(select(CheckIn).where(or_(*wanted))
                              .execution_options(populate_existing=True)).all()
    return ({row.client_nonce: row for row in rows if row.client_nonce in nonces},
            {row.invitee_id: row for row in rows})


def prior_answer(invitee: Invitee | None, nonce: str | None,
                 found: tuple[dict[str, CheckIn], dict[int, CheckIn]]) -> tuple[Result | None, CheckIn | None]:
    """What an earlier request already did (the check-in of this nonce, or the person's live
    one), judged on what read_checkins `found`; and else the person's undone row if there is
    one (for write to revive). A nonce another person's check-in used is nonce_reused; the
    retry of a check-in undone since is checkin_undone."""
    by_nonce, by_invitee = found
    earlier = by_nonce.get(nonce)
    own = by_invitee.get(invitee.id) if invitee is not None else None
    if earlier is not None:
        if invitee is not None and earlier.invitee_id != invitee.id:
            raise DomainError("nonce_reused", _l("Yêu cầu điểm danh không hợp lệ. Vui lòng tải lại trang."),
                              status=409)
        if not earlier.present:
            # The request is a retry of a check-in that staff have undone since: say so, and do
            # not bring it back (a new scan or tap, with a new nonce, checks the person in again).
            raise DomainError("checkin_undone", _l(
                "Lượt điểm danh này đã bị hủy lúc %(t)s. %(name)s hiện chưa được điểm danh; nếu đã đến, "
                "hãy quét lại hoặc tìm theo tên.", t=local_time(earlier.undone_at),
                name=_person(earlier.invitee)), status=409)
        return Result(earlier, earlier.invitee, created=False), own
    if own is not None and own.present:
        return Result(own, invitee, created=False), own
    return None, own


def _prior(meeting: Meeting, invitee: Invitee | None, nonce: str | None) -> tuple[Result | None, CheckIn | None]:
    """prior_answer for one request: its nonce's check-in and the person's row, read in one query."""
    found = read_checkins(meeting, [invitee.id] if invitee is not None else [], [nonce])
    return prior_answer(invitee, nonce, found)


def _person(invitee: Invitee) -> str:
    return " ".join(filter(None, [honorific(invitee.honorific), invitee.full_name]))


# --------------------------------------------------------------------------- one seat, one person

def is_seat(invitee: Invitee) -> bool:
    """An invited person, holding their own seat: neither a walk-in nor attending in someone's place."""
    return not invitee.walk_in and not invitee.substitute_for_id


def _seat_of(invitee: Invitee) -> Invitee | None:
    """The invited seat this person takes: their own, or the one they attend in place of."""
    if is_seat(invitee):
        return invitee
    return None if invitee.walk_in else invitee.substitute_for


def stand_ins(people: list[Invitee]) -> dict[int, Invitee]:
    """Who attends now in place of each of these invitees (dự thay, checked in), by invitee id."""
    seat_ids = [p.id for p in people if is_seat(p)]
    if not seat_ids:
        return {}
    rows = db.session.scalars(select(Invitee).join(CheckIn, CheckIn.invitee_id == Invitee.id)
                              .where(Invitee.substitute_for_id.in_(seat_ids), CheckIn.present)
                              .options(contains_eager(Invitee.checkin)))  # its time is shown with it
    return {person.substitute_for_id: person for person in rows}


def seat_holders(seat_ids, other_than=()) -> dict[int, tuple[Invitee, CheckIn]]:
    """Who holds each of these seats now, other than the invitees `other_than` (ids): the invitee
    or one of their substitutes, the first to have come; by seat id. Seats nobody holds are left out."""
    stmt = (select(Invitee, CheckIn).join(CheckIn, CheckIn.invitee_id == Invitee.id)
            .where(CheckIn.present,
                   Invitee.id.in_(seat_ids) | Invitee.substitute_for_id.in_(seat_ids)))
    if other_than:
        stmt = stmt.where(Invitee.id.not_in(other_than))
    holders: dict[int, tuple[Invitee, CheckIn]] = {}
    for person, row in db.session.execute(stmt.order_by(CheckIn.checked_in_at)
                                          .execution_options(populate_existing=True)):
        holders.setdefault(person.substitute_for_id or person.id, (person, row))
    return holders


def _require_seat_free(invitee: Invitee) -> None:
    """Refuse a check-in that would seat a second person on one invitation (and lock the seat)."""
    seat = _seat_of(invitee)
    if seat is not invitee:  # a walk-in or a dự thay: their own row too, as deleting them takes it
        lock_invitee(invitee)
    if seat is None:
        return
    lock_invitee(seat)  # a check-in of the invitee and one of a dự thay for them: one after the other
    taken = seat_holders([seat.id], other_than=[invitee.id]).get(seat.id)
    if taken is None:
        return
    other, row = taken
    if other.id == seat.id:
        error = DomainError("substitute_for_present",
                            _l("%(name)s đã có mặt lúc %(t)s, không cần người dự thay.",
                               name=_person(seat), t=local_time(row.checked_in_at)), status=409)
    else:
        error = DomainError("substitute_present",
                            _l("%(name)s đã dự thay cho đại biểu %(seat)s lúc %(t)s. Nếu đại biểu vào họp, "
                               "hãy hủy điểm danh của người dự thay trước.",
                               name=_person(other), seat=seat.full_name, t=local_time(row.checked_in_at)),
                            status=409)
    db.session.rollback()  # lets go of the seat
    raise error


def is_late(meeting: Meeting, at: datetime) -> bool:
    """Late: after the meeting was started on the tablet; not started yet, after its planned start
    on the planned day (in the hall's time zone). On another day the plan says nothing about
    lateness (a meeting moved without changing its date, the demo's fixed date)."""
    if meeting.started_at is not None:
        return at > meeting.started_at
    planned = meeting.starts_at
    return planned is not None and at > planned and to_local(at).date() == to_local(planned).date()


# --------------------------------------------------------------------------- checking in

def actor_id(actor: User | str | None) -> int | None:
    return actor.id if isinstance(actor, User) else None


def announce(meeting_id: int, *invitee_ids: int | None) -> None:
    """After the commit: the attendance panels, and each person's phone (the check-in card, and
    whether they may ask to speak; for the invitee whose seat a dự thay took or gave back, the
    pass's confirmation card). None among the ids is skipped."""
    live.publish(meeting_id, topics.ATTENDANCE)
    live.refresh(meeting_id, topics.PERSON_CHECKIN, [i for i in invitee_ids if i is not None])


def commit_keeping_loaded() -> None:
    """Commit without expiring what this request has loaded. The door's answer is drawn from the
    rows just written (the person, their unit, the check-in); reloading them after the commit
    would double the queries of a scan (docs/benchmarks.md, "Check-in burst")."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


@dataclass
class Arrival:
    """A check-in to write: who, how, recorded by whom, with which client nonce, when; and the
    person's undone row when there is one (it is revived, not added)."""
    invitee: Invitee
    method: CheckInMethod
    actor: User | str | None
    nonce: str | None
    at: datetime
    undone: CheckIn | None = None


class RevivedMeanwhile(Exception):
    """Another request revived the undone row first (write raises it, with nothing committed)."""


def write(meeting: Meeting, arrivals: list[Arrival]) -> list[Result]:
    """Write these check-ins, their rules checked: a row for each new one (for many, one insert
    where the database can), the undone row of someone checked in again revived; audit each,
    commit once, then announce. A race lost to another request raises IntegrityError (a new row:
    the unique invitee_id) or RevivedMeanwhile, with nothing committed: the caller rolls back."""
    written = []
    for arrival in arrivals:
        late = is_late(meeting, arrival.at)
        values = {"checked_in_at": arrival.at, "method": arrival.method, "recorded_by_id": actor_id(arrival.actor),
                  "late": late, "client_nonce": arrival.nonce, "undone_at": None, "undone_by_id": None,
                  "undo_reason": None}
        if arrival.undone is None:
            row = CheckIn(meeting_id=meeting.id, invitee_id=arrival.invitee.id, **values)
            db.session.add(row)
        else:
            # Revive an undone check-in, only if it is still undone (another request may have won).
            done = db.session.execute(
                update(CheckIn).where(CheckIn.id == arrival.undone.id, ~CheckIn.present)
                .values(**values).execution_options(synchronize_session=False))
            if done.rowcount != 1:
                raise RevivedMeanwhile()
            row = arrival.undone
        written.append((row, arrival, late))
    db.session.flush()
    audit.record_all([audit.values("checkin.create", "checkin", row.id, meeting_id=meeting.id, actor=arrival.actor,
                                   invitee_id=arrival.invitee.id, full_name=arrival.invitee.full_name,
                                   method=arrival.method, late=late, at=arrival.at, nonce=arrival.nonce,
                                   revived=arrival.undone is not None)
                      for row, arrival, late in written])
    commit_keeping_loaded()
    for row, arrival, _ in written:
        if arrival.undone is not None:
            db.session.refresh(row)  # revived by an UPDATE: the object still holds the undone values
        db.session.expire(arrival.invitee, ["checkin"])  # it may have been read as None before
    announce(meeting.id, *(i for a in arrivals for i in (a.invitee.id, a.invitee.substitute_for_id)))
    return [Result(row, arrival.invitee, created=True) for row, arrival, _ in written]


def _write(meeting: Meeting, arrival: Arrival) -> Result:
    """write for one check-in; a lost race returns the winner's row."""
    invitee, invitee_id = arrival.invitee, arrival.invitee.id
    try:
        return write(meeting, [arrival])[0]
    except (IntegrityError, RevivedMeanwhile):
        db.session.rollback()
        return _winner(invitee, invitee_id)


def _winner(invitee: Invitee, invitee_id: int) -> Result:
    """After a lost race: the check-in that won it. The person may instead have been deleted
    from the list meanwhile (the row referred to no one): then they are not found."""
    if db.session.scalar(select(Invitee.id).where(Invitee.id == invitee_id)) is None:
        raise invitee_not_found()
    row = current_checkin(invitee_id)
    if row is None or not row.present:  # pragma: no cover - the winner was undone at once
        raise DomainError("checkin_conflict", _l("Có thay đổi cùng lúc. Vui lòng thử lại."), status=409)
    return Result(row, invitee, created=False)


def check_in(meeting: Meeting, invitee: Invitee, method, *, actor: User | str | None = None,
             nonce: str | None = None, at: datetime | None = None) -> Result:
    """Check one invitee in (or return their first check-in)."""
    method, nonce = _method(method), parse_nonce(nonce)
    at = scan_time(at, utcnow())
    if invitee.meeting_id != meeting.id:
        raise invitee_not_found()
    prior, undone = _prior(meeting, invitee, nonce)
    if prior is not None:
        return prior
    minutes.refuse_if_final(meeting)
    require_open(meeting, at)
    _require_seat_free(invitee)
    return _write(meeting, Arrival(invitee, method, actor, nonce, at, undone=undone))


def check_in_by_id(meeting: Meeting, invitee_id, *, actor: User | str | None = None,
                   nonce: str | None = None, at: datetime | None = None) -> Result:
    """Door search: one tap on a person found by name."""
    invitee = _get_invitee(meeting, invitee_id)
    return check_in(meeting, invitee, CheckInMethod.DOOR_SEARCH, actor=actor, nonce=nonce, at=at)


def check_in_scan(meeting: Meeting, scanned: str | None, *, actor: User | str | None = None,
                  nonce: str | None = None, at: datetime | None = None) -> Result:
    """Door scan: what the camera or a handheld scanner read from a personal QR."""
    nonce = parse_nonce(nonce)
    at = scan_time(at, utcnow())
    invitee = scanned_holder(meeting, passes.find_row(token_from_scan(scanned)))
    with naming(invitee):  # a refused scan says whose it was
        return check_in(meeting, invitee, CheckInMethod.DOOR_SCAN, actor=actor, nonce=nonce, at=at)


def self_check_in(token: str, meeting_id: int, hall_code: str, *, seen_at: float | None = None) -> Result:
    """The delegate's phone with its pass at the hall code. `seen_at` (Unix time) is when the
    phone opened the hall code, when that came first and the pass after (signed by the view)."""
    pass_ = passes.find_pass(token)
    hallcode.verify(meeting_id, hall_code, now=seen_at)
    meeting = get_meeting(meeting_id)
    invitee = pass_holder(meeting, pass_)
    return check_in(meeting, invitee, CheckInMethod.SELF, actor=f"invitee:{invitee.id}")


# --------------------------------------------------------------------------- people at the door

@contextmanager
def _meeting_locked(meeting: Meeting):
    """Hold the meeting's lock (see meetings.lock_meeting) until commit; a refusal releases it."""
    lock_meeting(meeting)
    try:
        yield
    except DomainError:
        db.session.rollback()
        raise


def _replayed(meeting: Meeting, nonce: str | None) -> Result | None:
    """A registration retried with its nonce: what the first request did (and let the lock go)."""
    prior, _ = _prior(meeting, None, nonce)
    if prior is not None:
        db.session.rollback()
    return prior


def _new_person(meeting: Meeting, fields: dict, organisation, *, walk_in: bool,
                substitute_for: Invitee | None, actor, nonce: str | None, at: datetime) -> Result:
    invitees._check_duplicate(meeting, fields["full_name"], organisation)
    person = invitees.create(meeting, fields, organisation)
    person.walk_in = walk_in
    person.substitute_for = substitute_for
    db.session.flush()
    audit.record("invitee.walk_in" if walk_in else "invitee.substitute", "invitee", person.id,
                 meeting_id=meeting.id, actor=actor, full_name=person.full_name,
                 substitute_for_id=substitute_for.id if substitute_for else None)
    return _write(meeting, Arrival(person, CheckInMethod.DOOR_SEARCH, actor, nonce, at))


def _may_register(meeting: Meeting, nonce: str | None, at: datetime | None) -> tuple[str | None, datetime]:
    """What a registration at the door checks first: its nonce and time, the minutes, the window."""
    nonce, at = parse_nonce(nonce), scan_time(at, utcnow())
    minutes.refuse_if_final(meeting)
    require_open(meeting, at)
    return nonce, at


def register_walk_in(meeting: Meeting, full_name: str, position: str = "", *, honorific: str = "",
                     actor: User | str | None = None, nonce: str | None = None,
                     at: datetime | None = None) -> Result:
    """A guest who came without an invitation: added as a walk-in and checked in."""
    fields = invitees.validate(full_name, honorific, position, InviteeCategory.GUEST, None)
    nonce, at = _may_register(meeting, nonce, at)
    with _meeting_locked(meeting):
        if (prior := _replayed(meeting, nonce)) is not None:
            return prior
        return _new_person(meeting, fields, None, walk_in=True, substitute_for=None, actor=actor,
                           nonce=nonce, at=at)


def register_substitute(meeting: Meeting, for_invitee_id, full_name: str, position: str = "", *,
                        honorific: str = "", actor: User | str | None = None, nonce: str | None = None,
                        at: datetime | None = None) -> Result:
    """Dự thay: someone attending in an invitee's place; added in the same unit and checked in."""
    seat = _get_invitee(meeting, for_invitee_id)
    if not is_seat(seat):
        raise DomainError("substitute_not_a_seat",
                          _l("Chỉ đăng ký dự thay cho người có tên trong danh sách mời."))
    fields = invitees.validate(full_name, honorific, position, seat.category, None)
    nonce, at = _may_register(meeting, nonce, at)
    with _meeting_locked(meeting):
        if (prior := _replayed(meeting, nonce)) is not None:
            return prior
        lock_invitee(seat)
        if seat_holders([seat.id]):
            raise DomainError("substitute_for_present",
                              _l("%(name)s đã có mặt (hoặc đã có người dự thay).", name=seat.full_name),
                              status=409)
        return _new_person(meeting, fields, seat.organisation, walk_in=False, substitute_for=seat,
                           actor=actor, nonce=nonce, at=at)


# --------------------------------------------------------------------------- undo

_UNDO_STEPS: list[Callable[[Invitee, datetime, User | str | None], Callable[[], None] | None]] = []


def when_undone(step):
    """Make `step(invitee, now, actor)` part of every undo (a decorator). It runs inside the
    undo's change, before the commit, and returns what to announce after it, or None. The speaker
    queue takes the person out of every line this way (speakers.withdraw_absent): only those
    present may wait to speak. Check-in itself knows nothing of the queue."""
    _UNDO_STEPS.append(step)
    return step


def undo_check_in(meeting: Meeting, invitee_id, reason: str, *, actor: User | str | None = None) -> CheckIn:
    """Undo a mistaken check-in, with a reason. The row stays (undone) and can be revived."""
    reason = text_reason(reason, "undo_reason", _l("Vui lòng nhập lý do hủy điểm danh."))
    minutes.refuse_if_final(meeting)
    invitee = _get_invitee(meeting, invitee_id)
    row = current_checkin(invitee.id)
    not_in = DomainError("not_checked_in", _l("Người này chưa điểm danh."), status=409)
    if row is None or not row.present:
        raise not_in
    now = utcnow()
    done = db.session.execute(
        update(CheckIn).where(CheckIn.id == row.id, CheckIn.present)
        .values(undone_at=now, undone_by_id=actor_id(actor), undo_reason=reason)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise not_in
    audit.record("checkin.undo", "checkin", row.id, meeting_id=meeting.id, actor=actor,
                 invitee_id=invitee.id, full_name=invitee.full_name, reason=reason,
                 checked_in_at=row.checked_in_at, method=row.method)
    then = [after for step in _UNDO_STEPS if (after := step(invitee, now, actor)) is not None]
    seat_id = invitee.substitute_for_id  # a dự thay undone: their seat's phone too
    db.session.commit()
    db.session.refresh(row)
    announce(meeting.id, invitee.id, seat_id)
    for after in then:
        after()
    return row
