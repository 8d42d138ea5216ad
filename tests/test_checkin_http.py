"""Check-in over HTTP: the door (scan, search, undo, walk-in, dự thay, window), the hall code,
the phone's two orders (pass then hall code, hall code then pass); the rate limits are in
test_rate_limits.py."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.hall_visit import PASS_COOKIE, VISIT_COOKIE
from meetingday.models import AuditEntry, CheckIn, CheckInMethod, Invitee, Role, utcnow
from meetingday.services import (
    checkin,
    hallcode,
    invitees,
    meetings,
    organisations,
    passes,
)
from meetingday.timeutil import epoch_ms

from .conftest import csrf_token, login, make_user

PUBLIC = "http://hoitruong.local:5000"


@pytest.fixture()
def meeting(app):
    m = meetings.create_meeting({
        "title": "Hội nghị trực báo", "host_body": "Thường trực HĐND thị xã", "issuing_body": "HĐND THỊ XÃ",
        "place": "Hội trường", "starts_at": datetime(2024, 6, 27, 0, 30)}, actor="test")
    org = organisations.add_organisation("HĐND xã Phổ An", short_name="Xã Phổ An", actor="test")
    invitees.add_invitee(m, full_name="Nguyễn Văn Lộc", honorific="Ông", position="Chủ tịch HĐND xã",
                         organisation=org, actor="test")
    invitees.add_invitee(m, full_name="Trần Thị Hồng", honorific="Bà", position="Phó Chủ tịch UBND thị xã",
                         actor="test")
    invitees.add_invitee(m, full_name="Võ Thanh Bình", honorific="Ông", position="Chủ tịch HĐND thị xã",
                         actor="test")
    return m


def person(meeting, name):
    return db.session.scalar(select(Invitee).where(Invitee.meeting_id == meeting.id, Invitee.full_name == name))


@pytest.fixture()
def door(app, meeting):
    make_user("letan", Role.DOOR)
    c = app.test_client()
    login(c, "letan")
    c.headers = {"X-CSRFToken": csrf_token(c, f"/meetings/{meeting.id}/door")}
    return c


def post(c, path, data=None, hx=False):
    return c.post(path, data=data or {}, headers={**c.headers, **({"HX-Request": "true"} if hx else {})})


def rows() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(CheckIn.id)))


def open_(meeting):
    checkin.open_checkin(meeting, "test")


# --------------------------------------------------------------------------- the door

def test_door_page_shows_scanner_search_and_window(door, meeting):
    r = door.get(f"/meetings/{meeting.id}/door")
    assert r.status_code == 200
    for part in ('id="scan-input"', 'id="door-video"', 'id="door-search"', 'id="door-result"', "vendor/jsqr/jsQR.",
                 "js/door.", "Chưa mở điểm danh", "Mất mạng — {n} lượt đang chờ gửi", 'id="door-register"'):
        assert part in r.text, part


def test_open_and_close_the_window_from_the_door(door, meeting):
    r = post(door, f"/meetings/{meeting.id}/checkin/open", hx=True)
    assert r.status_code == 200 and "Đang mở điểm danh" in r.text and 'id="checkin-window"' in r.text
    r = post(door, f"/meetings/{meeting.id}/checkin/close", hx=True)
    assert "Đã đóng điểm danh" in r.text and "Mở lại điểm danh" in r.text
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("checkin.%"))
                                   .order_by(AuditEntry.id)))
    assert actions == ["checkin.open", "checkin.close"]


def scan(door, meeting, code, **extra):
    return post(door, f"/meetings/{meeting.id}/door/scan", {"code": code, **extra})


def test_scan_green_then_amber(door, meeting):
    open_(meeting)
    loc = person(meeting, "Nguyễn Văn Lộc")
    url = f"{PUBLIC}/d/{loc.active_token.token}"
    r = scan(door, meeting, url, nonce="scan-000001")
    assert r.status_code == 200 and r.headers["X-Checkin-Outcome"] == "ok"
    assert "result-ok" in r.text and "Nguyễn Văn Lộc" in r.text and "Chủ tịch HĐND xã" in r.text
    assert "Xã Phổ An" in r.text and "Lễ tân quét mã" in r.text
    row = db.session.scalar(select(CheckIn))
    local = row.checked_in_at + timedelta(hours=7)
    assert f"Lúc {local:%H:%M}" in r.text
    again = scan(door, meeting, url, nonce="scan-000002")
    assert again.status_code == 200 and again.headers["X-Checkin-Outcome"] == "repeat"
    assert "result-repeat" in again.text and f"Đã điểm danh lúc {local:%H:%M}" in again.text
    assert rows() == 1
    assert row.recorded_by.username == "letan" and row.method == CheckInMethod.DOOR_SCAN


@pytest.mark.parametrize("case, status, message", [
    ("unknown", 404, "Mã này không phải thẻ đại biểu của hội nghị."),
    ("revoked", 404, "Thẻ này đã bị thu hồi."),
    ("other", 409, "Thẻ này thuộc hội nghị khác: Hội nghị khác."),
    ("garbage", 400, "Không đọc được mã này."),
    ("hall", 400, "Đây là mã điểm danh của hội trường"),
    ("closed", 409, "Đã đóng điểm danh cho hội nghị này."),
    ("not_open", 409, "Chưa mở điểm danh cho hội nghị này."),
    ("bad_time", 400, "Thời điểm quét không hợp lệ."),
    ("bad_nonce", 400, "Yêu cầu điểm danh không hợp lệ."),
])
def test_scan_red_with_the_reason_and_nothing_written(door, meeting, case, status, message):
    if case != "not_open":
        open_(meeting)
    loc = person(meeting, "Nguyễn Văn Lộc")
    code, extra = f"{PUBLIC}/d/{loc.active_token.token}", {}
    if case == "unknown":
        code = f"{PUBLIC}/d/{'x' * 32}"
    elif case == "revoked":
        passes.reissue_token(loc, loc.active_token.id)
    elif case == "other":
        other = meetings.create_meeting({"title": "Hội nghị khác", "host_body": "x", "issuing_body": "y",
                                         "place": "z", "starts_at": datetime(2024, 7, 1)})
        code = invitees.add_invitee(other, full_name="Lê Văn Khách").active_token.token
    elif case == "garbage":
        code = "WIFI:S:hoitruong;T:WPA;P:12345678;;"
    elif case == "hall":
        code = hallcode.hall_url(meeting.id)
    elif case == "closed":
        checkin.close_checkin(meeting, "test")
    elif case == "bad_time":
        extra = {"scanned_at": "hôm qua"}
    elif case == "bad_nonce":
        extra = {"nonce": "x y"}
    audit_before = db.session.scalar(select(func.count(AuditEntry.id)))
    r = scan(door, meeting, code, **extra)
    assert r.status_code == status and r.headers["X-Checkin-Outcome"] == "error"
    assert "result-error" in r.text and message in r.text
    assert rows() == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_before


@pytest.mark.parametrize("case, message", [
    ("revoked", "Thẻ này đã bị thu hồi."),
    ("closed", "Đã đóng điểm danh cho hội nghị này."),
    ("not_open", "Chưa mở điểm danh cho hội nghị này."),
])
def test_a_refused_scan_of_a_known_pass_names_the_person(client, door, meeting, case, message):
    loc = person(meeting, "Nguyễn Văn Lộc")
    token = loc.active_token.token
    if case != "not_open":
        open_(meeting)
    if case == "revoked":
        passes.revoke_token(loc, loc.active_token.id, actor="test")
    elif case == "closed":
        checkin.close_checkin(meeting, "test")
    r = scan(door, meeting, f"{PUBLIC}/d/{token}", nonce="named-0001")
    assert r.headers["X-Checkin-Outcome"] == "error" and rows() == 0
    reason = re.search(r'<p class="result-reason">(.*?)</p>', r.text, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", reason).split()).startswith(f"Ông Nguyễn Văn Lộc — {message}")
    if case == "revoked":  # the revoked link itself, opened by whoever holds it, names nobody
        assert "Nguyễn Văn Lộc" not in client.get(f"/d/{token}").text


def test_retried_scan_with_the_same_nonce_is_one_check_in(door, meeting):
    open_(meeting)
    token = person(meeting, "Trần Thị Hồng").active_token.token
    answers = [scan(door, meeting, token, nonce="retry-nonce-1").headers["X-Checkin-Outcome"] for _ in range(3)]
    assert answers == ["ok", "repeat", "repeat"] and rows() == 1


def test_offline_scan_keeps_the_time_it_was_scanned(door, meeting):
    open_(meeting)
    meeting.checkin_opened_at = utcnow() - timedelta(minutes=20)
    db.session.commit()
    scanned = (utcnow() - timedelta(minutes=7)).replace(microsecond=0)
    r = scan(door, meeting, person(meeting, "Võ Thanh Bình").active_token.token, nonce="offline-0001",
             scanned_at=str(epoch_ms(scanned)))
    assert r.headers["X-Checkin-Outcome"] == "ok"
    assert db.session.scalar(select(CheckIn.checked_in_at)) == scanned


def test_search_without_diacritics_and_one_tap_check_in(door, meeting):
    open_(meeting)
    r = door.get(f"/meetings/{meeting.id}/door/search?q=nguyen van")
    assert r.status_code == 200 and "Nguyễn Văn Lộc" in r.text and "Trần Thị Hồng" not in r.text
    assert door.get(f"/meetings/{meeting.id}/door/search?q=pho an").text.count('class="person-row') == 1
    assert door.get(f"/meetings/{meeting.id}/door/search?q=chu tich").text.count('class="person-row') == 3
    assert "Không tìm thấy ai phù hợp" in door.get(f"/meetings/{meeting.id}/door/search?q=zzz").text
    loc = person(meeting, "Nguyễn Văn Lộc")
    nonce = re.search(r'data-nonce="([^"]+)"', r.text).group(1)
    tap = post(door, f"/meetings/{meeting.id}/door/people/{loc.id}/checkin", {"nonce": nonce}, hx=True)
    assert tap.status_code == 200 and tap.headers["X-Checkin-Outcome"] == "ok"
    assert f'id="person-{loc.id}" class="person-row is-present" hx-swap-oob="true"' in tap.text
    assert "Lễ tân tìm theo tên" in tap.text
    second = post(door, f"/meetings/{meeting.id}/door/people/{loc.id}/checkin", {"nonce": nonce}, hx=True)
    assert second.headers["X-Checkin-Outcome"] == "repeat" and rows() == 1
    assert db.session.scalar(select(CheckIn.method)) == CheckInMethod.DOOR_SEARCH


def test_the_door_list_to_search_while_offline(door, app, meeting):
    open_(meeting)
    loc, hong = person(meeting, "Nguyễn Văn Lộc"), person(meeting, "Trần Thị Hồng")
    scan(door, meeting, loc.active_token.token)
    checkin.register_substitute(meeting, hong.id, "Đỗ Minh Thay", honorific="Ông", actor="test")
    r = door.get(f"/meetings/{meeting.id}/door/people")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    people = {p["name"]: p for p in r.json["people"]}
    assert set(people) == {"Ông Nguyễn Văn Lộc", "Bà Trần Thị Hồng", "Ông Võ Thanh Bình", "Ông Đỗ Minh Thay"}
    lo = people["Ông Nguyễn Văn Lộc"]
    assert lo["detail"] == "Chủ tịch HĐND xã · Xã Phổ An"
    assert "nguyen van loc" in lo["search"] and "xa pho an" in lo["search"]  # what the server's search reads
    assert re.fullmatch(r"\d\d:\d\d", lo["here"]) and lo["stand_in"] is None and lo["tags"] == []
    assert lo["url"] == f"/meetings/{meeting.id}/door/people/{loc.id}/checkin"
    assert people["Ông Võ Thanh Bình"]["here"] is None
    # A seat taken by a dự thay: said so, and the tap is not offered (door.js shows no button).
    assert people["Bà Trần Thị Hồng"]["stand_in"].startswith("Đỗ Minh Thay đang dự thay, có mặt lúc ")
    assert people["Ông Đỗ Minh Thay"]["tags"] == ["Dự thay cho Trần Thị Hồng"]
    assert abs(r.json["at"] - epoch_ms(utcnow())) < 60_000
    assert loc.active_token.token not in r.text  # no passes leave with the list
    make_user("thuky", Role.SECRETARY)
    other = app.test_client()
    login(other, "thuky")
    assert other.get(f"/meetings/{meeting.id}/door/people").status_code == 403
    assert app.test_client().get(f"/meetings/{meeting.id}/door/people").status_code == 302  # to the login


def test_undo_needs_a_reason_and_the_person_can_check_in_again(door, meeting):
    open_(meeting)
    loc = person(meeting, "Nguyễn Văn Lộc")
    scan(door, meeting, loc.active_token.token)
    r = post(door, f"/meetings/{meeting.id}/door/people/{loc.id}/undo", {"reason": " "}, hx=True)
    assert r.status_code == 400 and "Vui lòng nhập lý do hủy điểm danh." in r.text
    r = post(door, f"/meetings/{meeting.id}/door/people/{loc.id}/undo", {"reason": "Quét nhầm"}, hx=True)
    assert r.status_code == 200 and r.headers["X-Checkin-Outcome"] == "undone" and "Đã hủy điểm danh" in r.text
    assert f'id="person-{loc.id}" class="person-row" hx-swap-oob="true"' in r.text
    db.session.rollback()
    assert db.session.scalar(select(CheckIn.undo_reason)) == "Quét nhầm"
    r = post(door, f"/meetings/{meeting.id}/door/people/{loc.id}/undo", {"reason": "lần nữa"}, hx=True)
    assert r.status_code == 409 and "Người này chưa điểm danh." in r.text
    assert scan(door, meeting, loc.active_token.token).headers["X-Checkin-Outcome"] == "ok"
    assert rows() == 1


def test_a_retried_scan_whose_check_in_was_undone_says_so(door, meeting):
    """The answer to a scan was lost, staff undid the check-in, then the tablet retries it."""
    open_(meeting)
    loc = person(meeting, "Nguyễn Văn Lộc")
    assert scan(door, meeting, loc.active_token.token, nonce="lost-answer-1").headers["X-Checkin-Outcome"] == "ok"
    post(door, f"/meetings/{meeting.id}/door/people/{loc.id}/undo", {"reason": "Quét nhầm"}, hx=True)
    r = scan(door, meeting, loc.active_token.token, nonce="lost-answer-1")
    assert r.status_code == 409 and r.headers["X-Checkin-Outcome"] == "error"
    assert "Lượt điểm danh này đã bị hủy lúc" in r.text and "Đã điểm danh lúc" not in r.text
    db.session.rollback()
    assert db.session.scalar(select(CheckIn.undone_at)) is not None  # still not here


def test_invitee_arriving_after_their_substitute_is_refused_at_the_door(door, meeting):
    open_(meeting)
    loc = person(meeting, "Nguyễn Văn Lộc")
    post(door, f"/meetings/{meeting.id}/door/register",
         {"full_name": "Đỗ Minh Thay", "honorific": "Ông", "for_id": str(loc.id), "nonce": "thay-000009"}, hx=True)
    r = scan(door, meeting, loc.active_token.token)
    assert r.status_code == 409 and r.headers["X-Checkin-Outcome"] == "error"
    assert "Ông Đỗ Minh Thay đã dự thay cho đại biểu Nguyễn Văn Lộc lúc" in r.text
    assert rows() == 1


def test_walk_in_and_substitute_at_the_door(door, meeting):
    open_(meeting)
    r = post(door, f"/meetings/{meeting.id}/door/register", {"full_name": "", "nonce": "walkin-0001"},
             hx=True)
    assert r.status_code == 422 and "Vui lòng nhập họ và tên." in r.text and rows() == 0
    r = post(door, f"/meetings/{meeting.id}/door/register",
             {"full_name": "Phạm Khách", "position": "Phóng viên", "nonce": "walkin-0001"}, hx=True)
    assert r.status_code == 200 and r.headers["X-Checkin-Outcome"] == "ok"
    assert "Khách không có trong danh sách mời" in r.text and 'hx-swap-oob="true"' in r.text
    assert "Lễ tân đăng ký tại cửa" in r.text
    assert db.session.scalar(select(Invitee).where(Invitee.full_name == "Phạm Khách")).walk_in

    loc = person(meeting, "Nguyễn Văn Lộc")
    form = door.get(f"/meetings/{meeting.id}/door/register?for={loc.id}")
    assert "Dự thay cho:" in form.text and "Nguyễn Văn Lộc" in form.text
    r = post(door, f"/meetings/{meeting.id}/door/register",
             {"full_name": "Đỗ Minh Thay", "position": "Phó Chủ tịch HĐND xã", "for_id": str(loc.id),
              "nonce": "thay-000001"}, hx=True)
    assert r.status_code == 200 and "Dự thay cho Nguyễn Văn Lộc" in r.text and "Lễ tân đăng ký tại cửa" in r.text
    sub = db.session.scalar(select(Invitee).where(Invitee.full_name == "Đỗ Minh Thay"))
    assert sub.substitute_for_id == loc.id
    # Nguyễn Văn Lộc's row (out of band, if the door shows it) says his seat is taken, with no button.
    row = re.search(rf'<li id="person-{loc.id}".*?</li>', r.text, re.DOTALL).group(0)
    assert 'hx-swap-oob="true"' in row and "Đỗ Minh Thay đang dự thay" in row and "data-checkin-button" not in row
    found = door.get(f"/meetings/{meeting.id}/door/search?q=nguyen van loc", headers={"HX-Request": "true"}).text
    assert "Đỗ Minh Thay đang dự thay" in found and "hãy hủy điểm danh của người dự thay trước" in found
    r = post(door, f"/meetings/{meeting.id}/door/register",
             {"full_name": "Người Thứ Hai", "for_id": str(loc.id), "nonce": "thay-000002"}, hx=True)
    assert r.status_code == 422 and "đã có mặt (hoặc đã có người dự thay)" in r.text
    assert rows() == 2


def test_door_routes_refuse_a_secretary(app, meeting):
    make_user("thuky", Role.SECRETARY)
    c = app.test_client()
    login(c, "thuky")
    assert c.get(f"/meetings/{meeting.id}/door").status_code == 403


# --------------------------------------------------------------------------- the hall code

def test_hall_code_for_staff_or_display_key(door, app, meeting):
    assert "Chưa mở điểm danh" in door.get(f"/meetings/{meeting.id}/hall-code", headers={"HX-Request": "true"}).text
    open_(meeting)
    before = passes.qr_svg(hallcode.hall_url(meeting.id))
    r = door.get(f"/meetings/{meeting.id}/hall-code", headers={"HX-Request": "true"})
    after = passes.qr_svg(hallcode.hall_url(meeting.id))
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert 'id="hall-code"' in r.text and 'hx-trigger="every 20s, refresh"' in r.text and "Quét mã để điểm danh" in r.text
    svg = re.search(r"<svg.*?</svg>", r.text, re.DOTALL).group(0)
    assert svg in (before, after)  # the code of this minute (or the next, at a minute's turn)
    anonymous = app.test_client()
    assert anonymous.get(f"/meetings/{meeting.id}/hall-code").status_code == 404
    assert anonymous.get(f"/meetings/{meeting.id}/hall-code?key=wrong").status_code == 404
    r = anonymous.get(f"/meetings/{meeting.id}/hall-code?key={meeting.display_key}")
    assert r.status_code == 200 and "<svg" in r.text and "<html" in r.text  # a whole page for a screen
    r = anonymous.get(f"/meetings/{meeting.id}/hall-code?key={meeting.display_key}", headers={"HX-Request": "true"})
    assert "<html" not in r.text and f"key={meeting.display_key}" in r.text  # keeps refreshing with its key
    assert "personal" not in r.text and "/d/" not in r.text  # no pass link on a public screen


def hall_path(meeting, now=None):
    return hallcode.path_for(meeting.id, now)


def test_phone_opens_its_pass_then_scans_the_hall_code(app, meeting):
    open_(meeting)
    phone = app.test_client()
    token = person(meeting, "Trần Thị Hồng").active_token.token
    page = phone.get(f"/d/{token}")
    assert "Chưa điểm danh" in page.text and 'id="pass-checkin"' in page.text
    assert phone.get_cookie(PASS_COOKIE).value == token
    assert "HttpOnly" in page.headers["Set-Cookie"]
    r = phone.get(hall_path(meeting))
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/d/{token}")
    shown = phone.get(f"/d/{token}")
    row = db.session.scalar(select(CheckIn))
    assert row.method == CheckInMethod.SELF and row.recorded_by_id is None
    assert f"Đã điểm danh lúc {row.checked_in_at + timedelta(hours=7):%H:%M}" in shown.text
    assert phone.get(hall_path(meeting)).status_code == 303 and rows() == 1  # scanning again: still one


def test_phone_scans_the_hall_code_first_then_its_invitation(app, meeting):
    open_(meeting)
    phone = app.test_client()
    r = phone.get(hall_path(meeting))
    assert r.status_code == 200 and "quét mã QR trên giấy mời" in r.text and "js/selfcheckin." in r.text
    assert phone.get_cookie(VISIT_COOKIE) is not None and rows() == 0
    token = person(meeting, "Võ Thanh Bình").active_token.token
    shown = phone.get(f"/d/{token}")
    assert "Đã điểm danh lúc" in shown.text and rows() == 1
    assert phone.get_cookie(VISIT_COOKIE) is None  # used once
    assert db.session.scalar(select(CheckIn.method)) == CheckInMethod.SELF


def test_hall_visit_of_another_meeting_or_tampered_writes_nothing(app, meeting):
    open_(meeting)
    other = meetings.create_meeting({"title": "Hội nghị khác", "host_body": "x", "issuing_body": "y",
                                     "place": "z", "starts_at": datetime(2024, 7, 1)})
    stranger = invitees.add_invitee(other, full_name="Lê Văn Khách").active_token.token
    phone = app.test_client()
    phone.get(hall_path(meeting))
    assert "Chưa điểm danh" in phone.get(f"/d/{stranger}").text and rows() == 0
    phone.set_cookie(VISIT_COOKIE, "gia-mao.khong-hop-le")
    assert "Chưa điểm danh" in phone.get(f"/d/{person(meeting, 'Võ Thanh Bình').active_token.token}").text
    assert rows() == 0


@pytest.mark.parametrize("case, status, message", [
    ("expired", 410, "Mã điểm danh này đã hết hạn."),
    ("forged", 400, "Mã QR này không phải mã điểm danh của hội trường."),
    ("closed", 409, "Đã đóng điểm danh cho hội nghị này."),
])
def test_bad_hall_codes_say_why_and_write_nothing(app, meeting, case, status, message):
    open_(meeting)
    phone = app.test_client()
    token = person(meeting, "Trần Thị Hồng").active_token.token
    phone.get(f"/d/{token}")
    path = hall_path(meeting)
    if case == "expired":
        path = hall_path(meeting, hallcode.current_window() * 60 - 4 * 60)
    elif case == "forged":
        path = f"/h/{meeting.id}/{hallcode.current_window()}.{'Z' * hallcode.SIG_CHARS}"
    else:
        checkin.close_checkin(meeting, "test")
    r = phone.get(path)
    assert r.status_code == status and message in r.text
    if case != "forged":
        assert "Mở thẻ đại biểu của tôi" in r.text  # back to the pass this phone holds
    assert rows() == 0


def test_the_pass_welcomes_at_check_in_only_and_folds_its_qr(app, meeting):
    """Before check-in the QR is open; once checked in it folds away (one tap opens it), and
    "Xin cảm ơn. Mời vào hội trường." is there for the moment of check-in, not all meeting."""
    open_(meeting)
    token = person(meeting, "Trần Thị Hồng").active_token.token
    phone = app.test_client()
    before = phone.get(f"/d/{token}/checkin").text
    assert '<details class="pass-qr-fold" open>' in before and "Mời vào hội trường" not in before
    checkin.check_in_scan(meeting, token, actor="test")
    just = phone.get(f"/d/{token}").text
    assert "Xin cảm ơn. Mời vào hội trường." in just and "data-welcome-until=" in just
    assert '<details class="pass-qr-fold">' in just and "/qr.svg" in just
    row = db.session.scalar(select(CheckIn))
    row.checked_in_at = utcnow() - timedelta(minutes=10)  # the delegate checked in a while ago
    db.session.commit()
    later = phone.get(f"/d/{token}").text
    assert "Đã điểm danh lúc" in later and "Mời vào hội trường" not in later
    assert '<details class="pass-qr-fold">' in later


def test_pass_status_fragment(app, meeting):
    open_(meeting)
    token = person(meeting, "Trần Thị Hồng").active_token.token
    phone = app.test_client()
    r = phone.get(f"/d/{token}/checkin")
    assert r.status_code == 200 and r.text.lstrip().startswith('<section id="pass-checkin"')
    assert "Chưa điểm danh" in r.text
    checkin.check_in_scan(meeting, token, actor="test")
    assert "Đã điểm danh lúc" in phone.get(f"/d/{token}/checkin").text
    assert phone.get(f"/d/{'y' * 32}/checkin").status_code == 404
