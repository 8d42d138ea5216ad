"""A Ban prepares its answers over HTTP: through its own unit link (/u/<token>) and through a Ban
account (/meetings/<id>/ban, where "/" sends it); what is refused and how it shows; and what the
secretary and the chair find of it on the day (the answer form pre-filled, the marks)."""
from __future__ import annotations

import html as htmlmod
import re

import pytest
from sqlalchemy import select

from meetingday.extensions import db
from meetingday.models import AuditEntry, KienNghi, Meeting, Organisation, ReportingUnit, Role
from meetingday.services import demo, units
from meetingday.services import kien_nghi as kn

from .conftest import connect, csrf_token, fresh, login, make_user

HX = {"HX-Request": "true"}
MARK = "Đã có trả lời chuẩn bị"
ANSWER = "Ban sẽ ban hành hướng dẫn phân công lại tổ đại biểu trong tháng 7."
BY = "Bà Lương Thị Kim Oanh, Phó Trưởng Ban Pháp chế HĐND thị xã"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", " ", html)))


def org(key: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.key == key))


def token_of(meeting_id: int, key: str) -> str:
    unit = db.session.scalar(select(ReportingUnit).where(ReportingUnit.meeting_id == meeting_id,
                                                         ReportingUnit.organisation_id == org(key).id))
    return unit.active_link.token


def rows_of(meeting_id: int, key: str) -> list[KienNghi]:
    return kn.of_ban(fresh(Meeting, meeting_id), org(key).id)


class Phone:
    """A Ban's phone on its link page."""

    def __init__(self, app, token: str):
        self.http = app.test_client()
        self.token = token
        self.page = self.http.get(f"/u/{token}")
        self.csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', self.page.text).group(1)

    def save(self, kn_id, answer=ANSWER, answered_by=BY, revision=None, csrf=True):
        if revision is None:
            revision = fresh(KienNghi, kn_id).draft_revision
        headers = {**HX, "X-CSRFToken": self.csrf} if csrf else HX
        return self.http.post(f"/u/{self.token}/answers/{kn_id}", headers=headers,
                              data={"answer": answer, "answered_by": answered_by, "revision": revision})


@pytest.fixture()
def phone(app, demo_meeting):
    return Phone(app, token_of(demo_meeting.id, "ban_phap_che"))


def blank(meeting_id: int, key: str = "ban_phap_che") -> KienNghi:
    return next(r for r in rows_of(meeting_id, key) if not r.has_draft)


# --------------------------------------------------------------------------- the link

def test_the_bans_link_lists_its_kien_nghi_with_their_drafts(phone, demo_meeting):
    assert phone.page.status_code == 200
    assert phone.page.headers["Cache-Control"] == "private, no-store"
    page = text(phone.page.text)
    mine, others = rows_of(demo_meeting.id, "ban_phap_che"), rows_of(demo_meeting.id, "ban_kinh_te_xa_hoi")
    assert "Chuẩn bị trả lời kiến nghị" in page and f"Đã chuẩn bị 2/{len(mine)} kiến nghị" in page
    for row in mine:
        assert f'id="ban-kn-{row.id}"' in phone.page.text and row.content in page
    for row in others:
        assert f'id="ban-kn-{row.id}"' not in phone.page.text
    assert 'value="Ông Trần Đình Nghĩa, Trưởng Ban Pháp chế HĐND thị xã"' in phone.page.text  # in its form
    assert "Người trả lời tại hội nghị" in page


def test_a_communes_link_has_no_answers_section(app, demo_meeting):
    page = app.test_client().get(f"/u/{token_of(demo_meeting.id, 'xa_pho_an')}")
    assert page.status_code == 200 and 'id="ban-answers"' not in page.text


def test_saving_by_the_link_returns_the_row_saved_and_audited(phone, demo_meeting):
    row = blank(demo_meeting.id)
    response = phone.save(row.id)
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "private, no-store"
    assert f'id="ban-kn-{row.id}"' in response.text and "Đã lưu lúc" in text(response.text)
    assert MARK in text(response.text) and 'name="revision" value="1"' in response.text
    saved = fresh(KienNghi, row.id)
    assert (saved.draft_answer, saved.draft_answered_by, saved.draft_revision) == (ANSWER, BY, 1)
    unit = db.session.scalar(select(ReportingUnit).where(ReportingUnit.organisation_id == org("ban_phap_che").id))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "kien_nghi.draft",
                                                       AuditEntry.entity_id == row.id))
    assert entry.actor == f"unit:{unit.id}" and entry.user_id is None


