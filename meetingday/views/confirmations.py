"""Xác nhận tham dự: the delegate's answer from their pass (the card is drawn by
regions/confirmations.py, placed on the pass page), and the staff's counts of the answers."""
from __future__ import annotations

from flask import Blueprint, request

from .. import ratelimit
from ..access import public, roles_required
from ..errors import DomainError
from ..extensions import db
from ..headers import private_page as _private
from ..models import Role
from ..regions.confirmations import render_confirm, render_summary
from ..services import confirmations, meetings, passes

bp = Blueprint("confirmations", __name__)
STAFF = (Role.DOOR, Role.SECRETARY, Role.CHAIR)  # as the attendance page; the Văn phòng passes every check
FIELDS = ("choice", "substitute_name", "substitute_position", "reason")


@bp.post("/d/<token>/confirm")
@public
@ratelimit.public_link()
def answer(token: str):
    """The holder's answer; the card again, with the answer saved, or with why not."""
    pass_ = passes.find_pass(token)
    values = {name: request.form.get(name, "") for name in FIELDS}
    try:
        confirmations.confirm(pass_.invitee, values["choice"], values["substitute_name"],
                              values["substitute_position"], values["reason"], seen=request.form.get("seen"))
    except DomainError as e:
        db.session.rollback()
        if "field" in e.details:  # what was typed stays, the message under its field
            return _private(render_confirm(pass_, values=values, error=e), 422)
        if e.code in ("confirmation_changed", "confirmation_closed"):  # the card as it is now, saying why
            return _private(render_confirm(pass_, notice=e.message), e.status)
        raise
    return _private(render_confirm(pass_))


@bp.get("/meetings/<int:meeting_id>/confirmations")
@roles_required(*STAFF)
def summary(meeting_id: int):
    return render_summary(meetings.get_meeting(meeting_id))
