"""The documents screen's live region (/meetings/<id>/documents), pushed to the staff screens
when a document changes (topic documents), when a delegate opens one (document_opens) and when a
unit sends or withdraws its report (units).

- ``meeting_documents/_list.html`` ``#docs-list``: the documents under each programme item, in
  their order, each with its state, how many delegates opened it of how many are invited, and its
  actions; the units' reports not yet attached; the withdrawn. Drawn with no user (a push): what
  only the Văn phòng may do is hidden by the page's class on other accounts' screens, and the
  server refuses it anyway.
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import Meeting
from ..services import meeting_documents


@live.region(topics.DOCUMENTS, audience="staff", target="#docs-list")
@live.region(topics.DOCUMENT_OPENS, audience="staff", target="#docs-list")
@live.region(topics.UNITS, audience="staff", target="#docs-list")  # a unit's report came or went
def render_list(meeting: Meeting, oob: bool = False, read: int | None = None) -> str:
    docs = meeting_documents.listing(meeting.id)
    by_item: dict = {}
    for doc in docs:
        if doc.withdrawn_at is None and doc.item_id is not None:
            by_item.setdefault(doc.item_id, []).append(doc)
    return render_template(
        "meeting_documents/_list.html", meeting=meeting, items=list(meeting.items), by_item=by_item,
        loose=[d for d in docs if d.withdrawn_at is None and d.item_id is None],
        withdrawn=[d for d in docs if d.withdrawn_at is not None],
        opens=meeting_documents.open_counts(meeting.id), invited=meeting_documents.invited_count(meeting.id),
        oob=oob, read=read)
