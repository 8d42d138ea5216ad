"""The meeting's documents (tài liệu hội nghị), as delegates read them from their pass.

A document is a file the Văn phòng uploads here, or a unit's report sent through its link (a
Document with unit_id, recorded by the reports' service). The Văn phòng attaches each to a
programme item, orders them within it, and publishes it: delegates then see it under its item
on their pass (and the current item's from the top of the pass) and open it; an unpublished
document is the office's alone. Withdrawing one (withdrawn_at) keeps its row: its links answer
that it is no longer available (410), and it leaves the pass.

Every change checks its rules and the revision the screen showed (``document_changed`` when the
row changed meanwhile), bumps the revision, records an audit entry ``document.<action>``, commits,
then pushes topics.DOCUMENTS (the pass's programme and now regions, the staff list). A
delegate's open is counted once per person (DocumentOpen: first and last time, how many times),
in one statement that two phones opening at once cannot double.
"""
from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from .. import audit, files, live, topics
from ..errors import DomainError, refuse
from ..extensions import db
from ..models import AgendaItem, Document, DocumentOpen, Invitee, ReportingUnit, User, max_length, utcnow
from ..text import clean
from .meetings import get_meeting, lock_meeting
from .revisions import seen_current

Actor = User | str | None
MAX_TITLE = max_length(Document.title)
_WITH_UNIT = joinedload(Document.unit).joinedload(ReportingUnit.organisation)


# --------------------------------------------------------------------------- reading

def listing(meeting_id: int) -> list[Document]:
    """Every document of the meeting with its unit: the withdrawn last, the rest by item (those
    without one first) and position."""
    rows = db.session.scalars(select(Document).where(Document.meeting_id == meeting_id)
                              .outerjoin(AgendaItem, AgendaItem.id == Document.item_id)
                              .order_by(Document.withdrawn_at.is_not(None), AgendaItem.position.is_not(None), AgendaItem.position,
                                        Document.position, Document.id)
                              .options(_WITH_UNIT))
    return list(rows)


def published(meeting_id: int) -> dict[int, list[Document]]:
    """The documents delegates may open, by item id, in their order: one query."""
    rows = db.session.scalars(select(Document).where(
        Document.meeting_id == meeting_id, Document.item_id.is_not(None), Document.published_at.is_not(None),
        Document.withdrawn_at.is_(None)).order_by(Document.item_id, Document.position, Document.id)
        .options(_WITH_UNIT))
    by_item: dict[int, list[Document]] = defaultdict(list)
    for doc in rows:
        by_item[doc.item_id].append(doc)
    return dict(by_item)


def open_counts(meeting_id: int) -> dict[int, int]:
    """How many delegates opened each document, by its id."""
    rows = db.session.execute(select(DocumentOpen.document_id, func.count()).join(Document)
                              .where(Document.meeting_id == meeting_id).group_by(DocumentOpen.document_id))
    return {doc_id: n for doc_id, n in rows}


def invited_count(meeting_id: int) -> int:
    """Everyone invited (a walk-in guest was not)."""
    return db.session.scalar(select(func.count()).select_from(Invitee).where(
        Invitee.meeting_id == meeting_id, Invitee.walk_in.is_(False))) or 0


def presenter(doc: Document) -> str:
    """Who a document is from, as the minutes and the screens name it: the unit of a report."""
    return doc.unit.organisation.short_name if doc.unit is not None else ""


def _not_found() -> DomainError:
    return DomainError("document_not_found", _l("Không tìm thấy tài liệu này."), status=404)


def get(meeting_id: int, doc_id) -> Document:
    """A document of this meeting (withdrawn or not), else document_not_found (404)."""
    doc = db.session.get(Document, int(doc_id)) if str(doc_id or "").isdigit() else None
    if doc is None or doc.meeting_id != meeting_id:
        raise _not_found()
    return doc


