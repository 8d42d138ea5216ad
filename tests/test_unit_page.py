"""What a reporting unit sends by its submission link: the report (services/reports.py) and the
kiến nghị (services/unit_kien_nghi.py), directly and over HTTP."""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from meetingday import files
from meetingday.extensions import db
from meetingday.models import AuditEntry, Document, KienNghi, Meeting, ReportingUnit
from meetingday.ratelimit import limiter
from meetingday.services import (
    kien_nghi,
    meetings,
    organisations,
    reports,
    unit_kien_nghi,
    units,
)
from meetingday.services.demo import REPORTS_BEFORE, meeting_details
from meetingday.services.demo_pdf import pdf_bytes
from meetingday.timeutil import utcnow

from .conftest import fresh, refused

PDF = pdf_bytes(["Báo cáo", "Dòng một"], embed=False)
SENDER = "Nguyễn Văn An, Phó Chủ tịch HĐND xã"


@pytest.fixture()
def unit(app):
    """Xã Phổ An's unit in a meeting whose reports are due in ten days; and Phường Phổ Vinh's."""
    day = date.today() + timedelta(days=10) + REPORTS_BEFORE
    m = meetings.create_meeting(meeting_details(datetime.combine(day, time(7, 30))), actor="test")
    organisations.add_organisation("HĐND xã Phổ An", short_name="Xã Phổ An", actor="test")
    organisations.add_organisation("HĐND phường Phổ Vinh", short_name="Phường Phổ Vinh", actor="test")
    organisations.add_organisation("Ban Pháp chế HĐND thị xã", short_name="Ban Pháp chế", actor="test")
    units.set_up(m.id, actor="test")
    return db.session.scalar(select(ReportingUnit).join(ReportingUnit.organisation)
                             .where(ReportingUnit.meeting_id == m.id, ReportingUnit.organisation.has(short_name="Xã Phổ An")))


def other(unit_: ReportingUnit, short_name: str) -> ReportingUnit:
    return next(u for u in units.listing(unit_.meeting_id) if u.organisation.short_name == short_name)


def past_deadline(unit_: ReportingUnit) -> None:
    m = db.session.get(Meeting, unit_.meeting_id)
    m.reports_due = date.today() - timedelta(days=1)
    db.session.commit()


def stored() -> set:
    return set(files.folder().iterdir())


def token(unit_: ReportingUnit) -> str:
    return fresh(ReportingUnit, unit_.id).active_link.token


# --------------------------------------------------------------------------- the report

def test_a_report_is_stored_and_audited_without_the_token(unit):
    doc = reports.submit(token(unit), PDF, "../Báo cáo 6 tháng.PDF", f"  {SENDER} ")
    doc = fresh(Document, doc.id)
    assert (doc.unit_id, doc.kind, doc.size, doc.late) == (unit.id, "pdf", len(PDF), False)
    assert doc.filename == "Báo cáo 6 tháng.pdf" and doc.submitted_by == SENDER
    assert doc.title == "Báo cáo của Xã Phổ An"
    assert files.path_of(doc.stored_name).read_bytes() == PDF
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report.submit"))
    assert entry.actor == f"unit:{unit.id}"
    text = str(entry.details)
    assert str(len(PDF)) in text and "Báo cáo 6 tháng.pdf" in text and token(unit) not in text


def test_sent_again_before_the_deadline_replaces_and_keeps_the_old_file(unit):
    first = reports.submit(unit, PDF, "a.pdf", SENDER)
    second = reports.submit(fresh(ReportingUnit, unit.id), PDF + b"\n", "b.pdf", SENDER, seen=str(first.id))
    unit_ = fresh(ReportingUnit, unit.id)
    assert [d.id for d in reports.current(unit_)] == [second.id]
    old = db.session.get(Document, first.id)
    assert old.withdrawn_at is not None and files.path_of(old.stored_name).is_file()


def test_after_the_deadline_it_is_kept_late_beside_the_one_on_time(unit):
    on_time = reports.submit(unit, PDF, "a.pdf", SENDER)
    past_deadline(unit)
    late = reports.submit(fresh(ReportingUnit, unit.id), PDF + b"\n", "b.pdf", SENDER)
    again = reports.submit(fresh(ReportingUnit, unit.id), PDF + b"\n\n", "c.pdf", SENDER)
    standing = reports.current(fresh(ReportingUnit, unit.id))
    assert [(d.id, d.late) for d in standing] == [(on_time.id, False), (again.id, True)]
    assert db.session.get(Document, late.id).withdrawn_at is not None


