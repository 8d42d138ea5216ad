"""A meeting hall ready for the speaker queue, shared by the speaker tests: the demo meeting under
way at its discussion item with the queue open, and delegates from different xã/phường present."""
from __future__ import annotations

from datetime import datetime

from meetingday.extensions import db
from meetingday.models import AgendaItem, Invitee, ItemKind, Meeting, OrgKind
from meetingday.services import checkin, flow, speakers


def commune_delegates(meeting: Meeting, n: int) -> list[Invitee]:
    """`n` invitees with a pass, each from a different xã or phường."""
    chosen, units = [], set()
    for person in meeting.invitees:
        org = person.organisation
        if org is None or org.kind not in (OrgKind.WARD, OrgKind.COMMUNE) or person.active_token is None:
            continue
        if org.id not in units:
            chosen.append(person)
            units.add(org.id)
        if len(chosen) == n:
            break
    assert len(chosen) == n
    return chosen


def _version(meeting_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id).version


def open_discussion(meeting: Meeting, present: list[Invitee], *, started: datetime | None = None,
                    reached: datetime | None = None) -> AgendaItem:
    """Check `present` in, start the meeting, go to the discussion item and open its queue."""
    checkin.open_checkin(meeting, actor="test")
    for person in present:
        checkin.check_in_by_id(meeting, person.id, actor="test")
    discussion = next(i for i in meeting.items if i.kind == ItemKind.DISCUSSION)
    flow.start_meeting(meeting.id, _version(meeting.id), "test", now=started)
    flow.jump_to(meeting.id, discussion.id, _version(meeting.id), "test", now=reached)
    speakers.open_queue(meeting.id, discussion.id, actor="test", now=reached)
    return db.session.get(AgendaItem, discussion.id)


def to_last_item(meeting_id: int) -> None:
    """The chair moves on to the programme's last item (the closing conclusion is given there)."""
    meeting = db.session.get(Meeting, meeting_id)
    flow.jump_to(meeting_id, meeting.items[-1].id, _version(meeting_id), "test")
