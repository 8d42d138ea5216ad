"""Xác nhận tham dự over HTTP and Socket.IO: the card on the pass (its answers, a refused answer
beside what was typed, a stale one, a closed one, CSRF, a revoked pass), the door's row of a
person who named a substitute and its one tap, the Văn phòng's counts and column, the export
column, and the push that keeps the counts live."""
from __future__ import annotations

import html as htmlmod
import io
import re

import pytest
from openpyxl import load_workbook

from meetingday.extensions import db
from meetingday.models import Confirmation, Invitee, Meeting, Role, utcnow
from meetingday.services import attendance, checkin, confirmations, passes

from .conftest import assert_unchanged, connect, csrf_token, db_snapshot, fresh, login, make_user, page_csrf, received

HX = {"HX-Request": "true"}
CSRF_MESSAGE = "Phiên làm việc đã hết hạn hoặc thiếu mã bảo mật. Vui lòng tải lại trang rồi thử lại."


def text(html: str) -> str:
    """The words of an HTML answer, entities decoded, white space joined (no space before a comma)."""
    words = re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([,;.])", r"\1", words)


def person(meeting, name: str) -> Invitee:
    return next(p for p in meeting.invitees if p.full_name == name)


class Phone:
    """A delegate's phone on their pass: its cookies and the CSRF token of the pass page."""

    def __init__(self, app, invitee: Invitee):
        self.invitee_id = invitee.id
        self.token = invitee.active_token.token
        self.http = app.test_client()
        page = self.http.get(f"/d/{self.token}")
        assert page.status_code == 200
        self.page = page.text
        self.csrf = page_csrf(page.text)

    def card(self) -> str:
        return self.http.get(f"/d/{self.token}?part=confirm", headers=HX).text

    def seen(self) -> str:
        return re.search(r'name="seen" value="([^"]*)"', self.card()).group(1)

    def answer(self, csrf: bool = True, **data):
        if "seen" not in data:
            data["seen"] = self.seen()
        headers = {**HX, "X-CSRFToken": self.csrf} if csrf else HX
        return self.http.post(f"/d/{self.token}/confirm", data=data, headers=headers)


@pytest.fixture()
def phone(app, demo_meeting):
    """Ông Nguyễn Văn Lộc, Chủ tịch HĐND phường Phổ Minh, who has not answered yet."""
    return Phone(app, person(demo_meeting, "Nguyễn Văn Lộc"))


def test_the_pass_asks_before_the_day(phone):
    card = re.search(r'<section id="pass-confirm".*?</section>', phone.page, re.S).group(0)
    assert "hidden" not in card.split(">", 1)[0]
    words = text(card)
    assert "Xác nhận tham dự" in words
    assert "Kính mời Ông cho biết sẽ dự hội nghị, cử người dự thay hay vắng." in words
    for choice in ("Sẽ dự", "Cử người dự thay", "Vắng"):
        assert choice in words
    assert 'data-live-src="?part=confirm"' in card
    everything = phone.http.get(f"/d/{phone.token}?part=all", headers=HX).text
    assert 'id="pass-confirm"' in everything and 'hx-swap-oob="true"' in everything


def test_will_attend(phone):
    r = phone.answer(choice="attending")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "private, no-store"
    words = text(r.text)
    assert "Ông đã xác nhận sẽ dự." in words and "Đổi câu trả lời" in words
    assert fresh(Invitee, phone.invitee_id).confirmation == Confirmation.ATTENDING


def test_a_substitute_needs_a_name_and_keeps_what_was_typed(phone):
    before = db_snapshot()
    r = phone.answer(choice="substitute", substitute_name=" ", substitute_position="Ủy viên HĐND phường")
    assert r.status_code == 422
    assert "Xin nhập họ và tên người dự thay." in text(r.text)
    assert 'value="Ủy viên HĐND phường"' in r.text  # what was typed stays
    assert 'aria-invalid="true"' in r.text and re.search(r'<details class="pc-choice"[^>]*open', r.text)
    assert_unchanged(before)
    r = phone.answer(choice="substitute", substitute_name="Phạm Quốc Bảo", substitute_position="")
    assert r.status_code == 422 and "Xin nhập chức vụ của người dự thay." in text(r.text)
    r = phone.answer(choice="absent", reason="")
    assert r.status_code == 422 and "Vui lòng nhập lý do vắng." in text(r.text)
    r = phone.answer(choice="later")
    assert r.status_code == 422 and "Xin chọn một trong ba cách trả lời" in text(r.text)
    assert_unchanged(before)
    r = phone.answer(choice="substitute", substitute_name="Phạm Quốc Bảo",
                     substitute_position="Ủy viên Ban Pháp chế HĐND phường Phổ Minh")
    assert r.status_code == 200
    words = text(r.text)
    assert "Ông đã cử người dự thay:" in words
    assert "Phạm Quốc Bảo, Ủy viên Ban Pháp chế HĐND phường Phổ Minh" in words


