"""The chair's closing conclusion (kết luận Hội nghị): its numbered tasks, each for a named body
with a deadline, and publishing it to the projector and the phones.

The introduction is written like any note (``notes.save_closing_intro``). Tasks are numbered by
``position`` (1, 2, 3 ... with no gaps). Each edit bumps a task's ``revision``; an edit or a
delete names the revision its screen showed, and one made from an older revision (the task was
edited on another screen in between) is refused as ``task_conflict`` (409), so nothing is
overwritten or deleted unseen. An edit repeated after its answer was lost (the same values) is
accepted as it is. Publishing (during the programme's last item or after
the end) stamps ``closing_published_at``; while it is set the projector and every phone show the
conclusion, and each change to it is pushed at once.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from .. import audit, live, topics
from ..errors import DomainError
from ..extensions import db
from ..models import ConclusionTask, Meeting, Organisation, User, max_length
from ..text import block, clean
from ..timeutil import utcnow
from . import minutes, notes
from .revisions import seen_current

MAX_BODY = max_length(ConclusionTask.body)
MAX_TASK = max_length(ConclusionTask.content)

Actor = User | str | None


def tasks(meeting: Meeting) -> list[ConclusionTask]:
    conclusion = notes.closing_conclusion(meeting)
    return list(conclusion.tasks) if conclusion.id else []


def is_empty(meeting: Meeting) -> bool:
    conclusion = notes.closing_conclusion(meeting)
    return not conclusion.text and not (conclusion.id and conclusion.tasks)


def _fields(body: str, content: str, deadline, organisation_id) -> tuple[str, str, date | None, Organisation | None]:
    organisation = None
    if organisation_id not in (None, ""):
        try:
            organisation = db.session.get(Organisation, int(organisation_id))
        except (TypeError, ValueError):
            organisation = None
        if organisation is None:
            raise DomainError("organisation_not_found", _l("Không tìm thấy cơ quan, đơn vị này."),
                              field="organisation_id")
    body = clean(body) or (organisation.name if organisation else "")
    if not body:
        raise DomainError("task_body_required", _l("Hãy ghi cơ quan, đơn vị thực hiện."), field="body")
    if len(body) > MAX_BODY:
        raise DomainError("task_body_too_long", _l("Tên cơ quan, đơn vị quá dài (tối đa %(n)s ký tự).", n=MAX_BODY), field="body")
    content = block(content, limit=MAX_TASK)
    if not content:
        raise DomainError("task_content_required", _l("Hãy ghi nội dung nhiệm vụ."), field="content")
    if deadline is not None and not isinstance(deadline, date):
        raise minutes.date_invalid("deadline")
    return body, content, deadline, organisation


def _change(meeting_id, action: str, actor: Actor, apply) -> ConclusionTask | Meeting:
    meeting = minutes.claim(meeting_id)
    try:
        result, details = apply(meeting)
        db.session.flush()
    except DomainError:
        db.session.rollback()
        raise
    audit.record(f"closing.{action}", "meeting", meeting.id, meeting_id=meeting.id, actor=actor, **details)
    db.session.commit()
    live.publish(meeting.id, topics.CLOSING)
    return result


def task_of(meeting: Meeting, task_id) -> ConclusionTask:
    conclusion = notes.closing_conclusion(meeting)
    try:
        task_id = int(task_id)
    except (TypeError, ValueError):
        task_id = None
    task = next((t for t in (conclusion.tasks if conclusion.id else []) if t.id == task_id), None)
    if task is None:
        raise DomainError("task_not_found", _l("Không tìm thấy nhiệm vụ này."), status=404)
    return task


def _conflict(task: ConclusionTask, message) -> DomainError:
    return DomainError("task_conflict", message, status=409, task=task.id, revision=task.revision or 0)


def _renumber(items: list[ConclusionTask]) -> None:
    for position, task in enumerate(items, start=1):
        task.position = position


def _deadline_after_meeting(meeting: Meeting, deadline: date | None) -> None:
    minutes.not_before_meeting(meeting, deadline, "deadline", _l(
        "Thời hạn không thể trước ngày họp (%(d)s).", d=minutes.meeting_day(meeting).strftime("%d/%m/%Y")))


def add_task(meeting_id, body: str, content: str, deadline: date | None = None, organisation_id=None,
             *, actor: Actor = None) -> ConclusionTask:
    """A new task at the end of the list."""
    body, content, deadline, organisation = _fields(body, content, deadline, organisation_id)

    def apply(meeting):
        _deadline_after_meeting(meeting, deadline)
        conclusion = notes.closing_conclusion(meeting)
        if any(t.body == body and t.content == content for t in (conclusion.tasks if conclusion.id else [])):
            # The same form sent twice (its answer was lost on the way back).
            raise DomainError("task_duplicate", _l("Nhiệm vụ này đã có trong kết luận."), status=409)
        db.session.add(conclusion)
        task = ConclusionTask(position=len(conclusion.tasks) + 1, body=body, content=content,
                              deadline=deadline, organisation_id=organisation.id if organisation else None)
        conclusion.tasks.append(task)
        return task, {"body": body, "deadline": deadline}
    return _change(meeting_id, "add_task", actor, apply)


def update_task(meeting_id, task_id, body: str, content: str, deadline: date | None = None,
                organisation_id=None, revision=None, *, actor: Actor = None) -> ConclusionTask:
    """Edit a task, as its screen saw it at `revision`."""
    body, content, deadline, organisation = _fields(body, content, deadline, organisation_id)
    organisation_id = organisation.id if organisation else None

    def apply(meeting):
        task = task_of(meeting, task_id)
        unchanged = (task.body, task.content, task.deadline, task.organisation_id) == (
            body, content, deadline, organisation_id)
        if not seen_current(revision, task.revision) and not unchanged:
            raise _conflict(task, _l("Nhiệm vụ này vừa được sửa trên máy khác. Bản vừa nhập vẫn còn trong ô nhập; "
                                     "hãy xem bản đã lưu rồi chọn lưu đè hoặc dùng bản đã lưu."))
        _deadline_after_meeting(meeting, deadline)
        if not unchanged:
            task.body, task.content, task.deadline, task.organisation_id = body, content, deadline, organisation_id
            task.revision = (task.revision or 0) + 1
        return task, {"task": task.id, "body": body, "deadline": deadline, "revision": task.revision}
    return _change(meeting_id, "update_task", actor, apply)


def delete_task(meeting_id, task_id, revision=None, *, actor: Actor = None) -> Meeting:
    """Delete a task, as its screen saw it at `revision`."""
    def apply(meeting):
        task = task_of(meeting, task_id)
        if not seen_current(revision, task.revision):
            raise _conflict(task, _l("Nhiệm vụ %(n)s vừa được sửa trên máy khác, nên chưa xóa. "
                                     "Danh sách đã được cập nhật; hãy xem lại rồi xóa nếu vẫn muốn.",
                                     n=task.position))
        conclusion = task.conclusion
        conclusion.tasks.remove(task)
        _renumber(conclusion.tasks)
        return meeting, {"task": task.id, "body": task.body}
    return _change(meeting_id, "delete_task", actor, apply)


def move_task(meeting_id, task_id, offset, *, swap_with=None, actor: Actor = None) -> ConclusionTask:
    """Up (-1) or down (+1) one place, trading places with the task its screen showed there
    (`swap_with`, an id; None: whichever is there now). A list changed meanwhile is refused."""
    if offset not in (-1, 1, "-1", "1"):
        raise DomainError("move_invalid", _l("Chỉ có thể chuyển lên hoặc xuống một bậc."))
    offset = int(offset)

    def apply(meeting):
        task = task_of(meeting, task_id)
        items = sorted(task.conclusion.tasks, key=lambda t: t.position)
        at = items.index(task)
        to = at + offset
        if swap_with is not None and (not 0 <= to < len(items) or str(items[to].id) != str(swap_with)):
            raise DomainError("tasks_changed", _l("Danh sách nhiệm vụ vừa được thay đổi trên máy khác và đã được "
                                                  "tải lại. Vui lòng xem lại rồi chuyển lần nữa nếu vẫn muốn."),
                              status=409)
        if not 0 <= to < len(items):
            raise DomainError("move_invalid", _l("Nhiệm vụ đã ở đầu hoặc cuối danh sách."), status=409)
        items[at], items[to] = items[to], items[at]
        _renumber(items)
        return task, {"task": task.id, "position": task.position}
    return _change(meeting_id, "move_task", actor, apply)


def closing_time(meeting: Meeting) -> bool:
    """The conclusion is given at the end: during the programme's last item, or after the end."""
    if meeting.ended_at is not None:
        return True
    current = meeting.current_item
    return current is not None and bool(meeting.items) and current.id == meeting.items[-1].id


