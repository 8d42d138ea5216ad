"""The minutes and the conclusion notice as Word files, and the minutes' print view.

The documents are official text and always Vietnamese; the print view's own buttons and notes
follow the user's language.

python-docx is imported by the first document asked for, not at start: it took a fifth of the
server's start, which every screen waits for after a restart (docs/benchmarks.md, "Reconnect
storm")."""
from __future__ import annotations

import io

from flask import Blueprint, render_template, send_file
from flask_babel import force_locale

from ..access import roles_required
from ..models import Role
from ..services import meetings, record
from ..timeutil import utcnow

bp = Blueprint("documents", __name__, url_prefix="/meetings/<int:meeting_id>")


def _paper(meeting_id: int, arrange):
    meeting = meetings.get_meeting(meeting_id)
    with force_locale("vi"):
        return meeting, arrange(record.gather(meeting))


def _download(meeting, paper):
    from ..documents import layout
    data = layout.docx_bytes(paper, author=meeting.host_body, now=utcnow())
    response = send_file(io.BytesIO(data), mimetype=layout.DOCX_MIME, as_attachment=True,
                         download_name=paper.filename, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/minutes.docx")
@roles_required(Role.SECRETARY, Role.CHAIR)
def minutes_docx(meeting_id: int):
    from ..documents import minutes
    return _download(*_paper(meeting_id, minutes.paper))


@bp.get("/notice.docx")
@roles_required(Role.SECRETARY, Role.CHAIR)
def notice_docx(meeting_id: int):
    from ..documents import notice
    return _download(*_paper(meeting_id, notice.paper))


@bp.get("/minutes/print")
@roles_required(Role.SECRETARY, Role.CHAIR)
def print_minutes(meeting_id: int):
    from ..documents import minutes
    meeting, paper = _paper(meeting_id, minutes.paper)
    return render_template("minutes/print.html", meeting=meeting, paper=paper)
