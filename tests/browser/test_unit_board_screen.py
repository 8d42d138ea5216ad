"""The Văn phòng's board of reporting units in Chromium at 1366×768: opening it, reissuing a
unit's link, a report arriving while it is open, closing submissions. Screenshot in
test-artifacts/screenshots/unit-board-<backend>.png."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from meetingday.models import Meeting, ReportingUnit
from meetingday.services import demo, reports, unit_board, units
from tests.browser.fixtures import LAPTOP, connected, login
from tests.conftest import fresh

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_board_reissues_follows_and_closes(new_page, demo_meeting, shot):
    m = demo_meeting
    unit = next(u for u in units.listing(m.id) if u.organisation.short_name == "Xã Phổ Khánh")  # has sent nothing
    sent = unit_board.board(m).sent  # the demo's units that have sent their report
    old = unit.active_link.token
    page = new_page(LAPTOP)
    page.on("dialog", lambda d: d.accept())
    login(page, "vanphong", demo.DEMO_PASSWORD)
    page.goto(f"/meetings/{m.id}")
    page.get_by_role("link", name="Báo cáo của các đơn vị").click()
    expect(page.locator("h1")).to_have_text("Báo cáo, kiến nghị của các đơn vị")
    connected(page)
    asked = len(units.listing(m.id))
    expect(page.locator("#units-summary [data-sent]")).to_have_text(f"{sent}/{asked} đơn vị đã gửi báo cáo")
    row = page.locator(f"#unit-{unit.id}")
    expect(row.locator(".unit-copy")).to_have_attribute("data-copy", re.compile(rf"/u/{old}$"))

    # Reissue: the old link stops working, the row shows the new one.
    row.locator(".unit-reissue").click()
    expect(page.locator("#flash")).to_contain_text("Đã cấp đường dẫn mới cho Xã Phổ Khánh")
    new = fresh(ReportingUnit, unit.id).active_link.token
    assert new != old
    expect(row.locator(".unit-copy")).to_have_attribute("data-copy", re.compile(rf"/u/{new}$"))

    # A report arrives by the unit's link (after the demo's deadline): the board follows without a reload.
    reports.submit(fresh(ReportingUnit, unit.id), PDF, "bao-cao.pdf", "Lê Văn Hòa")
    expect(page.locator("#units-summary [data-sent]")).to_have_text(f"{sent + 1}/{asked} đơn vị đã gửi báo cáo")
    expect(row.locator(".unit-report")).to_contain_text("nộp muộn")
    expect(row.locator(".unit-report")).to_contain_text("Lê Văn Hòa")
    shot(page, "unit-board")

    # Close submissions: the unit's link says so from now on.
    page.locator(".units-close").click()
    expect(page.locator(".units-reopen")).to_be_visible()
    assert fresh(Meeting, m.id).submissions_closed_at is not None
    page.locator(".units-reopen").click()
    expect(page.locator(".units-close")).to_be_visible()
    assert fresh(Meeting, m.id).submissions_closed_at is None
