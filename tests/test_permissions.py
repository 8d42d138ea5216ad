"""Every route × every role: who may open what, what an anonymous visitor gets, and CSRF.

ROUTES below is the explicit access table. A new route (or a new method on a route) fails
`test_every_route_is_in_the_table` until someone writes its rule here, and a view without
`@public` or `@roles_required(...)` fails `test_every_view_is_public_or_role_checked`.
"""
from __future__ import annotations

from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.models import AgendaItem, AuditEntry, Invitee, Meeting, Organisation, OrgKind, ReportingUnit, Role
from meetingday.services import demo, demo_drafts

from .conftest import assert_unchanged, csrf_token, db_snapshot, empty_tables, login, make_user, serving

FORBIDDEN = "Tài khoản này không có quyền thực hiện việc này."
CSRF_MESSAGE = "Phiên làm việc đã hết hạn hoặc thiếu mã bảo mật. Vui lòng tải lại trang rồi thử lại."
ROLES = ("admin", "chair", "secretary", "door", "ban")

PUBLIC = "public"
ADMIN = frozenset({"admin"})
STAFF = frozenset({"admin", "chair", "secretary", "door"})
ACCOUNT = STAFF | {"ban"}  # every account, a Ban's included
CHAIR = frozenset({"admin", "chair"})
DESK = frozenset({"admin", "chair", "secretary"})
DOOR = frozenset({"admin", "door"})
SECRETARY = frozenset({"admin", "secretary"})
BAN = frozenset({"admin", "ban"})  # a Ban's own page (the Văn phòng may look: it answers for no Ban)


class Rule(NamedTuple):
    path: str           # filled from the meeting under test: {meeting} {item} {invitee} {token} {org} {display_key} {unit_token} {unit}
    access: object      # PUBLIC, or the roles allowed (admin passes every check anyway)
    ok: tuple           # (status, redirect path or None) for a signed-in user who may use it
    anon: tuple | None = None  # public routes only: (status, redirect path or None) when signed out
    data: dict | None = None   # form body for a POST (besides csrf_token); empty/invalid is fine
    ban: tuple | None = None   # what a Ban's account gets, where it differs from `ok`


