"""What the secretary writes as the meeting goes: a note per remark, a conclusion per item and
the introduction of the chair's closing conclusion (its tasks are in ``closing``).

Each save names the revision of the text it started from. A save from an older revision (the
text was changed on another screen in between) is refused as ``note_conflict`` with the text
now kept, so nothing is overwritten unseen; the screen keeps what was typed and offers to save
it over. A save repeated after its answer was lost (same text) is accepted as it is.
"""
from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit, live, topics
from ..errors import DomainError
from ..extensions import db
from ..models import AgendaItem, Conclusion, Invitee, KienNghi, Remark, SpeakerRequest, User
from ..text import block
from . import agenda, minutes, speaker_queue
from .revisions import seen_current


Actor = User | str | None


def _conflict(current: str, revision: int) -> DomainError:
    return DomainError("note_conflict",
                       _l("Nội dung này vừa được sửa trên máy khác. Bản vừa nhập vẫn còn trên màn hình; "
                          "hãy xem bản đã lưu rồi chọn lưu đè hoặc chép lại."),
                       status=409, current=current, revision=revision)


def _apply(target, field: str, text: str, revision, actor: User | str | None) -> bool:
    """Write ``text`` if the screen saw the current revision; False when nothing changed."""
    current = getattr(target, field) or ""
    if text == current:
        return False
    if not seen_current(revision, target.revision):
        raise _conflict(current, target.revision or 0)
    setattr(target, field, text)
    target.revision = (target.revision or 0) + 1
    target.updated_by_id = actor.id if isinstance(actor, User) else None
    return True


def _save(meeting_id, text, revision, actor: Actor, find, field: str, action: str, entity: str):
    if text is None:  # not sent at all, which is not the same as emptied
        raise DomainError("text_missing", _l("Không nhận được nội dung gửi lên. Vui lòng thử lại."), field="text")
    text = block(text)
    meeting = minutes.claim(meeting_id)
    try:
        with db.session.no_autoflush:  # a new note or conclusion joins the session only if written
            target = find(meeting)
            changed = _apply(target, field, text, revision, actor)
        if changed:
            db.session.add(target)
            db.session.flush()
            audit.record(action, entity, target.id, meeting_id=meeting.id, actor=actor,
                         revision=target.revision, chars=len(text))
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return meeting, target, changed


def remarks_of(item: AgendaItem) -> list[SpeakerRequest]:
    """The remarks of one item, with who spoke, the note and the kiến nghị they named."""
    return list(db.session.scalars(speaker_queue.remarks_query(item.meeting_id, [item.id]).options(
        selectinload(SpeakerRequest.invitee).selectinload(Invitee.organisation),
        selectinload(SpeakerRequest.remark),
        selectinload(SpeakerRequest.kien_nghi).selectinload(KienNghi.organisation))))


def remarks_by_item(meeting) -> defaultdict[int, list[SpeakerRequest]]:
    """The meeting's remarks, by the id of their item (an item without any: an empty list)."""
    by_item: defaultdict[int, list[SpeakerRequest]] = defaultdict(list)
    for r in db.session.scalars(speaker_queue.remarks_query(meeting.id)):
        by_item[r.item_id].append(r)
    return by_item


def concluded_items(meeting) -> set[int]:
    """The ids of the items whose conclusion has been written."""
    return {c.item_id for c in db.session.scalars(
        select(Conclusion).where(Conclusion.meeting_id == meeting.id, Conclusion.item_id.is_not(None),
                                Conclusion.text != ""))}


def _remark_of(meeting, request_id) -> Remark:
    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        request_id = None
    request = db.session.execute(speaker_queue.remarks_query(meeting.id).where(SpeakerRequest.id == request_id)
                                 ).scalar_one_or_none()
    if request is None:
        raise DomainError("remark_not_found", _l("Không tìm thấy lượt phát biểu này."), status=404)
    return request.remark or Remark(speaker_request=request, note="", revision=0)


def save_remark_note(meeting_id, request_id, text: str, revision, *, actor: Actor = None) -> Remark:
    """The note of what a speaker said (a request given the floor)."""
    _, remark, _ = _save(meeting_id, text, revision, actor, lambda m: _remark_of(m, request_id),
                         "note", "minutes.note", "remark")
    return remark


def item_conclusion(meeting, item: AgendaItem) -> Conclusion:
    found = db.session.execute(select(Conclusion).where(
        Conclusion.meeting_id == meeting.id, Conclusion.item_id == item.id)).scalar_one_or_none()
    return found or Conclusion(meeting_id=meeting.id, item_id=item.id, text="", revision=0)


def closing_conclusion(meeting) -> Conclusion:
    found = db.session.execute(select(Conclusion).where(
        Conclusion.meeting_id == meeting.id, Conclusion.item_id.is_(None))).scalar_one_or_none()
    return found or Conclusion(meeting_id=meeting.id, item_id=None, text="", revision=0)


def _item_of(meeting, item_id) -> AgendaItem:
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        item_id = 0
    return agenda.get_item(meeting, item_id)


def save_item_conclusion(meeting_id, item_id, text: str, revision, *, actor: Actor = None) -> Conclusion:
    """The conclusion of one programme item."""
    _, conclusion, _ = _save(meeting_id, text, revision, actor,
                             lambda m: item_conclusion(m, _item_of(m, item_id)),
                             "text", "minutes.conclusion", "conclusion")
    return conclusion


def save_closing_intro(meeting_id, text: str, revision, *, actor: Actor = None) -> Conclusion:
    """The introduction of the chair's closing conclusion (kết luận Hội nghị)."""
    meeting, conclusion, changed = _save(meeting_id, text, revision, actor, closing_conclusion,
                                         "text", "minutes.closing", "conclusion")
    if changed and meeting.closing_published_at is not None:
        live.publish(meeting.id, topics.CLOSING)
    return conclusion
