"""Check-in services tested directly: the window, the three ways, each rule and error code,
undo and re-check-in, walk-ins and substitutes, the hall code, and parallel check-ins."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from meetingday.errors import DomainError
from meetingday.extensions import db
from meetingday.models import (
    AuditEntry,
    CheckIn,
    CheckInMethod,
    Invitee,
    Meeting,
    Role,
    utcnow,
)
from meetingday.services import checkin, hallcode, invitees, meetings, passes
from meetingday.timeutil import to_local

from .conftest import at_once, make_user, refused

PUBLIC = "http://hoitruong.local:5000"


@pytest.fixture()
def meeting(app):
    return meetings.create_meeting({
        "title": "Hội nghị thử", "host_body": "Thường trực HĐND thị xã", "issuing_body": "HĐND THỊ XÃ",
        "place": "Hội trường", "starts_at": utcnow().replace(microsecond=0) + timedelta(hours=2)},
        actor="test")


@pytest.fixture()
def door(app):
    return make_user("letan", Role.DOOR)


@pytest.fixture()
def people(meeting):
    a = invitees.add_invitee(meeting, full_name="Nguyễn Văn Lộc", honorific="Ông", position="Chủ tịch UBND xã")
    b = invitees.add_invitee(meeting, full_name="Trần Thị Hoa", honorific="Bà", position="Phó Chủ tịch HĐND")
    return a, b


@pytest.fixture()
def open_meeting(meeting, door):
    checkin.open_checkin(meeting, door)
    return meeting


def code_of(excinfo) -> str:
    return excinfo.value.code


def count(model=CheckIn, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def actions(meeting_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.meeting_id == meeting_id)
                                   .order_by(AuditEntry.id)))


# --------------------------------------------------------------------------- the window

def test_window_opens_and_closes_and_is_audited(meeting, door, people):
    assert checkin.window_state(meeting) == checkin.NOT_OPEN
    refused("checkin_not_open", checkin.check_in, meeting, people[0], "door_search", actor=door)
    checkin.open_checkin(meeting, door)
    checkin.open_checkin(meeting, door)  # twice: one change
    assert checkin.window_state(meeting) == checkin.OPEN
    assert checkin.check_in(meeting, people[0], "door_search", actor=door).created
    checkin.close_checkin(meeting, door)
    checkin.close_checkin(meeting, door)
    assert checkin.window_state(meeting) == checkin.CLOSED
    refused("checkin_closed", checkin.check_in, meeting, people[1], "door_search", actor=door)
    checkin.open_checkin(meeting, door)  # reopened: the latecomer gets in
    assert checkin.check_in(meeting, people[1], "door_search", actor=door).created
    assert [a for a in actions(meeting.id) if a.startswith("checkin.")] == [
        "checkin.open", "checkin.create", "checkin.close", "checkin.open", "checkin.create"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.open"))
    assert entry.user_id == door.id


def test_window_at_a_given_time(meeting):
    t0 = utcnow()
    meeting.checkin_opened_at, meeting.checkin_closed_at = t0, t0 + timedelta(minutes=30)
    assert checkin.window_state(meeting, t0 - timedelta(seconds=1)) == checkin.CLOSED
    assert checkin.window_state(meeting, t0 + timedelta(minutes=10)) == checkin.OPEN
    assert checkin.window_state(meeting, t0 + timedelta(minutes=30)) == checkin.CLOSED
    meeting.checkin_closed_at = None
    assert checkin.window_state(meeting, t0 - timedelta(seconds=1)) == checkin.NOT_OPEN


# --------------------------------------------------------------------------- the three ways

def test_door_search_check_in_stores_time_way_recorder_and_audit(open_meeting, door, people):
    result = checkin.check_in_by_id(open_meeting, people[0].id, actor=door, nonce="nonce-0001")
    row = result.checkin
    assert result.created and result.invitee.id == people[0].id
    assert row.method == CheckInMethod.DOOR_SEARCH and row.recorded_by_id == door.id
    assert row.client_nonce == "nonce-0001" and row.late is False and row.undone_at is None
    assert abs((utcnow() - row.checked_in_at).total_seconds()) < 60
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.create"))
    assert entry.entity_id == row.id and entry.details["method"] == "door_search"
    assert entry.details["invitee_id"] == people[0].id and entry.user_id == door.id


@pytest.mark.parametrize("form", ["{base}/d/{token}", "{token}", " {base}/d/{token}/ ", "https://x.vn/d/{token}?a=1"])
def test_door_scan_reads_the_pass_link_or_the_token(open_meeting, door, people, form):
    token = people[0].active_token.token
    result = checkin.check_in_scan(open_meeting, form.format(base=PUBLIC, token=token), actor=door)
    assert result.created and result.invitee.id == people[0].id
    assert result.checkin.method == CheckInMethod.DOOR_SCAN


def test_repeated_scans_return_the_first_check_in(open_meeting, door, people):
    url = f"{PUBLIC}/d/{people[0].active_token.token}"
    first = checkin.check_in_scan(open_meeting, url, actor=door, nonce="aaaaaaaa1")
    again = checkin.check_in_scan(open_meeting, url, actor=door, nonce="aaaaaaaa2")
    by_name = checkin.check_in_by_id(open_meeting, people[0].id, actor=door)
    assert first.created and not again.created and not by_name.created
    assert again.checkin.id == by_name.checkin.id == first.checkin.id
    assert again.checkin.checked_in_at == first.checkin.checked_in_at
    assert count(CheckIn) == 1
    assert actions(open_meeting.id).count("checkin.create") == 1


def test_a_retried_request_with_the_same_nonce_returns_the_first(open_meeting, door, people):
    first = checkin.check_in_by_id(open_meeting, people[0].id, actor=door, nonce="retry-123")
    again = checkin.check_in_by_id(open_meeting, people[0].id, actor=door, nonce="retry-123")
    assert first.created and not again.created and again.checkin.id == first.checkin.id
    # The same nonce for someone else is a client error, not a second person's check-in.
    refused("nonce_reused", checkin.check_in_by_id, open_meeting, people[1].id, actor=door, nonce="retry-123")


def test_self_check_in_with_the_hall_code(open_meeting, people):
    token = people[1].active_token.token
    code = hallcode.code_for(open_meeting.id)
    result = checkin.self_check_in(token, open_meeting.id, code)
    assert result.created and result.checkin.method == CheckInMethod.SELF
    assert result.checkin.recorded_by_id is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.create"))
    assert entry.actor == f"invitee:{people[1].id}"
    assert not checkin.self_check_in(token, open_meeting.id, code).created


def test_late_after_the_meeting_started(open_meeting, door, people):
    open_meeting.checkin_opened_at = utcnow() - timedelta(minutes=30)
    open_meeting.starts_at = utcnow() - timedelta(minutes=20)  # planned earlier: started_at decides
    open_meeting.started_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    early = checkin.check_in_by_id(open_meeting, people[0].id, actor=door, at=utcnow() - timedelta(minutes=10))
    late = checkin.check_in_by_id(open_meeting, people[1].id, actor=door)
    assert early.checkin.late is False and late.checkin.late is True


def test_late_after_the_planned_start_when_not_started_on_the_tablet(open_meeting, door, people):
    planned = utcnow().replace(microsecond=0) - timedelta(hours=2)
    if to_local(planned).hour in (0, 23):  # keep the times below on one day in the hall
        planned -= timedelta(hours=2)
    open_meeting.checkin_opened_at = planned - timedelta(hours=1)
    open_meeting.starts_at = planned
    db.session.commit()
    assert open_meeting.started_at is None
    early = checkin.check_in_by_id(open_meeting, people[0].id, actor=door, at=planned - timedelta(minutes=10))
    late = checkin.check_in_by_id(open_meeting, people[1].id, actor=door, at=planned + timedelta(minutes=10))
    assert early.checkin.late is False and late.checkin.late is True
    # A plan for another day (a moved meeting, the demo's fixed date) makes nobody late.
    open_meeting.starts_at = utcnow() - timedelta(days=3)
    assert checkin.is_late(open_meeting, utcnow()) is False
    open_meeting.started_at = utcnow() - timedelta(days=3)  # started on the tablet: that decides
    assert checkin.is_late(open_meeting, utcnow()) is True
    db.session.rollback()


def test_offline_scan_keeps_its_scan_time_and_window(meeting, door, people):
    checkin.open_checkin(meeting, door)
    meeting.checkin_opened_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    scanned = utcnow() - timedelta(minutes=1)
    checkin.close_checkin(meeting, door)
    # Scanned while open, sent after closing: accepted at its scan time.
    result = checkin.check_in_scan(meeting, people[0].active_token.token, actor=door, at=scanned)
    assert result.created and result.checkin.checked_in_at == scanned
    refused("checkin_closed", checkin.check_in_scan, meeting, people[1].active_token.token, actor=door)


def test_scan_time_from_a_device_is_checked(open_meeting, door, people):
    refused("scan_time_invalid", checkin.check_in_by_id, open_meeting, people[0].id, actor=door,
            at=utcnow() - timedelta(days=2))
    ahead = checkin.check_in_by_id(open_meeting, people[0].id, actor=door, at=utcnow() + timedelta(hours=3))
    assert ahead.checkin.checked_in_at <= utcnow()  # a clock far ahead is taken as now


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("text, code", [
    ("", "scan_invalid"), ("xin chào", "scan_invalid"), ("x" * 500, "scan_invalid"),
    (f"{PUBLIC}/h/1/28000000.abcdefghijklmnop", "scan_hall_code"),
    ("https://example.com/d/not-a-real-token-but-long-enough", "pass_unknown"),
    ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "pass_unknown"),
])
def test_bad_scans_write_nothing(open_meeting, door, people, text, code):
    refused(code, checkin.check_in_scan, open_meeting, text, actor=door)


def test_revoked_pass_and_other_meetings_pass_are_refused(open_meeting, door, people):
    old = people[0].active_token.token
    passes.reissue_token(people[0], people[0].active_token.id)
    refused("pass_revoked", checkin.check_in_scan, open_meeting, old, actor=door)
    other = meetings.create_meeting({"title": "Hội nghị khác", "host_body": "x", "issuing_body": "y",
                                     "place": "z", "starts_at": datetime(2024, 7, 1)})
    stranger = invitees.add_invitee(other, full_name="Lê Văn Khách")
    err = refused("pass_other_meeting", checkin.check_in_scan, open_meeting, stranger.active_token.token, actor=door)
    assert "Hội nghị khác" in str(err.message)
    refused("invitee_not_found", checkin.check_in_by_id, open_meeting, stranger.id, actor=door)
    refused("invitee_not_found", checkin.check_in_by_id, open_meeting, "abc", actor=door)


@pytest.mark.parametrize("nonce", ["short", "has space inside", "x" * 65, "bad/slash!"])
def test_malformed_nonce_is_refused(open_meeting, door, people, nonce):
    refused("nonce_invalid", checkin.check_in_by_id, open_meeting, people[0].id, actor=door, nonce=nonce)


def test_unknown_method_is_refused(open_meeting, door, people):
    refused("method_invalid", checkin.check_in, open_meeting, people[0], "by_magic", actor=door)


def test_hall_codes_expire_and_cannot_be_forged(open_meeting, people):
    token = people[0].active_token.token
    now = 1_800_000_000.0
    code = hallcode.code_for(open_meeting.id, now)
    assert hallcode.verify(open_meeting.id, code, now + 2 * hallcode.WINDOW_SECONDS)  # two minutes on: fine
    with pytest.raises(DomainError) as e:
        hallcode.verify(open_meeting.id, code, now + 3 * hallcode.WINDOW_SECONDS)
    assert code_of(e) == "hall_code_expired" and e.value.status == 410
    with pytest.raises(DomainError) as e:
        hallcode.verify(open_meeting.id + 1, code, now)  # another meeting's code
    assert code_of(e) == "hall_code_invalid"
    window = hallcode.current_window()
    forged = f"{window}.{'A' * hallcode.SIG_CHARS}"
    refused("hall_code_invalid", checkin.self_check_in, token, open_meeting.id, forged)
    refused("hall_code_invalid", checkin.self_check_in, token, open_meeting.id, "../../etc")
    stale = hallcode.code_for(open_meeting.id, hallcode.current_window() * 60 - 5 * 60)
    refused("hall_code_expired", checkin.self_check_in, token, open_meeting.id, stale)
    refused("pass_unknown", checkin.self_check_in, "nope" * 8, open_meeting.id, hallcode.code_for(open_meeting.id))


def test_hall_code_seen_earlier_counts_from_when_it_was_seen(open_meeting, people):
    """Hall code first, pass later: the view signs when the code was seen."""
    seen = hallcode.current_window() * 60 - 4 * 60 + 1  # four minutes ago: that code was fresh then
    code = hallcode.code_for(open_meeting.id, seen)
    refused("hall_code_expired", checkin.self_check_in, people[0].active_token.token, open_meeting.id, code)
    result = checkin.self_check_in(people[0].active_token.token, open_meeting.id, code, seen_at=seen)
    assert result.created


def test_self_check_in_with_another_meetings_pass(open_meeting):
    other = meetings.create_meeting({"title": "Hội nghị khác", "host_body": "x", "issuing_body": "y",
                                     "place": "z", "starts_at": datetime(2024, 7, 1)})
    stranger = invitees.add_invitee(other, full_name="Lê Văn Khách")
    refused("pass_other_meeting", checkin.self_check_in, stranger.active_token.token, open_meeting.id,
            hallcode.code_for(open_meeting.id))


# --------------------------------------------------------------------------- undo

def test_undo_with_a_reason_then_check_in_again(open_meeting, door, people):
    first = checkin.check_in_by_id(open_meeting, people[0].id, actor=door, nonce="first-scan")
    refused("undo_reason_required", checkin.undo_check_in, open_meeting, people[0].id, "  ", actor=door)
    refused("undo_reason_too_long", checkin.undo_check_in, open_meeting, people[0].id, "x" * 301, actor=door)
    row = checkin.undo_check_in(open_meeting, people[0].id, "Quét nhầm người", actor=door)
    assert row.undone_at is not None and row.undo_reason == "Quét nhầm người" and row.undone_by_id == door.id
    refused("not_checked_in", checkin.undo_check_in, open_meeting, people[0].id, "lần nữa", actor=door)
    refused("not_checked_in", checkin.undo_check_in, open_meeting, people[1].id, "chưa đến", actor=door)
    # A late retry of the undone scan does not bring it back, and says the check-in was undone.
    err = refused("checkin_undone", checkin.check_in_by_id, open_meeting, people[0].id, actor=door,
                  nonce="first-scan")
    assert str(err.message).startswith("Lượt điểm danh này đã bị hủy lúc ")
    assert "Ông Nguyễn Văn Lộc hiện chưa được điểm danh" in str(err.message)
    refused("checkin_undone", checkin.check_in_scan, open_meeting, people[0].active_token.token, actor=door,
            nonce="first-scan")
    # A new check-in revives the same row (one per person) with the new way and time.
    again = checkin.check_in_scan(open_meeting, people[0].active_token.token, actor=door, nonce="second-scan")
    assert again.created and again.checkin.id == first.checkin.id
    assert again.checkin.method == CheckInMethod.DOOR_SCAN and again.checkin.undone_at is None
    assert again.checkin.undo_reason is None and again.checkin.client_nonce == "second-scan"
    assert count(CheckIn) == 1
    assert [a for a in actions(open_meeting.id) if a.startswith("checkin.")] == [
        "checkin.open", "checkin.create", "checkin.undo", "checkin.create"]
    undo = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.undo"))
    assert undo.details["reason"] == "Quét nhầm người"


# --------------------------------------------------------------------------- people at the door

def test_walk_in_guest_is_added_and_checked_in_once(open_meeting, door):
    result = checkin.register_walk_in(open_meeting, " Phạm  Văn Khách ", "Phóng viên Báo Quảng Ngãi",
                                      actor=door, nonce="walkin-001")
    again = checkin.register_walk_in(open_meeting, "Phạm Văn Khách", "Phóng viên", actor=door, nonce="walkin-001")
    person = result.invitee
    assert result.created and not again.created and again.invitee.id == person.id
    assert person.walk_in and person.full_name == "Phạm Văn Khách" and person.category.value == "guest"
    assert result.checkin.method == CheckInMethod.DOOR_SEARCH
    assert count(Invitee, Invitee.walk_in.is_(True)) == 1
    refused("invitee_duplicate", checkin.register_walk_in, open_meeting, "Phạm Văn Khách", actor=door)
    refused("name_required", checkin.register_walk_in, open_meeting, "  ", actor=door)
    assert "invitee.walk_in" in actions(open_meeting.id)


def test_substitute_attends_in_an_invitees_place(open_meeting, door, people):
    seat = people[0]
    result = checkin.register_substitute(open_meeting, seat.id, "Đỗ Minh Thay", "Phó Chủ tịch UBND xã",
                                         actor=door, nonce="thay-0001")
    person = result.invitee
    assert result.created and person.substitute_for_id == seat.id and not person.walk_in
    assert person.category == seat.category and person.organisation_id == seat.organisation_id
    again = checkin.register_substitute(open_meeting, seat.id, "Đỗ Minh Thay", actor=door, nonce="thay-0001")
    assert not again.created and again.invitee.id == person.id
    # The seat is taken: a second substitute, or a substitute for a substitute, is refused.
    refused("substitute_for_present", checkin.register_substitute, open_meeting, seat.id, "Người Khác", actor=door)
    refused("substitute_not_a_seat", checkin.register_substitute, open_meeting, person.id, "Người Khác", actor=door)
    refused("invitee_not_found", checkin.register_substitute, open_meeting, 99999, "Người Khác", actor=door)
    # The invitee here in person: nobody can attend in their place.
    checkin.check_in_by_id(open_meeting, people[1].id, actor=door)
    refused("substitute_for_present", checkin.register_substitute, open_meeting, people[1].id, "Ai Đó", actor=door)
    assert "invitee.substitute" in actions(open_meeting.id)


def test_invitee_arriving_after_their_substitute_is_refused(open_meeting, door, people):
    from meetingday.services import attendance
    seat = people[0]
    sub = checkin.register_substitute(open_meeting, seat.id, "Đỗ Minh Thay", "Phó Chủ tịch UBND xã",
                                      honorific="Ông", actor=door).invitee
    err = refused("substitute_present", checkin.check_in_by_id, open_meeting, seat.id, actor=door)
    assert str(err.message).startswith("Ông Đỗ Minh Thay đã dự thay cho đại biểu Nguyễn Văn Lộc lúc ")
    refused("substitute_present", checkin.check_in_scan, open_meeting, seat.active_token.token, actor=door)
    assert attendance.counts(open_meeting).present == 1  # the seat, once
    # The substitute's check-in undone (the invitee takes the seat): the invitee checks in...
    checkin.undo_check_in(open_meeting, sub.id, "Đại biểu đến dự", actor=door)
    assert checkin.check_in_by_id(open_meeting, seat.id, actor=door).created
    # ... and the substitute cannot take the seat again while the invitee holds it.
    err = refused("substitute_for_present", checkin.check_in_by_id, open_meeting, sub.id, actor=door)
    assert "Ông Nguyễn Văn Lộc đã có mặt lúc " in str(err.message)
    assert attendance.counts(open_meeting).present == 1
    assert count(CheckIn, CheckIn.undone_at.is_(None)) == 1


@pytest.mark.both_databases
def test_invitee_and_substitute_at_the_same_moment_take_the_seat_once(app, open_meeting, door, people):
    from meetingday.services import attendance
    seat_id, meeting_id = people[0].id, open_meeting.id

    def work(i):
        meeting = db.session.get(Meeting, meeting_id)
        try:
            if i % 2:
                return checkin.check_in_by_id(meeting, seat_id, actor="test").created
            return checkin.register_substitute(meeting, seat_id, f"Người Thay {chr(65 + i)}", actor="test").created
        except DomainError as e:
            return e.code

    results = at_once(app, 6, work)
    assert results.count(True) == 1, results
    assert set(results) - {True, False} <= {"substitute_present", "substitute_for_present", "invitee_duplicate"}
    assert count(CheckIn, CheckIn.undone_at.is_(None)) == 1
    assert attendance.counts(open_meeting).present == 1


def test_walk_in_and_substitute_need_the_window_open(meeting, door, people):
    refused("checkin_not_open", checkin.register_walk_in, meeting, "Phạm Văn Khách", actor=door)
    refused("checkin_not_open", checkin.register_substitute, meeting, people[0].id, "Đỗ Minh Thay", actor=door)


# --------------------------------------------------------------------------- concurrency

@pytest.mark.both_databases
def test_twenty_parallel_check_ins_of_one_person_give_one_record(app, open_meeting, door, people):
    meeting_id, token, door_id = open_meeting.id, people[0].active_token.token, door.id

    def work(i):
        m = db.session.get(Meeting, meeting_id)
        user = db.session.get(type(door), door_id)
        way = i % 3
        if way == 0:
            r = checkin.check_in_scan(m, token, actor=user, nonce=f"parallel-{i:04d}")
        elif way == 1:
            r = checkin.check_in_by_id(m, people_ids[0], actor=user, nonce=f"parallel-{i:04d}")
        else:
            r = checkin.self_check_in(token, meeting_id, hallcode.code_for(meeting_id))
        return r.created, r.checkin.id

    people_ids = [people[0].id]
    results = at_once(app, 20, work)
    assert len(results) == 20
    assert sum(created for created, _ in results) == 1
    assert len({row_id for _, row_id in results}) == 1
    assert count(CheckIn) == 1
    assert actions(meeting_id).count("checkin.create") == 1


@pytest.mark.both_databases
def test_a_person_deleted_while_checked_in_at_the_door_is_one_or_the_other(app, open_meeting, door):
    """A check-in the door was told about is never deleted with its person: the delete sees it."""
    meeting_id, door_id = open_meeting.id, door.id
    ids = [invitees.add_invitee(open_meeting, full_name=f"Đại biểu {i:02d}").id for i in range(10)]
    outcomes = []
    for person_id in ids:
        def work(i, person_id=person_id):
            m = db.session.get(Meeting, meeting_id)
            try:
                if i == 0:
                    checkin.check_in_by_id(m, person_id, actor=db.session.get(type(door), door_id))
                    return "checked_in"
                invitees.remove_invitee(invitees.get_invitee(m, person_id), 0)
                return "removed"
            except DomainError as e:
                db.session.rollback()
                return e.code
        outcomes.append(sorted(at_once(app, 2, work)))
    db.session.expire_all()
    for person_id, outcome in zip(ids, outcomes, strict=True):
        person = db.session.get(Invitee, person_id)
        if "checked_in" in outcome:
            assert outcome == ["checked_in", "invitee_checked_in"], outcome
            assert person is not None and person.checkin is not None and person.checkin.undone_at is None
        else:
            assert "removed" in outcome and person is None, outcome
    assert count(CheckIn) == sum("checked_in" in o for o in outcomes)


@pytest.mark.both_databases
def test_passes_reissued_on_two_screens_at_once_leave_one_active_pass(app, open_meeting, people):
    person_id, shown = people[0].id, people[0].active_token.id

    def work(_i):
        try:
            return passes.reissue_token(db.session.get(Invitee, person_id), shown, actor="test").token
        except DomainError as e:
            db.session.rollback()
            return e.code

    for _round in range(5):
        outcomes = at_once(app, 2, work)
        assert sorted(o == "pass_changed" for o in outcomes) == [False, True], outcomes
        db.session.expire_all()
        person = db.session.get(Invitee, person_id)
        [active] = [t for t in person.tokens if t.revoked_at is None]
        assert active.token in outcomes
        shown = active.id


@pytest.mark.both_databases
def test_twenty_parallel_re_check_ins_after_an_undo_revive_once(app, open_meeting, door, people):
    checkin.check_in_by_id(open_meeting, people[0].id, actor=door)
    checkin.undo_check_in(open_meeting, people[0].id, "Nhầm", actor=door)
    meeting_id, invitee_id = open_meeting.id, people[0].id

    def work(i):
        r = checkin.check_in_by_id(db.session.get(Meeting, meeting_id), invitee_id, actor="test",
                                   nonce=f"revive-{i:04d}")
        return r.created

    assert sum(at_once(app, 20, work)) == 1
    assert count(CheckIn) == 1 and count(CheckIn, CheckIn.undone_at.is_(None)) == 1
    assert actions(meeting_id).count("checkin.create") == 2


@pytest.mark.both_databases
def test_twenty_parallel_walk_in_retries_give_one_person(app, open_meeting):
    meeting_id = open_meeting.id

    def work(i):
        return checkin.register_walk_in(db.session.get(Meeting, meeting_id), "Phạm Văn Khách",
                                        actor="test", nonce="same-walk-in").created

    assert sum(at_once(app, 20, work)) == 1
    assert count(Invitee, Invitee.walk_in.is_(True)) == 1 and count(CheckIn) == 1
