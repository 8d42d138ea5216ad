"""The demo meeting, built from the 2024 plan of HĐND thị xã Đức Phổ. Loading it twice changes nothing.

The meeting is dated by its start (``load_demo(starts_at)``, the hall's wall-clock time): the
`meetingday demo` command starts it today, at the next five minutes (``start_now``), so the
screens' clocks, the passes and the documents tell the same day; every other date of the demo
(the invitation's, the xã and phường's deadline for their reports, the year in its texts)
follows that day. Without a start it is the plan's day, 27/6/2024 at 7 giờ 30 (what the tests
load).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from .. import audit, demo_data
from ..extensions import db
from ..models import KienNghi, Meeting, Organisation, OrgKind, Role, User
from ..timeutil import from_local, to_local, utcnow
from . import (
    agenda,
    demo_confirmations,
    demo_documents,
    demo_drafts,
    demo_reports,
    invitees,
    meetings,
    organisations,
    units,
    users,
)

DEMO_KEY = "truc-bao-giua-nam-2024"
DEMO_PASSWORD = "hoinghi2024"
DEMO_USERS = [  # username, full name, roles
    ("vanphong", "Trần Thị Ngọc Ánh", [Role.ADMIN]),
    ("chutri", "Võ Thanh Bình", [Role.CHAIR]),
    ("thuky", "Lê Thị Mỹ Duyên", [Role.SECRETARY]),
    ("letan", "Huỳnh Văn Bảo", [Role.DOOR]),
]

PLAN_START = datetime(2024, 6, 27, 7, 30)  # the plan's day, on the hall's clock
INVITATION_BEFORE = timedelta(days=7)       # the invitation is signed a week before (20/6 for 27/6)
REPORTS_BEFORE = timedelta(days=12)         # the xã and phường report before 15/6 for 27/6 (plan, III.4)

DETAILS = {  # {year}: the year of the meeting's day
    "title": "Hội nghị trực báo giữa năm {year}",
    "host_body": "Thường trực HĐND thị xã",
    "issuing_body": "HĐND THỊ XÃ ĐỨC PHỔ",
    "issuing_unit": "THƯỜNG TRỰC",
    "locality": "Đức Phổ",
    "place": "Hội trường UBND thị xã Đức Phổ",
    "content": ("Đánh giá tình hình tổ chức và hoạt động của Thường trực HĐND thị xã và cấp xã, "
                "Tổ đại biểu HĐND thị xã 6 tháng đầu năm và nhiệm vụ 6 tháng cuối năm {year}; "
                "giải pháp nâng cao chất lượng hoạt động của HĐND các cấp trên địa bàn thị xã; "
                "trao đổi, giải đáp kiến nghị của các xã, phường."),
    "invitation_number": "45/GM-HĐND",
    "signer_title": "TM. THƯỜNG TRỰC HĐND\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    "signer_name": "Nguyễn Văn Công",
    "chair_name": "Võ Thanh Bình",
    "secretary_name": "Lê Thị Mỹ Duyên",
    "contact": "Bà Trần Thị Ngọc Ánh, Phó Chánh Văn phòng HĐND và UBND thị xã, điện thoại 0914 062 739",
}

# The seven items of section II.5 of the plan: title, kind, planned minutes, presenter.
AGENDA = [
    ("Tuyên bố lý do, giới thiệu đại biểu", "procedural", 5,
     "Chánh Văn phòng HĐND và UBND thị xã"),
    ("Thường trực HĐND thị xã trao đổi một số nội dung cần thực hiện tại Hội nghị", "report", 10,
     "Chủ tịch HĐND thị xã"),
    ("Đánh giá tình hình tổ chức và hoạt động của Thường trực HĐND thị xã và cấp xã, Tổ đại biểu "
     "HĐND thị xã trong 6 tháng đầu năm và nhiệm vụ 6 tháng cuối năm {year}", "report", 30,
     "Phó Chủ tịch HĐND thị xã"),
    ("Thường trực HĐND các xã, phường thảo luận", "discussion", 60, "Thường trực HĐND các xã, phường"),
    ("Giải lao", "break", 15, ""),
    ("Phát biểu của đại biểu dự hội nghị", "remarks", 40, "Đại biểu dự hội nghị"),
    ("Phát biểu của Thường trực HĐND thị xã và kết luận Hội nghị", "conclusion", 20,
     "Chủ tịch HĐND thị xã"),
]


def start_now(now: datetime | None = None) -> datetime:
    """When a demo started now begins: the hall's clock rounded up to the next five minutes."""
    local = to_local(now or utcnow()).replace(tzinfo=None, second=0, microsecond=0)
    return local + timedelta(minutes=-local.minute % 5)


