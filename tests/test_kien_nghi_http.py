"""The kiến nghị screen over HTTP and Socket.IO: who may open and change it, CSRF, the messages of
a refused action (400, 404, 409, 422 next to the field), the import's preview and confirm with a
real .xlsx and a .csv, the sample file, and the pushes that keep a second screen (and the
commune's phones, and the speaker list) in step."""
from __future__ import annotations

import csv
import html as htmlmod
import io
import re
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.models import (
    AuditEntry,
    KienNghi,
    KienNghiStatus,
    Meeting,
    Organisation,
    Role,
    SpeakerRequest,
)
from meetingday.services import kien_nghi as kn
from meetingday.services import speaker_queue, speakers

from .conftest import connect, csrf_token, fresh, login, make_user, received
from .speakerhall import commune_delegates, open_discussion

HX = {"HX-Request": "true"}
FORBIDDEN = "Tài khoản này không có quyền thực hiện việc này."
CSRF_MESSAGE = "Phiên làm việc đã hết hạn hoặc thiếu mã bảo mật. Vui lòng tải lại trang rồi thử lại."
CONTENT = "Đề nghị tổ chức tập huấn kỹ năng chất vấn cho đại biểu HĐND xã."


def org(key: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.key == key))


def count_kn(meeting_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(KienNghi).where(KienNghi.meeting_id == meeting_id))


def text(html: str) -> str:
    """The text of an HTML answer, entities decoded, white space joined."""
    return re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", " ", html)))


class Staff:
    """A signed-in staff member's laptop on the kiến nghị screen."""

    def __init__(self, app, username: str, role: Role, meeting_id: int):
        make_user(username, role)
        self.app, self.meeting_id = app, meeting_id
        self.http = app.test_client()
        login(self.http, username)
        self.csrf = csrf_token(self.http, "/")
        self.base = f"/meetings/{meeting_id}/kien-nghi"

    def get(self, path: str = "", **params):
        return self.http.get(self.base + path, query_string=params, headers=HX)

    def post(self, path: str = "", csrf: bool = True, **data):
        headers = {**HX, "X-CSRFToken": self.csrf} if csrf else HX
        return self.http.post(self.base + path, data=data, headers=headers)

    def upload(self, filename: str, data: bytes):
        return self.http.post(self.base + "/import", data={"file": (io.BytesIO(data), filename)},
                              headers={**HX, "X-CSRFToken": self.csrf}, content_type="multipart/form-data")

    def socket(self):
        return connect(self.app, {"meeting": self.meeting_id, "locale": "vi"}, self.http)


@pytest.fixture()
def hall(app, demo_meeting):
    """The demo meeting under way at its discussion item; two commune delegates and the head of Ban
    Pháp chế present; a kiến nghị of the first delegate's commune given to Ban Pháp chế."""
    people = commune_delegates(demo_meeting, 2)
    ban_head = next(p for p in demo_meeting.invitees if p.organisation and p.organisation.key == "ban_phap_che")
    item = open_discussion(demo_meeting, people + [ban_head])
    row = kn.add(demo_meeting.id, people[0].organisation_id, CONTENT, org("ban_phap_che").id, actor="test")
    return {"meeting_id": demo_meeting.id, "item_id": item.id, "people": people, "ban": ban_head, "kn": row.id}


@pytest.fixture()
def secretary(app, hall):
    return Staff(app, "thuky_kn", Role.SECRETARY, hall["meeting_id"])


def give_floor(hall, person, kien_nghi_id=None) -> int:
    request = speakers.add_speaker(hall["meeting_id"], hall["item_id"], person.id, kien_nghi_id=kien_nghi_id,
                                   actor="test")
    current = speaker_queue.current_speaker(fresh(Meeting, hall["meeting_id"]))
    speakers.give_floor(hall["meeting_id"], request.id, current.id if current else "", actor="test")
    return request.id


def seen(hall) -> str:
    return kn.state_token(fresh(KienNghi, hall["kn"]))


# --------------------------------------------------------------------------- who may do what

