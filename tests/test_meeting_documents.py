"""The meeting's documents: the services with their error codes, the documents screen (upload
limits, content checks, names), the delegate's link (headers, the open counted once, withdrawn
ones gone), the live pushes to the phones and the office, and the minutes naming them."""
from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import quote

import pytest
from sqlalchemy import delete, func, select

from meetingday import files, live, topics
from meetingday.extensions import db
from meetingday.models import (
    AgendaItem,
    AuditEntry,
    Document,
    DocumentOpen,
    Invitee,
    Meeting,
    Organisation,
    ReportingUnit,
    Role,
)
from meetingday.services import demo_pdf, flow, meeting_documents, record

from .conftest import at_once, connect, csrf_token, fresh, login, make_user, received, refused

PDF = demo_pdf.pdf_bytes(["Báo cáo kiểm thử", "Nội dung"])
GONE = "Tài liệu này không còn được cung cấp."


def docx_bytes(extra=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", f'<Types><Override PartName="/word/document.xml" '
                                          f'ContentType="{files.WORD_MAIN}"/></Types>')
        z.writestr("word/document.xml", "<w:document/>")
        for name in extra:
            z.writestr(name, "x")
    return out.getvalue()


@pytest.fixture()
def folder(app, tmp_path):
    """A files folder of this test's own, so that what is stored (or not) can be counted."""
    before = app.config.get("FILES_FOLDER")
    app.config["FILES_FOLDER"] = str(tmp_path / "files")
    yield tmp_path / "files"
    app.config["FILES_FOLDER"] = before


@pytest.fixture()
def meeting(folder, demo_meeting) -> Meeting:
    """The demo meeting, with its own two published documents (items 1 and 3); the reports its
    units sent are taken back, each test sends what it needs."""
    db.session.execute(delete(Document).where(Document.meeting_id == demo_meeting.id, Document.unit_id.is_not(None)))
    db.session.commit()
    return demo_meeting


def stored_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def item(meeting_id: int, position: int) -> AgendaItem:
    return db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id,
                                                      AgendaItem.position == position))


def unit_report(meeting_id: int, short_name: str, title: str, *, item_id=None, published=False) -> Document:
    """A unit's report as the units' link records it (unit_id set, not withdrawn)."""
    unit = db.session.scalar(select(ReportingUnit).join(Organisation).where(
        ReportingUnit.meeting_id == meeting_id, Organisation.short_name == short_name))
    stored = files.store(PDF)
    doc = Document(meeting_id=meeting_id, unit_id=unit.id, title=title, filename="bao-cao.pdf", kind="pdf",
                   size=stored.size, sha256=stored.sha256, stored_name=stored.key, submitted_by="Nguyễn Văn A",
                   item_id=item_id, position=99 if item_id else 0,
                   published_at=db.func.now() if published else None)
    db.session.add(doc)
    db.session.commit()
    return doc


def add(meeting: Meeting, title="Báo cáo thẩm tra", position=4, name="bao cao.pdf", data=PDF) -> Document:
    return meeting_documents.add(meeting.id, title, item(meeting.id, position).id, name, data, actor="test")


def delegate(meeting_id: int, n: int = 0) -> Invitee:
    return db.session.scalars(select(Invitee).where(Invitee.meeting_id == meeting_id).order_by(Invitee.id)).all()[n]


