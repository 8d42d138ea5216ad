"""Services tested directly: each rule and its error code, audit entries, the demo data."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from meetingday.errors import DomainError
from meetingday.extensions import db
from meetingday.models import (AgendaItem, AuditEntry, CheckIn, CheckInMethod, Invitee, InviteeCategory,
                               ItemKind, KienNghi, Meeting, Organisation, OrgKind, PassToken, utcnow)
from meetingday.services import agenda, closing, demo, invitees, meetings, organisations, passes, users
from meetingday.text import fold
from meetingday.timeutil import from_local

from .conftest import at_once, make_user, refused


def codes(excinfo) -> str:
    return excinfo.value.code


def audit_actions(meeting_id=None) -> list[str]:
    stmt = select(AuditEntry.action).order_by(AuditEntry.id)
    if meeting_id:
        stmt = stmt.where(AuditEntry.meeting_id == meeting_id)
    return list(db.session.scalars(stmt))


@pytest.fixture()
def meeting(app):
    return meetings.create_meeting({
        "title": "Hội nghị thử", "host_body": "Thường trực HĐND thị xã", "issuing_body": "HĐND THỊ XÃ",
        "place": "Hội trường", "starts_at": datetime(2024, 6, 27, 0, 30)}, actor="test")


# --- text -------------------------------------------------------------------------------

def test_fold_removes_diacritics_and_d_stroke():
    assert fold("  Nguyễn   Văn Đức ") == "nguyen van duc"
    assert fold("PHỔ THẠNH") == "pho thanh"
    assert fold(None) == ""


# --- meetings ---------------------------------------------------------------------------

def test_create_meeting_requires_title_and_writes_nothing(app):
    with pytest.raises(DomainError) as e:
        meetings.create_meeting({"title": " ", "host_body": "x", "issuing_body": "y", "place": "z",
                                 "starts_at": datetime(2024, 1, 1)})
    assert codes(e) == "field_required"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_create_meeting_gets_a_display_key_and_audit(meeting):
    assert len(meeting.display_key) >= 32
    assert audit_actions(meeting.id) == ["meeting.create"]


def test_update_meeting_records_changes(meeting):
    meetings.update_meeting(meeting, {"place": "Hội trường UBND thị xã Đức Phổ"}, revision=0)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "meeting.update")).one()
    assert entry.details["changes"] == {"place": "Hội trường UBND thị xã Đức Phổ"}
    assert meeting.details_revision == 1


def test_meeting_details_saved_on_another_screen_are_not_overwritten_unseen(meeting):
    meetings.update_meeting(meeting, {"place": "Hội trường A", "signer_name": "Nguyễn Văn A"}, revision=0)
    # The same values from the same form again (its answer was lost): nothing changes, accepted.
    meetings.update_meeting(meeting, {"place": "Hội trường A", "signer_name": "Nguyễn Văn A"}, revision=0)
    with pytest.raises(DomainError) as e:  # a form opened before that save
        meetings.update_meeting(meeting, {"place": "Hội trường B", "signer_name": "", "title": meeting.title},
                                revision=0)
    assert codes(e) == "meeting_conflict" and e.value.status == 409
    assert e.value.details["fields"] == ["place", "signer_name"]
    db.session.expire_all()
    assert (meeting.place, meeting.signer_name, meeting.details_revision) == ("Hội trường A", "Nguyễn Văn A", 1)
    meetings.update_meeting(meeting, {"place": "Hội trường B"}, revision="1")
    assert (meeting.place, meeting.signer_name, meeting.details_revision) == ("Hội trường B", "Nguyễn Văn A", 2)


def test_reports_due_is_never_after_the_meeting_day(meeting):
    """The xã and phường's deadline for their reports (27/6/2024 the meeting's day): on or before
    that day; a later one, or a meeting moved before its deadline, is refused and changes nothing."""
    meetings.update_meeting(meeting, {"reports_due": date(2024, 6, 15), "contact": "  Bà Lê Thị B,  0905 000 111 "},
                            revision=0)
    assert (meeting.reports_due, meeting.contact) == (date(2024, 6, 15), "Bà Lê Thị B, 0905 000 111")
    e = refused("reports_due_after_meeting", meetings.update_meeting, meeting, {"reports_due": date(2024, 6, 28)},
                revision=1)
    assert e.details["field"] == "reports_due" and "27/06/2024" in str(e.message)
    refused("reports_due_after_meeting", meetings.update_meeting, meeting,
            {"starts_at": from_local(datetime(2024, 6, 14, 7, 30))}, revision=1)
    meetings.update_meeting(meeting, {"reports_due": date(2024, 6, 27)}, revision=1)  # the day itself
    assert meeting.reports_due == date(2024, 6, 27)


def test_get_meeting_unknown(app):
    with pytest.raises(DomainError) as e:
        meetings.get_meeting(999)
    assert codes(e) == "meeting_not_found" and e.value.status == 404


# --- agenda -----------------------------------------------------------------------------

def test_add_items_in_order(meeting):
    a = agenda.add_item(meeting, "Khai mạc", "procedural", 5)
    b = agenda.add_item(meeting, "Báo cáo", ItemKind.REPORT, 30, "Phó Chủ tịch")
    assert [i.position for i in (a, b)] == [1, 2]
    assert meeting.planned_minutes == 35
    assert audit_actions(meeting.id).count("agenda.add") == 2


@pytest.mark.parametrize("title,kind,minutes,code", [
    ("", "report", 5, "item_title_required"),
    ("Mục", "speech", 5, "item_kind_invalid"),
    ("Mục", "report", 0, "item_minutes_invalid"),
    ("Mục", "report", 601, "item_minutes_invalid"),
    ("x" * 401, "report", 5, "field_too_long"),
])
def test_add_item_rules(meeting, title, kind, minutes, code):
    with pytest.raises(DomainError) as e:
        agenda.add_item(meeting, title, kind, minutes)
    assert codes(e) == code
    db.session.rollback()
    assert db.session.scalar(select(func.count(AgendaItem.id))) == 0


def test_update_move_delete(meeting):
    items = [agenda.add_item(meeting, t, "report", 10) for t in ("Một", "Hai", "Ba")]
    agenda.update_item(items[1], "Hai (sửa)", "discussion", 45, "Các xã")
    assert (items[1].title, items[1].kind, items[1].planned_minutes) == ("Hai (sửa)", ItemKind.DISCUSSION, 45)
    agenda.move_item(items[2], -1)
    db.session.expire_all()
    assert [i.title for i in meeting.items] == ["Một", "Ba", "Hai (sửa)"]
    with pytest.raises(DomainError) as e:
        agenda.move_item(meeting.items[0], -1)
    assert codes(e) == "item_move_invalid"
    agenda.delete_item(meeting.items[0])
    db.session.expire_all()
    assert [(i.position, i.title) for i in meeting.items] == [(1, "Ba"), (2, "Hai (sửa)")]
    assert {"agenda.update", "agenda.move", "agenda.delete"} <= set(audit_actions(meeting.id))


def test_started_item_cannot_be_deleted(meeting):
    item = agenda.add_item(meeting, "Khai mạc", "procedural", 5)
    item.started_at = utcnow()
    db.session.commit()
    with pytest.raises(DomainError) as e:
        agenda.delete_item(item)
    assert codes(e) == "item_started"


def test_item_of_another_meeting_is_not_found(meeting):
    other = meetings.create_meeting({"title": "Khác", "host_body": "x", "issuing_body": "y", "place": "z",
                                     "starts_at": datetime(2024, 1, 1)})
    item = agenda.add_item(other, "Mục", "report", 5)
    with pytest.raises(DomainError) as e:
        agenda.get_item(meeting, item.id)
    assert codes(e) == "item_not_found"


# --- invitees ---------------------------------------------------------------------------

def test_add_invitee_issues_a_pass(meeting):
    inv = invitees.add_invitee(meeting, full_name="Nguyễn Văn Tám", honorific="Ông", position="Đại biểu",
                               phone="0905 123 456")
    assert inv.phone == "0905123456"
    assert inv.active_token is not None and len(inv.active_token.token) >= 32
    assert audit_actions(meeting.id)[-1] == "invitee.add"


@pytest.mark.parametrize("kwargs,code", [
    (dict(full_name=""), "name_required"),
    (dict(full_name="A", phone="12345"), "phone_invalid"),
    (dict(full_name="A", honorific="Cô"), "honorific_invalid"),
    (dict(full_name="A", category="vip"), "category_invalid"),
    (dict(full_name="x" * 121), "name_too_long"),
])
def test_invitee_rules(meeting, kwargs, code):
    with pytest.raises(DomainError) as e:
        invitees.add_invitee(meeting, **kwargs)
    assert codes(e) == code
    db.session.rollback()
    assert db.session.scalar(select(func.count(Invitee.id))) == 0


def test_duplicate_invitee_in_same_unit(meeting):
    org = organisations.add_organisation("HĐND xã Phổ An", short_name="Xã Phổ An", kind=OrgKind.COMMUNE)
    invitees.add_invitee(meeting, full_name="Trần Thị Hoa", organisation=org)
    with pytest.raises(DomainError) as e:
        invitees.add_invitee(meeting, full_name="tran thi hoa", organisation=org)
    assert codes(e) == "invitee_duplicate"
    db.session.rollback()
    # the same name in another unit is another person
    invitees.add_invitee(meeting, full_name="Trần Thị Hoa")
    assert db.session.scalar(select(func.count(Invitee.id))) == 2


def test_update_invitee_hides_phone_in_audit(meeting):
    inv = invitees.add_invitee(meeting, full_name="Lê Văn Ba")
    invitees.update_invitee(inv, full_name="Lê Văn Ba", position="Chủ tịch HĐND xã", phone="0912345678",
                            category=InviteeCategory.GUEST, revision=0)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "invitee.update")).one()
    assert entry.details["changes"]["phone"] == "***"
    assert "0912345678" not in str(entry.details)
    assert inv.category == InviteeCategory.GUEST and "chu tich hdnd xa" in inv.search_text


def test_an_invitee_edited_on_another_screen_is_not_overwritten_or_removed_unseen(meeting):
    inv = invitees.add_invitee(meeting, full_name="Lê Văn Ba", phone="0912345678")
    assert inv.revision == 0
    invitees.update_invitee(inv, full_name="Lê Văn Ba", position="Chủ tịch HĐND xã", phone="0912345678",
                            revision=0, actor="a")
    assert inv.revision == 1
    # The same values again from the first screen: nothing to change, accepted.
    invitees.update_invitee(inv, full_name="Lê Văn Ba", position="Chủ tịch HĐND xã", phone="0912345678",
                            revision=0, actor="a")
    # A second screen that showed revision 0 changes the phone: refused, nothing written.
    with pytest.raises(DomainError) as e:
        invitees.update_invitee(inv, full_name="Lê Văn Ba", phone="0987654321", revision=0, actor="b")
    assert codes(e) == "invitee_conflict" and e.value.status == 409 and "Lê Văn Ba" in str(e.value.message)
    with pytest.raises(DomainError) as e:
        invitees.remove_invitee(inv, 0, actor="b")
    assert codes(e) == "invitee_conflict"
    db.session.expire_all()
    kept = db.session.get(Invitee, inv.id)
    assert (kept.position, kept.phone, kept.revision) == ("Chủ tịch HĐND xã", "0912345678", 1)
    # Having seen revision 1, it changes the phone, then removes the person.
    invitees.update_invitee(kept, full_name="Lê Văn Ba", position="Chủ tịch HĐND xã", phone="0987654321",
                            revision="1", actor="b")
    assert (kept.phone, kept.revision) == ("0987654321", 2)
    invitees.remove_invitee(kept, "2", actor="b")
    assert db.session.get(Invitee, inv.id) is None


@pytest.mark.parametrize("change", ["edit", "remove", "reissue"])
def test_a_person_deleted_on_another_screen_is_not_found_by_an_edit_or_a_pass_change(meeting, change):
    from sqlalchemy import delete
    person = invitees.add_invitee(meeting, full_name="Người bị xóa")
    # Loaded as a request loads them, before the other screen's delete commits.
    shown, _ = person.active_token.id, (person.meeting.title, person.full_name, person.checkin)
    with db.engine.begin() as other:
        other.execute(delete(PassToken).where(PassToken.invitee_id == person.id))
        other.execute(delete(Invitee).where(Invitee.id == person.id))
    with pytest.raises(DomainError) as e:
        if change == "edit":
            invitees.update_invitee(person, full_name="Tên mới", revision=0)
        elif change == "remove":
            invitees.remove_invitee(person, 0)
        else:
            passes.reissue_token(person, shown)
    assert codes(e) == "invitee_not_found" and e.value.status == 404


def test_checked_in_invitee_cannot_be_removed(meeting):
    inv = invitees.add_invitee(meeting, full_name="Võ Văn Năm")
    db.session.add(CheckIn(meeting_id=meeting.id, invitee=inv, method=CheckInMethod.DOOR_SEARCH))
    db.session.commit()
    with pytest.raises(DomainError) as e:
        invitees.remove_invitee(inv)
    assert codes(e) == "invitee_checked_in"


def test_remove_invitee(meeting):
    inv = invitees.add_invitee(meeting, full_name="Võ Văn Năm")
    invitees.remove_invitee(inv, 0)
    assert db.session.scalar(select(func.count(Invitee.id))) == 0
    assert db.session.scalar(select(func.count(PassToken.id))) == 0
    assert audit_actions(meeting.id)[-1] == "invitee.remove"


@pytest.mark.both_databases
def test_search_is_diacritics_insensitive_and_partial(demo_meeting):
    found = invitees.search(demo_meeting, "nguyen van")
    assert len(found) >= 3
    assert all("Nguyễn Văn" in p.full_name for p in found)
    assert {p.full_name for p in invitees.search(demo_meeting, "NGUYỄN văn")} == {p.full_name for p in found}
    # by position and by unit, partial words
    assert all("Phổ Khánh" in (p.position + p.unit) for p in invitees.search(demo_meeting, "pho khan"))
    assert invitees.search(demo_meeting, "truong ban phap che")
    assert invitees.search(demo_meeting, "zzzz") == []
    # LIKE wildcards are literal
    assert invitees.search(demo_meeting, "%") == []


# --- passes -----------------------------------------------------------------------------

def test_tokens_are_unique_and_random(demo_meeting):
    tokens = [t.token for t in db.session.scalars(select(PassToken))]
    assert len(tokens) == len(set(tokens)) == len(demo_meeting.invitees)
    assert all(len(t) >= 32 for t in tokens)  # 24 random bytes = 192 bits
    assert passes.TOKEN_BYTES * 8 >= 128


def test_revoke_and_reissue(demo_meeting):
    inv = demo_meeting.invitees[0]
    old = inv.active_token.token
    assert passes.find_pass(old).invitee_id == inv.id
    shown = inv.active_token.id
    with pytest.raises(DomainError) as e:
        passes.revoke_token(inv, "")  # a screen that showed no pass for this person
    assert codes(e) == "pass_changed" and e.value.status == 409
    passes.revoke_token(inv, shown)
    with pytest.raises(DomainError) as e:
        passes.find_pass(old)
    assert codes(e) == "pass_revoked" and e.value.status == 404
    with pytest.raises(DomainError) as e:
        passes.revoke_token(inv, shown)
    assert codes(e) == "pass_already_revoked"
    with pytest.raises(DomainError) as e:
        passes.reissue_token(inv, shown)  # a screen still showing the revoked pass as active
    assert codes(e) == "pass_changed"
    new = passes.reissue_token(inv, "").token
    assert new != old and passes.find_pass(new).invitee_id == inv.id
    with pytest.raises(DomainError) as e:
        passes.find_pass(old)
    assert codes(e) == "pass_revoked"
    assert {"pass.revoke", "pass.reissue"} <= set(audit_actions(demo_meeting.id))


@pytest.mark.parametrize("token", ["", "x", "a" * 65, "' OR 1=1 --"])
def test_unknown_tokens(app, token):
    with pytest.raises(DomainError) as e:
        passes.find_pass(token)
    assert codes(e) == "pass_unknown"


def test_pass_url_uses_public_base_url(app):
    with app.test_request_context():
        assert passes.pass_url("abc") == "http://hoitruong.local:5000/d/abc"


# --- users ------------------------------------------------------------------------------

def test_users(app):
    from meetingday.models import Role
    user = users.create_user("Chutri", "Võ Thanh Bình", "mat-khau-dai", ["chair", "secretary"])
    assert user.username == "chutri" and user.roles == {Role.CHAIR, Role.SECRETARY}
    assert user.password_hash != "mat-khau-dai"
    assert users.authenticate("chutri", "mat-khau-dai").id == user.id
    for args, code in [(("chutri", "x", "mat-khau-dai", ["chair"]), "username_taken"),
                       (("ab", "x", "mat-khau-dai", ["chair"]), "username_invalid"),
                       (("moi", "x", "ngan", ["chair"]), "password_too_short"),
                       (("moi", "x", "mat-khau-dai", []), "role_required"),
                       (("moi", "x", "mat-khau-dai", ["boss"]), "role_invalid")]:
        with pytest.raises(DomainError) as e:
            users.create_user(*args)
        assert codes(e) == code
    with pytest.raises(DomainError) as e:
        users.authenticate("chutri", "sai")
    assert codes(e) == "login_failed"


def test_admin_role_passes_every_check(app):
    from meetingday.models import Role
    admin = make_user("quantri", Role.ADMIN)
    door = make_user("cua", Role.DOOR)
    assert admin.has_role(Role.CHAIR) and admin.has_role(Role.DOOR)
    assert door.has_role(Role.DOOR) and not door.has_role(Role.CHAIR)


# --- the demo meeting -------------------------------------------------------------------

def test_demo_meeting_follows_the_plan(demo_meeting):
    m = demo_meeting
    assert m.title == "Hội nghị trực báo giữa năm 2024"
    assert m.place == "Hội trường UBND thị xã Đức Phổ"
    assert [i.kind.value for i in m.items] == ["procedural", "report", "report", "discussion", "break",
                                              "remarks", "conclusion"]
    assert m.items[3].title == "Thường trực HĐND các xã, phường thảo luận"
    assert 76 <= len(m.invitees) <= 84
    communes = db.session.scalars(select(Organisation).where(
        Organisation.kind.in_([OrgKind.WARD, OrgKind.COMMUNE]))).all()
    assert Counter(o.kind for o in communes) == {OrgKind.WARD: 8, OrgKind.COMMUNE: 7}
    per_org = Counter(i.organisation_id for i in m.invitees)
    assert all(2 <= per_org[o.id] <= 4 for o in communes)
    kn = db.session.scalars(select(KienNghi)).all()
    assert len(kn) >= 5 and all(k.assigned_org.key in ("ban_phap_che", "ban_kinh_te_xa_hoi") for k in kn)
    assert all(i.active_token for i in m.invitees)


def test_the_demo_is_dated_by_its_start_and_every_date_follows(app):
    assert demo.start_now(from_local(datetime(2026, 3, 2, 8, 1, 30))) == datetime(2026, 3, 2, 8, 5)
    assert demo.start_now(from_local(datetime(2026, 3, 2, 8, 55))) == datetime(2026, 3, 2, 8, 55)
    assert demo.start_now(from_local(datetime(2026, 3, 2, 23, 57))) == datetime(2026, 3, 3, 0, 0)
    m = demo.load_demo(datetime(2026, 3, 2, 8, 5))
    assert (m.starts_at, m.invitation_date) == (from_local(datetime(2026, 3, 2, 8, 5)), date(2026, 2, 23))
    assert m.reports_due == date(2026, 2, 18) and m.contact.startswith("Bà Trần Thị Ngọc Ánh")  # 12 days before
    assert m.title == "Hội nghị trực báo giữa năm 2026" and "6 tháng cuối năm 2026" in m.content
    assert "6 tháng cuối năm 2026" in m.items[2].title
    texts = " ".join(k.content for k in db.session.scalars(select(KienNghi)))
    assert "{" not in texts and "năm 2026" in texts and "cuối năm 2025" in texts and "2024" not in texts
    # A deadline a month after the meeting is no deadline before it.
    task = closing.add_task(m.id, "UBND thị xã", "Bổ sung kinh phí", date(2026, 4, 2), actor="test")
    assert task.deadline == date(2026, 4, 2)
    # Started again another day before it was held: it moves to the new day; once held, it stays.
    again = demo.load_demo(datetime(2026, 3, 9, 14, 0))
    assert (again.id, again.starts_at, again.invitation_date, again.reports_due) == (
        m.id, from_local(datetime(2026, 3, 9, 14, 0)), date(2026, 3, 2), date(2026, 2, 25))
    again.started_at = from_local(datetime(2026, 3, 9, 14, 0))
    db.session.commit()
    assert demo.load_demo(datetime(2026, 3, 10, 7, 0)).starts_at == from_local(datetime(2026, 3, 9, 14, 0))


def test_demo_loads_once(demo_meeting):
    again = demo.load_demo()
    assert again.id == demo_meeting.id
    assert db.session.scalar(select(func.count(Meeting.id))) == 1
    assert db.session.scalar(select(func.count(Invitee.id))) == len(demo_meeting.invitees)
    assert db.session.scalar(select(func.count(Organisation.id))) == 24


def test_phone_forms_are_stored_one_way():
    assert invitees.normalise_phone("+84 905 123 456") == "0905123456"
    assert invitees.normalise_phone("+84 (0) 905 222 333") == "0905222333"
    assert invitees.normalise_phone("+84 0905123456") == "0905123456"
    assert invitees.normalise_phone("0255 3822 123") == "02553822123"  # a desk phone
    assert invitees.normalise_phone("84905123456") == "0905123456"
    assert invitees.normalise_phone("905123456") == "0905123456"  # a spreadsheet lost the 0
    assert invitees.normalise_phone(" ") is None


@pytest.mark.both_databases
def test_one_closing_conclusion_per_meeting(meeting):
    from sqlalchemy.exc import IntegrityError
    from meetingday.models import Conclusion
    item = agenda.add_item(meeting, "Thảo luận", "discussion", 30)
    db.session.add_all([Conclusion(meeting_id=meeting.id, item_id=None, text="Kết luận"),
                        Conclusion(meeting_id=meeting.id, item_id=item.id, text="Kết luận mục")])
    db.session.commit()
    db.session.add(Conclusion(meeting_id=meeting.id, item_id=None, text="Kết luận thứ hai"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.both_databases
def test_foreign_keys_are_enforced_on_every_database(meeting):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError
    with pytest.raises(IntegrityError):
        db.session.execute(text("INSERT INTO agenda_items (meeting_id, position, title, kind, planned_minutes, "
                                "presenter, speaker_limit_seconds) VALUES (9999, 1, 'x', 'report', 5, '', 300)"))
        db.session.commit()
    db.session.rollback()


def test_invitation_list_leaves_out_walk_ins_substitutes_and_revoked(demo_meeting):
    people = demo_meeting.invitees
    people[0].walk_in = True
    people[1].substitute_for_id = people[2].id
    db.session.commit()
    passes.revoke_token(people[3], people[3].active_token.id)
    listed = {p.id for p in invitees.invitation_list(demo_meeting)}
    assert listed == {p.id for p in people[4:]} | {people[2].id}
    assert [p.id for p in invitees.invitation_list(demo_meeting, invitee_id=people[5].id)] == [people[5].id]


def test_started_items_keep_their_kind_and_place(meeting):
    first = agenda.add_item(meeting, "Khai mạc", "procedural", 5)
    second = agenda.add_item(meeting, "Báo cáo", "report", 30)
    first.started_at = utcnow()
    db.session.commit()
    with pytest.raises(DomainError) as e:
        agenda.update_item(first, "Khai mạc", "break", 5)
    assert codes(e) == "item_started"
    db.session.rollback()
    agenda.update_item(first, "Khai mạc hội nghị", "procedural", 7)  # title and minutes may change
    with pytest.raises(DomainError) as e:
        agenda.move_item(second, -1)
    assert codes(e) == "item_started"


# --- organisations ----------------------------------------------------------------------

@pytest.mark.parametrize("name,kind", [
    ("HĐND phường Phổ Hòa", OrgKind.WARD), ("hdnd phuong pho hoa", OrgKind.WARD),
    ("Xã Phổ An", OrgKind.COMMUNE), ("xa pho chau", OrgKind.COMMUNE),
    ("UBND thị xã Đức Phổ", OrgKind.TOWN), ("Công an thị xã", OrgKind.TOWN), ("cong an thi xa", OrgKind.TOWN),
    ("Bảo hiểm xã hội thị xã Đức Phổ", OrgKind.TOWN), ("Ban Kinh tế - Xã hội HĐND thị xã", OrgKind.TOWN),
    ("Ban Chỉ huy Quân sự địa phương", OrgKind.OTHER), ("Ngân hàng Chính sách xã hội", OrgKind.OTHER),
    ("Hợp tác xã Phổ Châu", OrgKind.OTHER), ("Trường THCS Phổ Ninh", OrgKind.OTHER),
])
def test_guess_kind(name, kind):
    assert organisations.guess_kind(name) == kind


def test_organisations_add_rename_remove(demo_meeting):
    org = organisations.add_organisation("Công an thị xã Đức Phổ", short_name="Công an thị xã", kind="town")
    assert org.group.key == "town"
    with pytest.raises(DomainError) as e:
        organisations.add_organisation("cong an thi xa")
    assert codes(e) == "org_duplicate"
    db.session.rollback()
    person = invitees.add_invitee(demo_meeting, full_name="Phan Văn Mạnh", organisation=org)
    organisations.update_organisation(org, name="Công an thị xã Đức Phổ", short_name="CA thị xã", kind="town")
    assert [p.id for p in invitees.search(demo_meeting, "ca thi xa")] == [person.id]
    with pytest.raises(DomainError) as e:
        organisations.remove_organisation(org)
    assert codes(e) == "org_in_use"
    db.session.rollback()
    invitees.remove_invitee(person, 0)
    from meetingday.models import Conclusion, ConclusionTask
    closing = Conclusion(meeting_id=demo_meeting.id, item_id=None, text="Kết luận")
    closing.tasks.append(ConclusionTask(position=1, body="Công an thị xã", organisation_id=org.id, content="Phối hợp"))
    db.session.add(closing)
    db.session.commit()
    with pytest.raises(DomainError) as e:  # named in a task of the conclusion
        organisations.remove_organisation(org)
    assert codes(e) == "org_in_use"
    db.session.rollback()
    db.session.delete(closing)
    db.session.commit()
    organisations.remove_organisation(org)
    assert "organisation.remove" in audit_actions()


def test_a_new_unit_from_an_import_lands_in_its_group(app):
    org = organisations.add_organisation("HĐND phường Trần Phú")
    assert (org.kind, org.group.key, org.group.name) == (OrgKind.WARD, "ward", "Phường")


@pytest.mark.both_databases
def test_parallel_adds_to_one_meeting_never_collide(app, meeting):
    """Ten programme items and ten copies of one invitee added at once: ten positions, one person."""
    meeting_id = meeting.id

    def work(n):
        m = meetings.get_meeting(meeting_id)
        agenda.add_item(m, f"Mục {n}", "report", 5)
        try:
            invitees.add_invitee(m, full_name="Trần Văn Song")
        except DomainError as e:
            assert e.code == "invitee_duplicate"

    at_once(app, 10, work)
    db.session.expire_all()
    positions = sorted(db.session.scalars(select(AgendaItem.position).where(AgendaItem.meeting_id == meeting_id)))
    assert positions == list(range(1, 11))
    assert db.session.scalar(select(func.count(Invitee.id)).where(Invitee.full_name == "Trần Văn Song")) == 1
