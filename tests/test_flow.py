"""The live agenda's services: every transition, its rules and error codes, stale actions,
two devices tapping "next" at once (on SQLite and PostgreSQL), the audit log, the display key
and the JSON state."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from meetingday.extensions import db
from meetingday.models import AgendaItem, AuditEntry, Meeting, MeetingState
from meetingday.services import agenda, display, display_key, flow, meetings

from .conftest import at_once, fresh, refused

T0 = datetime(2024, 6, 27, 0, 30)  # 07:30 in the hall


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture()
def meeting(app):
    m = meetings.create_meeting({
        "title": "Hội nghị thử", "host_body": "Thường trực HĐND thị xã", "issuing_body": "HĐND THỊ XÃ",
        "place": "Hội trường", "starts_at": T0}, actor="test")
    for title, kind, minutes, presenter in [
            ("Tuyên bố lý do", "procedural", 5, "Chánh Văn phòng"),
            ("Báo cáo 6 tháng", "report", 30, "Phó Chủ tịch HĐND"),
            ("Giải lao", "break", 15, ""),
            ("Kết luận", "conclusion", 20, "Chủ tịch HĐND")]:
        agenda.add_item(m, title, kind, minutes, presenter, actor="test")
    return m


def times(meeting: Meeting) -> list[tuple]:
    return [(i.started_at, i.ended_at) for i in meeting.items]


def flow_audit(meeting_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.meeting_id == meeting_id,
                                                            AuditEntry.action.like("flow.%"))
                                   .order_by(AuditEntry.id)))


# --------------------------------------------------------------------------- transitions

def test_start_records_the_time_and_opens_the_first_item(app, meeting):
    assert meeting.state == MeetingState.NOT_STARTED
    m = flow.start_meeting(meeting.id, 1, "test", now=at(0))
    m = fresh(Meeting, m.id)
    assert m.state == MeetingState.IN_SESSION
    assert m.started_at == at(0) and m.version == 2
    assert m.current_item.position == 1
    assert times(m) == [(at(0), None), (None, None), (None, None), (None, None)]


def test_next_ends_the_current_item_and_starts_the_following_one(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.next_item(meeting.id, 2, now=at(6))
    m = fresh(Meeting, meeting.id)
    assert m.current_item.position == 2 and m.version == 3
    assert times(m)[:2] == [(at(0), at(6)), (at(6), None)]


def test_a_break_item_is_a_break_and_resume_moves_on(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.next_item(meeting.id, 2, now=at(5))
    flow.next_item(meeting.id, 3, now=at(35))
    m = fresh(Meeting, meeting.id)
    assert m.state == MeetingState.ON_BREAK
    view = display.flow_view(m)
    assert (view.break_started_at, view.break_ends_at, view.adhoc_break) == (at(35), at(50), False)
    flow.end_break(meeting.id, 4, now=at(52))
    m = fresh(Meeting, meeting.id)
    assert m.state == MeetingState.IN_SESSION and m.current_item.position == 4
    assert times(m)[2] == (at(35), at(52))


def test_an_adhoc_break_counts_down_and_keeps_the_item(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.start_break(meeting.id, 2, "10", now=at(2))
    m = fresh(Meeting, meeting.id)
    assert m.state == MeetingState.ON_BREAK
    assert (m.break_started_at, m.break_ends_at) == (at(2), at(12))
    assert m.current_item.position == 1 and m.current_item.ended_at is None
    assert display.flow_view(m).adhoc_break
    refused("already_on_break", flow.start_break, meeting.id, 3, 5)
    flow.end_break(meeting.id, 3, now=at(14))
    m = fresh(Meeting, meeting.id)
    assert m.state == MeetingState.IN_SESSION and m.break_started_at is None and m.break_ends_at is None
    assert m.current_item.position == 1  # resuming an ad-hoc break does not move on


def test_an_adhoc_break_does_not_count_as_the_items_time(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.next_item(meeting.id, 2, now=at(5))          # item 2 from 07:35
    flow.start_break(meeting.id, 3, 15, now=at(15))   # 10 minutes into it, a break
    m = fresh(Meeting, meeting.id)
    item = m.current_item
    assert item.paused_at == at(15)
    assert item.held(at(25)) == 10 * 60               # the timer stands still during the break
    state = display.state(m, now=at(25))
    assert state["current_item"]["held_seconds"] == 10 * 60
    flow.end_break(meeting.id, 4, now=at(30))         # back after 15 minutes
    item = fresh(Meeting, meeting.id).current_item
    assert item.paused_at is None and item.held(at(32)) == 12 * 60
    assert item.timer_from == at(30) - timedelta(minutes=10)
    flow.start_break(meeting.id, 5, 5, now=at(40))    # a second break, then moving on from it
    flow.next_item(meeting.id, 6, now=at(50))
    item = db.session.get(AgendaItem, item.id)
    assert item.held() == 20 * 60                     # 10 + 10 minutes; both breaks left out


def test_moving_on_ends_an_adhoc_break(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.start_break(meeting.id, 2, 5, now=at(1))
    flow.next_item(meeting.id, 3, now=at(7))
    m = fresh(Meeting, meeting.id)
    assert m.state == MeetingState.IN_SESSION and m.break_started_at is None
    assert m.current_item.position == 2


def test_break_minutes_are_checked_before_anything_is_written(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    for bad in ("", "0", "-3", "abc", "181", None):
        refused("break_minutes_invalid", flow.start_break, meeting.id, 2, bad)
    assert fresh(Meeting, meeting.id).version == 2 and fresh(Meeting, meeting.id).break_started_at is None


def test_previous_reopens_the_item_before_and_keeps_every_start(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.next_item(meeting.id, 2, now=at(5))
    flow.previous_item(meeting.id, 3, now=at(6))
    m = fresh(Meeting, meeting.id)
    assert m.current_item.position == 1
    # item 1 re-opened: first start kept, end cleared; item 2 was held for a minute and ends
    assert times(m)[:2] == [(at(0), None), (at(5), at(6))]
    flow.next_item(meeting.id, 4, now=at(8))  # back where the chair was: item 2 re-opened
    m = fresh(Meeting, meeting.id)
    assert m.current_item.position == 2
    assert times(m)[:2] == [(at(0), at(8)), (at(5), None)]
    # the time actually held: item 1 for 5 + 2 minutes, item 2 for its first minute so far
    assert [m.items[0].held_seconds, m.items[1].held_seconds] == [420, 60]
    assert [e.details.get("reopened") for e in flow_audit(meeting.id)] == [None, None, True, True]


def test_an_item_the_chair_comes_back_to_continues_from_the_time_held(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.next_item(meeting.id, 2, now=at(5))       # item 2 held 09:35-09:45 ...
    flow.next_item(meeting.id, 3, now=at(15))
    flow.next_item(meeting.id, 4, now=at(30))
    flow.jump_to(meeting.id, meeting.items[1].id, 5, now=at(60))  # ... and again, much later
    item = fresh(Meeting, meeting.id).current_item
    assert item.position == 2 and item.started_at == at(5) and item.resumed_at == at(60)
    # its timer counts on from the 10 minutes held, not from its first start 55 minutes ago
    assert item.timer_from == at(50) and item.held(at(62)) == 12 * 60
    state = display.state(fresh(Meeting, meeting.id), now=at(62))
    assert state["current_item"]["held_seconds"] == 720
    assert state["current_item"]["planned_end"] == "2024-06-27T01:50:00Z"  # 30 planned - 12 held: 18 left
    flow.next_item(meeting.id, 6, now=at(64))      # forward again: 10 + 4 minutes, not 59
    m = fresh(Meeting, meeting.id)
    assert (m.items[1].started_at, m.items[1].ended_at, m.items[1].held_seconds) == (at(5), at(64), 14 * 60)
    assert m.items[1].held(at(99)) == 14 * 60      # a finished item's time stands still
    assert [i.held_seconds for i in m.items] == [300, 840, 900, 1800]  # item 4 held 30-60 until now
    assert m.current_item.position == 3 and m.current_item.timer_from == at(64 - 15)


def test_a_break_item_come_back_to_counts_down_what_is_left(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.jump_to(meeting.id, meeting.items[2].id, 2, now=at(1))   # the 15-minute break, 10 of it
    flow.end_break(meeting.id, 3, now=at(11))
    flow.previous_item(meeting.id, 4, now=at(20))                # back to the break later
    view = display.flow_view(fresh(Meeting, meeting.id))
    assert view.state == MeetingState.ON_BREAK and view.break_ends_at == at(25)
    flow.end_meeting(meeting.id, 5, now=at(22))
    m = fresh(Meeting, meeting.id)
    assert m.items[2].held_seconds == 12 * 60 and m.items[3].held_seconds == 9 * 60


def test_jump_skips_items_which_stay_not_started(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    target = meeting.items[3]
    flow.jump_to(meeting.id, target.id, 2, now=at(3))
    m = fresh(Meeting, meeting.id)
    assert m.current_item.position == 4
    assert times(m) == [(at(0), at(3)), (None, None), (None, None), (at(3), None)]
    refused("item_current", flow.jump_to, meeting.id, target.id, 3)
    refused("no_next_item", flow.next_item, meeting.id, 3)
    flow.jump_to(meeting.id, m.items[1].id, 3, now=at(4))  # the skipped item, later
    assert fresh(Meeting, meeting.id).current_item.position == 2


def test_jump_to_an_item_of_another_meeting_is_not_found(app, meeting):
    other = meetings.create_meeting({"title": "Khác", "host_body": "x", "issuing_body": "x", "place": "x",
                                     "starts_at": T0}, actor="test")
    foreign = agenda.add_item(other, "Mục khác", "report", 5, actor="test")
    flow.start_meeting(meeting.id, 1)
    refused("item_not_found", flow.jump_to, meeting.id, foreign.id, 2)
    refused("item_not_found", flow.jump_to, meeting.id, "abc", 2)
    assert fresh(Meeting, meeting.id).version == 2


def test_end_closes_the_current_item_and_the_meeting(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.start_break(meeting.id, 2, 5, now=at(1))
    flow.end_meeting(meeting.id, 3, now=at(2))
    m = fresh(Meeting, meeting.id)
    assert m.state == MeetingState.ENDED and m.ended_at == at(2)
    assert m.current_item is None and m.break_started_at is None
    assert times(m)[0] == (at(0), at(2))
    for call, args in [(flow.next_item, ()), (flow.previous_item, ()), (flow.start_break, (5,)),
                       (flow.end_break, ()), (flow.end_meeting, ()), (flow.start_meeting, ()),
                       (flow.jump_to, None)]:
        if args is None:
            refused("meeting_ended", call, meeting.id, m.items[1].id, 4)
        else:
            refused("meeting_ended", call, meeting.id, 4, *args)
    assert fresh(Meeting, meeting.id).version == 4


# --------------------------------------------------------------------------- rules

def test_nothing_but_start_before_the_start(app, meeting):
    for call, args in [(flow.next_item, ()), (flow.previous_item, ()), (flow.start_break, (5,)),
                       (flow.end_break, ()), (flow.end_meeting, ())]:
        refused("meeting_not_started", call, meeting.id, 1, *args)
    refused("meeting_not_started", flow.jump_to, meeting.id, meeting.items[1].id, 1)
    assert fresh(Meeting, meeting.id).version == 1


def test_start_twice_and_an_empty_programme_are_refused(app, meeting):
    flow.start_meeting(meeting.id, 1)
    refused("meeting_started", flow.start_meeting, meeting.id, 2)
    empty = meetings.create_meeting({"title": "Trống", "host_body": "x", "issuing_body": "x", "place": "x",
                                     "starts_at": T0}, actor="test")
    refused("agenda_empty", flow.start_meeting, empty.id, 1)
    assert fresh(Meeting, empty.id).started_at is None


def test_first_and_last_items_have_no_neighbour(app, meeting):
    flow.start_meeting(meeting.id, 1)
    refused("no_previous_item", flow.previous_item, meeting.id, 2)
    flow.jump_to(meeting.id, meeting.items[3].id, 2)
    refused("no_next_item", flow.next_item, meeting.id, 3)
    refused("not_on_break", flow.end_break, meeting.id, 3)
    assert fresh(Meeting, meeting.id).version == 3


def test_unknown_meeting_is_not_found(app):
    refused("meeting_not_found", flow.next_item, 999999, 1)


def test_started_items_stay_protected_from_programme_edits(app, meeting):
    flow.start_meeting(meeting.id, 1)
    refused("item_started", agenda.delete_item, fresh(Meeting, meeting.id).items[0])
    refused("item_started", agenda.update_item, fresh(Meeting, meeting.id).items[0], "Tuyên bố lý do", "report", 5)
    refused("item_started", agenda.move_item, fresh(Meeting, meeting.id).items[1], -1)
    assert fresh(Meeting, meeting.id).version == 2  # a refused edit is no new version


def test_programme_edits_during_the_meeting_make_the_chairs_view_stale(app, meeting):
    assert fresh(Meeting, meeting.id).version == 1  # setting the programme up before the start does not
    flow.start_meeting(meeting.id, 1, now=at(0))
    item = fresh(Meeting, meeting.id).items[1]
    agenda.update_item(item, "Báo cáo 6 tháng đầu năm", "report", 30, "Phó Chủ tịch HĐND", actor="test")
    assert fresh(Meeting, meeting.id).version == 3
    # a tablet that still shows the programme as it was is refused, and nothing moves
    refused("stale", flow.next_item, meeting.id, 2)
    assert fresh(Meeting, meeting.id).current_item.position == 1
    added = agenda.add_item(fresh(Meeting, meeting.id), "Mục thêm", "discussion", 10, actor="test")
    agenda.move_item(added, -1, actor="test")
    agenda.delete_item(db.session.get(AgendaItem, added.id), actor="test")
    assert fresh(Meeting, meeting.id).version == 6
    flow.next_item(meeting.id, 6, now=at(5))
    assert fresh(Meeting, meeting.id).current_item.title == "Báo cáo 6 tháng đầu năm"
    flow.end_meeting(meeting.id, 7, now=at(6))
    agenda.update_item(fresh(Meeting, meeting.id).items[3], "Kết luận hội nghị", "conclusion", 20, actor="test")
    assert fresh(Meeting, meeting.id).version == 8  # after the end there is nothing left to protect


# --------------------------------------------------------------------------- stale actions

def test_a_stale_version_is_refused_and_changes_nothing(app, meeting):
    flow.start_meeting(meeting.id, 1, now=at(0))
    before = times(fresh(Meeting, meeting.id))
    for stale in (1, 3, "", None, "abc"):
        error = refused("stale", flow.next_item, meeting.id, stale)
        assert error.status == 409
        assert "Thiết bị khác vừa thay đổi chương trình" in str(error.message)
    m = fresh(Meeting, meeting.id)
    assert m.version == 2 and times(m) == before
    assert [e.action for e in flow_audit(meeting.id)] == ["flow.start"]


@pytest.mark.both_databases
@pytest.mark.parametrize("action", ["next", "break", "end"])
def test_two_devices_at_once_change_the_meeting_once(app, meeting, action):
    """Two chairs' tablets tap at the same moment with the version they both saw: one wins."""
    flow.start_meeting(meeting.id, 1, now=at(0))
    meeting_id = meeting.id
    calls = {"next": lambda: flow.next_item(meeting_id, 2),
             "break": lambda: flow.start_break(meeting_id, 2, 10),
             "end": lambda: flow.end_meeting(meeting_id, 2)}

    def tap(_i):
        calls[action]()
        return "ok"

    results = at_once(app, 2, tap)
    assert sorted(results) == ["ok", "stale"]
    m = fresh(Meeting, meeting_id)
    assert m.version == 3
    assert len(flow_audit(meeting_id)) == 2
    if action == "next":
        assert m.current_item.position == 2
        assert [i.started_at is not None for i in m.items] == [True, True, False, False]


