"""The door's own copy of the invitee list, for finding people by name while the network is down.

The door screen (static/js/door.js) fetches it when it opens and again every minute while it is
online; it is kept in the page's memory only (no storage on the device). Offline, the search box
looks in it as the server's search does (invitees.search: diacritics-insensitive, the phrase
first, then every word), and a tap on "Điểm danh" waits in the door's queue with the scans, to
be sent when the network returns; the server then decides as it would have at once.

Each entry: id, name (with honorific), detail (position · unit, as the search rows show it),
search (the folded text the server searches), here ("07:31" when present), tags (badges, in
the user's language), stand_in (who attends in this place now, if anyone), url (where a tap
is sent). No pass tokens.
"""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..filters import honorific, local_time, position_unit
from ..models import Confirmation, Invitee, Meeting
from ..services import checkin, invitees


def _tags(p: Invitee, here: bool) -> list[str]:
    tags = []
    if p.walk_in:
        tags.append(_("Khách không có trong danh sách mời"))
    if p.substitute_for is not None:
        tags.append(_("Dự thay cho %(name)s", name=p.substitute_for.full_name))
    if p.confirmation == Confirmation.SUBSTITUTE and not here and not p.walk_in and p.substitute_for is None:
        tags.append(_("Dự kiến dự thay: %(name)s, %(position)s", name=p.confirmed_substitute_name,
                      position=p.confirmed_substitute_position))
    if p.absent_reason and not here:
        tags.append(_("Vắng có lý do"))
    if not p.active_token and not here:
        tags.append(_("Thẻ đã thu hồi"))
    return tags


def entries(meeting: Meeting) -> list[dict]:
    """Everyone on the meeting's list, in the order the search shows them."""
    people = invitees.search(meeting, "")
    stand_ins = checkin.stand_ins(people)
    out = []
    for p in people:
        live = p.present_checkin
        stand_in = stand_ins.get(p.id)
        out.append({
            "id": p.id,
            "name": " ".join(filter(None, [honorific(p.honorific), p.full_name])),
            "detail": position_unit(p),
            "search": p.search_text or "",
            "here": local_time(live.checked_in_at) if live else None,
            "tags": _tags(p, live is not None),
            "stand_in": (_("%(name)s đang dự thay, có mặt lúc %(t)s", name=stand_in.full_name,
                           t=local_time(stand_in.checkin.checked_in_at)) if stand_in and not live else None),
            "url": url_for("checkin.check_in_person", meeting_id=meeting.id, invitee_id=p.id),
        })
    return out
