"""The speaker queue's services: order, one speaker at a time, withdraw, only the checked-in,
stale and doubled actions, the time spoken with pauses, put back, the agenda's side, fairness,
the audit log, and parallel asks (on SQLite and PostgreSQL)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from meetingday.errors import DomainError
from meetingday.extensions import db
from meetingday.models import (
    AgendaItem,
    AuditEntry,
    Invitee,
    ItemKind,
    KienNghi,
    Meeting,
    OrgKind,
    SpeakerKind,
    SpeakerRequest,
    SpeakerSource,
)
from meetingday.services import agenda, checkin, display, flow, speaker_queue, speakers

from .conftest import at_once, fresh, refused
from .speakerhall import commune_delegates, open_discussion

T0 = datetime(2024, 6, 27, 0, 30)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def item_of(meeting: Meeting, kind: ItemKind) -> AgendaItem:
    return next(i for i in meeting.items if i.kind == kind)


def line(item_id: int) -> list[int]:
    db.session.expire_all()
    return [r.id for r in speaker_queue.waiting(db.session.get(AgendaItem, item_id))]


@pytest.fixture()
def hall(demo_meeting):
    """The demo meeting under way at item 4 (discussion), check-in open, six delegates present
    (from six different units), one invitee absent."""
    people = commune_delegates(demo_meeting, 7)
    item = open_discussion(demo_meeting, people[:6], started=at(0), reached=at(1))
    return {"meeting": fresh(Meeting, demo_meeting.id), "item": item, "present": people[:6], "absent": people[6]}


def ask(hall, n: int, minute: float = 2, **kw) -> SpeakerRequest:
    return speakers.ask(hall["meeting"].id, hall["item"].id, hall["present"][n].id, now=at(minute), **kw)


# --------------------------------------------------------------------------- asking

def test_asks_join_the_line_in_order_with_their_timestamps(hall):
    a, b, c = ask(hall, 0, 2, topic="  Kinh phí   hoạt động "), ask(hall, 1, 3), ask(hall, 2, 4)
    assert line(hall["item"].id) == [a.id, b.id, c.id]
    a = db.session.get(SpeakerRequest, a.id)
    assert a.topic == "Kinh phí hoạt động" and a.source == SpeakerSource.SELF and a.kind == SpeakerKind.REMARK
    assert a.requested_at == at(2) and a.started_at is None and a.time_limit_seconds == 300


def test_one_waiting_request_per_person_per_item(hall):
    first = ask(hall, 0)
    refused("already_waiting", ask, hall, 0, 3)
    assert line(hall["item"].id) == [first.id]


def test_only_those_checked_in_may_ask_or_be_added(hall):
    m, item = hall["meeting"], hall["item"]
    refused("not_checked_in", speakers.ask, m.id, item.id, hall["absent"].id)
    refused("not_checked_in", speakers.add_speaker, m.id, item.id, hall["absent"].id, actor="test")
    checkin.undo_check_in(m, hall["present"][5].id, "Nhầm người", actor="test")
    refused("not_checked_in", ask, hall, 5)
    assert line(item.id) == []


def test_asking_needs_an_open_queue_but_staff_may_add_to_a_closed_one(hall):
    m, item = hall["meeting"], hall["item"]
    speakers.close_queue(m.id, item.id, actor="test")
    refused("queue_closed", ask, hall, 0)
    added = speakers.add_speaker(m.id, item.id, hall["present"][0].id, actor="test")
    speakers.open_queue(m.id, item.id, actor="test")  # reopen
    b = ask(hall, 1)
    assert line(item.id) == [added.id, b.id]
    refused("queue_open", speakers.open_queue, m.id, item.id, actor="test")
    speakers.close_queue(m.id, item.id, actor="test")
    refused("queue_closed", speakers.close_queue, m.id, item.id, actor="test")


def test_bad_input_is_refused_and_writes_nothing(hall):
    m, item = hall["meeting"], hall["item"]
    refused("topic_too_long", ask, hall, 0, topic="x" * 201)
    refused("invitee_not_found", speakers.ask, m.id, item.id, 999999)
    refused("invitee_not_found", speakers.ask, m.id, item.id, "abc")
    refused("item_not_found", speakers.ask, m.id, 999999, hall["present"][0].id)
    report = item_of(m, ItemKind.REPORT)
    refused("no_queue", speakers.ask, m.id, report.id, hall["present"][0].id)
    refused("kind_invalid", speakers.add_speaker, m.id, item.id, hall["present"][0].id, kind="song")
    refused("speaker_not_found", speakers.withdraw, m.id, "x")
    refused("speaker_not_found", speakers.give_floor, m.id, 123456)
    assert line(item.id) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.like("speakers.ask"))) == 0


def test_a_delegate_may_tie_the_request_to_their_own_communes_kien_nghi_only(hall):
    m, person = hall["meeting"], hall["present"][0]
    own = KienNghi(meeting_id=m.id, organisation_id=person.organisation_id, content="Đề nghị bổ sung kinh phí.")
    other = KienNghi(meeting_id=m.id, organisation_id=hall["present"][1].organisation_id, content="Khác.")
    db.session.add_all([own, other])
    db.session.commit()
    refused("kien_nghi_invalid", ask, hall, 0, kien_nghi_id=other.id)
    request = ask(hall, 0, kien_nghi_id=own.id)
    assert request.kien_nghi_id == own.id
    mine = [k.id for k in speaker_queue.kien_nghi_of(person)]
    assert own.id in mine and other.id not in mine


# --------------------------------------------------------------------------- staff

def test_an_answer_to_a_kien_nghi_may_go_to_the_front(hall):
    m, item = hall["meeting"], hall["item"]
    a, b = ask(hall, 0), ask(hall, 1)
    answer = speakers.add_speaker(m.id, item.id, hall["present"][2].id, kind="answer", front=True,
                                  topic="Trả lời kiến nghị về kinh phí", actor="test", now=at(5))
    hand = speakers.add_speaker(m.id, item.id, hall["present"][3].id, actor="test", now=at(6))
    assert line(item.id) == [answer.id, a.id, b.id, hand.id]
    answer = db.session.get(SpeakerRequest, answer.id)
    assert answer.kind == SpeakerKind.ANSWER and answer.source == SpeakerSource.STAFF


def test_reorder_needs_exactly_the_line_the_screen_saw(hall):
    m, item = hall["meeting"], hall["item"]
    a, b, c = ask(hall, 0), ask(hall, 1), ask(hall, 2)
    speakers.reorder(m.id, item.id, [c.id, a.id, b.id], actor="test")
    assert line(item.id) == [c.id, a.id, b.id]
    speakers.reorder(m.id, item.id, [c.id, a.id, b.id], actor="test")  # sent twice: no change
    assert line(item.id) == [c.id, a.id, b.id]
    refused("stale", speakers.reorder, m.id, item.id, [a.id, b.id], actor="test")  # missed one
    d = ask(hall, 3)
    refused("stale", speakers.reorder, m.id, item.id, [a.id, b.id, c.id], actor="test")  # d came meanwhile
    refused("order_invalid", speakers.reorder, m.id, item.id, ["x"], actor="test")
    assert line(item.id) == [c.id, a.id, b.id, d.id]


def test_up_and_down_move_one_place_in_the_order_seen(hall):
    m, item = hall["meeting"], hall["item"]
    a, b, c = ask(hall, 0), ask(hall, 1), ask(hall, 2)
    seen = [a.id, b.id, c.id]
    speakers.move(m.id, c.id, -1, seen, actor="test")
    assert line(item.id) == [a.id, c.id, b.id]
    speakers.move(m.id, c.id, -1, seen, actor="test")  # a doubled tap from the same screen: no change
    assert line(item.id) == [a.id, c.id, b.id]
    refused("stale", speakers.move, m.id, b.id, -1, seen, actor="test")  # that screen missed the move
    speakers.move(m.id, a.id, -1, line(item.id), actor="test")  # already first: no change
    assert line(item.id) == [a.id, c.id, b.id]


def test_withdraw_by_the_delegate_or_staff(hall):
    m, item = hall["meeting"], hall["item"]
    a, b = ask(hall, 0), ask(hall, 1)
    refused("speaker_not_found", speakers.withdraw, m.id, a.id, invitee_id=hall["present"][1].id)
    speakers.withdraw(m.id, a.id, invitee_id=hall["present"][0].id, now=at(5))
    refused("speaker_withdrawn", speakers.withdraw, m.id, a.id, invitee_id=hall["present"][0].id)
    speakers.withdraw(m.id, b.id, actor="test")
    assert line(item.id) == []
    assert db.session.get(SpeakerRequest, a.id).withdrawn_at == at(5)
    again = ask(hall, 0, 6)  # may ask again once withdrawn
    assert line(item.id) == [again.id]


# --------------------------------------------------------------------------- the floor

def test_give_the_floor_ends_the_current_speaker_one_speaker_at_a_time(hall):
    m, item = hall["meeting"], hall["item"]
    a, b, c = ask(hall, 0), ask(hall, 1), ask(hall, 2)
    speakers.give_floor(m.id, a.id, "", actor="test", now=at(10))
    speakers.give_floor(m.id, c.id, a.id, actor="test", now=at(14))  # someone else than the next
    db.session.expire_all()
    a, c = db.session.get(SpeakerRequest, a.id), db.session.get(SpeakerRequest, c.id)
    assert (a.started_at, a.ended_at, a.spoken()) == (at(10), at(14), 240)
    assert c.speaking and c.started_at == at(14)
    assert speaker_queue.current_speaker(fresh(Meeting, m.id)).id == c.id
    assert line(item.id) == [b.id]
    n = db.session.scalar(select(func.count()).select_from(SpeakerRequest).where(
        SpeakerRequest.item_id == item.id, SpeakerRequest.started_at.is_not(None), SpeakerRequest.ended_at.is_(None)))
    assert n == 1


def test_a_doubled_or_stale_floor_is_refused(hall):
    m = hall["meeting"]
    a, b = ask(hall, 0), ask(hall, 1)
    speakers.give_floor(m.id, a.id, "", actor="test", now=at(10))
    refused("speaker_speaking", speakers.give_floor, m.id, a.id, "", actor="test")  # the same tap twice
    refused("stale", speakers.give_floor, m.id, b.id, "", actor="test")  # screen did not see a speaking
    speakers.withdraw(m.id, b.id, actor="test")
    refused("speaker_withdrawn", speakers.give_floor, m.id, b.id, a.id, actor="test")


def test_the_floor_only_on_the_current_item_and_not_during_a_break(hall):
    m = hall["meeting"]
    remarks = item_of(m, ItemKind.REMARKS)
    speakers.open_queue(m.id, remarks.id, actor="test")
    early = speakers.ask(m.id, remarks.id, hall["present"][0].id)  # asked ahead of its item
    refused("item_not_current", speakers.give_floor, m.id, early.id, "", actor="test")
    a = ask(hall, 1)
    flow.start_break(m.id, fresh(Meeting, m.id).version, 10, "test", now=at(5))
    refused("meeting_on_break", speakers.give_floor, m.id, a.id, "", actor="test")


def test_pause_resume_end_store_timestamps_and_the_time_spoken(hall):
    m = hall["meeting"]
    a = ask(hall, 0)
    speakers.give_floor(m.id, a.id, "", actor="test", now=at(10))
    speakers.pause_speech(m.id, a.id, actor="test", now=at(11))
    refused("speaker_paused", speakers.pause_speech, m.id, a.id, actor="test", now=at(11.5))
    r = db.session.get(SpeakerRequest, a.id)
    assert r.spoken(at(13)) == 60  # stands still while paused
    speakers.resume_speech(m.id, a.id, actor="test", now=at(13))
    refused("speaker_not_paused", speakers.resume_speech, m.id, a.id, actor="test")
    db.session.expire_all()
    r = db.session.get(SpeakerRequest, a.id)
    assert r.paused_seconds == 120 and r.deadline == at(10) + timedelta(seconds=120 + 300)
    speakers.end_speech(m.id, a.id, actor="test", now=at(15))
    refused("speaker_done", speakers.end_speech, m.id, a.id, actor="test")
    db.session.expire_all()
    r = db.session.get(SpeakerRequest, a.id)
    assert (r.ended_at, r.spoken()) == (at(15), 180)


def test_ending_while_paused_does_not_count_the_pause(hall):
    m = hall["meeting"]
    a = ask(hall, 0)
    speakers.give_floor(m.id, a.id, "", actor="test", now=at(10))
    speakers.pause_speech(m.id, a.id, actor="test", now=at(11))
    speakers.end_speech(m.id, a.id, actor="test", now=at(20))
    db.session.expire_all()
    r = db.session.get(SpeakerRequest, a.id)
    assert (r.spoken(), r.paused_at, r.paused_seconds) == (60, None, 540)


def test_time_limits_per_item_and_per_speaker(hall):
    m, item = hall["meeting"], hall["item"]
    a = ask(hall, 0)
    speakers.set_item_limit(m.id, item.id, 3, actor="test")
    b = ask(hall, 1)
    speakers.set_time_limit(m.id, b.id, 7, actor="test")
    db.session.expire_all()
    assert [db.session.get(SpeakerRequest, x).time_limit_seconds for x in (a.id, b.id)] == [180, 420]
    refused("limit_invalid", speakers.set_time_limit, m.id, b.id, 0, actor="test")
    refused("limit_invalid", speakers.set_item_limit, m.id, item.id, "abc", actor="test")
    speakers.give_floor(m.id, b.id, "", actor="test", now=at(10))
    speakers.set_time_limit(m.id, b.id, 10, actor="test")  # while speaking
    db.session.expire_all()
    assert db.session.get(SpeakerRequest, b.id).deadline == at(20)


def test_put_the_last_speaker_back_at_the_head_of_the_line(hall):
    m, item = hall["meeting"], hall["item"]
    a, b = ask(hall, 0), ask(hall, 1)
    speakers.give_floor(m.id, a.id, "", actor="test", now=at(10))
    refused("not_last_speaker", speakers.put_back, m.id, a.id, actor="test")  # still speaking
    speakers.end_speech(m.id, a.id, actor="test", now=at(12))
    again = speakers.put_back(m.id, a.id, actor="test", now=at(13))
    assert line(item.id) == [again.id, b.id]
    refused("already_waiting", speakers.put_back, m.id, a.id, actor="test")  # a doubled tap
    first = db.session.get(SpeakerRequest, a.id)
    assert (first.started_at, first.ended_at) == (at(10), at(12))  # the remark made keeps its times


# --------------------------------------------------------------------------- the agenda's side

def test_leaving_the_item_ends_its_speaker_and_a_break_pauses_them(hall):
    m = hall["meeting"]
    a = ask(hall, 0)
    speakers.give_floor(m.id, a.id, "", actor="test", now=at(10))
    flow.start_break(m.id, fresh(Meeting, m.id).version, 10, "test", now=at(12))
    db.session.expire_all()
    r = db.session.get(SpeakerRequest, a.id)
    assert r.paused_at == at(12) and r.spoken(at(20)) == 120
    refused("meeting_on_break", speakers.resume_speech, m.id, a.id, actor="test", now=at(15))  # not during it
    flow.end_break(m.id, fresh(Meeting, m.id).version, "test", now=at(22))
    speakers.resume_speech(m.id, a.id, actor="test", now=at(22))
    flow.next_item(m.id, fresh(Meeting, m.id).version, "test", now=at(25))
    db.session.expire_all()
    r = db.session.get(SpeakerRequest, a.id)
    assert r.ended_at == at(25) and r.spoken() == 300
    assert speaker_queue.current_speaker(fresh(Meeting, m.id)) is None


def test_the_queue_item_is_the_current_one_or_one_opened_ahead(hall):
    m, item = hall["meeting"], hall["item"]
    assert speaker_queue.queue_item(m).id == item.id
    remarks = item_of(m, ItemKind.REMARKS)
    flow.next_item(m.id, fresh(Meeting, m.id).version, "test", now=at(30))  # the break item
    assert speaker_queue.queue_item(fresh(Meeting, m.id)) is None
    speakers.open_queue(m.id, remarks.id, actor="test")
    assert speaker_queue.queue_item(fresh(Meeting, m.id)).id == remarks.id


def test_a_phone_sees_its_place(hall):
    m = hall["meeting"]
    person = db.session.get(Invitee, hall["present"][1].id)
    assert speaker_queue.place_of(m, person).state == "can_ask"
    assert speaker_queue.place_of(m, db.session.get(Invitee, hall["absent"].id)).state == "absent"
    a, b = ask(hall, 0), ask(hall, 1)
    assert speaker_queue.place_of(m, db.session.get(Invitee, hall["present"][0].id)).state == "next"
    assert (speaker_queue.place_of(m, person).state, speaker_queue.place_of(m, person).place) == ("waiting", 2)
    speakers.give_floor(m.id, a.id, "", actor="test")
    place = speaker_queue.place_of(fresh(Meeting, m.id), person)
    assert (place.state, place.place, place.ahead_speaking) == ("next", 1, True)
    speakers.give_floor(m.id, b.id, a.id, actor="test")
    assert speaker_queue.place_of(fresh(Meeting, m.id), person).state == "speaking"


def test_fairness_per_unit(hall):
    m = hall["meeting"]
    a, _b = ask(hall, 0), ask(hall, 1)
    speakers.give_floor(m.id, a.id, "", actor="test", now=at(10))
    speakers.end_speech(m.id, a.id, actor="test", now=at(13))
    view = speaker_queue.fairness(fresh(Meeting, m.id), now=at(14))
    assert [(u.organisation.id, u.seconds) for u in view.units] == [(hall["present"][0].organisation_id, 180)]
    assert hall["present"][0].organisation_id not in {o.id for o in view.silent}
    assert hall["present"][1].organisation_id in {o.id for o in view.silent}
    assert view.waiting_units == {hall["present"][1].organisation_id}
    wards = {i.organisation_id for i in m.invitees if i.organisation and i.organisation.kind in (OrgKind.WARD, OrgKind.COMMUNE)}
    assert len(view.silent) == len(wards) - 1


def test_every_change_is_in_the_audit_log(hall):
    m, item = hall["meeting"], hall["item"]
    a = ask(hall, 0)
    speakers.give_floor(m.id, a.id, "", actor="test")
    speakers.end_speech(m.id, a.id, actor="test")
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("speakers.%"))
                                      .order_by(AuditEntry.id)))
    assert actions == ["speakers.open", "speakers.ask", "speakers.floor", "speakers.end"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "speakers.ask"))
    assert entry.actor == f"invitee:{hall['present'][0].id}" and entry.entity_id == item.id


def test_the_json_state_names_the_current_speaker(hall):
    m = hall["meeting"]
    a = ask(hall, 0, topic="Kinh phí")
    assert display.state(fresh(Meeting, m.id))["current_speaker"] is None
    speakers.give_floor(m.id, a.id, "", actor="test")
    state = display.state(fresh(Meeting, m.id))["current_speaker"]
    assert state["name"] == hall["present"][0].full_name and state["topic"] == "Kinh phí"
    assert state["time_limit_seconds"] == 300 and state["paused"] is False and state["deadline"]
    text = json.dumps(display.state(fresh(Meeting, m.id)), ensure_ascii=False)
    phones = [i.phone for i in fresh(Meeting, m.id).invitees if i.phone]
    assert phones and not any(p in text for p in phones)  # no phone number of anyone
    speakers.pause_speech(m.id, a.id, actor="test")
    state = display.state(fresh(Meeting, m.id))["current_speaker"]
    assert state["paused"] is True and state["deadline"] is None


# --------------------------------------------------------------------------- at once

@pytest.mark.both_databases
def test_ten_parallel_asks_of_one_person_give_one_request(app, hall):
    m, item, person = hall["meeting"].id, hall["item"].id, hall["present"][0].id
    results = at_once(app, 10, lambda i: speakers.ask(m, item, person).id)
    assert sum(1 for r in results if isinstance(r, int)) == 1
    assert {r for r in results if not isinstance(r, int)} <= {"already_waiting"}
    assert len(line(item)) == 1


@pytest.mark.both_databases
def test_two_chairs_giving_the_floor_at_once_give_it_once(app, hall):
    m = hall["meeting"].id
    a, b = ask(hall, 0), ask(hall, 1)
    a_id, b_id = a.id, b.id
    results = at_once(app, 2, lambda i: speakers.give_floor(m, (a_id, b_id)[i], "", actor="test").id)
    assert sum(1 for r in results if isinstance(r, int)) == 1 and "stale" in results
    db.session.expire_all()
    assert speaker_queue.current_speaker(fresh(Meeting, m)) is not None


def test_someone_at_the_lectern_cannot_be_added_again(hall):
    m, item = hall["meeting"], hall["item"]
    a = ask(hall, 0)
    speakers.give_floor(m.id, a.id, "", actor="test")
    refused("speaker_speaking", speakers.add_speaker, m.id, item.id, hall["present"][0].id, actor="test")
    refused("speaker_speaking", ask, hall, 0)
    assert line(item.id) == []


def test_a_closed_and_a_not_yet_opened_queue_say_which(hall):
    m, item = hall["meeting"], hall["item"]
    remarks = item_of(m, ItemKind.REMARKS)
    assert "chưa mở" in str(refused("queue_closed", speakers.ask, m.id, remarks.id, hall["present"][0].id).message)
    speakers.close_queue(m.id, item.id, actor="test")
    assert "đã đóng" in str(refused("queue_closed", ask, hall, 0).message)


def test_a_request_left_waiting_when_the_agenda_moves_on(hall):
    m = hall["meeting"]
    ask(hall, 0)
    flow.next_item(m.id, fresh(Meeting, m.id).version, "test", now=at(30))  # the break item: no queue
    person = db.session.get(Invitee, hall["present"][0].id)
    place = speaker_queue.place_of(fresh(Meeting, m.id), person)
    assert place.state == "left" and place.left.item_id == hall["item"].id
    view = speaker_queue.fairness(fresh(Meeting, m.id))
    assert view.waiting_units == set()  # nobody waits in a line shown now
    flow.previous_item(m.id, fresh(Meeting, m.id).version, "test", now=at(31))  # back: the place is kept
    assert speaker_queue.place_of(fresh(Meeting, m.id), person).state == "next"


def test_the_time_spoken_counts_from_the_start_moved_on_by_the_pauses(hall):
    m = hall["meeting"]
    a = ask(hall, 0)
    speakers.give_floor(m.id, a.id, "", actor="test", now=at(10))
    speakers.pause_speech(m.id, a.id, actor="test", now=at(11))
    speakers.resume_speech(m.id, a.id, actor="test", now=at(12))
    db.session.expire_all()
    r = db.session.get(SpeakerRequest, a.id)
    assert r.counting_from == at(11) and r.spoken(at(13)) == 120
    unit = speaker_queue.fairness(fresh(Meeting, m.id), now=at(13)).units[0]
    assert unit.running is not None and unit.running.id == a.id and unit.total_from == at(11)


@pytest.mark.both_databases
def test_an_undone_check_in_takes_the_person_out_of_the_line(hall):
    m, item = hall["meeting"], hall["item"]
    a, b = ask(hall, 0), ask(hall, 1)
    speakers.give_floor(m.id, a.id, "", actor="test")
    checkin.undo_check_in(m, hall["present"][1].id, "Nhầm người", actor="test")
    checkin.undo_check_in(m, hall["present"][0].id, "Nhầm người", actor="test")  # at the lectern: stays
    assert line(item.id) == []
    assert db.session.get(SpeakerRequest, b.id).withdrawn_at is not None
    assert speaker_queue.current_speaker(fresh(Meeting, m.id)).id == a.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "speakers.withdraw"))
    assert entry.details["by"] == "checkin_undone" and entry.details["request_id"] == b.id


def test_no_request_on_an_item_already_over_or_after_the_meeting(hall):
    m, item = hall["meeting"], hall["item"]
    remarks = item_of(m, ItemKind.REMARKS)
    speakers.open_queue(m.id, remarks.id, actor="test")
    flow.jump_to(m.id, remarks.id, fresh(Meeting, m.id).version, "test", now=at(40))  # item 4 is over
    refused("item_done", ask, hall, 0)
    refused("item_done", speakers.add_speaker, m.id, item.id, hall["present"][0].id, actor="test")
    speakers.ask(m.id, remarks.id, hall["present"][1].id)
    flow.end_meeting(m.id, fresh(Meeting, m.id).version, "test", now=at(80))
    refused("meeting_ended", speakers.ask, m.id, remarks.id, hall["present"][0].id)
    # the request left waiting is not offered to the phone once the meeting is over
    place = speaker_queue.place_of(fresh(Meeting, m.id), db.session.get(Invitee, hall["present"][1].id))
    assert place.state == "none"


def test_an_item_with_requests_keeps_its_kind_and_stays_in_the_programme(hall):
    m = hall["meeting"]
    remarks = item_of(m, ItemKind.REMARKS)
    speakers.open_queue(m.id, remarks.id, actor="test")
    speakers.ask(m.id, remarks.id, hall["present"][0].id)
    remarks = db.session.get(AgendaItem, remarks.id)
    refused("item_has_speakers", agenda.update_item, remarks, remarks.title, "report", remarks.planned_minutes,
            actor="test")
    refused("item_has_speakers", agenda.delete_item, db.session.get(AgendaItem, remarks.id), actor="test")
    assert db.session.get(AgendaItem, remarks.id).kind == ItemKind.REMARKS


def test_an_add_from_a_screen_goes_to_the_queue_shown_now_checked_again_under_the_claim(hall, monkeypatch):
    """`shown`: the add names the queue the screen showed; it is refused when no queue is shown
    now, or another one, also when the agenda moves on between the first look and the claim."""
    m, item = hall["meeting"], hall["item"]
    person = hall["present"][0]
    remarks = item_of(m, ItemKind.REMARKS)
    speakers.open_queue(m.id, remarks.id, actor="test")  # opened ahead: shown once the agenda leaves item 4
    real_claim = speakers._claim

    def claim_after_the_agenda_moved(meeting_id, item_id):
        flow.next_item(meeting_id, fresh(Meeting, meeting_id).version, "test", now=at(30))  # another screen
        return real_claim(meeting_id, item_id)

    monkeypatch.setattr(speakers, "_claim", claim_after_the_agenda_moved)
    with pytest.raises(DomainError) as moved:  # the agenda's move is committed: not refused()
        speakers.add_speaker(m.id, item.id, person.id, shown=True, actor="test")
    assert moved.value.code == "stale"
    monkeypatch.undo()
    assert speaker_queue.queue_item(fresh(Meeting, m.id)).id == remarks.id and line(item.id) == []
    refused("stale", speakers.add_speaker, m.id, item.id, person.id, shown=True, actor="test")
    added = speakers.add_speaker(m.id, str(remarks.id), person.id, shown=True, actor="test")
    assert line(remarks.id) == [added.id]
    speakers.close_queue(m.id, remarks.id, actor="test")
    flow.end_meeting(m.id, fresh(Meeting, m.id).version, "test", now=at(40))
    error = refused("no_queue", speakers.add_speaker, m.id, remarks.id, hall["present"][1].id, shown=True,
                    actor="test")
    assert error.status == 409 and str(error.message).startswith("Hiện không có danh sách phát biểu")
