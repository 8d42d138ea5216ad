"""The Văn phòng's board of reporting units (/meetings/<id>/units, the secretariat only): who has
sent what before the day, each unit's contact and submission link (copy, reissue, revoke),
closing and reopening submissions, the units still missing as a workbook and as reminders to
paste into Zalo. Regions drawn by regions/units.py; changes by services/units.py."""
from __future__ import annotations

import io

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _

from .. import files
from ..access import actor, roles_required
from ..errors import DomainError
from ..extensions import db
from ..models import Role
from ..regions.units import render_reminders, render_row, render_summary, render_table
from ..services import meetings, unit_board, units, units_export
from ..services.import_template import XLSX_MIME

bp = Blueprint("unit_board", __name__, url_prefix="/meetings/<int:meeting_id>/units")


def _flash(kind: str, message: str) -> str:
    return render_template("kien_nghi/_flash_oob.html", messages=[(kind, message)])


@bp.get("")
@roles_required(Role.ADMIN)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_template("units/board.html", meeting=meeting, summary=render_summary(meeting, refresh=False),
                           table=render_table(meeting))


@bp.get("/summary")
@roles_required(Role.ADMIN)
def summary(meeting_id: int):
    return render_summary(meetings.get_meeting(meeting_id), refresh=False)


@bp.get("/table")
@roles_required(Role.ADMIN)
def table(meeting_id: int):
    return render_table(meetings.get_meeting(meeting_id))


# --------------------------------------------------------------------------- a unit's contact and link

@bp.get("/<int:unit_id>/contact")
@roles_required(Role.ADMIN)
def contact_form(meeting_id: int, unit_id: int):
    meeting = meetings.get_meeting(meeting_id)
    unit = units.unit_of(meeting_id, unit_id)
    return render_template("units/_contact_form.html", meeting=meeting, unit=unit, value=unit.contact,
                           seen=unit.contact, error=None)


@bp.post("/<int:unit_id>/contact")
@roles_required(Role.ADMIN)
def set_contact(meeting_id: int, unit_id: int):
    meeting = meetings.get_meeting(meeting_id)
    value, seen = request.form.get("contact", ""), request.form.get("seen", "")
    try:
        units.set_contact(meeting_id, unit_id, value, seen, actor=actor())
    except DomainError as e:
        stale = e.code == "unit_contact_changed"
        if e.details.get("field") != "contact" and not stale:
            raise
        db.session.rollback()
        unit = units.unit_of(meeting_id, unit_id)
        form = render_template("units/_contact_form.html", meeting=meeting, unit=unit, value=value,
                               seen=unit.contact if stale else seen, error=e.message)
        if stale:  # the form, now over the contact as it is, and the row showing it
            return form + render_row(meeting, unit_id, oob=True), 409
        return form, 422
    # The inline box empties; the row comes out of band.
    return render_row(meetings.get_meeting(meeting_id), unit_id, oob=True)


@bp.post("/<int:unit_id>/reissue")
@roles_required(Role.ADMIN)
def reissue(meeting_id: int, unit_id: int):
    unit = units.reissue_link(meeting_id, unit_id, request.form.get("link", ""), actor=actor()).unit
    return render_row(meetings.get_meeting(meeting_id), unit_id) + _flash("ok", _(
        "Đã cấp đường dẫn mới cho %(unit)s. Đường dẫn cũ không còn dùng được: hãy gửi đường dẫn mới cho đơn vị.",
        unit=unit.organisation.short_name))


@bp.post("/<int:unit_id>/revoke")
@roles_required(Role.ADMIN)
def revoke(meeting_id: int, unit_id: int):
    unit = units.revoke_link(meeting_id, unit_id, request.form.get("link", ""), actor=actor())
    return render_row(meetings.get_meeting(meeting_id), unit_id) + _flash("ok", _(
        "Đã thu hồi đường dẫn của %(unit)s.", unit=unit.organisation.short_name))


@bp.get("/<int:unit_id>/report")
@roles_required(Role.ADMIN)
def report(meeting_id: int, unit_id: int):
    """The unit's current report, as it sent it (a PDF opens in the browser)."""
    meetings.get_meeting(meeting_id)
    unit = units.unit_of(meeting_id, unit_id)
    document = unit_board.current_reports(meeting_id).get(unit.id)
    if document is None:
        abort(404)
    return files.send(document.stored_name, document.filename, document.kind, inline=True)


# --------------------------------------------------------------------------- submissions, the missing

@bp.post("/close")
@roles_required(Role.ADMIN)
def close(meeting_id: int):
    meeting = units.close_submissions(meeting_id, actor=actor())
    return render_summary(meeting, refresh=False)


@bp.post("/reopen")
@roles_required(Role.ADMIN)
def reopen(meeting_id: int):
    meeting = units.reopen_submissions(meeting_id, actor=actor())
    return render_summary(meeting, refresh=False)


@bp.get("/missing.xlsx")
@roles_required(Role.ADMIN)
def missing_xlsx(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return send_file(io.BytesIO(units_export.workbook_bytes(meeting)), mimetype=XLSX_MIME, as_attachment=True,
                     download_name=units_export.FILENAME, max_age=0)


@bp.get("/reminders")
@roles_required(Role.ADMIN)
def reminders(meeting_id: int):
    return render_reminders(meetings.get_meeting(meeting_id))