M = "/meetings/{meeting}"
ROUTES: dict[tuple[str, str], Rule] = {
    # --- auth, health, personal pass: public
    ("auth.login", "GET"): Rule("/login", PUBLIC, ok=(302, "/"), anon=(200, None)),
    ("auth.login", "POST"): Rule("/login", PUBLIC, ok=(302, "/"), anon=(401, None),
                                 data={"username": "khongco", "password": "sai-mat-khau"}),
    # Logging out sends you to the login page: the one allowed redirect to /login.
    ("auth.logout", "POST"): Rule("/logout", PUBLIC, ok=(302, "/login"), anon=(302, "/login")),
    ("auth.set_language", "GET"): Rule("/lang/en", PUBLIC, ok=(302, "/"), anon=(302, "/")),
    # One's own password: every account (empty form: errors shown).
    ("auth.password", "GET"): Rule("/account/password", ACCOUNT, ok=(200, None)),
    ("auth.password", "POST"): Rule("/account/password", ACCOUNT, ok=(422, None)),
    ("health.healthz", "GET"): Rule("/healthz", PUBLIC, ok=(200, None), anon=(200, None)),
    ("passes.show", "GET"): Rule("/d/{token}", PUBLIC, ok=(200, None), anon=(200, None)),
    ("passes.qr", "GET"): Rule("/d/{token}/qr.svg", PUBLIC, ok=(200, None), anon=(200, None)),
    # --- meetings
    # A Ban's account is sent to its answers at the newest meeting.
    ("meetings.index", "GET"): Rule("/", ACCOUNT, ok=(200, None), ban=(302, M + "/ban")),
    ("meetings.show", "GET"): Rule(M, STAFF, ok=(200, None)),
    ("meetings.new", "GET"): Rule("/meetings/new", ADMIN, ok=(200, None)),
    ("meetings.new", "POST"): Rule("/meetings/new", ADMIN, ok=(422, None)),  # empty form: errors shown
    ("meetings.edit", "GET"): Rule(M + "/edit", ADMIN, ok=(200, None)),
    ("meetings.edit", "POST"): Rule(M + "/edit", ADMIN, ok=(422, None)),
    # --- agenda
    ("agenda.page", "GET"): Rule(M + "/agenda/", ADMIN, ok=(200, None)),
    ("agenda.region", "GET"): Rule(M + "/agenda/list", ADMIN, ok=(200, None)),
    ("agenda.add", "POST"): Rule(M + "/agenda/", ADMIN, ok=(422, None)),
    ("agenda.edit", "GET"): Rule(M + "/agenda/{item}/edit", ADMIN, ok=(200, None)),
    ("agenda.update", "POST"): Rule(M + "/agenda/{item}", ADMIN, ok=(422, None)),
    # Refused as stale: the body names no item as the screen showed it (the programme comes back).
    ("agenda.delete", "POST"): Rule(M + "/agenda/{item}/delete", ADMIN, ok=(409, None)),
    ("agenda.move", "POST"): Rule(M + "/agenda/{item}/move", ADMIN, ok=(409, None)),
    # --- invitees
    ("invitees.page", "GET"): Rule(M + "/invitees/", ADMIN, ok=(200, None)),
    ("invitees.table", "GET"): Rule(M + "/invitees/table", ADMIN, ok=(200, None)),
    ("invitees.blank_form", "GET"): Rule(M + "/invitees/form", ADMIN, ok=(200, None)),
    ("invitees.add", "POST"): Rule(M + "/invitees/", ADMIN, ok=(422, None)),
    ("invitees.edit", "GET"): Rule(M + "/invitees/{invitee}/edit", ADMIN, ok=(200, None)),
    ("invitees.update", "POST"): Rule(M + "/invitees/{invitee}", ADMIN, ok=(422, None)),
    ("invitees.delete", "POST"): Rule(M + "/invitees/{invitee}/delete", ADMIN, ok=(200, None), data={"revision": "0"}),
    # No pass named: not the one the person holds now, so refused as changed meanwhile.
    ("invitees.revoke", "POST"): Rule(M + "/invitees/{invitee}/revoke", ADMIN, ok=(409, None)),
    ("invitees.reissue", "POST"): Rule(M + "/invitees/{invitee}/reissue", ADMIN, ok=(409, None)),
    # --- import, invitations
    ("imports.upload", "GET"): Rule(M + "/import/", ADMIN, ok=(200, None)),
    ("imports.upload", "POST"): Rule(M + "/import/", ADMIN, ok=(422, None)),   # no file chosen
    ("imports.confirm", "POST"): Rule(M + "/import/confirm", ADMIN, ok=(400, None)),  # no signed rows
    ("imports.template", "GET"): Rule(M + "/import/mau-danh-sach-moi.xlsx", ADMIN, ok=(200, None)),
    ("invitations.print_all", "GET"): Rule(M + "/invitations?id={invitee}", ADMIN, ok=(200, None)),
    # --- organisations (not tied to a meeting)
    ("organisations.page", "GET"): Rule("/organisations/", ADMIN, ok=(200, None)),
    ("organisations.region", "GET"): Rule("/organisations/list", ADMIN, ok=(200, None)),
    ("organisations.add", "POST"): Rule("/organisations/", ADMIN, ok=(422, None)),  # empty form
    ("organisations.edit", "GET"): Rule("/organisations/{org}/edit", ADMIN, ok=(200, None)),
    ("organisations.update", "POST"): Rule("/organisations/{org}", ADMIN, ok=(422, None)),
    # An unused unit, refused as stale: the body names no unit as the screen showed it.
    ("organisations.delete", "POST"): Rule("/organisations/{org}/delete", ADMIN, ok=(409, None)),
    # --- check-in
    ("checkin.door", "GET"): Rule(M + "/door", DOOR, ok=(200, None)),
    ("checkin.scan", "POST"): Rule(M + "/door/scan", DOOR, ok=(400, None)),  # nothing scanned
    ("checkin.search", "GET"): Rule(M + "/door/search?q=binh", DOOR, ok=(200, None)),
    ("checkin.people", "GET"): Rule(M + "/door/people", DOOR, ok=(200, None)),
    # check-in is not open at this table's meeting: refused (409), nothing written
    ("checkin.check_in_person", "POST"): Rule(M + "/door/people/{invitee}/checkin", DOOR, ok=(409, None)),
    ("checkin.undo", "POST"): Rule(M + "/door/people/{invitee}/undo", DOOR, ok=(400, None)),  # no reason
    ("checkin.register_form", "GET"): Rule(M + "/door/register?for={invitee}", DOOR, ok=(200, None)),
    ("checkin.register", "POST"): Rule(M + "/door/register", DOOR, ok=(422, None)),  # no name
    ("checkin.window", "GET"): Rule(M + "/checkin/window", DOOR, ok=(200, None)),
    ("checkin.open_window", "POST"): Rule(M + "/checkin/open", DOOR, ok=(200, None)),
    ("checkin.close_window", "POST"): Rule(M + "/checkin/close", DOOR, ok=(200, None)),
    ("checkin.hall_code", "GET"): Rule(M + "/hall-code?key={display_key}", PUBLIC, ok=(200, None), anon=(200, None)),
    ("checkin.hall", "GET"): Rule("/h/{meeting}/1.AAAAAAAAAAAAAAAA", PUBLIC, ok=(400, None), anon=(400, None)),
    ("checkin.pass_status", "GET"): Rule("/d/{token}/checkin", PUBLIC, ok=(200, None), anon=(200, None)),
    # --- attendance
    ("attendance.page", "GET"): Rule(M + "/attendance", STAFF, ok=(200, None)),
    ("attendance.panel", "GET"): Rule(M + "/attendance/panel", STAFF, ok=(200, None)),
    ("attendance.waiting", "GET"): Rule(M + "/attendance/waiting?q=binh", STAFF, ok=(200, None)),
    ("attendance.absent_form", "GET"): Rule(M + "/attendance/{invitee}/absent", STAFF, ok=(200, None)),
    ("attendance.mark_absent", "POST"): Rule(M + "/attendance/{invitee}/absent", STAFF, ok=(422, None)),  # no reason
    ("attendance.clear_absent", "POST"): Rule(M + "/attendance/{invitee}/absent/clear", STAFF,
                                              ok=(409, None)),  # not marked absent
    ("attendance.export", "GET"): Rule(M + "/attendance.xlsx", STAFF, ok=(200, None)),
    # --- live agenda
    ("chair.page", "GET"): Rule(M + "/chair", CHAIR, ok=(200, None)),
    ("chair.controls", "GET"): Rule(M + "/chair/controls", CHAIR, ok=(200, None)),
    ("chair.programme", "GET"): Rule(M + "/chair/programme", CHAIR, ok=(200, None)),
    ("chair.attendance_count", "GET"): Rule(M + "/chair/attendance", CHAIR, ok=(200, None)),
    ("chair.start", "POST"): Rule(M + "/live/start", CHAIR, ok=(200, None), data={"version": "1"}),
    # the meeting of this table has not started: every other move is refused (409, nothing written)
    ("chair.next_", "POST"): Rule(M + "/live/next", CHAIR, ok=(409, None), data={"version": "1"}),
    ("chair.previous", "POST"): Rule(M + "/live/previous", CHAIR, ok=(409, None), data={"version": "1"}),
    ("chair.jump", "POST"): Rule(M + "/live/jump/{item}", CHAIR, ok=(409, None), data={"version": "1"}),
    ("chair.break_", "POST"): Rule(M + "/live/break", CHAIR, ok=(409, None), data={"version": "1", "minutes": "10"}),
    ("chair.resume", "POST"): Rule(M + "/live/resume", CHAIR, ok=(409, None), data={"version": "1"}),
    ("chair.end", "POST"): Rule(M + "/live/end", CHAIR, ok=(409, None), data={"version": "1"}),
    ("display.show", "GET"): Rule("/display/{display_key}", PUBLIC, ok=(200, None), anon=(200, None)),
    ("display.state", "GET"): Rule("/display/{display_key}/state.json", PUBLIC, ok=(200, None), anon=(200, None)),
    ("display.rotate_key", "POST"): Rule(M + "/display-key", ADMIN, ok=(200, None)),
    ("display.revoke_key", "POST"): Rule(M + "/display-key/revoke", ADMIN, ok=(200, None)),
    # --- speaker queue: the items of this table have no queue and no request exists (409 / 404)
    ("speakers.page", "GET"): Rule(M + "/speakers", DESK, ok=(200, None)),
    ("speakers.queue", "GET"): Rule(M + "/speakers/queue", DESK, ok=(200, None)),
    ("speakers.fairness", "GET"): Rule(M + "/speakers/fairness", DESK, ok=(200, None)),
    ("speakers.people", "GET"): Rule(M + "/speakers/people?q=binh", DESK, ok=(200, None)),
    ("speakers.add", "POST"): Rule(M + "/speakers/add", DESK, ok=(409, None), data={"invitee_id": "1"}),
    ("speakers.open_", "POST"): Rule(M + "/speakers/items/{item}/open", CHAIR, ok=(409, None)),
    ("speakers.close", "POST"): Rule(M + "/speakers/items/{item}/close", CHAIR, ok=(409, None)),
    ("speakers.item_limit", "POST"): Rule(M + "/speakers/items/{item}/limit", CHAIR, ok=(400, None),
                                          data={"minutes": "0"}),
    ("speakers.reorder", "POST"): Rule(M + "/speakers/items/{item}/reorder", CHAIR, ok=(409, None),
                                       data={"order": "1"}),
    ("speakers.floor", "POST"): Rule(M + "/speakers/999999/floor", CHAIR, ok=(404, None)),
    ("speakers.end", "POST"): Rule(M + "/speakers/999999/end", CHAIR, ok=(404, None)),
    ("speakers.pause", "POST"): Rule(M + "/speakers/999999/pause", CHAIR, ok=(404, None)),
    ("speakers.resume", "POST"): Rule(M + "/speakers/999999/resume", CHAIR, ok=(404, None)),
    ("speakers.put_back", "POST"): Rule(M + "/speakers/999999/put-back", CHAIR, ok=(404, None)),
    ("speakers.move", "POST"): Rule(M + "/speakers/999999/move", CHAIR, ok=(404, None), data={"offset": "-1"}),
    ("speakers.limit", "POST"): Rule(M + "/speakers/999999/limit", CHAIR, ok=(400, None), data={"minutes": "99"}),
    ("speakers.withdraw", "POST"): Rule(M + "/speakers/999999/withdraw", DESK, ok=(404, None)),
    # --- the secretary's desk: the table's meeting has not started and has no remark or task
    ("desk.page", "GET"): Rule(M + "/desk", SECRETARY, ok=(200, None)),
    ("desk.programme", "GET"): Rule(M + "/desk/programme", SECRETARY, ok=(200, None)),
    ("desk.item_pane", "GET"): Rule(M + "/desk/items/{item}", SECRETARY, ok=(200, None)),
    ("desk.tasks", "GET"): Rule(M + "/desk/tasks", SECRETARY, ok=(200, None)),
    ("desk.publish_state", "GET"): Rule(M + "/desk/publish", SECRETARY, ok=(200, None)),
    ("desk.final", "GET"): Rule(M + "/desk/final", SECRETARY, ok=(200, None)),
    ("desk.task_form", "GET"): Rule(M + "/desk/tasks/new", SECRETARY, ok=(200, None)),
    ("desk.edit_task", "GET"): Rule(M + "/desk/tasks/999999/edit", SECRETARY, ok=(404, None)),
    ("desk.save_note", "POST"): Rule(M + "/desk/remarks/999999/note", SECRETARY, ok=(404, None),
                                     data={"text": "x", "revision": "0"}),
    ("desk.save_conclusion", "POST"): Rule(M + "/desk/items/{item}/conclusion", SECRETARY, ok=(400, None),
                                           data={"revision": "0"}),
    ("desk.save_intro", "POST"): Rule(M + "/desk/closing/intro", SECRETARY, ok=(400, None), data={"revision": "0"}),
    ("desk.add_task", "POST"): Rule(M + "/desk/tasks", SECRETARY, ok=(400, None)),
    ("desk.update_task", "POST"): Rule(M + "/desk/tasks/999999", SECRETARY, ok=(404, None)),
    ("desk.delete_task", "POST"): Rule(M + "/desk/tasks/999999/delete", SECRETARY, ok=(404, None)),
    ("desk.move_task", "POST"): Rule(M + "/desk/tasks/999999/move", SECRETARY, ok=(404, None), data={"offset": "1"}),
    ("desk.publish", "POST"): Rule(M + "/desk/closing/publish", SECRETARY, ok=(409, None)),
    ("desk.unpublish", "POST"): Rule(M + "/desk/closing/unpublish", SECRETARY, ok=(409, None)),
    ("desk.documents_form", "GET"): Rule(M + "/desk/documents", SECRETARY, ok=(200, None)),
    ("desk.documents", "POST"): Rule(M + "/desk/documents", SECRETARY, ok=(400, None), data={"notice_date": "x"}),
    ("desk.finalize", "POST"): Rule(M + "/desk/finalize", SECRETARY, ok=(409, None)),
    ("desk.reopen", "POST"): Rule(M + "/desk/reopen", SECRETARY, ok=(400, None)),
    # --- documents made from the meeting
    ("documents.minutes_docx", "GET"): Rule(M + "/minutes.docx", DESK, ok=(200, None)),
    ("documents.notice_docx", "GET"): Rule(M + "/notice.docx", DESK, ok=(200, None)),
    ("documents.print_minutes", "GET"): Rule(M + "/minutes/print", DESK, ok=(200, None)),
    # --- kiến nghị: the table's meeting has none, so one named by id is not found
    ("kien_nghi.page", "GET"): Rule(M + "/kien-nghi", DESK, ok=(200, None)),
    ("kien_nghi.list_region", "GET"): Rule(M + "/kien-nghi/list", DESK, ok=(200, None)),
    ("kien_nghi.summary_region", "GET"): Rule(M + "/kien-nghi/summary", DESK, ok=(200, None)),
    ("kien_nghi.add", "POST"): Rule(M + "/kien-nghi", SECRETARY, ok=(422, None)),
    ("kien_nghi.edit_form", "GET"): Rule(M + "/kien-nghi/999999/edit", SECRETARY, ok=(404, None)),
    ("kien_nghi.update", "POST"): Rule(M + "/kien-nghi/999999", SECRETARY, ok=(404, None)),
    ("kien_nghi.assign", "POST"): Rule(M + "/kien-nghi/999999/assign", SECRETARY, ok=(404, None)),
    ("kien_nghi.answer_form", "GET"): Rule(M + "/kien-nghi/999999/answer", SECRETARY, ok=(404, None)),
    ("kien_nghi.answer", "POST"): Rule(M + "/kien-nghi/999999/answer", SECRETARY, ok=(404, None)),
    ("kien_nghi.write_later", "POST"): Rule(M + "/kien-nghi/999999/written-later", SECRETARY, ok=(404, None)),
    ("kien_nghi.withdraw", "POST"): Rule(M + "/kien-nghi/999999/withdraw", SECRETARY, ok=(404, None)),
    ("kien_nghi.reset", "POST"): Rule(M + "/kien-nghi/999999/reset", SECRETARY, ok=(404, None)),
    ("kien_nghi.delete", "POST"): Rule(M + "/kien-nghi/999999/delete", SECRETARY, ok=(404, None)),
    ("kien_nghi.import_form", "GET"): Rule(M + "/kien-nghi/import", SECRETARY, ok=(200, None)),
    ("kien_nghi.import_preview", "POST"): Rule(M + "/kien-nghi/import", SECRETARY, ok=(422, None)),
    ("kien_nghi.import_confirm", "POST"): Rule(M + "/kien-nghi/import/confirm", SECRETARY, ok=(400, None)),
    ("kien_nghi.sample", "GET"): Rule(M + "/kien-nghi/mau-kien-nghi.xlsx", SECRETARY, ok=(200, None)),
    ("passes.speak", "POST"): Rule("/d/{token}/speak", PUBLIC, ok=(404, None), anon=(404, None),
                                   data={"item": "999999"}),
    ("passes.withdraw", "POST"): Rule("/d/{token}/speak/999999/withdraw", PUBLIC, ok=(404, None),
                                      anon=(404, None)),
    # --- the meeting's documents: the Văn phòng changes them, the desk looks and downloads; a
    # delegate opens a published one from their pass (none here: 404)
    ("meeting_documents.page", "GET"): Rule(M + "/documents", DESK, ok=(200, None)),
    ("meeting_documents.list_region", "GET"): Rule(M + "/documents/list", DESK, ok=(200, None)),
    ("meeting_documents.add", "POST"): Rule(M + "/documents", ADMIN, ok=(422, None)),
    ("meeting_documents.download", "GET"): Rule(M + "/documents/999999/file", DESK, ok=(404, None)),
    ("meeting_documents.attach", "POST"): Rule(M + "/documents/999999/attach", ADMIN, ok=(404, None)),
    ("meeting_documents.move", "POST"): Rule(M + "/documents/999999/move", ADMIN, ok=(404, None)),
    ("meeting_documents.publish", "POST"): Rule(M + "/documents/999999/publish", ADMIN, ok=(404, None)),
    ("meeting_documents.unpublish", "POST"): Rule(M + "/documents/999999/unpublish", ADMIN, ok=(404, None)),
    ("meeting_documents.withdraw", "POST"): Rule(M + "/documents/999999/withdraw", ADMIN, ok=(404, None)),
    ("passes.document", "GET"): Rule("/d/{token}/documents/999999", PUBLIC, ok=(404, None), anon=(404, None)),
    # --- a reporting unit's submission link: public, the token is the credential
    # (the meeting's reports_due is past: what comes is late; nothing standing to withdraw or open)
    ("units.submit_report", "POST"): Rule("/u/{unit_token}/report", PUBLIC, ok=(422, None), anon=(422, None)),
    ("units.open_report", "GET"): Rule("/u/{unit_token}/report", PUBLIC, ok=(410, None), anon=(410, None)),
    ("units.withdraw_report", "POST"): Rule("/u/{unit_token}/report/withdraw", PUBLIC, ok=(409, None),
                                            anon=(409, None)),
    ("units.kn_card", "GET"): Rule("/u/{unit_token}/kien-nghi", PUBLIC, ok=(200, None), anon=(200, None)),
    ("units.add_kien_nghi", "POST"): Rule("/u/{unit_token}/kien-nghi", PUBLIC, ok=(422, None), anon=(422, None)),
    ("units.edit_kien_nghi", "GET"): Rule("/u/{unit_token}/kien-nghi/999999/edit", PUBLIC, ok=(404, None),
                                          anon=(404, None)),
    ("units.update_kien_nghi", "POST"): Rule("/u/{unit_token}/kien-nghi/999999", PUBLIC, ok=(404, None),
                                             anon=(404, None)),
    ("units.delete_kien_nghi", "POST"): Rule("/u/{unit_token}/kien-nghi/999999/delete", PUBLIC, ok=(404, None),
                                             anon=(404, None)),
    ("units.import_form", "GET"): Rule("/u/{unit_token}/kien-nghi/import", PUBLIC, ok=(200, None), anon=(200, None)),
    ("units.import_preview", "POST"): Rule("/u/{unit_token}/kien-nghi/import", PUBLIC, ok=(422, None),
                                           anon=(422, None)),
    ("units.import_confirm", "POST"): Rule("/u/{unit_token}/kien-nghi/import/confirm", PUBLIC, ok=(422, None),
                                           anon=(422, None)),
    ("units.sample", "GET"): Rule("/u/{unit_token}/mau-kien-nghi.xlsx", PUBLIC, ok=(200, None), anon=(200, None)),
    ("units.show", "GET"): Rule("/u/{unit_token}", PUBLIC, ok=(200, None), anon=(200, None)),
    # --- the Văn phòng's board of reporting units: the unit of this table has sent nothing
    ("unit_board.page", "GET"): Rule(M + "/units", ADMIN, ok=(200, None)),
    ("unit_board.summary", "GET"): Rule(M + "/units/summary", ADMIN, ok=(200, None)),
    ("unit_board.table", "GET"): Rule(M + "/units/table", ADMIN, ok=(200, None)),
    ("unit_board.contact_form", "GET"): Rule(M + "/units/{unit}/contact", ADMIN, ok=(200, None)),
    ("unit_board.set_contact", "POST"): Rule(M + "/units/{unit}/contact", ADMIN, ok=(422, None),
                                             data={"contact": "x" * 301}),  # too long: shown on the form
    # No link named: not the one the unit holds now, so refused as changed meanwhile.
    ("unit_board.reissue", "POST"): Rule(M + "/units/{unit}/reissue", ADMIN, ok=(409, None)),
    ("unit_board.revoke", "POST"): Rule(M + "/units/{unit}/revoke", ADMIN, ok=(409, None)),
    ("unit_board.report", "GET"): Rule(M + "/units/{unit}/report", ADMIN, ok=(404, None)),
    ("unit_board.close", "POST"): Rule(M + "/units/close", ADMIN, ok=(200, None)),
    ("unit_board.reopen", "POST"): Rule(M + "/units/reopen", ADMIN, ok=(409, None)),  # not closed
    ("unit_board.missing_xlsx", "GET"): Rule(M + "/units/missing.xlsx", ADMIN, ok=(200, None)),
    ("unit_board.reminders", "GET"): Rule(M + "/units/reminders", ADMIN, ok=(200, None)),
    # --- a Ban's prepared answers: by its link (the table's unit is a xã: no kiến nghị of its own
    # to answer) and by its account; the table's meeting has no kiến nghị, so one named is not found
    ("ban_answers.link_draft", "POST"): Rule("/u/{unit_token}/answers/999999", PUBLIC, ok=(404, None),
                                             anon=(404, None)),
    ("ban_answers.page", "GET"): Rule(M + "/ban", BAN, ok=(200, None)),
    ("ban_answers.draft", "POST"): Rule(M + "/ban/answers/999999", BAN, ok=(404, None), data={"revision": "0"}),
    # --- xác nhận tham dự: the pass holder's answer (no choice sent: shown on the card, nothing
    # written), and the staff's counts of the answers
    ("confirmations.answer", "POST"): Rule("/d/{token}/confirm", PUBLIC, ok=(422, None), anon=(422, None)),
    ("confirmations.summary", "GET"): Rule(M + "/confirmations", STAFF, ok=(200, None)),
}
KEYS = sorted(ROUTES)
KEY_IDS = [f"{endpoint}:{method}" for endpoint, method in KEYS]


