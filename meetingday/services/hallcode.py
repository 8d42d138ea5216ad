"""The rotating hall code: a short signed link that changes every minute and dies within minutes.

The door screen and the projector show ``PUBLIC_BASE_URL/h/<meeting_id>/<window>.<sig>``, where
``window`` is the number of the current minute (Unix time // WINDOW_SECONDS) and ``sig`` an HMAC
of the meeting and the window under the app's SECRET_KEY. A code is accepted in its own window
and the GRACE_WINDOWS before it (scanned at 07:30:59 and opened at 07:31:02 still works), so a
photographed code sent away stops working within about three minutes. Nothing is stored: any
server process with the same SECRET_KEY checks any code.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from .passes import base_url

WINDOW_SECONDS = 60
GRACE_WINDOWS = 2      # the current window and this many before it are accepted
SIG_CHARS = 16         # 96 bits of the HMAC, URL-safe
_CODE = re.compile(r"^(\d{1,12})\.([A-Za-z0-9_-]{" + str(SIG_CHARS) + "})$")


def current_window(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // WINDOW_SECONDS)


def signature(meeting_id: int, window: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"hall:{meeting_id}:{window}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIG_CHARS]


def code_for(meeting_id: int, now: float | None = None) -> str:
    """The code of the current window: '<window>.<sig>'."""
    window = current_window(now)
    return f"{window}.{signature(meeting_id, window)}"


def hall_url(meeting_id: int, now: float | None = None) -> str:
    """The full link the hall QR code carries."""
    return f"{base_url()}{path_for(meeting_id, now)}"


def path_for(meeting_id: int, now: float | None = None) -> str:
    """The path of the current hall code (the route is checkin.hall)."""
    return f"/h/{meeting_id}/{code_for(meeting_id, now)}"


def verify(meeting_id: int, code: str, now: float | None = None) -> int:
    """Check a scanned code for this meeting; returns its window.

    Raises DomainError 'hall_code_invalid' (malformed, forged, or another meeting's) or
    'hall_code_expired' (genuine but too old, or from the future)."""
    match = _CODE.match(code or "")
    if not match:
        raise DomainError("hall_code_invalid", _l("Mã QR này không phải mã điểm danh của hội trường."))
    window, sig = int(match.group(1)), match.group(2)
    if not hmac.compare_digest(sig, signature(meeting_id, window)):
        raise DomainError("hall_code_invalid", _l("Mã QR này không phải mã điểm danh của hội trường."))
    current = current_window(now)
    if not current - GRACE_WINDOWS <= window <= current:
        raise DomainError("hall_code_expired",
                          _l("Mã điểm danh này đã hết hạn. Vui lòng quét mã đang hiện trên màn hình ở hội trường."),
                          status=410)
    return window
