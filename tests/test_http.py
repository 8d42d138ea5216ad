"""HTTP through the Flask test client: the setup screens, passes, invitations, errors."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.models import AgendaItem, AuditEntry, Invitee, Meeting, Organisation, OrgKind, Role
from meetingday.services import agenda, meetings, organisations, passes, units

from .conftest import assert_unchanged, csrf_token, db_snapshot, form_csrf, login, make_user

HX = {"HX-Request": "true"}


def hx(client, path="/"):
    return {**HX, "X-CSRFToken": csrf_token(client, path)}


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json["status"] == "ok" and r.json["database"] in ("sqlite", "postgresql")


def test_login_and_logout(client, app):
    make_user("thuky", Role.SECRETARY)
    r = login(client, "thuky", "sai-mat-khau")
    assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in r.text
    r = login(client, "thuky")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    r = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert r.status_code == 302
    assert client.get("/").status_code == 302


def test_login_refuses_foreign_next(client, app):
    make_user("thuky", Role.SECRETARY)
    page = client.get("/login?next=//evil.example/x")
    token = form_csrf(page.text)
    r = client.post("/login?next=//evil.example/x", data={"username": "thuky", "password": "matkhau-kiem-thu",
                                                         "csrf_token": token})
    assert r.headers["Location"] == "/"


def test_create_and_edit_meeting(admin_client):
    token = csrf_token(admin_client, "/meetings/new")
    form = {"csrf_token": token, "title": "Hội nghị giao ban quý III", "host_body": "Thường trực HĐND thị xã",
            "issuing_body": "HĐND THỊ XÃ ĐỨC PHỔ", "issuing_unit": "THƯỜNG TRỰC", "locality": "Đức Phổ",
            "place": "Phòng họp số 1", "start_date": "05/09/2024", "start_time": "14:00", "content": "",
            "invitation_number": "", "invitation_date": "", "signer_title": "", "signer_name": "",
            "chair_name": "", "secretary_name": ""}
    r = admin_client.post("/meetings/new", data={**form, "start_date": "2024-09-05", "start_time": "2pm"})
    assert r.status_code == 422
    assert "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 27/06/2024." in r.text
    assert "Giờ không hợp lệ: nhập theo dạng giờ:phút, ví dụ 07:30." in r.text
    assert db.session.scalar(select(func.count(Meeting.id))) == 0
    r = admin_client.post("/meetings/new", data=form)
    assert r.status_code == 302
    r = admin_client.post("/meetings/new", data=form)  # sent twice: a double click, or a lost answer
    assert r.status_code == 422 and "bắt đầu vào giờ này; không tạo thêm." in r.text
    meeting = db.session.scalars(select(Meeting)).one()
    # 14:00 in the hall is 07:00 UTC
    assert meeting.starts_at.hour == 7 and meeting.title == "Hội nghị giao ban quý III"
    page = admin_client.get(f"/meetings/{meeting.id}")
    assert "14:00" in page.text and "05/09/2024" in page.text and "thứ Năm" in page.text
    r = admin_client.post(f"/meetings/{meeting.id}/edit", data={**form, "title": "", "place": "Hội trường"})
    assert r.status_code == 422 and "Vui lòng nhập mục này." in r.text
    db.session.expire_all()
    assert meeting.place == "Phòng họp số 1"
    assert 'name="details_revision" type="hidden" value="0"' in admin_client.get(f"/meetings/{meeting.id}/edit").text
    r = admin_client.post(f"/meetings/{meeting.id}/edit", data={**form, "place": "Hội trường", "details_revision": "0"})
    assert r.status_code == 302
    db.session.expire_all()
    assert meeting.place == "Hội trường"
    # A form opened before that save: refused, each field saved differently shows what is saved now.
    r = admin_client.post(f"/meetings/{meeting.id}/edit", data={**form, "signer_name": "Lê Văn B",
                                                                  "details_revision": "0"})
    assert r.status_code == 409 and "vừa được sửa trên máy khác" in r.text
    assert "Bản đã lưu: Hội trường" in r.text and 'value="Lê Văn B"' in r.text
    assert 'name="details_revision" type="hidden" value="1"' in r.text
    db.session.expire_all()
    assert (meeting.place, meeting.signer_name) == ("Hội trường", "")
    r = admin_client.post(f"/meetings/{meeting.id}/edit", data={**form, "signer_name": "Lê Văn B"})
    assert r.status_code == 409  # a form that names no revision is not taken as the current one
    r = admin_client.post(f"/meetings/{meeting.id}/edit", data={**form, "signer_name": "Lê Văn B",
                                                                  "details_revision": "1"})
    assert r.status_code == 302
    db.session.expire_all()
    assert (meeting.place, meeting.signer_name) == ("Phòng họp số 1", "Lê Văn B")  # overwritten, knowingly


def test_agenda_htmx_flow(admin_client, demo_meeting):
    base = f"/meetings/{demo_meeting.id}/agenda"
    headers = hx(admin_client, base + "/")
    r = admin_client.post(base + "/", data={"title": "Thông qua biên bản", "kind": "procedural",
                                            "planned_minutes": "5", "presenter": "Thư ký"}, headers=headers)
    assert r.status_code == 200 and "<html" not in r.text and 'id="agenda"' in r.text
    assert "Thông qua biên bản" in r.text
    item = db.session.scalars(select(AgendaItem).where(AgendaItem.title == "Thông qua biên bản")).one()
    assert item.position == 8

    # The same form sent again (a double tap, or its answer was lost): the item is there once.
    r = admin_client.post(base + "/", data={"title": "Thông qua biên bản", "kind": "procedural",
                                            "planned_minutes": "5", "presenter": "Thư ký"}, headers=headers)
    assert r.status_code == 422 and "vừa được thêm vào cuối chương trình" in r.text
    assert db.session.scalar(select(func.count(AgendaItem.id)).where(AgendaItem.title == "Thông qua biên bản")) == 1

    r = admin_client.post(base + "/", data={"title": "", "kind": "report", "planned_minutes": "0"}, headers=headers)
    assert r.status_code == 422
    assert "Vui lòng nhập mục này." in r.text and "Thời lượng dự kiến phải từ 1 đến 600 phút." in r.text
    assert db.session.scalar(select(func.count(AgendaItem.id))) == 8

    r = admin_client.get(f"{base}/{item.id}/edit", headers=HX)
    assert 'class="editing"' in r.text and 'value="Thông qua biên bản"' in r.text
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', r.text).group(1)
    r = admin_client.post(f"{base}/{item.id}", data={"title": "Thông qua biên bản hội nghị", "kind": "procedural",
                                                     "planned_minutes": "7", "presenter": "", "seen": seen},
                          headers=headers)
    assert r.status_code == 200
    db.session.expire_all()
    assert (item.title, item.planned_minutes) == ("Thông qua biên bản hội nghị", 7)

    above = demo_meeting.items[6]
    assert f'"swap_with": {above.id}' in r.text  # the row's "up" names the item it shows above
    admin_client.post(f"{base}/{item.id}/move", data={"direction": "up", "swap_with": above.id}, headers=headers)
    db.session.expire_all()
    assert item.position == 7

    r = admin_client.post(f"{base}/{item.id}/delete", data={"seen": agenda.shown(item)}, headers=headers)
    assert r.status_code == 200 and "Thông qua biên bản hội nghị" not in r.text
    assert db.session.scalar(select(func.count(AgendaItem.id))) == 7


def test_agenda_changed_on_another_laptop_is_not_overwritten_unseen(admin_client, demo_meeting):
    base = f"/meetings/{demo_meeting.id}/agenda"
    headers = hx(admin_client, base + "/")
    first, second, third = demo_meeting.items[:3]
    seen = agenda.shown(second)
    # Another laptop renames the item while this one has its edit form open.
    agenda.update_item(second, "Báo cáo kết quả 6 tháng (bản của văn phòng)", second.kind, 40, second.presenter,
                       actor="test", seen=seen)
    form = {"title": "Báo cáo 6 tháng đầu năm", "kind": second.kind.value, "planned_minutes": "30",
            "presenter": second.presenter}
    r = admin_client.post(f"{base}/{second.id}", data={**form, "seen": seen}, headers=headers)
    assert r.status_code == 409 and 'class="editing"' in r.text
    assert "đã được sửa trên máy khác" in r.text and "Bản đã lưu từ máy khác:" in r.text
    assert "Báo cáo kết quả 6 tháng (bản của văn phòng)" in r.text and "40 phút" in r.text
    assert 'value="Báo cáo 6 tháng đầu năm"' in r.text  # what was typed stays in the form
    db.session.expire_all()
    assert second.title == "Báo cáo kết quả 6 tháng (bản của văn phòng)"
    now = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', r.text).group(1)
    assert now == agenda.shown(second) != seen
    r = admin_client.post(f"{base}/{second.id}", data={**form, "seen": now}, headers=headers)  # knowingly
    assert r.status_code == 200
    db.session.expire_all()
    assert (second.title, second.planned_minutes) == ("Báo cáo 6 tháng đầu năm", 30)

    # A delete from a row that showed the item before that edit: refused, the programme comes back.
    r = admin_client.post(f"{base}/{second.id}/delete", data={"seen": seen}, headers=headers)
    assert r.status_code == 409 and "vừa được sửa trên máy khác nên chưa bị xóa" in r.text
    assert 'id="agenda"' in r.text and "Báo cáo 6 tháng đầu năm" in r.text
    # A move from a screen that showed another item above: refused, nothing moves.
    r = admin_client.post(f"{base}/{third.id}/move", data={"direction": "up", "swap_with": first.id},
                          headers=headers)
    assert r.status_code == 409 and "Chương trình vừa được thay đổi trên máy khác" in r.text
    r = admin_client.post(f"{base}/{third.id}/move", data={"direction": "up"}, headers=headers)
    assert r.status_code == 409  # a move naming nothing is refused too
    db.session.expire_all()
    assert [i.id for i in demo_meeting.items[:3]] == [first.id, second.id, third.id]
    # An item deleted on another laptop: its row's buttons say so and bring the programme back.
    agenda.delete_item(third, actor="test")
    for path, data in ((f"{third.id}", {**form, "seen": now}), (f"{third.id}/delete", {"seen": now}),
                       (f"{third.id}/move", {"direction": "up", "swap_with": second.id})):
        r = admin_client.post(f"{base}/{path}", data=data, headers=headers)
        assert r.status_code == 404 and "Không tìm thấy mục này trong chương trình." in r.text
        assert 'id="agenda"' in r.text
    r = admin_client.get(f"{base}/{third.id}/edit", headers=HX)  # "Sửa" on a row deleted meanwhile
    assert r.status_code == 404 and 'id="agenda"' in r.text and 'class="editing"' not in r.text
    entries = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("agenda.%"))).all()
    assert entries.count("agenda.update") == 2 and entries.count("agenda.delete") == 1


def test_agenda_item_of_other_meeting_is_404(admin_client, demo_meeting):
    r = admin_client.get(f"/meetings/{demo_meeting.id + 1}/agenda/{demo_meeting.items[0].id}/edit")
    assert r.status_code == 404 and "Không tìm thấy hội nghị." in r.text


def test_invitee_search_add_edit_delete(admin_client, demo_meeting):
    base = f"/meetings/{demo_meeting.id}/invitees"
    r = admin_client.get(base + "/table?q=nguyen+van", headers=HX)
    names = re.findall(r"<strong[^>]*>([^<]+)</strong>", r.text)
    assert len(names) >= 3 and all(n.startswith("Nguyễn Văn") for n in names)

    headers = hx(admin_client, base + "/")
    data = {"full_name": "Phạm Thị Diệu Hiền", "honorific": "Bà", "position": "Chuyên viên", "organisation_id": "0",
            "category": "guest", "phone": "09x"}
    r = admin_client.post(base + "/", data=data, headers=headers)
    assert r.status_code == 422 and "Số điện thoại không hợp lệ." in r.text
    assert not db.session.scalar(select(Invitee).where(Invitee.full_name == "Phạm Thị Diệu Hiền"))

    r = admin_client.post(base + "/", data={**data, "phone": "0905 111 222"}, headers=headers)
    assert r.status_code == 200 and 'hx-swap-oob="true"' in r.text and "Phạm Thị Diệu Hiền" in r.text
    person = db.session.scalar(select(Invitee).where(Invitee.full_name == "Phạm Thị Diệu Hiền"))
    assert person.phone == "0905111222" and person.active_token

    assert 'name="revision" type="hidden" value="0"' in admin_client.get(f"{base}/{person.id}/edit",
                                                                         headers=headers).text
    r = admin_client.post(f"{base}/{person.id}", data={**data, "phone": "", "position": "Phó Chánh Văn phòng",
                                                        "revision": "0"}, headers=headers)
    assert r.status_code == 200
    db.session.expire_all()
    assert person.position == "Phó Chánh Văn phòng" and person.phone is None

    person_id = person.id
    stale = admin_client.post(f"{base}/{person_id}", headers=headers,  # a form opened before that edit
                              data={**data, "phone": "", "position": "Chánh Văn phòng", "revision": "0"})
    assert stale.status_code == 409 and "vừa được sửa trên máy khác" in stale.text
    assert "Bản đã lưu từ máy khác:" in stale.text and "Phó Chánh Văn phòng" in stale.text  # saved now
    assert 'value="Chánh Văn phòng"' in stale.text and 'type="hidden" value="1"' in stale.text  # as typed
    r = admin_client.post(f"{base}/{person_id}/delete", data={"q": "", "revision": "0"}, headers=headers)
    assert r.status_code == 409 and "vừa được sửa trên máy khác" in r.text and 'id="invitee-table"' in r.text
    db.session.expire_all()
    assert db.session.get(Invitee, person_id).position == "Phó Chánh Văn phòng"
    r = admin_client.post(f"{base}/{person_id}/delete", data={"q": "", "revision": "1"}, headers=headers)
    assert r.status_code == 200 and "Phạm Thị Diệu Hiền" not in r.text
    db.session.expire_all()
    assert not db.session.get(Invitee, person_id)


def test_pass_page_revoke_and_reissue(admin_client, client, demo_meeting):
    person = demo_meeting.invitees[5]
    token = person.active_token.token
    r = client.get(f"/d/{token}")
    assert r.status_code == 200
    assert person.full_name in r.text and demo_meeting.title in r.text and demo_meeting.place in r.text
    assert "07:30" in r.text and "27/06/2024" in r.text
    assert r.headers["Cache-Control"] == "private, no-store"
    if person.phone:
        assert person.phone not in r.text
    svg = client.get(f"/d/{token}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and svg.text.startswith("<svg")

    base = f"/meetings/{demo_meeting.id}/invitees"
    shown = person.active_token.id
    admin_client.post(f"{base}/{person.id}/revoke", data={"q": "", "pass": shown}, headers=hx(admin_client, base + "/"))
    r = client.get(f"/d/{token}")
    assert r.status_code == 404 and "Thẻ này đã bị thu hồi." in r.text
    assert client.get(f"/d/{token}/qr.svg").status_code == 404

    admin_client.post(f"{base}/{person.id}/reissue", data={"q": "", "pass": ""}, headers=hx(admin_client, base + "/"))
    db.session.expire_all()
    new = person.active_token.token
    assert new != token and client.get(f"/d/{new}").status_code == 200
    # A second screen still showing the old pass (or none): its revoke or reissue changes nothing.
    for action, shown_there in (("revoke", shown), ("reissue", "")):
        r = admin_client.post(f"{base}/{person.id}/{action}", data={"q": "", "pass": shown_there},
                              headers=hx(admin_client, base + "/"))
        assert r.status_code == 409 and "vừa được thay đổi trên máy khác" in r.text and 'id="invitee-table"' in r.text
        db.session.expire_all()
        assert person.active_token.token == new and client.get(f"/d/{new}").status_code == 200
    assert len([t for t in person.tokens if t.revoked_at is None]) == 1


def test_meeting_form_takes_the_reports_deadline_and_contact(admin_client, demo_meeting):
    """The deadline and the contact of the invitation: saved from the form; a deadline after the
    meeting day or not a date is refused with a message in the user's language, changing nothing."""
    m = demo_meeting
    form = {"csrf_token": csrf_token(admin_client, f"/meetings/{m.id}/edit"), "details_revision": "0",
            **{f: getattr(m, f) for f in meetings.TEXT_FIELDS}, "start_date": "27/06/2024", "start_time": "07:30",
            "invitation_date": "20/06/2024", "reports_due": "15/06/2024", "contact": "Ông Phạm Văn Tài, 0905 111 222"}
    before = db_snapshot()
    r = admin_client.post(f"/meetings/{m.id}/edit?lang=en", data={**form, "reports_due": "28/06/2024"})
    assert r.status_code == 422
    assert "The deadline for reports and recommendations cannot be after the meeting day (27/06/2024)." in r.text
    r = admin_client.post(f"/meetings/{m.id}/edit", data={**form, "reports_due": "2024-06-15"})
    assert r.status_code == 422 and "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm" in r.text
    r = admin_client.post(f"/meetings/{m.id}/edit", data={**form, "start_date": "10/06/2024"})
    assert r.status_code == 422 and "Hạn gửi báo cáo, kiến nghị không thể sau ngày họp (10/06/2024)." in r.text
    assert_unchanged(before)
    assert admin_client.post(f"/meetings/{m.id}/edit", data={**form, "reports_due": "14/06/2024"}).status_code == 302
    saved = db.session.get(Meeting, m.id)
    db.session.refresh(saved)
    assert (saved.reports_due.isoformat(), saved.contact) == ("2024-06-14", "Ông Phạm Văn Tài, 0905 111 222")
    page = admin_client.get(f"/meetings/{m.id}/edit")
    assert 'value="14/06/2024"' in page.text and 'value="Ông Phạm Văn Tài, 0905 111 222"' in page.text


