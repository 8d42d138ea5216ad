"""The Văn phòng's board of reporting units: the services it changes things through (contacts,
links, closing and reopening submissions), what it counts (sent, late, missing), the missing
units' workbook and reminders, and its HTTP routes (the secretariat only)."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select, update

from meetingday import files, live, topics
from meetingday.errors import DomainError
from meetingday.extensions import db
from meetingday.models import AuditEntry, Document, KienNghi, KienNghiStatus, Meeting, ReportingUnit, Role
from meetingday.services import unit_board, units, units_export
from meetingday.timeutil import utcnow

from .conftest import connect, csrf_token, fresh, login, make_user, received, refused

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def unit_named(meeting_id: int, short_name: str) -> ReportingUnit:
    return next(u for u in units.listing(meeting_id) if u.organisation.short_name == short_name)


def send_report(unit: ReportingUnit, *, late: bool = False, by: str = "Nguyễn Văn Tâm", withdrawn: bool = False,
                title: str = "Báo cáo 6 tháng đầu năm 2024") -> Document:
    """What the unit's page will record when a unit sends its report (until that code lands)."""
    stored = files.store(PDF)
    doc = Document(meeting_id=unit.meeting_id, unit_id=unit.id, title=title, filename="bao-cao.pdf", kind="pdf",
                   size=stored.size, sha256="0" * 64, stored_name=stored.key, submitted_by=by, late=late,
                   withdrawn_at=utcnow() if withdrawn else None)
    db.session.add(doc)
    db.session.commit()
    return doc


def send_kien_nghi(unit: ReportingUnit, *, late: bool = False, status=KienNghiStatus.PENDING) -> KienNghi:
    kn = KienNghi(meeting_id=unit.meeting_id, organisation_id=unit.organisation_id, unit_id=unit.id,
                  content="Đề nghị hỗ trợ kinh phí sửa chữa đường liên thôn.", late=late, status=status)
    db.session.add(kn)
    db.session.commit()
    return kn


@pytest.fixture()
def meeting(demo_meeting) -> Meeting:
    """The demo meeting with nothing sent by the units' links (the demo's reports and kiến nghị
    by link taken back): each test says what was sent."""
    db.session.execute(delete(Document).where(Document.meeting_id == demo_meeting.id, Document.unit_id.is_not(None)))
    db.session.execute(update(KienNghi).where(KienNghi.meeting_id == demo_meeting.id)
                       .values(unit_id=None, submitted_by="", late=False))
    db.session.commit()
    return demo_meeting


# --------------------------------------------------------------------------- services

def test_set_contact_records_and_refuses_a_stale_screen(meeting):
    unit = unit_named(meeting.id, "Xã Phổ Châu")
    units.set_contact(meeting.id, unit.id, "  Ông Lê Văn Hòa,   Chánh Văn phòng, 0905 111 222 ", "", actor="test")
    assert fresh(ReportingUnit, unit.id).contact == "Ông Lê Văn Hòa, Chánh Văn phòng, 0905 111 222"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.contact"))
    assert entry is not None and entry.entity_id == unit.id
    # Another screen still showed it empty: refused, nothing changes.
    error = refused("unit_contact_changed", units.set_contact, meeting.id, unit.id, "Bà Trần Thị Mai", "")
    assert "Ông Lê Văn Hòa" in str(error.message)
    refused("unit_contact_too_long", units.set_contact, meeting.id, unit.id, "x" * 301,
            "Ông Lê Văn Hòa, Chánh Văn phòng, 0905 111 222")
    refused("unit_not_found", units.set_contact, meeting.id, 999999, "x", "")


