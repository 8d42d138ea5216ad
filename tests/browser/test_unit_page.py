"""A xã's submission link on a 360 × 740 phone: the unit sends its report (a PDF) and a kiến nghị,
and sees both listed, with the days left before the deadline. Screenshots in
test-artifacts/screenshots/unit-page-*-<backend>.png."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from meetingday.extensions import db
from meetingday.models import Document, KienNghi, ReportingUnit
from meetingday.services import meetings, organisations, units
from meetingday.services.demo import REPORTS_BEFORE, meeting_details
from meetingday.services.demo_pdf import pdf_bytes
from tests.browser.fixtures import PHONE, wait_for
from tests.conftest import fresh

SENDER = "Trần Văn Bình, Chủ tịch HĐND xã Phổ An"
CONTENT = "Đề nghị thị xã hỗ trợ kinh phí nạo vét kênh mương nội đồng thôn Vĩnh An."


@pytest.fixture()
def link(app):
    day = date.today() + timedelta(days=5) + REPORTS_BEFORE
    m = meetings.create_meeting(meeting_details(datetime.combine(day, time(7, 30))), actor="test")
    organisations.add_organisation("HĐND xã Phổ An", short_name="Xã Phổ An", actor="test")
    units.set_up(m.id, actor="test")
    unit = db.session.scalar(select(ReportingUnit).where(ReportingUnit.meeting_id == m.id))
    return {"unit_id": unit.id, "token": unit.active_link.token}


def test_a_unit_sends_its_report_and_a_kien_nghi_from_a_phone(new_page, link, shot, tmp_path):
    phone = new_page(PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"/u/{link['token']}")
    expect(phone.locator("h1")).to_have_text("HĐND xã Phổ An")
    expect(phone.locator("#unit-days")).to_have_text("Còn 5 ngày.")
    expect(phone.locator("#unit-report")).to_contain_text("Quý đơn vị chưa gửi báo cáo.")

    # A web page named .pdf: refused by its content, the message under the file field.
    fake = tmp_path / "bao-cao.pdf"
    fake.write_text("<!doctype html><title>x</title>")
    phone.locator("#unit-report-file").set_input_files(str(fake))
    phone.locator("#unit-report-sender").fill(SENDER)
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator("#unit-report .error")).to_contain_text("Chỉ nhận tệp PDF hoặc Word (.docx).")
    expect(phone.locator("#unit-report-sender")).to_have_value(SENDER)
    expect(phone.locator("#unit-report")).to_contain_text("Quý đơn vị chưa gửi báo cáo.")

    report = tmp_path / "Báo cáo 6 tháng Phổ An.pdf"
    report.write_bytes(pdf_bytes(["Báo cáo", "Xã Phổ An"]))
    phone.locator("#unit-report-file").set_input_files(str(report))
    phone.locator("#unit-report-sender").fill(SENDER)
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator("#unit-report .flash-ok")).to_contain_text("Đã nhận báo cáo")
    expect(phone.locator("#unit-report .unit-file-name")).to_have_text("Báo cáo 6 tháng Phổ An.pdf")
    expect(phone.locator("#unit-report .unit-file")).to_contain_text(SENDER)

    phone.locator("#unit-kn-content").fill(CONTENT)
    phone.locator("#unit-kn-sender").fill(SENDER)
    phone.get_by_role("button", name="Gửi kiến nghị").click()
    expect(phone.locator("#unit-kn .flash-ok")).to_contain_text("Đã nhận kiến nghị")
    expect(phone.locator("#unit-kn .unit-kn-content")).to_have_text(CONTENT)
    expect(phone.locator("#unit-kn-content")).to_have_value("")
    expect(phone.locator("#unit-kn-sender")).to_have_value(SENDER)  # kept for the next one

    # An empty sender: the message under the field, nothing sent.
    phone.locator("#unit-kn-sender").fill("")
    phone.locator("#unit-kn-content").fill("Đề nghị khác.")
    phone.get_by_role("button", name="Gửi kiến nghị").click()
    expect(phone.locator("#unit-kn .error")).to_have_text("Đề nghị ghi họ tên và chức vụ của người gửi.")
    wait_for(phone, "() => document.querySelectorAll('#unit-kn .unit-kn-item').length === 1")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "unit-page-phone")

    fresh()
    assert db.session.scalar(select(Document.submitted_by).where(Document.unit_id == link["unit_id"])) == SENDER
    assert [k.content for k in db.session.scalars(select(KienNghi).where(KienNghi.unit_id == link["unit_id"]))] \
        == [CONTENT]
