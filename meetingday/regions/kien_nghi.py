"""The kiến nghị screen's two live regions, pushed to every staff screen after each change (topic
kien_nghi). The filters and the search run in the browser (static/js/kien_nghi.js), so one
pushed list serves every screen's filter.

- ``kien_nghi/_summary.html`` ``#kn-summary``: the counts per status.
- ``kien_nghi/_list.html`` ``#kn-list``: every kiến nghị, each row with its folded search text
  and the requests to speak that name it.
"""
from __future__ import annotations

from flask import render_template

from .. import live, topics
from ..models import KienNghi, KienNghiStatus, Meeting
from ..services import kien_nghi as kn_service
from ..text import fold


def _search_text(kn: KienNghi) -> str:
    parts = [kn.organisation.name, kn.organisation.short_name, kn.content, kn.answer, kn.answered_by]
    if kn.assigned_org is not None:
        parts += [kn.assigned_org.name, kn.assigned_org.short_name]
    return fold(" ".join(p for p in parts if p))


@live.region(topics.KIEN_NGHI, audience="staff", target="#kn-list")
def render_list(meeting: Meeting, oob: bool = False, read: int | None = None) -> str:
    rows = kn_service.listing(meeting)
    return render_template("kien_nghi/_list.html", meeting=meeting, rows=rows, oob=oob, read=read,
                           assignees=kn_service.assignees(), labels=kn_service.STATUS_LABELS,
                           search_text=_search_text, named=kn_service.named_by(meeting),
                           state_token=kn_service.state_token, edit_token=kn_service.edit_token,
                           is_ban=kn_service.is_ban, Status=KienNghiStatus)


@live.region(topics.KIEN_NGHI, audience="staff", target="#kn-summary")
def render_summary(meeting: Meeting, oob: bool = False, read: int | None = None) -> str:
    return render_template("kien_nghi/_summary.html", meeting=meeting, oob=oob, read=read,
                           counts=kn_service.counts(kn_service.listing(meeting)),
                           labels=kn_service.STATUS_LABELS, Status=KienNghiStatus)