def test_unknown_pass_is_a_clear_404(client, app):
    r = client.get("/d/khong-phai-ma-that")
    assert r.status_code == 404 and "Mã này không phải thẻ đại biểu của hội nghị." in r.text


def test_invitations_page(admin_client, demo_meeting):
    r = admin_client.get(f"/meetings/{demo_meeting.id}/invitations")
    assert r.status_code == 200
    sections = r.text.count('class="invitation"')
    assert sections == len(demo_meeting.invitees)
    # Each sheet its person's check-in code; the sheets of a reporting unit's people their unit's code too.
    assert r.text.count("<svg") == sections + r.text.count("data-unit-link")
    assert 0 < r.text.count("data-unit-link") < sections
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY MỜI",
                 "HĐND THỊ XÃ ĐỨC PHỔ", "Số: 45/GM-HĐND", "Đức Phổ, ngày 20 tháng 6 năm 2024",
                 "7 giờ 30 phút, thứ Năm, ngày 27 tháng 6 năm 2024.", "Nguyễn Văn Công", "Nơi nhận:"):
        assert text in r.text, text
    one = admin_client.get(f"/meetings/{demo_meeting.id}/invitations?id={demo_meeting.invitees[0].id}")
    assert one.text.count('class="invitation"') == 1


def test_printing_invitations_leaves_the_phones_qr_codes_kept(app, admin_client, demo_meeting):
    passes.qr_svg.cache_clear()
    with app.test_request_context():
        kept = passes.qr_svg(passes.pass_url(demo_meeting.invitees[0].active_token.token))
    r = admin_client.get(f"/meetings/{demo_meeting.id}/invitations")
    assert r.status_code == 200 and kept in r.text  # the same code, drawn again
    assert passes.qr_svg.cache_info().currsize == 1


