"""The units invitees belong to: town bodies, phường, xã and others. htmx swaps #organisations."""
from __future__ import annotations

from flask import Blueprint, render_template

from ..errors import DomainError
from ..forms import ActionForm, OrganisationForm
from ..models import Role
from ..services import organisations
from .access import roles_required
from .refusals import show_on_form

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


def _region(*, add_form=None, editing=None, edit_form=None, status=200, full_page=False):
    template = "organisations/page.html" if full_page else "organisations/_organisations.html"
    return render_template(template, units=organisations.all_organisations(),
                           add_form=add_form or OrganisationForm(formdata=None), editing=editing,
                           edit_form=edit_form, action_form=ActionForm()), status


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
    org = organisations.get_organisation(org_id)
    form = OrganisationForm(formdata=None, obj=org)
    form.kind.data = org.kind.value
    return _region(editing=org, edit_form=form)


@bp.post("/<int:org_id>")
@roles_required(Role.ADMIN)
def update(org_id: int):
    org = organisations.get_organisation(org_id)
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisations.update_organisation(org, name=form.name.data, short_name=form.short_name.data,
                                              kind=form.kind.data)
            return _region()
        except DomainError as e:
            show_on_form(form, e, "name")
    return _region(editing=org, edit_form=form, status=422)


@bp.post("/<int:org_id>/delete")
@roles_required(Role.ADMIN)
def delete(org_id: int):
    organisations.remove_organisation(organisations.get_organisation(org_id))
    return _region()
