"""Door scans that arrive together, checked in with one transaction.

    check_in_scans(meeting, scans: list[Scan]) -> list[Result | DomainError]   # in order
    check_in_together(meeting_id, scan: Scan) -> Result              # raises its DomainError

A rush at the door (several tablets, a queue of delegates) would otherwise cost one transaction
and about eight statements per scan (docs/benchmarks.md, "Check-in burst"). Here the plain case,
the first scan of an invited person whose seat is free, with a new nonce, inside the window,
is written for every such scan of the batch with a fixed number of statements and one commit;
a scan of an invited person who is here already (a repeat, a retried request) is answered from
the same reads with their first check-in. Every other scan (an undone check-in to bring back, a
dự thay or a guest, a nonce used for someone else, a code that is refused) then goes through
checkin.check_in_scan one by one, so the rules live in one place and each answer is the one a
scan on its own would get. The seats are locked before their check-ins are read
(meetings.lock_invitees), as a single check-in locks its seat, so a dự thay or a second device
cannot slip in between.

check_in_together is what a request calls: its scan waits while this process is checking in
a batch, and goes in the next one with every scan that arrived meanwhile (one request at a
time leads a batch and answers the others; under gevent the lock lets the other requests run,
and under threads it is an ordinary lock). A scan that arrives alone goes at once, as a batch of
one. Scans of different meetings are never in one batch.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit
from ..errors import DomainError
from ..extensions import db
from ..models import CheckIn, CheckInMethod, Invitee, Meeting, PassToken, User
from ..timeutil import utcnow
from . import checkin
from .meetings import lock_invitees, meeting_not_found


@dataclass
class Scan:
    """One door scan as a door device sent it (see checkin.check_in_scan)."""
    text: str | None
    nonce: str | None = None
    at: datetime | None = None
    actor: User | str | None = None
    actor_id: int | None = None  # or a staff account known only by its id (a live connection's)
    roles: tuple = ()            # the roles that account must hold, checked with the batch


def check_in_scans(meeting: Meeting, scans: list[Scan]) -> list:
    """Check these scans in; for each, the Result or the DomainError a single scan would get."""
    answers = plain_scans(meeting, scans)
    return [one_scan(meeting, scan) if answer is None else answer for scan, answer in zip(scans, answers)]


def plain_scans(meeting: Meeting, scans: list[Scan]) -> list:
    """The plain scans checked in with one commit, and those of people here already answered
    (their Results), the ones refused before any reading (their DomainErrors), and None for
    each scan to check in on its own (one_scan)."""
    answers: list = [None] * len(scans)
    read: dict[int, tuple[str, str | None, datetime]] = {}
    now = utcnow()
    for i, scan in enumerate(scans):
        try:
            nonce, at = checkin.parse_nonce(scan.nonce), checkin.scan_time(scan.at, now)
            read[i] = (checkin.token_from_scan(scan.text), nonce, at)
        except DomainError as e:
            answers[i] = e
    if not read or meeting.minutes_finalized_at is not None:
        return answers
    try:
        plain, here, again = _plain(meeting, read)
        if plain:
            here.update(_write(meeting, plain, scans))
        else:
            checkin.commit_keeping_loaded()  # lets go of the seats; the answers stay readable
    except DBAPIError:  # a race lost to another process, a lock timeout: each on its own
        db.session.rollback()
        return answers
    for i, result in here.items():
        answers[i] = result
    for i, j in again.items():
        answers[i] = checkin.Result(answers[j].checkin, answers[j].invitee, created=False)
    return answers


def one_scan(meeting: Meeting, scan: Scan):
    """A scan on its own (checkin.check_in_scan): its Result, or its DomainError."""
    try:
        return checkin.check_in_scan(meeting, scan.text, actor=scan.actor, nonce=scan.nonce, at=scan.at)
    except DomainError as e:
        db.session.rollback()
        return e


def _plain(meeting: Meeting, read: dict) -> tuple[dict, dict, dict]:
    """Read what the batch needs, with its people's seats locked (see above). Three answers:
    {i: (invitee, nonce, at)} the first check-ins to write; {i: Result} of people here already
    (a repeat, or a retried request), answered with their first check-in as checkin._prior
    does; and {i: j} for a second scan, in this batch, of the person of scan j. The rest: on
    their own."""
    rows = db.session.execute(
        select(PassToken.token, PassToken.revoked_at, Invitee).join(PassToken.invitee)
        .where(PassToken.token.in_({token for token, _, _ in read.values()}))
        .options(joinedload(Invitee.organisation))).all()
    by_token = {token: (revoked, invitee) for token, revoked, invitee in rows}
    first, again, people, nonces = {}, {}, {}, set()
    for i, (token, nonce, at) in read.items():
        revoked, invitee = by_token.get(token, (True, None))
        if (revoked is not None or invitee.meeting_id != meeting.id or invitee.walk_in
                or invitee.substitute_for_id or checkin.window_state(meeting, at) != checkin.OPEN):
            continue  # refused, or a dự thay or a guest: on its own
        if invitee.id in people:
            j = people[invitee.id]
            if nonce is None or nonce == first[j][1] or nonce not in nonces:
                again[i] = j
                nonces.add(nonce)
            continue
        if nonce is not None and nonce in nonces:
            continue  # a nonce another person's scan in this batch carries: on its own
        # Its answer is drawn by the request that sent it, once this one's session is closed:
        # say here that a seat attends in nobody's place, so that nothing is loaded then.
        set_committed_value(invitee, "substitute_for", None)
        people[invitee.id] = i
        nonces.add(nonce)
        first[i] = (invitee, nonce, at)
    nonces.discard(None)
    if not first:
        return {}, {}, {}
    lock_invitees(people)
    rows = db.session.scalars(
        select(CheckIn).where(or_(CheckIn.invitee_id.in_(people),
                                  (CheckIn.meeting_id == meeting.id) & CheckIn.client_nonce.in_(nonces or {""}))))
    own, by_nonce = {}, {}
    for row in rows:
        own[row.invitee_id] = row
        if row.client_nonce:
            by_nonce[row.client_nonce] = row
    seated = set(db.session.scalars(  # seats a dự thay holds
        select(Invitee.substitute_for_id).join(CheckIn, CheckIn.invitee_id == Invitee.id)
        .where(Invitee.substitute_for_id.in_(people), CheckIn.undone_at.is_(None))))
    plain, here = {}, {}
    for i, (invitee, nonce, at) in first.items():
        earlier, mine = by_nonce.get(nonce), own.get(invitee.id)
        if mine is not None and mine.undone_at is None and earlier in (None, mine):
            here[i] = checkin.Result(mine, invitee, created=False)
        elif mine is None and earlier is None and invitee.id not in seated:
            plain[i] = (invitee, nonce, at)
        # else: a nonce another check-in used, an undone check-in, a dự thay here: on their own
    again = {i: j for i, j in again.items() if (j in plain or j in here)
             and by_nonce.get(read[i][1]) in (None, own.get(first[j][0].id))}
    return plain, here, again


def _write(meeting: Meeting, plain: dict, scans: list[Scan]) -> dict[int, checkin.Result]:
    """Insert the plain scans' check-ins, audit each, commit once, and announce. Two statements
    for the whole batch; each answer's check-in is built from what was written."""
    values = {i: {"meeting_id": meeting.id, "invitee_id": invitee.id, "checked_in_at": at,
                  "method": CheckInMethod.DOOR_SCAN, "recorded_by_id": checkin.actor_id(scans[i].actor),
                  "late": checkin.is_late(meeting, at), "client_nonce": nonce}
              for i, (invitee, nonce, at) in plain.items()}
    ids = dict(db.session.execute(
        insert(CheckIn.__table__).returning(CheckIn.invitee_id, CheckIn.id, sort_by_parameter_order=True),
        list(values.values())).all())
    results, entries = {}, []
    for i, (invitee, nonce, at) in plain.items():
        row = CheckIn(id=ids[invitee.id], undone_at=None, **values[i])
        entries.append(audit.values("checkin.create", "checkin", row.id, meeting_id=meeting.id,
                                    actor=scans[i].actor, invitee_id=invitee.id, full_name=invitee.full_name,
                                    method=row.method, late=row.late, at=at, nonce=nonce, revived=False))
        results[i] = checkin.Result(row, invitee, created=True)
    audit.record_all(entries)
    checkin.commit_keeping_loaded()
    checkin.announce(meeting.id, *(invitee.id for invitee, _, _ in plain.values()))
    return results


