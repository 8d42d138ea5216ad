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
