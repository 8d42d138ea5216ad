"""The programme's clock times: each item's planned start and end, from the meeting's start and
the planned minutes (services.agenda.planned_times), shown on the setup screen and the phone."""
from __future__ import annotations

import re
from datetime import datetime

from meetingday.extensions import db
from meetingday.services import agenda

SEVEN_THIRTY = datetime(2024, 6, 27, 0, 30)  # 7:30 in the hall (UTC+7), stored as naive UTC


def _start_at(meeting, when):
    meeting.starts_at = when
    db.session.commit()


def test_planned_times_run_on_from_the_start(demo_meeting):
    _start_at(demo_meeting, SEVEN_THIRTY)
    times = agenda.planned_times(demo_meeting)
    spans = [times[item.id] for item in demo_meeting.items]
    assert spans[0][0] == SEVEN_THIRTY
    for item, (start, end) in zip(demo_meeting.items, spans):
        assert (end - start).total_seconds() == item.planned_minutes * 60
    assert all(spans[n][1] == spans[n + 1][0] for n in range(len(spans) - 1))
    assert (spans[-1][1] - SEVEN_THIRTY).total_seconds() == demo_meeting.planned_minutes * 60


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_setup_screen_and_the_phone_show_the_clock_times(admin_client, client, demo_meeting):
    _start_at(demo_meeting, SEVEN_THIRTY)
    first = demo_meeting.items[0]  # 5 minutes in the demo's programme
    assert first.planned_minutes == 5
    setup = _text(admin_client.get(f"/meetings/{demo_meeting.id}/agenda/").text)
    assert "7 giờ 30 – 7 giờ 35" in setup and "7 giờ 35 – 7 giờ 45" in setup
    phone = _text(client.get(f"/d/{demo_meeting.invitees[0].active_token.token}").text)
    assert f"{first.title} 7 giờ 30 – 7 giờ 35" in phone