def test_invitations_stay_vietnamese_in_english_mode(admin_client, demo_meeting):
    """The sheets are an official Vietnamese document; only the bar around them is English."""
    r = admin_client.get(f"/meetings/{demo_meeting.id}/invitations?lang=en")
    assert '<html lang="en">' in r.text and ">Print</button>" in r.text
    sheet = r.text[r.text.index('<section class="invitation"'):]
    for text in ('lang="vi"', "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY MỜI",
                 "Số: 45/GM-HĐND", "Đức Phổ, ngày 20 tháng 6 năm 2024", "trân trọng kính mời:",
                 "7 giờ 30 phút, thứ Năm, ngày 27 tháng 6 năm 2024.", "Nơi nhận:", "Lưu: VT.", "Rất mong đồng chí đến dự"):
        assert text in sheet, text
    for text in ("SOCIALIST", "INVITATION", "Thursday", "Mr ", "Recipients", "20/06/2024"):
        assert text not in sheet, text


def test_invitations_ask_the_communes_for_reports_by_the_deadline(admin_client, demo_meeting):
    base = f"/meetings/{demo_meeting.id}/invitations"
    commune = next(p for p in demo_meeting.invitees if p.organisation.kind == OrgKind.COMMUNE)
    ward = next(p for p in demo_meeting.invitees if p.organisation.kind == OrgKind.WARD)
    town = next(p for p in demo_meeting.invitees if p.organisation.kind == OrgKind.TOWN)
    ask = ("Đề nghị Thường trực HĐND xã, phường gửi báo cáo tình hình hoạt động và các đề xuất, kiến nghị của "
           "địa phương trước ngày 15 tháng 6 năm 2024 để tổng hợp, trả lời tại Hội nghị, qua đường dẫn của đơn vị "
           "(mã QR cuối trang): ")
    contact = (". Thông tin liên hệ: Bà Trần Thị Ngọc Ánh, Phó Chánh Văn phòng HĐND và UBND thị xã, "
               "điện thoại 0914 062 739.")
    links = {u.organisation_id: u.active_link.token for u in units.listing(demo_meeting.id)}
    for person in (commune, ward):
        text = admin_client.get(f"{base}?id={person.id}").text
        assert ask in text and f"/u/{links[person.organisation_id]}</span>{contact}" in text
        assert "Mã gửi báo cáo của đơn vị" in text
    text = admin_client.get(f"{base}?id={town.id}").text
    assert "Đề nghị Thường trực" not in text and "/u/" not in text
    # A Ban's people: the link without the communes' paragraph.
    ban = next(p for p in demo_meeting.invitees if p.organisation_id in links and not p.of_commune)
    text = admin_client.get(f"{base}?id={ban.id}").text
    assert "Đề nghị Thường trực" not in text
    assert "Đề nghị đơn vị gửi báo cáo qua đường dẫn của đơn vị (mã QR cuối trang): " in text
    assert f"/u/{links[ban.organisation_id]}" in text
    meetings.update_meeting(demo_meeting, {"reports_due": None}, revision=demo_meeting.details_revision)
    assert "Đề nghị Thường trực" not in admin_client.get(f"{base}?id={commune.id}").text


