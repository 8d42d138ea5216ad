"""The secretary's desk (bàn thư ký): one laptop screen to write, during the meeting, a note per
remark, a conclusion per item and the chair's closing conclusion; to publish that conclusion, set
the documents' numbers, download them, and finalize or reopen the minutes. Its regions (the
programme, the item pane, the tasks, publish, finalize) are drawn by regions/desk.py.

The text boxes (notes, conclusions, the closing introduction) save themselves: each POSTs its
text with the revision it started from and gets JSON back (``{revision, saved_at, text}``, or
``{error, message, ...}`` with the refusal's details, e.g. ``current`` and ``revision`` on a
``note_conflict``).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Blueprint, jsonify, render_template, request

from ..access import actor, roles_required
from ..errors import DomainError
from ..extensions import db
from ..models import Role
from ..regions.desk import (
    default_item,
    render_documents,
    render_final,
    render_item,
    render_programme,
    render_publish,
    render_reopen,
    render_task_form,
    render_tasks,
)
from ..services import agenda, closing, meetings, minutes, notes, organisations
from ..timeutil import utcnow

bp = Blueprint("desk", __name__, url_prefix="/meetings/<int:meeting_id>")
DESK = (Role.SECRETARY,)


# --------------------------------------------------------------------------- the page and its parts

SHOW = re.compile(r"^(item-(\d+)|closing|documents)$")


@bp.app_context_processor
def _desk_helpers() -> dict:
    return {"meeting_day_text": lambda meeting: minutes.meeting_day(meeting).strftime("%d/%m/%Y")}


@bp.get("/desk")
@roles_required(*DESK)
def page(meeting_id: int):
    """The desk. ``?show=item-<id>``, ``closing`` or ``documents`` opens that part (the page keeps
    it in its address while the secretary stays away from the current item)."""
    meeting = meetings.get_meeting(meeting_id)
    match = SHOW.match(request.args.get("show", ""))
    show, item = "item", default_item(meeting)
    if match and match.group(2):
        item = next((i for i in meeting.items if i.id == int(match.group(2))), item)
    elif match:
        show = match.group(1)
    follow = show == "item" and (item is None or item is default_item(meeting))
    closing_intro = notes.closing_conclusion(meeting)
    return render_template(
        "desk/page.html", meeting=meeting, show=show, shown_item=item, follow=follow,
        programme=render_programme(meeting), item_pane=render_item(meeting, item),
        tasks=render_tasks(meeting), publish_region=render_publish(meeting), final_region=render_final(meeting), task_form=render_task_form(meeting),
        documents=render_documents(meeting), reopen=render_reopen(meeting), intro=closing_intro,
        final=minutes.is_final(meeting), organisations=organisations.all_organisations())


@bp.get("/desk/programme")
@roles_required(*DESK)
def programme(meeting_id: int):
    return render_programme(meetings.get_meeting(meeting_id))


@bp.get("/desk/items/<int:item_id>")
@roles_required(*DESK)
def item_pane(meeting_id: int, item_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_item(meeting, agenda.get_item(meeting, item_id))


@bp.get("/desk/tasks")
@roles_required(*DESK)
def tasks(meeting_id: int):
    return render_tasks(meetings.get_meeting(meeting_id))


@bp.get("/desk/publish")
@roles_required(*DESK)
def publish_state(meeting_id: int):
    return render_publish(meetings.get_meeting(meeting_id))


@bp.get("/desk/final")
@roles_required(*DESK)
def final(meeting_id: int):
    return render_final(meetings.get_meeting(meeting_id))


# --------------------------------------------------------------------------- text boxes (JSON)


def _json_error(error: DomainError):
    """A refusal as JSON: its code, its message and its details (``current``/``revision`` on a
    conflict, ``field``), nothing written."""
    db.session.rollback()
    body = {"error": error.code, "message": str(error.message)}
    for key, value in error.details.items():
        body[key] = value if isinstance(value, int | float | bool | str | type(None)) else str(value)
    return jsonify(body), error.status


def _iso(dt: datetime | None) -> str:
    return (dt or utcnow()).replace(tzinfo=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _save_text(save, field: str):
    try:
        target = save(request.form.get("text"), request.form.get("revision"))
    except DomainError as e:
        return _json_error(e)
    return jsonify(revision=target.revision or 0, saved_at=_iso(target.updated_at), text=getattr(target, field) or "")


@bp.post("/desk/remarks/<int:request_id>/note")
@roles_required(*DESK)
def save_note(meeting_id: int, request_id: int):
    """The note of one remark. Form: text, revision. Answers JSON."""
    return _save_text(lambda text, rev: notes.save_remark_note(meeting_id, request_id, text, rev, actor=actor()),
                      "note")


@bp.post("/desk/items/<int:item_id>/conclusion")
@roles_required(*DESK)
def save_conclusion(meeting_id: int, item_id: int):
    """The conclusion of one programme item. Form: text, revision. Answers JSON."""
    return _save_text(lambda text, rev: notes.save_item_conclusion(meeting_id, item_id, text, rev, actor=actor()),
                      "text")


@bp.post("/desk/closing/intro")
@roles_required(*DESK)
def save_intro(meeting_id: int):
    """The introduction of the closing conclusion. Form: text, revision. Answers JSON."""
    return _save_text(lambda text, rev: notes.save_closing_intro(meeting_id, text, rev, actor=actor()), "text")


# --------------------------------------------------------------------------- the closing conclusion's tasks

def _task_values() -> dict:
    return {k: request.form.get(k, "") for k in ("body", "content", "deadline", "revision")}


def _closing_done(meeting_id: int) -> str:
    """The closing conclusion's regions, out-of-band (the buttons swap nothing themselves)."""
    meeting = meetings.get_meeting(meeting_id)
    return render_tasks(meeting, oob=True) + render_publish(meeting, oob=True)


