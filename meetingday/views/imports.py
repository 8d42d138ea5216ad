"""Import invitees from a spreadsheet: upload, preview with per-row errors, confirm."""
from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _

from ..access import roles_required
from ..errors import DomainError
from ..forms import ImportConfirmForm, ImportUploadForm
from ..models import Role
from ..refusals import show_on_form
from ..services import imports, meetings
from ..services.import_template import XLSX_MIME

bp = Blueprint("imports", __name__, url_prefix="/meetings/<int:meeting_id>/import")


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def upload(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = ImportUploadForm()
    preview = confirm = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            preview = imports.preview(meeting, upload.filename, upload.read())
        except DomainError as e:
            show_on_form(form, e, "file")
            status = 422
        else:
            confirm = ImportConfirmForm(rows=imports.sign(meeting, preview))
    elif form.is_submitted():
        status = 422
    return render_template("invitees/import.html", meeting=meeting, form=form, preview=preview,
                           confirm=confirm), status


@bp.post("/confirm")
@roles_required(Role.ADMIN)
def confirm(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = ImportConfirmForm()
    only_valid = form.only_valid.data == "1"
    added, skipped = imports.apply(meeting, form.rows.data, only_valid=only_valid)
    if skipped:
        flash(_("Đã nhập %(added)s người; bỏ qua %(skipped)s dòng lỗi.", added=added, skipped=len(skipped)), "ok")
    else:
        flash(_("Đã nhập %(added)s người.", added=added), "ok")
    return redirect(url_for("invitees.page", meeting_id=meeting.id))


@bp.get("/mau-danh-sach-moi.xlsx")
@roles_required(Role.ADMIN)
def template(meeting_id: int):
    meetings.get_meeting(meeting_id)
    return send_file(io.BytesIO(imports.template()), mimetype=XLSX_MIME, as_attachment=True,
                     download_name=imports.TEMPLATE_NAME, max_age=0)
