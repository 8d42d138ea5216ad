"""Xác nhận tham dự (services/confirmations.py): each answer and each refusal with its code, the
excused absence an answer "Vắng" records (and takes away) through the attendance rule, staff's
own absence left alone, the substitute's name in the door's search, the counts; the demo's
dozen answers."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from meetingday.extensions import db
from meetingday.models import AuditEntry, Confirmation, Invitee, Meeting, OrgKind, utcnow
from meetingday.services import attendance, checkin, confirmations, invitees, meetings, organisations, passes
from meetingday.regions import door_list

from .conftest import fresh, refused

ATTENDING, SUBSTITUTE, ABSENT = "attending", "substitute", "absent"


@pytest.fixture()
def meeting(app):
    return meetings.create_meeting({
        "title": "Hội nghị trực báo giữa năm", "host_body": "Thường trực HĐND thị xã",
        "issuing_body": "HĐND THỊ XÃ", "place": "Hội trường", "starts_at": datetime(2024, 6, 27, 0, 30)},
        actor="test")


@pytest.fixture()
def people(meeting):
    ward = organisations.add_organisation("HĐND phường Phổ Ninh", short_name="Phường Phổ Ninh", kind=OrgKind.WARD,
                                          actor="test")
    names = [("Võ Thị Thanh Xuân", "Bà", "Phó Chủ tịch HĐND phường Phổ Ninh"),
             ("Lê Tấn Hòa", "Ông", "Chủ tịch HĐND phường Phổ Ninh"),
             ("Đỗ Văn Lợi", "Ông", "Trưởng Ban Pháp chế HĐND phường Phổ Ninh")]
    return [invitees.add_invitee(meeting, full_name=n, honorific=h, position=p, organisation=ward, actor="test")
            for n, h, p in names]


def answer(inv: Invitee, choice, name="", position="", reason=""):
    """An answer from a screen that shows the person's answer as it is now."""
    inv = fresh(Invitee, inv.id)
    return confirmations.confirm(inv, choice, name, position, reason, seen=confirmations.revision(inv))