@pytest.mark.both_databases
def test_many_taps_on_next_from_one_version_advance_once(app, meeting):
    flow.start_meeting(meeting.id, 1)
    meeting_id = meeting.id

    def tap(_i):
        flow.next_item(meeting_id, 2)
        return "ok"

    results = at_once(app, 6, tap)
    assert sorted(results) == ["ok"] + ["stale"] * 5
    assert fresh(Meeting, meeting_id).current_item.position == 2


# --------------------------------------------------------------------------- audit

def test_every_change_is_audited_with_who_and_what(app, meeting):
    from .conftest import make_user
    chair = make_user("chutri_flow")
    flow.start_meeting(meeting.id, 1, chair, now=at(0))
    flow.next_item(meeting.id, 2, chair, now=at(5))
    flow.start_break(meeting.id, 3, 10, chair, now=at(6))
    flow.end_break(meeting.id, 4, chair, now=at(16))
    flow.jump_to(meeting.id, meeting.items[3].id, 5, chair, now=at(17))
    flow.previous_item(meeting.id, 6, chair, now=at(18))
    flow.end_meeting(meeting.id, 7, chair, now=at(19))
    entries = flow_audit(meeting.id)
    assert [e.action for e in entries] == ["flow.start", "flow.next", "flow.break", "flow.resume",
                                           "flow.jump", "flow.previous", "flow.end"]
    assert {e.actor for e in entries} == {"user:chutri_flow"}
    assert [e.details["version"] for e in entries] == [2, 3, 4, 5, 6, 7, 8]
    items = fresh(Meeting, meeting.id).items
    assert entries[1].details["from_item"] == items[0].id and entries[1].details["to_item"] == items[1].id
    assert entries[2].details["minutes"] == 10
    assert entries[3].details["break_ends_at"] == at(16).isoformat()