def dated(text: str, day: date) -> str:
    """A demo text in the year of the demo's day ({year}, {last_year})."""
    return text.format(year=day.year, last_year=day.year - 1)


def meeting_details(starts_at: datetime) -> dict:
    """The meeting's details for a start on the hall's clock, every date from that day."""
    day = starts_at.date()
    details = {key: dated(value, day) if isinstance(value, str) else value for key, value in DETAILS.items()}
    details["starts_at"] = from_local(starts_at)
    details["invitation_date"] = day - INVITATION_BEFORE
    details["reports_due"] = day - REPORTS_BEFORE
    return details


MEETING = meeting_details(PLAN_START)  # as the plan dates it


def load_organisations() -> dict[str, Organisation]:
    """The town bodies and Đức Phổ's 8 phường and 7 xã (added when missing)."""
    groups = {key: organisations.ensure_group(key, name, position)
              for position, (key, name) in enumerate(demo_data.GROUPS, start=1)}
    known = {o.key: o for o in db.session.scalars(select(Organisation))}
    for position, spec in enumerate(demo_data.ORGANISATIONS, start=1):
        if spec["key"] not in known:
            known[spec["key"]] = organisations.add_organisation(
                spec["name"], key=spec["key"], short_name=spec["short_name"], kind=OrgKind(spec["kind"]),
                group=groups[spec["group"]], position=position, actor="demo", commit=False)
    db.session.commit()
    return known


def load_users() -> None:
    for username, full_name, roles in DEMO_USERS:
        if not db.session.scalar(select(User.id).where(User.username == username)):
            users.create_user(username, full_name, DEMO_PASSWORD, roles, actor="demo")


def _redated(meeting: Meeting, starts_at: datetime) -> Meeting:
    """A demo meeting loaded on an earlier day and never started moves to the new start (its
    invitation with it); one that was held keeps its day."""
    if meeting.started_at is not None or to_local(meeting.starts_at).date() == starts_at.date():
        return meeting
    meeting.starts_at = from_local(starts_at)
    meeting.invitation_date = starts_at.date() - INVITATION_BEFORE
    meeting.reports_due = starts_at.date() - REPORTS_BEFORE
    audit.record("demo.redate", "meeting", meeting.id, meeting_id=meeting.id, actor="demo",
                 starts_at=meeting.starts_at)
    db.session.commit()
    return meeting


def load_demo(starts_at: datetime = PLAN_START) -> Meeting:
    """Create the demo meeting with its programme, invitees and kiến nghị, starting at
    `starts_at` (the hall's clock), unless it exists."""
    load_users()
    orgs = load_organisations()
    existing = db.session.scalar(select(Meeting).where(Meeting.demo_key == DEMO_KEY))
    if existing is not None:
        meeting = _redated(existing, starts_at)
        units.set_up(meeting.id, actor="demo")  # a demo loaded by a version without units gets them
        return meeting
    day = starts_at.date()
    meeting = meetings.create_meeting(meeting_details(starts_at), actor="demo", demo_key=DEMO_KEY)
    for title, kind, minutes, presenter in AGENDA:
        agenda.add_item(meeting, dated(title, day), kind, minutes, presenter, actor="demo")
    for spec in demo_data.INVITEES:
        fields = invitees.validate(spec["name"], spec["honorific"], spec["position"], spec["category"],
                                   spec["phone"])
        invitees.create(meeting, fields, orgs[spec["org"]])
    for spec in demo_data.KIEN_NGHI:
        db.session.add(KienNghi(meeting=meeting, organisation=orgs[spec["org"]], content=dated(spec["content"], day),
                                assigned_org=orgs[spec["assigned"]]))
    audit.record("demo.load", "meeting", meeting.id, meeting_id=meeting.id, actor="demo",
                 invitees=len(demo_data.INVITEES), kien_nghi=len(demo_data.KIEN_NGHI))
    db.session.commit()
    units.set_up(meeting.id, actor="demo")  # each unit the plan asks for a report, with its link
    demo_reports.load(meeting)  # reports and kiến nghị some units sent by their links
    demo_drafts.load(meeting, DEMO_PASSWORD)  # the Bans' prepared answers, Ban Pháp chế's account
    demo_documents.load(meeting)  # the meeting's documents, published on the passes
    demo_confirmations.load(meeting)  # a dozen answers to the invitation, given from the passes
    return meeting


__all__ = ["load_demo", "start_now", "DEMO_KEY", "DEMO_PASSWORD", "DEMO_USERS"]