# --------------------------------------------------------------------------- helpers

def trimmed_meeting() -> Meeting:
    """The demo meeting, trimmed to what the routes need (two items, two invitees): the full demo
    (80 invitees, 4 staff accounts) costs ~0.5 s to load."""
    from meetingday.services import agenda, invitees, meetings, organisations, units
    from meetingday.services.demo import AGENDA, MEETING

    m = meetings.create_meeting(MEETING, actor="test")
    for title, kind, minutes, presenter in AGENDA[:2]:
        agenda.add_item(m, title, kind, minutes, presenter, actor="test")
    invitees.add_invitee(m, full_name="Võ Thanh Bình", honorific="Ông", position="Chủ tịch HĐND thị xã",
                         phone="0905214367", actor="test")
    invitees.add_invitee(m, full_name="Nguyễn Thị Hồng Nhung", honorific="Bà", category="guest", actor="test")
    organisations.add_organisation("HĐND xã Phổ An", short_name="Xã Phổ An", actor="test")  # no one in it
    organisations.add_organisation("Ban Pháp chế HĐND thị xã", short_name="Ban Pháp chế", kind=OrgKind.TOWN,
                                   actor="test")  # the Ban of the table's Ban account
    units.set_up(m.id, actor="test")  # Xã Phổ An's submission link
    return m


