"""Xác nhận tham dự in Chromium: a delegate answers on a 360 × 740 phone that someone will attend
in their place; on the day the door finds the person by the substitute's name, one tap registers
the substitute, and "có mặt" counts them; the Văn phòng's counts move without a reload.
Screenshots in test-artifacts/screenshots/confirm-*-<backend>.png."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from meetingday.models import Confirmation, Invitee
from meetingday.services import attendance, checkin, confirmations
from meetingday.services.demo import DEMO_PASSWORD
from meetingday.timeutil import utcnow
from tests.browser.fixtures import LAPTOP, PHONE, connected, login, settle, tap
from tests.conftest import fresh

SUBSTITUTE = "Phạm Quốc Bảo"
POSITION = "Ủy viên Ban Pháp chế HĐND phường Phổ Minh"


def person(meeting, name: str) -> Invitee:
    return next(p for p in meeting.invitees if p.full_name == name)


def set_day(meeting, days_from_now: int) -> None:
    """Put the (unstarted) meeting `days_from_now` days from now: a week before it, or its day."""
    from meetingday.extensions import db

    row = fresh(type(meeting), meeting.id)
    row.starts_at = utcnow() + timedelta(days=days_from_now)
    db.session.commit()


def test_a_substitute_named_from_the_phone_is_registered_at_the_door_in_one_tap(new_page, demo_meeting, shot):
    loc = person(demo_meeting, "Nguyễn Văn Lộc")
    set_day(demo_meeting, 7)  # a week before the day
    phone = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"/d/{loc.active_token.token}")
    connected(phone)
    card = phone.locator("#pass-confirm")
    expect(card.locator(".pc-ask")).to_have_text("Kính mời Ông cho biết sẽ dự hội nghị, cử người dự thay hay vắng.")
    for name in ("Sẽ dự", "Cử người dự thay", "Vắng"):  # three big choices, whole on the first screen
        box = card.locator(".pc-btn", has_text=name).bounding_box()
        assert box["height"] >= 48 and box["width"] >= 0.7 * PHONE["width"] and box["y"] + box["height"] <= PHONE["height"], (name, box)
    shot(phone, "confirm-pass-before", full_page=False)

    # "Cử người dự thay": sent without a name, the card says so under the field and keeps the position.
    tap(phone, card.locator("summary", has_text="Cử người dự thay"))
    phone.fill("#pass-confirm input[name=substitute_position]", POSITION)
    tap(phone, card.get_by_role("button", name="Gửi: cử người dự thay"))
    expect(card.locator(".pc-error")).to_have_text("Xin nhập họ và tên người dự thay.")
    expect(card.locator("input[name=substitute_position]")).to_have_value(POSITION)
    assert fresh(Invitee, loc.id).confirmation is None
    shot(phone, "confirm-pass-missing-name", full_page=False)
    phone.fill("#pass-confirm input[name=substitute_name]", SUBSTITUTE)
    tap(phone, card.get_by_role("button", name="Gửi: cử người dự thay"))
    expect(card.locator(".pc-said")).to_have_text("Ông đã cử người dự thay:")
    expect(card.locator(".pc-detail")).to_have_text(f"{SUBSTITUTE}, {POSITION}")
    expect(card.locator("summary", has_text="Đổi câu trả lời")).to_be_visible()
    assert fresh(Invitee, loc.id).confirmation == Confirmation.SUBSTITUTE
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "confirm-pass-after", full_page=False)

    # The day: the door (lễ tân) looks for the substitute's name, without diacritics.
    set_day(demo_meeting, 0)
    checkin.open_checkin(fresh(type(demo_meeting), demo_meeting.id), actor="test")
    door = new_page(LAPTOP)
    login(door, "letan", DEMO_PASSWORD)
    door.goto(f"/meetings/{demo_meeting.id}/door")
    connected(door)
    present = attendance.counts(demo_meeting.id).present
    expected = attendance.counts(demo_meeting.id).expected
    expect(door.locator("#attendance-panel .att-big")).to_have_text(f"{present}/{expected}")
    door.fill("#door-search", "pham quoc bao")
    row = door.locator(f"#person-{loc.id}")
    expect(row.locator(".expected-sub")).to_have_text(f"Dự kiến dự thay: {SUBSTITUTE}, {POSITION}")
    settle(door)
    shot(door, "confirm-door-row", full_page=False)
    tap(door, row.get_by_role("button", name="Đăng ký dự thay"))  # one tap, nothing typed
    result = door.locator("#door-result.result-ok")
    expect(result).to_contain_text(SUBSTITUTE)
    expect(row).to_contain_text(f"{SUBSTITUTE} đang dự thay")
    expect(row.locator(".expected-sub")).to_have_count(0)
    expect(door.locator("#attendance-panel .att-big")).to_have_text(f"{present + 1}/{expected}")
    stand_in = checkin.stand_ins([fresh(Invitee, loc.id)])[loc.id]
    assert (stand_in.full_name, stand_in.position) == (SUBSTITUTE, POSITION)
    shot(door, "confirm-door-registered", full_page=False)

    # The seat is taken: the card goes from the holder's phone, without a reload.
    expect(phone.locator("#pass-confirm")).to_be_hidden()
    assert phone.evaluate("window.__marker") == "còn nguyên"


def test_the_office_counts_move_without_a_reload(new_page, demo_meeting, shot):
    office = new_page(LAPTOP)
    login(office, "vanphong", DEMO_PASSWORD)
    office.goto(f"/meetings/{demo_meeting.id}/invitees/")
    connected(office)
    summary = office.locator("#confirmations-summary")
    unanswered = len(demo_meeting.invitees) - 12
    expect(summary.locator(".cs-line")).to_have_text(re.compile(
        rf"Đã xác nhận:\s*8 sẽ dự,\s*2 cử người dự thay,\s*2 vắng;\s*{unanswered} chưa trả lời"))
    xuan = person(demo_meeting, "Võ Thị Thanh Xuân")
    expect(office.locator(f"#invitee-{xuan.id} .confirm-cell")).to_contain_text("Trần Minh Tuấn")
    shot(office, "confirm-office-counts", full_page=False)
    # A delegate answers "Vắng" from their phone: the counts move, the page is not reloaded.
    loc = person(demo_meeting, "Nguyễn Văn Lộc")
    confirmations.confirm(loc.active_token.token, "absent", reason="Đi công tác tỉnh", seen="")
    expect(summary.locator(".cs-absent")).to_have_text("3 vắng")
    expect(summary.locator(".cs-unanswered")).to_have_text(f"{unanswered - 1} chưa trả lời")
    assert office.evaluate("window.__marker") == "còn nguyên"


def test_on_the_day_an_unanswered_card_folds_under_the_qr_code(new_page, demo_meeting):
    """The demo meeting is today: the pass is for the door now. An unanswered card is one line,
    the QR code stays in the first screen, and the choices are one tap away."""
    loc = person(demo_meeting, "Nguyễn Văn Lộc")  # no answer in the demo
    set_day(demo_meeting, 0)
    phone = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"/d/{loc.active_token.token}")
    connected(phone)  # the regions reloaded on connect are in: nothing is swapped while measured
    card = phone.locator("#pass-confirm")
    expect(card.locator("summary", has_text="Trả lời")).to_be_visible()
    expect(card.get_by_role("button", name="Sẽ dự")).to_be_hidden()
    assert card.bounding_box()["y"] > phone.locator("#pass-now").bounding_box()["y"]  # below what happens now
    qr = phone.get_by_role("img", name="Mã QR của thẻ").bounding_box()
    assert qr["y"] + qr["height"] <= PHONE["height"], "the QR code is not on the first screen"
    tap(phone, card.locator("summary", has_text="Trả lời"))
    expect(card.get_by_role("button", name="Sẽ dự")).to_be_visible()


def test_the_card_goes_when_the_meeting_starts(new_page, demo_meeting):
    from meetingday.models import Meeting
    from meetingday.services import flow

    cong = person(demo_meeting, "Nguyễn Văn Công")  # answered "Sẽ dự" (the demo)
    phone = new_page(PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"/d/{cong.active_token.token}")
    connected(phone)
    expect(phone.locator("#pass-confirm .pc-said")).to_have_text("✓ Ông đã xác nhận sẽ dự.")
    flow.start_meeting(demo_meeting.id, fresh(Meeting, demo_meeting.id).version, "test")
    expect(phone.locator("#pass-now")).to_have_class(re.compile(r"\bstate-in_session\b"))
    expect(phone.locator("#pass-confirm")).to_be_hidden()  # at once, without a reload
    phone.reload()
    expect(phone.locator("#pass-confirm")).to_be_hidden()
    expect(phone.locator("#pass-confirm .pc-btn")).to_have_count(0)  # and not drawn at all