def test_close_and_reopen_submissions(meeting):
    units.close_submissions(meeting.id, actor="test")
    m = fresh(Meeting, meeting.id)
    assert m.submissions_closed_at is not None
    with pytest.raises(DomainError) as closed:
        units.require_open(m)
    assert closed.value.code == "submissions_closed"
    refused("submissions_already_closed", units.close_submissions, meeting.id)
    units.reopen_submissions(meeting.id, actor="test")
    m = fresh(Meeting, meeting.id)
    assert m.submissions_closed_at is None
    units.require_open(m)
    refused("submissions_already_open", units.reopen_submissions, meeting.id)
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("units.%submissions"))))
    assert actions == ["units.close_submissions", "units.reopen_submissions"]


def test_changes_announce_the_units_topic(meeting, monkeypatch):
    told = []
    monkeypatch.setattr("meetingday.live.publish", lambda meeting_id, *t: told.append((meeting_id, t)))
    unit = unit_named(meeting.id, "Phường Nguyễn Nghiêm")
    units.set_contact(meeting.id, unit.id, "Bà Phạm Thị Lan", "")
    units.reissue_link(meeting.id, unit.id, unit.active_link.id)
    units.close_submissions(meeting.id)
    assert told == [(meeting.id, (topics.UNITS,))] * 3


# --------------------------------------------------------------------------- what the board counts

def test_the_board_counts_sent_late_and_missing(meeting):
    on_time = unit_named(meeting.id, "Phường Nguyễn Nghiêm")
    late = unit_named(meeting.id, "Xã Phổ Châu")
    withdrawn = unit_named(meeting.id, "Xã Phổ An")
    ban = next(u for u in units.listing(meeting.id) if units.is_ban(u.organisation))
    send_report(on_time, title="Bản cũ")
    current = send_report(on_time, title="Bản cuối")
    send_report(on_time, title="Bản bổ sung", late=True)  # after the deadline, beside the on-time one
    send_report(late, late=True)
    send_report(withdrawn, withdrawn=True)   # withdrawn: still missing
    send_kien_nghi(late, late=True)
    send_kien_nghi(late)
    send_kien_nghi(on_time, status=KienNghiStatus.WITHDRAWN)  # left out
    b = unit_board.board(fresh(Meeting, meeting.id))
    rows = {r.name: r for r in b.rows}
    assert [r.unit.id for r in b.rows] == [u.id for u in units.listing(meeting.id)]
    assert rows[on_time.organisation.short_name].report.id == current.id  # sent on time, though a later one came late
    assert rows[late.organisation.short_name].report.late
    assert (rows[late.organisation.short_name].kn_total, rows[late.organisation.short_name].kn_late) == (2, 1)
    assert rows[on_time.organisation.short_name].kn_total == 0
    assert rows[withdrawn.organisation.short_name].missing and rows[ban.organisation.short_name].missing
    assert not rows[on_time.organisation.short_name].missing
    assert (b.sent, b.asked, b.kien_nghi) == (2, len(b.rows), 2)
    assert len(b.missing) == b.asked - 2


def test_days_left_and_days_over(meeting):
    m = fresh(Meeting, meeting.id)
    noon = utcnow().replace(hour=5, minute=0, second=0, microsecond=0)  # 12:00 in the hall
    today = date(noon.year, noon.month, noon.day)
    m.reports_due = today + timedelta(days=6)
    b = unit_board.board(m, now=noon)
    assert (b.days_left, b.days_over) == (6, None)
    m.reports_due = today - timedelta(days=2)  # due "before" two days ago: the last day was three days ago
    b = unit_board.board(m, now=noon)
    assert (b.days_left, b.days_over) == (None, 3)
    m.reports_due = today
    assert unit_board.board(m, now=noon).days_over == 1
    db.session.rollback()


