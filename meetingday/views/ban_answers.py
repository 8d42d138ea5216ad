"""A Ban prepares its answers to the kiến nghị the Văn phòng gave it, before the meeting: the
answer and who will give it at the meeting (services/kien_nghi.draft).

Two ways in, one section (templates/units/_ban_answers.html, one row per kiến nghị in
templates/units/_ban_answer.html):
- the Ban's own submission link (/u/<token>, a unit that is a Ban): units/page.html includes the
  section (``ban_answers_of``), and the rows post to /u/<token>/answers/<kn_id>;
- an account with the Ban role, tied to its Ban (User.organisation): /meetings/<id>/ban, where
  "/" sends it (the newest meeting); its rows post to /meetings/<id>/ban/answers/<kn_id>.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from .. import ratelimit
from ..access import actor, public, roles_required
from ..errors import DomainError
from ..extensions import db
from ..headers import private_page as _private
from ..models import (
    KienNghi,
    KienNghiStatus,
    Meeting,
    Organisation,
    ReportingUnit,
    Role,
)
from ..services import kien_nghi as kn_service
from ..services import meetings, units

bp = Blueprint("ban_answers", __name__)
FIELDS = ("answer", "answered_by")


@dataclass
class Answers:
    """What the section shows: the Ban, its kiến nghị, and where each row's form posts."""
    meeting: Meeting
    ban: Organisation
    rows: list[KienNghi]
    target: Callable[[KienNghi], str]

    labels = kn_service.STATUS_LABELS

    @property
    def drafted(self) -> int:
        return sum(1 for kn in self.rows if kn.has_draft)


def _answers(meeting: Meeting, ban: Organisation, target: Callable[[KienNghi], str]) -> Answers:
    return Answers(meeting, ban, kn_service.of_ban(meeting, ban.id), target)


def _link_target(token: str) -> Callable[[KienNghi], str]:
    return lambda kn: url_for("ban_answers.link_draft", token=token, kn_id=kn.id)


def _account_target(meeting: Meeting) -> Callable[[KienNghi], str]:
    return lambda kn: url_for("ban_answers.draft", meeting_id=meeting.id, kn_id=kn.id)


@bp.app_template_test("ban")
def _is_ban(org: Organisation | None) -> bool:
    """``{% if unit.organisation is ban %}`` in templates."""
    return units.is_ban(org)


@bp.app_template_global("ban_answers_of")
def _answers_of_unit(unit: ReportingUnit, token: str) -> Answers:
    """The section's content for a Ban's own link page (templates/units/page.html)."""
    return _answers(unit.meeting, unit.organisation, _link_target(token))


def _row(kn: KienNghi, target, *, values: dict | None = None, errors: dict | None = None,
         revision=None, saved: bool = False, refused=None, conflict: bool = False) -> str:
    """One kiến nghị with its form: `refused` says why the last save was not taken, and with
    `conflict` the draft saved meanwhile is shown above what was typed."""
    if values is None:
        values = {"answer": kn.draft_answer, "answered_by": kn.draft_answered_by}
    return render_template("units/_ban_answer.html", kn=kn, target=target, values=values, errors=errors or {},
                           revision=kn.draft_revision if revision is None else revision, saved=saved,
                           refused=refused, conflict=conflict, labels=kn_service.STATUS_LABELS, Status=KienNghiStatus)


def _save(meeting: Meeting, ban: Organisation | None, kn_id: int, who, target) -> tuple[str, int]:
    """Save the row's draft; the row comes back (saved, or with the refusal on its form)."""
    values = {name: request.form.get(name, "") for name in FIELDS}
    revision = request.form.get("revision", "")
    ban_id = ban.id if ban else None
    try:
        kn = kn_service.draft(meeting.id, kn_id, values["answer"], values["answered_by"], seen_revision=revision,
                              by_org_id=ban_id, actor=who)
    except DomainError as e:
        db.session.rollback()
        field = e.details.get("field")
        if e.code == "stale":  # saved meanwhile on another screen: show that, keep what was typed
            kn = kn_service.ban_kien_nghi(meeting, kn_id, ban_id)
            return _row(kn, target, values=values, refused=e.message, conflict=True), 409
        if e.code == "draft_closed":  # settled at the meeting meanwhile: the row says how
            return _row(kn_service.ban_kien_nghi(meeting, kn_id, ban_id), target, refused=e.message), 409
        if field in FIELDS:
            kn = kn_service.ban_kien_nghi(meeting, kn_id, ban_id)
            return _row(kn, target, values=values, errors={field: e.message}, revision=revision), 422
        raise
    count = render_template("units/_ban_count.html", answers=_answers(meeting, ban, target), oob=True)
    return _row(kn, target, saved=True) + count, 200


# --------------------------------------------------------------------------- by the Ban's link

@bp.post("/u/<token>/answers/<int:kn_id>")
@public
@ratelimit.public_link()
def link_draft(token: str, kn_id: int):
    link = units.find_link(token)
    unit = link.unit
    ban = unit.organisation if units.is_ban(unit.organisation) else None
    return _private(*_save(unit.meeting, ban, kn_id, f"unit:{unit.id}", _link_target(link.token)))


# --------------------------------------------------------------------------- by a Ban's account

def _account_ban() -> Organisation | None:
    """The Ban the signed-in account answers for (None: an account of no Ban, the Văn phòng's)."""
    org = current_user.organisation
    return org if units.is_ban(org) else None


@bp.get("/meetings/<int:meeting_id>/ban")
@roles_required(Role.BAN)
def page(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id)
    ban = _account_ban()
    answers = _answers(meeting, ban, _account_target(meeting)) if ban else None
    return render_template("ban/page.html", meeting=meeting, ban=ban, answers=answers,
                           others=[m for m in meetings.list_meetings() if m.id != meeting.id])


@bp.post("/meetings/<int:meeting_id>/ban/answers/<int:kn_id>")
@roles_required(Role.BAN)
def draft(meeting_id: int, kn_id: int):
    meeting = meetings.get_meeting(meeting_id)
    return _save(meeting, _account_ban(), kn_id, actor(), _account_target(meeting))