def audits(action: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


# --------------------------------------------------------------------------- the answers

def test_will_attend(people):
    xuan = people[0]
    assert confirmations.revision(xuan) == ""  # no answer yet
    answer(xuan, ATTENDING, "ignored", "ignored", "ignored")
    inv = fresh(Invitee, xuan.id)
    assert inv.confirmation == Confirmation.ATTENDING and inv.confirmed_at is not None
    assert (inv.confirmed_substitute_name, inv.confirmed_substitute_position, inv.confirmed_reason) == ("", "", "")
    assert inv.absent_reason is None
    assert confirmations.revision(inv) != ""
    (entry,) = audits("invitee.confirm")
    assert entry.actor == f"invitee:{xuan.id}" and entry.entity_id == xuan.id


@pytest.mark.both_databases
def test_sends_a_substitute_whom_the_door_finds_by_name(meeting, people):
    xuan = people[0]
    answer(xuan, SUBSTITUTE, "  Trần   Minh Tuấn ", "Ủy viên Ban Pháp chế HĐND phường Phổ Ninh")
    inv = fresh(Invitee, xuan.id)
    assert inv.confirmation == Confirmation.SUBSTITUTE
    assert (inv.confirmed_substitute_name, inv.confirmed_substitute_position) == (
        "Trần Minh Tuấn", "Ủy viên Ban Pháp chế HĐND phường Phổ Ninh")
    # The door's search, and its own list for when the network is down, find the seat by the
    # substitute's name, without diacritics, as by the invitee's own.
    assert [p.id for p in invitees.search(meeting, "tran minh tuan")] == [xuan.id]
    assert [p.id for p in invitees.search(meeting, "Trần Minh")] == [xuan.id]
    with meeting_request(meeting):
        entry = next(e for e in door_list.entries(fresh(Meeting, meeting.id)) if e["id"] == xuan.id)
    assert "tran minh tuan" in entry["search"]
    assert "Dự kiến dự thay: Trần Minh Tuấn, Ủy viên Ban Pháp chế HĐND phường Phổ Ninh" in entry["tags"]
    # Changed to "Sẽ dự": the substitute's name no longer finds the seat.
    answer(xuan, ATTENDING)
    assert invitees.search(meeting, "tran minh tuan") == []
    assert [p.id for p in invitees.search(meeting, "thanh xuan")] == [xuan.id]


def meeting_request(meeting):
    from flask import current_app
    return current_app.test_request_context("/")


@pytest.mark.both_databases
def test_absent_is_an_excused_absence_recorded_by_the_attendance_rule(meeting, people):
    hoa = people[1]
    answer(hoa, ABSENT, reason="Đi công tác tỉnh")
    inv = fresh(Invitee, hoa.id)
    assert inv.confirmation == Confirmation.ABSENT and inv.confirmed_reason == "Đi công tác tỉnh"
    assert inv.absent_reason == "Đi công tác tỉnh" and inv.absent_marked_at == inv.confirmed_at
    assert confirmations.own_absence(inv)
    assert attendance.counts(meeting.id).excused == 1
    assert [p.id for p in attendance.waiting(fresh(Meeting, meeting.id)) if p.absent_reason] == [hoa.id]
    (mark,) = audits("attendance.absent")
    assert mark.actor == f"invitee:{hoa.id}" and mark.details["reason"] == "Đi công tác tỉnh"
    # Another reason: the same absence, its reason changed.
    answer(hoa, ABSENT, reason="Nghỉ ốm")
    assert fresh(Invitee, hoa.id).absent_reason == "Nghỉ ốm"
    # Away from "Vắng": the absence the answer made is taken away again, through the same rule.
    answer(hoa, SUBSTITUTE, "Phan Văn Hưng", "Ủy viên HĐND phường Phổ Ninh")
    inv = fresh(Invitee, hoa.id)
    assert inv.absent_reason is None and inv.absent_marked_at is None and inv.confirmed_reason == ""
    assert attendance.counts(meeting.id).excused == 0
    assert [a.actor for a in audits("attendance.absent_clear")] == [f"invitee:{hoa.id}"]


def test_an_absence_staff_marked_is_left_to_staff(meeting, people):
    hoa, loi = people[1], people[2]
    # Marked by staff first: the answer neither replaces its reason nor clears it.
    attendance.mark_absent(meeting, hoa.id, "Báo ốm qua điện thoại", actor="test")
    answer(hoa, ABSENT, reason="Đi công tác tỉnh")
    inv = fresh(Invitee, hoa.id)
    assert inv.absent_reason == "Báo ốm qua điện thoại" and inv.confirmed_reason == "Đi công tác tỉnh"
    assert not confirmations.own_absence(inv)
    answer(hoa, ATTENDING)
    assert fresh(Invitee, hoa.id).absent_reason == "Báo ốm qua điện thoại"
    # An answer's absence whose reason staff then edited is staff's.
    answer(loi, ABSENT, reason="Đi công tác")
    attendance.mark_absent(meeting, loi.id, "Đi công tác Quảng Ngãi", actor="test", seen="Đi công tác")
    assert not confirmations.own_absence(fresh(Invitee, loi.id))
    answer(loi, ATTENDING)
    assert fresh(Invitee, loi.id).absent_reason == "Đi công tác Quảng Ngãi"
    assert attendance.counts(meeting.id).excused == 2


def test_staff_may_clear_an_answers_absence(meeting, people):
    hoa = people[1]
    answer(hoa, ABSENT, reason="Nghỉ ốm")
    attendance.clear_absent(meeting, hoa.id, actor="test", seen="Nghỉ ốm")
    inv = fresh(Invitee, hoa.id)
    assert inv.absent_reason is None and inv.confirmation == Confirmation.ABSENT
    answer(hoa, ATTENDING)  # nothing to take away
    assert fresh(Invitee, hoa.id).absent_reason is None


def test_by_the_pass_token(people):
    xuan = people[0]
    token = xuan.active_token.token
    confirmations.confirm(token, ATTENDING, seen="")
    assert fresh(Invitee, xuan.id).confirmation == Confirmation.ATTENDING
    refused("pass_unknown", confirmations.confirm, "khong-phai-ma-that-1234", ATTENDING, seen="")
    passes.revoke_token(fresh(Invitee, xuan.id), fresh(Invitee, xuan.id).active_token.id, actor="test")
    refused("pass_revoked", confirmations.confirm, token, ABSENT, reason="Ốm", seen="")


def test_the_same_answer_twice_changes_nothing(people):
    xuan = people[0]
    shown = confirmations.revision(xuan)
    confirmations.confirm(fresh(Invitee, xuan.id), SUBSTITUTE, "Trần Minh Tuấn", "Ủy viên", seen=shown)
    at = fresh(Invitee, xuan.id).confirmed_at
    # The same tap again (a retried request, or the second of two phones): no refusal, nothing new.
    confirmations.confirm(fresh(Invitee, xuan.id), SUBSTITUTE, "Trần Minh Tuấn", "Ủy viên", seen=shown)
    assert fresh(Invitee, xuan.id).confirmed_at == at
    assert len(audits("invitee.confirm")) == 1


# --------------------------------------------------------------------------- refusals

def test_bad_answers_are_refused_by_field(people):
    xuan = people[0]
    seen = confirmations.revision(xuan)
    assert refused("confirmation_invalid", confirmations.confirm, xuan, "maybe", seen=seen).details["field"] == "choice"
    refused("confirmation_invalid", confirmations.confirm, xuan, "", seen=seen)
    e = refused("substitute_name_missing", confirmations.confirm, xuan, SUBSTITUTE, " ", "Ủy viên", seen=seen)
    assert e.details["field"] == "substitute_name" and e.status == 400
    e = refused("substitute_position_missing", confirmations.confirm, xuan, SUBSTITUTE, "Trần Minh Tuấn", "", seen=seen)
    assert e.details["field"] == "substitute_position"
    e = refused("name_too_long", confirmations.confirm, xuan, SUBSTITUTE, "A" * 121, "Ủy viên", seen=seen)
    assert e.details["field"] == "substitute_name"
    e = refused("position_too_long", confirmations.confirm, xuan, SUBSTITUTE, "Trần Minh Tuấn", "B" * 201, seen=seen)
    assert e.details["field"] == "substitute_position"
    e = refused("reason_required", confirmations.confirm, xuan, ABSENT, reason="   ", seen=seen)
    assert e.details["field"] == "reason" and str(e.message) == "Vui lòng nhập lý do vắng."
    refused("reason_too_long", confirmations.confirm, xuan, ABSENT, reason="x" * 301, seen=seen)
    assert fresh(Invitee, xuan.id).confirmation is None


def test_an_answer_changed_on_another_phone_is_not_overwritten_unseen(people):
    xuan = people[0]
    old = confirmations.revision(xuan)
    answer(xuan, ATTENDING)  # the other phone
    e = refused("confirmation_changed", confirmations.confirm, fresh(Invitee, xuan.id), ABSENT,
                reason="Nghỉ ốm", seen=old)
    assert e.status == 409
    refused("confirmation_changed", confirmations.confirm, fresh(Invitee, xuan.id), ABSENT, reason="Nghỉ ốm",
            seen=None)
    answer(xuan, ABSENT, reason="Nghỉ ốm")  # as the answer is now: accepted
    assert fresh(Invitee, xuan.id).confirmation == Confirmation.ABSENT


def test_closed_once_the_meeting_starts(meeting, people):
    xuan = people[0]
    answer(xuan, ATTENDING)
    m = fresh(Meeting, meeting.id)
    m.started_at = utcnow()
    db.session.commit()
    inv = fresh(Invitee, xuan.id)
    assert not confirmations.is_open(inv)
    e = refused("confirmation_closed", confirmations.confirm, inv, ABSENT, reason="Ốm", seen=confirmations.revision(inv))
    assert e.status == 409 and "đã bắt đầu" in str(e.message)


def test_closed_once_checked_in_or_the_seat_taken(meeting, people):
    xuan, hoa = people[0], people[1]
    checkin.open_checkin(meeting, actor="test")
    checkin.check_in_by_id(meeting, xuan.id, actor="test")
    e = refused("confirmation_closed", answer, xuan, ABSENT, reason="Ốm")
    assert "Đã điểm danh" in str(e.message)
    # Someone attending in Lê Tấn Hòa's place: his seat is taken, and the stand-in has no answer to give.
    result = checkin.register_substitute(meeting, hoa.id, "Phan Văn Hưng", "Ủy viên", actor="test")
    refused("confirmation_closed", answer, hoa, ATTENDING)
    e = refused("confirmation_closed", answer, result.invitee, ATTENDING)
    assert str(e.message) == "Thẻ này không dùng để xác nhận tham dự."
    # Undone, the person may answer again (the meeting has not started).
    checkin.undo_check_in(meeting, xuan.id, "Quét nhầm", actor="test")
    answer(xuan, ATTENDING)
    assert fresh(Invitee, xuan.id).confirmation == Confirmation.ATTENDING


# --------------------------------------------------------------------------- counts

@pytest.mark.both_databases
def test_tally_counts_the_invited_seats(meeting, people):
    assert confirmations.tally(meeting) == confirmations.Tally(unanswered=3)
    answer(people[0], SUBSTITUTE, "Trần Minh Tuấn", "Ủy viên")
    answer(people[1], ABSENT, reason="Nghỉ ốm")
    answer(people[2], ATTENDING)
    checkin.open_checkin(meeting, actor="test")
    checkin.register_walk_in(meeting, "Nguyễn Thị Hạnh", "Phóng viên", actor="test")  # not a seat: not counted
    checkin.register_substitute(meeting, people[0].id, "Trần Minh Tuấn", "Ủy viên", actor="test")
    t = confirmations.tally(meeting.id)
    assert (t.attending, t.substitute, t.absent, t.unanswered, t.answered, t.seats) == (1, 1, 1, 0, 3, 3)


def test_demo_answers(demo_meeting):
    t = confirmations.tally(demo_meeting)
    assert (t.attending, t.substitute, t.absent) == (8, 2, 2) and t.seats == len(demo_meeting.invitees)
    assert [p.full_name for p in invitees.search(demo_meeting, "tran minh tuan")] == ["Võ Thị Thanh Xuân"]
    excused = {p.full_name: p.absent_reason for p in demo_meeting.invitees if p.absent_reason}
    assert excused == {"Dương Văn Được": "Đi công tác tỉnh", "Lương Thị Mỹ Dung": "Nghỉ ốm"}
    assert attendance.counts(demo_meeting).excused == 2


@pytest.mark.both_databases
def test_two_phones_at_once_one_answer_wins(app, people):
    from .conftest import at_once

    xuan_id = people[0].id
    answers = [(ATTENDING, ""), (ABSENT, "Nghỉ ốm")]

    def work(i):
        choice, reason = answers[i]
        confirmations.confirm(db.session.get(Invitee, xuan_id), choice, reason=reason, seen="")
        return "ok"

    results = at_once(app, 2, work)
    assert sorted(results) == ["confirmation_changed", "ok"]
    inv = fresh(Invitee, xuan_id)
    assert (inv.absent_reason is not None) == (inv.confirmation == Confirmation.ABSENT)
    assert len(audits("invitee.confirm")) == 1
