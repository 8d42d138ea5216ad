"""The live-update core: who joins which rooms, and what a publish sends to whom."""
from __future__ import annotations

import pytest

from meetingday import live
from meetingday.extensions import db, socketio
from meetingday.models import Meeting, Role

from .conftest import login, make_user

TOPIC = "test-topic"
PERSONAL = "test-personal-topic"


@pytest.fixture()
def regions():
    """Two regions on a test topic: one for everybody, one for staff; they say the language."""
    from flask_babel import get_locale

    @live.region(TOPIC, audience="public", target="#public-region")
    def _public(meeting):
        return f'<div id="public-region">{meeting.title} {get_locale()}</div>'

    @live.region(TOPIC, audience="staff", target="#staff-region")
    def _staff(meeting):
        return f'<div id="staff-region">staff {get_locale()}</div>'

    yield
    live._REGIONS.pop(TOPIC, None)


def _swaps(sio_client) -> list[dict]:
    return [s for msg in sio_client.get_received() if msg["name"] == "swap" for s in msg["args"][0]["swaps"]]


def _display_key(meeting: Meeting) -> str:
    meeting.display_key = "k" * 32
    db.session.commit()
    return meeting.display_key


def test_a_screen_without_credentials_is_refused(app, demo_meeting):
    anonymous = socketio.test_client(app, auth={"meeting": demo_meeting.id})
    assert not anonymous.is_connected()
    wrong_key = socketio.test_client(app, auth={"meeting": demo_meeting.id, "key": "not-the-key"})
    assert not wrong_key.is_connected()
    no_meeting = socketio.test_client(app, auth={"meeting": 999999, "key": "x"})
    assert not no_meeting.is_connected()
    garbage = socketio.test_client(app, auth={"meeting": "abc"})
    assert not garbage.is_connected()


def test_the_projector_gets_public_regions_only_in_its_language(app, demo_meeting, regions):
    key = _display_key(demo_meeting)
    projector = socketio.test_client(app, auth={"meeting": demo_meeting.id, "key": key, "locale": "en"})
    assert projector.is_connected()
    live.publish(demo_meeting.id, TOPIC)
    swaps = _swaps(projector)
    assert [s["target"] for s in swaps] == ["#public-region"]
    assert swaps[0]["html"].endswith(" en</div>")


def test_staff_get_both_audiences_and_a_server_time(app, client, demo_meeting, regions):
    make_user("chutri2", Role.CHAIR)
    login(client, "chutri2")
    chair = socketio.test_client(app, flask_test_client=client, auth={"meeting": demo_meeting.id})
    assert chair.is_connected()
    live.publish(demo_meeting.id, TOPIC)
    received = [m for m in chair.get_received() if m["name"] == "swap"]
    assert len(received) == 2  # one event per audience room
    assert all(isinstance(m["args"][0]["now"], int) for m in received)
    targets = sorted(s["target"] for m in received for s in m["args"][0]["swaps"])
    assert targets == ["#public-region", "#staff-region"]
    html = {s["target"]: s["html"] for m in received for s in m["args"][0]["swaps"]}
    assert html["#staff-region"] == '<div id="staff-region">staff vi</div>'


def test_a_delegate_phone_joins_its_own_room(app, demo_meeting, regions):
    invitee = demo_meeting.invitees[0]
    other = demo_meeting.invitees[1]
    phone = socketio.test_client(app, auth={"meeting": demo_meeting.id, "pass": invitee.active_token.token})
    assert phone.is_connected()
    live.fetched(PERSONAL, "#my-place")
    try:
        live.refresh(demo_meeting.id, PERSONAL, invitee_ids=[invitee.id])
        live.refresh(demo_meeting.id, PERSONAL, invitee_ids=[other.id])
        live.publish(demo_meeting.id, TOPIC)
        received = phone.get_received()
        refreshes = [m["args"][0]["targets"] for m in received if m["name"] == "refresh"]
        assert refreshes == [["#my-place"]]
        assert [s["target"] for s in _swaps_of(received)] == ["#public-region"]
        live.refresh(demo_meeting.id, PERSONAL)  # no one named: every screen of the meeting
        assert [m["args"][0]["targets"] for m in phone.get_received() if m["name"] == "refresh"] == [["#my-place"]]
    finally:
        live._FETCHED.pop(PERSONAL, None)


