"""Showing a refused change on the form that asked for it."""
from __future__ import annotations

from ..errors import DomainError
from ..extensions import db


def show_on_form(form, error: DomainError, default_field: str) -> None:
    """Undo anything half-set in the session, and put the message under the field it is about."""
    db.session.rollback()
    field = getattr(form, error.details.get("field", default_field), None) or getattr(form, default_field)
    field.errors = [*field.errors, error.message]
