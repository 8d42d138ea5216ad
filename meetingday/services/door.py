"""What a door device sends besides the code it read: when a queued scan was made.

A door that lost its network keeps its scans and sends them later, each with ``scanned_at``
(milliseconds of the server's clock); the check-in then counts from that time (checkin.scan_time
says how far back it may be).
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from ..errors import DomainError


def scanned_at(raw) -> datetime | None:
    """When a queued scan was made (ms since the epoch, as sent), or None for now."""
    raw = str("" if raw is None else raw).strip()
    if not raw:
        return None
    try:
        return datetime.fromtimestamp(int(raw) / 1000, UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise DomainError("scan_time_invalid", _l("Thời điểm quét không hợp lệ.")) from None