class _Waiting:
    __slots__ = ("actor_id", "answer", "done", "scan")

    def __init__(self, scan: Scan) -> None:
        self.scan, self.answer, self.done = scan, None, False
        self.actor_id = scan.actor.id if isinstance(scan.actor, User) else scan.actor_id


_turn = threading.Lock()   # one batch at a time in this process
_guard = threading.Lock()  # the lists below
_waiting: dict[int, list[_Waiting]] = {}  # meeting id -> scans for its next batch


def check_in_together(meeting_id: int, scan: Scan) -> checkin.Result:
    """Check one scan in with whatever else arrives meanwhile (see above); its Result, or its
    DomainError raised. A failure of the whole batch (the database gone) is raised to each.

    While it waits, the request gives its database connection back. The batch is written on
    the connection of the request that leads it, which reads the meeting and the staff accounts
    there (a scan by an account that no longer holds `roles` is refused, 403); a scan left to
    check in on its own is then done in its own request."""
    mine = _Waiting(scan)
    db.session.rollback()
    with _guard:
        _waiting.setdefault(meeting_id, []).append(mine)
    with _turn:
        if not mine.done:
            _gather(meeting_id)
            with _guard:
                batch = _waiting.pop(meeting_id, [])
            _lead(meeting_id, batch)
    if mine.answer is None:
        actor = db.session.get(User, mine.actor_id) if mine.actor_id else scan.actor
        mine.answer = _refusal(scan, actor) or one_scan(db.session.get(Meeting, meeting_id),
                                                          replace(scan, actor=actor))
    if isinstance(mine.answer, Exception):
        raise mine.answer
    return mine.answer


