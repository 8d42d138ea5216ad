"""The hall projector as it is read from the back of the hall (1920×1080): key figures of at least
80 px, running text of at least 48 px, nothing empty on the screen, every state said plainly.
Screenshots in test-artifacts/screenshots/projector-*-<backend>.png."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from meetingday import live
from meetingday.extensions import db
from meetingday.models import Conclusion, ConclusionTask, Meeting
from meetingday.services import checkin, flow, speakers
from meetingday.timeutil import utcnow
from tests.browser.fixtures import PROJECTOR, assert_no_scrollbars, connected, settle
from tests.speakerhall import commune_delegates, open_discussion

KEY_FIGURE_PX = 80
TEXT_PX = 48


def px(page, selector: str) -> float:
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def version(meeting_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id).version


def open_projector(new_page, meeting):
    projector = new_page(PROJECTOR)
    projector.goto(f"/display/{meeting.display_key}")
    connected(projector)
    return projector


def test_before_the_start_no_empty_panel_and_the_hall_named_once(new_page, demo_meeting, shot):
    projector = open_projector(new_page, demo_meeting)
    expect(projector.locator("#display-hallcode .hall-code")).to_have_count(1)  # loaded: not open yet
    expect(projector.locator("#display-hallcode")).to_be_hidden()
    welcome = projector.locator("#display-main").bounding_box()
    assert welcome["width"] > PROJECTOR["width"] * 0.9, "the welcome leaves room for an empty panel"
    assert projector.locator("body").inner_text().count(demo_meeting.place) == 1
    shot(projector, "projector-before-not-open", full_page=False)

    checkin.open_checkin(demo_meeting, actor="test")  # the hall code appears beside the welcome
    expect(projector.locator("#display-hallcode .hall-qr")).to_be_visible()
    assert projector.locator("body").inner_text().count(demo_meeting.place) == 1
    assert_no_scrollbars(projector)
    shot(projector, "projector-before-open", full_page=False)


def test_a_speaker_with_the_item_and_what_comes_next(new_page, demo_meeting, shot):
    people = commune_delegates(demo_meeting, 4)
    item = open_discussion(demo_meeting, people)
    requests = [speakers.ask(demo_meeting.id, item.id, p.id, topic="Về tiến độ giải phóng mặt bằng") for p in people]
    speakers.give_floor(demo_meeting.id, requests[0].id, "", actor="test")
    projector = open_projector(new_page, demo_meeting)
    expect(projector.locator("#display-speaker .ds-name")).to_contain_text(people[0].full_name)

    for selector in (".ds-name", ".ds-clock", "#display-main .display-timer", ".display-clock",
                     "#display-attendance strong"):
        assert px(projector, selector) >= KEY_FIGURE_PX, f"{selector} is {px(projector, selector)} px"
    # the next item is still said while someone speaks
    expect(projector.locator("#display-main .display-next")).to_be_visible()
    expect(projector.locator("#display-main .display-next")).to_contain_text("Mục tiếp theo: 5. Giải lao")
    # the speaker panel follows the item, with no empty band between them
    item_bottom = projector.evaluate(
        "document.querySelector('#display-main .display-item').getBoundingClientRect().bottom")
    panel_top = projector.locator("#display-speaker").bounding_box()["y"]
    assert panel_top - item_bottom <= 0.05 * PROJECTOR["height"], f"a band of {panel_top - item_bottom} px"
    assert_no_scrollbars(projector)
    shot(projector, "projector-speaker", full_page=False)


def publish_closing(meeting: Meeting, tasks: int) -> None:
    closing = Conclusion(meeting_id=meeting.id, item_id=None,
                         text="Hội nghị thống nhất đánh giá kết quả 6 tháng đầu năm 2024. Chủ tọa Hội nghị đề nghị:")
    db.session.add(closing)
    db.session.flush()
    for n in range(1, tasks + 1):
        db.session.add(ConclusionTask(
            conclusion_id=closing.id, position=n, body=f"Thường trực HĐND xã, phường nhóm {n}", deadline=date(2024, 7, 15),
            content="Tiếp tục rà soát, giải quyết dứt điểm các kiến nghị của cử tri còn tồn đọng; tăng cường giám sát "
                    "việc thực hiện các nghị quyết của HĐND về đầu tư công, giải phóng mặt bằng và an sinh xã hội; "
                    "báo cáo kết quả bằng văn bản về Thường trực HĐND thị xã"))
    meeting = db.session.get(Meeting, meeting.id)
    meeting.closing_published_at = utcnow()
    db.session.commit()
    live.publish(meeting.id, "closing")


def test_after_the_end_and_a_long_closing_conclusion_turns_its_pages(new_page, demo_meeting, shot):
    flow.start_meeting(demo_meeting.id, version(demo_meeting.id), "test")
    projector = new_page(PROJECTOR)
    projector.clock.install()
    projector.goto(f"/display/{demo_meeting.display_key}")
    connected(projector)
    flow.end_meeting(demo_meeting.id, version(demo_meeting.id), "test")
    expect(projector.locator("#display-main h1")).to_have_text("Hội nghị đã kết thúc")
    assert px(projector, "#display-main h1") >= KEY_FIGURE_PX
    shot(projector, "projector-ended", full_page=False)

    publish_closing(demo_meeting, tasks=3)
    expect(projector.locator("#display-main")).to_contain_text("Kết luận Hội nghị")
    expect(projector.locator("#display-main")).to_contain_text("Hội nghị đã kết thúc lúc")
    settle(projector)
    for selector in (".display-closing p", ".display-closing li"):
        assert px(projector, selector) >= TEXT_PX, f"{selector} is {px(projector, selector)} px"
    pages = projector.locator("[data-page-of]")
    expect(pages).to_be_visible()
    expect(pages).to_have_text(re.compile(r"^[12]/2$"))
    # every task is whole on the screen on one of the pages, which turn by themselves
    box = projector.locator(".display-pages").bounding_box()
    seen = set()
    for _ in range(2):
        for n, task in enumerate(projector.locator(".display-closing li").all()):
            b = task.bounding_box()
            if b["x"] >= box["x"] - 1 and b["x"] + b["width"] <= box["x"] + box["width"] + 1 \
                    and b["y"] + b["height"] <= box["y"] + box["height"] + 1:
                seen.add(n)
        shot(projector, f"projector-closing-page-{pages.inner_text()[0]}", full_page=False)
        before = pages.inner_text()
        projector.clock.fast_forward(15_000)
        expect(pages).not_to_have_text(before)
    assert seen == {0, 1, 2}, f"tasks never shown whole: {sorted({0, 1, 2} - seen)}"
    assert_no_scrollbars(projector)
