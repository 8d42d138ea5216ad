"""Two real `meetingday serve` processes sharing PostgreSQL and a Redis message queue: a change
made through one reaches a screen connected to the other (issue 4, item 6)."""
from __future__ import annotations

import os
import queue
import re

import pytest
import sqlalchemy as sa

from .conftest import PG_URL, unavailable
from .serverproc import (
    Browser,
    Desk,
    Server,
    ask_to_speak,
    clean_env,
    discussion_and_delegates,
    load_demo,
)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
SCHEMA = f"meetingday_mp_test_{os.getpid()}"


def _services_missing() -> str | None:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as e:  # noqa: BLE001 - no server, no database, no permission
        return f"PostgreSQL not reachable at {PG_URL}: {type(e).__name__}: {str(e).strip()[:200]}"
    try:
        import redis
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as e:  # noqa: BLE001 - no server, refused, wrong database number
        return f"Redis not reachable at {REDIS_URL}: {type(e).__name__}: {e}"
    return None


@pytest.fixture()
def pg_schema():
    reason = _services_missing()
    if reason:
        unavailable(reason)
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    yield f"{PG_URL}?options=-csearch_path%3D{SCHEMA}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture()
def two_servers(pg_schema, tmp_path):
    env = clean_env(tmp_path / "instance", DATABASE_URL=pg_schema, SOCKETIO_MESSAGE_QUEUE=REDIS_URL)
    meeting = load_demo(env)
    a, b = Server(env), Server(env)
    try:
        a.start()
        b.start()
        yield a, b, meeting
    finally:
        a.stop()
        b.stop()


def test_a_change_through_one_process_reaches_a_screen_on_the_other(two_servers):
    import socketio

    a, b, meeting = two_servers
    assert a.proc.pid != b.proc.pid and a.port != b.port
    assert "gevent server" in a.log() and "gevent server" in b.log()  # the production set-up
    swaps: queue.Queue = queue.Queue()
    projector = socketio.Client(reconnection=False)
    projector.on("swap", swaps.put)
    # The projector on process B, joined as the public audience by the display key.
    projector.connect(b.base, transports=["websocket"], wait_timeout=20,
                      auth={"meeting": meeting["meeting"], "key": meeting["key"], "locale": "vi", "pass": None})
    try:
        chair = Browser(a.base)
        chair.login()
        before = chair.get_json(f"/display/{meeting['key']}/state.json")
        assert before["meeting"]["state"] != "in_session" and before["current_item"] is None

        # The chair starts the meeting on process A.
        status, body = chair.chair_action(meeting["meeting"], "start", before["meeting"]["version"])
        assert status == 200, body[:500]

        # Process B's screen gets the new programme region pushed through Redis.
        payload = swaps.get(timeout=20)
        targets = {s["target"]: s["html"] for s in payload["swaps"]}
        assert "#display-main" in targets, targets.keys()
        state = Browser(b.base).get_json(f"/display/{meeting['key']}/state.json")  # B reads A's commit
        first = state["current_item"]
        assert first is not None and first["number"] == 1
        assert _text(first["title"]) in _text(targets["#display-main"])

        # And the next change too: B's screen follows item by item.
        status, body = chair.chair_action(meeting["meeting"], "next", state["meeting"]["version"])
        assert status == 200, body[:500]
        payload = swaps.get(timeout=20)
        second = Browser(b.base).get_json(f"/display/{meeting['key']}/state.json")["current_item"]
        assert second["number"] == 2
        html = {s["target"]: s["html"] for s in payload["swaps"]}["#display-main"]
        assert _text(second["title"]) in _text(html) and _text(first["title"]) not in _text(html)
    finally:
        projector.disconnect()


def _text(html: str) -> str:
    """Compare titles as text: the template escapes quotes and ampersands."""
    import html as html_lib
    return " ".join(html_lib.unescape(html).split())