@pytest.fixture()
def meeting(app):
    return trimmed_meeting()


def a_ban() -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.name.startswith("Ban ")).order_by(Organisation.id))


def signed_in(app, role: str, create: bool = True) -> FlaskClient:
    username = f"only_{role}"
    if create:
        make_user(username, Role(role), organisation=a_ban() if role == "ban" else None)
    client = app.test_client()  # each request in a context of its own, as in production
    response = login(client, username)
    assert response.status_code == 302, f"login as {username} failed"
    return client


def route_ids(meeting_id: int) -> dict:
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                             .order_by(AgendaItem.position))
    invitee = db.session.scalar(select(Invitee).where(Invitee.meeting_id == meeting_id).order_by(Invitee.id))
    assert item is not None and invitee is not None and invitee.active_token is not None
    org = db.session.scalar(select(Organisation).order_by(Organisation.id))
    unit = db.session.scalar(select(ReportingUnit).where(ReportingUnit.meeting_id == meeting_id)
                             .order_by(ReportingUnit.id))
    return {"meeting": meeting_id, "item": item.id, "invitee": invitee.id, "token": invitee.active_token.token,
            "org": org.id, "display_key": db.session.get(Meeting, meeting_id).display_key,
            "unit_token": unit.active_link.token, "unit": unit.id}


