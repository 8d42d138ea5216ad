"""Dates and times as the documents write them (Nghị định 30/2020/NĐ-CP): "ngày 27 tháng 6 năm
2024", "7 giờ 30 phút". Kept apart from layout.py, which needs python-docx, so that the
invitation page (a document too) uses the same words without loading it."""
from __future__ import annotations

from datetime import date, datetime

from ..timeutil import nd30_day_month, to_local


def short_date(value: date | None) -> str:
    """27/6/2024; 05/02/2024 (NĐ30: a leading zero for a day below 10 and for months 1 and 2)."""
    if value is None:
        return ""
    day, month = nd30_day_month(value)
    return f"{day}/{month}/{value.year}"


def long_date(value: date | None) -> str:
    """'ngày 27 tháng 6 năm 2024', as the place-and-date line writes it."""
    if value is None:
        return "ngày      tháng      năm"
    day, month = nd30_day_month(value)
    return f"ngày {day} tháng {month} năm {value.year}"


def clock_words(dt: datetime | None) -> str:
    """A stored (UTC) time as the hall's clock in words: '7 giờ 30 phút'."""
    if dt is None:
        return ""
    local = to_local(dt)
    return f"{local.hour} giờ {local.minute:02d} phút"


def local_day(dt: datetime | None) -> date | None:
    return to_local(dt).date() if dt else None
