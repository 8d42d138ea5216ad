"""Door scans checked in together (services/checkin_batch): each answer is the one a scan on its
own would get, whatever else is in the batch; scans sent at once from many threads are batched
and still give one record per person; and the door's scan over its live connection (door:scan)."""
from __future__ import annotations

import contextvars
import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from meetingday import live
from meetingday.errors import DomainError
from meetingday.extensions import db
from meetingday.models import (
    AuditEntry,
    CheckIn,
    CheckInMethod,
    Meeting,
    Role,
    User,
    utcnow,
)
from meetingday.regions.checkin import render_result
from meetingday.services import (
    checkin,
    checkin_batch,
    invitees,
    meetings,
    organisations,
    passes,
)
from meetingday.services.checkin_batch import Scan

from .conftest import connect, csrf_token, login, make_user

pytestmark = pytest.mark.both_databases  # its own SQL (INSERT … RETURNING) and threads racing
PUBLIC = "http://hoitruong.local:5000"


def _meeting(title: str) -> Meeting:
    return meetings.create_meeting({
        "title": title, "host_body": "Thường trực HĐND thị xã", "issuing_body": "HĐND THỊ XÃ",
        "place": "Hội trường", "starts_at": utcnow().replace(microsecond=0) + timedelta(hours=2)}, actor="test")


@pytest.fixture()
def door(app):
    return make_user("letanlo", Role.DOOR)


@pytest.fixture()
def hall(app, door):
    meeting = _meeting("Hội nghị thử quét theo lô")
    unit = organisations.add_organisation("Xã Phổ An", actor="test")
    people = [invitees.add_invitee(meeting, full_name=f"Đại biểu Số {i:02d}", position="Đại biểu HĐND",
                                   organisation=unit if i % 2 else None) for i in range(12)]
    checkin.open_checkin(meeting, door)
    return meeting, people


def _url(person) -> str:
    return f"{PUBLIC}/d/{person.active_token.token}"


def _outcome(answer):
    if isinstance(answer, DomainError):
        return answer.code
    return ("new" if answer.created else "again", answer.invitee.full_name)


def _creates(meeting_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.meeting_id == meeting_id, AuditEntry.action == "checkin.create"))