def publish(meeting_id, *, actor: Actor = None, now: datetime | None = None) -> Meeting:
    """Show the closing conclusion on the projector and the phones."""
    def apply(meeting):
        if not closing_time(meeting):
            raise DomainError("closing_too_early",
                              _l("Chỉ công bố kết luận Hội nghị khi đang ở mục cuối của chương trình "
                                 "hoặc sau khi hội nghị kết thúc."), status=409)
        if is_empty(meeting):
            raise DomainError("closing_empty", _l("Kết luận Hội nghị chưa có nội dung để công bố."), status=409)
        if meeting.closing_published_at is not None:
            raise DomainError("closing_published", _l("Kết luận Hội nghị đã được công bố."), status=409)
        meeting.closing_published_at = now or utcnow()
        return meeting, {}
    meeting = _change(meeting_id, "publish", actor, apply)
    live.publish(meeting.id, topics.AGENDA)
    return meeting


def unpublish(meeting_id, *, actor: Actor = None) -> Meeting:
    """Take the closing conclusion off the projector and the phones."""
    def apply(meeting):
        if meeting.closing_published_at is None:
            raise DomainError("closing_not_published", _l("Kết luận Hội nghị chưa được công bố."), status=409)
        meeting.closing_published_at = None
        return meeting, {}
    meeting = _change(meeting_id, "unpublish", actor, apply)
    live.publish(meeting.id, topics.AGENDA)
    return meeting

