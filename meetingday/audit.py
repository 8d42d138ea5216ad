"""The audit log: every state change records who did it, in the same transaction."""
from __future__ import annotations

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import insert

from .extensions import db
from .models import AuditEntry, User


def record(action: str, entity: str, entity_id: int | None = None, *,
           meeting_id: int | None = None, actor: User | str | None = None, **details) -> AuditEntry:
    """Add an audit entry to the session; the caller's commit writes it with the change."""
    entry = AuditEntry(**values(action, entity, entity_id, meeting_id=meeting_id, actor=actor, **details))
    db.session.add(entry)
    return entry


def record_all(entries: list[dict]) -> None:
    """Many entries (each from values()) in one statement, for a batch of changes (door scans
    checked in together): the caller's commit writes them with the changes."""
    if entries:
        db.session.execute(insert(AuditEntry.__table__), entries)


def values(action: str, entity: str, entity_id: int | None = None, *,
           meeting_id: int | None = None, actor: User | str | None = None, **details) -> dict:
    """The columns of one entry (see record)."""
    user = None
    if isinstance(actor, User):
        user, label = actor, f"user:{actor.username}"
    elif isinstance(actor, str):
        label = actor
    elif has_request_context() and current_user and current_user.is_authenticated:
        user, label = current_user._get_current_object(), f"user:{current_user.username}"
    else:
        label = "system"
    return {"action": action, "entity": entity, "entity_id": entity_id, "meeting_id": meeting_id,
            "user_id": user.id if user else None, "actor": label, "details": _plain(details)}


def _plain(value):
    """JSON-safe copy of the details (dates as ISO text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "value"):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