def test_language_switch_to_english(client, app):
    r = client.get("/lang/en?next=/login")
    assert r.status_code == 302 and "lang=en" in r.headers["Set-Cookie"]
    page = client.get("/login")
    assert '<html lang="en">' in page.text and "Log in" in page.text
    client.get("/lang/vi?next=/login")
    assert "Đăng nhập" in client.get("/login").text


def test_form_messages_in_english(admin_client, demo_meeting):
    admin_client.get("/lang/en")
    r = admin_client.post(f"/meetings/{demo_meeting.id}/agenda/", data={"title": "X", "kind": "report",
                                                                       "planned_minutes": "năm"},
                          headers=hx(admin_client, f"/meetings/{demo_meeting.id}/agenda/"))
    assert r.status_code == 422 and "Please enter a whole number." in r.text


def test_missing_csrf_changes_nothing(admin_client, demo_meeting):
    r = admin_client.post(f"/meetings/{demo_meeting.id}/agenda/", data={"title": "X", "kind": "report",
                                                                       "planned_minutes": "5"}, headers=HX)
    assert r.status_code == 400 and "thiếu mã bảo mật" in r.text
    assert r.headers["HX-Retarget"] == "#flash"
    assert db.session.scalar(select(func.count(AgendaItem.id))) == 7