def test_the_secretary_sees_the_screen_with_every_kien_nghi_and_its_tools(secretary, hall):
    page = secretary.http.get(secretary.base)
    assert page.status_code == 200
    html = page.text
    assert "Kiến nghị của các xã, phường" in html and 'id="kn-list"' in html and 'id="kn-summary"' in html
    assert html.count('class="kn-row ') == 9  # the demo's 8 and this one
    assert 'id="kn-add-form"' in html and 'id="kn-import"' in html and "kn-readonly" not in html
    assert f'data-live-meeting="{hall["meeting_id"]}"' in html
    assert text(html).count("Trả lời tại hội nghị") == 9
    # Each row carries what the browser filters on: status, commune, Ban, folded text.
    row = re.search(rf'<li class="kn-row is-pending" id="kn-{hall["kn"]}"[^>]*>', html).group(0)
    person_org = hall["people"][0].organisation_id
    assert f'data-org="{person_org}"' in row and f'data-ban="{org("ban_phap_che").id}"' in row
    assert 'data-search="' in row and "tap huan ky nang chat van" in row


def test_the_chair_may_look_but_not_change(app, hall):
    chair = Staff(app, "chutri_kn", Role.CHAIR, hall["meeting_id"])
    page = chair.http.get(chair.base)
    assert page.status_code == 200 and "kn-readonly" in page.text and "Chỉ xem" in page.text
    assert 'id="kn-add-form"' not in page.text and 'id="kn-import"' not in page.text
    assert chair.get("/list").status_code == 200 and chair.get("/summary").status_code == 200
    for path, data in ((f"/{hall['kn']}/answer", {"answer": "Trả lời."}), (f"/{hall['kn']}/withdraw", {}),
                       ("", {"organisation_id": "1", "content": CONTENT})):
        response = chair.post(path, **data)
        assert response.status_code == 403 and FORBIDDEN in response.text
    assert chair.get(f"/{hall['kn']}/answer").status_code == 403
    assert fresh(KienNghi, hall["kn"]).status == KienNghiStatus.PENDING


def test_door_staff_and_strangers_are_kept_out(app, client, hall):
    door = Staff(app, "letan_kn", Role.DOOR, hall["meeting_id"])
    assert door.http.get(door.base).status_code == 403
    assert door.post(f"/{hall['kn']}/withdraw").status_code == 403
    anonymous = client.get(f"/meetings/{hall['meeting_id']}/kien-nghi")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client.get(f"/meetings/{hall['meeting_id']}/kien-nghi/list", headers=HX).status_code == 401


def test_the_secretariat_may_do_everything(app, hall):
    admin = Staff(app, "vanphong_kn", Role.ADMIN, hall["meeting_id"])
    assert admin.post(f"/{hall['kn']}/written-later", seen=seen(hall)).status_code == 200
    assert fresh(KienNghi, hall["kn"]).status == KienNghiStatus.WRITTEN_LATER


def test_a_change_without_the_csrf_token_is_refused_and_changes_nothing(secretary, hall):
    response = secretary.post(f"/{hall['kn']}/withdraw", csrf=False)
    assert response.status_code == 400 and CSRF_MESSAGE in response.text
    response = secretary.post("", csrf=False, organisation_id=hall["people"][0].organisation_id, content=CONTENT + "!")
    assert response.status_code == 400
    assert fresh(KienNghi, hall["kn"]).status == KienNghiStatus.PENDING and count_kn(hall["meeting_id"]) == 9


# --------------------------------------------------------------------------- add, edit, delete

def test_adding_answers_with_a_fresh_form_and_the_new_list(secretary, hall):
    commune = hall["people"][1].organisation_id
    response = secretary.post("", organisation_id=commune, content="  Đề nghị   sửa chữa trụ sở HĐND xã. ",
                              assigned_org_id=org("ban_kinh_te_xa_hoi").id)
    assert response.status_code == 200, response.text[:400]
    html = response.text
    assert '<form id="kn-add-form"' in html and "sửa chữa trụ sở" not in html.split('id="kn-list"')[0]
    # The commune and the Ban stay chosen for the next one.
    form = html.split('id="kn-list"')[0]
    assert f'<option value="{commune}" selected>' in form
    assert 'id="kn-list"' in html and 'hx-swap-oob="true"' in html and "Đề nghị sửa chữa trụ sở HĐND xã." in html
    assert "Đã thêm kiến nghị của" in text(html)
    assert count_kn(hall["meeting_id"]) == 10


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(secretary, hall):
    response = secretary.post("", organisation_id=hall["people"][1].organisation_id, content="   ")
    assert response.status_code == 422
    assert '<form id="kn-add-form"' in response.text and "Hãy ghi nội dung kiến nghị." in response.text
    assert 'id="kn-add-content" name="content" rows="3" class="invalid"' in response.text
    response = secretary.post("", organisation_id=org("ubnd").id, content=CONTENT + " Hai.")
    assert response.status_code == 422 and "Hãy chọn xã, phường có kiến nghị." in response.text
    assert CONTENT + " Hai." in response.text  # what was typed stays
    response = secretary.post("", organisation_id=hall["people"][1].organisation_id, content=CONTENT,
                              assigned_org_id=hall["people"][1].organisation_id)
    assert response.status_code == 422 and "Hãy chọn một Ban hoặc cơ quan cấp thị xã để trả lời." in response.text
    assert count_kn(hall["meeting_id"]) == 9