def test_a_batch_answers_each_scan_as_it_would_be_answered_alone(hall, door):
    meeting, p = hall
    meeting.checkin_opened_at = utcnow() - timedelta(minutes=10)  # for the scan that waited
    db.session.commit()
    other = _meeting("Hội nghị khác")
    stranger = invitees.add_invitee(other, full_name="Người Hội Nghị Khác")
    checkin.check_in_scan(meeting, _url(p[1]), actor=door, nonce="truoc-0001")  # here already
    checkin.check_in_scan(meeting, _url(p[2]), actor=door)
    checkin.undo_check_in(meeting, p[2].id, "Quét nhầm", actor=door)             # undone: brought back
    checkin.register_substitute(meeting, p[3].id, "Đỗ Minh Thay", actor=door)    # someone in p[3]'s place
    revoked_url = _url(p[4])
    passes.revoke_token(p[4], p[4].active_token.id, actor="test")
    scans = [
        Scan(_url(p[0]), nonce="lo-0000-a", actor=door),          # first scan
        Scan(_url(p[1]), nonce="lo-0001-a", actor=door),          # a repeat
        Scan(_url(p[2]), nonce="lo-0002-a", actor=door),          # after an undo
        Scan(_url(p[3]), nonce="lo-0003-a", actor=door),          # a dự thay is here
        Scan(revoked_url, nonce="lo-0004-a", actor=door),
        Scan(_url(stranger), nonce="lo-0005-a", actor=door),
        Scan("không phải mã", nonce="lo-0006-a", actor=door),
        Scan(_url(p[5]), nonce="lo-0007-a", actor=door),
        Scan(_url(p[5]), nonce="lo-0007-b", actor=door),          # the same person twice in the batch
        Scan(_url(p[6]), nonce="lo-0008-a", actor=door),
        Scan(_url(p[6]), nonce="lo-0008-a", actor=door),          # a retried request in the batch
        Scan(_url(p[7]), nonce="truoc-0001", actor=door),         # a nonce another check-in used
        Scan(_url(p[8]), nonce="x", actor=door),                  # malformed nonce
        Scan(_url(p[9]), at=utcnow() - timedelta(minutes=3), actor=door),  # waited on the device
        Scan(_url(p[1]), nonce="truoc-0001", actor=door),         # a retry of the check-in before
    ]
    answers = checkin_batch.check_in_scans(meeting, scans)
    name = [person.full_name for person in p]
    assert [_outcome(a) for a in answers] == [
        ("new", name[0]), ("again", name[1]), ("new", name[2]), "substitute_present", "pass_revoked",
        "pass_other_meeting", "scan_invalid", ("new", name[5]), ("again", name[5]), ("new", name[6]),
        ("again", name[6]), "nonce_reused", "nonce_invalid", ("new", name[9]), ("again", name[1])]
    assert answers[1].checkin.id == answers[14].checkin.id
    assert answers[7].checkin.id == answers[8].checkin.id and answers[9].checkin.id == answers[10].checkin.id
    db.session.expire_all()
    rows = {row.invitee_id: row for row in db.session.scalars(select(CheckIn).where(CheckIn.meeting_id == meeting.id))}
    for i in (0, 1, 2, 5, 6, 9):
        assert rows[p[i].id].undone_at is None
    assert p[7].id not in rows and p[8].id not in rows and p[3].id not in rows
    assert rows[p[0].id].method == CheckInMethod.DOOR_SCAN and rows[p[0].id].recorded_by_id == door.id
    assert rows[p[0].id].client_nonce == "lo-0000-a"
    assert abs(rows[p[9].id].checked_in_at - scans[13].at) < timedelta(seconds=1)
    # Before the batch: p1, p2 and the dự thay; in it: p0, p2 again, p5, p6, p9. One entry each.
    assert _creates(meeting.id) == 3 + 5


def test_a_batch_outside_the_window_or_after_the_minutes_writes_nothing(hall, door):
    meeting, p = hall
    checkin.close_checkin(meeting, door)
    answers = checkin_batch.check_in_scans(meeting, [Scan(_url(p[0]), actor=door), Scan(_url(p[1]), actor=door)])
    assert [_outcome(a) for a in answers] == ["checkin_closed", "checkin_closed"]
    checkin.open_checkin(meeting, door)
    meeting.minutes_finalized_at = utcnow()
    db.session.commit()
    answers = checkin_batch.check_in_scans(meeting, [Scan(_url(p[0]), actor=door)])
    assert [_outcome(a) for a in answers] == ["minutes_final"]
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def _statements(meeting: Meeting, scans: list[Scan]) -> int:
    """The SQL statements a batch of first scans costs, from a session that has nothing loaded."""
    db.session.expire_all()
    seen = []

    def count(*_):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        answers = checkin_batch.check_in_scans(meeting, scans)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert all(not isinstance(a, DomainError) and a.created for a in answers)
    return len(seen)


def test_the_first_scans_of_a_batch_cost_the_same_statements_however_many_they_are(hall, door, monkeypatch):
    """What makes a rush fast (docs/benchmarks.md, "Check-in burst"): the reads, the insert
    and the audit of the plain scans are one statement each for the whole batch. SQLite sends
    the insert row by row, as it cannot return the ids of many rows in their order."""
    monkeypatch.setattr(live, "publish", lambda *args, **kwargs: None)  # rendering the pushed regions
    monkeypatch.setattr(live, "refresh", lambda *args, **kwargs: None)
    meeting, p = hall
    few = _statements(meeting, [Scan(_url(p[i]), nonce=f"vai-lan-{i:02d}", actor=door) for i in range(2)])
    many = _statements(meeting, [Scan(_url(p[i]), nonce=f"nhieu-lan-{i:02d}", actor=door) for i in range(2, 10)])
    per_row = 1 if db.engine.dialect.name == "sqlite" else 0
    assert many - 8 * per_row == few - 2 * per_row
    assert _creates(meeting.id) == 10


