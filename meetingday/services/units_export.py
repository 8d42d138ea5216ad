"""The units still missing (asked a report, none current: services/unit_board.py) as an Excel
workbook, with each one's contact, its link and the reminder to send it: the Văn phòng works down
the list by telephone or Zalo. A4 landscape, laid out as the attendance export is."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..models import Meeting
from .attendance_export import GRID, print_setup
from .tables import neutral
from .unit_board import board, link_of, reminder

WIDTHS = (5, 26, 30, 46, 70)
FILENAME = "don-vi-chua-gui-bao-cao.xlsx"


def workbook(meeting: Meeting) -> Workbook:
    b = board(meeting)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Chưa gửi báo cáo")[:31]
    ws.append([neutral(meeting.title)])
    ws["A1"].font = Font(bold=True, size=13)
    due = meeting.reports_due.strftime("%d/%m/%Y") if meeting.reports_due else "—"
    ws.append([_("Đơn vị chưa gửi báo cáo: %(n)s/%(y)s · Hạn gửi: trước ngày %(due)s",
                 n=len(b.missing), y=b.asked, due=due)])
    ws.append([])
    ws.append([_("STT"), _("Đơn vị"), _("Đầu mối"), _("Đường dẫn gửi báo cáo"), _("Lời nhắc")])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.border = GRID
    for n, row in enumerate(b.missing, start=1):
        ws.append([n, neutral(row.unit.organisation.name), neutral(row.unit.contact), link_of(row) or "—",
                   neutral(reminder(meeting, row))])
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = GRID
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    print_setup(ws, landscape=True, title_row=header_row)
    return wb


def workbook_bytes(meeting: Meeting) -> bytes:
    buffer = io.BytesIO()
    workbook(meeting).save(buffer)
    return buffer.getvalue()
