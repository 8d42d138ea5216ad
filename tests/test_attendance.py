"""Attendance: có mặt X/Y with substitutes, walk-ins, undone and excused seats, per group and
unit; marking absent with a reason; the panel over HTTP; the .xlsx export read back."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from meetingday.errors import DomainError
from meetingday.extensions import db
from meetingday.models import (
    AuditEntry,
    CheckIn,
    CheckInMethod,
    Invitee,
    InviteeCategory,
    Meeting,
    OrgKind,
    Role,
    utcnow,
)
from meetingday.services import attendance, attendance_export, invitees, meetings, organisations

from .conftest import at_once, csrf_token, login, make_user


@pytest.fixture()
def meeting(app):
    return meetings.create_meeting({
        "title": "Hội nghị tiếp xúc", "host_body": "Thường trực HĐND thị xã", "issuing_body": "HĐND THỊ XÃ",
        "place": "Hội trường", "starts_at": datetime(2024, 6, 27, 0, 30)}, actor="test")


@pytest.fixture()
def units(app):
    town = organisations.add_organisation("Thường trực HĐND thị xã", short_name="Thường trực HĐND",
                                          kind=OrgKind.TOWN, actor="test")
    ward = organisations.add_organisation("Phường Phổ Hòa", kind=OrgKind.WARD, actor="test")
    an = organisations.add_organisation("Xã Phổ An", kind=OrgKind.COMMUNE, actor="test")
    chau = organisations.add_organisation("Xã Phổ Châu", kind=OrgKind.COMMUNE, actor="test")
    return {"town": town, "ward": ward, "an": an, "chau": chau}


def invite(meeting, name, org=None, position="Đại biểu"):
    return invitees.add_invitee(meeting, full_name=name, position=position, organisation=org, actor="test")


def arrive(inv, minutes=0, method=CheckInMethod.DOOR_SCAN, late=False):
    """A check-in row as the check-in service writes it (that service is tested on its own)."""
    c = CheckIn(meeting_id=inv.meeting_id, invitee_id=inv.id, method=method, late=late,
                checked_in_at=datetime(2024, 6, 27, 0, 10) + timedelta(minutes=minutes))
    db.session.add(c)
    db.session.commit()
    return c


def extra(meeting, name, *, substitute_for=None, walk_in=False, org=None):
    """A person added at the door: a substitute (dự thay) or a walk-in guest."""
    inv = Invitee(meeting_id=meeting.id, full_name=name, position="Cán bộ", category=InviteeCategory.GUEST,
                  substitute_for_id=substitute_for.id if substitute_for else None, walk_in=walk_in,
                  organisation_id=org.id if org else None)
    db.session.add(inv)
    db.session.commit()
    return inv


@pytest.fixture()
def people(meeting, units):
    return {
        "chu_tich": invite(meeting, "Nguyễn Văn Chủ", units["town"], "Chủ tịch HĐND"),
        "pho": invite(meeting, "Trần Thị Phó", units["town"], "Phó Chủ tịch HĐND"),
        "hoa1": invite(meeting, "Lê Văn Hòa", units["ward"]),
        "hoa2": invite(meeting, "Phạm Thị Hòa", units["ward"]),
        "an1": invite(meeting, "Võ Văn An", units["an"]),
        "an2": invite(meeting, "Đỗ Thị An", units["an"]),
        "chau1": invite(meeting, "Huỳnh Văn Châu", units["chau"]),
        "free": invite(meeting, "Đặng Văn Tự Do"),  # no unit
    }


def unit_count(counts, org):
    return next((u.present, u.expected) for g in counts.groups for u in g.units if u.id == org.id)


# --- counts -----------------------------------------------------------------------------

@pytest.mark.both_databases
def test_counts_empty_meeting(meeting):
    c = attendance.counts(meeting)
    assert (c.present, c.expected, c.walk_ins, c.excused, c.groups) == (0, 0, 0, 0, [])
    assert c.percent == 0


@pytest.mark.both_databases
def test_counts_overall_per_group_and_unit(meeting, units, people):
    arrive(people["chu_tich"])
    arrive(people["hoa1"])
    arrive(people["an1"])
    arrive(people["an2"])
    c = attendance.counts(meeting)
    assert (c.present, c.expected) == (4, 8)
    assert [(g.key, g.present, g.expected) for g in c.groups] == [
        ("town", 1, 2), ("ward", 1, 2), ("commune", 2, 3), (attendance.NO_UNIT_KEY, 0, 1)]
    commune = c.groups[2]
    assert [(u.short_name, u.present, u.expected) for u in commune.units] == [
        ("Xã Phổ An", 2, 2), ("Xã Phổ Châu", 0, 1)]
    assert (c.missing, c.not_yet, c.percent) == (4, 4, 50)


@pytest.mark.both_databases
def test_substitute_fills_the_seat_once_and_walk_ins_are_apart(meeting, units, people):
    sub = extra(meeting, "Ngô Văn Thay", substitute_for=people["pho"], org=units["town"])
    guest = extra(meeting, "Khách Vãng Lai", walk_in=True)
    extra(meeting, "Khách Chưa Đến", walk_in=True)  # a walk-in without a check-in counts nowhere
    arrive(sub)
    arrive(guest)
    c = attendance.counts(meeting)
    assert (c.present, c.expected, c.substituted, c.walk_ins) == (1, 8, 1, 1)
    assert unit_count(c, units["town"]) == (1, 2)
    # The invitee comes after all: the seat still counts once.
    arrive(people["pho"], minutes=5)
    c = attendance.counts(meeting)
    assert (c.present, c.expected, c.substituted) == (1, 8, 0)


@pytest.mark.both_databases
def test_two_substitutes_for_one_seat_count_once(meeting, units, people):
    for name in ("Người Thay Một", "Người Thay Hai"):
        arrive(extra(meeting, name, substitute_for=people["an1"], org=units["an"]))
    c = attendance.counts(meeting)
    assert (c.present, c.expected) == (1, 8)
    assert unit_count(c, units["an"]) == (1, 2)


@pytest.mark.both_databases
def test_undone_checkin_does_not_count(meeting, units, people):
    c1 = arrive(people["hoa1"])
    sub = extra(meeting, "Người Thay Hòa", substitute_for=people["hoa2"], org=units["ward"])
    c2 = arrive(sub)
    walk = extra(meeting, "Khách Hủy", walk_in=True)
    c3 = arrive(walk)
    assert attendance.counts(meeting).present == 2
    for c in (c1, c2, c3):
        c.undone_at, c.undo_reason = utcnow(), "nhầm người"
    db.session.commit()
    c = attendance.counts(meeting)
    assert (c.present, c.expected, c.walk_ins, c.substituted) == (0, 8, 0, 0)
    assert unit_count(c, units["ward"]) == (0, 2)


@pytest.mark.both_databases
def test_counts_follow_the_checkin_service(meeting, units, people):
    """The same rules end to end, with every way the door records people."""
    from meetingday.services import checkin
    checkin.open_checkin(meeting, actor="test")
    checkin.check_in_by_id(meeting, people["an1"].id, actor="test")
    checkin.check_in_scan(meeting, people["an2"].active_token.token, actor="test")
    checkin.register_substitute(meeting, people["pho"].id, "Người Dự Thay", "Phó Trưởng ban", actor="test")
    checkin.register_walk_in(meeting, "Khách Mời Thêm", "Phóng viên", actor="test")
    c = attendance.counts(meeting)
    assert (c.present, c.expected, c.substituted, c.walk_ins) == (3, 8, 1, 1)
    assert unit_count(c, units["an"]) == (2, 2) and unit_count(c, units["town"]) == (1, 2)
    checkin.undo_check_in(meeting, people["an2"].id, "Quét nhầm", actor="test")
    c = attendance.counts(meeting)
    assert (c.present, c.expected) == (2, 8) and unit_count(c, units["an"]) == (1, 2)
    recent = [c.full_name for c in attendance.recent(meeting)]
    assert recent == ["Khách Mời Thêm", "Người Dự Thay", "Võ Văn An"]  # newest first, undone left out


@pytest.mark.both_databases
def test_counts_use_a_few_queries_not_one_per_person(app, meeting, units, people):
    for i in range(30):
        arrive(invite(meeting, f"Đại Biểu Số {i}", units["chau"]), minutes=i)
    meeting_id = meeting.id
    db.session.expire_all()
    statements = []
    listener = lambda *args: statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        c = attendance.counts(meeting_id)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert (c.present, c.expected) == (30, 38)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 3, selects


# --- absent with a reason ---------------------------------------------------------------

def test_mark_and_clear_absent(meeting, people):
    seat = people["chau1"]
    attendance.mark_absent(meeting, seat.id, "  Đi   công tác ", actor="test")
    db.session.expire_all()
    assert seat.absent_reason == "Đi công tác" and seat.absent_marked_at is not None
    c = attendance.counts(meeting)
    assert (c.present, c.expected, c.excused, c.not_yet) == (0, 8, 1, 7)
    waiting = attendance.waiting(meeting)
    assert seat in waiting and len(waiting) == 8
    attendance.clear_absent(meeting, seat.id, actor="test", seen="Đi công tác")
    db.session.expire_all()
    assert seat.absent_reason is None and seat.absent_marked_at is None
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == seat.id)
                                 .where(AuditEntry.action.like("attendance.%")).order_by(AuditEntry.id)).all()
    assert actions == ["attendance.absent", "attendance.absent_clear"]


def test_arriving_after_being_excused_counts_present_not_excused(meeting, people):
    attendance.mark_absent(meeting, people["an1"].id, "Ốm", actor="test")
    arrive(people["an1"])
    c = attendance.counts(meeting)
    assert (c.present, c.excused) == (1, 0)
    assert people["an1"] not in attendance.waiting(meeting)


@pytest.mark.parametrize("reason,code", [("", "reason_required"), ("   ", "reason_required"),
                                         ("x" * 301, "reason_too_long")])
def test_mark_absent_needs_a_reason(meeting, people, reason, code):
    with pytest.raises(DomainError) as e:
        attendance.mark_absent(meeting, people["an1"].id, reason)
    assert e.value.code == code
    db.session.rollback()
    assert db.session.get(Invitee, people["an1"].id).absent_reason is None


def test_mark_absent_rules(meeting, units, people):
    arrive(people["an1"])
    sub = extra(meeting, "Người Thay", substitute_for=people["an2"], org=units["an"])
    arrive(sub)
    walk = extra(meeting, "Khách", walk_in=True)
    other = meetings.create_meeting({
        "title": "Hội nghị khác", "host_body": "x", "issuing_body": "y", "place": "z",
        "starts_at": datetime(2024, 7, 1, 1, 0)}, actor="test")
    stranger = invite(other, "Người Họp Khác")
    cases = [(people["an1"].id, "already_present", 409), (people["an2"].id, "already_present", 409),
             (sub.id, "not_a_seat", 409), (walk.id, "not_a_seat", 409),
             (stranger.id, "invitee_not_found", 404), (999999, "invitee_not_found", 404)]
    for invitee_id, code, status in cases:
        with pytest.raises(DomainError) as e:
            attendance.mark_absent(meeting, invitee_id, "Bận")
        assert (e.value.code, e.value.status) == (code, status)
        db.session.rollback()
    with pytest.raises(DomainError) as e:
        attendance.clear_absent(meeting, people["chau1"].id, seen="Bận")
    assert e.value.code == "not_absent"
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.like("attendance.%"))) == 0


def _reason(seat) -> str | None:
    db.session.expire_all()
    return db.session.get(Invitee, seat.id).absent_reason


def test_an_absence_changed_on_another_screen_is_not_overwritten_unseen(meeting, people):
    seat = people["chau1"]
    attendance.mark_absent(meeting, seat.id, "Ốm", actor="desk")  # the other screen was first
    with pytest.raises(DomainError) as e:  # this one opened "Báo vắng" before that: it saw no reason
        attendance.mark_absent(meeting, seat.id, "Đi công tác", actor="door")
    assert (e.value.code, e.value.status, e.value.details["saved"]) == ("absence_changed", 409, "Ốm")
    assert "Ốm" in str(e.value.message)
    assert _reason(seat) == "Ốm"
    attendance.mark_absent(meeting, seat.id, "Ốm", actor="door")  # the same excuse: nothing to refuse
    attendance.mark_absent(meeting, seat.id, "Đi công tác", actor="door", seen="Ốm")  # knowingly, after seeing it
    assert _reason(seat) == "Đi công tác"
    with pytest.raises(DomainError) as e:  # a list that still showed "Ốm"
        attendance.clear_absent(meeting, seat.id, actor="desk", seen="Ốm")
    assert (e.value.code, e.value.details["saved"]) == ("absence_changed", "Đi công tác")
    assert _reason(seat) == "Đi công tác"
    attendance.clear_absent(meeting, seat.id, actor="desk", seen="Đi công tác")
    with pytest.raises(DomainError) as e:  # a form opened on "Sửa lý do" before the mark was cleared
        attendance.mark_absent(meeting, seat.id, "Ốm nặng", actor="door", seen="Đi công tác")
    assert (e.value.code, e.value.details["saved"]) == ("absence_changed", "")
    assert _reason(seat) is None
    with pytest.raises(DomainError) as e:
        attendance.clear_absent(meeting, seat.id, actor="door", seen=None)
    assert e.value.code == "not_absent"
    changes = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == seat.id)
                                 .where(AuditEntry.action.like("attendance.%")).order_by(AuditEntry.id)).all()
    assert changes == ["attendance.absent", "attendance.absent", "attendance.absent_clear"]


@pytest.mark.both_databases
def test_two_screens_marking_one_absence_at_once_keep_one(app, meeting, people):
    """Both opened "Báo vắng" on the same empty seat: one reason is saved, the other is told."""
    seat_id, meeting_id = people["chau1"].id, meeting.id
    db.session.remove()

    def screen(i):
        attendance.mark_absent(db.session.get(Meeting, meeting_id), seat_id, f"Lý do {i}", actor=f"screen{i}")
        return "ok"

    codes = at_once(app, 2, screen)
    assert sorted(codes) == ["absence_changed", "ok"]
    assert _reason(people["chau1"]) in ("Lý do 0", "Lý do 1")


def test_a_stale_absence_form_over_http_shows_the_saved_reason(door_client, meeting, people):
    seat = people["hoa1"]
    url = f"/meetings/{meeting.id}/attendance/{seat.id}/absent"
    token = csrf_token(door_client, f"/meetings/{meeting.id}/attendance")
    form = door_client.get(url, headers={"HX-Request": "true"}).text
    assert 'name="seen" value=""' in form
    attendance.mark_absent(meeting, seat.id, "Họp tỉnh", actor="desk")
    headers = {"HX-Request": "true", "X-CSRFToken": token}
    r = door_client.post(url, data={"reason": "Ốm", "seen": ""}, headers=headers)
    assert r.status_code == 409 and r.headers["HX-Trigger"] == "attendance-changed"
    assert "Họp tỉnh" in r.text and 'value="Ốm"' in r.text  # what was typed stays in the box
    assert 'name="seen" value="Họp tỉnh"' in r.text  # saving again overwrites knowingly
    assert _reason(seat) == "Họp tỉnh"
    r = door_client.post(url, data={"reason": "Ốm", "seen": "Họp tỉnh"}, headers=headers)
    assert r.status_code == 200 and _reason(seat) == "Ốm"
    r = door_client.post(url + "/clear", data={"seen": "Họp tỉnh"}, headers=headers)  # a list behind
    assert r.status_code == 409 and r.headers["HX-Retarget"] == "#flash" and "Ốm" in r.text
    r = door_client.post(url + "/clear", headers=headers)  # no reason named at all
    assert r.status_code == 409 and _reason(seat) == "Ốm"


@pytest.mark.both_databases
def test_waiting_search_and_filters(meeting, units, people):
    arrive(people["an1"])
    names = lambda **kw: [p.full_name for p in attendance.waiting(meeting, **kw)]
    assert names(query="vo van an") == []  # present people are not listed
    assert names(query="do thi") == ["Đỗ Thị An"]  # folded
    assert names(query="pho hoa") == ["Lê Văn Hòa", "Phạm Thị Hòa"]  # by unit, without diacritics
    assert names(unit="commune") == ["Đỗ Thị An", "Huỳnh Văn Châu"]
    assert names(unit=str(units["chau"].id)) == ["Huỳnh Văn Châu"]
    assert names(unit=attendance.NO_UNIT_KEY) == ["Đặng Văn Tự Do"]
    assert names(query="khong co ai") == []


# --- HTTP -------------------------------------------------------------------------------

@pytest.fixture()
def door_client(app):
    make_user("letan", Role.DOOR)
    c = app.test_client()
    login(c, "letan")
    return c


def test_panel_page_shows_counts_groups_and_waiting(door_client, meeting, units, people):
    arrive(people["an1"])
    arrive(people["an2"])
    attendance.mark_absent(meeting, people["chau1"].id, "Đi công tác tỉnh", actor="test")
    r = door_client.get(f"/meetings/{meeting.id}/attendance")
    assert r.status_code == 200
    html = r.text
    assert 'id="attendance-panel"' in html and f'data-live-meeting="{meeting.id}"' in html
    assert f'data-live-src="/meetings/{meeting.id}/attendance/panel"' in html
    assert 'data-present="2" data-expected="8"' in html
    assert "Xã Phổ An</span> <b>2/2</b>" in html and "Xã Phổ Châu</span> <b>0/1</b>" in html
    assert "Đi công tác tỉnh" in html and "Vắng có lý do" in html
    assert f'id="waiting-{people["an1"].id}"' not in html
    assert f'id="waiting-{people["chau1"].id}"' in html
    assert 'id="absent-form"' in html
    # The panel fragment alone (the live region and its reload on reconnect).
    r = door_client.get(f"/meetings/{meeting.id}/attendance/panel")
    assert r.status_code == 200 and r.text.lstrip().startswith('{#') is False
    assert 'id="attendance-panel"' in r.text and "data-reload-waiting" in r.text


def test_waiting_fragment_filters(door_client, meeting, units, people):
    r = door_client.get(f"/meetings/{meeting.id}/attendance/waiting", query_string={"q": "chau"})
    assert r.status_code == 200
    assert "Huỳnh Văn Châu" in r.text and "Võ Văn An" not in r.text


def test_mark_absent_over_http(door_client, meeting, people):
    seat = people["hoa1"]
    url = f"/meetings/{meeting.id}/attendance/{seat.id}/absent"
    r = door_client.get(url, headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'name="reason"' in r.text and seat.full_name in r.text
    token = csrf_token(door_client, f"/meetings/{meeting.id}/attendance")
    r = door_client.post(url, data={"reason": ""}, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert r.status_code == 422 and "Vui lòng nhập lý do vắng." in r.text
    db.session.expire_all()
    assert db.session.get(Invitee, seat.id).absent_reason is None
    r = door_client.post(url, data={"reason": "Ốm"}, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "attendance-changed"
    assert 'name="reason"' not in r.text  # the form is cleared
    db.session.expire_all()
    assert db.session.get(Invitee, seat.id).absent_reason == "Ốm"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "attendance.absent"))
    assert entry.actor == "user:letan"
    # A plain form (no JavaScript) goes back to the page.
    r = door_client.post(url + "/clear", data={"csrf_token": token, "seen": "Ốm"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/meetings/{meeting.id}/attendance")
    db.session.expire_all()
    assert db.session.get(Invitee, seat.id).absent_reason is None


def test_mark_absent_of_someone_present_says_why(door_client, meeting, people):
    arrive(people["an1"])
    token = csrf_token(door_client, f"/meetings/{meeting.id}/attendance")
    r = door_client.post(f"/meetings/{meeting.id}/attendance/{people['an1'].id}/absent",
                         data={"reason": "Bận"}, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert r.status_code == 409 and "đã có mặt" in r.text and r.headers["HX-Retarget"] == "#flash"


def test_english_panel(door_client, meeting, people):
    r = door_client.get(f"/meetings/{meeting.id}/attendance?lang=en")
    assert r.status_code == 200 and 'lang="en"' in r.text


# --- export -----------------------------------------------------------------------------

def test_export_reads_back(door_client, meeting, units, people):
    arrive(people["chu_tich"], minutes=0, method=CheckInMethod.DOOR_SCAN)        # 07:10 in Quảng Ngãi
    arrive(people["an1"], minutes=5, method=CheckInMethod.SELF)
    attendance.mark_absent(meeting, people["hoa1"].id, "Báo ốm qua điện thoại", actor="test")
    arrive(people["hoa1"], minutes=30, method=CheckInMethod.DOOR_SEARCH, late=True)  # ... and came after all
    attendance.mark_absent(meeting, people["pho"].id, "Đi công tác tỉnh", actor="test")  # sends a deputy
    sub = extra(meeting, "Ngô Văn Thay", substitute_for=people["pho"], org=units["town"])
    arrive(sub, minutes=2, method=CheckInMethod.DOOR_SEARCH)
    guest = extra(meeting, "=HYPERLINK(\"http://x\")", walk_in=True)
    arrive(guest, minutes=3, method=CheckInMethod.DOOR_SEARCH)
    attendance.mark_absent(meeting, people["chau1"].id, "-ốm", actor="test")
    r = door_client.get(f"/meetings/{meeting.id}/attendance.xlsx")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in r.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.data))
    ws = wb.worksheets[0]
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(values) if row[0] == "STT")
    assert values[header_index] == ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Trạng thái", "Thời gian điểm danh",
                                    "Cách điểm danh", "Dự thay", "Ghi chú", "Xác nhận trước", "Ký tên"]
    assert "Có mặt 4/8 (dự thay: 1)" in values[2][0]
    body = {row[1]: row for row in values[header_index + 1:]}
    assert len(body) == 10
    chu = body["Nguyễn Văn Chủ"]
    assert chu[3] == "Thường trực HĐND" and chu[4] == "Có mặt"
    assert chu[5] == datetime(2024, 6, 27, 7, 10)  # stored 00:10 UTC, shown in Asia/Ho_Chi_Minh
    assert chu[6] == "Lễ tân quét mã"
    assert body["Võ Văn An"][6] == "Tự điểm danh tại hội trường"
    assert body["Lê Văn Hòa"][4] == "Có mặt (đến muộn)" and body["Lê Văn Hòa"][6] == "Lễ tân tìm theo tên"
    assert body["Lê Văn Hòa"][8] == "Trước đó được báo vắng: Báo ốm qua điện thoại"
    assert body["Võ Văn An"][8] is None  # nothing to say of the others
    assert body["Trần Thị Phó"][4] == "Có người dự thay" and body["Trần Thị Phó"][5] is None
    assert "Ngô Văn Thay" in body["Trần Thị Phó"][7]
    assert body["Trần Thị Phó"][8] == "Lý do vắng: Đi công tác tỉnh"  # absent, not "came after all"
    assert body["Ngô Văn Thay"][4] == "Có mặt" and body["Ngô Văn Thay"][7].startswith("Dự thay cho")
    assert "Trần Thị Phó" in body["Ngô Văn Thay"][7]
    assert body["Ngô Văn Thay"][6] == "Lễ tân đăng ký tại cửa"  # registered, not found by name
    assert body["'=HYPERLINK(\"http://x\")"][6] == "Lễ tân đăng ký tại cửa"
    assert body["Huỳnh Văn Châu"][4] == "Vắng có lý do" and body["Huỳnh Văn Châu"][8] == "'-ốm"
    assert body["Đỗ Thị An"][4] == "Chưa điểm danh"
    # A name that looks like a formula is text, never a formula.
    assert "'=HYPERLINK(\"http://x\")" in body
    cell = next(c for c in ws["B"] if c.value == "'=HYPERLINK(\"http://x\")")
    assert cell.data_type == "s"
    # The seat comes right before the person who came in its place; walk-ins come last.
    names = [row[1] for row in values[header_index + 1:]]
    assert names.index("Ngô Văn Thay") == names.index("Trần Thị Phó") + 1
    assert names[-1] == "'=HYPERLINK(\"http://x\")"
    assert all(row[10] is None for row in values[header_index + 1:])  # "Ký tên": room to sign
    assert body["Võ Văn An"][9] == "Chưa trả lời" and body["Ngô Văn Thay"][9] is None  # seats answer, not stand-ins
    # Printed: A4 landscape, fitted to the width, the header row on every page, pages numbered.
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${header_index + 1}:${header_index + 1}"
    assert "&P" in ws.oddFooter.center.text
    assert wb.worksheets[1].page_setup.paperSize == 9 and wb.worksheets[1].sheet_properties.pageSetUpPr.fitToPage
    summary = {row[0]: row for row in wb.worksheets[1].iter_rows(values_only=True)}
    assert summary["Tổng cộng"][1:3] == (4, 8)
    assert summary["  Xã Phổ An"][1:3] == (1, 2)


def test_export_rows_are_built_with_few_queries(app, meeting, units, people):
    for inv in people.values():
        arrive(inv)
    db.session.expire_all()
    db.session.refresh(meeting)
    statements = []
    listener = lambda *args: statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        rows = attendance_export.rows(meeting)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(rows) == 8 and all(r.checkin for r in rows)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 4
