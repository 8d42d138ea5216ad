"""The attendance page: the panel (có mặt X/Y, per group and unit; a live region drawn by
regions/attendance.py, which every check-in reaches), who is not here yet, absences with a
reason, and the .xlsx export."""
from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for

from ..access import actor, roles_required
from ..errors import DomainError
from ..extensions import htmx
from ..models import Meeting, Role
from ..regions.attendance import render_panel
from ..regions.confirmations import render_summary
from ..services import attendance, attendance_export, meetings

bp = Blueprint("attendance", __name__, url_prefix="/meetings/<int:meeting_id>")
STAFF = (Role.DOOR, Role.SECRETARY, Role.CHAIR)
CHANGED = "attendance-changed"  # htmx event: the list of who is not here yet reloads itself


def _filters() -> tuple[str, str]:
    return request.args.get("q", "")[:100], request.args.get("unit", "")[:40]


def _waiting(meeting: Meeting, query: str, unit: str) -> str:
    return render_template("attendance/_waiting.html", meeting=meeting, query=query, unit=unit,
                           people=attendance.waiting(meeting, query, unit))


def _absent_form(meeting: Meeting, invitee=None, reason: str = "", error=None, saved: str | None = None) -> str:
    """The form for one person's reason. It sends back the reason it showed (`seen`): the saved
    one, or after a refusal the one saved meanwhile (`saved`), so saving again overwrites it."""
    seen = saved if saved is not None else (invitee.absent_reason or "" if invitee else "")
    return render_template("attendance/_absent_form.html", meeting=meeting, invitee=invitee,
                           reason=reason, error=error, seen=seen, saved=saved)


@bp.get("/attendance")
@roles_required(*STAFF)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    query, unit = _filters()
    counts = attendance.counts(meeting)
    return render_template("attendance/page.html", meeting=meeting, counts=counts, query=query, unit=unit,
                           panel=render_panel(meeting, refresh=False), waiting=_waiting(meeting, query, unit),
                           absent_form=_absent_form(meeting), confirmations=render_summary(meeting))


@bp.get("/attendance/panel")
@roles_required(*STAFF)
def panel(meeting_id: int):
    return render_panel(meetings.get_meeting(meeting_id))


@bp.get("/attendance/waiting")
@roles_required(*STAFF)
def waiting(meeting_id: int):
    return _waiting(meetings.get_meeting(meeting_id), *_filters())


@bp.get("/attendance/<int:invitee_id>/absent")
@roles_required(*STAFF)
def absent_form(meeting_id: int, invitee_id: int):
    meeting = meetings.get_meeting(meeting_id)
    inv = attendance.get_seat(meeting, invitee_id)
    return _absent_form(meeting, inv, inv.absent_reason or "")


@bp.post("/attendance/<int:invitee_id>/absent")
@roles_required(*STAFF)
def mark_absent(meeting_id: int, invitee_id: int):
    meeting = meetings.get_meeting(meeting_id)
    reason = request.form.get("reason", "")
    try:
        attendance.mark_absent(meeting, invitee_id, reason, actor=actor(),
                               seen=request.form.get("seen", ""))
    except DomainError as e:
        if e.details.get("field") != "reason":
            raise
        form = _absent_form(meeting, attendance.get_seat(meeting, invitee_id), reason, e.message, e.details.get("saved"))
        if e.status == 409:  # changed on another screen: the list shows it too
            return form, 409, {"HX-Trigger": CHANGED}
        return form, 422
    return _changed(meeting)


@bp.post("/attendance/<int:invitee_id>/absent/clear")
@roles_required(*STAFF)
def clear_absent(meeting_id: int, invitee_id: int):
    meeting = meetings.get_meeting(meeting_id)
    attendance.clear_absent(meeting, invitee_id, actor=actor(),
                            seen=request.form.get("seen"))
    return _changed(meeting)


def _changed(meeting: Meeting):
    """After a change: htmx gets a blank absent form and reloads its list; a plain form goes back."""
    if htmx:
        return _absent_form(meeting), 200, {"HX-Trigger": CHANGED}
    return redirect(url_for("attendance.page", meeting_id=meeting.id), 303)


@bp.get("/attendance.xlsx")
@roles_required(*STAFF)
def export(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    body = attendance_export.workbook_bytes(meeting)
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="diem-danh-{meeting.id}.xlsx"',
                             "Cache-Control": "no-store"})
