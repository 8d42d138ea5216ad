"""Demo content of the units' submission links: three xã and phường and one Ban have sent their
six-month report (one of them after the deadline, nộp muộn), three communes' kiến nghị of the
demo came by their links (one late), and the other units have sent nothing yet. Fictitious,
plausible for Đức Phổ 2024.

The reports are small PDFs made here (Helvetica, so their text is written without diacritics:
a placeholder a browser opens, not a real report)."""
from __future__ import annotations

import unicodedata
from datetime import timedelta

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import KienNghi, Meeting
from . import reports, units

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


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF (Helvetica) with a title and lines of text, valid for any viewer."""
    def text(s: str) -> str:  # Helvetica's WinAnsi has no Vietnamese letters: without diacritics, case kept
        plain = "".join(c for c in unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
                        if unicodedata.category(c) != "Mn")
        return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    body = ["BT /F1 14 Tf 72 770 Td (" + text(title).upper() + ") Tj ET"]
    for i, line in enumerate(lines):
        body.append(f"BT /F1 11 Tf 72 {740 - 18 * i} Td ({text(line)}) Tj ET")
    stream = "\n".join(body).encode("latin-1", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


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
        data = pdf(f"Báo cáo của {name}", [
            f"Tình hình hoạt động 6 tháng đầu năm {year} và nhiệm vụ 6 tháng cuối năm {year}.",
            f"{unit.organisation.name}.",
            "I. Kết quả hoạt động 6 tháng đầu năm.",
            "II. Nhiệm vụ trọng tâm 6 tháng cuối năm.",
            "III. Đề xuất, kiến nghị.",
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