def test_the_speaker_queue_across_two_processes(two_servers, pg_schema):
    """A phone asks on process A: the projector on process B shows the name, and the phone of the
    person next in line, connected to B, is told that its place moved when the chair (on A) gives
    the floor. Both processes refuse the same doubled tap."""
    import socketio

    a, b, meeting = two_servers
    mid, key = meeting["meeting"], meeting["key"]
    item_id, people = discussion_and_delegates(pg_schema, mid, 2)
    desk = Desk(a.base, mid)
    desk.check_in([invitee_id for invitee_id, _t in people])
    desk.move("start")
    desk.move(f"jump/{item_id}")
    desk.speakers(f"items/{item_id}/open")

    swaps: queue.Queue = queue.Queue()
    refreshes: queue.Queue = queue.Queue()
    projector = socketio.Client(reconnection=False)
    projector.on("swap", swaps.put)
    second_phone = socketio.Client(reconnection=False)
    second_phone.on("refresh", refreshes.put)
    projector.connect(b.base, transports=["websocket"], wait_timeout=20,
                      auth={"meeting": mid, "key": key, "locale": "vi", "pass": None})
    second_phone.connect(b.base, transports=["websocket"], wait_timeout=20,
                         auth={"meeting": mid, "key": None, "locale": "vi", "pass": people[1][1]})
    try:
        ask_to_speak(a.base, people[0][1], item_id, "Kinh phí hoạt động")
        ask_to_speak(a.base, people[1][1], item_id)
        first_name = _speaker_names(swaps)
        state = Browser(b.base).get_json(f"/display/{key}/state.json")
        assert state["current_speaker"] is None

        queue_html = Browser(a.base)
        queue_html.login()
        body = queue_html.get(f"/meetings/{mid}/speakers/queue")[1]
        first_request = re.search(r'<li class="sq-row" data-request="(\d+)"', body).group(1)
        assert refreshes.get(timeout=20) == {"targets": ["#pass-speak"]}  # after its own ask
        assert refreshes.empty()
        desk.speakers(f"{first_request}/floor", current="")
        assert refreshes.get(timeout=20) == {"targets": ["#pass-speak"]}  # the second is next now
        phone_part = Browser(b.base).get(f"/d/{people[1][1]}?part=speak")[1]
        assert "sắp đến lượt phát biểu" in phone_part
        speaker = Browser(b.base).get_json(f"/display/{key}/state.json")["current_speaker"]
        assert speaker is not None and speaker["topic"] == "Kinh phí hoạt động" and speaker["name"] in first_name
        # The same tap again, through the other process: refused, nothing changes.
        other = Browser(b.base)
        other.login()
        token = other.csrf(f"/meetings/{mid}/chair")
        status, text = other.request("POST", f"/meetings/{mid}/speakers/{first_request}/floor",
                                     {"csrf_token": token, "current": ""}, {"HX-Request": "true", "X-CSRFToken": token})
        assert status == 409 and "Đại biểu này đang phát biểu." in text
    finally:
        projector.disconnect()
        second_phone.disconnect()


def _speaker_names(swaps: queue.Queue) -> str:
    """The projector's speaker region, from the pushes received (the last one that has it)."""
    html = ""
    deadline = 20
    while not html or "Đã đăng ký: 2" not in html:
        payload = swaps.get(timeout=deadline)
        html = {s["target"]: s["html"] for s in payload["swaps"]}.get("#display-speaker", html)
    return _text(html)


def test_a_revoked_key_or_pass_cuts_off_screens_on_the_other_process(two_servers, pg_schema):
    """The projector and a phone are connected to process B; the secretariat revokes the display
    key, then the phone's pass, through process A: B disconnects both, and refuses them again
    saying that their link was revoked."""
    import threading

    import socketio

    a, b, meeting = two_servers
    mid, key = meeting["meeting"], meeting["key"]
    [(person, token)] = discussion_and_delegates(pg_schema, mid, 1)[1]
    ended = {"projector": threading.Event(), "phone": threading.Event()}
    screens = {}
    for name, auth in (("projector", {"key": key, "pass": None}), ("phone", {"key": None, "pass": token})):
        screens[name] = socketio.Client(reconnection=False)
        screens[name].on("disconnect", lambda *_reason, name=name: ended[name].set())
        screens[name].connect(b.base, transports=["websocket"], wait_timeout=20,
                              auth={"meeting": mid, "locale": "vi", **auth})
    try:
        office = Browser(a.base)
        office.login("vanphong")
        csrf = office.csrf(f"/meetings/{mid}")
        hx = {"HX-Request": "true", "X-CSRFToken": csrf}
        status, body = office.request("POST", f"/meetings/{mid}/display-key/revoke", {}, hx)
        assert status == 200, body[:500]
        assert ended["projector"].wait(20), "process B kept the revoked key's projector"
        assert not ended["phone"].is_set()

        status, body = office.request("POST", f"/meetings/{mid}/invitees/{person}/revoke",
                                      {"q": "", "pass": _active_pass(pg_schema, person)}, hx)
        assert status == 200, body[:500]
        assert ended["phone"].wait(20), "process B kept the revoked pass's phone"

        for auth in ({"key": key, "pass": None}, {"key": None, "pass": token}):
            refusals: queue.Queue = queue.Queue()
            again = socketio.Client(reconnection=False)
            again.on("connect_error", refusals.put)
            with pytest.raises(socketio.exceptions.ConnectionError):
                again.connect(b.base, transports=["websocket"], wait_timeout=20,
                              auth={"meeting": mid, "locale": "vi", **auth})
            assert refusals.get(timeout=20)["data"] == {"revoked": True}
    finally:
        for screen in screens.values():
            screen.disconnect()


def _active_pass(db_url: str, invitee_id: int) -> str:
    """The id of the person's pass as the invitee list shows it (what its revoke button sends)."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(sa.text("SELECT id FROM pass_tokens WHERE invitee_id = :i AND revoked_at IS NULL"),
                                    {"i": invitee_id}).scalar_one())
    finally:
        engine.dispose()
