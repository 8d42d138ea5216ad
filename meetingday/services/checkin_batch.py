"""Door scans that arrive together, checked in with one transaction.

    check_in_scans(meeting, scans: list[Scan]) -> list[Result | DomainError]   # in order
    check_in_together(meeting_id, scan: Scan) -> Result              # raises its DomainError

A rush at the door (several tablets, a queue of delegates) would otherwise cost one transaction
and about eight statements per scan (docs/benchmarks.md, "Check-in burst"). Here what every
scan needs is read for the whole batch at once, and judged by the rules of services/checkin.py
(the same functions a scan on its own goes through). The plain case, the first scan of an
invited person whose seat is free, with a new nonce, inside the window, is written for every
such scan of the batch by checkin.write, with a fixed number of statements and one commit; a
scan of an invited person who is here already (a repeat, a retried request) is answered from
the same reads with their first check-in, and a code that is not a pass of this meeting is
refused as on its own (that comes first there too). Every other scan (an undone check-in to
bring back, a dự thay or a guest, a nonce used for someone else, outside the window) then goes
through checkin.check_in_scan one by one, so that each answer is the one a scan on its own would
get. The seats are locked before their check-ins are read (meetings.lock_invitees), as a single
check-in locks its seat, so a dự thay or a second device cannot slip in between.

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
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import DomainError, meeting_not_found
from ..extensions import db
from ..models import CheckInMethod, Invitee, Meeting, User
from ..timeutil import utcnow
from . import checkin, minutes, passes
from .meetings import lock_invitees


@dataclass
class Scan:
    """One door scan as a door device sent it (see checkin.check_in_scan)."""
    text: str | None
    nonce: str | None = None
    at: datetime | None = None
    actor: User | str | None = None
    actor_id: int | None = None  # or a staff account known only by its id (a live connection's)
    roles: tuple = ()            # the roles that account must hold, checked with the batch
    session_version: int | None = None  # the account's session version its connection was let in with
    host: str | None = None      # the host the door reached this server by (a link of another is logged)


def check_in_scans(meeting: Meeting, scans: list[Scan]) -> list:
    """Check these scans in; for each, the Result or the DomainError a single scan would get."""
    answers = plain_scans(meeting, scans)
    return [one_scan(meeting, scan) if answer is None else answer for scan, answer in zip(scans, answers)]


def plain_scans(meeting: Meeting, scans: list[Scan]) -> list:
    """The plain scans checked in with one commit, and those of people here already answered
    (their Results), the ones refused before any check-in is read (their DomainErrors), and
    None for each scan to check in on its own (one_scan)."""
    answers: list = [None] * len(scans)
    read: dict[int, tuple[str, str | None, datetime]] = {}
    now = utcnow()
    for i, scan in enumerate(scans):
        try:
            nonce, at = checkin.parse_nonce(scan.nonce), checkin.scan_time(scan.at, now)
            read[i] = (checkin.token_from_scan(scan.text), nonce, at)
        except DomainError as e:
            answers[i] = e
            continue
        checkin.note_foreign_link(meeting, scan.text, scan.host)
    if not read:
        return answers
    try:
        minutes.refuse_if_final(meeting)
    except DomainError:
        return answers  # each on its own: a repeat still answers, the others are refused
    try:
        plain, answered, again = _plain(meeting, read)
        if plain:
            arrivals = [checkin.Arrival(invitee, CheckInMethod.DOOR_SCAN, scans[i].actor, nonce, at)
                        for i, (invitee, nonce, at) in plain.items()]
            answered.update(zip(plain, checkin.write(meeting, arrivals)))
        else:
            checkin.commit_keeping_loaded()  # lets go of the seats; the answers stay readable
    except DBAPIError:  # a race lost to another process, a lock timeout: each on its own
        db.session.rollback()
        return answers
    for i, answer in answered.items():
        answers[i] = answer
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
    """Read what the batch needs, with its people's seats locked (see above), and judge it by
    checkin's rules. Three answers: {i: (invitee, nonce, at)} the first check-ins to write;
    {i: Result or DomainError} of people here already (a repeat, or a retried request),
    answered with their first check-in, and of codes that are no pass of this meeting; and
    {i: j} for a second scan, in this batch, of the person of scan j. The rest: on their own."""
    found = passes.find_passes(token for token, _, _ in read.values())
    first, answered, again, people, nonces = {}, {}, {}, {}, set()
    for i, (token, nonce, at) in read.items():
        try:
            invitee = checkin.scanned_holder(meeting, found.get(token))
        except DomainError as e:
            answered[i] = e
            continue
        try:
            checkin.require_open(meeting, at)
        except DomainError:
            continue  # on its own: a repeat is answered all the same
        if not checkin.is_seat(invitee):
            continue  # a dự thay or a guest: on its own, which also locks their own row
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
    if not first:
        return {}, answered, {}
    lock_invitees(people)
    checkins = checkin.read_checkins(meeting, people, nonces)
    taken = checkin.seat_holders(people, other_than=people)  # seats a dự thay holds
    plain = {}
    for i, (invitee, nonce, at) in first.items():
        try:
            prior, undone = checkin.prior_answer(invitee, nonce, checkins)
        except DomainError:
            continue  # a nonce another check-in used, the retry of an undone one: on its own
        if prior is not None:
            answered[i] = prior
        elif undone is None and invitee.id not in taken:
            plain[i] = (invitee, nonce, at)
        # else: an undone check-in to bring back, a dự thay here: on their own
    again = {i: j for i, j in again.items() if (j in plain or j in answered)
             and _same_request(first[j][0], read[i][1], checkins)}
    return plain, answered, again


def _same_request(invitee: Invitee, nonce: str | None, checkins: tuple) -> bool:
    """A second scan of `invitee` in the batch is answered with the first one's check-in unless
    its nonce is one another check-in used (then it goes on its own, and is refused)."""
    try:
        checkin.prior_answer(invitee, nonce, checkins)
    except DomainError:
        return False
    return True


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
    """A scan by an account that may not check people in: one that is gone, or that
    access.roles_required would turn away (User.may); or sent over a connection whose session
    has ended since (the account logged out, changed its password or was disabled)."""
    if (scan.session_version is not None and isinstance(actor, User)
            and actor.session_version != scan.session_version):
        return DomainError("session_ended", _l("Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại."), status=401)
    if scan.roles and not (isinstance(actor, User) and actor.may(*scan.roles)):
        return DomainError("not_allowed", _l("Tài khoản này không có quyền điểm danh."), status=403)
    return None


def _hand_over(result: checkin.Result) -> None:
    """Take an answer's rows out of this request's session before another request draws it: a
    rollback here (this request's own scan refused) would otherwise expire them under it."""
    for row in (result.invitee, result.invitee.organisation, result.checkin):
        if row is not None and row in db.session:
            db.session.expunge(row)
