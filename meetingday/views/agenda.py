"""Setting up the programme: htmx swaps the list region (#agenda) after each change. A change
refused because another laptop changed the programme meanwhile answers with the programme as it
is now and says why (an edit keeps what was typed, beside what is saved)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..access import roles_required
from ..errors import DomainError
from ..extensions import db
from ..forms import ActionForm, AgendaItemForm
from ..models import Role
from ..refusals import show_on_form
from ..services import agenda, meetings

bp = Blueprint("agenda", __name__, url_prefix="/meetings/<int:meeting_id>/agenda")


STALE = ("item_changed", "programme_changed", "item_not_found")


def _region(meeting, *, add_form=None, editing=None, edit_form=None, status=200, notice=None, conflict=None):
    html = render_template("agenda/_agenda.html", meeting=meeting,
                           add_form=add_form or AgendaItemForm(formdata=None),
                           editing=editing, edit_form=edit_form, action_form=ActionForm(),
                           notice=notice, conflict=conflict, shown=agenda.shown)
    return html, status


def _stale(meeting, change):
    """Apply `change`; refused because the programme changed meanwhile, answer with it as it is."""
    try:
        change()
    except DomainError as e:
        if e.code not in STALE:
            raise
        db.session.rollback()
        db.session.expire_all()
        return _region(meeting, notice=e.message, status=e.status)
    return _region(meeting)


@bp.get("/")
@roles_required(Role.ADMIN)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_template("agenda/page.html", meeting=meeting, add_form=AgendaItemForm(),
                           editing=None, edit_form=None, action_form=ActionForm(), shown=agenda.shown)


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
    item = _item_or_none(meeting, item_id)
    if item is None:
        return _region(meeting, notice=agenda.item_not_found().message, status=404)
    form = AgendaItemForm(formdata=None, obj=item)
    form.kind.data = item.kind.value
    form.seen.data = agenda.shown(item)
    return _region(meeting, editing=item, edit_form=form)


@bp.post("/<int:item_id>")
@roles_required(Role.ADMIN)
def update(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    item = _item_or_none(meeting, item_id)
    if item is None:
        return _region(meeting, notice=agenda.item_not_found().message, status=404)
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            agenda.update_item(item, form.title.data, form.kind.data, form.planned_minutes.data,
                               form.presenter.data or "", seen=form.seen.data or "")
            return _region(meeting)
        except DomainError as e:
            if e.code == "item_not_found":
                return _region(meeting, notice=e.message, status=404)
            if e.code == "item_changed":  # saving again overwrites what is shown as saved now
                item = _item_or_none(meeting, item_id)  # read again; gone if deleted since
                if item is None:
                    return _region(meeting, notice=agenda.item_not_found().message, status=404)
                form.seen.data = agenda.shown(item)
                return _region(meeting, editing=item, edit_form=form, conflict=e.message, status=409)
            show_on_form(form, e, "title")
    return _region(meeting, editing=item, edit_form=form, status=422)


def _item_or_none(meeting, item_id: int):
    """The item as saved now, or None when another laptop deleted it."""
    try:
        return agenda.get_item(meeting, item_id)
    except DomainError:
        return None


@bp.get("/list")
@roles_required(Role.ADMIN)
def region(meeting_id: int):
    return _region(meetings.get_meeting(meeting_id))


@bp.post("/<int:item_id>/delete")
@roles_required(Role.ADMIN)
def delete(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return _stale(meeting, lambda: agenda.delete_item(agenda.get_item(meeting, item_id),
                                                      seen=request.form.get("seen", "")))


@bp.post("/<int:item_id>/move")
@roles_required(Role.ADMIN)
def move(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    return _stale(meeting, lambda: agenda.move_item(agenda.get_item(meeting, item_id), offset,
                                                    swap_with=request.form.get("swap_with", "")))
