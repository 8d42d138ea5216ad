"""The invitee list: search without diacritics, add, edit, remove, revoke and reissue passes."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from wtforms.fields.choices import SelectChoice

from ..access import roles_required
from ..errors import DomainError
from ..forms import ActionForm, InviteeForm
from ..models import Role
from ..refusals import show_on_form
from ..regions.confirmations import render_summary
from ..services import invitees, meetings, organisations, passes

bp = Blueprint("invitees", __name__, url_prefix="/meetings/<int:meeting_id>/invitees")


def _form(obj=None, blank: bool = False) -> InviteeForm:
    """The invitee form: from the request's data, or (blank, or showing obj) from nothing."""
    form = InviteeForm(formdata=None, obj=obj) if blank or obj is not None else InviteeForm()
    form.organisation_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(o.id, o.short_name) for o in organisations.all_organisations()]
    if obj is not None:
        form.organisation_id.data = obj.organisation_id or 0
        form.category.data = obj.category.value
    return form


def _table(meeting, query: str = "", oob: bool = False, refusal: DomainError | None = None) -> str:
    return render_template("invitees/_table.html", meeting=meeting, query=query, refusal=refusal,
                           people=invitees.search(meeting, query), action_form=ActionForm(), oob=oob)


def _form_region(meeting, form, invitee=None, conflict: DomainError | None = None) -> str:
    """The form to add a person, or to edit `invitee`. After an invitee_conflict it shows the
    person as saved now beside what was typed, and carries their revision: saving again then
    overwrites knowingly."""
    if conflict is not None:
        form.revision.data = str(invitee.revision or 0)
    return render_template("invitees/_form.html", meeting=meeting, form=form, invitee=invitee, conflict=conflict)


def _fields(form: InviteeForm) -> dict:
    org = organisations.find_organisation(form.organisation_id.data) if form.organisation_id.data else None
    return dict(full_name=form.full_name.data, honorific=form.honorific.data, position=form.position.data or "",
                organisation=org, category=form.category.data, phone=form.phone.data)


@bp.get("/")
@roles_required(Role.ADMIN)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    query = request.args.get("q", "")
    return render_template("invitees/page.html", meeting=meeting, query=query,
                           people=invitees.search(meeting, query), form=_form(blank=True), invitee=None,
                           action_form=ActionForm(), oob=False, confirmations=render_summary(meeting))


@bp.get("/table")
@roles_required(Role.ADMIN)
def table(meeting_id: int):
    return _table(meetings.get_meeting(meeting_id), request.args.get("q", ""))


@bp.get("/form")
@roles_required(Role.ADMIN)
def blank_form(meeting_id: int):
    return _form_region(meetings.get_meeting(meeting_id), _form(blank=True))


@bp.post("/")
@roles_required(Role.ADMIN)
def add(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = _form()
    if form.validate_on_submit():
        try:
            invitees.add_invitee(meeting, **_fields(form))
            return _form_region(meeting, _form(blank=True)) + _table(meeting, request.form.get("q", ""), oob=True)
        except DomainError as e:
            show_on_form(form, e, "full_name")
    return _form_region(meeting, form), 422


@bp.get("/<int:invitee_id>/edit")
@roles_required(Role.ADMIN)
def edit(meeting_id: int, invitee_id: int):
    meeting = meetings.get_meeting(meeting_id)
    inv = invitees.get_invitee(meeting, invitee_id)
    return _form_region(meeting, _form(inv), inv)


@bp.post("/<int:invitee_id>")
@roles_required(Role.ADMIN)
def update(meeting_id: int, invitee_id: int):
    meeting = meetings.get_meeting(meeting_id)
    inv = invitees.get_invitee(meeting, invitee_id)
    form = _form()
    if form.validate_on_submit():
        try:
            invitees.update_invitee(inv, **_fields(form), revision=form.revision.data)
            return _form_region(meeting, _form(blank=True)) + _table(meeting, request.form.get("q", ""), oob=True)
        except DomainError as e:
            if e.code == "invitee_conflict":  # the form, and the list as it is now
                return (_form_region(meeting, form, invitees.get_invitee(meeting, invitee_id), conflict=e)
                        + _table(meeting, request.form.get("q", ""), oob=True)), 409
            show_on_form(form, e, "full_name")
    return _form_region(meeting, form, inv), 422


def _row_action(meeting_id: int, invitee_id: int, change):
    """Apply one change to one invitee; answer with the table as it was filtered. When the row
    the screen showed was out of date, nothing changes: the table as it is now, saying why."""
    meeting = meetings.get_meeting(meeting_id)
    query = request.form.get("q", "")
    try:
        change(invitees.get_invitee(meeting, invitee_id))
    except DomainError as e:
        if e.code not in ("invitee_conflict", "pass_changed", "pass_already_revoked", "invitee_checked_in",
                          "invitee_not_found"):
            raise
        return _table(meeting, query, refusal=e), e.status
    return _table(meeting, query)


@bp.post("/<int:invitee_id>/delete")
@roles_required(Role.ADMIN)
def delete(meeting_id: int, invitee_id: int):
    return _row_action(meeting_id, invitee_id,
                       lambda inv: invitees.remove_invitee(inv, request.form.get("revision")))


@bp.post("/<int:invitee_id>/revoke")
@roles_required(Role.ADMIN)
def revoke(meeting_id: int, invitee_id: int):
    return _row_action(meeting_id, invitee_id, lambda inv: passes.revoke_token(inv, request.form.get("pass")))


@bp.post("/<int:invitee_id>/reissue")
@roles_required(Role.ADMIN)
def reissue(meeting_id: int, invitee_id: int):
    return _row_action(meeting_id, invitee_id, lambda inv: passes.reissue_token(inv, request.form.get("pass")))