def _together(app, meeting_id: int, door_id: int, scans: list[tuple[str, str]]) -> list:
    """Each scan from its own thread, all released at once, through check_in_together."""
    answers, errors, barrier = [None] * len(scans), [], threading.Barrier(len(scans))
    results = []

    def run(i):
        with app.test_request_context():
            try:
                barrier.wait()
                text, nonce = scans[i]
                try:
                    result = checkin_batch.check_in_together(
                        meeting_id, Scan(text, nonce=nonce, actor=db.session.get(User, door_id)))
                    answers[i] = (result.created, result.invitee.id, result.checkin.id)
                    _render(result)  # as the request that sent it does
                    if result.created:  # written by a batch, perhaps on another thread's session
                        results.append(result)
                except DomainError as e:
                    answers[i] = e.code
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(scans))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # A new check-in's answer is drawn from what the batch's leader read, perhaps after the
    # leader's session has closed: as every session is now, it needs nothing more from the database.
    with app.test_request_context():
        for result in results:
            _render(result)
    return answers


def _render(result) -> None:
    html = render_result("ok" if result.created else "repeat", result=result)
    assert result.invitee.full_name in html
    assert ("Xã Phổ An" in html) == (result.invitee.organisation is not None)


def test_twenty_scans_of_one_person_at_once_give_one_record(app, hall, door):
    meeting, p = hall
    answers = _together(app, meeting.id, door.id, [(_url(p[0]), f"cung-luc-{i:04d}") for i in range(20)])
    assert sum(created for created, _, _ in answers) == 1
    assert len({row for _, _, row in answers}) == 1
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    assert _creates(meeting.id) == 1


def test_a_rush_of_scans_checks_each_person_in_once(app, hall, door):
    meeting, p = hall
    scans = [(_url(person), f"don-dap-{i:04d}") for i, person in enumerate(p)]
    scans += [(_url(p[0]), "don-dap-0000"), (_url(p[1]), "don-dap-lai-01"), ("sai", "don-dap-sai-01")]
    answers = _together(app, meeting.id, door.id, scans)
    assert answers[-1] == "scan_invalid"
    ok = [a for a in answers if isinstance(a, tuple)]
    assert sorted(person for created, person, _ in ok if created) == sorted(person.id for person in p)
    assert sum(not created for created, _, _ in ok) == 2
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == len(p)
    assert _creates(meeting.id) == len(p)


def test_an_answer_handed_over_survives_the_leaders_own_refusal(app, hall, door):
    """The request that leads a batch may have its own scan refused afterwards (its rollback
    expires what its session holds) and then close its session: the answers it handed to the
    other requests are still whole."""
    meeting, p = hall
    bad = checkin_batch._Waiting(Scan("không phải mã", nonce="dan-0001", actor=door))
    other = checkin_batch._Waiting(Scan(_url(p[1]), nonce="dan-0002", actor=door))
    checkin_batch._lead(meeting.id, [bad, other])
    assert bad.answer.code == "scan_invalid" and other.answer.created
    refused = checkin_batch.one_scan(meeting, Scan(f"{PUBLIC}/d/{'x' * 32}", actor=door))  # as the leader's own
    assert refused.code == "pass_unknown"  # read, then rolled back
    db.session.close()
    _render(other.answer)


# --------------------------------------------------------------------------- over Socket.IO

def _connect(app, http, meeting_id, locale=None):
    auth = {"meeting": meeting_id} | ({"locale": locale} if locale else {})
    return connect(app, auth, http)


