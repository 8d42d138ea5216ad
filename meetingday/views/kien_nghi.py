"""The kiến nghị screen (/meetings/<id>/kien-nghi): the secretary's list of the communes'
recommendations, with the answers recorded as the meeting goes.

Two live regions, pushed to every staff screen after each change and drawn by
regions/kien_nghi.py: ``#kn-summary`` (counts per status) and ``#kn-list`` (every kiến nghị). The
forms (add, import, and the inline edit and answer forms) are never replaced by a push: add and
import stand outside the regions, and each row's inline form sits in a ``hx-preserve`` box that a
push keeps.
The secretary (and the secretariat) changes things; the chair may look (the buttons are hidden
and the server refuses them).
"""
from __future__ import annotations

import io

from flask import Blueprint, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from ..access import actor, roles_required
from ..errors import DomainError
from ..extensions import db
from ..models import KienNghi, KienNghiStatus, Meeting, Role
from ..refusals import field_errors
from ..regions.kien_nghi import render_list, render_summary
from ..services import kien_nghi as kn_service
from ..services import kien_nghi_import, meetings
from ..services.import_template import XLSX_MIME
from ..timeutil import epoch_ms, utcnow

bp = Blueprint("kien_nghi", __name__, url_prefix="/meetings/<int:meeting_id>")
VIEW = (Role.SECRETARY, Role.CHAIR)
EDIT = (Role.SECRETARY,)
FORM_FIELDS = ("organisation_id", "content", "assigned_org_id")
ANSWER_FIELDS = ("answer", "answered_by", "speaker_request_id")


# --------------------------------------------------------------------------- what a change answers

def _done(meeting_id: int) -> str:
    """The fresh regions, out-of-band, stamped with the time before they were read."""
    read = epoch_ms(utcnow())
    meeting = meetings.get_meeting(meeting_id)
    return render_list(meeting, oob=True, read=read) + render_summary(meeting, oob=True, read=read)


def _flash(message: str) -> str:
    return render_template("kien_nghi/_flash_oob.html", messages=[("ok", message)])


# --------------------------------------------------------------------------- forms


def _add_form(meeting: Meeting, values: dict | None = None, errors: dict | None = None) -> str:
    return render_template("kien_nghi/_add_form.html", meeting=meeting, values=values or {}, errors=errors or {},
                           communes=kn_service.communes(), assignees=kn_service.assignees(), is_ban=kn_service.is_ban)


def _edit_form(meeting: Meeting, kn: KienNghi, values: dict | None = None, errors: dict | None = None,
               seen: str | None = None) -> str:
    values = values if values is not None else {"organisation_id": kn.organisation_id, "content": kn.content,
                                                "assigned_org_id": kn.assigned_org_id or ""}
    return render_template("kien_nghi/_edit_form.html", meeting=meeting, kn=kn, values=values, errors=errors or {},
                           seen=seen if seen is not None else kn_service.edit_token(kn),
                           communes=kn_service.communes(), assignees=kn_service.assignees(), is_ban=kn_service.is_ban)


def _answer_form(meeting: Meeting, kn: KienNghi, values: dict | None = None, errors: dict | None = None,
                 seen: str | None = None) -> str:
    choice = kn_service.remark_choice(meeting, kn)
    from_draft = False
    if values is None:
        values = {"answer": kn.answer, "answered_by": kn.answered_by if kn.status == KienNghiStatus.ANSWERED else "",
                  "speaker_request_id": choice.selected or ""}
        if not values["answer"] and kn.has_draft:  # the answer its Ban prepared, to adjust
            values.update(answer=kn.draft_answer, answered_by=kn.draft_answered_by)
            from_draft = True
    return render_template("kien_nghi/_answer_form.html", meeting=meeting, kn=kn, values=values, errors=errors or {},
                           seen=seen if seen is not None else kn_service.state_token(kn), choice=choice,
                           speaker_label=kn_service.speaker_label, from_draft=from_draft)


