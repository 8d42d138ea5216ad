"""The hall projector's display key: the revocable link a projector opens the meeting with (no
account needed), made, replaced and revoked by the secretariat."""
from __future__ import annotations

import hmac
import secrets

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, live
from ..errors import DomainError
from ..extensions import db
from ..models import Meeting, User
from . import passes

KEY_BYTES = 24  # 32 URL-safe characters


def find_meeting(key: str) -> Meeting:
    """The meeting a display link opens; an unknown or revoked key is simply not found."""
    meeting = None
    if isinstance(key, str) and 16 <= len(key) <= 64:
        meeting = db.session.scalar(select(Meeting).where(Meeting.display_key == key))
    if meeting is None:
        raise _unknown()
    return meeting


def check_key(meeting: Meeting, key: str) -> None:
    """`key` opens this meeting's display (compared in constant time), else display_key_unknown."""
    if not (isinstance(key, str) and meeting.display_key
            and hmac.compare_digest(key.encode(), meeting.display_key.encode())):
        raise _unknown()


def _unknown() -> DomainError:
    return DomainError("display_key_unknown",
                       _l("Đường dẫn màn hình này không còn hiệu lực. Xin liên hệ Văn phòng."), status=404)


def display_url(key: str) -> str:
    """The projector's link, at the address the hall's machines reach (PUBLIC_BASE_URL on a LAN)."""
    return passes.base_url() + url_for("display.show", key=key)


def rotate_display_key(meeting: Meeting, actor: User | str | None = None) -> str:
    """A new display key (the old one, if any, stops working at once)."""
    old_key = meeting.display_key
    meeting.display_key = secrets.token_urlsafe(KEY_BYTES)
    audit.record("display.key_rotate" if old_key else "display.key_create", "meeting", meeting.id,
                 meeting_id=meeting.id, actor=actor)
    db.session.commit()
    live.disconnect_display(meeting.id, old_key)  # projectors open with the old key are cut off
    return meeting.display_key


def revoke_display_key(meeting: Meeting, actor: User | str | None = None) -> None:
    if meeting.display_key is None:
        raise DomainError("display_key_none", _l("Hội nghị chưa có đường dẫn màn hình."), status=409)
    old_key, meeting.display_key = meeting.display_key, None
    audit.record("display.key_revoke", "meeting", meeting.id, meeting_id=meeting.id, actor=actor)
    db.session.commit()
    live.disconnect_display(meeting.id, old_key)  # projectors open with it are cut off
