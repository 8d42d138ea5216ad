"""Meeting times: stored as naive UTC, entered and shown in Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def to_local(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=timezone.utc).astimezone(LOCAL)


def from_local(dt: datetime) -> datetime:
    """A wall-clock time in the hall (naive) -> naive UTC for storage."""
    return dt.replace(tzinfo=LOCAL).astimezone(timezone.utc).replace(tzinfo=None)


def utcnow() -> datetime:
    """Now as naive UTC, the form every time is stored in."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def epoch_ms(dt: datetime | None) -> int | None:
    """A stored (naive UTC) time as milliseconds since the epoch, for the browser's timers."""
    if dt is None:
        return None
    return int(dt.replace(tzinfo=timezone.utc).timestamp() * 1000)


def nd30_day_month(value: date) -> tuple[str, str]:
    """Day and month as Nghị định 30/2020 writes them: a leading zero for a day below 10 and
    for months 1 and 2 ('05', '02'; '27', '6')."""
    return f"{value.day:02d}", (f"{value.month:02d}" if value.month < 3 else str(value.month))