def _import_panel(meeting: Meeting, **context) -> str:
    return render_template("kien_nghi/_import.html", meeting=meeting, **context)


def _form_values(names) -> dict:
    return {name: request.form.get(name, "") for name in names}


# --------------------------------------------------------------------------- pages and regions

@bp.get("/kien-nghi")
@roles_required(*VIEW)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    final = meeting.minutes_finalized_at is not None  # locked with the minutes until they are reopened
    can_edit = current_user.has_role(*EDIT) and not final
    filters = {k: request.args.get(k, "") for k in ("status", "org", "ban", "q")}
    return render_template("kien_nghi/page.html", meeting=meeting, can_edit=can_edit, final=final, filters=filters,
                           summary=render_summary(meeting), listing=render_list(meeting),
                           add_form=_add_form(meeting) if can_edit else "",
                           import_panel=_import_panel(meeting) if can_edit else "",
                           communes=kn_service.communes(), assignees=kn_service.assignees(),
                           labels=kn_service.STATUS_LABELS, is_ban=kn_service.is_ban)


@bp.get("/kien-nghi/list")
@roles_required(*VIEW)
def list_region(meeting_id: int):
    return render_list(meetings.get_meeting(meeting_id))


@bp.get("/kien-nghi/summary")
@roles_required(*VIEW)
def summary_region(meeting_id: int):
    return render_summary(meetings.get_meeting(meeting_id))


# --------------------------------------------------------------------------- add, edit, delete