def _gather(meeting_id: int) -> None:
    """Let the scans that have arrived join the batch before it starts. Under gevent nothing
    else runs until this request waits for input or output, which SQLite never does: without
    these yields, each request of a burst would lead a batch of one. While the list grows,
    yield again (time.sleep(0) is a yield under gevent and a brief pause under threads)."""
    size = -1
    while size != (size := len(_waiting.get(meeting_id, ()))):
        time.sleep(0)


def _lead(meeting_id: int, batch: list[_Waiting]) -> None:
    """Check a batch in on this request's connection and hand each waiting request its answer."""
    answers: list = [None] * len(batch)
    try:
        meeting = db.session.get(Meeting, meeting_id)
        scans, kept = [], []
        for i, waiting in enumerate(batch):
            scan = waiting.scan
            actor = db.session.get(User, waiting.actor_id) if waiting.actor_id else scan.actor
            if meeting is None:
                answers[i] = meeting_not_found()
            elif (refused := _refusal(scan, actor)) is not None:
                answers[i] = refused
            else:
                scans.append(replace(scan, actor=actor))
                kept.append(i)
        for i, answer in zip(kept, plain_scans(meeting, scans) if scans else []):
            answers[i] = answer
        for answer in answers:
            if isinstance(answer, checkin.Result):
                _hand_over(answer)
    except Exception as e:  # noqa: BLE001 - every request of the batch answers with it
        db.session.rollback()
        answers = [e] * len(batch)
    for waiting, answer in zip(batch, answers):
        waiting.answer, waiting.done = answer, True


def _refusal(scan: Scan, actor) -> DomainError | None:
    """A scan by an account that may not check people in: one that is gone, deactivated or
    without `roles` (as Flask-Login's loader and roles_required check it for a POST)."""
    if scan.roles and (not isinstance(actor, User) or not actor.active or not actor.has_role(*scan.roles)):
        return DomainError("not_allowed", _l("Tài khoản này không có quyền điểm danh."), status=403)
    return None


def _hand_over(result: checkin.Result) -> None:
    """Take an answer's rows out of this request's session before another request draws it: a
    rollback here (this request's own scan refused) would otherwise expire them under it."""
    for row in (result.invitee, result.invitee.organisation, result.checkin):
        if row is not None and row in db.session:
            db.session.expunge(row)