def test_missing_units_workbook_and_reminders(app, meeting, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "http://192.168.1.10:5000")
    sent = unit_named(meeting.id, "Phường Nguyễn Nghiêm")
    send_report(sent)
    commune = unit_named(meeting.id, "Xã Phổ Châu")
    units.set_contact(meeting.id, commune.id, "Ông Lê Văn Hòa, 0905 111 222", "")
    with app.test_request_context():
        m = fresh(Meeting, meeting.id)
        b = unit_board.board(m)
        ws = load_workbook(io.BytesIO(units_export.workbook_bytes(m))).active
        text = unit_board.reminders(b)
    header = next(r for r in range(1, 6) if ws.cell(r, 1).value == "STT")
    names = [ws.cell(r, 2).value for r in range(header + 1, ws.max_row + 1)]
    assert len(names) == len(b.missing) and sent.organisation.name not in names
    assert commune.organisation.name in names
    row = header + 1 + names.index(commune.organisation.name)
    assert ws.cell(row, 3).value == "Ông Lê Văn Hòa, 0905 111 222"
    token = fresh(ReportingUnit, commune.id).active_link.token
    assert ws.cell(row, 4).value == f"http://192.168.1.10:5000/u/{token}"
    assert ws.page_setup.orientation == "landscape"
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == len(b.missing)
    mine = next(p for p in paragraphs if commune.organisation.name in p)
    assert mine.startswith(f"Kính gửi {commune.organisation.name}, đề nghị Quý đơn vị gửi báo cáo")
    assert "kiến nghị" in mine and f"trước ngày {m.reports_due:%d/%m/%Y}" in mine
    assert f"qua đường dẫn: http://192.168.1.10:5000/u/{token}" in mine
    assert not any(sent.organisation.name in p for p in paragraphs)


# --------------------------------------------------------------------------- HTTP

@pytest.fixture()
def admin(app, meeting):
    make_user("vp_board", Role.ADMIN)
    client = app.test_client()
    login(client, "vp_board")
    return client


def test_the_board_page_shows_each_unit(admin, meeting):
    unit = unit_named(meeting.id, "Xã Phổ Châu")
    send_report(unit, late=True, by="Trần Văn Bình")
    send_kien_nghi(unit, late=True)
    html = admin.get(f"/meetings/{meeting.id}/units").text
    assert 'data-sent="1"' in html and "đơn vị đã gửi báo cáo" in html and "kiến nghị đã nhận" in html
    row = html[html.index(f'id="unit-{unit.id}"'):]
    row = row[:row.index("</tr>")]
    assert "nộp muộn" in row and "Trần Văn Bình" in row and f"/meetings/{meeting.id}/units/{unit.id}/report" in row
    assert f"/u/{unit.active_link.token}" in row
    assert "chưa gửi" in html  # the others
    show = admin.get(f"/meetings/{meeting.id}").text
    assert f"/meetings/{meeting.id}/units" in show


def test_the_report_downloads_for_staff_only(app, admin, meeting):
    unit = unit_named(meeting.id, "Xã Phổ Châu")
    response = admin.get(f"/meetings/{meeting.id}/units/{unit.id}/report")
    assert response.status_code == 404  # nothing sent yet
    send_report(unit)
    response = admin.get(f"/meetings/{meeting.id}/units/{unit.id}/report")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    make_user("thuky_board", Role.SECRETARY)
    other = app.test_client()
    login(other, "thuky_board")
    assert other.get(f"/meetings/{meeting.id}/units/{unit.id}/report").status_code == 403
    assert other.get(f"/meetings/{meeting.id}/units").status_code == 403


