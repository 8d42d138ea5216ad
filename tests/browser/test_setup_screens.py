"""The secretariat's setup screens and the delegate's pass, in a real Chromium.

Every test runs against the demo meeting of the 2024 plan, and leaves screenshots in
test-artifacts/screenshots/<name>-<backend>.png.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.models import AgendaItem, Invitee, Meeting, Role
from meetingday.services import agenda
from tests.browser.fixtures import PHONE, login
from tests.conftest import fresh, make_user

STAFF = "kiemthu"
MARKER = "window.__marker"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "meetingday" / "translations"


@pytest.fixture()
def meeting(demo_meeting):
    make_user(STAFF, Role.ADMIN)
    return demo_meeting


@pytest.fixture()
def staff_page(page, meeting):
    login(page, STAFF)
    return page


def set_marker(page) -> None:
    page.evaluate(f"{MARKER} = 'còn nguyên'")


def assert_no_reload(page) -> None:
    assert page.evaluate(MARKER) == "còn nguyên", "the page was reloaded instead of swapped"


def assert_fits_width(page) -> None:
    """Nothing makes the whole page scroll sideways (wide tables scroll inside their frame)."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide in a {widths[1]}px window"


# --- staff pages ----------------------------------------------------------------------------

def test_login_list_overview_and_form(page, meeting, shot):
    page.goto("/")  # not logged in: sent to the login page
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    assert_fits_width(page)
    shot(page, "login")

    page.fill("#username", STAFF)
    page.fill("#password", "sai-mat-khau")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#password + .error, .field .error").first).to_be_visible()
    expect(page.locator("#password")).to_have_class(re.compile("invalid"))

    login(page, STAFF)
    expect(page.locator("h1")).to_have_text("Hội nghị")
    expect(page.get_by_role("link", name=meeting.title)).to_be_visible()
    assert_fits_width(page)
    shot(page, "meeting-list")

    page.get_by_role("link", name=meeting.title).click()
    expect(page.locator("h1.page-title")).to_have_text(meeting.title)
    expect(page.locator(".agenda-summary li")).to_have_count(7)
    expect(page.get_by_text("80 người được mời")).to_be_visible()
    assert_fits_width(page)
    shot(page, "meeting-overview")

    page.get_by_role("link", name="Sửa thông tin").click()
    expect(page.locator("h1")).to_have_text("Sửa thông tin hội nghị")
    expect(page.locator("#title")).to_have_value(meeting.title)
    expect(page.locator("#start_date")).to_have_value("27/06/2024")
    expect(page.locator("#start_time")).to_have_value("07:30")
    assert_fits_width(page)
    shot(page, "meeting-form")


def test_meeting_details_saved_on_another_screen_meanwhile_are_shown_not_overwritten(staff_page, meeting, shot):
    from meetingday.services import meetings
    page = staff_page
    page.goto(f"/meetings/{meeting.id}/edit")
    expect(page.locator("#place")).to_have_value(meeting.place)
    meetings.update_meeting(meeting, {"place": "Hội trường Thị ủy Đức Phổ"}, revision=0, actor="test")
    page.fill("#signer_name", "Nguyễn Văn Thường")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".conflict")).to_contain_text("vừa được sửa trên máy khác")
    expect(page.locator("#place ~ .error")).to_have_text("Bản đã lưu: Hội trường Thị ủy Đức Phổ")
    expect(page.locator("#signer_name")).to_have_value("Nguyễn Văn Thường")  # what was typed stays
    assert fresh(Meeting, meeting.id).signer_name != "Nguyễn Văn Thường"
    shot(page, "meeting-form-conflict", full_page=False)
    page.fill("#place", "Hội trường Thị ủy Đức Phổ")  # keep the other screen's place
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".flash")).to_contain_text("Đã lưu thông tin hội nghị.")
    saved = fresh(Meeting, meeting.id)
    assert (saved.place, saved.signer_name) == ("Hội trường Thị ủy Đức Phổ", "Nguyễn Văn Thường")


