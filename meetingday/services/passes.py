"""Personal passes: the token on each invitation, its link and its QR code."""
from __future__ import annotations

import functools
import io
import secrets
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import current_app, has_request_context, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import audit, live
from ..errors import DomainError
from ..extensions import db
from ..models import Invitee, PassToken, User, max_length, utcnow
from ..offload import off_the_hub
from .meetings import lock_invitee

TOKEN_BYTES = 24  # 192 bits of randomness, 32 URL-safe characters
# A pass is read with its holder and their unit in the same query: every caller shows or checks them.
_HOLDER = joinedload(PassToken.invitee).joinedload(Invitee.organisation)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def issue_token(invitee: Invitee) -> PassToken:
    """Give an invitee a fresh token (no commit: part of the caller's change)."""
    token = PassToken(invitee=invitee, token=new_token())
    db.session.add(token)
    return token


def _already_revoked() -> DomainError:
    return DomainError("pass_already_revoked", _l("Thẻ của đại biểu này đã bị thu hồi."), status=409)


def _as_shown(invitee: Invitee, shown) -> PassToken | None:
    """The person's active pass, under their row's lock, if it is the one the screen showed
    (`shown`: its id, or "" / None for no active pass); else pass_changed and nothing changes."""
    lock_invitee(invitee, reload=True)
    db.session.expire(invitee, ["tokens"])
    current = invitee.active_token
    if str(current.id if current else "") != str(shown or ""):
        name = invitee.full_name
        db.session.rollback()
        raise DomainError("pass_changed", _l(
            "Thẻ của %(n)s vừa được thay đổi trên máy khác, nên chưa thay đổi gì. Danh sách đã được "
            "cập nhật; hãy xem lại rồi làm lại nếu vẫn muốn.", n=name), status=409)
    return current


def reissue_token(invitee: Invitee, shown, actor: User | str | None = None) -> PassToken:
    """Revoke the current token (if any) and issue a new one: the old invitation stops working.
    `shown`: the pass the screen showed as active (its id, or "" for none)."""
    now = utcnow()
    _as_shown(invitee, shown)
    revoked = []
    for t in invitee.tokens:  # every pass still valid (there is one; older data may have more)
        if t.revoked_at is None:
            t.revoked_at = now
            revoked.append(t.token)
    token = issue_token(invitee)
    meeting_id = invitee.meeting_id
    audit.record("pass.reissue", "invitee", invitee.id, meeting_id=meeting_id, actor=actor)
    db.session.commit()
    live.disconnect_passes(meeting_id, revoked)  # the phones opened with the old pass
    return token


def revoke_token(invitee: Invitee, shown, actor: User | str | None = None) -> None:
    """Revoke without a replacement: the pass stops working until it is reissued. `shown`: the
    pass the screen showed as active (its id)."""
    if invitee.active_token is None:  # as this request read it: the usual case, said plainly
        raise _already_revoked()
    current = _as_shown(invitee, shown)
    if current is None:  # revoked meanwhile, and the screen named no pass
        raise _already_revoked()
    current.revoked_at = utcnow()
    meeting_id, revoked = invitee.meeting_id, current.token
    audit.record("pass.revoke", "invitee", invitee.id, meeting_id=meeting_id, actor=actor)
    db.session.commit()
    live.disconnect_passes(meeting_id, [revoked])  # the phones opened with it


def find_pass(token: str) -> PassToken:
    """The live token, or DomainError 'pass_unknown' / 'pass_revoked' (both answer 404)."""
    return live_pass(find_row(token))


def find_row(token: str) -> PassToken | None:
    """The token's row with its holder, live or revoked, or None (live_pass says whether it works)."""
    if not token or len(token) > max_length(PassToken.token):
        return None
    return db.session.scalar(select(PassToken).where(PassToken.token == token).options(_HOLDER))


def find_passes(tokens) -> dict[str, PassToken]:
    """Many tokens in one query (door scans checked in together), by token, whether they work or
    not: live_pass says which."""
    rows = db.session.scalars(select(PassToken).where(PassToken.token.in_(set(tokens))).options(_HOLDER))
    return {row.token: row for row in rows}


def live_pass(row: PassToken | None) -> PassToken:
    """`row` if it is a pass that works, else DomainError 'pass_unknown' (None: no such token) or
    'pass_revoked' (both answer 404)."""
    if row is None:
        raise _unknown()
    if row.revoked_at is not None:
        raise DomainError("pass_revoked",
                          _l("Thẻ này đã bị thu hồi. Vui lòng liên hệ Văn phòng để nhận thẻ mới."),
                          status=404)
    return row


def _unknown() -> DomainError:
    return DomainError("pass_unknown", _l("Mã này không phải thẻ đại biểu của hội nghị."), status=404)


def base_url() -> str:
    """The address delegates' phones reach: PUBLIC_BASE_URL, else the address of this request."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def base_is_loopback() -> bool:
    """True when the QR codes would point at this machine only (127.0.0.1, localhost)."""
    host = urlsplit(base_url()).hostname or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


def pass_url(token: str) -> str:
    return base_url() + url_for("passes.show", token=token)


QR_KEPT = 512  # QR codes kept drawn (about 8 KB each)


def draw_qr(data: str) -> str:
    """An SVG QR code (one path, scalable), without the XML declaration, for inline use. Drawing
    one costs several milliseconds of the server's time."""
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2,
                      error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    img.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg"):]


# A phone's pass and the hall code: drawn once per link and kept (the QR_KEPT most recent), as a
# delegate's phone loads its pass's QR code on opening the pass and again after checking in, a
# hall of phones within minutes.
qr_svg = functools.lru_cache(maxsize=QR_KEPT)(draw_qr)


def invitation_qr_codes(links: list[str]) -> list[str]:
    """The QR codes of a batch of invitations (up to a few thousand, several milliseconds each), drawn off
    the hub so that the other screens are answered meanwhile, and not kept: printing the
    invitations would push out of ``qr_svg``'s cache the codes the phones use."""
    return off_the_hub(lambda: [draw_qr(link) for link in links])