def readable(meeting_id: int, doc_id) -> Document:
    """A document a delegate of this meeting may open; an unknown one is document_not_found
    (404), one not published, withdrawn, or of another meeting no longer available (410)."""
    doc = db.session.get(Document, int(doc_id)) if str(doc_id or "").isdigit() else None
    if doc is None:
        raise _not_found()
    if doc.meeting_id != meeting_id or not doc.readable:
        raise files.gone()
    return doc


# --------------------------------------------------------------------------- checks

def check_title(value) -> str:
    title = clean(value)
    if not title:
        raise DomainError("title_required", _l("Hãy ghi tên tài liệu."), field="title")
    if len(title) > MAX_TITLE:
        raise DomainError("title_too_long", _l("Tên tài liệu quá dài (tối đa %(n)s ký tự).", n=MAX_TITLE),
                          field="title")
    return title


def _item(meeting_id: int, item_id) -> AgendaItem:
    item = db.session.get(AgendaItem, int(item_id)) if str(item_id or "").isdigit() else None
    if item is None or item.meeting_id != meeting_id:
        raise DomainError("item_required", _l("Hãy chọn mục chương trình của tài liệu."), field="item_id")
    return item


def _changed(doc: Document) -> DomainError:
    return DomainError("document_changed", _l(
        "Tài liệu “%(title)s” vừa được thay đổi trên màn hình khác, nên chưa thay đổi gì. Danh sách đã được "
        "cập nhật; hãy xem lại rồi làm lại nếu vẫn muốn.", title=doc.title), status=409)


def _withdrawn(doc: Document) -> DomainError:
    return DomainError("document_withdrawn", _l("Tài liệu “%(title)s” đã được rút, không thay đổi được nữa.",
                                                title=doc.title), status=409)


def _next_position(item_id: int) -> int:
    last = db.session.scalar(select(func.max(Document.position)).where(Document.item_id == item_id))
    return (last or 0) + 1


# --------------------------------------------------------------------------- changing

def _change(meeting_id: int, doc_id, revision, action: str, actor: Actor, apply) -> Document:
    """Under the meeting's lock: the document as the screen showed it, changed by `apply(doc)`
    (which returns the audit details), its revision bumped, audited, committed, pushed."""
    lock_meeting(get_meeting(meeting_id))
    try:
        doc = get(meeting_id, doc_id)
        db.session.refresh(doc)
        if not seen_current(revision, doc.revision):
            raise _changed(doc)
        if doc.withdrawn_at is not None:
            raise _withdrawn(doc)
        details = apply(doc)
    except DomainError as e:
        refuse(e)
    doc.revision = (doc.revision or 0) + 1
    audit.record(f"document.{action}", "document", doc.id, meeting_id=meeting_id, actor=actor,
                 title=doc.title, **details)
    db.session.commit()
    live.publish(meeting_id, topics.DOCUMENTS)
    return doc


def add(meeting_id: int, title, item_id, upload_name: str | None, data: bytes, *, actor: Actor = None) -> Document:
    """A document the Văn phòng uploads (PDF or .docx, checked by content; a Word file converted
    to PDF where LibreOffice is installed), under `item_id`, last of its item, not yet published."""
    meeting = get_meeting(meeting_id)
    title = check_title(title)
    item = _item(meeting.id, item_id)
    stored, pdf = files.store_readable(data)
    try:
        lock_meeting(meeting)
        _item(meeting.id, item.id)  # still there under the lock
        doc = Document(meeting_id=meeting.id, item_id=item.id, title=title,
                       filename=files.clean_name(upload_name, stored.kind), kind=stored.kind, size=stored.size,
                       sha256=stored.sha256, stored_name=stored.key, pdf_name=pdf.key if pdf else None,
                       uploaded_by_id=actor.id if isinstance(actor, User) else None,
                       position=_next_position(item.id))
        db.session.add(doc)
        db.session.flush()
        audit.record("document.add", "document", doc.id, meeting_id=meeting.id, actor=actor, title=title,
                     item_id=item.id, filename=doc.filename, kind=doc.kind, size=doc.size, sha256=doc.sha256,
                     converted=pdf is not None)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.remove(stored.key)  # nothing recorded: nothing kept
        files.remove(pdf.key if pdf else None)
        raise
    live.publish(meeting.id, topics.DOCUMENTS)
    return doc


