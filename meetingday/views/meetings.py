"""The secretariat's meeting list and the meeting form."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import roles_required
from ..errors import DomainError
from ..forms import MeetingForm
from ..models import Meeting, Role
from ..refusals import show_on_form
from ..services import meetings
from ..timeutil import from_local, to_local

bp = Blueprint("meetings", __name__)
STAFF = (Role.ADMIN, Role.CHAIR, Role.SECRETARY, Role.DOOR)


@bp.get("/")
@roles_required(*STAFF, Role.BAN)
def index():
    listed = meetings.list_meetings()
    if listed and not current_user.has_role(*STAFF):  # a Ban's account: its answers, at the newest meeting
        return redirect(url_for("ban_answers.page", meeting_id=listed[0].id))
    return render_template("meetings/index.html", meetings=listed)


def _form_data(form: MeetingForm) -> dict:
    data = {f: getattr(form, f).data or "" for f in meetings.TEXT_FIELDS}
    data["starts_at"] = from_local(datetime.combine(form.start_date.data, form.start_time.data))
    data["invitation_date"] = form.invitation_date.data
    data["reports_due"] = form.reports_due.data
    return data


def _saved_value(meeting: Meeting, name: str) -> str:
    if name == "starts_at":
        return to_local(meeting.starts_at).strftime("%d/%m/%Y %H:%M")
    if name in ("invitation_date", "reports_due"):
        day = getattr(meeting, name)
        return day.strftime("%d/%m/%Y") if day else "—"
    return getattr(meeting, name) or "—"


def _show_conflict(form: MeetingForm, meeting: Meeting, error: DomainError) -> None:
    """Under each field saved differently on the other screen: what is saved now. The form then
    carries the current revision, so saving again overwrites knowingly."""
    for name in error.details.get("fields", []):
        field = form.start_date if name == "starts_at" else getattr(form, name)
        field.errors = [*field.errors, _("Bản đã lưu: %(v)s", v=_saved_value(meeting, name))]
    form.details_revision.data = str(meeting.details_revision or 0)


def _save(form: MeetingForm, meeting: Meeting | None):
    """Create or save; None when refused (the form then says why)."""
    try:
        if meeting is None:
            meeting = meetings.create_meeting(_form_data(form))
            flash(_("Đã tạo hội nghị. Tiếp theo: lập chương trình và danh sách mời."), "ok")
        else:
            # From the request itself: a form built on the meeting takes its current revision
            # when the request carries none.
            meetings.update_meeting(meeting, _form_data(form), revision=request.form.get("details_revision"))
            flash(_("Đã lưu thông tin hội nghị."), "ok")
    except DomainError as e:
        if e.code != "meeting_conflict":
            show_on_form(form, e, "title")
            return None
        _show_conflict(form, meetings.get_meeting(meeting.id), e)
        form.conflict = e
        return None
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    form = MeetingForm()
    if form.validate_on_submit():
        response = _save(form, None)
        if response:
            return response
    return render_template("meetings/form.html", form=form, meeting=None), 422 if form.errors else 200


@bp.get("/meetings/<int:meeting_id>")
@roles_required(*STAFF)
def show(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_template("meetings/show.html", meeting=meeting)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = MeetingForm(obj=meeting)
    if not form.is_submitted():
        local = to_local(meeting.starts_at)
        form.start_date.data, form.start_time.data = local.date(), local.time().replace(second=0)
    if form.validate_on_submit():
        response = _save(form, meeting)
        if response:
            return response
    conflict = getattr(form, "conflict", None)
    status = 409 if conflict else 422 if form.errors else 200
    return render_template("meetings/form.html", form=form, meeting=meeting, conflict=conflict), status
