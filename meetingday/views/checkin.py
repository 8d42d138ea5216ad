"""Check-in screens: the door (scanner, handheld scanner, search, walk-ins, dự thay, undo), the
check-in window, the rotating hall code, and the delegate's phone at the hall code.

The door's answers are one fragment (#door-result) carrying the header X-Checkin-Outcome
(ok, repeat, undone, error): static/js/door.js keeps an offline scan queued until a response
with that header says the server has dealt with it.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import hall_visit, ratelimit
from ..access import DOOR, actor, public, roles_required
from ..errors import DomainError
from ..extensions import db, htmx
from ..models import Meeting, Role
from ..refusals import error_response
from ..regions import door_list
from ..regions.attendance import render_panel  # the live attendance panel, shown on the door screen too
from ..regions.checkin import (
    new_nonce,
    present_ids,
    render_pass_status,
    render_person_row,
    render_register,
    render_result,
    render_window,
)
from ..services import checkin, checkin_batch, display_key, hallcode, invitees, meetings, passes
from ..services.checkin import scanned_at
from ..timeutil import epoch_ms, utcnow

bp = Blueprint("checkin", __name__)
STAFF = (Role.ADMIN, Role.CHAIR, Role.SECRETARY, Role.DOOR)
SEARCH_LIMIT = 30


@bp.record_once
def _setup(state) -> None:
    ratelimit.init_app(state.app)
    state.app.jinja_env.globals.update(checkin_state=checkin.window_state)


# --------------------------------------------------------------------------- answers

def _result(outcome: str, *, result=None, error: DomainError | None = None, invitee=None,
            status: int = 200, oob: str = "") -> Response:
    html = render_result(outcome, result=result, error=error, invitee=invitee, nonce=request.form.get("nonce", ""))
    response = make_response(html + oob, status)
    response.headers["X-Checkin-Outcome"] = outcome
    return response


def _answer(meeting: Meeting, work, *, row: bool = False) -> Response:
    """Run one check-in; the door's answer (green, amber or red), and the person's row refreshed."""
    try:
        result = work()
    except DomainError as e:
        db.session.rollback()
        return _result("error", error=e, status=e.status)
    oob = render_person_row(meeting, result.invitee, oob=True) if row else ""
    return _result("ok" if result.created else "repeat", result=result, oob=oob)


def _scanned_at():
    return scanned_at(request.form.get("scanned_at"))


# --------------------------------------------------------------------------- the door

@bp.get("/meetings/<int:meeting_id>/door")
@roles_required(*DOOR)
def door(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return render_template("checkin/door.html", meeting=meeting, state=checkin.window_state(meeting),
                           window=render_window(meeting), register=render_register(meeting),
                           panel=render_panel(meeting, refresh=False))


@bp.post("/meetings/<int:meeting_id>/door/scan")
@roles_required(*DOOR)
def scan(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return _answer(meeting, lambda: checkin_batch.check_in_together(meeting.id, checkin_batch.Scan(
        request.form.get("code", ""), nonce=request.form.get("nonce") or None, at=_scanned_at(),
        actor=actor(), host=request.host)))


@bp.get("/meetings/<int:meeting_id>/door/search")
@roles_required(*DOOR)
def search(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    query = request.args.get("q", "")[:100].strip()
    people = invitees.search(meeting, query, limit=SEARCH_LIMIT) if query else []
    return render_template("checkin/_search_results.html", meeting=meeting, query=query, people=people,
                           present_ids=present_ids(people), stand_ins=checkin.stand_ins(people),
                           new_nonce=new_nonce)


@bp.get("/meetings/<int:meeting_id>/door/people")
@roles_required(*DOOR)
def people(meeting_id: int):
    """The door's copy of the list, to find people by name while the network is down."""
    response = jsonify(people=door_list.entries(meetings.get_meeting(meeting_id)), at=epoch_ms(utcnow()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/meetings/<int:meeting_id>/door/people/<int:invitee_id>/checkin")
@roles_required(*DOOR)
def check_in_person(meeting_id: int, invitee_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return _answer(meeting, lambda: checkin.check_in_by_id(
        meeting, invitee_id, actor=actor(), nonce=request.form.get("nonce") or None, at=_scanned_at()),
        row=True)


@bp.post("/meetings/<int:meeting_id>/door/people/<int:invitee_id>/undo")
@roles_required(*DOOR)
def undo(meeting_id: int, invitee_id: int):
    meeting = meetings.get_meeting(meeting_id)
    try:
        row = checkin.undo_check_in(meeting, invitee_id, request.form.get("reason", ""), actor=actor())
    except DomainError as e:
        db.session.rollback()
        return _result("error", error=e, status=e.status)
    person = row.invitee
    return _result("undone", invitee=person, oob=render_person_row(meeting, person, oob=True))


@bp.get("/meetings/<int:meeting_id>/door/register")
@roles_required(*DOOR)
def register_form(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    seat = None
    if request.args.get("for", "").isdigit():
        seat = invitees.get_invitee(meeting, int(request.args["for"]))
    return render_register(meeting, seat)


@bp.post("/meetings/<int:meeting_id>/door/register")
@roles_required(*DOOR)
def register(meeting_id: int):
    """A walk-in guest, or (with for_id) someone attending in an invitee's place."""
    meeting = meetings.get_meeting(meeting_id)
    form = request.form
    seat_id = form.get("for_id", "").strip()
    values = {"full_name": form.get("full_name", ""), "position": form.get("position", ""),
              "honorific": form.get("honorific", "")}
    try:
        if seat_id:
            result = checkin.register_substitute(meeting, seat_id, actor=actor(), nonce=form.get("nonce") or None,
                                                 **values)
        else:
            result = checkin.register_walk_in(meeting, actor=actor(), nonce=form.get("nonce") or None, **values)
    except DomainError as e:
        db.session.rollback()
        seat = invitees.get_invitee(meeting, int(seat_id)) if seat_id.isdigit() and e.code != "invitee_not_found" else None
        return render_register(meeting, seat, values, e), 422
    answer = render_template("checkin/_door_result.html", outcome="ok" if result.created else "repeat",
                             result=result, error=None, invitee=result.invitee, nonce="", oob=True)
    if result.invitee.substitute_for is not None:  # the seat's row, if it is on the screen: taken now
        answer += render_person_row(meeting, result.invitee.substitute_for, oob=True)
    response = make_response(render_register(meeting) + answer)
    response.headers["X-Checkin-Outcome"] = "ok" if result.created else "repeat"
    return response


@bp.get("/meetings/<int:meeting_id>/checkin/window")
@roles_required(*DOOR)
def window(meeting_id: int):
    return render_window(meetings.get_meeting(meeting_id))


@bp.post("/meetings/<int:meeting_id>/checkin/open")
@roles_required(*DOOR)
def open_window(meeting_id: int):
    meeting = checkin.open_checkin(meetings.get_meeting(meeting_id), actor())
    return render_window(meeting) if htmx else door(meeting_id)


@bp.post("/meetings/<int:meeting_id>/checkin/close")
@roles_required(*DOOR)
def close_window(meeting_id: int):
    meeting = checkin.close_checkin(meetings.get_meeting(meeting_id), actor())
    return render_window(meeting) if htmx else door(meeting_id)


# --------------------------------------------------------------------------- the hall code

def _display_allowed(meeting: Meeting) -> bool:
    if current_user.is_authenticated and current_user.has_role(*STAFF):
        return True
    try:
        display_key.check_key(meeting, request.args.get("key", ""))
    except DomainError:
        return False
    return True


@bp.get("/meetings/<int:meeting_id>/hall-code")
@public
def hall_code(meeting_id: int):
    """The hall QR for the door screen and the projector: staff, or the meeting's display key."""
    meeting = meetings.find_meeting(meeting_id)
    if meeting is None or not _display_allowed(meeting):
        return error_response(404, _("Không tìm thấy trang này."), "not_found")
    state = checkin.window_state(meeting)
    url = hallcode.hall_url(meeting.id) if state == checkin.OPEN else None
    key = request.args.get("key") or None
    html = render_template("checkin/_hall_code.html", meeting=meeting, state=state, url=url,
                           qr=passes.qr_svg(url) if url else None, key=key)
    if not htmx:
        html = render_template("checkin/hall_code_page.html", meeting=meeting, fragment=html)
    return html, 200, {"Cache-Control": "no-store"}


@bp.get("/h/<int:meeting_id>/<code>")
@public
@ratelimit.public_link(token=hall_visit.remembered_token)
def hall(meeting_id: int, code: str):
    """A phone scanned the hall code: check in with the pass it remembers, or ask for the pass."""
    try:
        hallcode.verify(meeting_id, code)
        meeting = meetings.get_meeting(meeting_id)
        pass_ = hall_visit.remembered_pass(meeting_id)
        if pass_ is not None:
            checkin.self_check_in(pass_.token, meeting_id, code)
            return redirect(url_for("passes.show", token=pass_.token), 303)
        checkin.require_open(meeting)  # say so now, before the delegate looks for the invitation
    except DomainError as e:
        db.session.rollback()
        ratelimit.failed(e)  # a forged hall code counts against this address
        pass_ = hall_visit.remembered_pass(meeting_id) if e.code not in ("hall_code_invalid",) else None
        return _no_store(render_template("checkin/hall.html", error=e, pass_=pass_, meeting=None), e.status)
    return hall_visit.begin(_no_store(render_template("checkin/hall.html", error=None, pass_=None, meeting=meeting),
                                      200), meeting_id, code)


def _no_store(html: str, status: int) -> Response:
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- the pass

@bp.get("/d/<token>/checkin")
@public
@ratelimit.public_link()
def pass_status(token: str):
    return _no_store(render_pass_status(passes.find_pass(token)), 200)
