"""The units invitees belong to: town bodies, phường, xã and others. htmx swaps #organisations.
A change refused because another laptop changed the unit meanwhile answers with the list as it
is now and says why (an edit keeps what was typed, beside what is saved)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..access import roles_required
from ..errors import DomainError
from ..forms import ActionForm, OrganisationForm
from ..models import Role
from ..refusals import show_on_form
from ..services import organisations

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


def _region(*, add_form=None, editing=None, edit_form=None, status=200, full_page=False, notice=None,
            conflict=None):
    template = "organisations/page.html" if full_page else "organisations/_organisations.html"
    return render_template(template, units=organisations.all_organisations(),
                           add_form=add_form or OrganisationForm(formdata=None), editing=editing,
                           edit_form=edit_form, action_form=ActionForm(), notice=notice, conflict=conflict,
                           shown=organisations.shown), status


def _gone(org_id: int):
    """The unit, or None when another laptop deleted it."""
    try:
        return organisations.get_organisation(org_id)
    except DomainError:
        return None


@bp.get("/")
@roles_required(Role.ADMIN)
def page():
    return _region(full_page=True)


@bp.get("/list")
@roles_required(Role.ADMIN)
def region():
    return _region()


@bp.post("/")
@roles_required(Role.ADMIN)
def add():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisations.add_organisation(form.name.data, short_name=form.short_name.data, kind=form.kind.data)
            return _region()
        except DomainError as e:
            show_on_form(form, e, "name")
    return _region(add_form=form, status=422)


@bp.get("/<int:org_id>/edit")
@roles_required(Role.ADMIN)
def edit(org_id: int):
    org = _gone(org_id)
    if org is None:
        return _region(notice=organisations.org_not_found().message, status=404)
    form = OrganisationForm(formdata=None, obj=org)
    form.kind.data = org.kind.value
    form.seen.data = organisations.shown(org)
    return _region(editing=org, edit_form=form)


@bp.post("/<int:org_id>")
@roles_required(Role.ADMIN)
def update(org_id: int):
    org = _gone(org_id)
    if org is None:
        return _region(notice=organisations.org_not_found().message, status=404)
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisations.update_organisation(org, name=form.name.data, short_name=form.short_name.data,
                                              kind=form.kind.data, seen=form.seen.data or "")
            return _region()
        except DomainError as e:
            if e.code == "org_not_found":
                return _region(notice=e.message, status=404)
            if e.code == "org_changed":  # saving again overwrites what is shown as saved now
                org = _gone(org_id)  # read again; None if deleted since
                if org is None:
                    return _region(notice=organisations.org_not_found().message, status=404)
                form.seen.data = organisations.shown(org)
                return _region(editing=org, edit_form=form, conflict=e.message, status=409)
            show_on_form(form, e, "name")
    return _region(editing=org, edit_form=form, status=422)


@bp.post("/<int:org_id>/delete")
@roles_required(Role.ADMIN)
def delete(org_id: int):
    org = _gone(org_id)
    try:
        if org is None:
            raise organisations.org_not_found()
        organisations.remove_organisation(org, seen=request.form.get("seen", ""))
    except DomainError as e:
        if e.code not in ("org_changed", "org_not_found"):
            raise
        return _region(notice=e.message, status=e.status)
    return _region()
