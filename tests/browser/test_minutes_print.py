"""The minutes' print view in Chromium: the meeting that ran (tests/test_documents.py) shown as an
A4 document with every remark, the DỰ THẢO mark while the minutes are not finalized, the "In"
button on screen and not on paper; and printed to PDF by Chromium itself (A4, the text there,
page numbers from page 2)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from meetingday.services import demo
from meetingday.services import minutes as minutes_service
from tests.browser.fixtures import login
from tests.test_documents import run_meeting


@pytest.fixture()
def ran(demo_meeting):
    return run_meeting(demo_meeting)


def test_print_view_shows_the_minutes(page, ran, shot):
    login(page, "thuky", demo.DEMO_PASSWORD)
    page.goto(f"/meetings/{ran.meeting_id}/minutes/print")
    paper = page.locator("#paper-minutes")
    expect(paper.locator(".doc-title")).to_contain_text("BIÊN BẢN")
    expect(paper.locator(".doc-title")).to_contain_text("Hội nghị trực báo giữa năm 2024")
    for name, note in ran.notes.items():
        expect(paper).to_contain_text(note.split("\n")[0])
        expect(paper).to_contain_text(name)
    expect(paper).to_contain_text(f"{ran.silent}, Chủ tịch HĐND phường Phổ Ninh (8 giờ 45 phút): (không ghi nội dung)")
    expect(paper).to_contain_text("có mặt 78/80")
    expect(paper.locator("#draft-mark")).to_have_text("DỰ THẢO")
    expect(page.locator("#print-button")).to_be_visible()
    expect(paper.locator(".sign-title")).to_have_text(["THƯ KÝ", "CHỦ TRÌ"])
    # One A4 sheet wide on screen, the remarks in the order the floor was given.
    width = paper.evaluate("el => el.getBoundingClientRect().width")
    assert abs(width - 210 * 96 / 25.4) < 2
    text = paper.inner_text()
    text = text[text.index("II. NỘI DUNG HỘI NGHỊ"):]
    order = [text.index(name) for name in ("Hồ Văn Mười", "Trần Văn Hiệp", "Đỗ Quốc Việt", "Trương Văn Nam",
                                           "Lê Tấn Hòa", "Bùi Văn Khải")]
    assert order == sorted(order)
    shot(page, "minutes-print")
    page.emulate_media(media="print")
    expect(page.locator("#print-button")).to_be_hidden()
    expect(page.locator("#print-bar")).to_be_hidden()
    shot(page, "minutes-print-media")


def test_printed_to_pdf_by_chromium(page, ran, tmp_path):
    minutes_service.finalize(ran.meeting_id, actor="test")
    login(page, "thuky", demo.DEMO_PASSWORD)
    page.goto(f"/meetings/{ran.meeting_id}/minutes/print")
    expect(page.locator("#draft-mark")).to_have_count(0)
    pdf = tmp_path / "bien-ban.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) are not installed")  # the .docx tests require them
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Tải tệp Word" not in text and "Văn bản luôn bằng tiếng Việt" not in text  # no screen bar
    assert "BIÊN BẢN" in text and "DỰ THẢO" not in text
    for note in ran.notes.values():
        assert note.split("\n")[0][:40] in " ".join(text.split())
    second = text.split("\f")[1]
    assert second.strip().splitlines()[0].strip() == "2"  # the page number, from page 2
    flat = " ".join(text.split())
    assert "Biên bản đã được đọc lại cho Hội nghị nghe và nhất trí thông qua./." in flat
    assert "Nơi nhận: - Thường trực HĐND thị xã; - Lưu: VT, hồ sơ hội nghị." in flat
    annex = next(page_text for page_text in text.split("\f") if "PHỤ LỤC" in page_text)
    assert "PHỤ LỤC" in [line for line in annex.splitlines() if line.strip()][1]  # a page of its own
    assert "Nơi nhận" not in annex and "Tổng cộng" in annex
    assert re.search(r"Tổng cộng\s+80\s+78\s+1\s+1", annex)


def test_chair_reads_it_and_english_chrome_keeps_vietnamese_text(page, ran):
    login(page, "chutri", demo.DEMO_PASSWORD)  # the demo's chair
    page.goto(f"/meetings/{ran.meeting_id}/minutes/print?lang=en")
    expect(page.locator("#print-button")).to_have_text("Print")
    expect(page.locator("#paper-minutes")).to_contain_text("THÀNH PHẦN")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#paper-minutes")).to_have_attribute("lang", "vi")
