"""The secretary's desk over HTTP: the page and its regions, the text boxes' JSON endpoints (saved,
conflict, refused, finalized), the closing conclusion's tasks and publishing, the documents'
details, finalize and reopen; who may do what, CSRF, and what a give-the-floor pushes to the desk."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.models import (
    AuditEntry,
    Conclusion,
    ConclusionTask,
    Meeting,
    Organisation,
    Remark,
    Role,
)
from meetingday.services import closing, flow, minutes, notes, speakers

from .conftest import connect, csrf_token, fresh, login, make_user, received
from .speakerhall import commune_delegates, open_discussion, to_last_item

T0 = datetime(2024, 6, 27, 0, 30)
FORBIDDEN = "Tài khoản này không có quyền thực hiện việc này."
JSON = {"Accept": "application/json"}
HX = {"HX-Request": "true"}


@pytest.fixture()
def hall(demo_meeting):
    """The demo meeting at its discussion item: two delegates heard, a third speaking."""
    people = commune_delegates(demo_meeting, 4)
    item = open_discussion(demo_meeting, people, started=T0, reached=T0 + timedelta(minutes=40))
    current, heard = "", []
    for n, person in enumerate(people[:3]):
        request = speakers.add_speaker(demo_meeting.id, item.id, person.id, actor="test",
                                       topic="Về kinh phí hoạt động" if n == 0 else "")
        speakers.give_floor(demo_meeting.id, request.id, current, actor="test",
                            now=T0 + timedelta(minutes=41 + 5 * n))
        current = request.id
        heard.append(request.id)
    waiting = speakers.add_speaker(demo_meeting.id, item.id, people[3].id, actor="test").id
    return {"meeting": fresh(Meeting, demo_meeting.id), "id": demo_meeting.id, "item": item.id, "heard": heard,
            "waiting": waiting, "people": people}


class Staff:
    """A signed-in browser: its cookies and the CSRF token of the desk (or, for the roles that
    may not open it, of the home page)."""

    def __init__(self, app, username: str, role: Role, meeting_id: int):
        make_user(username, role)
        self.http = app.test_client()
        assert login(self.http, username).status_code == 302
        self.id = meeting_id
        self.csrf = csrf_token(self.http, "/")

    def url(self, path: str) -> str:
        return f"/meetings/{self.id}/desk{path}"

    def get(self, path: str = "", **kw):
        return self.http.get(self.url(path), **kw)

    def save(self, path: str, text=None, revision="0", csrf: bool = True):
        data = {"revision": revision}
        if text is not None:
            data["text"] = text
        headers = {**JSON, "X-CSRFToken": self.csrf} if csrf else JSON
        return self.http.post(self.url(path), data=data, headers=headers)

    def post(self, path: str, csrf: bool = True, **data):
        headers = {**HX, "X-CSRFToken": self.csrf} if csrf else HX
        return self.http.post(self.url(path), data=data, headers=headers)


@pytest.fixture()
def secretary(app, hall):
    return Staff(app, "thuky_desk", Role.SECRETARY, hall["id"])


def end_meeting(meeting_id: int) -> None:
    flow.end_meeting(meeting_id, fresh(Meeting, meeting_id).version, "test", now=T0 + timedelta(hours=3))


def note_of(request_id: int) -> Remark | None:
    db.session.expire_all()
    return db.session.scalar(select(Remark).where(Remark.speaker_request_id == request_id))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --------------------------------------------------------------------------- the page

def test_the_desk_shows_the_current_item_with_its_remarks_in_the_order_given_the_floor(hall, secretary):
    notes.save_remark_note(hall["id"], hall["heard"][0], "Đề nghị bổ sung kinh phí.", 0, actor="test")
    page = secretary.get()
    assert page.status_code == 200
    html = page.text
    names = [p.full_name for p in hall["people"]]
    positions = [html.index(f'id="remark-{r}"') for r in hall["heard"]]
    assert positions == sorted(positions)
    for name in names[:3]:
        assert name in html
    assert f'id="remark-{hall["waiting"]}"' not in html  # still waiting: no remark yet
    assert html.count("Đang phát biểu") == 1 and "Về kinh phí hoạt động" in html
    assert f'data-item="{hall["item"]}"' in html and 'data-follow="1"' in html
    # each remark has its note box, with its save URL and revision; the saved note is shown
    first = re.search(rf'<textarea id="box-remark-{hall["heard"][0]}"[^>]*>([^<]*)</textarea>', html)
    assert first and first.group(1) == "Đề nghị bổ sung kinh phí."
    assert f'data-url="/meetings/{hall["id"]}/desk/remarks/{hall["heard"][0]}/note"' in html
    assert re.search(rf'id="box-remark-{hall["heard"][0]}"[^>]*data-revision="1"', html)
    assert f'id="box-item-{hall["item"]}"' in html and 'id="box-closing"' in html
    assert "Kết luận Hội nghị" in html and "Văn bản" in html and "Chốt biên bản" in html
    assert 'id="desk-programme"' in html and "3 lượt phát biểu" in html


def test_the_page_opens_the_part_named_in_its_address(hall, secretary):
    first = hall["meeting"].items[0]
    html = secretary.get(f"?show=item-{first.id}").text
    assert f'data-open="item-{first.id}"' in html and 'data-follow="0"' in html
    assert f'<article id="desk-item" class="desk-item kind-procedural" data-item="{first.id}"' in html
    html = secretary.get("?show=closing").text
    assert 'data-open="closing"' in html
    assert re.search(r'<section id="desk-view-closing"[^>]*>', html).group(0).count("hidden") == 0
    assert "hidden" in re.search(r'<section id="desk-view-item"[^>]*>', html).group(0)


def test_the_item_pane_and_the_regions_load_on_their_own(hall, secretary):
    pane = secretary.get(f"/items/{hall['item']}", headers=HX)
    assert pane.status_code == 200 and pane.text.lstrip().startswith('<article id="desk-item"')
    assert all(f'id="remark-{r}"' in pane.text for r in hall["heard"])
    sig = re.search(r'data-sig="([0-9a-f]+)"', pane.text).group(1)
    programme = secretary.get("/programme", headers=HX).text
    assert re.search(rf'data-item="{hall["item"]}" data-sig="{sig}"', programme)  # the same digest
    for path, root in (("/tasks", "desk-tasks"), ("/publish", "desk-publish"), ("/final", "desk-final"),
                       ("/tasks/new", "desk-task-form")):
        response = secretary.get(path, headers=HX)
        assert response.status_code == 200 and f'id="{root}"' in response.text
    assert secretary.get("/items/999999", headers=HX).status_code == 404


def test_an_item_of_another_meeting_is_not_found(app, hall, secretary):
    from meetingday.services import agenda, meetings
    from meetingday.services.demo import MEETING
    other = meetings.create_meeting({**MEETING, "title": "Hội nghị khác"}, actor="test")
    item = agenda.add_item(other, "Mục khác", "discussion", 10, "", actor="test")
    assert secretary.get(f"/items/{item.id}", headers=HX).status_code == 404
    response = secretary.save(f"/items/{item.id}/conclusion", "Không được ghi", "0")
    assert response.status_code == 404 and response.json["error"] == "item_not_found"


# --------------------------------------------------------------------------- who may

ROUTES = [
    ("GET", ""), ("GET", "/programme"), ("GET", "/items/{item}"), ("GET", "/tasks"), ("GET", "/publish"),
    ("GET", "/final"), ("GET", "/tasks/new"), ("GET", "/documents"),
    ("POST", "/remarks/{remark}/note"), ("POST", "/items/{item}/conclusion"), ("POST", "/closing/intro"),
    ("POST", "/tasks"), ("POST", "/closing/publish"), ("POST", "/closing/unpublish"), ("POST", "/documents"),
    ("POST", "/finalize"), ("POST", "/reopen"),
]


@pytest.mark.parametrize("role", ["chair", "door"])
def test_only_the_secretary_and_the_secretariat_use_the_desk(app, hall, role):
    other = Staff(app, f"only_{role}", Role(role), hall["id"])
    before = (count(Remark), count(Conclusion), count(ConclusionTask), count(AuditEntry))
    for method, path in ROUTES:
        url = other.url(path.format(item=hall["item"], remark=hall["heard"][0]))
        if method == "GET":
            response = other.http.get(url)
        else:
            response = other.http.post(url, data={"text": "x", "revision": "0", "body": "x", "content": "x"},
                                       headers={**JSON, "X-CSRFToken": other.csrf})
        assert response.status_code == 403, (method, path, response.status_code)
        assert FORBIDDEN == response.json["message"] if response.is_json else FORBIDDEN in response.text
    assert (count(Remark), count(Conclusion), count(ConclusionTask), count(AuditEntry)) == before


def test_the_secretariat_may_use_the_desk(app, hall):
    admin = Staff(app, "vanphong_desk", Role.ADMIN, hall["id"])
    assert admin.get().status_code == 200
    response = admin.save(f"/items/{hall['item']}/conclusion", "Giao Văn phòng tổng hợp.")
    assert response.status_code == 200 and response.json["revision"] == 1


def test_signed_out_visitors_are_sent_to_the_login(app, hall):
    client = app.test_client()
    token = csrf_token(client, "/login")
    for method, path in ROUTES:
        url = f"/meetings/{hall['id']}/desk" + path.format(item=hall["item"], remark=hall["heard"][0])
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token, "text": "x"})
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, path)
    assert count(Remark) == 0


# --------------------------------------------------------------------------- the text boxes (JSON)

def test_a_note_is_saved_and_the_answer_is_json_with_the_new_revision(hall, secretary):
    request_id = hall["heard"][0]
    response = secretary.save(f"/remarks/{request_id}/note", "  Đề nghị tăng kinh phí.  \r\n\r\n\r\nCảm ơn.  ", "0")
    assert response.status_code == 200 and response.is_json
    body = response.json
    assert set(body) == {"revision", "saved_at", "text"}
    assert body["revision"] == 1 and body["text"] == "Đề nghị tăng kinh phí.\n\nCảm ơn."
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["saved_at"])
    assert note_of(request_id).note == "Đề nghị tăng kinh phí.\n\nCảm ơn."
    again = secretary.save(f"/remarks/{request_id}/note", "Đề nghị tăng kinh phí hoạt động.", "1")
    assert again.json["revision"] == 2
    # The speaker at the lectern has a note box too.
    assert secretary.save(f"/remarks/{hall['heard'][2]}/note", "Đang trình bày.", "0").status_code == 200


def test_a_save_from_an_older_revision_is_refused_with_the_text_kept_elsewhere(hall, secretary):
    request_id = hall["heard"][1]
    notes.save_remark_note(hall["id"], request_id, "Bản của máy khác.", 0, actor="test")
    response = secretary.save(f"/remarks/{request_id}/note", "Bản của tôi.", "0")
    assert response.status_code == 409 and response.is_json
    body = response.json
    assert body["error"] == "note_conflict" and body["current"] == "Bản của máy khác." and body["revision"] == 1
    assert "vừa được sửa trên máy khác" in body["message"]
    assert note_of(request_id).note == "Bản của máy khác."
    # "Lưu đè bằng bản của tôi": the same text with the server's revision.
    over = secretary.save(f"/remarks/{request_id}/note", "Bản của tôi.", str(body["revision"]))
    assert over.status_code == 200 and over.json["revision"] == 2
    assert note_of(request_id).note == "Bản của tôi."


def test_a_save_repeated_after_its_answer_was_lost_is_accepted(hall, secretary):
    request_id = hall["heard"][0]
    assert secretary.save(f"/remarks/{request_id}/note", "Một lần.", "0").json["revision"] == 1
    again = secretary.save(f"/remarks/{request_id}/note", "Một lần.", "0")  # the browser never heard back
    assert again.status_code == 200 and again.json["revision"] == 1


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_written(hall, secretary):
    request_id = hall["heard"][0]
    audit_before = count(AuditEntry)
    too_long = secretary.save(f"/remarks/{request_id}/note", "x" * 20_001, "0")
    assert too_long.status_code == 400
    assert too_long.json["error"] == "text_too_long" and too_long.json["message"] == "Văn bản quá dài (tối đa 20.000 ký tự)."
    missing = secretary.save(f"/remarks/{request_id}/note", None, "0")
    assert missing.status_code == 400 and missing.json["error"] == "text_missing"
    assert "nội dung" in missing.json["message"]
    waiting = secretary.save(f"/remarks/{hall['waiting']}/note", "Chưa phát biểu", "0")
    assert waiting.status_code == 404 and waiting.json["error"] == "remark_not_found"
    assert waiting.json["message"] == "Không tìm thấy lượt phát biểu này."
    assert note_of(request_id) is None and note_of(hall["waiting"]) is None
    assert count(AuditEntry) == audit_before


def test_a_save_without_the_csrf_token_is_refused_as_json(hall, secretary):
    response = secretary.save(f"/remarks/{hall['heard'][0]}/note", "Không có mã", "0", csrf=False)
    assert response.status_code == 400 and response.json["error"] == "csrf"
    assert "mã bảo mật" in response.json["message"]
    assert note_of(hall["heard"][0]) is None
    htmx = secretary.post("/tasks", csrf=False, body="UBND thị xã", content="Chỉ đạo")
    assert htmx.status_code == 400 and count(ConclusionTask) == 0


def test_the_item_conclusion_and_the_closing_introduction_are_saved(hall, secretary):
    response = secretary.save(f"/items/{hall['item']}/conclusion", "Các xã, phường hoàn thành trước 30/7.", "0")
    assert response.status_code == 200 and response.json["revision"] == 1
    conflict = secretary.save(f"/items/{hall['item']}/conclusion", "Khác", "0")
    assert conflict.status_code == 409 and conflict.json["current"] == "Các xã, phường hoàn thành trước 30/7."
    intro = secretary.save("/closing/intro", "Hội nghị đánh giá cao sự chuẩn bị.", "0")
    assert intro.status_code == 200 and intro.json["text"] == "Hội nghị đánh giá cao sự chuẩn bị."
    meeting = fresh(Meeting, hall["id"])
    assert notes.closing_conclusion(meeting).text == "Hội nghị đánh giá cao sự chuẩn bị."
    assert notes.item_conclusion(meeting, meeting.items[3]).text == "Các xã, phường hoàn thành trước 30/7."
    # the programme marks the item
    programme = secretary.get("/programme", headers=HX).text
    row = re.search(rf'data-item="{hall["item"]}".*?</li>', programme, re.DOTALL).group(0)
    assert "có kết luận" in row and 'class="desk-has-concl" hidden' not in row


def test_once_finalized_every_box_is_refused_and_the_page_is_read_only(hall, secretary):
    notes.save_remark_note(hall["id"], hall["heard"][0], "Đã ghi.", 0, actor="test")
    end_meeting(hall["id"])
    assert secretary.post("/finalize").status_code == 200
    for path in (f"/remarks/{hall['heard'][0]}/note", f"/items/{hall['item']}/conclusion", "/closing/intro"):
        response = secretary.save(path, "Sửa sau khi chốt", "1")
        assert response.status_code == 409 and response.json["error"] == "minutes_final", path
        assert "Biên bản đã được chốt" in response.json["message"]
    assert note_of(hall["heard"][0]).note == "Đã ghi."
    html = secretary.get().text
    assert "Biên bản đã chốt" in html and 'class="desk is-final"' in html
    boxes = re.findall(r'<textarea id="box-[^"]+"[^>]*>', html)
    assert boxes and all(" readonly" in b for b in boxes)
    assert re.search(r'<fieldset data-desk-lock disabled>', html)
    assert "Công bố lên màn hình và điện thoại" not in html and "desk-task-delete" not in html
    refused = secretary.post("/tasks", body="UBND thị xã", content="Chỉ đạo")
    assert refused.status_code == 409 and "Biên bản đã được chốt" in refused.text
    assert refused.headers["HX-Retarget"] == "#flash"


def test_once_finalized_the_door_answers_red_and_checks_nobody_in(app, hall, secretary):
    from meetingday.services import attendance, checkin
    meeting = fresh(Meeting, hall["id"])
    checkin.open_checkin(meeting, actor="test")
    away = next(p for p in meeting.invitees if not attendance.is_present(p))
    end_meeting(hall["id"])
    assert secretary.post("/finalize").status_code == 200
    door = Staff(app, "letan_desk", Role.DOOR, hall["id"])
    answer = door.http.post(f"/meetings/{hall['id']}/door/scan", data={
        "code": f"http://127.0.0.1:5000/d/{away.active_token.token}", "nonce": "nonce-after-final"},
        headers={**HX, "X-CSRFToken": door.csrf})
    assert answer.status_code == 409 and answer.headers["X-Checkin-Outcome"] == "error"
    assert "Biên bản đã được chốt" in answer.text and "result-error" in answer.text
    assert not attendance.is_present(db.session.get(type(away), away.id))


# --------------------------------------------------------------------------- the closing conclusion's tasks

def tasks_now(meeting_id: int) -> list[tuple]:
    return [(t.position, t.body, t.content, t.deadline, t.organisation_id) for t in closing.tasks(fresh(Meeting, meeting_id))]


def test_tasks_are_added_from_the_list_of_bodies_or_typed_moved_edited_and_deleted(hall, secretary):
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Ban Pháp chế HĐND thị xã"))
    page = secretary.get("?show=closing").text
    assert '<option value="Ban Pháp chế HĐND thị xã">' in page  # the town's bodies to choose from
    first = secretary.post("/tasks", body="Ban Pháp chế HĐND thị xã", content="Hướng dẫn giám sát chuyên đề.",
                           deadline="31/07/2024")
    assert first.status_code == 200
    assert 'id="desk-task-form"' in first.text and 'hx-swap-oob="true"' in first.text
    assert "Hướng dẫn giám sát chuyên đề." in first.text and "Thời hạn: 31/07/2024" in first.text
    secretary.post("/tasks", body="Thường trực HĐND các xã, phường", content="Báo cáo kết quả.", deadline="")
    assert tasks_now(hall["id"]) == [
        (1, "Ban Pháp chế HĐND thị xã", "Hướng dẫn giám sát chuyên đề.", date(2024, 7, 31), org.id),
        (2, "Thường trực HĐND các xã, phường", "Báo cáo kết quả.", None, None)]
    ids = [t.id for t in closing.tasks(fresh(Meeting, hall["id"]))]

    listed = secretary.get("/tasks", headers=HX).text
    assert f'"swap_with": {ids[0]}' in listed  # the second row's "up" names the task it shows above
    stale = secretary.post(f"/tasks/{ids[1]}/move", offset="-1", swap_with=str(ids[1] + 100))
    assert stale.status_code == 409 and "Danh sách nhiệm vụ vừa được thay đổi trên máy khác" in stale.text
    assert stale.headers["HX-Trigger"] == "live-reload"  # the list reloads itself
    assert secretary.post(f"/tasks/{ids[1]}/move", offset="-1").status_code == 409  # one naming none too
    assert [t[1] for t in tasks_now(hall["id"])][0] == "Ban Pháp chế HĐND thị xã"
    moved = secretary.post(f"/tasks/{ids[1]}/move", offset="-1", swap_with=str(ids[0]))
    assert moved.status_code == 200 and 'id="desk-tasks"' in moved.text
    assert [t[1] for t in tasks_now(hall["id"])] == ["Thường trực HĐND các xã, phường", "Ban Pháp chế HĐND thị xã"]
    # Tapped again from the same row (its answer was lost): it is first now, and nothing moves.
    assert secretary.post(f"/tasks/{ids[1]}/move", offset="-1", swap_with=str(ids[0])).status_code == 409

    form = secretary.get(f"/tasks/{ids[0]}/edit", headers=HX)
    assert form.status_code == 200 and 'value="Ban Pháp chế HĐND thị xã"' in form.text and 'value="31/07/2024"' in form.text
    assert 'name="revision" value="0"' in form.text
    edited = secretary.post(f"/tasks/{ids[0]}", body="Ban Pháp chế HĐND thị xã", content="Hướng dẫn, đôn đốc.",
                            deadline="5/8/2024", revision="0")
    assert edited.status_code == 200
    assert tasks_now(hall["id"])[1][2:4] == ("Hướng dẫn, đôn đốc.", date(2024, 8, 5))

    deleted = secretary.post(f"/tasks/{ids[1]}/delete", revision="0")
    assert deleted.status_code == 200
    assert tasks_now(hall["id"]) == [(1, "Ban Pháp chế HĐND thị xã", "Hướng dẫn, đôn đốc.", date(2024, 8, 5), org.id)]
    assert secretary.post("/tasks/999999/delete").status_code == 404


def test_a_task_edited_on_another_screen_shows_both_versions_and_saving_again_overwrites(hall, secretary):
    secretary.post("/tasks", body="Ban Pháp chế HĐND thị xã", content="Hướng dẫn giám sát.", deadline="31/07/2024")
    [task_id] = [t.id for t in closing.tasks(fresh(Meeting, hall["id"]))]
    # Another screen saved an edit of revision 0 first.
    assert secretary.post(f"/tasks/{task_id}", body="Ban Pháp chế HĐND thị xã", content="Đôn đốc giám sát.",
                          deadline="31/07/2024", revision="0").status_code == 200
    mine = secretary.post(f"/tasks/{task_id}", body="Ban Pháp chế HĐND thị xã", content="Báo cáo kết quả giám sát.",
                          deadline="15/08/2024", revision="0")
    assert mine.status_code == 409 and 'id="desk-task-form"' in mine.text
    assert "vừa được sửa trên máy khác" in mine.text and "Bản đã lưu từ máy khác:" in mine.text
    assert "Đôn đốc giám sát." in mine.text  # what is saved now
    assert "Báo cáo kết quả giám sát.</textarea>" in mine.text and 'value="15/08/2024"' in mine.text  # what was typed
    assert 'name="revision" value="1"' in mine.text and "Lưu đè bằng bản của tôi" in mine.text
    assert tasks_now(hall["id"])[0][2:4] == ("Đôn đốc giám sát.", date(2024, 7, 31))
    # A stale delete is refused too; the list is told to reload.
    stale = secretary.post(f"/tasks/{task_id}/delete", revision="0")
    assert stale.status_code == 409 and stale.headers["HX-Retarget"] == "#flash"
    assert "chưa xóa" in stale.text and stale.headers["HX-Trigger"] == "live-reload"
    # Saving the form again (it now carries revision 1) overwrites, knowingly.
    again = secretary.post(f"/tasks/{task_id}", body="Ban Pháp chế HĐND thị xã", content="Báo cáo kết quả giám sát.",
                           deadline="15/08/2024", revision="1")
    assert again.status_code == 200
    assert tasks_now(hall["id"])[0][2:4] == ("Báo cáo kết quả giám sát.", date(2024, 8, 15))
    english = secretary.post(f"/tasks/{task_id}?lang=en", body="X", content="Y", deadline="", revision="0")
    assert english.status_code == 409 and "was just edited on another screen" in english.text


@pytest.mark.parametrize(("data", "message"), [
    ({"body": "", "content": "Làm gì đó", "deadline": ""}, "Hãy ghi cơ quan, đơn vị thực hiện."),
    ({"body": "UBND thị xã", "content": "  ", "deadline": ""}, "Hãy ghi nội dung nhiệm vụ."),
    ({"body": "UBND thị xã", "content": "Làm gì đó", "deadline": "31/02/2024"}, "Ngày không hợp lệ (dd/mm/yyyy)."),
    ({"body": "UBND thị xã", "content": "Làm gì đó", "deadline": "tuần sau"}, "Ngày không hợp lệ (dd/mm/yyyy)."),
    ({"body": "x" * 201, "content": "Làm gì đó", "deadline": ""}, "Tên cơ quan, đơn vị quá dài (tối đa 200 ký tự)."),
])
def test_a_bad_task_is_refused_on_its_form_and_nothing_is_written(hall, secretary, data, message):
    audit_before = count(AuditEntry)
    response = secretary.post("/tasks", **data)
    assert response.status_code == 400
    assert message in response.text and 'id="desk-task-form"' in response.text
    assert f'value="{data["deadline"]}"' in response.text  # what was typed stays on the form
    assert count(ConclusionTask) == 0 and count(AuditEntry) == audit_before


def test_publishing_needs_content_and_can_be_taken_back(hall, secretary):
    early = secretary.post("/closing/publish")
    assert early.status_code == 409 and "mục cuối" in early.text
    to_last_item(hall["id"])
    empty = secretary.post("/closing/publish")
    assert empty.status_code == 409 and "chưa có nội dung" in empty.text
    assert fresh(Meeting, hall["id"]).closing_published_at is None
    secretary.save("/closing/intro", "Hội nghị thống nhất các nội dung sau.", "0")
    published = secretary.post("/closing/publish")
    assert published.status_code == 200
    assert 'id="desk-publish"' in published.text and "Đã công bố" in published.text and "Thu hồi" in published.text
    assert fresh(Meeting, hall["id"]).closing_published_at is not None
    assert secretary.post("/closing/publish").status_code == 409  # a second tap
    taken = secretary.post("/closing/unpublish")
    assert taken.status_code == 200 and "Chưa công bố." in taken.text
    assert fresh(Meeting, hall["id"]).closing_published_at is None


# --------------------------------------------------------------------------- documents, finalize, reopen

def test_the_documents_details_are_saved_and_checked(hall, secretary):
    saved = secretary.post("/documents", minutes_number="12/BB-HĐND", notice_number="15/TB-HĐND",
                           notice_date="28/06/2024", notice_recipients="Thường trực Thị ủy\n\nUBND thị xã\n",
                           revision="0")
    assert saved.status_code == 200 and "Đã lưu lúc" in saved.text and 'value="12/BB-HĐND"' in saved.text
    meeting = fresh(Meeting, hall["id"])
    assert (meeting.minutes_number, meeting.notice_number, meeting.notice_date, meeting.notice_recipients) == (
        "12/BB-HĐND", "15/TB-HĐND", date(2024, 6, 28), "Thường trực Thị ủy\n\nUBND thị xã")
    bad_date = secretary.post("/documents", minutes_number="13/BB-HĐND", notice_date="32/06/2024")
    assert bad_date.status_code == 400 and "Ngày không hợp lệ (dd/mm/yyyy)." in bad_date.text
    assert 'value="13/BB-HĐND"' in bad_date.text  # kept on the form
    too_long = secretary.post("/documents", minutes_number="1" * 61)
    assert too_long.status_code == 400 and "Số, ký hiệu quá dài (tối đa 60 ký tự)." in too_long.text
    assert fresh(Meeting, hall["id"]).minutes_number == "12/BB-HĐND"
    assert 'name="revision" value="1"' in secretary.get("/documents", headers=HX).text


def test_the_documents_form_saved_on_another_screen_shows_both_and_saving_again_overwrites(hall, secretary):
    assert secretary.post("/documents", minutes_number="12/BB-HĐND", revision="0").status_code == 200
    mine = secretary.post("/documents", minutes_number="", notice_number="15/TB-HĐND",
                          notice_recipients="Thường trực Thị ủy", revision="0")
    assert mine.status_code == 409 and 'id="desk-documents"' in mine.text
    assert "vừa được sửa trên máy khác" in mine.text and "<dd>12/BB-HĐND</dd>" in mine.text  # saved now
    assert 'value="15/TB-HĐND"' in mine.text and "Thường trực Thị ủy</textarea>" in mine.text  # as typed
    assert 'name="revision" value="1"' in mine.text and "Dùng bản đã lưu" in mine.text
    meeting = fresh(Meeting, hall["id"])
    assert (meeting.minutes_number, meeting.notice_number, meeting.notice_recipients) == ("12/BB-HĐND", "", "")
    again = secretary.post("/documents", minutes_number="", notice_number="15/TB-HĐND",
                           notice_recipients="Thường trực Thị ủy", revision="1")
    assert again.status_code == 200 and "Đã lưu lúc" in again.text and 'name="revision" value="2"' in again.text
    meeting = fresh(Meeting, hall["id"])
    assert (meeting.minutes_number, meeting.notice_number, meeting.notice_recipients) == (
        "", "15/TB-HĐND", "Thường trực Thị ủy")


def test_finalize_only_after_the_end_and_reopen_with_a_reason(hall, secretary):
    early = secretary.post("/finalize")
    assert early.status_code == 409 and "sau khi hội nghị đã kết thúc" in early.text
    assert "Chỉ chốt biên bản sau khi hội nghị đã kết thúc." in secretary.get("/final", headers=HX).text
    end_meeting(hall["id"])
    region = secretary.get("/final", headers=HX).text
    assert 'data-final="0"' in region and "desk-finalize" in region
    done = secretary.post("/finalize")
    assert done.status_code == 200 and 'data-final="1"' in done.text and "Biên bản đã chốt" in done.text
    assert fresh(Meeting, hall["id"]).minutes_finalized_at is not None

    no_reason = secretary.post("/reopen", reason="  ")
    assert no_reason.status_code == 400 and "Hãy ghi lý do mở lại biên bản." in no_reason.text
    assert fresh(Meeting, hall["id"]).minutes_finalized_at is not None
    reopened = secretary.post("/reopen", reason="Bổ sung ý kiến của Phường Phổ Hòa")
    assert reopened.status_code == 200 and 'data-final="0"' in reopened.text
    assert fresh(Meeting, hall["id"]).minutes_finalized_at is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "minutes.reopen"))
    assert entry.details["reason"] == "Bổ sung ý kiến của Phường Phổ Hòa"
    assert secretary.post("/reopen", reason="Lần nữa").status_code == 409  # not finalized any more
    assert secretary.save(f"/remarks/{hall['heard'][0]}/note", "Sửa được rồi.", "0").status_code == 200


def test_finalizing_is_refused_while_the_documents_form_shows_what_is_not_saved(hall, secretary):
    """The finalize button sends the documents form as the screen shows it: values typed and not
    saved, or refused (the notice's date), lock nothing; the same values as saved do."""
    end_meeting(hall["id"])
    assert secretary.post("/documents", minutes_number="12", revision="0").status_code == 200
    shown = {"minutes_number": "12", "notice_number": "15", "notice_date": "", "notice_recipients": ""}
    refused_date = secretary.post("/documents", **{**shown, "notice_date": "31/02/2024"}, revision="1")
    assert refused_date.status_code == 400
    for screen in ({**shown, "notice_date": "31/02/2024"}, shown, {**shown, "minutes_number": "1" * 61}):
        answer = secretary.post("/finalize", **screen)
        assert answer.status_code == 409 and "chưa được lưu" in answer.text, screen
        assert fresh(Meeting, hall["id"]).minutes_finalized_at is None
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action == "minutes.finalize"))
    assert secretary.post("/documents", **shown, revision="1").status_code == 200
    done = secretary.post("/finalize", **{**shown, "minutes_number": " 12 ", "notice_date": ""})
    assert done.status_code == 200 and fresh(Meeting, hall["id"]).minutes_finalized_at is not None
    assert fresh(Meeting, hall["id"]).notice_number == "15"


