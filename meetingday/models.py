"""The data model: one meeting day, its programme, people, arrivals, speakers and records.

Times are stored as naive UTC datetimes and shown in Asia/Ho_Chi_Minh. State that changes
during the meeting is kept as timestamps (started/ended, requested/withdrawn...), never as
loose flags, so that a restart or a second server process shows the same meeting.
"""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .timeutil import utcnow


def max_length(attribute) -> int:
    """The longest text a column takes: n of String(n), or the ``max_length`` in a Text column's
    info. Forms and services read their limits here, so that each is written once."""
    column = attribute.property.columns[0]
    return getattr(column.type, "length", None) or column.info["max_length"]


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Store the value (readable in the database), checked by a named constraint.
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e],
                native_enum=False, create_constraint=True, length=20)


class Role(str, enum.Enum):
    ADMIN = "admin"          # Văn phòng HĐND-UBND: sets up and runs everything
    CHAIR = "chair"          # chủ trì
    SECRETARY = "secretary"  # thư ký
    DOOR = "door"            # lễ tân
    BAN = "ban"              # a Ban of the council: drafts the answers to the kiến nghị assigned to it


class MeetingState(str, enum.Enum):
    NOT_STARTED = "not_started"
    IN_SESSION = "in_session"
    ON_BREAK = "on_break"
    ENDED = "ended"


class ItemKind(str, enum.Enum):
    PROCEDURAL = "procedural"
    REPORT = "report"
    DISCUSSION = "discussion"
    BREAK = "break"
    REMARKS = "remarks"
    CONCLUSION = "conclusion"


class OrgKind(str, enum.Enum):
    TOWN = "town"        # a town-level body
    WARD = "ward"        # phường
    COMMUNE = "commune"  # xã
    OTHER = "other"


class InviteeCategory(str, enum.Enum):
    DELEGATE = "delegate"
    GUEST = "guest"


class CheckInMethod(str, enum.Enum):
    SELF = "self"                # the delegate's phone at the hall code
    DOOR_SCAN = "door_scan"      # door staff scanned the personal code
    DOOR_SEARCH = "door_search"  # door staff found the person by name


class SpeakerSource(str, enum.Enum):
    SELF = "self"    # asked from the delegate's phone
    STAFF = "staff"  # added by the chair or secretary


class SpeakerKind(str, enum.Enum):
    REMARK = "remark"
    ANSWER = "answer"  # a Ban answering a kiến nghị


class KienNghiStatus(str, enum.Enum):
    PENDING = "pending"
    ANSWERED = "answered"          # answered at the meeting
    WRITTEN_LATER = "written_later"  # to be answered in writing
    WITHDRAWN = "withdrawn"