def test_absent_shows_on_the_attendance_page(app, demo_meeting, phone):
    r = phone.answer(choice="absent", reason="Đi công tác tỉnh")
    assert r.status_code == 200 and "Ông đã báo vắng." in text(r.text) and "Lý do: Đi công tác tỉnh" in text(r.text)
    make_user("cuakt", Role.DOOR)
    door = app.test_client()
    login(door, "cuakt")
    waiting = door.get(f"/meetings/{demo_meeting.id}/attendance/waiting?q=nguyen van loc").text
    row = re.search(rf'<li id="waiting-{phone.invitee_id}".*?</li>', waiting, re.S).group(0)
    assert "Vắng có lý do" in text(row) and "Đi công tác tỉnh" in text(row)
    # Changed to "Sẽ dự": the absence it made is gone from the attendance page.
    phone.answer(choice="attending")
    waiting = door.get(f"/meetings/{demo_meeting.id}/attendance/waiting?q=nguyen van loc").text
    assert "Vắng có lý do" not in text(re.search(rf'<li id="waiting-{phone.invitee_id}".*?</li>', waiting,
                                                 re.S).group(0))


def test_a_stale_answer_is_refused_and_shows_the_saved_one(app, phone):
    old = phone.seen()
    other = Phone(app, fresh(Invitee, phone.invitee_id))  # the same pass on a second phone
    assert other.answer(choice="absent", reason="Nghỉ ốm").status_code == 200
    before = db_snapshot()
    r = phone.answer(choice="attending", seen=old)
    assert r.status_code == 409
    words = text(r.text)
    assert "vừa được thay đổi trên máy khác" in words and "Ông đã báo vắng." in words and "Nghỉ ốm" in words
    assert_unchanged(before)


def test_closed_once_the_meeting_starts(demo_meeting, phone):
    phone.answer(choice="attending")
    seen = phone.seen()  # the card as the phone shows it, then the chair starts the meeting
    m = fresh(Meeting, demo_meeting.id)
    m.started_at = utcnow()
    db.session.commit()
    before = db_snapshot()
    r = phone.answer(choice="absent", reason="Ốm", seen=seen)
    assert r.status_code == 409 and "Hội nghị đã bắt đầu" in text(r.text)
    assert_unchanged(before)
    card = phone.card()
    assert re.search(r'<section id="pass-confirm"[^>]* hidden>', card)  # the day's pass has no card
    assert "Sẽ dự" not in text(card)


def test_without_csrf_nothing_changes(phone):
    before = db_snapshot()
    r = phone.answer(csrf=False, choice="attending")
    assert r.status_code == 400 and CSRF_MESSAGE in r.text and r.headers["HX-Retarget"] == "#flash"
    assert_unchanged(before)


def test_a_revoked_pass_cannot_answer(phone):
    inv = fresh(Invitee, phone.invitee_id)
    passes.revoke_token(inv, inv.active_token.id, actor="test")
    before = db_snapshot()
    r = phone.answer(choice="attending", seen="")
    assert r.status_code == 404 and "Thẻ này đã bị thu hồi" in text(r.text)
    assert_unchanged(before)


def test_the_card_in_english(phone):
    phone.answer(choice="absent", reason="Nghỉ ốm")
    card = phone.http.get(f"/d/{phone.token}?part=confirm&lang=en", headers=HX).text
    assert "You have said you will be absent." in text(card) and "Change the answer" in text(card)


# --------------------------------------------------------------------------- the door