def audits(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


# --------------------------------------------------------------------------- services

def test_an_upload_is_kept_unpublished_last_of_its_item_and_audited(meeting, folder):
    first, second = add(meeting), add(meeting, "Phụ lục số liệu")
    assert (first.item_id, first.position, second.position) == (item(meeting.id, 4).id, 1, 2)
    assert first.published_at is None and first.kind == "pdf" and first.filename == "bao cao.pdf"
    assert files.path_of(first.stored_name).read_bytes() == PDF
    assert audits("document.add") == 4  # the demo's two, and these
    assert item(meeting.id, 4).id not in meeting_documents.published(meeting.id)


def test_refused_uploads_store_nothing(meeting, folder):
    kept = stored_files(folder)
    other = Meeting.query.filter(Meeting.id != meeting.id).first()  # none: an unknown item is refused the same
    assert other is None
    refused("title_required", meeting_documents.add, meeting.id, "  ", item(meeting.id, 3).id, "a.pdf", PDF)
    refused("item_required", meeting_documents.add, meeting.id, "Báo cáo", 999999, "a.pdf", PDF)
    refused("title_too_long", meeting_documents.add, meeting.id, "B" * 301, item(meeting.id, 3).id, "a.pdf", PDF)
    for data in (b"<html><script>alert(1)</script>", b"MZ\x90\x00\x03" + b"\x00" * 60,
                 docx_bytes(extra=("word/vbaProject.bin",))):
        refused("file_type", meeting_documents.add, meeting.id, "Báo cáo", item(meeting.id, 3).id, "a.pdf", data)
    assert stored_files(folder) == kept


def test_publish_unpublish_and_withdraw_carry_the_revision_they_saw(meeting):
    before = [audits(a) for a in ("document.publish", "document.unpublish", "document.withdraw")]
    doc = add(meeting)
    refused("document_changed", meeting_documents.publish, meeting.id, doc.id, revision=doc.revision + 1)
    refused("document_changed", meeting_documents.publish, meeting.id, doc.id, revision="")
    meeting_documents.publish(meeting.id, doc.id, revision=0, actor="test")
    assert fresh(Document, doc.id).readable and fresh(Document, doc.id).revision == 1
    refused("document_changed", meeting_documents.unpublish, meeting.id, doc.id, revision=0)  # a second tap
    meeting_documents.unpublish(meeting.id, doc.id, revision=1, actor="test")
    assert not fresh(Document, doc.id).readable
    meeting_documents.withdraw(meeting.id, doc.id, revision=2, actor="test")
    assert fresh(Document, doc.id).withdrawn_at is not None
    refused("document_withdrawn", meeting_documents.publish, meeting.id, doc.id, revision=3)
    refused("document_not_found", meeting_documents.publish, meeting.id, 999999, revision=0)
    after = [audits(a) for a in ("document.publish", "document.unpublish", "document.withdraw")]
    assert [a - b for a, b in zip(after, before)] == [1, 1, 1]  # the refused changed nothing


def test_a_units_report_is_attached_ordered_and_published(meeting):
    report = unit_report(meeting.id, "Ban Pháp chế", "Báo cáo 6 tháng đầu năm")
    refused("document_no_item", meeting_documents.publish, meeting.id, report.id, revision=0)
    refused("item_required", meeting_documents.attach, meeting.id, report.id, 999999, revision=0)
    item3 = item(meeting.id, 3)
    meeting_documents.attach(meeting.id, report.id, item3.id, revision=0, actor="test")
    summary = meeting_documents.published(meeting.id)[item3.id][0]
    assert fresh(Document, report.id).position == summary.position + 1  # after the office's summary
    meeting_documents.publish(meeting.id, report.id, revision=1, actor="test")
    assert [d.id for d in meeting_documents.published(meeting.id)[item3.id]] == [summary.id, report.id]
    meeting_documents.move(meeting.id, report.id, -1, revision=2, actor="test")
    assert [d.id for d in meeting_documents.published(meeting.id)[item3.id]] == [report.id, summary.id]
    refused("document_cannot_move", meeting_documents.move, meeting.id, report.id, -1, revision=3)
    refused("document_cannot_move", meeting_documents.move, meeting.id, report.id, 7, revision=3)


def test_an_open_is_counted_once_per_delegate(meeting):
    doc = meeting_documents.published(meeting.id)[item(meeting.id, 3).id][0]
    before = meeting_documents.open_counts(meeting.id)[doc.id]
    person = delegate(meeting.id, 40)  # not among the demo's readers
    for _ in range(3):
        meeting_documents.record_open(person, doc.id)
    row = db.session.scalar(select(DocumentOpen).where(DocumentOpen.document_id == doc.id,
                                                       DocumentOpen.invitee_id == person.id))
    assert row.times == 3 and row.first_opened_at <= row.last_opened_at
    assert meeting_documents.open_counts(meeting.id)[doc.id] == before + 1
    assert audits("document.open") == 3


def test_unknown_unpublished_and_withdrawn_documents_are_not_opened(meeting):
    person = delegate(meeting.id)
    refused("document_not_found", meeting_documents.record_open, person, 999999)
    draft = add(meeting)
    assert refused("file_gone", meeting_documents.record_open, person, draft.id).status == 410
    meeting_documents.publish(meeting.id, draft.id, revision=0, actor="test")
    meeting_documents.withdraw(meeting.id, draft.id, revision=1, actor="test")
    assert str(refused("file_gone", meeting_documents.record_open, person, draft.id).message) == GONE


@pytest.mark.both_databases
def test_phones_opening_at_once_count_one_reader_each(app, meeting):
    doc = meeting_documents.published(meeting.id)[item(meeting.id, 1).id][0]
    people = [delegate(meeting.id, n).id for n in (50, 51)]

    def open_(i):
        meeting_documents.record_open(db.session.get(Invitee, people[i % 2]), doc.id)
        return "ok"

    assert at_once(app, 8, open_) == ["ok"] * 8
    rows = db.session.scalars(select(DocumentOpen).where(DocumentOpen.document_id == doc.id,
                                                         DocumentOpen.invitee_id.in_(people))).all()
    assert sorted(r.times for r in rows) == [4, 4]


# --------------------------------------------------------------------------- the documents screen

@pytest.fixture()
def office(app, meeting):
    make_user("vanphong2", Role.ADMIN)
    client = app.test_client()
    login(client, "vanphong2")
    return client


def upload(client, meeting, *, title="Báo cáo thẩm tra", position=3, name="bao-cao.pdf", data=PDF):
    token = csrf_token(client, f"/meetings/{meeting.id}/documents")
    return client.post(f"/meetings/{meeting.id}/documents", content_type="multipart/form-data", data={
        "csrf_token": token, "title": title, "item_id": str(item(meeting.id, position).id),
        "file": (io.BytesIO(data), name)})


def documents_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Document))