def _emit(sio, data: dict, callback: bool = True):
    """An event sent in a context of its own, as each event is in production (Flask-Login
    caches the user in g, which a test's app context would otherwise share between clients)."""
    return contextvars.Context().run(sio.emit, "door:scan", data, callback=callback)


def test_the_door_scans_over_its_live_connection(app, hall, door):
    meeting, p = hall
    meeting.checkin_opened_at = utcnow() - timedelta(minutes=10)  # for the scan that waited
    db.session.commit()
    make_user("chutrilo", Role.CHAIR)
    door_http, chair_http = app.test_client(), app.test_client()
    login(door_http, "letanlo")
    login(chair_http, "chutrilo")
    door_sio, chair_sio = _connect(app, door_http, meeting.id), _connect(app, chair_http, meeting.id)
    chair_sio.get_received()
    answer = _emit(door_sio, {"meeting": meeting.id, "code": _url(p[0]), "nonce": "song-0001"},
                           callback=True)
    assert answer["outcome"] == "ok" and answer["status"] == 200
    assert p[0].full_name in answer["html"] and 'data-outcome="ok"' in answer["html"]
    again = _emit(door_sio, {"meeting": meeting.id, "code": _url(p[0]), "nonce": "song-0002"},
                          callback=True)
    assert again["outcome"] == "repeat" and "Đã điểm danh lúc" in again["html"]
    waited = _emit(door_sio, {"meeting": meeting.id, "code": _url(p[1]), "nonce": "song-0003",
                                         "scanned_at": str(int((utcnow().timestamp() - 60) * 1000))},
                           callback=True)
    assert waited["outcome"] == "ok"
    bad = _emit(door_sio, {"meeting": meeting.id, "code": "xin chào", "nonce": "song-0004"},
                        callback=True)
    assert bad["outcome"] == "error" and bad["status"] == 400 and "Không đọc được mã này" in bad["html"]
    lost = _emit(door_sio, {"meeting": "abc", "code": _url(p[2])}, callback=True)
    assert lost["outcome"] == "error" and lost["status"] == 404
    # The chair's panel heard of the check-ins without asking.
    assert any(msg["name"] == "swap" for msg in chair_sio.get_received())
    # Someone who is not door staff is told so, and nothing is written.
    refused = _emit(chair_sio, {"meeting": meeting.id, "code": _url(p[2]), "nonce": "song-0005"},
                             callback=True)
    assert refused == {"outcome": None, "status": 403}
    # Nor is the projector, which is connected without an account.
    projector = connect(app, {"meeting": meeting.id, "key": meeting.display_key}, app.test_client())
    assert projector.is_connected()
    assert _emit(projector, {"meeting": meeting.id, "code": _url(p[2]), "nonce": "song-0006"}) == \
        {"outcome": None, "status": 401}
    projector.disconnect()
    # Nor is a door account deactivated since its screen connected.
    door.active = False
    db.session.commit()
    assert _emit(door_sio, {"meeting": meeting.id, "code": _url(p[2]), "nonce": "song-0007"}) == \
        {"outcome": None, "status": 403}
    db.session.expire_all()
    assert {row.invitee_id for row in db.session.scalars(select(CheckIn))} == {p[0].id, p[1].id}
    door_sio.disconnect()
    chair_sio.disconnect()


def test_a_live_scan_after_the_accounts_session_ended_is_refused(app, hall, door, monkeypatch):
    """Logging out cuts the account's connections (test_accounts); should that message be lost
    on its way to another process, the scans of a connection still open are refused all the same."""
    meeting, p = hall
    door_http, other_tablet = app.test_client(), app.test_client()
    login(door_http, "letanlo")
    login(other_tablet, "letanlo")
    door_sio = _connect(app, door_http, meeting.id)
    monkeypatch.setattr(live, "disconnect_account", lambda user_id: None)  # the cut never arrives
    other_tablet.post("/logout", data={"csrf_token": csrf_token(other_tablet)})  # ends every session of it
    assert _emit(door_sio, {"meeting": meeting.id, "code": _url(p[0]), "nonce": "dang-xuat-1"}) == \
        {"outcome": None, "status": 401}
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 0
    door_sio.disconnect()