@pytest.fixture()
def door(app, demo_meeting):
    make_user("cuakt", Role.DOOR)
    client = app.test_client()
    login(client, "cuakt")
    checkin.open_checkin(demo_meeting, actor="test")
    return client


def test_the_door_finds_the_seat_by_the_substitutes_name_and_registers_them_in_one_tap(demo_meeting, door):
    xuan = person(demo_meeting, "Võ Thị Thanh Xuân")  # the demo: she sends Trần Minh Tuấn
    results = door.get(f"/meetings/{demo_meeting.id}/door/search?q=tran minh tuan").text
    row = re.search(rf'<li id="person-{xuan.id}".*?</li>', results, re.S).group(0)
    assert "Dự kiến dự thay: Trần Minh Tuấn, Ủy viên Ban Pháp chế HĐND phường Phổ Ninh" in text(row)
    form = re.search(r'<form class="expected-sub-form".*?</form>', row, re.S).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert fields["for_id"] == str(xuan.id) and htmlmod.unescape(fields["full_name"]) == "Trần Minh Tuấn"
    present = attendance.counts(demo_meeting.id).present
    csrf = csrf_token(door, f"/meetings/{demo_meeting.id}/door")
    r = door.post(f"/meetings/{demo_meeting.id}/door/register", data={k: htmlmod.unescape(v) for k, v in fields.items()},
                  headers={**HX, "X-CSRFToken": csrf})
    assert r.status_code == 200 and r.headers["X-Checkin-Outcome"] == "ok"
    seat_row = re.search(rf'<li id="person-{xuan.id}".*?</li>', r.text, re.S).group(0)
    assert "Trần Minh Tuấn đang dự thay" in text(seat_row) and "Dự kiến dự thay" not in text(seat_row)
    assert attendance.counts(demo_meeting.id).present == present + 1
    stand_in = checkin.stand_ins([fresh(Invitee, xuan.id)])[xuan.id]
    assert (stand_in.full_name, stand_in.position) == ("Trần Minh Tuấn", "Ủy viên Ban Pháp chế HĐND phường Phổ Ninh")
    # The same tap sent again (its nonce): the one registration, not a second person.
    again = door.post(f"/meetings/{demo_meeting.id}/door/register",
                      data={k: htmlmod.unescape(v) for k, v in fields.items()}, headers={**HX, "X-CSRFToken": csrf})
    assert again.headers["X-Checkin-Outcome"] == "repeat"
    assert attendance.counts(demo_meeting.id).present == present + 1


def test_the_door_list_carries_the_expected_substitute(demo_meeting, door):
    entries = door.get(f"/meetings/{demo_meeting.id}/door/people").get_json()["people"]
    vinh = next(e for e in entries if e["name"].endswith("Ngô Quang Vinh"))
    assert "le thi ngoc han" in vinh["search"]
    assert any(t.startswith("Dự kiến dự thay: Lê Thị Ngọc Hân") for t in vinh["tags"])


# --------------------------------------------------------------------------- the Văn phòng

@pytest.fixture()
def office(app):
    make_user("vanphongkt", Role.ADMIN)
    client = app.test_client()
    login(client, "vanphongkt")
    return client


def test_the_office_sees_the_counts_and_each_answer(demo_meeting, office):
    page = office.get(f"/meetings/{demo_meeting.id}/invitees/").text
    summary = text(re.search(r'<section id="confirmations-summary".*?</section>', page, re.S).group(0))
    unanswered = len(demo_meeting.invitees) - 12
    assert f"Đã xác nhận: 8 sẽ dự, 2 cử người dự thay, 2 vắng; {unanswered} chưa trả lời" in summary
    xuan = person(demo_meeting, "Võ Thị Thanh Xuân")
    row = text(re.search(rf'<tr id="invitee-{xuan.id}".*?</tr>', page, re.S).group(0))
    assert "Cử người dự thay" in row and "Trần Minh Tuấn, Ủy viên Ban Pháp chế HĐND phường Phổ Ninh" in row
    duoc = person(demo_meeting, "Dương Văn Được")
    assert "Đi công tác tỉnh" in text(re.search(rf'<tr id="invitee-{duoc.id}".*?</tr>', page, re.S).group(0))
    loc = person(demo_meeting, "Nguyễn Văn Lộc")
    assert "Chưa trả lời" in text(re.search(rf'<tr id="invitee-{loc.id}".*?</tr>', page, re.S).group(0))
    attendance_page = office.get(f"/meetings/{demo_meeting.id}/attendance").text
    assert 'id="confirmations-summary"' in attendance_page
    region = office.get(f"/meetings/{demo_meeting.id}/confirmations", headers=HX).text
    assert region.startswith('<section id="confirmations-summary"')


