"""Optimistic concurrency for edits made from a screen that may be out of date.

A record that such a screen edits (a note, a closing task, an invitee, the meeting's details,
its documents form) keeps a revision number, bumped by each change. The screen sends back the
revision it showed; a change from any other revision is refused with a 409 by the service, so
nothing another screen saved meanwhile is overwritten unseen. Records of the setup screens (an
agenda item, a unit) carry no number: their screen sends back a `fingerprint` of what it showed.
"""
from __future__ import annotations

import hashlib
import json


def fingerprint(*values) -> str:
    """A short digest of the values a screen showed of a record."""
    content = json.dumps([getattr(v, "value", v) for v in values], ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()[:16]


def seen_current(seen, current: int | None) -> bool:
    """Whether the revision a screen sent (a form's text, or a number) is the current one. A
    missing or unreadable one never is."""
    try:
        return int(seen) == (current or 0)
    except (TypeError, ValueError):
        return False