def test_healthz_says_when_the_database_does_not_answer(client, app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", down)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json["status"] == "error"


def test_organisations_screen(admin_client, demo_meeting):
    headers = hx(admin_client, "/organisations/")
    page = admin_client.get("/organisations/")
    assert page.status_code == 200 and "Phường Phổ Hòa" in page.text and "HĐND xã Phổ An" in page.text
    r = admin_client.post("/organisations/", data={"name": "Phòng Nội vụ thị xã", "short_name": "Phòng Nội vụ",
                                                   "kind": "town"}, headers=headers)
    assert r.status_code == 200 and 'id="organisations"' in r.text and "Phòng Nội vụ thị xã" in r.text
    r = admin_client.post("/organisations/", data={"name": "", "kind": "town"}, headers=headers)
    assert r.status_code == 422 and "Vui lòng nhập mục này." in r.text
    used = demo_meeting.invitees[0].organisation
    r = admin_client.post(f"/organisations/{used.id}/delete", data={"seen": organisations.shown(used)},
                          headers=headers)
    assert r.status_code == 409 and "không thể xóa" in r.text and r.headers["HX-Retarget"] == "#flash"


def test_a_unit_changed_on_another_laptop_is_not_overwritten_or_deleted_unseen(admin_client, demo_meeting):
    headers = hx(admin_client, "/organisations/")
    unit = organisations.add_organisation("Phòng Tư pháp thị xã", short_name="Phòng Tư pháp", kind="town",
                                          actor="test")
    form = admin_client.get(f"/organisations/{unit.id}/edit", headers=HX).text
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"', form).group(1)
    assert seen == organisations.shown(unit)
    organisations.update_organisation(unit, name="Phòng Tư pháp thị xã Đức Phổ", short_name="Phòng Tư pháp",
                                      kind="town", actor="test", seen=seen)  # the other laptop, first
    typed = {"name": "Phòng Tư pháp", "short_name": "Tư pháp", "kind": "town"}
    r = admin_client.post(f"/organisations/{unit.id}", data={**typed, "seen": seen}, headers=headers)
    assert r.status_code == 409 and "đã được sửa trên máy khác" in r.text
    assert "Bản đã lưu từ máy khác:" in r.text and "Phòng Tư pháp thị xã Đức Phổ" in r.text
    assert 'value="Tư pháp"' in r.text  # what was typed stays
    db.session.expire_all()
    assert unit.name == "Phòng Tư pháp thị xã Đức Phổ"
    r = admin_client.post(f"/organisations/{unit.id}/delete", data={"seen": seen}, headers=headers)
    assert r.status_code == 409 and "vừa được sửa trên máy khác nên chưa bị xóa" in r.text
    assert 'id="organisations"' in r.text
    now = re.search(r'name="seen" type="hidden" value="([0-9a-f]+)"',
                    admin_client.post(f"/organisations/{unit.id}", data={**typed, "seen": seen},
                                      headers=headers).text).group(1)
    r = admin_client.post(f"/organisations/{unit.id}", data={**typed, "seen": now}, headers=headers)  # knowingly
    assert r.status_code == 200
    db.session.expire_all()
    assert (unit.name, unit.short_name) == ("Phòng Tư pháp", "Tư pháp")
    r = admin_client.post(f"/organisations/{unit.id}/delete", data={"seen": organisations.shown(unit)},
                          headers=headers)
    assert r.status_code == 200
    assert db.session.scalar(select(Organisation.id).where(Organisation.id == unit.id)) is None
    for path, data in ((f"{unit.id}", {**typed, "seen": now}), (f"{unit.id}/delete", {"seen": now})):
        r = admin_client.post(f"/organisations/{path}", data=data, headers=headers)  # deleted meanwhile
        assert r.status_code == 404 and "Không tìm thấy đơn vị." in r.text and 'id="organisations"' in r.text
    r = admin_client.get(f"/organisations/{unit.id}/edit", headers=HX)
    assert r.status_code == 404 and 'id="organisations"' in r.text


def test_expired_session_returns_to_the_page_not_the_fragment(client, app):
    r = client.get("/meetings/1/invitees/table?q=nguyen", headers={
        **HX, "HX-Current-URL": "http://hoitruong.local:5000/meetings/1/invitees/?q=nguyen"})
    assert r.status_code == 401
    assert r.headers["HX-Redirect"] == "/login?next=/meetings/1/invitees/?q%3Dnguyen"


def test_a_pass_qr_code_is_drawn_once_for_the_phone_that_loads_it_again(client, demo_meeting, monkeypatch):
    drawn, draw = [], passes.qrcode.make
    monkeypatch.setattr(passes.qrcode, "make", lambda data, **kw: drawn.append(data) or draw(data, **kw))
    token = demo_meeting.invitees[6].active_token.token
    first, again = (client.get(f"/d/{token}/qr.svg") for _ in range(2))
    assert first.status_code == again.status_code == 200
    assert again.text == first.text and len(drawn) == 1


def test_invitations_warn_when_qr_codes_point_at_this_machine(admin_client, demo_meeting, app, monkeypatch):
    page = admin_client.get(f"/meetings/{demo_meeting.id}/invitations")
    assert "chỉ mở được trên chính máy này" not in page.text  # PUBLIC_BASE_URL is a LAN name here
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)
    page = admin_client.get(f"/meetings/{demo_meeting.id}/invitations")  # the test client is "localhost"
    assert "chỉ mở được trên chính máy này" in page.text


def test_one_invitation_by_id(admin_client, demo_meeting):
    base = f"/meetings/{demo_meeting.id}/invitations"
    assert admin_client.get(f"{base}?id=abc").status_code == 404
    assert admin_client.get(f"{base}?id=999999").status_code == 404
    assert admin_client.get(f"{base}?id={demo_meeting.invitees[3].id}").text.count('class="invitation"') == 1


def test_the_phone_keeps_its_pass_qr_but_no_shared_cache_does(client, demo_meeting):
    token = demo_meeting.invitees[0].active_token.token
    r = client.get(f"/d/{token}/qr.svg")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert r.headers["Cache-Control"] == "private, max-age=3600"
    assert "Cookie" not in r.headers.get("Vary", "")  # reused whatever cookies the phone gains
    assert client.get(f"/d/{token}").headers["Cache-Control"] == "private, no-store"  # the page itself: never kept
