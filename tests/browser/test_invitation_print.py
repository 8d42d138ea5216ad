"""The invitations printed by Chromium: Vietnamese sheets inside English chrome, the xã/phường's
deadline for reports on their sheets, the QR caption in the document's font with the person's
name on one line (a long name too), and the PDF A4, one sheet a page, read back."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from meetingday.extensions import db
from meetingday.models import Organisation
from meetingday.services import demo, invitees, units
from tests.browser.fixtures import SCREENSHOTS, login

LONG_NAME = "Nguyễn Thị Hoàng Phương Thảo Nguyên"  # 35 letters: the smaller size, still one line


def on_one_line(locator) -> None:
    """The element is one line high (its box no taller than 1.5 line-heights) and inside its column."""
    height, line, right, column = locator.evaluate("""el => {
        const s = getComputedStyle(el), box = el.getBoundingClientRect();
        const td = el.closest('td, p').getBoundingClientRect();
        return [box.height, parseFloat(s.lineHeight), box.right, td.right]; }""")
    assert height < 1.5 * line, (locator, height, line)
    assert right <= column + 0.5, (locator, right, column)


def test_invitations_printed_in_vietnamese_from_english(page, demo_meeting, backend):
    xa = db.session.query(Organisation).filter_by(key="xa_pho_khanh").one()
    long = invitees.add_invitee(demo_meeting, full_name=LONG_NAME, honorific="Bà",
                                position="Phó Chủ tịch HĐND xã Phổ Khánh", organisation=xa)
    town = next(p for p in demo_meeting.invitees if p.full_name == "Lê Quang Thịnh")  # Bí thư Thị ủy
    login(page, "vanphong", demo.DEMO_PASSWORD)
    page.goto(f"/meetings/{demo_meeting.id}/invitations?lang=en")
    expect(page.get_by_role("button")).to_have_text("Print")
    sheet, theirs = page.locator(f"#invitation-{long.id}"), page.locator(f"#invitation-{town.id}")
    expect(sheet).to_have_attribute("lang", "vi")
    expect(sheet).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(sheet).to_contain_text("7 giờ 30 phút, thứ Năm, ngày 27 tháng 6 năm 2024.")
    expect(sheet.locator(".reports-due")).to_contain_text("trước ngày 15 tháng 6 năm 2024")
    expect(theirs.locator(".reports-due")).to_have_count(0)
    # The xã's submission link, with its QR code, on its people's sheets only.
    link = next(u for u in units.listing(demo_meeting.id) if u.organisation_id == xa.id).active_link
    expect(sheet.locator(".reports-due .unit-link-url")).to_have_text(re.compile(rf"/u/{link.token}$"))
    expect(sheet.locator(".unit-qr svg")).to_have_count(1)
    expect(theirs.locator(".unit-qr, .unit-link-url")).to_have_count(0)

    # The caption is set in the sheet's font, the names on one line each.
    fonts = sheet.evaluate("""el => [el.querySelector('.qr figcaption'), el.querySelector('.body p')]
                              .map(e => getComputedStyle(e).fontFamily)""")
    assert fonts[0] == fonts[1] and fonts[0].startswith('"Times New Roman"')
    for person in (long, town):
        card = page.locator(f"#invitation-{person.id}")
        expect(card.locator(".qr-name")).to_have_text(person.full_name)
        on_one_line(card.locator(".qr-name"))
        on_one_line(card.locator(".addressee-name"))

    pdf = SCREENSHOTS / f"invitations-{backend}.pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) are not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(demo_meeting.invitees)  # one sheet a page, nothing spilling over
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sheets = [" ".join(s.split()) for s in text.split("\f") if s.strip()]
    number, mine = next((n, s) for n, s in enumerate(sheets, start=1) if LONG_NAME in s)
    assert "Print" not in text and "SOCIALIST" not in text
    assert f"Mã điểm danh của {LONG_NAME}" in mine
    assert "qua đường dẫn của đơn vị (mã QR cuối trang): http" in mine and "Mã gửi báo cáo của đơn vị" in mine
    assert ("Đề nghị Thường trực HĐND xã, phường gửi báo cáo tình hình hoạt động và các đề xuất, kiến nghị "
            "của địa phương trước ngày 15 tháng 6 năm 2024 để tổng hợp, trả lời tại Hội nghị, qua đường dẫn của đơn vị "
            "(mã QR cuối trang): http") in mine
    assert (f"/u/{link.token}. Thông tin liên hệ: Bà Trần Thị Ngọc Ánh, Phó Chánh Văn phòng HĐND và UBND thị xã, "
            "điện thoại 0914 062 739.") in mine
    assert not any("Đề nghị Thường trực HĐND" in s for s in sheets if "Lê Quang Thịnh – Bí thư" in s)
    if shutil.which("pdftoppm"):  # the long name's sheet as a picture, to look at
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number), "-singlefile",
                        str(pdf), str(SCREENSHOTS / f"invitation-long-name-{backend}")], check=True)