def test_agenda_edit_move_delete_without_reload(staff_page, meeting, shot):
    page = staff_page
    items = list(meeting.items)
    second, third, pause = items[1], items[2], items[4]
    page.goto(f"/meetings/{meeting.id}/agenda/")
    rows = page.locator("#agenda tbody tr")
    expect(rows).to_have_count(7)
    assert_fits_width(page)
    shot(page, "agenda")
    set_marker(page)

    # Edit the second item in place.
    page.locator(f"#item-{second.id}").get_by_role("button", name="Sửa").click()
    title = page.locator("#edit-title")
    expect(title).to_have_value(second.title)
    expect(page.locator("#edit-planned_minutes")).to_have_value("10")
    assert_fits_width(page)
    shot(page, "agenda-editing")

    # A wrong number of minutes: a message in the row, nothing saved.
    page.fill("#edit-planned_minutes", "0")
    page.locator("#agenda tr.editing").get_by_role("button", name="Lưu").click()
    expect(page.locator("#agenda tr.editing .error")).to_have_text("Thời lượng dự kiến phải từ 1 đến 600 phút.")
    assert fresh(AgendaItem, second.id).planned_minutes == 10

    new_title = "Thường trực HĐND thị xã quán triệt nội dung Hội nghị"
    page.fill("#edit-title", new_title)
    page.fill("#edit-planned_minutes", "12")
    page.locator("#agenda tr.editing").get_by_role("button", name="Lưu").click()
    expect(page.locator(f"#item-{second.id} .item-title")).to_have_text(new_title)
    expect(page.locator(f"#item-{second.id} td.num")).to_have_text("12")
    expect(page.locator("#agenda tr.editing")).to_have_count(0)
    expect(page.locator("#agenda tfoot td.num")).to_have_text("182")
    assert_no_reload(page)
    saved = fresh(AgendaItem, second.id)
    assert (saved.title, saved.planned_minutes) == (new_title, 12)

    # Move the third item up: it becomes the second.
    page.locator(f"#item-{third.id}").get_by_role("button", name="Lên").click()
    expect(rows.nth(1)).to_have_id(f"item-{third.id}")
    expect(rows.nth(2)).to_have_id(f"item-{second.id}")
    assert_no_reload(page)
    assert fresh(AgendaItem, third.id).position == 2
    assert fresh(AgendaItem, second.id).position == 3

    # Delete the break, accepting the confirmation.
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.locator(f"#item-{pause.id}").get_by_role("button", name="Xóa").click()
    expect(page.locator(f"#item-{pause.id}")).to_have_count(0)
    expect(rows).to_have_count(6)
    assert dialogs and "Giải lao" in dialogs[0]
    assert_no_reload(page)
    assert fresh(AgendaItem, pause.id) is None
    positions = db.session.scalars(select(AgendaItem.position).where(AgendaItem.meeting_id == meeting.id)
                                   .order_by(AgendaItem.position)).all()
    assert positions == [1, 2, 3, 4, 5, 6]


def _row_names(page) -> list[str]:
    return page.locator("#invitee-table tbody tr .person-name").all_inner_texts()


def _invitee_count(meeting) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Invitee.id)).where(Invitee.meeting_id == meeting.id))


def test_invitees_search_add_and_invalid_phone(staff_page, meeting, shot):
    page = staff_page
    page.goto(f"/meetings/{meeting.id}/invitees/")
    rows = page.locator("#invitee-table tbody tr")
    expect(rows).to_have_count(80)
    assert_fits_width(page)
    shot(page, "invitees")
    set_marker(page)

    # Search without diacritics.
    page.fill("input.search", "nguyen van")
    expect(page.locator("#invitee-table")).to_contain_text("kết quả tìm “nguyen van”")
    names = _row_names(page)
    assert {"Nguyễn Văn Công", "Nguyễn Văn Hùng", "Nguyễn Văn Thanh", "Nguyễn Văn Lộc",
            "Nguyễn Văn Trung", "Nguyễn Văn Tường"} <= set(names)
    assert all("Nguyễn Văn" in row for row in rows.all_inner_texts()), names
    shot(page, "invitees-search", full_page=False)
    assert_no_reload(page)

    page.fill("input.search", "")
    expect(rows).to_have_count(80)

    # Add a person: the form empties and the person is in the table, without a reload.
    page.fill("#full_name", "Phạm Thị Thu Hà")
    page.select_option("#honorific", "Bà")
    page.fill("#position", "Chuyên viên Văn phòng HĐND và UBND thị xã")
    page.select_option("#organisation_id", label="Văn phòng HĐND và UBND")
    page.fill("#phone", "0905 123 456")
    page.locator("#invitee-form").get_by_role("button", name="Thêm").click()
    expect(page.locator("#invitee-table tbody")).to_contain_text("Phạm Thị Thu Hà")
    expect(rows).to_have_count(81)
    assert_no_reload(page)
    added = db.session.scalar(select(Invitee).where(Invitee.full_name == "Phạm Thị Thu Hà"))
    assert added is not None and added.phone == "0905123456" and added.honorific == "Bà"
    assert added.active_token is not None

    # An invalid phone number: the Vietnamese message under the field, nobody added.
    page.fill("#full_name", "Đỗ Văn Minh")
    page.select_option("#organisation_id", label="Xã Phổ An")
    page.fill("#phone", "12345")
    page.locator("#invitee-form").get_by_role("button", name="Thêm").click()
    phone_field = page.locator("#invitee-form .field").filter(has=page.locator("#phone"))
    expect(phone_field.locator(".error")).to_have_text("Số điện thoại không hợp lệ.")
    expect(page.locator("#phone")).to_have_class(re.compile("invalid"))
    expect(page.locator("#full_name")).to_have_value("Đỗ Văn Minh")  # what was typed is kept
    box_input, box_error = page.locator("#phone").bounding_box(), phone_field.locator(".error").bounding_box()
    assert box_error["y"] >= box_input["y"] + box_input["height"] - 1, "the message is not under the field"
    shot(page.locator("#invitee-form"), "invitees-phone-error")
    expect(rows).to_have_count(81)
    assert "Đỗ Văn Minh" not in _row_names(page)
    assert _invitee_count(meeting) == 81
    assert_no_reload(page)


