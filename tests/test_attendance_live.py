"""Socket.IO: a check-in (or an absence) reaches every open attendance panel as a "swap"."""
from __future__ import annotations

import re

import pytest

from meetingday.models import Role
from meetingday.services import attendance, checkin

from .conftest import connect, csrf_token, login, make_user

PANEL = "#attendance-panel"


def _panels(sio_client) -> list[str]:
    """The panel html of every swap this client received, oldest first."""
    return [s["html"] for msg in sio_client.get_received() if msg["name"] == "swap"
            for s in msg["args"][0]["swaps"] if s["target"] == PANEL]


def _count(html: str) -> tuple[int, int]:
    m = re.search(r'data-present="(\d+)" data-expected="(\d+)"', html)
    return int(m.group(1)), int(m.group(2))


@pytest.fixture()
def screens(app, demo_meeting):
    """The door (who checks people in) and the chair's screen (who watches), both on the meeting."""
    make_user("cuakt", Role.DOOR)
    make_user("chutrikt", Role.CHAIR)
    door_http, chair_http = app.test_client(), app.test_client()
    login(door_http, "cuakt")
    login(chair_http, "chutrikt")
    door = connect(app, {"meeting": demo_meeting.id}, door_http)
    chair = connect(app, {"meeting": demo_meeting.id}, chair_http)
    assert door.is_connected() and chair.is_connected()
    checkin.open_checkin(demo_meeting, actor="test")
    door.get_received(), chair.get_received()  # what opening the window pushed
    yield door_http, door, chair
    door.disconnect()
    chair.disconnect()


def test_a_checkin_reaches_the_second_screen(demo_meeting, screens):
    _door_http, door, chair = screens
    before = attendance.counts(demo_meeting)
    seat = next(p for p in demo_meeting.invitees if not p.walk_in and not p.substitute_for_id)
    checkin.check_in_by_id(demo_meeting, seat.id, actor="test")
    panels = _panels(chair)
    assert len(panels) == 1
    assert _count(panels[0]) == (before.present + 1, before.expected)
    assert seat.full_name in panels[0]  # "Vừa đến"
    assert 'id="attendance-panel"' in panels[0]
    assert _panels(door) == panels  # every open panel, not only the one that acted
    # A repeated scan writes nothing and pushes nothing new.
    checkin.check_in_by_id(demo_meeting, seat.id, actor="test")
    assert _panels(chair) == []


def test_a_checkin_over_http_reaches_the_chair(app, demo_meeting, screens):
    door_http, _door, chair = screens
    seat = demo_meeting.invitees[3]
    token = seat.active_token.token
    csrf = csrf_token(door_http, f"/meetings/{demo_meeting.id}/attendance")
    r = door_http.post(f"/meetings/{demo_meeting.id}/door/scan",
                       data={"code": f"http://hoitruong.local:5000/d/{token}", "nonce": "kiemthu-0001"},
                       headers={"X-CSRFToken": csrf, "HX-Request": "true"})
    assert r.status_code == 200, r.text[:300]
    panels = _panels(chair)
    assert len(panels) == 1 and _count(panels[0])[0] == 1


def test_an_absence_reaches_the_second_screen(demo_meeting, screens):
    door_http, _door, chair = screens
    seat = demo_meeting.invitees[5]
    excused = attendance.counts(demo_meeting).excused  # the demo's own (answers "Vắng" before the day)
    csrf = csrf_token(door_http, f"/meetings/{demo_meeting.id}/attendance")
    r = door_http.post(f"/meetings/{demo_meeting.id}/attendance/{seat.id}/absent", data={"reason": "Đi họp tỉnh"},
                       headers={"X-CSRFToken": csrf, "HX-Request": "true"})
    assert r.status_code == 200
    panels = _panels(chair)
    assert len(panels) == 1 and f"Vắng có lý do: {excused + 1}" in panels[0]


def test_the_projector_never_gets_the_staff_panel(app, demo_meeting, screens):
    from meetingday.extensions import db
    demo_meeting.display_key = "p" * 32
    db.session.commit()
    projector = connect(app, {"meeting": demo_meeting.id, "key": "p" * 32})
    assert projector.is_connected()
    checkin.check_in_by_id(demo_meeting, demo_meeting.invitees[0].id, actor="test")
    swaps = [s for msg in projector.get_received() if msg["name"] == "swap" for s in msg["args"][0]["swaps"]]
    # The check-in did reach the projector, as its own public count, and nothing of the staff panel.
    targets = [s["target"] for s in swaps]
    assert "#display-attendance" in targets and PANEL not in targets
    assert not any("attendance-panel" in s["html"] for s in swaps)
    projector.disconnect()