def send(client, key: tuple[str, str], ids: dict, token: str | None, headers: dict | None = None):
    rule = ROUTES[key]
    path = rule.path.format(**ids)
    if key[1] == "GET":
        return client.get(path, headers=headers)
    data = dict(rule.data or {})
    if token is not None:
        data["csrf_token"] = token
    return client.post(path, data=data, headers=headers)


def location_path(response) -> str:
    return urlsplit(response.headers.get("Location", "")).path


def allowed(rule: Rule, role: str) -> bool:
    return rule.access == PUBLIC or role == "admin" or role in rule.access


class Table:
    """What every cell of the route × role table starts from: the trimmed meeting, a client signed
    in for each role (and an anonymous one), each with its CSRF token, and the database as that
    left it. Built once and shared, so that a cell costs its own request and two snapshots.

    A cell gets exactly the start it would get on its own: `start` first compares the database
    with the state the table was built in (a cell that wrote, or another test of this module,
    changed it) and builds it all again if they differ; a client whose answer set a cookie (a
    logout, the language, a remembered pass, a flashed message) is replaced by a new one."""

    def __init__(self, app):
        self.app = app
        self.build()

    def build(self) -> None:
        db.session.remove()
        empty_tables()
        self.ids = route_ids(trimmed_meeting().id)
        self.clients: dict[str | None, tuple[FlaskClient, str]] = {}
        for role in ROLES:
            self._sign_in(role, create=True)
        self.state = db_snapshot()

    def _sign_in(self, role: str | None, create: bool = False) -> None:
        if role is None:
            client = self.app.test_client()
            self.clients[None] = (client, csrf_token(client, "/login"))
        else:
            client = signed_in(self.app, role, create=create)
            self.clients[role] = (client, csrf_token(client, "/account/password"))  # every account's page

    def start(self, role: str | None) -> tuple[FlaskClient, str, dict]:
        """(client, CSRF token, database snapshot) for a cell of this role (None: signed out)."""
        if db_snapshot() != self.state:
            self.build()
        if role not in self.clients:
            self._sign_in(role)
            if role is not None:  # a login is recorded in the database
                self.state = db_snapshot()
        client, token = self.clients[role]
        return client, token, self.state

    def done(self, role: str | None, *responses) -> None:
        if any(r.headers.getlist("Set-Cookie") for r in responses):
            del self.clients[role]


