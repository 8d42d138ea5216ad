"""Template filters: Vietnamese dates and times, labels for stored codes."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _

from . import labels
from .documents import dates as document_dates
from .timeutil import LOCAL, epoch_ms, to_local, utcnow


def local_time(dt: datetime | None) -> str:
    """HH:mm in the hall's time (stored times are naive UTC). The same digits in every language,
    so not through Babel's formatter, which took a fifth of drawing the door's answer."""
    if not dt:
        return ""
    local = dt.astimezone(LOCAL) if dt.tzinfo else to_local(dt)
    return f"{local:%H:%M}"


def local_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return format_date(value, "dd/MM/yyyy")


def local_datetime(dt: datetime | None) -> str:
    return format_datetime(dt, "HH:mm dd/MM/yyyy") if dt else ""


def weekday(dt: datetime | None) -> str:
    if dt is None:
        return ""
    names = [_("thứ Hai"), _("thứ Ba"), _("thứ Tư"), _("thứ Năm"), _("thứ Sáu"), _("thứ Bảy"), _("Chủ nhật")]
    return names[to_local(dt).weekday()]


def hour_span(span: tuple[datetime, datetime] | None) -> str:
    """'7 giờ 30 – 7 giờ 35': an item's planned time (services.agenda.planned_times), in the hall's time."""
    if not span:
        return ""
    start, end = (to_local(dt) for dt in span)
    m1, m2 = (format(t.minute, "02d") for t in (start, end))
    return _("%(h1)s giờ %(m1)s – %(h2)s giờ %(m2)s", h1=start.hour, m1=m1, h2=end.hour, m2=m2)


def honorific(value: str | None) -> str:
    return str(labels.HONORIFICS.get(value or "", value or ""))


def position_unit(person) -> str:
    """"Chủ tịch HĐND xã · Xã Phổ An": a person's position, then their unit unless the position
    already names it."""
    position, unit = person.position or "", person.unit
    if unit and unit.lower() not in position.lower():
        return f"{position} · {unit}" if position else unit
    return position


def clock(seconds: int | None) -> str:
    """Seconds as m:ss (h:mm:ss past an hour); negative seconds as +m:ss (over a limit)."""
    seconds = int(seconds or 0)
    sign, seconds = ("+" if seconds < 0 else ""), abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


def filesize(size: int | None) -> str:
    """A file's size as people read it: '350 KB', '1,2 MB' (in the language's numbers)."""
    size = int(size or 0)
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1), format='#,##0.#')} MB"


def register(app: Flask) -> None:
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    app.add_template_filter(local_datetime)
    app.add_template_filter(weekday)
    # The documents' own date and time words (NĐ30: "ngày 27 tháng 6 năm 2024", "7 giờ 30 phút"),
    # for the invitation, which is a document too.
    app.add_template_filter(document_dates.long_date)
    app.add_template_filter(document_dates.clock_words)
    app.add_template_filter(document_dates.local_day)
    app.add_template_filter(hour_span)
    app.add_template_filter(honorific)
    app.add_template_filter(position_unit)
    app.add_template_filter(epoch_ms)
    app.add_template_filter(clock)
    app.add_template_filter(filesize)
    app.jinja_env.globals["server_now_ms"] = lambda: epoch_ms(utcnow())
    app.jinja_env.globals.update(
        get_locale=get_locale,
        ITEM_KINDS=labels.ITEM_KINDS, CATEGORIES=labels.CATEGORIES,
        ORG_KINDS=labels.ORG_KINDS, ORG_GROUPS=labels.ORG_GROUPS, MEETING_STATES=labels.MEETING_STATES,
        SPEAKER_KINDS=labels.SPEAKER_KINDS, checkin_way=labels.checkin_way,
        CONFIRMATIONS=labels.CONFIRMATIONS)