def test_a_draft_saved_meanwhile_is_shown_and_what_was_typed_kept(phone, demo_meeting):
    row = blank(demo_meeting.id)
    assert phone.save(row.id, answer="Bản từ máy khác.").status_code == 200
    response = phone.save(row.id, answer="Bản của tôi.", revision=0)
    assert response.status_code == 409
    page = text(response.text)
    assert "vừa được lưu từ máy khác" in page and "Bản đang lưu: Bản từ máy khác." in page
    assert "Bản của tôi." in page and 'name="revision" value="1"' in response.text  # saving again overwrites
    assert fresh(KienNghi, row.id).draft_answer == "Bản từ máy khác."
    assert phone.save(row.id, answer="Bản của tôi.", revision=1).status_code == 200
    assert fresh(KienNghi, row.id).draft_answer == "Bản của tôi."


def test_too_long_input_keeps_the_form_with_the_message_and_changes_nothing(phone, demo_meeting):
    row = blank(demo_meeting.id)
    response = phone.save(row.id, answered_by="Ông " + "A" * 200)
    assert response.status_code == 422
    assert "Tên người trả lời quá dài" in text(response.text) and ANSWER in text(response.text)
    response = phone.save(row.id, answer="x" * (kn.MAX_DRAFT + 1))
    assert response.status_code == 422 and "Nội dung trả lời quá dài" in text(response.text)
    assert fresh(KienNghi, row.id).draft_revision == 0


def test_another_bans_kien_nghi_a_revoked_link_and_no_csrf_are_refused(phone, demo_meeting):
    theirs = rows_of(demo_meeting.id, "ban_kinh_te_xa_hoi")[0]
    before = (theirs.draft_answer, theirs.draft_revision)
    response = phone.save(theirs.id)
    assert response.status_code == 403 and "không được giao cho Ban của Ông/Bà" in response.text
    assert response.headers["HX-Retarget"] == "#flash"
    commune = Phone(phone.http.application, token_of(demo_meeting.id, "xa_pho_an"))
    assert commune.save(theirs.id).status_code == 403  # a commune's link answers for no Ban
    fresh_row = fresh(KienNghi, theirs.id)
    assert (fresh_row.draft_answer, fresh_row.draft_revision) == before

    mine = blank(demo_meeting.id)
    assert phone.save(mine.id, csrf=False).status_code == 400
    unit = db.session.scalar(select(ReportingUnit).where(ReportingUnit.organisation_id == org("ban_phap_che").id))
    units.revoke_link(demo_meeting.id, unit.id, unit.active_link.id, actor="test")
    response = phone.save(mine.id)
    assert response.status_code == 404 and "không còn hiệu lực" in response.text
    assert fresh(KienNghi, mine.id).draft_revision == 0


def test_once_answered_at_the_meeting_the_row_shows_the_answer_instead_of_the_form(phone, demo_meeting):
    row = next(r for r in rows_of(demo_meeting.id, "ban_phap_che") if r.has_draft)
    kn.answer(demo_meeting.id, row.id, "Trả lời tại hội nghị.", "Ông Trần Đình Nghĩa", actor="test")
    response = phone.save(row.id)
    assert response.status_code == 409
    page = text(response.text)
    assert "Đã trả lời tại hội nghị: Trả lời tại hội nghị." in page and "nên không sửa câu trả lời" in page
    assert "<textarea" not in response.text


# --------------------------------------------------------------------------- a Ban's account

@pytest.fixture()
def ban_account(app, demo_meeting):
    client = app.test_client()
    assert login(client, "banphapche", demo.DEMO_PASSWORD).status_code == 302
    return client


