"""Demo content of the units' submission links: three xã and phường and one Ban have sent their
six-month report (one of them after the deadline, nộp muộn), three communes' kiến nghị of the
demo came by their links (one late), and the other units have sent nothing yet. Fictitious,
plausible for Đức Phổ 2024.

The reports are one-page PDFs written by demo_pdf.py: a placeholder a browser opens, not a real
report."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import KienNghi, Meeting
from . import reports, units
from .demo_pdf import pdf_bytes

# (organisation key, sender, days before the deadline it came; negative: after it)
REPORTS = (
    ("phuong_pho_thanh", "Nguyễn Thị Hồng, Phó Chủ tịch HĐND phường Phổ Thạnh", 5),
    ("xa_pho_an", "Trần Văn Bình, Chủ tịch HĐND xã Phổ An", 2),
    ("ban_kinh_te_xa_hoi", "Lê Minh Tâm, Trưởng Ban Kinh tế - Xã hội HĐND thị xã", 1),
    ("xa_pho_chau", "Phạm Văn Lợi, Phó Chủ tịch HĐND xã Phổ Châu", -1),
)
# The demo's kiến nghị of these communes came by their links: (organisation key, sender, days
# before the deadline they came; negative: after it).
KIEN_NGHI = (
    ("xa_pho_an", "Trần Văn Bình, Chủ tịch HĐND xã Phổ An", 2),
    ("phuong_pho_thanh", "Nguyễn Thị Hồng, Phó Chủ tịch HĐND phường Phổ Thạnh", 5),
    ("xa_pho_chau", "Phạm Văn Lợi, Phó Chủ tịch HĐND xã Phổ Châu", -1),
)


def load(meeting: Meeting) -> None:
    """The reports and kiến nghị some units sent by their links (after units.set_up)."""
    due = units.deadline(meeting)
    if due is None:
        return
    by_key = {u.organisation.key: u for u in units.listing(meeting.id)}
    year = meeting.starts_at.year
    for key, sender, days in REPORTS:
        unit = by_key.get(key)
        if unit is None:
            continue
        name = unit.organisation.short_name
        data = pdf_bytes([
            unit.organisation.name,
            "BÁO CÁO",
            f"Tình hình hoạt động 6 tháng đầu năm {year}",
            f"và nhiệm vụ 6 tháng cuối năm {year}",
            "",
            "I. Kết quả hoạt động 6 tháng đầu năm.",
            "II. Nhiệm vụ trọng tâm 6 tháng cuối năm.",
            "III. Đề xuất, kiến nghị.",
            "",
            "(Tài liệu mẫu của bản trình diễn.)"])
        reports.submit(unit, data, f"Báo cáo 6 tháng {name}.pdf", sender,
                       now=due - timedelta(days=days, hours=3))
    sent = 0
    for key, sender, days in KIEN_NGHI:
        unit = by_key.get(key)
        if unit is None:
            continue
        when = due - timedelta(days=days, hours=2)
        for kn in db.session.scalars(select(KienNghi).where(KienNghi.meeting_id == meeting.id,
                                                            KienNghi.organisation_id == unit.organisation_id)):
            kn.unit_id, kn.submitted_by, kn.late = unit.id, sender, units.is_late(meeting, when)
            kn.created_at = kn.updated_at = when
            sent += 1
    audit.record("demo.unit_submissions", "meeting", meeting.id, meeting_id=meeting.id, actor="demo",
                 reports=len(REPORTS), kien_nghi=sent)
    db.session.commit()
