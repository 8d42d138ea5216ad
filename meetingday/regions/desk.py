"""The secretary's desk (bàn thư ký): its regions, pushed live to staff, and its panes and forms.

- ``desk/_programme.html`` ``#desk-programme`` (topics agenda, speakers): the programme as held.
  Each item carries ``data-sig``, a short digest of what the item pane shows (its state and its
  remarks). A push cannot know which item a given secretary is looking at, so the pane is not
  pushed: ``static/js/desk.js`` compares the digest of the item it shows with the pane's own and,
  when it changed, fetches the pane again over HTTP and merges it in without touching a text box.
- ``desk/_item.html`` ``#desk-item``: one item's remarks with their notes, and its conclusion.
- ``desk/_tasks.html`` ``#desk-tasks`` (closing, minutes): the closing conclusion's numbered tasks.
- ``desk/_publish.html`` ``#desk-publish`` (closing, minutes, agenda): publish the closing conclusion.
- ``desk/_final.html`` ``#desk-final`` (minutes, agenda): finalize / reopen the minutes.
- ``desk/_task_form.html`` ``#desk-task-form``, ``desk/_documents.html`` ``#desk-documents``,
  ``desk/_reopen.html`` ``#desk-reopen-form``: the forms, as saved or as typed with their refusal.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from flask import render_template

from .. import live, topics
from ..errors import DomainError
from ..models import AgendaItem, ConclusionTask, ItemKind, Meeting, SpeakerRequest
from ..services import closing, display, minutes, notes
from ..timeutil import epoch_ms, utcnow

NO_CONCLUSION = (ItemKind.BREAK, ItemKind.CONCLUSION)  # a break has none; the last item has the closing one


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


@live.region(topics.AGENDA, audience="staff", target="#desk-programme")
@live.region(topics.SPEAKERS, audience="staff", target="#desk-programme")
def render_programme(meeting: Meeting) -> str:
    by_item = notes.remarks_by_item(meeting)
    conclusions = notes.concluded_items(meeting)
    rows = [{"item": i, "status": display.item_status(i), "remarks": len(by_item[i.id]),
             "speaking": any(r.ended_at is None for r in by_item[i.id]), "sig": item_sig(i, by_item[i.id]),
             "has_conclusion": i.id in conclusions} for i in meeting.items]
    return render_template("desk/_programme.html", meeting=meeting, rows=rows, current=meeting.current_item)


def render_item(meeting: Meeting, item: AgendaItem | None) -> str:
    if item is None:
        return render_template("desk/_item.html", meeting=meeting, item=None, final=minutes.is_final(meeting))
    remarks = notes.remarks_of(item)
    conclusion = notes.item_conclusion(meeting, item) if item.kind not in NO_CONCLUSION else None
    return render_template("desk/_item.html", meeting=meeting, item=item, remarks=remarks, conclusion=conclusion,
                           status=display.item_status(item), sig=item_sig(item, remarks),
                           final=minutes.is_final(meeting), now=utcnow())


@live.region(topics.CLOSING, audience="staff", target="#desk-tasks")
@live.region(topics.MINUTES, audience="staff", target="#desk-tasks")
def render_tasks(meeting: Meeting, oob: bool = False) -> str:
    return render_template("desk/_tasks.html", meeting=meeting, tasks=closing.tasks(meeting),
                           final=minutes.is_final(meeting), oob=oob)


@live.region(topics.CLOSING, audience="staff", target="#desk-publish")
@live.region(topics.MINUTES, audience="staff", target="#desk-publish")
@live.region(topics.AGENDA, audience="staff", target="#desk-publish")  # publishing waits for the last item
def render_publish(meeting: Meeting, oob: bool = False) -> str:
    return render_template("desk/_publish.html", meeting=meeting, empty=closing.is_empty(meeting),
                           final=minutes.is_final(meeting), in_time=closing.closing_time(meeting), oob=oob)


@live.region(topics.MINUTES, audience="staff", target="#desk-final")
@live.region(topics.AGENDA, audience="staff", target="#desk-final")
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
