"""The secretary's desk (bàn thư ký): one laptop screen to write, during the meeting, a note per
remark, a conclusion per item and the chair's closing conclusion; to publish that conclusion, set
the documents' numbers, download them, and finalize or reopen the minutes.

Regions (one fragment each, pushed live to staff):

- ``#desk-programme`` (topics ``agenda`` and ``speakers``): the programme as held. Each item
  carries ``data-sig``, a short digest of what the item pane shows (its state and its remarks).
  A push cannot know which item a given secretary is looking at, so the pane is not pushed:
  ``static/js/desk.js`` compares the digest of the item it shows with the pane's own and, when it
  changed, fetches the pane again over HTTP and merges it in without touching a text box.
- ``#desk-tasks`` (topics ``closing`` and ``desk``): the closing conclusion's numbered tasks and
  whether it is published.
- ``#desk-final`` (topics ``desk`` and ``agenda``): finalize / reopen the minutes.

The text boxes (notes, conclusions, the closing introduction) save themselves: each POSTs its
text with the revision it started from and gets JSON back (``{revision, saved_at, text}``, or
``{error, message, ...}`` with the refusal's details, e.g. ``current`` and ``revision`` on a
``note_conflict``).
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import UTC, date, datetime

from flask import Blueprint, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import live, topics
from ..errors import DomainError
from ..extensions import db
from ..models import (
    AgendaItem,
    Conclusion,
    ConclusionTask,
    Invitee,
    ItemKind,
    KienNghi,
    Meeting,
    Role,
    SpeakerRequest,
)
from ..services import (
    agenda,
    closing,
    display,
    meetings,
    minutes,
    notes,
    organisations,
    speakers,
)
from ..text import clean
from ..timeutil import epoch_ms, utcnow
from .access import roles_required

bp = Blueprint("desk", __name__, url_prefix="/meetings/<int:meeting_id>")
DESK = (Role.SECRETARY,)
NO_CONCLUSION = (ItemKind.BREAK, ItemKind.CONCLUSION)  # a break has none; the last item has the closing one


# --------------------------------------------------------------------------- reading

def remarks_of(item: AgendaItem) -> list[SpeakerRequest]:
    return list(db.session.scalars(speakers.remarks_query(item.meeting_id, [item.id]).options(
        selectinload(SpeakerRequest.invitee).selectinload(Invitee.organisation),
        selectinload(SpeakerRequest.remark),
        selectinload(SpeakerRequest.kien_nghi).selectinload(KienNghi.organisation))))


def _stamp(dt: datetime | None) -> str:
    return str(epoch_ms(dt) or "")


def item_sig(item: AgendaItem, remarks: list[SpeakerRequest]) -> str:
    """A digest of what the item pane shows that others change (the live agenda, the speakers):
    the pane is fetched again when it changes."""
    parts = [str(item.id), display.item_status(item), _stamp(item.started_at), _stamp(item.ended_at),
             str(item.held_seconds or 0), _stamp(item.resumed_at), _stamp(item.paused_at)]
    for r in remarks:
        parts.append(f"{r.id}:{_stamp(r.ended_at)}:{_stamp(r.paused_at)}:{r.paused_seconds or 0}:{r.time_limit_seconds}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def default_item(meeting: Meeting) -> AgendaItem | None:
    """What the pane shows unless the secretary chose: the current item; after the meeting the
    last item held; before it the first."""
    current = meeting.current_item
    if current is not None:
        return current
    held = [i for i in meeting.items if i.started_at is not None]
    if meeting.ended_at is not None and held:
        return max(held, key=lambda i: (i.ended_at or i.started_at, i.position))
    return meeting.items[0] if meeting.items else None


# --------------------------------------------------------------------------- regions

def render_programme(meeting: Meeting) -> str:
    items = list(meeting.items)
    by_item: dict[int, list[SpeakerRequest]] = defaultdict(list)
    for r in db.session.scalars(speakers.remarks_query(meeting.id)):
        by_item[r.item_id].append(r)
    conclusions = {c.item_id for c in db.session.scalars(
        select(Conclusion).where(Conclusion.meeting_id == meeting.id, Conclusion.item_id.is_not(None),
                                Conclusion.text != ""))}
    rows = [{"item": i, "status": display.item_status(i), "remarks": len(by_item[i.id]),
             "speaking": any(r.ended_at is None for r in by_item[i.id]), "sig": item_sig(i, by_item[i.id]),
             "has_conclusion": i.id in conclusions} for i in items]
    return render_template("desk/_programme.html", meeting=meeting, rows=rows, current=meeting.current_item)


def render_item(meeting: Meeting, item: AgendaItem | None) -> str:
    if item is None:
        return render_template("desk/_item.html", meeting=meeting, item=None, final=minutes.is_final(meeting))
    remarks = remarks_of(item)
    conclusion = notes.item_conclusion(meeting, item) if item.kind not in NO_CONCLUSION else None
    return render_template("desk/_item.html", meeting=meeting, item=item, remarks=remarks, conclusion=conclusion,
                           status=display.item_status(item), sig=item_sig(item, remarks),
                           final=minutes.is_final(meeting), now=utcnow())


def render_tasks(meeting: Meeting, oob: bool = False) -> str:
    return render_template("desk/_tasks.html", meeting=meeting, tasks=closing.tasks(meeting),
                           final=minutes.is_final(meeting), oob=oob)


def render_publish(meeting: Meeting, oob: bool = False) -> str:
    return render_template("desk/_publish.html", meeting=meeting, empty=closing.is_empty(meeting),
                           final=minutes.is_final(meeting), in_time=closing.closing_time(meeting), oob=oob)


def render_final(meeting: Meeting, oob: bool = False) -> str:
    return render_template("desk/_final.html", meeting=meeting, final=minutes.is_final(meeting), oob=oob)


def render_task_form(meeting: Meeting, task: ConclusionTask | None = None, values: dict | None = None,
                     error: DomainError | None = None) -> str:
    """The form to add a task, or to edit `task` (with what was typed, `values`, after an error).
    After a task_conflict it shows the task as saved now, and carries its revision: saving
    again then overwrites it knowingly."""
    if values is None:
        values = {"body": task.body, "content": task.content,
                  "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else ""} if task else {}
    conflict = error is not None and error.code == "task_conflict"
    revision = (task.revision or 0) if task and (conflict or "revision" not in values) else values.get("revision")
    return render_template("desk/_task_form.html", meeting=meeting, task=task, values=values, error=_error(error),
                           revision=revision, saved=task if conflict else None, final=minutes.is_final(meeting))


def render_documents(meeting: Meeting, values: dict | None = None, error: DomainError | None = None,
                     saved: bool = False) -> str:
    """The documents form: as saved, or (`values`) as typed with its error. After a
    documents_conflict it shows what is saved now and carries its revision: saving again then
    overwrites it knowingly."""
    conflict = error is not None and error.code == "documents_conflict"
    if values is None:
        values = {"minutes_number": meeting.minutes_number or "", "notice_number": meeting.notice_number or "",
                  "notice_date": meeting.notice_date.strftime("%d/%m/%Y") if meeting.notice_date else "",
                  "notice_recipients": meeting.notice_recipients or ""}
    revision = values["revision"] if "revision" in values and not conflict else meeting.documents_revision or 0
    return render_template("desk/_documents.html", meeting=meeting, values=values, error=_error(error), saved=saved,
                           revision=revision, conflict=conflict, final=minutes.is_final(meeting), now=utcnow())


def render_reopen(meeting: Meeting, reason: str = "", error: DomainError | None = None) -> str:
    return render_template("desk/_reopen.html", meeting=meeting, reason=reason, error=_error(error))


def _error(error: DomainError | None) -> dict | None:
    if error is None:
        return None
    return {"code": error.code, "message": error.message, "field": error.details.get("field")}


@live.region(topics.AGENDA, audience="staff", target="#desk-programme")
@live.region(topics.SPEAKERS, audience="staff", target="#desk-programme")
def _live_programme(meeting: Meeting) -> str:
    return render_programme(meeting)


@live.region(topics.CLOSING, audience="staff", target="#desk-tasks")
@live.region(topics.MINUTES, audience="staff", target="#desk-tasks")
def _live_tasks(meeting: Meeting) -> str:
    return render_tasks(meeting)


@live.region(topics.CLOSING, audience="staff", target="#desk-publish")
@live.region(topics.MINUTES, audience="staff", target="#desk-publish")
@live.region(topics.AGENDA, audience="staff", target="#desk-publish")  # publishing waits for the last item
def _live_publish(meeting: Meeting) -> str:
    return render_publish(meeting)


@live.region(topics.MINUTES, audience="staff", target="#desk-final")
@live.region(topics.AGENDA, audience="staff", target="#desk-final")
def _live_final(meeting: Meeting) -> str:
    return render_final(meeting)


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

def _user():
    return current_user._get_current_object()


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
    text = request.form.get("text")
    if text is None:
        return _json_error(DomainError("text_missing", _l("Không nhận được nội dung gửi lên. Vui lòng thử lại."),
                                       field="text"))
    try:
        target = save(text, request.form.get("revision"))
    except DomainError as e:
        return _json_error(e)
    return jsonify(revision=target.revision or 0, saved_at=_iso(target.updated_at), text=getattr(target, field) or "")


@bp.post("/desk/remarks/<int:request_id>/note")
@roles_required(*DESK)
def save_note(meeting_id: int, request_id: int):
    """The note of one remark. Form: text, revision. Answers JSON."""
    return _save_text(lambda text, rev: notes.save_remark_note(meeting_id, request_id, text, rev, actor=_user()),
                      "note")


@bp.post("/desk/items/<int:item_id>/conclusion")
@roles_required(*DESK)
def save_conclusion(meeting_id: int, item_id: int):
    """The conclusion of one programme item. Form: text, revision. Answers JSON."""
    return _save_text(lambda text, rev: notes.save_item_conclusion(meeting_id, item_id, text, rev, actor=_user()),
                      "text")


@bp.post("/desk/closing/intro")
@roles_required(*DESK)
def save_intro(meeting_id: int):
    """The introduction of the closing conclusion. Form: text, revision. Answers JSON."""
    return _save_text(lambda text, rev: notes.save_closing_intro(meeting_id, text, rev, actor=_user()), "text")


# --------------------------------------------------------------------------- the closing conclusion's tasks

DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def parse_date(value: str | None, field: str) -> date | None:
    """dd/mm/yyyy (d/m/yyyy, with - or . too); empty is no date."""
    value = (value or "").strip()
    if not value:
        return None
    match = DATE.match(value)
    try:
        if match is None:
            raise ValueError(value)
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        raise DomainError("date_invalid", _l("Ngày không hợp lệ (dd/mm/yyyy)."), field=field) from None


def _organisation_named(body: str):
    """The town's organisation the typed body names (chosen from the list), if any."""
    name = clean(body).casefold()
    if not name:
        return None
    return next((o.id for o in organisations.all_organisations() if o.name.casefold() == name), None)


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
        deadline = parse_date(values["deadline"], "deadline")
        organisation_id = _organisation_named(values["body"])
        if task_id is None:
            closing.add_task(meeting_id, values["body"], values["content"], deadline, organisation_id, actor=_user())
        else:
            closing.update_task(meeting_id, task_id, values["body"], values["content"], deadline, organisation_id,
                                values["revision"], actor=_user())
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
    closing.delete_task(meeting_id, task_id, request.form.get("revision"), actor=_user())
    return _closing_done(meeting_id)