def test_the_office_uploads_and_sees_it_under_its_item(office, meeting, folder):
    answer = upload(office, meeting, name="../../Báo cáo <thẩm tra>: 6 tháng.pdf")
    assert answer.status_code == 303
    doc = db.session.scalar(select(Document).order_by(Document.id.desc()))
    assert doc.filename == "Báo cáo thẩm tra 6 tháng.pdf" and doc.uploaded_by_id is not None
    page = office.get(f"/meetings/{meeting.id}/documents").text
    assert "Đã tải lên tài liệu “Báo cáo thẩm tra”" in page and "Chưa công bố" in page
    assert re.search(r"<strong>23</strong>/80", page)  # the demo's summary: 23 of 80 invited opened it


def test_a_file_over_the_limit_is_refused_and_nothing_kept(app, office, meeting, folder):
    kept, rows = stored_files(folder), documents_count()
    limits = app.config["UPLOAD_MAX_BYTES"], app.config["MAX_CONTENT_LENGTH"]
    app.config["UPLOAD_MAX_BYTES"], app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024, 512 * 1024
    try:
        answer = upload(office, meeting, data=PDF + b"%" * (1024 * 1024))
        assert answer.status_code == 413 and "Tệp lớn hơn 1 MB, chưa được nhận." in answer.text
        answer = upload(office, meeting, data=PDF + b"%" * (2 * 1024 * 1024))  # past the request's own limit
        assert answer.status_code == 413 and "Tệp quá lớn (tối đa 1 MB)." in answer.text
    finally:
        app.config["UPLOAD_MAX_BYTES"], app.config["MAX_CONTENT_LENGTH"] = limits
    assert stored_files(folder) == kept and documents_count() == rows


@pytest.mark.parametrize("data, name", [
    (b"<!doctype html><html><script>alert(1)</script></html>", "bao-cao.pdf"),
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "bao-cao.pdf"),
    (docx_bytes(extra=("word/vbaProject.bin",)), "bao-cao.docm"),
    (docx_bytes(extra=("word/vbaProject.bin",)), "bao-cao.docx"),
])
def test_what_is_not_a_pdf_or_docx_is_refused_by_its_content(office, meeting, folder, data, name):
    kept, rows = stored_files(folder), documents_count()
    answer = upload(office, meeting, data=data, name=name)
    assert answer.status_code == 415 and "Chỉ nhận tệp PDF hoặc Word (.docx)" in answer.text
    assert 'value="Báo cáo thẩm tra"' in answer.text  # what was typed stays
    assert stored_files(folder) == kept and documents_count() == rows


def test_a_missing_title_is_said_under_its_field(office, meeting, folder):
    answer = upload(office, meeting, title="")
    assert answer.status_code == 422 and "Hãy ghi tên tài liệu." in answer.text
    assert stored_files(folder) == sorted(stored_files(folder))  # nothing half-kept
    assert documents_count() == 2


