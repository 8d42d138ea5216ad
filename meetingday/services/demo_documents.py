"""The demo meeting's documents: the Văn phòng's own summary report under item 3 and the plan of
the conference under item 1, both published; the units' reports the demo holds (if any) attached
to item 3 and published; and some delegates' opens, so that the documents screen shows counts.
Fictitious content. The files are small PDFs written by demo_pdf.py."""
from __future__ import annotations

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Document, DocumentOpen, Invitee, Meeting
from ..timeutil import to_local, utcnow
from . import meeting_documents
from .demo_pdf import pdf_bytes

SUMMARY = ("Báo cáo tổng hợp tình hình hoạt động 6 tháng đầu năm {year}",
           ["Văn phòng HĐND và UBND thị xã Đức Phổ",
            "BÁO CÁO TỔNG HỢP",
            "Tình hình tổ chức và hoạt động của Thường trực HĐND thị xã và cấp xã,",
            "Tổ đại biểu HĐND thị xã 6 tháng đầu năm {year}",
            "",
            "I. Kết quả đạt được",
            "1. Thường trực HĐND thị xã tổ chức 02 kỳ họp, ban hành 27 nghị quyết.",
            "2. Các Ban HĐND thị xã thực hiện 04 cuộc giám sát chuyên đề.",
            "3. Tổ đại biểu tiếp xúc cử tri trước kỳ họp tại 15 xã, phường.",
            "",
            "II. Tồn tại, hạn chế",
            "Việc trả lời kiến nghị cử tri ở một số nơi còn chậm.",
            "",
            "III. Nhiệm vụ 6 tháng cuối năm {year}",
            "Nâng cao chất lượng giám sát, chất vấn; đôn đốc giải quyết kiến nghị."],
           3, "bao-cao-tong-hop-6-thang-{year}.pdf")
PLAN = ("Kế hoạch tổ chức Hội nghị trực báo giữa năm {year}",
        ["Thường trực HĐND thị xã Đức Phổ",
         "KẾ HOẠCH",
         "Tổ chức Hội nghị trực báo giữa năm {year}",
         "",
         "I. Mục đích, yêu cầu",
         "II. Thời gian, địa điểm, thành phần",
         "III. Nội dung, chương trình",
         "IV. Tổ chức thực hiện"],
        1, "ke-hoach-hoi-nghi-truc-bao-{year}.pdf")
OPENED = {3: 23, 1: 9}  # item position -> how many delegates opened its first document


def load(meeting: Meeting) -> None:
    """Add the demo's documents to a new demo meeting (see the module's docstring)."""
    year = to_local(meeting.starts_at).year
    items = {item.position: item for item in meeting.items}
    first = {}
    for title, lines, position, filename in (SUMMARY, PLAN):
        data = pdf_bytes([line.format(year=year) for line in lines])
        doc = meeting_documents.add(meeting.id, title.format(year=year), items[position].id,
                                    filename.format(year=year), data, actor="demo")
        meeting_documents.publish(meeting.id, doc.id, revision=doc.revision, actor="demo")
        first[position] = doc
    reports = db.session.scalars(select(Document).where(
        Document.meeting_id == meeting.id, Document.unit_id.is_not(None), Document.withdrawn_at.is_(None),
        Document.item_id.is_(None)).order_by(Document.uploaded_at, Document.id)).all()
    for report in reports:  # the units' reports, sent through their links (the demo's, if any)
        meeting_documents.attach(meeting.id, report.id, items[3].id, revision=report.revision, actor="demo")
        meeting_documents.publish(meeting.id, report.id, revision=report.revision, actor="demo")
    people = db.session.scalars(select(Invitee.id).where(Invitee.meeting_id == meeting.id, Invitee.walk_in.is_(False))
                                .order_by(Invitee.id)).all()
    now = utcnow()
    for position, count in OPENED.items():
        for invitee_id in people[:count]:
            db.session.add(DocumentOpen(document_id=first[position].id, invitee_id=invitee_id,
                                        first_opened_at=now, last_opened_at=now, times=1))
    audit.record("demo.documents", "meeting", meeting.id, meeting_id=meeting.id, actor="demo",
                 documents=len(first) + len(reports), opens=sum(OPENED.values()))
    db.session.commit()