# --------------------------------------------------------------------------- live

def test_giving_the_floor_reaches_the_desk_and_the_pane_then_shows_the_remark(app, hall, secretary):
    screen = connect(app, {"meeting": hall["id"], "locale": "vi"}, flask_test_client=secretary.http)
    assert screen.is_connected()
    screen.get_received()
    before = re.search(rf'data-item="{hall["item"]}" data-sig="(\w+)"', secretary.get("/programme", headers=HX).text).group(1)

    given = speakers.give_floor(hall["id"], hall["waiting"], hall["heard"][2], actor="test")
    pushed = received(screen).swaps
    assert "#desk-programme" in pushed
    row = re.search(rf'data-item="{hall["item"]}" data-sig="(\w+)"', pushed["#desk-programme"])
    assert row.group(1) != before  # the desk sees that the item's pane changed
    assert "4 lượt phát biểu" in pushed["#desk-programme"]
    pane = secretary.get(f"/items/{hall['item']}", headers=HX).text
    assert f'id="remark-{given.id}"' in pane and f'data-sig="{row.group(1)}"' in pane
    assert hall["people"][3].full_name in pane

    # The chair moves on: the programme names the new current item.
    flow.next_item(hall["id"], fresh(Meeting, hall["id"]).version, "test")
    pushed = received(screen).swaps
    current = fresh(Meeting, hall["id"]).current_item
    assert f'data-current="{current.id}"' in pushed["#desk-programme"]
    screen.disconnect()


