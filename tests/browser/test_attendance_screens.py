"""The attendance panel in Chromium: it moves without a reload when someone checks in (from
the service, as the door does) or another screen marks someone absent, and a reason being
typed survives every push."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meetingday.extensions import db
from meetingday.models import Invitee, Role
from meetingday.services import attendance, checkin
from tests.browser.fixtures import PHONE, login, wait_for
from tests.conftest import make_user

MARKER = "window.__marker"


@pytest.fixture()
def meeting(demo_meeting):
    make_user("thuky-kt", Role.SECRETARY)
    make_user("chutri-kt", Role.CHAIR)
    checkin.open_checkin(demo_meeting, actor="test")
    return demo_meeting


def open_panel(page, meeting, username):
    login(page, username)
    page.goto(f"/meetings/{meeting.id}/attendance")
    wait_for(page, "window.meetingdayLive && window.meetingdayLive.socket.connected")
    page.evaluate(f"{MARKER} = 'còn nguyên'")


def present(page) -> str:
    return page.locator("#attendance-panel .att-big").inner_text()


def seats(meeting) -> list[Invitee]:
    return [p for p in meeting.invitees if not p.walk_in and not p.substitute_for_id]


def test_panel_moves_without_reload_and_keeps_a_reason_being_typed(new_page, meeting, shot):
    chair = new_page()
    open_panel(chair, meeting, "chutri-kt")
    expected = attendance.counts(meeting).expected
    excused = attendance.counts(meeting).excused  # the demo's own (answers "Vắng" before the day)
    expect(chair.locator("#attendance-panel .att-big")).to_have_text(f"0/{expected}")
    people = seats(meeting)
    first, typing_for = people[0], people[-1]

    # The chair starts typing a reason for someone, and does not send it yet.
    chair.locator(f"#waiting-{typing_for.id} button", has_text="Báo vắng").click()
    reason = chair.locator("#absent-reason")
    reason.fill("Đang gõ dở")
    reason.focus()

    # The door checks a delegate in (as the door screen does, through the service).
    checkin.check_in_by_id(meeting, first.id, actor="test")
    expect(chair.locator("#attendance-panel .att-big")).to_have_text(f"1/{expected}")
    expect(chair.locator("#attendance-panel .att-recent")).to_contain_text(first.full_name)
    expect(chair.locator(f"#waiting-{first.id}")).to_have_count(0)  # the list reloaded itself
    unit = chair.locator(f'#attendance-panel li[data-unit="{first.organisation_id}"] b')
    expected_unit = next(u for g in attendance.counts(meeting).groups for u in g.units
                         if u.id == first.organisation_id)
    expect(unit).to_have_text(f"{expected_unit.present}/{expected_unit.expected}")
    assert chair.evaluate(MARKER) == "còn nguyên", "the page was reloaded instead of swapped"
    expect(reason).to_have_value("Đang gõ dở")
    expect(reason).to_be_focused()

    # Another screen (the secretary's) marks someone absent with a reason: the chair sees it.
    secretary = new_page()
    open_panel(secretary, meeting, "thuky-kt")
    secretary.fill("#attendance-filter input[name=q]", people[1].full_name)
    row = secretary.locator(f"#waiting-{people[1].id}")
    expect(secretary.locator("#attendance-waiting li")).to_have_count(1)
    row.get_by_role("button", name="Báo vắng").click()
    secretary.fill("#absent-reason", "Đi công tác tỉnh")
    secretary.get_by_role("button", name="Lưu lý do vắng").click()
    expect(secretary.locator("#absent-reason")).to_have_count(0)  # the form is cleared
    expect(row).to_contain_text("Đi công tác tỉnh")
    expect(secretary.locator("#attendance-filter input[name=q]")).to_have_value(people[1].full_name)
    expect(chair.locator("#attendance-panel .att-facts")).to_contain_text(f"Vắng có lý do: {excused + 1}")
    expect(chair.locator(f"#waiting-{people[1].id}")).to_contain_text("Đi công tác tỉnh")
    expect(reason).to_have_value("Đang gõ dở")
    db.session.expire_all()
    assert db.session.get(Invitee, people[1].id).absent_reason == "Đi công tác tỉnh"

    # A few more arrive (a substitute among them), then the chair sends the reason.
    for p in people[2:6]:
        checkin.check_in_by_id(meeting, p.id, actor="test")
    checkin.register_substitute(meeting, people[6].id, "Lê Văn Thay", "Phó Chủ tịch UBND", actor="test")
    expect(chair.locator("#attendance-panel .att-big")).to_have_text(f"6/{expected}")
    chair.get_by_role("button", name="Lưu lý do vắng").click()
    expect(chair.locator("#attendance-panel .att-facts")).to_contain_text(f"Vắng có lý do: {excused + 2}")
    expect(chair.locator(f"#waiting-{typing_for.id}")).to_contain_text("Đang gõ dở")
    assert chair.evaluate(MARKER) == "còn nguyên"
    chair.evaluate("window.scrollTo(0, 0)")
    shot(chair, "attendance-panel", full_page=False)
    shot(secretary, "attendance-panel-filtered")


def test_a_reason_saved_on_another_screen_meanwhile_is_shown_not_overwritten(new_page, meeting, shot):
    person = seats(meeting)[2]
    chair = new_page()
    open_panel(chair, meeting, "chutri-kt")
    chair.locator(f"#waiting-{person.id} button", has_text="Báo vắng").click()
    chair.fill("#absent-reason", "Đi công tác")

    # Meanwhile the secretary's laptop records the excuse the person phoned in.
    attendance.mark_absent(meeting, person.id, "Ốm, xin phép qua điện thoại", actor="thuky-kt")
    expect(chair.locator(f"#waiting-{person.id}")).to_contain_text("Ốm, xin phép qua điện thoại")

    chair.get_by_role("button", name="Lưu lý do vắng").click()
    error = chair.locator("#absent-reason-error")
    expect(error).to_contain_text("một máy khác đã ghi lý do vắng khác")
    expect(error).to_contain_text("Ốm, xin phép qua điện thoại")
    expect(chair.locator("#absent-reason")).to_have_value("Đi công tác")  # what was typed stays
    db.session.expire_all()
    assert db.session.get(Invitee, person.id).absent_reason == "Ốm, xin phép qua điện thoại"
    shot(chair, "attendance-absence-changed-meanwhile", full_page=False)

    # Having seen it, the chair saves again: now it overwrites, knowingly.
    chair.get_by_role("button", name="Lưu lý do vắng").click()
    expect(chair.locator("#absent-reason")).to_have_count(0)
    expect(chair.locator(f"#waiting-{person.id}")).to_contain_text("Đi công tác")
    db.session.expire_all()
    assert db.session.get(Invitee, person.id).absent_reason == "Đi công tác"
    assert chair.evaluate(MARKER) == "còn nguyên"


def test_panel_on_a_phone(new_page, meeting, shot):
    phone = new_page(PHONE)
    open_panel(phone, meeting, "chutri-kt")
    for p in seats(meeting)[:3]:
        checkin.check_in_by_id(meeting, p.id, actor="test")
    expect(phone.locator("#attendance-panel .att-big")).to_have_text(f"3/{attendance.counts(meeting).expected}")
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide in a {widths[1]}px window"
    shot(phone, "attendance-panel-phone", full_page=False)
