"""Optimistic concurrency for edits made from a screen that may be out of date.

A record that such a screen edits (a note, a closing task, an invitee, the meeting's details,
its documents form) keeps a revision number, bumped by each change. The screen sends back the
revision it showed; a change from any other revision is refused with a 409 by the service, so
nothing another screen saved meanwhile is overwritten unseen.
"""
from __future__ import annotations


def seen_current(seen, current: int | None) -> bool:
    """Whether the revision a screen sent (a form's text, or a number) is the current one. A
    missing or unreadable one never is."""
    try:
        return int(seen) == (current or 0)
    except (TypeError, ValueError):
        return False