# --------------------------------------------------------------------------- display key and JSON state

def test_display_key_rotate_and_revoke(app, meeting):
    key = meeting.display_key
    assert display_key.find_meeting(key).id == meeting.id
    new_key = display_key.rotate_display_key(meeting, "test")
    assert new_key != key and len(new_key) >= 32
    refused("display_key_unknown", display_key.find_meeting, key)
    display_key.revoke_display_key(meeting, "test")
    refused("display_key_unknown", display_key.find_meeting, new_key)
    refused("display_key_none", display_key.revoke_display_key, meeting, "test")
    for junk in ("", "x", None, "a" * 200):
        refused("display_key_unknown", display_key.find_meeting, junk)
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("display.%"))
                                      .order_by(AuditEntry.id)))
    assert actions == ["display.key_rotate", "display.key_revoke"]
    display_key.rotate_display_key(meeting, "test")
    assert fresh(Meeting, meeting.id).display_key is not None


def test_json_state_through_the_day(app, meeting):
    state = display.state(meeting)
    assert state["meeting"]["state"] == "not_started" and state["current_item"] is None
    assert state["next_item"]["number"] == 1
    assert state["attendance"] == {"present": 0, "expected": 0}
    assert state["current_speaker"] is None and state["server_time"].endswith("Z")

    flow.start_meeting(meeting.id, 1, now=at(0))
    flow.next_item(meeting.id, 2, now=at(5))
    state = display.state(fresh(Meeting, meeting.id), now=at(7))
    assert state["meeting"]["state"] == "in_session"
    assert state["meeting"]["started_at"] == "2024-06-27T00:30:00Z"
    assert state["current_item"] == {
        "number": 2, "title": "Báo cáo 6 tháng", "kind": "report", "presenter": "Phó Chủ tịch HĐND",
        "started_at": "2024-06-27T00:35:00Z", "held_seconds": 120, "planned_minutes": 30,
        "planned_end": "2024-06-27T01:05:00Z"}
    assert state["break"] is None

    flow.next_item(meeting.id, 3, now=at(35))
    state = display.state(fresh(Meeting, meeting.id))
    assert state["meeting"]["state"] == "on_break"
    assert state["break"] == {"started_at": "2024-06-27T01:05:00Z", "ends_at": "2024-06-27T01:20:00Z",
                              "adhoc": False}
    flow.end_meeting(meeting.id, 4, now=at(40))
    state = display.state(fresh(Meeting, meeting.id))
    assert state["meeting"]["state"] == "ended" and state["meeting"]["ended_at"] == "2024-06-27T01:10:00Z"
    assert state["current_item"] is None and state["break"] is None


def test_item_status_for_the_lists(app, meeting):
    flow.start_meeting(meeting.id, 1)
    flow.next_item(meeting.id, 2)
    assert [display.item_status(i) for i in fresh(Meeting, meeting.id).items] == ["done", "current", "pending", "pending"]
    assert isinstance(fresh(Meeting, meeting.id).items[0], AgendaItem)
