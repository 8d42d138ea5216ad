"""Attendance as an Excel workbook: one row per person (invited seats, their substitutes,
walk-ins) with status, time (Asia/Ho_Chi_Minh), way, dự thay, the seat's answer to the
invitation (xác nhận trước) and an empty "Ký tên" column to sign in; a second sheet per unit.
Both print on A4, the list in landscape, fitted to the page's width, its header row repeated on
every page, the pages numbered."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..labels import CONFIRMATIONS, checkin_way
from ..models import CheckIn, Confirmation, Invitee, Meeting, Organisation
from ..timeutil import to_local
from . import attendance
from .tables import neutral

TIME_FORMAT = "hh:mm dd/mm/yyyy"
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# The list's columns, in characters: with the "Ký tên" column about 200 in all, which A4
# landscape prints at about 75 % (fitted to the width), long texts wrapping in their cells.
WIDTHS = (5, 24, 28, 20, 14, 15, 14, 24, 20, 22, 14)
SIGN_ROW_HEIGHT = 30  # points: room for a signature


def print_setup(ws, *, landscape: bool, title_row: int | None = None) -> None:
    """A4, fitted to the page's width (as many pages down as it takes), margins 1.5 cm, pages
    numbered at the foot; `title_row` repeated at the top of every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = _("Trang &P/&N")
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"


@dataclass
class Row:
    invitee: Invitee
    status: str
    checkin: CheckIn | None   # live check-in only
    substitute: str           # dự thay: for whom / by whom
    note: str
    confirmation: str = ""    # the answer to the invitation before the day (seats only)


def _who(inv: Invitee) -> str:
    return ", ".join(filter(None, [" ".join(filter(None, [inv.honorific, inv.full_name])), inv.position]))


def rows(meeting: Meeting) -> list[Row]:
    """Everyone of the meeting in list order: each seat followed by who came in its place,
    then walk-ins. Three queries (people with units, check-ins and substitutes loaded)."""
    people = list(db.session.scalars(
        select(Invitee).where(Invitee.meeting_id == meeting.id)
        .options(selectinload(Invitee.organisation).selectinload(Organisation.group),
                 selectinload(Invitee.checkin))))
    by_seat: dict[int, list[Invitee]] = {}
    for p in people:
        if p.substitute_for_id:
            by_seat.setdefault(p.substitute_for_id, []).append(p)
    ids = {p.id: p for p in people}

    def order(p: Invitee):
        org = p.organisation
        return (org is None, org.group.position if org else 0, org.position if org else 0, p.id)

    out: list[Row] = []
    seats = sorted((p for p in people if not p.walk_in and not p.substitute_for_id), key=order)
    for seat in seats:
        subs = by_seat.get(seat.id, [])
        own = seat.present_checkin
        came = [s for s in subs if s.present_checkin]
        notes = []
        if own:
            status = _("Có mặt (đến muộn)") if own.late else _("Có mặt")
        elif came:
            status = _("Có người dự thay")
        elif seat.absent_reason:
            status = _("Vắng có lý do")
            notes.append(seat.absent_reason)
        else:
            status = _("Chưa điểm danh")
        if own and seat.absent_reason:  # marked absent, then came after all
            notes.append(_("Trước đó được báo vắng: %(r)s", r=seat.absent_reason))
        elif came and seat.absent_reason:  # excused, and someone came in their place
            notes.append(_("Lý do vắng: %(r)s", r=seat.absent_reason))
        if seat.checkin is not None and not seat.checkin.present:
            notes.append(_("Điểm danh đã hủy: %(r)s", r=seat.checkin.undo_reason or ""))
        substitute = "; ".join(_("Người dự thay: %(w)s", w=_who(s)) for s in subs)
        out.append(Row(seat, status, own, substitute, " · ".join(notes), _confirmation(seat)))
        for s in sorted(subs, key=lambda x: x.id):
            out.append(_other_row(s, _("Dự thay cho %(w)s", w=_who(seat))))
    orphans = [p for p in people if p.substitute_for_id and p.substitute_for_id not in ids]
    walk_ins = [p for p in people if p.walk_in and not p.substitute_for_id]
    for p in sorted(orphans + walk_ins, key=lambda x: x.id):
        out.append(_other_row(p, "", _("Khách không có trong danh sách mời") if p.walk_in else ""))
    return out