def test_invitee_form_is_empty_after_adding(staff_page, meeting):
    page = staff_page
    page.goto(f"/meetings/{meeting.id}/invitees/")
    page.fill("#full_name", "Phạm Thị Thu Hà")
    page.fill("#phone", "0905123456")
    page.locator("#invitee-form").get_by_role("button", name="Thêm").click()
    expect(page.locator("#invitee-table tbody")).to_contain_text("Phạm Thị Thu Hà")
    expect(page.locator("#full_name")).to_have_value("", timeout=2000)
    expect(page.locator("#phone")).to_have_value("", timeout=2000)


def test_an_invitee_edited_on_another_screen_meanwhile_is_not_overwritten(staff_page, meeting, shot):
    from meetingday.services import invitees
    page = staff_page
    person = sorted(meeting.invitees, key=lambda p: p.id)[3]
    page.goto(f"/meetings/{meeting.id}/invitees/")
    page.locator(f"#invitee-{person.id}").get_by_role("button", name="Sửa").click()
    expect(page.locator("#full_name")).to_have_value(person.full_name)
    # Meanwhile another screen saves a new phone number for this person.
    invitees.update_invitee(person, full_name=person.full_name, honorific=person.honorific,
                            position=person.position, organisation=person.organisation, category=person.category,
                            phone="0905111222", revision=0, actor="test")
    page.fill("#position", "Phó Chủ tịch HĐND xã")
    page.locator("#invitee-form").get_by_role("button", name="Lưu").click()
    conflict = page.locator("#invitee-form .conflict")
    expect(conflict).to_contain_text("vừa được sửa trên máy khác")
    expect(conflict).to_contain_text("0905111222")
    expect(page.locator("#position")).to_have_value("Phó Chủ tịch HĐND xã")  # what was typed stays
    assert fresh(Invitee, person.id).position != "Phó Chủ tịch HĐND xã"
    page.evaluate("document.getElementById('invitee-form').scrollIntoView()")
    shot(page, "invitee-conflict", full_page=False)
    page.fill("#phone", "0905111222")  # keep the other screen's number
    page.locator("#invitee-form").get_by_role("button", name="Lưu").click()
    expect(page.locator(f"#invitee-{person.id}")).to_contain_text("Phó Chủ tịch HĐND xã")
    saved = fresh(Invitee, person.id)
    assert (saved.position, saved.phone, saved.revision) == ("Phó Chủ tịch HĐND xã", "0905111222", 2)


def test_agenda_edit_form_keeps_the_items_kind(staff_page, meeting):
    page = staff_page
    item = meeting.items[1]  # a report
    page.goto(f"/meetings/{meeting.id}/agenda/")
    page.locator(f"#item-{item.id}").get_by_role("button", name="Sửa").click()
    expect(page.locator("#edit-kind")).to_have_value("report", timeout=2000)
    page.fill("#edit-planned_minutes", "11")
    page.locator("#agenda tr.editing").get_by_role("button", name="Lưu").click()
    expect(page.locator(f"#item-{item.id} td.num")).to_have_text("11")
    assert fresh(AgendaItem, item.id).kind.value == "report"