def test_edit_form_saves_and_closes_and_a_stale_form_is_refused(secretary, hall):
    form = secretary.get(f"/{hall['kn']}/edit")
    assert form.status_code == 200 and "Sửa kiến nghị" in form.text and CONTENT in form.text
    token = re.search(r'name="seen" value="(\d+)"', form.text).group(1)
    commune = hall["people"][0].organisation_id
    response = secretary.post(f"/{hall['kn']}", organisation_id=commune, content="Nội dung mới.", assigned_org_id="",
                              seen=token)
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<section id=\"kn-list\"")  # nothing but the regions: the box empties
    assert fresh(KienNghi, hall["kn"]).content == "Nội dung mới." and fresh(KienNghi, hall["kn"]).assigned_org_id is None
    # The same form sent again (another screen's edit was not seen): refused, the screen reloads.
    response = secretary.post(f"/{hall['kn']}", organisation_id=commune, content="Bản cũ.", seen=token)
    assert response.status_code == 409 and response.headers["HX-Trigger"] == "live-reload"
    assert response.headers["HX-Retarget"] == "#flash"
    assert "vừa được thay đổi trên màn hình khác" in response.text
    response = secretary.post(f"/{hall['kn']}", organisation_id=commune, content="")
    assert response.status_code == 422 and "Hãy ghi nội dung kiến nghị." in response.text and "Sửa kiến nghị" in response.text


def test_unknown_kien_nghi_and_meeting_are_404(secretary, hall):
    response = secretary.post("/999999/withdraw")
    assert response.status_code == 404 and "Không tìm thấy kiến nghị này." in response.text
    assert secretary.get("/999999/answer").status_code == 404
    response = secretary.http.get("/meetings/999999/kien-nghi", headers=HX)
    assert response.status_code == 404 and "Không tìm thấy hội nghị." in response.text


@pytest.mark.parametrize("method, path", [
    ("GET", "/999999/edit"), ("GET", "/999999/answer"), ("POST", "/999999"), ("POST", "/999999/assign"),
    ("POST", "/999999/answer"), ("POST", "/999999/written-later"), ("POST", "/999999/withdraw"),
    ("POST", "/999999/reset"), ("POST", "/999999/delete")])
def test_every_action_on_an_unknown_kien_nghi_is_404_even_with_an_empty_form(secretary, hall, method, path):
    version = fresh(Meeting, hall["meeting_id"]).desk_version
    response = secretary.get(path) if method == "GET" else secretary.post(path)
    assert response.status_code == 404 and "Không tìm thấy kiến nghị này." in response.text
    assert fresh(Meeting, hall["meeting_id"]).desk_version == version and count_kn(hall["meeting_id"]) == 9


def test_delete_of_what_was_spoken_to_is_409_with_its_message(secretary, hall):
    give_floor(hall, hall["people"][0], hall["kn"])
    response = secretary.post(f"/{hall['kn']}/delete")
    assert response.status_code == 409 and "nên không xóa được" in response.text
    assert fresh(KienNghi, hall["kn"]) is not None
    other = kn.add(hall["meeting_id"], hall["people"][1].organisation_id, "Nhập nhầm.")
    assert secretary.post(f"/{other.id}/delete", seen=kn.edit_token(other)).status_code == 200
    assert fresh(KienNghi, other.id) is None


def test_the_ban_select_gives_the_kien_nghi_to_another_body(secretary, hall):
    shown = fresh(KienNghi, hall["kn"]).assigned_org_id or ""
    response = secretary.post(f"/{hall['kn']}/assign", assigned_org_id=org("ban_kinh_te_xa_hoi").id,
                              seen_assigned=shown)
    assert response.status_code == 200 and fresh(KienNghi, hall["kn"]).assigned_org.key == "ban_kinh_te_xa_hoi"
    response = secretary.post(f"/{hall['kn']}/assign", assigned_org_id=hall["people"][0].organisation_id)
    assert response.status_code == 400 and "Hãy chọn một Ban" in response.text  # no field here: the flash