@bp.post("/kien-nghi")
@roles_required(*EDIT)
def add(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    values = _form_values(FORM_FIELDS)
    try:
        kn = kn_service.add(meeting_id, values["organisation_id"], values["content"], values["assigned_org_id"],
                            actor=actor())
    except DomainError as e:
        errors = field_errors(e, FORM_FIELDS)
        if errors is None:
            raise
        return _add_form(meeting, values, errors), 422
    message = _("Đã thêm kiến nghị của %(unit)s.", unit=kn.organisation.short_name)
    kept = {"organisation_id": values["organisation_id"], "assigned_org_id": values["assigned_org_id"]}
    return _add_form(meeting, kept) + _done(meeting_id) + _flash(message)


@bp.get("/kien-nghi/<int:kn_id>/edit")
@roles_required(*EDIT)
def edit_form(meeting_id: int, kn_id: int):
    meeting = meetings.get_meeting(meeting_id)
    kn = kn_service.get(meeting, kn_id)
    if kn.status != KienNghiStatus.PENDING:
        raise kn_service.not_pending_error(kn)
    return _edit_form(meeting, kn)


@bp.post("/kien-nghi/<int:kn_id>")
@roles_required(*EDIT)
def update(meeting_id: int, kn_id: int):
    meeting = meetings.get_meeting(meeting_id)
    values = _form_values(FORM_FIELDS)
    seen = request.form.get("seen", "")
    try:
        kn_service.update(meeting_id, kn_id, values["organisation_id"], values["content"], values["assigned_org_id"],
                          seen=seen, actor=actor())
    except DomainError as e:
        errors = field_errors(e, FORM_FIELDS)
        if errors is None:
            raise
        return _edit_form(meeting, kn_service.get(meeting, kn_id), values, errors, seen), 422
    return _done(meeting_id)  # the inline box empties; the rows come out-of-band


@bp.post("/kien-nghi/<int:kn_id>/assign")
@roles_required(*EDIT)
def assign(meeting_id: int, kn_id: int):
    kn_service.assign(meeting_id, kn_id, request.form.get("assigned_org_id", ""),
                      seen=request.form.get("seen_assigned", ""), actor=actor())
    return _done(meeting_id)


@bp.post("/kien-nghi/<int:kn_id>/delete")
@roles_required(*EDIT)
def delete(meeting_id: int, kn_id: int):
    kn_service.delete(meeting_id, kn_id, seen=request.form.get("seen", ""), actor=actor())
    return _done(meeting_id)


# --------------------------------------------------------------------------- answers and states

@bp.get("/kien-nghi/<int:kn_id>/answer")
@roles_required(*EDIT)
def answer_form(meeting_id: int, kn_id: int):
    meeting = meetings.get_meeting(meeting_id)
    kn = kn_service.get(meeting, kn_id)
    if kn.status not in (KienNghiStatus.PENDING, KienNghiStatus.ANSWERED):
        raise kn_service.not_pending_error(kn)
    return _answer_form(meeting, kn)


@bp.post("/kien-nghi/<int:kn_id>/answer")
@roles_required(*EDIT)
def answer(meeting_id: int, kn_id: int):
    meeting = meetings.get_meeting(meeting_id)
    values = _form_values(ANSWER_FIELDS)
    seen = request.form.get("seen", "")
    try:
        kn_service.answer(meeting_id, kn_id, values["answer"], values["answered_by"], values["speaker_request_id"],
                          seen=seen, actor=actor())
    except DomainError as e:
        errors = field_errors(e, ANSWER_FIELDS)
        if errors is None:
            raise
        return _answer_form(meeting, kn_service.get(meeting, kn_id), values, errors, seen), 422
    return _done(meeting_id)


@bp.post("/kien-nghi/<int:kn_id>/written-later")
@roles_required(*EDIT)
def write_later(meeting_id: int, kn_id: int):
    kn_service.write_later(meeting_id, kn_id, seen=request.form.get("seen", ""), actor=actor())
    return _done(meeting_id)


@bp.post("/kien-nghi/<int:kn_id>/withdraw")
@roles_required(*EDIT)
def withdraw(meeting_id: int, kn_id: int):
    kn_service.withdraw(meeting_id, kn_id, seen=request.form.get("seen", ""), actor=actor())
    return _done(meeting_id)


@bp.post("/kien-nghi/<int:kn_id>/reset")
@roles_required(*EDIT)
def reset(meeting_id: int, kn_id: int):
    kn_service.reset(meeting_id, kn_id, seen=request.form.get("seen", ""), actor=actor())
    return _done(meeting_id)


# --------------------------------------------------------------------------- import

@bp.get("/kien-nghi/import")
@roles_required(*EDIT)
def import_form(meeting_id: int):
    return _import_panel(meetings.get_meeting(meeting_id))


@bp.post("/kien-nghi/import")
@roles_required(*EDIT)
def import_preview(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_panel(meeting, error=_("Vui lòng chọn tệp.")), 422
    try:
        result = kien_nghi_import.preview(meeting, upload.filename, upload.read())
    except DomainError as e:
        db.session.rollback()
        return _import_panel(meeting, error=e.message), 422
    return _import_panel(meeting, preview=result, blob=kien_nghi_import.sign(meeting, result))


@bp.post("/kien-nghi/import/confirm")
@roles_required(*EDIT)
def import_confirm(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    added, skipped = kien_nghi_import.apply(meeting_id, request.form.get("rows", ""),
                                            only_valid=request.form.get("only_valid") == "1", actor=actor())
    if skipped:
        message = _("Đã nhập %(added)s kiến nghị; bỏ qua %(skipped)s dòng lỗi.", added=added, skipped=len(skipped))
    else:
        message = _("Đã nhập %(added)s kiến nghị.", added=added)
    return _import_panel(meeting, done=message) + _done(meeting_id)


@bp.get("/kien-nghi/mau-kien-nghi.xlsx")
@roles_required(*EDIT)
def sample(meeting_id: int):
    meetings.get_meeting(meeting_id)
    return send_file(io.BytesIO(kien_nghi_import.template()), mimetype=XLSX_MIME, as_attachment=True,
                     download_name=kien_nghi_import.TEMPLATE_NAME, max_age=0)