def test_buttons_answer_the_list_and_a_stale_one_is_refused(office, meeting):
    doc = add(meeting)
    token = csrf_token(office, f"/meetings/{meeting.id}/documents")
    url = f"/meetings/{meeting.id}/documents/{doc.id}"
    answer = office.post(url + "/publish", data={"csrf_token": token, "revision": "0"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and 'id="docs-list"' in answer.text and fresh(Document, doc.id).readable
    stale = office.post(url + "/withdraw", data={"csrf_token": token, "revision": "0"}, headers={"HX-Request": "true"})
    assert stale.status_code == 409 and "vừa được thay đổi trên màn hình khác" in stale.text
    assert stale.headers["HX-Trigger"] == "live-reload" and fresh(Document, doc.id).withdrawn_at is None


def test_the_secretary_and_the_chair_look_and_download_only(app, meeting):
    doc = add(meeting)
    for name, role in (("thukyx", Role.SECRETARY), ("chutrix", Role.CHAIR)):
        make_user(name, role)
        client = app.test_client()
        login(client, name)
        page = client.get(f"/meetings/{meeting.id}/documents")
        assert page.status_code == 200 and "docs-readonly" in page.text and "Tải lên tài liệu" not in page.text
        file = client.get(f"/meetings/{meeting.id}/documents/{doc.id}/file")  # unpublished: the office's still
        assert file.status_code == 200 and file.data == PDF and file.headers["Content-Disposition"].startswith("attachment")
        token = csrf_token(client, f"/meetings/{meeting.id}/documents")
        assert client.post(f"/meetings/{meeting.id}/documents/{doc.id}/publish",
                           data={"csrf_token": token, "revision": "0"}).status_code == 403


# --------------------------------------------------------------------------- the delegate's link

def pass_of(meeting_id: int, n: int = 0) -> tuple[Invitee, str]:
    person = delegate(meeting_id, n)
    return person, person.active_token.token


def test_a_published_pdf_opens_inline_with_safe_headers(app, meeting):
    doc = add(meeting, title="Báo cáo", name="Báo cáo thẩm tra “6 tháng”.pdf")
    meeting_documents.publish(meeting.id, doc.id, revision=0, actor="test")
    person, token = pass_of(meeting.id, 60)
    answer = app.test_client().get(f"/d/{token}/documents/{doc.id}")
    assert answer.status_code == 200 and answer.data == PDF and answer.mimetype == "application/pdf"
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("inline;") and "filename*=UTF-8''" + quote("Báo cáo thẩm tra “6 tháng”.pdf") in disposition
    assert all(ord(c) < 128 for c in disposition) and "\n" not in disposition
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"].startswith("private")
    download = app.test_client().get(f"/d/{token}/documents/{doc.id}?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    row = db.session.scalar(select(DocumentOpen).where(DocumentOpen.document_id == doc.id))
    assert (row.invitee_id, row.times) == (person.id, 2)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "document.open"))
    assert entry.actor == f"invitee:{person.id}" and entry.entity_id == doc.id


def test_a_pdf_viewers_range_requests_count_no_more_opens(app, meeting):
    doc = meeting_documents.published(meeting.id)[item(meeting.id, 3).id][0]
    person, token = pass_of(meeting.id, 61)
    client = app.test_client()
    assert client.get(f"/d/{token}/documents/{doc.id}").status_code == 200
    part = client.get(f"/d/{token}/documents/{doc.id}", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and len(part.data) == 100
    row = db.session.scalar(select(DocumentOpen).where(DocumentOpen.document_id == doc.id,
                                                       DocumentOpen.invitee_id == person.id))
    assert row.times == 1


def test_withdrawn_unpublished_and_foreign_documents_answer_gone(app, meeting):
    _, token = pass_of(meeting.id)
    client = app.test_client()
    doc = meeting_documents.published(meeting.id)[item(meeting.id, 3).id][0]
    meeting_documents.withdraw(meeting.id, doc.id, revision=doc.revision, actor="test")
    for doc_id in (doc.id, add(meeting).id):
        answer = client.get(f"/d/{token}/documents/{doc_id}")
        assert answer.status_code == 410 and GONE in answer.text
    assert client.get(f"/d/{token}/documents/999999").status_code == 404
    assert client.get(f"/d/no-such-pass/documents/{doc.id}").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(DocumentOpen).where(
        DocumentOpen.document_id == doc.id)) == 23  # the demo's, and none more


def word_file() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Tờ trình về việc bổ sung kinh phí hoạt động")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file_opens_as_its_pdf_and_downloads_as_sent(app, meeting, folder):
    data = word_file()
    doc = add(meeting, name="Tờ trình.docx", data=data)
    converted = doc.pdf_name is not None
    meeting_documents.publish(meeting.id, doc.id, revision=0, actor="test")
    _, token = pass_of(meeting.id)
    client = app.test_client()
    opened = client.get(f"/d/{token}/documents/{doc.id}")
    if converted:  # LibreOffice installed
        assert opened.mimetype == "application/pdf" and opened.data.startswith(b"%PDF-")
        assert opened.headers["Content-Disposition"].startswith("inline;") and "T%E1%BB%9D%20tr%C3%ACnh.pdf" in \
            opened.headers["Content-Disposition"]
    else:
        assert opened.headers["Content-Disposition"].startswith("attachment;")
    original = client.get(f"/d/{token}/documents/{doc.id}?download=1")
    assert original.mimetype == files.KINDS["docx"][0] and original.data == data
    assert original.headers["Content-Disposition"].startswith("attachment;")


def test_the_pass_lists_each_items_published_documents_and_the_current_ones_at_the_top(app, meeting):
    draft = add(meeting, title="Dự thảo chưa công bố", position=3)
    _, token = pass_of(meeting.id)
    client = app.test_client()
    page = client.get(f"/d/{token}").text
    summary = meeting_documents.published(meeting.id)[item(meeting.id, 3).id][0]
    assert summary.title in page and f'href="?doc={summary.id}"' in page and draft.title not in page
    assert token not in re.search(r'<section id="pass-programme".*?</section>', page, re.S).group(0)
    assert "Tài liệu (" not in page  # nothing is current before the start
    follow = client.get(f"/d/{token}?doc={summary.id}")
    assert follow.status_code == 303 and follow.headers["Location"].endswith(f"/d/{token}/documents/{summary.id}")
    m = fresh(Meeting, meeting.id)
    flow.start_meeting(m.id, m.version, "test")
    for _ in range(2):
        m = fresh(Meeting, m.id)
        flow.next_item(m.id, m.version, "test")
    now = client.get(f"/d/{token}?part=now").text
    assert f'href="?doc={summary.id}"' in now and "Tài liệu (1)" in now
    report = unit_report(meeting.id, "Xã Phổ An", "Báo cáo 6 tháng", item_id=item(meeting.id, 3).id, published=True)
    now = client.get(f"/d/{token}?part=now").text
    assert "Tài liệu (2)" in now and f'href="#pass-docs-{item(meeting.id, 3).id}"' in now
    assert report.title in client.get(f"/d/{token}?part=programme").text


def test_a_publish_reaches_the_phones_and_an_open_the_office(app, meeting, office):
    doc = add(meeting, title="Tờ trình bổ sung", position=3)
    person, token = pass_of(meeting.id)
    phone = connect(app, {"meeting": meeting.id, "pass": token, "locale": "vi"})
    staff = connect(app, {"meeting": meeting.id, "locale": "vi"}, office)
    assert phone.is_connected() and staff.is_connected()
    phone.get_received(), staff.get_received()
    meeting_documents.publish(meeting.id, doc.id, revision=0, actor="test")
    pushed = received(phone).swaps
    assert doc.title in pushed["#pass-programme"] and "#pass-now" in pushed and token not in pushed["#pass-programme"]
    assert doc.title in received(staff).swaps["#docs-list"]
    app.test_client().get(f"/d/{token}/documents/{doc.id}")
    assert re.search(r"<strong>1</strong>/80", received(staff).swaps["#docs-list"])
    assert "#docs-list" not in received(phone).swaps
    phone.disconnect(), staff.disconnect()
    assert {r.target for r in live.regions(topics.DOCUMENTS)} == {"#pass-now", "#pass-programme", "#docs-list"}


def test_a_phone_reloading_its_regions_reads_the_documents_once(app, meeting):
    from sqlalchemy import event

    _, token = pass_of(meeting.id)
    db.session.remove()
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert app.test_client().get(f"/d/{token}?part=all").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len([s for s in statements if "FROM documents" in s]) == 1, statements


# --------------------------------------------------------------------------- the minutes

def test_the_minutes_name_the_documents_presented_under_each_item(meeting):
    from meetingday.documents import layout, minutes

    item3 = item(meeting.id, 3)
    for unit, title in (("Ban Pháp chế", "Báo cáo kết quả hoạt động 6 tháng đầu năm"),
                        ("Xã Phổ An", "Báo cáo 6 tháng của Xã Phổ An")):
        report = unit_report(meeting.id, unit, title)
        meeting_documents.attach(meeting.id, report.id, item3.id, revision=0, actor="test")
        meeting_documents.publish(meeting.id, report.id, revision=1, actor="test")
    hidden = unit_report(meeting.id, "Ban Kinh tế - Xã hội", "Báo cáo chưa công bố", item_id=item3.id)
    from docx import Document as Docx

    doc = Docx(io.BytesIO(layout.docx_bytes(minutes.paper(record.gather(fresh(Meeting, meeting.id))))))
    lines = [p for p in doc.paragraphs if p.text.startswith("Tài liệu trình bày:")]
    year = meeting.starts_at.year
    assert [p.text for p in lines] == [
        f"Tài liệu trình bày: Kế hoạch tổ chức Hội nghị trực báo giữa năm {year}.",
        f"Tài liệu trình bày: Báo cáo tổng hợp tình hình hoạt động 6 tháng đầu năm {year}; Báo cáo kết quả "
        "hoạt động 6 tháng đầu năm của Ban Pháp chế; Báo cáo 6 tháng của Xã Phổ An."]
    assert hidden.title not in "\n".join(p.text for p in doc.paragraphs)
    label = lines[1].runs[0]
    assert label.italic and label.font.name in (None, "Times New Roman")
    texts = [p.text for p in doc.paragraphs]
    at = texts.index(lines[1].text)
    assert texts[at - 1].startswith("Thời gian:") and texts[at - 2].startswith("3. Đánh giá")


# --------------------------------------------------------------------------- the demo

def test_the_demo_publishes_its_documents_and_the_units_reports_under_item_3(app, folder):
    from meetingday.services import demo, demo_reports

    meeting = demo.load_demo()
    published = meeting_documents.published(meeting.id)
    titles = [[d.title for d in published.get(item(meeting.id, n).id, [])] for n in (1, 3)]
    year = meeting.starts_at.year
    sent = [f"Báo cáo của {db.session.scalar(select(Organisation.short_name).where(Organisation.key == key))}"
            for key, _sender, _days in demo_reports.REPORTS]  # in the order they came
    assert titles == [[f"Kế hoạch tổ chức Hội nghị trực báo giữa năm {year}"],
                      [f"Báo cáo tổng hợp tình hình hoạt động 6 tháng đầu năm {year}", *sent]]
    counts = meeting_documents.open_counts(meeting.id)
    assert sorted(counts.values()) == [9, 23]
    demo.load_demo()  # again: nothing more
    assert db.session.scalar(select(func.count()).select_from(Document)) == 2 + len(sent)


def test_the_demos_pdf_is_a_whole_pdf():
    data = demo_pdf.pdf_bytes(["Báo cáo tổng hợp (6 tháng)", "Đức Phổ"], embed=False)
    assert files.sniff(data) == "pdf" and data.rstrip().endswith(b"%%EOF")
    xref = int(data[data.rindex(b"startxref") + 9:].split()[0])
    assert data[xref:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in data[xref:].split(b"\n")[3:8]]
    assert [data[o:].split(b"\n")[0] for o in offsets] == [b"%d 0 obj" % n for n in range(1, 6)]
    assert b"(Bao cao tong hop \\(6 thang\\)) Tj" in data and b"(Duc Pho) Tj" in data


@pytest.mark.skipif(demo_pdf.system_font() is None, reason="no TrueType font with Vietnamese letters here")
def test_the_demos_pdf_keeps_the_vietnamese_letters_in_an_embedded_font():
    font = demo_pdf.system_font()
    data = demo_pdf.pdf_bytes(["Báo cáo tổng hợp", "Đức Phổ"])
    assert files.sniff(data) == "pdf" and b"/FontFile2 8 0 R" in data and b"/Identity-H" in data
    glyphs = "".join(f"{font.glyphs[c]:04X}" for c in "Đức Phổ")
    assert f"<{glyphs}> Tj".encode() in data
    assert f"<{font.glyphs['ổ']:04X}> <1ED5>".encode() in data  # ToUnicode: the text can be copied
