"""The kiến nghị services: add, edit, give to a Ban, answer at the meeting (with the remark it was
answered in), answer in writing later, withdraw, set back to pending, delete; every rule with its
error code, the audit log, the desk's lock once the minutes are final, parallel answers (on SQLite
and PostgreSQL); and the import from .xlsx and .csv (preview, per-row errors, confirm)."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import current_app
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.models import (
    AuditEntry,
    Invitee,
    KienNghi,
    KienNghiStatus,
    Meeting,
    Organisation,
    SpeakerKind,
    SpeakerRequest,
)
from meetingday.services import (
    agenda,
    demo,
    flow,
    invitees,
    meetings,
    minutes,
    speaker_queue,
    speakers,
)
from meetingday.services import kien_nghi as kn
from meetingday.services import kien_nghi_import as kni

from .conftest import at_once, fresh, refused
from .speakerhall import commune_delegates, open_discussion

T0 = datetime(2024, 6, 27, 0, 30)
CONTENT = "Đề nghị bổ sung kinh phí hoạt động cho HĐND cấp xã."


# --------------------------------------------------------------------------- helpers

def org(key: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.key == key))


def audit(meeting_id: int, action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.meeting_id == meeting_id, AuditEntry.action == action).order_by(AuditEntry.id)))


def count_kn(meeting_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(KienNghi).where(KienNghi.meeting_id == meeting_id))


def snapshot(kn_id: int) -> tuple:
    row = fresh(KienNghi, kn_id)
    return (row.status, row.content, row.organisation_id, row.assigned_org_id, row.answer, row.answered_by,
            row.speaker_request_id, row.answered_at)


@pytest.fixture()
def hall(demo_meeting):
    """The demo meeting under way at its discussion item: two delegates of two communes and the
    head of Ban Pháp chế present, and a kiến nghị of the first commune given to Ban Pháp chế."""
    people = commune_delegates(demo_meeting, 2)
    ban_head = next(p for p in demo_meeting.invitees if p.organisation and p.organisation.key == "ban_phap_che")
    item = open_discussion(demo_meeting, people + [ban_head], started=T0, reached=T0 + timedelta(minutes=40))
    row = kn.add(demo_meeting.id, people[0].organisation_id, CONTENT, org("ban_phap_che").id, actor="test")
    return SimpleNamespace(meeting=fresh(Meeting, demo_meeting.id), item_id=item.id, people=people, ban=ban_head,
                           kn=row.id, commune=people[0].organisation_id)


def speak(hall, person: Invitee, *, kien_nghi_id=None, kind=SpeakerKind.REMARK, minute: int = 45) -> int:
    """Add `person` to the line and give them the floor; returns the request (now a remark)."""
    request = speakers.add_speaker(hall.meeting.id, hall.item_id, person.id, kind=kind, kien_nghi_id=kien_nghi_id,
                                   actor="test")
    current = speaker_queue.current_speaker(fresh(Meeting, hall.meeting.id))
    speakers.give_floor(hall.meeting.id, request.id, current.id if current else "", actor="test",
                        now=T0 + timedelta(minutes=minute))
    return request.id


def end_meeting(meeting_id: int) -> None:
    flow.end_meeting(meeting_id, fresh(Meeting, meeting_id).version, "test", now=T0 + timedelta(hours=3))


# --------------------------------------------------------------------------- add and edit

def test_a_kien_nghi_is_added_cleaned_pending_and_audited(hall):
    commune = hall.people[1].organisation_id
    row = kn.add(hall.meeting.id, str(commune), "  Đề nghị   hỗ trợ\r\n\r\n\r\nkinh phí  ", "", actor="test")
    row = fresh(KienNghi, row.id)
    assert row.status == KienNghiStatus.PENDING and row.assigned_org_id is None
    assert row.content == "Đề nghị hỗ trợ\n\nkinh phí"
    # Decomposed Vietnamese letters (a Mac's clipboard) are stored composed.
    decomposed = "Đề nghị hỗ trợ".replace("ề", "e\u0302\u0300")
    assert kn.add(hall.meeting.id, commune, decomposed, actor="test").content == "Đề nghị hỗ trợ"
    entries = audit(hall.meeting.id, "kien_nghi.add")
    assert [e.entity_id for e in entries][-2] == row.id and entries[-2].actor == "test"
    assert entries[-2].details["content"] == "Đề nghị hỗ trợ\n\nkinh phí"


def test_the_same_kien_nghi_sent_twice_is_added_once(hall):
    before = count_kn(hall.meeting.id)
    kn.add(hall.meeting.id, hall.commune, "Đề nghị hướng dẫn thủ tục giám sát", actor="test")
    refused("kien_nghi_duplicate", kn.add, hall.meeting.id, hall.commune, " Đề nghị hướng dẫn thủ tục giám sát ",
            actor="test")
    assert count_kn(hall.meeting.id) == before + 1


@pytest.mark.parametrize("content, code", [("", "content_required"), ("  \n\t ", "content_required"),
                                           ("x" * (kn.MAX_CONTENT + 1), "content_too_long")])
def test_the_content_is_required_and_not_too_long(hall, content, code):
    before, version = count_kn(hall.meeting.id), fresh(Meeting, hall.meeting.id).desk_version
    error = refused(code, kn.add, hall.meeting.id, hall.commune, content)
    assert error.details["field"] == "content" and error.status == 400
    assert count_kn(hall.meeting.id) == before
    assert fresh(Meeting, hall.meeting.id).desk_version == version  # refused before anything was written
    assert kn.add(hall.meeting.id, hall.commune, "x" * kn.MAX_CONTENT).content == "x" * kn.MAX_CONTENT


@pytest.mark.parametrize("key", ["ubnd", "ban_phap_che", None, "garbage"])
def test_only_a_xa_or_phuong_raises_a_kien_nghi(hall, key):
    value = {"ubnd": lambda: org("ubnd").id, "ban_phap_che": lambda: org("ban_phap_che").id,
             None: lambda: "", "garbage": lambda: "12abc"}[key]()
    error = refused("commune_invalid", kn.add, hall.meeting.id, value, CONTENT)
    assert error.details["field"] == "organisation_id"
    assert "xã, phường" in str(error.message)


def test_a_kien_nghi_goes_to_a_town_body_never_to_a_commune(hall):
    refused("assignee_invalid", kn.add, hall.meeting.id, hall.commune, CONTENT, hall.people[1].organisation_id)
    refused("assignee_invalid", kn.add, hall.meeting.id, hall.commune, CONTENT, 999999)
    row = kn.add(hall.meeting.id, hall.commune, CONTENT + " (Thường trực)", org("thuong_truc_hdnd").id)  # not a Ban, but a town body
    assert row.assigned_org_id == org("thuong_truc_hdnd").id
    names = [o.key for o in kn.assignees()]
    assert names[:2] == ["ban_phap_che", "ban_kinh_te_xa_hoi"] and "ubnd" in names  # the Ban first
    assert all(o.kind.value in ("ward", "commune") for o in kn.communes()) and len(kn.communes()) == 15


def test_editing_changes_content_commune_and_ban_while_pending_only(hall):
    row = fresh(KienNghi, hall.kn)
    other = hall.people[1].organisation_id
    kn.update(hall.meeting.id, row.id, other, "Nội dung đã sửa.", org("ban_kinh_te_xa_hoi").id,
              seen=kn.edit_token(row), actor="test")
    row = fresh(KienNghi, hall.kn)
    assert (row.organisation_id, row.content, row.assigned_org.key) == (other, "Nội dung đã sửa.", "ban_kinh_te_xa_hoi")
    entry = audit(hall.meeting.id, "kien_nghi.update")[-1]
    assert entry.details["before"]["content"] == CONTENT and entry.details["content"] == "Nội dung đã sửa."
    # A form drawn before that edit is refused: the edit it would overwrite was not seen.
    refused("stale", kn.update, hall.meeting.id, row.id, other, "Bản cũ", None, seen="12345")
    refused("content_required", kn.update, hall.meeting.id, row.id, other, " ", None)
    kn.withdraw(hall.meeting.id, row.id, actor="test")
    error = refused("kien_nghi_not_pending", kn.update, hall.meeting.id, row.id, other, "Sửa sau khi rút", None)
    assert error.status == 409 and "Đã rút" in str(error.message)
    assert fresh(KienNghi, hall.kn).content == "Nội dung đã sửa."


def test_the_commune_stays_once_someone_asked_to_speak_to_it(hall):
    speakers.add_speaker(hall.meeting.id, hall.item_id, hall.people[0].id, kien_nghi_id=hall.kn, actor="test")
    refused("kien_nghi_in_use", kn.update, hall.meeting.id, hall.kn, hall.people[1].organisation_id, CONTENT, None)
    kn.update(hall.meeting.id, hall.kn, hall.commune, CONTENT + " Bổ sung.", None)  # same commune: fine
    assert fresh(KienNghi, hall.kn).content.endswith("Bổ sung.")


def test_the_ban_can_change_until_the_kien_nghi_is_answered_or_withdrawn(hall):
    kn.assign(hall.meeting.id, hall.kn, org("ban_kinh_te_xa_hoi").id, actor="test")
    assert fresh(KienNghi, hall.kn).assigned_org.key == "ban_kinh_te_xa_hoi"
    kn.write_later(hall.meeting.id, hall.kn)
    kn.assign(hall.meeting.id, hall.kn, org("ban_phap_che").id)  # who writes the answer
    assert fresh(KienNghi, hall.kn).assigned_org.key == "ban_phap_che"
    kn.assign(hall.meeting.id, hall.kn, "")
    assert fresh(KienNghi, hall.kn).assigned_org_id is None
    refused("assignee_invalid", kn.assign, hall.meeting.id, hall.kn, hall.commune)
    kn.reset(hall.meeting.id, hall.kn)
    kn.answer(hall.meeting.id, hall.kn, "Đã trả lời.", "Trưởng Ban Pháp chế")
    error = refused("kien_nghi_closed", kn.assign, hall.meeting.id, hall.kn, org("ban_phap_che").id)
    assert error.status == 409
    assert [e.details["assigned"] for e in audit(hall.meeting.id, "kien_nghi.assign")] == \
        ["Ban Kinh tế - Xã hội", "Ban Pháp chế", None]


# --------------------------------------------------------------------------- answering

def test_an_answer_at_the_meeting_names_the_remark_and_defaults_to_its_speaker(hall):
    remark = speak(hall, hall.ban, kien_nghi_id=hall.kn, kind=SpeakerKind.ANSWER)
    row = fresh(KienNghi, hall.kn)
    now = T0 + timedelta(minutes=47)
    kn.answer(hall.meeting.id, hall.kn, "Ban sẽ phối hợp hướng dẫn trong quý III.", "", remark,
              seen=kn.state_token(row), actor="test", now=now)
    row = fresh(KienNghi, hall.kn)
    assert row.status == KienNghiStatus.ANSWERED and row.answer == "Ban sẽ phối hợp hướng dẫn trong quý III."
    assert row.answered_by == f"{hall.ban.full_name}, {hall.ban.position}"
    assert row.answered_in.id == remark and row.answered_at == now
    entry = audit(hall.meeting.id, "kien_nghi.answer")[-1]
    assert entry.entity == "kien_nghi" and entry.entity_id == hall.kn and entry.details["speaker_request_id"] == remark


def test_without_a_remark_the_answer_is_the_bans_and_someone_must_be_named(hall):
    kn.answer(hall.meeting.id, hall.kn, "Trả lời chung.", actor="test")
    assert fresh(KienNghi, hall.kn).answered_by == "Ban Pháp chế HĐND thị xã"
    loose = kn.add(hall.meeting.id, hall.commune, "Kiến nghị chưa giao cho Ban nào.")
    error = refused("answered_by_required", kn.answer, hall.meeting.id, loose.id, "Trả lời.")
    assert error.details["field"] == "answered_by"
    kn.answer(hall.meeting.id, loose.id, "Trả lời.", "  Phó Chủ tịch   HĐND thị xã ")
    assert fresh(KienNghi, loose.id).answered_by == "Phó Chủ tịch HĐND thị xã"


def test_an_answer_needs_text_and_a_short_name(hall):
    before = snapshot(hall.kn)
    assert refused("answer_required", kn.answer, hall.meeting.id, hall.kn, " \n ").details["field"] == "answer"
    refused("answer_too_long", kn.answer, hall.meeting.id, hall.kn, "x" * (kn.MAX_ANSWER + 1))
    refused("answered_by_too_long", kn.answer, hall.meeting.id, hall.kn, "Trả lời.", "x" * 201)
    assert snapshot(hall.kn) == before


def test_the_remark_must_have_been_given_the_floor_in_this_meeting(hall):
    waiting = speakers.add_speaker(hall.meeting.id, hall.item_id, hall.people[1].id, actor="test")
    error = refused("remark_invalid", kn.answer, hall.meeting.id, hall.kn, "Trả lời.", "", waiting.id)
    assert error.details["field"] == "speaker_request_id"
    refused("remark_invalid", kn.answer, hall.meeting.id, hall.kn, "Trả lời.", "", 999999)
    refused("remark_invalid", kn.answer, hall.meeting.id, hall.kn, "Trả lời.", "", "abc")
    refused("remark_invalid", kn.answer, hall.meeting.id, hall.kn, "Trả lời.", "", foreign_remark(hall))
    assert fresh(KienNghi, hall.kn).status == KienNghiStatus.PENDING


def foreign_remark(hall) -> int:
    """A remark given the floor in another meeting (under way at its own discussion item)."""
    other = meetings.create_meeting(dict(demo.MEETING, title="Hội nghị khác"), actor="test")
    agenda.add_item(other, "Khai mạc", "procedural", 5, "", actor="test")
    agenda.add_item(other, "Thảo luận", "discussion", 30, "", actor="test")
    person = hall.people[1]
    guest = invitees.create(other, invitees.validate(person.full_name, person.honorific, person.position,
                                                     person.category, None), person.organisation)
    db.session.commit()
    item = open_discussion(other, [guest])
    request = speakers.add_speaker(other.id, item.id, guest.id, actor="test")
    speakers.give_floor(other.id, request.id, "", actor="test")
    assert fresh(SpeakerRequest, request.id).started_at is not None
    return request.id


def test_answering_again_corrects_the_answer_and_keeps_the_first_in_the_audit(hall):
    kn.answer(hall.meeting.id, hall.kn, "Trả lời lần đầu.", "Ông A")
    token = kn.state_token(fresh(KienNghi, hall.kn))
    kn.answer(hall.meeting.id, hall.kn, "Trả lời đã sửa.", "Ông B", seen=token,
              now=T0 + timedelta(minutes=80))
    assert (fresh(KienNghi, hall.kn).answer, fresh(KienNghi, hall.kn).answered_by) == ("Trả lời đã sửa.", "Ông B")
    assert audit(hall.meeting.id, "kien_nghi.answer")[-1].details["before"]["answer"] == "Trả lời lần đầu."
    # A screen that saw the first answer (or the kiến nghị still pending) cannot overwrite it unseen.
    refused("stale", kn.answer, hall.meeting.id, hall.kn, "Bản khác.", "Ông C", seen=token)
    refused("stale", kn.answer, hall.meeting.id, hall.kn, "Bản khác.", "Ông C", seen="pending.0")
    assert fresh(KienNghi, hall.kn).answer == "Trả lời đã sửa."


@pytest.mark.parametrize("mark, status", [(kn.write_later, KienNghiStatus.WRITTEN_LATER),
                                          (kn.withdraw, KienNghiStatus.WITHDRAWN)])
def test_written_later_and_withdrawn_come_from_pending_only(hall, mark, status):
    token = kn.state_token(fresh(KienNghi, hall.kn))
    mark(hall.meeting.id, hall.kn, seen=token, actor="test", now=T0 + timedelta(minutes=50))
    row = fresh(KienNghi, hall.kn)
    assert row.status == status and row.answered_at == T0 + timedelta(minutes=50) and row.answer == ""
    # A doubled tap, or the other mark: refused with the state it is in.
    error = refused("kien_nghi_not_pending", mark, hall.meeting.id, hall.kn, seen=token)
    assert error.status == 409 and str(kn.STATUS_LABELS[status]) in str(error.message)
    refused("kien_nghi_not_pending", kn.answer, hall.meeting.id, hall.kn, "Trả lời.", "Ông A")
    other = kn.withdraw if mark is kn.write_later else kn.write_later
    refused("kien_nghi_not_pending", other, hall.meeting.id, hall.kn)
    assert fresh(KienNghi, hall.kn).status == status
    action = "kien_nghi.write_later" if status == KienNghiStatus.WRITTEN_LATER else "kien_nghi.withdraw"
    assert len(audit(hall.meeting.id, action)) == 1


def test_reset_brings_any_state_back_to_pending_and_the_answer_stays_in_the_audit(hall):
    remark = speak(hall, hall.ban, kien_nghi_id=hall.kn)
    kn.answer(hall.meeting.id, hall.kn, "Ban đã trả lời.", "", remark, now=T0 + timedelta(minutes=46))
    token = kn.state_token(fresh(KienNghi, hall.kn))
    kn.reset(hall.meeting.id, hall.kn, seen=token, actor="test")
    row = fresh(KienNghi, hall.kn)
    assert (row.status, row.answer, row.answered_by, row.speaker_request_id, row.answered_at) == \
        (KienNghiStatus.PENDING, "", "", None, None)
    before = audit(hall.meeting.id, "kien_nghi.reset")[-1].details["before"]
    assert before["status"] == "answered" and before["answer"] == "Ban đã trả lời."
    assert before["speaker_request_id"] == remark and before["answered_by"].startswith(hall.ban.full_name)
    # Pending already: nothing to reset (a doubled tap); a reset that saw another state: stale.
    assert refused("kien_nghi_pending", kn.reset, hall.meeting.id, hall.kn).status == 409
    kn.write_later(hall.meeting.id, hall.kn)
    refused("stale", kn.reset, hall.meeting.id, hall.kn, seen=token)
    kn.reset(hall.meeting.id, hall.kn, seen=kn.state_token(fresh(KienNghi, hall.kn)))
    kn.withdraw(hall.meeting.id, hall.kn)
    kn.reset(hall.meeting.id, hall.kn)
    assert [e.details["before"]["status"] for e in audit(hall.meeting.id, "kien_nghi.reset")] == \
        ["answered", "written_later", "withdrawn"]


@pytest.mark.both_databases
def test_parallel_answers_from_one_screen_state_keep_exactly_one(hall):
    token = kn.state_token(fresh(KienNghi, hall.kn))

    def run(n: int) -> str:
        if n % 2:
            kn.withdraw(hall.meeting.id, hall.kn, seen=token, actor="test")
        else:
            kn.answer(hall.meeting.id, hall.kn, f"Trả lời số {n}.", "Ông A", seen=token, actor="test")
        return "done"

    results = at_once(current_app._get_current_object(), 6, run)
    assert results.count("done") == 1 and len(results) == 6
    assert set(results) - {"done"} <= {"stale", "kien_nghi_not_pending"}
    changes = audit(hall.meeting.id, "kien_nghi.answer") + audit(hall.meeting.id, "kien_nghi.withdraw")
    assert len(changes) == 1


# --------------------------------------------------------------------------- delete

def test_a_pending_kien_nghi_is_deleted_and_a_waiting_request_loses_its_link(hall):
    request = speakers.add_speaker(hall.meeting.id, hall.item_id, hall.people[0].id, kien_nghi_id=hall.kn,
                                   actor="test")
    kn.delete(hall.meeting.id, hall.kn, seen=kn.edit_token(fresh(KienNghi, hall.kn)), actor="test")
    assert fresh(KienNghi, hall.kn) is None
    assert fresh(SpeakerRequest, request.id).kien_nghi_id is None and fresh(SpeakerRequest, request.id).waiting
    entry = audit(hall.meeting.id, "kien_nghi.delete")[-1]
    assert entry.entity_id == hall.kn and entry.details["content"] == CONTENT
    assert entry.details["unlinked_requests"] == [request.id]
    assert refused("kien_nghi_not_found", kn.delete, hall.meeting.id, hall.kn).status == 404


def test_what_was_spoken_to_or_answered_is_not_deleted(hall):
    speak(hall, hall.people[0], kien_nghi_id=hall.kn)
    error = refused("kien_nghi_in_use", kn.delete, hall.meeting.id, hall.kn)
    assert error.status == 409 and "Rút" in str(error.message)
    other = kn.add(hall.meeting.id, hall.commune, "Kiến nghị thứ hai.", org("ban_phap_che").id)
    kn.answer(hall.meeting.id, other.id, "Trả lời.")
    refused("kien_nghi_not_pending", kn.delete, hall.meeting.id, other.id)
    refused("stale", kn.delete, hall.meeting.id, hall.kn, seen="1")
    assert count_kn(hall.meeting.id) == 10  # 8 of the demo and these two


# --------------------------------------------------------------------------- reading

def test_the_remarks_offered_put_this_kien_nghi_first_then_the_ban_then_the_rest(hall):
    plain = speak(hall, hall.people[1], minute=42)
    by_ban = speak(hall, hall.ban, minute=44)
    about = speak(hall, hall.people[0], kien_nghi_id=hall.kn, minute=46)
    choice = kn.remark_choice(hall.meeting, fresh(KienNghi, hall.kn))
    assert ([r.id for r in choice.about], [r.id for r in choice.by_ban], [r.id for r in choice.others]) == \
        ([about], [by_ban], [plain])
    assert choice.selected == about
    kn.answer(hall.meeting.id, hall.kn, "Trả lời.", "", by_ban)
    assert kn.remark_choice(hall.meeting, fresh(KienNghi, hall.kn)).selected == by_ban  # what it was answered in
    assert [r.id for r in kn.given_floor(hall.meeting)] == [about, by_ban, plain]  # the latest first


def test_the_list_goes_by_commune_and_counts_each_status(hall):
    rows = kn.listing(hall.meeting)
    assert len(rows) == 9
    positions = [(r.organisation.group.position, r.organisation.position) for r in rows]
    assert positions == sorted(positions)
    kn.answer(hall.meeting.id, rows[0].id, "Trả lời.", "Ông A")
    kn.write_later(hall.meeting.id, rows[1].id)
    kn.withdraw(hall.meeting.id, rows[2].id)
    c = kn.counts(kn.listing(fresh(Meeting, hall.meeting.id)))
    assert (c.total, c[KienNghiStatus.PENDING], c[KienNghiStatus.ANSWERED], c[KienNghiStatus.WRITTEN_LATER],
            c[KienNghiStatus.WITHDRAWN]) == (9, 6, 1, 1, 1)


def test_another_meetings_kien_nghi_is_not_found_here(hall):
    other = meetings.create_meeting(dict(demo.MEETING, title="Hội nghị khác"), actor="test")
    for call, args in ((kn.answer, ("Trả lời.", "Ông A")), (kn.withdraw, ()), (kn.reset, ()), (kn.delete, ()),
                       (kn.assign, ("",)), (kn.update, (hall.commune, CONTENT))):
        assert refused("kien_nghi_not_found", call, other.id, hall.kn, *args).status == 404
    refused("kien_nghi_not_found", kn.withdraw, hall.meeting.id, "abc")
    assert refused("meeting_not_found", kn.add, 999999, hall.commune, CONTENT).status == 404
    assert fresh(KienNghi, hall.kn).status == KienNghiStatus.PENDING


def test_nothing_changes_once_the_minutes_are_final(hall):
    end_meeting(hall.meeting.id)
    minutes.finalize(hall.meeting.id, actor="test")
    before, total = snapshot(hall.kn), count_kn(hall.meeting.id)
    for call, args in ((kn.add, (hall.commune, CONTENT)), (kn.answer, (hall.kn, "Trả lời.", "Ông A")),
                       (kn.write_later, (hall.kn,)), (kn.withdraw, (hall.kn,)), (kn.delete, (hall.kn,)),
                       (kn.assign, (hall.kn, "")), (kn.update, (hall.kn, hall.commune, "Sửa."))):
        assert refused("minutes_final", call, hall.meeting.id, *args).status == 409
    assert snapshot(hall.kn) == before and count_kn(hall.meeting.id) == total
    minutes.reopen(hall.meeting.id, "Bổ sung câu trả lời.", actor="test")
    kn.answer(hall.meeting.id, hall.kn, "Trả lời sau khi mở lại.", "Ông A")  # after the meeting, before final
    assert fresh(KienNghi, hall.kn).status == KienNghiStatus.ANSWERED


# --------------------------------------------------------------------------- import

def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], delimiter: str = ";", bom: bool = True) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


GOOD_ROWS = [
    ["Phổ Khánh", "Đề nghị tập huấn kỹ năng chất vấn cho đại biểu HĐND xã.", "Pháp chế"],
    ["xã Phổ An", "Đề nghị hướng dẫn lập báo cáo giám sát.", "Ban Pháp chế HĐND thị xã"],
    ["HĐND phường Phổ Vinh", "Đề nghị hỗ trợ kinh phí tiếp xúc cử tri.", "ban kinh te - xa hoi"],
    ["phuong pho thanh", "Đề nghị hướng dẫn chế độ cho đại biểu kiêm nhiệm.", ""],
]


def test_an_xlsx_with_a_title_above_the_header_previews_every_row_and_finds_each_unit(hall):
    data = xlsx([["DANH SÁCH KIẾN NGHỊ CỦA CÁC XÃ, PHƯỜNG"], [],
                 ["STT", "Đơn vị", "Nội dung kiến nghị", "Giao cho"],
                 *[[n, *row] for n, row in enumerate(GOOD_ROWS, start=1)]])
    result = kni.preview(hall.meeting, "kien-nghi.xlsx", data)
    assert [r.ok for r in result.rows] == [True] * 4 and [r.number for r in result.rows] == [4, 5, 6, 7]
    assert [r.values["organisation_name"] for r in result.rows] == \
        ["Xã Phổ Khánh", "Xã Phổ An", "Phường Phổ Vinh", "Phường Phổ Thạnh"]
    assert [r.values.get("assigned_name") for r in result.rows] == \
        ["Ban Pháp chế", "Ban Pháp chế", "Ban Kinh tế - Xã hội", None]
    total = count_kn(hall.meeting.id)
    assert count_kn(hall.meeting.id) == total  # a preview writes nothing

    added, skipped = kni.apply(hall.meeting.id, kni.sign(hall.meeting, result), only_valid=False, actor="test")
    assert (added, skipped) == (4, [])
    new = db.session.scalars(select(KienNghi).where(KienNghi.meeting_id == hall.meeting.id)
                             .order_by(KienNghi.id.desc()).limit(4)).all()[::-1]
    assert [(k.organisation.key, k.assigned_org.key if k.assigned_org else None, k.status) for k in new] == [
        ("xa_pho_khanh", "ban_phap_che", KienNghiStatus.PENDING), ("xa_pho_an", "ban_phap_che", KienNghiStatus.PENDING),
        ("phuong_pho_vinh", "ban_kinh_te_xa_hoi", KienNghiStatus.PENDING), ("phuong_pho_thanh", None, KienNghiStatus.PENDING)]
    entry = audit(hall.meeting.id, "kien_nghi.import")[-1]
    assert entry.entity == "meeting" and entry.details["added"] == 4 and entry.details["filename"] == "kien-nghi.xlsx"


def test_every_bad_row_is_reported_and_nothing_is_written_unless_only_the_valid_ones_are_asked_for(hall):
    existing = fresh(KienNghi, hall.kn)
    rows = [["Đơn vị", "Nội dung", "Ban"],
            ["Phổ Khánh", "Đề nghị một.", ""],                      # 2 ok
            ["Phổ Hưng", "Đề nghị hai.", ""],                       # 3 unknown unit
            ["UBND thị xã", "Đề nghị ba.", ""],                     # 4 a town body is not a commune
            ["Phổ An", "", ""],                                     # 5 no content
            ["Phổ An", "Đề nghị bốn.", "Ban Tuyên giáo"],           # 6 unknown Ban
            ["phổ khánh", "Đề  nghị một.", ""],                     # 7 the same as row 2
            [existing.organisation.short_name, existing.content, ""],  # 8 already in the meeting
            ["", "Đề nghị không rõ đơn vị.", ""],                  # 9 no unit
            ["Phổ Khánh", "Đề nghị mốt.", ""]]                      # 10 other words than row 2 (a tone apart)
    result = kni.preview(hall.meeting, "loi.csv", csv_bytes(rows))
    report = {r.number: [str(m) for m in r.errors] for r in result.rows}
    assert report[2] == []
    assert report[3] == ["Không có xã, phường “Phổ Hưng” trong danh mục đơn vị."]
    assert report[4] == ["Không có xã, phường “UBND thị xã” trong danh mục đơn vị."]
    assert report[5] == ["Hãy ghi nội dung kiến nghị."]
    assert report[6] == ["Không có Ban hoặc cơ quan cấp thị xã “Ban Tuyên giáo” trong danh mục đơn vị."]
    assert report[7] == ["Trùng với dòng 2 trong tệp."]
    assert report[8] == ["Kiến nghị này đã có trong danh sách."]
    assert report[9] == ["Thiếu đơn vị (xã, phường)."]
    assert report[10] == []
    blob = kni.sign(hall.meeting, result)
    total = count_kn(hall.meeting.id)
    error = refused("import_has_errors", kni.apply, hall.meeting.id, blob, only_valid=False)
    assert error.status == 422 and "7 dòng lỗi" in str(error.message)
    assert count_kn(hall.meeting.id) == total
    added, skipped = kni.apply(hall.meeting.id, blob, only_valid=True, actor="test")
    assert added == 2 and [r.number for r in skipped] == [3, 4, 5, 6, 7, 8, 9]
    assert count_kn(hall.meeting.id) == total + 2
    # Confirmed twice (a doubled tap): the row is now a duplicate, nothing more is written.
    refused("import_empty", kni.apply, hall.meeting.id, blob, only_valid=True)
    assert count_kn(hall.meeting.id) == total + 2


def test_a_csv_with_commas_and_no_bom_and_english_headings_is_read(hall):
    data = csv_bytes([["Commune", "Content", "Assigned to"], ["Phổ Cường", "Đề nghị, có dấu phẩy.", "Pháp chế"]],
                     delimiter=",", bom=False)
    result = kni.preview(hall.meeting, "kn.CSV", data)
    assert [r.ok for r in result.rows] == [True] and result.rows[0].values["content"] == "Đề nghị, có dấu phẩy."


@pytest.mark.parametrize("filename, data, words", [
    ("kn.xlsx", b"not a zip", "Không đọc được tệp Excel"),
    ("kn.pdf", b"%PDF", "Chỉ nhận tệp .xlsx hoặc .csv."),
    ("kn.csv", b"", "Tệp trống."),
    ("kn.csv", "Họ và tên;Chức vụ\nA;B\n".encode(), "Không tìm thấy dòng tiêu đề có hai cột “Đơn vị” và “Nội dung”"),
    ("kn.csv", "Đơn vị;Nội dung\n".encode(), "Tệp chỉ có dòng tiêu đề"),
    ("kn.csv", "Đơn vị;Nội dung\nPhổ An;Đề nghị\n".encode("utf-16"), "UTF-8"),
])
def test_a_file_that_cannot_be_read_says_why(hall, filename, data, words):
    error = refused("import_file_invalid", kni.preview, hall.meeting, filename, data)
    assert error.status == 422 and words in str(error.message)


def test_a_forged_or_foreign_preview_is_refused(hall):
    result = kni.preview(hall.meeting, "kn.csv", csv_bytes([["Đơn vị", "Nội dung"], ["Phổ An", "Đề nghị."]]))
    blob = kni.sign(hall.meeting, result)
    refused("import_tampered", kni.apply, hall.meeting.id, blob[:-3] + "abc", only_valid=False)
    other = meetings.create_meeting(dict(demo.MEETING, title="Hội nghị khác"), actor="test")
    refused("import_tampered", kni.apply, other.id, blob, only_valid=False)
    from meetingday.services import imports as invitee_imports
    invitee_blob = invitee_imports.sign(hall.meeting, result)  # signed for the invitee import: not ours
    refused("import_tampered", kni.apply, hall.meeting.id, invitee_blob, only_valid=False)


def test_two_names_that_fit_several_units_are_ambiguous(hall):
    known = kni.Known.of(hall.meeting)
    assert known.commune("Phổ Khánh")[0].key == "xa_pho_khanh"
    assert known.commune("Xa Pho Khanh")[0].key == "xa_pho_khanh"
    assert known.assignee("UBND thị xã")[0].key == "ubnd"
    # A phường and a xã of the same name (a unit added to the list): the bare name is ambiguous.
    from meetingday.services import organisations
    organisations.add_organisation("HĐND phường Phổ Khánh", kind="ward", actor="test")
    known = kni.Known.of(hall.meeting)
    assert known.commune("Phổ Khánh") == (None, True)
    assert known.commune("xã Phổ Khánh")[0].key == "xa_pho_khanh"
    row = kni.check_row(known, 2, {"organisation": "Phổ Khánh", "content": "Đề nghị.", "assigned": ""})
    assert [str(e) for e in row.errors] == ["“Phổ Khánh” trùng tên nhiều đơn vị; hãy ghi rõ xã hay phường."]


def test_the_template_is_read_back_by_the_import(hall):
    """The template is the importer's own columns: its two examples are read field by field (a
    heading the importer no longer knows leaves that field empty, or the row without its unit)."""
    data = kni.template()
    result = kni.preview(hall.meeting, "Mẫu kiến nghị.xlsx", data)
    assert [r.number for r in result.rows] == [2, 3] and all(r.ok for r in result.rows)
    fields = [c.field for c in kni.COLUMNS]
    assert [{f: r.values[f] for f in fields} for r in result.rows] == list(kni.EXAMPLES)
    assert all(r.values["assigned_name"] for r in result.rows)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["STT", "Đơn vị", "Nội dung", "Ban"]
    assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2"


def test_the_templates_lists_are_the_communes_and_the_bodies_that_answer(hall):
    """A drop-down of the 15 xã and phường on "Đơn vị" and of the Ban (first) and other town
    bodies on "Ban", each value one the import reads as one unit; nothing else can be chosen."""
    sheet, lists = load_workbook(io.BytesIO(kni.template())).worksheets
    rules = {str(r.sqref)[0]: r for r in sheet.data_validations.dataValidation}
    assert sorted(rules) == ["B", "D"] and {r.errorStyle for r in rules.values()} == {"stop"}
    assert rules["B"].formula1 == "'Danh mục'!$A$2:$A$16" and rules["D"].formula1.startswith("'Danh mục'!$B$2:")
    communes = [c.value for c in lists["A"][1:] if c.value]
    bodies = [c.value for c in lists["B"][1:] if c.value]
    assert len(communes) == 15 and bodies[:2] == ["Ban Pháp chế", "Ban Kinh tế - Xã hội"]
    known = kni.Known.of(hall.meeting)
    assert all(known.commune(v)[0] is not None for v in communes)
    assert all(known.assignee(v)[0] is not None for v in bodies)