def test_agenda_edited_on_another_laptop_meanwhile(staff_page, meeting, shot):
    """Two secretariat laptops on one programme: what the other saved is shown, never overwritten
    or deleted unseen; saving again overwrites knowingly."""
    page = staff_page
    first, item, third = meeting.items[:3]
    page.goto(f"/meetings/{meeting.id}/agenda/")
    page.locator(f"#item-{item.id}").get_by_role("button", name="Sửa").click()
    page.fill("#edit-title", "Báo cáo 6 tháng đầu năm (bản của tôi)")
    agenda.update_item(fresh(AgendaItem, item.id), "Báo cáo kết quả 6 tháng (bản máy khác)", item.kind, 35,
                       item.presenter, actor="test", seen=agenda.shown(item))
    page.locator("#agenda tr.editing").get_by_role("button", name="Lưu").click()
    conflict = page.locator("#agenda tr.editing .conflict")
    expect(conflict).to_contain_text("đã được sửa trên máy khác")
    expect(conflict).to_contain_text("Báo cáo kết quả 6 tháng (bản máy khác)")
    expect(conflict).to_contain_text("35 phút")
    expect(page.locator("#edit-title")).to_have_value("Báo cáo 6 tháng đầu năm (bản của tôi)")
    assert fresh(AgendaItem, item.id).title == "Báo cáo kết quả 6 tháng (bản máy khác)"
    shot(page, "agenda-edited-meanwhile", full_page=False)
    page.locator("#agenda tr.editing").get_by_role("button", name="Lưu").click()  # knowingly
    expect(page.locator(f"#item-{item.id} .item-title")).to_have_text("Báo cáo 6 tháng đầu năm (bản của tôi)")
    assert fresh(AgendaItem, item.id).title == "Báo cáo 6 tháng đầu năm (bản của tôi)"

    # The other laptop moves the third item up; this one, still showing the old order, moves it too.
    agenda.move_item(fresh(AgendaItem, third.id), -1, actor="test", swap_with=item.id)
    page.locator(f"#item-{third.id}").get_by_role("button", name="Lên").click()
    expect(page.locator("#agenda .flash-error")).to_contain_text("Chương trình vừa được thay đổi trên máy khác")
    rows = page.locator("#agenda tbody tr")
    expect(rows.nth(1)).to_have_id(f"item-{third.id}")  # the programme as it is now
    assert fresh(AgendaItem, third.id).position == 2 and fresh(AgendaItem, first.id).position == 1


def test_agenda_add_form_stays_empty_after_editing_an_item(staff_page, meeting):
    page = staff_page
    item = meeting.items[0]
    page.goto(f"/meetings/{meeting.id}/agenda/")
    page.locator(f"#item-{item.id}").get_by_role("button", name="Sửa").click()
    page.fill("#edit-title", "Khai mạc")
    page.locator("#agenda tr.editing").get_by_role("button", name="Lưu").click()
    expect(page.locator(f"#item-{item.id} .item-title")).to_have_text("Khai mạc")
    expect(page.locator("#title")).to_have_value("", timeout=2000)


def test_import_preview_shows_row_errors_and_writes_nothing(staff_page, meeting, shot):
    page = staff_page
    page.goto(f"/meetings/{meeting.id}/import/")
    csv_text = ("Họ và tên,Danh xưng,Chức vụ,Đơn vị,Loại,Điện thoại\n"
                "Trương Thị Mai,Bà,Đại biểu HĐND phường Phổ Văn,Phường Phổ Văn,Đại biểu,0912 345 678\n"
                "Hồ Văn Nam,Ông,Đại biểu HĐND xã Phổ An,Xã Phổ An,Đại biểu,12345\n"
                ",Ông,Cán bộ,Xã Phổ An,Đại biểu,\n"
                "Lý Thị Hoa,Cô,Khách mời,Hợp tác xã Phổ Châu,Khách quý,\n")
    page.set_input_files("#file", files=[{"name": "danh-sach-loi.csv", "mimeType": "text/csv",
                                          "buffer": csv_text.encode("utf-8")}])
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("#import-preview")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("1 dòng hợp lệ, 3 dòng lỗi.")
    expect(preview.locator("tr.row-error")).to_have_count(3)
    expect(preview.locator("tr.row-ok")).to_have_count(1)
    expect(preview).to_contain_text("Số điện thoại không hợp lệ.")
    expect(preview).to_contain_text("Vui lòng nhập họ và tên.")
    expect(preview).to_contain_text("Danh xưng “Cô” không hợp lệ")
    expect(preview.get_by_role("button", name="Chỉ nhập 1 dòng hợp lệ")).to_be_visible()
    assert_fits_width(page)
    shot(page, "import-preview")
    assert _invitee_count(meeting) == 80


