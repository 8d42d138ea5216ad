"""A Ban prepares its answer to a kiến nghị before the meeting (services/kien_nghi.draft): every
rule with its error code, the audit log and the announcement; a Ban's account (services/users);
and the demo's prepared answers."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from meetingday import live, topics
from meetingday.extensions import db
from meetingday.models import AuditEntry, KienNghi, KienNghiStatus, Meeting, Organisation, Role, User
from meetingday.services import demo, flow, meetings, minutes, users
from meetingday.services import kien_nghi as kn

from .conftest import PASSWORD, fresh, refused

T0 = datetime(2024, 6, 27, 0, 30)
ANSWER = "Ban sẽ phối hợp với Văn phòng ban hành hướng dẫn trong tháng 7."
BY = "Ông Trần Đình Nghĩa, Trưởng Ban Pháp chế HĐND thị xã"


def org(key: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.key == key))


def of(meeting: Meeting, ban_key: str, drafted: bool) -> KienNghi:
    """A kiến nghị of the demo given to this Ban, with or without a prepared answer."""
    rows = kn.of_ban(fresh(Meeting, meeting.id), org(ban_key).id)
    return next(r for r in rows if r.has_draft == drafted)


def snapshot(kn_id: int) -> tuple:
    row = fresh(KienNghi, kn_id)
    return row.draft_answer, row.draft_answered_by, row.draft_updated_at, row.draft_revision


@pytest.fixture()
def pc(demo_meeting):
    """A kiến nghị of the demo given to Ban Pháp chế that has no prepared answer yet."""
    return of(demo_meeting, "ban_phap_che", drafted=False)


@pytest.fixture()
def pushes(monkeypatch):
    sent = []
    monkeypatch.setattr(live, "publish", lambda meeting_id, *topics_: sent.append((meeting_id, topics_)))
    return sent


def test_a_draft_is_saved_with_its_answerer_revision_audit_and_announcement(demo_meeting, pc, pushes):
    ban = org("ban_phap_che")
    row = kn.draft(demo_meeting.id, pc.id, f"  {ANSWER}\r\n\r\n\r\nKèm quy trình mẫu.  ", f"  {BY} ",
                   seen_revision="0", by_org_id=ban.id, actor="unit:7", now=T0)
    saved = fresh(KienNghi, row.id)
    assert saved.draft_answer == f"{ANSWER}\n\nKèm quy trình mẫu." and saved.draft_answered_by == BY
    assert saved.draft_updated_at == T0 and saved.draft_revision == 1 and saved.has_draft
    assert saved.status == KienNghiStatus.PENDING and saved.answer == "" and saved.answered_by == ""
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "kien_nghi.draft",
                                                       AuditEntry.entity_id == pc.id))
    assert entry.actor == "unit:7" and entry.details["revision"] == 1
    assert entry.details["before"] == {"draft_answer": "", "draft_answered_by": ""}
    assert pushes == [(demo_meeting.id, (topics.KIEN_NGHI,))]

    # Saved again from the form that showed revision 1; an empty text takes the draft back.
    kn.draft(demo_meeting.id, pc.id, "Bản sửa.", BY, seen_revision=1, by_org_id=ban.id, actor="unit:7")
    kn.draft(demo_meeting.id, pc.id, "  ", BY, seen_revision="2", by_org_id=ban.id, actor="unit:7")
    cleared = fresh(KienNghi, pc.id)
    assert (cleared.draft_answer, cleared.draft_answered_by, cleared.draft_revision) == ("", "", 3)
    assert not cleared.has_draft


def test_only_the_assigned_ban_may_draft(demo_meeting, pc):
    before = snapshot(pc.id)
    other_ban = org("ban_kinh_te_xa_hoi")
    assert refused("kien_nghi_not_yours", kn.draft, demo_meeting.id, pc.id, ANSWER, BY, seen_revision="0",
                   by_org_id=other_ban.id).status == 403
    refused("kien_nghi_not_yours", kn.draft, demo_meeting.id, pc.id, ANSWER, BY, seen_revision="0", by_org_id=None)
    kn.assign(demo_meeting.id, pc.id, "", actor="test")  # given to no one now
    refused("kien_nghi_not_yours", kn.draft, demo_meeting.id, pc.id, ANSWER, BY, seen_revision="0",
            by_org_id=org("ban_phap_che").id)
    assert snapshot(pc.id) == before


def test_an_unknown_kien_nghi_or_one_of_another_meeting_is_not_found(demo_meeting, pc):
    ban = org("ban_phap_che").id
    other = meetings.create_meeting(dict(demo.MEETING, title="Hội nghị khác"), actor="test")
    assert refused("kien_nghi_not_found", kn.draft, other.id, pc.id, ANSWER, BY, seen_revision="0",
                   by_org_id=ban).status == 404
    refused("kien_nghi_not_found", kn.draft, demo_meeting.id, 999999, ANSWER, BY, seen_revision="0", by_org_id=ban)
    refused("kien_nghi_not_found", kn.draft, demo_meeting.id, "abc", ANSWER, BY, seen_revision="0", by_org_id=ban)


def test_a_draft_saved_meanwhile_on_another_screen_is_not_overwritten_unseen(demo_meeting, pc):
    ban = org("ban_phap_che").id
    kn.draft(demo_meeting.id, pc.id, ANSWER, BY, seen_revision="0", by_org_id=ban)
    before = snapshot(pc.id)
    for seen in ("0", "", None, "x", 5):
        assert refused("stale", kn.draft, demo_meeting.id, pc.id, "Khác.", BY, seen_revision=seen,
                       by_org_id=ban).status == 409
    assert snapshot(pc.id) == before


def test_the_same_draft_sent_again_writes_nothing(demo_meeting, pc, pushes):
    ban = org("ban_phap_che").id
    kn.draft(demo_meeting.id, pc.id, ANSWER, BY, seen_revision="0", by_org_id=ban)
    before, sent, desk = snapshot(pc.id), list(pushes), fresh(Meeting, demo_meeting.id).desk_version
    audits = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "kien_nghi.draft"))
    again = kn.draft(demo_meeting.id, pc.id, f" {ANSWER} ", BY, seen_revision="0", by_org_id=ban)  # its answer was lost
    assert again.id == pc.id and snapshot(pc.id) == before and pushes == sent
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "kien_nghi.draft")) == audits
    assert fresh(Meeting, demo_meeting.id).desk_version == desk  # the desk's claim went back
    refused("stale", kn.draft, demo_meeting.id, pc.id, ANSWER, "Ông khác", seen_revision="0", by_org_id=ban)


def test_too_long_text_or_answerer_is_refused_on_its_field(demo_meeting, pc):
    ban = org("ban_phap_che").id
    e = refused("answer_too_long", kn.draft, demo_meeting.id, pc.id, "x" * (kn.MAX_DRAFT + 1), BY,
                seen_revision="0", by_org_id=ban)
    assert e.details["field"] == "answer" and "10.000" in str(e.message)
    e = refused("answered_by_too_long", kn.draft, demo_meeting.id, pc.id, ANSWER, "Ông " + "A" * 200,
                seen_revision="0", by_org_id=ban)
    assert e.details["field"] == "answered_by"
    kn.draft(demo_meeting.id, pc.id, "x" * kn.MAX_DRAFT, BY, seen_revision="0", by_org_id=ban)  # the limit itself


@pytest.mark.parametrize("settle", ["answer", "write_later", "withdraw"])
def test_once_settled_at_the_meeting_the_draft_is_closed(demo_meeting, settle):
    row = of(demo_meeting, "ban_phap_che", drafted=True)
    ban = org("ban_phap_che").id
    if settle == "answer":
        kn.answer(demo_meeting.id, row.id, "Trả lời tại hội nghị.", "Ông A", actor="test")
    else:
        getattr(kn, settle)(demo_meeting.id, row.id, actor="test")
    before = snapshot(row.id)
    e = refused("draft_closed", kn.draft, demo_meeting.id, row.id, ANSWER, BY,
                seen_revision=before[3], by_org_id=ban)
    assert e.status == 409
    assert snapshot(row.id) == before
    kn.reset(demo_meeting.id, row.id, actor="test")  # pending again: the Ban may adjust it
    kn.draft(demo_meeting.id, row.id, ANSWER, BY, seen_revision=before[3], by_org_id=ban)
    assert fresh(KienNghi, row.id).draft_answer == ANSWER


def test_closing_the_units_submissions_does_not_stop_the_bans(demo_meeting, pc):
    meeting = fresh(Meeting, demo_meeting.id)
    meeting.submissions_closed_at = T0
    db.session.commit()
    kn.draft(demo_meeting.id, pc.id, ANSWER, BY, seen_revision="0", by_org_id=org("ban_phap_che").id)
    assert fresh(KienNghi, pc.id).has_draft


def test_nothing_is_drafted_once_the_minutes_are_final(demo_meeting, pc):
    def version() -> int:
        return fresh(Meeting, demo_meeting.id).version
    flow.start_meeting(demo_meeting.id, version(), "test", now=T0)
    flow.end_meeting(demo_meeting.id, version(), "test", now=T0 + timedelta(hours=3))
    minutes.finalize(demo_meeting.id, actor="test")
    refused("minutes_final", kn.draft, demo_meeting.id, pc.id, ANSWER, BY, seen_revision="0",
            by_org_id=org("ban_phap_che").id)


# --------------------------------------------------------------------------- a Ban's account

def test_a_ban_account_names_its_ban(demo_meeting):
    user = users.create_user("banktxh", "Ban KT-XH", PASSWORD, [Role.BAN], actor="test",
                             organisation="ban kinh te - xa hoi")  # its short name, typed without diacritics
    assert fresh(User, user.id).organisation.key == "ban_kinh_te_xa_hoi"
    by_key = users.create_user("banpc2", "", PASSWORD, ["ban"], organisation="ban_phap_che")
    assert by_key.organisation.key == "ban_phap_che"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create",
                                                       AuditEntry.entity_id == user.id))
    assert entry.details["organisation"] == "Ban Kinh tế - Xã hội"


@pytest.mark.parametrize("organisation", [None, "", "Không có đơn vị này", "Xã Phổ An", "UBND thị xã"])
def test_a_ban_account_without_a_ban_is_refused(demo_meeting, organisation):
    refused("ban_required", users.create_user, "banx", "Ban X", PASSWORD, [Role.BAN], organisation=organisation)


def test_only_a_ban_account_belongs_to_an_organisation(demo_meeting):
    refused("organisation_not_for_role", users.create_user, "thuky2", "Thư ký", PASSWORD, [Role.SECRETARY],
            organisation="Ban Pháp chế")


# --------------------------------------------------------------------------- the demo

def test_the_demo_bans_have_prepared_three_answers_and_ban_phap_che_an_account(demo_meeting):
    rows = [r for r in kn.listing(fresh(Meeting, demo_meeting.id)) if r.has_draft]
    assert len(rows) == 3
    assert {r.assigned_org.key for r in rows} == {"ban_phap_che", "ban_kinh_te_xa_hoi"}
    assert all(r.draft_revision == 1 and r.draft_answered_by.startswith(("Ông ", "Bà ")) for r in rows)
    assert not any("{" in r.draft_answer for r in rows)  # dated: the meeting's year, not a placeholder
    account = db.session.scalar(select(User).where(User.username == "banphapche"))
    assert account.roles == {Role.BAN} and account.organisation.key == "ban_phap_che"
    assert account.check_password(demo.DEMO_PASSWORD)
    demo.load_demo()  # loading again changes nothing
    assert len([r for r in kn.listing(fresh(Meeting, demo_meeting.id)) if r.has_draft]) == 3