def test_a_ban_account_lands_on_its_page_and_saves_there(ban_account, demo_meeting):
    landing = ban_account.get("/")
    assert landing.status_code == 302 and landing.headers["Location"].endswith(f"/meetings/{demo_meeting.id}/ban")
    page = ban_account.get(f"/meetings/{demo_meeting.id}/ban")
    assert page.status_code == 200 and "Ban Pháp chế HĐND thị xã" in page.text
    assert 'id="ban-answers"' in page.text and f"/meetings/{demo_meeting.id}/ban/answers/" in page.text
    row = blank(demo_meeting.id)
    token = csrf_token(ban_account, f"/meetings/{demo_meeting.id}/ban")
    response = ban_account.post(f"/meetings/{demo_meeting.id}/ban/answers/{row.id}", headers={**HX, "X-CSRFToken": token},
                                data={"answer": ANSWER, "answered_by": BY, "revision": "0"})
    assert response.status_code == 200 and "Đã lưu lúc" in text(response.text)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "kien_nghi.draft",
                                                       AuditEntry.entity_id == row.id))
    assert entry.actor == "user:banphapche"
    theirs = rows_of(demo_meeting.id, "ban_kinh_te_xa_hoi")[0]
    response = ban_account.post(f"/meetings/{demo_meeting.id}/ban/answers/{theirs.id}",
                                headers={**HX, "X-CSRFToken": token}, data={"answer": ANSWER, "revision": "1"})
    assert response.status_code == 403


def test_a_ban_account_gets_no_live_connection_to_the_staff_pushes(app, ban_account, demo_meeting):
    assert not connect(app, {"meeting": demo_meeting.id, "locale": "vi"}, ban_account).is_connected()
    make_user("thuky_live", Role.SECRETARY)  # the same connection of a staff account is let in
    staff = app.test_client()
    login(staff, "thuky_live")
    assert connect(app, {"meeting": demo_meeting.id, "locale": "vi"}, staff).is_connected()


def test_the_login_sends_a_ban_account_to_its_page(app, demo_meeting):
    client = app.test_client()
    response = login(client, "banphapche", demo.DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).headers["Location"].endswith(f"/meetings/{demo_meeting.id}/ban")


def test_an_account_of_no_ban_sees_no_form(app, demo_meeting):
    make_user("vanphong2", Role.ADMIN)
    client = app.test_client()
    login(client, "vanphong2")
    page = client.get(f"/meetings/{demo_meeting.id}/ban")
    assert page.status_code == 200 and "không gắn với Ban nào" in text(page.text)
    assert 'id="ban-answers"' not in page.text


# --------------------------------------------------------------------------- on the day

@pytest.fixture()
def secretary(app, demo_meeting):
    make_user("thuky_ban", Role.SECRETARY)
    client = app.test_client()
    login(client, "thuky_ban")
    return client


def test_the_answer_form_starts_from_the_draft_when_no_answer_is_recorded(secretary, demo_meeting):
    drafted = next(r for r in rows_of(demo_meeting.id, "ban_phap_che") if r.has_draft)
    form = secretary.get(f"/meetings/{demo_meeting.id}/kien-nghi/{drafted.id}/answer", headers=HX)
    assert form.status_code == 200
    page = text(form.text)
    assert "Câu trả lời Ban đã chuẩn bị" in page and drafted.draft_answer in page
    assert f'value="{drafted.draft_answered_by}"' in form.text

    plain = blank(demo_meeting.id)
    form = secretary.get(f"/meetings/{demo_meeting.id}/kien-nghi/{plain.id}/answer", headers=HX)
    assert "Câu trả lời Ban đã chuẩn bị" not in text(form.text)

    kn.answer(demo_meeting.id, drafted.id, "Trả lời đã ghi.", "Ông A", actor="test")  # recorded: that is shown
    form = secretary.get(f"/meetings/{demo_meeting.id}/kien-nghi/{drafted.id}/answer", headers=HX)
    assert "Trả lời đã ghi." in form.text and drafted.draft_answer not in text(form.text)
    assert "Câu trả lời Ban đã chuẩn bị" not in text(form.text)


def test_the_secretarys_list_and_the_speaker_form_mark_the_prepared_answers(secretary, demo_meeting):
    listing = secretary.get(f"/meetings/{demo_meeting.id}/kien-nghi/list", headers=HX)
    assert text(listing.text).count(MARK) == 3
    speakers = secretary.get(f"/meetings/{demo_meeting.id}/speakers")
    assert speakers.status_code == 200 and text(speakers.text).count(MARK) == 3