def test_a_revoked_pass_or_another_meetings_pass_is_refused(app, demo_meeting):
    from meetingday.services import passes

    invitee = demo_meeting.invitees[0]
    token = invitee.active_token.token
    passes.revoke_token(invitee, invitee.active_token.id, actor="test")
    assert not socketio.test_client(app, auth={"meeting": demo_meeting.id, "pass": token}).is_connected()

    other = Meeting(title="Khác", host_body="x", issuing_body="x", issuing_unit="x", locality="x",
                    place="x", starts_at=demo_meeting.starts_at)
    db.session.add(other)
    db.session.commit()
    live_token = demo_meeting.invitees[1].active_token.token
    assert not socketio.test_client(app, auth={"meeting": other.id, "pass": live_token}).is_connected()


def test_publish_renders_what_was_committed_and_nothing_for_an_unknown_topic(app, demo_meeting, regions):
    key = _display_key(demo_meeting)
    projector = socketio.test_client(app, auth={"meeting": demo_meeting.id, "key": key})
    demo_meeting.title = "Tên mới"
    db.session.commit()
    live.publish(demo_meeting.id, "no-such-topic")
    assert projector.get_received() == []
    live.publish(demo_meeting.id, TOPIC, TOPIC)  # a topic named twice is rendered once
    swaps = _swaps(projector)
    assert swaps == [{"target": "#public-region", "html": '<div id="public-region">Tên mới vi</div>'}]


def test_a_region_must_name_a_known_audience_and_an_id():
    with pytest.raises(ValueError):
        live.region(TOPIC, audience="everyone", target="#x")
    with pytest.raises(ValueError):
        live.region(TOPIC, audience="public", target=".x")


def _swaps_of(received) -> list[dict]:
    return [s for m in received if m["name"] == "swap" for s in m["args"][0]["swaps"]]


def test_a_burst_of_changes_is_pushed_at_once_then_together(app, demo_meeting, regions):
    """Off the request, throttled: the first change goes out at once, the rest of a burst in one
    or two more pushes, and the last push shows the last committed state."""
    import time

    key = _display_key(demo_meeting)
    projector = socketio.test_client(app, auth={"meeting": demo_meeting.id, "key": key})
    app.config["LIVE_PUSH_INTERVAL"] = 0.2
    try:
        for n in range(20):
            demo_meeting.title = f"Lần {n}"
            db.session.commit()
            live.publish(demo_meeting.id, TOPIC)
        deadline = time.monotonic() + 10
        swaps = []
        while time.monotonic() < deadline:
            swaps += _swaps(projector)
            if swaps and swaps[-1]["html"] == '<div id="public-region">Lần 19 vi</div>':
                break
            time.sleep(0.05)
        time.sleep(0.5)  # and nothing more comes after the pusher has seen the last change
        swaps += _swaps(projector)
        while live._pending:  # the pusher has stopped
            time.sleep(0.05)
    finally:
        app.config["LIVE_PUSH_INTERVAL"] = 0
    assert 1 <= len(swaps) <= 3
    assert swaps[-1]["html"] == '<div id="public-region">Lần 19 vi</div>'


def test_regions_are_rendered_without_the_user_who_made_the_change(app, demo_meeting):
    """A region is the same for every screen: it never sees the signed-in user of the request
    that published it, nor that request's arguments."""
    from flask import request
    from flask_login import current_user, login_user

    @live.region("who", audience="public", target="#who")
    def _who(meeting):
        return f'<div id="who">{current_user.is_authenticated} {request.args.get("secret")}</div>'

    try:
        key = _display_key(demo_meeting)
        projector = socketio.test_client(app, auth={"meeting": demo_meeting.id, "key": key})
        user = make_user("vanphong2")
        with app.test_request_context("/?secret=token123"):
            login_user(user)
            assert current_user.is_authenticated
            live.publish(demo_meeting.id, "who")
        assert _swaps(projector) == [{"target": "#who", "html": '<div id="who">False None</div>'}]
    finally:
        live._REGIONS.pop("who", None)