def _confirmation(seat: Invitee) -> str:
    """What the person answered to the invitation (xác nhận tham dự), in words."""
    answer = seat.confirmation
    if answer is None:
        return _("Chưa trả lời")
    label = str(CONFIRMATIONS[answer])
    if answer == Confirmation.SUBSTITUTE:
        return f"{label}: {seat.confirmed_substitute_name}, {seat.confirmed_substitute_position}"
    if answer == Confirmation.ABSENT:
        return f"{label}: {seat.confirmed_reason}"
    return label


def _other_row(p: Invitee, substitute: str, note: str = "") -> Row:
    live = p.present_checkin
    status = (_("Có mặt (đến muộn)") if live.late else _("Có mặt")) if live else _("Chưa điểm danh")
    return Row(p, status, live, substitute, note)


def _local(dt: datetime | None) -> datetime | None:
    return to_local(dt).replace(tzinfo=None) if dt else None


def workbook(meeting: Meeting) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Điểm danh")[:31]
    counts = attendance.counts(meeting)
    local_start = to_local(meeting.starts_at)
    ws.append([neutral(meeting.title)])
    ws.append([neutral(_("%(place)s, %(time)s", place=meeting.place, time=local_start.strftime("%H:%M %d/%m/%Y")))])
    ws.append([_("Có mặt %(x)s/%(y)s (dự thay: %(s)s) · Vắng có lý do: %(e)s · "
                 "Khách không có trong danh sách mời: %(w)s",
                 x=counts.present, y=counts.expected, s=counts.substituted, e=counts.excused, w=counts.walk_ins)])
    ws.append([])
    headers = [_("STT"), _("Họ và tên"), _("Chức vụ"), _("Đơn vị"), _("Trạng thái"),
               _("Thời gian điểm danh"), _("Cách điểm danh"), _("Dự thay"), _("Ghi chú"), _("Xác nhận trước"), _("Ký tên")]
    ws.append(headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws["A1"].font = Font(bold=True, size=13)
    for n, row in enumerate(rows(meeting), start=1):
        inv, c = row.invitee, row.checkin
        way = checkin_way(c.method, walk_in=inv.walk_in, substitute=bool(inv.substitute_for_id)) if c else ""
        ws.append([n, neutral(inv.full_name), neutral(inv.position), neutral(inv.unit), row.status,
                   _local(c.checked_in_at) if c else None, str(way), neutral(row.substitute), neutral(row.note),
                   neutral(row.confirmation)])
        if c:
            ws.cell(ws.max_row, 6).number_format = TIME_FORMAT
        ws.row_dimensions[ws.max_row].height = SIGN_ROW_HEIGHT
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cell.border = GRID
    for cell in ws[header_row]:
        cell.border = GRID
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{ws.max_row}"
    print_setup(ws, landscape=True, title_row=header_row)
    summary = wb.create_sheet(_("Tổng hợp")[:31])
    _summary(summary, counts)
    print_setup(summary, landscape=False, title_row=1)
    return wb


def _summary(ws, counts: attendance.Counts) -> None:
    ws.append([_("Nhóm / đơn vị"), _("Có mặt"), _("Được mời"), _("Vắng có lý do"), _("Dự thay")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for group in counts.groups:
        ws.append([neutral(group.name), group.present, group.expected, group.excused, group.substituted])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for unit in group.units:
            ws.append([neutral("  " + unit.short_name), unit.present, unit.expected, unit.excused, unit.substituted])
    ws.append([_("Tổng cộng"), counts.present, counts.expected, counts.excused, counts.substituted])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([_("Khách không có trong danh sách mời"), counts.walk_ins])
    ws.column_dimensions["A"].width = 36


def workbook_bytes(meeting: Meeting) -> bytes:
    buffer = io.BytesIO()
    workbook(meeting).save(buffer)
    return buffer.getvalue()
