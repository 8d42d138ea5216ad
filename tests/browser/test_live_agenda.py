"""The live agenda in Chromium: the chair's tablet, the hall projector and a delegate's phone.
The chair taps; the other two change without reloading. Screenshots in
test-artifacts/screenshots/agenda-*-<backend>.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from meetingday.models import Role
from tests.browser.fixtures import (
    PHONE,
    PROJECTOR,
    SMALL_PROJECTOR,
    TABLET,
    assert_inside,
    assert_no_reload,
    assert_no_scrollbars,
    connected,
    login,
    settle,
    tap,
)
from tests.conftest import make_user


@pytest.fixture()
def meeting(demo_meeting):
    make_user("chutri_live", Role.CHAIR)
    return demo_meeting












@pytest.mark.both_databases
def test_chair_advances_and_the_projector_and_phone_follow(new_page, meeting, shot):
    items = meeting.items
    key = meeting.display_key
    token = meeting.invitees[0].active_token.token

    chair = new_page(TABLET, has_touch=True)
    chair.on("dialog", lambda d: d.accept())  # hx-confirm
    login(chair, "chutri_live")
    chair.goto(f"/meetings/{meeting.id}/chair")
    projector = new_page(PROJECTOR)
    projector.goto(f"/display/{key}")
    phone = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"/d/{token}")
    for p in (chair, projector, phone):
        connected(p)

    # before the start: the welcome on the projector, the programme on the phone
    expect(projector.locator("#display-main")).to_contain_text("Chào mừng quý đại biểu")
    expect(phone.locator("#pass-now .pn-status")).to_contain_text("Chưa bắt đầu")
    assert_no_scrollbars(projector)
    shot(chair, "agenda-chair-before", full_page=False)
    shot(projector, "agenda-projector-before", full_page=False)

    # start
    tap(chair, chair.locator(".chair-start"))
    expect(chair.locator("#chair-controls .chair-item-title")).to_have_text(items[0].title)
    expect(projector.locator("#display-main")).to_contain_text(items[0].title)
    expect(projector.locator("#display-main")).to_contain_text("Mục 1/7")
    expect(phone.locator(".pp-item.is-current .pp-title")).to_have_text(items[0].title)

    # next
    tap(chair, chair.locator(".chair-next"))
    expect(chair.locator("#chair-controls .chair-item-title")).to_have_text(items[1].title)
    expect(chair.locator(".chair-item.is-current .chair-item-name")).to_have_text(items[1].title)
    expect(projector.locator("#display-main h1")).to_have_text(items[1].title)
    expect(projector.locator("#display-main")).to_contain_text(items[1].presenter)
    expect(phone.locator(".pp-item.is-current .pp-title")).to_have_text(items[1].title)
    expect(phone.locator(".pp-item.is-done")).to_have_count(1)
    expect(projector.locator("#display-main [data-elapsed-from]")).to_have_text(re.compile(r"^\d+:\d\d$"))
    settle(projector)
    assert_no_scrollbars(projector)
    shot(chair, "agenda-chair-session", full_page=False)
    shot(projector, "agenda-projector-session", full_page=False)
    shot(phone, "agenda-phone-session")

    # the longest title still fits the projector, at 1920x1080 and at 1280x720
    tap(chair, chair.locator(".chair-next"))
    expect(projector.locator("#display-main h1")).to_have_text(items[2].title)
    for size in (PROJECTOR, SMALL_PROJECTOR):
        projector.set_viewport_size(size)
        settle(projector)
        assert_no_scrollbars(projector)
        for selector in ("#display-main h1", ".display-timer", ".display-clock", "#display-attendance"):
            assert_inside(projector, selector)
    shot(projector, "agenda-projector-long-title-720", full_page=False)
    projector.set_viewport_size(PROJECTOR)

    # jump to the programme's break (with a confirm): the countdown everywhere
    tap(chair, chair.locator(".chair-item-btn", has_text=items[4].title))
    expect(chair.locator(".chair-countdown")).to_be_visible()
    expect(projector.locator(".display-countdown")).to_have_text(re.compile(r"^1[45]:\d\d$"))
    expect(phone.locator("#pass-now .pn-countdown")).to_be_visible()
    shot(chair, "agenda-chair-break", full_page=False)
    shot(projector, "agenda-projector-break", full_page=False)
    shot(phone.locator("#pass-programme"), "agenda-phone-break")
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the pass is {widths[0]}px wide on a {widths[1]}px phone"

    # resume moves on from the programme's break
    tap(chair, chair.locator(".chair-resume"))
    expect(projector.locator("#display-main h1")).to_have_text(items[5].title)
    expect(phone.locator(".pp-item.is-current .pp-title")).to_have_text(items[5].title)

    # a break of any length: a bad number is explained, a good one counts down everywhere
    chair.locator("#chair-break-minutes").fill("500")
    tap(chair, chair.locator(".chair-break-go"))
    expect(chair.locator("#flash")).to_contain_text("Thời gian giải lao phải từ 1 đến 180 phút.")
    shot(chair, "agenda-chair-break-invalid", full_page=False)
    chair.locator("#chair-break-minutes").fill("7")
    tap(chair, chair.locator(".chair-break-go"))
    expect(projector.locator(".display-countdown")).to_have_text(re.compile(r"^[67]:\d\d$"))
    expect(chair.locator(".chair-countdown")).to_be_visible()

    for p in (chair, projector, phone):
        assert_no_reload(p)


def test_a_second_tablet_behind_is_refused_and_catches_up(new_page, meeting):
    first = new_page(TABLET, has_touch=True)
    second = new_page(TABLET, has_touch=True)
    for tablet in (first, second):
        tablet.on("dialog", lambda d: d.accept())
        login(tablet, "chutri_live")
        tablet.goto(f"/meetings/{meeting.id}/chair")
        connected(tablet)
    tap(first, first.locator(".chair-start"))
    expect(second.locator("#chair-controls")).to_have_attribute("data-version", "2")  # pushed

    # the second tablet loses its connection: it misses the next push
    second.evaluate("window.meetingdayLive.socket.io.opts.reconnection = false; window.meetingdayLive.socket.disconnect()")
    tap(first, first.locator(".chair-next"))
    expect(first.locator("#chair-controls")).to_have_attribute("data-version", "3")
    assert second.locator("#chair-controls").get_attribute("data-version") == "2"

    tap(second, second.locator(".chair-next"))  # based on the old view
    expect(second.locator("#flash")).to_contain_text("Thiết bị khác vừa thay đổi chương trình")
    expect(second.locator("#chair-controls")).to_have_attribute("data-version", "3")  # reloaded over HTTP
    expect(second.locator("#chair-controls .chair-item-title")).to_have_text(meeting.items[1].title)
    assert_no_reload(second)


def test_projector_at_the_end_and_on_a_small_projector(new_page, meeting, shot):
    from meetingday.services import flow
    flow.start_meeting(meeting.id, 1, "test")
    projector = new_page(SMALL_PROJECTOR)
    projector.goto(f"/display/{meeting.display_key}")
    connected(projector)
    assert_no_scrollbars(projector)
    shot(projector, "agenda-projector-session-720", full_page=False)
    flow.end_meeting(meeting.id, 2, "test")
    expect(projector.locator("#display-main")).to_contain_text("Trân trọng cảm ơn")
    assert_no_scrollbars(projector)
    shot(projector, "agenda-projector-ended-720", full_page=False)

    # the secretary publishes the closing conclusion (issue 6's service will do this part)
    from meetingday import live
    from meetingday.extensions import db
    from meetingday.models import Conclusion, Meeting
    text = "\n".join(f"{n}. Các xã, phường tiếp tục rà soát, giải quyết dứt điểm các kiến nghị của cử tri; "
                      "báo cáo kết quả về Thường trực HĐND thị xã trước ngày 15/7/2024." for n in range(1, 9))
    db.session.add(Conclusion(meeting_id=meeting.id, item_id=None, text=text))
    m = db.session.get(Meeting, meeting.id)
    m.closing_published_at = m.ended_at
    db.session.commit()
    live.publish(meeting.id, "agenda")
    expect(projector.locator("#display-main")).to_contain_text("Kết luận Hội nghị")
    expect(projector.locator(".display-closing p")).to_have_count(8)
    for size in (SMALL_PROJECTOR, PROJECTOR):
        projector.set_viewport_size(size)
        settle(projector)
        assert_no_scrollbars(projector)
        last = projector.locator(".display-closing p").last.bounding_box()
        area = projector.locator("#display-main").bounding_box()
        assert last["y"] + last["height"] <= area["y"] + area["height"], "the conclusion is cut off"
    shot(projector, "agenda-projector-closing", full_page=False)
    assert_no_reload(projector)


def test_the_chair_on_a_break_of_the_programme_has_one_clock_and_one_way_on(new_page, meeting, shot):
    from meetingday.services import flow
    flow.start_meeting(meeting.id, 1, "test")
    chair = new_page(TABLET, has_touch=True)
    login(chair, "chutri_live")
    chair.goto(f"/meetings/{meeting.id}/chair")
    connected(chair)
    # in session: ending the meeting is in the status line, not among the break buttons
    expect(chair.locator(".chair-status .chair-end")).to_be_visible()
    assert chair.locator(".chair-secondary .chair-end").count() == 0

    flow.jump_to(meeting.id, meeting.items[4].id, 2, "test")  # the programme's break
    expect(chair.locator(".chair-countdown")).to_be_visible()
    running = chair.locator("#chair-controls .chair-break [data-countdown-to], #chair-controls .chair-current [data-elapsed-from],"
                            " #chair-programme [data-elapsed-from]")
    expect(running).to_have_count(1)
    expect(chair.locator(".chair-resume")).to_be_visible()
    expect(chair.locator(".chair-resume")).to_contain_text(meeting.items[5].title[:20])
    expect(chair.locator(".chair-next")).to_have_count(0)
    expect(chair.locator(".chair-status .chair-end")).to_be_visible()
    for selector in (".chair-countdown", ".chair-resume", ".chair-end"):
        box = chair.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= TABLET["height"], f"{selector} is below the tablet's screen"
    shot(chair, "agenda-chair-programme-break", full_page=False)