@pytest.fixture(scope="module")
def table(backend):
    with serving(backend) as app:
        yield Table(app)


@pytest.fixture()
def app(app):
    """The other tests of this module start from an empty database, as everywhere else: the table
    may have left its rows (its next cell finds them gone and builds them again)."""
    empty_tables()
    return app


# --------------------------------------------------------------------------- the table is complete

def _url_map_keys(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_table(app):
    in_app = _url_map_keys(app)
    missing = sorted(in_app - set(ROUTES))
    stale = sorted(set(ROUTES) - in_app)
    assert not missing, f"routes without an access rule in ROUTES: {missing}"
    assert not stale, f"rules in ROUTES for routes that no longer exist: {stale}"


def _unguarded(view_functions: dict) -> tuple[list[str], list[str]]:
    """(views neither public nor role-checked, views marked both)."""
    unguarded, both = [], []
    for endpoint, view in view_functions.items():
        if endpoint == "static":
            continue
        is_public = getattr(view, "public", False) is True
        roles = getattr(view, "allowed_roles", None)
        if not is_public and not roles:
            unguarded.append(endpoint)
        if is_public and roles:
            both.append(endpoint)
    return unguarded, both


def test_every_view_is_public_or_role_checked(app):
    unguarded, both = _unguarded(app.view_functions)
    assert not unguarded, f"views neither @public nor @roles_required(...): {unguarded}"
    assert not both, f"views both public and role-checked: {both}"


def test_guard_check_catches_a_view_without_a_rule():
    """The check above is not vacuous: a plain Flask view is reported, decorated ones are not."""
    from flask import Flask

    from meetingday.access import public, roles_required

    probe = Flask("probe")
    probe.add_url_rule("/open", "open", public(lambda: ""))
    probe.add_url_rule("/staff", "staff", roles_required(Role.CHAIR)(lambda: ""))
    probe.add_url_rule("/forgotten", "forgotten", lambda: "")
    assert _unguarded(probe.view_functions) == (["forgotten"], [])


def test_table_matches_the_decorators(app):
    for (endpoint, method), rule in ROUTES.items():
        view = app.view_functions[endpoint]
        if rule.access == PUBLIC:
            assert getattr(view, "public", False) is True, f"{endpoint} is not @public"
            assert rule.anon is not None, f"{endpoint}: say what an anonymous visitor gets"
        else:
            declared = {Role(r).value for r in view.allowed_roles} | {"admin"}
            assert declared == set(rule.access), f"{endpoint}: decorator allows {declared}, table {set(rule.access)}"


def test_table_paths_reach_their_endpoint(app):
    adapter = app.url_map.bind("localhost")
    ids = {"meeting": 7, "item": 11, "invitee": 13, "token": "abcDEF_123-xyz", "org": 17,
           "display_key": "k" * 32, "unit_token": "uvwXYZ_456-abc", "unit": 19}
    for (endpoint, method), rule in ROUTES.items():
        path = urlsplit(rule.path.format(**ids)).path
        matched, _args = adapter.match(path, method=method)
        assert matched == endpoint, f"{rule.path} {method} reaches {matched}, not {endpoint}"


# --------------------------------------------------------------------------- every route × every role

@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", KEYS, ids=KEY_IDS)
def test_route_by_role(table, key, role):
    client, token, before = table.start(role)
    rule = ROUTES[key]

    response = send(client, key, table.ids, token)
    table.done(role, response)

    if not allowed(rule, role):
        assert response.status_code == 403, response.text[:500]
        assert FORBIDDEN in response.text
        assert_unchanged(before)
        return
    status, where = rule.ban if role == "ban" and rule.ban else rule.ok
    assert response.status_code not in (401, 403)
    assert FORBIDDEN.encode() not in response.data  # bytes: some answers are files (.xlsx)
    assert response.status_code == status, response.text[:800]
    if where is None:
        assert "Location" not in response.headers
    else:
        assert location_path(response) == where.format(**table.ids)
    if location_path(response) == "/login":
        assert key == ("auth.logout", "POST"), "only logging out may send a signed-in user to /login"
        after = client.get("/")
        assert after.status_code == 302 and location_path(after) == "/login", "still signed in after logout"


# --------------------------------------------------------------------------- anonymous visitors

@pytest.mark.parametrize("key", KEYS, ids=KEY_IDS)
def test_route_anonymous(table, key):
    client, token, before = table.start(None)
    rule = ROUTES[key]
    path = rule.path.format(**table.ids)

    plain = send(client, key, table.ids, token)
    hx = send(client, key, table.ids, token, headers={"HX-Request": "true"})
    table.done(None, plain, hx)

    if rule.access == PUBLIC:
        status, where = rule.anon
        assert plain.status_code == status, plain.text[:800]
        assert hx.status_code == status
        assert "HX-Redirect" not in hx.headers
        if where is None:
            assert "Location" not in plain.headers
        else:
            assert location_path(plain) == where
        if key != ("auth.logout", "POST"):  # signing out while signed out lands on the login page
            assert location_path(plain) != "/login"
        return

    assert plain.status_code == 302
    assert location_path(plain) == "/login"
    if key[1] == "GET":  # back to the page after signing in
        next_ = parse_qs(urlsplit(plain.headers["Location"]).query)["next"][0]
        assert next_.startswith(urlsplit(path).path)
    assert hx.status_code == 401
    assert urlsplit(hx.headers["HX-Redirect"]).path == "/login"
    assert_unchanged(before)


def test_anonymous_client_does_not_inherit_another_clients_login(app, meeting):
    """A signed-in client in the same test must not make a second, anonymous client signed in."""
    admin = signed_in(app, "admin")
    assert admin.get(f"/meetings/{meeting.id}").status_code == 200
    anonymous = app.test_client()
    response = anonymous.get(f"/meetings/{meeting.id}")
    assert response.status_code == 302 and location_path(response) == "/login"


def test_demo_staff_accounts_on_the_demo_meeting(app, demo_meeting):
    """The demo's own accounts (one role each) against every page of the full demo meeting."""
    ids = route_ids(demo_meeting.id)
    seen = {}
    for username, _name, roles in demo.DEMO_USERS:
        (role,) = [r.value for r in roles]
        client = app.test_client()
        assert login(client, username, demo.DEMO_PASSWORD).status_code == 302
        for key in KEYS:
            rule = ROUTES[key]
            if key[1] != "GET" or rule.access == PUBLIC:
                continue
            response = send(client, key, ids, None)
            expected = rule.ok[0] if allowed(rule, role) else 403
            assert response.status_code == expected, f"{username} ({role}) {key}: {response.status_code}"
            seen[(role, response.status_code)] = seen.get((role, response.status_code), 0) + 1
    # chair, secretary and door open exactly the pages of their role, and no admin page
    for role in ("chair", "secretary", "door"):
        mine = [k for k, r in ROUTES.items() if k[1] == "GET" and r.access != PUBLIC and allowed(r, role)]
        assert seen[(role, 200)] == sum(1 for k in mine if ROUTES[k].ok[0] == 200)
        assert ("meetings.index", "GET") in mine and ("meetings.new", "GET") not in mine
    assert ("admin", 403) not in seen


def test_demo_ban_account_on_the_demo_meeting(app, demo_meeting):
    """Ban Pháp chế's demo account: "/" sends it to its answers, which show its Ban's drafts; its
    password page is its own; every other staff page is refused."""
    ids = route_ids(demo_meeting.id)
    ((username, full_name, _key),) = demo_drafts.DEMO_BAN_ACCOUNTS
    client = app.test_client()
    assert login(client, username, demo.DEMO_PASSWORD).status_code == 302
    opened = []
    for key in KEYS:
        rule = ROUTES[key]
        if key[1] != "GET" or rule.access == PUBLIC:
            continue
        response = send(client, key, ids, None)
        if not allowed(rule, "ban"):
            assert response.status_code == 403, key
            continue
        status, where = rule.ban or rule.ok
        assert response.status_code == status, key
        assert location_path(response) == (where.format(**ids) if where else "")
        opened.append(key)
    assert sorted(opened) == [("auth.password", "GET"), ("ban_answers.page", "GET"), ("meetings.index", "GET")]
    page = client.get(f"/meetings/{demo_meeting.id}/ban")
    assert full_name in page.text and "Ông Trần Đình Nghĩa, Trưởng Ban Pháp chế HĐND thị xã" in page.text
    assert "Ban Kinh tế - Xã hội HĐND thị xã</h1>" not in page.text and "Ông Đỗ Quốc Việt" not in page.text


# --------------------------------------------------------------------------- CSRF

def _counts() -> tuple[int, int, int]:
    db.session.rollback()  # a fresh look at what is committed
    return (db.session.scalar(select(func.count()).select_from(AgendaItem)),
            db.session.scalar(select(func.count()).select_from(Invitee)),
            db.session.scalar(select(func.count()).select_from(AuditEntry)))


NEW_ITEM = {"title": "Thông qua nghị quyết", "kind": "report", "planned_minutes": "15", "presenter": "Thư ký"}


@pytest.mark.parametrize("sent_token", ["missing", "wrong"])
def test_post_without_valid_csrf_token_is_refused(app, meeting, sent_token):
    client = signed_in(app, "admin")
    path = f"/meetings/{meeting.id}/agenda/"
    data = dict(NEW_ITEM)
    if sent_token == "wrong":
        data["csrf_token"] = "khong-phai-ma-that"
    before, snapshot = _counts(), db_snapshot()

    response = client.post(path, data=data)

    assert response.status_code == 400
    assert CSRF_MESSAGE in response.text
    assert _counts() == before
    assert_unchanged(snapshot)


def test_htmx_post_without_csrf_token_shows_message_in_flash_area(app, meeting):
    client = signed_in(app, "admin")
    before = _counts()
    response = client.post(f"/meetings/{meeting.id}/agenda/", data=NEW_ITEM, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#flash"
    assert CSRF_MESSAGE in response.text
    assert _counts() == before


def test_json_post_without_csrf_token_answers_error_code(app, meeting):
    client = signed_in(app, "admin")
    response = client.post(f"/meetings/{meeting.id}/agenda/", data=NEW_ITEM,
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "csrf", "message": CSRF_MESSAGE}


def test_same_post_with_csrf_token_is_accepted(app, meeting):
    """The control for the tests above: with the token, the very same request adds the item."""
    client = signed_in(app, "admin")
    items, invitees_, audits = _counts()
    response = client.post(f"/meetings/{meeting.id}/agenda/",
                           data={**NEW_ITEM, "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 200
    assert "Thông qua nghị quyết" in response.text
    assert _counts() == (items + 1, invitees_, audits + 1)
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "agenda.add"
