"""What the Văn phòng's board of reporting units shows (/meetings/<id>/units): per unit, its
report (the current one: its latest standing report sent on time, else its latest late one), its kiến nghị
(KienNghi rows with its unit_id, and of them the late ones), and what is still missing; the
deadline and the counts above; the list of missing units with their links, to remind them.

A unit is *missing* when the plan asks it a report and it has no current report. A commune that
has sent no kiến nghị is not missing for that: it may have none to raise (the board says
"chưa gửi" in its kiến nghị column all the same).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Document, KienNghi, KienNghiStatus, Meeting, ReportingUnit, UnitLink
from . import units


@dataclass
class Row:
    unit: ReportingUnit
    link: UnitLink | None
    report: Document | None   # the current report, if any
    kn_total: int             # kiến nghị received through the link (withdrawn ones left out)
    kn_late: int

    @property
    def missing(self) -> bool:
        return self.unit.asks_report and self.report is None

    @property
    def name(self) -> str:
        return self.unit.organisation.short_name


@dataclass
class Board:
    meeting: Meeting
    rows: list[Row]
    due: date | None            # the day things become late (reports_due)
    days_left: int | None       # whole days before `due` (today counts), when not yet late
    days_over: int | None       # days since the last day to send, when late

    @property
    def asked(self) -> int:
        return sum(1 for r in self.rows if r.unit.asks_report)

    @property
    def sent(self) -> int:
        return sum(1 for r in self.rows if r.unit.asks_report and r.report is not None)

    @property
    def kien_nghi(self) -> int:
        return sum(r.kn_total for r in self.rows)

    @property
    def missing(self) -> list[Row]:
        return [r for r in self.rows if r.missing]


def current_reports(meeting_id: int) -> dict[int, Document]:
    """Each unit's current report, by unit id (one query): its latest standing report sent on
    time, else its latest late one. A late version sent after an on-time report stands beside it
    (services/reports.py), and the unit did send on time."""
    docs = db.session.scalars(
        select(Document).where(Document.meeting_id == meeting_id, Document.unit_id.is_not(None),
                               Document.withdrawn_at.is_(None))
        .order_by(Document.late.desc(), Document.uploaded_at, Document.id))
    return {d.unit_id: d for d in docs}  # the last wins: the late ones come first


def kien_nghi_counts(meeting_id: int) -> dict[int, tuple[int, int]]:
    """(received, of them late) per unit id, withdrawn kiến nghị left out (one query)."""
    rows = db.session.execute(
        select(KienNghi.unit_id, func.count(KienNghi.id), func.sum(case((KienNghi.late, 1), else_=0)))
        .where(KienNghi.meeting_id == meeting_id, KienNghi.unit_id.is_not(None),
               KienNghi.status != KienNghiStatus.WITHDRAWN)
        .group_by(KienNghi.unit_id))
    return {unit_id: (total, int(late or 0)) for unit_id, total, late in rows}


def board(meeting: Meeting, now: datetime | None = None) -> Board:
    reports = current_reports(meeting.id)
    counts = kien_nghi_counts(meeting.id)
    rows = [Row(u, u.active_link, reports.get(u.id), *counts.get(u.id, (0, 0))) for u in units.listing(meeting.id)]
    left = units.days_left(meeting, now)  # 0 or less: late (the last day to send was 1 - left days ago)
    days_left = left if left is not None and left > 0 else None
    days_over = 1 - left if left is not None and left <= 0 else None
    return Board(meeting, rows, meeting.reports_due, days_left, days_over)


def link_of(row: Row) -> str:
    return units.link_url(row.link.token) if row.link else ""


def asked_words(unit: ReportingUnit) -> str:
    """What the plan asks of the unit, as the reminder names it."""
    if unit.asks_report and unit.asks_kien_nghi:
        return _("báo cáo tình hình hoạt động 6 tháng đầu năm, nhiệm vụ 6 tháng cuối năm và các đề xuất, kiến nghị của địa phương")
    if unit.asks_kien_nghi:
        return _("các đề xuất, kiến nghị của địa phương")
    return _("báo cáo tình hình hoạt động 6 tháng đầu năm và nhiệm vụ 6 tháng cuối năm")


def reminder(meeting: Meeting, row: Row) -> str:
    """A ready-to-paste reminder to one unit (Zalo, SMS), with its link: in Vietnamese whatever the
    screen's language, as it goes to the unit."""
    with force_locale("vi"):
        return _reminder(meeting, row)


def _reminder(meeting: Meeting, row: Row) -> str:
    org = row.unit.organisation
    due = meeting.reports_due.strftime("%d/%m/%Y") if meeting.reports_due else ""
    text = _("Kính gửi %(unit)s, đề nghị Quý đơn vị gửi %(what)s phục vụ %(meeting)s", unit=org.name,
             what=asked_words(row.unit), meeting=meeting.title)
    if due:
        text += " " + _("trước ngày %(due)s", due=due)
    return text + " " + _("qua đường dẫn: %(link)s", link=link_of(row) or "—") + "\n" + _("Trân trọng.")


def reminders(b: Board) -> str:
    """One reminder per missing unit, a blank line between them (links of this request's address
    or PUBLIC_BASE_URL)."""
    return "\n\n".join(reminder(b.meeting, r) for r in b.missing)