def test_an_answer_reaches_the_office_live(app, demo_meeting, office, phone):
    screen = connect(app, {"meeting": demo_meeting.id}, office)
    assert screen.is_connected()
    received(screen)
    phone.answer(choice="attending")
    swaps = received(screen).swaps
    assert "9 sẽ dự" in text(swaps["#confirmations-summary"])
    assert "#attendance-panel" not in swaps  # nothing changed there
    phone.answer(choice="absent", reason="Nghỉ ốm")
    swaps = received(screen).swaps
    assert "8 sẽ dự" in text(swaps["#confirmations-summary"]) and "3 vắng" in text(swaps["#confirmations-summary"])
    assert "Vắng có lý do: 3" in text(swaps["#attendance-panel"])  # the answer's absence, on the panel
    screen.disconnect()


def test_the_export_has_each_answer(demo_meeting, office):
    r = office.get(f"/meetings/{demo_meeting.id}/attendance.xlsx")
    ws = load_workbook(io.BytesIO(r.data)).worksheets[0]
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    column = values[header].index("Xác nhận trước")
    body = {row[1]: row[column] for row in values[header + 1:]}
    assert body["Võ Thị Thanh Xuân"] == "Cử người dự thay: Trần Minh Tuấn, Ủy viên Ban Pháp chế HĐND phường Phổ Ninh"
    assert body["Dương Văn Được"] == "Vắng: Đi công tác tỉnh"
    assert body["Nguyễn Văn Công"] == "Sẽ dự" and body["Nguyễn Văn Lộc"] == "Chưa trả lời"
    assert confirmations.tally(demo_meeting).answered == 12


def test_the_door_form_for_the_seat_is_filled_in_with_the_announced_substitute(demo_meeting, door):
    vinh = person(demo_meeting, "Ngô Quang Vinh")  # the demo: he sends Lê Thị Ngọc Hân
    form = door.get(f"/meetings/{demo_meeting.id}/door/register?for={vinh.id}", headers=HX).text
    assert 'value="Lê Thị Ngọc Hân"' in form and 'value="Ủy viên Ban Kinh tế - Xã hội HĐND xã Phổ Châu"' in form
    other = person(demo_meeting, "Nguyễn Văn Lộc")  # no answer: an empty form
    form = door.get(f"/meetings/{demo_meeting.id}/door/register?for={other.id}", headers=HX).text
    assert re.search(r'id="reg-name"[^>]*value=""', form)


def test_on_the_day_the_card_folds_under_the_qr_codes_way(demo_meeting, phone):
    """While check-in is open the unanswered card is one line ("Trả lời"): the pass's QR stays
    near the top for the door."""
    checkin.open_checkin(demo_meeting, actor="test")
    card = phone.card()
    fold = re.search(r'<details class="pc-change">\s*<summary[^>]*>([^<]*)</summary>', card)
    assert fold and fold.group(1) == "Trả lời"
    assert card.index("pc-change") < card.index('value="attending"')  # the choices inside the fold
    assert phone.answer(choice="attending").status_code == 200  # answering works the same


def test_the_seat_holders_phone_is_told_when_a_substitute_takes_the_seat(app, demo_meeting, door):
    xuan = person(demo_meeting, "Võ Thị Thanh Xuân")
    phone = connect(app, {"meeting": demo_meeting.id, "pass": xuan.active_token.token})
    assert phone.is_connected()
    received(phone)
    result = checkin.register_substitute(demo_meeting, xuan.id, "Trần Minh Tuấn", "Ủy viên", actor="test")
    assert any("#pass-confirm" in targets for targets in received(phone).refreshes)
    checkin.undo_check_in(demo_meeting, result.invitee.id, "Nhầm người", actor="test")  # the seat is free again
    assert any("#pass-confirm" in targets for targets in received(phone).refreshes)
    phone.disconnect()