def test_reissue_revoke_and_contact_through_the_board(admin, meeting):
    unit = unit_named(meeting.id, "Xã Phổ Châu")
    old = unit.active_link
    token = csrf_token(admin, f"/meetings/{meeting.id}/units")
    base = f"/meetings/{meeting.id}/units/{unit.id}"
    r = admin.post(base + "/reissue", data={"csrf_token": token, "link": str(old.id)}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Đã cấp đường dẫn mới" in r.text
    new = fresh(ReportingUnit, unit.id).active_link
    assert new.id != old.id and f"/u/{new.token}" in r.text
    assert admin.get(f"/u/{old.token}").status_code == 404
    # The same click from a screen still showing the old link: refused, nothing changes.
    r = admin.post(base + "/reissue", data={"csrf_token": token, "link": str(old.id)}, headers={"HX-Request": "true"})
    assert r.status_code == 409 and "vừa được thay đổi" in r.text
    assert fresh(ReportingUnit, unit.id).active_link.id == new.id
    r = admin.post(base + "/revoke", data={"csrf_token": token, "link": str(new.id)}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Đã thu hồi" in r.text
    assert fresh(ReportingUnit, unit.id).active_link is None
    # The contact, through its inline form.
    assert 'name="seen" value=""' in admin.get(base + "/contact").text
    r = admin.post(base + "/contact", data={"csrf_token": token, "contact": "Bà Phạm Thị Lan", "seen": ""},
                   headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Bà Phạm Thị Lan" in r.text and 'hx-swap-oob="true"' in r.text
    r = admin.post(base + "/contact", data={"csrf_token": token, "contact": "x" * 301, "seen": "Bà Phạm Thị Lan"},
                   headers={"HX-Request": "true"})
    assert r.status_code == 422 and "300 ký tự" in r.text
    # From a screen that still showed no contact: refused, the form comes back over the contact as it is.
    r = admin.post(base + "/contact", data={"csrf_token": token, "contact": "Ông Võ Văn Hùng", "seen": ""},
                   headers={"HX-Request": "true"})
    assert r.status_code == 409 and "vừa được sửa trên máy khác" in r.text
    assert 'name="seen" value="Bà Phạm Thị Lan"' in r.text and 'value="Ông Võ Văn Hùng"' in r.text
    assert fresh(ReportingUnit, unit.id).contact == "Bà Phạm Thị Lan"


def test_close_reopen_and_exports_over_http(admin, meeting):
    token = csrf_token(admin, f"/meetings/{meeting.id}/units")
    r = admin.post(f"/meetings/{meeting.id}/units/close", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Mở lại" in r.text
    assert fresh(Meeting, meeting.id).submissions_closed_at is not None
    r = admin.post(f"/meetings/{meeting.id}/units/close", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert r.status_code == 409
    r = admin.post(f"/meetings/{meeting.id}/units/reopen", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Khóa nhận báo cáo, kiến nghị" in r.text
    r = admin.get(f"/meetings/{meeting.id}/units/missing.xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert load_workbook(io.BytesIO(r.data)).active.max_row > 5
    r = admin.get(f"/meetings/{meeting.id}/units/reminders")
    assert r.status_code == 200 and "Kính gửi" in r.text and "/u/" in r.text
    admin.get("/lang/en")  # the screen in English, the reminders still in Vietnamese: they go to the units
    r = admin.get(f"/meetings/{meeting.id}/units/reminders")
    assert "Reminders to the units" in r.text and "Kính gửi" in r.text and "Trân trọng." in r.text


def test_a_change_pushes_the_summary_without_contacts_or_links(app, meeting):
    """Staff screens of every role get the summary (counts, closed or open), which makes the
    board's table reload itself; no contact and no link travels in the push."""
    make_user("letan_board", Role.DOOR)
    door_http = app.test_client()
    login(door_http, "letan_board")
    door = connect(app, {"meeting": meeting.id}, door_http)
    assert door.is_connected()
    door.get_received()
    unit = unit_named(meeting.id, "Xã Phổ Châu")
    units.set_contact(meeting.id, unit.id, "Ông Lê Văn Hòa, 0905 111 222", "")
    send_report(unit)
    live.publish(meeting.id, topics.UNITS)  # as the unit's page will, after its commit
    pushed = received(door).swaps
    html = pushed["#units-summary"]
    assert 'data-sent="1"' in html and f"/meetings/{meeting.id}/units/table" in html and 'hx-trigger="load"' in html
    assert set(pushed) == {"#units-summary", "#docs-list"}  # the documents screen lists the report too
    for html in pushed.values():
        assert "0905 111 222" not in html and unit.active_link.token not in html and "/u/" not in html
    door.disconnect()
