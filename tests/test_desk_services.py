"""The secretary's desk services: notes per remark, conclusions per item, the closing conclusion
and its tasks, publishing it, the documents' details, finalize and reopen; conflicts between two
screens, repeated saves, the lock after finalizing, and parallel saves (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from meetingday.errors import DomainError
from meetingday.extensions import db
from meetingday.models import (
    AuditEntry,
    Conclusion,
    ConclusionTask,
    Meeting,
    Organisation,
    Remark,
)
from meetingday.services import checkin, closing, flow, minutes, notes, speakers
from meetingday.text import block

from .conftest import at_once, fresh, refused
from .speakerhall import commune_delegates, open_discussion, to_last_item

T0 = datetime(2024, 6, 27, 0, 30)


@pytest.fixture()
def hall(demo_meeting):
    """The demo meeting at its discussion item: two delegates heard, a third speaking."""
    people = commune_delegates(demo_meeting, 3)
    item = open_discussion(demo_meeting, people, started=T0, reached=T0 + timedelta(minutes=40))
    current, heard = "", []
    for n, person in enumerate(people):
        request = speakers.add_speaker(demo_meeting.id, item.id, person.id, actor="test")
        speakers.give_floor(demo_meeting.id, request.id, current, actor="test",
                            now=T0 + timedelta(minutes=41 + 5 * n))
        current = request.id
        heard.append(request.id)
    return fresh(Meeting, demo_meeting.id), item.id, heard


def end_meeting(meeting_id: int) -> None:
    flow.end_meeting(meeting_id, fresh(Meeting, meeting_id).version, "test", now=T0 + timedelta(hours=3))


def audit_actions(meeting_id: int, prefix: str) -> list[str]:
    return list(db.session.execute(select(AuditEntry.action).where(
        AuditEntry.meeting_id == meeting_id, AuditEntry.action.like(f"{prefix}%")).order_by(AuditEntry.id)).scalars())


# --------------------------------------------------------------------------- notes

def test_a_note_is_saved_per_remark_and_each_save_moves_the_revision(hall):
    meeting, _, heard = hall
    remark = notes.save_remark_note(meeting.id, heard[0], "Đề nghị bổ sung kinh phí hoạt động.", 0, actor="test")
    assert (remark.note, remark.revision) == ("Đề nghị bổ sung kinh phí hoạt động.", 1)
    remark = notes.save_remark_note(meeting.id, heard[0], "Đề nghị bổ sung kinh phí.\n\nCảm ơn.", 1, actor="test")
    assert remark.revision == 2
    db.session.expire_all()
    assert db.session.get(Remark, remark.id).note == "Đề nghị bổ sung kinh phí.\n\nCảm ơn."
    assert audit_actions(meeting.id, "minutes.note") == ["minutes.note", "minutes.note"]


def test_the_speaker_at_the_lectern_already_has_a_note_box(hall):
    meeting, _, heard = hall
    remark = notes.save_remark_note(meeting.id, heard[-1], "Đang phát biểu: nêu khó khăn", 0, actor="test")
    assert remark.speaker_request_id == heard[-1]


def test_a_save_from_an_older_revision_is_refused_with_the_text_kept(hall):
    meeting, _, heard = hall
    notes.save_remark_note(meeting.id, heard[0], "Bản của máy thứ nhất", 0, actor="test")
    error = refused("note_conflict", notes.save_remark_note, meeting.id, heard[0], "Bản của máy thứ hai", 0,
                    actor="test")
    assert error.status == 409
    assert error.details == {"current": "Bản của máy thứ nhất", "revision": 1}
    db.session.expire_all()
    assert db.session.execute(select(Remark.note)).scalar_one() == "Bản của máy thứ nhất"
    # Saved over on purpose, naming the revision it was shown.
    assert notes.save_remark_note(meeting.id, heard[0], "Bản của máy thứ hai", 1, actor="test").revision == 2


def test_a_repeated_save_whose_answer_was_lost_is_accepted_once(hall):
    meeting, _, heard = hall
    notes.save_remark_note(meeting.id, heard[0], "Ý kiến về giám sát", 0, actor="test")
    again = notes.save_remark_note(meeting.id, heard[0], "  Ý kiến về giám sát ", 0, actor="test")
    assert again.revision == 1
    assert audit_actions(meeting.id, "minutes.note") == ["minutes.note"]


@pytest.mark.parametrize("revision", [None, "", "abc", "7"])
def test_a_save_that_does_not_name_the_revision_it_saw_is_a_conflict(hall, revision):
    meeting, _, heard = hall
    notes.save_remark_note(meeting.id, heard[0], "Đã ghi", 0, actor="test")
    refused("note_conflict", notes.save_remark_note, meeting.id, heard[0], "Khác", revision, actor="test")


def test_no_note_for_a_request_not_given_the_floor_or_of_another_meeting(hall):
    meeting, item_id, heard = hall
    waiting_person = commune_delegates(meeting, 4)[3]
    checkin.check_in_by_id(meeting, waiting_person.id, actor="test")
    waiting = speakers.add_speaker(meeting.id, item_id, waiting_person.id, actor="test")
    for request_id in (waiting.id, 999_999, "x", None):
        refused("remark_not_found", notes.save_remark_note, meeting.id, request_id, "Ghi", 0, actor="test")
    refused("meeting_not_found", notes.save_remark_note, 999_999, heard[0], "Ghi", 0, actor="test")
    assert db.session.execute(select(func.count(Remark.id))).scalar_one() == 0


def test_text_is_cleaned_and_too_long_text_is_refused_before_anything_is_written(hall):
    meeting, _, heard = hall
    remark = notes.save_remark_note(meeting.id, heard[0], "  Dòng một  \r\n\r\n\r\n\r\nDòng\x07 hai  ", 0,
                                    actor="test")
    assert remark.note == "Dòng một\n\nDòng hai"
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed as letters plus combining marks
    assert block(decomposed) == "Nguyễn"
    error = refused("text_too_long", notes.save_remark_note, meeting.id, heard[0], "a" * 20_001, 1, actor="test")
    assert "20.000" in str(error.message)
    db.session.expire_all()
    assert db.session.execute(select(Remark.note)).scalar_one() == "Dòng một\n\nDòng hai"


def test_each_item_has_its_own_conclusion(hall):
    meeting, item_id, _ = hall
    other = next(i for i in meeting.items if i.id != item_id)
    a = notes.save_item_conclusion(meeting.id, item_id, "Thống nhất nội dung thảo luận.", 0, actor="test")
    b = notes.save_item_conclusion(meeting.id, other.id, "Thông qua báo cáo.", 0, actor="test")
    assert a.id != b.id and (a.item_id, b.item_id) == (item_id, other.id)
    refused("note_conflict", notes.save_item_conclusion, meeting.id, item_id, "Sửa", 0, actor="test")
    refused("item_not_found", notes.save_item_conclusion, meeting.id, 999_999, "x", 0, actor="test")
    assert db.session.execute(select(func.count(Conclusion.id))).scalar_one() == 2


@pytest.mark.both_databases
def test_parallel_saves_from_one_revision_keep_exactly_one(hall):
    meeting, _, heard = hall

    def save(n: int) -> str:
        notes.save_remark_note(meeting.id, heard[0], f"Bản số {n}", 0, actor="test")
        return "saved"

    results = at_once(current_app._get_current_object(), 8, save)
    assert sorted(results) == ["note_conflict"] * 7 + ["saved"]
    db.session.expire_all()
    assert db.session.execute(select(Remark.revision)).scalar_one() == 1


# --------------------------------------------------------------------------- closing conclusion

def ban(name_part: str) -> Organisation:
    return next(o for o in db.session.execute(select(Organisation)).scalars() if name_part in o.name)


def test_tasks_are_numbered_moved_and_deleted_without_gaps(hall):
    meeting, _, _ = hall
    phap_che = ban("Pháp chế")
    first = closing.add_task(meeting.id, "", "Hướng dẫn quy trình giám sát chuyên đề", date(2024, 7, 31),
                             phap_che.id, actor="test")
    assert first.body == phap_che.name and first.position == 1
    second = closing.add_task(meeting.id, "Văn phòng HĐND và UBND thị xã", "Tổng hợp kiến nghị", None, actor="test")
    third = closing.add_task(meeting.id, "Các xã, phường", "Báo cáo kết quả", date(2024, 12, 15), actor="test")
    closing.move_task(meeting.id, third.id, -1, actor="test")
    db.session.expire_all()
    assert [(t.id, t.position) for t in closing.tasks(fresh(Meeting, meeting.id))] == [(first.id, 1), (third.id, 2), (second.id, 3)]
    refused("move_invalid", closing.move_task, meeting.id, first.id, -1, actor="test")
    refused("move_invalid", closing.move_task, meeting.id, first.id, 2, actor="test")
    # From a list that showed another order: the second is `third` now, not `second`.
    refused("tasks_changed", closing.move_task, meeting.id, third.id, 1, swap_with=second.id + 1000, actor="test")
    refused("tasks_changed", closing.move_task, meeting.id, first.id, -1, swap_with=second.id, actor="test")
    closing.delete_task(meeting.id, first.id, 0, actor="test")
    db.session.expire_all()
    assert [(t.id, t.position) for t in closing.tasks(fresh(Meeting, meeting.id))] == [(third.id, 1), (second.id, 2)]
    updated = closing.update_task(meeting.id, second.id, "Văn phòng", "Tổng hợp và báo cáo", date(2024, 8, 1),
                                  revision=0, actor="test")
    assert (updated.body, updated.deadline) == ("Văn phòng", date(2024, 8, 1))
    assert audit_actions(meeting.id, "closing.") == ["closing.add_task"] * 3 + [
        "closing.move_task", "closing.delete_task", "closing.update_task"]


def test_a_task_edited_on_another_screen_is_not_overwritten_or_deleted_unseen(hall):
    meeting, _, _ = hall
    task = closing.add_task(meeting.id, "Ban Pháp chế", "Hướng dẫn giám sát", date(2024, 7, 31), actor="test")
    assert task.revision == 0
    # Two screens opened the task at revision 0; the first saves.
    first = closing.update_task(meeting.id, task.id, "Ban Pháp chế", "Hướng dẫn, đôn đốc giám sát",
                                date(2024, 7, 31), revision=0, actor="a")
    assert first.revision == 1
    # Its answer was lost and it sends the same again: accepted as it is, nothing bumped.
    again = closing.update_task(meeting.id, task.id, "Ban Pháp chế", "Hướng dẫn, đôn đốc giám sát",
                                date(2024, 7, 31), revision=0, actor="a")
    assert again.revision == 1
    # The second screen, still at revision 0, saves something else: refused, with what is saved now.
    error = refused("task_conflict", closing.update_task, meeting.id, task.id, "Ban Pháp chế",
                    "Hướng dẫn giám sát chuyên đề", date(2024, 8, 15), revision=0, actor="b")
    assert error.status == 409 and error.details == {"task": task.id, "revision": 1}
    refused("task_conflict", closing.update_task, meeting.id, task.id, "Ban", "Khác", None, revision="", actor="b")
    refused("task_conflict", closing.update_task, meeting.id, task.id, "Ban", "Khác", None, revision="x", actor="b")
    # Nor is it deleted from the old revision.
    error = refused("task_conflict", closing.delete_task, meeting.id, task.id, 0, actor="b")
    assert "Nhiệm vụ 1" in str(error.message)
    db.session.expire_all()
    [kept] = closing.tasks(fresh(Meeting, meeting.id))
    assert (kept.content, kept.deadline, kept.revision) == ("Hướng dẫn, đôn đốc giám sát", date(2024, 7, 31), 1)
    # Having seen revision 1, the second screen overwrites knowingly, then deletes.
    mine = closing.update_task(meeting.id, task.id, "Ban Pháp chế", "Hướng dẫn giám sát chuyên đề",
                               date(2024, 8, 15), revision="1", actor="b")
    assert (mine.content, mine.revision) == ("Hướng dẫn giám sát chuyên đề", 2)
    closing.delete_task(meeting.id, task.id, "2", actor="b")
    assert closing.tasks(fresh(Meeting, meeting.id)) == []
    assert audit_actions(meeting.id, "closing.") == ["closing.add_task"] + ["closing.update_task"] * 3 + [
        "closing.delete_task"]


def test_a_task_needs_a_body_and_content_and_a_real_organisation(hall):
    meeting, _, _ = hall
    refused("task_body_required", closing.add_task, meeting.id, "  ", "Nội dung", None, actor="test")
    refused("task_content_required", closing.add_task, meeting.id, "Ban Pháp chế", " \n ", None, actor="test")
    refused("organisation_not_found", closing.add_task, meeting.id, "", "Nội dung", None, 999_999, actor="test")
    refused("date_invalid", closing.add_task, meeting.id, "Ban", "Nội dung", "31/7/2024", actor="test")
    refused("task_not_found", closing.update_task, meeting.id, 999_999, "Ban", "Nội dung", actor="test")
    assert db.session.execute(select(func.count(ConclusionTask.id))).scalar_one() == 0


def test_publishing_needs_content_and_is_stamped_once(hall):
    meeting, _, _ = hall
    notes.save_closing_intro(meeting.id, "Kết luận viết sẵn", 0, actor="test")
    refused("closing_too_early", closing.publish, meeting.id, actor="test")  # still at the discussion
    to_last_item(meeting.id)
    notes.save_closing_intro(meeting.id, "", 1, actor="test")
    refused("closing_empty", closing.publish, meeting.id, actor="test")
    notes.save_closing_intro(meeting.id, "Hội nghị đã hoàn thành nội dung đề ra.", 2, actor="test")
    at = T0 + timedelta(hours=2)
    assert closing.publish(meeting.id, actor="test", now=at).closing_published_at == at
    refused("closing_published", closing.publish, meeting.id, actor="test")
    assert closing.unpublish(meeting.id, actor="test").closing_published_at is None
    refused("closing_not_published", closing.unpublish, meeting.id, actor="test")
    assert audit_actions(meeting.id, "closing.") == ["closing.publish", "closing.unpublish"]


def test_tasks_alone_are_enough_to_publish(hall):
    meeting, _, _ = hall
    closing.add_task(meeting.id, "Ban Kinh tế - Xã hội", "Giám sát đầu tư công", date(2024, 9, 30), actor="test")
    end_meeting(meeting.id)  # after the end, too
    assert closing.publish(meeting.id, actor="test").closing_published_at is not None


# --------------------------------------------------------------------------- documents, finalize, reopen

def test_the_documents_details_are_kept_and_checked(hall):
    meeting, _, _ = hall
    minutes.set_documents(meeting.id, minutes_number="12/BB-HĐND", notice_number="34/TB-HĐND",
                          notice_date=date(2024, 6, 28), notice_recipients="- Thường trực Thị ủy;\n- Lưu: VT.",
                          revision=0, actor="test")
    m = fresh(Meeting, meeting.id)
    assert (m.minutes_number, m.notice_number, m.notice_date) == ("12/BB-HĐND", "34/TB-HĐND", date(2024, 6, 28))
    assert m.notice_recipients == "- Thường trực Thị ủy;\n- Lưu: VT."
    refused("number_too_long", minutes.set_documents, meeting.id, minutes_number="1" * 61, actor="test")
    refused("date_invalid", minutes.set_documents, meeting.id, notice_date="28/6/2024", actor="test")
    assert fresh(Meeting, meeting.id).minutes_number == "12/BB-HĐND"


def test_the_documents_details_changed_on_another_screen_are_not_overwritten_unseen(hall):
    meeting, _, _ = hall
    first = {"minutes_number": "12/BB-HĐND", "notice_number": "", "notice_date": None, "notice_recipients": ""}
    assert minutes.set_documents(meeting.id, **first, revision=0, actor="a").documents_revision == 1
    # The same save again (its answer was lost): accepted, nothing bumped.
    assert minutes.set_documents(meeting.id, **first, revision=0, actor="a").documents_revision == 1
    # A second screen, still at revision 0, saves the recipients and an empty number: refused.
    error = refused("documents_conflict", minutes.set_documents, meeting.id, minutes_number="",
                    notice_recipients="- Lưu: VT.", revision=0, actor="b")
    assert error.status == 409
    refused("documents_conflict", minutes.set_documents, meeting.id, minutes_number="13/BB-HĐND", actor="b")
    m = fresh(Meeting, meeting.id)
    assert (m.minutes_number, m.notice_recipients, m.documents_revision) == ("12/BB-HĐND", "", 1)
    # Having seen revision 1, it overwrites knowingly.
    minutes.set_documents(meeting.id, minutes_number="12/BB-HĐND", notice_recipients="- Lưu: VT.", revision="1",
                          actor="b")
    m = fresh(Meeting, meeting.id)
    assert (m.minutes_number, m.notice_recipients, m.documents_revision) == ("12/BB-HĐND", "- Lưu: VT.", 2)


def test_minutes_are_finalized_only_after_the_meeting_and_then_nothing_changes(hall):
    meeting, item_id, heard = hall
    notes.save_remark_note(meeting.id, heard[0], "Ghi chép", 0, actor="test")
    task = closing.add_task(meeting.id, "Ban Pháp chế", "Hướng dẫn", None, actor="test")
    refused("meeting_not_ended", minutes.finalize, meeting.id, actor="test")
    assert fresh(Meeting, meeting.id).minutes_finalized_at is None
    end_meeting(meeting.id)
    minutes.finalize(meeting.id, actor="test", now=T0 + timedelta(hours=4))
    assert fresh(Meeting, meeting.id).minutes_finalized_at == T0 + timedelta(hours=4)
    refused("minutes_final", minutes.finalize, meeting.id, actor="test")
    refused("minutes_final", notes.save_remark_note, meeting.id, heard[0], "Sửa sau khi chốt", 1, actor="test")
    refused("minutes_final", notes.save_item_conclusion, meeting.id, item_id, "Kết luận", 0, actor="test")
    refused("minutes_final", notes.save_closing_intro, meeting.id, "Mở đầu", 0, actor="test")
    refused("minutes_final", closing.add_task, meeting.id, "Ban", "Việc", None, actor="test")
    refused("minutes_final", closing.delete_task, meeting.id, task.id, actor="test")
    refused("minutes_final", closing.publish, meeting.id, actor="test")
    refused("minutes_final", minutes.set_documents, meeting.id, minutes_number="1", actor="test")
    db.session.expire_all()
    assert db.session.execute(select(Remark.note)).scalar_one() == "Ghi chép"
    assert len(closing.tasks(fresh(Meeting, meeting.id))) == 1


def test_reopening_needs_a_reason_and_is_audited(hall):
    meeting, _, heard = hall
    refused("minutes_not_final", minutes.reopen, meeting.id, "Bổ sung ý kiến", actor="test")
    end_meeting(meeting.id)
    minutes.finalize(meeting.id, actor="test")
    refused("reopen_reason_required", minutes.reopen, meeting.id, "  ", actor="test")
    assert fresh(Meeting, meeting.id).minutes_finalized_at is not None
    minutes.reopen(meeting.id, "Bổ sung ý kiến của xã Phổ Khánh", actor="test")
    assert fresh(Meeting, meeting.id).minutes_finalized_at is None
    notes.save_remark_note(meeting.id, heard[0], "Bổ sung", 0, actor="test")
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "minutes.reopen")).scalar_one()
    assert entry.details["reason"] == "Bổ sung ý kiến của xã Phổ Khánh"
    assert audit_actions(meeting.id, "minutes.") == [
        "minutes.finalize", "minutes.reopen", "minutes.note"]


@pytest.mark.both_databases
def test_a_save_racing_the_finalize_either_lands_before_it_or_is_refused(hall):
    meeting, _, heard = hall
    end_meeting(meeting.id)
    outcome: dict[str, str] = {}

    def run(i: int) -> None:
        name = ("note", "final")[i]
        try:
            if name == "note":
                notes.save_remark_note(meeting.id, heard[0], "Kịp trước khi chốt", 0, actor="test")
            else:
                minutes.finalize(meeting.id, actor="test")
            outcome[name] = "ok"
        except DomainError as e:
            outcome[name] = e.code

    at_once(current_app._get_current_object(), 2, run)
    assert outcome["final"] == "ok"
    db.session.expire_all()
    saved = db.session.execute(select(Remark.note)).scalar_one_or_none()
    if outcome["note"] == "ok":
        note_at = db.session.execute(select(AuditEntry.id).where(AuditEntry.action == "minutes.note")).scalar_one()
        final_at = db.session.execute(select(AuditEntry.id).where(AuditEntry.action == "minutes.finalize")).scalar_one()
        assert saved == "Kịp trước khi chốt" and note_at < final_at
    else:
        assert outcome["note"] == "minutes_final" and saved is None


def test_finalized_minutes_keep_the_programme_and_the_meetings_details(hall):
    from meetingday.services import agenda, meetings
    meeting, _, _ = hall
    upcoming = meeting.items[-1]
    end_meeting(meeting.id)
    minutes.finalize(meeting.id, actor="test")
    meeting = fresh(Meeting, meeting.id)
    refused("minutes_final", agenda.update_item, upcoming, "Tên khác", upcoming.kind, 5, actor="test")
    refused("minutes_final", agenda.delete_item, upcoming, actor="test")
    refused("minutes_final", agenda.add_item, meeting, "Mục thêm", "report", 5, actor="test")
    refused("minutes_final", meetings.update_meeting, meeting, {"place": "Nơi khác"}, actor="test")
    meeting = fresh(Meeting, meeting.id)
    assert meeting.place != "Nơi khác" and meeting.items[-1].title == upcoming.title


def test_an_item_with_a_written_conclusion_is_not_deleted(hall):
    from meetingday.services import agenda
    meeting, _, _ = hall
    upcoming = meeting.items[-1]
    notes.save_item_conclusion(meeting.id, upcoming.id, "Kết luận chuẩn bị trước", 0, actor="test")
    refused("item_has_conclusion", agenda.delete_item, fresh(Meeting, meeting.id).items[-1], actor="test")
    assert fresh(Meeting, meeting.id).items[-1].id == upcoming.id


def test_the_same_task_sent_twice_is_added_once(hall):
    meeting, _, _ = hall
    closing.add_task(meeting.id, "Ban Pháp chế", "Hướng dẫn giám sát", None, actor="test")
    refused("task_duplicate", closing.add_task, meeting.id, "Ban Pháp chế", " Hướng dẫn giám sát ", None,
            actor="test")
    assert len(closing.tasks(fresh(Meeting, meeting.id))) == 1


def test_no_deadline_or_notice_date_before_the_day_of_the_meeting(hall):
    meeting, _, _ = hall  # held on 27/06/2024
    error = refused("date_before_meeting", closing.add_task, meeting.id, "Ban Pháp chế", "Hướng dẫn",
                    date(2024, 6, 26), actor="test")
    assert "27/06/2024" in str(error.message) and error.details["field"] == "deadline"
    task = closing.add_task(meeting.id, "Ban Pháp chế", "Hướng dẫn", date(2024, 6, 27), actor="test")
    refused("date_before_meeting", closing.update_task, meeting.id, task.id, "Ban Pháp chế", "Hướng dẫn",
            date(2023, 12, 31), revision=0, actor="test")
    refused("date_before_meeting", minutes.set_documents, meeting.id, notice_date=date(2024, 6, 1), actor="test")
    assert fresh(Meeting, meeting.id).notice_date is None
    assert [t.deadline for t in closing.tasks(fresh(Meeting, meeting.id))] == [date(2024, 6, 27)]


def test_finalized_minutes_keep_the_attendance_and_the_invitee_list(hall):
    """Who came and who was invited are in the minutes: no check-in, undo, absence or invitee
    change lands while they are finalized; a repeated scan still answers; reopening allows them."""
    from meetingday.services import attendance, invitees
    meeting, _, _ = hall
    present = [p for p in meeting.invitees if attendance.is_present(p)]
    away = [p for p in meeting.invitees if not attendance.is_present(p) and not p.walk_in]
    excused = attendance.mark_absent(meeting, away[1].id, "Đi công tác", actor="test")
    checkin.open_checkin(meeting, actor="test")
    end_meeting(meeting.id)
    minutes.finalize(meeting.id, actor="test")
    meeting = fresh(Meeting, meeting.id)
    before = (attendance.counts(meeting.id), db.session.scalar(select(func.count(AuditEntry.id))))

    refused("minutes_final", checkin.check_in_by_id, meeting, away[0].id, actor="test")
    refused("minutes_final", checkin.undo_check_in, meeting, present[0].id, "Nhầm người", actor="test")
    refused("minutes_final", checkin.register_walk_in, meeting, "Khách Mới", actor="test")
    refused("minutes_final", checkin.register_substitute, meeting, away[0].id, "Người Dự Thay", actor="test")
    refused("minutes_final", attendance.mark_absent, meeting, away[0].id, "Ốm", actor="test")
    refused("minutes_final", attendance.clear_absent, meeting, excused.id, actor="test", seen="Đi công tác")
    refused("minutes_final", invitees.add_invitee, meeting, full_name="Người Thêm Sau", actor="test")
    person = db.session.get(type(away[0]), away[0].id)
    refused("minutes_final", invitees.update_invitee, person, full_name="Tên Khác Hẳn", actor="test")
    refused("minutes_final", invitees.remove_invitee, db.session.get(type(away[0]), away[0].id), actor="test")
    again = checkin.check_in_by_id(fresh(Meeting, meeting.id), present[0].id, actor="test")  # a repeat: the first
    assert not again.created

    meeting = fresh(Meeting, meeting.id)
    assert (attendance.counts(meeting.id), db.session.scalar(select(func.count(AuditEntry.id)))) == before
    assert db.session.get(type(away[0]), away[0].id).full_name == away[0].full_name

    minutes.reopen(meeting.id, "Sửa điểm danh", actor="test")
    checkin.undo_check_in(fresh(Meeting, meeting.id), present[0].id, "Nhầm người", actor="test")
    assert attendance.counts(meeting.id).present == before[0].present - 1
