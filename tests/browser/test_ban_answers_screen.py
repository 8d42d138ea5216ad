"""A Ban prepares its answers in Chromium: Ban Pháp chế opens its own link on a phone and drafts
two answers; the secretary's kiến nghị list, open meanwhile, marks them without a reload, and her
answer form starts from the draft. Ban Pháp chế's account lands on the same section on a laptop.
Screenshots in test-artifacts/screenshots/ban-answers-*-<backend>.png."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from meetingday.extensions import db
from meetingday.models import KienNghi, Meeting, Organisation, ReportingUnit, Role
from meetingday.services import demo
from meetingday.services import kien_nghi as kn
from tests.browser.fixtures import LAPTOP, PHONE, assert_no_reload, connected, login, settle
from tests.conftest import make_user

SECRETARY = "thuky_ban_b"
MARK = "Đã có trả lời chuẩn bị"
DRAFTS = [("Ban Pháp chế sẽ hướng dẫn phân công lại tổ đại biểu và địa bàn tiếp xúc cử tri trong tháng 7.",
           "Ông Trần Đình Nghĩa, Trưởng Ban Pháp chế HĐND thị xã"),
          ("Ban Pháp chế phối hợp tổ chức lớp tập huấn kỹ năng chất vấn cho đại biểu HĐND cấp xã trong quý III.",
           "Bà Lương Thị Kim Oanh, Phó Trưởng Ban Pháp chế HĐND thị xã")]


@pytest.fixture()
def ban(demo_meeting):
    make_user(SECRETARY, Role.SECRETARY)
    org = db.session.scalar(select(Organisation).where(Organisation.key == "ban_phap_che"))
    unit = db.session.scalar(select(ReportingUnit).where(ReportingUnit.meeting_id == demo_meeting.id,
                                                         ReportingUnit.organisation_id == org.id))
    rows = kn.of_ban(db.session.get(Meeting, demo_meeting.id), org.id)
    return {"meeting_id": demo_meeting.id, "token": unit.active_link.token,
            "blank": [r.id for r in rows if not r.has_draft], "total": len(rows)}


def test_a_ban_drafts_two_answers_by_its_link_and_the_secretary_finds_them(new_page, ban, shot):
    meeting_id = ban["meeting_id"]
    first, second = ban["blank"][:2]
    secretary = new_page(LAPTOP)
    login(secretary, SECRETARY)
    secretary.goto(f"/meetings/{meeting_id}/kien-nghi")
    connected(secretary)
    expect(secretary.locator(f"#kn-{first} .kn-has-draft")).to_have_count(0)

    phone = new_page(PHONE)
    phone.goto(f"/u/{ban['token']}")
    section = phone.locator("#ban-answers")
    expect(section.locator(".ban-count")).to_have_text(f"Đã chuẩn bị 2/{ban['total']} kiến nghị")
    for kn_id, (answer, by) in zip((first, second), DRAFTS):
        row = phone.locator(f"#ban-kn-{kn_id}")
        row.locator("textarea[name=answer]").fill(answer)
        row.locator("input[name=answered_by]").fill(by)
        row.locator("button[type=submit]").click()
        settle(phone)
        expect(phone.locator(f"#ban-kn-{kn_id} .ban-just-saved")).to_contain_text("Đã lưu lúc")
        expect(phone.locator(f"#ban-kn-{kn_id} .ban-badge-ready")).to_have_text(MARK)
    expect(section.locator(".ban-count")).to_have_text(f"Đã chuẩn bị 4/{ban['total']} kiến nghị")
    phone.locator(f"#ban-kn-{first}").scroll_into_view_if_needed()
    shot(phone, "ban-answers-link-phone", full_page=False)
    saved = db.session.get(KienNghi, first)
    db.session.refresh(saved)
    assert (saved.draft_answer, saved.draft_answered_by) == DRAFTS[0]

    # The secretary's list, open all along, marks both rows without reloading.
    expect(secretary.locator(f"#kn-{first} .kn-has-draft")).to_have_text(MARK)
    expect(secretary.locator(f"#kn-{second} .kn-has-draft")).to_have_text(MARK)
    assert_no_reload(secretary)
    secretary.locator(f"#kn-{first}").scroll_into_view_if_needed()
    shot(secretary, "ban-answers-secretary-list", full_page=False)

    # Her answer form starts from the Ban's draft, which she may adjust.
    secretary.locator(f"#kn-{first} .kn-do-answer").click()
    form = secretary.locator(f"#kn-inline-{first} form")
    expect(form.locator(".kn-from-draft")).to_contain_text("Câu trả lời Ban đã chuẩn bị")
    expect(form.locator("textarea[name=answer]")).to_have_value(DRAFTS[0][0])
    expect(form.locator("input[name=answered_by]")).to_have_value(DRAFTS[0][1])
    shot(secretary, "ban-answers-secretary-form", full_page=False)


def test_a_ban_account_lands_on_its_answers(new_page, ban, shot):
    page = new_page({"width": 1366, "height": 768})
    login(page, "banphapche", demo.DEMO_PASSWORD)
    expect(page).to_have_url(f"{page.url.split('/meetings')[0]}/meetings/{ban['meeting_id']}/ban")
    expect(page.locator("h1")).to_have_text("Ban Pháp chế HĐND thị xã")
    expect(page.locator("#ban-answers .ban-kn")).to_have_count(ban["total"])
    row = page.locator(f"#ban-kn-{ban['blank'][0]}")
    row.locator("textarea[name=answer]").fill(DRAFTS[0][0])
    row.locator("button[type=submit]").click()
    settle(page)
    expect(page.locator(f"#ban-kn-{ban['blank'][0]} .ban-just-saved")).to_contain_text("Đã lưu lúc")
    shot(page, "ban-answers-account-laptop", full_page=False)