def test_the_ban_select_does_not_replace_a_ban_chosen_meanwhile_unseen(secretary, hall):
    ktxh, phap_che = org("ban_kinh_te_xa_hoi").id, org("ban_phap_che").id
    kn.assign(hall["meeting_id"], hall["kn"], "", actor="test")
    assert '"seen_assigned": ""' in secretary.get("/list").text  # what the row's dropdown shows
    kn.assign(hall["meeting_id"], hall["kn"], ktxh, seen="", actor="other desk")  # another screen, first
    assert f'"seen_assigned": {ktxh}' in secretary.get("/list").text
    # This screen's dropdown still showed "— Chưa giao —" when Ban Pháp chế was picked.
    response = secretary.post(f"/{hall['kn']}/assign", assigned_org_id=phap_che, seen_assigned="")
    assert response.status_code == 409 and "vừa được thay đổi trên màn hình khác" in response.text
    assert response.headers["HX-Trigger"] == "live-reload"
    assert fresh(KienNghi, hall["kn"]).assigned_org_id == ktxh
    # Both chose the same Ban: nothing to refuse.
    assert secretary.post(f"/{hall['kn']}/assign", assigned_org_id=ktxh, seen_assigned="").status_code == 200
    # Having seen it, the change goes through; so does giving it to none.
    assert secretary.post(f"/{hall['kn']}/assign", assigned_org_id=phap_che, seen_assigned=ktxh).status_code == 200
    assert secretary.post(f"/{hall['kn']}/assign", assigned_org_id="", seen_assigned=phap_che).status_code == 200
    assert fresh(KienNghi, hall["kn"]).assigned_org_id is None


# --------------------------------------------------------------------------- answers and states

def test_answer_form_offers_the_remarks_and_saving_closes_it(secretary, hall):
    plain = give_floor(hall, hall["people"][1])
    by_ban = give_floor(hall, hall["ban"])
    about = give_floor(hall, hall["people"][0], hall["kn"])
    form = secretary.get(f"/{hall['kn']}/answer")
    assert form.status_code == 200
    html = form.text
    groups = [m.group(1) for m in re.finditer(r'<optgroup label="([^"]+)"', html)]
    assert groups == ["Đăng ký phát biểu về kiến nghị này", "Người của Ban Pháp chế", "Các phần phát biểu khác"]
    assert html.index(f'value="{about}"') < html.index(f'value="{by_ban}"') < html.index(f'value="{plain}"')
    assert re.search(rf'<option value="{about}" selected>', html)  # the remark about it is chosen already
    token = re.search(r'name="seen" value="([^"]+)"', html).group(1)

    response = secretary.post(f"/{hall['kn']}/answer", answer="Ban sẽ phối hợp tổ chức tập huấn trong quý III.",
                              answered_by="", speaker_request_id=by_ban, seen=token)
    assert response.status_code == 200
    row = fresh(KienNghi, hall["kn"])
    assert row.status == KienNghiStatus.ANSWERED and row.speaker_request_id == by_ban
    assert row.answered_by == f"{hall['ban'].full_name}, {hall['ban'].position}"
    listed = text(response.text)
    assert "Ban sẽ phối hợp tổ chức tập huấn trong quý III." in listed and "Đã trả lời tại hội nghị" in listed
    assert "Sửa câu trả lời" in listed


def test_a_bad_answer_keeps_the_form_with_the_message_under_the_field(secretary, hall):
    waiting = speakers.add_speaker(hall["meeting_id"], hall["item_id"], hall["people"][1].id, actor="test")
    response = secretary.post(f"/{hall['kn']}/answer", answer="", answered_by="Ông A", seen=seen(hall))
    assert response.status_code == 422 and "Hãy ghi nội dung trả lời." in response.text
    assert 'name="answered_by" value="Ông A"' in response.text
    response = secretary.post(f"/{hall['kn']}/answer", answer="Trả lời.", speaker_request_id=waiting.id, seen=seen(hall))
    assert response.status_code == 422
    assert "Phần phát biểu đã chọn không thuộc hội nghị này hoặc chưa được phát biểu." in response.text
    assert fresh(KienNghi, hall["kn"]).status == KienNghiStatus.PENDING