# --- invitations ----------------------------------------------------------------------------

def test_invitations_one_a4_page_each_with_inline_qr(staff_page, meeting, shot):
    page = staff_page
    people = [p for p in meeting.invitees if p.active_token]
    page.goto(f"/meetings/{meeting.id}/invitations")
    sheets = page.locator("section.invitation")
    expect(sheets).to_have_count(len(people))
    expect(page.locator("section.invitation figure.qr svg")).to_have_count(len(people))  # and some a unit QR
    for person in people[:3]:
        sheet = page.locator(f"#invitation-{person.id}")
        expect(sheet.locator(".addressee")).to_contain_text(person.full_name)
    shot(page, "invitations", full_page=False)

    first = sheets.first
    expect(first.locator(".doc-title")).to_have_text("GIẤY MỜI")
    expect(first.locator(".motto")).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(first.locator(".motto")).to_contain_text("Độc lập - Tự do - Hạnh phúc")
    expect(first.locator(".place-date")).to_have_text("Đức Phổ, ngày 20 tháng 6 năm 2024")
    assert first.locator(".place-date").evaluate("e => getComputedStyle(e).fontStyle") == "italic"
    _check_document_layout(first)
    page.locator(".screen-bar").evaluate("e => { e.style.position = 'static'; }")  # not over the sheet in the picture
    shot(first, "invitation-sheet")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 624, "height": 800})  # A4 less the 30 + 15 mm margins, at 96 dpi
    _check_document_layout(first)
    shot(first, "invitation-print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert pages == len(people), f"{pages} PDF pages for {len(people)} invitations"


def _check_document_layout(sheet) -> None:
    """Nghị định 30/2020 layout: issuer top-left, quốc hiệu top-right, centred title,
    signature bottom-right, QR bottom-left."""
    box = sheet.bounding_box()
    issuer = sheet.locator(".issuer").bounding_box()
    motto = sheet.locator(".motto").bounding_box()
    title = sheet.locator(".doc-title").bounding_box()
    signature = sheet.locator(".signature").bounding_box()
    qr = sheet.locator(".qr svg").bounding_box()
    body = sheet.locator(".body").bounding_box()
    assert issuer["x"] < motto["x"] and abs(issuer["y"] - motto["y"]) < 5
    assert title["y"] > issuer["y"] + issuer["height"] - 1
    title_text = sheet.locator(".doc-title").evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect();"
        " return {x: b.x, width: b.width}; }")
    content_centre = body["x"] + body["width"] / 2
    assert abs(title_text["x"] + title_text["width"] / 2 - content_centre) < 4, "GIẤY MỜI is not centred"
    assert signature["x"] + signature["width"] / 2 > box["x"] + box["width"] / 2, "signature is not on the right"
    assert qr["x"] + qr["width"] < signature["x"] + 1 and qr["y"] > body["y"] + body["height"] - 1
    assert qr["width"] >= 90, "the QR code is too small to scan from paper"
    motto_text = sheet.locator(".motto-line").evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().width; }")
    rule = sheet.locator(".motto .rule").bounding_box()
    assert 0.3 * motto_text <= rule["width"] <= motto_text + 2, "the rule under the tiêu ngữ is not short"


# --- the delegate's pass --------------------------------------------------------------------

def test_pass_on_a_phone_and_unknown_token(new_page, meeting, shot):
    phone = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    person = next(p for p in meeting.invitees if p.full_name == "Nguyễn Văn Lộc")
    response = phone.goto(f"/d/{person.active_token.token}")
    assert response.status == 200
    name = phone.locator(".pass-name")
    expect(name).to_be_visible()
    expect(name).to_contain_text("Nguyễn Văn Lộc")
    size = float(name.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))
    assert size >= 28, f"the name is {size}px: too small for an older delegate"
    box = name.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    qr = phone.get_by_role("img", name="Mã QR của thẻ")
    expect(qr).to_be_visible()
    qr_box = qr.bounding_box()
    assert qr_box["width"] >= 200, "the QR code is too small to scan from the phone's screen"
    assert qr_box["y"] + qr_box["height"] <= PHONE["height"], "the QR code is not on the first screen"
    assert_fits_width(phone)
    shot(phone, "pass-phone")

    response = phone.goto("/d/khong-phai-ma-that-0123456789")
    assert response.status == 404
    expect(phone.get_by_text("Mã này không phải thẻ đại biểu của hội nghị.")).to_be_visible()
    assert_fits_width(phone)
    shot(phone, "404-phone")