def test_a_live_scan_is_answered_in_the_language_of_the_door_screen(app, hall, door):
    meeting, p = hall
    door_http = app.test_client()
    login(door_http, "letanlo")
    door_sio = _connect(app, door_http, meeting.id, locale="en")  # as live.js says the page's
    answer = _emit(door_sio, {"meeting": meeting.id, "code": _url(p[0]), "nonce": "english-01"})
    assert answer["outcome"] == "ok" and "Checked in" in answer["html"] and "Đã điểm danh" not in answer["html"]
    bad = _emit(door_sio, {"meeting": meeting.id, "code": "xin chào", "nonce": "english-02"})
    assert bad["status"] == 400 and "Không đọc được" not in bad["html"]
    door_sio.disconnect()


def test_a_live_scan_the_server_fails_on_is_answered_at_once_and_writes_nothing(app, hall, door, monkeypatch):
    meeting, p = hall
    door_http = app.test_client()
    login(door_http, "letanlo")
    door_sio = _connect(app, door_http, meeting.id)

    def broken(meeting_id, scan):
        db.session.add(CheckIn(meeting_id=meeting_id, invitee_id=p[0].id, method=CheckInMethod.DOOR_SCAN,
                               recorded_by_id=door.id))
        db.session.flush()
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(checkin_batch, "check_in_together", broken)
    assert _emit(door_sio, {"meeting": meeting.id, "code": _url(p[0]), "nonce": "broken-01"}) == \
        {"outcome": None, "status": 500}  # the door keeps the scan and tries again later
    monkeypatch.undo()
    db.session.expire_all()
    assert db.session.scalars(select(CheckIn)).all() == []
    answer = _emit(door_sio, {"meeting": meeting.id, "code": _url(p[0]), "nonce": "broken-01"})
    assert answer["outcome"] == "ok"
    door_sio.disconnect()


def test_a_pass_link_of_another_host_is_read_by_its_token_and_logged(app, hall, door, caplog):
    meeting, p = hall
    door_http = app.test_client()  # reaches this server as "localhost"
    login(door_http, "letanlo")
    door_sio = _connect(app, door_http, meeting.id)
    elsewhere = f"http://192.168.1.99:5000/d/{p[0].active_token.token}"
    with caplog.at_level(logging.WARNING, logger="meetingday.services.checkin"):
        assert _emit(door_sio, {"meeting": meeting.id, "code": elsewhere, "nonce": "xa-00001"})["outcome"] == "ok"
        assert _emit(door_sio, {"meeting": meeting.id, "code": _url(p[1]), "nonce": "xa-00002"})["outcome"] == "ok"
        here = f"http://localhost/d/{p[2].active_token.token}"  # the host the door came in by
        assert _emit(door_sio, {"meeting": meeting.id, "code": here, "nonce": "xa-00003"})["outcome"] == "ok"
        assert _emit(door_sio, {"meeting": meeting.id, "code": p[3].active_token.token})["outcome"] == "ok"
        r = door_http.post(f"/meetings/{meeting.id}/door/scan", headers={"X-CSRFToken": csrf_token(door_http)},
                           data={"code": f"https://Copy.Example:443/d/{p[4].active_token.token}?x=1"})
        assert r.headers["X-Checkin-Outcome"] == "ok"
    warned = [r for r in caplog.records if r.name == "meetingday.services.checkin"]
    assert [r.levelno for r in warned] == [logging.WARNING] * 2
    assert "192.168.1.99:5000" in warned[0].getMessage() and "copy.example" in warned[1].getMessage()
    assert all(f"meeting {meeting.id}" in r.getMessage() for r in warned)
    tokens = [person.active_token.token for person in p[:5]]
    assert not any(token[:8] in r.getMessage() for r in warned for token in tokens)
    door_sio.disconnect()
