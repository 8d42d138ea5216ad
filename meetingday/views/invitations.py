"""Giấy mời: one A4 invitation per invitee, each with the person's QR code. The invitations are
an official Vietnamese document, drawn in Vietnamese whatever the page's language; the bar and
the warnings around them are in the user's."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import force_locale
from markupsafe import Markup

from ..access import roles_required
from ..models import Role
from ..services import invitees, meetings, passes, units

bp = Blueprint("invitations", __name__)


@bp.get("/meetings/<int:meeting_id>/invitations")
@roles_required(Role.ADMIN)
def print_all(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    one = request.args.get("id")
    if one is not None and not one.isdigit():
        abort(404)
    people = invitees.invitation_list(meeting, request.args.get("q", ""), int(one) if one else None)
    if one and not people:
        abort(404)
    cards = list(zip(people, passes.invitation_qr_codes([passes.pass_url(p.active_token.token) for p in people])))
    unit_links = _unit_links(meeting.id, {p.organisation_id for p in people})
    with force_locale("vi"):
        sheets = Markup(render_template("invitations/_cards.html", meeting=meeting, cards=cards, unit_links=unit_links))
    return render_template("invitations/print.html", meeting=meeting, cards=cards, sheets=sheets,
                           base_url=passes.base_url(), base_is_local=passes.base_is_loopback())


def _unit_links(meeting_id: int, organisation_ids: set) -> dict[int, tuple[str, str]]:
    """(link, QR code) of the reporting unit of each of these organisations that has a working
    link: printed on the invitations of its people (each QR drawn once, however many people)."""
    links = {u.organisation_id: units.link_url(u.active_link.token) for u in units.listing(meeting_id)
             if u.organisation_id in organisation_ids and u.active_link is not None}
    codes = dict(zip(links.values(), passes.invitation_qr_codes(list(links.values()))))
    return {org_id: (link, codes[link]) for org_id, link in links.items()}