def _task_done(meeting_id: int):
    return render_task_form(meetings.get_meeting(meeting_id)) + _closing_done(meeting_id)


def _task_change(meeting_id: int, task_id: int | None):
    values = _task_values()
    try:
        deadline = minutes.typed_date(values["deadline"], "deadline")
        organisation_id = organisations.id_named(values["body"])
        if task_id is None:
            closing.add_task(meeting_id, values["body"], values["content"], deadline, organisation_id, actor=actor())
        else:
            closing.update_task(meeting_id, task_id, values["body"], values["content"], deadline, organisation_id,
                                values["revision"], actor=actor())
    except DomainError as e:
        if e.status != 400 and e.code != "task_conflict":
            raise
        db.session.rollback()
        meeting = meetings.get_meeting(meeting_id)
        task = closing.task_of(meeting, task_id) if task_id is not None else None
        return render_task_form(meeting, task, values, e), e.status
    return _task_done(meeting_id)


@bp.get("/desk/tasks/new")
@roles_required(*DESK)
def task_form(meeting_id: int):
    return render_task_form(meetings.get_meeting(meeting_id))


@bp.post("/desk/tasks")
@roles_required(*DESK)
def add_task(meeting_id: int):
    return _task_change(meeting_id, None)


@bp.get("/desk/tasks/<int:task_id>/edit")
@roles_required(*DESK)
def edit_task(meeting_id: int, task_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_task_form(meeting, closing.task_of(meeting, task_id))


@bp.post("/desk/tasks/<int:task_id>")
@roles_required(*DESK)
def update_task(meeting_id: int, task_id: int):
    return _task_change(meeting_id, task_id)


@bp.post("/desk/tasks/<int:task_id>/delete")
@roles_required(*DESK)
def delete_task(meeting_id: int, task_id: int):
    closing.delete_task(meeting_id, task_id, request.form.get("revision"), actor=actor())
    return _closing_done(meeting_id)


@bp.post("/desk/tasks/<int:task_id>/move")
@roles_required(*DESK)
def move_task(meeting_id: int, task_id: int):
    closing.move_task(meeting_id, task_id, request.form.get("offset", ""),
                      swap_with=request.form.get("swap_with", ""), actor=actor())
    return _closing_done(meeting_id)


@bp.post("/desk/closing/publish")
@roles_required(*DESK)
def publish(meeting_id: int):
    closing.publish(meeting_id, actor=actor())
    return _closing_done(meeting_id)


@bp.post("/desk/closing/unpublish")
@roles_required(*DESK)
def unpublish(meeting_id: int):
    closing.unpublish(meeting_id, actor=actor())
    return _closing_done(meeting_id)


# --------------------------------------------------------------------------- documents, finalize, reopen

DOCUMENT_VALUES = ("minutes_number", "notice_number", "notice_date", "notice_recipients")
DOCUMENT_FIELDS = (*DOCUMENT_VALUES, "revision")


@bp.get("/desk/documents")
@roles_required(*DESK)
def documents_form(meeting_id: int):
    """The documents form as saved now."""
    return render_documents(meetings.get_meeting(meeting_id))


@bp.post("/desk/documents")
@roles_required(*DESK)
def documents(meeting_id: int):
    """Số biên bản, số thông báo, ngày thông báo, nơi nhận."""
    values = {k: request.form.get(k, "") for k in DOCUMENT_FIELDS}
    try:
        minutes.set_documents(meeting_id, minutes_number=values["minutes_number"],
                              notice_number=values["notice_number"],
                              notice_date=minutes.typed_date(values["notice_date"], "notice_date"),
                              notice_recipients=values["notice_recipients"], revision=values["revision"],
                              actor=actor())
    except DomainError as e:
        if e.status != 400 and e.code != "documents_conflict":
            raise
        db.session.rollback()
        if e.details.get("field") == "text":  # the recipients' block of text
            e.details["field"] = "notice_recipients"
        return render_documents(meetings.get_meeting(meeting_id), values, e), e.status
    return render_documents(meetings.get_meeting(meeting_id), saved=True)


def _final_done(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_final(meeting, oob=True) + render_tasks(meeting, oob=True) + render_publish(meeting, oob=True)


@bp.post("/desk/finalize")
@roles_required(*DESK)
def finalize(meeting_id: int):
    """The button sends the documents form along (what the screen shows there): the minutes are
    not locked over values that are not saved."""
    shown = {k: request.form[k] for k in DOCUMENT_VALUES if k in request.form}
    minutes.finalize(meeting_id, shown=shown or None, actor=actor())
    return _final_done(meeting_id)


@bp.post("/desk/reopen")
@roles_required(*DESK)
def reopen(meeting_id: int):
    reason = request.form.get("reason", "")
    try:
        minutes.reopen(meeting_id, reason, actor=actor())
    except DomainError as e:
        if e.status != 400:
            raise
        db.session.rollback()
        return render_reopen(meetings.get_meeting(meeting_id), reason, e), 400
    return render_reopen(meetings.get_meeting(meeting_id)) + _final_done(meeting_id)