def attach(meeting_id: int, doc_id, item_id, *, revision, actor: Actor = None) -> Document:
    """Put a document (a unit's report, or one under another item) under `item_id`, last there."""
    def apply(doc: Document) -> dict:
        item = _item(meeting_id, item_id)
        before = doc.item_id
        if before != item.id:
            doc.item_id, doc.position = item.id, _next_position(item.id)
        return {"item_id": item.id, "before": before}
    return _change(meeting_id, doc_id, revision, "attach", actor, apply)


def move(meeting_id: int, doc_id, offset, *, revision, actor: Actor = None) -> Document:
    """One place up (offset -1) or down (+1) among the documents of its item."""
    step = -1 if str(offset) == "-1" else 1 if str(offset) == "1" else 0

    def apply(doc: Document) -> dict:
        if step == 0 or doc.item_id is None:
            raise DomainError("document_cannot_move", _l("Không chuyển được tài liệu này."), status=409)
        siblings = list(db.session.scalars(select(Document).where(
            Document.item_id == doc.item_id, Document.withdrawn_at.is_(None))
            .order_by(Document.position, Document.id)))
        at = siblings.index(doc)
        if not 0 <= at + step < len(siblings):
            raise DomainError("document_cannot_move", _l("Tài liệu đã ở vị trí đầu hoặc cuối của mục."), status=409)
        siblings[at], siblings[at + step] = siblings[at + step], siblings[at]
        for position, row in enumerate(siblings, start=1):  # renumbered: equal positions never linger
            row.position = position
        return {"offset": step, "position": doc.position}
    return _change(meeting_id, doc_id, revision, "move", actor, apply)


def publish(meeting_id: int, doc_id, *, revision, actor: Actor = None) -> Document:
    """Delegates see the document under its item and may open it."""
    def apply(doc: Document) -> dict:
        if doc.item_id is None:
            raise DomainError("document_no_item", _l("Hãy gắn tài liệu vào một mục chương trình trước khi công bố."),
                              status=409)
        if doc.published_at is None:
            doc.published_at = utcnow()
        return {"item_id": doc.item_id}
    return _change(meeting_id, doc_id, revision, "publish", actor, apply)


def unpublish(meeting_id: int, doc_id, *, revision, actor: Actor = None) -> Document:
    """Back to the office only: it leaves the passes, its links say it is no longer available."""
    def apply(doc: Document) -> dict:
        doc.published_at = None
        return {}
    return _change(meeting_id, doc_id, revision, "unpublish", actor, apply)


def withdraw(meeting_id: int, doc_id, *, revision, actor: Actor = None) -> Document:
    """Rút: the document is no longer provided, for good (its row and file stay for the record)."""
    def apply(doc: Document) -> dict:
        doc.withdrawn_at = utcnow()
        return {"was_published": doc.published_at is not None}
    return _change(meeting_id, doc_id, revision, "withdraw", actor, apply)


def record_open(invitee: Invitee, doc_id, *, now=None) -> Document:
    """The holder of a pass opens a document of their meeting: counted once per person (the
    first and the latest time, how many times), audited, and the office's counts pushed. The
    document must be readable (see `readable`)."""
    doc = readable(invitee.meeting_id, doc_id)
    now = now or utcnow()
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(DocumentOpen).values(document_id=doc.id, invitee_id=invitee.id, first_opened_at=now,
                                                 last_opened_at=now, times=1)
    db.session.execute(upsert.on_conflict_do_update(
        index_elements=["document_id", "invitee_id"],
        set_={"last_opened_at": now, "times": DocumentOpen.times + 1}))
    audit.record("document.open", "document", doc.id, meeting_id=invitee.meeting_id,
                 actor=f"invitee:{invitee.id}", invitee_id=invitee.id)
    db.session.commit()
    live.publish(invitee.meeting_id, topics.DOCUMENT_OPENS)
    return doc
