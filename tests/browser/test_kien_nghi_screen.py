"""The kiến nghị screen in Chromium: the secretary answers a kiến nghị on one laptop and a second
laptop follows without reloading, keeping its own filter and the answer it is typing in another
row. Screenshots in test-artifacts/screenshots/kien-nghi-*-<backend>.png."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from meetingday.extensions import db
from meetingday.models import KienNghi, KienNghiStatus, Meeting, Organisation, Role
from meetingday.services import kien_nghi as kn
from meetingday.services import speakers
from tests.browser.fixtures import LAPTOP, assert_no_reload, connected, login, settle
from tests.conftest import make_user
from tests.speakerhall import commune_delegates, open_discussion

SECRETARY, SECOND = "thuky_knb", "thuky2_knb"
ANSWER = "Ban Pháp chế sẽ tổ chức tập huấn kỹ năng chất vấn trong quý III/2024."


@pytest.fixture()
def hall(demo_meeting):
    """The demo meeting at its discussion item; the head of Ban Pháp chế has the floor on the first
    kiến nghị given to Ban Pháp chế (he was added to answer it)."""
    make_user(SECRETARY, Role.SECRETARY)
    make_user(SECOND, Role.SECRETARY)
    m = demo_meeting
    people = commune_delegates(m, 2)
    ban_head = next(p for p in m.invitees if p.organisation and p.organisation.key == "ban_phap_che")
    item = open_discussion(m, people + [ban_head])
    ban = db.session.scalar(select(Organisation).where(Organisation.key == "ban_phap_che"))
    rows = kn.listing(db.session.get(Meeting, m.id))
    target = next(r for r in rows if r.assigned_org_id == ban.id)
    other = next(r for r in rows if r.id != target.id and r.status == KienNghiStatus.PENDING)
    request = speakers.add_speaker(m.id, item.id, ban_head.id, kind="answer", kien_nghi_id=target.id, actor="test")
    speakers.give_floor(m.id, request.id, "", actor="test")
    return {"meeting_id": m.id, "target": target.id, "other": other.id, "ban_head": ban_head, "request": request.id}


def open_screen(new_page, username: str, meeting_id: int, query: str = ""):
    page = new_page(LAPTOP)
    page.on("dialog", lambda d: d.accept())
    login(page, username)
    page.goto(f"/meetings/{meeting_id}/kien-nghi{query}")
    connected(page)
    return page


def test_an_answer_on_one_screen_appears_on_another_without_reload(new_page, hall, shot):
    first = open_screen(new_page, SECRETARY, hall["meeting_id"])
    # The second laptop shows only what is still pending, and is typing an answer to another row.
    second = open_screen(new_page, SECOND, hall["meeting_id"], "?status=pending")
    target_row, other_row = f"#kn-{hall['target']}", f"#kn-{hall['other']}"
    expect(second.locator(f"{target_row} .kn-badge")).to_have_text("Chưa trả lời")
    expect(second.locator("#kn-summary .kn-count-answered .kn-count-n")).to_have_text("0")
    second.locator(f"{other_row} .kn-do-answer").click()
    second.locator(f"{other_row} textarea[name=answer]").fill("Đang gõ dở câu trả lời")
    connected(second)  # (marks the page again after the form opened)

    # The first laptop answers, in the remark of the Ban's head (already chosen: he spoke to it).
    first.locator(f"{target_row} .kn-do-answer").click()
    form = first.locator(f"#kn-inline-{hall['target']} form")
    expect(form.locator("select[name=speaker_request_id]")).to_have_value(str(hall["request"]))
    form.locator("textarea[name=answer]").fill(ANSWER)
    shot(first, "kien-nghi-answer-form")
    form.locator("button[type=submit]").click()
    settle(first)
    expect(first.locator(f"#kn-inline-{hall['target']}")).to_be_empty()  # the form closed
    expect(first.locator(f"{target_row} .kn-badge")).to_have_text("Đã trả lời tại hội nghị")
    expect(first.locator(f"{target_row} .kn-answer-text")).to_have_text(ANSWER)
    expect(first.locator(f"{target_row} .kn-meta")).to_contain_text(hall["ban_head"].full_name)

    # The second laptop follows: the count moves, the answered row leaves its "pending" filter,
    # and the answer being typed in the other row is still there.
    expect(second.locator("#kn-summary .kn-count-answered .kn-count-n")).to_have_text("1")
    expect(second.locator(target_row)).to_be_hidden()
    expect(second.locator(f"{other_row} textarea[name=answer]")).to_have_value("Đang gõ dở câu trả lời")
    second.locator("#kn-filters select[name=status]").select_option("")
    expect(second.locator(f"{target_row} .kn-badge")).to_have_text("Đã trả lời tại hội nghị")
    expect(second.locator(f"{target_row} .kn-answer-text")).to_have_text(ANSWER)
    assert_no_reload(second)
    shot(second, "kien-nghi-followed")

    db.session.expire_all()
    row = db.session.get(KienNghi, hall["target"])
    assert row.status == KienNghiStatus.ANSWERED and row.speaker_request_id == hall["request"]

    # The second laptop finishes its own answer: it is saved, and the first laptop follows in turn.
    second.locator(f"{other_row} textarea[name=answer]").fill("Thường trực HĐND thị xã sẽ chỉ đạo giải quyết.")
    second.locator(f"{other_row} input[name=answered_by]").fill("Phó Chủ tịch HĐND thị xã")
    second.locator(f"#kn-inline-{hall['other']} button[type=submit]").click()
    expect(first.locator(f"{other_row} .kn-answer-text")).to_have_text("Thường trực HĐND thị xã sẽ chỉ đạo giải quyết.")
    expect(first.locator("#kn-summary .kn-count-answered .kn-count-n")).to_have_text("2")


def test_filters_search_without_diacritics_and_a_refused_action_shows_its_message(new_page, hall, shot):
    page = open_screen(new_page, SECRETARY, hall["meeting_id"])
    rows = page.locator("#kn-list .kn-row")
    expect(rows).to_have_count(8)
    page.locator("#kn-filters input[name=q]").fill("tap huan ky nang chat van")
    page.locator("#kn-filters input[name=q]").press("Enter")  # filters as typed; Enter sends nothing
    assert_no_reload(page)
    expect(page.locator("#kn-list .kn-row:visible")).to_have_count(1)
    expect(page.locator("#kn-list .kn-row:visible .kn-org")).to_have_text("Xã Phổ Cường")
    expect(page.locator(".kn-shown")).to_have_text("Đang hiện 1/8 kiến nghị")
    assert "q=tap%20huan%20ky%20nang%20chat%20van" in page.url  # a reload keeps the filter
    page.locator(".kn-filter-clear").click()
    expect(page.locator("#kn-list .kn-row:visible")).to_have_count(8)

    # Withdrawn on another screen meanwhile: this screen's tap on "Rút" is refused and says why.
    page.evaluate("window.meetingdayLive.socket.disconnect()")  # (this screen misses the push)
    kn.withdraw(hall["meeting_id"], hall["other"], actor="test")
    page.locator(f"#kn-{hall['other']} .kn-do-withdraw").click()
    expect(page.locator("#flash .flash-error")).to_contain_text("Kiến nghị này đang ở trạng thái “Đã rút”.")
    expect(page.locator(f"#kn-{hall['other']} .kn-badge")).to_have_text("Đã rút")  # the list reloaded itself
    expect(page.locator("#kn-summary .kn-count-withdrawn .kn-count-n")).to_have_text("1")
    shot(page, "kien-nghi-refused")


def test_the_ban_dropdown_gives_the_kien_nghi_to_another_ban_and_a_second_screen_follows(new_page, hall):
    first = open_screen(new_page, SECRETARY, hall["meeting_id"])
    second = open_screen(new_page, SECOND, hall["meeting_id"])
    row = f"#kn-{hall['other']}"
    ktxh = db.session.scalar(select(Organisation).where(Organisation.key == "ban_kinh_te_xa_hoi"))
    first.locator(f"{row} .kn-ban select").select_option(str(ktxh.id))
    expect(second.locator(f"{row} .kn-ban-name")).to_have_text(ktxh.short_name)
    expect(second.locator(f"{row} .kn-ban select")).to_have_value(str(ktxh.id))
    db.session.expire_all()
    assert db.session.get(KienNghi, hall["other"]).assigned_org_id == ktxh.id
    # The second screen, now showing Ban Kinh tế - Xã hội, gives it to none: accepted.
    second.locator(f"{row} .kn-ban select").select_option("")
    expect(first.locator(f"{row} .kn-ban select")).to_have_value("")
    db.session.expire_all()
    assert db.session.get(KienNghi, hall["other"]).assigned_org_id is None
    expect(first.locator("#flash .flash-error")).to_have_count(0)