class Confirmation(str, enum.Enum):
    """A delegate's answer, before the day, to the invitation (xác nhận tham dự)."""
    ATTENDING = "attending"    # sẽ dự
    SUBSTITUTE = "substitute"  # cử người dự thay
    ABSENT = "absent"          # vắng, with a reason


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    roles_text: Mapped[str] = mapped_column("roles", String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Part of every session and remember-me cookie (get_id): logging out, a new password and
    # disabling the account bump it, which ends the account's sessions on every device.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The Ban an account with the Ban role answers for (None for every other account).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def roles(self) -> set[Role]:
        # A role this version does not know (written by a newer one) grants nothing.
        known = {r.value for r in Role}
        return {Role(r) for r in self.roles_text.split(",") if r in known}

    @roles.setter
    def roles(self, value) -> None:
        self.roles_text = ",".join(sorted(Role(r).value for r in value))

    def has_role(self, *roles: Role) -> bool:
        mine = self.roles
        return Role.ADMIN in mine or any(Role(r) in mine for r in roles)

    def may(self, *roles: Role) -> bool:
        """May act in one of these roles now: an active account holding one of them (or admin).
        The one check behind every role-checked view (access.roles_required) and the door's
        batched scans."""
        return self.is_authenticated and self.has_role(*roles)

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the account and its
        session version ("12:3"), so that a cookie from before a logout no longer loads it
        (access._load_user)."""
        return f"{self.id}:{self.session_version}"


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    host_body: Mapped[str] = mapped_column(String(200))       # e.g. Thường trực HĐND thị xã
    issuing_body: Mapped[str] = mapped_column(String(200))    # top line of documents: HĐND THỊ XÃ ĐỨC PHỔ
    issuing_unit: Mapped[str] = mapped_column(String(200))    # second line: THƯỜNG TRỰC
    locality: Mapped[str] = mapped_column(String(100))        # địa danh: Đức Phổ
    place: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text, default="", info={"max_length": 4000})  # nội dung, for the invitation
    starts_at: Mapped[datetime] = mapped_column(DateTime)     # planned start, UTC
    invitation_number: Mapped[str] = mapped_column(String(60), default="")  # Số: 45/GM-HĐND
    invitation_date: Mapped[date | None] = mapped_column(Date)              # ngày ký giấy mời
    signer_title: Mapped[str] = mapped_column(String(200), default="")      # TM. THƯỜNG TRỰC HĐND\nPHÓ CHỦ TỊCH
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    chair_name: Mapped[str] = mapped_column(String(120), default="")
    secretary_name: Mapped[str] = mapped_column(String(120), default="")
    # Asked of the xã and phường on their invitations: their reports and kiến nghị by this day,
    # to this contact person (name, position, phone, as the office writes it).
    reports_due: Mapped[date | None] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # The Văn phòng closed the units' submissions: nothing more comes in by their links.
    submissions_closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)  # set on the demo meeting
    # Live state, all as timestamps.
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    checkin_opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    checkin_closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # An ad-hoc break called by the chair (a break item of the programme needs neither).
    break_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    break_ends_at: Mapped[datetime | None] = mapped_column(DateTime)
    display_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    closing_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    minutes_finalized_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The secretary's desk: every change to notes, conclusions, tasks and kiến nghị first bumps
    # this (only while the minutes are not finalized), so desk changes never interleave and none
    # lands after the minutes were locked.
    desk_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Số/ký hiệu of the documents ("" until the office numbers them) and the notice's date and
    # nơi nhận (one recipient per line; "" means the default list).
    minutes_number: Mapped[str] = mapped_column(String(60), default="", server_default="")
    notice_number: Mapped[str] = mapped_column(String(60), default="", server_default="")
    notice_date: Mapped[date | None] = mapped_column(Date)
    notice_recipients: Mapped[str] = mapped_column(Text, default="", server_default="", info={"max_length": 2000})
    # Bumped by each change of these four; the desk's form names the revision it showed.
    documents_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Bumped by each change made on the meeting's form (title, time, place, invitation...).
    details_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Optimistic concurrency: every live change bumps it; an action carries the version it saw.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position",
        cascade="all, delete-orphan")
    invitees: Mapped[list[Invitee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan")

    @property
    def current_item(self) -> AgendaItem | None:
        """The item under way: started and not yet ended (derived, never stored twice)."""
        return next((i for i in self.items if i.started_at and not i.ended_at), None)

    @property
    def state(self) -> MeetingState:
        if self.ended_at:
            return MeetingState.ENDED
        if not self.started_at:
            return MeetingState.NOT_STARTED
        if self.break_started_at is not None:  # an ad-hoc break called by the chair
            return MeetingState.ON_BREAK
        if self.current_item is not None and self.current_item.kind == ItemKind.BREAK:
            return MeetingState.ON_BREAK
        return MeetingState.IN_SESSION

    @property
    def planned_minutes(self) -> int:
        return sum(i.planned_minutes for i in self.items)


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(400))
    kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind, "item_kind"))
    planned_minutes: Mapped[int] = mapped_column(Integer)
    presenter: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime | None] = mapped_column(DateTime)  # first start
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)    # last end (None while current)
    # The time actually held: seconds of the stretches already over (the chair can come back to an
    # item) and the start of the latest stretch, which runs while the item is current.
    held_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    resumed_at: Mapped[datetime | None] = mapped_column(DateTime)
    speaker_limit_seconds: Mapped[int] = mapped_column(Integer, default=300)
    queue_opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    queue_closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Bumped by every change to the item's speaker queue: the change that bumps it holds the row
    # (PostgreSQL) or the write lock (SQLite) until it commits, so queue changes never interleave.
    queue_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    meeting: Mapped[Meeting] = relationship(back_populates="items")

    @property
    def timer_from(self) -> datetime | None:
        """Where a running timer counts from so that it shows the time held: the current
        stretch's start less the time held before."""
        start = self.resumed_at or self.started_at
        return None if start is None else start - timedelta(seconds=self.held_seconds or 0)

    @property
    def paused_at(self) -> datetime | None:
        """While the chair's ad-hoc break interrupts this (current) item: when the break began.
        The item's timer stands still until the meeting resumes."""
        if self.started_at is None or self.ended_at is not None:
            return None
        return self.meeting.break_started_at

    def held(self, now: datetime | None = None) -> int:
        """Seconds actually held until `now` (the current stretch included while it runs; an
        ad-hoc break does not count)."""
        seconds = self.held_seconds or 0
        if self.started_at is None:
            return 0
        if self.ended_at is None:
            start = self.resumed_at or self.started_at
            end = now or utcnow()
            paused = self.paused_at
            if paused is not None and paused < end:
                end = paused
            return seconds + max(0, int((end - start).total_seconds()))
        if self.resumed_at is None:  # started and ended outside the flow service: its span
            return max(0, int((self.ended_at - self.started_at).total_seconds()))
        return seconds


class OrganisationGroup(db.Model):
    __tablename__ = "organisation_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)

    organisations: Mapped[list[Organisation]] = relationship(
        back_populates="group", order_by="Organisation.position")


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(120))
    search_text: Mapped[str] = mapped_column(String(400), default="")
    kind: Mapped[OrgKind] = mapped_column(_enum(OrgKind, "org_kind"))
    group_id: Mapped[int] = mapped_column(ForeignKey("organisation_groups.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[OrganisationGroup] = relationship(back_populates="organisations")


class Invitee(db.Model):
    __tablename__ = "invitees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    honorific: Mapped[str] = mapped_column(String(10), default="")  # Ông / Bà
    position: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    category: Mapped[InviteeCategory] = mapped_column(_enum(InviteeCategory, "invitee_category"))
    phone: Mapped[str | None] = mapped_column(String(20))
    search_text: Mapped[str] = mapped_column(String(600), default="", index=True)
    # Dự thay: this person attends in the place of another invitee.
    substitute_for_id: Mapped[int | None] = mapped_column(ForeignKey("invitees.id", ondelete="SET NULL"),
                                                          index=True)
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    absent_reason: Mapped[str | None] = mapped_column(String(300))
    absent_marked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Xác nhận tham dự from the pass link before the day: the latest answer, when it was given,
    # and for a substitute their name and position, for an absence its reason.
    confirmation: Mapped[Confirmation | None] = mapped_column(_enum(Confirmation, "confirmation"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_substitute_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    confirmed_substitute_position: Mapped[str] = mapped_column(String(200), default="", server_default="")
    confirmed_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Bumped by each edit on the invitee form; that form's save and the list's delete name the
    # revision they showed.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="invitees")
    organisation: Mapped[Organisation | None] = relationship()
    substitute_for: Mapped[Invitee | None] = relationship(remote_side=[id])
    tokens: Mapped[list[PassToken]] = relationship(
        back_populates="invitee", cascade="all, delete-orphan", order_by="PassToken.id")
    checkin: Mapped[CheckIn | None] = relationship(back_populates="invitee", uselist=False,
                                                  cascade="all, delete-orphan")

    @property
    def active_token(self) -> PassToken | None:
        return next((t for t in reversed(self.tokens) if t.revoked_at is None), None)

    @property
    def unit(self) -> str:
        return self.organisation.short_name if self.organisation else ""

    @property
    def of_commune(self) -> bool:
        """From a xã or phường (the communes, who send reports and kiến nghị), not a town body."""
        return self.organisation is not None and self.organisation.kind in (OrgKind.WARD, OrgKind.COMMUNE)

    @property
    def present_checkin(self) -> CheckIn | None:
        """Their check-in, while it stands (not undone)."""
        c = self.checkin
        return c if c is not None and c.present else None


class PassToken(db.Model):
    """A personal pass token; revoked ones are kept so that a scan can say 'revoked'."""
    __tablename__ = "pass_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("invitees.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    invitee: Mapped[Invitee] = relationship(back_populates="tokens")


class CheckIn(db.Model):
    """One arrival per invitee; a repeated scan returns this row, never a second one."""
    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("invitee_id"),
                      Index("ix_checkins_meeting_id_client_nonce", "meeting_id", "client_nonce"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("invitees.id", ondelete="CASCADE"))
    checked_in_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    method: Mapped[CheckInMethod] = mapped_column(_enum(CheckInMethod, "checkin_method"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    client_nonce: Mapped[str | None] = mapped_column(String(64))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    undo_reason: Mapped[str | None] = mapped_column(String(300))

    invitee: Mapped[Invitee] = relationship(back_populates="checkin")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    @hybrid_property
    def present(self) -> bool:
        """The check-in stands: the person is here (it was not undone). Also a SQL condition:
        ``select(CheckIn).where(CheckIn.present)``."""
        return self.undone_at is None

    @present.inplace.expression
    @classmethod
    def _present_expression(cls):
        return cls.undone_at.is_(None)


class KienNghi(db.Model):
    """A recommendation or problem raised by a commune, answered by a Ban."""
    __tablename__ = "kien_nghi"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    content: Mapped[str] = mapped_column(Text, info={"max_length": 4000})
    assigned_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[KienNghiStatus] = mapped_column(
        _enum(KienNghiStatus, "kien_nghi_status"), default=KienNghiStatus.PENDING)
    answer: Mapped[str] = mapped_column(Text, default="", info={"max_length": 10_000})
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    # The remark (a speaker request given the floor) that answered it at the meeting.
    speaker_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("speaker_requests.id", ondelete="SET NULL", use_alter=True,
                   name="fk_kien_nghi_speaker_request"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)  # when its status last changed
    # Came in by a unit's submission link (None: typed or imported by the Văn phòng), with the
    # name the sender typed, and whether it came after the deadline (nộp muộn).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_units.id", ondelete="SET NULL"), index=True)
    submitted_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The answer the assigned Ban prepares before the meeting, and who will give it; the
    # secretary finds it on the day when marking the kiến nghị answered.
    draft_answer: Mapped[str] = mapped_column(Text, default="", server_default="", info={"max_length": 10_000})
    draft_answered_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    draft_updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    draft_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship()
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    assigned_org: Mapped[Organisation | None] = relationship(foreign_keys=[assigned_org_id])
    answered_in: Mapped[SpeakerRequest | None] = relationship(foreign_keys=[speaker_request_id])
    unit: Mapped[ReportingUnit | None] = relationship()

    @property
    def has_draft(self) -> bool:
        """Its Ban has prepared an answer."""
        return bool(self.draft_answer.strip())


class ReportingUnit(db.Model):
    """A body the plan asks for a report before the day (a Ban, the Tổ đại biểu, the Thường trực
    HĐND of a xã or phường), and, for the communes, their kiến nghị. It sends them by its own
    link (UnitLink), without an account."""
    __tablename__ = "reporting_units"
    __table_args__ = (UniqueConstraint("meeting_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    asks_report: Mapped[bool] = mapped_column(Boolean, default=True)
    asks_kien_nghi: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str] = mapped_column(String(300), default="", server_default="")  # đầu mối, as typed
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    organisation: Mapped[Organisation] = relationship()
    links: Mapped[list[UnitLink]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="UnitLink.id")

    @property
    def active_link(self) -> UnitLink | None:
        return next((t for t in reversed(self.links) if t.revoked_at is None), None)


class UnitLink(db.Model):
    """A unit's submission link token; revoked ones are kept so that opening one can say so."""
    __tablename__ = "unit_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("reporting_units.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    unit: Mapped[ReportingUnit] = relationship(back_populates="links")


class Document(db.Model):
    """A file of the meeting: a unit's report (unit_id set) or a document the Văn phòng adds.
    Attached to a programme item and published, delegates read it from their pass. A replaced or
    withdrawn file keeps its row (withdrawn_at), so that its link can say it is gone."""
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_units.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(200))       # the cleaned name it is downloaded as
    kind: Mapped[str] = mapped_column(String(10))            # "pdf" or "docx" (checked by content)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(100))    # its key in the files folder
    pdf_name: Mapped[str | None] = mapped_column(String(100))  # a Word file converted to PDF
    submitted_by: Mapped[str] = mapped_column(String(200), default="", server_default="")  # typed by a unit
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    meeting: Mapped[Meeting] = relationship()
    item: Mapped[AgendaItem | None] = relationship()
    unit: Mapped[ReportingUnit | None] = relationship()

    @property
    def readable(self) -> bool:
        """Delegates may open it: published and not withdrawn."""
        return self.published_at is not None and self.withdrawn_at is None


class DocumentOpen(db.Model):
    """A delegate opened a document from their pass (once per person, with the latest time)."""
    __tablename__ = "document_opens"
    __table_args__ = (UniqueConstraint("document_id", "invitee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("invitees.id", ondelete="CASCADE"), index=True)
    first_opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    times: Mapped[int] = mapped_column(Integer, default=1)


class SpeakerRequest(db.Model):
    """A request to speak on an item; once given the floor it is a remark.

    Waiting: neither started nor withdrawn. Speaking: started, not ended (paused while
    ``paused_at`` is set). Done: ended. The time spoken is the span from the start to the end
    (or now) less the pauses."""
    __tablename__ = "speaker_requests"
    __table_args__ = (
        # One waiting request per person per item, and one speaker at a time per item.
        Index("uq_speaker_waiting", "item_id", "invitee_id", unique=True,
              sqlite_where=text("started_at IS NULL AND withdrawn_at IS NULL"),
              postgresql_where=text("started_at IS NULL AND withdrawn_at IS NULL")),
        Index("uq_speaker_current", "item_id", unique=True,
              sqlite_where=text("started_at IS NOT NULL AND ended_at IS NULL"),
              postgresql_where=text("started_at IS NOT NULL AND ended_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("invitees.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(300), default="")
    kien_nghi_id: Mapped[int | None] = mapped_column(ForeignKey("kien_nghi.id", ondelete="SET NULL"))
    source: Mapped[SpeakerSource] = mapped_column(_enum(SpeakerSource, "speaker_source"))
    kind: Mapped[SpeakerKind] = mapped_column(_enum(SpeakerKind, "speaker_kind"), default=SpeakerKind.REMARK)
    sort_key: Mapped[int] = mapped_column(Integer)  # queue order among waiting requests
    time_limit_seconds: Mapped[int] = mapped_column(Integer)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    paused_at: Mapped[datetime | None] = mapped_column(DateTime)
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    invitee: Mapped[Invitee] = relationship()
    item: Mapped[AgendaItem] = relationship()
    kien_nghi: Mapped[KienNghi | None] = relationship(foreign_keys=[kien_nghi_id])
    remark: Mapped[Remark | None] = relationship(back_populates="speaker_request", uselist=False,
                                                cascade="all, delete-orphan")

    @property
    def waiting(self) -> bool:
        return self.started_at is None and self.withdrawn_at is None

    @property
    def speaking(self) -> bool:
        return self.started_at is not None and self.ended_at is None

    def spoken(self, now: datetime | None = None) -> int:
        """Seconds spoken until `now` (pauses not counted)."""
        if self.started_at is None:
            return 0
        end = self.ended_at or self.paused_at or now or utcnow()
        return max(0, int((end - self.started_at).total_seconds()) - (self.paused_seconds or 0))

    @property
    def counting_from(self) -> datetime | None:
        """Where a running counter of the time spoken starts (the start moved on by the pauses)."""
        if self.started_at is None:
            return None
        return self.started_at + timedelta(seconds=self.paused_seconds or 0)

    @property
    def deadline(self) -> datetime | None:
        """When a running remark reaches its time limit (moves later by every pause)."""
        if self.started_at is None:
            return None
        return self.started_at + timedelta(seconds=(self.paused_seconds or 0) + self.time_limit_seconds)


class Remark(db.Model):
    """The secretary's note of what a speaker said."""
    __tablename__ = "remarks"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_request_id: Mapped[int] = mapped_column(
        ForeignKey("speaker_requests.id", ondelete="CASCADE"), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # Bumped by every save: a save names the revision it started from, so an edit made on
    # another screen in between is never overwritten unseen.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    speaker_request: Mapped[SpeakerRequest] = relationship(back_populates="remark")


class Conclusion(db.Model):
    """The conclusion of one item, or (item_id NULL) the chair's closing conclusion."""
    __tablename__ = "conclusions"
    __table_args__ = (
        UniqueConstraint("meeting_id", "item_id"),
        # NULLs are distinct in a unique constraint: one closing conclusion needs its own index.
        Index("uq_conclusions_closing", "meeting_id", unique=True,
              sqlite_where=text("item_id IS NULL"), postgresql_where=text("item_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    tasks: Mapped[list[ConclusionTask]] = relationship(
        back_populates="conclusion", order_by="ConclusionTask.position", cascade="all, delete-orphan")


class ConclusionTask(db.Model):
    """A numbered task of the closing conclusion: a body, what to do, by when."""
    __tablename__ = "conclusion_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    conclusion_id: Mapped[int] = mapped_column(ForeignKey("conclusions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    content: Mapped[str] = mapped_column(Text, info={"max_length": 4000})
    deadline: Mapped[date | None] = mapped_column(Date)
    # Bumped by each edit; an edit or a delete names the revision its screen showed.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    conclusion: Mapped[Conclusion] = relationship(back_populates="tasks")


class AuditEntry(db.Model):
    """Who changed what, when. Written in the same transaction as the change."""
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(160))  # "user:vanphong", "invitee:12", "cli", "system"
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()