@pytest.mark.parametrize("data, code", [(b"", "file_missing"), (b"<html><script>alert(1)</script>", "file_type")])
def test_bad_files_are_refused_and_nothing_is_stored(unit, data, code):
    before = stored()
    refused(code, reports.submit, unit, data, "x.pdf", SENDER)
    assert stored() == before


def test_a_file_too_big_is_refused(unit, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", len(PDF) - 1)
    before = stored()
    refused("file_too_big", reports.submit, unit, PDF, "x.pdf", SENDER)
    assert stored() == before


def test_the_sender_is_required_and_nothing_is_stored(unit):
    before = stored()
    e = refused("sender_required", reports.submit, unit, PDF, "x.pdf", "   ")
    assert "người gửi" in str(e.message)
    assert stored() == before


def test_closed_submissions_refuse_everything(unit):
    m = db.session.get(Meeting, unit.meeting_id)
    m.submissions_closed_at = utcnow()
    db.session.commit()
    refused("submissions_closed", reports.submit, token(unit), PDF, "x.pdf", SENDER)
    refused("submissions_closed", unit_kien_nghi.add, token(unit), "Đề nghị sửa đường.", SENDER)


def test_a_report_replaced_on_another_screen_is_not_replaced_unseen(unit):
    reports.submit(unit, PDF, "a.pdf", SENDER, seen="")
    refused("report_changed", reports.submit, fresh(ReportingUnit, unit.id), PDF, "b.pdf", SENDER, seen="")


def test_withdraw_before_the_deadline_only(unit):
    doc = reports.submit(unit, PDF, "a.pdf", SENDER)
    past_deadline(unit)
    refused("report_past_deadline", reports.withdraw, token(unit), doc.id, seen=str(doc.id))
    m = db.session.get(Meeting, unit.meeting_id)
    m.reports_due = date.today() + timedelta(days=3)
    db.session.commit()
    reports.withdraw(token(unit), doc.id, seen=str(doc.id))
    assert reports.current(fresh(ReportingUnit, unit.id)) == []


def docx_bytes() -> bytes:
    import docx
    document = docx.Document()
    document.add_paragraph("Báo cáo 6 tháng đầu năm của HĐND xã Phổ An.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_report_is_kept_with_its_pdf_and_opened_either_way(unit, client, monkeypatch):
    made = files.store(PDF)  # what LibreOffice would make (not run here: it takes seconds)
    monkeypatch.setattr(files, "convert_to_pdf", lambda key: made)
    doc = reports.submit(unit, docx_bytes(), "Báo cáo.docx", SENDER)
    assert (doc.kind, doc.pdf_name) == ("docx", made.key)
    tok = token(unit)
    word = client.get(f"/u/{tok}/report?d={doc.id}")
    assert word.headers["Content-Disposition"].startswith("attachment") and word.data[:2] == b"PK"
    shown = client.get(f"/u/{tok}/report?d={doc.id}&as=pdf")
    assert shown.headers["Content-Disposition"].startswith("inline") and shown.data == PDF


def test_the_days_left_count_today_and_end_at_the_deadline(unit):
    m = db.session.get(Meeting, unit.meeting_id)
    m.reports_due = date(2024, 6, 15)
    noon = lambda d: datetime(2024, 6, d, 5, 0)  # noqa: E731 - 12:00 in Vietnam
    assert [units.days_left(m, noon(d)) for d in (10, 14, 15)] == [5, 1, 0]
    assert [units.is_late(m, noon(d)) for d in (14, 15)] == [False, True]


# --------------------------------------------------------------------------- kiến nghị

def test_a_unit_kien_nghi_joins_the_secretarys_list(unit):
    kn = unit_kien_nghi.add(token(unit), "Đề nghị sửa đường liên thôn.", SENDER)
    kn = fresh(KienNghi, kn.id)
    assert (kn.unit_id, kn.submitted_by, kn.late, kn.organisation_id) == (unit.id, SENDER, False, unit.organisation_id)
    assert kn.id in [k.id for k in kien_nghi.listing(db.session.get(Meeting, unit.meeting_id))]
    refused("kien_nghi_duplicate", unit_kien_nghi.add, token(unit), "Đề nghị sửa đường liên thôn.", SENDER)
    refused("content_required", unit_kien_nghi.add, token(unit), "  ", SENDER)
    refused("sender_required", unit_kien_nghi.add, token(unit), "Đề nghị khác.", "")


def test_edit_and_delete_own_before_the_deadline_then_refused(unit):
    kn = unit_kien_nghi.add(token(unit), "Đề nghị sửa đường.", SENDER)
    kn = unit_kien_nghi.update(token(unit), kn.id, "Đề nghị sửa đường liên xã.", seen=kien_nghi.edit_token(kn))
    assert fresh(KienNghi, kn.id).content == "Đề nghị sửa đường liên xã."
    refused("stale", unit_kien_nghi.update, token(unit), kn.id, "Khác.", seen="1")
    past_deadline(unit)
    kn = fresh(KienNghi, kn.id)
    refused("kien_nghi_past_deadline", unit_kien_nghi.update, token(unit), kn.id, "Khác.",
            seen=kien_nghi.edit_token(kn))
    refused("kien_nghi_past_deadline", unit_kien_nghi.delete, token(unit), kn.id, seen=kien_nghi.edit_token(kn))
    late = unit_kien_nghi.add(token(unit), "Đề nghị mới sau hạn.", SENDER)
    assert fresh(KienNghi, late.id).late is True


def test_another_units_kien_nghi_is_not_found(unit):
    vinh = other(unit, "Phường Phổ Vinh")
    kn = unit_kien_nghi.add(vinh, "Đề nghị của phường.", SENDER)
    refused("kien_nghi_not_found", unit_kien_nghi.delete, token(unit), kn.id, seen=kien_nghi.edit_token(kn))


def test_a_ban_sends_no_kien_nghi(unit):
    refused("kien_nghi_not_asked", unit_kien_nghi.add, other(unit, "Ban Pháp chế"), "Đề nghị.", SENDER)


def test_an_import_has_its_commune_fixed(unit):
    csv = ("Đơn vị,Nội dung\n,Đề nghị thứ nhất.\nXã Phổ An,Đề nghị thứ hai.\n"
           "Phường Phổ Vinh,Đề nghị của nơi khác.\n").encode()
    result = unit_kien_nghi.preview(token(unit), "kn.csv", csv, SENDER)
    assert [r.ok for r in result.rows] == [True, True, False]
    assert "Phường Phổ Vinh" in str(result.rows[2].errors[0])
    blob = unit_kien_nghi.sign(unit, result)
    refused("import_tampered", __import__("meetingday.services.kien_nghi_import", fromlist=["apply"]).apply,
            unit.meeting_id, blob, only_valid=True)  # a unit's preview is not the staff's
    added, skipped = unit_kien_nghi.apply(token(unit), blob, SENDER, only_valid=True)
    assert (added, len(skipped)) == (2, 1)
    rows = unit_kien_nghi.own(fresh(ReportingUnit, unit.id))
    assert [(k.organisation_id, k.submitted_by) for k in rows] == [(unit.organisation_id, SENDER)] * 2


def test_a_content_only_file_imports_for_the_unit(unit):
    result = unit_kien_nghi.preview(unit, "kn.csv", "Nội dung\nĐề nghị một.\n".encode(), SENDER)
    assert [r.ok for r in result.rows] == [True]


# --------------------------------------------------------------------------- over HTTP

def csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def post_file(client, tok, data: bytes, name: str, sender=SENDER, hx=True):
    headers = {"X-CSRFToken": csrf(client, f"/u/{tok}")}
    if hx:
        headers["HX-Request"] = "true"
    return client.post(f"/u/{tok}/report", data={"file": (io.BytesIO(data), name), "sent_by": sender},
                       headers=headers, content_type="multipart/form-data")


def test_http_upload_then_open_inline(unit, client):
    tok = token(unit)
    response = post_file(client, tok, PDF, "Báo cáo.pdf")
    assert response.status_code == 200 and "Đã nhận báo cáo" in response.get_data(as_text=True)
    opened = client.get(f"/u/{tok}/report")
    assert opened.status_code == 200 and opened.data == PDF
    assert opened.mimetype == "application/pdf" and opened.headers["Content-Disposition"].startswith("inline")
    page = client.get(f"/u/{tok}").get_data(as_text=True)
    assert "Báo cáo.pdf" in page and SENDER in page and "Còn 10 ngày." in page


def test_http_html_named_pdf_is_refused_and_nothing_stored(unit, client):
    before = stored()
    response = post_file(client, token(unit), b"<!doctype html><script>alert(1)</script>", "bao-cao.pdf")
    assert response.status_code == 415
    assert "Chỉ nhận tệp PDF hoặc Word" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert stored() == before


def test_http_plain_form_error_shows_the_page_with_the_message(unit, client):
    response = post_file(client, token(unit), PDF, "a.pdf", sender="", hx=False)
    assert response.status_code == 422
    assert "Đề nghị ghi họ tên và chức vụ của người gửi." in response.get_data(as_text=True)


def test_http_plain_form_success_comes_back_to_the_page(unit, client):
    tok = token(unit)
    response = post_file(client, tok, PDF, "a.pdf", hx=False)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/u/{tok}#unit-report")
    assert "Đã nhận báo cáo “a.pdf”." in client.get(f"/u/{tok}").get_data(as_text=True)


def test_http_upload_over_the_limit_is_refused(unit, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    response = post_file(client, token(unit), PDF + b"0" * 600_000, "a.pdf")
    assert response.status_code == 413
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_http_revoked_link_is_no_longer_available(unit, client):
    tok = token(unit)
    units.revoke_link(unit.meeting_id, unit.id, fresh(ReportingUnit, unit.id).active_link.id, actor="test")
    for response in (client.get(f"/u/{tok}"), client.get(f"/u/{tok}/report")):
        assert response.status_code == 404
        assert "Đường dẫn này không còn hiệu lực" in response.get_data(as_text=True)


def test_http_add_kien_nghi_with_errors_on_the_form(unit, client):
    tok = token(unit)
    headers = {"X-CSRFToken": csrf(client, f"/u/{tok}"), "HX-Request": "true"}
    response = client.post(f"/u/{tok}/kien-nghi", data={"content": "Đề nghị nạo vét kênh.", "sent_by": ""},
                           headers=headers)
    assert response.status_code == 422 and "Đề nghị ghi họ tên" in response.get_data(as_text=True)
    response = client.post(f"/u/{tok}/kien-nghi", data={"content": "Đề nghị nạo vét kênh.", "sent_by": SENDER},
                           headers=headers)
    assert response.status_code == 200 and "Đề nghị nạo vét kênh." in response.get_data(as_text=True)


def test_http_a_stale_edit_shows_the_card_as_it_is_now(unit, client):
    tok = token(unit)
    kn = unit_kien_nghi.add(tok, "Đề nghị sửa cầu treo.", SENDER)
    unit_kien_nghi.update(tok, kn.id, "Đề nghị sửa cầu treo thôn 3.", seen=kien_nghi.edit_token(kn))
    headers = {"X-CSRFToken": csrf(client, f"/u/{tok}"), "HX-Request": "true"}
    response = client.post(f"/u/{tok}/kien-nghi/{kn.id}", data={"content": "Khác.", "seen": "1"}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "vừa được thay đổi" in html and "Đề nghị sửa cầu treo thôn 3." in html
    assert fresh(KienNghi, kn.id).content == "Đề nghị sửa cầu treo thôn 3."


def test_http_import_preview_then_confirm(unit, client):
    tok = token(unit)
    headers = {"X-CSRFToken": csrf(client, f"/u/{tok}"), "HX-Request": "true"}
    csv = "Đơn vị,Nội dung\n,Đề nghị lát bê tông đường thôn.\nPhường Phổ Vinh,Của nơi khác.\n".encode()
    preview = client.post(f"/u/{tok}/kien-nghi/import", headers=headers, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(csv), "kn.csv"), "sent_by": SENDER})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "chỉ nhập được kiến nghị của Xã Phổ An" in html
    blob = html.split('name="rows" value="', 1)[1].split('"', 1)[0]
    done = client.post(f"/u/{tok}/kien-nghi/import/confirm", headers=headers,
                       data={"rows": blob, "only_valid": "1", "sent_by": SENDER})
    assert done.status_code == 200 and "Đã nhập 1 kiến nghị; bỏ qua 1 dòng lỗi." in done.get_data(as_text=True)
    assert 'id="unit-kn-list" class="unit-kn-list" hx-swap-oob="true"' in done.get_data(as_text=True)
    assert [k.content for k in unit_kien_nghi.own(fresh(ReportingUnit, unit.id))] == ["Đề nghị lát bê tông đường thôn."]


def test_http_the_links_are_rate_limited(unit, app):
    app.config["RATELIMIT_IN_TESTS"] = True
    limiter.reset()
    try:
        tok = token(unit)
        limit = int(app.config["RATELIMIT_PASS"].split()[0])
        client = app.test_client()
        statuses = [client.get(f"/u/{tok}/kien-nghi").status_code for _ in range(limit + 1)]
        assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
        assert client.get(f"/u/{tok}").status_code == 429  # every address of this link
    finally:
        app.config["RATELIMIT_IN_TESTS"] = False
        limiter.reset()