def test_publishing_and_finalizing_reach_the_desk(app, hall, secretary):
    screen = connect(app, {"meeting": hall["id"], "locale": "vi"}, flask_test_client=secretary.http)
    screen.get_received()
    notes.save_closing_intro(hall["id"], "Hội nghị thống nhất.", 0, actor="test")
    closing.add_task(hall["id"], "UBND thị xã", "Chỉ đạo các phòng, ban.", date(2024, 7, 31), actor="test")
    pushed = received(screen).swaps
    assert "Chỉ đạo các phòng, ban." in pushed["#desk-tasks"]
    to_last_item(hall["id"])
    received(screen).swaps
    closing.publish(hall["id"], actor="test")
    assert 'data-published="1"' in received(screen).swaps["#desk-publish"]
    end_meeting(hall["id"])
    assert "desk-finalize" in received(screen).swaps["#desk-final"]
    minutes.finalize(hall["id"], actor="test")
    pushed = received(screen).swaps
    assert 'data-final="1"' in pushed["#desk-final"] and "desk-task-delete" not in pushed["#desk-tasks"]
    screen.disconnect()


# --------------------------------------------------------------------------- on a meeting not started

NOT_STARTED = [  # what tests/test_permissions.py's table can expect on its small meeting (admin)
    ("GET", "", None, 200), ("GET", "/programme", None, 200), ("GET", "/items/{item}", None, 200),
    ("GET", "/tasks", None, 200), ("GET", "/publish", None, 200), ("GET", "/final", None, 200),
    ("GET", "/tasks/new", None, 200), ("GET", "/tasks/999999/edit", None, 404),
    ("POST", "/remarks/999999/note", {"text": "x", "revision": "0"}, 404),
    ("POST", "/items/{item}/conclusion", {"revision": "0"}, 400),
    ("POST", "/closing/intro", {"revision": "0"}, 400),
    ("POST", "/tasks", {}, 400), ("POST", "/tasks/999999", {}, 404),
    ("POST", "/tasks/999999/delete", {}, 404), ("POST", "/tasks/999999/move", {"offset": "1", "swap_with": "1"}, 404),
    ("POST", "/closing/publish", {}, 409), ("POST", "/closing/unpublish", {}, 409),
    ("POST", "/documents", {"notice_date": "x"}, 400), ("POST", "/finalize", {}, 409), ("POST", "/reopen", {}, 400),
]


def test_every_route_on_a_meeting_not_started_refuses_cleanly_and_writes_nothing(app):
    from meetingday.services import agenda, meetings
    from meetingday.services.demo import AGENDA, MEETING
    meeting = meetings.create_meeting(MEETING, actor="test")
    for title, kind, planned, presenter in AGENDA[:2]:
        agenda.add_item(meeting, title, kind, planned, presenter, actor="test")
    item = fresh(Meeting, meeting.id).items[0]
    admin = Staff(app, "vanphong_moi", Role.ADMIN, meeting.id)
    page = admin.get().text
    assert "Chỉ chốt biên bản sau khi hội nghị đã kết thúc." in page and "Chưa có ai phát biểu" not in page
    before = (count(Remark), count(Conclusion), count(ConclusionTask), count(AuditEntry))
    for method, path, data, status in NOT_STARTED:
        url = admin.url(path.format(item=item.id))
        if method == "GET":
            response = admin.http.get(url)
        else:
            response = admin.http.post(url, data=data, headers={**HX, "X-CSRFToken": admin.csrf})
        assert response.status_code == status, (method, path, response.status_code, response.text[:300])
    assert (count(Remark), count(Conclusion), count(ConclusionTask), count(AuditEntry)) == before
