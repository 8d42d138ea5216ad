"""The meeting's documents in Chromium: the Văn phòng uploads a document and publishes it on the
documents screen (laptop); a delegate's phone (360 × 740), at the meeting's current item, gets
the button "Tài liệu (2)" pushed under it, taps it, then a document, and gets the PDF; the
office's count of readers goes up by itself. Screenshots in test-artifacts/screenshots/
documents-*-<backend>.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from meetingday.models import Meeting
from meetingday.services import demo_pdf, flow, meeting_documents
from meetingday.services.demo import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, connected, login, tap, wait_for
from tests.conftest import fresh

PDF = demo_pdf.pdf_bytes(["To trinh bo sung", "Noi dung"])


@pytest.fixture()
def at_item_3(demo_meeting):
    """The demo meeting under way at item 3, which has the office's summary report (the reports
    its units sent are taken back: the test publishes what it counts)."""
    from meetingday.extensions import db
    from meetingday.models import Document

    m = demo_meeting
    db.session.execute(db.delete(Document).where(Document.meeting_id == m.id, Document.unit_id.is_not(None)))
    db.session.commit()
    flow.start_meeting(m.id, fresh(Meeting, m.id).version, "test")
    for _ in range(2):
        flow.next_item(m.id, fresh(Meeting, m.id).version, "test")
    item3 = next(i for i in fresh(Meeting, m.id).items if i.position == 3)
    summary = meeting_documents.published(m.id)[item3.id][0]
    holder = next(p for p in fresh(Meeting, m.id).invitees if p.id not in _demo_readers(m.id))
    return {"meeting_id": m.id, "item": item3, "summary": summary, "token": holder.active_token.token}


def _demo_readers(meeting_id: int) -> set[int]:
    from meetingday.extensions import db
    from meetingday.models import DocumentOpen
    return set(db.session.scalars(db.select(DocumentOpen.invitee_id)))


def opens_of(page, doc_id: int) -> str:
    return page.locator(f"#doc-{doc_id} .docs-opens").inner_text().strip()


def test_a_published_document_reaches_the_phone_and_its_reading_the_office(new_page, at_item_3, shot):
    m_id, item, summary = at_item_3["meeting_id"], at_item_3["item"], at_item_3["summary"]
    office = new_page({"width": 1366, "height": 768})
    login(office, "vanphong", DEMO_PASSWORD)  # the demo's Văn phòng
    office.goto(f"/meetings/{m_id}/documents")
    connected(office)
    assert opens_of(office, summary.id) == "23/80"

    phone = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"/d/{at_item_3['token']}")
    connected(phone)
    expect(phone.locator("#pass-now .pn-docs-btn")).to_have_text("Tài liệu (1)")

    # The office uploads a second document for item 3 and publishes it: the phone follows.
    office.fill("#doc-title", "Tờ trình bổ sung kinh phí hoạt động")
    office.select_option("#doc-item", str(item.id))
    office.set_input_files("#doc-file", files=[{"name": "To trinh.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    office.locator("form.docs-upload button[type=submit]").click()
    expect(office.locator("#flash")).to_contain_text("Đã tải lên tài liệu “Tờ trình bổ sung kinh phí hoạt động”")
    connected(office)
    row = office.locator("#docs-list tr", has_text="Tờ trình bổ sung")
    expect(row).to_contain_text("Chưa công bố")
    tap(office, row.get_by_role("button", name="Công bố"))
    expect(row).to_contain_text("Đã công bố")
    expect(phone.locator("#pass-now .pn-docs-btn")).to_have_text("Tài liệu (2)")
    expect(phone.locator(f"#pass-docs-{item.id} .pass-doc")).to_have_count(2)
    office.evaluate("window.scrollTo(0, 0)")
    shot(office, "documents-office", full_page=False)

    phone.locator("#pass-now").scroll_into_view_if_needed()
    shot(phone, "documents-pass-now", full_page=False)

    # Two documents: the button leads to the item's list, where each opens with one tap.
    tap(phone, phone.locator("#pass-now .pn-docs-btn"))
    wait_for(phone, f"location.hash === '#pass-docs-{item.id}'")
    docs = phone.locator(f"#pass-docs-{item.id}")
    assert docs.bounding_box()["y"] < PHONE["height"]  # scrolled to it
    shot(phone, "documents-pass", full_page=False)
    link = docs.locator(".pass-doc", has_text=summary.title)
    with phone.expect_response(re.compile(rf"/d/[^/]+/documents/{summary.id}$")) as answer:
        try:
            link.click()
        except Exception:  # noqa: BLE001 - headless Chromium may take a PDF as a download
            pass
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    assert response.headers["x-content-type-options"] == "nosniff"
    body = phone.context.request.get(response.url)  # what the browser was sent, fetched again
    assert body.body().startswith(b"%PDF-") and body.body() == _stored(summary)

    # The office's count went up by one reader (the same phone fetching it again is no new reader),
    # by a push: the office's page was not reloaded.
    expect(office.locator(f"#doc-{summary.id} .docs-opens")).to_have_text("24/80")


def _stored(doc) -> bytes:
    from meetingday import files
    return files.path_of(doc.stored_name).read_bytes()