@bp.post("/desk/tasks/<int:task_id>/move")
@roles_required(*DESK)
def move_task(meeting_id: int, task_id: int):
    closing.move_task(meeting_id, task_id, request.form.get("offset", ""),
                      swap_with=request.form.get("swap_with", ""), actor=_user())
    return _closing_done(meeting_id)


@bp.post("/desk/closing/publish")
@roles_required(*DESK)
def publish(meeting_id: int):
    closing.publish(meeting_id, actor=_user())
    return _closing_done(meeting_id)


@bp.post("/desk/closing/unpublish")
@roles_required(*DESK)
def unpublish(meeting_id: int):
    closing.unpublish(meeting_id, actor=_user())
    return _closing_done(meeting_id)


# --------------------------------------------------------------------------- documents, finalize, reopen

DOCUMENT_FIELDS = ("minutes_number", "notice_number", "notice_date", "notice_recipients", "revision")


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
                              notice_date=parse_date(values["notice_date"], "notice_date"),
                              notice_recipients=values["notice_recipients"], revision=values["revision"],
                              actor=_user())
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
    minutes.finalize(meeting_id, actor=_user())
    return _final_done(meeting_id)


@bp.post("/desk/reopen")
@roles_required(*DESK)
def reopen(meeting_id: int):
    reason = request.form.get("reason", "")
    try:
        minutes.reopen(meeting_id, reason, actor=_user())
    except DomainError as e:
        if e.status != 400:
            raise
        db.session.rollback()
        return render_reopen(meetings.get_meeting(meeting_id), reason, e), 400
    return render_reopen(meetings.get_meeting(meeting_id)) + _final_done(meeting_id)