def test_a_doubled_tap_is_refused_with_409_and_the_screen_reloads(secretary, hall):
    token = seen(hall)
    assert secretary.post(f"/{hall['kn']}/withdraw", seen=token).status_code == 200
    response = secretary.post(f"/{hall['kn']}/withdraw", seen=token)
    assert response.status_code == 409 and response.headers["HX-Trigger"] == "live-reload"
    assert "Kiến nghị này đang ở trạng thái “Đã rút”." in text(response.text)
    response = secretary.get(f"/{hall['kn']}/answer")
    assert response.status_code == 409
    # Set back, then marked for a written answer; a reset that saw "withdrawn" is stale.
    assert secretary.post(f"/{hall['kn']}/reset", seen=seen(hall)).status_code == 200
    assert secretary.post(f"/{hall['kn']}/written-later", seen=seen(hall)).status_code == 200
    response = secretary.post(f"/{hall['kn']}/reset", seen=token.replace("pending", "withdrawn"))
    assert response.status_code == 409 and fresh(KienNghi, hall["kn"]).status == KienNghiStatus.WRITTEN_LATER
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "kien_nghi",
                                                                 AuditEntry.entity_id == hall["kn"])
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["kien_nghi.add", "kien_nghi.withdraw", "kien_nghi.reset", "kien_nghi.write_later"]


def test_nothing_changes_once_the_minutes_are_final(secretary, hall):
    from meetingday.services import flow, minutes
    flow.end_meeting(hall["meeting_id"], fresh(Meeting, hall["meeting_id"]).version, "test")
    minutes.finalize(hall["meeting_id"], actor="test")
    response = secretary.post(f"/{hall['kn']}/answer", answer="Trả lời.", answered_by="Ông A")
    assert response.status_code == 409 and "Biên bản đã được chốt" in response.text
    assert fresh(KienNghi, hall["kn"]).status == KienNghiStatus.PENDING
    html = secretary.http.get(secretary.base).text  # the screen is read-only, and says why
    assert "kn-readonly" in html and 'id="kn-add-form"' not in html and "Biên bản đã chốt" in html


# --------------------------------------------------------------------------- import

def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_xlsx_is_previewed_then_imported(secretary, hall):
    data = xlsx([["Kiến nghị gửi Hội nghị trực báo giữa năm 2024"], ["Đơn vị", "Nội dung", "Ban"],
                 ["Phổ Khánh", "Đề nghị bổ sung biên chế công chức văn phòng HĐND xã.", "Pháp chế"],
                 ["xã Phổ An", "Đề nghị hướng dẫn tổ chức phiên giải trình.", "Ban Kinh tế - Xã hội"]])
    preview = secretary.upload("kien-nghi.xlsx", data)
    assert preview.status_code == 200, preview.text[:400]
    page = text(preview.text)
    assert "Xem trước: kien-nghi.xlsx" in page and "2 dòng hợp lệ, 0 dòng lỗi." in page
    assert "Xã Phổ Khánh" in page and "Ban Kinh tế - Xã hội" in page and "Nhập 2 kiến nghị" in page
    assert count_kn(hall["meeting_id"]) == 9
    blob = re.search(r'name="rows" value="([^"]+)"', preview.text).group(1)
    done = secretary.post("/import/confirm", rows=blob, only_valid="0")
    assert done.status_code == 200
    assert "Đã nhập 2 kiến nghị." in text(done.text) and 'id="kn-list"' in done.text
    assert "Đề nghị hướng dẫn tổ chức phiên giải trình." in done.text
    assert count_kn(hall["meeting_id"]) == 11


def test_a_csv_with_errors_offers_only_the_valid_rows(secretary, hall):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([["Xã, phường", "Nội dung kiến nghị", "Giao cho"],
                                              ["Phổ Vinh", "Đề nghị hỗ trợ kinh phí giám sát.", ""],
                                              ["Phổ Hưng", "Đề nghị không rõ đơn vị.", ""]])
    preview = secretary.upload("kn.csv", ("\ufeff" + out.getvalue()).encode())
    assert preview.status_code == 200
    page = text(preview.text)
    assert "1 dòng hợp lệ, 1 dòng lỗi." in page and "Không có xã, phường “Phổ Hưng” trong danh mục đơn vị." in page
    assert "Chỉ nhập 1 dòng hợp lệ" in page and "Nhập 2 kiến nghị" not in page
    blob = re.search(r'name="rows" value="([^"]+)"', preview.text).group(1)
    refused = secretary.post("/import/confirm", rows=blob, only_valid="0")
    assert refused.status_code == 422 and "Tệp còn 1 dòng lỗi" in text(refused.text)
    assert count_kn(hall["meeting_id"]) == 9
    done = secretary.post("/import/confirm", rows=blob, only_valid="1")
    assert done.status_code == 200 and "Đã nhập 1 kiến nghị; bỏ qua 1 dòng lỗi." in text(done.text)
    assert count_kn(hall["meeting_id"]) == 10


