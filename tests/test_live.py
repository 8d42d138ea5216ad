"""The live-update core: who joins which rooms, and what a publish sends to whom."""
from __future__ import annotations

import pytest

from meetingday import live, topics
from meetingday.extensions import db, socketio
from meetingday.models import Meeting, Role
from meetingday.services import display_key

from .conftest import connect, csrf_token, fresh, login, make_user, received

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


def test_a_phone_connecting_asks_the_database_once(app, demo_meeting):
    """After a restart the whole hall connects at once: a phone's pass and its holder's meeting
    are read in one query (whether it was revoked is read then, never remembered)."""
    from sqlalchemy import event

    auth = {"meeting": demo_meeting.id, "pass": demo_meeting.invitees[0].active_token.token}
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        phone = connect(app, auth)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert phone.is_connected()
    assert len(statements) == 1, statements


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


def test_a_lone_change_is_pushed_without_waiting(app, demo_meeting, regions, monkeypatch):
    """A change after a quiet spell goes out at once: its pusher never waits, before or after
    (the request that published it only lets it start: sleep(0))."""
    import time

    key = _display_key(demo_meeting)
    projector = socketio.test_client(app, auth={"meeting": demo_meeting.id, "key": key})
    waits = []
    real_sleep = live.socketio.sleep
    monkeypatch.setattr(live.socketio, "sleep", lambda seconds: (seconds and waits.append(seconds)) or real_sleep(seconds))
    live._budgets.pop((id(app), demo_meeting.id), None)
    app.config["LIVE_PUSH_INTERVAL"] = 0.2
    try:
        demo_meeting.title = "Một mình"
        db.session.commit()
        live.publish(demo_meeting.id, TOPIC)
        deadline = time.monotonic() + 10
        swaps = []
        while time.monotonic() < deadline and not swaps:
            swaps += _swaps(projector)
            time.sleep(0.02)
        while live._pending:  # the pusher has stopped
            time.sleep(0.02)
    finally:
        app.config["LIVE_PUSH_INTERVAL"] = 0
    assert swaps == [{"target": "#public-region", "html": '<div id="public-region">Một mình vi</div>'}]
    assert waits == []


def test_the_push_budget_lets_a_change_after_a_quiet_spell_go_at_once():
    """Times are given, not read: the rule, not the clock."""
    budget = live.PushBudget()
    assert budget.wait(100.0, 0.25) == 0
    budget.spent(0.02, 100.03)
    assert budget.wait(100.1, 0.25) == pytest.approx(0.18)  # within the interval: shares the next push
    assert budget.wait(100.3, 0.25) == 0  # the push was paid back: a later change goes at once


def test_a_long_rush_of_slow_pushes_spends_at_most_its_share_and_waits_at_most_the_maximum():
    budget, now, cpu, waits = live.PushBudget(), 0.0, 0.0, []
    for _ in range(200):  # changes keep coming; each push takes 50 ms of CPU
        waits.append(budget.wait(now, 0.25))
        now += waits[-1] + 0.05
        cpu += 0.05
        budget.spent(0.05, now)
    assert waits[0] == 0 and waits[1] == pytest.approx(0.25)  # the rush's start: the interval
    assert cpu <= live.PUSH_SHARE * now + live.PUSH_BURST + 0.05
    assert max(waits) <= live.PUSH_WAIT_MAX
    budget.spent(5.0, now)  # one very slow push
    assert budget.wait(now, 0.25) == live.PUSH_WAIT_MAX


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


# --------------------------------------------------------------------------- revoked credentials

def _post(admin_client, path: str, data: dict | None = None):
    token = csrf_token(admin_client, "/")
    return admin_client.post(path, data=data or {}, headers={"HX-Request": "true", "X-CSRFToken": token})


@pytest.mark.parametrize("action", ["display-key/revoke", "display-key"])
def test_revoking_or_replacing_the_display_key_cuts_its_projectors_off(app, admin_client, demo_meeting, regions, action):
    """The secretariat's button disconnects every projector opened with the old key at once; the
    phones and the staff stay; the old key cannot connect again, and no push reaches it."""
    key, mid = demo_meeting.display_key, demo_meeting.id
    projectors = [connect(app, {"meeting": mid, "key": key, "locale": locale}) for locale in live.LOCALES]
    phone = connect(app, {"meeting": mid, "pass": demo_meeting.invitees[0].active_token.token})
    assert all(p.is_connected() for p in projectors) and phone.is_connected()
    for p in projectors:
        p.get_received()

    assert _post(admin_client, f"/meetings/{mid}/{action}").status_code == 200
    assert not any(p.is_connected() for p in projectors)
    assert phone.is_connected()
    assert not connect(app, {"meeting": mid, "key": key}).is_connected()
    live.publish(mid, TOPIC)
    assert [p.queue for p in projectors] == [[], []]  # sent nothing since
    assert "#public-region" in received(phone).swaps
    new_key = fresh(Meeting, mid).display_key
    if new_key:  # a projector opened with the new key is served
        projector = connect(app, {"meeting": mid, "key": new_key})
        live.publish(mid, TOPIC)
        assert "#public-region" in received(projector).swaps


def test_a_revoked_keys_projector_gets_no_push_even_if_its_disconnect_was_lost(app, demo_meeting, regions,
                                                                             monkeypatch):
    """Pushes go to the room of the meeting's key as it is now, not to every projector ever let in."""
    key, mid = demo_meeting.display_key, demo_meeting.id
    projector = connect(app, {"meeting": mid, "key": key})
    monkeypatch.setattr(socketio, "disconnect_room", lambda room: None)  # the message is lost
    display_key.rotate_display_key(demo_meeting, "test")
    assert projector.is_connected()
    live.publish(mid, TOPIC)
    assert received(projector).swaps == {}


@pytest.mark.parametrize("action", ["revoke", "reissue", "delete"])
def test_a_revoked_pass_or_a_removed_person_cuts_their_phone_off(app, admin_client, demo_meeting, regions, action):
    """Revoking or reissuing a pass, or removing its holder from the list, disconnects the phones
    opened with it at once; another delegate's phone stays connected."""
    mid = demo_meeting.id
    person, other = demo_meeting.invitees[0], demo_meeting.invitees[1]
    token = person.active_token.token
    phones = [connect(app, {"meeting": mid, "pass": token}) for _ in range(2)]
    neighbour = connect(app, {"meeting": mid, "pass": other.active_token.token})
    assert all(p.is_connected() for p in phones) and neighbour.is_connected()
    for p in phones:
        p.get_received()

    base = f"/meetings/{mid}/invitees/{person.id}"
    data = {"q": "", "revision": person.revision} if action == "delete" else {"q": "", "pass": person.active_token.id}
    assert _post(admin_client, f"{base}/{action}", data).status_code == 200
    assert not any(p.is_connected() for p in phones)
    assert neighbour.is_connected()
    assert not connect(app, {"meeting": mid, "pass": token}).is_connected()
    live.publish(mid, TOPIC)
    live.refresh(mid, topics.PERSON_QUEUE, invitee_ids=[person.id])
    assert [p.queue for p in phones] == [[], []]
    assert "#public-region" in received(neighbour).swaps