def test_unknown_page_for_staff_on_laptop(staff_page, shot):
    response = staff_page.goto("/khong-co-trang-nay")
    assert response.status == 404
    expect(staff_page.get_by_text("Không tìm thấy trang này.")).to_be_visible()
    expect(staff_page.get_by_role("link", name="Về trang hội nghị")).to_be_visible()
    shot(staff_page, "404")


# --- language -------------------------------------------------------------------------------

def _english(msgid: str) -> str | None:
    po = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return None
    from babel.messages.pofile import read_po
    with po.open("rb") as f:
        message = read_po(f).get(msgid)
    return message.string if message and message.string else None


def test_language_switch(page, meeting, shot):
    page.goto("/login")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="English")).to_have_class(re.compile("active"))
    shot(page, "login-en")
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("main form button[type=submit]")).to_have_text("Đăng nhập")

    english = _english("Đăng nhập")
    assert english, "the English catalogue has no translation of “Đăng nhập”"
    page.get_by_role("link", name="English").click()
    expect(page.locator("main form button[type=submit]")).to_have_text(english)
    expect(page.locator("h1")).to_have_text(english)


def test_invitee_table_keeps_the_search_after_adding(staff_page, meeting):
    page = staff_page
    page.goto(f"/meetings/{meeting.id}/invitees/")
    page.fill("input[name=q]", "pho an")
    expect(page.locator("#invitee-table p.muted").first).to_contain_text("pho an")
    page.fill("#full_name", "Lê Văn Tuấn Phổ An")
    page.locator("#invitee-form").get_by_role("button", name="Thêm").click()
    expect(page.locator("#full_name")).to_have_value("", timeout=2000)
    # the table that came back with the answer is still the filtered one
    expect(page.locator("#invitee-table p.muted").first).to_contain_text("pho an")
    from meetingday.services import invitees
    db.session.expire_all()
    wanted = [p.full_name for p in invitees.search(meeting, "pho an")]
    assert "Lê Văn Tuấn Phổ An" in wanted and 1 < len(wanted) < 20
    assert _row_names(page) == wanted  # filtered, with the new person, not the whole list


def test_organisations_screen(staff_page, shot):
    from meetingday.models import Organisation, OrgKind

    page = staff_page
    page.goto("/organisations/")
    expect(page.locator("#organisations tbody")).to_contain_text("Phường Phổ Hòa")
    set_marker(page)
    page.fill("#name", "HĐND phường Trần Phú")
    page.fill("#short_name", "Phường Trần Phú")
    page.select_option("#kind", "ward")
    page.get_by_role("button", name="Thêm đơn vị").click()
    expect(page.locator("#organisations tbody")).to_contain_text("HĐND phường Trần Phú")
    expect(page.locator("#name")).to_have_value("")
    db.session.expire_all()
    org = db.session.query(Organisation).filter_by(name="HĐND phường Trần Phú").one()
    assert org.kind == OrgKind.WARD and org.group.key == "ward"

    page.locator(f"#org-{org.id}").get_by_role("button", name="Sửa").click()
    page.fill("#edit-short_name", "P. Trần Phú")
    page.locator("#organisations tr.editing").get_by_role("button", name="Lưu").click()
    expect(page.locator(f"#org-{org.id}")).to_contain_text("P. Trần Phú")
    assert fresh(Organisation, org.id).short_name == "P. Trần Phú"
    assert_no_reload(page)
    assert_fits_width(page)
    shot(page, "organisations")


def test_a_lost_connection_is_said_in_the_page(staff_page, meeting):
    page = staff_page
    page.goto(f"/meetings/{meeting.id}/invitees/")
    page.route("**/invitees/*/edit", lambda route: route.abort("connectionfailed"))
    page.locator("#invitee-table tbody tr").first.get_by_role("button", name="Sửa").click()
    expect(page.locator("#flash .flash-error")).to_have_text(
        "Mất kết nối tới máy chủ, thao tác chưa được gửi. Kiểm tra mạng rồi thử lại.")
    page.unroute("**/invitees/*/edit")
    page.locator("#invitee-table tbody tr").first.get_by_role("button", name="Sửa").click()
    expect(page.locator("#invitee-form h2")).to_contain_text("Sửa thông tin")
    expect(page.locator("#flash .flash-error")).to_have_count(0)  # the next action clears it