def test_an_unreadable_or_missing_file_and_a_forged_preview_say_why(secretary, hall):
    response = secretary.http.post(secretary.base + "/import", data={}, headers={**HX, "X-CSRFToken": secretary.csrf})
    assert response.status_code == 422 and "Vui lòng chọn tệp." in response.text
    response = secretary.upload("kn.xlsx", b"PK not really")
    assert response.status_code == 422 and "Không đọc được tệp Excel" in response.text
    response = secretary.upload("kn.docx", b"x")
    assert response.status_code == 422 and "Chỉ nhận tệp .xlsx hoặc .csv." in response.text
    response = secretary.post("/import/confirm", rows="forged", only_valid="1")
    assert response.status_code == 400 and "Dữ liệu xem trước không hợp lệ" in response.text
    assert count_kn(hall["meeting_id"]) == 9


def test_the_template_is_offered_and_downloads(secretary, hall):
    assert f'href="{secretary.base}/mau-kien-nghi.xlsx" download>Tải tệp mẫu (.xlsx)</a>' in secretary.get("/import").text
    response = secretary.http.get(secretary.base + "/mau-kien-nghi.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Mau kien nghi.xlsx\"; filename*=UTF-8''M%E1%BA%ABu%20ki%E1%BA%BFn%20ngh%E1%BB%8B.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == ["STT", "Đơn vị", "Nội dung", "Ban"]


# --------------------------------------------------------------------------- live

def test_an_answer_reaches_a_second_screen_and_the_communes_phones(app, secretary, hall):
    other = Staff(app, "thuky2_kn", Role.SECRETARY, hall["meeting_id"])
    screen = other.socket()
    phone = connect(app, {"meeting": hall["meeting_id"], "pass": hall["people"][0].active_token.token,
                          "locale": "vi"})
    far_phone = connect(app, {"meeting": hall["meeting_id"], "pass": hall["people"][1].active_token.token,
                              "locale": "vi"})
    assert screen.is_connected() and phone.is_connected() and far_phone.is_connected()
    screen.get_received(), phone.get_received(), far_phone.get_received()

    response = secretary.post(f"/{hall['kn']}/answer", answer="Ban Pháp chế sẽ tổ chức tập huấn.",
                              answered_by="Trưởng Ban Pháp chế", seen=seen(hall))
    assert response.status_code == 200
    swaps, _ = received(screen)
    assert "Ban Pháp chế sẽ tổ chức tập huấn." in swaps["#kn-list"] and "Trưởng Ban Pháp chế" in swaps["#kn-list"]
    assert re.search(r'kn-count-answered"[^>]*>\s*<span class="kn-count-n">1</span>', swaps["#kn-summary"])
    # The phones of that commune reload their own part (its kiến nghị choice); others hear nothing.
    phone_swaps, refreshes = received(phone)
    assert ["#pass-speak"] in refreshes and "#kn-list" not in phone_swaps
    assert received(far_phone)[1] == []


def test_deleting_a_kien_nghi_in_the_line_updates_the_speaker_list(app, secretary, hall):
    screen = Staff(app, "thuky3_kn", Role.SECRETARY, hall["meeting_id"]).socket()
    request = speakers.add_speaker(hall["meeting_id"], hall["item_id"], hall["people"][0].id, kien_nghi_id=hall["kn"],
                                   actor="test")
    assert "Kiến nghị của" in received(screen)[0]["#speaker-queue"]  # the line names it
    assert secretary.post(f"/{hall['kn']}/delete", seen=kn.edit_token(fresh(KienNghi, hall["kn"]))).status_code == 200
    swaps, _ = received(screen)
    assert CONTENT not in swaps["#kn-list"]
    assert "#speaker-queue" in swaps and "Kiến nghị của" not in swaps["#speaker-queue"]
    assert fresh(SpeakerRequest, request.id).kien_nghi_id is None


def test_a_change_made_in_the_service_reaches_the_screen_too(app, secretary, hall):
    screen = secretary.socket()
    screen.get_received()
    kn.write_later(hall["meeting_id"], hall["kn"], actor="test", now=fresh(Meeting, hall["meeting_id"]).started_at
                   + timedelta(minutes=30))
    swaps, _ = received(screen)
    assert "Ban Pháp chế sẽ trả lời bằng văn bản." in text(swaps["#kn-list"])
