"""The documents screen (/meetings/<id>/documents): the Văn phòng uploads the meeting's documents,
attaches the units' reports to programme items, orders, publishes and withdraws them, and sees
how many delegates opened each; the secretary and the chair look and download. The list is one
live region (regions/meeting_documents.py); the changes are services/meeting_documents.py."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import files
from ..access import actor, roles_required
from ..errors import DomainError
from ..extensions import db
from ..models import Role
from ..regions.meeting_documents import render_list
from ..services import meeting_documents, meetings
from ..timeutil import epoch_ms, utcnow

bp = Blueprint("meeting_documents", __name__, url_prefix="/meetings/<int:meeting_id>")
VIEW = (Role.SECRETARY, Role.CHAIR)  # and the Văn phòng (admin), who alone changes them
EDIT = (Role.ADMIN,)


def _page(meeting_id: int, values: dict | None = None, error=None, status: int = 200):
    meeting = meetings.get_meeting(meeting_id)
    return render_template("meeting_documents/page.html", meeting=meeting, listing=render_list(meeting),
                           can_edit=current_user.has_role(*EDIT), values=values or {}, error=error,
                           max_mb=files.max_mb()), status


def _done(meeting_id: int) -> str:
    """The list as it is now, stamped with the time before it was read."""
    read = epoch_ms(utcnow())
    return render_list(meetings.get_meeting(meeting_id), read=read)


@bp.get("/documents")
@roles_required(*VIEW)
def page(meeting_id: int):
    return _page(meeting_id)


@bp.get("/documents/list")
@roles_required(*VIEW)
def list_region(meeting_id: int):
    return render_list(meetings.get_meeting(meeting_id))


@bp.post("/documents")
@roles_required(*EDIT)
@files.upload_view
def add(meeting_id: int):
    """A plain form (multipart): the page again with the message on a refusal, else back to the
    page (a reload does not send the file twice)."""
    meetings.get_meeting(meeting_id)
    values = {"title": request.form.get("title", ""), "item_id": request.form.get("item_id", "")}
    try:
        upload = request.files.get("file")
        data = files.read_upload(upload)
        doc = meeting_documents.add(meeting_id, values["title"], values["item_id"], upload.filename, data,
                                    actor=actor())
    except DomainError as e:
        db.session.rollback()
        return _page(meeting_id, values, error=e, status=422 if e.details.get("field") else e.status)
    flash(_("Đã tải lên tài liệu “%(title)s”. Kiểm tra rồi bấm “Công bố” để đại biểu xem được.", title=doc.title),
          "ok")
    return redirect(url_for(".page", meeting_id=meeting_id), 303)


@bp.get("/documents/<int:doc_id>/file")
@roles_required(*VIEW)
def download(meeting_id: int, doc_id: int):
    """Any document of the meeting, as it was sent (withdrawn ones too: the office keeps them)."""
    doc = meeting_documents.get(meetings.get_meeting(meeting_id).id, doc_id)
    return files.send(doc.stored_name, doc.filename, doc.kind)


def _revision() -> str:
    return request.form.get("revision", "")


@bp.post("/documents/<int:doc_id>/attach")
@roles_required(*EDIT)
def attach(meeting_id: int, doc_id: int):
    meeting_documents.attach(meeting_id, doc_id, request.form.get("item_id", ""), revision=_revision(),
                             actor=actor())
    return _done(meeting_id)


@bp.post("/documents/<int:doc_id>/move")
@roles_required(*EDIT)
def move(meeting_id: int, doc_id: int):
    meeting_documents.move(meeting_id, doc_id, request.form.get("offset", ""), revision=_revision(), actor=actor())
    return _done(meeting_id)


@bp.post("/documents/<int:doc_id>/publish")
@roles_required(*EDIT)
def publish(meeting_id: int, doc_id: int):
    meeting_documents.publish(meeting_id, doc_id, revision=_revision(), actor=actor())
    return _done(meeting_id)


@bp.post("/documents/<int:doc_id>/unpublish")
@roles_required(*EDIT)
def unpublish(meeting_id: int, doc_id: int):
    meeting_documents.unpublish(meeting_id, doc_id, revision=_revision(), actor=actor())
    return _done(meeting_id)


@bp.post("/documents/<int:doc_id>/withdraw")
@roles_required(*EDIT)
def withdraw(meeting_id: int, doc_id: int):
    meeting_documents.withdraw(meeting_id, doc_id, revision=_revision(), actor=actor())
    return _done(meeting_id)
