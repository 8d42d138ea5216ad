"""Setting up the programme: htmx swaps the list region (#agenda) after each change."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..errors import DomainError
from ..forms import ActionForm, AgendaItemForm
from ..models import Role
from ..services import agenda, meetings
from .access import roles_required
from .refusals import show_on_form

bp = Blueprint("agenda", __name__, url_prefix="/meetings/<int:meeting_id>/agenda")


def _region(meeting, *, add_form=None, editing=None, edit_form=None, status=200):
    html = render_template("agenda/_agenda.html", meeting=meeting,
                           add_form=add_form or AgendaItemForm(formdata=None),
                           editing=editing, edit_form=edit_form, action_form=ActionForm())
    return html, status


@bp.get("/")
@roles_required(Role.ADMIN)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_template("agenda/page.html", meeting=meeting, add_form=AgendaItemForm(),
                           editing=None, edit_form=None, action_form=ActionForm())


@bp.post("/")
@roles_required(Role.ADMIN)
def add(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            agenda.add_item(meeting, form.title.data, form.kind.data, form.planned_minutes.data,
                            form.presenter.data or "")
            return _region(meeting)
        except DomainError as e:
            show_on_form(form, e, "title")
    return _region(meeting, add_form=form, status=422)


@bp.get("/<int:item_id>/edit")
@roles_required(Role.ADMIN)
def edit(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    item = agenda.get_item(meeting, item_id)
    form = AgendaItemForm(formdata=None, obj=item)
    form.kind.data = item.kind.value
    return _region(meeting, editing=item, edit_form=form)


@bp.post("/<int:item_id>")
@roles_required(Role.ADMIN)
def update(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    item = agenda.get_item(meeting, item_id)
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            agenda.update_item(item, form.title.data, form.kind.data, form.planned_minutes.data,
                               form.presenter.data or "")
            return _region(meeting)
        except DomainError as e:
            show_on_form(form, e, "title")
    return _region(meeting, editing=item, edit_form=form, status=422)


@bp.get("/list")
@roles_required(Role.ADMIN)
def region(meeting_id: int):
    return _region(meetings.get_meeting(meeting_id))


@bp.post("/<int:item_id>/delete")
@roles_required(Role.ADMIN)
def delete(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    agenda.delete_item(agenda.get_item(meeting, item_id))
    return _region(meeting)


@bp.post("/<int:item_id>/move")
@roles_required(Role.ADMIN)
def move(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    agenda.move_item(agenda.get_item(meeting, item_id), offset)
    return _region(meeting)
